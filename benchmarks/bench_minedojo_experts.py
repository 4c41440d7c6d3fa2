"""Run the scripted experts over the MineDojo tasks they cover and write the results the feasibility
report reads (``mc-bench tasks feasibility --experts results.json``).

Each task runs ``--episodes`` episodes (seeds 0..n-1) within its horizon, through the env's native
dict actions at a small image size (the experts read the simulator, not pixels). Prints the
success rate per category and writes ``{task_id: {"solved": k, "episodes": n}}``.

Usage::

    python benchmarks/bench_minedojo_experts.py --out results/minedojo_experts.json
    python benchmarks/bench_minedojo_experts.py --only combat --episodes 2 --limit 50
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import mc_bench
from mc_bench.agents import make_agent
from mc_bench.agents.experts.minedojo import has_expert
from mc_bench.tasks.feasibility import required_dimension
from mc_bench.tasks.minedojo import expand

SIZE = (32, 48)


def run(task_id: str, seed: int) -> tuple[bool, int]:
    """(solved, steps) of one expert episode."""
    env = mc_bench.make(task_id, action_space="dict", image_size=SIZE)
    obs, _ = env.reset(seed=seed)
    agent = make_agent("expert", env, seed)
    steps, done = 0, False
    while not done:
        obs, _, term, trunc, info = env.step(agent.act(obs))
        steps += 1
        done = term or trunc
    env.close()
    return bool(info["success"]), steps


def covered(only: str | None) -> list[str]:
    """Overworld tasks with an expert, in registry order."""
    return [t.id for t in expand().values() if (only in (None, t.category)) and has_expert(t)
            and required_dimension(t.id) == "overworld"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="results/minedojo_experts.json", help="results JSON (refused if it exists)")
    p.add_argument("--episodes", type=int, default=1)
    p.add_argument("--only", default=None, help="one category")
    p.add_argument("--limit", type=int, default=None, help="first N covered tasks only")
    args = p.parse_args(argv)
    out = Path(args.out)
    if out.exists():
        print(f"{out} exists; choose another --out (results are never overwritten).", file=sys.stderr)
        return 2
    tasks = covered(args.only)[:args.limit]
    results, solved, seen, t0 = {}, Counter(), Counter(), time.perf_counter()
    for k, task in enumerate(tasks, 1):
        wins = sum(run(task, s)[0] for s in range(args.episodes))
        results[task] = {"solved": wins, "episodes": args.episodes}
        cat = expand()[task].category
        seen[cat] += args.episodes
        solved[cat] += wins
        if k % 25 == 0:
            print(f"... {k}/{len(tasks)} tasks, {time.perf_counter() - t0:.0f} s", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    for cat in sorted(seen):
        print(f"{cat}: {solved[cat]}/{seen[cat]} episodes solved ({100 * solved[cat] / seen[cat]:.0f} %)")
    print(f"{len(tasks)} tasks in {time.perf_counter() - t0:.0f} s; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
