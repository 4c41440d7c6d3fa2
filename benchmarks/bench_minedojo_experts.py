"""Run the scripted experts over the MineDojo tasks they cover and write the results the feasibility
report reads (``mc-bench tasks feasibility --experts results.json``).

Each task runs ``--episodes`` episodes (seeds 0..n-1), each capped at the task's horizon (harvest 12,000
steps plus 3,000 for each target item beyond the first, tech tree 18,000, combat 3,000), through the env's
native dict actions at a small image size (the experts read the simulator, not pixels). One line per task
reports progress; the results file is rewritten after every task, so an interrupted run keeps what it
finished and ``--resume`` goes on from there. Prints the success rate per category and writes
``{task_id: {"solved": k, "episodes": n, "steps": [...], "deaths": [...], "seconds": s}}`` (deaths: the
respawns each episode's expert saw; rows from before 2026-11-22 10:00 UTC lack them).

Usage::

    python benchmarks/bench_minedojo_experts.py --out results/minedojo_experts.json
    python benchmarks/bench_minedojo_experts.py --only combat --episodes 2 --limit 50
    python benchmarks/bench_minedojo_experts.py --every 10 --out results/sample.json --resume
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SIZE = (32, 48)


def run(task_id: str, seed: int) -> tuple[bool, int, int]:
    """(solved, steps, deaths) of one expert episode, capped at the task's horizon; deaths (respawns the
    expert saw) say which failures were fights lost rather than plans that went nowhere."""
    import mc_bench
    from mc_bench.agents import make_agent

    env = mc_bench.make(task_id, action_space="dict", image_size=SIZE)
    horizon = env.unwrapped.spec_task.horizon
    obs, info = env.reset(seed=seed)
    agent = make_agent("expert", env, seed)
    steps, done = 0, False
    while not done and steps < horizon:
        obs, _, term, trunc, info = env.step(agent.act(obs))
        steps += 1
        done = term or trunc
    env.close()
    return bool(info["success"]), steps, int(getattr(agent, "deaths", 0))


def _alarm(signum, frame):
    raise TimeoutError("episode ran past --episode-timeout (an expert loop that never yields?)")


def run_task(task_id: str, episodes: int, timeout: float) -> tuple[str, dict]:
    """The record of one task; an episode that raises or runs past ``timeout`` seconds counts as unsolved,
    and its error is kept."""
    t0 = time.perf_counter()
    outcomes, errors = [], []
    signal.signal(signal.SIGALRM, _alarm)
    for seed in range(episodes):
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            outcomes.append(run(task_id, seed))
        except Exception as exc:  # one broken episode must not lose the whole run; the record says why
            outcomes.append((False, 0, 0))
            errors.append(f"seed {seed}: {type(exc).__name__}: {exc}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    rec = {"solved": sum(ok for ok, _, _ in outcomes), "episodes": episodes, "steps": [n for _, n, _ in outcomes],
           "deaths": [d for _, _, d in outcomes], "seconds": round(time.perf_counter() - t0, 1)}
    return task_id, rec | ({"errors": errors} if errors else {})


def covered(only: str | None, limit: int | None, every: int) -> list[str]:
    """Overworld tasks with an expert, in registry order: every ``every``-th, at most ``limit`` per category."""
    from mc_bench.agents.experts.minedojo import has_expert
    from mc_bench.tasks.minedojo import expand

    picked, per_cat = [], Counter()
    for k, t in enumerate(t for t in expand().values() if only in (None, t.category) and has_expert(t)):
        if k % every == 0 and (limit is None or per_cat[t.category] < limit):
            picked.append(t.id)
            per_cat[t.category] += 1
    return picked


def _write(out: Path, results: dict) -> None:
    """Replace ``out`` atomically: a run killed mid-write leaves the previous version."""
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(results, indent=1))
    os.replace(tmp, out)


def _report(results: dict, tasks: list[str], t0: float) -> None:
    from mc_bench.tasks.minedojo import expand

    solved, seen = Counter(), Counter()
    for tid in tasks:
        if tid in results:
            cat = expand()[tid].category
            solved[cat] += results[tid]["solved"]
            seen[cat] += results[tid]["episodes"]
    for cat in sorted(seen):
        print(f"{cat}: {solved[cat]}/{seen[cat]} episodes solved ({100 * solved[cat] / seen[cat]:.1f} %)")
    print(f"{sum(t in results for t in tasks)}/{len(tasks)} tasks in {time.perf_counter() - t0:.0f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="results/minedojo_experts.json",
                   help="results JSON (refused if it exists, unless --resume)")
    p.add_argument("--resume", action="store_true", help="keep the tasks already in --out and run the rest")
    p.add_argument("--episodes", type=int, default=1)
    p.add_argument("--only", default=None, help="one category")
    p.add_argument("--limit", type=int, default=None, help="at most N tasks per category")
    p.add_argument("--every", type=int, default=1, help="every k-th covered task only (a spread-out sample)")
    p.add_argument("--workers", type=int, default=1, help="parallel processes (default 1)")
    p.add_argument("--episode-timeout", type=float, default=1800.0,
                   help="wall-clock seconds after which an episode counts as failed (default 1800)")
    args = p.parse_args(argv)
    out = Path(args.out)
    if out.exists() and not args.resume:
        print(f"{out} exists; choose another --out or pass --resume (results are never overwritten).",
              file=sys.stderr)
        return 2
    results = json.loads(out.read_text()) if out.exists() else {}
    tasks = covered(args.only, args.limit, max(1, args.every))
    todo = [t for t in tasks if t not in results]
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print(f"{len(tasks)} tasks, {len(tasks) - len(todo)} already done, {len(todo)} to run", flush=True)
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        for k, (tid, rec) in enumerate(pool.map(run_task, todo, [args.episodes] * len(todo),
                                                    [args.episode_timeout] * len(todo)), 1):
            results[tid] = rec
            _write(out, results)
            print(f"[{k}/{len(todo)}] {tid}: {rec['solved']}/{rec['episodes']} steps {rec['steps']} "
                  f"{rec['seconds']} s" + "".join(f"\n    {e}" for e in rec.get("errors", [])), flush=True)
    _report(results, tasks, t0)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
