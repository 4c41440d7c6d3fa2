"""Crafting and furnace tables: minecraft-data 1.11.2 recipes with the fixes of mechanics §10, and
``smelting.yaml`` (§9), compiled into the integer arrays the interpreter in ``sim/crafting.py`` reads.

Recipe order is the lookup order of ``craft``: minecraft-data's recipes first (in its order), then the
generated ones below (in table order, plank types and colours by ascending meta).
"""

from __future__ import annotations

import numpy as np

from mc_bench.error import RulesValidationError

__all__ = ["REPLACED", "compile_recipes", "compile_smelting"]

MAX_INGREDIENTS = 9

# minecraft-data writes the game's "any variant" (meta 32767) as the last variant, so these pins are
# wildcards (§10.1 for planks; the daylight sensor's slabs and the sandstone, red sandstone and stone
# brick stairs/slabs show the same artefact: 1.11 takes any variant there, 1.13 stopped that).
ANY_VARIANT = {"planks:5", "wooden_slab:5", "sandstone:2", "red_sandstone:2", "stonebrick:3"}
# Ids minecraft-data uses for the wrong form: block 75 has no item (the torch item is 76), and the nether
# brick slab, fence and stairs take the brick *block* 112, not the brick item 405 (keyed by result).
ITEM_ALIAS = {"unlit_redstone_torch": "redstone_torch"}
INGREDIENT_FIX = {"stone_slab:6": ("netherbrick", "nether_brick"),
                  "nether_brick_fence:0": ("netherbrick", "nether_brick"),
                  "nether_brick_stairs:0": ("netherbrick", "nether_brick")}
# Wrong minecraft-data recipes, as (result, sorted ingredient names); generated ones below replace them.
REPLACED = {
    ("planks:5", ("log",)),  # every log type gave dark oak planks (§10.6)
    ("wooden_slab:5", ("planks",)),  # wood-specific items existed for dark oak only (§10.2)
    ("dark_oak_stairs:0", ("planks",)),
    ("dark_oak_fence:0", ("planks", "stick")),
    ("dark_oak_fence_gate:0", ("planks", "stick")),
    ("dark_oak_door:0", ("planks",)),
    ("boat:0", ("planks", "wooden_shovel")),  # oak only (§10.3)
    ("wool:0", ("dye", "wool")),  # colour recipes collapsed to one variant (§10.4)
    ("carpet:15", ("wool",)),
    ("stained_glass:15", ("dye", "glass")),
    ("hardened_clay:15", ("dye", "hardened_clay")),  # and the wrong result id 172 instead of 159
    ("stained_glass_pane:15", ("stained_glass",)),
    ("dye:7", ("red_flower",)),  # any flower gave light grey dye (§10.5)
}

# Wood types in plank-meta order (oak 0 ... dark oak 5) and their wood-specific items (§10.2-10.3).
LOGS = ("log:0", "log:1", "log:2", "log:3", "log2:0", "log2:1")
WOOD_ITEMS = {
    "STAIRS": ("oak_stairs", "spruce_stairs", "birch_stairs", "jungle_stairs", "acacia_stairs", "dark_oak_stairs"),
    "FENCE": ("fence", "spruce_fence", "birch_fence", "jungle_fence", "acacia_fence", "dark_oak_fence"),
    "GATE": ("fence_gate", "spruce_fence_gate", "birch_fence_gate", "jungle_fence_gate", "acacia_fence_gate",
             "dark_oak_fence_gate"),
    "DOOR": ("wooden_door", "spruce_door", "birch_door", "jungle_door", "acacia_door", "dark_oak_door"),
    "BOAT": ("boat", "spruce_boat", "birch_boat", "jungle_boat", "acacia_boat", "dark_oak_boat"),
}
# (result, count, grid rows or None = shapeless list, key or ingredient list); {w} = plank meta,
# {LOG}/{STAIRS}/... = the item of that wood type, P = planks of that type.
WOOD_TEMPLATES = (
    ("planks:{w}", 4, ["L"], {"L": "{LOG}"}),
    ("wooden_slab:{w}", 6, ["PPP"], {}),
    ("{STAIRS}", 4, ["P  ", "PP ", "PPP"], {}),
    ("{FENCE}", 3, ["PSP", "PSP"], {"S": "stick"}),
    ("{GATE}", 1, ["SPS", "SPS"], {"S": "stick"}),
    ("{DOOR}", 3, ["PP", "PP", "PP"], {}),
    ("{BOAT}", 1, ["PVP", "PPP"], {"V": "wooden_shovel"}),
)
# Colour c = 15 - dye meta d (§10.4); white wool (not any wool) is what 1.11 dyes.
COLOUR_TEMPLATES = (
    ("wool:{c}", 1, None, ["wool:0", "dye:{d}"]),
    ("carpet:{c}", 3, ["WW"], {"W": "wool:{c}"}),
    ("stained_glass:{c}", 8, ["GGG", "GDG", "GGG"], {"G": "glass", "D": "dye:{d}"}),
    ("stained_hardened_clay:{c}", 8, ["HHH", "HDH", "HHH"], {"H": "hardened_clay", "D": "dye:{d}"}),
    ("stained_glass_pane:{c}", 16, ["GGG", "GGG"], {"G": "stained_glass:{c}"}),
)
# Flower -> dye (§10.5). Duplicates of minecraft-data recipes are dropped on compile.
FLOWER_DYES = (
    ("red_flower:0", "dye:1", 1), ("red_flower:4", "dye:1", 1), ("beetroot", "dye:1", 1),
    ("double_plant:4", "dye:1", 2), ("yellow_flower", "dye:11", 1), ("double_plant:0", "dye:11", 2),
    ("red_flower:1", "dye:12", 1), ("red_flower:2", "dye:13", 1), ("double_plant:1", "dye:13", 2),
    ("red_flower:5", "dye:14", 1), ("red_flower:7", "dye:9", 1), ("double_plant:5", "dye:9", 2),
    ("red_flower:3", "dye:7", 1), ("red_flower:6", "dye:7", 1), ("red_flower:8", "dye:7", 1),
)
# Recipes minecraft-data gets wrong in ways the drop rule below removes.
OTHER_RECIPES = (
    ("nether_brick:0", 1, ["NN", "NN"], {"N": "netherbrick"}),  # data: 4 brick items -> 1 brick item
    ("quartz_block:2", 2, ["Q", "Q"], {"Q": "quartz_block:0"}),  # pillar; data gives plain quartz
)
# 1.11.2 recipes that minecraft-data's recipes.json lacks altogether (shapes from the 1.11 wiki / RecipesFood,
# RecipesCrafting): beetroot soup, sea lantern, observer (added in 1.11).
MISSING_RECIPES = (
    ("beetroot_soup", 1, ["BBB", "BBB", " W "], {"B": "beetroot", "W": "bowl"}),
    ("sea_lantern", 1, ["SCS", "CCC", "SCS"], {"S": "prismarine_shard", "C": "prismarine_crystals"}),
    ("observer", 1, ["CCC", "RRQ", "CCC"], {"C": "cobblestone", "R": "redstone", "Q": "quartz"}),
)


# ---------------------------------------------------------------- names and specs


def _spec(item_id: dict[str, int], text: str) -> tuple[int, int]:
    """``"name"`` (any meta) or ``"name:meta"`` -> (item id, meta or -1)."""
    name, _, meta = text.partition(":")
    if name not in item_id:
        raise RulesValidationError(f"Recipe table names unknown item {name!r}; fix mc_bench/rules/recipes.py "
                                   "or smelting.yaml.")
    return item_id[name], int(meta) if meta else -1


def _name(names, iid: int, meta: int) -> str:
    return f"{names[iid]}:{meta}" if meta >= 0 else names[iid]


# ---------------------------------------------------------------- minecraft-data recipes


def _cells(r: dict) -> tuple[list, bool]:
    """The ingredient cells of a data recipe and whether it needs the 3x3 grid."""
    shape = r.get("inShape")
    if not shape:
        return r["ingredients"], len(r["ingredients"]) > 4
    return [c for row in shape for c in row], len(shape) > 2 or max(len(row) for row in shape) > 2


def _data_cell(c, names, item_id) -> tuple[int, int] | None:
    if c is None:
        return None
    iid, meta = (c["id"], c.get("metadata", -1)) if isinstance(c, dict) else (c, -1)
    iid = item_id[ITEM_ALIAS.get(names[iid], names[iid])] if names[iid] else iid
    return (iid, -1) if _name(names, iid, meta) in ANY_VARIANT else (iid, meta)


def _is_special(out: tuple[int, int, int], ins: dict) -> bool:
    # minecraft-data flattens the game's special recipes (tool repair, banner patterns, book cloning,
    # firework fading, shield decoration, shulker dyeing) into fake ones whose base-variant result is one
    # of its own ingredients; MineRL's craft command never uses them (minerl-v0 §1.4).
    return out[1] == 0 and any(i == out[0] for i, _ in ins)


def _data_recipes(data, names, item_id) -> list:
    rows = []
    for variants in data.recipes.values():
        for r in variants:
            cells, table = _cells(r)
            res = r["result"]
            rid = item_id[ITEM_ALIAS.get(names[res["id"]], names[res["id"]])]
            out = (rid, res.get("metadata", 0), res.get("count", 1))
            key = (_name(names, out[0], out[1]), tuple(sorted({names[_data_cell(c, names, item_id)[0]]
                                                               for c in cells if c is not None})))
            if key in REPLACED:
                continue
            ins = _count([_data_cell(c, names, item_id) for c in cells])
            ins = _fix_ingredients(ins, key[0], item_id)
            if not _is_special(out, ins):
                rows.append((out, table, ins))
    return rows


def _fix_ingredients(ins: dict, result: str, item_id) -> dict:
    if result not in INGREDIENT_FIX:
        return ins
    wrong, right = (item_id[n] for n in INGREDIENT_FIX[result])
    return {((right if i == wrong else i), m): n for (i, m), n in ins.items()}


def _count(cells) -> dict[tuple[int, int], int]:
    counts: dict[tuple[int, int], int] = {}
    for c in cells:
        if c is not None:
            counts[c] = counts.get(c, 0) + 1
    return counts


# ---------------------------------------------------------------- generated recipes


def _template(item_id, result: str, count: int, rows, key, fmt: dict):
    """One recipe from a grid (rows + key letters) or a shapeless list of specs."""
    if rows is None:
        cells, table = [c.format(**fmt) for c in key], len(key) > 4
    else:
        key = {"P": "planks:{w}", **key}
        cells = [key[ch].format(**fmt) for row in rows for ch in row if ch != " "]
        table = len(rows) > 2 or max(len(r) for r in rows) > 2
    rid, meta = _spec(item_id, result.format(**fmt))
    return (rid, max(meta, 0), count), table, _count(_spec(item_id, c) for c in cells)


def _generated(item_id) -> list:
    out = []
    for t in WOOD_TEMPLATES:
        for w in range(len(LOGS)):
            fmt = {"w": w, "LOG": LOGS[w], **{k: v[w] for k, v in WOOD_ITEMS.items()}}
            out.append(_template(item_id, *t, fmt))
    for t in COLOUR_TEMPLATES:
        out += [_template(item_id, *t, {"d": d, "c": 15 - d}) for d in range(16)]
    out += [_template(item_id, dye, n, ["F"], {"F": flower}, {}) for flower, dye, n in FLOWER_DYES]
    out += [_template(item_id, *t, {}) for t in OTHER_RECIPES + MISSING_RECIPES]
    return out


def compile_recipes(data, names, item_id) -> dict[str, np.ndarray]:
    """``recipe_out`` int32[n, 4] (item, meta, count, needs table) and ``recipe_in`` int32[n, 9, 3]."""
    # Equal rows appear once, at their first place: the data lists flint and steel twice, and the
    # flower map repeats the data's correct flower dyes.
    unique: dict = {}
    for o, t, i in _data_recipes(data, names, item_id) + _generated(item_id):
        unique.setdefault((o, t, tuple(sorted(i.items()))), (o, t, i))
    rows = list(unique.values())
    outs = np.array([[*o, int(t)] for o, t, _ in rows], np.int32)
    ins = np.zeros((len(rows), MAX_INGREDIENTS, 3), np.int32)
    for k, (_, _, counts) in enumerate(rows):
        ins[k, :len(counts)] = [[i, m, n] for (i, m), n in counts.items()]
    return {"recipe_out": outs, "recipe_in": ins}


# ---------------------------------------------------------------- furnace


def compile_smelting(spec: dict, item_id, n_items: int) -> dict:
    """``smelting.yaml`` -> furnace recipe rows, per-item fuel burn ticks and container items."""
    try:
        pairs = [(_spec(item_id, r["in"]), _spec(item_id, r["out"])) for r in spec["recipes"]]
        fuel = np.zeros(n_items, np.int32)
        for name, ticks in spec["fuel"].items():
            fuel[_spec(item_id, name)[0]] = ticks
        container = np.zeros(n_items, np.int32)
        for name, left in spec["containers"].items():
            container[_spec(item_id, name)[0]] = _spec(item_id, left)[0]
        cook = int(spec["cook_ticks"])
    except (KeyError, TypeError) as exc:
        raise RulesValidationError(f"mc_bench/rules/smelting.yaml lacks or breaks {exc}; see its header.") from None
    return {
        "smelt_in": np.array([i for i, _ in pairs], np.int32).reshape(-1, 2),
        "smelt_out": np.array([[o[0], max(o[1], 0), 1] for _, o in pairs], np.int32).reshape(-1, 3),
        "fuel_ticks": fuel, "container_item": container, "cook_ticks": cook,
    }
