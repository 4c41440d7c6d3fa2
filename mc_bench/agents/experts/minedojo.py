"""Experts for MineDojo tasks, played through the env's native dict actions
(``mc_bench.make(task, action_space="dict")``), whose keys match MineRL's but for the crafting
commands: the :class:`~mc_bench.agents.experts.control.Body` renames ``nearbyCraft`` and
``nearbySmelt`` to ``craft_with_table`` and ``smelt``.

- Combat: hunt the summoned target with the :class:`~mc_bench.agents.experts.hunt.Hunter` until it dies
  (:mod:`~mc_bench.agents.experts.pursuit`: flyers intercepted under their flight goal and jumped at,
  creepers hit from beyond their fuse range, endermen stared at and struck as they come, swimmers met
  at their depth).
- Harvest and tech tree: plan the target's cheapest derivation from the inventory at hand
  (:mod:`~mc_bench.agents.experts.planner`), carry the steps out (:mod:`~mc_bench.agents.experts.steps`)
  and plan again from wherever a step failed or the player died; a tech item is then used once (placed,
  swung at a block, worn, or pressed). Reflexes between ticks: fight hostile mobs with the hunter's
  chases, eat when hungry or hurt, and wall itself into a niche to heal when badly hurt.

:func:`has_expert` says which tasks are covered: every overworld combat task, and every overworld
harvest or tech-tree task whose goal the static feasibility analysis finds reachable.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from mc_bench.agents.experts import pursuit, skills, waits
from mc_bench.agents.experts.base import Died
from mc_bench.agents.experts.census import Census
from mc_bench.agents.experts.cover import take_cover
from mc_bench.agents.experts.hunt import Hunter, _HuntingExpert
from mc_bench.agents.experts.obtain import CLOSE, DEFEND_RADIUS, ObtainExpert
from mc_bench.agents.experts.planner import (
    FURNACE,
    HAND,
    TABLE,
    NoWay,
    Planner,
    cookbook,
    fuel_items,
    usable,
)
from mc_bench.agents.experts.recover import recover, recoverable
from mc_bench.agents.experts.steps import WEAPONS, StepRunner, inventory
from mc_bench.agents.experts.treechop import TreeSkills
from mc_bench.rules import TOOL_KINDS
from mc_bench.rules.world_rules import IT_USE
from mc_bench.sim.interact import held_item
from mc_bench.sim.state import (
    EKIND,
    ETARGET,
    FOOD,
    HEALTH,
    KIND_MOB0,
    ST_KILL,
    ST_USE,
    TICK,
)
from mc_bench.tasks.feasibility import assess

__all__ = ["MineDojoCombatExpert", "MineDojoObtainExpert", "has_expert", "item_commands", "minedojo_expert"]

FREE_HANDS = ("harvest", "techtree")
EAT_BELOW = 14
HURT = 14  # health below which the expert eats to heal
PANIC_HEALTH = 8  # health below which it walls itself into a niche to heal
REGEN_FOOD = 18  # health comes back by itself only on a food bar this full
NEUTRAL = ("enderman", "wolf")  # fought once provoked (they hunt the player down then)
LEASH = 10.0  # blocks a defensive chase may lead the player from where it started
CREEPER_NEAR = 4.5  # a creeper nearer than this is fought before anything else
COVER_BLOCKS = ("cobblestone", "dirt", "stone", "planks")
INEDIBLE = ("rotten_flesh", "spider_eye", "poisonous_potato", "chicken")  # they poison or make hungry
MAX_PLANS = 200  # replans after failed steps; the step budget usually ends the episode first
STATIONS = {TABLE: "crafting_table", FURNACE: "furnace"}
COMMAND_KEYS = {"craft": HAND, "craft_with_table": TABLE, "nearbyCraft": TABLE, "smelt": FURNACE,
                "nearbySmelt": FURNACE}


def _target(task) -> tuple[str, int]:
    if task.category == "techtree":
        return task.settings["tech_item"], 1
    (name, quantity), = task.settings["targets"].items()
    return name, quantity


def has_expert(task) -> bool:
    """Whether a scripted expert plays ``task`` (a :class:`~mc_bench.tasks.minedojo.MineDojoTask`)."""
    if task.category not in ("combat",) + FREE_HANDS:
        return False
    verdict = assess(task.id)
    return verdict.dimension == "overworld" and (task.category == "combat" or verdict.reachable)


def item_commands(action_space, rules) -> dict[int, str]:
    """Item id -> the kind of item command that makes it in this action space (hand, table or furnace)."""
    out = {}
    for key, kind in COMMAND_KEYS.items():
        if key in action_space.spaces:
            for name in action_space[key].values:
                if name in rules.item_id:
                    out[rules.item_id[name]] = kind
    return out


class MineDojoCombatExpert(ObtainExpert):
    """Kills the task's target mob (it was summoned within a few blocks)."""

    def plan(self):
        task = self.env.unwrapped.spec_task
        name, quantity = _target(task)
        kind = self.sim.rules.mob_kind(name)
        kills = self.sim.e.stats[ST_KILL]
        self.stage = f"combat {name}"
        self.hunter = Hunter(self)
        self.fuse_target = self.hunter.fuses(kind)
        yield from self.hunter.hunt([name], lambda: kills[kind] >= quantity, max_ticks=10**7)

    def swelling(self, i: int) -> bool:
        """No sheltering from the creeper being hunted: the hunter keeps clear of its fuse itself."""
        return not getattr(self, "fuse_target", False) and super().swelling(i)


class MineDojoObtainExpert(_HuntingExpert):
    """Obtains the task's target by planning (harvest: its quantity; tech tree: one, then uses it)."""

    ABORT_ON_DEATH = True

    def plan(self):
        task = self.env.unwrapped.spec_task
        name, quantity = _target(task)
        R, s = self.sim.rules, task.settings
        self.trees, self.hunter = TreeSkills(self), Hunter(self)
        self.hunter.shun_deaths = True  # a drop to gather is worth no second death in the same cave
        commands = item_commands(self.env.action_space, R)
        ways = usable(cookbook(s.get("specified_biome"), tuple(s.get("initial_mobs", ()))), commands)
        self.runner = StepRunner(self, ways, commands)
        self.planner_ = Planner(ways, self.runner.price, fuel_items(), self.runner.extra_tools)
        key = (R.item(name), -1)
        want = (0 if task.category == "techtree" else self.runner.count(key)) + quantity
        while True:
            try:
                yield from self.obtain(key, want)
                if task.category == "techtree":
                    yield from self.use_item(name)
                return
            except Died:  # outside a step (exploring for a plan, fetching drops, using the item): again
                self.stage = "died: plan again"
                if self.out_of_time():
                    return

    def obtain(self, key, want: int):
        """Plan, run the steps, plan again after a failure, until ``want`` of ``key`` are held."""
        for _ in range(MAX_PLANS):
            if self.runner.count(key) >= want or self.out_of_time():
                return True
            self.runner.census = Census(self.wv)
            try:
                steps = waits.deferred(self.planner_.plan(key, want, self.held()))
            except NoWay as exc:
                self.stage = f"no plan ({exc}): explore"
                yield from self.hunter.explore()
                continue
            self.needed = {i for s in steps for i, _, _ in s.way.inputs} | {key[0]}  # never eaten
            try:
                yield from self.run_steps(steps)
            except Died:
                self.stage = "died: plan again"
            if recoverable(self):
                yield from recover(self)
            yield self.body.act()  # a plan that could do nothing still costs a tick
        return self.runner.count(key) >= want

    def run_steps(self, steps):
        """Carry out the plan's steps until one fails, or a death (the inventory changed: plan again)."""
        for k, step in enumerate(steps):
            ok = yield from self.runner.run(step)
            if recoverable(self) or not ok or self.out_of_time():
                return
            yield from self.tidy(steps, k)

    def held(self) -> Counter:
        """The inventory, plus the stations standing within reach (usable as if held)."""
        have = inventory(self.sim)
        for station in STATIONS.values():
            if self.near_station(station) is not None:
                have[(self.sim.rules.item_id[station], 0)] += 1
        return have

    def tidy(self, steps, k: int):
        """Before walking off to gather, take back a station that later steps still need."""
        if k + 1 >= len(steps) or not steps[k + 1].way.gather:
            return
        later = {STATIONS.get(self.runner.commands.get(s.way.out[0])) for s in steps[k + 1:] if not s.way.gather}
        for station in sorted(later - {None}):  # a set of names iterates in hash order: it varied run to run
            if self.near_station(station) is None:
                continue
            if not self.sim.rules.harvest[self.sim.rules.block_id[station], 0]:
                pickaxes = [t for t in ("diamond_pickaxe", "iron_pickaxe", "stone_pickaxe", "wooden_pickaxe")
                            if self.wv.count(t)]
                if not pickaxes:
                    continue  # it would drop nothing
                yield from self.equip(pickaxes[0])
            self.stage = f"take back the {station}"
            yield from self.reclaim(station)

    def place_station(self, item: str):
        """Cut the plants on the floor cells beside the feet first: the crosshair stops at tall grass, so a
        block is never placed into a cell that holds some."""
        x, y, z = self.wv.cell
        for c in ((x + 1, y, z), (x - 1, y, z), (x, y, z + 1), (x, y, z - 1)):
            if self.wv.block(*c) > 0 and self.wv.is_air_like(*c) and self.wv.is_solid(c[0], y - 1, c[2]):
                yield from skills.break_cell(self.body, c, max_ticks=40)
        return (yield from super().place_station(item))

    def equip(self, item: str):
        """Take ``item`` in hand, unless it is there already (each command costs a padded step)."""
        if int(held_item(self.sim.e.inv, self.sim.e.pi)) != self.sim.rules.item_id.get(item, -1):
            yield from super().equip(item)

    # ------------------------------------------------------------ reflexes

    def in_danger(self) -> bool:
        """Badly hurt with blocks to wall a niche in (not again within a while of the last time), and able
        to heal there: a food bar of REGEN_FOOD, or food to eat (else waiting walled in heals nothing)."""
        tick = int(self.sim.e.pi[TICK])
        i = self.mobs.nearest(self.mobs.hostile, CLOSE)
        if i is not None and self.mobs.visible(i):
            return False  # digging a niche with a monster at arm's length only gets the player killed: fight
        pf = self.sim.e.pf
        return pf[HEALTH] < PANIC_HEALTH and tick >= getattr(self, "_cover_after", 0) and \
            (pf[FOOD] >= REGEN_FOOD or self.food() is not None) and any(self.wv.count(b) >= 2 for b in COVER_BLOCKS)

    def take_cover(self):
        self._cover_after = int(self.sim.e.pi[TICK]) + 200
        block = next(b for b in COVER_BLOCKS if self.wv.count(b) >= 2)
        pick = self.runner.pickaxe() if hasattr(self, "runner") else None
        if pick:
            yield from self.equip(pick)
        if not (yield from take_cover(self, block)):
            yield self.body.act()

    def swelling(self, i: int) -> bool:
        return False  # creepers are fought like the rest (hit and run), not hidden from

    def is_creeper(self, i: int) -> bool:
        return False

    def defend(self, i: int):
        """Fight mob ``i`` with the hunter's chases (a creeper hit and run, the rest on charged swings)
        and the best weapon held, then take the tool in hand back."""
        if not hasattr(self, "hunter"):  # before the plan's first step
            return (yield from super().defend(i))
        rival = self.rival(i)
        i = i if rival is None else rival
        kind = int(self.sim.e.ei[i, EKIND])
        before = self.sim.rules.item_names[int(held_item(self.sim.e.inv, self.sim.e.pi))]
        weapon = next((n for n in WEAPONS if self.wv.count(n)), None)
        if weapon:
            yield from self.equip(weapon)
        self.stage = f"defend against {self.sim.rules.mob_names[kind - KIND_MOB0]}"
        chase = pursuit.chase_fuser if self.hunter.fuses(kind) else \
            pursuit.chase_teleporter if self.hunter._mob(kind).get("teleports") else Hunter.chase
        fight = chase(self.hunter, i, kind, max_ticks=300)
        died = yield from (fight if chase is pursuit.chase_fuser else self.watch(fight, i))
        if before and self.wv.count(before):
            yield from self.equip(before)
        return died is not None

    def threat(self) -> int | None:
        """A hostile mob near, else a neutral one the player provoked (an enderman it looked at hits for 7)."""
        i = super().threat()
        if i is not None:
            return i
        e = self.sim.e
        angry = [int(j) for j in np.flatnonzero((e.ei[:, EKIND] >= KIND_MOB0) & (e.ei[:, ETARGET] > 0))
                 if self.sim.rules.mob_names[int(e.ei[j, EKIND]) - KIND_MOB0] in NEUTRAL]
        near = [j for j in angry if math.dist(self.mobs.body_point(j), self.wv.pos) < DEFEND_RADIUS + 2.0]
        return min(near, key=lambda j: math.dist(self.mobs.body_point(j), self.wv.pos)) if near else None

    def rival(self, i: int) -> int | None:
        """A creeper near the player other than mob ``i``: one blast beside the player kills it, so it is
        fought before anything else."""
        kinds = [self.mobs.kind[n] for n in ("creeper",) if n in self.mobs.kind]
        c = self.mobs.nearest(kinds, CREEPER_NEAR)
        return None if c == i else c

    def watch(self, fight, i: int):
        """Run the fight ``fight`` (a generator) against mob ``i`` until a creeper comes near (the reflex
        fights it next, not left to blow up beside a player busy elsewhere), or until the
        chase led LEASH blocks off (a skeleton backing off draws the player deep into its cave)."""
        start = self.wv.pos
        while True:
            if math.dist(self.wv.pos, start) > LEASH:
                return None
            try:
                action = next(fight)
            except StopIteration as stop:
                return stop.value
            if self.rival(i) is not None:
                return None
            yield action

    def hungry(self) -> bool:
        """Food below EAT_BELOW, or hurt with a bar too low to heal (REGEN_FOOD), and something to eat."""
        pf = self.sim.e.pf
        return (pf[FOOD] < EAT_BELOW or pf[HEALTH] < HURT and pf[FOOD] < REGEN_FOOD) and self.food() is not None

    def food(self) -> str | None:
        """The most filling food held that the task does not ask for."""
        R = self.sim.rules
        keep = getattr(self, "needed", set()) | {R.item(_target(self.env.unwrapped.spec_task)[0])}
        held = [(float(R.food[i, 0]), int(i)) for (i, _), n in inventory(self.sim).items()
                if n > 0 and R.food[i, 0] > 0 and i not in keep and R.item_names[i] not in INEDIBLE]
        return R.item_names[max(held)[1]] if held else None

    def eat(self):
        name = self.food()
        if name is None:
            return
        self.stage = f"eat {name}"
        n = self.wv.count(name)
        yield from self.equip(name)
        for _ in range(45):  # 32 ticks of eating, held down
            if self.wv.count(name) < n:
                break
            yield self.body.act(use=1)

    # ------------------------------------------------------------ tech tree

    def use_item(self, name: str):
        """Use ``name`` once, as MineDojo's use statistic counts it: place a block, mine with a tool,
        wear armour or raise a shield, eat food, else press use at the ground."""
        R = self.sim.rules
        item = R.item(name)
        used = self.sim.e.stats[ST_USE]
        base = int(used[item])
        for attempt in range(6):
            if used[item] > base or self.out_of_time() or not self.wv.count(name):
                break
            self.stage = f"use {name}"
            if item < 256:
                yield from self.place_station(name)
            elif R.break_wear[item] > 0:
                yield from self.equip(name)
                yield from self.swing_at_ground(attempt)
            elif R.wear_slot[item] >= 0 or R.shield[item]:
                yield from self.command("equip", name)
            elif R.food[item, 0] > 0 and self.sim.e.pf[FOOD] < 20:
                yield from self.equip(name)
                for _ in range(40):
                    yield self.body.act(use=1)
            else:
                yield from self.equip(name)
                yield from self.press_at_ground(name, int(R.world.itm[item, IT_USE]) == 0)
            yield self.body.act()

    def swing_at_ground(self, attempt: int = 0):
        """Mine a block beside the feet (or under them): a tool's use; each attempt tries the next such
        block (the crosshair may meet an unbreakable one on the way to the first)."""
        x, y, z = self.wv.cell
        cells = [c for c in ((x + 1, y, z), (x - 1, y, z), (x, y, z + 1), (x, y, z - 1), (x, y - 1, z))
                 if self.wv.block(*c) > 0 and not self.wv.liquid[self.wv.block(*c)]
                 and self.wv.hardness[self.wv.block(*c)] >= 0 and self.wv.solid[self.wv.block(*c)]]
        if cells:
            yield from skills.break_block(self.body, cells[attempt % len(cells)], max_ticks=300)

    def press_at_ground(self, name: str, anywhere: bool):
        """Look at the open top of a block by the feet and press use: a hoe needs grass or dirt there (a
        dirt block is put down, or the surface sought, when none is at hand), an igniter any solid block;
        items with no right-click action count any press."""
        R = self.sim.rules
        till = R.extra.get("use", {}).get("till", {})
        soil = {R.block_id[b] for b in till.get("from", ())} if self.held_kind(till.get("tool_kind")) else None
        c = self.open_top(soil)
        if c is None and soil and self.wv.count("dirt"):
            c = yield from self.put_dirt()
        if c is None and soil:  # underground without room for a dirt block: up to the grass
            yield from self.runner.surface()
            c = self.open_top(soil)
        if c is None and soil:  # on a path, planks or sand: walk to the nearest open soil
            c = yield from self.reach_open(soil)
        if c is None and not anywhere:
            return
        c = c or (self.wv.cell[0], self.wv.cell[1] - 1, self.wv.cell[2])
        yield from self.equip(name)
        yield from skills.look_at(self.body, (c[0] + 0.5, c[1] + 1.0, c[2] + 0.5), tol=2.0)
        yield self.body.act(use=1)
        yield self.body.act()

    def held_kind(self, kind: str | None) -> bool:
        """Whether the held item is a tool of ``kind`` (``hoe``)."""
        held = int(held_item(self.sim.e.inv, self.sim.e.pi))
        return kind in TOOL_KINDS and int(self.sim.rules.tool_kind[held]) == TOOL_KINDS.index(kind)

    def open_top(self, blocks: set[int] | None):
        """A block under or beside the feet (of ``blocks``, or any solid one) with air above it."""
        x, y, z = self.wv.cell
        for dx, dz in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
            c = (x + dx, y - 1, z + dz)
            b = self.wv.block(*c)
            ok = b in blocks if blocks is not None else self.wv.is_solid(*c) and b != -1
            if ok and self.wv.is_air_like(x + dx, y, z + dz):
                return c
        return None

    def reach_open(self, blocks: set[int]):
        """Walk beside the nearest block of ``blocks`` with air above it (within 24 blocks); returns its
        cell once it is within reach, else None."""
        x, y, z = self.wv.cell
        cells = [tuple(c) for c in self.wv.find_blocks(blocks, self.wv.cell, 24, y - 6, y + 6, limit=48).tolist()]
        cells = [c for c in cells if self.wv.is_air_like(c[0], c[1] + 1, c[2])][:6]
        if not cells:
            return None
        feet = {(c[0] + dx, c[1] + 1, c[2] + dz): c for c in reversed(cells)
                for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1))}
        steps, reached = self.path_to(set(feet), cells[0], max_nodes=3000, weight=2.0)
        yield from skills.follow(self.body, steps, limit=60)
        return feet.get(self.wv.cell)

    def put_dirt(self):
        """Put a dirt block down beside the feet with air over it (mining that room out of a tunnel wall
        first if need be); returns its cell or None."""
        x, y, z = self.wv.cell
        sides = [(x + dx, y, z + dz) for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1))]
        sides.sort(key=lambda c: not (self.wv.is_air_like(*c) and self.wv.is_air_like(c[0], y + 1, c[2])))
        for c in sides:
            above = (c[0], y + 1, c[2])
            if not self.wv.is_solid(c[0], y - 1, c[2]) or self.wv.liquid[max(self.wv.block(*above), 0)]:
                continue
            if not (yield from skills.clear_cells(self.body, [above, c])):
                continue
            if (yield from skills.place_block(self.body, "dirt", c)):
                return c
        return None


def minedojo_expert(env, seed: int | None):
    """The expert of a MineDojo env's task; KeyError if none is written for it."""
    task = env.unwrapped.spec_task
    if not has_expert(task):
        raise KeyError(f"No scripted expert for MineDojo task {task.id!r}: experts cover overworld combat tasks "
                       "and overworld harvest/tech-tree tasks whose goal our rules can reach (mc-bench tasks "
                       "feasibility).")
    cls = MineDojoCombatExpert if task.category == "combat" else MineDojoObtainExpert
    return cls(env, seed)
