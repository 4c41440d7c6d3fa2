"""Layers import downward only (DESIGN.md): rules -> sim -> tasks -> envs -> wrappers/data/scoring/agents -> cli."""

from __future__ import annotations

import ast
from pathlib import Path

import mc_bench

ORDER = ["error", "rules", "sim", "tasks", "envs", "wrappers", "data", "scoring", "agents", "cli"]
RANK = {"error": 0, "rules": 1, "sim": 2, "tasks": 3, "envs": 4, "wrappers": 5, "data": 5, "scoring": 5,
        "agents": 5, "cli": 6}
PKG = Path(mc_bench.__file__).parent


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "mc_bench" and parts[1] in RANK else None


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_imports_point_downward():
    bad = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).with_suffix("")
        own = rel.parts[0] if rel.parts[0] in RANK else None
        if own is None:
            continue
        for mod in _imports(path):
            dep = _layer(mod)
            if dep and RANK[dep] > RANK[own]:
                bad.append(f"{rel}: imports {mod}")
    assert not bad, bad


def test_sim_never_imports_gymnasium():
    for path in (PKG / "sim").rglob("*.py"):
        assert not any(m.split(".")[0] == "gymnasium" for m in _imports(path)), path
