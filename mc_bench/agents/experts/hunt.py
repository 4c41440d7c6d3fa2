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

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.combat import Mobs
from mc_bench.agents.experts.obtain import ObtainExpert
from mc_bench.agents.experts.treechop import TreeSkills
from mc_bench.sim.interact import raycast_mob
from mc_bench.sim.physics import look_vector
from mc_bench.sim.state import (
    COLLIDED_H,
    EKIND,
    EX,
    EY,
    EZ,
    KIND_MOB0,
    PX,
    PY,
    PZ,
    SNEAK,
    SWING,
    TICK,
)

MEATS = {"beef": "cooked_beef", "porkchop": "cooked_porkchop", "mutton": "cooked_mutton", "chicken": "cooked_chicken"}
ANIMALS = ("cow", "pig", "sheep", "chicken")
REACH = 2.9  # the engine's entity reach is 3 (plus a 0.1 pick margin)
CHARGE = 12  # ticks of swing charge: a sword (attack speed 1.6) is full after 12.5
EXPLORE_STEP = 28


class Hunter:
    """Hunting skills shared by experts; ``expert`` provides body, world view, rng and planner."""

    def __init__(self, expert):
        self.x = expert
        self.mobs = Mobs(expert.wv)
        self.skip: dict[int, int] = {}  # entity slot -> tick until which it is ignored
        self.heading = float(expert.rng.uniform(-180.0, 180.0))
        self.kills = 0

    # ------------------------------------------------------------ queries

    def kinds(self, names) -> np.ndarray:
        return np.array([self.mobs.kind[n] for n in names if n in self.mobs.kind], np.int32)

    def targets(self, kinds: np.ndarray) -> list[int]:
        """Entity slots of animals of ``kinds``, nearest first (height differences cost extra)."""
        e = self.x.sim.e
        idx = np.flatnonzero(np.isin(e.ei[:, EKIND], kinds))
        tick = self.x.sim.e.pi[TICK]
        idx = np.array([i for i in idx if self.skip.get(int(i), -1) < tick], np.int64)
        if len(idx) == 0:
            return []
        p = e.ef[idx][:, [EX, EY, EZ]] - np.asarray(self.x.wv.pos)
        d = np.hypot(p[:, 0], p[:, 2]) + 2.0 * np.abs(p[:, 1])
        return [int(i) for i in idx[np.argsort(d, kind="stable")]]

    def dist(self, i: int) -> float:
        ef = self.x.sim.e.ef
        x, _, z = self.x.wv.pos
        return math.hypot(ef[i, EX] - x, ef[i, EZ] - z)

    def would_hit(self, i: int, cam) -> bool:
        """Does the attack ray, after this tick's camera turn, reach mob ``i`` first?"""
        wv = self.x.wv
        pf, pi = wv.sim.e.pf, wv.sim.e.pi
        pitch = max(-90.0, min(90.0, wv.pitch + float(cam[0])))
        dx, dy, dz = look_vector(pitch, wv.yaw + float(cam[1]))
        eye_y = pf[PY] + (1.54 if pi[SNEAK] else 1.62)
        e, _ = raycast_mob(wv.sim.e.ef, wv.sim.e.ei, pf[PX], eye_y, pf[PZ], dx, dy, dz, REACH, 0.1)
        return e == i

    # ------------------------------------------------------------ skills

    def hunt(self, names, done, max_ticks: int = 5000):
        """Kill animals of ``names`` and collect their drops until ``done()``."""
        kinds = self.kinds(names)
        sim = self.x.sim
        t0 = int(sim.e.pi[TICK])
        while not done() and int(sim.e.pi[TICK]) - t0 < max_ticks:
            yield from self.pick_up()
            if done():
                break
            order = self.targets(kinds)
            if not order:
                self.x.stage = "hunt: explore"
                yield from self.explore()
                continue
            i = order[0]
            kind = int(sim.e.ei[i, EKIND])
            self.x.stage = f"hunt {self.x.sim.rules.mob_names[kind - KIND_MOB0]} ({self.dist(i):.0f} away)"
            if self.dist(i) > 3.5:
                ok = yield from self.approach(i, kind)
                if not ok:
                    self.skip[i] = int(sim.e.pi[TICK]) + 600
                    yield self.x.body.act()
                    continue
            died_at = yield from self.chase(i, kind)
            if died_at is not None:
                self.kills += 1
                yield from self.pick_up(died_at, radius=6.0)
        return done()

    def approach(self, i: int, kind: int, max_legs: int = 25):
        """A* legs toward mob ``i`` (replanned as it wanders) until within chasing distance."""
        wv = self.x.wv
        ef = self.x.sim.e.ef
        fails = 0
        for _ in range(max_legs):
            if not self.mobs.alive(i, kind):
                return False
            if self.dist(i) <= 3.5 and abs(ef[i, EY] - wv.pos[1]) < 1.5:
                return True
            mx, my, mz = float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ])

            def goal(c, mx=mx, my=my, mz=mz):
                return math.hypot(c[0] + 0.5 - mx, c[2] + 0.5 - mz) < 2.5 and abs(c[1] - my) < 1.5

            steps, _ = self.x.planner().search(wv.cell, goal, (mx, my, mz), 3000, 2.0)
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
        ef, pf = self.x.sim.e.ef, self.x.sim.e.pf
        best, since_best, pressed = 1e9, 0, False
        last = (float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ]))
        for _ in range(max_ticks):
            if not self.mobs.alive(i, kind):
                return last
            last = (float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ]))
            pt = self.mobs.body_point(i)
            d = self.dist(i)
            if d < best - 0.3:
                best, since_best = d, 0
            else:
                since_best += 1
            if d > 10.0 or since_best > 80 or abs(last[1] - wv.pos[1]) > 3.0:
                return None  # lost it: the caller paths again
            cam = body.turn_to_point(pt)
            err = body.aim_error(pt)
            strike = (not pressed and pf[SWING] >= CHARGE and self.would_hit(i, cam))
            pressed = strike
            near = d < 1.6
            fwd = int(err < 35.0 and not near)
            jump = int(wv.in_water or (wv.on_ground and bool(wv.sim.e.pi[COLLIDED_H]) and fwd))
            yield body.act(camera=cam, attack=int(strike), forward=fwd, jump=jump,
                           sprint=int(fwd and d > 4.0 and err < 15.0), back=int(d < 0.8))
        return None

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
        steps, reached = self.planner().search(wv.cell, good, wv.pos, 3000, 1.0)
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
