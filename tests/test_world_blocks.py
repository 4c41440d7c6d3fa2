"""Liquids, buckets, farming, TNT, fire, use statistics and chests (sim/fluids.py, farming.py, usage.py,
blockticks.py), on the flat test world: grass top at y 63, player at (0.5, 64, 0.5) facing +z."""

from __future__ import annotations

import math

import numpy as np
from flatworld import FlatGen

from mc_bench.rules import load_rules
from mc_bench.sim.engine import A_ATTACK, A_PLACE, A_USE, Sim, Start, noop_action
from mc_bench.sim.interact import inv_count
from mc_bench.sim.state import (
    ECOUNT,
    EITEM,
    EKIND,
    KIND_ITEM,
    PITCH,
    PX,
    PY,
    PZ,
    ST_PLACE,
    ST_USE,
    TICK,
    YAW,
)
from mc_bench.sim.world import Q_DUE, Q_KIND, U_NCHANGED, U_NQUEUE, get_state, set_state
from mc_bench.sim.worldgen import WorldGen

R = load_rules()
W = R.world


def make_sim(inventory=()):
    sim = Sim(R, lambda seed: FlatGen(seed))
    sim.reset(0, Start(inventory=[(R.item(n), m, c) for n, m, c in inventory], yaw=0.0, pitch=0.0, mobs=False))
    return sim


def put(sim, name, x, y, z, meta=0):
    assert set_state(sim.w, x, y, z, np.uint16(R.state(name, meta)))


def name_at(sim, x, y, z):
    return R.block_names[int(get_state(sim.w, x, y, z)) >> 4]


def run(sim, n):
    for _ in range(n):
        sim.step(noop_action())


def look_at(sim, x, y, z):
    """Point the camera at world point (x, y, z) from the eye."""
    pf = sim.e.pf
    dx, dy, dz = x - pf[PX], y - (pf[PY] + 1.62), z - pf[PZ]
    pf[YAW] = math.degrees(math.atan2(-dx, dz))
    pf[PITCH] = math.degrees(-math.atan2(dy, math.hypot(dx, dz)))


def use(sim, slot_item=None):
    """One press of the use key (then release)."""
    if slot_item is not None:
        sim.equip(R.item(slot_item))
    a = noop_action()
    a[A_USE] = 1
    sim.step(a)
    sim.step(noop_action())


def fluid_cells(sim, names, y, r=16):
    ids = {R.block(n) for n in names}
    return sum(int(get_state(sim.w, x, y, z)) >> 4 in ids for x in range(-r, r + 1) for z in range(-r, r + 1))


def test_quiet_world_has_no_pending_updates():
    sim = make_sim()
    run(sim, 5)
    assert sim.w.upd[U_NQUEUE] == 0 and sim.w.upd[U_NCHANGED] == 0


def test_water_spreads_seven_and_stops():
    sim = make_sim()
    put(sim, "water", 0, 64, 8)
    run(sim, 5 * 10)
    # Flat ground: a diamond of radius 7 (levels 1-7) around the source, 1 + 2 * 7 * 8 cells.
    assert fluid_cells(sim, ["water", "flowing_water"], 64) == 113
    assert name_at(sim, 7, 64, 8) == "flowing_water" and name_at(sim, 8, 64, 8) == "air"
    assert get_state(sim.w, 7, 64, 8) & 15 == 7
    run(sim, 20)
    assert sim.w.upd[U_NQUEUE] == 0  # settled: nothing left to update


def test_water_flows_one_block_per_five_ticks():
    sim = make_sim()
    put(sim, "water", 0, 64, 8)
    run(sim, 6)  # seen at tick 0, the source's update at tick 5 spreads to its four sides
    assert name_at(sim, 1, 64, 8) == "flowing_water" and name_at(sim, 2, 64, 8) == "air"
    run(sim, 4)
    assert name_at(sim, 2, 64, 8) == "air"
    run(sim, 1)
    assert name_at(sim, 2, 64, 8) == "flowing_water"


def test_water_dries_up_when_source_removed():
    sim = make_sim()
    put(sim, "water", 0, 64, 8)
    run(sim, 50)
    put(sim, "air", 0, 64, 8)
    run(sim, 80)
    assert fluid_cells(sim, ["water", "flowing_water"], 64) == 0


def test_water_falls_and_flows_towards_a_hole():
    sim = make_sim()
    put(sim, "air", 3, 63, 8)
    put(sim, "water", 0, 64, 8)
    run(sim, 60)
    assert name_at(sim, 3, 63, 8) == "flowing_water" and get_state(sim.w, 3, 63, 8) & 8
    # The flow heads for the hole only: nothing spreads the other way.
    assert name_at(sim, -1, 64, 8) == "air"


def test_lava_spreads_three_slowly():
    sim = make_sim()
    put(sim, "lava", 0, 64, 8)
    run(sim, 29)
    assert name_at(sim, 1, 64, 8) == "air"
    run(sim, 30 * 4)
    assert fluid_cells(sim, ["lava", "flowing_lava"], 64) == 1 + 2 * 3 * 4
    assert name_at(sim, 3, 64, 8) == "flowing_lava" and name_at(sim, 4, 64, 8) == "air"


def test_infinite_water_source():
    sim = make_sim()
    for x in (-1, 0, 1):
        for z in (7, 8, 9):
            put(sim, "stone", x, 64, z)
    put(sim, "air", 0, 64, 8)
    for z in (7, 9):
        put(sim, "air", 0, 64, z)
    put(sim, "water", 0, 64, 7)
    put(sim, "water", 0, 64, 9)
    run(sim, 20)
    assert name_at(sim, 0, 64, 8) in ("water", "flowing_water") and get_state(sim.w, 0, 64, 8) & 15 == 0


def test_lava_and_water_make_obsidian_cobblestone_and_stone():
    sim = make_sim()
    put(sim, "lava", 0, 64, 8)
    put(sim, "water", 1, 65, 8)  # flows onto the lava source's side
    run(sim, 40)
    assert name_at(sim, 0, 64, 8) == "obsidian"
    sim = make_sim()
    put(sim, "water", 0, 64, 8)
    run(sim, 50)
    put(sim, "lava", 0, 66, 8)  # falls onto the water source, which turns to stone
    run(sim, 70)
    assert name_at(sim, 0, 64, 8) == "stone"
    sim = make_sim()
    put(sim, "lava", 0, 64, 8)
    run(sim, 80)
    put(sim, "water", 3, 64, 8)  # touches level-2 flowing lava at (2, 64, 8)
    run(sim, 40)
    assert "cobblestone" in {name_at(sim, x, 64, 8) for x in (1, 2)}


def test_bucket_round_trip():
    sim = make_sim([("bucket", 0, 1)])
    put(sim, "water", 0, 63, 2)
    look_at(sim, 0.5, 63.9, 2.5)
    use(sim, "bucket")
    assert inv_count(sim.e.inv, R.item("water_bucket")) == 1 and name_at(sim, 0, 63, 2) == "air"
    assert sim.e.stats[ST_USE, R.item("bucket")] == 1
    look_at(sim, 0.5, 63.99, 3.5)  # top face of the grass at (0, 63, 3)
    use(sim, "water_bucket")
    assert name_at(sim, 0, 64, 3) == "water" and inv_count(sim.e.inv, R.item("bucket")) == 1
    assert sim.e.stats[ST_USE, R.item("water_bucket")] == 1
    sim = make_sim([("bucket", 0, 3)])
    put(sim, "lava", 0, 63, 2)
    look_at(sim, 0.5, 63.9, 2.5)
    use(sim, "bucket")
    assert inv_count(sim.e.inv, R.item("lava_bucket")) == 1 and inv_count(sim.e.inv, R.item("bucket")) == 2


def test_liquids_deterministic():
    def flood():
        sim = make_sim()
        put(sim, "air", 2, 63, 8)
        put(sim, "water", 0, 64, 8)
        put(sim, "lava", 0, 64, 14)
        run(sim, 120)
        return sim.w.blocks.copy()

    assert np.array_equal(flood(), flood())


def test_hoe_tills_from_the_side_but_not_with_a_block_above():
    sim = make_sim([("stone_hoe", 0, 1)])
    put(sim, "air", 0, 63, 1)  # a step down, so the side of (0, 63, 2) faces the player
    look_at(sim, 0.5, 63.5, 2.0)
    use(sim, "stone_hoe")
    assert name_at(sim, 0, 63, 2) == "farmland"
    put(sim, "dirt", 0, 63, 3)
    put(sim, "stone", 0, 64, 3)
    look_at(sim, 0.5, 63.5, 3.0)
    put(sim, "air", 0, 63, 2)
    use(sim, "stone_hoe")
    assert name_at(sim, 0, 63, 3) == "dirt" and sim.e.stats[ST_USE, R.item("stone_hoe")] == 1


def test_flowing_water_cannot_be_bucketed():
    sim = make_sim([("bucket", 0, 1)])
    put(sim, "flowing_water", 0, 63, 2, 3)
    look_at(sim, 0.5, 63.9, 2.5)
    use(sim, "bucket")
    assert inv_count(sim.e.inv, R.item("bucket")) == 1 and sim.e.stats[ST_USE, R.item("bucket")] == 0


def test_hoe_seeds_growth_and_harvest():
    sim = make_sim([("wooden_hoe", 0, 1), ("wheat_seeds", 0, 2), ("dye", 15, 8)])
    look_at(sim, 0.5, 63.99, 1.5)
    use(sim, "wooden_hoe")
    assert name_at(sim, 0, 63, 1) == "farmland" and sim.e.stats[ST_USE, R.item("wooden_hoe")] == 1
    assert sim.e.inv[0, 1] == 1  # the hoe took one damage
    use(sim, "wheat_seeds")
    assert name_at(sim, 0, 64, 1) == "wheat" and inv_count(sim.e.inv, R.item("wheat_seeds")) == 1
    # Growth timer: Minecraft's random-tick odds (dry farmland, alone: 1/13 per random tick, about
    # 17,750 ticks a stage); jump the clock to the timer instead of waiting.
    q = sim.w.queue[:sim.w.upd[U_NQUEUE]]
    timers = q[(q[:, Q_KIND] == 1) & (q[:, 0] == 0) & (q[:, 1] == 64) & (q[:, 2] == 1)]
    assert len(timers) == 1
    sim.e.pi[TICK] = timers[0, Q_DUE]
    run(sim, 1)
    assert get_state(sim.w, 0, 64, 1) & 15 == 1
    look_at(sim, 0.5, 64.2, 1.5)
    for _ in range(8):
        if get_state(sim.w, 0, 64, 1) & 15 == 7:
            break
        use(sim, "dye")
    assert get_state(sim.w, 0, 64, 1) & 15 == 7 and sim.e.stats[ST_USE, R.item("dye")] >= 1
    seeds = inv_count(sim.e.inv, R.item("wheat_seeds"))
    a = noop_action()
    a[A_ATTACK] = 1  # crops break at once
    sim.step(a)
    run(sim, 40)
    assert inv_count(sim.e.inv, R.item("wheat")) == 1 and inv_count(sim.e.inv, R.item("wheat_seeds")) >= seeds


def test_immature_crop_drops_a_seed_and_crop_pops_without_soil():
    sim = make_sim()
    put(sim, "farmland", 0, 63, 2)
    put(sim, "carrots", 0, 64, 2, 3)
    put(sim, "air", 0, 63, 2)
    run(sim, 40)
    assert name_at(sim, 0, 64, 2) == "air"
    loose = (sim.e.ei[:, EKIND] == KIND_ITEM) & (sim.e.ei[:, EITEM] == R.item("carrot"))
    assert inv_count(sim.e.inv, R.item("carrot")) + int(sim.e.ei[loose, ECOUNT].sum()) == 1


def test_tnt_explodes_after_80_ticks():
    sim = make_sim([("flint_and_steel", 0, 1)])
    put(sim, "tnt", 0, 64, 4)
    look_at(sim, 0.5, 64.5, 4.0)
    use(sim, "flint_and_steel")
    assert get_state(sim.w, 0, 64, 4) & 1 and sim.e.stats[ST_USE, R.item("flint_and_steel")] == 1
    run(sim, 76)
    assert name_at(sim, 0, 64, 4) == "tnt"
    run(sim, 4)
    assert name_at(sim, 0, 64, 4) == "air" and name_at(sim, 0, 63, 4) == "air"  # crater


def test_tnt_chain_reaction():
    sim = make_sim([("flint_and_steel", 0, 1)])
    put(sim, "tnt", 0, 64, 4)
    put(sim, "tnt", 0, 64, 5)
    look_at(sim, 0.5, 64.5, 4.0)
    use(sim, "flint_and_steel")
    sim.e.pf[PZ] = -8.5  # step back: the engine stops while the player is dead
    run(sim, 79)
    assert name_at(sim, 0, 64, 4) == "air" and name_at(sim, 0, 64, 5) == "tnt"
    assert get_state(sim.w, 0, 64, 5) & 1  # lit by the blast, not dropped
    tnt_items = (sim.e.ei[:, EKIND] == KIND_ITEM) & (sim.e.ei[:, EITEM] == R.item("tnt"))
    assert not tnt_items.any()
    run(sim, 30)
    assert name_at(sim, 0, 64, 5) == "air" and name_at(sim, 0, 63, 5) == "air"


def test_fire_lights_and_burns_out():
    sim = make_sim([("flint_and_steel", 0, 1)])
    look_at(sim, 0.5, 63.99, 3.5)
    use(sim, "flint_and_steel")
    assert name_at(sim, 0, 64, 3) == "fire"
    run(sim, 80)
    assert name_at(sim, 0, 64, 3) == "air"


def test_use_statistics_fallback_and_placing():
    sim = make_sim([("compass", 0, 1), ("dirt", 0, 2)])
    look_at(sim, 0.5, 70.0, 3.5)  # at the sky
    use(sim, "compass")
    use(sim, "compass")
    a = noop_action()
    a[A_USE] = 1
    for _ in range(5):  # held: one use per press
        sim.step(a)
    assert sim.e.stats[ST_USE, R.item("compass")] == 3
    look_at(sim, 0.5, 63.99, 3.5)
    a = noop_action()
    a[A_PLACE] = R.item("dirt")
    sim.step(a)
    assert sim.e.stats[ST_PLACE, R.item("dirt")] == 1 and sim.e.stats[ST_USE, R.item("dirt")] == 1


def test_chest_gives_loot_once():
    sim = make_sim()
    put(sim, "chest", 0, 64, 2, 2)
    look_at(sim, 0.5, 64.5, 2.0)
    use(sim)
    got = int(sim.e.inv[:, 2].sum())
    assert got >= 3 and get_state(sim.w, 0, 64, 2) & 15 == 0
    use(sim)
    assert int(sim.e.inv[:, 2].sum()) == got
    assert not sim.e.stats[ST_USE].any()


# ---------------------------------------------------------------- generated features


class _Blocks:
    def __init__(self):
        self.blocks = np.zeros((16, 16, 256), np.uint16)


def _chunk(gen, cx, cz):
    w = _Blocks()
    gen.generate(w, 0, 0, cx, cz)
    return w.blocks


def _census(preset, seed, radius=8):
    """Block counts over the chunks within ``radius`` of the origin, and the chunks holding chests."""
    gen = WorldGen(R, preset, seed)
    total, chests = np.zeros(256, np.int64), []
    for cx in range(-radius, radius):
        for cz in range(-radius, radius):
            B = _chunk(gen, cx, cz)
            counts = np.bincount((B >> 4).ravel(), minlength=256)
            total += counts
            if counts[R.block("chest")]:
                chests.append((cx, cz, B))
    return gen, total, chests


def test_generated_plants_in_their_biomes():
    _, desert, _ = _census("biome_desert", 5)
    _, jungle, _ = _census("biome_jungle", 5)
    _, swamp, _ = _census("biome_swampland", 5)
    _, plains, _ = _census("biome_plains", 5)
    assert desert[R.block("cactus")] > 0 and desert[R.block("reeds")] == 0
    assert jungle[R.block("melon_block")] > 0 and jungle[R.block("vine")] > 0
    assert swamp[R.block("reeds")] > 0 and swamp[R.block("clay")] > 0 and swamp[R.block("vine")] > 0
    assert swamp[R.block("brown_mushroom")] > plains[R.block("brown_mushroom")]  # surface ones on top of caves'
    assert plains[R.block("pumpkin")] > 0 and plains[R.block("web")] > 0
    assert plains[R.block("melon_block")] == 0 and plains[R.block("cactus")] == 0


def test_default_world_has_reeds_by_water_and_cave_cobwebs():
    gen, total, _ = _census("default", 1, radius=6)
    for name in ("reeds", "pumpkin", "web", "brown_mushroom", "red_mushroom", "clay"):
        assert total[R.block(name)] > 0, name
    B = _chunk(gen, 0, 0)
    for i, j, y in zip(*np.nonzero((B >> 4) == R.block("web")), strict=True):
        assert y < 60 and B[i, j, y + 1] != 0  # hangs under a cave ceiling


def test_villages_with_loot_chests_in_village_biomes():
    village_biomes = {"plains", "desert", "savanna", "taiga"}
    found = 0
    for preset, seed in (("default", 1), ("default", 3), ("biome_desert", 5), ("biome_taiga", 5)):
        gen, total, chests = _census(preset, seed)
        assert total[R.block("farmland")] > 0 and total[R.block("wheat")] + total[R.block("carrots")] \
            + total[R.block("potatoes")] > 0
        for cx, cz, B in chests:
            found += 1
            assert R.biome_names[gen.biome_at(cx * 16 + 8, cz * 16 + 8)] in village_biomes
            states = B[(B >> 4) == R.block("chest")]
            assert len(states) == 1 and states[0] & 15 != 0  # one blacksmith chest, still full
    assert found >= 4


def test_village_chest_loot_in_a_world():
    B = _census("default", 1)[2][0][2]
    i, j, y = (int(v[0]) for v in np.nonzero((B >> 4) == R.block("chest")))
    sim = make_sim()
    put(sim, "chest", 0, 64, 2, int(B[i, j, y]) & 15)
    look_at(sim, 0.5, 64.5, 2.0)
    use(sim)
    counts = sim.item_counts()
    loot = {R.item_names[k] for k in np.flatnonzero(counts)}
    assert loot and loot <= {"diamond", "iron_ingot", "gold_ingot", "bread", "apple", "iron_pickaxe", "iron_sword",
                             "iron_chestplate", "iron_helmet", "iron_leggings", "iron_boots", "obsidian", "sapling",
                             "saddle", "iron_horse_armor", "golden_horse_armor", "diamond_horse_armor"}


def test_features_deterministic_and_chunk_order_free():
    a = WorldGen(R, "biome_jungle", 9)
    b = WorldGen(R, "biome_jungle", 9)
    first = [_chunk(a, cx, 0) for cx in range(3)]
    later = [_chunk(b, cx, 0) for cx in (2, 1, 0)][::-1]
    for x, y in zip(first, later, strict=True):
        assert np.array_equal(x, y)
    assert not np.array_equal(_chunk(WorldGen(R, "biome_jungle", 10), 0, 0), first[0])
