"""Scripted-expert table: success rate, mean steps and mean return per task over fixed seeds.

Usage::

    python benchmarks/bench_experts.py                      # every task with an expert, seeds 0-49
    python benchmarks/bench_experts.py --tasks MineRLTreechop-v0 --episodes 10
    python benchmarks/bench_experts.py --tasks MineRLSurvival-v0 --episodes 5   # return = days survived

Each episode resets the env with seed ``seed0 + i`` and the expert with the same seed, so a row
reproduces exactly. ``agent ms/step`` is the expert's own decision time (planning included);
``env steps/s`` counts ``env.step`` (rendering included).
"""

from __future__ import annotations

import argparse
import statistics
import time

import mc_bench
from mc_bench.agents.experts import EXPERTS, make_expert

MAX_STEPS = 48_000  # two in-game days: the longest other horizon is 18,000 steps


def run_episode(env, expert, seed: int, max_steps: int | None = None) -> dict:
    """One seeded episode (cut at ``max_steps``); returns success, steps, return and the time split."""
    obs, info = env.reset(seed=seed)
    expert.reset(seed)
    ret, steps, t_agent, t_env, done = 0.0, 0, 0.0, 0.0, False
    while not done and (max_steps is None or steps < max_steps):
        t0 = time.perf_counter()
        action = expert.act(obs)
        t1 = time.perf_counter()
        obs, reward, terminated, truncated, info = env.step(action)
        t_env += time.perf_counter() - t1
        t_agent += t1 - t0
        ret += float(reward)
        steps += 1
        done = terminated or truncated
    return {"success": bool(info.get("success")), "steps": steps, "return": ret,
            "t_agent": t_agent, "t_env": t_env}


def bench_task(task: str, episodes: int, seed0: int, verbose: bool, max_steps: int | None = None) -> dict:
    env = mc_bench.make(task)
    expert = make_expert(env, seed0)
    runs = []
    for i in range(episodes):
        r = run_episode(env, expert, seed0 + i, max_steps)
        runs.append(r)
        if verbose:
            print(f"  {task} seed {seed0 + i}: success={r['success']} steps={r['steps']} "
                  f"return={r['return']:.1f}", flush=True)
    env.close()
    steps = sum(r["steps"] for r in runs)
    return {
        "task": task,
        "success": sum(r["success"] for r in runs) / len(runs),
        "steps": statistics.mean(r["steps"] for r in runs),
        "return": statistics.mean(r["return"] for r in runs),
        "agent_ms": 1000 * sum(r["t_agent"] for r in runs) / steps,
        "env_sps": steps / sum(r["t_env"] for r in runs),
        "failed": [seed0 + i for i, r in enumerate(runs) if not r["success"]],
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", nargs="*", default=None, help="task ids (default: every task with an expert)")
    p.add_argument("--episodes", type=int, default=50)
    p.add_argument("--seed0", type=int, default=0)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--max-steps", type=int, default=MAX_STEPS,
                   help="cut each episode here (Survival's horizon is 1,728,000 steps)")
    args = p.parse_args(argv)
    registered = set(mc_bench.list_tasks())
    tasks = args.tasks or [t for t in EXPERTS if t in registered]
    rows = [bench_task(t, args.episodes, args.seed0, args.verbose, args.max_steps) for t in tasks]
    print(f"\n{'task':34} {'success':>8} {'steps':>8} {'return':>8} {'agent ms/step':>14} {'env steps/s':>12}")
    for r in rows:
        print(f"{r['task']:34} {r['success']:8.0%} {r['steps']:8.0f} {r['return']:8.1f} "
              f"{r['agent_ms']:14.3f} {r['env_sps']:12.0f}")
    for r in rows:
        if r["failed"]:
            print(f"{r['task']} failed seeds: {r['failed']}")


if __name__ == "__main__":
    main()
