"""Every MineDojo id through gymnasium's check_env and a determinism run (the CI test samples 100).

Overworld tasks must pass check_env and give identical rollouts twice from one seed; Nether and End
tasks must refuse with DimensionNotBuilt. Prints one line per failure and a summary; exit status 1
if anything failed. Appends nothing to BENCHMARKS.md (it is a check, not a measure), but prints
the wall time.

Usage::

    python benchmarks/bench_minedojo_check.py               # all 1,582 ids
    python benchmarks/bench_minedojo_check.py --only combat --steps 30
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter

import numpy as np
from gymnasium.utils.env_checker import check_env, data_equivalence

import mc_bench
from mc_bench.error import DimensionNotBuilt
from mc_bench.tasks.feasibility import required_dimension
from mc_bench.tasks.minedojo import expand


def check(task: str, steps: int, size: tuple[int, int]) -> str | None:
    """None if ``task`` passes, else what went wrong."""
    if required_dimension(task) != "overworld":
        try:
            mc_bench.make(task)
        except DimensionNotBuilt:
            return None
        return "a Nether/End task made an env"
    env, other = mc_bench.make(task, image_size=size), mc_bench.make(task, image_size=size)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped, skip_render_check=True)
    unexpected = [w for w in caught if "maximum value is infinity" not in str(w.message)]  # MineDojo's own bounds
    if unexpected:
        return f"check_env warned: {unexpected[0].message}"
    if not data_equivalence(env.reset(seed=1), other.reset(seed=1)):
        return "resets differ"
    env.action_space.seed(3)
    for t in range(steps):
        a = env.action_space.sample()
        a[3:5] = np.clip(a[3:5], 11, 13)
        ra, rb = env.step(a), other.step(a)
        if not data_equivalence(ra, rb):
            return f"diverged at step {t}"
        if ra[2] or ra[3]:
            env.reset(seed=t)
            other.reset(seed=t)
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", default=None, help="one category (harvest, combat, techtree, survival)")
    p.add_argument("--steps", type=int, default=60, help="random steps per determinism run (default 60)")
    args = p.parse_args(argv)
    tasks = [t.id for t in expand().values() if args.only in (None, t.category)]
    t0, fails, seen = time.perf_counter(), {}, Counter()
    for i, task in enumerate(tasks, 1):
        try:
            why = check(task, args.steps, (40, 64))
        except Exception as err:  # report every failure, then go on
            why = f"{type(err).__name__}: {err}"
        seen[required_dimension(task)] += 1
        if why:
            fails[task] = why
            print(f"FAIL {task}: {why}", flush=True)
        if i % 100 == 0:
            print(f"... {i}/{len(tasks)} checked, {len(fails)} failed, {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"{len(tasks)} ids ({dict(seen)}): {len(tasks) - len(fails)} passed, {len(fails)} failed "
          f"in {time.perf_counter() - t0:.0f} s")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
