"""MineDojo's programmatic task ids, expanded from tasks/minedojo/*.yaml (reference §1.1-§1.4)."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

import mc_bench
from mc_bench.error import TaskSpecError
from mc_bench.tasks.minedojo import FIXES, MINEDOJO_DIR, expand

TASKS = expand()
PROGRAMMATIC = {k: t for k, t in TASKS.items() if t.category != "playthrough"}


def test_counts_per_category():
    counts = collections.Counter(t.category for t in PROGRAMMATIC.values())
    assert counts == {"harvest": 895, "combat": 471, "techtree": 213, "survival": 2}
    assert len(PROGRAMMATIC) == 1581 and len(TASKS) == 1582  # plus playthrough


@pytest.mark.parametrize("task_id, prompt", [
    ("harvest_1_log", "obtain log"),
    ("harvest_8_log", "obtain 8 log"),
    ("harvest_milk", "obtain milk from a cow"),
    ("harvest_milk_with_empty_bucket_and_cow", "obtain milk from a cow with an empty bucket and a cow nearby"),
    ("harvest_1_chicken_swampland", "obtain chicken in swampland"),
    ("harvest_1_bed_with_crafting_table", "find material and craft to obtain bed given a crafting table"),
    ("combat_zombie_plains_diamond_armors_diamond_sword_shield",
     "combat a zombie in night plains with a diamond sword, shield, and a full suite of diamond armors"),
    ("combat_cow_forest_barehand", "hunt a cow in forest"),
    ("techtree_from_wood_to_iron_sword", "starting from wood tools, craft and use a iron sword"),
    ("techtree_from_barehand_to_wooden_sword", "find material and craft a wooden sword"),
    ("techtree_from_stone_to_explosives", "starting from stone tools, craft and use a tnt"),
    ("techtree_from_barehand_to_archery", "find material and craft a bow"),
    ("survival", "survive as long as possible"),
    ("survival_sword_food", "survive as long as possible given a sword and some food"),
    ("playthrough", "Defeat the Ender Dragon and obtain the trophy dragon egg."),
])
def test_reference_prompts(task_id, prompt):
    assert TASKS[task_id].prompt == prompt


@pytest.mark.parametrize("task_id", [
    "harvest_wool_with_shears_and_sheep", "harvest_8_ghast_tear", "harvest_1_iron_ore_with_stone_pickaxe",
    "harvest_8_cooked_beef_plains_with_furnace_and_fuel", "harvest_8_obsidian_with_diamond_pickaxe_and_water_bucket",
    "combat_enderman_end_diamond_armors_diamond_sword_shield",
    "combat_zombie_pigman_nether_diamond_armors_diamond_sword_shield",
    "combat_spider_plains_diamond_armors_diamond_sword_shield", "combat_husk_desert_iron_armors_diamond_sword_shield",
    "combat_llama_extreme_hills_barehand", "techtree_from_gold_to_redstone_clock",
    "techtree_from_iron_to_redstone_compass",
])
def test_reference_ids_exist(task_id):
    assert task_id in PROGRAMMATIC


def test_reference_non_ids():
    assert "techtree_from_wooden_to_iron_sword" not in TASKS  # the real id says "wood"


def test_settings_filled():
    t = TASKS["harvest_8_cooked_beef_plains_with_furnace_and_fuel"]
    assert t.settings["targets"] == {"cooked_beef": 8} and t.settings["specified_biome"] == "plains"
    assert [(e["slot"], e["name"], e["quantity"]) for e in t.settings["initial_inventory"]] == [
        (0, "furnace", 1), (1, "coal", 50)]
    c = TASKS["combat_enderman_end_iron_armors_wooden_sword_shield"].settings
    assert c["specified_biome"] == "the_end" and c["start_at_night"] and not c["always_night"]
    assert c["initial_mob_spawn_range_low"] == (-7, 1, -7) and {e["name"] for e in c["initial_inventory"]} == {
        "wooden_sword", "iron_boots", "iron_leggings", "iron_chestplate", "iron_helmet", "shield"}
    assert TASKS["techtree_from_stone_to_explosives"].settings["tech_item"] == "tnt"
    assert TASKS["survival"].settings["target_days"] == 100
    assert all("{" not in t.id and "{" not in t.prompt and "_" not in t.prompt[:-1] for t in PROGRAMMATIC.values())


def test_fixed_defects():
    # Leather prompts name their own piece, not always "leggings" (MineDojo's data defect).
    for stage, lead in (("barehand", "find material and craft"), ("wood", "starting from wood tools, craft and use")):
        for piece in ("boots", "chestplate", "helmet", "leggings"):
            assert TASKS[f"techtree_from_{stage}_to_leather_{piece}"].prompt == f"{lead} a leather {piece}"
    assert TASKS["combat_mooshroom_mushroom_island_barehand"].prompt == "hunt a mooshroom in mushroom island"
    assert "zombie_pigman" in TASKS["combat_zombie_pigman_nether_iron_armors_iron_sword_shield"].success
    assert len(FIXES) >= 3


def test_ids_unique_and_deterministic():
    assert len(set(TASKS)) == len(TASKS)
    expand.cache_clear()
    assert list(expand()) == list(TASKS)


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    (tmp_path / "variables.yaml").write_text((MINEDOJO_DIR / "variables.yaml").read_text())
    text = (MINEDOJO_DIR / "templates.yaml").read_text()
    assert old in text
    (tmp_path / "templates.yaml").write_text(text.replace(old, new, 1))
    return tmp_path / "templates.yaml"


@pytest.mark.parametrize("old, new, match", [
    ("harvest_{quantity}_{ore_type}:", "harvest_{quantity}_{ore_kind}:",
     r"line \d+: field 'templates\.harvest_\{quantity\}_\{ore_kind\}': unknown variable\(s\) \['ore_kind'\]"),
    ("{class: techtree, prompt: \"find material and craft a leather {target_armor}\"",
     "{class: techtree, prompt: \"find material and craft a leather {target_tools_armor}\"",
     r"line \d+: .*variable\(s\) \['target_tools_armor'\] appear in the values but not in the id"),
    ("{class: survival, prompt: \"survive as long as possible\", target_days: 100}",
     "{class: survival, prompt: \"survive as long as possible\"}", r"field 'templates\.survival\.target_days'"),
    ("harvest_wool:\n    {class: harvest,", "harvest_wool:\n    {class: harvst,",
     r"line 2\d\d: field 'templates\.harvest_wool\.class': must be one of"),
    ("targets: {wool: 1}}", "targets: {wool: 1}, colour: red}", r"field 'templates\.harvest_wool\.colour': unknown"),
])
def test_malformed_template_named_error(tmp_path, old, new, match):
    path = _copy_with(tmp_path, old, new)
    with pytest.raises(TaskSpecError, match=match) as err:
        expand(path)
    assert str(path) in str(err.value) and err.value.line is not None


def test_minerl_tasks_unaffected():
    ids = mc_bench.list_tasks(family="minerl")
    assert len(ids) == 12 and all(i.startswith("MineRL") for i in ids)
    assert len(mc_bench.list_tasks()) == 12 + 1582
