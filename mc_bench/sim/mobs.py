"""Mobs (mechanics §7), melee between them and the player (§5.3), arrows and creeper explosions.

Every number comes from ``R.mobs`` (``mc_bench/rules/mobs.yaml``); a mob is entity kind
``KIND_MOB0 + m``. Mobs move with the player's collision code (step-up 0.6) and gravity; the AI is
a small state machine per mob: wander, flee after a hit (animals), chase and attack the player
(monsters), fuse (creeper), draw and shoot (skeleton).

Simplifications, all documented here:

* No path finding: a mob walks straight at its goal, jumps when it bumps into a 1-block step, and
  refuses to walk off a drop deeper than 3 blocks. Spiders climb any wall they touch.
* Mobs do not push each other or the player. Arrows only hit the player and vanish on hitting a block
  (skeleton arrows cannot be picked up in the game either).
* Explosions break each block of the blast sphere when ``power * (0.7..1.3) - d * (0.75 + r + 0.3) > 0``
  (d its distance, r its explosion resistance), i.e. as if the ray to it crossed that same block all the
  way, instead of Minecraft's 1352 rays; dropped blocks fall with chance 1 / power. Entity damage and
  exposure follow the game. Items are not destroyed.
* Mobs in chunks outside the loaded area: monsters despawn, animals freeze until it comes back. Mobs
  never take more than half of the entity slots, so items always have room.
* Fire, fall and explosion deaths drop loot but do not count as kills; "recently hit by the player"
  is not tracked.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.rules.mobs import (
    B_EMIT,
    B_GROUND,
    B_NO_SPAWN,
    B_OPAQUE,
    B_RESIST,
    CREATURE,
    D_CHANCE,
    D_COOKED,
    D_ITEM,
    D_MAX,
    D_META,
    D_MIN,
    D_PLAYER,
    F_ARMOR,
    F_COLOUR,
    F_DAMAGE,
    F_HEIGHT,
    F_HP,
    F_PANIC,
    F_POWER,
    F_SPEED,
    F_WIDTH,
    I_BURNS,
    I_CATEGORY,
    I_CLIMBS,
    I_DAY_NEUTRAL,
    I_DROP0,
    I_DROP1,
    I_FUSE,
    I_RANGED,
    I_RGB,
    MONSTER,
    P_ANIMAL_LIGHT,
    P_ARROW_DMG,
    P_ARROW_DRAG,
    P_ARROW_G,
    P_ARROW_INACC,
    P_ARROW_LIFE,
    P_ARROW_SPEED,
    P_BLOCK_SEARCH,
    P_BOW_CD,
    P_BOW_DRAW,
    P_BOW_RANGE,
    P_BOW_STAND,
    P_BURN,
    P_CAP_CHUNKS,
    P_CAP_CREATURE,
    P_CAP_MONSTER,
    P_CREATURE_EVERY,
    P_DESPAWN_CHANCE,
    P_DESPAWN_FAR,
    P_DESPAWN_IDLE,
    P_DESPAWN_NEAR,
    P_FOLLOW,
    P_FUSE_START,
    P_FUSE_STOP,
    P_GROUP_MAX,
    P_HURT,
    P_KNOCKBACK,
    P_MELEE_CD,
    P_MIN_DIST,
    P_PACK_TRIES,
    P_PACKS,
    P_PANIC,
    P_PICK_MARGIN,
    P_REACH,
    P_SKY_SEARCH,
    P_TARGET_CHANCE,
    P_WANDER_CHANCE,
    P_WANDER_RANGE,
    P_WOOL,
    S_MAX,
    S_MIN,
    S_WEIGHT,
    W_DAMAGE,
    W_SPEED,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import njit
from mc_bench.sim.interact import (
    PICKUP_DELAY_BLOCK,
    SWORD,
    held_item,
    ray_box,
    raycast_mob,
    spawn_drops,
    spawn_item,
    wear,
)
from mc_bench.sim.light import (
    block_light,
    brightness,
    sky_light,
    sky_subtract,
    top_opaque,
)
from mc_bench.sim.physics import (
    cell_solid,
    eye_y,
    in_liquid,
    look_vector,
    move_box,
    set_box,
)
from mc_bench.sim.state import (
    ATTACKPREV,
    BREAK,
    DEAD,
    EAGE,
    ECOLLIDE,
    ECOLOR,
    ECOOL,
    EFALL,
    EFIRE,
    EFUSE,
    EGOAL,
    EGROUND,
    EGX,
    EGZ,
    EH,
    EHP,
    EHURT,
    EKIND,
    ELASTDMG,
    EMETA,
    ENT_CAP,
    EPANIC,
    ETARGET,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EXHAUST,
    EY,
    EYAW,
    EZ,
    FALL,
    HITTING,
    INWATER,
    KIND_ARROW,
    KIND_FREE,
    KIND_MOB0,
    MOBSPAWN,
    ONGROUND,
    PITCH,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
    SLOT,
    SPAWNX,
    SPAWNZ,
    SPRINT,
    ST_KILL,
    SWING,
    TBX,
    TBY,
    TBZ,
    TICK,
    TVALID,
    VX,
    VY,
    VZ,
    WORLD_TIME,
    YAW,
)
from mc_bench.sim.vitals import hurt
from mc_bench.sim.world import UNLOADED, get_state, is_loaded, set_state

GRAVITY, DRAG_Y, JUMP_VY, CLIMB_VY = 0.08, 0.98, 0.42, 0.2
ARROW_SIZE = 0.5
ALIVE, GONE, DIES, BLOWS = range(4)  # what became of a mob in its tick (see _mob_tick)
EXHAUST_CAP = 40.0


# ================================================================ small helpers


@njit(inline="always")
def _d2(pf, ef, e):
    dx, dy, dz = pf[PX] - ef[e, EX], pf[PY] - ef[e, EY], pf[PZ] - ef[e, EZ]
    return dx * dx + dy * dy + dz * dz


@njit(inline="always")
def _active(pf, x, z, radius):
    """Whether (x, z) lies in the loaded square of chunks around the player."""
    return (abs((int(math.floor(x)) >> 4) - (int(math.floor(pf[PX])) >> 4)) <= radius
            and abs((int(math.floor(z)) >> 4) - (int(math.floor(pf[PZ])) >> 4)) <= radius)


@njit
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


@njit
def _sees_player(w, solid, pf, pi, ef, e):
    return line_of_sight(w, solid, ef[e, EX], ef[e, EY] + ef[e, EH] * 0.85, ef[e, EZ], pf[PX], eye_y(pf, pi), pf[PZ])


@njit
def _box_free(w, R, x, y, z, width, height):
    """No collidable or liquid cell in the box (feet-centred at x, y, z)."""
    h = width / 2
    for cx in range(int(math.floor(x - h)), int(math.floor(x + h - 1e-7)) + 1):
        for cy in range(int(math.floor(y)), int(math.floor(y + height - 1e-7)) + 1):
            for cz in range(int(math.floor(z - h)), int(math.floor(z + h - 1e-7)) + 1):
                s = get_state(w, cx, cy, cz)
                if s == UNLOADED or R.solid[s >> 4] or R.liquid[s >> 4]:
                    return False
    return True


@njit
def _armoured(mob, m, amount):
    """Damage left after the mob's armour points (mechanics §5.2, no toughness)."""
    a = mob[m, F_ARMOR]
    return amount * (1.0 - min(20.0, max(a / 5.0, a - amount / 2.0)) / 25.0)


@njit
def _hurt_mob(p, ef, ei, e, amount):
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


@njit
def _knock(ef, ei, e, ax, az, k):
    """Knockback of strength k away from an attacker at horizontal offset (ax, az) from the mob."""
    d = math.sqrt(ax * ax + az * az)
    if d < 1e-4:
        return
    ef[e, EVX] = ef[e, EVX] / 2 - ax / d * k
    ef[e, EVZ] = ef[e, EVZ] / 2 - az / d * k
    if ei[e, EGROUND]:
        ef[e, EVY] = min(0.4, ef[e, EVY] / 2 + k)


@njit
def _knock_player(pf, pi, ax, az, k):
    d = math.sqrt(ax * ax + az * az)
    if d < 1e-4:
        return
    pf[VX] = pf[VX] / 2 - ax / d * k
    pf[VZ] = pf[VZ] / 2 - az / d * k
    if pi[ONGROUND]:
        pf[VY] = min(0.4, pf[VY] / 2 + k)


# ================================================================ spawn and death


@njit
def _mob_count(ei):
    n = 0
    for e in range(ENT_CAP):
        n += ei[e, EKIND] >= KIND_MOB0
    return n


@njit
def spawn_mob(M, ef, ei, rs, m, x, y, z):
    """Put mob ``m`` at feet position (x, y, z) in a free entity slot; -1 if none may be used."""
    if _mob_count(ei) >= ENT_CAP // 2:
        return -1
    for e in range(ENT_CAP):
        if ei[e, EKIND] != KIND_FREE:
            continue
        ef[e, :] = 0.0
        ei[e, :] = 0
        ei[e, EKIND] = KIND_MOB0 + m
        ef[e, EX], ef[e, EY], ef[e, EZ] = x, y, z
        ef[e, EW], ef[e, EH], ef[e, EHP] = M.mob[m, F_WIDTH], M.mob[m, F_HEIGHT], M.mob[m, F_HP]
        ef[e, EYAW] = rng.next_float(rs) * 360.0 - 180.0
        ei[e, ECOLOR] = M.mob_i[m, I_RGB]
        if M.mob[m, F_COLOUR + 15] > 0.0:
            u = rng.next_float(rs)
            meta = 0
            while meta < 15 and u >= M.mob[m, F_COLOUR + meta]:
                meta += 1
            ei[e, EMETA] = meta
            ei[e, ECOLOR] = int(M.p[P_WOOL + meta])
        return e
    return -1


@njit
def _kill(R, ef, ei, stats, rs, e, by_player):
    """Mob dies: loot (cooked if burning), a kill in the statistics if the player did it."""
    M = R.mobs
    kind = ei[e, EKIND]
    m = kind - KIND_MOB0
    x, y, z = ef[e, EX], ef[e, EY], ef[e, EZ]
    burning = ei[e, EFIRE] > 0
    colour = ei[e, EMETA]
    ei[e, EKIND] = KIND_FREE
    if by_player:
        stats[ST_KILL, kind] += 1
    for row in range(M.mob_i[m, I_DROP0], M.mob_i[m, I_DROP1]):
        d = M.drops[row]
        if (d[D_PLAYER] and not by_player) or (d[D_CHANCE] < 1.0 and rng.next_float(rs) >= d[D_CHANCE]):
            continue
        lo, hi = int(d[D_MIN]), int(d[D_MAX])
        n = lo + (rng.next_int(rs, hi - lo + 1) if hi > lo else 0)
        if n > 0:
            item = int(d[D_COOKED] if burning and d[D_COOKED] > 0 else d[D_ITEM])
            meta = colour if d[D_META] < 0 else int(d[D_META])
            spawn_item(ef, ei, rs, item, meta, n, x, y + 0.125, z, PICKUP_DELAY_BLOCK)


# ================================================================ per tick


@njit
def mobs_tick(w, R, pf, pi, ef, ei, stats, rs, radius):
    """Mobs and arrows act, monsters despawn, and new mobs spawn (if pi[MOBSPAWN]); ``radius`` is the
    loaded area in chunks around the player."""
    # The per-mob code takes single arrays, not the rule tuples: numba increfs every array of a tuple
    # each time one crosses a function boundary, which cost more than the mobs' actual work.
    M = R.mobs
    solid, liquid, mob, mob_i, p, blocks = R.solid, R.liquid, M.mob, M.mob_i, M.p, M.blocks
    s = sky_subtract(pi[WORLD_TIME])
    box = np.empty(6)  # scratch collision box shared by all mobs this tick
    n_mon, n_cre = 0, 0
    for e in range(ENT_CAP):
        k = ei[e, EKIND]
        if k == KIND_ARROW:
            _arrow_tick(w, solid, p, pf, pi, ef, ei, e, radius)
        elif k >= KIND_MOB0:
            fate = _mob_tick(w, solid, liquid, mob, mob_i, p, blocks, pf, pi, ef, ei, rs, e, s, radius, box)
            if fate == DIES:
                _kill(R, ef, ei, stats, rs, e, False)
            elif fate == BLOWS:
                ei[e, EKIND] = KIND_FREE
                explode(w, R, pf, pi, ef, ei, stats, rs, ef[e, EX], ef[e, EY], ef[e, EZ], mob[k - KIND_MOB0, F_POWER])
            elif fate == ALIVE:
                if mob_i[k - KIND_MOB0, I_CATEGORY] == MONSTER:
                    n_mon += 1
                else:
                    n_cre += 1
    if not pi[MOBSPAWN] or pi[DEAD]:
        return
    chunks = (2 * radius + 1) ** 2
    _natural_spawn(w, R, pf, ef, ei, rs, s, MONSTER, int(M.p[P_CAP_MONSTER] * chunks / M.p[P_CAP_CHUNKS]), n_mon,
                   radius)
    if pi[TICK] % int(M.p[P_CREATURE_EVERY]) == 0:
        _natural_spawn(w, R, pf, ef, ei, rs, s, CREATURE,
                       int(M.p[P_CAP_CREATURE] * chunks / M.p[P_CAP_CHUNKS]), n_cre, radius)


@njit(inline="always")
def _mob_tick(w, solid, liquid, mob, mob_i, p, blocks, pf, pi, ef, ei, rs, e, s, radius, box):
    """One mob's tick; returns its fate: ALIVE (in the loaded area, counts for the caps), GONE, DIES or
    BLOWS (a creeper whose fuse ran out)."""
    m = ei[e, EKIND] - KIND_MOB0
    monster = mob_i[m, I_CATEGORY] == MONSTER
    if not _active(pf, ef[e, EX], ef[e, EZ], radius):
        if monster:
            ei[e, EKIND] = KIND_FREE
        return GONE
    if monster and _despawn(p, pf, ef, ei, rs, e):
        return GONE
    for f in (EHURT, ECOOL, EPANIC):
        if ei[e, f] > 0:
            ei[e, f] -= 1
    if monster:
        _update_target(w, solid, mob_i, p, blocks, pf, pi, ef, ei, rs, e, m, s)
    if monster and ei[e, ETARGET]:
        heading, speed, jump = _fight(w, solid, mob, mob_i, p, pf, pi, ef, ei, rs, e, m)
    else:
        heading, speed, jump = _wander(mob, p, ef, ei, rs, e, m)
    fall = _move(w, solid, liquid, mob_i, ef, ei, rs, e, m, heading, speed, jump, box)
    dmg = float(max(0, int(math.ceil(fall - 3.0))))
    if ei[e, EFIRE] == 0 and mob_i[m, I_BURNS] and s < 4:
        _catch_fire(w, p, blocks, ef, ei, rs, e, s)
    dmg += _fire_damage(ei, e)
    if dmg > 0:
        _hurt_mob(p, ef, ei, e, dmg)
    if ef[e, EHP] <= 0.0:
        return DIES
    if mob_i[m, I_FUSE] > 0 and ei[e, EFUSE] >= mob_i[m, I_FUSE]:
        return BLOWS
    return ALIVE


@njit(inline="always")
def _despawn(p, pf, ef, ei, rs, e):
    """Minecraft's despawn rule: gone beyond 128 blocks, by chance after 600 idle ticks beyond 32."""
    d2 = _d2(pf, ef, e)
    if d2 > p[P_DESPAWN_FAR] ** 2:
        ei[e, EKIND] = KIND_FREE
        return True
    if d2 < p[P_DESPAWN_NEAR] ** 2:
        ei[e, EAGE] = 0
        return False
    ei[e, EAGE] += 1
    if ei[e, EAGE] > p[P_DESPAWN_IDLE] and rng.next_int(rs, int(p[P_DESPAWN_CHANCE])) == 0:
        ei[e, EKIND] = KIND_FREE
        return True
    return False


@njit(inline="always")
def _catch_fire(w, p, blocks, ef, ei, rs, e, s):
    """An undead mob not on fire, in daylight (sky subtract ``s`` < 4), may catch fire under open sky."""
    ex, ez = int(math.floor(ef[e, EX])), int(math.floor(ef[e, EZ]))
    if ef[e, EY] + ef[e, EH] * 0.85 > top_opaque(w, blocks[:, B_OPAQUE], ex, ez) + 1:
        b = brightness(15 - s)
        if b > 0.5 and rng.next_float(rs) * 30.0 < (b - 0.4) * 2.0:
            ei[e, EFIRE] = int(p[P_BURN])


@njit(inline="always")
def _fire_damage(ei, e):
    """Fire burns down and deals 1 HP every 20 ticks; returns the damage."""
    if ei[e, EFIRE] > 0:
        ei[e, EFIRE] -= 1
        if ei[e, EFIRE] % 20 == 0:
            return 1.0
    return 0.0


# ================================================================ AI


@njit(inline="always")
def _wander(mob, p, ef, ei, rs, e, m):
    """A mob without a target: (heading in degrees, speed, jump) of its wander or flight; speed 0 =
    stand still."""
    if ei[e, EFUSE] > 0:
        ei[e, EFUSE] -= 1
    speed = mob[m, F_SPEED]
    if ei[e, EPANIC] > 0:
        speed *= mob[m, F_PANIC]
        if not ei[e, EGOAL]:
            _new_goal(ef, ei, rs, e, 5.0)
    elif not ei[e, EGOAL] and rng.next_int(rs, int(p[P_WANDER_CHANCE])) == 0:
        _new_goal(ef, ei, rs, e, p[P_WANDER_RANGE])
    if not ei[e, EGOAL]:
        return ef[e, EYAW], 0.0, False
    gx, gz = ef[e, EGX] - ef[e, EX], ef[e, EGZ] - ef[e, EZ]
    if gx * gx + gz * gz < 0.5 or (ei[e, ECOLLIDE] and rng.next_int(rs, 20) == 0):
        ei[e, EGOAL] = 0  # reached, or stuck against a wall for a while
        return ef[e, EYAW], 0.0, False
    return _yaw_to(gx, gz), speed, ei[e, ECOLLIDE] != 0


@njit(inline="always")
def _yaw_to(dx, dz):
    return math.degrees(math.atan2(-dx, dz))


@njit(inline="always")
def _new_goal(ef, ei, rs, e, r):
    ef[e, EGX] = ef[e, EX] + (rng.next_float(rs) * 2.0 - 1.0) * r
    ef[e, EGZ] = ef[e, EZ] + (rng.next_float(rs) * 2.0 - 1.0) * r
    ei[e, EGOAL] = 1


@njit(inline="always")
def _update_target(w, solid, mob_i, p, blocks, pf, pi, ef, ei, rs, e, m, s):
    """Notice the player (1/10 chance a tick, in range and sight); forget it out of range. Spiders
    leave the player alone in bright light."""
    r2 = p[P_FOLLOW] ** 2
    d2 = _d2(pf, ef, e)
    bright = mob_i[m, I_DAY_NEUTRAL] and _bright(w, p, blocks, ef, e, s)
    if ei[e, ETARGET]:
        if pi[DEAD] or d2 > r2 or (bright and rng.next_int(rs, 100) == 0):
            ei[e, ETARGET] = 0
    elif (not bright and d2 <= r2 and rng.next_int(rs, int(p[P_TARGET_CHANCE])) == 0
          and _sees_player(w, solid, pf, pi, ef, e)):
        ei[e, ETARGET] = 1
        ei[e, EGOAL] = 0


@njit(inline="always")
def _bright(w, p, blocks, ef, e, s):
    x, y, z = int(math.floor(ef[e, EX])), int(math.floor(ef[e, EY] + ef[e, EH] * 0.85)), int(math.floor(ef[e, EZ]))
    return brightness(max(0, sky_light(w, blocks[:, B_OPAQUE], x, y, z, int(p[P_SKY_SEARCH])) - s)) > 0.5


@njit(inline="always")
def _fight(w, solid, mob, mob_i, p, pf, pi, ef, ei, rs, e, m):
    """Monster with the player as target: creeper fuse, skeleton bow, or melee; returns the move."""
    dx, dz = pf[PX] - ef[e, EX], pf[PZ] - ef[e, EZ]
    d2 = _d2(pf, ef, e)
    heading = _yaw_to(dx, dz)
    ef[e, EYAW] = heading
    jump = ei[e, ECOLLIDE] != 0
    if mob_i[m, I_FUSE] > 0:
        fusing = ((ei[e, EFUSE] > 0 or d2 < p[P_FUSE_START] ** 2) and d2 <= p[P_FUSE_STOP] ** 2
                  and _sees_player(w, solid, pf, pi, ef, e))
        if fusing:
            ei[e, EFUSE] += 1
            return heading, 0.0, False  # a swelling creeper stands still
        if ei[e, EFUSE] > 0:
            ei[e, EFUSE] -= 1
        return heading, mob[m, F_SPEED], jump
    if mob_i[m, I_RANGED]:
        sees = d2 <= p[P_BOW_RANGE] ** 2 and _sees_player(w, solid, pf, pi, ef, e)
        if sees and ei[e, ECOOL] == 0:
            ei[e, EFUSE] += 1
            if ei[e, EFUSE] >= p[P_BOW_DRAW]:
                _shoot(p, pf, ef, ei, rs, e)
                ei[e, EFUSE] = 0
                ei[e, ECOOL] = int(p[P_BOW_CD])
        elif not sees:
            ei[e, EFUSE] = 0
        stand = sees and d2 <= p[P_BOW_STAND] ** 2
        return heading, 0.0 if stand else mob[m, F_SPEED], jump
    reach2 = (mob[m, F_WIDTH] * 2.0) ** 2 + PLAYER_W
    if d2 <= reach2 and ei[e, ECOOL] == 0 and _sees_player(w, solid, pf, pi, ef, e):
        ei[e, ECOOL] = int(p[P_MELEE_CD])
        if hurt(pf, pi, mob[m, F_DAMAGE], 0.1):
            _knock_player(pf, pi, -dx, -dz, p[P_KNOCKBACK])
    return heading, mob[m, F_SPEED], jump


@njit
def _shoot(p, pf, ef, ei, rs, e):
    """Skeleton fires at the player's box a third up, aimed a little high (§7 skeleton)."""
    y0 = ef[e, EY] + ef[e, EH] * 0.85 - 0.1
    dx, dz = pf[PX] - ef[e, EX], pf[PZ] - ef[e, EZ]
    dy = pf[PY] + PLAYER_H / 3.0 - y0
    dy += math.sqrt(dx * dx + dz * dz) * 0.2
    n = math.sqrt(dx * dx + dy * dy + dz * dz)
    if n < 1e-6:
        return
    spread = 0.0075 * p[P_ARROW_INACC]
    v = p[P_ARROW_SPEED]
    for e2 in range(ENT_CAP):
        if ei[e2, EKIND] == KIND_FREE:
            ef[e2, :] = 0.0
            ei[e2, :] = 0
            ei[e2, EKIND] = KIND_ARROW
            ef[e2, EX], ef[e2, EY], ef[e2, EZ] = ef[e, EX], y0, ef[e, EZ]
            ef[e2, EVX] = (dx / n + _gauss(rs) * spread) * v
            ef[e2, EVY] = (dy / n + _gauss(rs) * spread) * v
            ef[e2, EVZ] = (dz / n + _gauss(rs) * spread) * v
            ef[e2, EW], ef[e2, EH] = ARROW_SIZE, ARROW_SIZE
            ef[e2, EHP] = p[P_ARROW_DMG] + _gauss(rs) * 0.25
            ei[e2, ECOLOR] = 0x8B6B3D
            return


@njit
def _gauss(rs):
    u = max(rng.next_float(rs), 1e-12)
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rng.next_float(rs))


# ================================================================ movement


@njit(inline="always")
def _ledge(w, solid, liquid, ef, e, heading):
    """Whether a step along ``heading`` would walk off a drop deeper than 3 blocks."""
    yaw = math.radians(heading)
    fx = ef[e, EX] - math.sin(yaw) * (ef[e, EW] / 2 + 0.5)
    fz = ef[e, EZ] + math.cos(yaw) * (ef[e, EW] / 2 + 0.5)
    x, y, z = int(math.floor(fx)), int(math.floor(ef[e, EY] + 0.01)), int(math.floor(fz))
    for dy in range(-4, 1):
        s = get_state(w, x, y + dy, z)
        if s == UNLOADED or solid[s >> 4] or liquid[s >> 4]:
            return False
    return True


@njit(inline="always")
def _resting(w, solid, liquid, ef, e):
    """On a solid floor (some cell under the box) and not in a liquid: standing still needs no physics."""
    h = ef[e, EW] / 2
    y = int(math.floor(ef[e, EY] + 0.01))
    s = get_state(w, int(math.floor(ef[e, EX])), y, int(math.floor(ef[e, EZ])))
    if ef[e, EY] - y > 0.01 or s == UNLOADED or liquid[s >> 4]:
        return False
    for x in range(int(math.floor(ef[e, EX] - h)), int(math.floor(ef[e, EX] + h - 1e-7)) + 1):
        for z in range(int(math.floor(ef[e, EZ] - h)), int(math.floor(ef[e, EZ] + h - 1e-7)) + 1):
            if cell_solid(w, solid, x, y - 1, z):
                return True
    return False


@njit(inline="always")
def _move(w, solid, liquid, mob_i, ef, ei, rs, e, m, heading, speed, jump, box):
    """Minecraft's moveEntityWithHeading for a mob walking along ``heading``, with ``box`` as scratch;
    returns the fall distance on landing (0 otherwise)."""
    for a in (EVX, EVY, EVZ):
        if abs(ef[e, a]) < 0.003:
            ef[e, a] = 0.0
    if (speed == 0.0 and ei[e, EGROUND] and ef[e, EVX] == 0.0 and ef[e, EVZ] == 0.0
            and _resting(w, solid, liquid, ef, e)):
        ef[e, EVY] = -GRAVITY * DRAG_Y  # most mobs stand still most of the time: skip the collision pass
        ei[e, ECOLLIDE] = 0
        return 0.0
    set_box(box, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
    wet = in_liquid(w, liquid, box, 0.001, 0.401)
    ground = ei[e, EGROUND] != 0
    if speed > 0.0 and ground and not wet and _ledge(w, solid, liquid, ef, e, heading):
        speed, ei[e, EGOAL] = 0.0, 0
    if speed > 0.0:
        ef[e, EYAW] = heading
        fwd = speed * 0.98  # the AI feeds its speed in as the forward input (mechanics §2, mob speed)
        acc = fwd * (speed if ground and not wet else 0.02)
        yaw = math.radians(heading)
        ef[e, EVX] -= math.sin(yaw) * acc
        ef[e, EVZ] += math.cos(yaw) * acc
    if wet and rng.next_float(rs) < 0.8:
        ef[e, EVY] += 0.04  # mobs swim up
    elif jump and ground and speed > 0.0:
        ef[e, EVY] = JUMP_VY
    vx, vy, vz = ef[e, EVX], ef[e, EVY], ef[e, EVZ]
    mx, my, mz, hit_h, hit_v = move_box(w, solid, box, vx, vy, vz, ground, True, False)
    ef[e, EX], ef[e, EY], ef[e, EZ] = (box[0] + box[3]) / 2, box[1], (box[2] + box[5]) / 2
    ground = hit_v and vy < 0
    ei[e, EGROUND], ei[e, ECOLLIDE] = ground, hit_h
    if mx != vx:
        ef[e, EVX] = 0.0
    if mz != vz:
        ef[e, EVZ] = 0.0
    if hit_v:
        ef[e, EVY] = 0.0
    fall = 0.0
    if wet:
        ef[e, EFALL] = 0.0
        ei[e, EFIRE] = 0
        ef[e, EVX] *= 0.8
        ef[e, EVY] = ef[e, EVY] * 0.8 - 0.02
        ef[e, EVZ] *= 0.8
        return 0.0
    if ground:
        fall, ef[e, EFALL] = ef[e, EFALL], 0.0
    elif my < 0:
        ef[e, EFALL] -= my
    if mob_i[m, I_CLIMBS] and hit_h:
        ef[e, EVY], ef[e, EFALL] = CLIMB_VY, 0.0
    inertia = 0.6 * 0.91 if ground else 0.91
    ef[e, EVY] = (ef[e, EVY] - GRAVITY) * DRAG_Y
    ef[e, EVX] *= inertia
    ef[e, EVZ] *= inertia
    return fall


# ================================================================ arrows and explosions


@njit(inline="always")
def _arrow_tick(w, solid, p, pf, pi, ef, ei, e, radius):
    """Fly one tick: hit the player (damage ceil(speed x damage)), or vanish on a block or when old."""
    ei[e, EAGE] += 1
    x, y, z = ef[e, EX], ef[e, EY], ef[e, EZ]
    vx, vy, vz = ef[e, EVX], ef[e, EVY], ef[e, EVZ]
    if ei[e, EAGE] > p[P_ARROW_LIFE] or not _active(pf, x, z, radius):
        ei[e, EKIND] = KIND_FREE
        return
    speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    cy = y + ARROW_SIZE / 2
    g = 0.3  # the player's box is grown by 0.3 for arrow hits
    t = ray_box(x, cy, z, vx, vy, vz, pf[PX] - PLAYER_W / 2 - g, pf[PY] - g, pf[PZ] - PLAYER_W / 2 - g,
                pf[PX] + PLAYER_W / 2 + g, pf[PY] + PLAYER_H + g, pf[PZ] + PLAYER_W / 2 + g)
    if 0.0 <= t <= 1.0 and line_of_sight(w, solid, x, cy, z, x + vx * t, cy + vy * t, z + vz * t):
        ei[e, EKIND] = KIND_FREE
        if hurt(pf, pi, math.ceil(speed * ef[e, EHP]), 0.1):
            _knock_player(pf, pi, -vx, -vz, p[P_KNOCKBACK])
        return
    if not line_of_sight(w, solid, x, cy, z, x + vx, cy + vy, z + vz) or cell_solid(
            w, solid, int(math.floor(x)), int(math.floor(cy)), int(math.floor(z))):
        ei[e, EKIND] = KIND_FREE
        return
    ef[e, EX], ef[e, EY], ef[e, EZ] = x + vx, y + vy, z + vz
    k = 1.0 - p[P_ARROW_DRAG]
    ef[e, EVX], ef[e, EVY], ef[e, EVZ] = vx * k, vy * k - p[P_ARROW_G], vz * k


@njit
def _exposure(w, solid, cx, cy, cz, x0, y0, z0, x1, y1, z1):
    """Share of a grid of points in the box that see the explosion centre (Minecraft's getBlockDensity)."""
    sx, sy, sz = 1.0 / ((x1 - x0) * 2 + 1), 1.0 / ((y1 - y0) * 2 + 1), 1.0 / ((z1 - z0) * 2 + 1)
    ox, oz = (1.0 - math.floor(1.0 / sx) * sx) / 2.0, (1.0 - math.floor(1.0 / sz) * sz) / 2.0
    seen, total = 0, 0
    fx = 0.0
    while fx <= 1.0:
        fy = 0.0
        while fy <= 1.0:
            fz = 0.0
            while fz <= 1.0:
                px = x0 + (x1 - x0) * fx + ox
                py = y0 + (y1 - y0) * fy
                pz = z0 + (z1 - z0) * fz + oz
                seen += line_of_sight(w, solid, px, py, pz, cx, cy, cz)
                total += 1
                fz += sz
            fy += sy
        fx += sx
    return seen / max(total, 1)


@njit
def _impact(w, R, cx, cy, cz, power, x, y, z, width, height):
    """Explosion impact (0-1) on a box at feet (x, y, z), or 0 beyond 2 x power."""
    dx, dy, dz = x - cx, y - cy, z - cz
    dist = math.sqrt(dx * dx + dy * dy + dz * dz) / (2.0 * power)
    if dist > 1.0:
        return 0.0
    h = width / 2
    return (1.0 - dist) * _exposure(w, R.solid, cx, cy, cz, x - h, y, z - h, x + h, y + height, z + h)


@njit
def explode(w, R, pf, pi, ef, ei, stats, rs, cx, cy, cz, power):
    """Explosion of ``power`` at (cx, cy, cz): hurts and pushes the player and mobs, then breaks blocks."""
    M = R.mobs
    imp = _impact(w, R, cx, cy, cz, power, pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    if imp > 0.0:
        hurt(pf, pi, math.floor((imp * imp + imp) / 2.0 * 7.0 * 2.0 * power + 1.0), 0.1)
        _push(pf[PX] - cx, eye_y(pf, pi) - cy, pf[PZ] - cz, imp, pf, VX, VY, VZ)
    for e in range(ENT_CAP):
        if ei[e, EKIND] < KIND_MOB0:
            continue
        imp = _impact(w, R, cx, cy, cz, power, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
        if imp > 0.0:
            m = ei[e, EKIND] - KIND_MOB0
            dmg = math.floor((imp * imp + imp) / 2.0 * 7.0 * 2.0 * power + 1.0)
            _hurt_mob(M.p, ef, ei, e, _armoured(M.mob, m, dmg))
            _push(ef[e, EX] - cx, ef[e, EY] + ef[e, EH] * 0.85 - cy, ef[e, EZ] - cz, imp, ef[e], EVX, EVY, EVZ)
            if ef[e, EHP] <= 0.0:
                _kill(R, ef, ei, stats, rs, e, False)
    _blast_blocks(w, R, ef, ei, rs, cx, cy, cz, power)


@njit
def _push(dx, dy, dz, imp, v, ix, iy, iz):
    d = math.sqrt(dx * dx + dy * dy + dz * dz)
    if d > 1e-6:
        v[ix] += dx / d * imp
        v[iy] += dy / d * imp
        v[iz] += dz / d * imp


@njit
def _blast_blocks(w, R, ef, ei, rs, cx, cy, cz, power):
    """Break blocks of the blast sphere by the resistance rule in the module docstring."""
    M = R.mobs
    r = int(math.ceil(power))
    bx, by, bz = int(math.floor(cx)), int(math.floor(cy)), int(math.floor(cz))
    for x in range(bx - r, bx + r + 1):
        for y in range(by - r, by + r + 1):
            for z in range(bz - r, bz + r + 1):
                s = get_state(w, x, y, z)
                if s == 0 or s == UNLOADED or R.liquid[s >> 4]:
                    continue
                b = s >> 4
                dx, dy, dz = x + 0.5 - cx, y + 0.5 - cy, z + 0.5 - cz
                dist = math.sqrt(dx * dx + dy * dy + dz * dz)
                left = power * (0.7 + rng.next_float(rs) * 0.6) - dist * (0.75 + M.blocks[b, B_RESIST] + 0.3)
                if left > 0.0 and R.hardness[b] >= 0:
                    set_state(w, x, y, z, np.uint16(0))
                    if rng.next_float(rs) < 1.0 / power:
                        spawn_drops(R, ef, ei, rs, b, s & 15, x, y, z)


# ================================================================ player melee


@njit
def player_melee(w, R, pf, pi, inv, ef, ei, stats, rs, pressed):
    """Attack key against mobs: True if a mob is under the crosshair (then the block behind is not hit).

    The swing timer counts up every tick; a fresh press on a mob strikes it, a press on nothing resets it.
    """
    M = R.mobs
    pf[SWING] += 1.0
    if not pressed:
        return False
    ox, oy, oz = pf[PX], eye_y(pf, pi), pf[PZ]
    dx, dy, dz = look_vector(pf[PITCH], pf[YAW])
    reach = M.p[P_REACH]
    if pi[TVALID]:
        tb = ray_box(ox, oy, oz, dx, dy, dz, pi[TBX], pi[TBY], pi[TBZ], pi[TBX] + 1, pi[TBY] + 1, pi[TBZ] + 1)
        if tb >= 0.0:
            reach = min(reach, tb)
    e, _ = raycast_mob(ef, ei, ox, oy, oz, dx, dy, dz, reach, M.p[P_PICK_MARGIN])
    first = not pi[ATTACKPREV]
    if e < 0:
        if first and not pi[TVALID]:
            pf[SWING] = 0.0  # a swing at the air restarts the cooldown
        return False
    pi[ATTACKPREV] = 1
    pf[BREAK] = 0.0
    pi[HITTING] = 0
    if first:
        _strike(R, pf, pi, inv, ef, ei, stats, rs, e)
    return True


@njit
def _strike(R, pf, pi, inv, ef, ei, stats, rs, e):
    """One melee hit (mechanics §5.3): charge, crit, armour, knockback, tool wear, panic, death."""
    M = R.mobs
    held = held_item(inv, pi)
    c = min(max((pf[SWING] + 0.5) / (20.0 / M.weapons[held, W_SPEED]), 0.0), 1.0)
    pf[SWING] = 0.0
    dmg = M.weapons[held, W_DAMAGE] * (0.2 + 0.8 * c * c)
    if c > 0.9 and pf[FALL] > 0 and not pi[ONGROUND] and not pi[INWATER] and not pi[SPRINT]:
        dmg *= 1.5
    m = ei[e, EKIND] - KIND_MOB0
    dealt, fresh = _hurt_mob(M.p, ef, ei, e, _armoured(M.mob, m, dmg))
    if dealt <= 0.0:
        return
    if fresh:
        _knock(ef, ei, e, pf[PX] - ef[e, EX], pf[PZ] - ef[e, EZ], M.p[P_KNOCKBACK])
    if pi[SPRINT] and c > 0.9:  # sprint knockback: one extra level, and the sprint ends
        yaw = math.radians(pf[YAW])
        ef[e, EVX] -= math.sin(yaw) * 0.5
        ef[e, EVY] += 0.1
        ef[e, EVZ] += math.cos(yaw) * 0.5
        pf[VX] *= 0.6
        pf[VZ] *= 0.6
        pi[SPRINT] = 0
    pf[EXHAUST] = min(EXHAUST_CAP, pf[EXHAUST] + 0.1)
    if held != 0 and R.tool_kind[held] != 0:
        wear(inv, pi[SLOT], 1 if R.tool_kind[held] == SWORD else 2, R.max_damage)
    if M.mob_i[m, I_CATEGORY] == MONSTER:
        ei[e, ETARGET] = 1
    else:
        ei[e, EPANIC], ei[e, EGOAL] = int(M.p[P_PANIC]), 0
    if ef[e, EHP] <= 0.0:
        _kill(R, ef, ei, stats, rs, e, True)


# ================================================================ spawning


@njit
def _biome(M, cx, cz):
    """Biome of a loaded chunk from the per-slot cache (plains if the cache does not hold it)."""
    c = M.slot_biome[cx & 7, cz & 7]
    return c[2] if c[0] == cx and c[1] == cz else 1


@njit
def _pick(M, rs, biome, cat):
    """Weighted choice from the biome's spawn list; -1 if the list is empty."""
    w = M.spawn[biome, cat, :, S_WEIGHT]
    total = w.sum()
    if total <= 0.0:
        return -1
    u = rng.next_float(rs) * total
    for m in range(w.shape[0]):
        u -= w[m]
        if u < 0.0:
            return m
    return w.shape[0] - 1


@njit
def _spot_ok(w, R, M, cat, x, y, z):
    """Ground rule of a spawn spot: opaque floor (grass for animals), feet and head not solid or liquid."""
    below = get_state(w, x, y - 1, z)
    if below == UNLOADED or not M.blocks[below >> 4, B_OPAQUE] or M.blocks[below >> 4, B_NO_SPAWN]:
        return False
    if cat == CREATURE and not M.blocks[below >> 4, B_GROUND]:
        return False
    for dy in range(2):
        s = get_state(w, x, y + dy, z)
        if s == UNLOADED or M.blocks[s >> 4, B_OPAQUE] or R.liquid[s >> 4]:
            return False
    return True


@njit
def _light_ok(w, M, rs, cat, x, y, z, s):
    """Hostile: raw sky light <= rand(32), then light <= rand(8); animals: light >= 9 (mechanics §6)."""
    sky = sky_light(w, M.blocks[:, B_OPAQUE], x, y, z, int(M.p[P_SKY_SEARCH]))
    search = int(M.p[P_BLOCK_SEARCH])
    if cat == CREATURE:
        need = int(M.p[P_ANIMAL_LIGHT])
        return sky - s >= need or block_light(w, M.blocks[:, B_EMIT], x, y, z, search, need) >= need
    if sky > rng.next_int(rs, 32):
        return False
    limit = rng.next_int(rs, 8)
    return sky - s <= limit and block_light(w, M.blocks[:, B_EMIT], x, y, z, search, limit + 1) <= limit


@njit
def _natural_spawn(w, R, pf, ef, ei, rs, s, cat, cap, count, radius):
    """Minecraft's per-tick spawner over the loaded chunks: one random spot per chunk, 3 packs of up to
    4 jittered tries, at least 24 blocks from the player and the world spawn."""
    M = R.mobs
    if count > cap:
        return
    pcx, pcz = int(math.floor(pf[PX])) >> 4, int(math.floor(pf[PZ])) >> 4
    for cx in range(pcx - radius, pcx + radius + 1):
        for cz in range(pcz - radius, pcz + radius + 1):
            if not is_loaded(w, cx * 16, cz * 16):
                continue
            x, z = cx * 16 + rng.next_int(rs, 16), cz * 16 + rng.next_int(rs, 16)
            top = w.colmax[x & 127, z & 127]
            y = rng.next_int(rs, ((top + 2 + 15) // 16) * 16)
            st = get_state(w, x, y, z)
            if st == UNLOADED or M.blocks[st >> 4, B_OPAQUE]:
                continue
            count = _packs(w, R, M, pf, ef, ei, rs, s, cat, cap, count, radius, _biome(M, cx, cz), x, y, z)
            if count > cap:
                return


@njit
def _packs(w, R, M, pf, ef, ei, rs, s, cat, cap, count, radius, biome, x, y, z):
    min2 = M.p[P_MIN_DIST] ** 2
    for _ in range(int(M.p[P_PACKS])):
        bx, bz, m, n = x, z, -1, 0
        for _ in range(1 + rng.next_int(rs, int(M.p[P_PACK_TRIES]))):
            bx += rng.next_int(rs, 6) - rng.next_int(rs, 6)
            bz += rng.next_int(rs, 6) - rng.next_int(rs, 6)
            fx, fz = bx + 0.5, bz + 0.5
            if not _active(pf, fx, fz, radius) or not is_loaded(w, bx, bz):
                continue
            dx, dy, dz = fx - pf[PX], y - pf[PY], fz - pf[PZ]
            sx, sz = fx - pf[SPAWNX], fz - pf[SPAWNZ]
            if dx * dx + dy * dy + dz * dz < min2 or sx * sx + sz * sz < min2:
                continue
            if m < 0:
                m = _pick(M, rs, biome, cat)
                if m < 0:
                    return count
            if (not _spot_ok(w, R, M, cat, bx, y, bz) or not _light_ok(w, M, rs, cat, bx, y, bz, s)
                    or not _box_free(w, R, fx, y, fz, M.mob[m, F_WIDTH], M.mob[m, F_HEIGHT])):
                continue
            if spawn_mob(M, ef, ei, rs, m, fx, float(y), fz) < 0:
                return cap + 1
            n += 1
            count += 1
            if count > cap:
                return count
            if n >= M.p[P_GROUP_MAX]:
                break
    return count


@njit
def populate_chunk(w, R, ef, ei, rs, cx, cz, biome):
    """World-generation animals of a new chunk: while rand < 0.1, a group from the biome's creature list
    on grass under open sky (mechanics §7, last bullet)."""
    M = R.mobs
    while rng.next_float(rs) < M.worldgen_chance[biome]:
        m = _pick(M, rs, biome, CREATURE)
        if m < 0:
            return
        lo, hi = int(M.spawn[biome, CREATURE, m, S_MIN]), int(M.spawn[biome, CREATURE, m, S_MAX])
        n = lo + rng.next_int(rs, hi - lo + 1)
        x, z = cx * 16 + rng.next_int(rs, 16), cz * 16 + rng.next_int(rs, 16)
        for _ in range(n):
            for _ in range(4):
                y = top_opaque(w, M.blocks[:, B_OPAQUE], x, z) + 1
                if (0 < y < 256 and M.blocks[get_state(w, x, y - 1, z) >> 4, B_GROUND]
                        and _box_free(w, R, x + 0.5, float(y), z + 0.5, M.mob[m, F_WIDTH], M.mob[m, F_HEIGHT])):
                    if spawn_mob(M, ef, ei, rs, m, x + 0.5, float(y), z + 0.5) < 0:
                        return
                    break
                x = min(max(x + rng.next_int(rs, 5) - rng.next_int(rs, 5), cx * 16), cx * 16 + 15)
                z = min(max(z + rng.next_int(rs, 5) - rng.next_int(rs, 5), cz * 16), cz * 16 + 15)
