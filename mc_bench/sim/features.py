"""Surface and underground features of a generated chunk, after terrain, caves, ores and trees:
plants (flowers, grass, cactus, sugar cane, pumpkins, melons, mushrooms), snow, vines, cave cobwebs
and mushrooms, and villages. Numbers and block names: ``worldgen.yaml`` (biome ``plants``/``vines``,
``features``, ``villages``), compiled by :func:`feature_tables`.

Like the rest of world generation, every choice is a hash of the seed and world coordinates and a
feature writes only its own chunk, so chunks stay pure functions of (seed, preset, cx, cz). Features
that would cross a chunk border are cut there (vines only hang from trees in their own chunk; a
village fills exactly one chunk).
"""

from __future__ import annotations

import numpy as np

from mc_bench.error import RulesValidationError
from mc_bench.rules.world_rules import BK_CROP
from mc_bench.sim._jit import njit
from mc_bench.sim.lakes import N_LK, lake, lake_params
from mc_bench.sim.rng import hash3, mix64
from mc_bench.sim.structures import level_ground, region_pick, structure_tables

SALT_PLANT, SALT_VINE, SALT_CAVE, SALT_VILLAGE = 0x202, 0x50000, 0x60000, 0x70000
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# Plant table columns: state, up to three soils (-1 = none), height min/max, isolated (cactus), needs
# water beside the soil (sugar cane), random meta count (0 = fixed meta).
P_STATE, P_ON0, P_ON1, P_ON2, P_HMIN, P_HMAX, P_ISO, P_WATER, P_RMETA = range(9)
N_PLANT = 9
# feat_i: scalar parameters.
(FI_VINE, FI_CAVE_ATT, FI_CAVE_Y0, FI_CAVE_Y1, FI_WEB, FI_WEB_CH, FI_MUSH0, FI_MUSH1, FI_MUSH_CH, FI_WATER, FI_LAVA,
 FI_SPACING, FI_V_CHANCE, FI_SLOPE, FI_BIOMES, FI_PATH, FI_FARMLAND, FI_FWATER, FI_CHEST) = range(19)
FI_LAKE0 = 19  # feat_i[FI_LAKE0:] is the lake parameter row (sim/lakes.py)
N_FI = FI_LAKE0 + N_LK
# vil_mat columns: floor, wall, corner, roof, window, border (per biome index).
VM_FLOOR, VM_WALL, VM_CORNER, VM_ROOF, VM_WINDOW, VM_BORDER = range(6)
CHANCE_ONE = 1 << 16  # chances are stored as integers out of this
# Vine meta for a support block at -z, +z, -x, +x (north, south, west, east).
VINE_DI = np.array([0, 0, -1, 1])
VINE_DJ = np.array([-1, 1, 0, 0])
VINE_BITS = np.array([4, 1, 2, 8])


def _state(rules, spec) -> int:
    if isinstance(spec, str):
        return rules.state(spec)
    return rules.state(spec[0], int(spec[1]))


def plant_rows(rules, biome: dict) -> tuple[list, list]:
    """Plant table rows and chances of one biome entry of worldgen.yaml."""
    rows, chances = [], []
    for pl in biome.get("plants") or []:
        if "on" in pl or True in pl:
            raise RulesValidationError("worldgen.yaml plants: write `soil:` (YAML reads the key `on` as true).")
        soil = [_state(rules, s) for s in pl.get("soil", [biome["top"]])]
        if len(soil) > 3:
            raise RulesValidationError(f"worldgen.yaml plant {pl['block']!r}: at most three soil blocks.")
        soil += [-1] * (3 - len(soil))
        hmin, hmax = pl.get("height", [1, 1])
        rows.append([_state(rules, pl["block"]), *soil, hmin, hmax, int(pl.get("isolated", False)),
                     int(pl.get("water", False)), int(pl.get("random_meta", 0))])
        chances.append(float(pl["chance"]))
    return rows, chances


def feature_tables(rules, y: dict, biome_names: list, preset: dict | None = None) -> dict:
    """Arrays for the feature kernels: feat_i, vine_f, vil_mat, vil_crops, struct_i (fields of worldgen.Tables);
    ``preset`` (its worldgen.yaml entry) turns lakes on."""
    f, v = y["features"], y["villages"]
    fi = np.zeros(N_FI, np.int64)
    fi[FI_VINE], fi[FI_WEB] = _state(rules, f["vine"]), _state(rules, f["cobweb"])
    fi[FI_CAVE_ATT] = f["cave_attempts"]
    fi[[FI_CAVE_Y0, FI_CAVE_Y1]] = f["cave_y"]
    fi[FI_WEB_CH], fi[FI_MUSH_CH] = round(f["cobweb_chance"] * CHANCE_ONE), round(f["mushroom_chance"] * CHANCE_ONE)
    fi[[FI_MUSH0, FI_MUSH1]] = [_state(rules, m) for m in f["mushrooms"]]
    fi[FI_WATER], fi[FI_LAVA] = _state(rules, y["blocks"]["water"]), _state(rules, y["blocks"]["lava"])
    fi[FI_SPACING], fi[FI_V_CHANCE], fi[FI_SLOPE] = v["spacing"], round(v["chance"] * CHANCE_ONE), v["max_slope"]
    for name in v["biomes"]:
        if name not in biome_names:
            raise RulesValidationError(f"worldgen.yaml villages names biome {name!r}; known: {', '.join(biome_names)}.")
        fi[FI_BIOMES] |= 1 << biome_names.index(name)
    fi[FI_PATH], fi[FI_FARMLAND] = _state(rules, v["path"]), _state(rules, v["farmland"])
    fi[FI_FWATER], fi[FI_CHEST] = _state(rules, v["farm_water"]), _state(rules, v["chest"])
    keys = ("floor", "wall", "corner", "roof", "window", "border")
    mats = v["materials"]
    vil_mat = np.zeros((len(biome_names), len(keys)), np.int64)
    for b, name in enumerate(biome_names):
        m = mats.get(name, mats["default"])
        vil_mat[b] = [_state(rules, m[k]) for k in keys]
    vine_f = np.array([y["biomes"][n].get("vines", 0.0) for n in biome_names])
    crops = [(_state(rules, c), int(rules.world.blk[rules.block(c), BK_CROP])) for c in v["crops"]]
    if any(age == 0 for _, age in crops):
        raise RulesValidationError("worldgen.yaml villages.crops must be crops of blocks.yaml crops.max_age.")
    fi[FI_LAKE0:] = lake_params(rules, y, biome_names, preset or {})
    return {"feat_i": fi, "vine_f": vine_f, "vil_mat": vil_mat, "vil_crops": np.array(crops, np.int64),
            "struct_i": structure_tables(rules, y, biome_names)}


# --------------------------------------------------------------------------------------------
# Plants and snow
# --------------------------------------------------------------------------------------------


@njit
def plants(B, ox, oz, x0, z0, hcol, m, bio, seed, sea, snow_state, bio_i, cols, plant_i, plant_f):
    """At most one plant per surface column (first table hit wins), then snow where cold.
    ``cols``: the columns of ``bio_i`` holding the first plant row, the end row and the snow line;
    ``m``: margin of ``hcol`` around the chunk."""
    for i in range(16):
        for j in range(16):
            h, bi, bj = hcol[i + m, j + m], ox + i, oz + j
            if h < sea - 1 or h >= 250 or B[bi, bj, h + 1] != 0 or B[bi, bj, h] == 0:
                continue
            b = bio[i, j]
            u = hash3(seed, x0 + i, z0 + j, SALT_PLANT)
            p = np.float64(u >> np.uint64(11)) * (1.0 / 9007199254740992.0)
            for k in range(bio_i[b, cols[0]], bio_i[b, cols[1]]):
                if p < plant_f[k]:
                    water = plant_i[k, P_WATER] and _beside_sea(hcol, i + m, j + m, h, sea)
                    _plant(B, hcol, i + m, j + m, bi, bj, h, x0 + i, z0 + j, plant_i[k], water,
                           np.int64(u & np.uint64(255)), np.int64((u >> np.uint64(8)) & np.uint64(255)))
                    break
            snow = bio_i[b, cols[2]]
            if snow >= 0 and h >= snow and B[bi, bj, h + 1] == 0:
                B[bi, bj, h + 1] = snow_state


@njit
def _beside_sea(hcol, a, b, h, sea):
    """The surface block at y ``h`` touches sea water sideways (a neighbour column is under water)."""
    if h != sea - 1:
        return False
    return (hcol[a + 1, b] < sea - 1 or hcol[a - 1, b] < sea - 1 or hcol[a, b + 1] < sea - 1
            or hcol[a, b - 1] < sea - 1)


@njit
def _plant(B, hcol, a, b, bi, bj, h, x, z, row, water, r, r2):
    s = B[bi, bj, h]
    if s != row[P_ON0] and s != row[P_ON1] and s != row[P_ON2]:
        return
    if row[P_WATER] and not water:
        return
    if row[P_ISO]:  # cactus: on an even lattice (never beside another), no taller ground beside it
        if (x & 1) or (z & 1):
            return
        for da, db in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            if hcol[a + da, b + db] > h:
                return
    state = row[P_STATE] + (r2 % row[P_RMETA] if row[P_RMETA] > 0 else 0)
    for y in range(h + 1, h + 1 + row[P_HMIN] + r % (row[P_HMAX] - row[P_HMIN] + 1)):
        B[bi, bj, y] = state


# --------------------------------------------------------------------------------------------
# Vines and caves
# --------------------------------------------------------------------------------------------


@njit
def vines(B, ox, oz, x0, z0, hcol, m, bio, seed, vine_f, vine_state, water):
    """In vine biomes, a column may get a vine hanging from the side of a tree block beside it
    (the highest one in this chunk), 1-4 blocks long."""
    for i in range(16):
        for j in range(16):
            chance = vine_f[bio[i, j]]
            if chance <= 0.0:
                continue
            u = hash3(seed, x0 + i, z0 + j, SALT_VINE)
            if np.float64(u >> np.uint64(11)) * (1.0 / 9007199254740992.0) >= chance:
                continue
            bi, bj, h = ox + i, oz + j, hcol[i + m, j + m]
            for y in range(min(h + 32, 254), h + 1, -1):
                if B[bi, bj, y] != 0:
                    continue
                meta = 0
                for d in range(4):
                    di, dj = VINE_DI[d], VINE_DJ[d]
                    if meta == 0 and 0 <= i + di < 16 and 0 <= j + dj < 16:
                        s = B[bi + di, bj + dj, y]
                        if s != 0 and s != water:
                            meta = VINE_BITS[d]
                if meta == 0:
                    continue
                n = 1 + np.int64((u >> np.uint64(4)) & np.uint64(3))
                for k in range(n):
                    if y - k <= h or B[bi, bj, y - k] != 0:
                        break
                    B[bi, bj, y - k] = vine_state | meta
                break


@njit
def cave_features(B, ox, oz, cx, cz, hcol, m, seed, F):
    """Cobwebs under cave ceilings and mushrooms on cave floors: a few columns per chunk are scanned
    bottom-up for their first cave (air with a floor that is neither water nor lava)."""
    base = hash3(seed, cx, cz, SALT_CAVE)
    for a in range(F[FI_CAVE_ATT]):
        u = mix64(base + np.uint64(a + 1) * GOLDEN)
        i, j = np.int64(u & np.uint64(15)), np.int64((u >> np.uint64(4)) & np.uint64(15))
        bi, bj = ox + i, oz + j
        top = min(F[FI_CAVE_Y1], hcol[i + m, j + m] - 4)
        roll = np.int64((u >> np.uint64(16)) & np.uint64(0xFFFF))
        for y in range(F[FI_CAVE_Y0], top):
            if B[bi, bj, y] != 0:
                continue
            floor = B[bi, bj, y - 1]
            if floor == 0 or floor == F[FI_WATER] or floor == F[FI_LAVA]:
                break
            if roll < F[FI_MUSH_CH]:
                B[bi, bj, y] = F[FI_MUSH0] if (u >> np.uint64(40)) & np.uint64(1) else F[FI_MUSH1]
            elif roll < F[FI_MUSH_CH] + F[FI_WEB_CH]:
                c = y
                while c + 1 < top and B[bi, bj, c + 1] == 0:
                    c += 1
                if B[bi, bj, c + 1] != 0:
                    B[bi, bj, c] = F[FI_WEB]
            break


# --------------------------------------------------------------------------------------------
# Villages
# --------------------------------------------------------------------------------------------


@njit
def village_chunk(seed, cx, cz, F):
    """Whether chunk (cx, cz) is the village candidate of its region (before biome and slope checks)."""
    return region_pick(seed, cx, cz, F[FI_SPACING], F[FI_V_CHANCE], SALT_VILLAGE)


@njit
def village(B, ox, oz, cx, cz, hcol, m, bio, seed, sea, F, bio_i, top_col, filler_col, mat, crops):
    """The region's village if this chunk gets it, else maybe a lake (sim/lakes.py); whether either was built."""
    return (_village(B, ox, oz, cx, cz, hcol, m, bio, seed, sea, F, bio_i, top_col, filler_col, mat, crops)
            or lake(B, ox, oz, cx, cz, hcol, m, bio, seed, sea, F[FI_LAKE0:]))


@njit
def _village(B, ox, oz, cx, cz, hcol, m, bio, seed, sea, F, bio_i, top_col, filler_col, mat, crops):
    """Build the region's village in this chunk if it is the candidate, in a village biome, dry and
    flat enough: levelled ground, a path, two houses, a blacksmith with a loot chest and a farm."""
    if not village_chunk(seed, cx, cz, F):
        return False
    b = bio[8, 8]
    if not (F[FI_BIOMES] >> b) & 1:
        return False
    lo, hi = 1 << 30, -1
    for i in range(16):
        for j in range(16):
            lo, hi = min(lo, hcol[i + m, j + m]), max(hi, hcol[i + m, j + m])
    base = hcol[8 + m, 8 + m]
    if hi - lo > F[FI_SLOPE] or lo < sea - 1 or base > 240:
        return False
    level_ground(B, ox, oz, base, bio_i[b, top_col], bio_i[b, filler_col])
    for i in range(16):
        for j in (7, 8):
            B[ox + i, oz + j, base] = F[FI_PATH]
    mb = mat[b]
    _house(B, ox, oz, base, 1, 1, 5, 5, 3, 5, mb)
    _house(B, ox, oz, base, 9, 1, 6, 5, 11, 5, mb)
    B[ox + 10, oz + 2, base + 1] = F[FI_CHEST] | 3  # the blacksmith's chest (facing meta 3: loot)
    _house(B, ox, oz, base, 10, 10, 5, 5, 12, 10, mb)
    _farm(B, ox, oz, base, cx, cz, seed, F, mb, crops)
    return True


@njit
def _house(B, ox, oz, base, i0, j0, w, d, door_i, door_j, mb):
    """A box house: floor, walls with log corners and windows, a flat roof, a door gap at (door_i, door_j)."""
    for i in range(i0, i0 + w):
        for j in range(j0, j0 + d):
            col = B[ox + i, oz + j]
            col[base] = mb[VM_FLOOR]
            edge_i, edge_j = i == i0 or i == i0 + w - 1, j == j0 or j == j0 + d - 1
            for y in range(base + 1, base + 4):
                if edge_i and edge_j:
                    col[y] = mb[VM_CORNER]
                elif edge_i or edge_j:
                    mid = (edge_i and j == j0 + d // 2) or (edge_j and i == i0 + w // 2)
                    col[y] = mb[VM_WINDOW] if (mid and y == base + 2) else mb[VM_WALL]
            col[base + 4] = mb[VM_ROOF]
    for y in (base + 1, base + 2):
        B[ox + door_i, oz + door_j, y] = 0


@njit
def _farm(B, ox, oz, base, cx, cz, seed, F, mb, crops):
    """A 7 x 5 field: border, farmland in three rows either side of a water channel, crops of random age."""
    u = hash3(seed, cx, cz, SALT_VILLAGE + 1)
    c = np.int64(u & np.uint64(0xFF)) % crops.shape[0]
    crop, top = crops[c, 0], crops[c, 1]
    for i in range(1, 8):
        for j in range(10, 15):
            col = B[ox + i, oz + j]
            if i == 1 or i == 7 or j == 10 or j == 14:
                col[base] = mb[VM_BORDER]
            elif i == 4:
                col[base] = F[FI_FWATER]
            else:
                col[base] = F[FI_FARMLAND] | 7  # moist
                u = mix64(u + GOLDEN)
                col[base + 1] = crop | np.int64(u & np.uint64(0xFF)) % (top + 1)
