"""MineRL's item commands over an inventory: ``craft``/``nearbyCraft`` and ``nearbySmelt`` (minerl-v0 §1.4).

The action names the *output*; the recipe and furnace tables of :class:`~mc_bench.rules.Rules` say what it
costs. Plain Python: the env calls these only when an item action is not ``none``. Every command works on
a copy of the inventory and commits only on success, so a failed command leaves the inventory untouched.

Lookup order (deterministic): recipes in ``rules.recipe_out`` row order, i.e. minecraft-data's order, then
the generated fixes with plank types and colours by ascending meta (``craft planks`` holding birch and
jungle logs gives birch planks); furnace recipes in ``smelting.yaml`` order. The first recipe whose
ingredients are held wins.

Fuel choice (``smelt``): the fuel that wastes the least burn time on one ``rules.cook_ticks`` cook, using
whole items of one kind (1 planks = 300 beats 1 coal = 1600; 2 sticks = 200 beat 1 planks); ties go to
the lower item id, then meta. If no single kind covers the cook, kinds are burnt in ascending burn time
(then id, meta) until it is covered. The item being smelted is taken out first, so it never fuels
itself, though other items of its kind may (5 logs -> 1 charcoal, burning a log).
"""

from __future__ import annotations

import numpy as np

from mc_bench.sim.interact import inv_add, inv_take
from mc_bench.sim.state import IT_COUNT, IT_ID, IT_META, ST_CRAFT

__all__ = ["craft", "craft_recipe", "fuel_ticks", "recipes_for", "smelt", "smelt_recipes_for"]


def recipes_for(rules, item: int, meta: int = -1) -> np.ndarray:
    """Row indices of the crafting recipes producing ``item`` (``meta`` -1 = any variant), in lookup order."""
    out = rules.recipe_out
    hit = out[:, 0] == item
    return np.flatnonzero(hit if meta < 0 else hit & (out[:, 1] == meta))


def smelt_recipes_for(rules, item: int, meta: int = -1) -> np.ndarray:
    """Row indices of the furnace recipes producing ``item`` (``meta`` -1 = any variant), in lookup order."""
    out = rules.smelt_out
    hit = out[:, 0] == item
    return np.flatnonzero(hit if meta < 0 else hit & (out[:, 1] == meta))


def fuel_ticks(rules, item: int) -> int:
    """Furnace burn ticks of one ``item`` (0 = not fuel)."""
    return int(rules.fuel_ticks[item])


def craft(rules, inv: np.ndarray, stats: np.ndarray, item: int, meta: int = -1, table: bool = False) -> bool:
    """Craft ``item`` by output with the first recipe whose ingredients ``inv`` holds.

    Args:
        rules: the compiled :class:`~mc_bench.rules.Rules`.
        inv: int32[36, 3] inventory, changed in place on success only.
        stats: int64 statistics; ``stats[ST_CRAFT, item]`` grows by the crafted count.
        item: output item id.
        meta: output variant, -1 = any.
        table: a crafting table is at hand, so 3x3 recipes are allowed.

    Returns:
        Whether an item was crafted.
    """
    held = _held(rules, inv)
    return any(craft_recipe(rules, inv, stats, int(r), table) for r in recipes_for(rules, item, meta)
               if _may_hold(rules.recipe_in[r], held))


def _held(rules, inv: np.ndarray) -> np.ndarray:
    return np.bincount(inv[:, IT_ID], weights=inv[:, IT_COUNT], minlength=len(rules.stack_size))


def _may_hold(ingredients: np.ndarray, held: np.ndarray) -> bool:
    """Cheap pre-check by item id (variants ignored): skips most recipes without copying the inventory."""
    return all(held[i] >= n for i, _, n in ingredients if i)


def craft_recipe(rules, inv: np.ndarray, stats: np.ndarray, r: int, table: bool = True) -> bool:
    """Apply crafting recipe row ``r`` if its grid is available and ``inv`` holds its ingredients."""
    item, meta, count, needs_table = (int(x) for x in rules.recipe_out[r])
    if needs_table and not table:
        return False
    work = inv.copy()
    # Exact variants go before wildcards so a wildcard never eats a stack an exact ingredient needs.
    ings = sorted((tuple(int(x) for x in row) for row in rules.recipe_in[r] if row[0]), key=lambda g: g[1] < 0)
    if not all(_take(work, i, m, n) for i, m, n in ings):
        return False
    spent = [(i, n) for i, _, n in ings]
    if not _put(rules, work, [(item, meta, count)] + _containers(rules, spent)):
        return False
    inv[:] = work
    stats[ST_CRAFT, item] += count
    return True


def smelt(rules, inv: np.ndarray, stats: np.ndarray, item: int, meta: int = -1) -> bool:
    """Smelt one ``item`` by output at once, as MineRL's ``nearbySmelt`` does.

    The first furnace recipe (``smelting.yaml`` order) whose input ``inv`` holds and whose cook the rest of
    the inventory can fuel wins; one input and the chosen fuel (module docstring) are consumed, one output
    is added and counted in ``stats[ST_CRAFT, item]`` (the game counts smelted items as crafted).

    Returns:
        Whether an item was smelted; on False the inventory is untouched.
    """
    for r in smelt_recipes_for(rules, item, meta):
        work = inv.copy()
        src_item, src_meta = (int(x) for x in rules.smelt_in[r])
        if not _take(work, src_item, src_meta, 1):
            continue
        burnt = _burn(rules, work)
        out = tuple(int(x) for x in rules.smelt_out[r])
        if burnt is None or not _put(rules, work, [out] + _containers(rules, burnt)):
            continue
        inv[:] = work
        stats[ST_CRAFT, out[0]] += out[2]
        return True
    return False


# ---------------------------------------------------------------- inventory arithmetic


def _take(inv: np.ndarray, item: int, meta: int, n: int) -> bool:
    """Remove ``n`` of ``item`` (``meta`` -1 = any, mixed variants allowed), hotbar first."""
    for s in range(inv.shape[0]):
        if n == 0:
            break
        if inv[s, IT_ID] == item and inv[s, IT_COUNT] > 0 and (meta < 0 or inv[s, IT_META] == meta):
            k = min(n, int(inv[s, IT_COUNT]))
            inv_take(inv, s, k)
            n -= k
    return n == 0


def _put(rules, inv: np.ndarray, stacks) -> bool:
    """Add (item, meta, count) stacks; False if any does not fit."""
    return all(inv_add(inv, i, m, n, rules.stack_size) == 0 for i, m, n in stacks)


def _containers(rules, spent) -> list[tuple[int, int, int]]:
    """What used-up (item, count) pairs leave behind, e.g. the cake's milk buckets."""
    return [(int(rules.container_item[i]), 0, n) for i, n in spent if rules.container_item[i]]


# ---------------------------------------------------------------- fuel


def _fuel_stock(rules, inv: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(burn ticks, item, meta, count) of each fuel kind held, in the fallback burning order."""
    stock: dict[tuple[int, int], int] = {}
    for item, meta, count in inv:
        if count > 0 and rules.fuel_ticks[item] > 0:
            stock[int(item), int(meta)] = stock.get((int(item), int(meta)), 0) + int(count)
    return sorted((int(rules.fuel_ticks[i]), i, m, c) for (i, m), c in stock.items())


def _fuel_plan(rules, inv: np.ndarray) -> list[tuple[int, int, int]] | None:
    """The (item, meta, count) fuel to burn for one cook, or None if the inventory cannot fuel it."""
    need, stock = rules.cook_ticks, _fuel_stock(rules, inv)
    singles = [(-(-need // t) * t, i, m, -(-need // t)) for t, i, m, c in stock if c * t >= need]
    if singles:
        _, i, m, n = min(singles)
        return [(i, m, n)]
    plan = []
    for t, i, m, c in stock:
        n = min(c, -(-need // t))
        plan.append((i, m, n))
        need -= n * t
        if need <= 0:
            return plan
    return None


def _burn(rules, inv: np.ndarray) -> list[tuple[int, int]] | None:
    """Burn one cook's fuel from ``inv``; the (item, count) burnt, or None without enough fuel."""
    plan = _fuel_plan(rules, inv)
    if plan is None:
        return None
    for i, m, n in plan:
        _take(inv, i, m, n)
    return [(i, n) for i, _, n in plan]
