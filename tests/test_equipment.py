"""Equipment: armour points and the 1.9+ absorption formula, armour and shield wear, wearing with use
and with the equip command, shields blocking from the front, and use statistics (mechanics §5.2, §5.3)."""

from __future__ import annotations

import math

import pytest
from flatworld import FlatGen

from mc_bench.error import TaskSpecError
from mc_bench.rules import load_rules
from mc_bench.sim.engine import A_ATTACK, A_USE, Sim, Start, noop_action
from mc_bench.sim.interact import inv_count
from mc_bench.sim.mobs import spawn_mob
from mc_bench.sim.state import (
    DEAD,
    EITEM,
    EKIND,
    EQ_CHEST,
    EQ_FEET,
    EQ_HEAD,
    EQ_LEGS,
    EQ_OFFHAND,
    FOOD,
    HEALTH,
    INVUL,
    IT_COUNT,
    IT_ID,
    IT_META,
    KIND_ITEM,
    LASTHURT,
    PX,
    PY,
    PZ,
    SAT,
    SLOT,
    ST_MINE,
    ST_USE,
)
from mc_bench.sim.vitals import hurt, hurt_by

R = load_rules()
PIECES = ("boots", "leggings", "chestplate", "helmet")  # equipment rows 0-3
SETS = {"leather": (7, 0), "golden": (11, 0), "chainmail": (12, 0), "iron": (15, 0), "diamond": (20, 8)}


def make_sim(inventory=(), equipment=(), yaw=0.0, pitch=0.0):
    """Flat world at night (zombies do not burn), facing +z; ``equipment`` is (row, name) or (row, name, meta)."""
    eq = [(e[0], R.item(e[1]), e[2] if len(e) > 2 else 0, 1) for e in equipment]
    sim = Sim(R, lambda seed: FlatGen(seed, 63))
    sim.reset(0, Start(inventory=[(R.item(n), 0, c) for n, c in inventory], equipment=eq, yaw=yaw, pitch=pitch,
                       mobs=False, world_time=18000, time_frozen=True))
    return sim


def full_set(material):
    return [(row, f"{material}_{piece}") for row, piece in enumerate(PIECES)]


def run(sim, n, use=0, attack=0):
    a = noop_action()
    a[A_USE], a[A_ATTACK] = use, attack
    for _ in range(n):
        sim.step(a)


def fresh_hit(sim, amount, sx=None, sz=None):
    """One hit outside the invulnerability window, from (sx, sz) if given; returns HP lost."""
    pf, pi = sim.e.pf, sim.e.pi
    pf[INVUL], pf[LASTHURT], pf[HEALTH] = 0.0, 0.0, 20.0
    if sx is None:
        hurt(pf, pi, amount, 0.1, 0)
    else:
        hurt_by(pf, pi, amount, sx, pf[PY], sz, 0)
    return 20.0 - pf[HEALTH]


def formula(damage, armor, toughness):
    return damage * (1 - min(20, max(armor / 5, armor - damage / (2 + toughness / 4))) / 25)


@pytest.mark.parametrize("material", list(SETS))
def test_full_set_reduces_damage_by_the_formula(material):
    sim = make_sim(equipment=full_set(material))
    armor, tough = SETS[material]
    assert sim.armor_points() == armor
    for damage in (1.0, 3.0, 5.0, 10.0, 19.0):
        assert fresh_hit(sim, damage) == pytest.approx(formula(damage, armor, tough))


def test_known_reductions():
    assert fresh_hit(make_sim(equipment=full_set("diamond")), 10.0) == pytest.approx(3.0)  # 20 - 10/4 = 17.5 points
    assert fresh_hit(make_sim(equipment=full_set("iron")), 10.0) == pytest.approx(6.0)  # 15 - 10/2 = 10 points
    assert fresh_hit(make_sim(equipment=[(EQ_CHEST, "leather_chestplate")]), 1.0) == pytest.approx(0.9)


def test_piece_points_and_misplaced_pieces_count_nothing():
    sim = make_sim(equipment=[(EQ_HEAD, "golden_helmet"), (EQ_FEET, "diamond_chestplate")])
    assert sim.armor_points() == 2
    assert fresh_hit(sim, 4.0) == pytest.approx(formula(4.0, 2, 0))


def test_unblockable_damage_ignores_armour_and_does_not_wear_it():
    sim = make_sim(equipment=full_set("diamond"))
    assert fresh_hit(sim, 5.0) < 5.0
    run(sim, 1)
    meta = sim.e.equip[:4, IT_META].copy()
    sim.e.pf[INVUL], sim.e.pf[HEALTH] = 0.0, 20.0
    hurt(sim.e.pf, sim.e.pi, 5.0, 0.0, 0)  # a fall, drowning, starvation or burning tick
    assert sim.e.pf[HEALTH] == pytest.approx(15.0)
    run(sim, 1)
    assert (sim.e.equip[:4, IT_META] == meta).all()


def test_armour_wears_a_quarter_of_the_damage_at_least_one():
    sim = make_sim(equipment=full_set("iron"))
    fresh_hit(sim, 2.0)
    run(sim, 1)
    assert list(sim.e.equip[:4, IT_META]) == [1, 1, 1, 1]
    fresh_hit(sim, 11.0)
    run(sim, 1)
    assert list(sim.e.equip[:4, IT_META]) == [3, 3, 3, 3]  # floor(11 / 4) = 2 more


def test_armour_breaks_past_its_durability():
    boots = R.item("leather_boots")
    sim = make_sim(equipment=[(EQ_FEET, "leather_boots", int(R.max_damage[boots]))])
    assert sim.armor_points() == 1
    fresh_hit(sim, 3.0)
    run(sim, 1)
    assert sim.e.equip[EQ_FEET, IT_COUNT] == 0 and sim.armor_points() == 0
    assert fresh_hit(sim, 3.0) == pytest.approx(3.0)


def test_use_puts_armour_on_only_into_an_empty_row():
    sim = make_sim(inventory=[("iron_helmet", 1), ("golden_helmet", 1)])
    helmet = R.item("iron_helmet")
    run(sim, 3, use=1)  # one press puts on one helmet
    assert sim.e.equip[EQ_HEAD, IT_ID] == helmet and sim.e.inv[0, IT_COUNT] == 0
    assert sim.e.stats[ST_USE, helmet] == 1 and sim.armor_points() == 2
    sim.e.pi[SLOT] = 1  # select the golden helmet
    run(sim, 1)
    run(sim, 1, use=1)
    assert sim.e.equip[EQ_HEAD, IT_ID] == helmet  # 1.11: no swap when the row is taken
    assert sim.e.inv[1, IT_ID] == R.item("golden_helmet") and sim.e.stats[ST_USE, R.item("golden_helmet")] == 0


def test_equip_command_wears_and_swaps_armour_and_shield():
    sim = make_sim(inventory=[("wooden_pickaxe", 1), ("iron_leggings", 1), ("shield", 1)],
                   equipment=[(EQ_LEGS, "leather_leggings")])
    legs, shield = R.item("iron_leggings"), R.item("shield")
    assert sim.equip(legs)
    assert sim.e.equip[EQ_LEGS, IT_ID] == legs and sim.armor_points() == 5
    assert inv_count(sim.e.inv, R.item("leather_leggings")) == 1
    assert sim.equip(shield) and sim.e.equip[EQ_OFFHAND, IT_ID] == shield
    assert sim.e.stats[ST_USE, legs] == 1 and sim.e.stats[ST_USE, shield] == 1
    assert not sim.equip(R.item("diamond_helmet"))
    sim.e.pi[SLOT] = 4
    assert sim.equip(R.item("wooden_pickaxe")) and sim.e.inv[4, IT_ID] == R.item("wooden_pickaxe")


def test_start_equipment_is_checked():
    sim = make_sim(equipment=[(EQ_OFFHAND, "shield")])
    assert sim.e.equip[EQ_OFFHAND, IT_ID] == R.item("shield") and sim.armor_points() == 0
    with pytest.raises(TaskSpecError, match="equipment"):
        make_sim(equipment=[(5, "iron_boots")])


def test_shield_blocks_hits_from_the_front_only():
    sim = make_sim(equipment=[(EQ_OFFHAND, "shield")])
    x, z = sim.e.pf[PX], sim.e.pf[PZ]
    shield = R.item("shield")
    run(sim, 1, use=1)
    assert fresh_hit(sim, 4.0, x + 0.5, z + 2.0) == 4.0  # raised for one tick: not blocking yet
    run(sim, 4, use=1)
    assert fresh_hit(sim, 4.0, x + 0.5, z + 2.0) == 0.0  # in front (facing +z)
    assert fresh_hit(sim, 4.0, x - 3.0, z + 0.5) == 0.0  # within 90 degrees
    assert fresh_hit(sim, 4.0, x, z - 2.0) == 4.0  # behind
    assert fresh_hit(sim, 4.0, x + 2.0, z) == 4.0  # exactly beside
    assert sim.e.stats[ST_USE, shield] == 1  # one raise
    run(sim, 1)
    run(sim, 5, use=1)
    assert sim.e.stats[ST_USE, shield] == 2


def test_blocked_hit_starts_the_window_and_wears_the_shield():
    sim = make_sim(equipment=[(EQ_OFFHAND, "shield")])
    x, z = sim.e.pf[PX], sim.e.pf[PZ]
    run(sim, 5, use=1)
    assert fresh_hit(sim, 2.0, x, z + 2) == 0.0
    run(sim, 1, use=1)
    assert sim.e.equip[EQ_OFFHAND, IT_META] == 0  # below 3 HP: no wear
    assert fresh_hit(sim, 5.5, x, z + 2) == 0.0
    hurt(sim.e.pf, sim.e.pi, 3.0, 0.1, 0)  # within the window a larger hit does only its excess
    assert sim.e.pf[HEALTH] == pytest.approx(17.0)
    run(sim, 1, use=1)
    assert sim.e.equip[EQ_OFFHAND, IT_META] == 1 + math.floor(5.5)


def test_no_shield_while_eating():
    sim = make_sim(inventory=[("cooked_beef", 2)], equipment=[(EQ_OFFHAND, "shield")])
    x, z = sim.e.pf[PX], sim.e.pf[PZ]
    sim.e.pf[FOOD] = 10.0
    run(sim, 6, use=1)
    assert fresh_hit(sim, 4.0, x, z + 2) == 4.0
    sim.e.pf[FOOD] = 20.0  # a full bar cannot eat: the offhand shield goes up
    run(sim, 1)
    run(sim, 5, use=1)
    assert fresh_hit(sim, 4.0, x, z + 2) == 0.0


def test_no_shield_while_drawing_a_bow():
    sim = make_sim(inventory=[("bow", 1), ("arrow", 8)], equipment=[(EQ_OFFHAND, "shield")])
    x, z = sim.e.pf[PX], sim.e.pf[PZ]
    run(sim, 6, use=1)
    assert fresh_hit(sim, 4.0, x, z + 2) == 4.0
    assert sim.e.stats[ST_USE, R.item("shield")] == 0
    assert sim.e.stats[ST_USE, R.item("bow")] <= 1  # the held key is one press, not one per tick


def test_death_drops_the_worn_equipment():
    sim = make_sim(equipment=[*full_set("iron"), (EQ_OFFHAND, "shield")])
    sim.e.pi[DEAD] = 1
    sim.respawn()
    run(sim, 1)
    assert not sim.e.equip.any() and sim.armor_points() == 0
    dropped = {int(i) for i in sim.e.ei[sim.e.ei[:, EKIND] == KIND_ITEM, EITEM]}
    assert dropped == {R.item(f"iron_{p}") for p in PIECES} | {R.item("shield")}


def test_shield_blocks_a_zombie_in_front_not_behind():
    def zombie_hits(z):
        sim = make_sim(equipment=[(EQ_OFFHAND, "shield")])
        spawn_mob(R.mobs, sim.e.ef, sim.e.ei, sim.e.rng, R.mob_names.index("zombie"), 0.5, 64.0, z)
        run(sim, 200, use=1)
        return sim.e.pf[HEALTH] < 20

    assert not zombie_hits(4.5) and zombie_hits(-3.5)


def test_armour_softens_a_zombie():
    sim = make_sim(equipment=full_set("diamond"))
    spawn_mob(R.mobs, sim.e.ef, sim.e.ei, sim.e.rng, R.mob_names.index("zombie"), 0.5, 64.0, 4.5)
    for _ in range(400):
        run(sim, 1)
        if sim.e.pf[HEALTH] < 20:
            break
    assert sim.e.pf[HEALTH] == pytest.approx(20 - formula(3.0, 20, 8))
    run(sim, 1)
    assert list(sim.e.equip[:4, IT_META]) == [1, 1, 1, 1]


def _mine_one(sim, limit=100):
    for _ in range(limit):
        run(sim, 1, attack=1)
        if sim.e.stats[ST_MINE].sum():
            return
    raise AssertionError("nothing broken")


@pytest.mark.parametrize("tool, wear", [("wooden_shovel", 1), ("stone_sword", 2), ("iron_hoe", 0), ("dirt", 0)])
def test_mining_counts_a_use_and_wears_the_tool(tool, wear):
    sim = make_sim(inventory=[(tool, 1)], pitch=90.0)
    _mine_one(sim)
    item = R.item(tool)
    assert sim.e.inv[0, IT_META] == wear
    assert sim.e.stats[ST_USE, item] == (1 if wear else 0)


def test_eating_counts_a_use():
    sim = make_sim(inventory=[("cooked_beef", 2)])
    sim.e.pf[FOOD], sim.e.pf[SAT] = 10.0, 0.0
    run(sim, 32, use=1)
    assert sim.e.stats[ST_USE, R.item("cooked_beef")] == 1
