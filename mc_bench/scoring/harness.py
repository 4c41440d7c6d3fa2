"""The evaluation harness: run an agent on a task for some seeded episodes and score them."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import gymnasium
from tqdm import tqdm

import mc_bench
from mc_bench.agents import env_kwargs, make_agent
from mc_bench.error import OutputExists
from mc_bench.scoring.scores import summarize
from mc_bench.tasks.registry import resolve
from mc_bench.wrappers.record_video import RecordVideo, check_new_path

__all__ = ["evaluate", "write_results", "RECORD_FORMAT"]

RECORD_FORMAT = 1  # bump when a field of the results JSON changes meaning


class _StepClock(gymnasium.Wrapper):
    """Adds up wall time spent in ``env.step`` only (not the agent, resets or recording)."""

    def __init__(self, env: gymnasium.Env):
        super().__init__(env)
        self.seconds = 0.0

    def step(self, action: Any):
        t0 = time.perf_counter()
        out = self.env.step(action)
        self.seconds += time.perf_counter() - t0
        return out


def _commit() -> str | None:
    """The git commit of the source tree mc_bench runs from, if it is a checkout."""
    root = Path(mc_bench.__file__).resolve().parents[1]
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def _budget(env: gymnasium.Env, max_steps: int | None) -> int:
    horizon = env.spec.max_episode_steps if env.spec and env.spec.max_episode_steps else None
    caps = [c for c in (horizon, max_steps) if c is not None]
    if not caps:
        raise ValueError("The env has no horizon: pass max_steps.")
    return min(caps)


def _episode(env: _StepClock | RecordVideo, clock: _StepClock, agent: Any, seed: int, budget: int,
             bar: tqdm) -> dict[str, Any]:
    """One episode from ``reset(seed=seed)`` until it ends or ``budget`` steps have run."""
    obs, info = env.reset(seed=seed)
    start = clock.seconds
    ret, length, success, terminated, truncated = 0.0, 0, bool(info.get("success", False)), False, False
    while not (terminated or truncated) and length < budget:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs))
        ret += float(reward)
        length += 1
        success = success or bool(info.get("success", False))
        bar.update(1)
    bar.total -= budget - length  # an early end shrinks the bar instead of leaving it short
    bar.refresh()
    return {"seed": seed, "return": ret, "length": length, "success": success,
            "terminated": bool(terminated), "truncated": bool(truncated) or not terminated,
            "step_seconds": clock.seconds - start}


def _warm_up(env: gymnasium.Env, seed: int) -> None:
    """One untimed reset and step: a fresh install compiles the engine here, not inside steps/s."""
    env.reset(seed=seed)
    env.step(env.action_space.noop())


def evaluate(task_id: str, agent: str = "random", episodes: int = 5, seed: int = 0,
             video: str | os.PathLike | None = None, progress: bool = True, max_steps: int | None = None,
             overwrite: bool = False) -> dict[str, Any]:
    """Run ``agent`` on ``task_id`` for ``episodes`` episodes with seeds ``seed, seed+1, ...``.

    Args:
        task_id: a registered task id, e.g. ``"MineRLTreechop-v0"``.
        agent: an agent name from :data:`mc_bench.agents.AGENTS`.
        episodes: number of episodes (at least 1).
        seed: seed of the first episode; episode ``i`` resets with ``seed + i``, and the agent
            is seeded with ``seed``.
        video: optional mp4 path for the first episode (POV beside a top-down map).
        progress: show a tqdm bar counting env steps on stderr.
        max_steps: optional cap on steps per episode, below the task's horizon; an episode cut
            by it counts as truncated.
        overwrite: allow replacing an existing ``video`` file.

    Returns:
        A JSON-able record: versions, task id, agent, seeds, step budget, per-episode return,
        length and success, summary statistics, steps/s (time inside ``env.step`` only) and
        wall time.

    Raises:
        mc_bench.error.UnknownTask: ``task_id`` is not registered.
        mc_bench.agents.UnknownAgent: ``agent`` is not registered.
        mc_bench.error.OutputExists: ``video`` exists and ``overwrite`` is false.
        mc_bench.error.DependencyNotInstalled: ``video`` was asked for without imageio.
        ValueError: ``episodes`` or ``max_steps`` is below 1.
    """
    if episodes < 1 or (max_steps is not None and max_steps < 1):
        raise ValueError(f"episodes and max_steps must be >= 1, got {episodes} and {max_steps}.")
    resolve(task_id)  # an unknown id or a taken video path fails here, before anything is built
    if video is not None:
        check_new_path(video, overwrite)
    t0 = time.perf_counter()
    base = mc_bench.make(task_id, **env_kwargs(agent, task_id))
    _warm_up(base, seed)
    clock = _StepClock(base)
    env = RecordVideo(clock, video, overwrite=overwrite) if video is not None else clock
    try:
        actor = make_agent(agent, env, seed)
        budget = _budget(env, max_steps)
        with tqdm(total=budget * episodes, unit="step", desc=task_id, disable=not progress) as bar:
            runs = [_episode(env, clock, actor, seed + i, budget, bar) for i in range(episodes)]
    finally:
        env.close()
    return _record(task_id, agent, seed, budget, max_steps, runs, video, time.perf_counter() - t0)


def _record(task_id: str, agent: str, seed: int, budget: int, max_steps: int | None,
            runs: list[dict[str, Any]], video: str | os.PathLike | None, wall: float) -> dict[str, Any]:
    summary = summarize(runs)
    return {
        "format": RECORD_FORMAT,
        "suite": "mc-bench",
        "suite_version": mc_bench.__version__,
        "package_version": mc_bench.__version__,
        "commit": _commit(),
        "task_id": task_id,
        "agent": agent,
        "seeds": [r["seed"] for r in runs],
        "step_budget": budget,
        "max_steps": max_steps,
        "episodes": runs,
        "summary": summary,
        "steps_per_s": summary["steps_per_s"],
        "wall_s": wall,
        "video": None if video is None else str(video),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write_results(record: dict[str, Any], path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write a results record as JSON, refusing to replace an existing file.

    Args:
        record: the dict returned by :func:`evaluate`.
        path: the JSON file to write; missing folders are created.
        overwrite: allow replacing an existing file.

    Returns:
        The path written.

    Raises:
        mc_bench.error.OutputExists: ``path`` exists and ``overwrite`` is false.
    """
    path = check_new_path(path, overwrite)
    text = json.dumps(record, indent=2) + "\n"
    # Exclusive create closes the gap between the check above and the write.
    try:
        with open(path, "w" if overwrite else "x") as f:
            f.write(text)
    except FileExistsError:
        raise OutputExists(path) from None
    return path
