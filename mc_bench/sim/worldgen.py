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
"""

from __future__ import annotations

import functools
import math
from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError
from mc_bench.rules import read_yaml
from mc_bench.sim._jit import njit
from mc_bench.sim.features import (
    FI_VINE,
    N_PLANT,
    cave_features,
    feature_tables,
    plant_rows,
    plants,
    village,
    vines,
)
from mc_bench.sim.noise import fbm2, perlin2, perlin3, perm_tables
from mc_bench.sim.rng import hash3, mix64

__all__ = ["WorldGen", "preset_names"]

M = 8  # columns computed around a chunk: tree reach + 1
EXT = 16 + 2 * M
REACH = 7  # farthest any tree shape writes from its origin column (max of SHAPE_REACH)
SALT_COLUMN, SALT_TREE, SALT_ORE = 0x101, 0x30000, 0x40000

# Noise fields (rows of the permutation table and of Tables.noise).
N_DETAIL, N_C, N_T, N_H, N_HILLS, N_RIVER, N_CAVE1, N_CAVE2, N_SAND = range(9)
N_FIELDS = 9
# Tables.ip (int parameters).
(I_SEA, I_CAVES, I_RIVERS, I_FIXED, I_B_OCEAN, I_B_RIVER, I_B_BEACH, I_B_HILLS, I_STONE, I_BEDROCK,
 I_WATER, I_LAVA, I_SNOW, I_SAND, I_UW_FLOOR, I_UNDER_TRUNK, I_FILL_MIN, I_FILL_MAX, I_SUB_MIN, I_SUB_MAX,
 I_GRAVEL_DEPTH, I_MIN_H, I_MAX_H, I_CAVE_MIN, I_CAVE_MAX, I_LAVA_BELOW, I_CAVE_MARGIN, I_TREE_CAND,
 I_LEAF_A, I_LEAF_B, I_BED0) = range(31)
I_CLAY = I_BED0 + 5
N_IP = I_CLAY + 1
# Tables.fp (float parameters).
(F_OCEAN, F_BEACH, F_HILLS, F_RIVER_W, F_RIVER_V, F_RIVER_FLOOR, F_SPAWN_R, F_SPAWN_A, F_CAVE_T,
 F_SAND_ABOVE, F_CLAY_BELOW) = range(11)
N_FP = 11
# Tables.bio_i / bio_f columns.
BI_ID, BI_TOP, BI_FILLER, BI_SUB, BI_TREES, BI_SNOW, BI_P0, BI_P1 = range(8)
BF_H, BF_V, BF_EXTRA = range(3)
# Tables.tree_i columns and tree shapes.
TI_SHAPE, TI_LOG, TI_LEAVES, TI_HMIN, TI_HMAX = range(5)
SHAPES = {"oak": 0, "swamp": 1, "spruce": 2, "pine": 3, "big_oak": 4, "mega_jungle": 5, "bush": 6,
          "acacia": 7, "dark_oak": 8}
S_OAK, S_SWAMP, S_SPRUCE, S_PINE, S_BIG_OAK, S_MEGA, S_BUSH, S_ACACIA, S_DARK = range(9)
SHAPE_REACH = np.array([2, 3, 3, 4, 5, 7, 2, 6, 5])  # farthest leaf/log from the origin column, per shape
# Tables.ore_i columns.
O_STATE, O_SIZE, O_CMIN, O_CMAX, O_YMIN, O_YMAX, O_TRI, O_CENTRE, O_SPREAD, O_BIOMES, O_TSET = range(11)
N_TEMPLATES = 256  # pre-rasterised vein shapes per vein size

Tables = namedtuple(
    "Tables",
    [
        "ip",  # int64[N_IP]
        "fp",  # float64[N_FP]
        "noise",  # float64[N_FIELDS, 3]: 1/scale (x and z), octaves, gain
        "noise_y",  # float64: 1/scale of the cave fields along y (array of 1 for numba)
        "blend",  # float64[2r+1, 2r+1]: normalised height-blend weights
        "land",  # float64[n, 5]: t_min, t_max, h_min, h_max, biome
        "bio_i",  # int64[nb, 8]
        "bio_f",  # float64[nb, 3]
        "tree_i",  # int64[nk, 5]
        "tree_mix",  # float64[nb, nk]: cumulative kind probabilities per biome
        "tree_ground",  # int64[]: states a tree may stand on
        "ore_i",  # int64[no, 11]
        "vein_off",  # int8[n, 3]: (x, y, z) offsets of every vein template, concatenated
        "vein_start",  # int64[n_sizes, N_TEMPLATES + 1]: template k of set s is vein_off[start[s,k]:start[s,k+1]]
        "vein_box",  # int64[n_sizes, N_TEMPLATES, 4]: min x, max x, min z, max z of each template
        "plant_i",  # int64[np, features.N_PLANT]
        "plant_f",  # float64[np]: cumulative chance within its biome
        "feat_i",  # int64[features.N_FI]: vines, cave features, villages
        "vine_f",  # float64[nb]: vine chance per surface column
        "vil_mat",  # int64[nb, 6]: village materials per biome
        "vil_crops",  # int64[k, 2]: crop states a village farm may grow, and their ripe age
    ],
)


# --------------------------------------------------------------------------------------------
# Rules compilation (Python, cached per preset)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _yaml() -> dict:
    return read_yaml("worldgen.yaml")


def preset_names() -> list[str]:
    """Names of the world presets in ``worldgen.yaml``."""
    return list(_yaml()["presets"])


@functools.lru_cache(maxsize=None)
def _spawn_rules(rules) -> tuple[np.ndarray, int]:
    sp = _yaml()["spawn"]
    return np.array([_state(rules, s) for s in sp["ground"]], np.int64), int(sp["search_chunks"])


def _state(rules, spec) -> int:
    if isinstance(spec, str):
        return rules.state(spec)
    return rules.state(spec[0], int(spec[1]))


def _noise_row(spec: dict) -> list[float]:
    return [1.0 / float(spec["scale"]), float(spec.get("octaves", 1)), float(spec.get("gain", 0.5))]


@functools.lru_cache(maxsize=None)
def _compile(rules, preset: str) -> Tables:
    """Kernel tables of one preset (cached: a reset builds a WorldGen and must not parse YAML)."""
    y = _yaml()
    if preset not in y["presets"]:
        raise RulesValidationError(
            f"Unknown world preset {preset!r}; known presets: {', '.join(y['presets'])} "
            "(mc_bench/rules/worldgen.yaml, section presets)."
        )
    p = y["presets"][preset]
    names = list(y["biomes"])
    bidx = {n: i for i, n in enumerate(names)}

    def biome(name: str) -> int:
        if name not in bidx:
            raise RulesValidationError(f"worldgen.yaml names biome {name!r}; known biomes: {', '.join(names)}.")
        return bidx[name]

    kinds = list(y["trees"]["kinds"])
    bio_i, bio_f, tree_mix, plant_i, plant_f = _biome_tables(rules, y, kinds)
    ip = _int_params(rules, y, p, biome)
    ip[I_TREE_CAND] = int(bio_i[:, BI_TREES].max()) + 1
    ip[[I_LEAF_A, I_LEAF_B]] = _leaf_ids(rules, y["trees"]["kinds"])
    land = np.array([[*r["temperature"], *r["humidity"], biome(r["biome"])] for r in y["climate"]["land"]], float)
    return Tables(
        ip=ip, fp=_float_params(y), noise=_noise_table(y), noise_y=np.array([1.0 / y["caves"]["scale_y"]]),
        blend=_blend_weights(int(y["terrain"]["blend_radius"])), land=land, bio_i=bio_i, bio_f=bio_f,
        tree_i=_tree_table(rules, y["trees"]["kinds"]), tree_mix=tree_mix,
        tree_ground=np.array([_state(rules, s) for s in y["trees"]["ground"]], np.int64),
        **_ore_tables(rules, y["ores"], biome),
        plant_i=plant_i, plant_f=plant_f, **feature_tables(rules, y, names),
    )


def _float_params(y) -> np.ndarray:
    cl = y["climate"]
    fp = np.zeros(N_FP)
    fp[[F_OCEAN, F_BEACH, F_HILLS, F_RIVER_W, F_RIVER_V, F_RIVER_FLOOR]] = [
        cl["ocean_below"], cl["beach_band"], cl["hills_above"], cl["river_width"], cl["river_valley"],
        cl["river_floor"]]
    fp[F_SPAWN_R], fp[F_SPAWN_A] = cl["spawn_land"]["radius"], cl["spawn_land"]["amount"]
    fp[F_CAVE_T] = y["caves"]["threshold"]
    fp[F_SAND_ABOVE] = y["terrain"]["underwater"]["sand_noise"]["above"]
    fp[F_CLAY_BELOW] = y["terrain"]["underwater"]["clay_below"]
    return fp


def _noise_table(y) -> np.ndarray:
    # Rows in N_* order; both cave fields share one scale.
    cl, terr, cave = y["climate"], y["terrain"], {"scale": y["caves"]["scale_xz"]}
    return np.array([_noise_row(s) for s in (
        terr["detail_noise"], cl["continentalness"], cl["temperature"], cl["humidity"], cl["hills"],
        cl["river"], cave, cave, terr["underwater"]["sand_noise"])])


def _int_params(rules, y, preset: dict, biome) -> np.ndarray:
    ip = np.zeros(N_IP, np.int64)
    b, terr, cl, cv = y["blocks"], y["terrain"], y["climate"], y["caves"]
    ip[I_SEA] = preset["sea_level"]
    ip[I_CAVES], ip[I_RIVERS] = bool(preset["caves"]), bool(preset["rivers"])
    ip[I_FIXED] = biome(preset["biome"]) if preset.get("biome") else -1
    roles = cl["roles"]
    ip[[I_B_OCEAN, I_B_RIVER, I_B_BEACH, I_B_HILLS]] = [biome(roles[k]) for k in ("ocean", "river", "beach", "hills")]
    for i, k in ((I_STONE, "stone"), (I_BEDROCK, "bedrock"), (I_WATER, "water"), (I_LAVA, "lava"),
                 (I_SNOW, "snow"), (I_SAND, "sand_patch"), (I_UNDER_TRUNK, "under_trunk")):
        ip[i] = _state(rules, b[k])
    ip[I_UW_FLOOR] = _state(rules, terr["underwater"]["floor"])
    ip[I_CLAY] = _state(rules, terr["underwater"]["clay"])
    ip[[I_FILL_MIN, I_FILL_MAX]] = terr["filler_depth"]
    ip[[I_SUB_MIN, I_SUB_MAX]] = terr["subfiller_depth"]
    ip[I_GRAVEL_DEPTH] = terr["underwater"]["gravel_depth"]
    ip[[I_MIN_H, I_MAX_H]] = terr["min_height"], terr["max_height"]
    ip[[I_CAVE_MIN, I_CAVE_MAX, I_LAVA_BELOW, I_CAVE_MARGIN]] = [
        cv["min_y"], cv["max_y"], cv["lava_below"], cv["ocean_floor_margin"]]
    # Bedrock chance per y as a threshold on 12 hash bits.
    ip[I_BED0:I_BED0 + 5] = [round(c * 4096) for c in terr["bedrock_chance"]]
    return ip


def _blend_weights(r: int) -> np.ndarray:
    # Minecraft's parabolic field 10 / sqrt(dx^2 + dz^2 + 0.2), normalised.
    d = np.arange(-r, r + 1, dtype=float)
    w = 10.0 / np.sqrt(d[:, None] ** 2 + d[None, :] ** 2 + 0.2)
    return w / w.sum()


def _biome_tables(rules, y, kinds):
    biomes = y["biomes"]
    nb, nk = len(biomes), len(kinds)
    bio_i = np.zeros((nb, 8), np.int64)
    bio_f = np.zeros((nb, 3))
    mix = np.zeros((nb, nk))
    plants_i, plants_f = [], []
    for i, (name, b) in enumerate(biomes.items()):
        sub = b.get("subfiller")
        bio_i[i, :6] = [b["id"], _state(rules, b["top"]), _state(rules, b["filler"]),
                        _state(rules, sub) if sub else 0, b.get("trees", 0), b.get("snow_above", -1)]
        bio_f[i] = [b["height"], b["variation"], b.get("extra_tree", 0.0)]
        for k, prob in (b.get("tree_mix") or {}).items():
            if k not in kinds:
                raise RulesValidationError(f"worldgen.yaml biome {name!r} names tree {k!r}; known: {', '.join(kinds)}.")
            mix[i, kinds.index(k)] = prob
        bio_i[i, BI_P0] = len(plants_i)
        rows, chances = plant_rows(rules, b)
        plants_i += rows
        plants_f += list(np.cumsum(chances))
        bio_i[i, BI_P1] = len(plants_i)
    plant_i = np.array(plants_i, np.int64).reshape(-1, N_PLANT)
    return bio_i, bio_f, np.cumsum(mix, axis=1), plant_i, np.array(plants_f, float)


def _tree_table(rules, kinds: dict) -> np.ndarray:
    rows = []
    for name, k in kinds.items():
        if k["shape"] not in SHAPES:
            raise RulesValidationError(
                f"worldgen.yaml tree {name!r} has shape {k['shape']!r}; known: {', '.join(SHAPES)}.")
        rows.append([SHAPES[k["shape"]], _state(rules, k["log"]), _state(rules, k["leaves"]), *k["height"]])
    return np.array(rows, np.int64)


def _leaf_ids(rules, kinds: dict) -> list[int]:
    # Logs may replace these block ids (tree writers compare against two scalars).
    ids = sorted({_state(rules, k["leaves"]) >> 4 for k in kinds.values()})
    if len(ids) > 2:
        raise RulesValidationError("worldgen.yaml trees use more than two leaf blocks; the generator supports two.")
    return (ids + ids)[:2]


def _ore_tables(rules, ores: list, biome) -> dict:
    rows, sizes = [], []
    for o in ores:
        if not o.get("enabled", True):
            continue
        cmin, cmax = (o["count"], o["count"]) if isinstance(o["count"], int) else o["count"]
        mask = -1
        if o.get("biomes"):
            mask = sum(1 << biome(n) for n in o["biomes"])
        tri = o.get("distribution", "uniform") == "triangular"
        if o["size"] > 1 and o["size"] not in sizes:
            sizes.append(o["size"])
        tset = sizes.index(o["size"]) if o["size"] > 1 else -1
        rows.append([_state(rules, o["block"]), o["size"], cmin, cmax, o["y"][0], o["y"][1], int(tri),
                     o.get("centre", 0), o.get("spread", 0), mask, tset])
    offs, starts, boxes, n = [], [], [], 0
    for size in sizes:
        off, st = _templates(size)
        offs.append(off)
        starts.append(st + n)
        n += len(off)
        # An empty vein (possible, as in Minecraft) gets a box that never meets a chunk.
        boxes.append([[off[a:b, 0].min(), off[a:b, 0].max(), off[a:b, 2].min(), off[a:b, 2].max()] if b > a
                      else [99, -99, 99, -99] for a, b in zip(st[:-1], st[1:], strict=True)])
    return dict(ore_i=np.array(rows, np.int64).reshape(-1, 11),
                vein_off=np.concatenate(offs) if offs else np.zeros((0, 3), np.int8),
                vein_start=np.array(starts, np.int64).reshape(-1, N_TEMPLATES + 1),
                vein_box=np.array(boxes, np.int64).reshape(-1, N_TEMPLATES, 4))


@functools.lru_cache(maxsize=None)
def _templates(size: int):
    return _vein_templates(size, N_TEMPLATES)


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
        return ip[I_B_OCEAN]
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
    """Plants and snow, vines, cave cobwebs and mushrooms, villages (sim/features.py)."""
    x0, z0, sea = cx * 16, cz * 16, T.ip[I_SEA]
    plants(B, ox, oz, x0, z0, hcol, M, bio, seed, sea, T.ip[I_SNOW], T.bio_i, (BI_P0, BI_P1, BI_SNOW), T.plant_i,
           T.plant_f)
    vines(B, ox, oz, x0, z0, hcol, M, bio, seed, T.vine_f, T.feat_i[FI_VINE], T.ip[I_WATER])
    if T.ip[I_CAVES]:
        cave_features(B, ox, oz, cx, cz, hcol, M, seed, T.feat_i)
    village(B, ox, oz, cx, cz, hcol, M, bio, seed, sea, T.feat_i, T.bio_i, BI_TOP, BI_FILLER, T.vil_mat, T.vil_crops)


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
