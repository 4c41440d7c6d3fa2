"""Light levels on demand (mechanics §6), cheap enough for mob spawn attempts; no light arrays are stored.

Approximation (Minecraft propagates light through air cell by cell and stores it; we compute it when
asked, from the column tops the world already keeps):

* Sky light: 15 in a cell above the highest *opaque* block of its column. Below that, 15 minus the
  taxicab distance to the nearest column within ``sky_search`` blocks that is open to the sky at the
  cell's height, else 0. Walls between the two columns are ignored, and light does not come down
  through overhangs more than one column deep, so caves read dark and a cell under a roof reads 14, 13...
  towards the middle of the roof, as in the game. Water and leaves do not dim sky light here.
* Block light: the largest ``emit - taxicab distance`` over emitters within ``block_search`` blocks
  (walls ignored). Any cell whose true block light is 8 or more lies within 7 of its emitter, so the
  hostile spawn test (light <= 7) is exact up to walls.
* Combined light = max(block light, sky light - sky_subtract(time)).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import kernel
from mc_bench.sim.world import MASK, is_loaded


@kernel
def sky_state(world_time):
    """Mechanics §6 in clear weather: (sky light subtracted, 0 by day to 11 at night; celestial angle)."""
    f = (world_time % 24000) / 24000.0 - 0.25
    if f < 0.0:
        f += 1.0
    a = f + ((1.0 - (math.cos(math.pi * f) + 1.0) / 2.0) - f) / 3.0
    x = min(max(1.0 - (2.0 * math.cos(2.0 * math.pi * a) + 0.5), 0.0), 1.0)
    return int(x * 11.0), a  # clear weather: Minecraft's 1 - (1 - x) with no rain factor


@kernel
def sky_subtract(world_time):
    """Sky light subtracted at ``world_time`` in clear weather, 0 (day) to 11 (night)."""
    return sky_state(world_time)[0]


@kernel
def top_opaque(w, x, z):
    """Highest y of an opaque block (the world's table) in column (x, z); -1 if none, 256 if the column
    is not loaded."""
    if not is_loaded(w, x, z):
        return 256
    return w.topop[x & MASK, z & MASK]


@kernel
def sky_light(w, x, y, z, search):
    """Raw sky light (0-15, before the time of day) of cell (x, y, z); see the module docstring."""
    if y > top_opaque(w, x, z):
        return 15
    for r in range(1, min(search, 15) + 1):
        for i in range(r):  # the 4r columns at taxicab distance r
            j = r - i
            if (y > top_opaque(w, x + i, z + j) or y > top_opaque(w, x + j, z - i)
                    or y > top_opaque(w, x - i, z - j) or y > top_opaque(w, x - j, z + i)):
                return 15 - r
    return 0


@kernel
def block_light(w, emit, x, y, z, search, enough):
    """Block light (0-15) of cell (x, y, z) from emitters within ``search``; stops once >= ``enough``."""
    # Column by column (a column's cells are contiguous), over the loaded columns only; cells below the
    # world (bedrock) and above a column's top (air) emit nothing. The order of the cells changes which
    # value >= ``enough`` is returned, never whether one is: callers compare with ``enough``.
    best = 0
    for dx in range(-search, search + 1):
        rx = search - abs(dx)
        for dz in range(-rx, rx + 1):
            cx, cz = x + dx, z + dz
            if not is_loaded(w, cx, cz):
                continue
            ry, near = rx - abs(dz), abs(dx) + abs(dz)
            col = w.blocks[cx & MASK, cz & MASK]
            for cy in range(max(y - ry, 0), min(y + ry, np.int64(w.colmax[cx & MASK, cz & MASK])) + 1):
                s = col[cy]
                if s == 0:
                    continue
                lv = int(emit[s >> 4]) - near - abs(cy - y)
                if lv > best:
                    best = lv
                    if best >= enough:
                        return best
    return best


@kernel
def light_at(w, emit, x, y, z, sky_sub, sky_search, block_search):
    """Combined light level (0-15) of cell (x, y, z) with the sky dimmed by ``sky_sub``."""
    sky = sky_light(w, x, y, z, sky_search) - sky_sub
    return max(sky, block_light(w, emit, x, y, z, block_search, 15))


@kernel
def brightness(level):
    """Minecraft's brightness (0-1) of a light level in the overworld."""
    f = 1.0 - level / 15.0
    return (1.0 - f) / (f * 3.0 + 1.0)
