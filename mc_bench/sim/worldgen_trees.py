"""Trees (step 5 of worldgen.py's pipeline), after Minecraft 1.11's tree generators.

Origins are hashed per chunk and each chunk replays its 8 neighbours' trees, writing only its own
cells, so a tree crossing a border is whole on both sides; then one writer per shape (oak, swamp
oak, spruce, pine, big oak, mega jungle, bush, acacia, dark oak).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.rng import hash3, mix64
from mc_bench.sim.worldgen_rand import _rand, _randf, _stream
from mc_bench.sim.worldgen_tables import (
    BF_EXTRA,
    BI_TOP,
    BI_TREES,
    I_LEAF_A,
    I_LEAF_B,
    I_SEA,
    I_TREE_CAND,
    I_UNDER_TRUNK,
    REACH,
    S_ACACIA,
    S_BIG_OAK,
    S_BUSH,
    S_DARK,
    S_MEGA,
    S_OAK,
    S_PINE,
    S_SPRUCE,
    S_SWAMP,
    SALT_TREE,
    SHAPE_REACH,
    TI_HMAX,
    TI_HMIN,
    TI_LEAVES,
    TI_LOG,
    TI_POD,
    TI_SHAPE,
    M,
)
from mc_bench.sim.worldgen_terrain import _col_biome

# --------------------------------------------------------------------------------------------
# Trees
# --------------------------------------------------------------------------------------------


@njit
def _collect_trees(seed, cx, cz, hcol, clim, lbio, bio, T):
    """Trees of the 3x3 chunks around (cx, cz) that can reach it: int64[n, 4] (x, z, kind, seed).

    Tree count and kind follow the biome of the nearest 4-block lattice point (cheap, and the same
    from every chunk); the ground check uses the column's own biome."""
    ip, fp, land, bio_i, bio_f, mix = T.ip, T.fp, T.land, T.bio_i, T.bio_f, T.tree_mix
    ncand = ip[I_TREE_CAND]
    ok_top = np.zeros(bio_i.shape[0], np.uint8)  # biomes whose top block may carry a tree
    for b in range(bio_i.shape[0]):
        for g in T.tree_ground:
            ok_top[b] |= g == bio_i[b, BI_TOP]
    out = np.empty((9 * ncand, 4), np.int64)
    n = 0
    lo, hi = M - REACH, M + 16 + REACH
    for dcx in range(-1, 2):
        for dcz in range(-1, 2):
            base = hash3(seed, cx + dcx, cz + dcz, SALT_TREE)
            for i in range(ncand):
                u = _stream(base, i)
                ex = dcx * 16 + M + np.int64(u & np.uint64(15))
                ez = dcz * 16 + M + np.int64((u >> np.uint64(4)) & np.uint64(15))
                if ex < lo or ex >= hi or ez < lo or ez >= hi:
                    continue
                lb = lbio[(ex + 2) >> 2, (ez + 2) >> 2]
                cnt = bio_i[lb, BI_TREES]
                extra = np.int64((u >> np.uint64(8)) & np.uint64(0xFFFF)) < bio_f[lb, BF_EXTRA] * 65536.0
                if i > cnt or (i == cnt and not extra):  # candidate `cnt` is the biome's chance extra tree
                    continue
                p = np.int64((u >> np.uint64(24)) & np.uint64(0xFFFFFF)) / 16777216.0
                kind = -1
                for k in range(mix.shape[1]):
                    if p < mix[lb, k]:
                        kind = k
                        break
                if kind < 0 or not _touches(ex, ez, SHAPE_REACH[T.tree_i[kind, TI_SHAPE]]):
                    continue
                h = hcol[ex, ez]
                if h < ip[I_SEA] - 1:
                    continue
                own = dcx == 0 and dcz == 0
                b = bio[ex - M, ez - M] if own else _col_biome(clim, ex, ez, h, ip, fp, land)
                if ok_top[b]:
                    out[n, 0], out[n, 1], out[n, 2] = cx * 16 - M + ex, cz * 16 - M + ez, kind
                    out[n, 3] = np.int64(u >> np.uint64(1))
                    n += 1
    return out, n


@njit
def _touches(ex, ez, r):
    # Whether a tree at extended column (ex, ez) reaching r blocks (r + 1 towards +x/+z, for 2x2
    # trunks) can write into the chunk.
    return ex + r + 1 >= M and ex - r < M + 16 and ez + r + 1 >= M and ez - r < M + 16


# Tree writers take the chunk context as a tuple of ints c = (ox, oz, x0, z0, leaves id, leaves2 id,
# under-trunk state) rather than arrays: numba then inlines them (array arguments cost a
# reference-count round trip per call, several times the write itself).


@njit
def _leaf(B, c, x, y, z, s):
    """Leaves go only into air, and only into this chunk."""
    i, j = x - c[2], z - c[3]
    if 0 <= i < 16 and 0 <= j < 16 and 0 <= y < 256 and B[c[0] + i, c[1] + j, y] == 0:
        B[c[0] + i, c[1] + j, y] = s


@njit
def _log(B, c, x, y, z, s):
    """Logs replace air and leaves, so trees that overlap look the same from either chunk."""
    i, j = x - c[2], z - c[3]
    if 0 <= i < 16 and 0 <= j < 16 and 0 <= y < 256:
        cur = B[c[0] + i, c[1] + j, y] >> 4
        if cur == 0 or cur == c[4] or cur == c[5]:
            B[c[0] + i, c[1] + j, y] = s


@njit
def _under(B, c, x, y, z):
    # A tree turns the ground under its trunk to dirt (Minecraft's setDirtAt).
    i, j = x - c[2], z - c[3]
    if 0 <= i < 16 and 0 <= j < 16 and 0 <= y < 256 and B[c[0] + i, c[1] + j, y] != 0:
        B[c[0] + i, c[1] + j, y] = c[6]


@njit
def _disc(B, c, x, y, z, r, s, rs, trim):
    """Leaf square of radius r; trim: 0 keep corners, 1 drop corners, 2 drop each corner 50%."""
    for dx in range(-r, r + 1):
        for dz in range(-r, r + 1):
            if r > 0 and abs(dx) == r and abs(dz) == r:
                if trim == 1 or (trim == 2 and _rand(rs, 2) == 0):
                    continue
            _leaf(B, c, x + dx, y, z + dz, s)


@njit
def _grow_trees(B, ox, oz, x0, z0, hcol, trees, nt, T):
    c = (ox, oz, x0, z0, T.ip[I_LEAF_A], T.ip[I_LEAF_B], T.ip[I_UNDER_TRUNK])
    rs = np.empty(1, np.uint64)
    for t in range(nt):
        x, z, kind = trees[t, 0], trees[t, 1], trees[t, 2]
        rs[0] = mix64(np.uint64(trees[t, 3]))
        row = T.tree_i[kind]
        hgt = row[TI_HMIN] + _rand(rs, row[TI_HMAX] - row[TI_HMIN] + 1)
        y = hcol[x - x0 + M, z - z0 + M] + 1
        shape = row[TI_SHAPE]
        if shape == S_MEGA or shape == S_DARK:
            _trunk2x2(B, c, hcol, x, y, z, hgt, row[TI_LOG])
        else:
            _under(B, c, x, y - 1, z)
        _tree(B, c, x, y, z, hgt, shape, row[TI_LOG], row[TI_LEAVES], rs)
        if row[TI_POD] and hgt > 5 and _rand(rs, 5) == 0:
            _pods(B, c, x, y, z, hgt, row[TI_POD], rs)


# The pod's side of the trunk, for the facings in WorldGenTrees' order (north, east, south, west): a pod
# facing north sits south of the trunk. Its meta is the facing's horizontal index (south 0, west 1,
# north 2, east 3), which for this order is (d + 2) % 4.
POD_DX = np.array([0, -1, 0, 1], np.int64)
POD_DZ = np.array([1, 0, -1, 0], np.int64)


@njit
def _pods(B, c, x, y, z, hgt, pod, rs):
    """WorldGenTrees' cocoa: on the trunk levels 5 and 4 below the top, each side gets a pod with chance
    1/4 (lower level) or 1/3, facing the trunk, of random age 0-2 (meta bits 2-3). The draws never depend
    on which chunk writes, so a tree on a chunk border gets the same pods from both."""
    for lv in range(2):
        for d in range(4):
            if _rand(rs, 4 - lv) == 0:
                age = _rand(rs, 3)
                i, j, py = x + POD_DX[d] - c[2], z + POD_DZ[d] - c[3], y + hgt - 5 + lv
                if 0 <= i < 16 and 0 <= j < 16 and B[c[0] + i, c[1] + j, py] == 0:
                    B[c[0] + i, c[1] + j, py] = pod | (d + 2) % 4 | age << 2


@njit
def _tree(B, c, x, y, z, hgt, shape, log, lv, rs):
    if shape == S_OAK or shape == S_SWAMP:
        _oak(B, c, x, y, z, hgt, log, lv, rs, 1 + (shape == S_SWAMP))
    elif shape == S_SPRUCE:
        _spruce(B, c, x, y, z, hgt, log, lv, rs)
    elif shape == S_PINE:
        _pine(B, c, x, y, z, hgt, log, lv, rs)
    elif shape == S_BIG_OAK:
        _big_oak(B, c, x, y, z, hgt, log, lv, rs)
    elif shape == S_MEGA:
        _mega_jungle(B, c, x, y, z, hgt, log, lv, rs)
    elif shape == S_BUSH:
        _log(B, c, x, y, z, log)
        for yy in range(y, y + 3):
            _disc(B, c, x, yy, z, 2 - (yy - y), lv, rs, 2)
    elif shape == S_ACACIA:
        _acacia(B, c, x, y, z, hgt, log, lv, rs)
    elif shape == S_DARK:
        for yy in range(y + hgt - 2, y + hgt + 1):
            _disc(B, c, x, yy, z, 3 + (yy == y + hgt - 1), lv, rs, 1)
            _disc(B, c, x + 1, yy, z + 1, 3, lv, rs, 1)


@njit
def _trunk2x2(B, c, hcol, x, y, z, hgt, log):
    """2x2 trunk; each column reaches down to its own ground so none floats on a slope."""
    for a in range(2):
        for b in range(2):
            g = hcol[x + a - c[2] + M, z + b - c[3] + M]
            _under(B, c, x + a, min(g, y - 1), z + b)
            for yy in range(min(g + 1, y), y + hgt):
                _log(B, c, x + a, yy, z + b, log)


@njit
def _oak(B, c, x, y, z, hgt, log, lv, rs, base):
    """Oak/birch/jungle (base 1) or swamp oak (base 2): 4 leaf layers, radius base+1 below."""
    top = y + hgt
    for yy in range(top - 3, top + 1):
        rel = yy - top
        r = base + (-rel) // 2
        for dx in range(-r, r + 1):
            for dz in range(-r, r + 1):
                if abs(dx) == r and abs(dz) == r and (_rand(rs, 2) == 0 or rel == 0):
                    continue
                _leaf(B, c, x + dx, yy, z + dz, lv)
    for k in range(hgt):
        _log(B, c, x, y + k, z, log)


@njit
def _spruce(B, c, x, y, z, hgt, log, lv, rs):
    """Minecraft's WorldGenTaiga2: a cone of alternating radii over a 1-2 block bare trunk."""
    bare = 1 + _rand(rs, 2)
    maxr = 2 + _rand(rs, 2)
    r, lim, nxt = _rand(rs, 2), 1, 0
    for level in range(hgt - bare + 1):
        _disc(B, c, x, y + hgt - level, z, r, lv, rs, 1)
        if r >= lim:
            r, nxt, lim = nxt, 1, min(lim + 1, maxr)
        else:
            r += 1
    for k in range(hgt - _rand(rs, 3)):
        _log(B, c, x, y + k, z, log)


@njit
def _pine(B, c, x, y, z, hgt, log, lv, rs):
    """Minecraft's WorldGenTaiga1: narrow top-heavy cone."""
    bare = hgt - _rand(rs, 2) - 3
    maxr = 1 + _rand(rs, hgt - bare + 1)
    r = 0
    for yy in range(y + hgt, y + bare - 1, -1):
        _disc(B, c, x, yy, z, r, lv, rs, 1)
        if r >= 1 and yy == y + bare + 1:
            r -= 1
        elif r < maxr:
            r += 1
    for k in range(hgt - 1):
        _log(B, c, x, y + k, z, log)


@njit
def _cluster(B, c, x, y, z, lv):
    # Big oak foliage: 4 layers of radius 2, 3, 3, 2 with Minecraft's (|d| + 0.5)^2 test.
    for ly in range(4):
        r2 = 4.0 if ly == 0 or ly == 3 else 9.0
        for dx in range(-2, 3):
            for dz in range(-2, 3):
                if (abs(dx) + 0.5) ** 2 + (abs(dz) + 0.5) ** 2 <= r2:
                    _leaf(B, c, x + dx, y + ly, z + dz, lv)


@njit
def _branch(B, c, x, y, z, tx, ty, tz, log):
    """Log line from (x, y, z) to (tx, ty, tz); the log axis follows the longest component."""
    dx, dy, dz = tx - x, ty - y, tz - z
    steps = max(abs(dx), abs(dy), abs(dz))
    meta_axis = 0 if abs(dy) >= max(abs(dx), abs(dz)) else (4 if abs(dx) >= abs(dz) else 8)
    for s in range(1, steps + 1):
        f = s / steps
        _log(B, c, x + int(np.floor(dx * f + 0.5)), y + int(np.floor(dy * f + 0.5)),
             z + int(np.floor(dz * f + 0.5)), log | meta_axis)


@njit
def _big_oak(B, c, x, y, z, hgt, log, lv, rs):
    """Simplified fancy oak: trunk, a crown cluster, and 1-3 branches ending in clusters."""
    for _ in range(1 + hgt // 5):
        ang = _randf(rs) * 2.0 * math.pi
        d = 1 + _rand(rs, 3)
        ty = y + hgt - 2 - _rand(rs, max(1, hgt // 2))
        tx, tz = x + int(np.floor(d * math.cos(ang) + 0.5)), z + int(np.floor(d * math.sin(ang) + 0.5))
        _cluster(B, c, tx, ty, tz, lv)
        _branch(B, c, x, max(ty - d, y), z, tx, ty, tz, log)
    _cluster(B, c, x, y + hgt - 1, z, lv)
    for k in range(hgt):
        _log(B, c, x, y + k, z, log)


@njit
def _layer_round(B, c, x, y, z, r, lv, strict2x2):
    """Round leaf layer; strict2x2 centres it on a 2x2 trunk (Minecraft's growLeavesLayerStrict)."""
    r2 = r * r
    for a in range(-r, r + 1 + strict2x2):
        for b in range(-r, r + 1 + strict2x2):
            ok = a * a + b * b <= r2
            if strict2x2:
                ok = ok or (a - 1) ** 2 + (b - 1) ** 2 <= r2 or a * a + (b - 1) ** 2 <= r2 or (a - 1) ** 2 + b * b <= r2
            if ok:
                _leaf(B, c, x + a, y, z + b, lv)


@njit
def _mega_jungle(B, c, x, y, z, hgt, log, lv, rs):
    """2x2 jungle tree: crown of radii 5, 4, 3 and a few short branches with leaf pads."""
    top = y + hgt
    for j in range(-2, 1):
        _layer_round(B, c, x, top + j, z, 3 - j, lv, 1)
    by = top - 2 - _rand(rs, 4)
    while by > y + hgt // 2:
        ang = _randf(rs) * 2.0 * math.pi
        ca, sa = math.cos(ang), math.sin(ang)
        ex, ez = x, z
        for k in range(4):
            ex, ez = x + int(1.5 + ca * k), z + int(1.5 + sa * k)
            _log(B, c, ex, by - 3 + k // 2, ez, log | (4 if abs(ca) >= abs(sa) else 8))
        pads = 1 + _rand(rs, 2)
        for yy in range(by - pads, by + 1):
            _layer_round(B, c, ex, yy, ez, 1 - (yy - by) if yy < by else 1, lv, 0)
        by -= 2 + _rand(rs, 5)


@njit
def _acacia(B, c, x, y, z, hgt, log, lv, rs):
    """Minecraft's WorldGenSavannaTree: trunk bending one way, flat canopy, maybe a second branch."""
    dirs = ((1, 0), (-1, 0), (0, 1), (0, -1))
    d = _rand(rs, 4)
    bend, blen = hgt - _rand(rs, 4) - 1, 3 - _rand(rs, 3)
    px, pz, top = x, z, y
    for k in range(hgt):
        if k >= bend and blen > 0:
            px, pz, blen = px + dirs[d][0], pz + dirs[d][1], blen - 1
        _log(B, c, px, y + k, pz, log)
        top = y + k
    _disc(B, c, px, top, pz, 3, lv, rs, 1)
    _disc(B, c, px, top + 1, pz, 1, lv, rs, 0)
    for a, b in dirs:
        _leaf(B, c, px + 2 * a, top + 1, pz + 2 * b, lv)
    d2 = _rand(rs, 4)
    start, n2 = bend - _rand(rs, 2) - 1, 1 + _rand(rs, 3)
    if d2 == d:
        return
    px, pz, top = x, z, 0
    k = start
    while k < hgt and n2 > 0:
        if k >= 1:
            px, pz, top = px + dirs[d2][0], pz + dirs[d2][1], y + k
            _log(B, c, px, top, pz, log)
        k += 1
        n2 -= 1
    if top > 0:
        _disc(B, c, px, top, pz, 2, lv, rs, 1)
        _disc(B, c, px, top + 1, pz, 1, lv, rs, 0)
