"""Looking tasks up by id: the single registry, generated from the task YAML."""

from __future__ import annotations

from pathlib import Path

from mc_bench.error import UnknownTask
from mc_bench.tasks.spec import TaskSpec, all_specs

# Entry point per task folder (tasks/<family>/...): string entry points keep registration free of
# simulator imports.
ENTRY_POINTS = {"minerl": "mc_bench.envs.minerl:MineRLEnv"}


def list_tasks() -> list[str]:
    """Every registered task id, sorted."""
    return sorted(all_specs())


def get_spec(task_id: str) -> TaskSpec:
    """The TaskSpec of ``task_id``; :class:`UnknownTask` (with the nearest ids) if there is none."""
    try:
        return all_specs()[task_id]
    except KeyError:
        raise UnknownTask(task_id, list(all_specs())) from None


def entry_point(spec: TaskSpec) -> str:
    """The env class that runs ``spec``, from the folder its YAML lives in."""
    family = Path(spec.path).parent.name
    return ENTRY_POINTS[family]
