"""Carrying out plan steps (:mod:`mc_bench.agents.experts.planner`) in the world, and pricing them.

:class:`StepRunner` prices gathering from a :class:`~mc_bench.agents.experts.census.Census` of the
player's surroundings, and runs one step as a skill (a generator of actions that returns whether it
worked):

- mine: fell trees for logs; else tunnel to the nearest block of the right states, break it and pick
  up the drops; with none loaded, seek one (:class:`~mc_bench.agents.experts.seeking.Seeker`);
- kill: hunt the mob (a sword in hand if one is held); use: an item on a mob (shears on a sheep, a
  bucket on a cow); fill: a bucket at a water source; pour: water beside lava, then mine the obsidian
  (:mod:`~mc_bench.agents.experts.mixing`); loot: open a village chest; fish and lay:
  :mod:`~mc_bench.agents.experts.waits`; farm: till soil beside the feet, sow, ripen the crop with bone
  meal and reap it;
- craft and smelt: at a crafting table or furnace placed beside the player (from the inventory).

Gathering is priced in ticks: walking and digging to the nearest loaded target, its depth under the
ground, the mob's health against the best weapon held, travel to a far biome; a way that failed costs
more each time. Every loop is bounded by the expert's step budget, and every pass through a loop costs
a tick.
"""

from __future__ import annotations

import functools
import math
from collections import Counter

import numpy as np

from mc_bench.agents.experts import mixing, skills, waits
from mc_bench.agents.experts.base import Died
from mc_bench.agents.experts.census import generated_blocks, mob_biomes, village_blocks, village_target
from mc_bench.agents.experts.obtain import reach_cells
from mc_bench.agents.experts.planner import INF, Key, NoWay, Step, Way
from mc_bench.agents.experts.seeking import PICKAXES, Seeker
from mc_bench.agents.experts.treechop import TreeSkills
from mc_bench.agents.experts.world import Cell
from mc_bench.sim.state import IT_COUNT, IT_ID, IT_META, SLOT, ST_MINE
from mc_bench.tasks.itemgraph import rules_yaml

__all__ = ["StepRunner", "inventory"]

DEEP = 6  # blocks of ground over a target from which the expert goes armed
HAND_TICKS = 30.0
DIG_TICKS = 20.0  # per block of ground over a target (with a pickaxe: one is made first if none is held)
SEARCH_RADIUS = 32
REACH = 4.0  # blocks from the eyes a target is broken from (the engine's reach is 4.5)
WIDE_RADIUS = 60  # the loaded chunks reach about 64 blocks out
EXPLORE = 2500.0  # ticks to find a block or mob that no loaded chunk holds
HOSTILE_EXPLORE = 6000.0  # monsters roam only in the dark: caves by day
LOGS = ("log", "log2")
FISH_TICKS = 420.0
HUNT_TICKS = 2500  # a hunt that finds nothing to kill in this long fails, and the plan turns elsewhere
LAY_TICKS = 2500.0
FARM_TICKS = 150.0
RETOOL = ("iron_pickaxe", "stone_pickaxe", "wooden_pickaxe")  # made again from the inventory when one broke
WEAPONS = ("diamond_sword", "iron_sword", "stone_sword", "golden_sword", "wooden_sword", "diamond_axe", "iron_axe",
           "stone_axe")


def _crafted_from(ways: dict[int, list[Way]], item: int) -> frozenset:
    """The items ``item`` is crafted from, directly or through other crafts (a stone sword: cobblestone,
    sticks, planks, logs)."""
    seen, todo = set(), [item]
    while todo:
        for w in ways.get(todo.pop(), ()):
            for i, _, _ in w.inputs if w.verb == "craft" else ():
                if i not in seen:
                    seen.add(i)
                    todo.append(i)
    return frozenset(seen)


def inventory(sim) -> Counter:
    """(item, meta) -> count of the player's 36 slots."""
    inv = sim.e.inv
    out: Counter = Counter()
    for item, meta, count in inv[inv[:, IT_COUNT] > 0][:, [IT_ID, IT_META, IT_COUNT]].tolist():
        out[(item, meta)] += count
    return out


class StepRunner(Seeker):
    """Runs plan steps for an expert with the obtain/hunting helpers (:class:`~.hunt._HuntingExpert`).

    Args:
        x: the expert (body, world view, trees, hunter, mining and station helpers).
        ways: the planner's usable ways (to widen a mine step to every variant when any will do).
        commands: item id -> the env's command that makes it (``craft``, ``craft_with_table``, ``smelt``).
    """

    def __init__(self, x, ways: dict[int, list[Way]], commands: dict[int, str]):
        super().__init__(x)
        self.ways = ways
        self.commands = commands
        self.pickaxes = frozenset(self.R.item_id[p] for p in PICKAXES)
        self.stone_up = self.pickaxes - {self.R.item_id["wooden_pickaxe"]}
        self.swords = frozenset(self.R.item_id[n] for n in WEAPONS if n.endswith("sword"))
        self.stone_swords = self.swords - {self.R.item_id[n] for n in ("wooden_sword", "golden_sword")}
        self.sword_stuff = _crafted_from(ways, self.R.item_id["stone_sword"])  # never mined armed: a cycle
        self.failures: Counter = Counter()  # (verb, source[, meta mined]) -> gathering steps of that way that failed
        self._far_memo: dict = {}
        self.pick_life = -1  # deaths seen when a pickaxe was last held: none held now, in that life, means it broke

    # ------------------------------------------------------------ pricing

    def price(self, w: Way) -> float:
        """Ticks for one gathering action of ``w`` where the player stands (the planner's probe); a way
        that failed before costs more each time, so the plan turns to another."""
        return self._price(w) * (1.0 + 2.0 * self.failures[_failure_key(w)])

    def _price(self, w: Way) -> float:
        c = self.census
        if w.verb == "mine":
            hard = max(float(self.R.hardness[self.R.block_id[w.source]]), 0.0)
            hard *= 4.0 if w.tools else HAND_TICKS  # by hand a block takes 1.5 s a point of hardness
            s = c.nearest(w.states)
            if s is None and (self._no_village(w) or w.source not in generated_blocks()):
                return INF  # none loaded, and exploring would find none
            return self._reach(s, 30.0) + hard
        if w.verb in ("kill", "use"):
            kind = self.R.mob_kind(w.source)
            d = c.mob(kind)
            if d < INF:
                return (40.0 if w.verb == "use" else 80.0 + self._kill_ticks(w.source)) + 8.0 * d
            return (HOSTILE_EXPLORE if self._hostile(w.source) else EXPLORE) + self._far(w.source)
        if w.verb == "fill":
            return self._reach(c.nearest([s for s in w.states if s & 15 == 0]), 30.0)  # a source block
        if w.verb == "pour":  # to the nearest lava, a pour and the hardened block's mining
            hard = max(float(self.R.hardness[self.R.block_id[w.source]]), 0.0) * 4.0
            return self._reach(c.nearest(mixing.lava_sources(self.R)), 90.0) + hard
        if w.verb == "fish":  # a cast, the wait (100-600 ticks) and the bite
            return self._reach(c.nearest([s for s in w.states if s & 15 == 0]), 30.0) + FISH_TICKS
        if w.verb == "lay":  # eggs lying about are picked up; else a chicken lays one every 6000-12000 ticks
            if waits.lying(self.x, w.out[0]):
                return 100.0
            return LAY_TICKS + (0.0 if c.mob(self.R.mob_kind(w.source)) < INF else EXPLORE)
        if w.verb == "farm":  # till, sow, ripen and reap beside the feet (any grass or dirt will do)
            return FARM_TICKS
        if w.verb == "loot":  # a generated chest (its loot unopened), never sought beyond the loaded chunks
            s = c.nearest([s for s in w.states if 2 <= s & 15 <= 5])
            return INF if s is None else 4.0 * self._reach(s, 150.0)  # villages: far, and a chest is a gamble
        return INF

    def _reach(self, state: int | None, base: float) -> float:
        """Ticks to get to the census' nearest cell of ``state``: walking, digging down to it when it is
        buried, climbing when it lies above the player; exploring when none is loaded."""
        c = self.census
        if state is None:
            return EXPLORE
        climb = max(0, c.cell[state][1] - self.x.wv.cell[1] - 2)
        return base + 6.0 * c.dist[state] + DIG_TICKS * (c.depth[state] + climb)

    def _far(self, mob: str) -> float:
        """Ticks of walking to the nearest biome ``mob`` lives in (none when the player is in one)."""
        key = (id(self.census), mob)
        if key not in self._far_memo:
            far, biomes = self.mob_target(mob), mob_biomes().get(mob)
            here = (self.x.wv.cell[0], self.x.wv.cell[2])
            if far is not None:
                self._far_memo[key] = 8.0 * math.dist(far, here)
            else:  # none needed (loaded, or in its biome already), or none within reach at all
                home = not biomes or self.x.sim.gen.biome_at(*here) in biomes
                self._far_memo[key] = 0.0 if home else INF
        return self._far_memo[key]

    def _no_village(self, w: Way) -> bool:
        """``w`` mines a crop only villages grow, and no village within reach grows it (a forest world has
        none: exploring for one would never end)."""
        if w.source not in village_blocks():
            return False
        key = (id(self.census), "village", w.source)
        if key not in self._far_memo:
            here = (self.x.wv.cell[0], self.x.wv.cell[2])
            self._far_memo[key] = village_target(self.x.sim, *here, skip=self.villages, crops=sorted(w.states)) is None
        return self._far_memo[key]

    def _kill_ticks(self, mob: str) -> float:
        """Ticks of charged swings a kill takes with the best weapon held (a fist: 1 damage a swing)."""
        mobs = self.R.mobs
        held = [self.R.item_id[n] for n in WEAPONS if self.count((self.R.item_id[n], -1))]
        dmg = max([float(mobs.weapon_damage[i]) for i in held] + [1.0])
        d = _mob_rules(mob)
        hp = float(d.get("hp", 10)) + sum(d.get("hp_rand", [0, 0])) / 2.0  # rand(a+1) + rand(b+1): a/2 + b/2
        return hp / dmg * 13.0

    def _hostile(self, mob: str) -> bool:
        return _mob_rules(mob).get("category") == "monster"

    # ------------------------------------------------------------ inventory

    def name(self, item: int) -> str:
        return self.R.item_names[item]

    def hold(self, tools: tuple[frozenset, ...]):
        """Hold the best held item of the first tool group (the highest harvest level)."""
        for group in tools:
            have = [t for t in group if self.count((t, -1))]
            if have:
                best = max(have, key=lambda t: int(self.R.tool_level[t]))
                yield from self.x.equip(self.name(best))
                return True
            return False
        return True

    def dig_hand(self):
        """As the seeker's, but a pickaxe that broke on the way (a long climb, a tunnel to a cave) is made
        again from what is held first: digging on by hand takes 7.5 s a block of stone."""
        if self.pickaxe() is not None:
            self.pick_life = self.x.deaths
        elif self.pick_life == self.x.deaths:
            self.pick_life = -1  # one try per broken pickaxe
            yield from self.retool()
        yield from super().dig_hand()

    def retool(self):
        """Craft the best pickaxe the inventory (and a station at hand) makes without gathering."""
        for name in RETOOL:
            try:
                steps = self.x.planner_.plan((self.R.item_id[name], -1), 1, self.x.held())
            except NoWay:
                continue
            if not any(s.way.gather for s in steps):
                for s in steps:
                    if not (yield from self.run(s)):
                        return False
                return True
        return False

    # ------------------------------------------------------------ dispatch

    def run(self, step: Step):
        """Carry out ``step``; True once the count of its item reached the step's level."""
        key = step.key
        verb = step.way.verb
        self.x.stage = f"{verb} {self.name(step.way.out[0])} ({step.way.source or step.times}) -> {step.level}"
        fn = {"mine": self.mine, "kill": self.kill, "use": self.use_on_mob, "fill": self.fill, "loot": self.loot,
              "fish": self.fish, "lay": self.eggs, "pour": self.pour, "farm": self.farm, "craft": self.make,
              "smelt": self.make}[verb]
        try:
            ok = yield from fn(step, key)
        except Died:  # the way cost a life: it failed
            self.failed(step.way)
            raise
        if not ok:
            self.failed(step.way)
        return bool(ok)

    def failed(self, w: Way) -> None:
        """Count a failed step of ``w``: a gathering way costs more each time (see price)."""
        if w.gather:
            self.failures[_failure_key(w)] += 1

    def _done(self, step: Step, key: Key):
        out = (step.way.out[0], key[1] if key[0] == step.way.out[0] else step.way.out[1])
        return lambda: self.count(out) >= step.level

    # ------------------------------------------------------------ gathering

    def mine(self, step: Step, key: Key):
        w = step.way
        done = self._done(step, key)
        states = self._states(w, key)
        if not (yield from self.hold(w.tools)):
            return False
        if w.source in LOGS:
            if not (yield from self.surface()):
                return False
            trees = TreeSkills(self.x, (w.source,), states)
            return (yield from self._bounded(trees.gather(step.level, lambda: self.count(key)), done))
        return (yield from self.dig(states, done, self.R.block_id[w.source], w.tools))

    def extra_tools(self, w: Way) -> tuple[frozenset, ...]:
        """A pickaxe to reach a block, or a mob in a cave, under the ground (tunnelling by hand takes ages);
        a stone sword or better too for a block deep down, where caves swarm with monsters that a pickaxe or
        a wooden sword fights off too slowly."""
        own = any(g & self.pickaxes for g in w.tools)
        if w.verb == "mine":  # buried, or tried without a pickaxe before and failed
            block = self.R.block_id[w.source]
            sword = (self.stone_swords,) if self.deep(w.states, block) and not any(g & self.swords for g in w.tools) \
                and w.out[0] not in self.sword_stuff else ()
            if own:
                return sword
            buried = self.buried(w.states, block) or self.failures[_failure_key(w)] > 0
            picks = self.stone_up if sword else self.pickaxes  # deep down a wooden one tunnels 4x slower
            return (picks,) + sword if buried else ()
        if own:
            return ()
        if w.verb == "kill" and self._hostile(w.source):  # by day, monsters are about only in caves
            return self.stone_up, self.stone_swords  # deep tunnels wear out a wooden pickaxe (59 uses)
        if w.verb == "kill" and self._leaps(w.source):  # hit once, it flees in leaps no player keeps up with
            one = self._one_hit(w.source)
            return (one,) if one else ()
        return ()

    def _leaps(self, mob: str) -> bool:
        d = _mob_rules(mob)
        return d.get("move") == "hop" and d.get("category") == "creature"

    def _one_hit(self, mob: str) -> frozenset:
        """The swords that kill ``mob`` (at its most health) in one charged swing."""
        d = _mob_rules(mob)
        hp = float(d.get("hp", 10)) + sum(d.get("hp_rand", [0, 0]))
        return frozenset(s for s in self.swords if float(self.R.mobs.weapon_damage[s]) >= hp)

    def buried(self, states, block: int) -> bool:
        """The nearest such block lies under the ground (or, none loaded, it is an ore)."""
        c = self.census
        s = c.nearest(states) if c is not None else None
        return block in self.ore_floor if s is None else c.depth[s] > 2

    def deep(self, states, block: int) -> bool:
        """The nearest such block lies deep (caves), or none is loaded and it is an ore, or the player
        died before (its things are lost: whatever it goes for next, it goes armed)."""
        c = self.census
        s = c.nearest(states) if c is not None else None
        if self.x.deaths > 0:
            return True
        return block in self.ore_floor if s is None else c.depth[s] > DEEP

    def _states(self, w: Way, key: Key) -> frozenset:
        """Any variant will do: every state of the block that drops the item."""
        if key[1] >= 0:
            return w.states
        return frozenset().union(*(v.states for v in self.ways.get(w.out[0], ()) if v.verb == "mine"
                                   and v.source == w.source))

    def _bounded(self, gen, done):
        """Run a skill until ``done()``, the step budget is spent or the player died (and lost its things)."""
        deaths = self.x.deaths
        for action in gen:
            if done() or self.x.out_of_time() or self.x.deaths > deaths:
                break
            yield action
        return done()

    def dig(self, states: frozenset, done, block: int, tools: tuple[frozenset, ...]):
        """Reach the nearest cell of ``states`` (tunnelling), break it, pick up; seek more when none is near."""
        ids = np.array(sorted(states))
        given_up: set[Cell] = set()
        deaths, dig = self.x.deaths, self.can_dig()
        history: list = []
        self.spare = tools[0] if tools and tools[0] & self.pickaxes else frozenset()
        for _ in range(200):
            if done() or self.x.out_of_time() or self.x.deaths > deaths or dig and not self.can_dig() \
                    or not self.holds(tools):
                break  # dead, or a pickaxe is gone (worn out, or lost with the rest): plan again
            self.x.stage = f"dig {self.R.block_names[block]}"
            mined = int(self.x.sim.e.stats[ST_MINE].sum())  # leaves broken for apples mostly drop nothing
            history = (history + [(self.x.wv.cell, int(self.x.sim.e.inv[:, IT_COUNT].sum()), mined)])[-6:]
            if len(history) == 6 and len(set(history)) == 1:  # six tries on the spot, nothing broken: stuck
                self.x.stage += " (unstick)"
                yield from self.x.dry_spot()
                yield from self.x.hunter.jiggle()
                history.clear()
            found = self.nearest_cells(ids, given_up)
            if not dig:  # no pickaxe: only what lies open (tunnelling by hand takes ages)
                open_cells = [c for c in found if self.under_sky(c)]
                if found and not open_cells:
                    return False  # the plan is made again, with a pickaxe this time
                found = open_cells
            if not found and self.R.block_names[block] not in generated_blocks():
                break  # made only where lava met water, none left in sight: exploring finds no more
            if not found:
                yield from self.seek(ids, block)
            elif not (yield from self.reach_and_break(found, tools)):
                given_up.add(found[0])
            yield self.x.body.act()
        self.spare = frozenset()
        return done()

    def under_sky(self, c: Cell) -> bool:
        """Nothing solid between cell ``c`` and the terrain's top (a lake's bank lies below that top too)."""
        top = self.x.sim.gen.height_at(c[0], c[2]) + 2
        return not any(self.x.wv.is_solid(c[0], y, c[2]) for y in range(c[1] + 1, top + 1))

    def holds(self, tools: tuple[frozenset, ...]) -> bool:
        """Whether an item of every tool group is held."""
        return all(any(self.count((t, -1)) for t in group) for group in tools)

    def nearest_cells(self, ids: np.ndarray, skip: set, n: int = 6) -> list[Cell]:
        """The nearest cells of states ``ids``, within SEARCH_RADIUS or else anywhere loaded; those under
        water last (reaching them means swimming, and digging there floods the pit)."""
        here, wv = self.x.wv.cell, self.x.wv
        for radius in (SEARCH_RADIUS, WIDE_RADIUS):
            cells = wv.find_blocks(ids, here, radius, here[1] - 40, here[1] + 40, limit=64, states=True)
            found = [c for c in map(tuple, cells.tolist()) if c not in skip]
            if found:
                wet = [c for c in found if wv.liquid[max(wv.block(c[0], c[1] + 1, c[2]), 0)]]
                return ([c for c in found if c not in wet] + wet)[:n]
        return []

    def reach_and_break(self, blocks: list[Cell], tools: tuple[frozenset, ...] = ()):
        """ObtainExpert.dig_to for any block, plants (which the body walks through) included: a pickaxe
        in hand on the way (tunnels are priced by the held item), the step's tool for the block."""
        x = self.x
        yield from self.dig_hand()
        goals = {c: b for b in blocks for c in self.reach_ring(b)}
        steps, reached = x.path_to(set(goals), blocks[0], max_nodes=2500, weight=4.0, avoid_water_digging=True,
                                   avoid_ledges=True)
        ok = yield from skills.follow(x.body, steps, place_item=self.filler(), sprint=False, limit=40)
        if not (ok and reached and x.wv.cell in goals):
            return ok and bool(steps)  # partial progress: replan from the new spot
        target = goals[x.wv.cell]
        yield from self.hold(tools)
        ok = yield from skills.break_cell(x.body, target)
        yield from skills.idle(x.body, 3)
        yield from x.trees.pick_up(radius=4.0)
        return ok

    def reach_ring(self, b: Cell) -> set[Cell]:
        """Feet cells from which block ``b`` is broken: beside it (as ObtainExpert reaches ore), or up to
        two columns off and three below with nothing solid between the eyes and it (leaves, a high vine)."""
        out = set(reach_cells(b))
        x, y, z = b
        for dx in range(-2, 3):
            for dz in range(-2, 3):
                for dy in range(-4, 1):
                    c = (x + dx, y + dy, z + dz)
                    eye = (c[0] + 0.5, c[1] + 1.62, c[2] + 0.5)
                    if c not in out and math.dist(eye, skills.centre(b)) < REACH and self._clear(eye, b):
                        out.add(c)
        return out

    def _clear(self, eye, b: Cell, point=None, wet: bool = False) -> bool:
        """No solid block on the straight line from ``eye`` to ``point`` in ``b`` (its middle by default);
        ``wet``: no liquid either, a corner clipped included (a bucket's ray stops at the first liquid)."""
        wv, (tx, ty, tz) = self.x.wv, point or skills.centre(b)
        n = int(math.dist(eye, (tx, ty, tz)) * (12 if wet else 3)) + 1
        for k in range(1, n):
            f = k / n
            c = (math.floor(eye[0] + (tx - eye[0]) * f), math.floor(eye[1] + (ty - eye[1]) * f),
                 math.floor(eye[2] + (tz - eye[2]) * f))
            if c != b and (wv.is_solid(*c) or wet and wv.liquid[max(wv.block(*c), 0)]):
                return False
        return True

    def kill(self, step: Step, key: Key):
        h = self.x.hunter
        if not self._hostile(step.way.source):
            yield from self._up_to_animals(step.way.source)
        h.weapon = next((n for n in WEAPONS if self.count((self.R.item_id[n], -1))), None)
        h.dig_item = self.pickaxe()
        h.toward = self.mob_target(step.way.source)
        done = self._done(step, key)
        budget = min(HUNT_TICKS, max(0, (self.x.budget or 10**6) - self.x.steps))
        deaths = self.x.deaths
        yield from h.hunt([step.way.source], lambda: done() or self.x.out_of_time() or self.x.deaths > deaths,
                          max_ticks=budget)
        h.weapon = h.dig_item = h.toward = None
        return done()

    def use_on_mob(self, step: Step, key: Key):
        w = step.way
        item = min(w.tools[0]) if w.tools else w.inputs[0][0]
        held = [t for t in (w.tools[0] if w.tools else [item]) if self.count((t, -1))]
        if not held:
            return False
        yield from self._up_to_animals(w.source)
        yield from self.x.equip(self.name(held[0]))
        done = self._done(step, key)
        self.x.hunter.toward = self.mob_target(w.source)
        ok = yield from self.x.hunter.interact(w.source, done)
        self.x.hunter.toward = None
        return ok

    def fill(self, step: Step, key: Key):
        """A bucket at the nearest liquid source of the step's states."""
        w = step.way
        if not (yield from self._equip_input(w)):
            return False
        sources = np.array(sorted(s for s in w.states if s & 15 == 0))
        return (yield from self._press_at(sources, self._done(step, key), tries=6))

    def fish(self, step: Step, key: Key):
        if not (yield from self.hold(step.way.tools)):
            return False
        return (yield from waits.fish(self, step.way, self._done(step, key)))

    def _up_to_animals(self, mob: str):
        """None of ``mob`` in sight: climb out, as animals roam the surface, not tunnels."""
        if self.census.mob(self.R.mob_kind(mob)) >= INF:
            yield from self.surface()

    def pour(self, step: Step, key: Key):
        return (yield from mixing.harden(self, step, key))

    def eggs(self, step: Step, key: Key):
        return (yield from waits.eggs(self, step.way, self._done(step, key)))

    def farm(self, step: Step, key: Key):
        """Till a grass or dirt cell beside the feet, sow the seed, press bone meal on the crop until it is
        ripe, reap it and pick up the harvest; on the surface (the soil must see the sky to be found)."""
        w, x = step.way, self.x
        (seed, _, _), (meal, _, _) = w.inputs
        done = self._done(step, key)
        if not (yield from self.surface()):
            return False
        for _ in range(step.level + 2):
            if done() or x.out_of_time() or not (self.count((seed, -1)) and self.count((meal, -1))):
                break
            field = self._field(x.wv.cell)
            if field is None:
                yield from self._to_field()
                continue
            yield from self._grow(field, w)
        return done()

    def _to_field(self):
        """Walk to where a soil cell lies beside the feet (off a bush's leaves, out of a pit)."""
        yield from self.x.walk_to_where(lambda c: self._field(c) is not None)

    @functools.cached_property
    def _soil(self) -> frozenset:
        """Blocks the hoe tills (``use.till``)."""
        return frozenset(self.R.block_id[b] for b in self.R.extra["use"]["till"]["from"])

    def _field(self, feet: Cell) -> Cell | None:
        """A soil cell the hoe tills beside ``feet``, level with the ground, open above (called for every cell
        of :meth:`_to_field`'s search)."""
        wv, (fx, fy, fz), soil = self.x.wv, feet, self._soil
        for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            c = (fx + dx, fy - 1, fz + dz)
            if wv.block(*c) in soil and wv.is_air_like(c[0], fy, c[2]) and wv.is_air_like(c[0], fy + 1, c[2]):
                return c
        return None

    def _grow(self, soil: Cell, w: Way):
        """Till ``soil``, sow on it, ripen the crop with bone meal and reap it (each press a fresh one)."""
        x, crop = self.x, (soil[0], soil[1] + 1, soil[2])
        top = (soil[0] + 0.5, soil[1] + 0.95, soil[2] + 0.5)
        (seed, _, _), (meal, meta, _) = w.inputs
        for c in (x.wv.cell, crop):  # the crosshair stops at tall grass, on the soil or at the feet
            if x.wv.block(*c) > 0:
                yield from skills.break_cell(x.body, c, max_ticks=40)
        yield from self.hold(w.tools)
        farmland = self.R.block_id[self.R.extra["crops"]["soil"]]
        if not (yield from self._use_at(top, lambda: x.wv.block(*soil) == farmland)):
            return False
        yield from x.equip(self.name(seed))
        if not (yield from self._use_at(top, lambda: x.wv.block(*crop) == self.R.block_id[w.source])):
            return False
        if not (yield from self._hold_variant(meal, meta)):
            return False
        yield from self._use_at(skills.centre(crop), lambda: x.wv.state(*crop) in w.states or not self.count((meal, -1)),
                                tries=12)
        if x.wv.state(*crop) not in w.states:
            return False
        yield from skills.break_cell(x.body, crop, max_ticks=40)
        yield from skills.idle(x.body, 3)
        yield from x.trees.pick_up(radius=4.0)
        return True

    def _hold_variant(self, item: int, meta: int, tries: int = 16):
        """Hold ``item`` of variant ``meta`` (bone meal, not another dye): the dict action's equip takes the
        item's first stack, so stacks of other variants that come first are thrown down, one item a press
        (picked up again after). A craft of "dye" can make one (light blue from a blue orchid)."""
        e = self.x.sim.e
        for _ in range(tries):
            yield from self.x.equip(self.name(item))
            row = e.inv[int(e.pi[SLOT])]
            if row[IT_ID] != item or row[IT_COUNT] <= 0:
                return False
            if row[IT_META] == meta:
                return True
            yield from self.x.command("drop", 1)
        return False

    def _use_at(self, point, done, tries: int = 6, tol: float = 2.0):
        """Look at ``point`` and press use (released between presses) until ``done()``."""
        body = self.x.body
        yield from skills.look_at(body, point, tol=tol)
        for _ in range(tries):
            if done():
                return True
            yield body.act(camera=body.turn_to_point(point), use=1)
            yield body.act()
        return done()

    def loot(self, step: Step, key: Key):
        sources = np.array(sorted(s for s in step.way.states if 2 <= s & 15 <= 5))
        return (yield from self._press_at(sources, self._done(step, key), tries=4))

    def _equip_input(self, w: Way):
        item = w.inputs[0][0] if w.inputs else min(w.tools[0])
        if not self.count((item, -1)):
            return False
        yield from self.x.equip(self.name(item))
        return True

    def _press_at(self, states: np.ndarray, done, tries: int):
        """Walk beside the nearest cell of ``states``, look at it and press use."""
        x = self.x
        for _ in range(tries):
            if done() or x.out_of_time():
                break
            here = x.wv.cell
            cells = [tuple(c) for c in x.wv.find_blocks(states, here, SEARCH_RADIUS, here[1] - 24, here[1] + 24,
                                                         limit=6, states=True).tolist()]
            if not cells:
                yield from x.hunter.explore()
                continue
            goals = {c: b for b in cells for c in reach_cells(b) if c[1] >= b[1]}
            steps, reached = x.path_to(set(goals), cells[0], max_nodes=4000, weight=2.0)
            ok = yield from skills.follow(x.body, steps, sprint=True, limit=60)
            if ok and x.wv.cell in goals:
                yield from self._use_at(skills.centre(goals[x.wv.cell]), lambda: False, tries=3, tol=4.0)
            yield x.body.act()
        return done()

    # ------------------------------------------------------------ crafting

    def make(self, step: Step, key: Key):
        """``times`` crafts or smelts, at a station placed beside the player when the command needs one."""
        w = step.way
        name = self.name(w.out[0])
        cmd = self.commands[w.out[0]]
        station = {"craft_with_table": "crafting_table", "smelt": "furnace"}.get(cmd)
        if station and not (yield from self.station(station)):
            return False
        out = (w.out[0], -1)
        for _ in range(step.times):
            before = self.count(out)
            cell = self.x.near_station(station) if station else None
            if station and cell is None:
                return False  # the station is gone (a creeper, a fall): plan again
            if cell is not None:
                yield from skills.look_at(self.x.body, skills.centre(cell), tol=3.0)
            yield from self.x.command(cmd, name)
            if self.count(out) <= before:
                return False
        return True

    def station(self, name: str):
        """A station within reach: one placed this episode nearby, else one from the inventory."""
        x = self.x
        if x.near_station(name) is not None:
            return True
        if not self.count((self.R.item_id[name], -1)):
            return False
        for _ in range(2):
            if (yield from x.place_station(name)) is not None:
                return True
            yield from x.dry_spot()
        return x.near_station(name) is not None


def _failure_key(w: Way) -> tuple:
    """Whose failures make ``w`` dearer: (verb, source), and for mining also the variant mined, so failing
    to find oak logs leaves the other logs' price alone."""
    return (w.verb, w.source, w.out[1]) if w.verb == "mine" else (w.verb, w.source)


def _mob_rules(mob: str) -> dict:
    """A mob's entry in mobs.yaml (hp, category, how it moves)."""
    return rules_yaml("mobs.yaml")["mobs"][mob]
