"""The numba cache is split per engine module, keyed by the module and what it imports."""

from mc_bench.sim import _jit


def test_closure_follows_imports_only():
    assert {"world", "light", "textures", "state"} <= _jit._imports("render")
    assert "mobs" not in _jit._imports("render")
    assert "crafting" in _jit._imports("engine")  # `from mc_bench.sim import crafting`


def test_an_edit_changes_only_the_dependants_hash(tmp_path, monkeypatch):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.py").write_text("")
    (tmp_path / "b.py").write_text("from mc_bench.sim.a import f\n")
    monkeypatch.setattr(_jit, "_SIM", tmp_path)
    before = {m: _jit._closure_hash.__wrapped__(m) for m in "abc"}
    (tmp_path / "a.py").write_text("x = 1\n")
    after = {m: _jit._closure_hash.__wrapped__(m) for m in "abc"}
    assert before["a"] != after["a"] and before["b"] != after["b"] and before["c"] == after["c"]


def test_engine_kernels_cache_in_the_hash_folder_wherever_the_sources_lie(tmp_path, monkeypatch):
    """The cache folder is named by the sources' hash and nothing else, so a wheel or a fresh clone
    elsewhere loads the kernels a checkout compiled (test_wheel's env then starts in seconds)."""
    import numba
    from numba.core import caching

    from mc_bench.sim import world

    locator = caching.CacheImpl._locator_classes[0]
    assert locator.__name__ == "EngineLocator"
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    assert locator.from_function(world.get_state.py_func, world.__file__).get_cache_path() == str(tmp_path)
    assert locator.from_function(test_closure_follows_imports_only, __file__) is None  # not an engine module


# Engine modules a tick runs, and their functions that need numba's reference counting: two allocate arrays,
# and the entry point reads the members of the simulator's bundle (once a step).
TICK_MODULES = ("engine", "interact", "physics", "vitals", "mobs", "mob_ai", "mob_base", "mob_move", "mob_spawn",
                "fluids", "blockticks", "weather", "projectiles", "usage", "equipment", "fishing", "farming",
                "explosions", "light", "world", "rng")
COUNTED = {("fluids", "_drop_distance"), ("blockticks", "_blow_tnt"), ("engine", "tick_bundle")}


def test_the_tick_runs_without_reference_counting():
    """numba increfs every array a reference-counted function receives, each of the ~60 arrays of a (world,
    rules, engine) call: that cost Sim.step more than its own work (32 -> 9 us per step without). Every
    function of the tick's modules is a kernel, but for the few that need it, which say so explicitly:
    numba would otherwise give a plain njit function the setting of whichever caller compiled it first."""
    import importlib

    from numba.core.registry import CPUDispatcher

    counted = set()
    for name in TICK_MODULES:
        mod = importlib.import_module(f"mc_bench.sim.{name}")
        for attr, fn in vars(mod).items():
            if isinstance(fn, CPUDispatcher) and fn.__module__ == mod.__name__:
                nrt = fn.targetoptions.get("_nrt")
                assert nrt is not None, f"{name}.{attr} leaves reference counting to its first caller"
                if nrt:
                    counted.add((name, attr))
    assert counted == COUNTED
