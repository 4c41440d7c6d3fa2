"""Re-render trajectories at another resolution by re-simulating them (MineRL's render pipeline).

The engine is deterministic, so a trajectory's env seed and action sequence reproduce the episode
exactly; the replay is checked against the recorded non-pov observations and rewards at every
step, and any difference is a :class:`~mc_bench.data.format.ReplayMismatch`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from mc_bench.data.format import (
    InvalidTrajectory,
    ReplayMismatch,
    is_stream_dir,
    publish,
    read_json,
    read_npz,
    stack_steps,
    unflatten,
    write_trajectory,
)
from mc_bench.data.generate import (
    PARTIAL,
    _check_resolution,
    _env,
    _no_pov,
    replay_info,
)
from mc_bench.error import OutputExists

__all__ = ["replay", "rerender"]


def _streams(src_root: Path) -> list[Path]:
    """Trajectory folders under ``src_root/<EnvId>/`` (or ``src_root`` itself if it is an env folder)."""
    envs = [src_root] if any(is_stream_dir(p) for p in src_root.iterdir()) else sorted(src_root.iterdir())
    return [p for e in envs if e.is_dir() for p in sorted(e.iterdir()) if is_stream_dir(p)]


def replay(folder: str | os.PathLike, resolution: tuple[int, int] | None = None) -> dict[str, Any]:
    """Re-simulate one trajectory from its seed and actions, checking every step.

    Args:
        folder: a trajectory folder with ``replay.json`` and ``rendered.npz``.
        resolution: ``(height, width)`` of the new pov; default the task's.

    Returns:
        The new frames (``pov``), observations, the recorded actions and rewards, and ``replay.json``.

    Raises:
        InvalidTrajectory: ``replay.json`` or ``rendered.npz`` is missing or unreadable.
        ReplayMismatch: an observation or reward differs from the recording.
    """
    folder = Path(folder)
    info = read_json(folder / "replay.json")
    data = read_npz(folder / "rendered.npz")
    if "env_seed" not in info or "env_id" not in info:
        raise InvalidTrajectory(folder / "replay.json", "no env_id/env_seed: the trajectory cannot be replayed")
    env = _env(info["env_id"], None if resolution is None else tuple(resolution))
    obs, _ = env.reset(seed=int(info["env_seed"]))
    _compare(folder, data, obs, 0)
    frames, states = [obs["pov"]], [_no_pov(obs)]
    actions = {k: v for k, v in data.items() if k.startswith("action")}
    for t, want in enumerate(data["reward"]):
        obs, reward, *_ = env.step(unflatten({k: v[t] for k, v in actions.items()}, "action"))
        if reward != want:
            raise ReplayMismatch(folder, t, f"reward {reward} != recorded {want}")
        _compare(folder, data, obs, t + 1)
        frames.append(obs["pov"])
        states.append(_no_pov(obs))
    return {"pov": np.stack(frames), "observations": stack_steps(states, "observation"), "actions": actions,
            "rewards": data["reward"], "replay": info}


def _compare(folder: Path, data: dict[str, np.ndarray], obs: dict, t: int) -> None:
    for k, v in stack_steps([_no_pov(obs)], "observation").items():
        if k not in data or data[k][t] != v[0]:
            raise ReplayMismatch(folder, t, f"{k} = {v[0]!r}, recorded {data[k][t] if k in data else 'nothing'!r}")


def rerender(src_root: str | os.PathLike, dst_root: str | os.PathLike,
             resolution: tuple[int, int] = (192, 256), progress: bool = True) -> list[Path]:
    """Write every trajectory under ``src_root`` again at ``resolution`` under ``dst_root``.

    Args:
        src_root: a data root (``<EnvId>/v4_*`` folders inside) or one env folder.
        dst_root: the new data root; its trajectories must not exist yet.
        resolution: ``(height, width)``, multiples of 16.
        progress: show a tqdm bar over trajectories.

    Returns:
        The folders written.

    Raises:
        OutputExists: a destination trajectory exists (checked before anything is simulated).
        ReplayMismatch: a replay diverged from its recording.
        InvalidTrajectory: a source trajectory is missing its replay data.
    """
    from tqdm import tqdm

    _check_resolution(resolution)
    src_root, dst_root = Path(src_root), Path(dst_root)
    jobs = [(s, dst_root / s.parent.name / s.name) for s in _streams(src_root)]
    for _, dst in jobs:
        if dst.exists():
            raise OutputExists(dst)
    return [_rerender_one(s, d, resolution) for s, d in tqdm(jobs, unit="trajectory", disable=not progress)]


def _rerender_one(src: Path, dst: Path, resolution: tuple[int, int]) -> Path:
    run = replay(src, resolution)
    meta = read_json(src / "metadata.json")
    info = {**run["replay"], **replay_info(run["replay"]["env_id"], resolution), "rendered_from": str(src)}
    tmp = dst.parent / PARTIAL / f"{dst.name}-{os.getpid()}"
    try:
        write_trajectory(tmp, run["pov"], run["observations"], run["actions"], run["rewards"],
                         {"success": meta.get("success", False), "stream_name": dst.name}, info)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish(tmp, dst)
    return dst
