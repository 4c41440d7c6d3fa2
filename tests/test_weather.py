"""Weather (sim/weather.py): the 1.11 rain and thunder cycle, lightning, charged creepers and the mob heads
their blasts make drop; weather is opt-in per start condition and on in MineDojo envs."""

from __future__ import annotations

import dataclasses

import numpy as np
from flatworld import FlatGen

from mc_bench.envs.minedojo import MineDojoEnv
from mc_bench.rules import load_rules
from mc_bench.rules.world_rules import WX_CHANCE, WX_RGB
from mc_bench.sim.engine import Sim, Start, noop_action
from mc_bench.sim.interact import spawn_item
from mc_bench.sim.state import (
    ECHARGED,
    ECOLOR,
    ECOUNT,
    EFUSE,
    EHP,
    EITEM,
    EKIND,
    EMETA,
    ESPEED,
    HEALTH,
    KIND_ITEM,
    RAINING,
    RAINSTR,
    RAINTIME,
    THUNDERING,
    THUNDERSTR,
    THUNDERTIME,
    WEATHER,
)
from mc_bench.sim.weather import is_raining, storming, strike
from mc_bench.sim.world import get_state

R = load_rules()
W = R.world.weather


def make_sim(weather=True, seed=0, chance=None):
    """A flat world; ``chance``: lightning strikes a chunk with chance 1 / chance a tick in a storm."""
    rules = R
    if chance is not None:
        w = W.copy()
        w[WX_CHANCE] = chance
        rules = dataclasses.replace(R, world=R.world._replace(weather=w))
    sim = Sim(rules, lambda s: FlatGen(s))
    sim.reset(seed, Start(yaw=0.0, world_time=6000, time_frozen=True, mobs=False, weather=weather))
    return sim


def run(sim, n):
    for _ in range(n):
        sim.step(noop_action())


def items(sim):
    """{(item name, meta): count} of the item entities on the ground."""
    out = {}
    for e in np.nonzero(sim.e.ei[:, EKIND] == KIND_ITEM)[0]:
        key = (R.item_names[sim.e.ei[e, EITEM]], int(sim.e.ei[e, EMETA]))
        out[key] = out.get(key, 0) + int(sim.e.ei[e, ECOUNT])
    return out


def storm(sim):
    """Rain and thunder on at full strength, with long timers."""
    pi, pf = sim.e.pi, sim.e.pf
    pi[RAINING], pi[THUNDERING], pi[RAINTIME], pi[THUNDERTIME] = 1, 1, 10**6, 10**6
    pf[RAINSTR], pf[THUNDERSTR] = 1.0, 1.0


def test_weather_is_off_unless_the_start_asks():
    sim = make_sim(weather=False)
    run(sim, 20)
    pi = sim.e.pi
    assert pi[WEATHER] == 0 and pi[RAINTIME] == 0 and pi[THUNDERTIME] == 0 and pi[RAINING] == 0


def test_fresh_world_starts_clear_with_vanilla_timers():
    for seed in range(6):
        sim = make_sim(seed=seed)
        run(sim, 1)
        pi = sim.e.pi
        assert pi[RAINING] == 0 and pi[THUNDERING] == 0
        assert 12000 <= pi[RAINTIME] < 180000 and 12000 <= pi[THUNDERTIME] < 180000


def test_rain_starts_ramps_and_draws_a_rain_length():
    sim = make_sim()
    run(sim, 1)
    sim.e.pi[RAINTIME] = 2
    run(sim, 2)  # runs out: the flag flips
    pi, pf = sim.e.pi, sim.e.pf
    assert pi[RAINING] == 1 and pi[RAINTIME] == 0
    run(sim, 1)  # the new state's length
    assert 12000 <= pi[RAINTIME] < 24000
    assert not is_raining(pf, W)
    run(sim, 30)
    assert is_raining(pf, W) and 0.3 < pf[RAINSTR] < 0.4  # 0.01 a tick
    run(sim, 100)
    assert pf[RAINSTR] == 1.0 and not storming(pf, W)
    sim.e.pi[THUNDERTIME] = 1
    run(sim, 2)
    assert pi[THUNDERING] == 1 and 3600 <= pi[THUNDERTIME] < 15600
    run(sim, 95)
    assert storming(pf, W)


def test_lightning_charges_creepers_hurts_and_burns():
    sim = make_sim()
    e = sim.summon("creeper", 10.5, 64.0, 10.5)
    z = sim.summon("zombie", 12.5, 64.0, 10.5)
    far = sim.summon("creeper", 20.5, 64.0, 10.5)
    ef, ei = sim.e.ef, sim.e.ei
    hp = ef[z, EHP]
    strike(sim.w, sim.R, sim.e.pf, sim.e.pi, ef, ei, sim.e.stats, sim.e.rng, 10, 64, 10)
    assert ei[e, ECHARGED] == 1 and ei[e, ECOLOR] == int(W[WX_RGB]) and ef[e, EHP] == 15.0
    assert ei[z, ECHARGED] == 0 and ef[z, EHP] == hp - 5.0  # zombies only get hurt
    assert ei[far, ECHARGED] == 0 and ef[far, EHP] == 20.0
    assert R.block_names[int(get_state(sim.w, 10, 64, 10)) >> 4] == "fire"
    assert sim.e.pf[HEALTH] == 20.0  # the player at the origin is out of reach
    strike(sim.w, sim.R, sim.e.pf, sim.e.pi, ef, ei, sim.e.stats, sim.e.rng, 0, 64, 0)
    assert sim.e.pf[HEALTH] == 15.0


def test_lightning_destroys_items():
    sim = make_sim()
    spawn_item(sim.e.ef, sim.e.ei, sim.e.rng, R.item("dirt"), 0, 1, 5.5, 64.0, 5.5, 0)
    strike(sim.w, sim.R, sim.e.pf, sim.e.pi, sim.e.ef, sim.e.ei, sim.e.stats, sim.e.rng, 5, 64, 5)
    assert not (sim.e.ei[:, EKIND] == KIND_ITEM).any()


def test_storms_strike_near_the_player_and_charge_a_creeper():
    sim = make_sim(seed=3, chance=4)  # every loaded chunk struck every 4 ticks on average
    storm(sim)
    e = sim.summon("creeper", 8.5, 64.0, 8.5)
    sim.e.ef[e, ESPEED] = 0.0  # it stays put, out of fuse range of the player
    for _ in range(400):
        run(sim, 1)
        if sim.e.ei[e, ECHARGED]:
            break
    assert sim.e.ei[e, ECHARGED] == 1
    fires = sum(R.block_names[int(get_state(sim.w, x, 64, z)) >> 4] == "fire"
                for x in range(-32, 32) for z in range(-32, 32))
    assert fires > 0


def test_no_lightning_in_plain_rain():
    sim = make_sim(chance=1)
    storm(sim)
    sim.e.pi[THUNDERING], sim.e.pf[THUNDERSTR] = 0, 0.0
    e = sim.summon("creeper", 8.5, 64.0, 8.5)
    sim.e.ef[e, ESPEED] = 0.0
    run(sim, 50)
    assert sim.e.ei[e, ECHARGED] == 0


def _blast(charged):
    """A creeper blowing up beside a zombie, a skeleton and a creeper, far from the player: the items dropped."""
    sim = make_sim(weather=False)
    c = sim.summon("creeper", 20.5, 64.0, 0.5)
    for name, x, z in (("zombie", 21.5, 0.5), ("skeleton", 20.5, 1.5), ("creeper", 19.5, 0.5)):
        sim.summon(name, x, 64.0, z)
    sim.e.ei[c, ECHARGED] = charged
    sim.e.ei[c, EFUSE] = 31  # it cools by one this tick, then blows at 30
    run(sim, 1)
    air = sum(get_state(sim.w, x, y, z) == 0 for x in range(12, 30) for y in range(55, 64) for z in range(-9, 10))
    assert air > 0  # it blew up
    return items(sim), air


def test_a_charged_creeper_blast_drops_one_head():
    drops, air = _blast(1)
    heads = {k: n for k, n in drops.items() if k[0] == "skull"}
    assert sum(heads.values()) == 1 and next(iter(heads))[1] in (0, 2, 4)  # skeleton, zombie, creeper
    plain, plain_air = _blast(0)
    assert not any(k[0] == "skull" for k in plain)
    assert air > plain_air  # twice the power


def test_minedojo_turns_weather_on_and_reports_rain():
    env = MineDojoEnv("harvest_1_skull", image_size=(32, 48))
    env.sim.make_generator = lambda seed: FlatGen()
    obs, _ = env.reset(seed=0)
    assert env.sim.e.pi[WEATHER] == 1 and obs["location_stats"]["is_raining"] == 0
    storm(env.sim)
    obs, *_ = env.step(np.array([0, 0, 0, 12, 12, 0, 0, 0]))
    assert obs["location_stats"]["is_raining"] == 1


def test_weather_is_deterministic():
    def trace(seed):
        sim = make_sim(seed=seed, chance=8)
        storm(sim)
        sim.summon("creeper", 8.5, 64.0, 8.5)
        run(sim, 200)
        return sim.w.blocks.copy(), sim.e.ei.copy(), sim.e.pi.copy()

    a, b = trace(4), trace(4)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
