"""Deterministic gradient noise for world generation (numba kernels).

Classic Perlin noise over 256-entry permutation tables. The tables are shuffled with our own
stateless hash (:func:`mc_bench.sim.rng.hash3`) rather than numpy's Generator, whose streams
may change between numpy versions, so a seed gives the same world on every machine. No
fastmath anywhere: the same inputs give bit-identical heights whichever chunk asks for them.
"""

from __future__ import annotations

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.rng import hash3

# 2-D gradients: the 8 compass directions (unit-ish, Perlin's "improved" set).
_G2X = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 0.0, 0.0])
_G2Y = np.array([1.0, 1.0, -1.0, -1.0, 0.0, 0.0, 1.0, -1.0])
# 3-D gradients: the 12 cube edges, padded to 16 so a 4-bit mask picks one.
_G3 = np.array(
    [[1, 1, 0], [-1, 1, 0], [1, -1, 0], [-1, -1, 0], [1, 0, 1], [-1, 0, 1], [1, 0, -1], [-1, 0, -1],
     [0, 1, 1], [0, -1, 1], [0, 1, -1], [0, -1, -1], [1, 1, 0], [0, -1, 1], [-1, 1, 0], [0, -1, -1]],
    dtype=np.float64,
)
# Octaves are shifted by an irrational-ish offset so they do not share lattice points.
_OCTAVE_SHIFT = 71.37


@njit
def perm_tables(seed, n):
    """``n`` permutation tables (int32[n, 512], each 0..255 shuffled and repeated) for ``seed``."""
    out = np.empty((n, 512), np.int32)
    for k in range(n):
        p = np.arange(256).astype(np.int32)
        for i in range(255, 0, -1):  # Fisher-Yates driven by a stateless hash
            j = np.int64(hash3(seed, k, i, 0x5EED) % np.uint64(i + 1))
            p[i], p[j] = p[j], p[i]
        out[k, :256] = p
        out[k, 256:] = p
    return out


@njit
def _fade(t):
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0)


# Tables are passed whole with a row index (not as a row view): a view costs a reference count.


@njit
def perlin2(perms, k, x, y):
    """2-D Perlin noise in about [-1, 1] over table ``k`` of :func:`perm_tables`."""
    fx, fy = np.floor(x), np.floor(y)
    xi, yi = np.int64(fx) & 255, np.int64(fy) & 255
    x -= fx
    y -= fy
    u, v = _fade(x), _fade(y)
    a, b = perms[k, xi] + yi, perms[k, xi + 1] + yi
    g00, g01 = perms[k, a] & 7, perms[k, a + 1] & 7
    g10, g11 = perms[k, b] & 7, perms[k, b + 1] & 7
    n00 = _G2X[g00] * x + _G2Y[g00] * y
    n10 = _G2X[g10] * (x - 1.0) + _G2Y[g10] * y
    n01 = _G2X[g01] * x + _G2Y[g01] * (y - 1.0)
    n11 = _G2X[g11] * (x - 1.0) + _G2Y[g11] * (y - 1.0)
    nx0 = n00 + u * (n10 - n00)
    nx1 = n01 + u * (n11 - n01)
    return nx0 + v * (nx1 - nx0)


@njit
def _dot3(h, x, y, z):
    return _G3[h, 0] * x + _G3[h, 1] * y + _G3[h, 2] * z


@njit
def perlin3(perms, k, x, y, z):
    """3-D Perlin noise in about [-1, 1] over table ``k``."""
    p = perms
    fx, fy, fz = np.floor(x), np.floor(y), np.floor(z)
    xi, yi, zi = np.int64(fx) & 255, np.int64(fy) & 255, np.int64(fz) & 255
    x -= fx
    y -= fy
    z -= fz
    u, v, w = _fade(x), _fade(y), _fade(z)
    a, b = p[k, xi] + yi, p[k, xi + 1] + yi
    aa, ab, ba, bb = p[k, a] + zi, p[k, a + 1] + zi, p[k, b] + zi, p[k, b + 1] + zi
    x1, y1, z1 = x - 1.0, y - 1.0, z - 1.0
    n000, n100 = _dot3(p[k, aa] & 15, x, y, z), _dot3(p[k, ba] & 15, x1, y, z)
    n010, n110 = _dot3(p[k, ab] & 15, x, y1, z), _dot3(p[k, bb] & 15, x1, y1, z)
    n001, n101 = _dot3(p[k, aa + 1] & 15, x, y, z1), _dot3(p[k, ba + 1] & 15, x1, y, z1)
    n011, n111 = _dot3(p[k, ab + 1] & 15, x, y1, z1), _dot3(p[k, bb + 1] & 15, x1, y1, z1)
    nx00 = n000 + u * (n100 - n000)
    nx10 = n010 + u * (n110 - n010)
    nx01 = n001 + u * (n101 - n001)
    nx11 = n011 + u * (n111 - n011)
    nxy0 = nx00 + v * (nx10 - nx00)
    nxy1 = nx01 + v * (nx11 - nx01)
    return nxy0 + w * (nxy1 - nxy0)


@njit
def fbm2(perms, k, x, y, octaves, gain):
    """Sum of ``octaves`` Perlin octaves (frequency x2, amplitude x``gain``), divided by the
    total amplitude so the result stays in about [-1, 1] whatever the octave count."""
    total, amp, norm, f = 0.0, 1.0, 0.0, 1.0
    for o in range(octaves):
        s = o * _OCTAVE_SHIFT
        total += amp * perlin2(perms, k, x * f + s, y * f - s)
        norm += amp
        amp *= gain
        f *= 2.0
    return total / norm
