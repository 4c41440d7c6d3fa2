"""Register every task from the YAML with gymnasium (string entry points: nothing heavy imported)."""

from __future__ import annotations

import gymnasium

from mc_bench.tasks.registry import entry_point, get_spec, list_tasks


def register_all() -> None:
    """Register each task id once per process."""
    for task_id in list_tasks():
        if task_id in gymnasium.registry:
            continue
        spec = get_spec(task_id)
        gymnasium.register(
            id=task_id,
            entry_point=entry_point(spec),
            kwargs={"task": task_id},
            max_episode_steps=spec.max_episode_steps,
            reward_threshold=spec.reward_threshold,
        )


def make(task_id: str, **kwargs) -> gymnasium.Env:
    """``gymnasium.make`` for a registered task, with a named error for unknown ids."""
    get_spec(task_id)  # raises UnknownTask with the nearest ids
    register_all()
    return gymnasium.make(task_id, **kwargs)
