"""Tests over every registered task id (house rule H6), plus the MineRL space tables (reference §1.3-1.4)."""

from __future__ import annotations

import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.utils.env_checker import check_env, data_equivalence

import mc_bench
from mc_bench.envs.spaces import Enum
from mc_bench.error import InvalidAction, UnknownTask

IDS = mc_bench.list_tasks(family="minerl")
KEYS = ["attack", "back", "forward", "jump", "left", "right", "sneak", "sprint"]
# Checker warnings we accept, with the reason: MineRL's camera is Box(-180, 180) by spec (reference §1.4).
ALLOWED_WARNINGS = ("we recommend using a symmetric and normalized space",)
NAVIGATE = ["MineRLNavigate-v0", "MineRLNavigateDense-v0", "MineRLNavigateExtreme-v0", "MineRLNavigateExtremeDense-v0"]


def test_every_family_registered():
    assert set(mc_bench.list_tasks()) == set(IDS) | set(mc_bench.list_tasks(family="minedojo"))


def test_minerl_ids_registered():
    assert set(["MineRLTreechop-v0"] + NAVIGATE) <= set(IDS)
    for i in IDS:
        assert i in gymnasium.registry
        assert isinstance(gymnasium.registry[i].entry_point, str)


@pytest.mark.parametrize("task_id", IDS)
def test_check_env(task_id):
    env = gymnasium.make(task_id, render_mode="rgb_array")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped, skip_render_check=False)
    unexpected = [str(w.message) for w in caught if not any(a in str(w.message) for a in ALLOWED_WARNINGS)]
    assert not unexpected, unexpected
    env.close()


@pytest.mark.parametrize("task_id", IDS)
def test_determinism_500_steps(task_id):
    env_a, env_b = gymnasium.make(task_id), gymnasium.make(task_id)
    obs_a, info_a = env_a.reset(seed=123)
    obs_b, info_b = env_b.reset(seed=123)
    assert data_equivalence(obs_a, obs_b) and data_equivalence(info_a, info_b)
    env_a.action_space.seed(7)
    for t in range(500):
        action = env_a.action_space.sample()
        action["camera"] = (np.asarray(action["camera"]) / 18.0).astype(np.float32)  # look around, not spin
        a, b = env_a.step(action), env_b.step(action)
        assert data_equivalence(a, b), f"diverged at step {t}"
        if a[2] or a[3]:
            env_a.reset(seed=t)
            env_b.reset(seed=t)


@pytest.mark.parametrize("task_id", IDS)
def test_seeds_differ(task_id):
    env = gymnasium.make(task_id)
    a, _ = env.reset(seed=1)
    b, _ = env.reset(seed=2)
    assert not np.array_equal(a["pov"], b["pov"])


def _box(space, low, high, shape, dtype):
    assert isinstance(space, spaces.Box), space
    assert space.shape == shape and space.dtype == np.dtype(dtype)
    assert np.all(space.low == low) and np.all(space.high == high)


def _common_actions(act):
    for k in KEYS:
        assert act[k] == spaces.Discrete(2) and act[k].dtype == np.int64
    _box(act["camera"], -180.0, 180.0, (2,), np.float32)


def test_treechop_spaces_match_minerl():
    env = gymnasium.make("MineRLTreechop-v0")
    assert list(env.observation_space.spaces) == ["pov"]
    _box(env.observation_space["pov"], 0, 255, (64, 64, 3), np.uint8)
    assert list(env.action_space.spaces) == sorted(KEYS + ["camera"])
    _common_actions(env.action_space)
    noop = env.action_space.noop()
    assert {k: v for k, v in noop.items() if k != "camera"} == {k: 0 for k in KEYS}
    assert np.array_equal(noop["camera"], [0, 0])
    assert env.spec.max_episode_steps == 8000 and env.spec.reward_threshold == 64.0


@pytest.mark.parametrize("task_id", NAVIGATE)
def test_navigate_spaces_match_minerl(task_id):
    env = gymnasium.make(task_id)
    obs = env.observation_space
    assert list(obs.spaces) == ["compass", "inventory", "pov"]
    _box(obs["compass"]["angle"], -180.0, 180.0, (), np.float32)
    _box(obs["inventory"]["dirt"], 0, 2304, (), np.int32)
    _box(obs["pov"], 0, 255, (64, 64, 3), np.uint8)
    act = env.action_space
    assert list(act.spaces) == sorted(KEYS + ["camera", "place"])
    _common_actions(act)
    assert act["place"] == Enum("dirt", "none") and act["place"].values == ("dirt", "none")
    assert act.noop()["place"] == "none" and act["place"].value_map == {"dirt": 0, "none": 1}
    assert env.spec.max_episode_steps == 6000


def test_enum_accepts_string_or_index():
    env = gymnasium.make("MineRLNavigate-v0")
    env.reset(seed=0)
    for v in ("dirt", 0, "none", 1, np.int64(1)):
        a = env.action_space.noop()
        a["place"] = v
        env.step(a)
    assert isinstance(env.action_space["place"].sample(), str)


def test_unknown_task_names_nearest():
    with pytest.raises(UnknownTask, match="MineRLTreechop-v0"):
        mc_bench.make("MineRLTreechopp-v0")


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda a: a.pop("forward"), r"missing \['forward'\]"),
        (lambda a: a.update(fly=1), r"unknown \['fly'\]"),
        (lambda a: a.update(forward=2), "'forward' must be 0 or 1"),
        (lambda a: a.update(jump=0.5), "'jump' must be 0 or 1"),
        (lambda a: a.update(camera=np.zeros(3)), r"shape \(2,\)"),
        (lambda a: a.update(camera=[0.0, 200.0]), r"\[-180, 180\]"),
        (lambda a: a.update(camera=[np.nan, 0.0]), r"\[-180, 180\]"),
        (lambda a: a.update(place="diamond"), "must be one of \\['dirt', 'none'\\]"),
        (lambda a: a.update(place=5), "must be one of"),
    ],
)
def test_bad_actions_get_named_errors(mutate, match):
    env = gymnasium.make("MineRLNavigate-v0")
    env.reset(seed=0)
    a = env.action_space.noop()
    mutate(a)
    with pytest.raises(InvalidAction, match=match):
        env.step(a)


def test_non_dict_action():
    env = gymnasium.make("MineRLTreechop-v0")
    env.reset(seed=0)
    with pytest.raises(InvalidAction, match="must be a dict"):
        env.step([0, 1])
