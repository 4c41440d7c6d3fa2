"""Random numbers of the world generator's kernels, and the ore vein shapes drawn from them.

Splitmix streams seeded by the stateless hashes of :mod:`mc_bench.sim.rng` (a reader may skip
straight to sub-stream k), and Minecraft's vein blobs, pre-rasterised once per vein size: the
templates ``worldgen_tables`` compiles and ``worldgen_caves_ores`` stamps.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.rng import hash3, mix64

# --------------------------------------------------------------------------------------------
# Random numbers
# --------------------------------------------------------------------------------------------

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit
def _rand(rs, n):
    """Uniform int in [0, n) from the splitmix stream in rs (uint64[1]); multiply-shift, because
    a 64-bit modulo costs more than the rest of a vein's setup."""
    rs[0] += _GOLDEN
    return np.int64(((mix64(rs[0]) >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))


@njit
def _randf(rs):
    """Uniform float in [0, 1) from the stream in rs."""
    rs[0] += _GOLDEN
    return np.float64(mix64(rs[0]) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit
def _stream(base, k):
    """Seed of sub-stream k of a hash: lets a reader skip straight to item k."""
    return mix64(base + np.uint64(k + 1) * _GOLDEN)


# --------------------------------------------------------------------------------------------
# Ore vein templates (rules, not world data)
# --------------------------------------------------------------------------------------------


@njit
def _template_reach(size):
    # Bound on |offset| of a vein: half-length size/8, sphere radius up to (size/8 + 1)/2, +1 cell.
    return np.int64(size / 8.0 + (size / 8.0 + 1.0) * 0.5) + 2


@njit
def _vein_templates(size, n):
    """``n`` vein shapes of ``size`` by Minecraft's WorldGenMinable: ``size`` spheres along a segment
    of horizontal length size/4 at a random angle, each of radius ((sin(pi t) + 1) * d + 1) / 2 with d
    uniform in [0, size/16); returned as int8 (x, y, z) offsets from the vein origin and starts."""
    r = _template_reach(size)
    d = 2 * r + 1
    grid = np.zeros((d, d, d), np.uint8)
    out = np.empty((n * d * d * d, 3), np.int8)
    starts = np.zeros(n + 1, np.int64)
    rs = np.empty(1, np.uint64)
    m = 0
    for k in range(n):
        rs[0] = hash3(np.uint64(0x0E5), size, k, 0)  # fixed: templates are rules, not world data
        grid[:] = 0
        f = _randf(rs) * math.pi
        fx, fz = _randf(rs), _randf(rs)
        sx, sz = math.sin(f) * size / 8.0, math.cos(f) * size / 8.0
        ya, yb = _rand(rs, 3) - 2.0, _rand(rs, 3) - 2.0
        for i in range(size):
            t = i / size
            _sphere(grid, r, fx + sx - 2.0 * sx * t, ya + (yb - ya) * t, fz + sz - 2.0 * sz * t,
                    ((math.sin(math.pi * t) + 1.0) * _randf(rs) * size / 16.0 + 1.0) * 0.5)
        for a in range(d):  # x, z, then y fastest: the order of B in memory
            for e in range(d):
                for b in range(d):
                    if grid[a, b, e]:
                        out[m, 0], out[m, 1], out[m, 2] = a - r, b - r, e - r
                        m += 1
        starts[k + 1] = m
    return out[:m].copy(), starts


@njit
def _sphere(grid, r, cx, cy, cz, rad):
    for x in range(int(np.floor(cx - rad)), int(np.floor(cx + rad)) + 1):
        ax = (x + 0.5 - cx) / rad
        for y in range(int(np.floor(cy - rad)), int(np.floor(cy + rad)) + 1):
            ay = (y + 0.5 - cy) / rad
            for z in range(int(np.floor(cz - rad)), int(np.floor(cz + rad)) + 1):
                az = (z + 0.5 - cz) / rad
                if ax * ax + ay * ay + az * az < 1.0:
                    grid[x + r, y + r, z + r] = 1
