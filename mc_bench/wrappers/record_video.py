"""RecordVideo: write the first episode to an mp4, POV next to a top-down map."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import gymnasium
import numpy as np

from mc_bench.error import DependencyNotInstalled, OutputExists

__all__ = ["RecordVideo", "check_new_path", "compose_frame"]

# libx264 with yuv420p wants even sizes; imageio-ffmpeg rescales (and warns) unless each side is
# a multiple of its macro block, so frames are padded to it instead.
MACRO_BLOCK = 16


def check_new_path(path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Check that writing ``path`` will not destroy an existing file, and create its folder.

    Args:
        path: the file about to be written.
        overwrite: allow replacing an existing file.

    Returns:
        ``path`` as a Path.

    Raises:
        OutputExists: ``path`` exists and ``overwrite`` is false.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExists(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _pad(img: np.ndarray, height: int, width: int) -> np.ndarray:
    out = np.zeros((height, width, 3), np.uint8)
    out[: img.shape[0], : img.shape[1]] = img[..., :3]
    return out


def _round_up(n: int) -> int:
    return -(-n // MACRO_BLOCK) * MACRO_BLOCK


def compose_frame(pov: np.ndarray, top: np.ndarray | None = None, min_size: int = 256) -> np.ndarray:
    """One video frame: the POV scaled up (nearest neighbour) beside an optional map image.

    Args:
        pov: HxWx3 uint8 first-person frame.
        top: optional uint8 map image (HxWx3) drawn to the right of the POV.
        min_size: the POV is scaled by the smallest integer factor that makes its height at
            least this many pixels (64 px -> 4x -> 256 px).

    Returns:
        A uint8 HxWx3 frame whose sides are multiples of 16 (black padding).
    """
    k = max(1, -(-min_size // pov.shape[0]))
    big = np.repeat(np.repeat(pov, k, axis=0), k, axis=1)
    parts = [big] if top is None else [big, top]
    h = max(p.shape[0] for p in parts)
    row = np.concatenate([_pad(p, h, p.shape[1]) for p in parts], axis=1)
    return _pad(row, _round_up(row.shape[0]), _round_up(row.shape[1]))


def _import_imageio():
    try:
        import imageio.v2 as imageio
        import imageio_ffmpeg  # noqa: F401  (the mp4 backend; imageio alone cannot write mp4)
    except ImportError:
        raise DependencyNotInstalled("imageio", "video") from None
    return imageio


class RecordVideo(gymnasium.Wrapper):
    """Record the first episode after construction to an mp4 file, streaming frame by frame.

    Each frame is the POV (``obs["pov"]``, else ``render()``) upscaled to at least ``min_size``
    pixels, beside the top-down map of ``env.unwrapped.renderer.top_down`` when the env has one.
    The file is finished when that episode terminates or truncates, at the next ``reset()``,
    or at ``close()``, whichever comes first.

    Args:
        env: the env to record.
        path: the mp4 to write.
        overwrite: replace ``path`` if it exists (otherwise :class:`OutputExists`).
        min_size: minimum POV height in the video, in pixels.
        map_radius: blocks shown around the player on the map.
        px_per_block: map pixels per block.

    Raises:
        DependencyNotInstalled: imageio or imageio-ffmpeg is missing (``pip install 'mc-bench[video]'``).
        OutputExists: ``path`` exists and ``overwrite`` is false.
    """

    def __init__(self, env: gymnasium.Env, path: str | os.PathLike, overwrite: bool = False,
                 min_size: int = 256, map_radius: int = 32, px_per_block: int = 4):
        super().__init__(env)
        self._imageio = _import_imageio()
        self.path = check_new_path(path, overwrite)
        self.min_size, self.map_radius, self.px_per_block = min_size, map_radius, px_per_block
        self.fps = int(env.metadata.get("render_fps", 20))
        self._writer = None
        self.frames = 0
        self.recorded = False

    def reset(self, **kwargs: Any):
        """Reset the env; starts recording if no episode has been recorded yet."""
        self._finish()
        obs, info = self.env.reset(**kwargs)
        if not self.recorded:
            self._writer = self._imageio.get_writer(self.path, fps=self.fps, codec="libx264",
                                                    macro_block_size=MACRO_BLOCK)
            self._add(obs)
        return obs, info

    def step(self, action: Any):
        """Step the env and add the frame while recording."""
        obs, reward, terminated, truncated, info = self.env.step(action)
        if self._writer is not None:
            self._add(obs)
            if terminated or truncated:
                self._finish()
        return obs, reward, terminated, truncated, info

    def close(self):
        """Finish the video (if one is open) and close the env."""
        self._finish()
        super().close()

    def _add(self, obs: Any) -> None:
        pov = obs["pov"] if isinstance(obs, dict) and "pov" in obs else self.env.render()
        self._writer.append_data(compose_frame(np.asarray(pov), self._top_down(), self.min_size))
        self.frames += 1

    def _top_down(self) -> np.ndarray | None:
        base = self.env.unwrapped
        renderer = getattr(base, "renderer", None)
        if renderer is None or not hasattr(renderer, "top_down"):
            return None
        return renderer.top_down(base.sim.w, base.sim.e, radius=self.map_radius, px_per_block=self.px_per_block)

    def _finish(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self.recorded = True
