"""What MineDojo's sensors read around the player, each in one numba call: the voxel cube, whether a
block of a kind is near and in view (``nearby_tools``), and the light where the player stands."""

from __future__ import annotations

import math

from mc_bench.sim._jit import njit
from mc_bench.sim.light import light_at, sky_light
from mc_bench.sim.world import get_state

SKY_SEARCH = 32  # cells searched upwards / outwards by the light estimate (as the mob spawner does)
BLOCK_SEARCH = 8


@njit
def voxel_cube(w, x, y, z, r, out):
    """Block states of the cube of cells (x, y, z) +- r into ``out[2r+1, 2r+1, 2r+1]`` ([dx, dy, dz])."""
    n = 2 * r + 1
    for i in range(n):
        for j in range(n):
            for k in range(n):
                out[i, j, k] = get_state(w, x - r + i, y - r + j, z - r + k)


@njit
def block_in_view(w, block, hx, hy, hz, lx, ly, lz, cos_half, dist2):
    """Whether a cell holding ``block`` lies within sqrt(dist2) of the head (hx, hy, hz) and inside the
    cone of half-angle acos(cos_half) around the unit look vector (lx, ly, lz), as Malmo's nearby test."""
    reach = int(math.ceil(math.sqrt(dist2)))
    x0, y0, z0 = int(math.floor(hx)), int(math.floor(hy)), int(math.floor(hz))
    for x in range(x0 - reach, x0 + reach + 1):
        for y in range(max(0, y0 - reach), min(255, y0 + reach) + 1):
            for z in range(z0 - reach, z0 + reach + 1):
                if get_state(w, x, y, z) >> 4 != block:
                    continue
                dx, dy, dz = x + 0.5 - hx, y + 0.5 - hy, z + 0.5 - hz
                d2 = dx * dx + dy * dy + dz * dz
                if d2 <= dist2 and (d2 < 1e-9 or dx * lx + dy * ly + dz * lz >= cos_half * math.sqrt(d2)):
                    return True
    return False


@njit
def light_here(w, emit, x, y, z, sky_sub):
    """(light level 0-15, sky light 0-15 before the time-of-day dimming) of cell (x, y, z)."""
    return (light_at(w, emit, x, y, z, sky_sub, SKY_SEARCH, BLOCK_SEARCH),
            sky_light(w, x, y, z, SKY_SEARCH))
