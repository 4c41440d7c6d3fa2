"""The use key (right click) on blocks: buckets, hoes, seeds, igniters, bone meal, fishing rods and loot chests.

What each held item does is data (``blocks.yaml`` ``use``, compiled to ``WorldRules.itm``). An action
runs once per press (rising edge), aimed at the targeted block and face. Every successful action
counts ``stats[ST_USE, item]``; opening a chest does not. Our rule for MineDojo's ``use`` statistic:
a press with an item that has no right-click action at all (compass, clock, redstone dust, ...)
counts one use too; items whose action another system runs (food, armour, shields, the
``use.elsewhere`` list, and ``use.counted_elsewhere``: the bow, whose shot counts in ``sim/mobs.py``)
and block items (placed with the place action) do not. A fishing rod casts and reels in (``sim/fishing.py``);
only a cast counts.

Buckets aim with a ray that stops at the first liquid cell (vanilla's passes through flowing
liquid to the source behind it); only a source fills the bucket.

Chests: a generated chest (facing meta 2-5) holds village loot drawn when it is opened; opening
moves the loot straight into the inventory (no chest screen; what does not fit drops at the
player's feet) and leaves an empty meta-0 chest, like one the player placed.
"""

from __future__ import annotations

import numpy as np

from mc_bench.rules.world_rules import (
    FL_FILLED,
    FL_STILL,
    IT_A,
    IT_B,
    IT_C,
    IT_USE,
    L_CUM,
    L_ITEM,
    L_MAX,
    L_META,
    L_MIN,
    P_BURN_MAX,
    P_BURN_MIN,
    P_CHEST,
    P_FUSE,
    P_ROLL_MAX,
    P_ROLL_MIN,
    P_TNT,
    P_TNT_LIT,
    U_FERTILIZE,
    U_FILL,
    U_FISH,
    U_IGNITE,
    U_NONE,
    U_PLANT,
    U_POUR,
    U_TILL,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.farming import grow, plant, till
from mc_bench.sim.fishing import fish_use, line_tick
from mc_bench.sim.fluids import fluid_of
from mc_bench.sim.interact import (
    FACE_DX,
    FACE_DY,
    FACE_DZ,
    held_item,
    inv_add,
    inv_take,
    placement_cell,
    raycast_block,
    spawn_item,
    wear,
)
from mc_bench.sim.physics import eye_y, look_vector
from mc_bench.sim.state import (
    FISHING,
    IT_COUNT,
    IT_ID,
    IT_META,
    PITCH,
    PX,
    PY,
    PZ,
    REACH,
    SLOT,
    ST_USE,
    TBX,
    TBY,
    TBZ,
    TFACE,
    TICK,
    TVALID,
    USEPREV,
    YAW,
)
from mc_bench.sim.world import get_state, schedule, set_state


@kernel
def use_item_tick(w, R, pf, pi, inv, ef, ei, stats, rs, use):
    """A fresh press of use: open a targeted chest, else the held item's action. Runs before the
    equipment's use tick, which keeps pi[USEPREV] (use held last tick). A cast fishing line ticks here."""
    W = R.world
    if pi[FISHING]:
        line_tick(w, W, pf, pi, inv, rs)
    if not use or pi[USEPREV]:
        return
    if pi[TVALID] and (get_state(w, pi[TBX], pi[TBY], pi[TBZ]) >> 4) == W.p[P_CHEST]:
        open_chest(w, W, R, pf, pi, inv, ef, ei, rs, pi[TBX], pi[TBY], pi[TBZ])
        return
    item = held_item(inv, pi)
    if item == 0:
        return
    kind = W.itm[item, IT_USE]
    if kind == U_NONE:
        if item >= 256 and R.wear_slot[item] < 0 and not R.shield[item]:
            stats[ST_USE, item] += 1  # no right-click action: the press itself is the use
        return
    if _act(w, W, R, pf, pi, inv, ef, ei, rs, item, kind):
        stats[ST_USE, item] += 1


@kernel
def _act(w, W, R, pf, pi, inv, ef, ei, rs, item, kind):
    slot = pi[SLOT]
    if kind == U_FILL:
        return _fill(w, W, R, pf, pi, inv, ef, ei, rs, slot)
    if kind == U_FISH:
        return fish_use(w, W, R, pf, pi, inv, ef, ei, rs, slot)
    if not pi[TVALID]:
        return False
    x, y, z, face = pi[TBX], pi[TBY], pi[TBZ], pi[TFACE]
    a = W.itm[item]
    if kind == U_POUR:
        return _pour(w, W, R, inv, slot, x, y, z, face, a[IT_A], a[IT_B])
    if kind == U_TILL:
        ok = till(w, W, x, y, z, face)
        if ok:
            wear(inv, slot, 1, R.max_damage)
        return ok
    if kind == U_PLANT:
        ok = plant(w, W, x, y, z, face, a[IT_A], a[IT_B], a[IT_C], pi[TICK], rs)
        if ok:
            inv_take(inv, slot, 1)
        return ok
    if kind == U_IGNITE:
        ok = _ignite(w, W, x, y, z, face, a[IT_A], pi[TICK], rs)
        if ok:
            wear(inv, slot, a[IT_B], R.max_damage)
        return ok
    if kind == U_FERTILIZE:
        if inv[slot, IT_META] != a[IT_A]:
            return False
        ok = grow(w, W, x, y, z, a[IT_B] + rng.next_int(rs, a[IT_C] - a[IT_B] + 1), False, pi[TICK], rs)
        if ok:
            inv_take(inv, slot, 1)
        return ok
    return False


@kernel
def _swap_one(R, inv, slot, new_item, ef, ei, rs, pf):
    """Turn one item of the held stack into ``new_item`` (a stack of empty buckets gives one up)."""
    if inv[slot, IT_COUNT] == 1:
        inv[slot, IT_ID], inv[slot, IT_META] = new_item, 0
        return
    inv_take(inv, slot, 1)
    left = inv_add(inv, new_item, 0, 1, R.stack_size)
    if left:
        spawn_item(ef, ei, rs, new_item, 0, left, pf[PX], pf[PY] + 1.0, pf[PZ], 40)


@kernel
def _fill(w, W, R, pf, pi, inv, ef, ei, rs, slot):
    """Empty bucket at the first liquid source along the look ray (ItemBucket with liquids hit)."""
    dx, dy, dz = look_vector(pf[PITCH], pf[YAW])
    hit, x, y, z, _ = raycast_block(w, W.no_liquid, pf[PX], eye_y(pf, pi), pf[PZ], dx, dy, dz, REACH)
    if not hit:
        return False
    s = get_state(w, x, y, z)
    k = fluid_of(W, s)
    if k < 0 or (s & 15) != 0 or W.fluid[k, FL_FILLED] == 0:
        return False
    set_state(w, x, y, z, np.uint16(0))
    _swap_one(R, inv, slot, W.fluid[k, FL_FILLED], ef, ei, rs, pf)
    return True


@kernel
def _pour(w, W, R, inv, slot, x, y, z, face, k, empty):
    """Filled bucket: a source in the targeted cell if replaceable, else on the targeted face."""
    ok, x, y, z = placement_cell(w, R, x, y, z, face)
    if not ok:
        return False
    set_state(w, x, y, z, np.uint16(W.fluid[k, FL_STILL] << 4))
    inv[slot, IT_ID], inv[slot, IT_META] = empty, 0
    return True


@kernel
def _ignite(w, W, x, y, z, face, fire, tick, rs):
    """Igniter on TNT lights its fuse; on another block's face, fire in the air cell there."""
    s = get_state(w, x, y, z)
    if (s >> 4) == W.p[P_TNT]:
        if s & W.p[P_TNT_LIT]:
            return False
        set_state(w, x, y, z, np.uint16(s | W.p[P_TNT_LIT]))
        schedule(w, x, y, z, tick + W.p[P_FUSE], 1)
        return True
    if face < 0:
        return False
    fx, fy, fz = x + FACE_DX[face], y + FACE_DY[face], z + FACE_DZ[face]
    if get_state(w, fx, fy, fz) != 0:
        return False
    set_state(w, fx, fy, fz, np.uint16(fire << 4))
    burn = W.p[P_BURN_MIN] + rng.next_int(rs, W.p[P_BURN_MAX] - W.p[P_BURN_MIN] + 1)
    schedule(w, fx, fy, fz, tick + burn, 1)
    return True


@kernel
def open_chest(w, W, R, pf, pi, inv, ef, ei, rs, x, y, z):
    """Move a generated chest's loot into the inventory (drawn now); the chest stays, empty (meta 0)."""
    s = get_state(w, x, y, z)
    if (s & 15) == 0:
        return
    set_state(w, x, y, z, np.uint16((s >> 4) << 4))
    L = W.loot
    rolls = W.p[P_ROLL_MIN] + rng.next_int(rs, W.p[P_ROLL_MAX] - W.p[P_ROLL_MIN] + 1)
    for _ in range(rolls):
        u = rng.next_float(rs)
        e = 0
        while e < L.shape[0] - 1 and u >= L[e, L_CUM]:
            e += 1
        lo, hi = int(L[e, L_MIN]), int(L[e, L_MAX])
        n = lo + rng.next_int(rs, hi - lo + 1)
        item, meta = int(L[e, L_ITEM]), int(L[e, L_META])
        left = inv_add(inv, item, meta, n, R.stack_size)
        if left:
            spawn_item(ef, ei, rs, item, meta, left, pf[PX], pf[PY] + 0.5, pf[PZ], 40)
