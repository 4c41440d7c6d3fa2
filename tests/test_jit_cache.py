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
