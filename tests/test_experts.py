"""Scripted experts: they solve their tasks on a few fixed seeds, act like a player (bounded
camera, only the action space), and reproduce exactly under the same seeds.

The full table over 50 seeds per task is ``benchmarks/bench_experts.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import mc_bench
from mc_bench.agents import make_agent
from mc_bench.agents.experts import EXPERTS, make_expert
from mc_bench.agents.experts.control import MAX_TURN

TURN_LIMIT = MAX_TURN + 1.0  # the cap plus the walking jitter's tail


def play(task: str, seed: int, max_steps: int | None = None):
    """One episode; returns (success, steps, return, actions)."""
    env = mc_bench.make(task)
    expert = make_expert(env, seed)
    obs, info = env.reset(seed=seed)
    actions, ret, done = [], 0.0, False
    while not done and (max_steps is None or len(actions) < max_steps):
        a = expert.act(obs)
        assert env.action_space.contains(a)
        actions.append(a)
        obs, r, term, trunc, info = env.step(a)
        ret += r
        done = term or trunc
    env.close()
    return bool(info.get("success")), len(actions), ret, actions


@pytest.mark.parametrize("seed", [0, 7])
def test_treechop_expert_collects_64_logs(seed):
    success, steps, ret, _ = play("MineRLTreechop-v0", seed)
    assert success and ret == 64.0 and steps < 8000


@pytest.mark.parametrize("task", ["MineRLNavigate-v0", "MineRLNavigateExtreme-v0"])
def test_navigate_expert_touches_the_goal(task):
    success, steps, ret, _ = play(task, 3)
    assert success and ret >= 100.0 and steps < 6000


def test_obtain_expert_crafts_an_iron_pickaxe():
    # Seed 17 is among the quickest of the 50 benchmark seeds (1,577 steps, a few seconds);
    # play() checks every action against the action space.
    success, steps, ret, _ = play("MineRLObtainIronPickaxe-v0", 17)
    assert success and ret == 547.0 and steps < 6000  # each item of the schedule paid once


def test_obtain_expert_reaches_a_diamond():
    success, steps, ret, _ = play("MineRLObtainDiamond-v0", 17)
    assert success and ret == 1571.0 and steps < 18000  # the whole schedule, each item once


def test_cooked_meat_expert_hunts_and_cooks():
    success, steps, ret, _ = play("MineRLObtainCookedMeat-v0", 5)
    assert success and ret >= 11.0 and steps < 6000  # a raw meat (1) and its cooked form (10)


def test_bed_expert_crafts_a_bed_from_sheep_wool():
    success, steps, ret, _ = play("MineRLObtainBed-v0", 0)
    assert success and ret == 99.0 and steps < 6000  # log, planks, stick, table, sword, wool, bed


def test_survival_expert_shelters_then_eats():
    from mc_bench.sim.state import FOOD, HEALTH

    env = mc_bench.make("MineRLSurvival-v0")
    expert = make_expert(env, 1)
    obs, _ = env.reset(seed=1)
    sim = env.unwrapped.sim
    for _ in range(6000):
        obs, _, term, _, _ = env.step(expert.act(obs))
        assert not term
        if expert.stage == "wait":
            break
    assert expert.stage == "wait"
    x, y, z = expert.wv.cell
    assert expert.wv.is_solid(x, y + 2, z) and expert.wv.count("stone_sword") == 1  # sealed in, armed
    meals = sum(expert.wv.count(m) for m in ("cooked_beef", "cooked_chicken", "cooked_mutton", "cooked_porkchop"))
    assert meals >= 1
    sim.e.pf[FOOD] = 10.0  # a hungry player (test-only write) must eat what it cooked
    for _ in range(200):
        a = expert.act(obs)
        assert env.action_space.contains(a)
        obs, _, term, _, _ = env.step(a)
    left = sum(expert.wv.count(m) for m in ("cooked_beef", "cooked_chicken", "cooked_mutton", "cooked_porkchop"))
    assert sim.e.pf[FOOD] >= 14 and left < meals and sim.e.pf[HEALTH] > 0
    env.close()


def test_camera_turns_smoothly():
    _, _, _, actions = play("MineRLNavigateExtreme-v0", 1)
    cams = np.array([a["camera"] for a in actions])
    assert np.abs(cams).max() <= TURN_LIMIT


def test_same_seed_same_episode():
    a1 = play("MineRLTreechop-v0", 5, max_steps=600)[3]
    a2 = play("MineRLTreechop-v0", 5, max_steps=600)[3]
    assert all(x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x) for x, y in zip(a1, a2))


def test_make_agent_expert_picks_the_task_expert():
    env = mc_bench.make("MineRLNavigateDense-v0")
    agent = make_agent("expert", env, seed=0)
    assert type(agent) is EXPERTS["MineRLNavigateDense-v0"]


def test_every_expert_task_is_registered():
    assert set(EXPERTS) <= set(mc_bench.list_tasks())

