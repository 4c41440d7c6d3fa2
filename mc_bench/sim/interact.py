"""What the player does to the world: aim, break (mechanics §1), drop and pick up items (§3),
place blocks, and the inventory arithmetic they share. Every fact comes from the rule arrays."""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.physics import box_of, clip_axis, eye_y, look_vector, scratch_box
from mc_bench.sim.state import (
    ATTACKPREV,
    BREAK,
    EAGE,
    ECOUNT,
    EDELAY,
    EGROUND,
    EH,
    EITEM,
    EKIND,
    EMETA,
    ENT_CAP,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EY,
    EZ,
    HITDELAY,
    HITTING,
    HITX,
    HITY,
    HITZ,
    IT_COUNT,
    IT_ID,
    IT_META,
    KIND_FREE,
    KIND_ITEM,
    KIND_MOB0,
    ONGROUND,
    PITCH,
    PLACEDB,
    PLACEDX,
    PLACEDY,
    PLACEDZ,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
    REACH,
    SLOT,
    ST_MINE,
    ST_PICKUP,
    ST_PLACE,
    ST_USE,
    TBX,
    TBY,
    TBZ,
    TFACE,
    TVALID,
    YAW,
)
from mc_bench.sim.vitals import EXH_BREAK, add_exhaustion, head_in_water
from mc_bench.sim.world import UNLOADED, get_state, set_state

RuleArrays = namedtuple(
    "RuleArrays",
    ["solid", "liquid", "hardness", "material", "harvest", "tool_speed", "stack_size", "max_damage",
     "tool_kind", "drops", "drop_chance", "drop_start", "replaceable", "meta_mask", "mobs", "food", "contact_damage",
     "ignites", "wear_slot", "armor", "shield", "break_wear", "world"],
)

ITEM_SIZE = 0.25
PICKUP_DELAY_BLOCK = 10
ITEM_LIFETIME = 6000
HIT_DELAY = 5
SWORD = 4
# Face normals indexed by TFACE: 0 down, 1 up, 2 north(-z), 3 south(+z), 4 west(-x), 5 east(+x).
FACE_DX = (0, 0, 0, 0, -1, 1)
FACE_DY = (-1, 1, 0, 0, 0, 0)
FACE_DZ = (0, 0, -1, 1, 0, 0)


def rule_arrays(rules) -> RuleArrays:
    """The rule tables the kernels read, as one namedtuple."""
    return RuleArrays(**{f: getattr(rules, f) for f in RuleArrays._fields})


# ---------------------------------------------------------------- inventory


@kernel(inline="always")
def copy_row(dst, i, src, j):
    """dst[i, :] = src[j, :] as a loop: a slice copy needs NRT, which kernels run without."""
    for c in range(src.shape[1]):
        dst[i, c] = src[j, c]


@kernel
def inv_counts(inv, out):
    """out[item] += every stack's count (a bincount of the inventory by item id, without numpy's float
    weights)."""
    for s in range(inv.shape[0]):
        out[inv[s, IT_ID]] += inv[s, IT_COUNT]


@kernel
def inv_count(inv, item):
    """How many of ``item`` the inventory holds, over all stacks."""
    n = 0
    for s in range(inv.shape[0]):
        if inv[s, IT_ID] == item and inv[s, IT_COUNT] > 0:
            n += inv[s, IT_COUNT]
    return n


@kernel
def inv_add(inv, item, meta, count, stack_size):
    """Add items, first onto matching stacks then into empty slots (hotbar first); returns leftover."""
    cap = stack_size[item]
    for s in range(inv.shape[0]):
        if count == 0:
            break
        if inv[s, IT_ID] == item and inv[s, IT_META] == meta and 0 < inv[s, IT_COUNT] < cap:
            k = min(cap - inv[s, IT_COUNT], count)
            inv[s, IT_COUNT] += k
            count -= k
    for s in range(inv.shape[0]):
        if count == 0:
            break
        if inv[s, IT_COUNT] == 0:
            k = min(cap, count)
            inv[s, IT_ID], inv[s, IT_META], inv[s, IT_COUNT] = item, meta, k
            count -= k
    return count


@kernel
def inv_find(inv, item):
    """First slot holding ``item`` (hotbar first), or -1."""
    for s in range(inv.shape[0]):
        if inv[s, IT_ID] == item and inv[s, IT_COUNT] > 0:
            return s
    return -1


@kernel
def inv_take(inv, slot, n):
    """Remove ``n`` items from a slot, clearing it when empty."""
    inv[slot, IT_COUNT] -= n
    if inv[slot, IT_COUNT] <= 0:
        inv[slot, IT_ID] = 0
        inv[slot, IT_META] = 0
        inv[slot, IT_COUNT] = 0


# ---------------------------------------------------------------- aiming


@kernel
def raycast_block(w, liquid, ox, oy, oz, dx, dy, dz, reach):
    """First non-air, non-liquid cell along the ray within ``reach``: (hit, x, y, z, face)."""
    x, y, z = int(math.floor(ox)), int(math.floor(oy)), int(math.floor(oz))
    sx = 1 if dx > 0 else -1
    sy = 1 if dy > 0 else -1
    sz = 1 if dz > 0 else -1
    big = 1e30
    tdx = abs(1.0 / dx) if dx != 0 else big
    tdy = abs(1.0 / dy) if dy != 0 else big
    tdz = abs(1.0 / dz) if dz != 0 else big
    tx = ((x + 1 - ox) if dx > 0 else (ox - x)) * tdx if dx != 0 else big
    ty = ((y + 1 - oy) if dy > 0 else (oy - y)) * tdy if dy != 0 else big
    tz = ((z + 1 - oz) if dz > 0 else (oz - z)) * tdz if dz != 0 else big
    face = -1
    t = 0.0
    while t <= reach:
        s = get_state(w, x, y, z)
        if s == UNLOADED:
            return False, x, y, z, face
        if s != 0 and not liquid[s >> 4]:
            return True, x, y, z, face
        if tx < ty and tx < tz:
            t, x, tx = tx, x + sx, tx + tdx
            face = 4 if sx > 0 else 5
        elif ty < tz:
            t, y, ty = ty, y + sy, ty + tdy
            face = 0 if sy > 0 else 1
        else:
            t, z, tz = tz, z + sz, tz + tdz
            face = 2 if sz > 0 else 3
    return False, x, y, z, face


@kernel
def aim(w, R, pf, pi):
    """Update the targeted block (pi[TVALID], pi[TBX..TBZ], pi[TFACE]) from the eye."""
    dx, dy, dz = look_vector(pf[PITCH], pf[YAW])
    hit, x, y, z, face = raycast_block(w, R.liquid, pf[PX], eye_y(pf, pi), pf[PZ], dx, dy, dz, REACH)
    pi[TVALID] = hit
    pi[TBX], pi[TBY], pi[TBZ], pi[TFACE] = x, y, z, face


@kernel
def ray_box(ox, oy, oz, dx, dy, dz, x0, y0, z0, x1, y1, z1):
    """Distance along the ray to where it enters the box (0 if it starts inside), or -1 if it misses."""
    tn, tf = 0.0, 1e30
    for o, d, lo, hi in ((ox, dx, x0, x1), (oy, dy, y0, y1), (oz, dz, z0, z1)):
        if d == 0.0:
            if o < lo or o > hi:
                return -1.0
            continue
        ta, tb = (lo - o) / d, (hi - o) / d
        tn, tf = max(tn, min(ta, tb)), min(tf, max(ta, tb))
    return tn if tn <= tf else -1.0


@kernel
def raycast_mob(ef, ei, ox, oy, oz, dx, dy, dz, reach, margin):
    """Nearest mob whose box (grown by ``margin``) the ray enters within ``reach``: (entity or -1, distance)."""
    best, bt = -1, reach
    for e in range(ENT_CAP):
        if ei[e, EKIND] < KIND_MOB0:
            continue
        h = ef[e, EW] / 2 + margin
        t = ray_box(ox, oy, oz, dx, dy, dz, ef[e, EX] - h, ef[e, EY] - margin, ef[e, EZ] - h,
                    ef[e, EX] + h, ef[e, EY] + ef[e, EH] + margin, ef[e, EZ] + h)
        if 0.0 <= t <= bt:
            best, bt = e, t
    return best, bt


# ---------------------------------------------------------------- breaking


@kernel
def break_delta(R, pf, pi, state, held, wet):
    """Per-tick break progress for ``state`` with item ``held`` (0 = hand), mechanics §1.1; ``wet``: the
    head is under water (:func:`~mc_bench.sim.vitals.head_in_water`; feet in it do not slow mining)."""
    b = state >> 4
    h = R.hardness[b]
    if h < 0:
        return 0.0
    if h == 0:
        return 1e9
    speed = R.tool_speed[R.material[b], held]
    if wet:
        speed /= 5.0
    if not pi[ONGROUND]:
        speed /= 5.0
    return speed / h / (30.0 if R.harvest[b, held] else 100.0)


@kernel
def held_item(inv, pi):
    s = pi[SLOT]
    return inv[s, IT_ID] if inv[s, IT_COUNT] > 0 else 0


@kernel
def attack_tick(w, R, pf, pi, inv, ef, ei, stats, rs, pressed):
    """Minecraft's clickBlock/onPlayerDamageBlock state machine for one tick of attack input.

    A fresh press clicks (instant blocks break, others start at 0) and damages in the same tick;
    holding damages; a new target is clicked first, so it costs one extra tick; after a
    non-instant break nothing happens for HIT_DELAY ticks.
    """
    first = pressed and not pi[ATTACKPREV]
    pi[ATTACKPREV] = pressed
    if not pressed or not pi[TVALID]:
        pf[BREAK] = 0.0
        pi[HITTING] = 0
        return
    x, y, z = pi[TBX], pi[TBY], pi[TBZ]
    if first:
        _click(w, R, pf, pi, inv, ef, ei, stats, rs, x, y, z)
    if get_state(w, x, y, z) == 0:
        return
    if pi[HITDELAY] > 0:
        pi[HITDELAY] -= 1
        return
    if not (pi[HITTING] and pi[HITX] == x and pi[HITY] == y and pi[HITZ] == z):
        _click(w, R, pf, pi, inv, ef, ei, stats, rs, x, y, z)
        return
    pf[BREAK] += break_delta(R, pf, pi, get_state(w, x, y, z), held_item(inv, pi), head_in_water(w, R, pf, pi))
    if pf[BREAK] >= 1.0 - 1e-9:
        destroy(w, R, pf, pi, inv, ef, ei, stats, rs, x, y, z)
        pi[HITDELAY] = HIT_DELAY


@kernel
def _click(w, R, pf, pi, inv, ef, ei, stats, rs, x, y, z):
    pf[BREAK] = 0.0
    pi[HITX], pi[HITY], pi[HITZ], pi[HITTING] = x, y, z, 1
    if break_delta(R, pf, pi, get_state(w, x, y, z), held_item(inv, pi), head_in_water(w, R, pf, pi)) >= 1.0:
        destroy(w, R, pf, pi, inv, ef, ei, stats, rs, x, y, z)


@kernel
def destroy(w, R, pf, pi, inv, ef, ei, stats, rs, x, y, z):
    """Break the block: air, drops if the held item can harvest it, tool wear, statistics."""
    s = get_state(w, x, y, z)
    b = s >> 4
    held = held_item(inv, pi)
    set_state(w, x, y, z, np.uint16(0))
    pf[BREAK] = 0.0
    pi[HITTING] = 0
    stats[ST_MINE, b] += 1
    add_exhaustion(pf, EXH_BREAK)
    if R.harvest[b, held]:
        spawn_tool_drops(R, ef, ei, rs, b, s & 15, x, y, z, R.tool_kind[held])
    if R.break_wear[held] > 0:  # ItemTool/ItemSword.onBlockDestroyed: a use per block, wear if not instant
        stats[ST_USE, held] += 1
        if R.hardness[b] > 0:
            wear(inv, pi[SLOT], R.break_wear[held], R.max_damage)


@kernel
def wear(inv, slot, n, max_damage):
    """Damage the tool in ``slot``; it breaks once damage exceeds its durability."""
    item = inv[slot, IT_ID]
    if max_damage[item] <= 0:
        return
    inv[slot, IT_META] += n
    if inv[slot, IT_META] > max_damage[item]:
        inv_take(inv, slot, inv[slot, IT_COUNT])


@kernel
def spawn_drops(R, ef, ei, rs, b, meta, x, y, z):
    """Drops of a block broken by something other than a tool (explosions, lost soil)."""
    spawn_tool_drops(R, ef, ei, rs, b, meta, x, y, z, 0)


@kernel
def spawn_tool_drops(R, ef, ei, rs, b, meta, x, y, z, kind):
    """Drops of a block mined with a tool of ``kind``: the rows for that kind if the block has any for this
    meta (leaves cut with shears), else its plain rows (column 7 = 0)."""
    masked = meta & R.meta_mask[b]
    want = 0
    for row in range(R.drop_start[b], R.drop_start[b + 1]):
        if kind != 0 and R.drops[row, 7] == kind and (R.drops[row, 1] >> masked) & 1:
            want = kind
    for row in range(R.drop_start[b], R.drop_start[b + 1]):
        d = R.drops[row]
        if d[7] != want or not (d[1] >> masked) & 1:
            continue
        if R.drop_chance[row] < 1.0 and rng.next_float(rs) >= R.drop_chance[row]:
            continue
        n = d[5] + (rng.next_int(rs, d[6] - d[5] + 1) if d[6] > d[5] else 0)
        if n <= 0:
            continue
        item_meta = masked + d[4] if d[3] < 0 else d[3]
        px = x + 0.25 + rng.next_float(rs) * 0.5
        py = y + 0.25 + rng.next_float(rs) * 0.5
        pz = z + 0.25 + rng.next_float(rs) * 0.5
        spawn_item(ef, ei, rs, d[2], item_meta, n, px, py, pz, PICKUP_DELAY_BLOCK)


@kernel
def spawn_item(ef, ei, rs, item, meta, count, x, y, z, delay):
    """Put an item entity in the first free entity slot (dropped silently when full, as a despawn)."""
    for e in range(ENT_CAP):
        if ei[e, EKIND] == KIND_FREE:
            ei[e, EKIND], ei[e, EITEM], ei[e, EMETA], ei[e, ECOUNT] = KIND_ITEM, item, meta, count
            ei[e, EAGE], ei[e, EDELAY], ei[e, EGROUND] = 0, delay, 0
            ef[e, EX], ef[e, EY], ef[e, EZ] = x, y - ITEM_SIZE / 2, z
            ef[e, EVX] = rng.next_float(rs) * 0.2 - 0.1
            ef[e, EVY] = 0.2
            ef[e, EVZ] = rng.next_float(rs) * 0.2 - 0.1
            ef[e, EW], ef[e, EH] = ITEM_SIZE, ITEM_SIZE
            return e
    return -1


# ---------------------------------------------------------------- item entities


@kernel
def items_tick(w, R, pf, inv, ef, ei, stats):
    """Move item entities (mechanics §3), age them out, and let the player pick them up."""
    x0, y0, z0, x1, y1, z1 = box_of(pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    pick = (x0 - 1.0, y0 - 0.5, z0 - 1.0, x1 + 1.0, y1 + 0.5, z1 + 1.0)
    for e in range(ENT_CAP):
        if ei[e, EKIND] != KIND_ITEM:
            continue
        ei[e, EAGE] += 1
        if ei[e, EAGE] >= ITEM_LIFETIME:
            ei[e, EKIND] = KIND_FREE
            continue
        if ei[e, EDELAY] > 0:
            ei[e, EDELAY] -= 1
        _item_move(w, R, pf, ef, ei, e)
        if ei[e, EDELAY] == 0 and _overlaps(pick, ef, e):
            item = ei[e, EITEM]
            left = inv_add(inv, item, ei[e, EMETA], ei[e, ECOUNT], R.stack_size)
            stats[ST_PICKUP, item] += ei[e, ECOUNT] - left
            ei[e, ECOUNT] = left
            if left == 0:
                ei[e, EKIND] = KIND_FREE


@kernel
def _overlaps(box, ef, e):
    h = ef[e, EW] / 2
    return (ef[e, EX] + h > box[0] and ef[e, EX] - h < box[3] and ef[e, EY] + ef[e, EH] > box[1]
            and ef[e, EY] < box[4] and ef[e, EZ] + h > box[2] and ef[e, EZ] - h < box[5])


@kernel
def _item_move(w, R, pf, ef, ei, e):
    ef[e, EVY] -= 0.04
    box = scratch_box(pf, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
    vx, vy, vz = ef[e, EVX], ef[e, EVY], ef[e, EVZ]
    my = clip_axis(w, R.solid, box, vy, 1)
    box[1] += my
    box[4] += my
    mx = clip_axis(w, R.solid, box, vx, 0)
    box[0] += mx
    box[3] += mx
    mz = clip_axis(w, R.solid, box, vz, 2)
    box[2] += mz
    box[5] += mz
    ef[e, EX], ef[e, EY], ef[e, EZ] = (box[0] + box[3]) / 2, box[1], (box[2] + box[5]) / 2
    ground = my != vy and vy < 0
    ei[e, EGROUND] = ground
    if mx != vx:
        ef[e, EVX] = 0.0
    if mz != vz:
        ef[e, EVZ] = 0.0
    f = 0.6 * 0.98 if ground else 0.98
    ef[e, EVX] *= f
    ef[e, EVZ] *= f
    ef[e, EVY] *= 0.98
    if ground:
        ef[e, EVY] *= -0.5


# ---------------------------------------------------------------- placing


@kernel
def placement_cell(w, R, x, y, z, face):
    """Where something placed at targeted cell (x, y, z) goes: that cell if replaceable (grass, water),
    else the cell on the targeted ``face``; (ok, x, y, z), ok False if that cell is taken or unloaded."""
    if not R.replaceable[get_state(w, x, y, z) >> 4]:
        if face < 0:
            return False, x, y, z
        x, y, z = x + FACE_DX[face], y + FACE_DY[face], z + FACE_DZ[face]
    cur = get_state(w, x, y, z)
    return cur != UNLOADED and R.replaceable[cur >> 4] and 0 <= y <= 255, x, y, z


@kernel
def place_item(w, R, pf, pi, inv, stats, item, ef, ei):
    """Place one ``item`` from the inventory against the targeted face; False if it cannot go there."""
    slot = inv_find(inv, item)
    if slot < 0 or item >= 256 or not pi[TVALID]:
        return False
    ok, x, y, z = placement_cell(w, R, pi[TBX], pi[TBY], pi[TBZ], pi[TFACE])
    if not ok:
        return False
    if R.solid[item] and (_blocked(pf, x, y, z) or _mob_in(ef, ei, x, y, z)):
        return False
    meta = inv[slot, IT_META] & R.meta_mask[item]
    set_state(w, x, y, z, np.uint16(item << 4 | meta))
    inv_take(inv, slot, 1)
    stats[ST_PLACE, item] += 1
    stats[ST_USE, item] += 1  # placing is the block item's right-click use (MineDojo's use statistic)
    pi[PLACEDX], pi[PLACEDY], pi[PLACEDZ], pi[PLACEDB] = x, y, z, item  # read by the crafting layer
    return True


@kernel
def _mob_in(ef, ei, x, y, z):
    """Whether the cell intersects a mob's box."""
    for e in range(ENT_CAP):
        if ei[e, EKIND] >= KIND_MOB0:
            h = ef[e, EW] / 2
            if (ef[e, EX] - h < x + 1 and ef[e, EX] + h > x and ef[e, EY] < y + 1 and ef[e, EY] + ef[e, EH] > y
                    and ef[e, EZ] - h < z + 1 and ef[e, EZ] + h > z):
                return True
    return False


@kernel
def _blocked(pf, x, y, z):
    """Whether the cell intersects the player's box."""
    b = box_of(pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    return b[0] < x + 1 and b[3] > x and b[1] < y + 1 and b[4] > y and b[2] < z + 1 and b[5] > z
