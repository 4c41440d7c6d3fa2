"""Scripted experts: privileged planners that read the simulator but act through the action space.

They prove each task reachable and are the source of demonstrations. ``make_expert(env, seed)``
picks the expert from the env's task id.
"""

from __future__ import annotations

from typing import Any

from mc_bench.agents.experts.base import Expert
from mc_bench.agents.experts.hunt import ObtainBedExpert, ObtainCookedMeatExpert
from mc_bench.agents.experts.navigate import NavigateExpert
from mc_bench.agents.experts.obtain import ObtainDiamondExpert, ObtainExpert
from mc_bench.agents.experts.survival import SurvivalExpert
from mc_bench.agents.experts.treechop import TreechopExpert

__all__ = ["EXPERTS", "Expert", "make_expert"]

# task id -> expert class; one row per task.
EXPERTS: dict[str, type[Expert]] = {
    "MineRLTreechop-v0": TreechopExpert,
    "MineRLNavigate-v0": NavigateExpert,
    "MineRLNavigateDense-v0": NavigateExpert,
    "MineRLNavigateExtreme-v0": NavigateExpert,
    "MineRLNavigateExtremeDense-v0": NavigateExpert,
    "MineRLObtainIronPickaxe-v0": ObtainExpert,
    "MineRLObtainIronPickaxeDense-v0": ObtainExpert,
    "MineRLObtainDiamond-v0": ObtainDiamondExpert,
    "MineRLObtainDiamondDense-v0": ObtainDiamondExpert,
    "MineRLObtainCookedMeat-v0": ObtainCookedMeatExpert,
    "MineRLObtainBed-v0": ObtainBedExpert,
    "MineRLSurvival-v0": SurvivalExpert,
}


def task_id(env: Any) -> str:
    """The task id of a (possibly wrapped) MineRL env."""
    return env.unwrapped.task.id


def make_expert(env: Any, seed: int | None = None) -> Expert:
    """The scripted expert for ``env``'s task.

    Args:
        env: a MineRL env from :func:`mc_bench.make` (wrappers allowed), or a MineDojo env made
            with ``action_space="dict"``.
        seed: seed of the expert's own randomness.

    Returns:
        An agent with ``act(obs) -> action`` and ``reset(seed)``.

    Raises:
        KeyError: no expert is written for this task; the message lists those that are.
    """
    if hasattr(env.unwrapped, "spec_task"):  # a MineDojo env
        from mc_bench.agents.experts.minedojo import minedojo_expert

        return minedojo_expert(env, seed)
    tid = task_id(env)
    if tid not in EXPERTS:
        raise KeyError(f"No scripted expert for {tid!r}; experts exist for: {', '.join(sorted(EXPERTS))}.")
    return EXPERTS[tid](env, seed)
