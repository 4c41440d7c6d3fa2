"""Crafting and smelting by output (MineRL semantics) over the compiled recipe and furnace tables."""

from __future__ import annotations

import numpy as np
import pytest

from mc_bench.rules import load_rules, recipes
from mc_bench.sim.crafting import craft, craft_recipe, fuel_ticks, recipes_for, smelt
from mc_bench.sim.interact import inv_add
from mc_bench.sim.state import INV_SLOTS, N_STAT_ITEMS, N_STATS, ST_CRAFT

R = load_rules()


def _id(spec: str) -> tuple[int, int]:
    name, _, meta = spec.partition(":")
    return R.item_id[name], int(meta or 0)


def _inv(*stacks) -> np.ndarray:
    """Fresh inventory holding ("name[:meta]", count) stacks."""
    inv = np.zeros((INV_SLOTS, 3), np.int32)
    for spec, n in stacks:
        assert inv_add(inv, *_id(spec), n, R.stack_size) == 0
    return inv


def _stats() -> np.ndarray:
    return np.zeros((N_STATS, N_STAT_ITEMS), np.int64)


def _held(inv) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for i, m, n in inv:
        if n:
            out[int(i), int(m)] = out.get((int(i), int(m)), 0) + int(n)
    return out


def _names(inv) -> dict[str, int]:
    return {f"{R.item_names[i]}:{m}": n for (i, m), n in _held(inv).items()}


def _ingredients_inv(r: int) -> np.ndarray:
    inv = np.zeros((INV_SLOTS, 3), np.int32)
    for i, m, n in R.recipe_in[r]:
        if i:
            assert inv_add(inv, int(i), max(int(m), 0), int(n), R.stack_size) == 0
    return inv


def _craft(inv, name, table=False, meta=-1, stats=None):
    return craft(R, inv, _stats() if stats is None else stats, R.item_id[name], meta, table)


# ---------------------------------------------------------------- every recipe


@pytest.mark.parametrize("r", range(len(R.recipe_out)))
def test_every_recipe_crafts_from_exactly_its_inputs(r):
    item, meta, count, needs_table = (int(x) for x in R.recipe_out[r])
    expect = {(item, meta): count}
    for i, _, n in R.recipe_in[r]:
        if R.container_item[i]:
            expect[int(R.container_item[i]), 0] = expect.get((int(R.container_item[i]), 0), 0) + int(n)
    inv, stats = _ingredients_inv(r), _stats()
    assert craft_recipe(R, inv, stats, r, table=True)
    assert _held(inv) == expect and stats[ST_CRAFT, item] == count
    small = _ingredients_inv(r)
    assert craft_recipe(R, small, _stats(), r, table=False) == (not needs_table)
    assert craft(R, _ingredients_inv(r), _stats(), item, meta, table=True)  # found by its output too


def _data_row(rec, names):
    # Mirrors recipes._data_recipes: (result spec, sorted ingredient names) and the compiled row.
    cells, table = recipes._cells(rec)
    res = rec["result"]
    rid = R.item_id[recipes.ITEM_ALIAS.get(names[res["id"]], names[res["id"]])]
    ins = recipes._count(recipes._data_cell(c, names, R.item_id) for c in cells)
    key = f"{names[rid]}:{res.get('metadata', 0)}", tuple(sorted({names[i] for i, _ in ins}))
    return key, ((rid, res.get("metadata", 0), res.get("count", 1)), table, ins)


def test_every_minecraft_data_recipe_is_compiled_replaced_or_special():
    data = __import__("minecraft_data")("1.11.2")
    names = R.item_names
    compiled = {(tuple(int(x) for x in o[:3]), bool(o[3]),
                 tuple(sorted((int(i), int(m), int(n)) for i, m, n in ins if i)))
                for o, ins in zip(R.recipe_out, R.recipe_in)}
    kept = recipes._data_recipes(data, names, R.item_id)
    for out, table, ins in kept:
        assert (out, table, tuple(sorted((i, m, n) for (i, m), n in ins.items()))) in compiled
    rows = [_data_row(rec, names) for v in data.recipes.values() for rec in v]
    assert {k for k, _ in rows} & recipes.REPLACED == recipes.REPLACED  # no stale entries
    special = [row for k, row in rows if k not in recipes.REPLACED and recipes._is_special(row[0], row[2])]
    assert len(rows) == len(kept) + len(special) + sum(k in recipes.REPLACED for k, _ in rows)
    # Flattened special recipes: tool/armour repair, banner patterns, book cloning, shulker dyeing,
    # firework fading; plus the two wrong data rows that OTHER_RECIPES replaces.
    odd = {names[o[0]] for o, _, _ in special if not R.max_damage[o[0]]}
    assert odd == {"banner", "written_book", "black_shulker_box", "firework_charge", "quartz_block", "netherbrick"}
    assert not recipes_for(R, 172, 15).size and recipes_for(R, R.item_id["stained_hardened_clay"], 0).size


# ---------------------------------------------------------------- craft semantics


def test_grid_size_and_missing_ingredients():
    inv = _inv(("planks:0", 3), ("stick", 2))
    before = inv.copy()
    assert not _craft(inv, "wooden_pickaxe")  # 3x3 needs a table
    assert np.array_equal(inv, before)
    assert _craft(inv, "wooden_pickaxe", table=True) and _names(inv) == {"wooden_pickaxe:0": 1}
    inv = _inv(("planks:0", 2), ("stick", 2))
    before = inv.copy()
    assert not _craft(inv, "wooden_pickaxe", table=True) and np.array_equal(inv, before)
    inv = _inv(("planks:3", 4))
    assert _craft(inv, "crafting_table") and _names(inv) == {"crafting_table:0": 1}


def test_mixed_planks_for_sticks_and_stats():
    inv, stats = _inv(("planks:0", 1), ("planks:4", 1)), _stats()
    assert _craft(inv, "stick", stats=stats) and _names(inv) == {"stick:0": 4}
    assert stats[ST_CRAFT, R.item_id["stick"]] == 4


def test_log_type_gives_its_planks():
    inv = _inv(("log:2", 1))
    assert _craft(inv, "planks") and _names(inv) == {"planks:2": 4}  # birch
    inv = _inv(("log2:1", 1))
    assert _craft(inv, "planks") and _names(inv) == {"planks:5": 4}  # dark oak
    inv = _inv(("log:3", 1), ("log:1", 1))
    assert _craft(inv, "planks") and _names(inv) == {"planks:1": 4, "log:3": 1}  # lowest meta first
    assert not _craft(_inv(("log:2", 1)), "planks", meta=0)  # asked for oak


def test_bed_from_mixed_wool_and_planks():
    inv = _inv(("wool:0", 1), ("wool:5", 1), ("wool:14", 1), ("planks:0", 2), ("planks:2", 1))
    assert not _craft(inv, "bed")  # 3 wide
    assert _craft(inv, "bed", table=True) and _names(inv) == {"bed:0": 1}


def test_wood_specific_items():
    cases = {"wooden_slab:2": 6, "birch_stairs:0": 4, "birch_fence:0": 3, "birch_fence_gate:0": 1,
             "birch_door:0": 3, "birch_boat:0": 1}
    for spec, n in cases.items():
        inv = _inv(("planks:2", 6), ("stick", 4), ("wooden_shovel", 1))
        name, meta = _id(spec)
        assert craft(R, inv, _stats(), name, meta, table=True), spec
        assert _held(inv)[name, meta] == n
    inv = _inv(("planks:0", 6))
    assert not _craft(inv, "birch_stairs", table=True)  # oak planks make oak stairs only
    assert _craft(inv, "oak_stairs", table=True)


def test_colours_and_dyes():
    inv = _inv(("wool:0", 1), ("dye:1", 1))
    assert _craft(inv, "wool") and _names(inv) == {"wool:14": 1}  # red
    assert not _craft(_inv(("wool:3", 1), ("dye:1", 1)), "wool")  # only white wool takes dye
    inv = _inv(("hardened_clay", 8), ("dye:4", 1))
    assert _craft(inv, "stained_hardened_clay", table=True) and _names(inv) == {"stained_hardened_clay:11": 8}
    inv = _inv(("wool:4", 2))
    assert _craft(inv, "carpet") and _names(inv) == {"carpet:4": 3}
    inv = _inv(("stained_glass:9", 6))
    assert _craft(inv, "stained_glass_pane", table=True) and _names(inv) == {"stained_glass_pane:9": 16}
    assert not _craft(_inv(("red_flower:0", 1)), "dye", meta=7)  # poppy is not light grey
    inv = _inv(("red_flower:3", 1))
    assert _craft(inv, "dye") and _names(inv) == {"dye:7": 1}  # azure bluet


def test_other_data_fixes():
    inv = _inv(("iron_ingot", 1))
    assert _craft(inv, "iron_nugget") and _names(inv) == {"iron_nugget:0": 9}
    assert _craft(inv, "iron_ingot", table=True) and _names(inv) == {"iron_ingot:0": 1}
    inv = _inv(("redstone", 1), ("stick", 1))
    assert _craft(inv, "redstone_torch") and _names(inv) == {"redstone_torch:0": 1}
    inv = _inv(("netherbrick", 4))
    assert _craft(inv, "nether_brick") and _names(inv) == {"nether_brick:0": 1}
    assert _craft(_inv(("nether_brick", 6)), "nether_brick_fence", table=True)
    inv = _inv(("stonebrick:1", 3))
    assert _craft(inv, "stone_slab", table=True) and _names(inv) == {"stone_slab:5": 6}  # any stone bricks


def test_cake_returns_buckets_and_full_inventory_fails():
    inv = _inv(("milk_bucket", 3), ("sugar", 2), ("egg", 1), ("wheat", 3))
    assert _craft(inv, "cake", table=True) and _names(inv) == {"cake:0": 1, "bucket:0": 3}
    inv = _inv(("planks:0", 1), *[("dirt", 64)] * 35)
    assert _craft(inv, "wooden_button") and _held(inv)[_id("wooden_button")] == 1  # the planks slot frees up
    inv = _inv(("planks:0", 3), *[("dirt", 64)] * 35)
    before = inv.copy()
    assert not _craft(inv, "stick") and np.array_equal(inv, before)  # 4 sticks do not fit


# ---------------------------------------------------------------- smelting


def _smelt(inv, name, stats=None):
    return smelt(R, inv, _stats() if stats is None else stats, R.item_id[name])


@pytest.mark.parametrize(
    ("fuel", "ok", "left"),
    [
        ([("coal", 1)], True, {}),
        ([("planks:0", 1)], True, {}),
        ([("stick", 1)], False, None),
        ([("stick", 2)], True, {}),
        ([], False, None),
        ([("coal", 1), ("planks:0", 1)], True, {"coal:0": 1}),  # least waste: the planks burn
        ([("stick", 3), ("planks:0", 1)], True, {"stick:0": 1, "planks:0": 1}),
        ([("stick", 1), ("sapling:2", 1)], True, {}),  # mixed kinds when no single kind covers
    ],
)
def test_smelt_iron_needs_fuel_for_one_cook(fuel, ok, left):
    inv, stats = _inv(("iron_ore", 1), *fuel), _stats()
    before = inv.copy()
    assert _smelt(inv, "iron_ingot", stats) == ok
    if ok:
        assert _names(inv) == {"iron_ingot:0": 1, **left} and stats[ST_CRAFT, R.item_id["iron_ingot"]] == 1
    else:
        assert np.array_equal(inv, before)


def test_smelt_needs_input_and_other_recipes():
    inv = _inv(("coal", 2))
    assert not _smelt(inv, "iron_ingot") and _names(inv) == {"coal:0": 2}
    inv = _inv(("cobblestone", 1), ("coal", 1))
    assert _smelt(inv, "stone") and _names(inv) == {"stone:0": 1}
    inv = _inv(("log:1", 1), ("planks:0", 1))
    assert _smelt(inv, "coal") and _names(inv) == {"coal:1": 1}  # charcoal
    inv = _inv(("log2:0", 5))
    assert _smelt(inv, "coal") and _names(inv) == {"coal:1": 1, "log2:0": 3}  # one log in, one log burnt
    assert not _smelt(_inv(("log:0", 1)), "coal")  # the input never fuels itself
    inv = _inv(("iron_ore", 1), ("lava_bucket", 1))
    assert _smelt(inv, "iron_ingot") and _names(inv) == {"iron_ingot:0": 1, "bucket:0": 1}


def test_fuel_table_is_1_11():
    assert fuel_ticks(R, R.item_id["coal"]) == 1600 and fuel_ticks(R, R.item_id["wooden_slab"]) == 150
    assert fuel_ticks(R, R.item_id["crafting_table"]) == 300 and fuel_ticks(R, R.item_id["stick"]) == 100
    for name in ("wool", "ladder", "wooden_button", "wooden_door", "boat", "bow", "sign", "iron_ore"):
        assert fuel_ticks(R, R.item_id[name]) == 0, name
    assert R.cook_ticks == 200 and len(R.smelt_in) == len(R.smelt_out) >= 50


@pytest.mark.parametrize("r", range(len(R.smelt_in)))
def test_every_furnace_recipe_smelts_with_coal(r):
    (src, meta), (out, out_meta, n) = R.smelt_in[r], R.smelt_out[r]
    inv = np.zeros((INV_SLOTS, 3), np.int32)
    inv_add(inv, int(src), max(int(meta), 0), 1, R.stack_size)
    inv_add(inv, R.item_id["coal"], 0, 1, R.stack_size)
    assert smelt(R, inv, _stats(), int(out), int(out_meta))
    assert _held(inv) == {(int(out), int(out_meta)): int(n)}
