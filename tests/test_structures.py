"""Structures (sim/structures.py): ocean monuments in deep oceans and woodland mansions in roofed forests,
their blocks and inhabitants (guardians, elder guardians, evokers, vindicators), what those drop, and that
the item graph of the feasibility report sees them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from flatworld import FlatGen

from mc_bench.rules import load_rules
from mc_bench.sim.engine import A_ATTACK, Sim, Start, noop_action
from mc_bench.sim.mob_base import kill, spawn_mob
from mc_bench.sim.state import (
    ECOUNT,
    EITEM,
    EKIND,
    EMETA,
    EPERSIST,
    ESPEED,
    EX,
    EY,
    EZ,
    HEALTH,
    IT_COUNT,
    IT_ID,
    IT_META,
    KIND_FREE,
    KIND_ITEM,
    KIND_MOB0,
    PITCH,
    PX,
    PY,
    PZ,
    YAW,
)
from mc_bench.sim.structures import structure_mobs
from mc_bench.sim.world import get_state, new_world, set_state
from mc_bench.sim.worldgen import WorldGen
from mc_bench.tasks import feasibility as fz
from mc_bench.tasks import itemgraph as ig

R = load_rules()
SEA = 63


class FixedSpawn(WorldGen):
    """A WorldGen whose spawn is fixed (one-biome ocean worlds have no dry spawn to search for)."""

    def find_spawn(self):
        return 8, 90, 8


def chunk(gen, cx, cz):
    w = new_world()
    gen.generate(w, 0, 0, cx, cz)
    return w.blocks[:16, :16].copy()


def sites(gen, radius=14):
    """Chunks within ``radius`` of the origin that hold a structure, with its mobs."""
    out = []
    for cx in range(-radius, radius):
        for cz in range(-radius, radius):
            mobs = structure_mobs(R, gen, cx, cz)
            if mobs:
                out.append((cx, cz, mobs))
    return out


def ids(B, name, meta=None):
    hit = (B >> 4) == R.block(name)
    return hit if meta is None else hit & ((B & 15) == meta)


def mob_names(mobs):
    return sorted(R.mob_names[m] for m, *_ in mobs)


# ---------------------------------------------------------------- monuments


@pytest.fixture(scope="module")
def ocean():
    gen = FixedSpawn(R, "biome_deep_ocean", 5)
    return gen, sites(gen)


def test_monument_blocks(ocean):
    gen, found = ocean
    assert len(found) >= 3
    for cx, cz, _ in found[:3]:
        B = chunk(gen, cx, cz)
        assert {int(m) for m in np.unique(B[ids(B, "prismarine")] & 15)} == {0, 1, 2}
        assert ids(B, "sponge", 1).sum() == 2 and ids(B, "sponge").sum() == 2  # wet sponges only
        assert ids(B, "sea_lantern").sum() == 9
        ys = np.nonzero(ids(B, "prismarine") | ids(B, "sea_lantern"))[2]
        assert ys.max() < SEA - 1  # under water
        base = SEA - 24
        assert R.block_names[B[1, 1, base + 1] >> 4] == "water"  # the hall is flooded
        assert R.block_names[B[7, 0, base + 2] >> 4] == "water"  # and open to the sea
        assert np.array_equal(B, chunk(gen, cx, cz))  # a pure function of the chunk


def test_only_structure_chunks_hold_prismarine(ocean):
    gen, found = ocean
    sited = {(cx, cz) for cx, cz, _ in found}
    for cx in range(-3, 3):
        for cz in range(-3, 3):
            if (cx, cz) not in sited:
                assert not ids(chunk(gen, cx, cz), "prismarine").any()


def test_monuments_stand_in_deep_oceans_of_the_default_world():
    gen = WorldGen(R, "default", 12)
    deep = int(np.flatnonzero(gen.tables.bio_i[:, 0] == 24)[0])
    assert gen.tables.struct_i[0, 1] == 1 << deep  # monuments: deep ocean only
    found = sites(gen, radius=48)
    monuments = [(cx, cz) for cx, cz, mobs in found if "elder_guardian" in mob_names(mobs)]
    assert monuments
    for cx, cz in monuments:
        assert gen.biome_at(cx * 16 + 8, cz * 16 + 8) == 24
    cx, cz = monuments[0]
    assert ids(chunk(gen, cx, cz), "sponge", 1).sum() == 2


def test_default_world_has_deep_oceans_and_roofed_forests():
    gen = WorldGen(R, "default", 3)
    seen = {gen.biome_at(x, z) for x in range(-3000, 3001, 100) for z in range(-3000, 3001, 100)}
    assert {24, 29} <= seen  # deep ocean, roofed forest


def _sim_at(gen_factory, target, mobs=True):
    """A Sim on ``gen_factory``'s world, the player moved to chunk ``target`` (chunks load around it)."""
    sim = Sim(R, gen_factory)
    sim.reset(0, Start(yaw=0.0, world_time=6000, time_frozen=True, mobs=mobs))
    cx, cz = target(sim.gen)
    sim.e.pf[PX], sim.e.pf[PY], sim.e.pf[PZ] = cx * 16 + 8.5, 100.0, cz * 16 - 30.5
    sim.stream_chunks()
    return sim, cx, cz


def _mobs(sim):
    ei = sim.e.ei
    return [(R.mob_names[ei[e, EKIND] - KIND_MOB0], e) for e in np.nonzero(ei[:, EKIND] >= KIND_MOB0)[0]]


def _first_site(gen):
    return next((cx, cz) for cx, cz, _ in sites(gen))


def test_monument_guardians_in_the_sim():
    sim, cx, cz = _sim_at(lambda s: FixedSpawn(R, "biome_deep_ocean", s), _first_site)
    here = [(n, e) for n, e in _mobs(sim) if n in ("guardian", "elder_guardian")]
    names = [n for n, _ in here]
    assert names.count("elder_guardian") == 3 and 2 <= names.count("guardian") <= 4
    ef = sim.e.ef
    for _, e in here:
        assert sim.e.ei[e, EPERSIST] == 1
        x, y, z = (int(math.floor(ef[e, k])) for k in (EX, EY, EZ))
        assert (x >> 4, z >> 4) == (cx, cz) and SEA - 24 < y < SEA - 10
        assert R.block_names[int(get_state(sim.w, x, y, z)) >> 4] == "water"
    quiet, *_ = _sim_at(lambda s: FixedSpawn(R, "biome_deep_ocean", s), _first_site, mobs=False)
    assert not _mobs(quiet)


# ---------------------------------------------------------------- mansions


def test_mansion_blocks_and_inhabitants():
    gen = FixedSpawn(R, "biome_roofed_forest", 5)
    found = sites(gen)
    assert found
    cx, cz, mobs = found[0]
    assert mob_names(mobs) == ["evoker", "vindicator", "vindicator"]
    B = chunk(gen, cx, cz)
    assert ids(B, "planks", 5).sum() > 300 and ids(B, "log2", 1).sum() > 40  # dark oak walls and pillars
    assert ids(B, "glass_pane").sum() > 0 and ids(B, "cobblestone").sum() == 14 * 14 and ids(B, "torch").sum() == 4
    sim, *_ = _sim_at(lambda s: FixedSpawn(R, "biome_roofed_forest", s), _first_site)
    assert sorted(n for n, _ in _mobs(sim) if n in ("evoker", "vindicator")) == ["evoker", "vindicator", "vindicator"]


def flat_sim(inventory=()):
    sim = Sim(R, lambda s: FlatGen(s))
    sim.reset(0, Start(inventory=[(R.item(n), m, c) for n, m, c in inventory], yaw=0.0, world_time=6000,
                       time_frozen=True, mobs=False))
    return sim


def test_evoker_fangs_hit_within_12_blocks():
    sim = flat_sim()
    e = sim.summon("evoker", 0.5, 64.0, 6.5)
    sim.e.ef[e, ESPEED] = 0.0
    for _ in range(200):
        sim.step(noop_action())
        if sim.e.pf[HEALTH] < 20:
            break
    assert sim.e.pf[HEALTH] == 14.0  # 6 magic damage, armour or not
    far = flat_sim()
    e = far.summon("evoker", 0.5, 64.0, 14.5)
    far.e.ef[e, ESPEED] = 0.0
    for _ in range(200):
        far.step(noop_action())
    assert far.e.pf[HEALTH] == 20.0


def _kill_drops(name, n, by_player=True):
    """Items from ``n`` kills of mob ``name``: a list of {(item, meta): count}."""
    sim = flat_sim()
    m = R.mob_names.index(name)
    got = []
    for _ in range(n):
        e = spawn_mob(R.mobs, sim.e.ef, sim.e.ei, sim.e.rng, m, 0.5, 64.0, 8.5)
        kill(sim.R, sim.e.ef, sim.e.ei, sim.e.stats, sim.e.rng, e, by_player)
        drops = {}
        for k in np.nonzero(sim.e.ei[:, EKIND] == KIND_ITEM)[0]:
            key = (R.item_names[sim.e.ei[k, EITEM]], int(sim.e.ei[k, EMETA]))
            drops[key] = drops.get(key, 0) + int(sim.e.ei[k, ECOUNT])
            sim.e.ei[k, EKIND] = KIND_FREE
        got.append(drops)
    return got


def test_evoker_drops_a_totem_and_maybe_an_emerald():
    got = _kill_drops("evoker", 40)
    assert all(d.get(("totem", 0)) == 1 and d.get(("emerald", 0), 0) <= 1 for d in got)
    assert any(("emerald", 0) in d for d in got)
    assert all(set(d) <= {("emerald", 0)} for d in _kill_drops("vindicator", 20))


def test_elder_guardian_drops():
    got = _kill_drops("elder_guardian", 60)
    allowed = {("prismarine_shard", 0): 2, ("fish", 0): 1, ("prismarine_crystals", 0): 1, ("sponge", 1): 1}
    for d in got:
        assert d.get(("sponge", 1)) == 1  # a wet sponge from every player kill
        assert all(k in allowed and n <= allowed[k] for k, n in d.items()), d
    seen = set().union(*got)
    assert {("prismarine_shard", 0), ("fish", 0), ("prismarine_crystals", 0)} <= seen
    assert not any(("sponge", 1) in d for d in _kill_drops("elder_guardian", 10, by_player=False))


def _mine(name, meta, tool=None):
    """Break (name, meta) beside the player with ``tool`` held; the (item, meta) counts it dropped."""
    sim = flat_sim([(tool, 0, 1)] if tool else [])
    if tool:
        sim.equip(R.item(tool))
    assert set_state(sim.w, 0, 64, 1, np.uint16(R.state(name, meta)))
    pf = sim.e.pf
    dx, dy, dz = 0.5 - pf[PX], 64.5 - (pf[PY] + 1.62), 1.5 - pf[PZ]
    pf[YAW], pf[PITCH] = math.degrees(math.atan2(-dx, dz)), math.degrees(-math.atan2(dy, math.hypot(dx, dz)))
    a = noop_action()
    a[A_ATTACK] = 1
    for _ in range(400):
        sim.step(a)
        if get_state(sim.w, 0, 64, 1) == 0:
            break
    inv, ei = sim.e.inv, sim.e.ei
    got = {}
    for i, m, c in [*inv[inv[:, IT_COUNT] > 0][:, [IT_ID, IT_META, IT_COUNT]],
                    *ei[ei[:, EKIND] == KIND_ITEM][:, [EITEM, EMETA, ECOUNT]]]:  # drops may fly out of reach
        if R.item_names[i] != tool:
            got[R.item_names[i], int(m)] = got.get((R.item_names[i], int(m)), 0) + int(c)
    return got


def test_mining_monument_blocks():
    assert _mine("sponge", 1) == {("sponge", 1): 1}  # a wet sponge stays wet
    got = _mine("sea_lantern", 0)
    assert list(got) == [("prismarine_crystals", 0)] and 2 <= got[("prismarine_crystals", 0)] <= 3
    assert _mine("prismarine", 2, "wooden_pickaxe") == {("prismarine", 2): 1}  # dark prismarine
    assert _mine("prismarine", 1) == {}  # needs a pickaxe


# ---------------------------------------------------------------- the item graph


def test_item_graph_sees_structures_and_their_mobs():
    ig.clear_caches()
    metas, rare, _ = ig.world_blocks(None)
    assert {"prismarine", "sponge", "sea_lantern"} <= rare and metas["sponge"] == {1}
    assert ig.structure_mobs(["deep_ocean"]) == {"guardian", "elder_guardian"}
    assert ig.structure_mobs(["roofed_forest"]) == {"evoker", "vindicator"}
    assert not ig.structure_mobs(["plains"])
    fz._clear_caches()
    for task in ("harvest_1_sponge", "harvest_8_prismarine_shard", "harvest_1_skull"):
        v = fz.assess(task)
        assert v.reachable, (task, v.reason)
    assert "charged creeper" in fz.assess("harvest_1_skull").reason
