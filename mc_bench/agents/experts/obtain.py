"""Obtain experts: climb the tech tree (logs -> planks -> table -> wooden pickaxe -> cobblestone ->
stone pickaxe + furnace -> iron ore -> ingots -> iron pickaxe -> diamond).

Privileged knowledge: where ores are. The expert goes down by a straight 1x1 shaft (the cheapest
way through the ground; it steps aside by a short staircase where lava, water or a cave lies under
it) until ore is near, then tunnels toward the nearest known ore with the same A* as walking (dig
moves priced by the held tool), never opening a cell next to lava or water. The crafting table is
mined back and carried down, so five logs are enough wood.
Stations are placed next to the player and looked at before ``nearbyCraft``/``nearbySmelt``.
"""

from __future__ import annotations

import math
from collections import Counter

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.base import Died, Expert
from mc_bench.agents.experts.combat import Mobs, fight
from mc_bench.agents.experts.pathing import DIRS4
from mc_bench.agents.experts.treechop import TreeSkills
from mc_bench.agents.experts.world import Cell
from mc_bench.sim.state import EFUSE, EKIND, HEALTH, TICK

LOGS = 5  # 20 planks: a table (4, carried along), a wooden pickaxe (3), 8 sticks (4), fuel (3),
# a spare table: no tree grows underground
RECLAIM_AFTER = ("wooden_pickaxe", "stone_pickaxe")  # the table is needed again further down
IRON = 3
IRON_NEAR = 6  # stop the shaft once iron ore lies within this many blocks (a short tunnel)
IRON_FLOOR = 16  # ... or at this height (iron is spread evenly over y 0-63)
DIAMOND_Y = 12  # diamonds lie at y 0-15; cave lava fills everything below y 10
ORE_RADIUS = 32
DEFEND_RADIUS = 4.0
CLOSE = 2.6  # a mob this near hits the player
RANGED_RADIUS = 10.0  # a skeleton in sight this near is fought, not left to shoot
STALLS = 3  # fights in a row that neither end a close mob nor cost health: it cannot reach the player either


def reach_cells(b: Cell) -> set[Cell]:
    """Feet cells from which block ``b`` is next to the body: beside (feet or head high),
    straight below the feet, or right above the head."""
    x, y, z = b
    out = {(x, y + 1, z), (x, y - 2, z)}
    for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        out.add((x + dx, y, z + dz))
        out.add((x + dx, y - 1, z + dz))
    return out


class ObtainExpert(Expert):
    """Plays MineRLObtainIronPickaxe(-Dense)-v0, or MineRLObtainDiamond(-Dense)-v0 with ``diamond``."""

    diamond = False

    def plan(self):
        self.trees = TreeSkills(self)
        c = self.wv.count
        self.stage = "logs"  # all the wood up front: coming back up from a tunnel for a plank is dear
        yield from self.trees.gather(LOGS, lambda: c("log"))
        for _ in range(200):  # each rung re-checks the inventory, so a failed step is simply retried
            if c("iron_pickaxe"):
                if not self.diamond or c("diamond"):
                    return
                self.stage = "diamond"
                yield from self.equip("iron_pickaxe")
                yield from self.descend(lambda: self.wv.cell[1] <= DIAMOND_Y, DIAMOND_Y)
                yield from self.mine({"diamond_ore"}, lambda: c("diamond"), 1, ylo=1, yhi=16)
            elif c("iron_ingot") >= IRON:
                yield from self.tool("iron_pickaxe", {"iron_ingot": 3})
            elif c("iron_ore") + c("iron_ingot") >= IRON and (c("furnace") or c("cobblestone") >= 8):
                yield from self.smelt_iron()
            elif c("stone_pickaxe") and c("iron_ore") + c("iron_ingot") >= IRON:
                self.stage = "stone for the furnace"  # the iron is in, the furnace's stone is not
                yield from self.mine({"stone"}, lambda: c("cobblestone"), 8)
            elif c("stone_pickaxe"):
                self.stage = "iron"
                yield from self.equip("stone_pickaxe")
                yield from self.descend(lambda: self.ore_near("iron_ore", IRON_NEAR), IRON_FLOOR)
                yield from self.mine({"iron_ore"}, lambda: c("iron_ore") + c("iron_ingot"), IRON)
            elif c("cobblestone") >= 3:
                yield from self.tool("stone_pickaxe", {"cobblestone": 3})
            elif c("wooden_pickaxe"):
                self.stage = "stone"
                yield from self.equip("wooden_pickaxe")
                yield from self.descend(lambda: c("cobblestone") >= 3, 6)
                yield from self.mine({"stone"}, lambda: c("cobblestone"), 3)
            else:
                yield from self.tool("wooden_pickaxe", {"planks": 3})
            yield self.body.act()  # a rung that could do nothing still costs a tick

    def tool(self, name: str, needs: dict[str, int]):
        """Craft a tool at a table: sticks, the material (planks are made from logs), a table."""
        self.stage = name
        ok = yield from self.sticks(2)
        for item, n in needs.items():
            if item == "planks":
                ok = ok and (yield from self.planks(n + 4 * (self.wv.count("crafting_table") == 0)))
        if not ok or not (yield from self.have_table()):
            return False
        ok = yield from self.at_station("crafting_table", "nearbyCraft", [name])
        if ok and name in RECLAIM_AFTER:
            yield from self.reclaim("crafting_table")
        return ok

    def reclaim(self, station: str):
        """Mine a station back and pick it up: the shaft leaves it behind, and a new one costs wood."""
        cell = self.near_station(station)
        if cell is not None and (yield from skills.break_block(self.body, cell, max_ticks=200)):
            yield from skills.idle(self.body, 2)
            yield from self.trees.pick_up(radius=3.0)

    def smelt_iron(self):
        """Furnace (crafted if needed), fuel (a plank per ingot, coal if any), smelt, keep the rest."""
        self.stage = "smelt"
        c = self.wv.count
        if not c("furnace"):
            if not (yield from self.have_table()):
                return False
            yield from self.at_station("crafting_table", "nearbyCraft", ["furnace"])
        if c("coal") == 0 and not (yield from self.planks(IRON)):
            return False
        return (yield from self.at_station("furnace", "nearbySmelt", ["iron_ingot"] * c("iron_ore")))

    def planks(self, n: int):
        while self.wv.count("planks") < n:
            if self.wv.count("log") == 0:
                self.stage = "logs"
                yield from self.trees.gather(max(2, (n - self.wv.count("planks") + 3) // 4 + 1),
                                             lambda: self.wv.count("log"))
            yield from self.command("craft", "planks")
        return True

    def sticks(self, n: int):
        while self.wv.count("stick") < n:
            yield from self.planks(2)
            yield from self.command("craft", "stick")
        return True

    def have_table(self):
        if self.near_station("crafting_table") is not None:
            return True
        if self.wv.count("crafting_table") == 0:
            yield from self.planks(4)
            yield from self.command("craft", "crafting_table")
        return self.wv.count("crafting_table") > 0

    def equip(self, item: str):
        if self.wv.count(item):
            yield from self.command("equip", item)

    # ------------------------------------------------------------ crafting

    def command(self, key: str, value: str):
        """One item command, then a quiet tick so the inventory shows the result."""
        yield self.body.act(**{key: value})
        yield self.body.act()

    def at_station(self, station: str, key: str, outputs: list[str]):
        """Place ``station`` beside the player, look at it and run the ``key`` commands."""
        cell = self.near_station(station)
        if cell is None:
            cell = yield from self.place_station(station)
        if cell is None:
            return False
        yield from skills.look_at(self.body, skills.centre(cell), tol=3.0)
        for out in outputs:
            yield from self.command(key, out)
        return True

    def near_station(self, block: str) -> Cell | None:
        """A station this episode placed, still standing, within 4 blocks (reuse beats a new one)."""
        bid = self.sim.rules.block(block)
        ex, ey, ez = self.wv.eye
        for (x, y, z), b in self.sim.placed.items():
            if b == bid and self.wv.block(x, y, z) == bid and (x + .5 - ex) ** 2 + (y + .5 - ey) ** 2 + (z + .5 - ez) ** 2 < 16:
                return (x, y, z)
        return None

    def place_station(self, item: str):
        """Put ``item`` on a free floor cell next to the player; returns the cell or None."""
        if self.wv.count(item) == 0:
            return None
        x, y, z = self.wv.cell
        sides = [(x + dx, y, z + dz) for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1))]
        floor = [c for c in sides if self.wv.is_solid(c[0], y - 1, c[2]) and self.wv.block(*c) != -1]
        # Free cells first; in a tunnel, mine a niche in the wall and put the station there.
        for c in sorted(floor, key=lambda c: not self.wv.is_air_like(*c)):
            if not self.wv.is_air_like(*c):
                b = self.wv.block(*c)
                if self.wv.liquid[b] or self.wv.hardness[b] < 0:
                    continue
                if not (yield from skills.break_block(self.body, c, max_ticks=200)):
                    continue
            ok = yield from skills.place_block(self.body, item, c)
            if ok:
                return c
        return None

    # ------------------------------------------------------------ mining

    def mine(self, names: set[str], count, want: int, ylo: int | None = None, yhi: int | None = None):
        """Tunnel to the nearest block of ``names`` and mine it until ``count()`` reaches ``want``."""
        ids = {self.sim.rules.block(n) for n in names}
        given_up: set[Cell] = set()
        tries = 0
        while count() < want and tries < 60:
            tries += 1
            here = self.wv.cell
            lo = max(0, here[1] - 40) if ylo is None else ylo
            hi = min(255, here[1] + 8) if yhi is None else yhi
            found = [tuple(c) for c in self.wv.find_blocks(ids, here, ORE_RADIUS, lo, hi, limit=64).tolist()]
            found = [c for c in found if c not in given_up][:6]
            if not found:
                yield from self.trees.explore()
                continue
            self.stage = f"mine {'/'.join(sorted(names))} ({count()}/{want})"
            ok = yield from self.dig_to(found)
            if not ok:
                given_up.add(found[0])
                yield self.body.act()  # every attempt costs a tick, so a dead end cannot spin
        return count() >= want

    def ore_near(self, name: str, radius: int) -> bool:
        """Is a block of ``name`` within ``radius`` of the feet (a short tunnel away)?"""
        here = self.wv.cell
        ids = {self.sim.rules.block(name)}
        return len(self.wv.find_blocks(ids, here, radius, max(0, here[1] - radius), here[1] + radius, limit=1)) > 0

    def descend(self, until, floor_y: int):
        """Go down to ``until()`` (or height ``floor_y``): a straight 1x1 shaft, which is the
        cheapest way through the ground, moved over a little wherever the next block is unsafe."""
        done = lambda: until() or self.wv.cell[1] <= floor_y
        for _ in range(12):
            if done():
                break
            if (yield from self.shaft(done)):
                break
            if not (yield from self.sidestep()):
                return False
        return until()

    def shaft(self, done):
        """Mine the block underfoot and drop into its cell until ``done()``; False at a hazard."""
        wv, body = self.wv, self.body
        x, y, z = wv.cell
        yield from skills.walk_to(body, (x, y, z), centre_on=True, max_ticks=30)
        while not done():
            x, y, z = wv.cell
            if not self.safe_drop(x, y, z):
                return False
            if not (yield from skills.break_block(body, (x, y - 1, z), max_ticks=200)):
                return False
            for _ in range(30):  # fall in, nudging toward the middle if the body still rests on an edge
                if wv.cell[1] < y and wv.on_ground:
                    break
                yield body.act(camera=body.turn(90.0, wv.yaw), **skills.nudge(wv, x, z))
            if wv.cell[1] >= y:
                return False
        return True

    def safe_drop(self, x: int, y: int, z: int) -> bool:
        """May the block under feet cell (x, y, z) be mined and stepped down into? Not next to
        lava, water or a cave, not unbreakable, and solid ground (not lava, not a cave) below it."""
        p = self.planner(avoid_water_digging=True)
        if p.clear_cost(x, y - 1, z) == float("inf") or p.near_hazard(x, y - 2, z):
            return False
        if any(p.passable(x + dx, y - 1, z + dz) for dx, dz in DIRS4):
            return False  # it would open the shaft into a cave, where mobs wait in the dark
        below = self.wv.block(x, y - 2, z)
        return below != -1 and bool(self.wv.solid[below]) and below not in self.wv.lava

    def sidestep(self):
        """Tunnel a staircase a few blocks aside and down, away from a hazard under the shaft."""
        x, y, z = self.wv.cell
        goals = {(x + dx, y - dy, z + dz) for dx in range(-5, 6) for dz in range(-5, 6) for dy in (1, 2, 3)
                 if abs(dx) + abs(dz) >= 2}
        steps, reached = self.path_to(goals, (x + 3, y - 3, z), max_nodes=1500, weight=2.0,
                                      avoid_water_digging=True, avoid_ledges=True)
        if not reached:  # nothing safe below: cross to fresh ground on this level instead
            yield from self.trees.explore()
            return True
        return (yield from skills.follow(self.body, steps, place_item="cobblestone", sprint=False))

    def dig_to(self, blocks: list[Cell]):
        """Reach one of ``blocks`` (tunnelling), mine it and pick up what it drops."""
        goals = {c: b for b in blocks for c in reach_cells(b)}
        steps, reached = self.path_to(set(goals), blocks[0], max_nodes=4000, weight=4.0, avoid_water_digging=True,
                                      avoid_ledges=True)
        ok = yield from skills.follow(self.body, steps, place_item="cobblestone", sprint=False, limit=40)
        if not (ok and reached and self.wv.cell in goals):
            return ok and bool(steps)  # partial progress is fine: replan from the new spot
        target = goals[self.wv.cell] if self.wv.cell in goals else blocks[0]
        ok = yield from skills.break_block(self.body, target, max_ticks=300)
        yield from self.trees.pick_up(radius=4.0)
        return ok

    # ------------------------------------------------------------ reflexes

    def _run(self):
        """The plan, interrupted by fights whenever a hostile mob comes close (or a skeleton aims from
        further); a mob a fight could not finish is left alone for a while."""
        self.mobs = Mobs(self.wv)
        plan = self.plan()
        ignore: dict[int, int] = {}  # entity slot -> tick until which it is not fought
        stalls: Counter = Counter()  # entity slot -> fights in a row that neither finished it nor cost health
        last, deaths = -1, self.deaths
        while True:
            tick = int(self.sim.e.pi[TICK])
            if tick == last:  # the last reflex ended without acting (a fight over at once): let time pass
                yield self.body.act()
                continue
            last = tick
            if self.in_danger():
                yield from self.take_cover()
                continue
            i = self.threat()
            if i is None:
                i = self.mobs.nearest(self.mobs.ranged, RANGED_RADIUS)
            if i is not None and self.swelling(i):
                yield from self.shelter(i)
                continue
            if i is not None and (ignore.get(i, -1) < tick or self.close(i) and stalls[i] < STALLS) \
                    and self.mobs.visible(i) and not self.is_creeper(i):
                health = float(self.sim.e.pf[HEALTH])
                if not (yield from self.defend(i)):
                    ignore[i] = tick + 300
                    stalls[i] = 0 if self.sim.e.pf[HEALTH] < health else stalls[i] + 1
                continue
            if tick % 50 == 0 and self.hungry():
                yield from self.eat()
                continue
            died, deaths = self.ABORT_ON_DEATH and self.deaths > deaths, self.deaths
            try:
                yield plan.throw(Died()) if died else next(plan)
            except StopIteration:
                break
        while True:
            yield self.body.act()

    def threat(self) -> int | None:
        """The mob to fight off now, if any (the nearest hostile one within DEFEND_RADIUS)."""
        return self.mobs.nearest(self.mobs.hostile, DEFEND_RADIUS)

    def close(self, i: int) -> bool:
        """Mob ``i`` is near enough to hit the player: never left alone then, however the last fight went."""
        return math.dist(self.mobs.body_point(i), self.wv.pos) < CLOSE

    def in_danger(self) -> bool:
        """Whether to stop everything and take cover (never, unless an expert says so)."""
        return False

    def take_cover(self):
        yield self.body.act()

    def defend(self, i: int):
        """Fight off hostile mob ``i``; True if it is gone."""
        return (yield from fight(self.body, self.mobs, i, max_ticks=200))

    def hungry(self) -> bool:
        """Whether to stop and eat (never, unless an expert says so)."""
        return False

    def eat(self):
        yield self.body.act()

    def shelter(self, i: int):
        """A creeper swells only while it sees the player and blows up ~30 ticks later: wall it
        off with a block beside the head (and feet); where that fails, back away from it."""
        body, wv = self.body, self.wv
        x, y, z = wv.cell
        mx, _, mz = self.mobs.body_point(i)
        dx, dz = mx - x - 0.5, mz - z - 0.5
        sx, sz = (int(math.copysign(1, dx)), 0) if abs(dx) >= abs(dz) else (0, int(math.copysign(1, dz)))
        item = "cobblestone" if wv.count("cobblestone") else "dirt"
        for c in ((x + sx, y + 1, z + sz), (x + sx, y, z + sz)):
            if wv.is_air_like(*c) and wv.count(item) and self.mobs.visible(i):
                yield from skills.place_block(body, item, c, max_ticks=12)
        for _ in range(20):
            if not self.swelling(i):
                break
            yield body.act(camera=body.turn_to_point(self.mobs.body_point(i)), back=1)

    def is_creeper(self, i: int) -> bool:
        return int(self.sim.e.ei[i, EKIND]) == self.mobs.kind.get("creeper")

    def swelling(self, i: int) -> bool:
        """A creeper that sees the player or has its fuse lit (privileged: the fuse counter)."""
        return self.is_creeper(i) and (self.mobs.visible(i) or int(self.sim.e.ei[i, EFUSE]) > 0)


class ObtainDiamondExpert(ObtainExpert):
    """Plays MineRLObtainDiamond(-Dense)-v0: the iron pickaxe plan, then a diamond."""

    diamond = True
