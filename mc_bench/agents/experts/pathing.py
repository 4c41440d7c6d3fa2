"""A* over the player's feet cells, with the moves a player can make: walk, jump up one block,
drop up to three, swim, dig through blocks (level, up or down a stair) and pillar up with a block.

Costs are in game ticks, so "dig through 2 leaves" and "walk around 6 blocks" compare honestly.
The search is bounded; when the goal is not reached (or lies outside the loaded chunks) the path
leads to the expanded cell nearest the goal, and the caller replans from there.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

from mc_bench.agents.experts.world import UNLOADED, Cell, WorldView

WALK, UP, DOWN, DIG, DIGUP, DIGDOWN, PILLAR = "walk", "up", "down", "dig", "digup", "digdown", "pillar"
SHAFT = "shaft"  # mine the block underfoot and drop into its cell
T_WALK = 4.6  # ticks per block at walking speed
T_JUMP = 8.0
T_SWIM = 12.0
T_PILLAR = 14.0
DIRS4 = ((1, 0), (-1, 0), (0, 1), (0, -1))
DIRS_DIAG = ((1, 1), (1, -1), (-1, 1), (-1, -1))
INF = math.inf


@dataclass(frozen=True)
class Step:
    """One move of a path: its kind and the feet cell it ends in."""

    kind: str
    cell: Cell


@dataclass
class Moves:
    """What the planner may do. ``break_ticks(block_id)`` prices a block (inf = never break it)."""

    break_ticks: Callable[[int], float]
    dig: bool = True
    pillar: bool = False  # needs a placeable block in the inventory
    avoid_water_digging: bool = False  # never open a cell next to water (tunnels stay dry)
    avoid_ledges: bool = False  # never stand beside a drop of 4+ (a step's overshoot is a bad fall)
    max_drop: int = 3


class Planner:
    """Bounded A* over one :class:`WorldView` snapshot (block lookups are memoised per search)."""

    def __init__(self, wv: WorldView, moves: Moves):
        self.wv = wv
        self.moves = moves
        self._memo: dict[Cell, int] = {}

    # ------------------------------------------------------------ cell predicates

    def _b(self, x: int, y: int, z: int) -> int:
        key = (x, y, z)
        b = self._memo.get(key)
        if b is None:
            b = self._memo[key] = self.wv.block(x, y, z)
        return b

    def passable(self, x, y, z) -> bool:
        b = self._b(x, y, z)
        return b != UNLOADED and bool(self.wv.passable[b])

    def support(self, x, y, z) -> bool:
        """Something to stand on below feet cell (x, y, z): a solid block, or water to swim in."""
        b = self._b(x, y - 1, z)
        return (b != UNLOADED and bool(self.wv.solid[b])) or self._b(x, y, z) in self.wv.water

    def stand(self, x, y, z) -> bool:
        return self.passable(x, y, z) and self.passable(x, y + 1, z) and self.support(x, y, z) and self.safe(x, y, z)

    def safe(self, x, y, z) -> bool:
        """Feet cell (x, y, z) is a place to end a move in: no lava at hand, no drop beside it
        onto lava, and (with ``avoid_ledges``) no drop of 4+ beside it."""
        return not self.lava_beside(x, y, z) and not self.ledge(x, y, z)

    def ledge(self, x, y, z) -> bool:
        """A step's overshoot beside (x, y, z) falls onto lava, or (``avoid_ledges``) 4+ blocks."""
        for dx, dz in DIRS4:
            for k in range(5):
                b = self._b(x + dx, y - k, z + dz)
                if b in self.wv.lava:
                    return True
                if b == UNLOADED or not self.wv.passable[b]:
                    break
            else:
                if self.moves.avoid_ledges:
                    return True
        return False

    def lava_beside(self, x, y, z) -> bool:
        """Lava around the feet or in the layer below them (corners too): the engine's contact
        test reaches into the blocks under the edges of the feet, and a step can overshoot."""
        lava = self.wv.lava
        return any(self._b(x + dx, y + dy, z + dz) in lava for dx, dz in DIRS4 + DIRS_DIAG for dy in (0, -1))

    def clear_cost(self, x, y, z) -> float:
        """Ticks to make a cell passable: 0 if it is, inf if it must not be dug."""
        b = self._b(x, y, z)
        if b == UNLOADED:
            return INF
        if self.wv.passable[b]:
            return 0.0
        if self.wv.liquid[b] or not self.moves.dig or self.near_hazard(x, y, z):
            return INF
        return self.moves.break_ticks(b)

    def near_hazard(self, x, y, z) -> bool:
        """Opening this cell would expose the tunnel to lava (or water, when asked)."""
        bad = self.wv.lava | (self.wv.water if self.moves.avoid_water_digging else set())
        for dx, dy, dz in ((1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, -1)):
            if self._b(x + dx, y + dy, z + dz) in bad:
                return True
        return False

    # ------------------------------------------------------------ moves

    def neighbours(self, c: Cell):
        """(step, cost) pairs for every move out of feet cell ``c``."""
        x, y, z = c
        swim = self._b(x, y, z) in self.wv.water
        for dx, dz in DIRS4:
            yield from self._lateral(x, y, z, x + dx, z + dz, swim)
        for dx, dz in DIRS_DIAG:
            nx, nz = x + dx, z + dz
            if self.stand(nx, y, nz) and all(self.passable(a, yy, b) for a, b in ((nx, z), (x, nz))
                                             for yy in (y, y + 1)):
                yield Step(WALK, (nx, y, nz)), (T_SWIM if swim else T_WALK) * 1.42
        if self.moves.pillar and self.passable(x, y + 2, z) and not swim and self.support(x, y, z):
            yield Step(PILLAR, (x, y + 1, z)), T_PILLAR
        if not swim:
            yield from self._shaft(x, y, z)

    def _shaft(self, x, y, z):
        """Straight down one block: a third of a stair's digging, onto solid ground, never into a cave."""
        c = self.clear_cost(x, y - 1, z)
        if 0 < c < INF and self._solid(x, y - 2, z) and self.safe(x, y - 1, z) and \
                not any(self.passable(x + dx, y - 1, z + dz) for dx, dz in DIRS4):
            yield Step(SHAFT, (x, y - 1, z)), c + 2.0

    def _lateral(self, x, y, z, nx, nz, swim):
        step_t = T_SWIM if swim else T_WALK
        if self.stand(nx, y, nz):
            yield Step(WALK, (nx, y, nz)), step_t
            return
        if self.passable(x, y + 2, z) and self.stand(nx, y + 1, nz):
            yield Step(UP, (nx, y + 1, nz)), T_JUMP
            return
        if self.passable(nx, y, nz) and self.passable(nx, y + 1, nz):
            for k in range(1, self.moves.max_drop + 1):
                if not self.passable(nx, y - k, nz):
                    break
                if self.stand(nx, y - k, nz):
                    yield Step(DOWN, (nx, y - k, nz)), T_WALK + k
                    break
            return
        yield from self._digs(x, y, z, nx, nz)

    def _digs(self, x, y, z, nx, nz):
        """Dig moves into column (nx, nz): level, one up (a stair) or one down."""
        level = self.clear_cost(nx, y, nz) + self.clear_cost(nx, y + 1, nz)
        if level < INF and self._solid(nx, y - 1, nz) and self.safe(nx, y, nz):
            yield Step(DIG, (nx, y, nz)), T_WALK + level
        up = self.clear_cost(x, y + 2, z) + self.clear_cost(nx, y + 1, nz) + self.clear_cost(nx, y + 2, nz)
        if up < INF and self._solid(nx, y, nz) and self.safe(nx, y + 1, nz):
            yield Step(DIGUP, (nx, y + 1, nz)), T_JUMP + up
        if level < INF and self._solid(nx, y - 1, nz) and self._solid(nx, y - 2, nz) and self.safe(nx, y - 1, nz):
            down = level + self.clear_cost(nx, y - 1, nz)
            if down < INF:
                yield Step(DIGDOWN, (nx, y - 1, nz)), T_WALK + 1 + down

    def _solid(self, x, y, z) -> bool:
        b = self._b(x, y, z)
        return b != UNLOADED and bool(self.wv.solid[b]) and b not in self.wv.lava

    # ------------------------------------------------------------ search

    def search(self, start: Cell, is_goal: Callable[[Cell], bool], target: tuple[float, float, float],
               max_nodes: int = 6000, weight: float = 1.5) -> tuple[list[Step], bool]:
        """Path from ``start`` to a cell satisfying ``is_goal``.

        Args:
            start: feet cell to start from.
            is_goal: goal test on feet cells.
            target: a point the heuristic pulls toward (the goal, or the centroid of goals).
            max_nodes: expansion budget.
            weight: heuristic weight (> 1 trades optimality for speed).

        Returns:
            ``(steps, reached)``: the steps (possibly empty) and whether they end in a goal.
        """
        tx, ty, tz = target

        def h(c: Cell) -> float:
            return (math.hypot(c[0] - tx, c[2] - tz) * 3.6 + abs(c[1] - ty) * 2.0) * weight

        g = {start: 0.0}
        parent: dict[Cell, tuple[Cell, Step] | None] = {start: None}
        heap = [(h(start), 0, start)]
        best, best_h, n, tie = start, h(start), 0, 1
        while heap and n < max_nodes:
            _, _, c = heapq.heappop(heap)
            if is_goal(c):
                return self._unwind(parent, c), True
            n += 1
            hc = h(c)
            if hc < best_h:
                best, best_h = c, hc
            for step, cost in self.neighbours(c):
                ng = g[c] + cost
                if ng < g.get(step.cell, INF):
                    g[step.cell] = ng
                    parent[step.cell] = (c, step)
                    heapq.heappush(heap, (ng + h(step.cell), tie, step.cell))
                    tie += 1
        return self._unwind(parent, best), False

    @staticmethod
    def _unwind(parent, c: Cell) -> list[Step]:
        steps = []
        while parent[c] is not None:
            c, step = parent[c]
            steps.append(step)
        steps.reverse()
        return steps
