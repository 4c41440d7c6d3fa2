"""Read-only, Python-side view of the simulator for the experts (privileged information).

Experts read the world through this class only; nothing here writes to the sim. Lookups index the
ring buffer directly (cheaper than a numba call per cell from Python).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim.physics import eye_y
from mc_bench.sim.state import (
    EITEM,
    EKIND,
    EX,
    EY,
    EZ,
    INWATER,
    KIND_ITEM,
    ONGROUND,
    PITCH,
    PX,
    PY,
    PZ,
    YAW,
)
from mc_bench.sim.world import MASK

UNLOADED = -1
BEDROCK = 7
Cell = tuple[int, int, int]


class WorldView:
    """Block, player, item and inventory queries over ``sim`` (a :class:`mc_bench.sim.engine.Sim`)."""

    def __init__(self, sim):
        self.sim = sim
        R = sim.rules
        self.rules = R
        self.solid = R.solid.astype(bool)
        self.liquid = R.liquid.astype(bool)
        self.hardness = R.hardness
        self.water = {R.block("water"), R.block("flowing_water")}
        self.lava = {R.block("lava"), R.block("flowing_lava")}
        self.trees = {R.block(n) for n in ("log", "log2", "leaves", "leaves2")}  # not ground
        # Cells an agent can stand in: not solid, not lava (water is allowed: it swims).
        self.passable = ~self.solid
        for b in self.lava:
            self.passable[b] = False

    # ------------------------------------------------------------ blocks

    def block(self, x: int, y: int, z: int) -> int:
        """Block id at a cell; UNLOADED (-1) outside the loaded chunks, bedrock below y 0."""
        if y < 0:
            return BEDROCK
        if y > 255:
            return 0
        sc = self.sim.w.slot_chunk[(x >> 4) & 7, (z >> 4) & 7]
        if sc[0] != x >> 4 or sc[1] != z >> 4:
            return UNLOADED
        return int(self.sim.w.blocks[x & MASK, z & MASK, y]) >> 4

    def state(self, x: int, y: int, z: int) -> int:
        """Block state (``id << 4 | meta``) at a cell; UNLOADED outside the loaded chunks."""
        if y < 0 or y > 255:
            return self.block(x, y, z) << 4
        sc = self.sim.w.slot_chunk[(x >> 4) & 7, (z >> 4) & 7]
        if sc[0] != x >> 4 or sc[1] != z >> 4:
            return UNLOADED
        return int(self.sim.w.blocks[x & MASK, z & MASK, y])

    def is_solid(self, x: int, y: int, z: int) -> bool:
        b = self.block(x, y, z)
        return b == UNLOADED or bool(self.solid[b])

    def is_air_like(self, x: int, y: int, z: int) -> bool:
        """Passable and not liquid (air, grass, flowers)."""
        b = self.block(x, y, z)
        return b != UNLOADED and not self.solid[b] and not self.liquid[b]

    def find_blocks(self, ids, center: Cell, radius: int, ylo: int = 0, yhi: int = 255,
                    limit: int | None = None, states: bool = False) -> np.ndarray:
        """World cells (n, 3) holding any of ``ids`` (block ids, or whole states ``id << 4 | meta``
        with ``states``) within a horizontal square of ``radius`` around ``center`` (loaded chunks
        only), nearest first; at most ``limit`` of them."""
        w = self.sim.w
        cx, _, cz = center
        ylo, yhi = max(0, ylo), min(255, yhi)
        xs = np.arange(cx - radius, cx + radius + 1)
        zs = np.arange(cz - radius, cz + radius + 1)
        sub = w.blocks[np.ix_(xs & MASK, zs & MASK, np.arange(ylo, yhi + 1))]
        hit = np.isin(sub if states else sub >> 4, np.asarray(list(ids)))
        ix, iz, iy = np.nonzero(hit)
        cells = np.stack([xs[ix], iy + ylo, zs[iz]], axis=1)
        keep = self._loaded_mask(cells[:, 0], cells[:, 2])
        cells = cells[keep]
        d = (cells[:, 0] - cx) ** 2 + (cells[:, 2] - cz) ** 2 + (cells[:, 1] - center[1]) ** 2
        if limit is not None and len(d) > limit:  # common blocks (stone): keep only the nearest
            keep = np.argpartition(d, limit)[:limit]
            cells, d = cells[keep], d[keep]
        return cells[np.argsort(d, kind="stable")]

    def _loaded_mask(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        sc = self.sim.w.slot_chunk[(x >> 4) & 7, (z >> 4) & 7]
        return (sc[:, 0] == x >> 4) & (sc[:, 1] == z >> 4)

    # ------------------------------------------------------------ player

    @property
    def pos(self) -> tuple[float, float, float]:
        pf = self.sim.e.pf
        return float(pf[PX]), float(pf[PY]), float(pf[PZ])

    @property
    def cell(self) -> Cell:
        """Feet cell (y rounded so a player standing on a block sits in the cell above it)."""
        pf = self.sim.e.pf
        return math.floor(pf[PX]), math.floor(pf[PY] + 1e-3), math.floor(pf[PZ])

    @property
    def eye(self) -> tuple[float, float, float]:
        pf = self.sim.e.pf
        return float(pf[PX]), float(eye_y(pf, self.sim.e.pi)), float(pf[PZ])

    @property
    def yaw(self) -> float:
        return float(self.sim.e.pf[YAW])

    @property
    def pitch(self) -> float:
        return float(self.sim.e.pf[PITCH])

    @property
    def on_ground(self) -> bool:
        return bool(self.sim.e.pi[ONGROUND])

    @property
    def in_water(self) -> bool:
        return bool(self.sim.e.pi[INWATER])

    # ------------------------------------------------------------ items and inventory

    def count(self, name: str) -> int:
        """Inventory count of an item by name."""
        return int(self.sim.item_counts()[self.rules.item(name)])

    def ground_items(self, center: tuple[float, float, float], radius: float) -> np.ndarray:
        """Positions (n, 3) of item entities within ``radius`` of ``center``, nearest first."""
        ei, ef = self.sim.e.ei, self.sim.e.ef
        idx = np.nonzero(ei[:, EKIND] == KIND_ITEM)[0]
        if len(idx) == 0:
            return np.zeros((0, 3))
        p = ef[idx][:, [EX, EY, EZ]]
        d = np.linalg.norm(p - np.asarray(center), axis=1)
        order = np.argsort(d, kind="stable")
        return p[order][d[order] <= radius]

    def item_kinds(self) -> np.ndarray:
        ei = self.sim.e.ei
        return ei[ei[:, EKIND] == KIND_ITEM, EITEM]
