"""One numba decorator for the engine: cached to disk (compile time counts against a user's
first step) and without fastmath, so results are bit-identical run to run.

numba keys a cached function on its own source file only, so a kernel that inlines a function
from another file would keep the old code after that file changes (an upgrade, or an edit in a
checkout). The cache therefore lives in a folder named by a hash of every engine source file:
any change to the engine starts a fresh cache. ``$NUMBA_CACHE_DIR`` (if set) is the parent of
that folder; the default parent is ``$XDG_CACHE_HOME/mc-bench`` or ``~/.cache/mc-bench``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba

_SIM = Path(__file__).resolve().parent


def _source_hash() -> str:
    h = hashlib.sha256()
    for path in sorted(_SIM.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _use_versioned_cache() -> None:
    parent = os.environ.get("NUMBA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "mc-bench")
    folder = Path(parent) / f"numba-{numba.__version__}-{_source_hash()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # unwritable: numba falls back to its own cache beside the sources
    numba.config.CACHE_DIR = str(folder)


_use_versioned_cache()


def njit(fn=None, **kwargs):
    """``numba.njit`` with ``cache=True`` and ``nogil=True``."""
    opts = dict(cache=True, nogil=True, **kwargs)
    if fn is None:
        return lambda f: numba.njit(**opts)(f)
    return numba.njit(**opts)(fn)
