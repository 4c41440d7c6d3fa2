"""Water and lava flow (Minecraft 1.11 BlockDynamicLiquid / BlockLiquid), one scheduled update at a time.

Levels are block metadata: 0 = source, 1-7 = distance from the source in ``decay`` steps, +8 =
falling. An update recomputes a flowing cell's level from its neighbours (two horizontal sources
over solid ground or a source make a new source where the fluid is ``infinite``), then flows down,
or (from a source or when the cell below is blocked) sideways towards the nearest drop within
``slope`` blocks (all four ways if none). Lava touching water turns to obsidian (source) or
cobblestone (level <= 4); lava flowing down onto water makes stone. Simplifications: a flow
destroys the plant it washes away without drops; lava does not slow down at random; the search
for a drop is a breadth-first search that may step back towards the source.
"""

from __future__ import annotations

import numpy as np

from mc_bench.rules.world_rules import (
    BK_FLOWABLE,
    BK_FLUID,
    FL_DECAY,
    FL_FLOWING,
    FL_INFINITE,
    FL_RATE,
    FL_SLOPE,
    P_LAVA_ROW,
    P_MIX_FLOWING,
    P_MIX_LEVEL,
    P_MIX_ONTO,
    P_MIX_SOURCE,
    P_WATER_ROW,
)
from mc_bench.sim._jit import kernel, njit
from mc_bench.sim.world import UNLOADED, get_state, schedule, set_state

DX4 = np.array([0, 0, -1, 1])
DZ4 = np.array([-1, 1, 0, 0])


@kernel
def fluid_of(W, s):
    """Fluid row of block state ``s`` (-1: not a fluid or not loaded)."""
    if s == UNLOADED:
        return -1
    return W.blk[s >> 4, BK_FLUID] - 1


@kernel
def _blocked(W, s):
    """Whether a flow stops at this cell (anything solid, or not loaded); fluids and washable plants do not."""
    if s == UNLOADED:
        return True
    b = s >> 4
    return b != 0 and W.blk[b, BK_FLUID] == 0 and W.blk[b, BK_FLOWABLE] == 0


@kernel
def _can_flow_into(W, k, s):
    """BlockDynamicLiquid.canFlowInto: not the same fluid, not lava, not blocked (lava may enter water)."""
    f = fluid_of(W, s)
    if f >= 0:
        return f != k and f != W.p[P_LAVA_ROW]
    return not _blocked(W, s)


@kernel
def mix_lava(w, W, x, y, z):
    """BlockLiquid.checkForMixing: lava at (x, y, z) touching water on a side or above hardens; True if it did."""
    s = get_state(w, x, y, z)
    if fluid_of(W, s) != W.p[P_LAVA_ROW]:
        return False
    water = W.p[P_WATER_ROW]
    touch = fluid_of(W, get_state(w, x, y + 1, z)) == water
    for d in range(4):
        touch = touch or fluid_of(W, get_state(w, x + DX4[d], y, z + DZ4[d])) == water
    if not touch:
        return False
    level = s & 15
    if level == 0:
        set_state(w, x, y, z, np.uint16(W.p[P_MIX_SOURCE] << 4))
        return True
    if level <= W.p[P_MIX_LEVEL]:
        set_state(w, x, y, z, np.uint16(W.p[P_MIX_FLOWING] << 4))
        return True
    return False


@kernel
def fluid_update(w, W, x, y, z, tick):
    """BlockDynamicLiquid.updateTick of the fluid cell (x, y, z)."""
    s = get_state(w, x, y, z)
    k = fluid_of(W, s)
    if k < 0 or mix_lava(w, W, x, y, z):
        return
    row = W.fluid[k]
    decay = row[FL_DECAY]
    level = np.int64(s & 15)
    if level > 0:
        level = _new_level(w, W, k, x, y, z, level, decay)
        if level != (s & 15):
            if level < 0:
                set_state(w, x, y, z, np.uint16(0))
                return
            set_state(w, x, y, z, np.uint16(row[FL_FLOWING] << 4 | level))
            schedule(w, x, y, z, tick + row[FL_RATE], 0)
    below = get_state(w, x, y - 1, z)
    if y > 0 and _can_flow_into(W, k, below):
        if k == W.p[P_LAVA_ROW] and fluid_of(W, below) == W.p[P_WATER_ROW]:
            set_state(w, x, y - 1, z, np.uint16(W.p[P_MIX_ONTO] << 4))
            return
        _flow_into(w, W, k, x, y - 1, z, level if level >= 8 else level + 8)
    elif level == 0 or _blocked(W, below):
        side = 1 if level >= 8 else level + decay
        if side >= 8:
            return
        cost = (_drop_distance(w, W, k, x, y, z - 1, row[FL_SLOPE]), _drop_distance(w, W, k, x, y, z + 1, row[FL_SLOPE]),
                _drop_distance(w, W, k, x - 1, y, z, row[FL_SLOPE]), _drop_distance(w, W, k, x + 1, y, z, row[FL_SLOPE]))
        best = min(cost)  # the four sides in DX4/DZ4 order, without an array (this runs without NRT)
        for d in range(4):
            if cost[d] == best and best < 1000:
                _flow_into(w, W, k, x + DX4[d], y, z + DZ4[d], side)


@kernel
def _new_level(w, W, k, x, y, z, level, decay):
    """Level a flowing cell should have from its neighbours; -1 = dry up."""
    low, sources = -100, 0
    for d in range(4):
        n = get_state(w, x + DX4[d], y, z + DZ4[d])
        if fluid_of(W, n) != k:
            continue
        lv = np.int64(n & 15)
        if lv == 0:
            sources += 1
        if lv >= 8:
            lv = 0
        if low < 0 or lv < low:
            low = lv
    new = low + decay
    if new >= 8 or low < 0:
        new = -1
    above = get_state(w, x, y + 1, z)
    if fluid_of(W, above) == k:
        lv = np.int64(above & 15)
        new = lv if lv >= 8 else lv + 8
    if sources >= 2 and W.fluid[k, FL_INFINITE]:
        below = get_state(w, x, y - 1, z)
        if _blocked(W, below) or (fluid_of(W, below) == k and (below & 15) == 0):
            new = 0
    return new


@kernel
def _flow_into(w, W, k, x, y, z, level):
    s = get_state(w, x, y, z)
    if _can_flow_into(W, k, s):
        set_state(w, x, y, z, np.uint16(W.fluid[k, FL_FLOWING] << 4 | level))


@njit(_nrt=True)  # allocates
def _drop_distance(w, W, k, x, y, z, slope):
    """Steps from the side cell (x, y, z) to the nearest cell within ``slope`` with room to fall
    (1000 if the side cell itself cannot take the flow; ``slope + 1`` if no drop is near)."""
    s = get_state(w, x, y, z)
    if _blocked(W, s) or (fluid_of(W, s) == k and (s & 15) == 0):
        return 1000
    if not _blocked(W, get_state(w, x, y - 1, z)):
        return 0
    n = 2 * slope + 1
    dist = np.full((n, n), -1, np.int64)
    qx = np.zeros(n * n, np.int64)
    qz = np.zeros(n * n, np.int64)
    dist[slope, slope] = 0
    qx[0], qz[0] = slope, slope
    head, tail = 0, 1
    while head < tail:
        i, j = qx[head], qz[head]
        head += 1
        dd = dist[i, j]
        if dd >= slope:
            continue
        for d in range(4):
            a, b = i + DX4[d], j + DZ4[d]
            if a < 0 or b < 0 or a >= n or b >= n or dist[a, b] >= 0:
                continue
            wx, wz = x + a - slope, z + b - slope
            c = get_state(w, wx, y, wz)
            if _blocked(W, c) or (fluid_of(W, c) == k and (c & 15) == 0):
                continue
            if not _blocked(W, get_state(w, wx, y - 1, wz)):
                return dd + 1
            dist[a, b] = dd + 1
            qx[tail], qz[tail] = a, b
            tail += 1
    return slope + 1
