"""Caves and ores (steps 3-4 of worldgen.py's pipeline).

Tunnels carved where two interpolated 3-D noise fields are both near zero, and ore veins stamped
from pre-rasterised templates (``worldgen_rand``); a chunk replays its neighbours' veins and
writes only its own cells.
"""

from __future__ import annotations

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.noise import perlin3
from mc_bench.sim.rng import hash3
from mc_bench.sim.worldgen_rand import _rand, _stream, _template_reach
from mc_bench.sim.worldgen_tables import (
    F_CAVE_T,
    I_BEDROCK,
    I_CAVE_MARGIN,
    I_CAVE_MAX,
    I_CAVE_MIN,
    I_LAVA,
    I_LAVA_BELOW,
    I_SEA,
    I_STONE,
    N_CAVE1,
    N_CAVE2,
    N_TEMPLATES,
    O_BIOMES,
    O_CENTRE,
    O_CMAX,
    O_CMIN,
    O_SIZE,
    O_SPREAD,
    O_STATE,
    O_TRI,
    O_TSET,
    O_YMAX,
    O_YMIN,
    S_DARK,
    S_MEGA,
    SALT_ORE,
    TI_SHAPE,
    M,
)
from mc_bench.sim.worldgen_terrain import _col_biome

# --------------------------------------------------------------------------------------------
# Caves
# --------------------------------------------------------------------------------------------


@njit
def _cave_caps(hcol, trees, nt, x0, z0, T):
    """Highest y a cave may carve per column: the surface, kept ``margin`` under any nearby water
    floor (caves never drain the sea), and kept under tree trunks (trees never float)."""
    ip = T.ip
    sea, margin = ip[I_SEA], ip[I_CAVE_MARGIN]
    cap = np.empty((16, 16), np.int64)
    for i in range(16):
        for j in range(16):
            c = min(hcol[i + M, j + M], ip[I_CAVE_MAX])
            for a in range(-1, 2):
                for b in range(-1, 2):
                    hn = hcol[i + M + a, j + M + b]
                    if hn < sea - 1:
                        c = min(c, hn - margin)
            cap[i, j] = c
    for t in range(nt):
        w = 2 if T.tree_i[trees[t, 2], TI_SHAPE] in (S_MEGA, S_DARK) else 1
        for a in range(w):
            for b in range(w):
                i, j = trees[t, 0] + a - x0, trees[t, 1] + b - z0
                if 0 <= i < 16 and 0 <= j < 16:
                    cap[i, j] = min(cap[i, j], hcol[i + M, j + M] - 3)
    return cap


@njit
def _may_cross(n, a, b, k, thr):
    # Trilinear values stay within the corner range: skip cells whose corners all miss |v| < thr.
    lo, hi = 1e9, -1e9
    for da in range(2):
        for db in range(2):
            for dk in range(2):
                v = n[a + da, b + db, k + dk]
                lo, hi = min(lo, v), max(hi, v)
    return lo < thr and hi > -thr


@njit
def _caves(B, ox, oz, x0, z0, cap, perms, T):
    """Carve tunnels where two 3-D noise fields are both near zero. The fields are sampled on a
    lattice every 8 blocks (3x3 per chunk) and interpolated; lattice cells and columns whose
    interpolated range cannot reach the band are skipped whole."""
    ip = T.ip
    top = cap.max()
    ymin = ip[I_CAVE_MIN]
    if top < ymin:
        return
    k0, nk = ymin // 8, top // 8 + 2
    sxz, sy = T.noise[N_CAVE1, 0], T.noise_y[0]
    n1, n2 = np.zeros((3, 3, nk)), np.zeros((3, 3, nk))
    for a in range(3):
        for b in range(3):
            for k in range(k0, nk):
                x, y, z = (x0 + 8 * a) * sxz, 8 * k * sy, (z0 + 8 * b) * sxz
                n1[a, b, k] = perlin3(perms, N_CAVE1, x, y, z)
                n2[a, b, k] = perlin3(perms, N_CAVE2, x, y, z)
    thr = T.fp[F_CAVE_T]
    for a in range(2):
        for b in range(2):
            for k in range(k0, nk - 1):
                if _may_cross(n1, a, b, k, thr) and _may_cross(n2, a, b, k, thr):
                    _carve_cell(B, ox, oz, cap, n1, n2, a, b, k, thr, ymin, ip[I_BEDROCK], ip[I_LAVA], ip[I_LAVA_BELOW])


@njit
def _carve_cell(B, ox, oz, cap, n1, n2, a, b, k, thr, ymin, bedrock, lava, lava_below):
    t2 = thr * thr
    y0 = max(8 * k, ymin)
    for ia in range(8):
        for jb in range(8):
            i, j = 8 * a + ia, 8 * b + jb
            y1 = min(8 * k + 7, cap[i, j])
            if y1 < y0:
                continue
            fx, fz = ia * 0.125, jb * 0.125
            w00, w10, w01, w11 = (1.0 - fx) * (1.0 - fz), fx * (1.0 - fz), (1.0 - fx) * fz, fx * fz
            k1 = k + 1
            lo1 = w00 * n1[a, b, k] + w10 * n1[a + 1, b, k] + w01 * n1[a, b + 1, k] + w11 * n1[a + 1, b + 1, k]
            hi1 = w00 * n1[a, b, k1] + w10 * n1[a + 1, b, k1] + w01 * n1[a, b + 1, k1] + w11 * n1[a + 1, b + 1, k1]
            lo2 = w00 * n2[a, b, k] + w10 * n2[a + 1, b, k] + w01 * n2[a, b + 1, k] + w11 * n2[a + 1, b + 1, k]
            hi2 = w00 * n2[a, b, k1] + w10 * n2[a + 1, b, k1] + w01 * n2[a, b + 1, k1] + w11 * n2[a + 1, b + 1, k1]
            if min(lo1, hi1) >= thr or max(lo1, hi1) <= -thr or min(lo2, hi2) >= thr or max(lo2, hi2) <= -thr:
                continue
            bi, bj = ox + i, oz + j
            for y in range(y0, y1 + 1):
                fy = (y - 8 * k) * 0.125
                v1 = lo1 + (hi1 - lo1) * fy
                v2 = lo2 + (hi2 - lo2) * fy
                if v1 * v1 + v2 * v2 < t2 and B[bi, bj, y] != bedrock:
                    B[bi, bj, y] = lava if y < lava_below else 0


# --------------------------------------------------------------------------------------------
# Ores
# --------------------------------------------------------------------------------------------


@njit
def _ores(B, ox, oz, cx, cz, hcol, clim, bio, seed, T):
    """Every ore in table order; veins of the 3x3 neighbour chunks too, clipped to this chunk."""
    rs = np.empty(1, np.uint64)
    hmax = hcol[M:M + 16, M:M + 16].max()
    stone = T.ip[I_STONE]
    for o in range(T.ore_i.shape[0]):
        row = T.ore_i[o]
        if row[O_SIZE] == 1:
            _single_ores(B, ox, oz, cx, cz, bio, seed, o, row, rs, stone)
        else:
            _veins(B, ox, oz, cx, cz, hmax, hcol, clim, seed, o, row, rs, T.vein_off, T.vein_start, T.vein_box,
                   stone, T.ip, T.fp, T.land)


@njit
def _ore_y(row, rs):
    if row[O_TRI]:
        return row[O_CENTRE] - row[O_SPREAD] + _rand(rs, row[O_SPREAD]) + _rand(rs, row[O_SPREAD])
    return row[O_YMIN] + _rand(rs, row[O_YMAX] - row[O_YMIN])


@njit
def _ore_count(row, rs):
    return row[O_CMIN] + _rand(rs, row[O_CMAX] - row[O_CMIN] + 1)


@njit
def _single_ores(B, ox, oz, cx, cz, bio, seed, o, row, rs, stone):
    """Single-block ores (emerald): this chunk's own draws only."""
    rs[0] = hash3(seed, cx, cz, SALT_ORE + o)
    for _ in range(_ore_count(row, rs)):
        i, j = _rand(rs, 16), _rand(rs, 16)
        y = _ore_y(row, rs)
        if row[O_BIOMES] >= 0 and not (row[O_BIOMES] >> bio[i, j]) & 1:
            continue
        if B[ox + i, oz + j, y] == stone:
            B[ox + i, oz + j, y] = row[O_STATE]


@njit
def _veins(B, ox, oz, cx, cz, hmax, hcol, clim, seed, o, row, rs, off, starts, boxes, stone, ip, fp, land):
    """Veins of ore ``o`` that the 3x3 chunks around (cx, cz) start, written where they reach into
    it. Each vein has its own sub-stream, so a vein that cannot reach this chunk costs one hash."""
    reach, ts = _template_reach(row[O_SIZE]), row[O_TSET]
    x0, z0 = cx * 16, cz * 16
    ylo, yhi = max(row[O_YMIN], 1), row[O_YMAX] - 1
    for sx in range(cx - 1, cx + 2):
        for sz in range(cz - 1, cz + 2):
            base = hash3(seed, sx, sz, SALT_ORE + o)
            rs[0] = base
            for v in range(_ore_count(row, rs)):
                u = _stream(base, v)
                i0 = sx * 16 + np.int64(u & np.uint64(15)) - x0
                j0 = sz * 16 + np.int64((u >> np.uint64(4)) & np.uint64(15)) - z0
                if i0 + reach < 0 or i0 - reach >= 16 or j0 + reach < 0 or j0 - reach >= 16:
                    continue
                rs[0] = u
                py = _ore_y(row, rs)
                k = _rand(rs, N_TEMPLATES)
                if py - reach > hmax:  # wholly above the ground: nothing to replace
                    continue
                if (i0 + boxes[ts, k, 1] < 0 or i0 + boxes[ts, k, 0] >= 16 or j0 + boxes[ts, k, 3] < 0
                        or j0 + boxes[ts, k, 2] >= 16):
                    continue
                if row[O_BIOMES] >= 0:
                    b = _col_biome(clim, i0 + M, j0 + M, hcol[i0 + M, j0 + M], ip, fp, land)
                    if not (row[O_BIOMES] >> b) & 1:
                        continue
                _stamp(B, ox, oz, i0, py, j0, off, starts[ts, k], starts[ts, k + 1], ylo, yhi, row[O_STATE], stone)


@njit
def _stamp(B, ox, oz, i0, y0, j0, off, a, b, ylo, yhi, state, stone):
    """Write one vein template at (i0, y0, j0) chunk-relative; only stone, only ylo..yhi."""
    for k in range(a, b):
        i, y, j = i0 + off[k, 0], y0 + off[k, 1], j0 + off[k, 2]
        if 0 <= i < 16 and 0 <= j < 16 and ylo <= y <= yhi and B[ox + i, oz + j, y] == stone:
            B[ox + i, oz + j, y] = state
