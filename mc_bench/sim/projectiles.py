"""Projectiles (entity kind KIND_ARROW): skeleton and player arrows, witch potions, llama spit.

A projectile keeps its shooter in EOWNER (mob index, -1 = the player), its damage field in EHP and a
critical flag in EMETA. The shooter's ``ranged`` numbers in ``mobs.yaml`` say how it flies and hurts:
``scaled`` damage is ceil(speed x field) (arrows), otherwise flat; ``splash`` > 0 hurts the player by
distance to the impact (a splash potion of Harming: magic, armour does not help).

Simplifications: mob projectiles only hit the player, the player's arrows only hit mobs; a projectile
vanishes on a block (a player's arrow leaves an arrow item there to pick up).
"""

from __future__ import annotations

import math

from mc_bench.rules.mobs import (
    F_R_DAMAGE,
    F_R_GRAVITY,
    F_R_INACC,
    F_R_JITTER,
    F_R_SCALED,
    F_R_SPEED,
    F_R_SPLASH,
    I_R_RGB,
    I_TELEPORTS,
    P_ARROW_DRAG,
    P_ARROW_LIFE,
    P_BOW_AMMO,
    P_BOW_GRAVITY,
    P_KNOCKBACK,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.interact import PICKUP_DELAY_BLOCK, ray_box, raycast_mob, spawn_item
from mc_bench.sim.mob_base import (
    ARROW_SIZE,
    active,
    armoured,
    gauss,
    hurt_mob,
    kill,
    knock,
    knock_player,
    line_of_sight,
    provoke,
    teleport,
)
from mc_bench.sim.physics import cell_solid
from mc_bench.sim.state import (
    D_MAGIC,
    D_PROJECTILE,
    D_SOURCE,
    EAGE,
    ECOLOR,
    EH,
    EHP,
    EKIND,
    EMETA,
    ENT_CAP,
    EOWNER,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EY,
    EZ,
    KIND_ARROW,
    KIND_FREE,
    KIND_MOB0,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
)
from mc_bench.sim.vitals import hurt_by, hurt_from

HIT_GROW = 0.3  # boxes are grown by this for projectile hits (EntityArrow)


@kernel
def launch(ef, ei, rs, owner, x, y, z, dx, dy, dz, speed, inaccuracy, damage, rgb, crit):
    """A projectile from (x, y, z) along (dx, dy, dz) with Minecraft's setThrowableHeading spread; -1 if
    no entity slot is free."""
    n = math.sqrt(dx * dx + dy * dy + dz * dz)
    if n < 1e-6:
        return -1
    spread = 0.0075 * inaccuracy
    for e in range(ENT_CAP):
        if ei[e, EKIND] == KIND_FREE:
            ef[e, :] = 0.0
            ei[e, :] = 0
            ei[e, EKIND], ei[e, EOWNER], ei[e, EMETA], ei[e, ECOLOR] = KIND_ARROW, owner, crit, rgb
            ef[e, EX], ef[e, EY], ef[e, EZ] = x, y - ARROW_SIZE / 2, z
            ef[e, EVX] = (dx / n + gauss(rs) * spread) * speed
            ef[e, EVY] = (dy / n + gauss(rs) * spread) * speed
            ef[e, EVZ] = (dz / n + gauss(rs) * spread) * speed
            ef[e, EW], ef[e, EH], ef[e, EHP] = ARROW_SIZE, ARROW_SIZE, damage
            return e
    return -1


@kernel
def mob_shoot(mob, mob_i, pf, ef, ei, rs, e, m):
    """Mob e fires its ranged projectile at the player's box a third up, aimed a little high (§7 skeleton)."""
    y0 = ef[e, EY] + ef[e, EH] * 0.85 - 0.1
    dx, dz = pf[PX] - ef[e, EX], pf[PZ] - ef[e, EZ]
    dy = pf[PY] + PLAYER_H / 3.0 - y0 + math.sqrt(dx * dx + dz * dz) * 0.2
    damage = mob[m, F_R_DAMAGE] + gauss(rs) * mob[m, F_R_JITTER]
    launch(ef, ei, rs, m, ef[e, EX], y0 + ARROW_SIZE / 2, ef[e, EZ], dx, dy, dz, mob[m, F_R_SPEED],
           mob[m, F_R_INACC], damage, mob_i[m, I_R_RGB], 0)


@kernel(inline="always")
def projectile_tick(w, R, pf, pi, ef, ei, stats, rs, e, radius):
    """Fly one tick: hit the target side (player or mobs), or end on a block or when old."""
    M = R.mobs
    p = M.p
    ei[e, EAGE] += 1
    x, y, z = ef[e, EX], ef[e, EY], ef[e, EZ]
    vx, vy, vz = ef[e, EVX], ef[e, EVY], ef[e, EVZ]
    if ei[e, EAGE] > p[P_ARROW_LIFE] or not active(pf, x, z, radius):
        ei[e, EKIND] = KIND_FREE
        return
    cy = y + ARROW_SIZE / 2
    owner = ei[e, EOWNER]
    if owner < 0:
        if _hit_mob(w, R, pf, ef, ei, stats, rs, e, x, cy, z, vx, vy, vz):
            return
    elif _hit_player(w, R.solid, M.mob, p, pf, pi, ef, ei, e, owner, x, cy, z, vx, vy, vz):
        return
    if not line_of_sight(w, R.solid, x, cy, z, x + vx, cy + vy, z + vz) or cell_solid(
            w, R.solid, int(math.floor(x)), int(math.floor(cy)), int(math.floor(z))):
        ei[e, EKIND] = KIND_FREE
        if owner < 0:
            spawn_item(ef, ei, rs, int(p[P_BOW_AMMO]), 0, 1, x, cy, z, PICKUP_DELAY_BLOCK)
        elif M.mob[owner, F_R_SPLASH] > 0.0:
            _splash(M.mob, pf, pi, owner, x, cy, z, 0.0)
        return
    ef[e, EX], ef[e, EY], ef[e, EZ] = x + vx, y + vy, z + vz
    g = p[P_BOW_GRAVITY] if owner < 0 else M.mob[owner, F_R_GRAVITY]
    k = 1.0 - p[P_ARROW_DRAG]
    ef[e, EVX], ef[e, EVY], ef[e, EVZ] = vx * k, vy * k - g, vz * k


@kernel(inline="always")
def _hit_player(w, solid, mob, p, pf, pi, ef, ei, e, m, x, cy, z, vx, vy, vz):
    g = HIT_GROW
    t = ray_box(x, cy, z, vx, vy, vz, pf[PX] - PLAYER_W / 2 - g, pf[PY] - g, pf[PZ] - PLAYER_W / 2 - g,
                pf[PX] + PLAYER_W / 2 + g, pf[PY] + PLAYER_H + g, pf[PZ] + PLAYER_W / 2 + g)
    if not (0.0 <= t <= 1.0 and line_of_sight(w, solid, x, cy, z, x + vx * t, cy + vy * t, z + vz * t)):
        return False
    ei[e, EKIND] = KIND_FREE
    if mob[m, F_R_SPLASH] > 0.0:
        _splash(mob, pf, pi, m, pf[PX], pf[PY], pf[PZ], 1.0)
        return True
    speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    dmg = math.ceil(speed * ef[e, EHP]) if mob[m, F_R_SCALED] else ef[e, EHP]
    if hurt_by(pf, pi, dmg, x, cy, z, D_PROJECTILE):
        knock_player(pf, pi, -vx, -vz, p[P_KNOCKBACK])
    return True


@kernel
def _splash(mob, pf, pi, m, x, y, z, direct):
    """Splash potion of Harming: intensity 1 on a direct hit, else 1 - distance / radius (EntityPotion)."""
    r = mob[m, F_R_SPLASH]
    if direct <= 0.0:
        dx, dy, dz = pf[PX] - x, pf[PY] - y, pf[PZ] - z
        d = math.sqrt(dx * dx + dy * dy + dz * dz)
        if d >= r:
            return
        direct = 1.0 - d / r
    hurt_from(pf, pi, float(int(direct * mob[m, F_R_DAMAGE] + 0.5)), 0.0, D_MAGIC | D_SOURCE, x, y, z)  # Harming


@kernel(inline="always")
def _hit_mob(w, R, pf, ef, ei, stats, rs, e, x, cy, z, vx, vy, vz):
    """A player's arrow against the nearest mob box on its path this tick (EntityArrow.onHit)."""
    M = R.mobs
    best, bt = raycast_mob(ef, ei, x, cy, z, vx, vy, vz, 1.0, HIT_GROW)  # t in ticks of this tick's path
    if best < 0 or not line_of_sight(w, R.solid, x, cy, z, x + vx * bt, cy + vy * bt, z + vz * bt):
        return False
    ei[e, EKIND] = KIND_FREE
    m = ei[best, EKIND] - KIND_MOB0
    if M.mob_i[m, I_TELEPORTS]:  # endermen dodge projectiles
        teleport(w, R.solid, R.liquid, M.p, ef, ei, rs, best)
        return True
    speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    dmg = math.ceil(speed * ef[e, EHP])
    if ei[e, EMETA]:
        dmg += rng.next_int(rs, int(dmg) // 2 + 2)
    dealt, fresh = hurt_mob(M.p, ef, ei, best, armoured(M.mob, m, dmg))
    if fresh:
        knock(ef, ei, best, -vx, -vz, M.p[P_KNOCKBACK])
    if dealt > 0.0:
        provoke(M, ef, ei, best)
    if ef[best, EHP] <= 0.0:
        kill(R, ef, ei, stats, rs, best, True)
    return True
