"""Reward terms, termination conditions and world decorators named in task YAML.

Each is built from its YAML entry and the rules, reads simulator state after a tick, and never
changes the engine's rules. Semantics follow MineRL 0.4.4's Java handlers (reference §1.5).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim.physics import touching_block
from mc_bench.sim.state import DEAD, PX, PY, PZ, SPAWNX, SPAWNZ, ST_CRAFT, TICK
from mc_bench.sim.world import MASK, set_state

# MineRL counts log2 as log when the item list names plain log ("clobber_logs").
_ALIASES = {"log": ("log", "log2")}


def item_ids(rules, name: str) -> tuple[int, ...]:
    """Item ids counted under ``name``."""
    return tuple(rules.item(n) for n in _ALIASES.get(name, (name,)))


def held(sim, ids: tuple[int, ...]) -> int:
    """How many of the items ``ids`` the inventory holds."""
    counts = sim.item_counts()
    return int(sum(counts[i] for i in ids))


class CollectItems:
    """+reward per unit above the most ever held (dense), or once at the first unit (sparse)."""

    def __init__(self, rules, entry: dict):
        self.dense = entry.get("mode", "dense") == "dense"
        groups = [item_ids(rules, n) for n in entry["items"]]
        self.rewards = np.array([float(r) for r in entry["items"].values()])
        self.flat = np.array([i for g in groups for i in g], np.int64)  # ids, and which entry each counts for
        self.group = np.array([k for k, g in enumerate(groups) for _ in g], np.int64)

    def _held(self, sim) -> np.ndarray:
        return np.bincount(self.group, weights=sim.item_counts()[self.flat], minlength=len(self.rewards))

    def reset(self, sim) -> None:
        self.best = self._held(sim)

    def __call__(self, sim) -> float:
        n = self._held(sim)
        gain = n - self.best
        if not (gain > 0).any():
            return 0.0
        paid = np.maximum(gain, 0.0) if self.dense else ((gain > 0) & (self.best == 0))
        self.best = np.maximum(n, self.best)
        return float(self.rewards @ paid)


class TouchBlock:
    """+reward the first time the player's box touches a block of the given type."""

    def __init__(self, rules, entry: dict):
        self.block = rules.block(entry["block"])
        self.reward = float(entry.get("reward", 0.0))

    def reset(self, sim) -> None:
        self.done = False

    def __call__(self, sim) -> float:
        if self.done or not touching_block(sim.w, sim.e.pf, self.block):
            return 0.0
        self.done = True
        return self.reward


class CompassDistance:
    """Per tick: previous minus current 3-D distance to the compass target (first tick 0)."""

    def __init__(self, rules, entry: dict):
        self.per_block = float(entry.get("per_block", 1.0))

    def _dist(self, sim) -> float:
        tx, ty, tz = sim.compass_target
        pf = sim.e.pf
        return math.sqrt((pf[PX] - tx) ** 2 + (pf[PY] - ty) ** 2 + (pf[PZ] - tz) ** 2)

    def reset(self, sim) -> None:
        self.prev = self._dist(sim)

    def __call__(self, sim) -> float:
        d = self._dist(sim)
        r, self.prev = self.per_block * (self.prev - d), d
        return r


class Alive:
    """+reward for every ``every`` ticks the player has stayed alive."""

    def __init__(self, rules, entry: dict):
        self.every = int(entry.get("every", 24000))
        self.reward = float(entry.get("reward", 1.0))

    def reset(self, sim) -> None:
        pass

    def __call__(self, sim) -> float:
        t = int(sim.e.pi[TICK])
        return self.reward if t > 0 and t % self.every == 0 and not sim.e.pi[DEAD] else 0.0


class PossessItem:
    """Ends the episode (as a success) once the inventory holds ``count`` of an item."""

    def __init__(self, rules, entry: dict):
        self.ids = item_ids(rules, entry["item"])
        self.count = int(entry.get("count", 1))

    def reset(self, sim) -> None:
        pass

    def __call__(self, sim) -> bool:
        return held(sim, self.ids) >= self.count


class CraftItem(PossessItem):
    """Ends the episode once the agent has crafted ``count`` of an item (AgentQuitFromCraftingItem)."""

    def __call__(self, sim) -> bool:
        return sum(int(sim.e.stats[ST_CRAFT, i]) for i in self.ids) >= self.count


class TouchGoal(TouchBlock):
    """Ends the episode (as a success) when the player touches the block."""

    def __call__(self, sim) -> bool:
        return bool(touching_block(sim.w, sim.e.pf, self.block))


class NavigationGoal:
    """MineRL's NavigationDecorator (reference §1.6): a goal block on the surface, on the circle of
    ``radius`` around spawn (x uniform, z = +-sqrt(r^2 - x^2)), and a compass target offset from it.

    The offset (dx, dz), each uniform in [-off, off], is redrawn while its norm is <= ``off``, as
    MineRL's Java loop does (so it ends in (off, off*sqrt 2]); we keep that on purpose.
    """

    def __init__(self, rules, entry: dict):
        self.rules = rules
        self.state = rules.state(entry["block"])
        self.radius = float(entry.get("radius", 64))
        self.offset = float(entry.get("compass_offset", 8))

    def apply(self, sim, rng: np.random.Generator) -> None:
        r = self.radius
        ox, oz = sim.e.pf[SPAWNX], sim.e.pf[SPAWNZ]
        dx = rng.uniform(-r, r)
        dz = math.sqrt(max(r * r - dx * dx, 0.0)) * (1 if rng.random() < 0.5 else -1)
        gx, gz = int(math.floor(ox + dx)), int(math.floor(oz + dz))
        while True:
            cx, cz = rng.uniform(-self.offset, self.offset, 2)
            if math.hypot(cx, cz) > self.offset:
                break
        sim.goal = (gx, gz)
        gy = sim.gen.height_at(gx, gz)
        sim.compass_target = (gx + 0.5 + cx, float(gy + 1), gz + 0.5 + cz)
        sim.add_edit(gx >> 4, gz >> 4, lambda w: self._place(sim, w, gx, gz))

    def _place(self, sim, w, x: int, z: int) -> None:
        y = top_solid_or_liquid(w, self.rules, x, z)
        if y >= 0:
            set_state(w, x, y, z, np.uint16(self.state))


def top_solid_or_liquid(w, rules, x: int, z: int) -> int:
    """y of the top block that blocks movement or is liquid, ignoring leaves (Minecraft's
    getTopSolidOrLiquidBlock minus one); -1 if none."""
    col = w.blocks[x & MASK, z & MASK]
    leaves = {rules.block("leaves"), rules.block("leaves2")}
    for y in range(int(w.colmax[x & MASK, z & MASK]), -1, -1):
        b = int(col[y]) >> 4
        if (rules.solid[b] or rules.liquid[b]) and b not in leaves:
            return y
    return -1


REWARDS = {"collect_items": CollectItems, "touch_block": TouchBlock, "compass_distance": CompassDistance,
           "alive": Alive}
TERMINATIONS = {"possess_item": PossessItem, "touch_block": TouchGoal, "craft_item": CraftItem}
DECORATORS = {"navigation_goal": NavigationGoal}


def build(table: dict, rules, entries) -> list:
    """Instantiate the terms of one YAML list."""
    return [table[e["type"]](rules, e) for e in entries]
