"""Engine benchmark: mc-bench next to Crafter, in one process run on one pinned core.

Measures, for each project: env steps/s with random actions over ``--seconds`` (counting the
auto-resets the episodes need, and without them), reset time (median and p90 over distinct
seeds), and memory (RSS added per env over 8 envs, and the RSS of a fresh process holding one
env). Prints a table with ratios and appends a dated section to BENCHMARKS.md.

Usage::

    python benchmarks/bench_engine.py --seconds 20
    python benchmarks/bench_engine.py --seconds 10 --no-crafter --profile --no-append

Only ratios measured together are stable on shared machines, so both projects run in the same
invocation, on the same core, with the same durations.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

# Before numba is imported anywhere: one thread, one core, for both projects.
os.environ["NUMBA_NUM_THREADS"] = "1"

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
N_ACTIONS = 4096  # pre-sampled actions, cycled: action sampling is the agent's cost, not the env's
N_MEMORY_ENVS = 8
MB = 1024 * 1024

if importlib.util.find_spec("mc_bench") is None:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))


def pin_to_one_core() -> None:
    """Run on core 0 only (where the OS allows it)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})


def rss() -> int:
    """Resident set size of this process, in bytes."""
    import psutil

    return psutil.Process().memory_info().rss


# --------------------------------------------------------------------------- the two projects


class McBench:
    """mc-bench through the public API (``mc_bench.make``, gymnasium 5-tuple)."""

    name = "mc-bench"

    def __init__(self, task: str):
        import mc_bench

        self.mc_bench, self.task = mc_bench, task

    def make(self):
        return self.mc_bench.make(self.task)

    def actions(self, env, seed: int = 0) -> list:
        space = env.action_space
        space.seed(seed)
        return [space.sample() for _ in range(N_ACTIONS)]

    def reset(self, env, seed: int):
        env.reset(seed=seed)

    def step(self, env, action) -> bool:
        _, _, terminated, truncated, _ = env.step(action)
        return terminated or truncated


class Crafter:
    """Crafter 1.8.3 (``crafter.Env()``, gym 4-tuple, 64x64 world and view)."""

    name = "crafter"

    def __init__(self, task: str | None = None):
        import crafter

        self.crafter = crafter

    def make(self):
        return self.crafter.Env(seed=0)

    def actions(self, env, seed: int = 0) -> list:
        import numpy as np

        return list(np.random.default_rng(seed).integers(0, env.action_space.n, N_ACTIONS))

    def reset(self, env, seed: int):
        env.reset()  # each reset draws a new world from (env seed, episode number)

    def step(self, env, action) -> bool:
        return env.step(action)[2]


# --------------------------------------------------------------------------- measures


def throughput(project, env, seconds: float) -> dict:
    """Step with random actions for ``seconds``, resetting whenever an episode ends."""
    actions = project.actions(env)
    project.reset(env, 0)
    steps = resets = 0
    reset_s = 0.0
    start = time.perf_counter()
    end = start + seconds
    now = start
    while now < end:
        if project.step(env, actions[steps % N_ACTIONS]):
            t0 = time.perf_counter()
            project.reset(env, resets + 1)
            reset_s += time.perf_counter() - t0
            resets += 1
        steps += 1
        now = time.perf_counter()
    total = now - start
    return {"steps": steps, "resets": resets, "seconds": total,
            "sps_with_resets": steps / total, "sps_without_resets": steps / (total - reset_s)}


def reset_times(project, env, n: int) -> dict:
    """Median and p90 of ``n`` resets with distinct seeds, in seconds."""
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        project.reset(env, 10_000 + i)
        times.append(time.perf_counter() - t0)
    q = statistics.quantiles(times, n=10)
    return {"n": n, "median_s": statistics.median(times), "p90_s": q[8]}


def memory_per_env(project) -> float:
    """RSS added by creating and resetting 8 more envs, divided by 8, in bytes."""
    gc.collect()
    before = rss()
    envs = [project.make() for _ in range(N_MEMORY_ENVS)]
    for i, env in enumerate(envs):
        project.reset(env, i)
    gc.collect()
    per_env = (rss() - before) / N_MEMORY_ENVS
    del envs
    return per_env


def process_rss(project_name: str, task: str) -> float:
    """RSS of a fresh, pinned process that imported the project and holds one reset env."""
    cmd = [sys.executable, __file__, "--_rss-of", project_name, "--task", task]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600)
    return float(out.stdout.strip().splitlines()[-1])


def first_step_seconds(project) -> dict:
    """Make, first reset and first step of the process's first env (numba's disk cache warm)."""
    t0 = time.perf_counter()
    env = project.make()
    project.reset(env, 0)
    project.step(env, project.actions(env)[0])
    return {"env": env, "seconds": time.perf_counter() - t0}


def measure(project, seconds: float, resets: int) -> dict:
    """Every measure for one project, in a fixed order (memory before the long runs grow caches)."""
    first = first_step_seconds(project)
    env = first.pop("env")
    result = {"first_step_s": first["seconds"]}
    result["rss_per_env"] = memory_per_env(project)
    result["throughput"] = throughput(project, env, seconds)
    result["reset"] = reset_times(project, env, resets)
    return result


def profile_loop(project, seconds: float, top: int = 20) -> None:
    """cProfile of the stepping loop; prints the top functions by own time and by cumulative time."""
    import cProfile
    import pstats

    env = project.make()
    throughput(project, env, 1.0)  # warm
    prof = cProfile.Profile()
    prof.enable()
    throughput(project, env, seconds)
    prof.disable()
    for key in ("tottime", "cumulative"):
        print(f"\n--- cProfile of the {project.name} loop, top {top} by {key} ---")
        pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats(key).print_stats(top)


# --------------------------------------------------------------------------- report


def _ratio(ours: float | None, theirs: float | None, higher_is_better: bool) -> str:
    if not ours or not theirs:
        return "-"
    ratio = (ours / theirs) if higher_is_better else (theirs / ours)
    return f"{ratio:.1f}x" if ratio >= 0.1 else "<0.1x"


def rows(mc: dict, cr: dict | None) -> list[list[str]]:
    """Table rows: measure, mc-bench, crafter, how many times better mc-bench is."""
    spec = [  # (label, getter, format, higher is better)
        ("env steps/s, with auto-resets", lambda r: r["throughput"]["sps_with_resets"], "{:,.0f}", True),
        ("env steps/s, resets excluded", lambda r: r["throughput"]["sps_without_resets"], "{:,.0f}", True),
        ("episodes ended (auto-resets)", lambda r: r["throughput"]["resets"], "{:d}", None),
        ("reset median (ms)", lambda r: 1e3 * r["reset"]["median_s"], "{:,.2f}", False),
        ("reset p90 (ms)", lambda r: 1e3 * r["reset"]["p90_s"], "{:,.2f}", False),
        (f"RSS per env, {N_MEMORY_ENVS} envs (MB)", lambda r: r["rss_per_env"] / MB, "{:,.2f}", False),
        ("process RSS with one env (MB)", lambda r: r["process_rss"] / MB, "{:,.1f}", False),
        ("first env: make + reset + step (s)", lambda r: r["first_step_s"], "{:,.2f}", False),
    ]
    out = []
    for label, get, fmt, better in spec:
        ours, theirs = get(mc), (get(cr) if cr else None)
        ratio = "-" if better is None else _ratio(ours, theirs, better)
        out.append([label, fmt.format(ours), "-" if theirs is None else fmt.format(theirs), ratio])
    return out


def table(body: list[list[str]], markdown: bool = False) -> str:
    """Aligned text (or Markdown) table of the rows."""
    head = ["measure", "mc-bench", "crafter", "ratio (>1: mc-bench better)"]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(4)]

    def line(row: list[str]) -> str:
        text = " | ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])])
        return f"| {text} |" if markdown else text

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|" if markdown else "-+-".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *map(line, body)])


def machine() -> dict:
    """Facts of this machine and software for the report."""
    import numba
    import numpy

    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                      if ln.startswith("model name")), model)
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "numba": numba.__version__, "numpy": numpy.__version__, "platform": platform.platform()}


def append_report(text_table: str, facts: dict, args: argparse.Namespace, versions: dict) -> None:
    """Append a dated section with the Markdown table to BENCHMARKS.md."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = "python benchmarks/bench_engine.py " + " ".join(sys.argv[1:])
    section = [
        f"\n## {stamp}: {args.task} vs Crafter\n",
        f"- machine: nproc {facts['nproc']}, CPU {facts['cpu']}, {facts['platform']}; pinned to core 0, "
        "NUMBA_NUM_THREADS=1",
        f"- python {facts['python']}, numba {facts['numba']}, numpy {facts['numpy']}, "
        + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- command: `{command.strip()}` ({args.seconds:g} s of stepping per project, {args.resets} resets)\n",
        text_table,
        "",
    ]
    if not BENCHMARKS_MD.exists():
        raise FileNotFoundError(f"{BENCHMARKS_MD} is missing; restore it before appending results.")
    with open(BENCHMARKS_MD, "a") as f:
        f.write("\n".join(section))


# --------------------------------------------------------------------------- main


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=20.0, help="stepping time per project (default 20)")
    p.add_argument("--resets", type=int, default=30, help="resets timed per project (default 30, min 30)")
    p.add_argument("--task", default="MineRLTreechop-v0", help="mc-bench task (default MineRLTreechop-v0)")
    p.add_argument("--no-crafter", action="store_true", help="skip the Crafter side")
    p.add_argument("--profile", action="store_true", help="also print a cProfile top-20 of the mc-bench loop")
    p.add_argument("--no-append", action="store_true", help="do not append the results to BENCHMARKS.md")
    p.add_argument("--_rss-of", dest="rss_of", choices=["mc-bench", "crafter"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.resets < 30:
        p.error("--resets must be at least 30")
    return args


PROJECTS: dict[str, Callable] = {"mc-bench": McBench, "crafter": Crafter}


def _print_rss_of(name: str, task: str) -> None:
    project = PROJECTS[name](task)
    env = project.make()
    project.reset(env, 0)
    project.step(env, project.actions(env)[0])
    gc.collect()
    print(rss())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    pin_to_one_core()
    args = _args(argv)
    if args.rss_of:
        _print_rss_of(args.rss_of, args.task)
        return 0
    results = {}
    projects = [McBench(args.task)] + ([] if args.no_crafter else [Crafter()])
    for project in projects:
        print(f"measuring {project.name} ...", file=sys.stderr, flush=True)
        # A child process first fills numba's on-disk cache, so no measure here pays for (or keeps
        # the memory of) JIT compilation.
        process_rss(project.name, args.task)
        one_env_rss = process_rss(project.name, args.task)
        results[project.name] = measure(project, args.seconds, args.resets)
        results[project.name]["process_rss"] = one_env_rss
    body = rows(results["mc-bench"], results.get("crafter"))
    print(table(body))
    versions = {"mc-bench": projects[0].mc_bench.__version__}
    if not args.no_crafter:
        versions["crafter"] = version("crafter")
    facts = machine()
    if not args.no_append:
        append_report(table(body, markdown=True), facts, args, versions)
        print(f"appended to {BENCHMARKS_MD}")
    if args.profile:
        profile_loop(projects[0], min(args.seconds, 10.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
