"""The Obtain family: MineRL's spaces, item commands (craft, nearbyCraft, nearbySmelt, equip) and
the sparse vs dense reward schedules (reference §1.3-§1.6)."""

from __future__ import annotations

import numpy as np
import pytest
from flatworld import FlatGen

import mc_bench
from mc_bench.envs.spaces import Enum
from mc_bench.rules import load_rules
from mc_bench.sim.engine import A_PLACE, Sim, Start, noop_action
from mc_bench.sim.interact import inv_add, inv_count
from mc_bench.sim.state import HEALTH, PITCH, PX, PY, PZ, YAW
from mc_bench.sim.world import set_state

R = load_rules()
OBTAIN = ["MineRLObtainIronPickaxe-v0", "MineRLObtainIronPickaxeDense-v0", "MineRLObtainDiamond-v0",
          "MineRLObtainDiamondDense-v0"]
INVENTORY = ("coal cobblestone crafting_table dirt furnace iron_axe iron_ingot iron_ore iron_pickaxe log planks "
             "stick stone stone_axe stone_pickaxe torch wooden_axe wooden_pickaxe").split()
ENUMS = {  # reference §1.4, sorted = index order
    "place": "cobblestone crafting_table dirt furnace none stone torch",
    "equip": "air iron_axe iron_pickaxe none stone_axe stone_pickaxe wooden_axe wooden_pickaxe",
    "craft": "crafting_table none planks stick torch",
    "nearbyCraft": "furnace iron_axe iron_pickaxe none stone_axe stone_pickaxe wooden_axe wooden_pickaxe",
    "nearbySmelt": "coal iron_ingot none",
}
SCHEDULE = {"log": 1, "planks": 2, "stick": 4, "crafting_table": 4, "wooden_pickaxe": 8, "cobblestone": 16,
            "furnace": 32, "stone_pickaxe": 32, "iron_ore": 64, "iron_ingot": 128, "iron_pickaxe": 256}


@pytest.mark.parametrize("env_id", OBTAIN)
def test_spaces_match_reference(env_id):
    env = mc_bench.make(env_id)
    obs_space, act_space = env.observation_space, env.action_space
    assert list(obs_space["inventory"].spaces) == INVENTORY
    for box in obs_space["inventory"].spaces.values():
        assert (box.low, box.high, box.dtype) == (0, 2304, np.int32)
    hand = obs_space["equipped_items"]["mainhand"]
    assert hand["type"].values == tuple(
        "air iron_axe iron_pickaxe none other stone_axe stone_pickaxe wooden_axe wooden_pickaxe".split())
    for k in ("damage", "maxDamage"):
        assert (hand[k].low, hand[k].high, hand[k].dtype) == (-1, 1562, np.int64)
    assert list(obs_space.spaces) == ["equipped_items", "inventory", "pov"]
    for key, values in ENUMS.items():
        assert isinstance(act_space[key], Enum) and act_space[key].values == tuple(values.split())
        assert act_space.noop()[key] == "none"
    assert env.spec.max_episode_steps == (18000 if "Diamond" in env_id else 6000)
    env.close()


def _give(env, name, n):
    inv_add(env.unwrapped.sim.e.inv, R.item(name), 0, n, R.stack_size)


def _reward_sequence(env_id):
    """Rewards along a fixed item path, items handed in and crafted through the action space."""
    env = mc_bench.make(env_id)
    env.reset(seed=3)
    noop = env.action_space.noop()
    rewards = []

    def step(**act):
        _, r, *_ = env.step({**noop, **act})
        rewards.append(r)

    _give(env, "log", 1)
    step()
    _give(env, "log", 2)
    step()
    step(craft="planks")  # 1 log -> 4 planks
    step(craft="stick")  # 2 planks -> 4 sticks
    step(craft="planks")
    step(craft="planks")  # logs gone
    env.close()
    return rewards


def test_sparse_pays_each_item_once_dense_pays_every_new_unit():
    assert _reward_sequence("MineRLObtainIronPickaxe-v0") == [1, 0, 2, 4, 0, 0]
    # dense: 1 log, 2 more logs, 4 planks, 4 sticks (planks drop to 2), +4 planks -> 6 (2 new), +4 -> 10 (4 new)
    assert _reward_sequence("MineRLObtainIronPickaxeDense-v0") == [1, 2, 8, 16, 4, 8]


def test_equip_and_mainhand_observation():
    env = mc_bench.make("MineRLObtainDiamond-v0")
    obs, _ = env.reset(seed=0)
    assert obs["equipped_items"]["mainhand"]["type"] == "air"
    _give(env, "dirt", 5)
    _give(env, "wooden_pickaxe", 1)
    noop = env.action_space.noop()
    obs, *_ = env.step(noop)
    assert obs["equipped_items"]["mainhand"]["type"] == "other"  # dirt went to the selected slot first
    obs, *_ = env.step({**noop, "equip": "wooden_pickaxe"})
    hand = obs["equipped_items"]["mainhand"]
    assert (hand["type"], int(hand["damage"]), int(hand["maxDamage"])) == ("wooden_pickaxe", 0, 59)
    obs, *_ = env.step({**noop, "equip": "air"})
    assert obs["equipped_items"]["mainhand"]["type"] == "air"
    env.close()


def _flat_sim(items):
    sim = Sim(R, lambda seed: FlatGen(seed, 63))
    sim.reset(0, Start(inventory=[(R.item(n), 0, c) for n, c in items], yaw=0.0, pitch=60.0))
    sim.step(noop_action())
    return sim


def _place(sim, name):
    a = noop_action()
    a[A_PLACE] = R.item(name)
    sim.step(a)


def test_nearby_craft_needs_a_placed_table_near_and_in_view():
    sim = _flat_sim([("crafting_table", 1), ("planks", 9), ("stick", 4)])
    pick = R.item("wooden_pickaxe")
    assert not sim.craft(pick, nearby=True)  # no table yet
    _place(sim, "crafting_table")
    assert sim.placed and inv_count(sim.e.inv, R.item("crafting_table")) == 0
    sim.e.pf[YAW] = 180.0  # turned away: out of view
    assert not sim.craft(pick, nearby=True)
    sim.e.pf[YAW] = 0.0
    assert sim.craft(pick, nearby=True)
    assert inv_count(sim.e.inv, pick) == 1
    sim.e.pf[PX] -= 6.0  # out of reach, though still roughly ahead
    sim.e.pf[PITCH] = 0.0
    assert not sim.craft(pick, nearby=True)


def test_world_generated_table_does_not_count():
    sim = _flat_sim([("planks", 9), ("stick", 4)])
    set_state(sim.w, 0, 64, 1, np.uint16(R.state("crafting_table")))
    assert not sim.craft(R.item("wooden_pickaxe"), nearby=True)


def test_broken_table_stops_counting():
    sim = _flat_sim([("crafting_table", 1), ("planks", 9), ("stick", 4)])
    _place(sim, "crafting_table")
    (x, y, z), = sim.placed
    set_state(sim.w, x, y, z, np.uint16(0))
    assert not sim.craft(R.item("wooden_pickaxe"), nearby=True)


def test_nearby_smelt_with_furnace_and_fuel():
    sim = _flat_sim([("furnace", 1), ("iron_ore", 2), ("coal", 1)])
    ingot = R.item("iron_ingot")
    assert not sim.smelt(ingot)
    _place(sim, "furnace")
    assert sim.smelt(ingot) and inv_count(sim.e.inv, ingot) == 1
    assert not sim.smelt(ingot)  # the coal was used up
    assert inv_count(sim.e.inv, R.item("iron_ore")) == 1


def test_iron_pickaxe_task_ends_when_crafted():
    env = mc_bench.make("MineRLObtainIronPickaxe-v0")
    env.reset(seed=1)
    sim = env.unwrapped.sim
    for name, n in (("crafting_table", 1), ("iron_ingot", 3), ("stick", 2)):
        _give(env, name, n)
    noop = env.action_space.noop()
    sim.e.pf[PITCH] = 60.0  # look at the ground just ahead, where the table goes
    _, r, term, trunc, info = env.step({**noop, "place": "crafting_table"})
    assert sim.placed
    _, r, term, trunc, info = env.step({**noop, "nearbyCraft": "iron_pickaxe"})
    assert term and info["success"] and r == 256
    env.close()


def test_death_ends_the_episode_without_success():
    env = mc_bench.make("MineRLObtainDiamond-v0")
    env.reset(seed=2)
    sim = env.unwrapped.sim
    sim.e.pf[HEALTH] = 1.0
    x, y, z = (int(np.floor(sim.e.pf[i])) for i in (PX, PY, PZ))
    set_state(sim.w, x, y, z, np.uint16(R.state("lava")))
    _, _, terminated, truncated, info = env.step(env.action_space.noop())
    assert terminated and not truncated and not info["success"]
    assert set(info["kills"]) == set(R.mob_names) and not any(info["kills"].values())
    env.close()
