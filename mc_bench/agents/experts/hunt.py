"""Hunting experts: find animals, kill them with a sword and pick up what they drop.

Privileged knowledge: where animals are (the entity table, including animals frozen in chunks just
out of the loaded area). The hunter paths toward the nearest one with A*, then chases it by hand
(turn, walk or sprint, jump over steps) and strikes only on a charged swing whose ray is sure to
connect. A hit animal panics and runs for a few seconds; the chase simply goes on.

``ObtainCookedMeatExpert``: wood -> wooden sword and pickaxe -> a kill -> a shaft down for 8
cobblestone -> table and furnace in the shaft -> ``nearbySmelt``. ``ObtainBedExpert``: wood -> sword -> three sheep -> ``nearbyCraft bed``.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.agents.experts import pursuit, skills
from mc_bench.agents.experts.combat import Mobs
from mc_bench.agents.experts.obtain import CLOSE, ObtainExpert
from mc_bench.agents.experts.treechop import TreeSkills
from mc_bench.sim.interact import held_item, raycast_mob
from mc_bench.sim.physics import look_vector
from mc_bench.sim.state import (
    COLLIDED_H,
    EKIND,
    ESHEARED,
    EX,
    EY,
    EZ,
    HEALTH,
    KIND_MOB0,
    PX,
    PY,
    PZ,
    SNEAK,
    SWING,
    TBX,
    TBY,
    TBZ,
    TICK,
    TVALID,
)
from mc_bench.tasks.itemgraph import rules_yaml

MEATS = {"beef": "cooked_beef", "porkchop": "cooked_porkchop", "mutton": "cooked_mutton", "chicken": "cooked_chicken"}
ANIMALS = ("cow", "pig", "sheep", "chicken")
REACH = 2.9  # the engine's entity reach is 3 (plus a 0.1 pick margin)
EXPLORE_STEP = 28
DEATH_RADIUS = 16.0  # hostile mobs this near a place the player died are not hunted (see Hunter.deadly)


class Hunter:
    """Hunting skills shared by experts; ``expert`` provides body, world view, rng and planner."""

    def __init__(self, expert):
        self.x = expert
        self.mobs = Mobs(expert.wv)
        self.skip: dict[int, int] = {}  # entity slot -> tick until which it is ignored
        self.heading = float(expert.rng.uniform(-180.0, 180.0))
        self.kills = 0
        self.waited: dict[int, int] = {}  # entity slot -> chases that waited for it in vain
        self.dig_item: str | None = None  # held while walking up to a mob (a pickaxe tunnels to caves)
        self.weapon: str | None = None  # held for the chase
        self.toward: tuple[int, int] | None = None  # (x, z) exploring heads for, if set
        self.shun_deaths = False  # hostile mobs near where the player died are not hunted (see deadly)

    # ------------------------------------------------------------ queries

    def kinds(self, names) -> np.ndarray:
        return np.array([self.mobs.kind[n] for n in names if n in self.mobs.kind], np.int32)

    def targets(self, kinds: np.ndarray) -> list[int]:
        """Entity slots of animals of ``kinds``, nearest first (height differences cost extra)."""
        e = self.x.sim.e
        idx = np.flatnonzero(np.isin(e.ei[:, EKIND], kinds))
        tick = self.x.sim.e.pi[TICK]
        idx = np.array([i for i in idx if self.skip.get(int(i), -1) < tick and not self.deadly(int(i))], np.int64)
        if len(idx) == 0:
            return []
        p = e.ef[idx][:, [EX, EY, EZ]] - np.asarray(self.x.wv.pos)
        d = np.hypot(p[:, 0], p[:, 2]) + 2.0 * np.abs(p[:, 1])
        return [int(i) for i in idx[np.argsort(d, kind="stable")]]

    def deadly(self, i: int) -> bool:
        """Mob ``i`` is hostile and near where the player died (``DEATH_RADIUS``), and the hunter shuns
        such places (``shun_deaths``): the mobs that killed it there once mostly would again (most are
        in caves; others spawn on the surface at night)."""
        if not (self.shun_deaths and self.x.death_spots) or int(self.x.sim.e.ei[i, EKIND]) not in self.mobs.hostile:
            return False
        ef = self.x.sim.e.ef
        return any(math.dist((ef[i, EX], ef[i, EY], ef[i, EZ]), s) < DEATH_RADIUS for s in self.x.death_spots)

    def dist(self, i: int) -> float:
        ef = self.x.sim.e.ef
        x, _, z = self.x.wv.pos
        return math.hypot(ef[i, EX] - x, ef[i, EZ] - z)

    def charged(self) -> bool:
        """The swing is all but fully charged (20 / attack speed ticks: 12.5 for a sword, 5 for a fist)."""
        e = self.x.sim.e
        speed = float(self.x.sim.rules.mobs.attack_speed[int(held_item(e.inv, e.pi))])
        return e.pf[SWING] + 0.5 >= 0.92 * 20.0 / max(speed, 0.1)

    def would_hit(self, i: int, cam) -> bool:
        """Does the attack ray, after this tick's camera turn, reach mob ``i`` first?"""
        wv = self.x.wv
        pf, pi = wv.sim.e.pf, wv.sim.e.pi
        pitch = max(-90.0, min(90.0, wv.pitch + float(cam[0])))
        dx, dy, dz = look_vector(pitch, wv.yaw + float(cam[1]))
        eye_y = pf[PY] + (1.54 if pi[SNEAK] else 1.62)
        e, _ = raycast_mob(wv.sim.e.ef, wv.sim.e.ei, pf[PX], eye_y, pf[PZ], dx, dy, dz, REACH, 0.1)
        return e == i

    def swing(self, i: int, cam, pressed: bool) -> bool:
        """Press attack this tick: a charged swing that connects with mob ``i`` (released in between), or,
        while a nearer block stands in the way, held down to break through it (leaves, tall grass)."""
        if self.blocked(i) and self.x.body.aim_error(self.mobs.body_point(i)) < 20.0:
            return True
        return not pressed and self.charged() and self.would_hit(i, cam)

    def blocked(self, i: int) -> bool:
        """The crosshair rests on a block nearer than mob ``i``: a click would only scratch the block
        (its break progress resets on release), so the mob is never hit."""
        pi = self.x.sim.e.pi
        if not pi[TVALID]:
            return False
        eye = self.x.wv.eye
        block = (pi[TBX] + 0.5, pi[TBY] + 0.5, pi[TBZ] + 0.5)
        return math.dist(eye, block) + 0.5 < math.dist(eye, self.mobs.body_point(i))

    # ------------------------------------------------------------ skills

    def hunt(self, names, done, max_ticks: int = 5000):
        """Kill animals of ``names`` and collect their drops until ``done()``; every pass costs a tick."""
        kinds = self.kinds(names)
        sim = self.x.sim
        t0 = int(sim.e.pi[TICK])
        while not done() and int(sim.e.pi[TICK]) - t0 < max_ticks and not self.x.out_of_time():
            t_pass = int(sim.e.pi[TICK])
            yield from self.hunt_once(kinds, done)
            if int(sim.e.pi[TICK]) == t_pass:
                yield self.x.body.act()
        return done()

    def hunt_once(self, kinds: np.ndarray, done):
        """Pick up drops, then chase the nearest target (A* legs first when it is far) until it dies or is lost."""
        sim = self.x.sim
        yield from self.pick_up()
        if done():
            return
        order = self.targets(kinds)
        if not order:
            if self.waiting_for(kinds):  # one flew out of reach: it may come down again before another is found
                self.x.stage = "hunt: wait"
                yield from skills.idle(self.x.body, 20)
                return
            self.x.stage = "hunt: explore"
            yield from self.explore()
            return
        i = order[0]
        kind = int(sim.e.ei[i, EKIND])
        fly = self.flies(kind) or self.swims(kind)  # met at any height
        self.x.stage = f"hunt {self.x.sim.rules.mob_names[kind - KIND_MOB0]} ({self.dist(i):.0f} away)"
        comes = self.fuses(kind) or self._mob(kind).get("teleports")  # a creeper or enderman comes to the player
        near = 8.0 if fly or comes and self.waited.get(i, 0) < 2 else 3.5
        level = fly or comes or abs(sim.e.ef[i, EY] - self.x.wv.pos[1]) <= 1.5
        if self.dist(i) > near or not level:
            ok = yield from self.approach(i, kind)
            above = sim.e.ef[i, EY] - self.x.wv.pos[1]
            fly = fly or self.dist(i) < 4.0 and 1.0 < above < 4.5  # on a ledge or a tree: hit it from a jump
            if not ok and not fly:
                self.skip[i] = int(sim.e.pi[TICK]) + 600
                return
        yield from self.hold(self.weapon)
        chase = pursuit.chase_swimmer if self.swims(kind) else pursuit.chase_flyer if fly else \
            pursuit.chase_fuser if self.fuses(kind) else \
            pursuit.chase_teleporter if self._mob(kind).get("teleports") else Hunter.chase
        died_at = yield from chase(self, i, kind)
        if comes and died_at is None:
            self.waited[i] = self.waited.get(i, 0) + 1  # it would not come: go up to it next time
        if died_at is not None:
            self.kills += 1
            yield from self.pick_up(died_at, radius=6.0)
        elif self.mobs.alive(i, kind) and sim.e.ef[i, EY] - self.x.wv.pos[1] > pursuit.OUT_OF_REACH:
            self.skip[i] = int(sim.e.pi[TICK]) + 200  # a flyer gone high: others (in caves) may be nearer

    def hold(self, name: str | None):
        """Have ``name`` in hand, if it is set and held anywhere in the inventory."""
        if name is not None and self.x.wv.count(name):
            yield from self.x.equip(name)

    def waiting_for(self, kinds: np.ndarray, radius: float = 24.0) -> bool:
        """A skipped flyer of ``kinds`` is still about (alive within ``radius`` horizontally)."""
        e = self.x.sim.e
        return any(int(e.ei[i, EKIND]) in kinds and self.flies(int(e.ei[i, EKIND])) and self.dist(i) < radius
                   for i in self.skip)

    def flies(self, kind: int) -> bool:
        return self._mob(kind).get("move") == "fly"

    def swims(self, kind: int) -> bool:
        return self._mob(kind).get("move") == "swim"

    def fuses(self, kind: int) -> bool:
        return self._mob(kind).get("attack") == "fuse"

    def _mob(self, kind: int) -> dict:
        return rules_yaml("mobs.yaml")["mobs"].get(self.x.sim.rules.mob_names[kind - KIND_MOB0], {})

    def approach(self, i: int, kind: int, max_legs: int = 25):
        """A* legs toward mob ``i`` (replanned as it wanders) until within chasing distance."""
        wv = self.x.wv
        ef = self.x.sim.e.ef
        fly = self.flies(kind) or self.swims(kind)  # a flyer is reached from below, a swimmer at any height
        near = 3.0 if fly else pursuit.FUSE_WAIT + 1.0 if self.fuses(kind) else 3.5  # a creeper: not into its fuse
        fails = 0
        for _ in range(max_legs):
            if not self.mobs.alive(i, kind) or self.x.out_of_time():
                return False
            if self.dist(i) <= near and (fly or abs(ef[i, EY] - wv.pos[1]) < 1.5):
                return True
            mx, my, mz = float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ])

            def goal(c, mx=mx, my=my, mz=mz):
                return math.hypot(c[0] + 0.5 - mx, c[2] + 0.5 - mz) < near - 1.0 and (fly or abs(c[1] - my) < 1.5)

            yield from self.hold(self.dig_item)  # legs may tunnel: A* prices digging by the held item
            steps, _ = self.x.planner().search(wv.cell, goal, (mx, wv.pos[1] if fly else my, mz), 3000, 2.0)
            if not steps:
                fails += 1
                if fails >= 3:
                    return False
                yield from self.jiggle()
                continue
            ok = yield from skills.follow(self.x.body, steps, limit=6 if self.dist(i) < 12 else 14)
            if not ok:
                fails += 1
                if fails >= 6:
                    return False
        return self.dist(i) <= 3.5

    def chase(self, i: int, kind: int, max_ticks: int = 500):
        """Run at mob ``i`` and strike on charged swings; returns where it died, or None."""
        wv, body = self.x.wv, self.x.body
        ef = self.x.sim.e.ef
        best, since_best, pressed = 1e9, 0, False
        last = (float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ]))
        for _ in range(max_ticks):
            if not self.mobs.alive(i, kind):
                return last
            if self.x.out_of_time():
                return None
            last = (float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ]))
            pt = self.mobs.body_point(i)
            d = self.dist(i)
            if d < best - 0.3:
                best, since_best = d, 0
            else:
                since_best += 1
            if d > 10.0 or since_best > 80 or abs(last[1] - wv.pos[1]) > 3.0:
                return None  # lost it: the caller paths again
            other = self.mobs.nearest(self.mobs.hostile, CLOSE)
            if other not in (None, i) and self.mobs.visible(other):
                return None  # another monster at arm's length: the reflexes fight that one first
            if self.blocked(i) and body.aim_error(pt) < 20.0:
                yield from self.dig_through()
                pressed = False
                continue
            cam = body.turn_to_point(pt)
            err = body.aim_error(pt)
            strike = self.swing(i, cam, pressed)
            pressed = strike
            near = d < 1.6
            fwd = int(err < 35.0 and not near)
            jump = int(wv.in_water or (wv.on_ground and bool(wv.sim.e.pi[COLLIDED_H]) and fwd))
            yield body.act(camera=cam, attack=int(strike), forward=fwd, jump=jump,
                           sprint=int(fwd and d > 4.0 and err < 15.0), back=int(d < 0.8))
        return None

    def dig_through(self):
        """Break the block the crosshair rests on with the camera held on it (aiming at a mob that moves
        behind it would shift the target, which resets the break), the tunnelling pickaxe in hand if one
        is carried; then the weapon again. A hit taken meanwhile (a zombie from behind) stops the digging."""
        pi, pf = self.x.sim.e.pi, self.x.sim.e.pf
        cell, health = (int(pi[TBX]), int(pi[TBY]), int(pi[TBZ])), float(pf[HEALTH])
        yield from self.hold(self.dig_item)
        for action in skills.break_cell(self.x.body, cell, max_ticks=200):
            if pf[HEALTH] < health:
                break
            yield action
        yield from self.hold(self.weapon)

    def interact(self, name: str, done, max_ticks: int = 3000):
        """Use the held item on mobs ``name`` (shears on a sheep, a bucket on a cow) until ``done()``."""
        kinds = self.kinds([name])
        sim = self.x.sim
        t0 = int(sim.e.pi[TICK])
        while not done() and int(sim.e.pi[TICK]) - t0 < max_ticks and not self.x.out_of_time():
            t_pass = int(sim.e.pi[TICK])
            yield from self.pick_up()
            order = [i for i in self.targets(kinds) if not sim.e.ei[i, ESHEARED]]
            if not order:
                yield from self.explore()
            elif self.dist(order[0]) > 2.5:
                if not (yield from self.approach(order[0], int(sim.e.ei[order[0], EKIND]))):
                    self.skip[order[0]] = int(sim.e.pi[TICK]) + 600
            else:
                yield from self.press_use(order[0], done)
            if int(sim.e.pi[TICK]) == t_pass:
                yield self.x.body.act()
        return done()

    def press_use(self, i: int, done, max_ticks: int = 80):
        """Face mob ``i`` and press use (a fresh press each time) until ``done()`` or it is used."""
        wv, body, e = self.x.wv, self.x.body, self.x.sim.e
        kind, pressed = int(e.ei[i, EKIND]), False
        for _ in range(max_ticks):
            if done() or not self.mobs.alive(i, kind) or e.ei[i, ESHEARED]:
                break
            pt = self.mobs.body_point(i)
            cam = body.turn_to_point(pt)
            press = not pressed and self.would_hit(i, cam)
            pressed = press
            d = self.dist(i)
            yield body.act(camera=cam, use=int(press), forward=int(d > 2.0 and body.aim_error(pt) < 30.0),
                           jump=int(wv.in_water))
        yield from self.pick_up(radius=5.0)

    def pick_up(self, around=None, radius: float = 8.0, max_items: int = 6):
        """Walk over the items lying near ``around`` (default: the player)."""
        wv = self.x.wv
        for _ in range(max_items):
            centre = wv.pos if around is None else around
            pts = [p for p in wv.ground_items(centre, radius).tolist()]
            pts = [p for p in pts if math.hypot(p[0] - wv.pos[0], p[2] - wv.pos[2]) < radius + 4]
            if not pts:
                return True
            p = min(pts, key=lambda q: (q[0] - wv.pos[0]) ** 2 + (q[2] - wv.pos[2]) ** 2 + 4 * (q[1] - wv.pos[1]) ** 2)
            cell = (math.floor(p[0]), math.floor(p[1] + 0.1), math.floor(p[2]))
            n_before = len(wv.ground_items(centre, radius))

            def goal(c, cell=cell):
                return abs(c[0] - cell[0]) <= 1 and abs(c[2] - cell[2]) <= 1 and -1 <= c[1] - cell[1] <= 0

            if not goal(wv.cell):
                steps, reached = self.x.planner().search(wv.cell, goal, p, 1500, 1.5)
                if not reached:
                    return False
                ok = yield from skills.follow(self.x.body, steps)
                if not ok:
                    return False
            yield from skills.walk_to(self.x.body, (cell[0], wv.cell[1], cell[2]), max_ticks=20)
            yield from skills.idle(self.x.body, 2)
            if len(wv.ground_items(centre, radius)) >= n_before:
                return False
        return True

    def explore(self):
        """No animal known: walk on in a slowly turning direction, loading new chunks (which bring
        their own animals)."""
        wv = self.x.wv
        self.heading += float(self.x.rng.uniform(-50.0, 50.0))
        if self.toward is not None:  # a far place where the quarry lives: head there
            self.heading = math.degrees(math.atan2(self.toward[1] - wv.cell[2], self.toward[0] - wv.cell[0]))
        ang = math.radians(self.heading)
        x, y, z = wv.cell
        tx, tz = x + EXPLORE_STEP * math.cos(ang), z + EXPLORE_STEP * math.sin(ang)
        steps, _ = self.x.planner().search(wv.cell, lambda c: math.hypot(c[0] - tx, c[2] - tz) < 2,
                                           (tx, y, tz), 3000, 2.0)
        ok = yield from skills.follow(self.x.body, steps)
        if not (ok and steps):
            self.heading += 120.0
            yield from self.jiggle()

    def jiggle(self):
        """Boxed in or path-less: hop about a little so the loop always progresses."""
        yaw = self.heading
        for _ in range(12):
            yield self.x.body.act(camera=self.x.body.turn(0.0, yaw), forward=1, jump=1)


class _HuntingExpert(ObtainExpert):
    """Obtain-style crafting helpers plus a :class:`Hunter`."""

    def start(self, logs: int):
        """Every hunting plan opens alike: tree and hunting skills, then ``logs`` logs."""
        self.trees, self.hunter = TreeSkills(self), Hunter(self)
        self.stage = "logs"
        yield from self.trees.gather(logs, lambda: self.wv.count("log"))

    def craft_at_table(self, name: str, extra_planks: int = 0):
        """``nearbyCraft name`` at a table within reach (placing one if none is near)."""
        self.stage = name
        if self.near_station("crafting_table") is None:
            yield from self.planks(extra_planks + 4 * (self.wv.count("crafting_table") == 0))
            if not (yield from self.have_table()):
                return False
        elif extra_planks:
            yield from self.planks(extra_planks)
        ok = yield from self.at_station("crafting_table", "nearbyCraft", [name])
        if not ok:  # nowhere to put the table (in water, say): move to dry ground for the next try
            yield from self.dry_spot()
        return ok

    def place_station(self, item: str):
        """Centre the body in its cell first (a body over the cell edge blocks placing beside it)
        and cut the grass it stands in (the crosshair stops at grass, never reaching the floor)."""
        x, y, z = self.wv.cell
        for c in ((x, y, z), (x, y + 1, z)):
            for _ in range(40):  # break_block counts grass as open already
                if not (self.wv.block(*c) > 0 and self.wv.is_air_like(*c)):
                    break
                cam = self.body.turn_to_point(skills.centre(c))
                yield self.body.act(camera=cam, attack=int(self.body.target() == c))
        for _ in range(15):
            keys = skills.nudge(self.wv, x, z, tol=0.1)
            if not any(keys.values()):
                break
            yield self.body.act(**keys)
        return (yield from super().place_station(item))

    def dry_spot(self):
        """Walk to a dry cell with a free, floored cell beside it (room to place a station)."""
        wv = self.wv

        def good(c):
            x, y, z = c
            if not wv.is_air_like(x, y, z) or not wv.is_solid(x, y - 1, z):
                return False
            return any(wv.is_air_like(x + dx, y, z + dz) and wv.is_solid(x + dx, y - 1, z + dz)
                       and wv.block(x + dx, y - 1, z + dz) != -1
                       for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1)))

        if good(wv.cell):
            return True
        return (yield from self.walk_to_where(good))

    def walk_to_where(self, good):
        """Walk to the nearest cell where ``good(cell)`` holds (A*); explore when none is in reach."""
        steps, reached = self.planner().search(self.wv.cell, good, self.wv.pos, 3000, 1.0)
        if reached:
            return (yield from skills.follow(self.body, steps))
        yield from self.hunter.explore()
        return False

    def sword(self):
        """A wooden sword in hand."""
        if not self.wv.count("wooden_sword"):
            yield from self.sticks(1)
            yield from self.craft_at_table("wooden_sword", extra_planks=2)
        yield from self.equip("wooden_sword")


class ObtainCookedMeatExpert(_HuntingExpert):
    """Plays MineRLObtainCookedMeat-v0."""

    def raw(self) -> str | None:
        for m in MEATS:
            if self.wv.count(m):
                return m
        return None

    def plan(self):
        c = self.wv.count
        yield from self.start(5)
        for _ in range(6000):  # each rung costs a tick: the horizon bounds it, not a rung count
            if any(c(v) for v in MEATS.values()):
                return
            raw = self.raw()
            furnace = c("furnace") > 0 or self.near_station("furnace") is not None
            if not c("wooden_sword") and raw is None:
                yield from self.sword()
            elif not c("wooden_pickaxe") and c("cobblestone") < 8 and not furnace:
                yield from self.tool("wooden_pickaxe", {"planks": 3})  # the table is mined back
            elif raw is None:
                self.stage = "hunt"
                yield from self.equip("wooden_sword")
                yield from self.hunter.hunt(ANIMALS, lambda: self.raw() is not None, max_ticks=1500)
            elif not furnace and c("cobblestone") < 8:
                self.stage = "cobblestone"
                yield from self.equip("wooden_pickaxe")
                yield from self.descend(lambda: c("cobblestone") >= 8, 6)  # a shaft pays in cobblestone
                yield from self.mine({"stone"}, lambda: c("cobblestone"), 8)
            elif not furnace:
                yield from self.craft_at_table("furnace")
            else:
                self.stage = "smelt"
                if c("coal") == 0 and c("log") == 0:
                    yield from self.planks(1)
                if not (yield from self.at_station("furnace", "nearbySmelt", [MEATS[raw]])):
                    yield from self.dry_spot()
            yield self.body.act()


class ObtainBedExpert(_HuntingExpert):
    """Plays MineRLObtainBed-v0."""

    def plan(self):
        c = self.wv.count
        yield from self.start(3)
        for _ in range(6000):  # each rung costs a tick: the horizon bounds it, not a rung count
            if c("bed"):
                return
            if c("wool") < 3 and not c("wooden_sword"):
                yield from self.sword()
            elif c("wool") < 3:
                self.stage = "hunt sheep"
                yield from self.equip("wooden_sword")
                yield from self.hunter.hunt(("sheep",), lambda: c("wool") >= 3, max_ticks=1500)
            else:
                yield from self.craft_at_table("bed", extra_planks=3)
            yield self.body.act()
