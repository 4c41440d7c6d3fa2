"""One numba decorator for the engine: cached to disk (compile time counts against a user's
first step) and without fastmath, so results are bit-identical run to run.

numba keys a cached function on its own source file only, so a kernel that inlines a function
from another file would keep the old code after that file changes (an upgrade, or an edit in a
checkout). Each engine module's kernels are therefore cached in a folder named by a hash of that
module and every engine module it imports, directly or not: an edit recompiles the modules that
depend on it and nothing else (editing mobs.py leaves the renderer's cache alone).
``$NUMBA_CACHE_DIR`` (if set) is the parent of those folders; the default parent is
``$XDG_CACHE_HOME/mc-bench`` or ``~/.cache/mc-bench``. The folders do not depend on where the sources
lie, so a wheel, another venv or a fresh clone of the same sources reuses what was compiled.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path

import numba
import numba.core.cpu
from numba.core import caching

_SIM = Path(__file__).resolve().parent


# ``from mc_bench.sim[.mod] import names`` (names possibly parenthesised over lines), ``import mc_bench.sim.mod``
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+mc_bench\.sim(?:\.(\w+))?[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)"
                     r"|import[ \t]+mc_bench\.sim\.(\w+))", re.M)


def _imports(name: str) -> set[str]:
    """Engine modules that module ``name`` imports (``from mc_bench.sim import x`` included)."""
    return {m for m in _imported((_SIM / f"{name}.py").read_text()) if (_SIM / f"{m}.py").exists()}


@functools.cache
def _imported(source: str) -> frozenset[str]:
    # A scan, not ast.parse: this runs for every engine module at import time, before the first step.
    found = set()
    for sub, names, plain in _IMPORT.findall(source):
        if plain or sub:
            found.add(plain or sub)
        else:
            found.update(n.split()[0] for n in names.strip("()").replace("\n", " ").split(",") if n.strip())
    return frozenset(found)


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


def _engine_locator(base):
    """numba's user cache locator ``base``, but caching in ``numba.config.CACHE_DIR`` itself rather than in
    a subfolder named by the source folder's absolute path: that folder is already named by the sources'
    hash, so a wheel installed elsewhere, another venv or a fresh clone of the same sources loads the
    kernels a checkout compiled instead of compiling them all again. numba's index still checks each
    function's source hash and the CPU before it loads anything."""

    class EngineLocator(base):
        def __init__(self, py_func, py_file):
            super().__init__(py_func, py_file)
            self._cache_path = numba.config.CACHE_DIR

        @classmethod
        def from_function(cls, py_func, py_file):
            if Path(py_file).resolve().parent != _SIM:
                return None  # not an engine module: numba's own locators decide
            return super().from_function(py_func, py_file)

    return EngineLocator


def _register_locator() -> None:
    """Put the engine's locator first in numba's list; a numba without these internals keeps its own
    (kernels then compile once per install path)."""
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    classes = getattr(impl, "_locator_classes", None)
    base = getattr(caching, "UserProvidedCacheLocator", None) or getattr(caching, "_UserProvidedCacheLocator", None)
    if isinstance(classes, list) and base is not None and not any(c.__name__ == "EngineLocator" for c in classes):
        classes.insert(0, _engine_locator(base))


_register_locator()


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
    """``numba.njit`` with ``cache=True`` and ``nogil=True``.

    ``_nrt=False`` (no reference counting: the renderer's kernels, which never allocate) is a private
    numba option; where a numba release drops it, the kernels compile with reference counting instead
    (slower, same pixels).
    """
    if "_nrt" in kwargs and not hasattr(numba.core.cpu.CPUTargetOptions, "_nrt"):
        kwargs = {k: v for k, v in kwargs.items() if k != "_nrt"}
    opts = dict(cache=True, nogil=True, **kwargs)

    def decorate(f):
        _use_cache_for(f.__module__)
        return numba.njit(**opts)(f)

    return decorate if fn is None else decorate(fn)


def kernel(fn=None, **kwargs):
    """:func:`njit` without reference counting, for functions that never allocate arrays: numba's
    refcount calls on every array a function receives (an atomic add and subtract each, 13 of them for
    a ``World``) cost more than small hot functions' own work.

    A plain :func:`njit` function takes its reference counting from whichever caller compiles it first
    (numba inherits the setting), so in the tick's modules every function is a kernel or says
    ``_nrt=True`` (it allocates); ``tests/test_jit_cache.py`` holds them to that."""
    return njit(fn, _nrt=False, **kwargs)

