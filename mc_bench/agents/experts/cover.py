"""Taking cover: a hurt expert digs a niche into the nearest wall, walls itself in with two blocks, waits
for its health to come back (eating if it can) and breaks out again. Mobs cannot reach or shoot into a
sealed niche, so a fight gone wrong in a cave ends in a pause instead of a death (which, in MineDojo,
drops the whole inventory far from where the plan needs it).
"""

from __future__ import annotations

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.pathing import DIRS4
from mc_bench.sim.state import HEALTH

__all__ = ["take_cover"]

HEALED = 18.0  # health at which the expert breaks out again
MAX_WAIT = 900  # ticks in the niche at most (regeneration: about one point per 80 ticks on a full food bar)


def _niche(x) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """(feet, head) cells of a wall beside the player that can be dug into a closed 1x2 niche."""
    wv = x.wv
    cx, cy, cz = wv.cell
    for dx, dz in DIRS4:
        feet, head = (cx + dx, cy, cz + dz), (cx + dx, cy + 1, cz + dz)
        around = [(cx + dx, cy - 1, cz + dz), (cx + dx, cy + 2, cz + dz)] + [
            (cx + dx + ex, cy + k, cz + dz + ez) for ex, ez in DIRS4 if (ex, ez) != (-dx, -dz) for k in (0, 1)]
        solid = all(wv.is_solid(*c) and wv.block(*c) != -1 for c in [feet, head] + around)
        diggable = all(wv.hardness[wv.block(*c)] >= 0 and not wv.liquid[wv.block(*c)] for c in (feet, head))
        if solid and diggable:
            return feet, head
    return None


def take_cover(x, block: str):
    """Dig in, seal the way in with ``block`` (two are needed), wait to heal, dig out; False if no wall
    beside the player would make a closed niche."""
    niche = _niche(x)
    if niche is None or x.wv.count(block) < 2:
        return False
    feet, head = niche
    door = (x.wv.cell, (x.wv.cell[0], x.wv.cell[1] + 1, x.wv.cell[2]))
    x.stage = "take cover"
    if not (yield from skills.clear_cells(x.body, [head, feet])):
        return False
    if not (yield from skills.walk_to(x.body, feet, centre_on=True, max_ticks=30)):
        return False
    for c in door:
        yield from skills.place_block(x.body, block, c, max_ticks=30)
    pf, deaths = x.sim.e.pf, x.deaths
    for _ in range(MAX_WAIT):
        if pf[HEALTH] >= HEALED or x.out_of_time() or x.deaths > deaths:
            break
        if x.hungry():
            yield from x.eat()
        yield x.body.act()
    if x.deaths > deaths:
        return True  # killed before the door was shut: the respawned body has no niche to dig out of
    yield from skills.clear_cells(x.body, reversed(door))
    return True
