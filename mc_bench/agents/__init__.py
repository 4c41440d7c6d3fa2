"""Agents the harness can run by name (``mc-bench eval --agent NAME``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mc_bench.agents.random_agent import RandomAgent
from mc_bench.error import McBenchError, nearest

__all__ = ["AGENTS", "ENV_KWARGS", "RandomAgent", "UnknownAgent", "env_kwargs", "make_agent"]

# name -> factory(env, seed); a table rather than an if/elif chain so new agents are one line.
AGENTS: dict[str, Callable[[Any, int | None], Any]] = {
    "random": lambda env, seed: RandomAgent(env.action_space, seed),
    "expert": lambda env, seed: _expert(env, seed),
}


# name -> ``mc_bench.make`` keyword arguments the agent needs on MineDojo tasks: the experts act through
# MineDojo's native dict actions, not the MultiDiscrete space an env is made with by default.
ENV_KWARGS: dict[str, dict[str, Any]] = {"expert": {"action_space": "dict"}}


def env_kwargs(name: str, task_id: str) -> dict[str, Any]:
    """Keyword arguments for ``mc_bench.make(task_id, ...)`` so that agent ``name`` can act in the env.

    Args:
        name: a key of :data:`AGENTS`.
        task_id: the task the env is made for.

    Returns:
        The agent's :data:`ENV_KWARGS` for a MineDojo task; nothing for any other task.
    """
    from mc_bench.tasks.minedojo import task_of  # data only: no simulator import

    return dict(ENV_KWARGS.get(name, {})) if task_of(task_id) is not None else {}


def _expert(env: Any, seed: int | None) -> Any:
    # Imported on use: the experts pull in the simulator, which listing agents should not.
    from mc_bench.agents.experts import make_expert

    return make_expert(env, seed)


class UnknownAgent(McBenchError, KeyError):
    """An agent name that is not in :data:`AGENTS`."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        close = nearest(name, known)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"Unknown agent {name!r}.{hint} Known agents: {', '.join(sorted(known))}.")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def make_agent(name: str, env: Any, seed: int | None = None) -> Any:
    """Build the agent registered as ``name`` for ``env``.

    Args:
        name: a key of :data:`AGENTS`, e.g. ``"random"``.
        env: the env the agent will act in (its ``action_space`` is read).
        seed: seed of the agent's own randomness.

    Returns:
        An object with ``act(obs) -> action``.

    Raises:
        UnknownAgent: ``name`` is not registered; the message lists the known agents.
    """
    try:
        factory = AGENTS[name]
    except KeyError:
        raise UnknownAgent(name, list(AGENTS)) from None
    return factory(env, seed)
