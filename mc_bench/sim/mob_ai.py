"""Mob decisions, one small state machine per mob: wander, flee after a hit, notice the player
(hostile mobs on sight; neutral ones when hit or, endermen, when stared at), and fight by the mob's
attack kind: melee, creeper fuse, projectile (bow, potion, spit), guardian beam, or slime contact.

Each decision returns the move for this tick: (heading in degrees, speed, jump); speed 0 = stand.
"""

from __future__ import annotations

import math

from mc_bench.rules.mobs import (
    ATK_BEAM,
    ATK_CONTACT,
    ATK_FUSE,
    ATK_SHOOT,
    F_DAMAGE,
    F_HARMLESS,
    F_HOP_MAX,
    F_PANIC,
    F_R_COOLDOWN,
    F_R_DAMAGE,
    F_R_DRAW,
    F_R_RANGE,
    F_R_STAND,
    I_ATTACK,
    I_DAY_NEUTRAL,
    I_FUSE,
    I_STARE,
    P_FOLLOW,
    P_FUSE_START,
    P_FUSE_STOP,
    P_KNOCKBACK,
    P_MELEE_CD,
    P_SKY_SEARCH,
    P_STARE_RANGE,
    P_TARGET_CHANCE,
    P_WANDER_CHANCE,
    P_WANDER_RANGE,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.light import brightness, sky_light
from mc_bench.sim.mob_base import (
    d2_player,
    knock_player,
    line_of_sight,
    sees_player,
    yaw_to,
)
from mc_bench.sim.physics import eye_y, look_vector
from mc_bench.sim.projectiles import mob_shoot
from mc_bench.sim.state import (
    D_MAGIC,
    D_SOURCE,
    DEAD,
    ECOLLIDE,
    ECOOL,
    EFUSE,
    EGOAL,
    EGX,
    EGZ,
    EH,
    EPANIC,
    ESIZE,
    ESPEED,
    ETARGET,
    EW,
    EX,
    EY,
    EYAW,
    EZ,
    PITCH,
    PLAYER_W,
    PX,
    PZ,
    YAW,
)
from mc_bench.sim.vitals import hurt_by, hurt_from


@kernel(inline="always")
def wander(mob, p, ef, ei, rs, e, m):
    """A mob without a target: its wander or panic flight."""
    if ei[e, EFUSE] > 0 and mob[m, F_HOP_MAX] == 0:  # a fuse or draw cools down (hoppers count their own)
        ei[e, EFUSE] -= 1
    speed = ef[e, ESPEED]
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
    return yaw_to(gx, gz), speed, ei[e, ECOLLIDE] != 0


@kernel(inline="always")
def _new_goal(ef, ei, rs, e, r):
    ef[e, EGX] = ef[e, EX] + (rng.next_float(rs) * 2.0 - 1.0) * r
    ef[e, EGZ] = ef[e, EZ] + (rng.next_float(rs) * 2.0 - 1.0) * r
    ei[e, EGOAL] = 1


@kernel(inline="always")
def update_target(w, solid, mob_i, p, blocks, pf, pi, ef, ei, rs, e, m, s):
    """A hostile mob notices the player (1/10 chance a tick, in range and sight) and forgets it out of
    range. Spiders leave the player alone in bright light."""
    r2 = p[P_FOLLOW] ** 2
    d2 = d2_player(pf, ef, e)
    bright = mob_i[m, I_DAY_NEUTRAL] and _bright(w, p, blocks, ef, e, s)
    if ei[e, ETARGET]:
        if pi[DEAD] or d2 > r2 or (bright and rng.next_int(rs, 100) == 0):
            ei[e, ETARGET] = 0
    elif (not bright and d2 <= r2 and rng.next_int(rs, int(p[P_TARGET_CHANCE])) == 0
          and sees_player(w, solid, pf, pi, ef, e)):
        ei[e, ETARGET] = 1
        ei[e, EGOAL] = 0


@kernel(inline="always")
def update_neutral(w, solid, mob_i, p, pf, pi, ef, ei, e, m):
    """A neutral mob keeps the player as target once provoked (until out of range); a starer is provoked
    by the player's look at its head (EntityEnderman.shouldAttackPlayer: dot > 1 - 0.025 / distance)."""
    d2 = d2_player(pf, ef, e)
    if ei[e, ETARGET]:
        if pi[DEAD] or d2 > max(p[P_FOLLOW], p[P_STARE_RANGE] if mob_i[m, I_STARE] else 0.0) ** 2:
            ei[e, ETARGET] = 0
        return
    if not mob_i[m, I_STARE] or pi[DEAD] or d2 > p[P_STARE_RANGE] ** 2:
        return
    lx, ly, lz = look_vector(pf[PITCH], pf[YAW])
    ey = eye_y(pf, pi)
    hx, hy, hz = ef[e, EX] - pf[PX], ef[e, EY] + ef[e, EH] * 0.88 - ey, ef[e, EZ] - pf[PZ]
    d = math.sqrt(hx * hx + hy * hy + hz * hz)
    if d > 1e-6 and (lx * hx + ly * hy + lz * hz) / d > 1.0 - 0.025 / d and line_of_sight(
            w, solid, pf[PX], ey, pf[PZ], ef[e, EX], ef[e, EY] + ef[e, EH] * 0.88, ef[e, EZ]):
        ei[e, ETARGET], ei[e, EGOAL] = 1, 0


@kernel(inline="always")
def _bright(w, p, blocks, ef, e, s):
    x, y, z = int(math.floor(ef[e, EX])), int(math.floor(ef[e, EY] + ef[e, EH] * 0.85)), int(math.floor(ef[e, EZ]))
    return brightness(max(0, sky_light(w, x, y, z, int(p[P_SKY_SEARCH])) - s)) > 0.5


@kernel(inline="always")
def fight(w, solid, mob, mob_i, p, pf, pi, ef, ei, rs, e, m):
    """A mob with the player as target attacks by its attack kind; returns the move."""
    dx, dz = pf[PX] - ef[e, EX], pf[PZ] - ef[e, EZ]
    d2 = d2_player(pf, ef, e)
    heading = yaw_to(dx, dz)
    ef[e, EYAW] = heading
    jump = ei[e, ECOLLIDE] != 0
    speed = ef[e, ESPEED]
    attack = mob_i[m, I_ATTACK]
    if attack == ATK_FUSE:
        return heading, _fuse(w, solid, mob_i, p, pf, pi, ef, ei, e, m, d2, speed), jump
    if attack == ATK_SHOOT or attack == ATK_BEAM:
        return heading, _ranged(w, solid, mob, mob_i, pf, pi, ef, ei, rs, e, m, d2, speed), jump
    size = max(ei[e, ESIZE], 1)
    if attack == ATK_CONTACT:  # EntitySlime.dealDamage: within 0.6 x size, small slimes never hurt
        if size >= mob[m, F_HARMLESS]:
            _melee(w, solid, p, pf, pi, ef, ei, e, d2, (0.6 * size) ** 2, mob[m, F_DAMAGE] * size, dx, dz)
        return heading, speed, jump
    if mob[m, F_DAMAGE] > 0.0:
        _melee(w, solid, p, pf, pi, ef, ei, e, d2, (ef[e, EW] * 2.0) ** 2 + PLAYER_W, mob[m, F_DAMAGE], dx, dz)
    return heading, speed, jump


@kernel(inline="always")
def _melee(w, solid, p, pf, pi, ef, ei, e, d2, reach2, damage, dx, dz):
    if d2 <= reach2 and ei[e, ECOOL] == 0 and sees_player(w, solid, pf, pi, ef, e):
        ei[e, ECOOL] = int(p[P_MELEE_CD])
        if hurt_by(pf, pi, damage, ef[e, EX], ef[e, EY], ef[e, EZ], 0):
            knock_player(pf, pi, -dx, -dz, p[P_KNOCKBACK])


@kernel(inline="always")
def _fuse(w, solid, mob_i, p, pf, pi, ef, ei, e, m, d2, speed):
    """Creeper: swell (standing still) near the player in sight, shrink back otherwise; returns the speed."""
    fusing = ((ei[e, EFUSE] > 0 or d2 < p[P_FUSE_START] ** 2) and d2 <= p[P_FUSE_STOP] ** 2
              and sees_player(w, solid, pf, pi, ef, e))
    if fusing:
        ei[e, EFUSE] += 1
        return 0.0
    if ei[e, EFUSE] > 0:
        ei[e, EFUSE] -= 1
    return speed


@kernel(inline="always")
def _ranged(w, solid, mob, mob_i, pf, pi, ef, ei, rs, e, m, d2, speed):
    """Charge for ``draw`` ticks with the player in range and sight, then shoot (or land the beam); losing
    sight resets the charge. Stands still inside ``stand``; returns the speed."""
    sees = d2 <= mob[m, F_R_RANGE] ** 2 and sees_player(w, solid, pf, pi, ef, e)
    if sees and ei[e, ECOOL] == 0:
        ei[e, EFUSE] += 1
        if ei[e, EFUSE] >= mob[m, F_R_DRAW]:
            if mob_i[m, I_ATTACK] == ATK_SHOOT:
                mob_shoot(mob, mob_i, pf, ef, ei, rs, e, m)
            else:
                hurt_from(pf, pi, mob[m, F_R_DAMAGE], 0.0, D_MAGIC | D_SOURCE, ef[e, EX], ef[e, EY], ef[e, EZ])  # guardian beam
            ei[e, EFUSE] = 0
            ei[e, ECOOL] = int(mob[m, F_R_COOLDOWN])
    elif not sees:
        ei[e, EFUSE] = 0
    return 0.0 if sees and d2 <= mob[m, F_R_STAND] ** 2 else speed


@kernel(inline="always")
def fuse_done(mob_i, ei, e, m):
    """A creeper whose fuse ran out."""
    return mob_i[m, I_FUSE] > 0 and ei[e, EFUSE] >= mob_i[m, I_FUSE]
