"""Deterministic random numbers inside numba kernels.

Worldgen uses stateless hashes of (seed, coordinates) so a chunk is the same whenever it is
generated; the running simulation uses a splitmix64 stream held in a uint64[1] array that is
seeded from ``reset(seed=...)``.
"""

from __future__ import annotations

import numpy as np

from mc_bench.sim._jit import kernel

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@kernel
def mix64(z):
    """splitmix64 finaliser: a well-mixed uint64 from any uint64."""
    z = np.uint64(z)
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@kernel
def hash3(seed, a, b, c):
    """uint64 hash of a seed and three ints (coordinates, salts)."""
    h = mix64(np.uint64(seed) + _GOLDEN)
    h = mix64(h ^ np.uint64(np.int64(a) & 0xFFFFFFFFFFFF))
    h = mix64(h ^ (np.uint64(np.int64(b) & 0xFFFFFFFFFFFF) + _GOLDEN))
    return mix64(h ^ (np.uint64(np.int64(c) & 0xFFFFFFFFFFFF) + _M1))


@kernel
def next_u64(state):
    """Advance the stream in ``state`` (uint64[1]) and return the next uint64."""
    state[0] += _GOLDEN
    return mix64(state[0])


@kernel
def next_float(state):
    """Uniform float64 in [0, 1)."""
    return (next_u64(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@kernel
def next_int(state, n):
    """Uniform int in [0, n) for 0 < n < 2**32: the high 32 bits scaled by n (Lemire's multiply-shift,
    a multiplication where a modulo would cost a 64-bit division)."""
    return np.int64(((next_u64(state) >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))
