"""Demonstrations in MineRL-v0's dataset format, with ``minerl.data``'s API.

Example::

    import mc_bench.data
    data = mc_bench.data.make("MineRLTreechop-v0", data_dir="demos")
    for obs, act, rew, next_obs, done in data.batch_iter(batch_size=4, seq_len=32, num_epochs=1, seed=0):
        obs["pov"].shape  # (4, 32, 64, 64, 3)

Make data with :func:`mc_bench.data.generate.generate` (``mc-bench data generate``) and re-render it
at another resolution with :func:`mc_bench.data.render.rerender` (``mc-bench data render``).
"""

from __future__ import annotations

import os
from pathlib import Path

from mc_bench.data.format import DataDirNotSet, InvalidTrajectory, ReplayMismatch
from mc_bench.data.pipeline import BufferedBatchIter, DataPipeline

__all__ = ["BufferedBatchIter", "DataDirNotSet", "DataPipeline", "InvalidTrajectory", "ReplayMismatch", "make"]


def make(environment: str, data_dir: str | os.PathLike | None = None, num_workers: int = 4,
         worker_batch_size: int = 32, minimum_size_to_dequeue: int = 32, force_download: bool = False,
         skip_invalid: bool = False) -> DataPipeline:
    """The data of one env, as ``minerl.data.make``.

    Args:
        environment: a registered env id, e.g. ``"MineRLObtainDiamond-v0"``.
        data_dir: the data root holding ``<EnvId>/`` folders; defaults to ``$MINERL_DATA_ROOT``.
        num_workers: threads that decode trajectories.
        worker_batch_size: accepted for MineRL compatibility (unused).
        minimum_size_to_dequeue: accepted for MineRL compatibility (unused).
        force_download: must be False: the MineRL dataset host is gone; generate data instead.
        skip_invalid: loaders skip broken trajectories with a warning instead of raising.

    Returns:
        A :class:`DataPipeline`.

    Raises:
        mc_bench.error.UnknownTask: ``environment`` is not registered.
        DataDirNotSet: neither ``data_dir`` nor ``$MINERL_DATA_ROOT`` is set.
    """
    from mc_bench.tasks.registry import get_spec

    get_spec(environment)  # UnknownTask with 'did you mean'
    if force_download:
        raise ValueError("force_download: the MineRL dataset host is offline; make demonstrations with "
                         "`mc-bench data generate --env ID --episodes N --out DIR` instead.")
    root = data_dir if data_dir is not None else os.environ.get("MINERL_DATA_ROOT")
    if not root:
        raise DataDirNotSet()
    return DataPipeline(Path(root) / environment, environment, num_workers=num_workers, skip_invalid=skip_invalid)
