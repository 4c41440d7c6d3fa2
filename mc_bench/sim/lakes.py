"""Surface water lakes (WorldGenLakes, 1.11) and the clay disks on their floors (WorldGenClay), cut to fit
one chunk so that a chunk stays a pure function of (seed, preset, cx, cz).

Vanilla gives a chunk a water lake with chance 1/4 (none in deserts): a blob of 4-7 ellipsoids in a
16 x 8 x 16 box, water in its lower half and air above. Ours is one elliptic pond with a rim of at least one
column all round inside its chunk: its surface is the lowest rim column's top, its depth falls from
``depth`` at the centre to 1 at the edge, and it carves at most 4 blocks of ground above its water. A floor
over a cave or a rim below sea level cancels it; trees and sugar cane standing in it stay, each on an
island of its own ground (vanilla grows trees after lakes, around them).

Clay: vanilla tries one disk a chunk at a random column and keeps it only if that column is under water;
in a one-biome world without rivers the ponds are the only such water, so we aim the disk at a random
column near the pond's centre, with chance ``clay.chance``. As in WorldGenClay the disk has radius 2-3
and turns dirt and clay within one block above or below the lowest water cell there into clay.

Sand: vanilla's decorator tries three sand disks a chunk (WorldGenSand, ``sandPerChunk2``), each at a
random column kept only if its top is water: a disk of radius 2-6 turns dirt and grass within two blocks
of the water surface into sand, so ponds get sandy shallows and shores. We try ``sand.tries`` random
columns of the chunk the same way. Our plants are placed before the pond, so a cell stays as it is
when something other than air, water or sand lies on it (grass under a flower stays grass).

Sugar cane: vanilla's decorator grows reeds beside any water after the lakes (10 WorldGenReed tries a
chunk, every biome), while our plant table only lines the sea. So a shore column of the pond (ground
at the water's level, water beside it, air on it) grows cane with ``reeds.chance``, ``reeds.height``
tall, where its top block is one of ``reeds.soil``.

Numbers and names: ``worldgen.yaml`` ``lakes`` (on in presets with ``lakes: true``), compiled by
:func:`lake_params` into a slice of the features' ``feat_i``; ``features.village`` calls :func:`lake` for
every chunk that gets no village.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.error import RulesValidationError
from mc_bench.sim._jit import njit
from mc_bench.sim.rng import hash3, mix64

SALT_LAKE = 0x80000
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
CHANCE_ONE = 1 << 16  # chances are stored as integers out of this
# Lake parameters (int64[N_LK], a slice of features' feat_i): chance (0 = lakes off in this preset), biome bit
# mask, ellipse radius min/max, depth at the centre, water, lava, clay, clay chance, disk radius min/max, and
# the two states a disk turns into clay (-1 = none); sand, sand-disk tries, their radius min/max and the two
# states they turn into sand; reeds, their chance, height min/max and the three soils they grow on.
(LK_CH, LK_BIOMES, LK_R0, LK_R1, LK_D, LK_WATER, LK_LAVA, LK_CLAY, LK_CLAY_CH, LK_CLAY_R0, LK_CLAY_R1, LK_ON0,
 LK_ON1, LK_SAND, LK_SAND_TRIES, LK_SAND_R0, LK_SAND_R1, LK_SAND_ON0, LK_SAND_ON1, LK_REEDS, LK_REEDS_CH,
 LK_REEDS_H0, LK_REEDS_H1, LK_SOIL0, LK_SOIL1, LK_SOIL2) = range(26)
N_LK = 26
SALT_REEDS = 0x80001


def lake_params(rules, y: dict, biome_names: list, preset: dict) -> np.ndarray:
    """``worldgen.yaml`` ``lakes`` as the kernel's parameter row; chance 0 unless ``preset`` sets ``lakes``."""
    lk, c, sd, rd = y["lakes"], y["lakes"]["clay"], y["lakes"]["sand"], y["lakes"]["reeds"]
    unknown = sorted(set(lk["biomes"]) - set(biome_names))
    if (unknown or not 1 <= lk["radius"][0] <= lk["radius"][1] <= 6 or len(c["replace"]) > 2
            or len(sd["replace"]) > 2 or not 0 <= sd["tries"] <= 8 or not 1 <= sd["radius"][0] <= sd["radius"][1]
            or len(rd["soil"]) != 3 or not 1 <= rd["height"][0] <= rd["height"][1] <= 4):
        raise RulesValidationError(f"worldgen.yaml lakes: biomes must be among {', '.join(biome_names)} (not "
                                   f"{unknown}), radius within 1..6 (a rim must fit the chunk), clay.replace and "
                                   "sand.replace at most two blocks each, sand.tries 0..8, sand.radius [min, max] "
                                   "from 1, reeds.soil three blocks, reeds.height within 1..4.")
    replace = [rules.state(b) for b in c["replace"]] + [-1] * (2 - len(c["replace"]))
    sand_on = [rules.state(b) for b in sd["replace"]] + [-1] * (2 - len(sd["replace"]))
    return np.array([round(lk["chance"] * CHANCE_ONE) if preset.get("lakes") else 0,
                     sum(1 << biome_names.index(b) for b in lk["biomes"]), *lk["radius"], lk["depth"],
                     rules.state(y["blocks"]["water"]), rules.state(y["blocks"]["lava"]), rules.state(c["block"]),
                     round(c["chance"] * CHANCE_ONE), *c["radius"], *replace,
                     rules.state(sd["block"]), sd["tries"], *sd["radius"], *sand_on,
                     rules.state(rd["block"]), round(rd["chance"] * CHANCE_ONE), *rd["height"],
                     *[rules.state(b) for b in rd["soil"]]], np.int64)


@njit
def _bits(u, shift, n):
    """``n`` values (0..n-1) from the 8 bits of ``u`` at ``shift``."""
    return np.int64((u >> np.uint64(shift)) & np.uint64(0xFF)) % n


@njit
def lake(B, ox, oz, cx, cz, hcol, m, bio, seed, sea, F):
    """Maybe a pond (and a clay disk) in chunk (cx, cz); returns whether one was made."""
    u = hash3(seed, cx, cz, SALT_LAKE)
    if np.int64(u >> np.uint64(48)) >= F[LK_CH]:
        return False
    r0, r1 = F[LK_R0], F[LK_R1]
    rx, rz = r0 + _bits(u, 0, r1 - r0 + 1), r0 + _bits(u, 8, r1 - r0 + 1)
    ci, cj = rx + _bits(u, 16, 16 - 2 * rx), rz + _bits(u, 24, 16 - 2 * rz)
    if not (F[LK_BIOMES] >> bio[ci, cj]) & 1:
        return False
    level = _rim_level(hcol, m, ci, cj, rx, rz)
    if level < sea - 1 or level > 250 or not _fits(B, ox, oz, hcol, m, ci, cj, rx, rz, level, F):
        return False
    for i in range(ci - rx, ci + rx + 1):
        for j in range(cj - rz, cj + rz + 1):
            d = _depth(i - ci, j - cj, rx, rz, F[LK_D])
            col, h = B[ox + i, oz + j], hcol[i + m, j + m]
            if d > 0 and not _tall(col, h):
                col[level - d + 1:level + 1] = F[LK_WATER]
                col[level + 1:min(h + 2, 256)] = 0
    v = mix64(u + GOLDEN)
    if np.int64(v >> np.uint64(48)) < F[LK_CLAY_CH]:
        di, dj = _bits(v, 0, rx // 2 * 2 + 1) - rx // 2, _bits(v, 8, rz // 2 * 2 + 1) - rz // 2  # well inside
        r = F[LK_CLAY_R0] + _bits(v, 16, F[LK_CLAY_R1] - F[LK_CLAY_R0] + 1)
        _clay_disk(B, ox, oz, ci + di, level - _depth(di, dj, rx, rz, F[LK_D]) + 1, cj + dj, r, F)
    for _ in range(F[LK_SAND_TRIES]):  # sand disks at random columns whose top is pond water
        v = mix64(v + GOLDEN)
        i, j = _bits(v, 0, 16), _bits(v, 8, 16)
        if B[ox + i, oz + j, level] == F[LK_WATER]:
            r = F[LK_SAND_R0] + _bits(v, 16, F[LK_SAND_R1] - F[LK_SAND_R0] + 1)
            _sand_disk(B, ox, oz, i, level, j, r, F)
    _shore_reeds(B, ox, oz, cx, cz, level, seed, F)
    return True


@njit
def _shore_reeds(B, ox, oz, cx, cz, level, seed, F):
    """Sugar cane on the pond's shore columns (module doc), each by its own hash."""
    for i in range(16):
        for j in range(16):
            col = B[ox + i, oz + j]
            if level > 251 or col[level + 1] != 0 or not (col[level] == F[LK_SOIL0] or col[level] == F[LK_SOIL1]
                                                          or col[level] == F[LK_SOIL2]):
                continue
            if not ((i > 0 and B[ox + i - 1, oz + j, level] == F[LK_WATER])
                    or (i < 15 and B[ox + i + 1, oz + j, level] == F[LK_WATER])
                    or (j > 0 and B[ox + i, oz + j - 1, level] == F[LK_WATER])
                    or (j < 15 and B[ox + i, oz + j + 1, level] == F[LK_WATER])):
                continue
            u = hash3(seed, cx * 16 + i, cz * 16 + j, SALT_REEDS)
            if np.int64(u >> np.uint64(48)) >= F[LK_REEDS_CH]:
                continue
            for y in range(level + 1, level + 1 + F[LK_REEDS_H0] + _bits(u, 0, F[LK_REEDS_H1] - F[LK_REEDS_H0] + 1)):
                col[y] = F[LK_REEDS]


@njit
def _depth(di, dj, rx, rz, deepest):
    """Water depth of the pond column at offset (di, dj) from the centre; 0 outside the ellipse."""
    q = (di / rx) ** 2 + (dj / rz) ** 2
    if q >= 1.0:
        return 0
    return max(1, np.int64(math.ceil(deepest * math.sqrt(1.0 - q))))


@njit
def _rim_level(hcol, m, ci, cj, rx, rz):
    """Lowest surface among the rim: columns of the pond's box outside the ellipse that touch it."""
    level = 1 << 30
    for i in range(ci - rx, ci + rx + 1):
        for j in range(cj - rz, cj + rz + 1):
            if _depth(i - ci, j - cj, rx, rz, 1) == 0 and _touches(i - ci, j - cj, rx, rz):
                level = min(level, hcol[i + m, j + m])
    return level


@njit
def _touches(di, dj, rx, rz):
    return (_depth(di - 1, dj, rx, rz, 1) > 0 or _depth(di + 1, dj, rx, rz, 1) > 0
            or _depth(di, dj - 1, rx, rz, 1) > 0 or _depth(di, dj + 1, rx, rz, 1) > 0)


@njit
def _fits(B, ox, oz, hcol, m, ci, cj, rx, rz, level, F):
    """Every pond column has its floor in its own ground on something solid and at most 4 blocks of ground
    above the water, or something two blocks tall on ground no lower than the water (it stays as an island);
    every rim column is solid from the deepest floor up to the surface."""
    deepest = F[LK_D]
    for i in range(ci - rx, ci + rx + 1):
        for j in range(cj - rz, cj + rz + 1):
            col, h = B[ox + i, oz + j], hcol[i + m, j + m]
            d = _depth(i - ci, j - cj, rx, rz, deepest)
            if d > 0 and _tall(col, h):  # a tree or cane stays, on an island of its ground
                if h < level:
                    return False
            elif d > 0:
                floor = level - d  # vanilla's blob carves at most 4 blocks of air above its water
                if floor > h or h > level + 4 or not _solid(col[floor], F):
                    return False
            elif _touches(i - ci, j - cj, rx, rz):
                for y in range(level - deepest, level + 1):
                    if not _solid(col[y], F):
                        return False
    return True


@njit
def _tall(col, h):
    """Something at least two blocks tall stands on the column (a trunk, sugar cane, a cactus)."""
    return h + 2 > 255 or col[h + 2] != 0


@njit
def _solid(s, F):
    return s != 0 and s != F[LK_WATER] and s != F[LK_LAVA]


@njit
def _clay_disk(B, ox, oz, ci, y0, cj, r, F):
    """WorldGenClay: dirt and clay within ``r`` columns and one block of y ``y0`` become clay (this chunk only)."""
    for i in range(max(ci - r, 0), min(ci + r, 15) + 1):
        for j in range(max(cj - r, 0), min(cj + r, 15) + 1):
            if (i - ci) ** 2 + (j - cj) ** 2 > r * r:
                continue
            col = B[ox + i, oz + j]
            for y in range(y0 - 1, y0 + 2):
                if col[y] == F[LK_ON0] or col[y] == F[LK_ON1]:
                    col[y] = F[LK_CLAY]


@njit
def _sand_disk(B, ox, oz, ci, y0, cj, r, F):
    """WorldGenSand: dirt and grass within ``r`` columns and two blocks of the water surface ``y0`` become
    sand (this chunk only), top down, where air, water or sand lies on them."""
    for i in range(max(ci - r, 0), min(ci + r, 15) + 1):
        for j in range(max(cj - r, 0), min(cj + r, 15) + 1):
            if (i - ci) ** 2 + (j - cj) ** 2 > r * r:
                continue
            col = B[ox + i, oz + j]
            for y in range(min(y0 + 2, 254), max(y0 - 3, 0), -1):
                on = col[y + 1]
                if (col[y] == F[LK_SAND_ON0] or col[y] == F[LK_SAND_ON1]) and (
                        on == 0 or on == F[LK_WATER] or on == F[LK_SAND]):
                    col[y] = F[LK_SAND]
