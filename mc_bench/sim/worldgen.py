"""Deterministic, chunk-order-independent world generation (Minecraft 1.11-like).

A chunk is a pure function of (seed, preset, cx, cz): every random choice comes from a stateless
hash of world coordinates (:func:`mc_bench.sim.rng.hash3`), and every noise value is sampled on
a global lattice, so a column's height, biome, ores and trees are the same whichever chunk asks.

Pipeline of one chunk (one numba call, :func:`_gen_chunk`):

1. Climate (continentalness, temperature, humidity, hills, river) is sampled every 16 blocks and
   interpolated to a 4-block lattice; each lattice point gets a biome, and terrain height there is
   the biome base/variation averaged over the neighbouring lattice points (borders blend) times a
   detail noise, minus river valleys. Column heights are bilinear between lattice points.
2. Columns are filled with whole runs: bedrock, stone, filler, top block, water to sea level.
3. Caves: two 3-D noise fields on an 8-block lattice, interpolated; cave where both are near zero.
4. Ore veins: Minecraft's blob (spheres along a short segment), pre-rasterised once into 256
   templates per vein size; a vein picks one by hash and is stamped where it meets stone. Like
   trees, each chunk replays its neighbours' veins and writes only its own cells.
5. Trees: origins are hashed per chunk; each chunk replays the trees of its 8 neighbours too and
   writes only its own cells, so a tree crossing a border is whole on both sides.
6. Features (sim/features.py): plants and snow, vines, cave cobwebs and mushrooms, villages.

Speed notes (the env generates 25 chunks per reset): helpers called per cell or per column take
the block array plus scalars only. A numba call that passes a further array (or the Tables tuple)
is not inlined and pays reference counting, which costs more than the work of one column.

Numbers and block names live in ``mc_bench/rules/worldgen.yaml``; the kernels see only arrays.

This module holds the chunk kernel, the spawn search and :class:`WorldGen`. The steps live in
``worldgen_terrain`` (1-2), ``worldgen_caves_ores`` (3-4), ``worldgen_trees`` (5) and features.py
(6); the table layout and its compilation in ``worldgen_tables``; random streams and vein
templates in ``worldgen_rand``.
"""

from __future__ import annotations

import functools

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.features import FI_VINE, cave_features, plants, village, vines
from mc_bench.sim.noise import perm_tables
from mc_bench.sim.structures import structures
from mc_bench.sim.worldgen_caves_ores import _cave_caps, _caves, _ores
from mc_bench.sim.worldgen_tables import (
    BI_FILLER,
    BI_ID,
    BI_P0,
    BI_P1,
    BI_SNOW,
    BI_TOP,
    EXT,
    I_CAVES,
    I_MAX_H,
    I_MIN_H,
    I_SEA,
    I_SNOW,
    I_WATER,
    N_FIELDS,
    M,
    _compile,
    _spawn_rules,
    preset_names,
)
from mc_bench.sim.worldgen_terrain import _biomes, _column, _fill, _heights, _lattice
from mc_bench.sim.worldgen_trees import _collect_trees, _grow_trees

__all__ = ["WorldGen", "preset_names"]


# --------------------------------------------------------------------------------------------
# Chunk kernel and spawn scan
# --------------------------------------------------------------------------------------------


@njit
def _gen_chunk(B, ox, oz, cx, cz, seed, perms, T):
    """Fill B[ox:ox+16, oz:oz+16, :] (zeroed) with chunk (cx, cz)."""
    x0, z0 = cx * 16, cz * 16
    lat_h, clim, lbio = _lattice(perms, T, cx * 4 - M // 4, cz * 4 - M // 4, EXT // 4 + 1)
    hcol = _heights(lat_h, T.ip[I_MIN_H], T.ip[I_MAX_H])
    bio = _biomes(clim, hcol, T.ip, T.fp, T.land)
    _fill(B, ox, oz, x0, z0, hcol, bio, seed, perms, T)
    trees, nt = _collect_trees(seed, cx, cz, hcol, clim, lbio, bio, T)
    if T.ip[I_CAVES]:
        _caves(B, ox, oz, x0, z0, _cave_caps(hcol, trees, nt, x0, z0, T), perms, T)
    _ores(B, ox, oz, cx, cz, hcol, clim, bio, seed, T)
    _grow_trees(B, ox, oz, x0, z0, hcol, trees, nt, T)
    _features(B, ox, oz, cx, cz, hcol, bio, seed, T)


@njit
def _features(B, ox, oz, cx, cz, hcol, bio, seed, T):
    """Plants and snow, vines, cave cobwebs and mushrooms, villages or lakes (sim/features.py), structures."""
    x0, z0, sea = cx * 16, cz * 16, T.ip[I_SEA]
    plants(B, ox, oz, x0, z0, hcol, M, bio, seed, sea, T.ip[I_SNOW], T.bio_i, (BI_P0, BI_P1, BI_SNOW), T.plant_i,
           T.plant_f)
    vines(B, ox, oz, x0, z0, hcol, M, bio, seed, T.vine_f, T.feat_i[FI_VINE], T.ip[I_WATER])
    if T.ip[I_CAVES]:
        cave_features(B, ox, oz, cx, cz, hcol, M, seed, T.feat_i)
    village(B, ox, oz, cx, cz, hcol, M, bio, seed, sea, T.feat_i, T.bio_i, BI_TOP, BI_FILLER, T.vil_mat, T.vil_crops)
    structures(B, ox, oz, cx, cz, hcol, M, bio, seed, sea, T.struct_i, T.bio_i, BI_TOP, BI_FILLER)


@njit
def _spawn_scan(S, x0, z0, ground):
    """Column of chunk S (16x16x256) nearest world (0, 0) whose highest block is ``ground`` with
    open sky: (distance^2, x, y_feet, z), distance^2 = -1 if none."""
    best, bx, by, bz = -1, 0, 0, 0
    for i in range(16):
        for j in range(16):
            y = 255
            while y > 0 and S[i, j, y] == 0:
                y -= 1
            ok = False
            for g in ground:
                ok = ok or S[i, j, y] == g
            x, z = x0 + i, z0 + j
            d2 = x * x + z * z
            if ok and y < 254 and (best < 0 or d2 < best):
                best, bx, by, bz = d2, x, y + 1, z
    return best, bx, by, bz


@functools.lru_cache(maxsize=None)
def _chunk_order(radius: int) -> tuple:
    # Chunks by distance of their centre from (0, 0); ties broken by coordinates for determinism.
    cs = [(cx, cz) for cx in range(-radius, radius) for cz in range(-radius, radius)]
    return tuple(sorted(cs, key=lambda c: ((c[0] * 16 + 8) ** 2 + (c[1] * 16 + 8) ** 2, c)))


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


class WorldGen:
    """World generator for one seed and preset (see ``mc_bench/rules/worldgen.yaml``).

    Args:
        rules: compiled :class:`mc_bench.rules.Rules` (block ids).
        preset: ``"default"``, ``"forest"``, ``"extreme_hills"`` or any other preset in the YAML.
        seed: world seed (any int; reduced to 64 bits).

    Raises:
        RulesValidationError: unknown preset, or a block/biome/tree name the rules do not know.
    """

    def __init__(self, rules, preset: str, seed: int):
        self.preset = preset
        self.tables = _compile(rules, preset)
        self.seed = np.uint64(int(seed) & 0xFFFFFFFFFFFFFFFF)
        self.perms = perm_tables(self.seed, N_FIELDS)
        self._spawn_ground, self._spawn_radius = _spawn_rules(rules)
        self._spawn = None

    def generate(self, w, ox: int, oz: int, cx: int, cz: int) -> None:
        """Fill ``w.blocks[ox:ox+16, oz:oz+16, :]`` (already zeroed) with chunk (cx, cz).

        A pure function of (seed, preset, cx, cz). Does not touch ``w.bricks``/``w.colmax``.
        """
        _gen_chunk(w.blocks, ox, oz, cx, cz, self.seed, self.perms, self.tables)

    def biome_at(self, x: int, z: int) -> int:
        """Minecraft biome id of world column (x, z)."""
        return int(self.tables.bio_i[_column(self.perms, self.tables, x, z)[1], BI_ID])

    def height_at(self, x: int, z: int) -> int:
        """Terrain surface y of column (x, z): top of solid ground before caves, trees and plants."""
        return int(_column(self.perms, self.tables, x, z)[0])

    def find_spawn(self) -> tuple[int, int, int]:
        """Spawn (x, y_feet, z): in the first chunk (by distance of its centre from the origin) that
        has one, the column nearest (0, 0) whose top block is grass/sand/dirt under open sky.
        Falls back to (0, surface + 1, 0) if the search radius holds none."""
        if self._spawn is None:
            self._spawn = self._search_spawn()
        return self._spawn

    def _search_spawn(self) -> tuple[int, int, int]:
        S = np.zeros((16, 16, 256), np.uint16)
        for cx, cz in _chunk_order(self._spawn_radius):
            S[...] = 0
            _gen_chunk(S, 0, 0, cx, cz, self.seed, self.perms, self.tables)
            d2, x, y, z = _spawn_scan(S, cx * 16, cz * 16, self._spawn_ground)
            if d2 >= 0:
                return int(x), int(y), int(z)
        return 0, self.height_at(0, 0) + 1, 0
