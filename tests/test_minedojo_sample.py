"""check_env and determinism over a sample of 100 MineDojo ids across categories (CI); all 1,581 run in
``benchmarks/bench_minedojo_check.py``."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env, data_equivalence

import mc_bench
from mc_bench.tasks.feasibility import required_dimension
from mc_bench.tasks.minedojo import expand

# Checker warnings we accept, with the reason: MineDojo declares durability and damage distance as
# Box(-1 or 0, inf) (reference §2.3).
ALLOWED_WARNINGS = ("maximum value is infinity",)
SIZE = (40, 64)  # small frames keep the sample fast; the spaces are the same at any size
STEPS = 60


def sample_ids(n: int = 100, seed: int = 0) -> list[str]:
    """``n`` overworld ids, spread over the categories in proportion (at least one of each)."""
    by_cat: dict[str, list[str]] = {}
    for t in expand().values():
        if required_dimension(t.id) == "overworld":
            by_cat.setdefault(t.category, []).append(t.id)
    total = sum(len(v) for v in by_cat.values())
    rng = random.Random(seed)
    out = []
    for cat, ids in sorted(by_cat.items()):
        k = max(1, round(n * len(ids) / total))
        out += rng.sample(ids, min(k, len(ids)))
    return sorted(out)[:n] if len(out) > n else sorted(out)


IDS = sample_ids()


def test_sample_covers_every_category():
    cats = {expand()[i].category for i in IDS}
    assert {"harvest", "combat", "techtree", "survival"} <= cats and 95 <= len(IDS) <= 100


@pytest.mark.parametrize("task", IDS)
def test_check_env_and_determinism(task):
    env = mc_bench.make(task, image_size=SIZE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped, skip_render_check=True)
    unexpected = [str(w.message) for w in caught if not any(a in str(w.message) for a in ALLOWED_WARNINGS)]
    assert not unexpected, unexpected
    other = mc_bench.make(task, image_size=SIZE)
    a, b = env.reset(seed=11), other.reset(seed=11)
    assert data_equivalence(a, b)
    env.action_space.seed(5)
    for t in range(STEPS):
        action = env.action_space.sample()
        action[3:5] = np.clip(action[3:5], 11, 13)  # look around, not spin
        ra, rb = env.step(action), other.step(action)
        assert data_equivalence(ra, rb), f"{task} diverged at step {t}"
        if ra[2] or ra[3]:
            env.reset(seed=t)
            other.reset(seed=t)
    env.close()
    other.close()
