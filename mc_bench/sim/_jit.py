"""One numba decorator for the engine: cached to disk (compile time counts against a user's
first step) and without fastmath, so results are bit-identical run to run.

numba keys a cached function on its own source file only, so a kernel that inlines a function
from another file would keep the old code after that file changes (an upgrade, or an edit in a
checkout). Each engine module's kernels are therefore cached in a folder named by a hash of that
module and every engine module it imports, directly or not: an edit recompiles the modules that
depend on it and nothing else (editing mobs.py leaves the renderer's cache alone).
``$NUMBA_CACHE_DIR`` (if set) is the parent of those folders; the default parent is
``$XDG_CACHE_HOME/mc-bench`` or ``~/.cache/mc-bench``.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from pathlib import Path

import numba

_SIM = Path(__file__).resolve().parent


def _imports(name: str) -> set[str]:
    """Engine modules that module ``name`` imports (``from mc_bench.sim import x`` included)."""
    found = set()
    for node in ast.walk(ast.parse((_SIM / f"{name}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "mc_bench.sim":
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mc_bench.sim."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("mc_bench.sim."))
    return {m for m in found if (_SIM / f"{m}.py").exists()}


@functools.cache
def _closure_hash(name: str) -> str:
    """Hash of module ``name`` and of every engine module it reaches through imports."""
    seen, todo = set(), [name]
    while todo:
        mod = todo.pop()
        if mod not in seen and (_SIM / f"{mod}.py").exists():
            seen.add(mod)
            todo.extend(_imports(mod))
    h = hashlib.sha256()
    for mod in sorted(seen):
        h.update(mod.encode())
        h.update((_SIM / f"{mod}.py").read_bytes())
    return h.hexdigest()[:16]


def engine_hash() -> str:
    """Hash of every engine source file (names the engine a trajectory was recorded with)."""
    h = hashlib.sha256()
    for path in sorted(_SIM.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _cache_parent() -> Path:
    return Path(os.environ.get("NUMBA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "mc-bench"))


def _use_cache_for(module: str) -> None:
    """Point numba's cache at the folder of ``module`` (read when a dispatcher enables caching)."""
    name = module.rsplit(".", 1)[-1]
    folder = _cache_parent() / f"numba-{numba.__version__}-{name}-{_closure_hash(name)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # unwritable: numba falls back to its own cache beside the sources
    numba.config.CACHE_DIR = str(folder)


def njit(fn=None, **kwargs):
    """``numba.njit`` with ``cache=True`` and ``nogil=True``."""
    opts = dict(cache=True, nogil=True, **kwargs)

    def decorate(f):
        _use_cache_for(f.__module__)
        return numba.njit(**opts)(f)

    return decorate if fn is None else decorate(fn)
