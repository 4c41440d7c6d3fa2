"""Scores (pure functions over episode records) and the evaluation harness."""

from __future__ import annotations

from mc_bench.scoring.scores import (
    mean_length,
    mean_std,
    return_stats,
    steps_per_second,
    success_rate,
    summarize,
)

__all__ = ["mean_std", "return_stats", "success_rate", "mean_length", "steps_per_second", "summarize", "evaluate"]


def __getattr__(name: str):
    # The harness imports the env stack; load it only when asked so `scores` stays light.
    if name == "evaluate":
        from mc_bench.scoring.harness import evaluate

        return evaluate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
