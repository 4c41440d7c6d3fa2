"""Docs pages are generated from the live envs and must be current (regenerate with
``python -m mc_bench.envs.docs docs/envs``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mc_bench
from mc_bench.envs.docs import env_page

DOCS = Path(__file__).resolve().parents[1] / "docs" / "envs"


@pytest.mark.parametrize("task_id", mc_bench.list_tasks(family="minerl"))
def test_env_page_is_current(task_id):
    page = DOCS / f"{task_id}.md"
    assert page.exists(), f"missing {page}: run python -m mc_bench.envs.docs docs/envs"
    assert page.read_text() == env_page(task_id), f"{page} is stale: run python -m mc_bench.envs.docs docs/envs"


def test_page_has_space_tables():
    page = env_page("MineRLNavigate-v0")
    assert "| `place` | Enum(dirt, none), default `none` |" in page
    assert "| `compass.angle` | Box(-180, 180, (), float32) |" in page
    assert "| `inventory.dirt` | Box(0, 2304, (), int32) |" in page


def test_minedojo_pages_are_current():
    from mc_bench.envs.minedojo_docs import suite_page, tasks_page

    for page, text in ((DOCS / "MineDojo.md", suite_page), (DOCS.parent / "minedojo" / "tasks.md", tasks_page)):
        assert page.exists() and page.read_text() == text(), f"{page} is stale: run python -m mc_bench.envs.docs docs/envs"
