"""The MineDojo mobs (husk ... guardian), use-key interactions, the player's bow, summoning and the
new spawn tables, against the mechanics reference (§7)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from flatworld import FlatGen

from mc_bench.error import RulesValidationError
from mc_bench.rules import load_rules
from mc_bench.rules.mobs import AMBIENT, CREATURE, I_RGB, MONSTER, S_OK, S_WEIGHT, WATER
from mc_bench.sim.engine import A_ATTACK, A_USE, LOAD_RADIUS, Sim, Start, noop_action
from mc_bench.sim.light import sky_subtract
from mc_bench.sim.mob_base import kill, spawn_sized
from mc_bench.sim.mob_spawn import natural_spawn
from mc_bench.sim.state import (
    ECOUNT,
    EH,
    EHP,
    EITEM,
    EKIND,
    EMETA,
    ESHEARED,
    ESIZE,
    ESPEED,
    ETARGET,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EY,
    EZ,
    HEALTH,
    IT_COUNT,
    IT_ID,
    KIND_ARROW,
    KIND_FREE,
    KIND_ITEM,
    KIND_MOB0,
    PITCH,
    ST_KILL,
    ST_USE,
)
from mc_bench.sim.world import get_state, set_state

R = load_rules()
M = R.mobs
NEW = ("husk", "witch", "enderman", "slime", "bat", "mooshroom", "rabbit", "horse", "donkey", "llama", "wolf",
       "squid", "guardian")


def make_sim(time_of_day=6000, mobs=False, inventory=(), pitch=0.0, yaw=0.0):
    sim = Sim(R, lambda seed: FlatGen(seed))
    inv = [(R.item(n), 0, c) for n, c in inventory]
    sim.reset(0, Start(inventory=inv, yaw=yaw, pitch=pitch, world_time=time_of_day, time_frozen=True, mobs=mobs))
    return sim


def run(sim, n, act=None):
    a = noop_action() if act is None else act
    for _ in range(n):
        sim.step(a)


def take_items(sim):
    """Item entities on the ground as {name: count} (meta-keyed for dye), removing them."""
    out = {}
    for e in np.nonzero(sim.e.ei[:, EKIND] == KIND_ITEM)[0]:
        name = R.item_names[sim.e.ei[e, EITEM]]
        out[name] = out.get(name, 0) + int(sim.e.ei[e, ECOUNT])
        sim.e.ei[e, EKIND] = KIND_FREE
    return out


def press(sim, key, ticks=1):
    a = noop_action()
    a[key] = 1
    run(sim, ticks, a)


def held_still(sim, e):
    """Pin a mob in place (its speed attribute 0) so that aim tests do not depend on wandering."""
    sim.e.ef[e, ESPEED] = 0.0


def count(sim, item):
    inv = sim.e.inv
    return int(inv[inv[:, IT_ID] == R.item(item), IT_COUNT].sum())


# ---------------------------------------------------------------- tables and summoning


@pytest.mark.parametrize("name, hp, size, speed", [
    ("husk", 20, (0.6, 1.95), 0.23), ("witch", 26, (0.6, 1.95), 0.25), ("enderman", 40, (0.6, 2.9), 0.3),
    ("bat", 6, (0.5, 0.9), None), ("mooshroom", 10, (0.9, 1.4), 0.2), ("rabbit", 3, (0.4, 0.5), 0.3),
    ("llama", 15, (0.9, 1.87), 0.175), ("wolf", 8, (0.6, 0.85), 0.3), ("squid", 10, (0.8, 0.8), None),
    ("guardian", 30, (0.85, 0.85), 0.5), ("donkey", 15, (1.396484, 1.6), 0.175), ("horse", 15, (1.396484, 1.6), None),
])
def test_new_mob_tables(name, hp, size, speed):
    m = R.mob_names.index(name)
    assert M.hp[m] == hp and (M.width[m], M.height[m]) == size
    assert speed is None or M.speed[m] == speed
    assert R.entity_size[name] == size  # agrees with minecraft-data
    assert M.mob_i[m, I_RGB] > 0  # a colour the renderer draws the box with


def test_summon_every_mob_with_mobs_off():
    sim = make_sim(mobs=False)
    for i, name in enumerate(NEW):
        e = sim.summon(name, -12.5 + 2 * i, 64.0, 12.5)
        m = R.mob_names.index(name)
        assert sim.e.ei[e, EKIND] == R.mob_kind(name) and sim.e.ef[e, EW] > 0
        if name in ("horse", "donkey", "llama"):
            assert 15 <= sim.e.ef[e, EHP] <= 30
        elif name != "slime":
            assert sim.e.ef[e, EHP] == M.hp[m]
    e = sim.summon("slime", 0.5, 64.0, -8.5)
    size = sim.e.ei[e, ESIZE]
    assert size in (1, 2, 4) and sim.e.ef[e, EHP] == size * size
    assert sim.e.ef[e, EW] == pytest.approx(0.51000005 * size)
    run(sim, 5)
    with pytest.raises(RulesValidationError, match="known mobs"):
        sim.summon("ender_dragon", 0.0, 64.0, 0.0)


def _kill_drops(name, n=60, size=0, sheared=False):
    """Kill ``n`` summoned mobs as the player; the drops of each kill, and the kill count."""
    sim = make_sim()
    m = R.mob_names.index(name)
    got = []
    for _ in range(n):
        e = spawn_sized(M, sim.e.ef, sim.e.ei, sim.e.rng, m, 0.5, 64.0, 8.5, size)
        sim.e.ei[e, ESHEARED] = sheared
        kill(sim.R, sim.e.ef, sim.e.ei, sim.e.stats, sim.e.rng, e, True)
        got.append(take_items(sim))
        for k in np.nonzero(sim.e.ei[:, EKIND] >= KIND_MOB0)[0]:  # split-off slimes
            sim.e.ei[k, EKIND] = KIND_FREE
    return got, int(sim.e.stats[ST_KILL, R.mob_kind(name)])


@pytest.mark.parametrize("name, allowed, always", [
    ("husk", {"rotten_flesh": 2, "iron_ingot": 1, "carrot": 1, "potato": 1}, ()),
    ("enderman", {"ender_pearl": 1}, ("ender_pearl",)),
    ("bat", {}, ()),
    ("wolf", {}, ()),
    ("mooshroom", {"leather": 2, "beef": 3}, ("beef",)),
    ("rabbit", {"rabbit": 1, "rabbit_hide": 1, "rabbit_foot": 1}, ("rabbit", "rabbit_hide", "rabbit_foot")),
    ("horse", {"leather": 2}, ("leather",)),
    ("donkey", {"leather": 2}, ("leather",)),
    ("llama", {"leather": 2}, ("leather",)),
    ("squid", {"dye": 3}, ("dye",)),
    ("guardian", {"prismarine_shard": 2, "fish": 1, "prismarine_crystals": 1},
     ("prismarine_shard", "fish", "prismarine_crystals")),
])
def test_kill_drops_and_stats(name, allowed, always):
    got, kills = _kill_drops(name)
    assert kills == 60
    seen = set()
    for drops in got:
        for item, n in drops.items():
            assert item in allowed and 1 <= n <= allowed[item], (item, n)
            seen.add(item)
    assert seen >= set(always)
    if name == "mooshroom":
        assert all(1 <= d.get("beef", 0) for d in got)


def test_witch_loot_pool():
    got, _ = _kill_drops("witch", n=100)
    pool = {"glowstone_dust", "sugar", "redstone", "spider_eye", "glass_bottle", "gunpowder", "stick"}
    seen = set()
    for drops in got:
        assert set(drops) <= pool and sum(drops.values()) <= 6  # 1-3 rolls of 0-2
        seen |= set(drops)
    assert seen == pool


def test_squid_ink_is_dye_meta_0():
    sim = make_sim()
    e = sim.summon("squid", 0.5, 64.0, 4.5)
    kill(sim.R, sim.e.ef, sim.e.ei, sim.e.stats, sim.e.rng, e, True)
    items = [k for k in np.nonzero(sim.e.ei[:, EKIND] == KIND_ITEM)[0]]
    assert items and all(sim.e.ei[k, EMETA] == 0 and R.item_names[sim.e.ei[k, EITEM]] == "dye" for k in items)


def test_slime_splits_and_only_small_ones_drop():
    sim = make_sim()
    m = R.mob_names.index("slime")
    e = spawn_sized(M, sim.e.ef, sim.e.ei, sim.e.rng, m, 0.5, 64.0, 8.5, 4)
    assert sim.e.ef[e, EHP] == 16
    kill(sim.R, sim.e.ef, sim.e.ei, sim.e.stats, sim.e.rng, e, True)
    kids = [k for k in np.nonzero(sim.e.ei[:, EKIND] == R.mob_kind("slime"))[0]]
    assert 2 <= len(kids) <= 4 and take_items(sim) == {}
    assert all(sim.e.ei[k, ESIZE] == 2 and sim.e.ef[k, EHP] == 4 for k in kids)
    assert sim.e.stats[ST_KILL, R.mob_kind("slime")] == 1
    got, _ = _kill_drops("slime", size=1)
    assert all(set(d) <= {"slime_ball"} and d.get("slime_ball", 0) <= 2 for d in got)
    assert any(d for d in got)


# ---------------------------------------------------------------- use key


def _in_front(sim, name, dist=1.6):
    """A mob pinned just in front of the player, who looks down at it."""
    e = sim.summon(name, 0.5, 64.0, 0.5 + dist)
    held_still(sim, e)
    sim.e.pf[PITCH] = 35.0
    return e


def test_shears_on_sheep():
    sim = make_sim(inventory=[("shears", 1)])
    e = _in_front(sim, "sheep")
    colour = sim.e.ei[e, EMETA]
    press(sim, A_USE)
    wool = [k for k in np.nonzero(sim.e.ei[:, EKIND] == KIND_ITEM)[0]]
    assert sum(sim.e.ei[k, ECOUNT] for k in wool) in (1, 2, 3)
    assert all(R.item_names[sim.e.ei[k, EITEM]] == "wool" and sim.e.ei[k, EMETA] == colour for k in wool)
    assert sim.e.ei[e, ESHEARED] == 1 and sim.e.stats[ST_USE, R.item("shears")] == 1
    assert sim.e.inv[0, 1] == 1  # one durability used
    take_items(sim)
    run(sim, 2)
    press(sim, A_USE)  # a sheared sheep gives nothing more (the press is a plain item use then, see usage.py)
    assert take_items(sim) == {} and sim.e.ei[e, ESHEARED] == 1
    kill(sim.R, sim.e.ef, sim.e.ei, sim.e.stats, sim.e.rng, e, True)
    assert "wool" not in take_items(sim)


def test_shears_turn_mooshroom_into_cow():
    sim = make_sim(inventory=[("shears", 1)])
    e = _in_front(sim, "mooshroom")
    press(sim, A_USE)
    assert sim.e.ei[e, EKIND] == R.mob_kind("cow")
    assert take_items(sim) == {"red_mushroom": 5}
    assert sim.e.stats[ST_USE, R.item("shears")] == 1


@pytest.mark.parametrize("mob, item, gives", [("cow", "bucket", "milk_bucket"), ("mooshroom", "bucket", "milk_bucket"),
                                              ("mooshroom", "bowl", "mushroom_stew")])
def test_milking_and_stew(mob, item, gives):
    sim = make_sim(inventory=[(item, 2)])
    _in_front(sim, mob)
    press(sim, A_USE)
    assert count(sim, gives) == 1 and count(sim, item) == 1
    assert sim.e.stats[ST_USE, R.item(item)] == 1
    press(sim, A_USE, 3)  # held, not pressed again: nothing more
    assert count(sim, gives) == 1
    run(sim, 1)
    press(sim, A_USE)
    assert count(sim, gives) == 2 and count(sim, item) == 0
    assert sim.e.stats[ST_USE, R.item(item)] == 2


def test_sword_hits_count_uses():
    sim = make_sim(inventory=[("iron_sword", 1)])
    e = _in_front(sim, "horse", dist=1.8)
    for _ in range(2):
        run(sim, 25)
        sim.e.ef[e, [EX, EY, EZ]] = 0.5, 64.0, 2.3  # back in front after the knockback, at rest
        sim.e.ef[e, [EVX, EVY, EVZ]] = 0.0
        press(sim, A_ATTACK)
    assert sim.e.stats[ST_USE, R.item("iron_sword")] == 2 and sim.e.ef[e, EHP] < 15


# ---------------------------------------------------------------- bow


def _shoot(sim, draw):
    press(sim, A_USE, draw)
    run(sim, 1)


def test_bow_fires_and_kills():
    sim = make_sim(inventory=[("bow", 1), ("arrow", 5)], pitch=5.0)
    e = sim.summon("cow", 0.5, 64.0, 6.5)
    held_still(sim, e)
    shots = 0
    while sim.e.ei[e, EKIND] == R.mob_kind("cow") and shots < 5:
        _shoot(sim, 20)
        shots += 1
        assert (sim.e.ei[:, EKIND] == KIND_ARROW).sum() <= 1
        run(sim, 10)
    assert sim.e.stats[ST_KILL, R.mob_kind("cow")] == 1 and shots <= 2  # 6-10 a full-draw hit
    assert count(sim, "arrow") == 5 - shots and sim.e.stats[ST_USE, R.item("bow")] == shots
    assert "beef" in take_items(sim)


def test_bow_draw_rules():
    sim = make_sim(inventory=[("bow", 1), ("arrow", 2)], pitch=-30.0)
    _shoot(sim, 2)  # f = 0.07 < 0.1: no shot
    assert count(sim, "arrow") == 2 and sim.e.stats[ST_USE, R.item("bow")] == 0
    _shoot(sim, 3)
    assert count(sim, "arrow") == 1 and sim.e.stats[ST_USE, R.item("bow")] == 1
    empty = make_sim(inventory=[("bow", 1)])
    _shoot(empty, 20)
    assert (empty.e.ei[:, EKIND] == KIND_ARROW).sum() == 0 and empty.e.stats[ST_USE, R.item("bow")] == 0


# ---------------------------------------------------------------- behaviour


def test_wolf_pack_turns_on_the_player():
    sim = make_sim(inventory=[("wooden_sword", 1)])
    e = _in_front(sim, "wolf", dist=1.5)
    other = sim.summon("wolf", 3.5, 64.0, 3.5)
    far = sim.summon("wolf", 0.5, 64.0, 30.5)
    press(sim, A_ATTACK)
    assert sim.e.ei[e, ETARGET] and sim.e.ei[other, ETARGET] and not sim.e.ei[far, ETARGET]
    sim.e.ef[e, ESPEED] = M.speed[R.mob_names.index("wolf")]
    sim.e.ei[far, EKIND] = KIND_FREE
    sim.e.ei[other, EKIND] = KIND_FREE
    for _ in range(200):
        run(sim, 1)
        if sim.e.pf[HEALTH] < 20:
            break
    assert sim.e.pf[HEALTH] == 16  # a 4 HP bite on Normal


def test_enderman_stare_and_teleport():
    sim = make_sim()
    e = sim.summon("enderman", 0.5, 64.0, 10.5)
    held_still(sim, e)
    run(sim, 20)
    assert not sim.e.ei[e, ETARGET]  # neutral while not looked at
    head = 64.0 + 2.9 * 0.88 - 65.62
    sim.e.pf[PITCH] = -math.degrees(math.atan2(head, 10.0))
    run(sim, 1)
    assert sim.e.ei[e, ETARGET]
    x0, z0 = sim.e.ef[e, EX], sim.e.ef[e, EZ]
    from mc_bench.sim.mob_base import teleport

    assert teleport(sim.w, sim.R.solid, sim.R.liquid, M.p, sim.e.ef, sim.e.ei, sim.e.rng, e)
    assert (sim.e.ef[e, EX], sim.e.ef[e, EZ]) != (x0, z0) and sim.e.ef[e, EY] == 64.0


def _pool(sim, x0, x1, z0, z1, depth=3):
    water = np.uint16(R.state("water"))
    for x in range(x0, x1):
        for z in range(z0, z1):
            for y in range(64 - depth, 64):
                set_state(sim.w, x, y, z, water)


def test_squid_stays_in_water():
    sim = make_sim()
    _pool(sim, -3, 4, 5, 12)
    e = sim.summon("squid", 0.5, 61.2, 8.5)
    liquid = R.liquid
    moved = 0.0
    for _ in range(400):
        x, z = sim.e.ef[e, EX], sim.e.ef[e, EZ]
        run(sim, 1)
        moved += abs(sim.e.ef[e, EX] - x) + abs(sim.e.ef[e, EZ] - z)
        cy = sim.e.ef[e, EY] + 0.4
        s = get_state(sim.w, math.floor(sim.e.ef[e, EX]), math.floor(cy), math.floor(sim.e.ef[e, EZ]))
        assert liquid[int(s) >> 4]
    assert moved > 1.0


def test_guardian_beam():
    sim = make_sim()
    _pool(sim, -3, 4, 2, 9)
    sim.summon("guardian", 0.5, 62.0, 5.5)
    for t in range(200):
        run(sim, 1)
        if sim.e.pf[HEALTH] < 20:
            break
    assert sim.e.pf[HEALTH] == 14 and t >= 80  # 6 HP after an 80-tick charge


def test_witch_throws_harming():
    sim = make_sim(time_of_day=18000)
    sim.summon("witch", 0.5, 64.0, 7.5)
    thrown = 0
    for _ in range(300):
        run(sim, 1)
        thrown = max(thrown, int((sim.e.ei[:, EKIND] == KIND_ARROW).sum()))
        if sim.e.pf[HEALTH] < 20:
            break
    assert thrown and 14 <= sim.e.pf[HEALTH] < 20


def test_llama_spits_back():
    sim = make_sim()
    e = _in_front(sim, "llama", dist=2.0)
    press(sim, A_ATTACK)
    sim.e.pf[PITCH] = 0.0
    for _ in range(200):
        run(sim, 1)
        if sim.e.pf[HEALTH] < 20:
            break
    assert sim.e.ei[e, ETARGET] and sim.e.pf[HEALTH] == 19


def test_husk_does_not_burn_zombie_does():
    sim = make_sim(time_of_day=6000)
    h = sim.summon("husk", 10.5, 64.0, 10.5)
    z = sim.summon("zombie", -10.5, 64.0, 10.5)
    run(sim, 600)
    assert sim.e.ef[h, EHP] == 20 and (sim.e.ei[z, EKIND] != R.mob_kind("zombie") or sim.e.ef[z, EHP] < 20)


def test_bat_flies():
    sim = make_sim()
    e = sim.summon("bat", 0.5, 66.0, 6.5)
    ys = []
    for _ in range(200):
        run(sim, 1)
        ys.append(sim.e.ef[e, EY])
    assert max(ys) > 64.5 and sim.e.ei[e, EKIND] == R.mob_kind("bat")


# ---------------------------------------------------------------- spawning


def _list(biome, cat):
    b = {n: i for i, n in R.biome_names.items()}[biome]
    return {R.mob_names[m]: M.spawn[b, cat, m, S_WEIGHT] for m in range(len(R.mob_names))
            if M.spawn[b, cat, m, S_WEIGHT] > 0}


def test_biome_spawn_tables():
    assert _list("plains", CREATURE)["horse"] == 5 and _list("plains", CREATURE)["donkey"] == 1
    assert _list("plains", MONSTER) == {"spider": 100, "zombie": 95, "skeleton": 100, "creeper": 100,
                                         "slime": 100, "enderman": 10, "witch": 5}
    assert _list("mushroom_fields", CREATURE) == {"mooshroom": 8} and _list("mushroom_fields", MONSTER) == {}
    assert _list("desert", CREATURE) == {"rabbit": 4} and _list("desert", MONSTER)["husk"] == 80
    assert _list("taiga", CREATURE)["wolf"] == 8 and _list("forest", CREATURE)["wolf"] == 5
    assert _list("savanna_plateau", CREATURE)["llama"] == 8 and _list("mountains", CREATURE)["llama"] == 5
    assert _list("ocean", WATER) == {"squid": 10}
    slime = R.mob_names.index("slime")
    b = {n: i for i, n in R.biome_names.items()}
    assert M.spawn[b["swamp"], MONSTER, slime, S_OK] == 1 and M.spawn[b["plains"], MONSTER, slime, S_OK] == 0
    assert "guardian" not in _list("ocean", MONSTER) and "guardian" not in _list("deep_ocean", WATER)


class BiomeFlat(FlatGen):
    """A flat world of one biome, with the given (start y, block) layers up to ``ground``."""

    def __init__(self, biome, layers=None, ground=63):
        super().__init__(ground=ground)
        self.biome = {n: i for i, n in R.biome_names.items()}[biome]
        if layers:
            self.layers = [(y, R.state(b)) for y, b in layers]

    def biome_at(self, x, z):
        return self.biome


def spawned(biome, cat, layers=None, ground=63, time=18000, calls=300):
    """Mobs the natural spawner places (cap lifted) in a flat world of ``biome``: {name: count}."""
    sim = Sim(R, lambda seed: BiomeFlat(biome, layers, ground))
    sim.reset(0, Start(world_time=time, time_frozen=True, mobs=False, yaw=0.0))
    for _ in range(calls):
        natural_spawn(sim.w, sim.R, sim.e.pf, sim.e.ef, sim.e.ei, sim.e.rng, sky_subtract(time), cat, 100, 0,
                      LOAD_RADIUS)
    kinds = sim.e.ei[:, EKIND]
    return Counter(R.mob_names[k - KIND_MOB0] for k in kinds if k >= KIND_MOB0)


SAND = [(0, "bedrock"), (1, "stone"), (60, "sand")]
MYCELIUM = [(0, "bedrock"), (1, "stone"), (60, "dirt"), (63, "mycelium")]
OCEAN = [(0, "bedrock"), (1, "stone"), (40, "gravel"), (41, "water")]
CAVE = [(0, "bedrock"), (1, "stone"), (40, "air"), (48, "stone"), (60, "dirt"), (63, "grass")]


def test_natural_spawning_by_biome():
    assert spawned("swamp", MONSTER)["slime"] > 0
    plains = spawned("plains", MONSTER)
    assert plains["slime"] == 0 and plains["zombie"] > 0 and set(plains) <= set(_list("plains", MONSTER))
    assert spawned("desert", MONSTER, SAND)["husk"] > 0
    assert set(spawned("desert", CREATURE, SAND, time=6000)) == {"rabbit"}
    assert set(spawned("mushroom_fields", CREATURE, MYCELIUM, time=6000)) == {"mooshroom"}
    assert spawned("mushroom_fields", MONSTER, MYCELIUM) == {}
    assert spawned("forest", CREATURE, time=6000)["wolf"] > 0
    assert spawned("plains", CREATURE, time=6000)["horse"] > 0
    assert set(spawned("ocean", WATER, OCEAN, ground=62)) == {"squid"}
    assert set(spawned("plains", AMBIENT, CAVE, time=6000)) == {"bat"}
    assert spawned("plains", AMBIENT, time=6000) == {}  # no bats on the open surface


def _night_run(n=1500):
    sim = make_sim(time_of_day=18000, mobs=True)
    for i, name in enumerate(NEW):
        sim.summon(name, -12.5 + 2 * i, 64.0, 20.5)
    run(sim, n)
    return sim


def test_night_run_with_all_mobs_is_deterministic():
    a, b = _night_run(), _night_run()
    for x, y in ((a.e.ef, b.e.ef), (a.e.ei, b.e.ei), (a.e.pf, b.e.pf), (a.e.pi, b.e.pi), (a.e.stats, b.e.stats)):
        assert np.array_equal(x, y)


def test_every_new_mob_is_drawn():
    from mc_bench.sim.render import Renderer

    sim = make_sim(time_of_day=6000)
    r = Renderer(R, height=16, width=16)
    empty = r.render(sim.w, sim.e)[8, 8].astype(int)
    for name in NEW:
        e = sim.summon(name, 0.5, 64.0, 3.5)
        sim.e.ef[e, EY] = 65.62 - sim.e.ef[e, EH] / 2  # centred on the eye line
        px = r.render(sim.w, sim.e)[8, 8].astype(int)
        assert np.abs(px - empty).sum() > 30, name
        sim.e.ei[e, EKIND] = KIND_FREE
