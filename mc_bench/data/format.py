"""MineRL's on-disk trajectory format: ``<root>/<EnvId>/v4_<stream>/{recording.mp4, rendered.npz, metadata.json}``.

``rendered.npz`` holds flat ``$``-joined keys (``action$camera``, ``observation$inventory$log``,
``reward``): observations have T+1 entries, actions and rewards T, Enum values are strings and
``pov`` lives only in the mp4 (T+1 frames). ``metadata.json`` has MineRL's publisher fields; what
makes a trajectory replayable (task id, episode seed, versions) is in a separate ``replay.json``,
which MineRL's loader never reads.

The video is H.264 (libx264) in yuv444p at CRF 0, x264's lossless mode: the only loss is the
RGB -> YUV -> RGB conversion. Measured on 1,001-frame Treechop and ObtainDiamond rollouts: mean
absolute pov error 0.42 and 0.34 (of 255), largest 2; 2.4 and 0.8 KB per 64x64 frame. (CRF 4
costs 1.6/0.6 KB with mean 1.2/0.7 and largest 31; CRF 18, 0.45/0.18 KB, mean 3.3/2.2, largest 139.)
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mc_bench.error import DependencyNotInstalled, McBenchError, OutputExists

__all__ = [
    "CRF",
    "DATA_VERSION",
    "POV_TOLERANCE",
    "SEP",
    "DataDirNotSet",
    "InvalidTrajectory",
    "ReplayMismatch",
    "check_trajectory",
    "flatten",
    "is_stream_dir",
    "read_json",
    "read_trajectory",
    "stack_steps",
    "success_from_rewards",
    "unflatten",
    "write_trajectory",
]

DATA_VERSION = 4  # MineRL 0.4.4's data version: stream folders are named v4_<stream>
SEP = "$"  # MineRL's HANDLER_TYPE_SEPERATOR
FPS = 20
CRF = 0  # x264's lossless mode; what is lost is the colour conversion (see the module docstring)
POV_TOLERANCE = (1.0, 3)  # bounds on the mean and the largest absolute pov error (of 255) after a round trip
FILES = ("recording.mp4", "rendered.npz", "metadata.json")
METADATA_KEYS = ("success", "duration_ms", "duration_steps", "total_reward", "stream_name", "true_video_frame_count")


class InvalidTrajectory(McBenchError, ValueError):
    """A trajectory folder whose files are missing, unreadable or disagree with each other."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = str(path)
        super().__init__(f"Invalid trajectory file {self.path}: {problem}. Delete or regenerate that trajectory, "
                         "or pass skip_invalid=True to skip it with a warning.")


class DataDirNotSet(McBenchError, ValueError):
    """No data directory was given and ``$MINERL_DATA_ROOT`` is not set."""

    def __init__(self):
        super().__init__("No data directory: pass data_dir=... or set $MINERL_DATA_ROOT. Make data with "
                         "`mc-bench data generate --env ID --episodes N --out DIR`.")


class ReplayMismatch(McBenchError, RuntimeError):
    """Re-simulating a trajectory did not reach the recorded states."""

    def __init__(self, path: str | os.PathLike, step: int, what: str):
        self.path, self.step = str(path), step
        super().__init__(f"Replaying {self.path} diverged at step {step}: {what}. The engine or task changed since "
                         "it was recorded (compare replay.json's versions); regenerate it with this version.")


# ---------------------------------------------------------------- dict <-> flat keys


def flatten(tree: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """``{'inventory': {'log': 1}}`` with prefix ``observation`` -> ``{'observation$inventory$log': 1}``."""
    out: dict[str, Any] = {}
    for k, v in tree.items():
        key = f"{prefix}{SEP}{k}"
        out.update(flatten(v, key) if isinstance(v, Mapping) else {key: v})
    return out


def unflatten(flat: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """Inverse of :func:`flatten` for the keys under ``prefix``."""
    out: dict[str, Any] = {}
    head = prefix + SEP
    for key, v in flat.items():
        if not key.startswith(head):
            continue
        *path, leaf = key[len(head):].split(SEP)
        node = out
        for p in path:
            node = node.setdefault(p, {})
        node[leaf] = v
    return out


def stack_steps(steps: Sequence[Mapping[str, Any]], prefix: str) -> dict[str, np.ndarray]:
    """A list of nested per-step dicts -> flat keys of arrays with time first (strings stay strings)."""
    flat = [flatten(s, prefix) for s in steps]
    return {k: np.asarray([f[k] for f in flat]) for k in flat[0]} if flat else {}


# ---------------------------------------------------------------- success (MineRL's determine_success_from_rewards)


def success_from_rewards(task: Any, rewards: Sequence[float]) -> bool:
    """The dataset ``success`` flag of MineRL's env spec for ``rewards`` of one episode.

    Obtain tasks: the distinct per-step rewards cover the schedule but for round(10 %) of it.
    Navigate: return >= 100 (>= 160 for Dense). Others (Treechop): return >= the reward threshold.
    """
    rewards = [float(r) for r in rewards]
    schedule = _obtain_schedule(task)
    if schedule:
        missing = set(schedule) - set(rewards)
        return len(missing) <= round(0.1 * len(schedule))
    if task.id.startswith("MineRLNavigate"):
        return sum(rewards) >= (160.0 if "Dense" in task.id else 100.0)
    return task.reward_threshold is not None and sum(rewards) >= task.reward_threshold


def _obtain_schedule(task: Any) -> list[float]:
    if not task.id.startswith("MineRLObtain"):
        return []
    return [float(r) for t in task.reward if t["type"] == "collect_items" for r in t["items"].values()]


# ---------------------------------------------------------------- writing


def _imageio():
    try:
        import imageio.v2 as imageio
        import imageio_ffmpeg  # noqa: F401  (the mp4 backend)
    except ImportError:
        raise DependencyNotInstalled("imageio", "video") from None
    return imageio


def write_video(path: Path, frames: np.ndarray, crf: int = CRF) -> None:
    """H.264 mp4 of uint8 frames [N, H, W, 3]; H and W must be multiples of 16 (no rescaling)."""
    writer = _imageio().get_writer(path, format="FFMPEG", fps=FPS, codec="libx264", quality=None,
                                   pixelformat="yuv444p", macro_block_size=16,
                                   output_params=["-crf", str(crf), "-preset", "veryfast"],
                                   ffmpeg_log_level="error")
    try:
        for f in frames:
            writer.append_data(f)
    finally:
        writer.close()


def write_trajectory(folder: str | os.PathLike, pov: np.ndarray, observations: Mapping[str, np.ndarray],
                     actions: Mapping[str, np.ndarray], rewards: np.ndarray, metadata: Mapping[str, Any],
                     replay: Mapping[str, Any] | None = None) -> Path:
    """Write one trajectory folder; it must not exist yet.

    Args:
        folder: ``<root>/<EnvId>/v4_<stream>``.
        pov: uint8 frames [T+1, H, W, 3].
        observations: flat ``observation$...`` arrays with T+1 entries (no pov).
        actions: flat ``action$...`` arrays with T entries.
        rewards: [T] rewards.
        metadata: ``success`` at least; the other MineRL fields are filled in here.
        replay: our replay fields, written to ``replay.json``.

    Returns:
        The folder.

    Raises:
        OutputExists: ``folder`` exists (we never overwrite data).
        ValueError: the lengths disagree.
    """
    folder = Path(folder)
    if folder.exists():
        raise OutputExists(folder)
    t = len(rewards)
    _check_lengths(folder, len(pov), observations, actions, t)
    folder.mkdir(parents=True)
    write_video(folder / "recording.mp4", pov)
    np.savez_compressed(folder / "rendered.npz", reward=np.asarray(rewards, np.float64), **observations, **actions)
    meta = {"success": bool(metadata.get("success", False)), "duration_ms": 50 * t, "duration_steps": t,
            "total_reward": float(np.sum(rewards)), "stream_name": metadata.get("stream_name", folder.name), "true_video_frame_count": len(pov),
            **{k: v for k, v in metadata.items() if k not in METADATA_KEYS}}
    _write_json(folder / "metadata.json", meta)
    if replay is not None:
        _write_json(folder / "replay.json", dict(replay))
    return folder


def _check_lengths(folder: Path, frames: int, observations: Mapping, actions: Mapping, t: int) -> None:
    bad = [k for k, v in observations.items() if len(v) != t + 1] + [k for k, v in actions.items() if len(v) != t]
    if frames != t + 1 or bad:
        raise ValueError(f"{folder}: {frames} frames, {t} rewards; mismatched keys {bad}. "
                         "Observations need T+1 entries, actions and rewards T.")


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    with open(path, "x") as f:  # exclusive create: never replace a file
        json.dump(data, f, indent=2)
        f.write("\n")


def publish(tmp: Path, final: Path) -> None:
    """Move a finished temp folder into place; refuses to replace anything."""
    if final.exists():
        shutil.rmtree(tmp)
        raise OutputExists(final)
    os.rename(tmp, final)  # atomic on one filesystem: a reader never sees half a trajectory


# ---------------------------------------------------------------- reading (never writes)


def is_stream_dir(path: Path) -> bool:
    """A ``v<N>_...`` folder. Unlike MineRL we do not also require an mp4 and an npz inside, so a
    trajectory missing one is reported (InvalidTrajectory) instead of silently left out."""
    return path.is_dir() and path.name.startswith("v") and "_" in path.name and path.name[1:path.name.index("_")].isdigit()


def read_json(path: Path) -> dict[str, Any]:
    """A JSON file as a dict, or :class:`InvalidTrajectory` naming it."""
    try:
        with open(path) as f:
            data = json.load(f)
    except FileNotFoundError:
        raise InvalidTrajectory(path, "file is missing") from None
    except (OSError, ValueError) as exc:
        raise InvalidTrajectory(path, f"unreadable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InvalidTrajectory(path, "not a JSON object")
    return data


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of ``rendered.npz``, or :class:`InvalidTrajectory` naming it."""
    try:
        with np.load(path, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise InvalidTrajectory(path, "file is missing") from None
    except Exception as exc:  # BadZipFile, zlib.error, OSError, ValueError: re-raised as the named error
        raise InvalidTrajectory(path, f"unreadable npz ({type(exc).__name__}: {exc})") from exc
    if "reward" not in data:
        raise InvalidTrajectory(path, "no 'reward' array")
    return data


def read_video(path: Path) -> np.ndarray:
    """All frames of an mp4 as uint8 [N, H, W, 3], or :class:`InvalidTrajectory` naming it."""
    if not path.is_file():
        raise InvalidTrajectory(path, "file is missing")
    _imageio()
    import imageio_ffmpeg

    try:
        gen = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
        w, h = next(gen)["size"]
        frames = [np.frombuffer(b, np.uint8).reshape(h, w, 3) for b in gen]
    except (OSError, RuntimeError, ValueError, KeyError, StopIteration) as exc:  # ffmpeg's errors for a broken file
        raise InvalidTrajectory(path, f"undecodable video ({type(exc).__name__}: {exc})") from exc
    if not frames:
        raise InvalidTrajectory(path, "video has no frames")
    return np.stack(frames)


def check_trajectory(folder: Path, with_video: bool = True) -> dict[str, Any]:
    """Validate a trajectory's files against each other; returns its metadata.

    Raises:
        InvalidTrajectory: naming the first file that is missing, unreadable or inconsistent.
    """
    meta = read_json(folder / "metadata.json")
    t = _duration(folder, meta)
    data = read_npz(folder / "rendered.npz")
    _check_npz(folder / "rendered.npz", data, t)
    if with_video:
        _check_frames(folder / "recording.mp4", _count_frames(folder / "recording.mp4"), t)
    return meta


def _duration(folder: Path, meta: Mapping[str, Any]) -> int:
    t = meta.get("duration_steps")
    if not isinstance(t, int) or t < 0:
        raise InvalidTrajectory(folder / "metadata.json", f"duration_steps is {t!r}, not a step count")
    return t


def _check_npz(path: Path, data: Mapping[str, np.ndarray], t: int) -> None:
    for k, v in data.items():
        want = t + 1 if k.startswith("observation") else t
        if v.ndim == 0 or len(v) != want:
            raise InvalidTrajectory(path, f"{k!r} has {0 if v.ndim == 0 else len(v)} entries, metadata says "
                                          f"{want} (duration_steps {t})")


def _check_frames(path: Path, frames: int, t: int) -> None:
    if frames < t + 1:  # more is fine: MineRL skips leading extra frames
        raise InvalidTrajectory(path, f"{frames} video frames for {t} steps (need {t + 1})")


def _count_frames(path: Path) -> int:
    if not path.is_file():
        raise InvalidTrajectory(path, "file is missing")
    _imageio()
    import imageio_ffmpeg

    try:
        return int(imageio_ffmpeg.count_frames_and_secs(str(path))[0])
    except (OSError, RuntimeError, ValueError) as exc:  # ffmpeg's errors for a broken file
        raise InvalidTrajectory(path, f"undecodable video ({type(exc).__name__}: {exc})") from exc


def read_trajectory(folder: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Load one trajectory: flat arrays (``observation$pov`` included) and its metadata.

    Leading extra video frames are skipped, as MineRL's loader does, so the last frame is the
    last state.

    Raises:
        InvalidTrajectory: a file is missing, unreadable or inconsistent (the error names it).
    """
    folder = Path(folder)
    meta = read_json(folder / "metadata.json")
    t = _duration(folder, meta)
    data = read_npz(folder / "rendered.npz")
    _check_npz(folder / "rendered.npz", data, t)
    pov = read_video(folder / "recording.mp4")
    _check_frames(folder / "recording.mp4", len(pov), t)
    data["observation$pov"] = pov[len(pov) - (t + 1):]
    return data, meta
