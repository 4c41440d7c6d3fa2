"""Worn equipment (mechanics §5.2): armour points, putting armour on with use, raising a shield, and
the wear hits put on them. ``e.equip`` rows are feet, legs, chest, head, offhand (MineDojo's raw
slots 36-40); which item goes where, and its points, come from the rule arrays."""

from __future__ import annotations

from mc_bench.sim._jit import kernel
from mc_bench.sim.interact import copy_row, held_item, wear
from mc_bench.sim.state import (
    ARMOR,
    ARMORWEAR,
    EQ_OFFHAND,
    FOOD,
    IT_COUNT,
    IT_ID,
    SHIELDWEAR,
    SLOT,
    ST_USE,
    TOUGH,
    USEHAND,
    USEPREV,
    USETICKS,
)

HAND_NONE, HAND_MAIN, HAND_OFF = 0, 1, 2


@kernel
def refresh_armour(R, pf, equip):
    """Armour points and toughness of the pieces worn in their own rows, into pf[ARMOR], pf[TOUGH]."""
    points, tough = 0.0, 0.0
    for s in range(EQ_OFFHAND):
        item = equip[s, IT_ID]
        if equip[s, IT_COUNT] > 0 and R.wear_slot[item] == s:
            points += R.armor[item, 0]
            tough += R.armor[item, 1]
    pf[ARMOR], pf[TOUGH] = points, tough


@kernel
def use_tick(R, pf, pi, inv, equip, stats, use, taken):
    """One tick of the use input, main hand first then offhand (1.11 processRightClick): hungry with
    food in hand eats (vitals); a fresh press with an armour piece puts it on if its row is empty;
    otherwise a shield in either hand is raised while use is held (one use statistic per raise).
    ``taken``: use already went to a mob or the bow this tick. Always runs, since it keeps pi[USEPREV]."""
    first = use and not pi[USEPREV]
    pi[USEPREV] = use
    refresh_armour(R, pf, equip)
    if taken:
        use = False
    if use and pi[USEHAND] != HAND_NONE and R.shield[_hand_item(pi, inv, equip, pi[USEHAND])]:
        pi[USETICKS] += 1
        return
    pi[USEHAND], pi[USETICKS] = HAND_NONE, 0
    if not use:
        return
    held = held_item(inv, pi)
    if R.food[held, 0] > 0 and pf[FOOD] < 20:
        return
    if first and _put_on(R, pf, pi, inv, equip, stats, held):
        return
    for hand in (HAND_MAIN, HAND_OFF):
        item = _hand_item(pi, inv, equip, hand)
        if R.shield[item]:
            pi[USEHAND], pi[USETICKS] = hand, 1
            stats[ST_USE, item] += 1
            return


@kernel
def _hand_item(pi, inv, equip, hand):
    if hand == HAND_MAIN:
        return held_item(inv, pi)
    return equip[EQ_OFFHAND, IT_ID] if equip[EQ_OFFHAND, IT_COUNT] > 0 else 0


@kernel
def _put_on(R, pf, pi, inv, equip, stats, held):
    """ItemArmor.onItemRightClick: the held piece moves to its row only if that row is empty."""
    row = R.wear_slot[held]
    if held == 0 or row < 0 or row == EQ_OFFHAND or equip[row, IT_COUNT] > 0:
        return False
    s = pi[SLOT]
    copy_row(equip, row, inv, s)
    inv[s, :] = 0
    stats[ST_USE, held] += 1
    refresh_armour(R, pf, equip)
    return True


@kernel
def wear_equipment(R, pf, pi, inv, equip):
    """Apply the wear this tick's hits owe: every worn armour piece, then the raised shield;
    broken pieces vanish (and a broken shield is lowered)."""
    n = int(pf[ARMORWEAR])
    if n > 0:
        for s in range(EQ_OFFHAND):
            if equip[s, IT_COUNT] > 0 and 0 <= R.wear_slot[equip[s, IT_ID]] < EQ_OFFHAND:
                wear(equip, s, n, R.max_damage)
    k = int(pf[SHIELDWEAR])
    if k > 0 and pi[USEHAND] == HAND_MAIN:
        wear(inv, pi[SLOT], k, R.max_damage)
    elif k > 0 and pi[USEHAND] == HAND_OFF:
        wear(equip, EQ_OFFHAND, k, R.max_damage)
    if pi[USEHAND] != HAND_NONE and not R.shield[_hand_item(pi, inv, equip, pi[USEHAND])]:
        pi[USEHAND], pi[USETICKS] = HAND_NONE, 0
    pf[ARMORWEAR], pf[SHIELDWEAR] = 0.0, 0.0
    refresh_armour(R, pf, equip)
