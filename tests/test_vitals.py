"""Health, food, exhaustion, eating, drowning and hazards (mechanics §4, §5.1)."""

from __future__ import annotations

import pytest
from flatworld import FlatGen

from mc_bench.rules import load_rules
from mc_bench.sim.engine import A_FWD, A_JUMP, A_SPRINT, A_USE, Sim, Start, noop_action
from mc_bench.sim.interact import inv_count
from mc_bench.sim.state import AIR, DEAD, EXHAUST, FIRE, FOOD, HEALTH, SAT
from mc_bench.sim.world import set_state

R = load_rules()


def make_sim(inventory=()):
    sim = Sim(R, lambda seed: FlatGen(seed, 63))
    sim.reset(0, Start(inventory=[(R.item(n), 0, c) for n, c in inventory], yaw=0.0, pitch=0.0))
    for _ in range(3):
        sim.step(noop_action())
    return sim


def run(sim, n, **keys):
    a = noop_action()
    for k, v in keys.items():
        a[{"fwd": A_FWD, "sprint": A_SPRINT, "jump": A_JUMP, "use": A_USE}[k]] = v
    for _ in range(n):
        sim.step(a)


def test_sprinting_costs_point_one_per_metre():
    sim = make_sim()
    z0 = sim.e.pf[2]
    run(sim, 40, fwd=1, sprint=1)
    metres = sim.e.pf[2] - z0
    assert sim.e.pf[EXHAUST] + 4.0 * (5.0 - sim.e.pf[SAT]) == pytest.approx(0.1 * metres, rel=0.05)


def test_jump_costs_005():
    sim = make_sim()
    run(sim, 1, jump=1)
    assert sim.e.pf[EXHAUST] == pytest.approx(0.05)


def test_saturation_then_food_drain():
    sim = make_sim()
    sim.e.pf[EXHAUST] = 4.01
    run(sim, 1)
    assert (sim.e.pf[SAT], sim.e.pf[FOOD]) == (4.0, 20.0)
    sim.e.pf[SAT], sim.e.pf[EXHAUST] = 0.0, 4.01
    run(sim, 1)
    assert sim.e.pf[FOOD] == 19.0


def test_regeneration_fast_with_saturation_slow_without():
    sim = make_sim()
    sim.e.pf[HEALTH] = 10.0
    run(sim, 10)  # food 20, saturation 5: 5/6 HP after 10 ticks
    assert sim.e.pf[HEALTH] == pytest.approx(10 + 5 / 6)
    sim = make_sim()
    sim.e.pf[HEALTH], sim.e.pf[FOOD] = 10.0, 18.0
    run(sim, 80)
    assert sim.e.pf[HEALTH] == pytest.approx(11.0)


def test_starvation_stops_at_one_hp_on_normal():
    sim = make_sim()
    sim.e.pf[FOOD], sim.e.pf[SAT], sim.e.pf[HEALTH] = 0.0, 0.0, 3.0
    run(sim, 80 * 5)
    assert sim.e.pf[HEALTH] == 1.0 and not sim.e.pi[DEAD]


def test_eating_takes_32_ticks_and_adds_food_and_saturation():
    sim = make_sim([("cooked_beef", 2)])
    sim.e.pf[FOOD], sim.e.pf[SAT] = 10.0, 0.0
    run(sim, 31, use=1)
    assert inv_count(sim.e.inv, R.item("cooked_beef")) == 2
    run(sim, 1, use=1)
    assert inv_count(sim.e.inv, R.item("cooked_beef")) == 1
    assert (sim.e.pf[FOOD], sim.e.pf[SAT]) == (18.0, 12.8)


def test_carrot_is_food_under_its_item_id():
    assert tuple(R.food[R.item("carrot")]) == (3, 3.6)
    assert R.food[R.block("carrots")][0] == 0


def test_drowning_first_damage_after_320_ticks():
    sim = make_sim()
    for y in range(64, 68):
        for x in range(-1, 2):
            for z in range(-1, 2):
                set_state(sim.w, x, y, z, R.state("water"))
    sim.e.pf[FOOD] = 17.0
    run(sim, 319)
    assert sim.e.pf[HEALTH] == 20.0 and sim.e.pf[AIR] < 0
    run(sim, 2)
    assert sim.e.pf[HEALTH] == 18.0


def test_lava_burns_and_kills():
    sim = make_sim()
    set_state(sim.w, 0, 64, 0, R.state("lava"))
    run(sim, 5)
    assert sim.e.pf[HEALTH] == 16.0 and sim.e.pf[FIRE] > 0
    run(sim, 200)
    assert sim.e.pi[DEAD]


def test_lava_beside_the_feet_does_not_burn():
    sim = make_sim()
    sim.e.pf[0] = 0.75  # the box (x 0.45-1.05) reaches over the x = 1 column
    set_state(sim.w, 1, 64, 0, R.state("lava"))  # beside the feet
    set_state(sim.w, 1, 63, 0, R.state("lava"))  # and below that, beside the block stood on
    run(sim, 20)
    assert sim.e.pf[HEALTH] == 20.0 and sim.e.pf[FIRE] == 0
