"""The ``mc-bench`` command: evaluate agents and list tasks.

Examples::

    mc-bench eval --task MineRLTreechop-v0 --agent random --episodes 5
    mc-bench eval --suite minerl-v0 --agent random --episodes 3
    mc-bench tasks list
    mc-bench tasks table --markdown
    mc-bench tasks feasibility --out docs/minedojo/feasibility.md
    mc-bench data generate --env MineRLObtainDiamond-v0 --episodes 100 --out data --workers 2
    mc-bench data analyze data
    mc-bench play MineRLTreechop-v0 --record data
    mc-bench data generate --env MineRLObtainDiamond-v0 --episodes 100 --out demos --workers 2
    mc-bench data render demos demos-192x256 --resolution 192x256
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

from mc_bench.error import McBenchError

__all__ = ["main", "reward_summary", "score_table", "task_table"]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _resolution(text: str) -> tuple[int, int]:
    """``HxW`` (e.g. ``192x256``) as (height, width)."""
    try:
        h, w = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected HEIGHTxWIDTH such as 192x256, got {text!r}") from None
    return h, w


def _data_parser(sub) -> None:
    """``mc-bench data <command>``: one sub-parser per command, dispatched through DATA_COMMANDS."""
    data = sub.add_parser("data", help="demonstrations in the MineRL dataset format")
    dsub = data.add_subparsers(dest="data_command", required=True)
    gen = dsub.add_parser("generate", help="record scripted-expert demonstrations (resumable)")
    gen.add_argument("--env", required=True, help="registered env id, e.g. MineRLObtainDiamond-v0")
    gen.add_argument("--episodes", type=_positive, required=True, help="trajectories to have for this seed")
    gen.add_argument("--out", required=True, help="data root (what $MINERL_DATA_ROOT points at)")
    gen.add_argument("--workers", type=_positive, default=1, help="parallel processes (default: 1)")
    gen.add_argument("--seed", type=int, default=0, help="root seed; episode i uses [seed, i] (default: 0)")
    gen.add_argument("--resolution", type=_resolution, help="pov HEIGHTxWIDTH (default: the task's, 64x64)")
    gen.add_argument("--max-steps", type=_positive, help="cap on steps per episode")
    gen.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ren = dsub.add_parser("render", help="re-simulate trajectories at another resolution and check them")
    ren.add_argument("src", help="data root (or one env folder) to re-render")
    ren.add_argument("dst", help="new data root; its trajectories must not exist")
    ren.add_argument("--resolution", type=_resolution, default=(192, 256), help="HEIGHTxWIDTH (default: 192x256)")
    ren.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ana = dsub.add_parser("analyze", help="precedence graph, XY paths and a summary table of a data dir")
    ana.add_argument("data_dir", metavar="DIR", help="data root (<DIR>/<EnvId>/v4_<stream>/)")
    ana.add_argument("--out", help="output folder (default: DIR/../<DIR name>-analysis)")
    ana.add_argument("--max-replays", type=int, default=20, help="trajectories per task in the XY plot")
    ana.add_argument("--no-positions", action="store_true", help="skip the XY plot (it replays episodes)")


def _data_generate(args: argparse.Namespace) -> int:
    from mc_bench.data.generate import generate

    made = generate(args.env, args.episodes, args.out, workers=args.workers, seed=args.seed,
                    resolution=args.resolution, progress=not args.no_progress, max_steps=args.max_steps)
    print(f"{len(made)} new trajectories ({args.episodes - len(made)} already there) in {Path(args.out) / args.env}")
    return 0


def _data_render(args: argparse.Namespace) -> int:
    from mc_bench.data.render import rerender

    done = rerender(args.src, args.dst, tuple(args.resolution), progress=not args.no_progress)
    print(f"{len(done)} trajectories re-rendered at {args.resolution[0]}x{args.resolution[1]} into {args.dst}")
    return 0


def _data_analyze(args: argparse.Namespace) -> int:
    from mc_bench.data.analyze import analyze

    src = Path(args.data_dir)
    out = Path(args.out) if args.out else src.resolve().parent / f"{src.resolve().name}-analysis"
    result = analyze(src, out, max_replays=args.max_replays, positions=not args.no_positions)
    print("wrote:", *result["files"], sep="\n  ")
    return 0


DATA_COMMANDS = {"generate": _data_generate, "render": _data_render, "analyze": _data_analyze}


def _play_parser(sub) -> None:
    p = sub.add_parser("play", help="play a task in a window (pygame), optionally recording it")
    p.add_argument("env_id", help="registered task id, e.g. MineRLTreechop-v0")
    p.add_argument("--record", metavar="DIR", help="save the session in MineRL's format under DIR")
    p.add_argument("--seed", type=int, default=0, help="episode seed (default: 0)")
    p.add_argument("--scale", type=int, default=8, help="POV upscaling in the window (default: 8)")
    p.add_argument("--max-steps", type=int, help="end the session after this many steps")
    p.add_argument("--fps", type=float, default=20.0, help="steps per second (default: 20, MineRL's rate)")


def _play(args: argparse.Namespace) -> int:
    from mc_bench.play import play

    out = play(args.env_id, record=args.record, seed=args.seed, scale=args.scale, max_steps=args.max_steps,
               fps=args.fps)
    print(f"{out['env_id']}: {out['steps']} steps, return {out['return']:g}, success {out['success']}"
          + (f"\nrecorded: {out['path']}" if out["path"] else ""))
    return 0


def _data(args: argparse.Namespace) -> int:
    return DATA_COMMANDS[args.data_command](args)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mc-bench", description="Minecraft 1.11.2 benchmark tasks on an embedded engine.")
    sub = p.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", help="run an agent on a task and score it")
    which = ev.add_mutually_exclusive_group(required=True)
    which.add_argument("--task", help="registered task id, e.g. MineRLTreechop-v0")
    which.add_argument("--suite", help="a suite of tasks scored beside published numbers, e.g. minerl-v0")
    ev.add_argument("--compare", default="expert",
                    help="with --suite: a second agent run on the same seeds (default: expert; 'none' to skip)")
    ev.add_argument("--agent", default="random", help="agent name (default: random)")
    ev.add_argument("--episodes", type=_positive, default=5, help="number of episodes (default: 5)")
    ev.add_argument("--seed", type=int, default=0, help="seed of the first episode; episode i uses seed+i")
    ev.add_argument("--out", help="results JSON (default: results/<task>-<agent>-<timestamp>.json)")
    ev.add_argument("--video", help="mp4 of the first episode (POV beside a top-down map)")
    ev.add_argument("--max-steps", type=_positive, help="cap on steps per episode, below the task's horizon")
    ev.add_argument("--overwrite", action="store_true", help="replace existing --out/--video files")
    ev.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    tasks = sub.add_parser("tasks", help="registered tasks").add_subparsers(dest="tasks_command", required=True)
    tasks.add_parser("list", help="ids with title and horizon")
    table = tasks.add_parser("table", help="ids with horizon and reward (for the README)")
    table.add_argument("--markdown", action="store_true", help="print a Markdown table")
    for listing in (tasks.choices["list"], table):
        listing.add_argument("--family", choices=["minerl", "minedojo"], help="one task family only")
    feas = tasks.add_parser("feasibility", help="which MineDojo tasks our rules can reach, as a Markdown report")
    feas.add_argument("--out", default="docs/minedojo/feasibility.md",
                      help="report to write (replaced; default: docs/minedojo/feasibility.md)")
    feas.add_argument("--experts", metavar="JSON",
                      help="expert results {task id: {solved, episodes}} for the expert column")
    _data_parser(sub)
    _play_parser(sub)
    return p


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    """Rows aligned under headers; Markdown pipes if asked."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        text = " | ".join(str(c).ljust(w) for c, w in zip(cells, widths))
        return f"| {text} |" if markdown else text.rstrip()

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|" if markdown else "-+-".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *map(line, rows)])


def score_table(record: dict) -> str:
    """The one-row score table of a results record.

    Args:
        record: the dict returned by :func:`mc_bench.scoring.harness.evaluate`.

    Returns:
        The table as text.
    """
    s = record["summary"]
    row = [record["task_id"], str(len(record["episodes"])), f"{s['return_mean']:.2f} ± {s['return_std']:.2f}",
           f"{100 * s['success_rate']:.1f} %", f"{s['length_mean']:.1f}", f"{s['steps_per_s']:,.0f}"]
    headers = ["task", "episodes", "return mean ± std", "success rate", "mean length", "steps/s"]
    return _columns(headers, [row])


def reward_summary(spec) -> str:
    """One line describing a task's reward terms, from its TaskSpec.

    Args:
        spec: a :class:`mc_bench.tasks.spec.TaskSpec`.

    Returns:
        e.g. ``"per unit above the most held: log +1"``; terms joined with ``"; "``.
    """
    parts = []
    for term in spec.reward:
        kind = term["type"]
        if kind == "collect_items":
            dense = term.get("mode", "dense") == "dense"
            items = ", ".join(f"{n} +{r:g}" for n, r in term["items"].items())
            parts.append(f"{'per unit above the most held' if dense else 'once per item'}: {items}")
        elif kind == "touch_block":
            parts.append(f"+{term.get('reward', 0.0):g} on touching {term['block']}")
        elif kind == "alive":
            parts.append(f"+{term.get('reward', 1.0):g} per {term.get('every', 24000)} ticks alive")
        elif kind == "compass_distance":
            parts.append(f"+{term.get('per_block', 1.0):g} per block closer to the compass target")
        else:
            parts.append(kind)
    return "; ".join(parts) or "none"


def task_table(markdown: bool = False, reward: bool = True, family: str | None = None) -> str:
    """Every registered task with its horizon, and its title or reward summary.

    Args:
        markdown: render as a Markdown table.
        reward: show the reward summary (else the title).
        family: ``"minerl"`` or ``"minedojo"`` only (default: both).

    Returns:
        The table as text.
    """
    from mc_bench.tasks.minedojo import expand
    from mc_bench.tasks.registry import get_spec, list_tasks

    specs = [get_spec(t) for t in list_tasks(family="minerl")] if family != "minedojo" else []
    last = "reward" if reward else "title"

    def cell(i: str) -> str:
        return f"`{i}`" if markdown else i

    rows = [[cell(s.id), str(s.max_episode_steps), reward_summary(s) if reward else s.title] for s in specs]
    if family != "minerl":
        rows += [[cell(t.gym_id), str(t.horizon), t.success if reward else t.prompt] for t in expand().values()]
    return _columns(["id", "horizon (steps)", last], rows, markdown)


def _default_out(task: str, agent: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("results") / f"{task}-{agent}-{stamp}.json"


def _eval_suite(args: argparse.Namespace) -> int:
    from mc_bench.scoring.harness import write_results
    from mc_bench.scoring.suites import evaluate_suite, load_suite, suite_table
    from mc_bench.wrappers.record_video import check_new_path

    load_suite(args.suite)
    agents = [args.agent] + ([args.compare] if args.compare not in ("none", args.agent) else [])
    out = Path(args.out) if args.out else _default_out(args.suite, "-".join(agents))
    check_new_path(out, args.overwrite)
    record = evaluate_suite(args.suite, agents, args.episodes, args.seed, not args.no_progress, args.max_steps)
    write_results(record, out, args.overwrite)
    headers = ["task", *[f"{a} (ours)" for a in agents], "random (paper)", "human (paper)"]
    print(_columns(headers, suite_table(record)))
    print(f"paper numbers: {record['source']}\n{record['note']}\nresults: {out}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    if args.suite:
        return _eval_suite(args)
    from mc_bench.scoring.harness import evaluate, write_results
    from mc_bench.tasks.registry import resolve
    from mc_bench.wrappers.record_video import check_new_path

    resolve(args.task)
    out = Path(args.out) if args.out else _default_out(args.task, args.agent)
    check_new_path(out, args.overwrite)  # fail before the episodes run, not after
    record = evaluate(args.task, agent=args.agent, episodes=args.episodes, seed=args.seed, video=args.video,
                      progress=not args.no_progress, max_steps=args.max_steps, overwrite=args.overwrite)
    write_results(record, out, args.overwrite)
    print(score_table(record))
    print(f"results: {out}" + (f"\nvideo: {args.video}" if args.video else ""))
    return 0


def _tasks(args: argparse.Namespace) -> int:
    if args.tasks_command == "feasibility":
        return _tasks_feasibility(args)
    if args.tasks_command == "list":
        print(task_table(reward=False, family=args.family))
    else:
        print(task_table(markdown=args.markdown, family=args.family))
    return 0


def _tasks_feasibility(args: argparse.Namespace) -> int:
    from mc_bench.tasks.feasibility import SUMMARY_HEADERS, summary_rows, write_report

    verdicts = write_report(args.out, args.experts)
    print(_columns(SUMMARY_HEADERS, summary_rows(verdicts)))
    print(f"report: {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mc-bench`` command.

    Args:
        argv: arguments without the program name (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0 on success, 2 on a usage error or an mc_bench error (printed as one
        ``error: ...`` line on stderr, without a traceback).
    """
    args = _parser().parse_args(argv)
    try:
        return {"eval": _eval, "tasks": _tasks, "data": _data, "play": _play}[args.command](args)
    except McBenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
