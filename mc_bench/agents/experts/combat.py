"""Fighting: spot a mob near the player and hit it until it dies or leaves.

Used two ways: as a reflex against hostile mobs (checked every tick by experts of tasks with mobs)
and as the hunting skill for meat and wool.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.agents.experts.control import Body
from mc_bench.sim.state import COLLIDED_H, EH, EKIND, EX, EY, EZ

HOSTILE = ("zombie", "skeleton", "spider", "creeper", "husk")
RANGED = ("skeleton", "witch")  # they hurt from afar: met head on, not waited for
MELEE = 2.8  # hit from a little inside the 3-block entity reach
SWING_TICKS = 12  # ticks between swings


class Mobs:
    """Mob queries over the engine's entity table (kinds are ``KIND_MOB0 + index in mob_names``)."""

    def __init__(self, wv):
        self.wv = wv
        from mc_bench.sim.state import KIND_MOB0

        names = getattr(wv.rules, "mob_names", ())
        self.kind = {n: KIND_MOB0 + i for i, n in enumerate(names)}
        self.hostile = np.array([self.kind[n] for n in HOSTILE if n in self.kind], np.int32)
        self.ranged = np.array([self.kind[n] for n in RANGED if n in self.kind], np.int32)

    def nearest(self, kinds, radius: float, around=None) -> int | None:
        """Entity index of the nearest mob of ``kinds`` within ``radius`` of ``around`` (default: the
        player), or None."""
        if len(kinds) == 0:
            return None
        e = self.wv.sim.e
        idx = np.flatnonzero(np.isin(e.ei[:, EKIND], kinds))
        if len(idx) == 0:
            return None
        d = np.linalg.norm(e.ef[idx][:, [EX, EY, EZ]] - np.asarray(self.wv.pos if around is None else around), axis=1)
        j = int(np.argmin(d))
        return int(idx[j]) if d[j] <= radius else None

    def visible(self, i: int) -> bool:
        """A clear line from the eye to mob ``i`` (a mob behind blocks can be neither hit nor hurt
        by melee; fighting it would only stall the plan)."""
        eye, pt = self.wv.eye, self.body_point(i)
        n = int(math.dist(eye, pt) * 4) + 1
        for k in range(1, n):
            f = k / n
            c = [math.floor(a + (b - a) * f) for a, b in zip(eye, pt)]
            if self.wv.is_solid(*c):
                return False
        return True

    def alive(self, i: int, kind: int) -> bool:
        return int(self.wv.sim.e.ei[i, EKIND]) == kind

    def body_point(self, i: int) -> tuple[float, float, float]:
        ef = self.wv.sim.e.ef
        return float(ef[i, EX]), float(ef[i, EY] + ef[i, EH] * 0.6), float(ef[i, EZ])


def fight(body: Body, mobs: Mobs, i: int, max_ticks: int = 400):
    """Close in on mob ``i`` and hit it (attack cooldown respected by spacing hits) until it is gone."""
    kind = int(body.wv.sim.e.ei[i, EKIND])
    last = -SWING_TICKS
    for t in range(max_ticks):
        if not mobs.alive(i, kind):
            return True
        pt = mobs.body_point(i)
        x, _, z = body.wv.pos
        d = math.hypot(pt[0] - x, pt[2] - z)
        cam = body.turn_to_point(pt)
        aimed = body.aim_error(pt) < 12.0
        hit = int(aimed and d < MELEE and t - last >= SWING_TICKS)  # full-strength swings, not spam
        last = t if hit else last
        stuck = body.wv.on_ground and bool(body.wv.sim.e.pi[COLLIDED_H])
        yield body.act(camera=cam, attack=hit, forward=int(d > 2.0 and aimed), jump=int(body.wv.in_water or stuck))
    return False
