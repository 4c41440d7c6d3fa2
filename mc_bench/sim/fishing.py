"""Fishing with a rod (ItemFishingRod, EntityFishHook, 1.11): cast, wait, bite, reel in.

A press of use with the rod (``usage.py``, use kind FISH) casts the hook onto the first water the look ray
meets within the rod's range (vanilla throws the bobber as a projectile; the ray is our stand-in); with no
water there the hook lies on land. While the hook is in water, vanilla's three timers run in turn: the
wait (ticksCaughtDelay), the fish's approach (ticksCatchableDelay) and the bite (ticksCatchable); a missed
bite starts a new wait. A press during the bite reels in one catch of the fishing loot table, which lands
at the player's feet and costs the rod ``catch_wear``; a press at any other time reels in nothing (a hook
on land costs ``land_wear``). The line breaks when the rod leaves the main hand, the hook's water is gone
or the player is more than ``line`` blocks from it. Only a cast counts the use statistic, as in
``ItemFishingRod.onItemRightClick``. Not modelled: rain (faster) and a hook without open sky (slower).

Numbers: ``blocks.yaml`` ``use.fish`` and ``fishing_loot`` (``WorldRules.p[P_WAIT0..]``, ``loot`` rows from
``p[P_FISH0]``). State: ``pi[FISHING]`` (phase), ``pi[FISHTIME]`` (ticks left), ``pi[HOOKX..HOOKZ]``.
"""

from __future__ import annotations

from mc_bench.rules.world_rules import (
    IT_A,
    IT_USE,
    L_CUM,
    L_ITEM,
    L_META,
    P_CATCH_WEAR,
    P_FISH0,
    P_LAND_WEAR,
    P_LINE,
    P_WAIT0,
    P_WATER_ROW,
    U_FISH,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.fluids import fluid_of
from mc_bench.sim.interact import held_item, raycast_block, spawn_item, wear
from mc_bench.sim.physics import eye_y, look_vector
from mc_bench.sim.state import (
    FISHING,
    FISHTIME,
    HOOKX,
    HOOKY,
    HOOKZ,
    IT_ID,
    PITCH,
    PX,
    PY,
    PZ,
    YAW,
)
from mc_bench.sim.world import get_state

PH_NONE, PH_WAIT, PH_APPROACH, PH_BITE, PH_LAND = range(5)


@kernel
def fish_use(w, W, R, pf, pi, inv, ef, ei, rs, slot):
    """A press with the rod: reel in a line that is out, else cast. True if it counts a use (a cast)."""
    if pi[FISHING] != PH_NONE:
        _reel(W, R, pf, pi, inv, ef, ei, rs, slot)
        return False
    dx, dy, dz = look_vector(pf[PITCH], pf[YAW])
    reach = W.itm[inv[slot, IT_ID], IT_A]
    hit, x, y, z, _ = raycast_block(w, W.no_liquid, pf[PX], eye_y(pf, pi), pf[PZ], dx, dy, dz, reach)
    if hit and fluid_of(W, get_state(w, x, y, z)) == W.p[P_WATER_ROW]:
        pi[HOOKX], pi[HOOKY], pi[HOOKZ] = x, y, z
        _phase(W, pi, rs, PH_WAIT)
    else:
        pi[FISHING] = PH_LAND
    return True


@kernel
def line_tick(w, W, pf, pi, inv, rs):
    """Run the hook's timers for one tick, or break the line (rod not held, water gone, too far)."""
    if W.itm[held_item(inv, pi), IT_USE] != U_FISH:
        pi[FISHING] = PH_NONE
        return
    if pi[FISHING] == PH_LAND:
        return
    d2 = (pf[PX] - pi[HOOKX] - 0.5) ** 2 + (pf[PY] - pi[HOOKY]) ** 2 + (pf[PZ] - pi[HOOKZ] - 0.5) ** 2
    if d2 > W.p[P_LINE] ** 2 or fluid_of(W, get_state(w, pi[HOOKX], pi[HOOKY], pi[HOOKZ])) != W.p[P_WATER_ROW]:
        pi[FISHING] = PH_NONE
        return
    pi[FISHTIME] -= 1
    if pi[FISHTIME] <= 0:  # wait -> approach -> bite -> (missed) wait
        _phase(W, pi, rs, PH_WAIT if pi[FISHING] == PH_BITE else pi[FISHING] + 1)


@kernel
def _phase(W, pi, rs, phase):
    """Enter ``phase`` for a uniform [min, max] number of ticks (MathHelper.getInt)."""
    k = P_WAIT0 + 2 * (phase - PH_WAIT)  # p holds [min, max] of wait, approach and bite in a row
    lo, hi = W.p[k], W.p[k + 1]
    pi[FISHING], pi[FISHTIME] = phase, lo + rng.next_int(rs, hi - lo + 1)


@kernel
def _reel(W, R, pf, pi, inv, ef, ei, rs, slot):
    """EntityFishHook.handleHookRetraction: a catch during the bite, wear by what the hook held."""
    phase = pi[FISHING]
    pi[FISHING] = PH_NONE
    if phase == PH_BITE:
        L = W.loot
        u = rng.next_float(rs)
        e = W.p[P_FISH0]
        while e < L.shape[0] - 1 and u >= L[e, L_CUM]:
            e += 1
        spawn_item(ef, ei, rs, int(L[e, L_ITEM]), int(L[e, L_META]), 1, pf[PX], pf[PY] + 0.5, pf[PZ], 0)
        wear(inv, slot, W.p[P_CATCH_WEAR], R.max_damage)
    elif phase == PH_LAND:
        wear(inv, slot, W.p[P_LAND_WEAR], R.max_damage)
