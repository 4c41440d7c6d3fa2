"""Demonstrations from the scripted experts, played with human-like imperfection.

Each episode gets a skill level drawn from its seed; a less skilled player reacts later to
changes of plan, moves the mouse less precisely, and more often pauses or wanders off for a
moment. The expert reads the world afresh every tick, so it corrects these slips itself, and the
data gets a spread of lengths and paths like the human dataset's.

Generation is resumable: episode ``i`` of seed ``S`` always lands in the same folder, a finished
folder is skipped, and each trajectory is written to a hidden temp folder and renamed into place,
so a crash never leaves half a trajectory where loaders look.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import warnings
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from mc_bench.data.format import (
    CRF,
    DATA_VERSION,
    InvalidTrajectory,
    check_trajectory,
    publish,
    stack_steps,
    success_from_rewards,
    write_trajectory,
)
from mc_bench.envs.spaces import Enum

__all__ = ["REPLAY_FORMAT", "HumanLike", "episode_seeds", "generate", "replay_info", "stream_name"]

REPLAY_FORMAT = 1  # bump when a replay.json field changes meaning
PARTIAL = ".partial"  # temp folders, invisible to loaders (not v<N>_...)


class HumanLike:
    """Wraps an expert's ``act`` with reaction delays, camera noise, idles and detours.

    Args:
        expert: an agent with ``act(obs)``.
        action_space: the env's action space (for no-op and Enum keys).
        rng: the episode's generator; ``skill`` in [0.3, 1] is drawn from it.
    """

    def __init__(self, expert: Any, action_space: Any, rng: np.random.Generator):
        self.expert, self.rng = expert, rng
        self.skill = float(rng.uniform(0.3, 1.0))
        self.noop = dict(action_space.noop())
        self.commands = [k for k, s in action_space.spaces.items() if isinstance(s, Enum)]
        self.pending: deque[dict] = deque()
        self.prev = self.noop

    def act(self, obs: Any) -> dict:
        """The next action: a queued human slip, or the expert's (maybe late) action."""
        if not self.pending:
            self._plan(obs)
        a = self.pending.popleft()
        a["camera"] = np.clip(np.asarray(a["camera"], np.float32), -180.0, 180.0).astype(np.float32)
        self.prev = a
        return a

    def _plan(self, obs: Any) -> None:
        clumsy = 1.0 - self.skill
        r = self.rng.random()
        if r < 0.003 * clumsy:  # a pause: look around a little, hands off the keys
            self.pending.extend(self._idle(int(self.rng.integers(10, 40))))
            return
        if r < 0.005 * clumsy:  # a detour: a few steps sideways
            self.pending.extend(self._detour(int(self.rng.integers(4, 16))))
            return
        a = dict(self.expert.act(obs))
        if self._changed(a) and self.rng.random() < 0.5 * clumsy:  # react late to a change of plan
            self.pending.extend(self._stale() for _ in range(int(self.rng.geometric(0.5))))
        a["camera"] = self._shaky(np.asarray(a["camera"], np.float64))
        self.pending.append(a)

    def _changed(self, a: dict) -> bool:
        return any(a[k] != self.prev[k] for k in a if k != "camera")

    def _stale(self) -> dict:
        """The previous keys still held, without camera motion or one-shot commands."""
        return {**self.prev, **{k: self.noop[k] for k in self.commands}, "camera": np.zeros(2, np.float32)}

    def _shaky(self, cam: np.ndarray) -> np.ndarray:
        if not cam.any():
            return cam
        clumsy = 1.0 - self.skill
        return cam * (1.0 + self.rng.normal(0.0, 0.15 * clumsy, 2)) + self.rng.normal(0.0, 0.3 * clumsy, 2)

    def _idle(self, n: int) -> list[dict]:
        drift = self.rng.normal(0.0, 1.5, 2)
        return [{**self.noop, "camera": drift * (1 if i < n // 2 else -1)} for i in range(n)]

    def _detour(self, n: int) -> list[dict]:
        side = "left" if self.rng.random() < 0.5 else "right"
        return [{**self.noop, side: 1, "camera": np.zeros(2)} for _ in range(n)]


def stream_name(seed: int, episode: int) -> str:
    """The folder name of episode ``episode`` of seed ``seed``: ``v4_expert-<seed>-<episode>``."""
    return f"v{DATA_VERSION}_expert-{seed}-{episode:05d}"


def episode_seeds(seed: int, episode: int) -> tuple[int, int, int]:
    """(env seed, expert seed, imperfection seed) of one episode, spawned from ``[seed, episode]``."""
    states = [s.generate_state(1)[0] for s in np.random.SeedSequence([seed, episode]).spawn(3)]
    return tuple(int(s) for s in states)  # type: ignore[return-value]


def replay_info(env_id: str, resolution: tuple[int, int], **extra: Any) -> dict[str, Any]:
    """The replay.json fields that name the code a trajectory was made with."""
    import mc_bench
    from mc_bench.sim._jit import engine_hash

    return {"format": REPLAY_FORMAT, "env_id": env_id, "task_id": env_id, "mc_bench_version": mc_bench.__version__,
            "engine_hash": engine_hash(), "resolution": list(resolution),
            "video": {"codec": "libx264", "pixelformat": "yuv444p", "crf": CRF}, **extra}


# ---------------------------------------------------------------- one episode (runs in a worker)

_ENVS: dict[tuple, Any] = {}  # per process: building an env costs about a second


def _env(env_id: str, resolution: tuple[int, int] | None):
    key = (env_id, resolution)
    if key not in _ENVS:
        import mc_bench

        _ENVS[key] = mc_bench.make(env_id, resolution=resolution)
    return _ENVS[key]


def rollout(env: Any, policy: Any, env_seed: int, max_steps: int | None) -> dict[str, Any]:
    """Play one episode; returns frames, observations, actions, rewards and how it ended."""
    obs, _ = env.reset(seed=env_seed)
    frames, states, actions, rewards = [obs["pov"]], [_no_pov(obs)], [], []
    done, info, terminated = False, {}, False
    while not done and (max_steps is None or len(actions) < max_steps):
        act = policy(obs)
        obs, reward, terminated, truncated, info = env.step(act)
        frames.append(obs["pov"])
        states.append(_no_pov(obs))
        actions.append(act)
        rewards.append(float(reward))
        done = terminated or truncated
    return {"pov": np.stack(frames), "observations": stack_steps(states, "observation"),
            "actions": stack_steps(actions, "action"), "rewards": np.array(rewards, np.float64),
            "terminated": bool(terminated), "info_success": bool(info.get("success", False))}


def _no_pov(obs: dict) -> dict:
    return {k: v for k, v in obs.items() if k != "pov"}


def _episode(job: dict[str, Any]) -> dict[str, Any]:
    """Play and write one episode into a temp folder, then rename it into place."""
    from mc_bench.agents import make_agent

    env = _env(job["env_id"], job["resolution"])
    env_seed, agent_seed, style_seed = episode_seeds(job["seed"], job["episode"])
    expert = make_agent("expert", env, agent_seed)
    expert.reset(seed=agent_seed)
    human = HumanLike(expert, env.action_space, np.random.default_rng(style_seed))
    run = rollout(env, human.act, env_seed, job["max_steps"])
    h, w = env.observation_space["pov"].shape[:2]
    replay = replay_info(job["env_id"], (h, w), env_seed=env_seed, agent="expert", agent_seed=agent_seed,
                         style_seed=style_seed, skill=human.skill, max_steps=job["max_steps"],
                         terminated=run["terminated"], info_success=run["info_success"])
    _write_atomic(Path(job["final"]), Path(job["tmp"]), env.unwrapped.task, run, replay)
    return {"stream": Path(job["final"]).name, "steps": len(run["rewards"]), "return": float(run["rewards"].sum()),
            "skill": human.skill}


def _write_atomic(final: Path, tmp: Path, task: Any, run: dict[str, Any], replay: dict[str, Any]) -> None:
    try:
        write_trajectory(tmp, run["pov"], run["observations"], run["actions"], run["rewards"],
                         {"success": success_from_rewards(task, run["rewards"]), "stream_name": final.name}, replay)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # our own temp folder: never left half-written
        raise
    publish(tmp, final)


# ---------------------------------------------------------------- the driver


def _todo(env_dir: Path, seed: int, episodes: int) -> list[int]:
    """Episodes still to make; a finished one is skipped, a damaged one is an error (never replaced)."""
    todo = []
    for i in range(episodes):
        folder = env_dir / stream_name(seed, i)
        if not folder.exists():
            todo.append(i)
            continue
        try:
            check_trajectory(folder, with_video=False)
        except InvalidTrajectory as exc:
            raise InvalidTrajectory(folder, f"exists but is incomplete ({exc}); delete it to generate it "
                                            "again") from exc
    return todo


def _check_resolution(resolution: tuple[int, int] | None) -> None:
    if resolution is not None and any(int(s) % 16 or s <= 0 for s in resolution):
        raise ValueError(f"resolution {resolution}: height and width must be positive multiples of 16 "
                         "(H.264 macro blocks), e.g. 64x64 or 192x256.")


def generate(env_id: str, episodes: int, out: str | os.PathLike, workers: int = 1, seed: int = 0,
             resolution: tuple[int, int] | None = None, progress: bool = True,
             max_steps: int | None = None) -> list[dict[str, Any]]:
    """Write ``episodes`` expert demonstrations of ``env_id`` under ``out/<env_id>/``.

    Args:
        env_id: a registered env id with a scripted expert.
        episodes: how many trajectories the folder should hold for this seed (finished ones are
            kept and skipped, so a rerun resumes).
        out: the data root (what ``$MINERL_DATA_ROOT`` would point at).
        workers: processes playing episodes in parallel.
        seed: root seed; episode ``i`` draws its world, expert and imperfection from ``[seed, i]``.
        resolution: ``(height, width)`` of pov (multiples of 16); default the task's.
        progress: show a tqdm bar over episodes.
        max_steps: optional cap on steps per episode (short test data).

    Returns:
        One summary dict (stream, steps, return, skill) per episode made in this call.

    Raises:
        mc_bench.error.UnknownTask: ``env_id`` is not registered.
        InvalidTrajectory: a folder of this seed exists but is incomplete (delete it to redo it).
        ValueError: a bad count, cap or resolution, or no expert for the task.
    """
    from mc_bench.agents.experts import EXPERTS
    from mc_bench.tasks.registry import get_spec

    get_spec(env_id)
    if env_id not in EXPERTS:
        raise ValueError(f"No scripted expert for {env_id!r}; experts exist for: {', '.join(sorted(EXPERTS))}.")
    if episodes < 1 or workers < 1 or (max_steps is not None and max_steps < 1):
        raise ValueError(f"episodes, workers and max_steps must be >= 1, got {episodes}, {workers}, {max_steps}.")
    _check_resolution(resolution)
    env_dir = Path(out) / env_id
    jobs = [_job(env_dir, env_id, seed, i, resolution, max_steps) for i in _todo(env_dir, seed, episodes)]
    _warn_stale(env_dir)
    return _run(jobs, workers, progress, env_id)


def _job(env_dir: Path, env_id: str, seed: int, i: int, resolution, max_steps) -> dict[str, Any]:
    name = stream_name(seed, i)
    return {"env_id": env_id, "seed": seed, "episode": i, "resolution": None if resolution is None else tuple(resolution),
            "max_steps": max_steps, "final": str(env_dir / name), "tmp": str(env_dir / PARTIAL / f"{name}-{os.getpid()}")}


def _warn_stale(env_dir: Path) -> None:
    stale = sorted((env_dir / PARTIAL).glob("*")) if (env_dir / PARTIAL).is_dir() else []
    if stale:
        warnings.warn(f"{len(stale)} unfinished folder(s) from an interrupted run in {env_dir / PARTIAL}; "
                      "they are ignored by loaders and can be deleted.", stacklevel=3)


def _run(jobs: list[dict[str, Any]], workers: int, progress: bool, desc: str) -> list[dict[str, Any]]:
    from tqdm import tqdm

    if not jobs:
        return []
    with tqdm(total=len(jobs), unit="episode", desc=desc, disable=not progress) as bar:
        if workers == 1:
            return [_tick(bar, _episode(j)) for j in jobs]
        # spawn, not fork: a forked numba/threaded parent is not safe to copy
        with multiprocessing.get_context("spawn").Pool(min(workers, len(jobs))) as pool:
            return [_tick(bar, r) for r in pool.imap_unordered(_episode, jobs)]


def _tick(bar: Any, result: dict[str, Any]) -> dict[str, Any]:
    bar.update(1)
    bar.set_postfix(steps=result["steps"], ret=f"{result['return']:g}")
    return result
