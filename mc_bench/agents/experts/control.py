"""The expert's body: turns intentions (look here, press these keys) into one env action per tick.

The camera moves like a hand on a mouse: a proportional turn capped at ``MAX_TURN`` degrees per
tick, so the view never snaps; a little seeded jitter keeps long walks from looking robotic.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mc_bench.agents.experts.world import WorldView
from mc_bench.sim.state import TBX, TBY, TBZ, TFACE, TVALID

MAX_TURN = 12.0  # degrees per tick, per axis
# MineRL's crafting keys under their names in MineDojo's native dict actions.
ALIASES = {"nearbyCraft": "craft_with_table", "nearbySmelt": "smelt"}
ALIASES.update({v: k for k, v in ALIASES.items()})  # and MineDojo's names in MineRL's actions
GAIN = 0.55  # share of the remaining angle turned per tick (ease-in near the target)


def wrap(deg: float) -> float:
    """Angle in (-180, 180]."""
    return (deg + 180.0) % 360.0 - 180.0


def angles_to(eye, point) -> tuple[float, float]:
    """(pitch, yaw) in Minecraft degrees that look from ``eye`` at ``point``."""
    dx, dy, dz = point[0] - eye[0], point[1] - eye[1], point[2] - eye[2]
    yaw = math.degrees(math.atan2(-dx, dz))
    pitch = -math.degrees(math.atan2(dy, math.hypot(dx, dz)))
    return pitch, yaw


class Body:
    """Builds action dicts for one env and reads the player's state through ``wv``.

    Args:
        action_space: the env's action space (its ``noop()`` is the template).
        wv: the world view of the env's sim.
        rng: the expert's seeded generator (camera jitter only).
    """

    def __init__(self, action_space, wv: WorldView, rng: np.random.Generator):
        self.template = dict(action_space.noop())
        self.keys = set(self.template)
        self.wv = wv
        self.rng = rng

    def act(self, camera: tuple[float, float] = (0.0, 0.0), **keys: Any) -> dict:
        """One action: the given keys pressed (1) or set (enums), everything else no-op."""
        a = dict(self.template)
        for k, v in keys.items():
            k = k if k in self.keys else ALIASES.get(k, k)
            if k in self.keys:
                a[k] = v
        a["camera"] = np.array(camera, np.float32)
        return a

    # ------------------------------------------------------------ camera

    def turn(self, pitch: float, yaw: float, jitter: float = 0.0) -> tuple[float, float]:
        """Camera delta for this tick toward absolute (pitch, yaw)."""
        dp = _ease(pitch - self.wv.pitch)
        dy = _ease(wrap(yaw - self.wv.yaw))
        if jitter:
            dp += float(self.rng.normal(0.0, jitter))
            dy += float(self.rng.normal(0.0, jitter))
        return dp, dy

    def turn_to_point(self, point, jitter: float = 0.0) -> tuple[float, float]:
        return self.turn(*angles_to(self.wv.eye, point), jitter=jitter)

    def aim_error(self, point) -> float:
        """Degrees between the view and the direction to ``point`` (max of both axes)."""
        p, y = angles_to(self.wv.eye, point)
        return max(abs(p - self.wv.pitch), abs(wrap(y - self.wv.yaw)))

    def target(self) -> tuple[int, int, int] | None:
        """The block under the crosshair, if any (the engine's own ray, so it matches attacks)."""
        pi = self.wv.sim.e.pi
        return (int(pi[TBX]), int(pi[TBY]), int(pi[TBZ])) if pi[TVALID] else None

    def target_face(self) -> int:
        return int(self.wv.sim.e.pi[TFACE])


def _ease(err: float) -> float:
    """Proportional turn capped at MAX_TURN; the last fraction of a degree is closed at once."""
    if abs(err) < 0.5:
        return err
    return max(-MAX_TURN, min(MAX_TURN, err * GAIN))
