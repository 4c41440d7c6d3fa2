"""Looking tasks up by id: the single registry, generated from the task YAML.

Two families share it: the MineRL tasks (one YAML file each under ``tasks/minerl/``) and MineDojo's
programmatic tasks (expanded from ``tasks/minedojo/templates.yaml``, registered as
``MineDojo/<task_id>-v0``).
"""

from __future__ import annotations

from pathlib import Path

from mc_bench.error import UnknownTask
from mc_bench.tasks import minedojo
from mc_bench.tasks.spec import TaskSpec, all_specs

# Entry point per task family: string entry points keep registration free of simulator imports.
ENTRY_POINTS = {"minerl": "mc_bench.envs.minerl:MineRLEnv", "minedojo": "mc_bench.envs.minedojo:MineDojoEnv"}
FAMILIES = ("minerl", "minedojo")


def list_tasks(family: str | None = None, suite: str | None = None) -> list[str]:
    """Registered gym ids, sorted: every family, or one (``"minerl"``, ``"minedojo"``); ``suite``
    keeps MineDojo's curated subset of that name (``"standard"``, ``"difficult"``)."""
    if family not in (None, *FAMILIES):
        raise ValueError(f"family must be one of {FAMILIES} or None, got {family!r}.")
    ids = [] if family == "minedojo" or suite else sorted(all_specs())
    if family != "minerl":
        if suite is not None and suite not in minedojo.load_suites():
            raise ValueError(f"Unknown suite {suite!r}; MineDojo's suites: {sorted(minedojo.load_suites())}.")
        ids += sorted(t.gym_id for t in minedojo.expand().values() if suite is None or suite in t.suites)
    return ids


def get_spec(task_id: str) -> TaskSpec:
    """The TaskSpec of MineRL task ``task_id``; :class:`UnknownTask` (with the nearest ids) if there is none."""
    try:
        return all_specs()[task_id]
    except KeyError:
        raise UnknownTask(task_id, list(all_specs())) from None


def resolve(task_id: str) -> str:
    """The gym id of a registered task: a MineRL id, ``MineDojo/<id>-v0`` or a bare MineDojo id."""
    if task_id in all_specs():
        return task_id
    task = minedojo.task_of(task_id)
    if task is None:
        raise UnknownTask(task_id, list(all_specs()) + list(minedojo.expand()))
    return task.gym_id


def entries() -> list[tuple[str, str, dict, int | None, float | None]]:
    """(gym id, entry point, kwargs, max_episode_steps, reward_threshold) of every task, for registration."""
    out = [(s.id, entry_point(s), {"task": s.id}, s.max_episode_steps, s.reward_threshold)
           for s in all_specs().values()]
    out += [(t.gym_id, ENTRY_POINTS["minedojo"], {"task": t.id}, t.horizon, None) for t in minedojo.expand().values()]
    return out


def entry_point(spec: TaskSpec) -> str:
    """The env class that runs ``spec``, from the folder its YAML lives in."""
    family = Path(spec.path).parent.name
    return ENTRY_POINTS[family]
