"""The MineDojo suite's documentation: one page for the suite (spaces generated from a live env,
horizons, success checks, data fixes, differences from MineDojo) and one listing every task id.

``python -m mc_bench.envs.docs docs/envs`` writes them with the MineRL pages; a test checks they are current.
"""

from __future__ import annotations

from collections import Counter

from mc_bench.envs.docs import _table
from mc_bench.envs.minedojo_spaces import FUNCTIONAL
from mc_bench.tasks.feasibility import required_dimension
from mc_bench.tasks.minedojo import CATEGORIES, FIXES, expand, load_templates

__all__ = ["suite_page", "tasks_page", "DEVIATIONS"]

EXAMPLE = "harvest_1_log"

# Where we differ from MineDojo, each pinned by the test named in brackets.
DEVIATIONS = (
    "Every task has a default horizon per category (`max_episode_steps`; MineDojo has none): harvest "
    "12,000 steps plus 3,000 for each target item beyond the first (eight items: 33,000), combat 3,000, "
    "techtree 18,000, survival 2,400,000 (its 100 days), playthrough 115,200. "
    "[tests/test_minedojo_env.py::test_every_id_registered_under_the_namespace]",
    "Each reset makes a fresh world from the seed (MineDojo's default fast reset keeps one world and "
    "teleports the player up to 200 blocks). [tests/test_minedojo_env.py::test_reset_is_deterministic_and_seeds_differ]",
    "Nether and End tasks (and harvest tasks whose target only exists there) are registered but raise "
    "`DimensionNotBuilt` until those dimensions exist. "
    "[tests/test_minedojo_env.py::test_nether_and_end_tasks_are_registered_but_refuse_to_run]",
    "A masked-out action does nothing (and still costs its ticks) instead of raising; malformed actions "
    "raise `InvalidAction`. [tests/test_minedojo_env.py::test_malformed_actions_named_error]",
    "`info[\"stat\"]` holds this episode's non-zero counters by item, block or mob name (MineDojo's holds every "
    "key of Minecraft's statistics, cumulative across fast resets). "
    "[tests/test_minedojo_env.py::test_harvest_success_and_reward_from_crafting]",
    "Tech-tree 'use' is counted when an item is placed, worn, eaten, used on a block or mob, used to break a "
    "block or hit a mob, or (items with no use) right-clicked. "
    "[tests/test_minedojo_env.py::test_techtree_needs_use_not_just_crafting]",
    "`damage_source` covers one step: `damage_amount` is the health lost in it; the other keys describe its latest "
    "hit: distance and look angles (yaw, pitch) from the eyes to the source (0 for sources with no place: falls, "
    "drowning, starvation, burning, lightning), its kind flags, and `hunger_damage`, the exhaustion it cost (0.1, "
    "or 0 for armour-bypassing sources, which are `is_unblockable`, as in Minecraft). All keys are 0 in a step "
    "without a hit. [tests/test_minedojo_env.py::test_damage_source_names_the_latest_hit]",
    "`xp` is 0 (no experience). [tests/test_minedojo_env.py::test_death_does_not_end_the_episode]",
    "`location_stats.temperature` is bounded by [0, 2] (Minecraft's desert is 2.0; MineDojo declares [0, 1]). "
    "[tests/test_registered_envs.py]",
    "Voxel `block_name`s are Minecraft's names with underscores (inventory names use spaces, as MineDojo's). "
    "[tests/test_minedojo_env.py::test_voxels_see_the_ground]",
    "Six overworld harvest ids cannot be completed in survival play with MineDojo's actions, here as in "
    "Minecraft: grass blocks and silverfish stone (`grass`, `monster_egg`, 1 and 8) drop themselves only to a "
    "silk-touch tool, which needs an enchanting table (there is no enchant action), and `spawn_egg` is "
    "creative-only. `mc-bench tasks feasibility` reports them unreachable, with that reason. "
    "[tests/test_feasibility.py::test_the_unreachable_overworld_tasks_are_those_the_game_withholds]",
)

MEANING = {
    "rgb": "first-person RGB image, channel first, row 0 at the top, hotbar drawn",
    "inventory": "the 36 slots: 0-8 hotbar (0 = main hand), 9-35 main; names with spaces, 'air' if empty",
    "equipment": "main hand, feet, legs, chest, head, off hand",
    "life_stats": "health, armour points, food, saturation, experience, air, sleeping",
    "location_stats": "feet position, look angles (degrees), biome id and climate, light, sky",
    "nearby_tools": "a crafting table / furnace within 5 blocks of the head and in view (any, placed or not)",
    "damage_source": "health lost this step and its latest hit's source (see the differences below)",
    "voxels": "the 3x3x3 cells around the feet, [dx, dy, dz] from -1 to +1",
    "masks": "which actions and arguments can do something now (reference §2.5)",
    "delta_inv": "this step's inventory change, split into what a craft made or used and everything else",
}


def _meaning_rows(space, head: str) -> list[str]:
    rows = _table(space, head)
    return [r.replace(" |  |", f" | {MEANING.get(r.split('`')[1].split('.')[0], '')} |") if r.startswith("| `")
            else r for r in rows]


def suite_page() -> str:
    """The Markdown page of the MineDojo suite."""
    from mc_bench.envs.minedojo import MineDojoEnv

    env = MineDojoEnv(EXAMPLE)
    tasks = expand()
    src, _ = load_templates()
    classes = src.data["classes"]
    counts = Counter(t.category for t in tasks.values())
    dims = Counter((t.category, required_dimension(t.id)) for t in tasks.values())
    lines = [
        "# MineDojo programmatic suite", "",
        f"{len(tasks) - counts['playthrough']:,} programmatic tasks plus `playthrough`, expanded from the "
        "templates in `tasks/minedojo/` (reference §1). Make one with `mc_bench.make(\"harvest_1_log\")` or "
        "`gymnasium.make(\"MineDojo/harvest_1_log-v0\")` after `import mc_bench`; the env carries "
        "`task_prompt`, `task_guidance` and `task_suites`. Every id: [minedojo/tasks.md](../minedojo/tasks.md).",
        "", "## Categories", "",
        "| category | tasks | overworld | nether | the end | horizon (steps) | success |", "|---|---|---|---|---|---|---|",
        *[f"| {c} | {counts[c]} | {dims[c, 'overworld']} | {dims[c, 'nether']} | {dims[c, 'the_end']} | "
          f"{_horizon_text(classes[c])} | {classes[c]['success']} |" for c in CATEGORIES],
        "", "Reward per step: harvest, the change in the target's count; combat, new kills of the target; "
        "techtree, +1 per tech item obtained and +10 per use; survival, +1 per day alive and +100 at the "
        "target. Death does not end an episode: the player respawns at the world spawn and drops its items.",
        "", "## Action Space", "", f"`{env.action_space}`", "",
        "| index | meaning | values |", "|---|---|---|",
        "| 0 | forward/back | 0 noop, 1 forward, 2 back |",
        "| 1 | strafe | 0 noop, 1 left, 2 right |",
        "| 2 | jump/sneak/sprint | 0 noop, 1 jump, 2 sneak, 3 sprint |",
        "| 3, 4 | camera delta pitch, yaw | bin b turns b x cam_interval - 180 degrees (bin 12 = none) |",
        f"| 5 | functional | {', '.join(f'{i} {n}' for i, n in enumerate(FUNCTIONAL))} |",
        "| 6 | craft/smelt target | index into the 244 names of `tasks/minedojo/actions.yaml` |",
        "| 7 | equip/place/destroy slot | inventory slot 0-35 |", "",
        "Drop, craft, equip, place and destroy run two extra no-op ticks (MineDojo's lag padding). "
        "`MineDojoEnv(..., action_space=\"dict\")` gives the native dict space instead.", "",
        "## Observation Space", "", *_meaning_rows(env.observation_space, "Key"), "",
        "## Fixes to MineDojo's data", "", *[f"- {f}" for f in FIXES], "",
        "## Differences from MineDojo", "", *[f"- {d}" for d in DEVIATIONS], "",
    ]
    env.close()
    return "\n".join(lines)


def _horizon_text(cls) -> str:
    per = cls.get("horizon_per_item")
    return f"{cls['horizon']:,}" + (f" + {per:,} per further item" if per else "")


def tasks_page() -> str:
    """Every MineDojo task id with its category, dimension, horizon, suites and prompt."""
    lines = ["# MineDojo task ids", "", "Generated from `tasks/minedojo/` by `python -m mc_bench.envs.docs docs/envs`.",
             "", "| id | category | dimension | horizon | suites | prompt |", "|---|---|---|---|---|---|"]
    lines += [f"| `{t.id}` | {t.category} | {required_dimension(t.id)} | {t.horizon:,} | "
              f"{', '.join(t.suites)} | {t.prompt} |" for t in expand().values()]
    return "\n".join(lines) + "\n"
