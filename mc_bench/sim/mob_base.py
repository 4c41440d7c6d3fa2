"""What every mob module shares: geometry and sight tests, damage and knockback, placing a mob,
provoking it, teleporting it, and its death (loot, splitting).

Numbers come from ``R.mobs`` (``mc_bench/rules/mobs.yaml``); a mob is entity kind ``KIND_MOB0 + m``.
"""

from __future__ import annotations

import math

from mc_bench.rules.mobs import (
    D_CHANCE,
    D_CHARGED,
    D_COOKED,
    D_ITEM,
    D_MAX,
    D_META,
    D_MIN,
    D_PLAYER,
    D_POOL,
    D_ROLLS0,
    D_ROLLS1,
    D_SIZE,
    D_UNSHEARED,
    D_WEIGHT,
    F_ARMOR,
    F_COLOUR,
    F_HEIGHT,
    F_HP,
    F_HP_R1,
    F_HP_R2,
    F_SPEED,
    F_SPEED_ROLLS,
    F_SPEED_SIZE,
    F_SPEED_STEP,
    F_WIDTH,
    I_BEHAVIOUR,
    I_DROP0,
    I_DROP1,
    I_LAY,
    I_LAY_MAX,
    I_LAY_MIN,
    I_PACK,
    I_RGB,
    I_SIZES,
    I_SPLIT_MAX,
    I_SPLIT_MIN,
    P_FOLLOW,
    P_HURT,
    P_PANIC,
    P_TP_RANGE,
    P_TP_TRIES,
    P_WOOL,
    PASSIVE,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.interact import PICKUP_DELAY_BLOCK, spawn_item
from mc_bench.sim.physics import cell_solid, eye_y
from mc_bench.sim.state import (
    ECOLOR,
    EFIRE,
    EGOAL,
    EGROUND,
    EH,
    EHP,
    EHURT,
    EKIND,
    ELASTDMG,
    ELAY,
    EMETA,
    ENT_CAP,
    EPANIC,
    ESHEARED,
    ESIZE,
    ESPEED,
    ETARGET,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EY,
    EYAW,
    EZ,
    KIND_FREE,
    KIND_MOB0,
    ONGROUND,
    PX,
    PY,
    PZ,
    ST_KILL,
    VX,
    VY,
    VZ,
)
from mc_bench.sim.world import UNLOADED, get_state

GRAVITY, DRAG_Y, JUMP_VY, CLIMB_VY = 0.08, 0.98, 0.42, 0.2
ARROW_SIZE = 0.5


# ================================================================ geometry and sight


@kernel(inline="always")
def d2_player(pf, ef, e):
    dx, dy, dz = pf[PX] - ef[e, EX], pf[PY] - ef[e, EY], pf[PZ] - ef[e, EZ]
    return dx * dx + dy * dy + dz * dz


@kernel(inline="always")
def active(pf, x, z, radius):
    """Whether (x, z) lies in the loaded square of chunks around the player."""
    return (abs((int(math.floor(x)) >> 4) - (int(math.floor(pf[PX])) >> 4)) <= radius
            and abs((int(math.floor(z)) >> 4) - (int(math.floor(pf[PZ])) >> 4)) <= radius)


@kernel
def line_of_sight(w, solid, x0, y0, z0, x1, y1, z1):
    """No collidable block on the segment (sampled every 0.25 blocks; unloaded cells block)."""
    dx, dy, dz = x1 - x0, y1 - y0, z1 - z0
    n = int(math.sqrt(dx * dx + dy * dy + dz * dz) * 4.0) + 1
    for i in range(1, n):
        f = i / n
        if cell_solid(w, solid, int(math.floor(x0 + dx * f)), int(math.floor(y0 + dy * f)),
                      int(math.floor(z0 + dz * f))):
            return False
    return True


@kernel
def sees_player(w, solid, pf, pi, ef, e):
    return line_of_sight(w, solid, ef[e, EX], ef[e, EY] + ef[e, EH] * 0.85, ef[e, EZ], pf[PX], eye_y(pf, pi), pf[PZ])


@kernel
def box_free(w, solid, liquid, x, y, z, width, height):
    """No collidable or liquid cell in the box (feet-centred at x, y, z)."""
    h = width / 2
    for cx in range(int(math.floor(x - h)), int(math.floor(x + h - 1e-7)) + 1):
        for cy in range(int(math.floor(y)), int(math.floor(y + height - 1e-7)) + 1):
            for cz in range(int(math.floor(z - h)), int(math.floor(z + h - 1e-7)) + 1):
                s = get_state(w, cx, cy, cz)
                if s == UNLOADED or solid[s >> 4] or liquid[s >> 4]:
                    return False
    return True


@kernel(inline="always")
def yaw_to(dx, dz):
    return math.degrees(math.atan2(-dx, dz))


@kernel
def gauss(rs):
    u = max(rng.next_float(rs), 1e-12)
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rng.next_float(rs))


# ================================================================ damage


@kernel
def armoured(mob, m, amount):
    """Damage left after the mob's armour points (mechanics §5.2, no toughness)."""
    a = mob[m, F_ARMOR]
    return amount * (1.0 - min(20.0, max(a / 5.0, a - amount / 2.0)) / 25.0)


@kernel
def hurt_mob(p, ef, ei, e, amount):
    """Damage a mob with the invulnerability rule of §5.1: (damage dealt, fresh hit -> knockback)."""
    if amount <= 0.0:
        return 0.0, False
    if ei[e, EHURT] > p[P_HURT] / 2:
        if amount <= ef[e, ELASTDMG]:
            return 0.0, False
        dealt = amount - ef[e, ELASTDMG]
        fresh = False
    else:
        dealt = amount
        fresh = True
        ei[e, EHURT] = int(p[P_HURT])
    ef[e, ELASTDMG] = amount
    ef[e, EHP] -= dealt
    return dealt, fresh


@kernel
def knock(ef, ei, e, ax, az, k):
    """Knockback of strength k away from an attacker at horizontal offset (ax, az) from the mob."""
    d = math.sqrt(ax * ax + az * az)
    if d < 1e-4:
        return
    ef[e, EVX] = ef[e, EVX] / 2 - ax / d * k
    ef[e, EVZ] = ef[e, EVZ] / 2 - az / d * k
    if ei[e, EGROUND]:
        ef[e, EVY] = min(0.4, ef[e, EVY] / 2 + k)


@kernel
def knock_player(pf, pi, ax, az, k):
    d = math.sqrt(ax * ax + az * az)
    if d < 1e-4:
        return
    pf[VX] = pf[VX] / 2 - ax / d * k
    pf[VZ] = pf[VZ] / 2 - az / d * k
    if pi[ONGROUND]:
        pf[VY] = min(0.4, pf[VY] / 2 + k)


@kernel
def provoke(M, ef, ei, e):
    """The player hurt mob e: passive mobs panic, the others take the player as target (a pack mob
    brings the same kind within follow range along)."""
    m = ei[e, EKIND] - KIND_MOB0
    if M.mob_i[m, I_BEHAVIOUR] == PASSIVE:
        ei[e, EPANIC], ei[e, EGOAL] = int(M.p[P_PANIC]), 0
        return
    ei[e, ETARGET], ei[e, EGOAL] = 1, 0
    if not M.mob_i[m, I_PACK]:
        return
    r2 = M.p[P_FOLLOW] ** 2
    for e2 in range(ENT_CAP):
        if ei[e2, EKIND] == ei[e, EKIND]:
            dx, dy, dz = ef[e2, EX] - ef[e, EX], ef[e2, EY] - ef[e, EY], ef[e2, EZ] - ef[e, EZ]
            if dx * dx + dy * dy + dz * dz <= r2:
                ei[e2, ETARGET], ei[e2, EGOAL] = 1, 0


@kernel
def teleport(w, solid, liquid, p, ef, ei, rs, e):
    """EntityEnderman.teleportRandomly: a random spot within the teleport range, lowered onto the floor
    under it, with room for the box and no liquid; tries up to P_TP_TRIES spots. True if it moved."""
    r = p[P_TP_RANGE]
    for _ in range(int(p[P_TP_TRIES])):
        x = math.floor(ef[e, EX] + (rng.next_float(rs) - 0.5) * 2.0 * r) + 0.5
        y = int(math.floor(ef[e, EY])) + rng.next_int(rs, int(2 * r)) - int(r)
        z = math.floor(ef[e, EZ] + (rng.next_float(rs) - 0.5) * 2.0 * r) + 0.5
        ix, iz = int(math.floor(x)), int(math.floor(z))
        while y > 1 and not cell_solid(w, solid, ix, y - 1, iz) and get_state(w, ix, y - 1, iz) != UNLOADED:
            y -= 1
        if y > 1 and cell_solid(w, solid, ix, y - 1, iz) and box_free(w, solid, liquid, x, float(y), z, ef[e, EW],
                                                                      ef[e, EH]):
            ef[e, EX], ef[e, EY], ef[e, EZ] = x, float(y), z
            ef[e, EVX], ef[e, EVY], ef[e, EVZ] = 0.0, 0.0, 0.0
            ei[e, EGOAL] = 0
            return True
    return False


# ================================================================ spawn and death


@kernel
def mob_count(ei):
    n = 0
    for e in range(ENT_CAP):
        n += ei[e, EKIND] >= KIND_MOB0
    return n


@kernel
def spawn_mob(M, ef, ei, rs, m, x, y, z):
    """Put mob ``m`` at feet position (x, y, z) in a free entity slot; -1 if none may be used."""
    return spawn_sized(M, ef, ei, rs, m, x, y, z, 0)


@kernel
def spawn_sized(M, ef, ei, rs, m, x, y, z, size):
    """``spawn_mob`` with a size (0 = one of the mob's spawn sizes at random; sizeless mobs keep 0). Size
    scales the box, HP (x size^2) and speed; horses and the like roll their own HP and speed."""
    if mob_count(ei) >= ENT_CAP // 2:
        return -1
    for e in range(ENT_CAP):
        if ei[e, EKIND] != KIND_FREE:
            continue
        ef[e, :] = 0.0
        ei[e, :] = 0
        ei[e, EKIND] = KIND_MOB0 + m
        ef[e, EX], ef[e, EY], ef[e, EZ] = x, y, z
        ef[e, EYAW] = rng.next_float(rs) * 360.0 - 180.0
        if size == 0 and M.mob_i[m, I_SIZES] != 0:
            size = _pick_size(rs, M.mob_i[m, I_SIZES])
        ei[e, ESIZE] = size
        k = float(max(size, 1))
        ef[e, EW], ef[e, EH] = M.mob[m, F_WIDTH] * k, M.mob[m, F_HEIGHT] * k
        ef[e, EHP] = M.mob[m, F_HP] * k * k + _hp_rolls(M.mob, rs, m)
        ef[e, ESPEED] = M.mob[m, F_SPEED] + M.mob[m, F_SPEED_SIZE] * size
        for _ in range(int(M.mob[m, F_SPEED_ROLLS])):
            ef[e, ESPEED] += M.mob[m, F_SPEED_STEP] * rng.next_float(rs)
        ei[e, ECOLOR] = M.mob_i[m, I_RGB]
        if M.mob[m, F_COLOUR + 15] > 0.0:
            _colour(M, ei, rs, e, m)
        return e
    return -1


@kernel
def _pick_size(rs, mask):
    n = 0
    for s in range(31):
        n += (mask >> s) & 1
    k = rng.next_int(rs, n)
    for s in range(31):
        if (mask >> s) & 1:
            if k == 0:
                return s
            k -= 1
    return 1


@kernel
def _hp_rolls(mob, rs, m):
    extra = 0.0
    for f in (F_HP_R1, F_HP_R2):
        if mob[m, f] > 0:
            extra += rng.next_int(rs, int(mob[m, f]) + 1)
    return extra


@kernel
def _colour(M, ei, rs, e, m):
    """A wool colour by the mob's cumulative colour odds (sheep)."""
    u = rng.next_float(rs)
    meta = 0
    while meta < 15 and u >= M.mob[m, F_COLOUR + meta]:
        meta += 1
    ei[e, EMETA] = meta
    ei[e, ECOLOR] = int(M.p[P_WOOL + meta])


@kernel
def lay(mob_i, ef, ei, rs, e, m):
    """EntityChicken.onLivingUpdate: the mob drops its item when the timer (ELAY) runs out, and the timer is
    drawn again uniform in min..max; a fresh mob (ELAY 0) draws its first timer."""
    t = ei[e, ELAY] - 1
    if t == 0:
        spawn_item(ef, ei, rs, mob_i[m, I_LAY], 0, 1, ef[e, EX], ef[e, EY] + 0.125, ef[e, EZ], PICKUP_DELAY_BLOCK)
    if t <= 0:
        t = mob_i[m, I_LAY_MIN] + rng.next_int(rs, mob_i[m, I_LAY_MAX] - mob_i[m, I_LAY_MIN] + 1)
    ei[e, ELAY] = t


@kernel
def kill(R, ef, ei, stats, rs, e, by_player, charged=False):
    """Mob dies: loot (cooked if burning), a kill in the statistics if the player did it, and a sized
    mob splits into smaller ones. ``charged``: a charged creeper's blast killed it, so its charged-only
    drops (heads) may fall; returns whether one did (a blast yields one)."""
    M = R.mobs
    kind = ei[e, EKIND]
    m = kind - KIND_MOB0
    x, feet, z = ef[e, EX], ef[e, EY], ef[e, EZ]
    y = feet + 0.125
    burning, colour, size, sheared = ei[e, EFIRE] > 0, ei[e, EMETA], ei[e, ESIZE], ei[e, ESHEARED]
    ei[e, EKIND] = KIND_FREE
    if by_player:
        stats[ST_KILL, kind] += 1
    row = M.mob_i[m, I_DROP0]
    head = False
    while row < M.mob_i[m, I_DROP1]:
        d = M.drops[row]
        n_pool = int(d[D_POOL])
        if _drops_here(d, rs, by_player, size, sheared, charged and not head):
            head = head or d[D_CHARGED] != 0
            if n_pool > 0:
                _pool(M.drops, ef, ei, rs, row, burning, x, y, z)
            else:
                _drop(ef, ei, rs, d, d, burning, colour, x, y, z)
        row += 1 + n_pool
    _split(M, ef, ei, rs, m, size, x, feet, z)
    return head


@kernel
def _drops_here(d, rs, by_player, size, sheared, charged):
    if (d[D_PLAYER] and not by_player) or (d[D_SIZE] > 0 and size != d[D_SIZE]) or (d[D_UNSHEARED] and sheared):
        return False
    if d[D_CHARGED] and not charged:
        return False
    return d[D_CHANCE] >= 1.0 or rng.next_float(rs) < d[D_CHANCE]


@kernel
def _drop(ef, ei, rs, count_row, item_row, burning, colour, x, y, z):
    """Throw min..max (of ``count_row``) of ``item_row``'s item, cooked if burning."""
    lo, hi = int(count_row[D_MIN]), int(count_row[D_MAX])
    n = lo + (rng.next_int(rs, hi - lo + 1) if hi > lo else 0)
    if n > 0 and item_row[D_ITEM] >= 0:
        item = int(item_row[D_COOKED] if burning and item_row[D_COOKED] > 0 else item_row[D_ITEM])
        meta = colour if item_row[D_META] < 0 else int(item_row[D_META])
        spawn_item(ef, ei, rs, item, meta, n, x, y, z, PICKUP_DELAY_BLOCK)


@kernel
def _pool(drops, ef, ei, rs, head, burning, x, y, z):
    """A loot pool: rolls weighted picks among the entry rows after ``head``, each min..max of the pick."""
    h = drops[head]
    n = int(h[D_POOL])
    total = drops[head + 1:head + 1 + n, D_WEIGHT].sum()
    lo, hi = int(h[D_ROLLS0]), int(h[D_ROLLS1])
    for _ in range(lo + (rng.next_int(rs, hi - lo + 1) if hi > lo else 0)):
        u = rng.next_float(rs) * total
        k = head + 1
        while k < head + n and u >= drops[k, D_WEIGHT]:
            u -= drops[k, D_WEIGHT]
            k += 1
        _drop(ef, ei, rs, h, drops[k], burning, 0, x, y, z)


@kernel
def _split(M, ef, ei, rs, m, size, x, y, z):
    """EntitySlime.setDead: 2-4 slimes of half the size, spread over a quarter of its width."""
    lo, hi = M.mob_i[m, I_SPLIT_MIN], M.mob_i[m, I_SPLIT_MAX]
    if size <= 1 or hi <= 0:
        return
    half = size // 2
    for k in range(lo + rng.next_int(rs, hi - lo + 1)):
        ox = ((k % 2) - 0.5) * size / 4.0
        oz = ((k // 2) - 0.5) * size / 4.0
        spawn_sized(M, ef, ei, rs, m, x + ox, y + 0.5, z + oz, half)
