"""Mechanics that make MineDojo harvest/techtree goals reachable: shears drops, cave cobwebs, lakes with clay,
chicken eggs, recipes minecraft-data lacks, the bow's use statistic, fishing and the totem's 1.11.2 name.
Engine tests run on the flat test world (grass top at y 63, player at (0.5, 64, 0.5) facing +z)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from flatworld import FlatGen

from mc_bench.rules import load_rules
from mc_bench.rules.world_rules import L_CUM, L_ITEM, L_META, P_FISH0, U_COUNTED
from mc_bench.sim.crafting import craft
from mc_bench.sim.engine import A_ATTACK, A_USE, Sim, Start, noop_action
from mc_bench.sim.features import FI_LAKE0
from mc_bench.sim.fishing import PH_BITE, PH_LAND, PH_NONE, PH_WAIT
from mc_bench.sim.interact import inv_add, inv_count
from mc_bench.sim.lakes import LK_CH
from mc_bench.sim.state import (
    ECOUNT,
    EITEM,
    EKIND,
    ELAY,
    EMETA,
    FISHING,
    INV_SLOTS,
    IT_META,
    KIND_ITEM,
    N_STAT_ITEMS,
    N_STATS,
    PITCH,
    PX,
    PY,
    PZ,
    SLOT,
    ST_USE,
    YAW,
)
from mc_bench.sim.world import get_state, set_state
from mc_bench.sim.worldgen import WorldGen, _compile

R = load_rules()
W = R.world


def make_sim(inventory=()):
    sim = Sim(R, lambda seed: FlatGen(seed))
    sim.reset(0, Start(inventory=[(R.item(n), 0, c) for n, c in inventory], yaw=0.0, pitch=0.0, mobs=False))
    return sim


def put(sim, name, x, y, z, meta=0):
    assert set_state(sim.w, x, y, z, np.uint16(R.state(name, meta)))


def look_at(sim, x, y, z):
    pf = sim.e.pf
    dx, dy, dz = x - pf[PX], y - (pf[PY] + 1.62), z - pf[PZ]
    pf[YAW] = math.degrees(math.atan2(-dx, dz))
    pf[PITCH] = math.degrees(-math.atan2(dy, math.hypot(dx, dz)))


def press(sim, key, ticks=1):
    a = noop_action()
    a[key] = 1
    for _ in range(ticks):
        sim.step(a)
    sim.step(noop_action())


def ground_items(sim) -> dict[tuple[str, int], int]:
    out: dict[tuple[str, int], int] = {}
    for e in np.nonzero(sim.e.ei[:, EKIND] == KIND_ITEM)[0]:
        key = (R.item_names[sim.e.ei[e, EITEM]], int(sim.e.ei[e, EMETA]))
        out[key] = out.get(key, 0) + int(sim.e.ei[e, ECOUNT])
    return out


def mine_drops(block, meta, tool=None):
    """What breaking (block, meta) in front of the player drops, holding ``tool`` (None = hand)."""
    sim = make_sim([(tool, 1)] if tool else [])
    if tool:
        sim.equip(R.item(tool))
    put(sim, block, 0, 64, 2, meta)
    look_at(sim, 0.5, 64.5, 2.5)
    a = noop_action()
    a[A_ATTACK] = 1
    for _ in range(400):
        sim.step(a)
        if get_state(sim.w, 0, 64, 2) == 0:
            break
    assert get_state(sim.w, 0, 64, 2) == 0
    sim.step(noop_action())
    return ground_items(sim)


# ---------------------------------------------------------------- shears


@pytest.mark.parametrize("block, meta, tool, drops", [
    ("leaves", 2 | 8, "shears", {("leaves", 2): 1}),  # birch, check-decay bit stripped
    ("leaves2", 1 | 4, "shears", {("leaves2", 1): 1}),  # dark oak, no-decay bit stripped
    ("web", 0, "shears", {("web", 0): 1}),
    ("web", 0, "iron_sword", {("string", 0): 1}),
    ("tallgrass", 2, "shears", {("tallgrass", 2): 1}),  # fern
    ("double_plant", 2, "shears", {("tallgrass", 1): 2}),  # double tall grass: two grass
    ("double_plant", 3, "shears", {("tallgrass", 2): 2}),  # large fern: two ferns
    ("double_plant", 0, "shears", {("double_plant", 0): 1}),  # sunflower: as by hand
    ("vine", 4, "shears", {("vine", 0): 1}),
    ("deadbush", 0, "shears", {("deadbush", 0): 1}),
])
def test_shears_drops(block, meta, tool, drops):
    assert mine_drops(block, meta, tool) == drops


def test_no_shears_no_block():
    assert mine_drops("vine", 4) == {}
    leaves = mine_drops("leaves", 0)
    assert ("leaves", 0) not in leaves and set(leaves) <= {("sapling", 0), ("apple", 0)}
    assert ("tallgrass", 1) not in mine_drops("tallgrass", 1)


# ---------------------------------------------------------------- worldgen: cobwebs, lakes, clay


class _Chunk:
    blocks = np.zeros((16, 16, 256), np.uint16)


def _scan(preset, seed, radius):
    """(nearest clay under water: distance from spawn, cobwebs, a lake chunk's blocks or None) around spawn."""
    gen = WorldGen(R, preset, seed)
    sx, _, sz = gen.find_spawn()
    clay, water, web = R.state("clay"), R.state("water"), R.state("web")
    w, best, webs, lake = _Chunk(), math.inf, 0, None
    for cx in range((sx >> 4) - radius, (sx >> 4) + radius + 1):
        for cz in range((sz >> 4) - radius, (sz >> 4) + radius + 1):
            w.blocks = np.zeros((16, 16, 256), np.uint16)
            gen.generate(w, 0, 0, cx, cz)
            b = w.blocks
            webs += int((b == web).sum())
            for i, j, _ in np.argwhere((b[:, :, :-2] == clay) & ((b[:, :, 1:-1] == water) | (b[:, :, 2:] == water))):
                best = min(best, math.hypot(cx * 16 + i - sx, cz * 16 + j - sz))
                lake = b.copy() if lake is None else lake
    return best, webs, lake


@pytest.mark.parametrize("preset", ["biome_plains", "biome_forest", "biome_taiga", "biome_jungle", "biome_swampland"])
def test_clay_under_water_near_spawn(preset):
    for seed in (0, 1):
        near, webs, _ = _scan(preset, seed, 4)
        assert near < 64 and webs > 0, (seed, near, webs)


def test_lake_water_is_contained():
    _, _, b = _scan("biome_plains", 0, 3)
    water = R.state("water")
    for i, j, y in np.argwhere(b[1:15, 1:15, :] == water) + [1, 1, 0]:
        for di, dj, dy in ((1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, -1)):
            assert b[i + di, j + dj, y + dy] != 0, (i, j, y)


def test_lakes_only_where_presets_ask():
    chance = {p: _compile(R, p).feat_i[FI_LAKE0 + LK_CH] for p in ("default", "forest", "biome_plains")}
    assert chance["default"] == chance["forest"] == 0 and chance["biome_plains"] > 0  # MineRL worlds unchanged
    near, _, _ = _scan("biome_desert", 0, 2)
    assert near == math.inf  # no lakes in deserts (vanilla too)


@pytest.mark.parametrize("preset", ["biome_plains", "biome_taiga"])
def test_ponds_get_sand_disks(preset):
    """One-biome worlds have no beaches or rivers: their sand is the sand disks on pond shallows and
    shores (WorldGenSand), each within a disk's reach of pond water."""
    sand, water = R.state("sand"), R.state("water")
    found = 0
    for b in _chunks_around_spawn(preset, 3):
        for i, j, y in np.argwhere(b == sand):
            near = b[max(i - 12, 0):i + 13, max(j - 12, 0):j + 13, y - 3:y + 4]
            assert (near == water).any(), (i, j, y)  # a disk's centre column is pond water
            found += 1
    assert found > 50


def _chunks_around_spawn(preset, radius):
    """The blocks of each chunk within ``radius`` chunks of the spawn of ``preset``'s world 0."""
    gen = WorldGen(R, preset, 0)
    sx, _, sz = gen.find_spawn()
    w = _Chunk()
    for cx in range((sx >> 4) - radius, (sx >> 4) + radius + 1):
        for cz in range((sz >> 4) - radius, (sz >> 4) + radius + 1):
            w.blocks = np.zeros((16, 16, 256), np.uint16)
            gen.generate(w, 0, 0, cx, cz)
            yield w.blocks


def test_ponds_grow_sugar_cane_on_their_shores():
    """Vanilla grows reeds beside any water; in a one-biome plains world (no sea shore) that is the
    ponds': cane stands on soil at the water's level with pond water beside it."""
    reeds, water = R.state("reeds"), R.state("water")
    found = 0
    for b in _chunks_around_spawn("biome_plains", 3):
        for i, j, y in np.argwhere((b[:, :, 1:] == reeds) & (b[:, :, :-1] != reeds)) + [0, 0, 1]:
            beside = [b[i + di, j + dj, y - 1] for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1))
                      if 0 <= i + di < 16 and 0 <= j + dj < 16]
            assert water in beside, (i, j, y)
            found += 1
    assert found > 5


# ---------------------------------------------------------------- chicken eggs


def test_chicken_lays_an_egg():
    sim = make_sim()
    e = sim.summon("chicken", 3.5, 64.0, 3.5)
    sim.step(noop_action())
    assert 6000 <= sim.e.ei[e, ELAY] <= 11999  # rand(6000) + 6000, drawn on its first tick
    sim.e.ei[e, ELAY] = 2
    sim.step(noop_action())
    assert ground_items(sim) == {}
    sim.step(noop_action())
    assert ground_items(sim) == {("egg", 0): 1} and 6000 <= sim.e.ei[e, ELAY] <= 11999


# ---------------------------------------------------------------- recipes minecraft-data lacks


@pytest.mark.parametrize("result, inputs", [
    ("beetroot_soup", {"beetroot": 6, "bowl": 1}),
    ("sea_lantern", {"prismarine_shard": 4, "prismarine_crystals": 5}),
    ("observer", {"cobblestone": 6, "redstone": 2, "quartz": 1}),
])
def test_missing_recipes(result, inputs):
    inv = np.zeros((INV_SLOTS, 3), np.int32)
    for name, n in inputs.items():
        inv_add(inv, R.item(name), 0, n, R.stack_size)
    stats = np.zeros((N_STATS, N_STAT_ITEMS), np.int64)
    assert not craft(R, inv, stats, R.item(result), -1, False)  # a 3x3 recipe
    assert craft(R, inv, stats, R.item(result), -1, True)
    assert inv_count(inv, R.item(result)) == 1 and all(inv_count(inv, R.item(n)) == 0 for n in inputs)


# ---------------------------------------------------------------- bow


def test_a_shot_counts_the_bows_use_once():
    sim = make_sim([("bow", 1), ("arrow", 3)])
    sim.e.pf[PITCH] = -30.0
    press(sim, A_USE, 20)
    assert sim.e.stats[ST_USE, R.item("bow")] == 1 and inv_count(sim.e.inv, R.item("arrow")) == 2
    assert W.itm[R.item("bow"), 0] == U_COUNTED


# ---------------------------------------------------------------- fishing


def fishing_sim():
    sim = make_sim([("fishing_rod", 1), ("dirt", 1)])
    for x in range(-1, 2):
        for z in range(3, 7):
            put(sim, "water", x, 63, z)
            put(sim, "water", x, 62, z)
    sim.equip(R.item("fishing_rod"))
    look_at(sim, 0.5, 63.9, 4.5)
    return sim


def test_fishing_catch():
    sim = fishing_sim()
    rod = R.item("fishing_rod")
    press(sim, A_USE)
    assert sim.e.pi[FISHING] == PH_WAIT and sim.e.stats[ST_USE, rod] == 1
    waited = 0
    while sim.e.pi[FISHING] != PH_BITE and waited < 800:
        sim.step(noop_action())
        waited += 1
    assert 100 + 20 - 1 <= waited <= 600 + 80 - 1  # wait 100-600, approach 20-80 (the release tick counts one)
    press(sim, A_USE)
    caught = [(int(i), int(m)) for i, m, n in sim.e.inv if n and i not in (rod, R.item("dirt"))]
    table = W.loot[W.p[P_FISH0]:]
    assert len(caught) == 1 and caught[0] in {(int(r[L_ITEM]), int(r[L_META])) for r in table}
    assert sim.e.inv[sim.e.pi[SLOT], IT_META] == 1 and sim.e.stats[ST_USE, rod] == 1  # reeling is no use
    assert sim.e.pi[FISHING] == PH_NONE


def test_fishing_misses_land_and_broken_line():
    sim = fishing_sim()
    press(sim, A_USE)
    press(sim, A_USE)  # reeled in before a bite: nothing, no wear
    assert sim.e.pi[FISHING] == PH_NONE and sim.e.inv[sim.e.pi[SLOT], IT_META] == 0
    assert sum(n for i, _, n in sim.e.inv if i == R.item("fish")) == 0
    look_at(sim, 0.5, 64.0, 1.5)  # grass
    press(sim, A_USE)
    assert sim.e.pi[FISHING] == PH_LAND
    press(sim, A_USE)
    assert sim.e.inv[sim.e.pi[SLOT], IT_META] == 2  # a hook pulled from land wears 2
    look_at(sim, 0.5, 63.9, 4.5)
    press(sim, A_USE)
    assert sim.e.pi[FISHING] == PH_WAIT and sim.e.stats[ST_USE, R.item("fishing_rod")] == 3
    sim.equip(R.item("dirt"))
    sim.step(noop_action())
    assert sim.e.pi[FISHING] == PH_NONE  # the rod left the hand


def test_fishing_table_odds():
    table = W.loot[W.p[P_FISH0]:]
    p = np.diff(table[:, L_CUM], prepend=0.0)
    fish = table[:, L_ITEM] == R.item("fish")
    assert table[-1, L_CUM] == 1.0 and math.isclose(p[fish].sum(), 0.85)
    assert math.isclose(p[fish & (table[:, L_META] == 0)].sum(), 0.85 * 0.60)  # cod
    assert math.isclose(p[fish & (table[:, L_META] == 3)].sum(), 0.85 * 0.13)  # pufferfish
    assert math.isclose(p[table[:, L_ITEM] == R.item("saddle")].sum(), 0.05 / 6)


# ---------------------------------------------------------------- the report


def test_totem_counts_the_1_11_item():
    from mc_bench.tasks.minedojo import FIXES, expand

    assert expand()["harvest_8_totem_of_undying"].settings["targets"] == {"totem": 8}
    assert any("totem" in f for f in FIXES) and R.item("totem") > 0


@pytest.mark.parametrize("task", ["harvest_1_leaves", "harvest_8_web_swampland", "harvest_1_clay",
                                  "harvest_8_brick_jungle_with_furnace_and_fuel", "harvest_1_egg", "harvest_1_cake",
                                  "harvest_8_beetroot_soup", "harvest_1_fish", "harvest_1_cooked_fish",
                                  "techtree_from_wood_to_archery", "harvest_1_totem_of_undying"])
def test_report_reaches(task):
    from mc_bench.tasks.feasibility import assess

    v = assess(task)
    assert v.dimension == "overworld" and v.reachable, v.reason


def test_observer_needs_the_nether():
    from mc_bench.tasks.feasibility import assess

    v = assess("techtree_from_iron_to_redstone_observer")
    assert v.dimension == "nether" and "quartz" in v.reason

