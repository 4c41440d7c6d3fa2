"""Static feasibility of the MineDojo tasks: which dimension each needs and whether our rules can reach it.

Both answers come from the item graph of our rules (:mod:`mc_bench.tasks.itemgraph`): *reachable* from the
graph of one task's world (its biome, summoned mobs and start inventory), *dimension* from that graph plus
the Nether/End facts of vanilla 1.11.2 that no other file holds (``rules/dimensions.yaml``). The files
are re-read by :func:`write_report`; other callers (``make()``) share one cached read.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mc_bench.error import McBenchError, UnknownTask
from mc_bench.rules import load_rules
from mc_bench.rules.world_rules import IT_USE, U_COUNTED, U_ELSEWHERE, U_FISH, U_NONE
from mc_bench.tasks.itemgraph import (
    DIMENSIONS,
    Edge,
    Solution,
    chain_text,
    clear_caches,
    engine_edges,
    item_nodes,
    missing_link,
    rules_yaml,
    solve,
    vanilla_edges,
)
from mc_bench.tasks.minedojo import CATEGORIES, expand

__all__ = ["DIMENSIONS", "SUMMARY_HEADERS", "ExpertResultsError", "Verdict", "assess", "assess_all", "load_experts",
           "render_report", "required_dimension", "summary_rows", "write_report"]

PLACE = {"overworld": "the overworld", "nether": "the Nether", "the_end": "the End"}
DEFAULT_OUT = Path("docs/minedojo/feasibility.md")


class ExpertResultsError(McBenchError, ValueError):
    """An expert-results JSON that cannot be read into the report's ``expert`` column."""

    def __init__(self, path, message: str):
        super().__init__(f"Expert results {path}: {message}. Pass a JSON object mapping task ids to "
                         '{"solved": int, "episodes": int}.')


@dataclass(frozen=True)
class Verdict:
    """The report row of one task."""

    task_id: str
    category: str
    dimension: str
    reachable: bool
    reason: str


# ---------------------------------------------------------------- per task


def _facts() -> dict:
    return rules_yaml("dimensions.yaml")


@functools.cache
def _vanilla() -> Solution:
    facts = _facts()
    return solve(engine_edges(None, ()) + vanilla_edges(facts))


@functools.cache
def _engine(biome: str | None, summoned: tuple[str, ...], given: tuple[tuple[str, int], ...]) -> Solution:
    edges = engine_edges(biome, summoned) + [Edge("given", item_nodes(i, [m])) for i, m in given]
    return solve(edges)


def _level(node: str) -> int:
    """Dimension a node needs; one vanilla cannot make at all is placed where it is native, if anywhere."""
    c = _vanilla().cost.get(node)
    return c[0] if c else _native_level(node.split(":", 1)[-1])


def _native_level(name: str) -> int:
    dims = _facts()["dimensions"]
    for level, dim in enumerate(DIMENSIONS[1:], start=1):
        d = dims[dim]
        if name in d.get("blocks", []) or name in d.get("loot", []) or name in d.get("mobs", {}) \
                or any(name in drops for drops in d.get("mobs", {}).values()):
            return level
    return 0


def _start_level(biome: str | None) -> int:
    dims = _facts()["dimensions"]
    return next((k for k, d in enumerate(DIMENSIONS[1:], 1) if biome in dims[d].get("biomes", [])), 0)


def _goal_nodes(task) -> list[str]:
    s = task.settings
    if task.category == "combat":
        return [f"mob:{m}" for m in s["targets"]]
    if task.category == "techtree":
        return [s["tech_item"]]
    return list(s.get("targets", {}))


def _task(task_id: str):
    tasks = expand()
    if task_id not in tasks:
        raise UnknownTask(task_id, list(tasks))
    return tasks[task_id]


def _dimension_level(task) -> int:
    goals = _goal_nodes(task)
    need = min((_level(g) for g in goals), default=0)
    return max(_start_level(task.settings.get("specified_biome")), need)


@functools.cache
def required_dimension(task_id: str) -> str:
    """``overworld``, ``nether`` or ``the_end``: where MineDojo task ``task_id`` has to be played.

    Raises:
        UnknownTask: ``task_id`` is not a MineDojo task (the message lists near ids).
    """
    return DIMENSIONS[_dimension_level(_task(task_id))]


def _usage(item: str) -> tuple[str | None, str]:
    """How using ``item`` counts MineDojo's use statistic in our engine (sim/usage.py's rule), or None and why not."""
    rules = load_rules()
    iid = rules.item_id[item]
    if iid < 256:
        return "place it", ""
    if rules.break_wear[iid] > 0:
        return "mine with it", ""
    if rules.wear_slot[iid] >= 0 or rules.shield[iid]:
        return "wear or raise it", ""
    if rules.food[iid, 0] > 0:
        return "eat it", ""
    kind = int(rules.world.itm[iid, IT_USE])
    if kind == U_ELSEWHERE:
        return None, "blocks.yaml lists it under use.elsewhere (its right-click is not simulated yet)"
    if kind in (U_COUNTED, U_FISH):
        return "use it (shoot, cast)", ""
    return ("press use" if kind == U_NONE else "use it on a block"), ""


def _where(biome: str | None) -> str:
    return f"biome '{biome}'" if biome else "our overworld"


def _nether_reason(task, level: int) -> str:
    biome = task.settings.get("specified_biome")
    if _start_level(biome) == level:
        return f"starts in {biome}; our engine has only the overworld"
    goal = min(_goal_nodes(task), key=_level)
    head = f"needs {PLACE[DIMENSIONS[level]]}: "
    if goal not in _vanilla().cost:  # native there, yet even vanilla's data gives no way to obtain it
        return head + f"'{goal}' is found only there, and " + missing_link(_vanilla(), goal, "any dimension", _facts())
    return head + chain_text(_vanilla(), goal, min_level=1)


def _kit_problem(task) -> str | None:
    items = load_rules().item_id
    bad = [e["name"] for e in task.settings.get("initial_inventory", ()) if e["name"] not in items]
    return f"start inventory names unknown item(s) {bad}" if bad else None


def assess(task_id: str) -> Verdict:
    """The dimension and reachability of one task, with its shortest chain or its missing link.

    Args:
        task_id: a MineDojo task id, e.g. ``harvest_1_log``.

    Returns:
        The task's :class:`Verdict`.

    Raises:
        UnknownTask: ``task_id`` is not a MineDojo task.
    """
    task = _task(task_id)
    level = _dimension_level(task)
    dim = DIMENSIONS[level]
    if level:
        return Verdict(task_id, task.category, dim, False, _nether_reason(task, level))
    kit = _kit_problem(task)
    if kit:
        return Verdict(task_id, task.category, dim, False, kit)
    if task.category == "survival":
        return Verdict(task_id, task.category, dim, True, "overworld start; stay alive (nothing to obtain)")
    s = task.settings
    biome = s.get("specified_biome")
    given = tuple((e["name"], int(e.get("variant", 0))) for e in s.get("initial_inventory", ()))
    sol = _engine(biome, tuple(s.get("initial_mobs", ())), given)
    ok, reason = _goal_verdict(task, sol, biome)
    return Verdict(task_id, task.category, dim, ok, reason)


def _goal_verdict(task, sol: Solution, biome: str | None) -> tuple[bool, str]:
    goals = _goal_nodes(task)
    reached = [g for g in goals if g in sol.cost]
    if not reached:
        return False, missing_link(sol, goals[0], _where(biome), _facts())
    goal = min(reached, key=lambda g: sol.cost[g])
    if task.category == "combat":
        edge = sol.how[goal][0]
        how = "summoned at reset" if edge.verb == "summon" else f"spawns in {_where(biome)}"
        return True, f"{goal[4:]} is in mobs.yaml and {how}"
    steps = chain_text(sol, goal)
    if task.category != "techtree":
        return True, steps
    how, why = _usage(goal)
    if how is None:
        return False, f"{steps}; but using {goal} never counts: {why}"
    return True, f"{steps} -> {how}"


def assess_all() -> list[Verdict]:
    """A verdict for every MineDojo task id, in expansion order."""
    return [assess(t) for t in expand()]


# ---------------------------------------------------------------- the report


def load_experts(path) -> dict[str, dict]:
    """Read ``{task id: {"solved": int, "episodes": int}}``; unknown ids and bad records are errors."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ExpertResultsError(path, f"cannot be read as JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ExpertResultsError(path, "is not a JSON object")
    tasks = expand()
    for tid, rec in data.items():
        if tid not in tasks:
            raise UnknownTask(tid, list(tasks))
        ok = isinstance(rec, dict) and all(isinstance(rec.get(k), int) and rec[k] >= 0 for k in ("solved", "episodes"))
        if not ok or rec["solved"] > rec["episodes"]:
            raise ExpertResultsError(path, f"entry {tid!r} must be {{solved, episodes}} with 0 <= solved <= episodes")
    return data


def summary_rows(verdicts: list[Verdict]) -> list[list[str]]:
    """[category, dimension, reachable, unreachable, total] for each pair that has tasks."""
    counts = Counter((v.category, v.dimension, v.reachable) for v in verdicts)
    pairs = sorted({(v.category, v.dimension) for v in verdicts},
                   key=lambda p: (CATEGORIES.index(p[0]), DIMENSIONS.index(p[1])))
    rows = [[c, d, str(counts[c, d, True]), str(counts[c, d, False]), str(counts[c, d, True] + counts[c, d, False])]
            for c, d in pairs]
    yes = sum(v.reachable for v in verdicts)
    return rows + [["all", "", str(yes), str(len(verdicts) - yes), str(len(verdicts))]]


SUMMARY_HEADERS = ("category", "dimension", "reachable", "unreachable", "total")
EXPERT_HEADERS = ("category", "tasks run (of overworld)", "episodes solved", "success rate")


def expert_rows(verdicts: list[Verdict], experts: Mapping[str, dict]) -> list[list[str]]:
    """[category, tasks run of the overworld ones, solved/episodes, rate] over the overworld tasks the experts
    were run on."""
    rows = []
    for cat in CATEGORIES:
        tasks = [v.task_id for v in verdicts if v.category == cat and v.dimension == "overworld"]
        runs = [experts[t] for t in tasks if t in experts]
        if runs:
            solved, episodes = sum(r["solved"] for r in runs), sum(r["episodes"] for r in runs)
            rows.append([cat, f"{len(runs)} of {len(tasks)}", f"{solved}/{episodes}",
                         f"{100.0 * solved / episodes:.1f} %"])
    return rows


def _md_table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    headers = list(headers)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _expert_cell(task_id: str, experts: Mapping[str, dict] | None) -> str:
    rec = (experts or {}).get(task_id)
    return f"{rec['solved']}/{rec['episodes']}" if rec else "not run"


def render_report(verdicts: list[Verdict], experts: Mapping[str, dict] | None = None) -> str:
    """The Markdown report: how it is made, the summary counts, then one row per task."""
    rows = [[f"`{v.task_id}`", v.category, v.dimension, "yes" if v.reachable else "no",
             _expert_cell(v.task_id, experts), v.reason] for v in verdicts]
    return "\n\n".join([
        "# MineDojo task feasibility (static)",
        "Generated by `mc-bench tasks feasibility` from the rules as they stand: block drops and harvest tools, "
        "recipes and smelting, the blocks `worldgen.yaml` places (only the task's biome when it names one), "
        "mobs that spawn there or are summoned with their drops and item interactions (`mobs.yaml`), the "
        "right-click actions, lava mixing and chest loot of `blocks.yaml`, and the Nether/End facts of "
        "`mc_bench/rules/dimensions.yaml`. *dimension* is where vanilla 1.11.2 needs the task played; "
        "*reachable* says whether our overworld can supply its goal, with the cheapest chain of steps (inputs "
        "first; rare drops count about 1/chance steps) or the missing link; `dye@3` is one variant (metadata) "
        "of an item where a recipe wants exactly that one (cookies want cocoa beans, not ink sacs). A techtree "
        "item must also count "
        "MineDojo's use statistic in our engine. The *expert* column (solved/episodes, from `--experts`) is "
        "what checks that the engine and its experts carry the chains out.",
        "## Summary",
        _md_table(SUMMARY_HEADERS, summary_rows(verdicts)),
        *(["## Scripted experts (the tasks in the results file, overworld only)",
           _md_table(EXPERT_HEADERS, expert_rows(verdicts, experts))] if experts else []),
        "## Tasks",
        _md_table(["id", "category", "dimension", "reachable", "expert", "reason"], rows),
    ]) + "\n"


def _clear_caches() -> None:
    clear_caches()
    for f in (_vanilla, _engine, required_dimension):
        f.cache_clear()


def write_report(out=DEFAULT_OUT, experts_path=None) -> list[Verdict]:
    """Write the report to ``out`` (its folder is created; the file is replaced) and return the verdicts.

    Args:
        out: the Markdown file to write.
        experts_path: optional JSON of expert results for the ``expert`` column.

    Returns:
        One :class:`Verdict` per task, in expansion order.

    Raises:
        ExpertResultsError, UnknownTask: a bad ``experts_path`` (checked before anything is written).
    """
    experts = load_experts(experts_path) if experts_path else None
    _clear_caches()  # the rules files may have changed since this process last read them
    verdicts = assess_all()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(verdicts, experts))
    return verdicts
