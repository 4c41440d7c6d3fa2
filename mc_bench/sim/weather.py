"""Weather, on only where the start condition asks for it (``pi[WEATHER]``): the rain and thunder cycle of
1.11's ``WorldServer.updateWeather`` and lightning in thunderstorms (``EntityLightningBolt``). Numbers:
``blocks.yaml`` ``weather`` (``R.world.weather``, columns ``WX_*``).

A fresh world starts clear with both timers at 0, as a new vanilla world does, so the first rain comes
12000-180000 ticks in. Lightning acts at once and once (vanilla's bolt lingers 2-3 ticks, which the
invulnerability window makes one hit). Simplified: rain does not dim the sky, hurt endermen, put out
fires or change mob spawning; struck entities are not set on fire (the rain would put it out); pigs are
not turned into zombie pigmen.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.rules.mobs import ATK_FUSE, I_ATTACK
from mc_bench.rules.world_rules import (
    P_BURN_MAX,
    P_BURN_MIN,
    P_FIRE,
    W_RAIN,
    WX_AIM,
    WX_BIOME0,
    WX_CHANCE,
    WX_DAMAGE,
    WX_FIRES,
    WX_HEIGHT,
    WX_RAIN_ABOVE,
    WX_RAIN_OFF,
    WX_RAIN_ON,
    WX_RAMP,
    WX_REACH,
    WX_RGB,
    WX_STORM_ABOVE,
    WX_THUNDER_OFF,
    WX_THUNDER_ON,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.mob_base import hurt_mob, kill
from mc_bench.sim.state import (
    DEAD,
    ECHARGED,
    ECOLOR,
    EH,
    EHP,
    EKIND,
    ENT_CAP,
    EW,
    EX,
    EY,
    EZ,
    KIND_FREE,
    KIND_ITEM,
    KIND_MOB0,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
    RAINING,
    RAINSTR,
    RAINTIME,
    THUNDERING,
    THUNDERSTR,
    THUNDERTIME,
    TICK,
    WEATHER,
)
from mc_bench.sim.vitals import hurt
from mc_bench.sim.world import MASK, is_loaded, schedule, set_state

__all__ = ["is_raining", "rain_top", "raining_at", "storming", "strike", "weather_tick"]


@kernel
def weather_tick(w, R, pf, pi, ef, ei, stats, rs, radius):
    """Advance the thunder and rain timers (thunder first, as vanilla), ramp the strengths, and in a
    thunderstorm roll lightning for every loaded chunk (``radius`` chunks around the player)."""
    if not pi[WEATHER]:
        return
    W = R.world.weather
    _cycle(pi, rs, THUNDERING, THUNDERTIME, W, WX_THUNDER_ON, WX_THUNDER_OFF)
    _cycle(pi, rs, RAINING, RAINTIME, W, WX_RAIN_ON, WX_RAIN_OFF)
    pf[THUNDERSTR] = _ramp(pf[THUNDERSTR], pi[THUNDERING], W[WX_RAMP])
    pf[RAINSTR] = _ramp(pf[RAINSTR], pi[RAINING], W[WX_RAMP])
    if storming(pf, W):
        _lightning(w, R, pf, pi, ef, ei, stats, rs, radius)


@kernel(inline="always")
def _cycle(pi, rs, flag, timer, W, on, off):
    """A timer at 0 draws the length of the current state; one that runs out flips the flag."""
    t = pi[timer]
    if t <= 0:
        c = on if pi[flag] else off
        pi[timer] = np.int64(W[c]) + rng.next_int(rs, np.int64(W[c + 1] - W[c]))
    else:
        pi[timer] = t - 1
        if t - 1 <= 0:
            pi[flag] = 1 - pi[flag]


@kernel(inline="always")
def _ramp(v, on, step):
    return min(v + step, 1.0) if on else max(v - step, 0.0)


@kernel
def is_raining(pf, W):
    """World.isRaining: the rain strength is over rain_above."""
    return pf[RAINSTR] > W[WX_RAIN_ABOVE]


@kernel
def storming(pf, W):
    """World.isThundering: rain strength times thunder strength over storm_above."""
    return pf[RAINSTR] * pf[THUNDERSTR] > W[WX_STORM_ABOVE]


@kernel
def raining_at(w, R, pf, x, y, z):
    """World.isRainingAt: raining, open sky at cell (x, y, z), and rain (not snow, not dry) in its biome."""
    W = R.world.weather
    if not is_raining(pf, W) or y < rain_top(w, R, x, z):
        return False
    c = R.mobs.slot_biome[(x >> 4) & 7, (z >> 4) & 7]  # the spawner's per-chunk biome cache
    kind = W[WX_BIOME0 + c[2]] if c[0] == x >> 4 and c[1] == z >> 4 else W_RAIN
    return kind == W_RAIN


@kernel
def rain_top(w, R, x, z):
    """The precipitation height of column (x, z): above its highest collidable or liquid block (-1 unloaded)."""
    if not is_loaded(w, x, z):
        return -1
    col = w.blocks[x & MASK, z & MASK]
    y = int(w.colmax[x & MASK, z & MASK])
    while y >= 0 and not (R.solid[col[y] >> 4] or R.liquid[col[y] >> 4]):
        y -= 1
    return y + 1


@kernel
def _lightning(w, R, pf, pi, ef, ei, stats, rs, radius):
    """Each loaded chunk is struck with chance 1 / WX_CHANCE this tick, at a random column's top, or at
    a living entity under open sky within WX_AIM of it (WorldServer.adjustPosToNearbyEntity)."""
    W = R.world.weather
    pcx, pcz = int(math.floor(pf[PX])) >> 4, int(math.floor(pf[PZ])) >> 4
    for cx in range(pcx - radius, pcx + radius + 1):
        for cz in range(pcz - radius, pcz + radius + 1):
            if rng.next_int(rs, np.int64(W[WX_CHANCE])) != 0:
                continue
            x, z = cx * 16 + rng.next_int(rs, 16), cz * 16 + rng.next_int(rs, 16)
            y = rain_top(w, R, x, z)
            if y < 0:
                continue
            x, y, z = _aim(w, R, pf, pi, ef, ei, rs, x, y, z, W[WX_AIM])
            if raining_at(w, R, pf, x, y, z):
                strike(w, R, pf, pi, ef, ei, stats, rs, x, y, z)


@kernel
def _aim(w, R, pf, pi, ef, ei, rs, x, y, z, r):
    """A random living entity (mob or player) under open sky in the column box of side 2r around
    (x, z) from y up draws the bolt to its feet cell; else (x, y, z)."""
    n = 0
    pick = -2  # -1 = the player, e >= 0 = mob e
    if not pi[DEAD] and abs(pf[PX] - x) <= r + PLAYER_W / 2 and abs(pf[PZ] - z) <= r + PLAYER_W / 2 \
            and pf[PY] + PLAYER_H >= y and _sky(w, R, pf[PX], pf[PY], pf[PZ]):
        n, pick = 1, -1
    for e in range(ENT_CAP):
        if ei[e, EKIND] < KIND_MOB0 or abs(ef[e, EX] - x) > r + ef[e, EW] / 2 or abs(ef[e, EZ] - z) > r + ef[e, EW] / 2:
            continue
        if ef[e, EY] + ef[e, EH] >= y and _sky(w, R, ef[e, EX], ef[e, EY], ef[e, EZ]):
            n += 1
            if rng.next_int(rs, n) == 0:  # reservoir pick: each candidate equally likely
                pick = e
    if pick == -1:
        return int(math.floor(pf[PX])), int(math.floor(pf[PY])), int(math.floor(pf[PZ]))
    if pick >= 0:
        return int(math.floor(ef[pick, EX])), int(math.floor(ef[pick, EY])), int(math.floor(ef[pick, EZ]))
    return x, y, z


@kernel(inline="always")
def _sky(w, R, x, y, z):
    return int(math.floor(y)) >= rain_top(w, R, int(math.floor(x)), int(math.floor(z)))


@kernel
def strike(w, R, pf, pi, ef, ei, stats, rs, x, y, z):
    """A lightning bolt at the corner (x, y, z) of its cell: fire there and around, then every entity
    whose box meets the bolt's box (WX_REACH sideways and down, WX_REACH + WX_HEIGHT up) is hit."""
    W = R.world.weather
    tick = pi[TICK]
    _fire(w, R, rs, x, y, z, tick)
    for _ in range(int(W[WX_FIRES])):
        _fire(w, R, rs, x + rng.next_int(rs, 3) - 1, y + rng.next_int(rs, 3) - 1, z + rng.next_int(rs, 3) - 1, tick)
    r, top = W[WX_REACH], W[WX_REACH] + W[WX_HEIGHT]
    if not pi[DEAD] and _meets(pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H, x, y, z, r, top):
        hurt(pf, pi, W[WX_DAMAGE], 0.1, 0)  # armour applies; a shield cannot block a bolt
    for e in range(ENT_CAP):
        k = ei[e, EKIND]
        if k != KIND_ITEM and k < KIND_MOB0:
            continue
        if not _meets(ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH], x, y, z, r, top):
            continue
        if k == KIND_ITEM:  # EntityItem has 5 health: a bolt destroys it
            ei[e, EKIND] = KIND_FREE
            continue
        _struck_mob(R, ef, ei, stats, rs, e, W)


@kernel(inline="always")
def _struck_mob(R, ef, ei, stats, rs, e, W):
    """Entity.onStruckByLightning: damage; a fuse mob (EntityCreeper) becomes charged."""
    M = R.mobs
    if M.mob_i[ei[e, EKIND] - KIND_MOB0, I_ATTACK] == ATK_FUSE:
        ei[e, ECHARGED] = 1
        ei[e, ECOLOR] = int(W[WX_RGB])
    hurt_mob(M.p, ef, ei, e, W[WX_DAMAGE])
    if ef[e, EHP] <= 0.0:
        kill(R, ef, ei, stats, rs, e, False)


@kernel(inline="always")
def _meets(ex, ey, ez, width, height, x, y, z, r, top):
    h = width / 2
    return ex + h >= x - r and ex - h <= x + r and ez + h >= z - r and ez - h <= z + r and ey + height >= y - r \
        and ey <= y + top


@kernel
def _fire(w, R, rs, x, y, z, tick):
    """Fire in an air cell over a collidable block (BlockFire.canPlaceBlockAt), burning out as usual."""
    if not is_loaded(w, x, z) or y < 1 or y > 255:
        return
    col = w.blocks[x & MASK, z & MASK]
    if col[y] != 0 or not R.solid[col[y - 1] >> 4]:
        return
    P = R.world.p
    set_state(w, x, y, z, np.uint16(P[P_FIRE] << 4))
    schedule(w, x, y, z, tick + P[P_BURN_MIN] + rng.next_int(rs, P[P_BURN_MAX] - P[P_BURN_MIN] + 1), 1)
