"""Farming (1.11 ItemHoe, ItemSeeds, BlockCrops, ItemDye bone meal): till, plant, grow.

Crops grow by timers instead of random ticks: a crop's next stage is due after a geometric number
of ticks with the per-tick chance of Minecraft's random ticks (3 per 4096 blocks of a section) times
the growth chance of ``blocks.yaml`` ``crops``, drawn when the crop is planted or grows. Only crops
planted this episode grow by themselves (generated village crops keep their age unless fertilised);
the growth chance is fixed when the timer is drawn.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.rules.world_rules import (
    BK_CROP,
    BK_PLANT_ON,
    BK_TILL,
    P_FARMLAND,
    P_WATER_ROW,
    P_WET_R,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.fluids import fluid_of
from mc_bench.sim.world import get_state, schedule, set_state

RANDOM_TICK_CHANCE = 3.0 / 4096.0  # random ticks per block per game tick (3 per 16^3 section)
DX4 = np.array([0, 0, -1, 1])
DZ4 = np.array([-1, 1, 0, 0])


@kernel
def till(w, W, x, y, z, face):
    """Hoe on any face but the bottom of grass/dirt with air above: farmland; True if tilled."""
    b = get_state(w, x, y, z) >> 4
    if face == 0 or not W.blk[b, BK_TILL] or get_state(w, x, y + 1, z) != 0:
        return False
    return set_state(w, x, y, z, np.uint16(W.p[P_FARMLAND] << 4))


@kernel
def plant(w, W, x, y, z, face, block, row, needs_water, tick, rs):
    """Seed-like item on the top face of an allowed soil with air above; crops start their growth timer."""
    soil = get_state(w, x, y, z)
    if face != 1 or not (W.blk[soil >> 4, BK_PLANT_ON] >> row) & 1 or get_state(w, x, y + 1, z) != 0:
        return False
    if needs_water and not _beside_water(w, W, x, y, z):
        return False
    set_state(w, x, y + 1, z, np.uint16(block << 4))
    if W.blk[block, BK_CROP]:
        schedule_growth(w, W, x, y + 1, z, tick, rs)
    return True


@kernel
def _beside_water(w, W, x, y, z):
    for d in range(4):
        if fluid_of(W, get_state(w, x + DX4[d], y, z + DZ4[d])) == W.p[P_WATER_ROW]:
            return True
    return False


@kernel
def _wet(w, W, x, y, z):
    """BlockFarmland.hasWater: water within wet_radius sideways, at the soil's level or one above."""
    r = W.p[P_WET_R]
    water = W.p[P_WATER_ROW]
    for dx in range(-r, r + 1):
        for dz in range(-r, r + 1):
            for dy in range(2):
                if fluid_of(W, get_state(w, x + dx, y + dy, z + dz)) == water:
                    return True
    return False


@kernel
def growth_chance(w, W, x, y, z):
    """Chance that a random tick grows the crop at (x, y, z): 1 / (floor(25 / f) + 1)."""
    wet = _wet(w, W, x, y - 1, z)
    f = 1.0 + (3.0 if wet else 1.0)
    for dx in range(-1, 2):
        for dz in range(-1, 2):
            if (dx != 0 or dz != 0) and (get_state(w, x + dx, y - 1, z + dz) >> 4) == W.p[P_FARMLAND]:
                f += 0.75 if wet else 0.25
    return 1.0 / (math.floor(25.0 / f) + 1.0)


@kernel
def schedule_growth(w, W, x, y, z, tick, rs):
    """Time the crop's next stage: the first success of a per-tick chance, drawn geometrically."""
    p = RANDOM_TICK_CHANCE * growth_chance(w, W, x, y, z)
    u = rng.next_float(rs)
    delay = 1 + math.floor(math.log(1.0 - u) / math.log(1.0 - p))
    schedule(w, x, y, z, tick + delay, 1)


@kernel
def grow(w, W, x, y, z, stages, retime, tick, rs):
    """Age the crop at (x, y, z) by ``stages`` (capped); ``retime``: draw its next timer (a timer ran
    out; bone meal leaves the running timer alone). False if there is no unripe crop on soil."""
    s = get_state(w, x, y, z)
    top = W.blk[s >> 4, BK_CROP]
    age = np.int64(s & 15)
    if top == 0 or age >= top or (get_state(w, x, y - 1, z) >> 4) != W.p[P_FARMLAND]:
        return False
    age = min(top, age + stages)
    set_state(w, x, y, z, np.uint16((s >> 4) << 4 | age))
    if retime and age < top:
        schedule_growth(w, W, x, y, z, tick, rs)
    return True
