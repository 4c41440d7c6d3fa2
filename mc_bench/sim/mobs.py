"""Mobs (mechanics §7): the per-tick loop over mobs and projectiles, despawning, daylight burning,
the player's melee (§5.3), the ``use`` key on mobs (shears, buckets, bowls) and the player's bow.

Every number comes from ``R.mobs`` (``mc_bench/rules/mobs.yaml``); a mob is entity kind
``KIND_MOB0 + m``. The pieces live in the modules below this one: ``mob_base`` (shared helpers,
spawn, death), ``mob_move`` (walking, hopping, flight, swimming), ``mob_ai`` (decisions and attacks),
``projectiles``, ``explosions`` and ``mob_spawn`` (natural spawning).

Simplifications, all documented here and in the modules:

* Mobs do not push each other or the player.
* Mobs in chunks outside the loaded area: monsters, bats and squid despawn (unless summoned by a task),
  animals freeze until it comes back. Mobs never take more than half of the entity slots, so items
  always have room.
* Fire, fall and explosion deaths drop loot but do not count as kills; "recently hit by the player"
  is not tracked.
"""

from __future__ import annotations

import math


from mc_bench.rules.mobs import (
    CREATURE,
    F_POWER,
    FLY,
    HOP,
    HOSTILE,
    I_BEHAVIOUR,
    I_BURNS,
    I_CATEGORY,
    I_LAY,
    I_MOVE,
    I_RGB,
    I_TELEPORTS,
    NEUTRAL,
    P_BOW_AMMO,
    P_BOW_DAMAGE,
    P_BOW_INACC,
    P_BOW_ITEM,
    P_BOW_MIN_DRAW,
    P_BOW_RGB,
    P_BOW_SPEED,
    P_BURN,
    P_CAP0,
    P_CAP_CHUNKS,
    P_CREATURE_EVERY,
    P_DESPAWN_CHANCE,
    P_DESPAWN_FAR,
    P_DESPAWN_IDLE,
    P_DESPAWN_NEAR,
    P_KNOCKBACK,
    P_PICK_MARGIN,
    P_REACH,
    P_WATER_DMG,
    SWIM,
    W_DAMAGE,
    W_SPEED,
    X_BECOMES,
    X_DROP,
    X_GIVES,
    X_ITEM,
    X_MAX,
    X_META,
    X_MIN,
    X_MOB,
    X_SHEARS,
    X_WEAR,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.explosions import explode
from mc_bench.sim.interact import (
    PICKUP_DELAY_BLOCK,
    SWORD,
    held_item,
    inv_add,
    inv_find,
    inv_take,
    ray_box,
    raycast_mob,
    spawn_item,
    wear,
)
from mc_bench.sim.light import brightness, sky_subtract, top_opaque
from mc_bench.sim.mob_ai import fight, fuse_done, update_neutral, update_target, wander
from mc_bench.sim.mob_base import (
    active,
    armoured,
    d2_player,
    hurt_mob,
    kill,
    knock,
    lay,
    provoke,
    spawn_mob,
    teleport,
)
from mc_bench.sim.mob_move import fly, hop, swim, walk
from mc_bench.sim.mob_spawn import natural_spawn, populate_chunk
from mc_bench.sim.physics import eye_y, in_liquid, look_vector, scratch, set_box
from mc_bench.sim.projectiles import launch, projectile_tick
from mc_bench.sim.state import (
    ATTACKPREV,
    BOWDRAW,
    BREAK,
    DEAD,
    EAGE,
    ECHARGED,
    ECOLOR,
    ECOOL,
    EFIRE,
    EH,
    EHP,
    EHURT,
    EKIND,
    EMETA,
    ENT_CAP,
    EPANIC,
    EPERSIST,
    ESHEARED,
    ETARGET,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EXHAUST,
    EY,
    EZ,
    FALL,
    HITTING,
    INWATER,
    IT_COUNT,
    IT_ID,
    IT_META,
    KIND_ARROW,
    KIND_FREE,
    KIND_MOB0,
    MOBSPAWN,
    ONGROUND,
    PITCH,
    PX,
    PZ,
    SLOT,
    SPRINT,
    ST_USE,
    SWING,
    TBX,
    TBY,
    TBZ,
    TICK,
    TVALID,
    USEPREV,
    VX,
    VY,
    VZ,
    WORLD_TIME,
    YAW,
)

__all__ = ["explode", "mobs_tick", "player_melee", "player_use", "populate_chunk", "spawn_mob", "summon"]

ALIVE, GONE, DIES, BLOWS = range(4)  # what became of a mob in its tick (see _mob_tick)
EXHAUST_CAP = 40.0


# ================================================================ per tick


@kernel
def mobs_tick(w, R, pf, pi, ef, ei, stats, rs, radius):
    """Mobs and projectiles act, mobs despawn, and new mobs spawn (if pi[MOBSPAWN]); ``radius`` is the
    loaded area in chunks around the player."""
    # The per-mob code takes single arrays, not the rule tuples: numba increfs every array of a tuple
    # each time one crosses a function boundary, which cost more than the mobs' actual work.
    M = R.mobs
    solid, liquid, mob, mob_i, p, blocks = R.solid, R.liquid, M.mob, M.mob_i, M.p, M.blocks
    s = sky_subtract(pi[WORLD_TIME])
    box = scratch(pf)  # the engine's scratch collision box, for each mob in turn
    c0, c1, c2, c3 = 0, 0, 0, 0  # live mobs per category, for the caps
    for e in range(ENT_CAP):
        k = ei[e, EKIND]
        if k == KIND_ARROW:
            projectile_tick(w, R, pf, pi, ef, ei, stats, rs, e, radius)
        elif k >= KIND_MOB0:
            fate = _mob_tick(w, solid, liquid, mob, mob_i, p, blocks, pf, pi, ef, ei, rs, e, s, radius, box)
            if fate == DIES:
                kill(R, ef, ei, stats, rs, e, False)
            elif fate == BLOWS:
                ei[e, EKIND] = KIND_FREE
                charged = ei[e, ECHARGED] != 0  # struck by lightning: twice the power, and heads drop
                explode(w, R, pf, pi, ef, ei, stats, rs, ef[e, EX], ef[e, EY], ef[e, EZ],
                        mob[k - KIND_MOB0, F_POWER] * (2.0 if charged else 1.0), charged)
            elif fate == ALIVE:
                cat = mob_i[k - KIND_MOB0, I_CATEGORY]
                c0, c1, c2, c3 = c0 + (cat == 0), c1 + (cat == 1), c2 + (cat == 2), c3 + (cat == 3)
    if not pi[MOBSPAWN] or pi[DEAD]:
        return
    chunks = (2 * radius + 1) ** 2
    counts = (c0, c1, c2, c3)
    for cat in range(4):
        if cat != CREATURE or pi[TICK] % int(p[P_CREATURE_EVERY]) == 0:
            natural_spawn(w, R, pf, ef, ei, rs, s, cat, int(p[P_CAP0 + cat] * chunks / p[P_CAP_CHUNKS]),
                          counts[cat], radius)


@kernel(inline="always")
def _mob_tick(w, solid, liquid, mob, mob_i, p, blocks, pf, pi, ef, ei, rs, e, s, radius, box):
    """One mob's tick; returns its fate: ALIVE (in the loaded area, counts for the caps), GONE, DIES or
    BLOWS (a creeper whose fuse ran out)."""
    m = ei[e, EKIND] - KIND_MOB0
    despawns = mob_i[m, I_CATEGORY] != CREATURE and not ei[e, EPERSIST]
    if not active(pf, ef[e, EX], ef[e, EZ], radius):
        if despawns:
            ei[e, EKIND] = KIND_FREE
        return GONE
    if despawns and _despawn(p, pf, ef, ei, rs, e):
        return GONE
    for f in (EHURT, ECOOL, EPANIC):
        if ei[e, f] > 0:
            ei[e, f] -= 1
    if mob_i[m, I_LAY] > 0:
        lay(mob_i, ef, ei, rs, e, m)
    beh, move = mob_i[m, I_BEHAVIOUR], mob_i[m, I_MOVE]
    if beh == HOSTILE:
        update_target(w, solid, mob_i, p, blocks, pf, pi, ef, ei, rs, e, m, s)
    elif beh == NEUTRAL:
        update_neutral(w, solid, mob_i, p, pf, pi, ef, ei, e, m)
    targeting = ei[e, ETARGET] != 0
    if targeting:
        heading, speed, jump = fight(w, solid, mob, mob_i, p, pf, pi, ef, ei, rs, e, m)
    elif move == FLY or move == SWIM:  # they steer themselves below
        heading, speed, jump = 0.0, 0.0, False
    else:
        heading, speed, jump = wander(mob, p, ef, ei, rs, e, m)
    dmg = 0.0
    if move == FLY:
        fly(w, solid, p, ef, ei, rs, e, box)
    elif move == SWIM:
        swim(w, solid, liquid, p, pf[PX], eye_y(pf, pi), pf[PZ], ef, ei, rs, e, targeting and speed > 0.0, box)
    else:
        if move == HOP:
            speed, jump = hop(mob, ef, ei, rs, e, m, speed, targeting)
        dmg = float(max(0, int(math.ceil(walk(w, solid, liquid, mob_i, ef, ei, rs, e, m, heading, speed, jump,
                                                box) - 3.0))))
    if ei[e, EFIRE] == 0 and mob_i[m, I_BURNS] and s < 4:
        _catch_fire(w, p, blocks, ef, ei, rs, e, s)
    dmg += _fire_damage(ei, e)
    if mob_i[m, I_TELEPORTS] and _in_water(w, liquid, ef, e, box):  # endermen: water hurts, they flee it
        dmg += p[P_WATER_DMG]
        teleport(w, solid, liquid, p, ef, ei, rs, e)
    if dmg > 0:
        hurt_mob(p, ef, ei, e, dmg)
    if ef[e, EHP] <= 0.0:
        return DIES
    if fuse_done(mob_i, ei, e, m):
        return BLOWS
    return ALIVE


@kernel(inline="always")
def _in_water(w, liquid, ef, e, box):
    set_box(box, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
    return in_liquid(w, liquid, box, 0.001, 0.401)


@kernel(inline="always")
def _despawn(p, pf, ef, ei, rs, e):
    """Minecraft's despawn rule: gone beyond 128 blocks, by chance after 600 idle ticks beyond 32."""
    d2 = d2_player(pf, ef, e)
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


@kernel(inline="always")
def _catch_fire(w, p, blocks, ef, ei, rs, e, s):
    """An undead mob not on fire, in daylight (sky subtract ``s`` < 4), may catch fire under open sky."""
    ex, ez = int(math.floor(ef[e, EX])), int(math.floor(ef[e, EZ]))
    if ef[e, EY] + ef[e, EH] * 0.85 > top_opaque(w, ex, ez) + 1:
        b = brightness(15 - s)
        if b > 0.5 and rng.next_float(rs) * 30.0 < (b - 0.4) * 2.0:
            ei[e, EFIRE] = int(p[P_BURN])


@kernel(inline="always")
def _fire_damage(ei, e):
    """Fire burns down and deals 1 HP every 20 ticks; returns the damage."""
    if ei[e, EFIRE] > 0:
        ei[e, EFIRE] -= 1
        if ei[e, EFIRE] % 20 == 0:
            return 1.0
    return 0.0


# ================================================================ the player against mobs


@kernel
def _aimed_mob(pf, pi, ef, ei, M):
    """The mob under the crosshair within entity reach and before the targeted block; -1 if none."""
    ox, oy, oz = pf[PX], eye_y(pf, pi), pf[PZ]
    dx, dy, dz = look_vector(pf[PITCH], pf[YAW])
    reach = M.p[P_REACH]
    if pi[TVALID]:
        tb = ray_box(ox, oy, oz, dx, dy, dz, pi[TBX], pi[TBY], pi[TBZ], pi[TBX] + 1, pi[TBY] + 1, pi[TBZ] + 1)
        if tb >= 0.0:
            reach = min(reach, tb)
    e, _ = raycast_mob(ef, ei, ox, oy, oz, dx, dy, dz, reach, M.p[P_PICK_MARGIN])
    return e


@kernel
def player_melee(w, R, pf, pi, inv, ef, ei, stats, rs, pressed):
    """Attack key against mobs: True if a mob is under the crosshair (then the block behind is not hit).

    The swing timer counts up every tick; a fresh press on a mob strikes it, a press on nothing resets it.
    """
    pf[SWING] += 1.0
    if not pressed:
        return False
    e = _aimed_mob(pf, pi, ef, ei, R.mobs)
    first = not pi[ATTACKPREV]
    if e < 0:
        if first and not pi[TVALID]:
            pf[SWING] = 0.0  # a swing at the air restarts the cooldown
        return False
    pi[ATTACKPREV] = 1
    pf[BREAK] = 0.0
    pi[HITTING] = 0
    if first:
        _strike(w, R, pf, pi, inv, ef, ei, stats, rs, e)
    return True


@kernel
def _strike(w, R, pf, pi, inv, ef, ei, stats, rs, e):
    """One melee hit (mechanics §5.3): charge, crit, armour, knockback, tool wear and use, provoking, death."""
    M = R.mobs
    held = held_item(inv, pi)
    c = min(max((pf[SWING] + 0.5) / (20.0 / M.weapons[held, W_SPEED]), 0.0), 1.0)
    pf[SWING] = 0.0
    dmg = M.weapons[held, W_DAMAGE] * (0.2 + 0.8 * c * c)
    if c > 0.9 and pf[FALL] > 0 and not pi[ONGROUND] and not pi[INWATER] and not pi[SPRINT]:
        dmg *= 1.5
    m = ei[e, EKIND] - KIND_MOB0
    dealt, fresh = hurt_mob(M.p, ef, ei, e, armoured(M.mob, m, dmg))
    if dealt <= 0.0:
        return
    if fresh:
        knock(ef, ei, e, pf[PX] - ef[e, EX], pf[PZ] - ef[e, EZ], M.p[P_KNOCKBACK])
    if pi[SPRINT] and c > 0.9:  # sprint knockback: one extra level, and the sprint ends
        yaw = math.radians(pf[YAW])
        ef[e, EVX] -= math.sin(yaw) * 0.5
        ef[e, EVY] += 0.1
        ef[e, EVZ] += math.cos(yaw) * 0.5
        pf[VX] *= 0.6
        pf[VZ] *= 0.6
        pi[SPRINT] = 0
    pf[EXHAUST] = min(EXHAUST_CAP, pf[EXHAUST] + 0.1)
    if held != 0 and R.tool_kind[held] != 0:  # ItemStack.hitEntity: a tool or sword hit counts a use
        stats[ST_USE, held] += 1
        wear(inv, pi[SLOT], 1 if R.tool_kind[held] == SWORD else 2, R.max_damage)
    provoke(M, ef, ei, e)
    if ef[e, EHP] <= 0.0:
        kill(R, ef, ei, stats, rs, e, True)
    elif M.mob_i[m, I_TELEPORTS] and rng.next_int(rs, 10) != 0:
        teleport(w, R.solid, R.liquid, M.p, ef, ei, rs, e)


@kernel
def player_use(w, R, pf, pi, inv, ef, ei, stats, rs, pressed):
    """The use key for mobs and the bow: a fresh press on a mob with a matching held item runs its
    interaction; holding use with a bow and arrows draws it, and releasing shoots. True if either
    happened this tick."""
    M = R.mobs
    held = held_item(inv, pi)
    bow = held != 0 and held == int(M.p[P_BOW_ITEM])
    if not pressed:
        drawn = pi[BOWDRAW]
        pi[BOWDRAW] = 0
        return bow and drawn > 0 and _release(R, pf, pi, inv, ef, ei, stats, rs, drawn)
    if bow:
        if pi[BOWDRAW] > 0 or inv_find(inv, int(M.p[P_BOW_AMMO])) >= 0:
            pi[BOWDRAW] += 1
        return pi[BOWDRAW] > 0
    if pi[USEPREV] or held == 0:  # interactions run once per press (USEPREV: use held last tick)
        return False
    e = _aimed_mob(pf, pi, ef, ei, M)
    return e >= 0 and _interact(R, pi, inv, ef, ei, stats, rs, e, held)


@kernel
def _interact(R, pi, inv, ef, ei, stats, rs, e, held):
    """The first interaction row for this mob and held item whose condition holds."""
    M = R.mobs
    X = M.interact
    m = ei[e, EKIND] - KIND_MOB0
    for r in range(X.shape[0]):
        if X[r, X_MOB] != m or X[r, X_ITEM] != held or (X[r, X_SHEARS] and ei[e, ESHEARED]):
            continue
        x, y, z = ef[e, EX], ef[e, EY] + ef[e, EH], ef[e, EZ]
        if X[r, X_DROP] > 0:
            lo, hi = X[r, X_MIN], X[r, X_MAX]
            meta = ei[e, EMETA] if X[r, X_META] < 0 else X[r, X_META]
            spawn_item(ef, ei, rs, X[r, X_DROP], meta, lo + rng.next_int(rs, hi - lo + 1), x, y, z, PICKUP_DELAY_BLOCK)
        if X[r, X_SHEARS]:
            ei[e, ESHEARED] = 1
        if X[r, X_BECOMES] >= 0:
            ei[e, EKIND] = KIND_MOB0 + X[r, X_BECOMES]
            ei[e, ECOLOR] = M.mob_i[X[r, X_BECOMES], I_RGB]
        stats[ST_USE, held] += 1
        if X[r, X_WEAR] > 0:
            wear(inv, pi[SLOT], X[r, X_WEAR], R.max_damage)
        if X[r, X_GIVES] > 0:
            _swap_one(R, inv, ef, ei, rs, pi[SLOT], X[r, X_GIVES], x, y, z)
        return True
    return False


@kernel
def _swap_one(R, inv, ef, ei, rs, slot, item, x, y, z):
    """One held item becomes ``item`` (a bucket of milk): in place if it was the last, else into the
    inventory, or dropped if there is no room."""
    if inv[slot, IT_COUNT] == 1:
        inv[slot, IT_ID], inv[slot, IT_META] = item, 0
        return
    inv_take(inv, slot, 1)
    if inv_add(inv, item, 0, 1, R.stack_size) > 0:
        spawn_item(ef, ei, rs, item, 0, 1, x, y, z, PICKUP_DELAY_BLOCK)


@kernel
def _release(R, pf, pi, inv, ef, ei, stats, rs, ticks):
    """ItemBow.onPlayerStoppedUsing: draw f = t/20, f = (f^2 + 2f) / 3 capped at 1; below the minimum
    nothing happens; else one arrow flies at 3f (critical at full draw), the bow wears and counts a use."""
    M = R.mobs
    f = ticks / 20.0
    f = min((f * f + 2.0 * f) / 3.0, 1.0)
    ammo = inv_find(inv, int(M.p[P_BOW_AMMO]))
    if f < M.p[P_BOW_MIN_DRAW] or ammo < 0:
        return False
    dx, dy, dz = look_vector(pf[PITCH], pf[YAW])
    e = launch(ef, ei, rs, -1, pf[PX], eye_y(pf, pi) - 0.1, pf[PZ], dx, dy, dz, M.p[P_BOW_SPEED] * f,
               M.p[P_BOW_INACC], M.p[P_BOW_DAMAGE], int(M.p[P_BOW_RGB]), 1 if f >= 1.0 else 0)
    if e >= 0:  # the shooter's own motion carries over (Entity.setAim)
        ef[e, EVX] += pf[VX]
        ef[e, EVZ] += pf[VZ]
        if not pi[ONGROUND]:
            ef[e, EVY] += pf[VY]
    bow_item = int(M.p[P_BOW_ITEM])
    inv_take(inv, ammo, 1)
    stats[ST_USE, bow_item] += 1
    wear(inv, pi[SLOT], 1, R.max_damage)
    return True


@kernel
def summon(R, ef, ei, rs, m, x, y, z):
    """A task places mob ``m`` at (x, y, z); it never despawns. The entity slot, or -1 if none is free."""
    e = spawn_mob(R.mobs, ef, ei, rs, m, x, y, z)
    if e >= 0:
        ei[e, EPERSIST] = 1
    return e
