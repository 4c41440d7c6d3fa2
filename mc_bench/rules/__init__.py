"""Minecraft 1.11.2 rules: minecraft-data plus our YAML, compiled once into typed arrays.

The engine reads only these arrays; it never names an item. Ids are Minecraft's numeric ids
(blocks 0-255 share the item id space), and a block *state* is ``id << 4 | meta`` in a uint16.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import yaml

from mc_bench.error import RulesValidationError, nearest
from mc_bench.rules.equipment import compile_equipment
from mc_bench.rules.mobs import compile_mobs
from mc_bench.rules.recipes import compile_recipes, compile_smelting
from mc_bench.rules.world_rules import compile_world

__all__ = ["Rules", "load_rules", "read_yaml", "N_BLOCKS", "N_ITEMS", "TOOL_KINDS"]

MC_VERSION = "1.11.2"
N_BLOCKS = 256
N_ITEMS = 2268  # records end at 2267
MATERIALS = ("none", "rock", "wood", "plant", "dirt", "web", "wool", "leaves", "melon")
TOOL_KINDS = ("none", "pickaxe", "axe", "shovel", "sword", "hoe", "shears")
# Drop table columns (int32): block, allowed-meta bitmask, item, meta (-1 = keep), meta offset, min, max, tool
# kind (0 = any; k = only when mined with a tool of TOOL_KINDS[k], and then instead of the block's other rows).
DROP_COLS = 8


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML has it: 10x faster


def read_yaml(name: str) -> dict:
    """Load one of our YAML files shipped in ``mc_bench/rules``."""
    path = resources.files("mc_bench.rules") / name
    try:
        return yaml.load(path.read_text(), Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise RulesValidationError(f"Broken rules file mc_bench/rules/{name}{line}: {exc}. Fix its syntax.") from exc


@dataclass(frozen=True, eq=False)
class Rules:
    """Typed, array-backed tables of blocks and items (frozen; build with :func:`load_rules`)."""

    block_names: tuple[str, ...]
    item_names: tuple[str, ...]
    block_id: dict[str, int]
    item_id: dict[str, int]
    hardness: np.ndarray  # float64[N_BLOCKS]; -1 = unbreakable
    material: np.ndarray  # int8[N_BLOCKS]; index into MATERIALS
    solid: np.ndarray  # uint8[N_BLOCKS]; collides with entities
    liquid: np.ndarray  # uint8[N_BLOCKS]
    contact_damage: np.ndarray  # float64[N_BLOCKS]; HP per tick while the player touches the block
    ignites: np.ndarray  # int32[N_BLOCKS]; ticks of fire from touching the block (0 = water-like if liquid)
    replaceable: np.ndarray  # uint8[N_BLOCKS]; a placed block may take this cell
    meta_mask: np.ndarray  # uint8[N_BLOCKS]; metadata bits kept by drops and items
    harvest: np.ndarray  # uint8[N_BLOCKS, N_ITEMS]; 1 = this item (or hand, column 0) gets drops
    tool_speed: np.ndarray  # float32[len(MATERIALS), N_ITEMS]; 1 = not effective
    stack_size: np.ndarray  # int32[N_ITEMS]
    max_damage: np.ndarray  # int32[N_ITEMS]; 0 = not damageable
    tool_kind: np.ndarray  # int8[N_ITEMS]; index into TOOL_KINDS
    tool_level: np.ndarray  # int8[N_ITEMS]; harvest level, -1 if no tool
    drops: np.ndarray  # int32[n, DROP_COLS]
    drop_chance: np.ndarray  # float64[n]
    drop_start: np.ndarray  # int32[N_BLOCKS + 1]; rows of block b are drop_start[b]:drop_start[b+1]
    recipe_out: np.ndarray  # int32[n, 4]: result item, meta, count, needs a crafting table (3x3)
    recipe_in: np.ndarray  # int32[n, 9, 3]: distinct ingredients (item, meta or -1 = any, count); item 0 = unused
    smelt_in: np.ndarray  # int32[n, 2]: furnace input item, meta or -1 = any
    smelt_out: np.ndarray  # int32[n, 3]: furnace output item, meta, count
    fuel_ticks: np.ndarray  # int32[N_ITEMS]: furnace burn ticks of one item, 0 = not fuel
    container_item: np.ndarray  # int32[N_ITEMS]: item left when this one is used up (buckets), 0 = none
    cook_ticks: int  # furnace ticks per smelted item
    food: np.ndarray  # float64[N_ITEMS, 2]: food points, saturation points (0 = not food)
    wear_slot: np.ndarray  # int8[N_ITEMS]: equipment row the item is worn in (0 feet .. 3 head, 4 offhand), -1 = none
    armor: np.ndarray  # float64[N_ITEMS, 2]: armour points, toughness
    shield: np.ndarray  # uint8[N_ITEMS]: 1 = raised with use to block frontal attacks
    break_wear: np.ndarray  # int32[N_ITEMS]: durability lost per broken block (0 = neither wear nor use statistic)
    biome_names: dict[int, str]  # Minecraft biome id -> name
    biome_climate: np.ndarray  # float64[256, 2]: temperature, rainfall
    entity_size: dict[str, tuple[float, float]]  # entity name -> (width, height)
    extra: dict = field(default_factory=dict)
    mob_names: tuple[str, ...] = ()  # mob m is entity kind mobs.KIND_MOB0 + m
    mobs: object = None  # mobs.MobRules: mobs, weapons, explosions, light (mobs.yaml)
    world: object = None  # world_rules.WorldRules: fluids, use actions, crops, TNT, fire, chest loot (blocks.yaml)

    def block(self, name: str) -> int:
        """Numeric block id of ``name``; a named error lists near names if unknown."""
        try:
            return self.block_id[name]
        except KeyError:
            raise RulesValidationError(
                f"Unknown block {name!r} in Minecraft {MC_VERSION}; near names: {nearest(name, list(self.block_id))}"
            ) from None

    def item(self, name: str) -> int:
        """Numeric item id of ``name`` (blocks included); a named error lists near names if unknown."""
        try:
            return self.item_id[name]
        except KeyError:
            raise RulesValidationError(
                f"Unknown item {name!r} in Minecraft {MC_VERSION}; near names: {nearest(name, list(self.item_id))}"
            ) from None

    def mob_kind(self, name: str) -> int:
        """Entity kind of mob ``name`` (the column of ``stats[ST_KILL]``)."""
        from mc_bench.rules.mobs import KIND_MOB0

        if name not in self.mob_names:
            raise RulesValidationError(f"Unknown mob {name!r}; known mobs: {', '.join(self.mob_names)}.")
        return KIND_MOB0 + self.mob_names.index(name)

    def state(self, name: str, meta: int = 0) -> int:
        """Block state (``id << 4 | meta``) of block ``name``."""
        return self.block(name) << 4 | meta


def _minecraft_data():
    import minecraft_data

    return minecraft_data(MC_VERSION)


def _name_tables(data) -> tuple[list[str], list[str]]:
    blocks = [""] * N_BLOCKS
    for b in data.blocks_list:
        blocks[b["id"]] = b["name"]
    items = [""] * N_ITEMS
    for i in data.items_list:
        items[i["id"]] = i["name"]
    for b in data.blocks_list:  # blocks without an item entry still need a name
        items[b["id"]] = items[b["id"]] or b["name"]
    items[452] = items[452] or "iron_nugget"  # missing from items.json (mechanics §10.8)
    return blocks, items


def _block_arrays(data, extra, block_id) -> dict[str, np.ndarray]:
    hardness = np.full(N_BLOCKS, -1.0)
    material = np.zeros(N_BLOCKS, np.int8)
    solid = np.zeros(N_BLOCKS, np.uint8)
    liquid = np.zeros(N_BLOCKS, np.uint8)
    harvest = np.zeros((N_BLOCKS, N_ITEMS), np.uint8)
    for b in data.blocks_list:
        bid = b["id"]
        hardness[bid] = -1.0 if b.get("hardness") is None or not b.get("diggable", True) else b["hardness"]
        material[bid] = MATERIALS.index(b.get("material") or "none")
        solid[bid] = b["boundingBox"] == "block"
        tools = b.get("harvestTools")
        if tools:
            harvest[bid, [int(t) for t in tools]] = 1
        else:
            harvest[bid, :] = 1
    for name in ("water", "flowing_water", "lava", "flowing_lava"):
        liquid[block_id[name]] = 1
    for name in extra.get("no_collision", []):
        solid[block_id[name]] = 0
    # minecraft-data gives leaves the "plant" material with only sword/shears speeds; 1.11 axes
    # are not effective on leaves (mechanics §1.1), so leaves get their own row.
    for name in ("leaves", "leaves2"):
        material[block_id[name]] = MATERIALS.index("leaves")
    replace = np.zeros(N_BLOCKS, np.uint8)
    replace[[0] + [block_id[n] for n in extra["replaceable"]]] = 1
    mask = np.zeros(N_BLOCKS, np.uint8)
    for name, m in extra["item_meta_mask"].items():
        mask[block_id[name]] = m
    hurt = np.zeros(N_BLOCKS)
    for name, hp in extra["contact_damage"].items():
        hurt[block_id[name]] = hp
    ignites = np.zeros(N_BLOCKS, np.int32)
    for name, ticks in extra["ignites"].items():
        ignites[block_id[name]] = ticks
    return dict(hardness=hardness, material=material, solid=solid, liquid=liquid, harvest=harvest,
                replaceable=replace, meta_mask=mask, contact_damage=hurt, ignites=ignites)


def _item_arrays(data, extra, item_id) -> dict[str, np.ndarray]:
    stack = np.ones(N_ITEMS, np.int32)
    dmg = np.zeros(N_ITEMS, np.int32)
    for i in data.items_list:
        stack[i["id"]] = max(1, i.get("stackSize", 64))
        dmg[i["id"]] = i.get("maxDurability", 0) or 0
    stack[item_id["iron_nugget"]] = 64
    stack[item_id["record_13"]] = 1  # items.json says 64 (mechanics §10.8)
    kind = np.zeros(N_ITEMS, np.int8)
    level = np.full(N_ITEMS, -1, np.int8)
    for mat, props in extra["tool_materials"].items():
        for k in extra["tool_kinds"]:
            iid = item_id[f"{mat}_{k}"]
            kind[iid], level[iid] = TOOL_KINDS.index(k), props["level"]
    kind[item_id["shears"]] = TOOL_KINDS.index("shears")
    speed = np.ones((len(MATERIALS), N_ITEMS), np.float32)
    for mat, tools in data.materials.items():
        row = MATERIALS.index(mat) if mat in MATERIALS else None
        if row is not None:
            for iid, mult in tools.items():
                speed[row, int(iid)] = mult
    speed[MATERIALS.index("leaves")] = speed[MATERIALS.index("plant")]
    for k in extra["tool_kinds"]:  # plant row carries axes; leaves must not (see above)
        if k == "axe":
            for mat in extra["tool_materials"]:
                speed[MATERIALS.index("leaves"), item_id[f"{mat}_axe"]] = 1.0
    for row in ("melon",):
        speed[MATERIALS.index(row)] = speed[MATERIALS.index("plant")]
    return dict(stack_size=stack, max_damage=dmg, tool_kind=kind, tool_level=level, tool_speed=speed)


def _drop_rows(data, extra, block_id, item_id, meta_mask):
    rows, chances = [], []
    overrides = extra.get("drops", {})
    for b in sorted(data.blocks_list, key=lambda b: b["id"]):
        name, bid = b["name"], b["id"]
        if name in overrides:
            entries = overrides[name] or []
        else:
            entries = [_data_drop(d, bid) for d in b.get("drops", [])]
        for e in entries:
            allowed = e.get("block_meta")
            bits = 0xFFFF if allowed is None else sum(1 << m for m in allowed)
            iid = item_id[e["item"]] if isinstance(e["item"], str) else e["item"]
            meta = e.get("meta", 0)
            meta = -1 if meta == "keep" else int(meta)
            lo = int(e.get("min", 1))
            rows.append([bid, bits, iid, meta, int(e.get("meta_offset", 0)), lo, int(e.get("max", lo)), _tool_kind(e)])
            chances.append(float(e.get("chance", 1.0)))
    rows = np.array(rows, np.int32).reshape(-1, DROP_COLS)
    start = np.searchsorted(rows[:, 0], np.arange(N_BLOCKS + 1)).astype(np.int32)
    return rows, np.array(chances), start


def _tool_kind(e: dict) -> int:
    tool = e.get("tool", "none")
    if tool not in TOOL_KINDS:
        raise RulesValidationError(f"mc_bench/rules/blocks.yaml drops: tool {tool!r} is not a tool kind; use one of "
                                   f"{', '.join(TOOL_KINDS[1:])}.")
    return TOOL_KINDS.index(tool)


def _data_drop(d: dict, bid: int) -> dict:
    drop = d["drop"]
    iid, meta = (drop["id"], drop.get("metadata", 0)) if isinstance(drop, dict) else (drop, 0)
    lo = d.get("minCount", 1)
    hi = d.get("maxCount", lo)
    entry = {"item": iid, "min": int(lo), "max": int(max(hi, lo))}
    if iid == bid and not isinstance(drop, dict):
        entry["meta"] = "keep"  # a block dropping itself keeps its variant
    else:
        entry["meta"] = meta
    if 0 < lo < 1:  # minecraft-data writes a probability as a fractional minCount (gravel 0.9)
        entry.update(min=1, max=1, chance=lo)
    return entry


def _misc_tables(data, extra, item_id) -> dict:
    food = np.zeros((N_ITEMS, 2))
    fix = extra["food_item_fix"]
    for f in data.foods_list:
        food[item_id[fix.get(f["name"], f["name"])]] = f["foodPoints"], f["saturation"]
    climate = np.zeros((256, 2))
    names = {}
    for b in data.biomes_list:
        names[b["id"]] = b["name"]
        climate[b["id"]] = b.get("temperature", 0.0), b.get("rainfall", 0.0)
    sizes = {e["name"]: (float(e.get("width") or 0), float(e.get("height") or 0)) for e in data.entities_list}
    return dict(food=food, biome_names=names, biome_climate=climate, entity_size=sizes)


@functools.lru_cache(maxsize=None)
def load_rules() -> Rules:
    """Compile minecraft-data 1.11.2 and ``mc_bench/rules/*.yaml`` into a :class:`Rules` (cached)."""
    data = _minecraft_data()
    extra = read_yaml("blocks.yaml")
    blocks, items = _name_tables(data)
    block_id = {n: i for i, n in enumerate(blocks) if n}
    item_id = {n: i for i, n in enumerate(items) if n}
    try:
        barr = _block_arrays(data, extra, block_id)
        iarr = _item_arrays(data, extra, item_id)
        drops, chance, start = _drop_rows(data, extra, block_id, item_id, barr["meta_mask"])
    except KeyError as exc:
        raise RulesValidationError(
            f"mc_bench/rules/blocks.yaml names {exc.args[0]!r}, which minecraft-data {MC_VERSION} does not know; "
            "fix the name in the YAML."
        ) from None
    try:
        crafting = compile_recipes(data, items, item_id)
    except KeyError as exc:
        raise RulesValidationError(
            f"Recipe fix names unknown item {exc.args[0]!r}; fix the tables in mc_bench/rules/recipes.py."
        ) from None
    crafting.update(compile_smelting(read_yaml("smelting.yaml"), item_id, N_ITEMS))
    misc = _misc_tables(data, extra, item_id)
    equipment = compile_equipment(read_yaml("equipment.yaml"), item_id, iarr["tool_kind"], TOOL_KINDS, N_ITEMS)
    mob_names, mobs = compile_mobs(read_yaml("mobs.yaml"), data, block_id, item_id, misc["biome_names"], N_ITEMS)
    world = compile_world(extra, block_id, item_id, iarr["tool_kind"], TOOL_KINDS, misc["food"], barr["replaceable"],
                          barr["solid"], barr["hardness"], N_BLOCKS, N_ITEMS, climate=misc["biome_climate"])
    return Rules(
        block_names=tuple(blocks), item_names=tuple(items), block_id=block_id, item_id=item_id,
        drops=drops, drop_chance=chance, drop_start=start, extra=extra, **crafting,
        **misc, **barr, **iarr, **equipment, mob_names=mob_names, mobs=mobs, world=world,
    )
