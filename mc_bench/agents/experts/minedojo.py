"""Experts for MineDojo tasks, played through the env's native dict actions
(``mc_bench.make(task, action_space="dict")``), whose keys match MineRL's but for the crafting
commands: the :class:`~mc_bench.agents.experts.control.Body` renames ``nearbyCraft`` and
``nearbySmelt`` to ``craft_with_table`` and ``smelt``.

- Combat: hunt the summoned target with the :class:`~mc_bench.agents.experts.hunt.Hunter` until it dies.
- Harvest and tech tree, for the items on the iron tech chain (logs, planks, sticks, crafting table,
  wooden and stone pickaxes, cobblestone, furnace, iron ore and ingots, iron pickaxe, diamond): climb the chain
  of :class:`~mc_bench.agents.experts.obtain.ObtainExpert` until the target is held; a tech item is
  then used (placed, or swung at a block).

Other targets have no expert yet; :func:`has_expert` says which tasks are covered.
"""

from __future__ import annotations

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.hunt import Hunter
from mc_bench.agents.experts.obtain import ObtainExpert
from mc_bench.sim.state import ST_KILL, ST_USE

__all__ = ["MineDojoCombatExpert", "MineDojoChainExpert", "minedojo_expert", "has_expert", "CHAIN"]

# What ObtainExpert holds on its way up, in order; the diamond only when asked for.
CHAIN = ("log", "planks", "stick", "crafting_table", "wooden_pickaxe", "cobblestone", "stone_pickaxe",
         "furnace", "iron_ore", "iron_ingot", "iron_pickaxe", "diamond")
FREE_HANDS = ("harvest", "techtree")


def _target(task) -> tuple[str, int]:
    if task.category == "techtree":
        return task.settings["tech_item"], 1
    (name, quantity), = task.settings["targets"].items()
    return name, quantity


def has_expert(task) -> bool:
    """Whether a scripted expert plays ``task`` (a :class:`~mc_bench.tasks.minedojo.MineDojoTask`)."""
    if task.category == "combat":
        return True
    if task.category not in FREE_HANDS:
        return False
    name, quantity = _target(task)
    return name in CHAIN and quantity == 1


class MineDojoCombatExpert(ObtainExpert):
    """Kills the task's target mob (it was summoned within a few blocks)."""

    def plan(self):
        task = self.env.unwrapped.spec_task
        name, quantity = _target(task)
        kind = self.sim.rules.mob_kind(name)
        kills = self.sim.e.stats[ST_KILL]
        self.stage = f"combat {name}"
        yield from Hunter(self).hunt([name], lambda: kills[kind] >= quantity)


class MineDojoChainExpert(ObtainExpert):
    """Climbs the iron tech chain until the target is held; tech items are then used once."""

    def plan(self):
        task = self.env.unwrapped.spec_task
        name, quantity = _target(task)
        self.diamond = name == "diamond"
        count = self.wv.count
        for action in super().plan():
            if count(name) >= quantity:
                break
            yield action
        if task.category == "techtree":
            yield from self.use(name)

    def use(self, name: str):
        """Use ``name`` once: place a block item, else swing the tool at the ground until a block breaks."""
        item = self.sim.rules.item(name)
        used = self.sim.e.stats[ST_USE]
        self.stage = f"use {name}"
        for _ in range(3):
            if used[item]:
                return
            if item < 256:
                yield from self.place_station(name)
                continue
            yield from self.equip(name)
            x, y, z = self.wv.cell
            yield from skills.break_block(self.body, (x + 1, y, z) if self.wv.is_solid(x + 1, y, z) else (x, y - 1, z))


def minedojo_expert(env, seed: int | None):
    """The expert of a MineDojo env's task; KeyError if none is written for it."""
    task = env.unwrapped.spec_task
    if not has_expert(task):
        raise KeyError(f"No scripted expert for MineDojo task {task.id!r} yet; experts cover combat tasks and "
                       f"quantity-1 harvest/tech-tree targets on the chain {', '.join(CHAIN)}.")
    cls = MineDojoCombatExpert if task.category == "combat" else MineDojoChainExpert
    return cls(env, seed)
