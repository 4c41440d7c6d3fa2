"""The compiled rule tables agree with minecraft-data 1.11.2 and the mechanics reference."""

from __future__ import annotations

import numpy as np

from mc_bench.rules import MATERIALS, load_rules

R = load_rules()


def _recipes_for(name):
    rows = np.nonzero(R.recipe_out[:, 0] == R.item(name))[0]
    return [(R.recipe_out[i], {(int(a), int(m)): int(n) for a, m, n in R.recipe_in[i] if a}) for i in rows]


def test_recipes_compiled_with_table_flag_and_plank_wildcard():
    (out, ins), = _recipes_for("crafting_table")
    assert out[2] == 1 and out[3] == 0 and ins == {(R.item("planks"), -1): 4}  # 2x2, any planks
    shaped = [o for o, i in _recipes_for("wooden_pickaxe") if (R.item("stick"), -1) in i]
    assert shaped and shaped[0][3] == 1  # 3x3 needs a table
    (out, ins), = _recipes_for("torch")
    assert out[2] == 4 and out[3] == 0
    assert len(set(R.recipe_out[:, 0])) >= 200


def test_tool_tables():
    assert R.max_damage[R.item("wooden_pickaxe")] == 59 and R.max_damage[R.item("diamond_pickaxe")] == 1561
    assert R.tool_level[R.item("stone_pickaxe")] == 1 and R.tool_level[R.item("golden_pickaxe")] == 0
    stone = R.block("stone")
    assert R.tool_speed[R.material[stone], R.item("golden_pickaxe")] == 12
    leaves = R.block("leaves")
    assert MATERIALS[R.material[leaves]] == "leaves" and R.tool_speed[R.material[leaves], R.item("iron_axe")] == 1


def test_foods_biomes_entities():
    assert tuple(R.food[R.item("bread")]) == (5, 6)
    assert R.biome_names[4] == "forest" and R.biome_climate[2, 0] == 2.0  # desert is hottest
    assert R.entity_size["zombie"] == (0.6, 1.95)


def test_minecraft_data_fixes():
    assert R.item_names[452] == "iron_nugget" and R.stack_size[R.item("record_13")] == 1
    gravel = R.block("gravel")
    rows = R.drops[R.drop_start[gravel]:R.drop_start[gravel + 1]]
    assert {R.item_names[r[2]] for r in rows} == {"gravel", "flint"}
