"""MineDojo envs (reference §1.4, §2.3-§2.5): spaces, action decoding, masks, delta_inv, lag
padding, each category's success check with scripted sequences, and the Nether/End refusal."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from flatworld import FlatGen

import mc_bench
from mc_bench.envs.minedojo import MineDojoEnv
from mc_bench.error import DimensionNotBuilt, InvalidAction, UnknownTask
from mc_bench.sim.interact import inv_add
from mc_bench.sim.state import FIRE, INVUL, PITCH, PX, PY, PZ, TICK, YAW

NOOP = np.array([0, 0, 0, 12, 12, 0, 0, 0])


def flat(task: str, **kw) -> MineDojoEnv:
    """A task's env on the flat test world, reset with seed 0."""
    env = MineDojoEnv(task, image_size=kw.pop("image_size", (32, 48)), **kw)
    env.sim.make_generator = lambda seed: FlatGen()
    env.reset(seed=0)
    return env


def act(**kw) -> np.ndarray:
    a = NOOP.copy()
    for i, k in enumerate(("move", "strafe", "jump", "pitch", "yaw", "fn", "craft", "slot")):
        if k in kw:
            a[i] = kw[k]
    return a


def give(env: MineDojoEnv, name: str, n: int, meta: int = 0) -> None:
    r = env.rules
    assert inv_add(env.sim.e.inv, r.item(name), meta, n, r.stack_size) == 0
    env.sim.touch()


def idx(env: MineDojoEnv, name: str) -> int:
    return env.table.names.index(name)


def look_down(env: MineDojoEnv) -> None:
    """Face +z and look at the ground one block ahead (where a placed block goes)."""
    env.sim.e.pf[PITCH], env.sim.e.pf[YAW] = 50.0, 0.0


# ---------------------------------------------------------------- registration


def test_every_id_registered_under_the_namespace():
    ids = mc_bench.list_tasks(family="minedojo")
    assert len(ids) == 1582  # 1,581 programmatic + playthrough
    assert "MineDojo/harvest_1_log-v0" in ids and "MineDojo/playthrough-v0" in ids
    spec = gymnasium.spec("MineDojo/harvest_1_log-v0")
    assert isinstance(spec.entry_point, str) and spec.max_episode_steps == 12000
    assert gymnasium.spec("MineDojo/harvest_8_anvil-v0").max_episode_steps == 12000 + 7 * 3000  # per further item
    assert gymnasium.spec("MineDojo/combat_cow_plains_barehand-v0").max_episode_steps == 3000
    assert len(mc_bench.list_tasks(suite="standard")) == 16 == len(mc_bench.list_tasks(suite="difficult"))


def test_bare_id_prompt_guidance_and_suites():
    env = mc_bench.make("harvest_1_log", image_size=(32, 32))
    inner = env.unwrapped
    assert inner.task_prompt == "obtain log" and inner.task_guidance.startswith("1. ")
    assert inner.task_suites == ("standard",)
    assert env.spec.id == "MineDojo/harvest_1_log-v0"
    env.close()


def test_unknown_id_named_error():
    with pytest.raises(UnknownTask, match="harvest_1_log"):
        mc_bench.make("harvest_1_logs")


@pytest.mark.parametrize("task", ["combat_blaze_nether_diamond_armors_diamond_sword_shield",
                                  "combat_enderman_end_iron_armors_wooden_sword_shield",
                                  "harvest_1_nether_star"])
def test_nether_and_end_tasks_are_registered_but_refuse_to_run(task):
    assert f"MineDojo/{task}-v0" in gymnasium.registry
    with pytest.raises(DimensionNotBuilt, match="cannot run: .*does not simulate the (Nether|End) yet"):
        mc_bench.make(task)


# ---------------------------------------------------------------- spaces and actions


def test_action_space_and_noop():
    env = flat("harvest_1_log")
    assert env.action_space.nvec.tolist() == [3, 3, 4, 25, 25, 8, 244, 36]
    assert env.table.names[0] == "blaze_powder" and env.table.names[243] == "stone"
    assert env.table.names[54] == "acacia_boat" and env.table.names[224] == "baked_potato"
    pf = env.sim.e.pf
    before = (pf[PX], pf[PZ], pf[PITCH], pf[YAW])
    env.step(NOOP)
    assert (pf[PX], pf[PZ], pf[PITCH], pf[YAW]) == before


def test_camera_bins_turn_by_cam_interval():
    env = flat("harvest_1_log")
    pf = env.sim.e.pf
    yaw = pf[YAW]
    env.step(act(yaw=13))
    assert pf[YAW] == pytest.approx((yaw + 15 + 180) % 360 - 180)
    env.step(act(pitch=11))
    assert pf[PITCH] == pytest.approx(-15)
    env5 = flat("harvest_1_log", cam_interval=5)
    assert env5.action_space.nvec[3] == 73  # ceil(360 / 5) + 1


def test_movement_decoding():
    env = flat("harvest_1_log")
    pf = env.sim.e.pf
    x, z = pf[PX], pf[PZ]
    for _ in range(10):
        env.step(act(move=1))
    assert np.hypot(pf[PX] - x, pf[PZ] - z) > 1.0
    y = pf[PY]
    env.step(act(jump=1))
    env.step(NOOP)
    assert pf[PY] > y


@pytest.mark.parametrize("bad", [[0, 0, 0, 12, 12, 0, 0], [3, 0, 0, 12, 12, 0, 0, 0],
                                 [0, 0, 0, 12, 12, 8, 0, 0], "forward", [0.5, 0, 0, 12, 12, 0, 0, 0]])
def test_malformed_actions_named_error(bad):
    env = flat("harvest_1_log")
    with pytest.raises(InvalidAction, match="MultiDiscrete"):
        env.step(bad)


def test_lag_padding_three_ticks_after_craft_one_otherwise():
    env = flat("harvest_1_bed")
    t = env.sim.e.pi[TICK]
    env.step(act(fn=1))  # use: one tick
    assert env.sim.e.pi[TICK] == t + 1
    env.step(act(fn=4, craft=idx(env, "planks")))  # craft (even a failed one): three
    assert env.sim.e.pi[TICK] == t + 4


def test_native_dict_actions():
    env = flat("harvest_1_bed", action_space="dict")
    give(env, "log", 1)
    a = env.action_space.noop()
    a["craft"] = "planks"
    obs, *_ = env.step(a)
    assert obs["inventory"]["name"][0] == "planks" and obs["inventory"]["quantity"][0] == 4


# ---------------------------------------------------------------- observations


def test_inventory_names_use_spaces_and_durability():
    env = flat("harvest_log_with_diamond_axe")
    obs = env.observer.observe(None, None)
    assert obs["inventory"]["name"][0] == "diamond axe"
    assert obs["inventory"]["max_durability"][0] == 1561 == obs["inventory"]["cur_durability"][0]
    assert obs["inventory"]["name"][1] == "air" and obs["inventory"]["max_durability"][1] == -1
    assert obs["equipment"]["name"][0] == "diamond axe"
    assert env.observation_space.contains(obs)


def test_voxels_see_the_ground():
    env = flat("harvest_1_log")
    vox = env.observer.observe(None, None)["voxels"]
    assert vox["block_name"].shape == (3, 3, 3)
    assert (vox["block_name"][:, 0, :] == "grass").all()  # y - 1 under the feet
    assert (vox["block_name"][:, 1:, :] == "air").all()
    assert vox["is_solid"][:, 0, :].all() and not vox["is_solid"][:, 1:, :].any()


def test_reset_forgets_the_last_worlds_biomes():
    """location_stats names the biome of this episode's world, not one cached from an earlier reset
    (found by benchmarks/bench_minedojo_check.py: check_env's resets left other worlds' biomes)."""
    env = mc_bench.make("harvest_1_log", image_size=(16, 16))
    observer = env.unwrapped.observer
    points = [(x, z) for x in range(-300, 301, 60) for z in range(-300, 301, 60)]
    env.reset(seed=2)
    first = {p: observer._biome(*p) for p in points}
    env.reset(seed=1)
    now = {p: observer.sim.gen.biome_at(*p) for p in points}
    assert first != now  # the two worlds differ somewhere, so a stale cache would show
    assert {p: observer._biome(*p) for p in points} == now


# ---------------------------------------------------------------- masks


def test_craft_mask_needs_ingredients():
    env = flat("harvest_1_bed")
    masks = env.step(NOOP)[0]["masks"]
    assert not masks["craft_smelt"].any() and not masks["action_type"][4]
    give(env, "log", 1)
    masks = env.step(NOOP)[0]["masks"]
    assert masks["craft_smelt"][idx(env, "planks")] and not masks["craft_smelt"][idx(env, "crafting_table")]
    assert masks["action_type"][4]
    obs = env.step(act(fn=4, craft=idx(env, "planks")))[0]
    assert obs["masks"]["craft_smelt"][idx(env, "crafting_table")]  # 4 planks


def test_table_items_need_a_table_in_view_and_smelting_a_furnace():
    env = flat("harvest_1_bed")
    give(env, "planks", 8)
    give(env, "stick", 4)
    give(env, "crafting_table", 1)
    masks = env.step(NOOP)[0]["masks"]
    pick = idx(env, "wooden_pickaxe")
    assert not masks["craft_smelt"][pick]
    look_down(env)
    table_slot = env.sim.slot_of(env.rules.item("crafting_table"))
    obs = env.step(act(fn=6, slot=table_slot))[0]  # place the table one block ahead
    assert obs["nearby_tools"]["table"] == 1
    assert obs["masks"]["craft_smelt"][pick]
    obs = env.step(act(fn=4, craft=pick))[0]
    assert obs["inventory"]["name"].tolist().count("wooden pickaxe") == 1
    give(env, "iron_ore", 1)
    give(env, "coal", 1)
    assert not env.step(NOOP)[0]["masks"]["craft_smelt"][idx(env, "iron_ingot")]  # no furnace


def test_equip_place_destroy_masks():
    env = flat("harvest_log_with_diamond_axe")
    give(env, "dirt", 3)
    give(env, "iron_helmet", 1)
    m = env.step(NOOP)[0]["masks"]
    assert not m["equip"][0]  # the axe is already in hand
    assert m["equip"][1] and m["equip"][2] and m["place"][1] and not m["place"][0] and not m["place"][2]
    assert m["destroy"][:3].all() and not m["destroy"][3:].any()
    assert m["action_type"].tolist() == [1, 1, 1, 1, 0, 1, 1, 1]
    obs = env.step(act(fn=7, slot=1))[0]
    assert obs["inventory"]["name"][1] == "air"


# ---------------------------------------------------------------- delta_inv


def test_delta_inv_splits_craft_and_other():
    env = flat("harvest_1_bed")
    give(env, "log", 2)
    d = env.step(act(fn=4, craft=idx(env, "planks")))[0]["delta_inv"]
    assert d["inc_name_by_craft"].tolist() == ["planks"] and d["inc_quantity_by_craft"].tolist() == [4]
    assert d["dec_name_by_craft"].tolist() == ["log", "air", "air", "air"]
    assert d["dec_quantity_by_craft"].tolist() == [1, 0, 0, 0]
    assert d["inc_name_by_other"].tolist() == ["air"]
    slot = env.sim.slot_of(env.rules.item("log"))
    d = env.step(act(fn=7, slot=slot))[0]["delta_inv"]  # destroy the last log
    assert d["dec_name_by_other"][0] == "log" and d["dec_quantity_by_other"][0] == 1
    assert d["inc_name_by_craft"].tolist() == ["air"]


# ---------------------------------------------------------------- success per category


def test_harvest_success_and_reward_from_crafting():
    env = flat("harvest_1_crafting_table")
    give(env, "log", 1)
    env.step(act(fn=4, craft=idx(env, "planks")))
    _, r, done, _, info = env.step(act(fn=4, craft=idx(env, "crafting_table")))
    assert r == 1.0 and done and info["success"]
    assert info["stat"]["craft_item"] == {"planks": 4, "crafting_table": 1}


def test_harvest_counts_from_reset_not_absolute():
    env = flat("harvest_milk_with_empty_bucket")
    assert env.observer.observe(None, None)["inventory"]["name"][0] == "bucket"
    _, r, done, *_ = env.step(NOOP)
    assert not done and r == 0.0


def test_combat_success_counts_kills_of_the_target():
    env = flat("combat_chicken_plains_diamond_armors_diamond_sword_shield")
    pf = env.sim.e.pf
    for _ in range(15):  # let the sword's swing charge up (1.9 combat)
        env.step(NOOP)
    env.sim.e.ei[:, 0] = 0  # remove the summoned chicken, then put one right in front of the eyes
    env.sim.summon("chicken", pf[PX], pf[PY], pf[PZ] + 1.5)
    done, t = False, 0
    while not done and t < 200:
        env.sim.e.pf[PITCH], env.sim.e.pf[YAW] = 40.0, 0.0  # at the chicken, 1.5 blocks ahead
        _, r, done, _, info = env.step(act(fn=3 * (t % 2)))  # click, release
        t += 1
    assert done and info["stat"]["kill_entity"] == {"chicken": 1}


def test_damage_source_names_the_latest_hit():
    """A zombie's hit from the east: its distance and the look angles toward it, blockable, no kind
    flags; burning: fire damage that bypasses armour; a quiet step: zeros."""
    env = flat("combat_zombie_plains_leather_armors_wooden_sword_shield")
    pf, ei = env.sim.e.pf, env.sim.e.ei
    ei[:, 0] = 0
    env.sim.summon("zombie", pf[PX] + 1.2, pf[PY], pf[PZ])
    src = None
    for _ in range(60):
        obs = env.step(NOOP)[0]
        if obs["damage_source"]["damage_amount"][0] > 0:
            src = obs["damage_source"]
            break
    assert src is not None
    assert 0.5 < src["damage_distance"][0] < 2.5 and abs(src["damage_yaw"][0] + 90.0) < 30.0  # east is yaw -90
    assert src["hunger_damage"][0] == np.float32(0.1) and not src["is_unblockable"]
    assert not (src["is_explosion"] or src["is_fire_damage"] or src["is_magic_damage"] or src["is_projectile"])
    ei[:, 0] = 0
    pf[INVUL], pf[FIRE] = 0.0, 21.0  # burning: the next tick's fire damage
    fire = env.step(NOOP)[0]["damage_source"]
    assert fire["is_fire_damage"] and fire["is_unblockable"] and fire["damage_distance"][0] == 0.0
    pf[FIRE] = 0.0
    for _ in range(20):
        quiet = env.step(NOOP)[0]["damage_source"]
    assert quiet["damage_amount"][0] == 0.0 and not quiet["is_fire_damage"] and not quiet["is_unblockable"]


def test_techtree_needs_use_not_just_crafting():
    env = flat("techtree_from_barehand_to_wooden_sword")
    give(env, "planks", 2)
    give(env, "stick", 1)
    give(env, "crafting_table", 1)
    look_down(env)
    env.step(act(fn=6, slot=env.sim.slot_of(env.rules.item("crafting_table"))))
    _, r, done, *_ = env.step(act(fn=4, craft=idx(env, "wooden_sword")))
    assert r == 1.0 and not done  # obtained: +1, not used yet
    env.step(act(fn=5, slot=env.sim.slot_of(env.rules.item("wooden_sword"))))
    pf = env.sim.e.pf
    env.sim.summon("pig", pf[PX] - 1.5, pf[PY], pf[PZ])  # to the west: the table (+z) does not hide it
    for t in range(40):
        pf[PITCH], pf[YAW] = 35.0, 90.0
        _, r, done, _, info = env.step(act(fn=3 * (t % 2)))
        if done:
            break
    assert done and r == 10.0 and info["stat"]["use_item"]["wooden_sword"] >= 1


def test_survival_counts_days_since_death():
    env = flat("survival")
    env._since_death = 24000 * 100 - 2
    env._prev = env._progress()  # 99 days in
    _, r, done, _, info = env.step(NOOP)
    assert not done and r == 0.0
    _, r, done, _, info = env.step(NOOP)
    assert done and r == 1.0 + 100.0 and info["stat"]["time_since_death"] == 24000 * 100


def test_death_does_not_end_the_episode():
    env = flat("harvest_1_bed")
    give(env, "dirt", 5)
    env.sim.e.pf[PY] = 120.0  # fall 56 blocks
    for _ in range(80):
        _, _, done, _, info = env.step(NOOP)
        assert not done
    assert env.sim.e.pf[PY] == pytest.approx(64.0) and info["stat"]["time_since_death"] < 80
    assert env.sim.item_counts()[env.rules.item("dirt")] in (0, 5)  # dropped where it died, maybe picked up


def test_start_conditions_of_a_combat_kit():
    env = flat("combat_zombie_plains_iron_armors_diamond_sword_shield")
    eq = env.observer.observe(None, None)["equipment"]["name"].tolist()
    assert eq == ["diamond sword", "iron boots", "iron leggings", "iron chestplate", "iron helmet", "shield"]
    assert env.sim.e.pi[TICK] == 0 and env.sim.armor_points() == 15
    kinds = env.sim.e.ei[:, 0]
    assert (kinds == env.rules.mob_kind("zombie")).sum() == 1


def test_reset_is_deterministic_and_seeds_differ():
    env = MineDojoEnv("harvest_1_log", image_size=(32, 32))
    a, _ = env.reset(seed=3)
    b, _ = env.reset(seed=3)
    c, _ = env.reset(seed=4)
    assert np.array_equal(a["rgb"], b["rgb"]) and not np.array_equal(a["rgb"], c["rgb"])
