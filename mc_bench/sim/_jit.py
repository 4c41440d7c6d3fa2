"""One numba decorator for the engine: cached to disk (compile time counts against a user's
first step) and without fastmath, so results are bit-identical run to run."""

from __future__ import annotations

import numba


def njit(fn=None, **kwargs):
    """``numba.njit`` with ``cache=True`` and ``nogil=True``."""
    opts = dict(cache=True, nogil=True, **kwargs)
    if fn is None:
        return lambda f: numba.njit(**opts)(f)
    return numba.njit(**opts)(fn)
