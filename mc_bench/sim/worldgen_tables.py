"""The world generator's tables: their layout and their compilation from ``worldgen.yaml``.

Column indices of every table (the kernels see only arrays), the ``Tables`` tuple the kernels
take, and ``_compile``, which builds it from ``mc_bench/rules/worldgen.yaml`` (Python, cached per
preset).
"""

from __future__ import annotations

import functools
from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError
from mc_bench.rules import read_yaml
from mc_bench.sim.features import N_PLANT, feature_tables, plant_rows
from mc_bench.sim.worldgen_rand import _vein_templates

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
I_CLAY, I_B_DEEP = I_BED0 + 5, I_BED0 + 6
N_IP = I_B_DEEP + 1
# Tables.fp (float parameters).
(F_OCEAN, F_BEACH, F_HILLS, F_RIVER_W, F_RIVER_V, F_RIVER_FLOOR, F_SPAWN_R, F_SPAWN_A, F_CAVE_T,
 F_SAND_ABOVE, F_CLAY_BELOW, F_DEEP) = range(12)
N_FP = 12
# Tables.bio_i / bio_f columns.
BI_ID, BI_TOP, BI_FILLER, BI_SUB, BI_TREES, BI_SNOW, BI_P0, BI_P1 = range(8)
BF_H, BF_V, BF_EXTRA = range(3)
# Tables.tree_i columns and tree shapes.
TI_SHAPE, TI_LOG, TI_LEAVES, TI_HMIN, TI_HMAX, TI_POD = range(6)  # TI_POD: cocoa state (0: none)
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
        "tree_i",  # int64[nk, 6]
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
        "struct_i",  # int64[n, structures.N_SI]: monuments, mansions (sim/structures.py)
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
        plant_i=plant_i, plant_f=plant_f, **feature_tables(rules, y, names, p),
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
    fp[F_CLAY_BELOW], fp[F_DEEP] = y["terrain"]["underwater"]["clay_below"], cl["deep_ocean_below"]
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
    roles = [biome(cl["roles"][k]) for k in ("ocean", "river", "beach", "hills", "deep_ocean")]
    ip[[I_B_OCEAN, I_B_RIVER, I_B_BEACH, I_B_HILLS, I_B_DEEP]] = roles
    for i, k in ((I_STONE, "stone"), (I_BEDROCK, "bedrock"), (I_WATER, "water"), (I_LAVA, "lava"),
                 (I_SNOW, "snow"), (I_SAND, "sand_patch"), (I_UNDER_TRUNK, "under_trunk")):
        ip[i] = _state(rules, b[k])
    ip[I_UW_FLOOR], ip[I_CLAY] = _state(rules, terr["underwater"]["floor"]), _state(rules, terr["underwater"]["clay"])
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
        pod = _state(rules, k["pods"]) if "pods" in k else 0
        rows.append([SHAPES[k["shape"]], _state(rules, k["log"]), _state(rules, k["leaves"]), *k["height"], pod])
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
