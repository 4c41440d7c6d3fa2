"""Compile the world-block sections of ``blocks.yaml`` (fluids, use actions, crops, TNT, fire, chest loot)
into the few packed arrays the kernels of ``sim/fluids.py``, ``sim/farming.py`` and ``sim/usage.py`` read.

The tables are few and packed (named column constants below) because numba unboxes every array of a
rules tuple on every engine call.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError

# WorldRules.blk, int32[N_BLOCKS, N_BLK] by block id.
# BK_FLUID: fluid row + 1 (0 = not a fluid); BK_FLOWABLE: a flow washes it away; BK_TILL: a hoe makes
# it farmland; BK_CROP: max age of a crop (0 = not a crop); BK_PLANT_ON: bit k = plant row k may stand on it;
# BK_SOIL: pops off (with drops) when the block under it is no longer solid.
BK_FLUID, BK_FLOWABLE, BK_TILL, BK_CROP, BK_PLANT_ON, BK_SOIL = range(6)
N_BLK = 6
# WorldRules.itm, int32[N_ITEMS, N_ITM] by item id: use kind, and its arguments.
IT_USE, IT_A, IT_B, IT_C = range(4)
N_ITM = 4
# Use kinds. FILL: a = item per fluid row (itm of the fluid row r is at fill[r]); POUR: a = fluid row,
# b = item left; TILL; PLANT: a = block, b = plant row, c = needs water; IGNITE: a = fire block, b = wear;
# FERTILIZE: a = item meta required, b/c = stages min/max; ELSEWHERE: handled by another system (not counted
# as a use); COUNTED: another system runs it and counts the use (the bow); FISH: a = cast range (sim/fishing.py).
U_NONE, U_FILL, U_POUR, U_TILL, U_PLANT, U_IGNITE, U_FERTILIZE, U_ELSEWHERE, U_COUNTED, U_FISH = range(10)
# WorldRules.fluid, int64[n fluids, N_FL].
FL_STILL, FL_FLOWING, FL_DECAY, FL_RATE, FL_SLOPE, FL_INFINITE, FL_FILLED = range(7)
N_FL = 7
# WorldRules.p, int64 scalars. P_FISH*: fishing (first loot row of the catch table, phase timers [min, max],
# wear of a catch and of a hook reeled in from land, line length).
(P_MIX_SOURCE, P_MIX_FLOWING, P_MIX_ONTO, P_MIX_LEVEL, P_LAVA_ROW, P_WATER_ROW, P_FARMLAND, P_WET_R, P_TNT,
 P_TNT_LIT, P_FUSE, P_FIRE, P_BURN_MIN, P_BURN_MAX, P_CHEST, P_ROLL_MIN, P_ROLL_MAX, P_CHAIN_MIN,
 P_CHAIN_MAX, P_FISH0, P_WAIT0, P_WAIT1, P_APPROACH0, P_APPROACH1, P_BITE0, P_BITE1, P_CATCH_WEAR, P_LAND_WEAR,
 P_LINE) = range(29)
N_P = 29
# WorldRules.loot, float64[n, N_LOOT]: item, meta, cumulative weight (last = 1), count min, max. Rows before
# p[P_FISH0] are the chest table, the rest the fishing catch table (each cumulative on its own).
L_ITEM, L_META, L_CUM, L_MIN, L_MAX = range(5)
N_LOOT = 5
# WorldRules.weather, float64[WX_BIOME0 + 256] (blocks.yaml ``weather``): timer ranges [min, max) of each flag
# state, strength ramp and thresholds, lightning (WX_CHANCE: 1 in this per chunk a tick; WX_RGB: charged colour),
# then per biome id what falls there: W_DRY, W_RAIN or W_SNOW.
(WX_RAIN_ON, WX_RAIN_ON1, WX_RAIN_OFF, WX_RAIN_OFF1, WX_THUNDER_ON, WX_THUNDER_ON1, WX_THUNDER_OFF, WX_THUNDER_OFF1,
 WX_RAMP, WX_RAIN_ABOVE, WX_STORM_ABOVE, WX_SNOW_BELOW, WX_CHANCE, WX_AIM, WX_REACH, WX_HEIGHT, WX_DAMAGE, WX_FIRES,
 WX_RGB, WX_BIOME0) = range(20)
W_DRY, W_RAIN, W_SNOW = range(3)

WorldRules = namedtuple(
    "WorldRules",
    [
        "blk",  # int32[N_BLOCKS, N_BLK]
        "itm",  # int32[N_ITEMS, N_ITM]
        "fluid",  # int64[n, N_FL]
        "p",  # int64[N_P]
        "power",  # float64[1]: TNT explosion power
        "loot",  # float64[n, N_LOOT]
        "no_liquid",  # uint8[N_BLOCKS] zeros: a ray that stops at liquids too (buckets)
        "weather",  # float64[WX_BIOME0 + 256]
    ],
)


def compile_world(extra: dict, block_id: dict, item_id: dict, tool_kind: np.ndarray, tool_kinds: tuple,
                  food: np.ndarray, replaceable: np.ndarray, solid: np.ndarray, hardness: np.ndarray, n_blocks: int,
                  n_items: int, climate: np.ndarray | None = None) -> WorldRules:
    """Build :class:`WorldRules` from the ``blocks.yaml`` dict; unknown names raise RulesValidationError.
    ``climate``: (temperature, rainfall) per biome id, for where it rains (default: rain everywhere)."""
    try:
        world = _compile(extra, block_id, item_id, tool_kind, tool_kinds, food, replaceable, solid, hardness,
                         n_blocks, n_items)
    except KeyError as exc:
        raise RulesValidationError(
            f"mc_bench/rules/blocks.yaml (world-block sections) names {exc.args[0]!r}, which minecraft-data does "
            "not know; fix the name in the YAML."
        ) from None
    return world._replace(weather=_weather(extra["weather"], climate))


def _compile(extra, block_id, item_id, tool_kind, tool_kinds, food, replaceable, solid, hardness, n_blocks, n_items):
    blk = np.zeros((n_blocks, N_BLK), np.int32)
    itm = np.zeros((n_items, N_ITM), np.int32)
    p = np.zeros(N_P, np.int64)
    fluid = _fluids(extra, block_id, blk, p)
    # A flow washes away what a placed block may replace and what has no box and breaks at once
    # (plants, crops, torches), never another liquid.
    blk[:, BK_FLOWABLE] = ((replaceable != 0) | (hardness == 0)) & (blk[:, BK_FLUID] == 0) & (solid == 0)
    for name in extra["needs_soil"]:
        blk[block_id[name], BK_SOIL] = 1
    use = extra["use"]
    _fill_pour(use, extra["fluids"], item_id, itm, fluid)
    for name in use["till"]["from"]:
        blk[block_id[name], BK_TILL] = 1
    p[P_FARMLAND] = block_id[use["till"]["to"]]
    hoe = tool_kinds.index(use["till"]["tool_kind"])
    itm[tool_kind == hoe, IT_USE] = U_TILL
    _plants(use["plant"], block_id, item_id, blk, itm)
    for name, spec in use["ignite"].items():
        itm[item_id[name]] = U_IGNITE, block_id[spec["fire"]], spec.get("wear", 1), 0
    for name, spec in use["fertilize"].items():
        itm[item_id[name]] = U_FERTILIZE, spec["meta"], *spec["stages"]
    for name in use["elsewhere"]:
        itm[item_id[name], IT_USE] = U_ELSEWHERE
    for name in use.get("counted_elsewhere", []):
        itm[item_id[name], IT_USE] = U_COUNTED
    itm[(food[:, 0] > 0) & (itm[:, IT_USE] == U_NONE), IT_USE] = U_ELSEWHERE  # eating (sim/vitals.py)
    crops = extra["crops"]
    for name, age in crops["max_age"].items():
        blk[block_id[name], BK_CROP] = age
    if block_id[crops["soil"]] != p[P_FARMLAND]:
        raise RulesValidationError("blocks.yaml: crops.soil must be the block a hoe makes (use.till.to).")
    p[P_WET_R] = crops["wet_radius"]
    tnt, fire = extra["tnt"], extra["fire"]
    p[[P_TNT, P_TNT_LIT, P_FUSE]] = block_id[tnt["block"]], tnt["lit_meta"], tnt["fuse"]
    p[[P_CHAIN_MIN, P_CHAIN_MAX]] = tnt["chain_fuse"]
    p[[P_FIRE, P_BURN_MIN, P_BURN_MAX]] = block_id[fire["block"]], *fire["burn"]
    loot, rolls = _loot(extra["chest_loot"], item_id)
    p[[P_CHEST, P_ROLL_MIN, P_ROLL_MAX]] = block_id[extra["chest_loot"]["block"]], *rolls
    p[P_FISH0] = len(loot)
    loot = np.concatenate([loot, _fishing(use.get("fish", {}), extra.get("fishing_loot", {}), item_id, itm, p)])
    return WorldRules(blk=blk, itm=itm, fluid=fluid, p=p, power=np.array([float(tnt["power"])]), loot=loot,
                      no_liquid=np.zeros(n_blocks, np.uint8), weather=np.zeros(0))


def _weather(y: dict, climate: np.ndarray | None) -> np.ndarray:
    bolt = y["lightning"]
    r, g, b = bolt["charged_color"]
    spans = [v for k in ("rain_on", "rain_off", "thunder_on", "thunder_off") for v in y[k]]
    head = np.array(spans + [y["ramp"], y["rain_above"], y["storm_above"], y["snow_below"]]
                    + [bolt[k] for k in ("chance", "aim", "reach", "height", "damage", "fires")]
                    + [r << 16 | g << 8 | b], float)
    kind = np.full(256, float(W_RAIN))
    if climate is not None:  # Biome.canRain / getEnableSnow: no rainfall is dry, cold biomes get snow
        kind[climate[:, 1] <= 0.0] = W_DRY
        kind[(climate[:, 1] > 0.0) & (climate[:, 0] < y["snow_below"])] = W_SNOW
    return np.concatenate([head, kind])


def _fluids(extra, block_id, blk, p):
    rows = []
    for r, (name, f) in enumerate(extra["fluids"].items()):
        still, flowing = block_id[f["still"]], block_id[f["flowing"]]
        blk[[still, flowing], BK_FLUID] = r + 1
        rows.append([still, flowing, f["decay"], f["rate"], f["slope"], int(f["infinite"]), 0])
        if name == "lava":
            p[P_LAVA_ROW] = r
        if name == "water":
            p[P_WATER_ROW] = r
    if not {"water", "lava"} <= set(extra["fluids"]):
        raise RulesValidationError("blocks.yaml: fluids must define water and lava (lava_mixing needs both).")
    mix = extra["lava_mixing"]
    p[[P_MIX_SOURCE, P_MIX_FLOWING, P_MIX_ONTO]] = [block_id[mix[k]] for k in ("source", "flowing", "onto_water")]
    p[P_MIX_LEVEL] = mix["max_flowing_level"]
    return np.array(rows, np.int64)


def _fill_pour(use, fluids, item_id, itm, fluid):
    names = list(fluids)  # fluid rows follow the order of the fluids section
    for empty, by_fluid in use["fill"].items():
        itm[item_id[empty], IT_USE] = U_FILL
        for fname, full in by_fluid.items():
            if fname not in names:
                raise RulesValidationError(f"blocks.yaml use.fill names fluid {fname!r}; known: {names}.")
            fluid[names.index(fname), FL_FILLED] = item_id[full]
            itm[item_id[full]] = U_POUR, names.index(use["pour"][full]), item_id[empty], 0


def _plants(plants, block_id, item_id, blk, itm):
    for k, (name, spec) in enumerate(plants.items()):
        itm[item_id[name]] = U_PLANT, block_id[spec["block"]], k, int(spec.get("water", False))
        for soil in spec["soil"]:
            blk[block_id[soil], BK_PLANT_ON] |= 1 << k


def _fishing(rods: dict, pools: dict, item_id, itm, p) -> np.ndarray:
    """``use.fish`` into the rod's use kind and the p[P_FISH*] numbers; ``fishing_loot`` (a pool by weight, then an
    entry of it by weight) flattened into one cumulative table of loot rows."""
    for name, f in rods.items():
        itm[item_id[name]] = U_FISH, f["range"], 0, 0
        p[P_WAIT0:P_LINE + 1] = *f["wait"], *f["approach"], *f["bite"], f["catch_wear"], f["land_wear"], f["line"]
    total = sum(pool["weight"] for pool in pools.values())
    rows = [[item_id[e["item"]], e.get("meta", 0), pool["weight"] / total * e["weight"] / sum(
        x["weight"] for x in pool["entries"]), 1, 1] for pool in pools.values() for e in pool["entries"]]
    loot = np.array(rows, float).reshape(-1, N_LOOT)
    loot[:, L_CUM] = np.cumsum(loot[:, L_CUM])
    if rods and not len(loot):
        raise RulesValidationError("blocks.yaml: use.fish needs a fishing_loot table.")
    loot[-1:, L_CUM] = 1.0  # no rounding gap at the end
    return loot


def _loot(spec, item_id):
    entries = spec["entries"]
    w = np.array([e["weight"] for e in entries], float)
    loot = np.zeros((len(entries), N_LOOT))
    for i, e in enumerate(entries):
        lo, hi = e.get("count", [1, 1])
        loot[i] = item_id[e["item"]], e.get("meta", 0), 0.0, lo, hi
    loot[:, L_CUM] = np.cumsum(w) / w.sum()
    return loot, spec["rolls"]
