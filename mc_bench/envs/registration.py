"""Register every task with gymnasium (string entry points: nothing heavy imported)."""

from __future__ import annotations

import gymnasium

from mc_bench.tasks.registry import entries, resolve


def register_all() -> None:
    """Register each task id once per process."""
    for gym_id, entry_point, kwargs, steps, threshold in entries():
        if gym_id in gymnasium.registry:
            continue
        gymnasium.register(id=gym_id, entry_point=entry_point, kwargs=kwargs, max_episode_steps=steps,
                           reward_threshold=threshold)


def make(task_id: str, **kwargs) -> gymnasium.Env:
    """``gymnasium.make`` for a registered task, with a named error for unknown ids. MineDojo tasks
    may be named bare (``"harvest_1_log"``) as ``minedojo.make`` does."""
    gym_id = resolve(task_id)  # raises UnknownTask with the nearest ids
    register_all()
    return gymnasium.make(gym_id, **kwargs)
