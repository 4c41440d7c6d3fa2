"""Health, food and the environment hurting the player (mechanics §4, §5.1).

``hurt`` (and ``hurt_by`` for hits with a direction, which a shield can block) is the one way damage
reaches the player: it applies the invulnerability window and armour, so every source (falls, mobs,
lava, drowning, starvation) follows the same rules.
"""

from __future__ import annotations

import math

from mc_bench.sim._jit import kernel
from mc_bench.sim.physics import box_of, eye_y, look_vector
from mc_bench.sim.state import (
    AIR,
    ARMOR,
    ARMORWEAR,
    D_FIRE,
    D_SOURCE,
    DEAD,
    DMGHUNGER,
    DMGKIND,
    DMGTICK,
    DMGX,
    DMGY,
    DMGZ,
    EATING,
    EXHAUST,
    FIRE,
    FOOD,
    FOODTIMER,
    HEALTH,
    INVUL,
    INWATER,
    IT_COUNT,
    IT_ID,
    IT_META,
    LASTHURT,
    ONGROUND,
    PITCH,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
    SAT,
    SHIELDWEAR,
    SLOT,
    ST_USE,
    TICK,
    TOUGH,
    USEHAND,
    USETICKS,
    YAW,
)
from mc_bench.sim.world import UNLOADED, get_state

INVUL_TICKS = 20  # a hit starts a 20-tick timer; above 10 only a larger hit does its extra damage
SHIELD_WARMUP = 5  # a shield blocks from its 5th tick raised (isActiveItemStackBlocking)
SHIELD_MIN_WEAR = 3.0  # hits below 3 HP do not wear a shield; others cost 1 + floor(damage) (damageShield)
EXHAUST_CAP = 40.0


@kernel
def hurt(pf, pi, amount, exhaustion, kind):
    """Deal ``amount`` HP to the player; returns True if the hit landed fresh (knockback applies).

    ``exhaustion`` is 0.1 for damage armour can block (contact, mobs, arrows, explosions) and 0 for
    falls, drowning, starvation and burning, which bypass armour (vanilla ties both to one flag).
    ``kind``: D_* bits of the damage source, kept with the latest damage event.
    """
    return hurt_from(pf, pi, amount, exhaustion, kind, 0.0, 0.0, 0.0)


@kernel
def hurt_from(pf, pi, amount, exhaustion, kind, sx, sy, sz):
    """:func:`hurt` by a source at (sx, sy, sz) (``kind`` has D_SOURCE) that no shield can block."""
    if amount <= 0:
        return False
    return _damage(pf, pi, amount, exhaustion, False, kind, sx, sy, sz)


@kernel
def hurt_by(pf, pi, amount, sx, sy, sz, kind):
    """A mob hit, arrow or explosion coming from (sx, sy, sz): armour applies, and a shield raised for
    SHIELD_WARMUP ticks takes the whole hit if the source is in front (canBlockDamageSource)."""
    if amount <= 0:
        return False
    if _shield_faces(pf, pi, sx, sz):
        if amount >= SHIELD_MIN_WEAR:
            pf[SHIELDWEAR] += 1 + math.floor(amount)
        return _damage(pf, pi, 0.0, 0.1, True, kind | D_SOURCE, sx, sy, sz)
    return _damage(pf, pi, amount, 0.1, False, kind | D_SOURCE, sx, sy, sz)


@kernel
def _shield_faces(pf, pi, sx, sz):
    """Whether a raised shield faces (sx, sz): the horizontal offset to the source within 90 degrees of the look."""
    if pi[USEHAND] == 0 or pi[USETICKS] < SHIELD_WARMUP:
        return False
    lx, _, lz = look_vector(pf[PITCH], pf[YAW])
    return (sx - pf[PX]) * lx + (sz - pf[PZ]) * lz > 0.0


@kernel
def _damage(pf, pi, amount, exhaustion, blocked, kind, sx, sy, sz):
    """EntityLivingBase.attackEntityFrom for the player: the invulnerability window compares raw
    amounts (a shield-blocked hit counts as 0 and still starts the window), then armour
    (applyArmorCalculations) wears and absorbs; exhaustion only when health is lost. A hit the
    window does not swallow becomes the latest damage event."""
    if pi[DEAD]:
        return False
    fresh = True
    if pf[INVUL] > 10:
        if amount <= pf[LASTHURT]:
            return False
        dealt = amount - pf[LASTHURT]
        fresh = False
    else:
        dealt = amount
        pf[INVUL] = INVUL_TICKS
    pi[DMGKIND], pi[DMGTICK] = kind, pi[TICK] + 1  # 1-based: 0 = no event since the reset
    pf[DMGX], pf[DMGY], pf[DMGZ], pf[DMGHUNGER] = sx, sy, sz, exhaustion
    pf[LASTHURT] = amount
    if exhaustion > 0:
        pf[ARMORWEAR] += max(1.0, math.floor(dealt / 4.0))  # every worn piece, applied at the end of the tick
        dealt = after_armour(dealt, pf[ARMOR], pf[TOUGH])
    if dealt > 0:
        pf[HEALTH] -= dealt
        add_exhaustion(pf, exhaustion)
    if pf[HEALTH] <= 0:
        pf[HEALTH] = 0.0
        pi[DEAD] = 1
    return fresh and not blocked


@kernel
def after_armour(damage, armor, toughness):
    """Damage left after armour, 1.9+ CombatRules.getDamageAfterAbsorb (mechanics §5.2)."""
    absorbed = min(20.0, max(armor / 5.0, armor - damage / (2.0 + toughness / 4.0)))
    return damage * (1.0 - absorbed / 25.0)


# Exhaustion costs in 1.11 (mechanics §4).
EXH_SPRINT_M = 0.1
EXH_SWIM_M = 0.01
EXH_JUMP = (0.0, 0.05, 0.2)  # by jump kind: none, jump, sprint-jump
EXH_BREAK = 0.005
EXH_REGEN = 6.0
EAT_TICKS = 32
AIR_MAX = 300


@kernel
def vitals_tick(w, R, pf, pi, inv, stats, use, jumped, moved, sprinting, fall_damage):
    """Everything health and food do in one tick, after movement (mechanics §4, §5.1)."""
    if pf[INVUL] > 0:
        pf[INVUL] -= 1
    hurt(pf, pi, fall_damage, 0.0, 0)
    _exhaust(pf, pi, jumped, moved, sprinting)
    _eat(R, pf, pi, inv, stats, use)
    _food_tick(pf, pi)
    _breathe(w, R, pf, pi)
    _hazards(w, R, pf, pi)


@kernel
def add_exhaustion(pf, amount):
    pf[EXHAUST] = min(EXHAUST_CAP, pf[EXHAUST] + amount)


@kernel
def _exhaust(pf, pi, jumped, moved, sprinting):
    if pi[INWATER]:
        add_exhaustion(pf, EXH_SWIM_M * moved)
    elif sprinting and pi[ONGROUND]:
        add_exhaustion(pf, EXH_SPRINT_M * moved)
    add_exhaustion(pf, EXH_JUMP[jumped])


@kernel
def _food_tick(pf, pi):
    """FoodStats.onUpdate on Normal difficulty: exhaustion drains saturation then food; a full
    bar heals, an empty one starves down to 1 HP."""
    if pf[EXHAUST] > 4.0:
        pf[EXHAUST] -= 4.0
        if pf[SAT] > 0:
            pf[SAT] = max(0.0, pf[SAT] - 1.0)
        else:
            pf[FOOD] = max(0.0, pf[FOOD] - 1.0)
    hurt_ = pf[HEALTH] < 20.0
    if pf[FOOD] >= 20 and pf[SAT] > 0 and hurt_:
        pi[FOODTIMER] += 1
        if pi[FOODTIMER] >= 10:
            k = min(pf[SAT], 6.0)
            pf[HEALTH] = min(20.0, pf[HEALTH] + k / 6.0)
            add_exhaustion(pf, k)
            pi[FOODTIMER] = 0
    elif pf[FOOD] >= 18 and hurt_:
        pi[FOODTIMER] += 1
        if pi[FOODTIMER] >= 80:
            pf[HEALTH] = min(20.0, pf[HEALTH] + 1.0)
            add_exhaustion(pf, EXH_REGEN)
            pi[FOODTIMER] = 0
    elif pf[FOOD] <= 0:
        pi[FOODTIMER] += 1
        if pi[FOODTIMER] >= 80:
            if pf[HEALTH] > 1.0:
                hurt(pf, pi, 1.0, 0.0, 0)  # starving
            pi[FOODTIMER] = 0
    else:
        pi[FOODTIMER] = 0


@kernel
def _eat(R, pf, pi, inv, stats, use):
    """Holding use with food in hand for 32 ticks eats one (not at a full food bar), counting a use."""
    s = pi[SLOT]
    item = inv[s, IT_ID] if inv[s, IT_COUNT] > 0 else 0
    if not use or R.food[item, 0] <= 0 or pf[FOOD] >= 20:
        pi[EATING] = 0
        return
    pi[EATING] += 1
    if pi[EATING] < EAT_TICKS:
        return
    pi[EATING] = 0
    pf[FOOD] = min(20.0, pf[FOOD] + R.food[item, 0])
    pf[SAT] = min(pf[FOOD], pf[SAT] + R.food[item, 1])
    stats[ST_USE, item] += 1
    inv[s, IT_COUNT] -= 1
    if inv[s, IT_COUNT] <= 0:
        inv[s, IT_ID], inv[s, IT_META], inv[s, IT_COUNT] = 0, 0, 0


@kernel
def head_in_water(w, R, pf, pi):
    """Whether the eye is in a water cell (Entity.isInsideOfMaterial(WATER)): drowning, slow mining."""
    s = get_state(w, int(math.floor(pf[PX])), int(math.floor(eye_y(pf, pi))), int(math.floor(pf[PZ])))
    return s != UNLOADED and R.liquid[s >> 4] and R.ignites[s >> 4] == 0


@kernel
def _breathe(w, R, pf, pi):
    """Air runs down while the eye is in water; at -20 it resets to 0 and deals 2 HP."""
    if head_in_water(w, R, pf, pi):
        pf[AIR] -= 1
        if pf[AIR] <= -20:
            pf[AIR] = 0.0
            hurt(pf, pi, 2.0, 0.0, 0)  # drowning
    else:
        pf[AIR] = AIR_MAX


@kernel
def _in_liquid_box(box, x, y, z):
    """Whether cell (x, y, z) overlaps the player box shrunk by 0.1 sideways and 0.4 vertically."""
    return (x < box[3] - 0.1 and x + 1 > box[0] + 0.1 and y < box[4] - 0.4 and y + 1 > box[1] + 0.4
            and z < box[5] - 0.1 and z + 1 > box[2] + 0.1)


@kernel
def _hazards(w, R, pf, pi):
    """Contact damage and fire from touched blocks (cactus from touching its side, liquids only
    where the shrunk box is in them); water puts fire out; burning costs 1 HP a second."""
    box = box_of(pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    dmg, hot, fire, wet = 0.0, False, 0, False
    for x in range(int(math.floor(box[0] - 0.001)), int(math.floor(box[3] + 0.001)) + 1):
        for y in range(int(math.floor(box[1] - 0.001)), int(math.floor(box[4] + 0.001)) + 1):
            for z in range(int(math.floor(box[2] - 0.001)), int(math.floor(box[5] + 0.001)) + 1):
                s = get_state(w, x, y, z)
                if s == UNLOADED:
                    continue
                b = s >> 4
                if R.liquid[b] and not _in_liquid_box(box, x, y, z):
                    continue  # liquids count only inside Minecraft's shrunk box (isInLava / isInWater)
                if R.contact_damage[b] > dmg:
                    dmg, hot = float(R.contact_damage[b]), R.ignites[b] > 0  # lava burns, cactus pricks
                fire = max(fire, R.ignites[b])
                wet = wet or (R.liquid[b] != 0 and R.ignites[b] == 0)
    if dmg > 0:
        hurt(pf, pi, dmg, 0.1, D_FIRE if hot else 0)
    if fire > 0:
        pf[FIRE] = max(pf[FIRE], float(fire))
    elif wet:
        pf[FIRE] = 0.0
    if pf[FIRE] > 0:
        pf[FIRE] -= 1
        if int(pf[FIRE]) % 20 == 0:
            hurt(pf, pi, 1.0, 0.0, D_FIRE)  # burning bypasses armour
