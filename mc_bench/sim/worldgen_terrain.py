"""Climate, biomes and terrain heights, and the column fill (steps 1-2 of worldgen.py's pipeline).

Climate noise sampled every 16 blocks and interpolated to a 4-block lattice, biome classification,
heights blended over neighbouring biomes with river valleys cut in, and the fill of each column
with bedrock, stone, biome layers and sea water.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.noise import fbm2, perlin2
from mc_bench.sim.rng import hash3
from mc_bench.sim.worldgen_tables import (
    BF_H,
    BF_V,
    BI_FILLER,
    BI_SUB,
    BI_TOP,
    EXT,
    F_BEACH,
    F_CLAY_BELOW,
    F_DEEP,
    F_HILLS,
    F_OCEAN,
    F_RIVER_FLOOR,
    F_RIVER_V,
    F_RIVER_W,
    F_SAND_ABOVE,
    F_SPAWN_A,
    F_SPAWN_R,
    I_B_BEACH,
    I_B_DEEP,
    I_B_HILLS,
    I_B_OCEAN,
    I_B_RIVER,
    I_BED0,
    I_BEDROCK,
    I_CLAY,
    I_FILL_MAX,
    I_FILL_MIN,
    I_FIXED,
    I_GRAVEL_DEPTH,
    I_MAX_H,
    I_MIN_H,
    I_RIVERS,
    I_SAND,
    I_SEA,
    I_STONE,
    I_SUB_MAX,
    I_SUB_MIN,
    I_UW_FLOOR,
    I_WATER,
    N_C,
    N_DETAIL,
    N_H,
    N_HILLS,
    N_RIVER,
    N_SAND,
    N_T,
    SALT_COLUMN,
    M,
)

# --------------------------------------------------------------------------------------------
# Climate, biomes, heights
# --------------------------------------------------------------------------------------------


@njit
def _field(perms, noise, k, x, z):
    return fbm2(perms, k, x * noise[k, 0], z * noise[k, 0], np.int64(noise[k, 1]), noise[k, 2])


@njit
def _climate_point(perms, noise, fp, x, z):
    """Continentalness, temperature, humidity, hills and river noise at world (x, z)."""
    c = _field(perms, noise, N_C, x, z)
    d = math.sqrt(x * x + z * z)
    rad = fp[F_SPAWN_R]
    if d < rad:  # keep the spawn area dry land
        c += fp[F_SPAWN_A] * (1.0 - d / rad)
    return (c, _field(perms, noise, N_T, x, z), _field(perms, noise, N_H, x, z),
            _field(perms, noise, N_HILLS, x, z), _field(perms, noise, N_RIVER, x, z))


@njit
def _bilerp(a, i, j, fx, fz):
    lo = a[i, j] + (a[i + 1, j] - a[i, j]) * fx
    hi = a[i, j + 1] + (a[i + 1, j + 1] - a[i, j + 1]) * fx
    return lo + (hi - lo) * fz


@njit
def _climate_grid(perms, noise, fp, l0x, l0z, m):
    """Climate (5, m, m) at 4-block lattice points l0..l0+m-1, bilinear from a 16-block lattice
    (climate noise is smooth at that scale; 16x fewer noise calls)."""
    q0x, q0z = l0x >> 2, l0z >> 2
    nqx, nqz = ((l0x + m - 1) >> 2) - q0x + 2, ((l0z + m - 1) >> 2) - q0z + 2
    coarse = np.empty((5, nqx, nqz))
    for a in range(nqx):
        for b in range(nqz):
            v = _climate_point(perms, noise, fp, (q0x + a) * 16.0, (q0z + b) * 16.0)
            for k in range(5):
                coarse[k, a, b] = v[k]
    out = np.empty((5, m, m))
    for i in range(m):
        a, fx = ((l0x + i) >> 2) - q0x, ((l0x + i) & 3) * 0.25
        for j in range(m):
            b, fz = ((l0z + j) >> 2) - q0z, ((l0z + j) & 3) * 0.25
            for k in range(5):  # bilinear, written out (see _heights)
                v0 = coarse[k, a, b] + (coarse[k, a + 1, b] - coarse[k, a, b]) * fx
                v1 = coarse[k, a, b + 1] + (coarse[k, a + 1, b + 1] - coarse[k, a, b + 1]) * fx
                out[k, i, j] = v0 + (v1 - v0) * fz
    return out


@njit
def _classify(c, t, hm, hills, river, h, ip, fp, land):
    """Biome index from climate values and the column height (rivers need water)."""
    if c < fp[F_OCEAN]:
        return ip[I_B_DEEP] if c < fp[F_DEEP] else ip[I_B_OCEAN]
    if ip[I_RIVERS] != 0 and abs(river) < fp[F_RIVER_W] and h < ip[I_SEA] - 1:
        return ip[I_B_RIVER]
    if hills > fp[F_HILLS]:
        return ip[I_B_HILLS]
    if c < fp[F_OCEAN] + fp[F_BEACH]:
        return ip[I_B_BEACH]
    for k in range(land.shape[0]):
        if land[k, 0] <= t < land[k, 1] and land[k, 2] <= hm < land[k, 3]:
            return np.int64(land[k, 4])
    return np.int64(land[land.shape[0] - 1, 4])


@njit
def _lattice(perms, T, l0x, l0z, n):
    """Terrain height (n, n), climate (5, n, n) and biome (n, n) at 4-block lattice points
    l0..l0+n-1 (the lattice biome ignores rivers: it is what heights blend and trees follow)."""
    ip, fp, bf, noise = T.ip, T.fp, T.bio_f, T.noise
    lat_h = np.empty((n, n))
    fixed = ip[I_FIXED]
    ds, doct, dgain = noise[N_DETAIL, 0], np.int64(noise[N_DETAIL, 1]), noise[N_DETAIL, 2]
    if fixed >= 0:
        for i in range(n):
            for j in range(n):
                d = fbm2(perms, N_DETAIL, (l0x + i) * 4.0 * ds, (l0z + j) * 4.0 * ds, doct, dgain)
                lat_h[i, j] = bf[fixed, BF_H] + bf[fixed, BF_V] * d
        return lat_h, np.zeros((5, n, n)), np.full((n, n), fixed, np.int64)
    r = T.blend.shape[0] // 2
    m = n + 2 * r
    cl = _climate_grid(perms, noise, fp, l0x - r, l0z - r, m)
    bidx = np.empty((m, m), np.int64)
    land = T.land
    for a in range(m):
        for b in range(m):  # lattice biomes for blending; rivers are carved below, not blended
            bidx[a, b] = _classify(cl[0, a, b], cl[1, a, b], cl[2, a, b], cl[3, a, b], 0.0, 1e9, ip, fp, land)
    base, var = _blend(T.blend, bf, bidx, n)
    for i in range(n):
        for j in range(n):
            h = base[i, j] + var[i, j] * fbm2(perms, N_DETAIL, (l0x + i) * 4.0 * ds, (l0z + j) * 4.0 * ds, doct, dgain)
            if ip[I_RIVERS]:
                h = _river_valley(h, cl[4, i + r, j + r], fp)
            lat_h[i, j] = h
    return lat_h, np.ascontiguousarray(cl[:, r:r + n, r:r + n]), np.ascontiguousarray(bidx[r:r + n, r:r + n])


@njit
def _blend(w, bf, bidx, n):
    """Biome base height and variation averaged over the (2r+1)^2 lattice neighbours."""
    d = w.shape[0]
    base, var = np.zeros((n, n)), np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            sb, sv = 0.0, 0.0
            for a in range(d):
                for b in range(d):
                    k = bidx[i + a, j + b]
                    sb += w[a, b] * bf[k, BF_H]
                    sv += w[a, b] * bf[k, BF_V]
            base[i, j], var[i, j] = sb, sv
    return base, var


@njit
def _river_valley(h, river, fp):
    # Smoothstep valley towards the river floor; only ever lowers terrain.
    f = 1.0 - abs(river) / fp[F_RIVER_V]
    if f > 0.0:
        f = f * f * (3.0 - 2.0 * f)
        h = min(h, h + (fp[F_RIVER_FLOOR] - h) * f)
    return h


@njit
def _col_height(lat_h, ex, ez, lo, hi):
    """Integer surface y of the column at (ex, ez) blocks from the lattice origin."""
    v = _bilerp(lat_h, ex >> 2, ez >> 2, (ex & 3) * 0.25, (ez & 3) * 0.25)
    return min(max(np.int64(np.floor(v)), lo), hi)


@njit
def _heights(lat_h, lo, hi):
    """Surface y of the EXT x EXT columns around a chunk (same arithmetic as :func:`_col_height`,
    written out: a call per column taking an array costs more than the column)."""
    hcol = np.empty((EXT, EXT), np.int64)
    for i in range(EXT):
        a, fx = i >> 2, (i & 3) * 0.25
        for j in range(EXT):
            b, fz = j >> 2, (j & 3) * 0.25
            v0 = lat_h[a, b] + (lat_h[a + 1, b] - lat_h[a, b]) * fx
            v1 = lat_h[a, b + 1] + (lat_h[a + 1, b + 1] - lat_h[a, b + 1]) * fx
            hcol[i, j] = min(max(np.int64(np.floor(v0 + (v1 - v0) * fz)), lo), hi)
    return hcol


@njit
def _biomes(clim, hcol, ip, fp, land):
    """Biome index of the chunk's own 16 x 16 columns (as :func:`_col_biome`)."""
    bio = np.empty((16, 16), np.int64)
    fixed = ip[I_FIXED]
    v = np.empty(5)
    for i in range(16):
        a, fx = (i + M) >> 2, ((i + M) & 3) * 0.25
        for j in range(16):
            if fixed >= 0:
                bio[i, j] = fixed
                continue
            b, fz = (j + M) >> 2, ((j + M) & 3) * 0.25
            for k in range(5):
                v0 = clim[k, a, b] + (clim[k, a + 1, b] - clim[k, a, b]) * fx
                v1 = clim[k, a, b + 1] + (clim[k, a + 1, b + 1] - clim[k, a, b + 1]) * fx
                v[k] = v0 + (v1 - v0) * fz
            bio[i, j] = _classify(v[0], v[1], v[2], v[3], v[4], hcol[i + M, j + M], ip, fp, land)
    return bio


@njit
def _col_biome(clim, ex, ez, h, ip, fp, land):
    fixed = ip[I_FIXED]
    if fixed >= 0:
        return fixed
    i, j, fx, fz = ex >> 2, ez >> 2, (ex & 3) * 0.25, (ez & 3) * 0.25
    return _classify(_bilerp(clim[0], i, j, fx, fz), _bilerp(clim[1], i, j, fx, fz), _bilerp(clim[2], i, j, fx, fz),
                     _bilerp(clim[3], i, j, fx, fz), _bilerp(clim[4], i, j, fx, fz), h, ip, fp, land)


@njit
def _column(perms, T, x, z):
    """(surface y, biome index) of one world column, by the same arithmetic as a chunk."""
    l0x, l0z = x >> 2, z >> 2
    lat_h, clim, _ = _lattice(perms, T, l0x, l0z, 2)
    ex, ez = x - 4 * l0x, z - 4 * l0z
    h = _col_height(lat_h, ex, ez, T.ip[I_MIN_H], T.ip[I_MAX_H])
    return h, _col_biome(clim, ex, ez, h, T.ip, T.fp, T.land)


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------


@njit
def _fill(B, ox, oz, x0, z0, hcol, bio, seed, perms, T):
    """Bedrock, stone, biome layers and sea water, one column run at a time."""
    ip, bio_i = T.ip, T.bio_i
    sea, span, sspan = ip[I_SEA], ip[I_FILL_MAX] - ip[I_FILL_MIN] + 1, ip[I_SUB_MAX] - ip[I_SUB_MIN] + 1
    ksand, sand_above, clay_below, clay = T.noise[N_SAND, 0], T.fp[F_SAND_ABOVE], T.fp[F_CLAY_BELOW], ip[I_CLAY]
    stone, water, bedrock, gravel_depth, uw_floor, sand = (ip[I_STONE], ip[I_WATER], ip[I_BEDROCK], ip[I_GRAVEL_DEPTH],
                                                            ip[I_UW_FLOOR], ip[I_SAND])
    fill_min, sub_min = ip[I_FILL_MIN], ip[I_SUB_MIN]
    for i in range(16):
        for j in range(16):
            x, z, bi, bj = x0 + i, z0 + j, ox + i, oz + j
            h, b = hcol[i + M, j + M], bio[i, j]
            u = hash3(seed, x, z, SALT_COLUMN)
            d = fill_min + ((np.int64((u >> np.uint64(48)) & np.uint64(255)) * span) >> 8)
            fill_lo = max(h - d, 1)
            # Runs of the column, bottom up: (stone to a), (s1 to b), (s2 to c), (s3 to e); written
            # with plain loops here because a helper taking B costs a reference count per call.
            if h >= sea - 1:  # dry land: subfiller (sandstone), filler, top block
                sub = bio_i[b, BI_SUB]
                sd = sub_min + ((np.int64(u >> np.uint64(56)) * sspan) >> 8) if sub != 0 else 0
                ra, s1, rb, s2 = max(fill_lo - sd, 1), sub, fill_lo, bio_i[b, BI_FILLER]
                rc, s3, re = h, bio_i[b, BI_TOP], h + 1
            elif sea - 1 - h >= gravel_depth:  # deep water: gravel over stone
                ra, s1, rb, s2, rc, s3, re = h, uw_floor, h + 1, water, sea, water, sea
            else:  # shallow water: filler, or sand in sand-disk patches
                f = bio_i[b, BI_FILLER]
                noise = perlin2(perms, N_SAND, x * ksand, z * ksand)
                if noise > sand_above:
                    f = sand
                elif noise < clay_below:
                    f = clay
                ra, s1, rb, s2, rc, s3, re = fill_lo, f, h + 1, water, sea, water, sea
            for y in range(0, ra):
                B[bi, bj, y] = stone
            for y in range(ra, rb):
                B[bi, bj, y] = s1
            for y in range(rb, rc):
                B[bi, bj, y] = s2
            for y in range(rc, re):
                B[bi, bj, y] = s3
            for y in range(5):  # bedrock last so nothing above overwrites it
                if np.int64((u >> np.uint64(12 * y)) & np.uint64(4095)) < ip[I_BED0 + y]:
                    B[bi, bj, y] = bedrock
