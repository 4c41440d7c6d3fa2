"""mc-bench: Minecraft 1.11.2 benchmark tasks (MineRL-v0, MineDojo-style) on an embedded engine.

``import mc_bench`` registers every task with gymnasium, so ``gymnasium.make("MineRLTreechop-v0")``
works; ``mc_bench.make(id)`` does the same with a 'did you mean' error for unknown ids.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mc_bench.envs.registration import make, register_all
from mc_bench.rules import load_rules
from mc_bench.tasks.registry import get_spec, list_tasks

__all__ = ["make", "list_tasks", "get_spec", "load_rules", "register_all", "__version__"]

register_all()
