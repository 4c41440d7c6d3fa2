"""Pure score functions over episode records.

An episode record is a mapping with at least ``return`` (float), ``length`` (int, env steps),
``success`` (bool) and ``step_seconds`` (float, wall time spent inside ``env.step``). The
harness writes these records and the leaderboard reads them back through the same functions,
so the maths lives only here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["mean_std", "return_stats", "success_rate", "mean_length", "steps_per_second", "summarize"]

Episode = Mapping[str, float | int | bool]


def _require(episodes: Sequence[Episode]) -> None:
    if not episodes:
        raise ValueError("No episodes to score: run at least one episode.")


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population standard deviation (ddof=0, as Crafter and gymnasium report).

    Args:
        values: at least one number.

    Returns:
        ``(mean, std)`` as floats.

    Raises:
        ValueError: ``values`` is empty.
    """
    if not values:
        raise ValueError("mean_std needs at least one value.")
    mean = math.fsum(values) / len(values)
    var = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(var)


def return_stats(episodes: Sequence[Episode]) -> tuple[float, float]:
    """Mean and standard deviation of the episode returns.

    Args:
        episodes: episode records.

    Returns:
        ``(mean, std)`` of ``record["return"]``.

    Raises:
        ValueError: no episodes.
    """
    _require(episodes)
    return mean_std([float(e["return"]) for e in episodes])


def success_rate(episodes: Sequence[Episode]) -> float:
    """Fraction of episodes whose ``success`` is true, in [0, 1].

    Args:
        episodes: episode records.

    Returns:
        Successful episodes divided by all episodes.

    Raises:
        ValueError: no episodes.
    """
    _require(episodes)
    return sum(bool(e["success"]) for e in episodes) / len(episodes)


def mean_length(episodes: Sequence[Episode]) -> float:
    """Mean episode length in env steps.

    Args:
        episodes: episode records.

    Returns:
        The average of ``record["length"]``.

    Raises:
        ValueError: no episodes.
    """
    _require(episodes)
    return sum(int(e["length"]) for e in episodes) / len(episodes)


def steps_per_second(episodes: Sequence[Episode]) -> float:
    """Env steps per second of time spent in ``env.step`` (agent and resets excluded).

    Args:
        episodes: episode records.

    Returns:
        Total steps over total step seconds; 0.0 when no step was taken.

    Raises:
        ValueError: no episodes, or steps were taken in no measured time (a broken clock).
    """
    _require(episodes)
    steps = sum(int(e["length"]) for e in episodes)
    seconds = math.fsum(float(e["step_seconds"]) for e in episodes)
    if steps == 0:
        return 0.0
    if seconds <= 0.0:
        raise ValueError(f"{steps} steps took {seconds} s: step_seconds must be positive.")
    return steps / seconds


def summarize(episodes: Sequence[Episode]) -> dict[str, float]:
    """Every summary statistic of a run, as one JSON-able dict.

    Args:
        episodes: episode records.

    Returns:
        ``return_mean``, ``return_std``, ``success_rate``, ``length_mean``, ``steps_per_s``.

    Raises:
        ValueError: no episodes.
    """
    mean, std = return_stats(episodes)
    return {
        "return_mean": mean,
        "return_std": std,
        "success_rate": success_rate(episodes),
        "length_mean": mean_length(episodes),
        "steps_per_s": steps_per_second(episodes),
    }
