"""Throughput per task: random actions at 64x64 on one pinned core, tasks measured in interleaved
rounds so that load on a shared machine hits them alike. Prints steps/s and the ratio to the first
task (Treechop by default), and appends a dated section to BENCHMARKS.md.

Usage::

    python benchmarks/bench_tasks.py --seconds 5 --rounds 4
    python benchmarks/bench_tasks.py --tasks MineRLTreechop-v0,MineRLObtainDiamond-v0 --no-append

Episodes that end are reset (counted in the time), as in training.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys

from bench_engine import BENCHMARKS_MD, McBench, machine, pin_to_one_core, throughput

DEFAULT_TASKS = "MineRLTreechop-v0,MineRLObtainDiamond-v0,MineRLObtainIronPickaxe-v0,MineRLSurvival-v0"


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", default=DEFAULT_TASKS, help="comma-separated ids; the first is the reference")
    p.add_argument("--seconds", type=float, default=5.0, help="stepping time per task per round (default 5)")
    p.add_argument("--rounds", type=int, default=4, help="interleaved rounds (default 4); the median counts")
    p.add_argument("--no-append", action="store_true", help="do not append the results to BENCHMARKS.md")
    return p.parse_args(argv)


def measure(tasks: list[str], seconds: float, rounds: int) -> dict[str, list[float]]:
    """steps/s (with resets) of each task in each round."""
    projects = {t: McBench(t) for t in tasks}
    envs = {t: p.make() for t, p in projects.items()}
    for t, p in projects.items():  # compile and warm every code path first
        throughput(p, envs[t], 1.0)
    runs: dict[str, list[float]] = {t: [] for t in tasks}
    for _ in range(rounds):
        for t, p in projects.items():
            runs[t].append(throughput(p, envs[t], seconds)["sps_with_resets"])
    return runs


def report(runs: dict[str, list[float]]) -> list[str]:
    ref = statistics.median(next(iter(runs.values())))
    lines = ["| task | steps/s (median of rounds) | min | max | vs first |", "|---|---|---|---|---|"]
    for t, r in runs.items():
        med = statistics.median(r)
        lines.append(f"| {t} | {med:,.0f} | {min(r):,.0f} | {max(r):,.0f} | {med / ref:.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    pin_to_one_core()
    args = _args(argv)
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    lines = report(measure(tasks, args.seconds, args.rounds))
    print("\n".join(lines))
    if not args.no_append:
        facts = machine()
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        head = [f"\n## {stamp}: throughput per task (random actions, 64x64)\n",
                f"- machine: nproc {facts['nproc']}, CPU {facts['cpu']}; pinned to core 0, NUMBA_NUM_THREADS=1",
                f"- command: `python benchmarks/bench_tasks.py {' '.join(sys.argv[1:])}`\n"]
        with open(BENCHMARKS_MD, "a") as f:
            f.write("\n".join(head + lines + [""]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
