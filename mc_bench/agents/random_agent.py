"""The random baseline: uniform samples from the env's action space."""

from __future__ import annotations

import copy
from typing import Any

from gymnasium import spaces

__all__ = ["RandomAgent"]


class RandomAgent:
    """Acts by sampling the action space; ignores observations.

    Args:
        action_space: the env's action space. A private copy is seeded, so the agent's draws
            never disturb (or depend on) the env's own space generator.
        seed: seed of the copy's generator; same seed, same action sequence.
    """

    def __init__(self, action_space: spaces.Space, seed: int | None = None):
        self.action_space = copy.deepcopy(action_space)
        self.action_space.seed(seed)

    def act(self, obs: Any) -> Any:
        """A uniformly random action.

        Args:
            obs: the current observation (unused).

        Returns:
            One sample of the action space.
        """
        return self.action_space.sample()
