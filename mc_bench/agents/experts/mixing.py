"""Obsidian as players make it: water poured beside a lava source hardens the lava (``lava_mixing`` in
``blocks.yaml``), and the hardened block is mined. Runs the planner's ``pour`` steps for a
:class:`~.steps.StepRunner`; natural obsidian is rare, lava is not.

Lava under the ground mostly lies in closed pockets, so the expert tunnels to a cell two blocks off a
lava source, opens the block between, and pours the water into the opening before the lava flows (its
rate is 30 ticks). The water stays while the hardened block is mined: lava that the mining opens up
meets it and hardens too, and the drops fall into water, not lava. The water is taken back in the
bucket before the next pour elsewhere.
"""

from __future__ import annotations

import numpy as np

from mc_bench.agents.experts import skills
from mc_bench.tasks.itemgraph import rules_yaml

__all__ = ["harden", "lava_sources"]

LAVA = "lava"
SIDES = ((1, 0), (-1, 0), (0, 1), (0, -1))
SETTLE = 40  # ticks for the lava's update (its rate is 30) to see the water
ROUNDS = 40  # rounds in a row without a hardened block mined: the step fails, and the plan turns elsewhere


def lava_level() -> int:
    """The height under which world generation floods caves with lava (``worldgen.yaml``)."""
    return int(rules_yaml("worldgen.yaml")["caves"]["lava_below"])


def lava_sources(R) -> frozenset:
    """Block states of still lava sources (the states a ``pour`` way is priced and run at)."""
    return frozenset({R.block_id[LAVA] << 4})


def _spots(x, lava: np.ndarray, skip: set) -> list[tuple]:
    """(stand, opening) pairs, nearest first: an ``opening`` cell beside a lava source (air, or a block to
    break) over a solid floor, and the ``stand`` cell past it on the same line, dry and not over lava."""
    wv, here = x.wv, x.wv.cell
    out = []
    for c in map(tuple, wv.find_blocks(lava, here, 32, here[1] - 24, here[1] + 24, limit=48, states=True).tolist()):
        for dx, dz in SIDES:
            a, s = (c[0] + dx, c[1], c[2] + dz), (c[0] + 2 * dx, c[1], c[2] + 2 * dz)
            if a in skip or not all(_dry_or_diggable(wv, p) for p in (a, s, (s[0], s[1] + 1, s[2]))):
                continue
            if any(wv.liquid[max(wv.block(p[0] + ex, p[1] + 1, p[2] + ez), 0)] for p in (a, c)
                   for ex, ez in SIDES + ((0, 0),)):
                continue  # lava over the opening's level would pour down on the player
            if all(wv.is_solid(p[0], p[1] - 1, p[2]) and wv.block(p[0], p[1] - 1, p[2]) != -1 for p in (a, s)):
                out.append((s, a))
    return out


def _dry_or_diggable(wv, c) -> bool:
    b = wv.block(*c)
    return b == 0 or b > 0 and not wv.liquid[b] and (wv.is_air_like(*c) or wv.hardness[b] >= 0)


def _pour_into(x, cell, bucket: str):
    """Break ``cell`` if a block stands there, then look at the top of the floor under it and pour."""
    wv = x.wv
    if not wv.is_air_like(*cell):
        if not (yield from skills.break_cell(x.body, cell, max_ticks=200)):
            return False
    yield from x.equip(bucket)
    floor = (cell[0], cell[1] - 1, cell[2])
    point = (floor[0] + 0.5, floor[1] + 1.0, floor[2] + 0.5)
    for _ in range(20):
        cam = x.body.turn_to_point(point)
        ready = x.body.target() == floor and x.body.aim_error(point) < 10.0
        yield x.body.act(camera=cam, use=int(ready))
        if ready:
            yield x.body.act()
            return True
    return False


def _take_back(r, cell, bucket: str):
    """Walk back within reach of the water source poured into ``cell`` and fill the empty bucket there,
    from a cell whose line of sight to it crosses no water flowing off it (the bucket's ray stops there)."""
    x = r.x
    wv = x.wv
    if not wv.count(bucket) or wv.block(*cell) <= 0 or not wv.liquid[wv.block(*cell)]:
        return False
    goals = {(cell[0] + dx, cell[1] + dy, cell[2] + dz) for dx in range(-2, 3) for dz in range(-2, 3) for dy in (0, 1)}
    goals.discard(cell)
    point = (cell[0] + 0.5, cell[1] + 0.8, cell[2] + 0.5)  # the source's top: rays to it pass over its outflow
    goals = {g for g in goals if r._clear((g[0] + 0.5, g[1] + 1.62, g[2] + 0.5), cell, point, wet=True)} or goals
    steps, _ = x.path_to(goals, cell, max_nodes=3000, weight=2.0)
    yield from skills.follow(x.body, steps, limit=40)
    yield from x.equip(bucket)
    for _ in range(30):  # turned onto the source first: a use on the way hits the wrong cell
        ready = x.body.aim_error(point) < 5.0
        yield x.body.act(camera=x.body.turn_to_point(point), use=int(ready))
        if ready:
            yield x.body.act()
        if not wv.liquid[max(wv.block(*cell), 0)]:
            return True
    return False


def harden(r, step, key, water: str = "water_bucket", empty: str = "bucket"):
    """Mine blocks of the step's states in reach; with none, tunnel beside the nearest lava source and
    pour water on it; until the step's level is held, or ROUNDS in a row bring no block (eight blocks
    take several pockets of lava: a budget for the whole step would fail it while it still gains)."""
    x, w = r.x, step.way
    done = r._done(step, key)
    lava = np.array(sorted(lava_sources(r.R)))
    hard = np.array(sorted(w.states))
    mine_tools = w.tools[1:]
    tried: set = set()
    given_up: set = set()
    poured = None
    idle, held = 0, r.count(key)
    while idle < ROUNDS and not done() and not x.out_of_time():
        now = r.count(key)
        idle = 0 if now > held else idle + 1
        held = max(held, now)
        found = r.nearest_cells(hard, given_up)
        if found:
            if not (yield from r.reach_and_break(found, mine_tools)):
                given_up.add(found[0])
            continue
        if not x.wv.count(water) and poured is not None:
            yield from _take_back(r, poured, empty)
        if not x.wv.count(water):
            return False
        spots = _spots(x, lava, tried)
        if not spots and x.wv.cell[1] > lava_level() + 4 and r.can_dig():
            yield from r.descend_to(lava, lava_level())  # caves under it are flooded with lava
            continue
        if not spots:
            yield from x.hunter.explore()
            continue
        stand, opening = spots[0]
        tried.add(opening)
        yield from r.dig_hand()
        steps, _ = x.path_to({stand}, opening, max_nodes=4000, weight=4.0, avoid_water_digging=True)
        yield from skills.follow(x.body, steps, place_item=r.filler(), sprint=False, limit=60)
        if x.wv.cell != stand:
            continue
        yield from r.hold(mine_tools)
        if (yield from _pour_into(x, opening, water)):
            poured = opening
            yield from skills.idle(x.body, SETTLE)
    return done()
