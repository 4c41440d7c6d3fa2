"""Gathering that is mostly waiting: fishing (cast, wait for the bite, reel in) and eggs (picked up where
chickens laid them, or waited for beside the chickens). Both run for a :class:`~.steps.StepRunner`."""

from __future__ import annotations

import math

import numpy as np

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.obtain import reach_cells
from mc_bench.sim.state import EITEM, EKIND, ELAY, EX, EY, EZ, FISHING, KIND_ITEM

__all__ = ["deferred", "eggs", "fish", "lying"]

BITE = 3  # sim/fishing.py's phases: none, wait, approach, bite, on land
WAIT_LEG = 400  # ticks spent by the chickens before looking around again
CAVE_DEPTH = 4  # blocks under the terrain surface from which water counts as a cave pool
CLIMB = 12  # blocks a fisher in a cave climbs to open water; from deeper it fishes a cave pool at hand


def deferred(steps: list) -> list:
    """``steps`` with each egg step moved down to just before the first step that uses its item: hens lay
    on their own clock (the first egg 6000 ticks in), so the rest of the plan is worked on meanwhile."""
    out = list(steps)
    for s in [s for s in steps if s.way.verb == "lay"]:
        out.remove(s)
        item = s.way.out[0]
        at = next((k for k, t in enumerate(out) if any(i == item for i, _, _ in t.way.inputs)), len(out))
        out.insert(at, s)
    return out


def _water_cells(x, states: np.ndarray) -> list[tuple[int, int, int]]:
    """Water sources with air above (a surface the hook lands on), pools before trickles, nearest first;
    from the surface only open water (a cave pool's bank is where monsters spawn)."""
    wv, here = x.wv, x.wv.cell
    cells = x.wv.find_blocks(states, here, 32, here[1] - 16, here[1] + 16, limit=48, states=True)
    cave = _buried(x, here)
    found = [c for c in map(tuple, cells.tolist())
             if wv.is_air_like(c[0], c[1] + 1, c[2]) and (cave or not _buried(x, c))]
    return sorted(found, key=lambda c: not _open(wv, c))  # stable: pools first, each kind nearest first


def _open(wv, c) -> bool:
    """Water on half the cells around too: a cast a little off still lands in it (a trickle's hook lies on
    the bank)."""
    return sum(bool(wv.liquid[max(wv.block(c[0] + dx, c[1], c[2] + dz), 0)])
               for dx in (-1, 0, 1) for dz in (-1, 0, 1) if dx or dz) >= 4


def _depth(x, c) -> int:
    """Blocks from cell ``c`` up to the terrain's top (the generator's)."""
    return x.sim.gen.height_at(c[0], c[2]) - c[1]


def _buried(x, c) -> bool:
    """Cell ``c`` lies in a cave: more than CAVE_DEPTH blocks under the terrain's top."""
    return _depth(x, c) > CAVE_DEPTH


def fish(r, way, done, max_casts: int = 60):
    """Stand on the bank of the nearest open water, cast, reel in on the bite (privileged: the hook's
    phase), pick up the catch; until ``done()``."""
    x = r.x
    states = np.array(sorted(s for s in way.states if s & 15 == 0))
    missed: set = set()  # water cells a cast fell short of (the hook landed on the bank)
    for _ in range(max_casts):
        if done() or x.out_of_time() or not r.holds(way.tools):  # a death took the rod
            break
        water = [c for c in _water_cells(x, states) if c not in missed]
        depth = _depth(x, x.wv.cell)
        if depth > CAVE_DEPTH and r.can_dig() and (not water or depth <= CLIMB):
            yield from r.surface()  # no monsters spawn on the bank of open water
            water = [c for c in _water_cells(x, states) if c not in missed]
        if not water:
            missed.clear()
            yield from x.hunter.explore()
            continue
        spot = water[0]
        goals = {c for c in reach_cells(spot) | _bank(spot) if c != spot and not x.wv.liquid[max(x.wv.block(*c), 0)]}
        if x.wv.cell not in goals:  # a cast from further off may fall on the land between
            steps, _ = x.path_to(goals, spot, max_nodes=4000, weight=2.0)
            yield from skills.follow(x.body, steps, limit=40)
            yield x.body.act()
            if x.wv.cell not in goals:
                missed.add(spot)
            continue
        if (yield from _cast_and_reel(x, spot)) is None:
            missed.add(spot)
    return done()


def _bank(c) -> set:
    x, y, z = c
    return {(x + dx, y + 1, z + dz) for dx in range(-3, 4) for dz in range(-3, 4)}


def _cast_and_reel(x, spot, patience: int = 900):
    """One cast at ``spot``; wait for the bite and reel in (a fresh press each)."""
    pi, body = x.sim.e.pi, x.body
    yield from skills.look_at(body, (spot[0] + 0.5, spot[1] + 0.9, spot[2] + 0.5), tol=2.0)
    yield body.act(use=1)
    yield body.act()
    if pi[FISHING] == 0 or pi[FISHING] == 4:  # nothing cast, or the hook lies on land: None, cast elsewhere
        yield body.act(use=1) if pi[FISHING] == 4 else body.act()
        return None
    for _ in range(patience):
        if pi[FISHING] == BITE:
            yield body.act(use=1)
            yield from skills.idle(body, 4)
            yield from x.trees.pick_up(radius=3.0)
            return True
        if pi[FISHING] == 0:
            return False
        yield body.act()
    return False


def lying(x, item: int) -> list[tuple[float, float, float]]:
    """Where item entities of ``item`` lie in the loaded world, nearest first."""
    e = x.sim.e
    idx = np.flatnonzero((e.ei[:, EKIND] == KIND_ITEM) & (e.ei[:, EITEM] == item))
    pts = e.ef[idx][:, [EX, EY, EZ]]
    order = np.argsort(np.linalg.norm(pts - np.asarray(x.wv.pos), axis=1))
    return [tuple(p) for p in pts[order].tolist()]


def eggs(r, way, done, max_legs: int = 40):
    """Pick up the eggs lying about; with none, go among the chickens and wait for one to lay."""
    x = r.x
    kind = x.sim.rules.mob_kind(way.source)
    for _ in range(max_legs):
        if done() or x.out_of_time():
            break
        pts = lying(x, way.out[0])
        if pts:
            yield from _fetch(x, pts[0])
            continue
        near = x.hunter.targets(np.array([kind], np.int32))
        if not near:
            yield from x.hunter.explore()
            continue
        hen = _soonest(x, near)
        if x.hunter.dist(hen) > 6.0:
            yield from x.hunter.approach(hen, kind)
        for _ in range(WAIT_LEG):
            if lying(x, way.out[0]) or x.out_of_time():
                break
            yield x.body.act()
    return done()


def _soonest(x, hens: list[int]) -> int:
    """The hen due to lay first (privileged: its timer), walking time counted: only mobs near the player
    are ticked, so waiting beside the nearest one may mean waiting out its whole timer."""
    ei = x.sim.e.ei
    return min(hens, key=lambda i: int(ei[i, ELAY]) + 20.0 * x.hunter.dist(i))


def _fetch(x, p):
    """Walk onto the item at ``p`` (A* to its cell, then a step onto it)."""
    cell = (math.floor(p[0]), math.floor(p[1] + 0.1), math.floor(p[2]))
    steps, _ = x.path_to({cell, (cell[0], cell[1] + 1, cell[2])}, p, max_nodes=3000, weight=2.0)
    yield from skills.follow(x.body, steps, limit=40)
    yield from skills.idle(x.body, 3)
