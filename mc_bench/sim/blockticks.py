"""The world's own tick: block updates after changes (liquids, plants losing their support) and timers
(TNT fuses, fire burning out, crop growth), from the queue in ``World`` (see sim/world.py).

Only changed cells and their neighbours are looked at, so a quiet world costs two comparisons per
tick, and only loaded chunks update (an update of a cell that left the buffer is dropped).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.rules.world_rules import (
    BK_CROP,
    BK_FLUID,
    BK_SOIL,
    FL_RATE,
    P_CHAIN_MAX,
    P_CHAIN_MIN,
    P_FIRE,
    P_LAVA_ROW,
    P_TNT,
    P_TNT_LIT,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel, njit
from mc_bench.sim.explosions import explode
from mc_bench.sim.farming import grow
from mc_bench.sim.fluids import fluid_of, fluid_update, mix_lava
from mc_bench.sim.interact import copy_row, spawn_drops
from mc_bench.sim.state import (
    EAGE,
    EITEM,
    EKIND,
    ENT_CAP,
    EX,
    EY,
    EZ,
    KIND_FREE,
    KIND_ITEM,
    TICK,
)
from mc_bench.sim.world import (
    MASK,
    Q_DUE,
    Q_KIND,
    Q_X,
    Q_Y,
    Q_Z,
    U_NCHANGED,
    U_NEXT,
    U_NQUEUE,
    UNLOADED,
    get_state,
    schedule,
    set_state,
)

NX = np.array([0, 0, 0, 0, 0, -1, 1])
NY = np.array([0, -1, 1, 0, 0, 0, 0])
NZ = np.array([0, 0, 0, -1, 1, 0, 0])


@kernel
def world_tick(w, R, pf, pi, ef, ei, stats, rs):
    """Turn this tick's changes into updates, then run the updates and timers that are due."""
    tick = pi[TICK]
    if w.upd[U_NCHANGED] > 0:
        _drain_changes(w, R.world, tick)
    if w.upd[U_NQUEUE] > 0 and tick >= w.upd[U_NEXT]:
        _run_due(w, R, pf, pi, ef, ei, stats, rs, tick)
        if w.upd[U_NCHANGED] > 0:  # what the updates changed is due a full rate from now, not one tick later
            _drain_changes(w, R.world, tick)


@kernel
def _drain_changes(w, W, tick):
    """A changed cell updates itself and its six neighbours: fluids after their rate, lava touching
    water at once, plants above at the next tick (they may have lost their soil)."""
    n = w.upd[U_NCHANGED]
    w.upd[U_NCHANGED] = 0
    for c in range(n):
        x0, y0, z0 = w.changed[c, 0], w.changed[c, 1], w.changed[c, 2]
        for d in range(7):
            x, y, z = x0 + NX[d], y0 + NY[d], z0 + NZ[d]
            s = get_state(w, x, y, z)
            if s == 0 or s == UNLOADED or y < 0 or y > 255:
                continue
            k = fluid_of(W, s)
            if k >= 0:
                if k == W.p[P_LAVA_ROW] and mix_lava(w, W, x, y, z):
                    continue
                schedule(w, x, y, z, tick + W.fluid[k, FL_RATE], 0)
            elif d == 2 and W.blk[s >> 4, BK_SOIL]:
                schedule(w, x, y, z, tick + 1, 0)


@kernel
def _run_due(w, R, pf, pi, ef, ei, stats, rs, tick):
    """Take the due entries out of the queue (keeping the order of the rest), then run them."""
    n = w.upd[U_NQUEUE]
    keep, nready, nxt = 0, 0, np.int64(1) << 62
    for i in range(n):
        if w.queue[i, Q_DUE] <= tick:
            copy_row(w.ready, nready, w.queue, i)
            nready += 1
        else:
            if keep != i:
                copy_row(w.queue, keep, w.queue, i)
            nxt = min(nxt, w.queue[keep, Q_DUE])
            keep += 1
    w.upd[U_NQUEUE] = keep
    w.upd[U_NEXT] = nxt
    for i in range(nready):
        x, y, z = w.ready[i, Q_X], w.ready[i, Q_Y], w.ready[i, Q_Z]
        if w.ready[i, Q_KIND] == 0:
            w.sched[x & MASK, z & MASK, y] = 0
            _update(w, R, ef, ei, rs, x, y, z, tick)
        else:
            _timer(w, R, pf, pi, ef, ei, stats, rs, x, y, z, tick)


@kernel
def _update(w, R, ef, ei, rs, x, y, z, tick):
    W = R.world
    s = get_state(w, x, y, z)
    if s == UNLOADED:
        return
    b = s >> 4
    if W.blk[b, BK_FLUID]:
        fluid_update(w, W, x, y, z, tick)
    elif W.blk[b, BK_SOIL] and not _supported(R, b, get_state(w, x, y - 1, z)):
        set_state(w, x, y, z, np.uint16(0))  # BlockBush.checkAndDropBlock
        spawn_drops(R, ef, ei, rs, b, s & 15, x, y, z)


@kernel
def _supported(R, b, below):
    """A plant stands on a solid block (farmland included) or on its own kind (sugar cane stacks)."""
    return below == UNLOADED or R.solid[below >> 4] != 0 or (below >> 4) == b


@kernel
def _timer(w, R, pf, pi, ef, ei, stats, rs, x, y, z, tick):
    """TNT fuse: explode; fire: burn out; crop: grow a stage."""
    W = R.world
    s = get_state(w, x, y, z)
    if s == UNLOADED:
        return
    b = s >> 4
    if b == W.p[P_TNT] and s & W.p[P_TNT_LIT]:
        _blow_tnt(w, R, pf, pi, ef, ei, stats, rs, x, y, z, tick)
    elif b == W.p[P_FIRE]:
        set_state(w, x, y, z, np.uint16(0))
    elif W.blk[b, BK_CROP]:
        grow(w, W, x, y, z, 1, True, tick, rs)


@njit(_nrt=True)  # allocates
def _blow_tnt(w, R, pf, pi, ef, ei, stats, rs, x, y, z, tick):
    """Explode the TNT at (x, y, z); TNT the blast breaks is lit with a short fuse instead of dropping."""
    W = R.world
    tnt, lit = W.p[P_TNT], W.p[P_TNT_LIT]
    r = int(math.ceil(W.power[0]))
    near = np.empty(((2 * r + 1) ** 3, 3), np.int64)
    n = 0
    for a in range(x - r, x + r + 1):
        for b in range(y - r, y + r + 1):
            for c in range(z - r, z + r + 1):
                if (get_state(w, a, b, c) >> 4) == tnt and (a != x or b != y or c != z):
                    near[n, 0], near[n, 1], near[n, 2] = a, b, c
                    n += 1
    set_state(w, x, y, z, np.uint16(0))
    explode(w, R, pf, pi, ef, ei, stats, rs, x + 0.5, y + 0.5, z + 0.5, W.power[0])
    if n == 0:
        return
    for k in range(n):
        a, b, c = near[k, 0], near[k, 1], near[k, 2]
        if get_state(w, a, b, c) == 0:
            set_state(w, a, b, c, np.uint16(tnt << 4 | lit))
            fuse = W.p[P_CHAIN_MIN] + rng.next_int(rs, W.p[P_CHAIN_MAX] - W.p[P_CHAIN_MIN] + 1)
            schedule(w, a, b, c, tick + fuse, 1)
    for e in range(ENT_CAP):  # the blast's drops of that TNT, spawned this tick
        if ei[e, EKIND] == KIND_ITEM and ei[e, EITEM] == tnt and ei[e, EAGE] == 0:
            if abs(ef[e, EX] - x) <= r + 1 and abs(ef[e, EY] - y) <= r + 1 and abs(ef[e, EZ] - z) <= r + 1:
                ei[e, EKIND] = KIND_FREE
