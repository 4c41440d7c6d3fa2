"""Benchmark suites: several tasks scored in one run, printed beside published numbers."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from mc_bench.error import McBenchError, nearest

__all__ = ["load_suite", "suite_names", "UnknownSuite", "evaluate_suite", "suite_table"]


class UnknownSuite(McBenchError, KeyError):
    """A suite name that ``mc_bench/scoring/suites.yaml`` does not define."""

    def __init__(self, name: str, known: list[str]):
        close = nearest(name, known)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"Unknown suite {name!r}.{hint} Known suites: {', '.join(known)}.")

    def __str__(self) -> str:
        return self.args[0]


def _suites() -> dict[str, Any]:
    return yaml.safe_load((resources.files("mc_bench.scoring") / "suites.yaml").read_text())


def suite_names() -> list[str]:
    return sorted(_suites())


def load_suite(name: str) -> dict[str, Any]:
    """The suite record: ``tasks`` (id -> published numbers), ``source`` and ``note``."""
    suites = _suites()
    if name not in suites:
        raise UnknownSuite(name, sorted(suites))
    return suites[name]


def evaluate_suite(name: str, agents: list[str], episodes: int, seed: int = 0, progress: bool = True,
                   max_steps: int | None = None) -> dict[str, Any]:
    """Run every agent on every task of the suite with the same seeds.

    Returns:
        ``{"suite", "source", "note", "results": {task: {agent: record}}}`` with harness records.
    """
    from mc_bench.scoring.harness import evaluate

    suite = load_suite(name)
    results = {task: {a: evaluate(task, agent=a, episodes=episodes, seed=seed, progress=progress,
                                  max_steps=max_steps) for a in agents} for task in suite["tasks"]}
    return {"suite": name, "source": suite["source"], "note": suite["note"], "results": results}


def _cell(mean_std: Any) -> str:
    return f"{mean_std[0]:.2f} ± {mean_std[1]:.2f}" if mean_std else "–"


def suite_table(record: dict[str, Any]) -> list[list[str]]:
    """Rows: task, then ours per agent (return mean ± std, success), then the published random and human."""
    published = load_suite(record["suite"])["tasks"]
    rows = []
    for task, by_agent in record["results"].items():
        ours = [f"{r['summary']['return_mean']:.2f} ± {r['summary']['return_std']:.2f} "
                f"({100 * r['summary']['success_rate']:.0f} %)" for r in by_agent.values()]
        rows.append([task, *ours, _cell(published[task].get("random")), _cell(published[task].get("human"))])
    return rows
