"""Going back for the things a death dropped: in MineDojo a dead player respawns at the world spawn with
nothing, while its whole inventory lies where it died for 6000 ticks. Fetching it (once a pickaxe is at
hand again to tunnel back down) beats remaking everything from scratch.
"""

from __future__ import annotations

import math

from mc_bench.agents.experts import skills
from mc_bench.sim.state import TICK

__all__ = ["recoverable", "recover"]

RECOVER_TICKS = 4500  # drops vanish after 6000 ticks: the way back must fit in what is left
DANGER = 12.0  # hostile mobs this near a death spot: what killed the player is still there
LEGS = 16  # A* legs down to the spot
NEAR = 2.5  # blocks from the spot at which the drops are in pick-up range of a short walk


def recoverable(x) -> bool:
    """A death spot whose drops still lie there, no hostile mob about it (going back would mostly die
    again, and a new kit is cheap), and a pickaxe to tunnel back to it with."""
    spot = getattr(x, "death_spot", None)
    if spot is None:
        return False
    mobs = x.hunter.mobs
    if int(x.sim.e.pi[TICK]) - spot[1] > RECOVER_TICKS or mobs.nearest(mobs.hostile, DANGER, spot[0]) is not None:
        x.death_spot = None
        return False
    return x.runner.can_dig()


def recover(x):
    """Travel above the death spot, tunnel down to it and pick up what lies about; once only."""
    (px, py, pz), _ = x.death_spot
    x.death_spot = None
    deaths = x.deaths
    goal = (math.floor(px), math.floor(py), math.floor(pz))
    x.stage = f"recover drops at {goal}"
    yield from x.runner.travel((goal[0], goal[2]))
    for _ in range(LEGS):
        if math.dist(x.wv.pos, (px, py, pz)) < NEAR or x.out_of_time() or x.deaths > deaths:
            break
        yield from x.runner.dig_hand()
        steps, _ = x.planner().search(x.wv.cell, lambda c: max(abs(a - b) for a, b in zip(c, goal)) <= 1,
                                      (px, py, pz), 4000, 2.0)
        ok = yield from skills.follow(x.body, steps, place_item=x.runner.filler(), sprint=False, limit=30)
        if not (ok and steps):
            yield from x.hunter.jiggle()
    if x.deaths == deaths:
        yield from x.hunter.pick_up(around=(px, py, pz), radius=6.0, max_items=16)
