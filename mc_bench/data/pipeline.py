"""``minerl.data``'s loaders over our data: ``DataPipeline`` and ``BufferedBatchIter``.

Loaders validate every trajectory of an epoch before yielding its first batch, so a broken file
raises (or, with ``skip_invalid``, is skipped with a warning) up front, never mid-epoch. Nothing
in the data directory is written.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from mc_bench.data.format import (
    InvalidTrajectory,
    check_trajectory,
    is_stream_dir,
    read_trajectory,
    unflatten,
)

__all__ = ["BufferedBatchIter", "DataPipeline"]

Flat = dict[str, np.ndarray]


def _split(flat: Flat, obs_idx: Any, act_idx: Any, next_idx: Any) -> tuple[dict, dict, Any, dict]:
    """obs, action, reward and next_obs (nested dicts) indexed out of one trajectory's flat arrays."""
    obs = {k: v[obs_idx] for k, v in flat.items() if k.startswith("observation")}
    nxt = {k: v[next_idx] for k, v in flat.items() if k.startswith("observation")}
    act = {k: v[act_idx] for k, v in flat.items() if k.startswith("action")}
    return unflatten(obs, "observation"), unflatten(act, "action"), flat["reward"][act_idx], unflatten(nxt, "observation")


def _done(t: int) -> np.ndarray:
    done = np.zeros(t, bool)
    done[-1:] = True
    return done


class DataPipeline:
    """The trajectories of one env in ``<data_dir>/<EnvId>/``, as ``minerl.data.DataPipeline``.

    Args:
        data_directory: the env's folder, ``<data_dir>/<EnvId>``.
        environment: the env id (for ``spec`` and the spaces).
        num_workers: threads that decode trajectories in parallel.
        skip_invalid: default for the loaders: skip broken trajectories with a warning instead of
            raising :class:`~mc_bench.data.format.InvalidTrajectory`.
    """

    def __init__(self, data_directory: str | os.PathLike, environment: str, num_workers: int = 4,
                 skip_invalid: bool = False):
        self.data_dir = Path(data_directory)
        self.environment = environment
        self.num_workers = max(1, int(num_workers))
        self.skip_invalid = skip_invalid
        self._env = None
        self._checked: dict[str, dict[str, Any] | None] = {}

    # ------------------------------------------------------------ spaces

    def _spaces_env(self):
        if self._env is None:  # built on first use: spaces come from the env class itself
            from mc_bench.envs.minerl import MineRLEnv

            self._env = MineRLEnv(self.environment)
        return self._env

    @property
    def spec(self):
        """The env's :class:`~mc_bench.tasks.spec.TaskSpec`."""
        from mc_bench.tasks.registry import get_spec

        return get_spec(self.environment)

    @property
    def action_space(self):
        return self._spaces_env().action_space

    @property
    def observation_space(self):
        return self._spaces_env().observation_space

    # ------------------------------------------------------------ trajectories

    def get_trajectory_names(self) -> list[str]:
        """Names of the trajectory folders, sorted (MineRL shuffles; sort order keeps runs reproducible)."""
        if not self.data_dir.is_dir():
            return []
        return sorted(p.name for p in self.data_dir.iterdir() if is_stream_dir(p))

    def _valid_names(self, skip_invalid: bool | None) -> list[str]:
        """Names whose files check out; broken ones raise, or are skipped with a warning."""
        skip = self.skip_invalid if skip_invalid is None else skip_invalid
        names = []
        for name in self.get_trajectory_names():
            if name not in self._checked:
                try:
                    self._checked[name] = check_trajectory(self.data_dir / name)
                except InvalidTrajectory as exc:
                    if not skip:
                        raise
                    warnings.warn(f"skipping {name}: {exc}", stacklevel=3)
                    self._checked[name] = None
            if self._checked[name] is not None:
                names.append(name)
        return names

    def _length(self, name: str) -> int:
        return int(self._checked[name]["duration_steps"])

    def _load(self, name: str) -> Flat:
        return read_trajectory(self.data_dir / name)[0]

    def load_data(self, stream_name: str, skip_interval: int = 0, include_metadata: bool = False,
                  include_monitor_data: bool = False) -> Iterator[list]:
        """Transitions of one trajectory in time order, as ``minerl.data`` yields them.

        Args:
            stream_name: a name from :meth:`get_trajectory_names`.
            skip_interval: yield every ``skip_interval + 1``-th transition (``next_obs`` is still the
                state right after the action).
            include_metadata: append the metadata dict to each item.
            include_monitor_data: accepted for MineRL compatibility; we record no monitor data.

        Yields:
            ``[obs, action, reward, next_obs, done]`` (+ ``meta``); ``done`` is True on the last one.

        Raises:
            InvalidTrajectory: the trajectory is broken (raised before the first item).
        """
        flat, meta = read_trajectory(self.data_dir / stream_name)
        steps = range(0, len(flat["reward"]), skip_interval + 1)
        for i, t in enumerate(steps):
            obs, act, rew, nxt = _split(flat, t, t, t + 1)
            item = [obs, act, float(rew), nxt, i == len(steps) - 1]
            yield item + [meta] if include_metadata else item

    # ------------------------------------------------------------ batches

    def batch_iter(self, batch_size: int, seq_len: int, num_epochs: int = -1, preload_buffer_size: int = 2,
                   seed: int | None = None, skip_invalid: bool | None = None) -> Iterator[list]:
        """Batches of sequences: every leaf is ``[batch_size, seq_len, ...]``.

        Each epoch lays the trajectories end to end in an order drawn from ``seed`` and epoch
        number, and cuts that stream into ``batch_size`` lanes of equal length read ``seq_len`` at
        a time; sequences may cross trajectory ends (``done`` marks them). An epoch covers every
        transition except fewer than ``batch_size * seq_len`` at the lanes' ends.

        Args:
            batch_size: sequences per batch.
            seq_len: transitions per sequence.
            num_epochs: passes over the data; -1 loops forever.
            preload_buffer_size: accepted for MineRL compatibility.
            seed: seed of the trajectory order (same seed, same batches); None draws fresh entropy.
            skip_invalid: skip broken trajectories with a warning (default: the pipeline's setting).

        Yields:
            ``[obs, action, reward, next_obs, done]`` with nested dicts of arrays.
        """
        names = self._valid_names(skip_invalid)
        if not names:
            return
        rng = np.random.default_rng(seed)
        epoch = 0
        while num_epochs < 0 or epoch < num_epochs:
            order = [names[i] for i in rng.permutation(len(names))]
            yield from self._epoch_batches(order, batch_size, seq_len)
            epoch += 1

    def _epoch_batches(self, order: list[str], batch_size: int, seq_len: int) -> Iterator[list]:
        lengths = np.array([self._length(n) for n in order])
        lane_len = int(lengths.sum()) // batch_size // seq_len * seq_len
        if lane_len == 0:
            return
        with ThreadPoolExecutor(self.num_workers) as pool:
            lanes = [_Lane(order, lengths, b * lane_len, self._load, pool) for b in range(batch_size)]
            for _ in range(lane_len // seq_len):
                parts = [lane.take(seq_len) for lane in lanes]
                yield [_stack([p[i] for p in parts]) for i in range(5)]

    def __repr__(self) -> str:
        return f"DataPipeline({str(self.data_dir)!r}, {self.environment!r})"


class _Lane:
    """One batch row: a cursor into the epoch's stream of transitions, loading trajectories as it goes."""

    def __init__(self, order: list[str], lengths: np.ndarray, start: int, load, pool: ThreadPoolExecutor):
        self.order, self.load, self.pool = order, load, pool
        ends = np.cumsum(lengths)
        self.k = int(np.searchsorted(ends, start, side="right"))
        self.t = start - int(ends[self.k] - lengths[self.k])
        self._cur = self.load(order[self.k])
        self._next = self._prefetch()

    def _prefetch(self):
        k = self.k + 1
        return self.pool.submit(self.load, self.order[k]) if k < len(self.order) else None

    def take(self, n: int) -> list:
        """The next ``n`` transitions as [obs, act, reward, next_obs, done] of flat-time arrays."""
        pieces = []
        while n > 0:
            size = len(self._cur["reward"])
            m = min(n, size - self.t)
            idx = np.arange(self.t, self.t + m)
            obs, act, rew, nxt = _split(self._cur, idx, idx, idx + 1)
            pieces.append([obs, act, rew, nxt, _done(size)[idx]])
            self.t, n = self.t + m, n - m
            if self.t == size and n > 0:
                self._advance()
        return _concat(pieces) if len(pieces) > 1 else pieces[0]

    def _advance(self) -> None:
        self.k, self.t = self.k + 1, 0
        self._cur = self._next.result()
        self._next = self._prefetch()


def _tree_map(fn, trees: list) -> Any:
    if isinstance(trees[0], dict):
        return {k: _tree_map(fn, [t[k] for t in trees]) for k in trees[0]}
    return fn(trees)


def _concat(pieces: list[list]) -> list:
    return [_tree_map(np.concatenate, [p[i] for p in pieces]) for i in range(5)]


def _stack(trees: list) -> Any:
    return _tree_map(np.stack, trees)


class BufferedBatchIter:
    """``minerl.data.BufferedBatchIter``: a shuffled buffer of single transitions from whole trajectories.

    Args:
        data_pipeline: the :class:`DataPipeline` to read.
        buffer_target_size: transitions kept in the buffer before a batch is drawn.
        seed: seed of the trajectory order and the shuffling; None draws fresh entropy.
        skip_invalid: skip broken trajectories with a warning (default: the pipeline's setting).
    """

    def __init__(self, data_pipeline: DataPipeline, buffer_target_size: int = 50000, seed: int | None = None,
                 skip_invalid: bool | None = None):
        self.pipeline = data_pipeline
        self.buffer_target_size = buffer_target_size
        self.rng = np.random.default_rng(seed)
        self.skip_invalid = skip_invalid

    def buffered_batch_iter(self, batch_size: int, num_epochs: int | None = None,
                            num_batches: int | None = None) -> Iterator[tuple]:
        """Batches of ``batch_size`` random transitions; leaves are ``[batch_size, ...]`` (no time axis).

        Args:
            batch_size: transitions per batch.
            num_epochs: passes over the trajectories (exactly one of this and ``num_batches``).
            num_batches: number of batches to yield.

        Yields:
            ``(obs, action, reward, next_obs, done)``.
        """
        if (num_epochs is None) == (num_batches is None):
            raise ValueError("Pass exactly one of num_epochs and num_batches.")
        names = self.pipeline._valid_names(self.skip_invalid)
        if not names:
            return
        queue = self._queue(names, num_epochs)
        buffer: list[tuple[Flat, int]] = []
        yielded = 0
        while num_batches is None or yielded < num_batches:
            self._fill(buffer, queue, batch_size)
            if len(buffer) < batch_size:
                return
            self.rng.shuffle(buffer)
            batch, buffer[-batch_size:] = buffer[-batch_size:], []
            yield self._batch(batch)
            yielded += 1

    def _queue(self, names: list[str], num_epochs: int | None) -> Iterator[str]:
        epoch = 0
        while num_epochs is None or epoch < num_epochs:
            yield from (names[i] for i in self.rng.permutation(len(names)))
            epoch += 1

    def _fill(self, buffer: list, queue: Iterator[str], batch_size: int) -> None:
        target = max(self.buffer_target_size, batch_size)
        while len(buffer) < target:
            name = next(queue, None)
            if name is None:
                return
            flat = self.pipeline._load(name)
            buffer.extend((flat, t) for t in range(len(flat["reward"])))

    @staticmethod
    def _batch(batch: list[tuple[Flat, int]]) -> tuple:
        items = []
        for flat, t in batch:
            obs, act, rew, nxt = _split(flat, t, t, t + 1)
            items.append([obs, act, rew, nxt, t == len(flat["reward"]) - 1])
        return tuple(_stack([it[i] for it in items]) for i in range(5))
