"""World generation: layers, ores, biomes, presets, trees across chunk borders, determinism, spawn."""

from __future__ import annotations

import numpy as np
import pytest

from mc_bench.error import RulesValidationError
from mc_bench.rules import load_rules
from mc_bench.sim.world import ChunkStore, new_world
from mc_bench.sim.worldgen import WorldGen, preset_names

R = load_rules()
BIOMES = {"ocean": 0, "plains": 1, "desert": 2, "extreme_hills": 3, "forest": 4, "taiga": 5, "swampland": 6,
          "river": 7, "beach": 16, "jungle": 21, "birch_forest": 27, "savanna": 35}


def bid(name: str) -> int:
    return R.block(name)


def region(gen: WorldGen, cx: int, cz: int, r: int) -> np.ndarray:
    """Blocks of the (2r+1)^2 chunks around (cx, cz) in world order: [x - x0, z - z0, y]."""
    w = new_world()
    ChunkStore(w, gen.generate).ensure(cx, cz, r)
    n = 2 * r + 1
    out = np.empty((16 * n, 16 * n, 256), np.uint16)
    for a in range(n):
        for b in range(n):
            sx, sz = (cx - r + a) & 7, (cz - r + b) & 7
            out[16 * a:16 * a + 16, 16 * b:16 * b + 16] = w.blocks[16 * sx:16 * sx + 16, 16 * sz:16 * sz + 16]
    return out


def one_chunk(gen: WorldGen, cx: int, cz: int) -> np.ndarray:
    w = new_world()
    gen.generate(w, 0, 0, cx, cz)
    return w.blocks[:16, :16].copy()


@pytest.fixture(scope="module")
def default_gen():
    return WorldGen(R, "default", 7)


@pytest.fixture(scope="module")
def default_region(default_gen):
    return region(default_gen, 0, 0, 3)


@pytest.fixture(scope="module")
def hills_region():
    return region(WorldGen(R, "extreme_hills", 7), 0, 0, 3)


@pytest.fixture(scope="module")
def forest_region():
    return region(WorldGen(R, "forest", 7), 0, 0, 3)


def test_presets_and_unknown_preset():
    assert {"default", "forest", "extreme_hills"} <= set(preset_names())
    with pytest.raises(RulesValidationError, match="default.*forest.*extreme_hills"):
        WorldGen(R, "amplified", 1)


def test_bedrock_floor(default_region):
    ids = default_region >> 4
    bedrock = ids == bid("bedrock")
    assert bedrock[:, :, 0].all()
    assert not bedrock[:, :, 5:].any()
    for y, p in ((1, 0.8), (2, 0.6), (3, 0.4), (4, 0.2)):
        assert abs(bedrock[:, :, y].mean() - p) < 0.05, y


@pytest.mark.parametrize("ore, lo, hi", [("coal_ore", 0, 128), ("iron_ore", 0, 64), ("gold_ore", 0, 32),
                                         ("redstone_ore", 0, 16), ("diamond_ore", 0, 16), ("lapis_ore", 0, 32)])
def test_ore_y_ranges_and_counts(default_region, hills_region, ore, lo, hi):
    # Per-chunk means of Minecraft 1.11 (stone only, after dirt/gravel/granite veins and caves):
    # coal ~145, iron ~78, gold ~8, redstone ~25, diamond ~3, lapis ~3.4.
    expected = {"coal_ore": 145, "iron_ore": 78, "gold_ore": 8, "redstone_ore": 25, "diamond_ore": 3.1,
                "lapis_ore": 3.4}[ore]
    for blocks in (default_region, hills_region):
        ys = np.nonzero((blocks >> 4) == bid(ore))[2]
        assert len(ys) > 0
        assert lo <= ys.min() and ys.max() < hi
        per_chunk = len(ys) / 49
        assert 0.5 * expected < per_chunk < 1.8 * expected, (ore, per_chunk)


def test_high_coal_and_emerald_only_in_extreme_hills(hills_region):
    coal = np.nonzero((hills_region >> 4) == bid("coal_ore"))[2]
    assert coal.max() > 90  # coal follows the terrain up to its range (y < 128)
    em = np.nonzero((hills_region >> 4) == bid("emerald_ore"))[2]
    assert len(em) > 49 and 4 <= em.min() and em.max() < 32
    forest = region(WorldGen(R, "forest", 7), 0, 0, 1)
    assert not ((forest >> 4) == bid("emerald_ore")).any()


def test_stone_variants_below_80(hills_region):
    stone = (hills_region >> 4) == bid("stone")
    meta = hills_region & 15
    for m in (1, 3, 5):  # granite, diorite, andesite
        ys = np.nonzero(stone & (meta == m))[2]
        assert len(ys) > 100 and ys.max() < 80


def test_required_biomes_appear_in_default():
    gen = WorldGen(R, "default", 3)
    seen = {gen.biome_at(x, z) for x in range(-3000, 3001, 40) for z in range(-3000, 3001, 40)}
    assert set(BIOMES.values()) <= seen, set(BIOMES.values()) - seen


def test_forest_preset_many_logs_no_water(forest_region):
    gen = WorldGen(R, "forest", 7)
    assert {gen.biome_at(x, z) for x in range(-500, 500, 50) for z in range(-500, 500, 50)} == {BIOMES["forest"]}
    ids = forest_region >> 4
    assert not np.isin(ids, [bid("water"), bid("flowing_water"), bid("lava")]).any()
    logs = (ids == bid("log")).sum() / 49
    assert logs > 40, logs  # 10 trees per chunk, 4-7 logs each
    metas = set(np.unique(forest_region[ids == bid("log")] & 3))
    assert metas == {0, 2}  # oak and birch


def test_extreme_hills_higher_than_plains():
    hills, default = WorldGen(R, "extreme_hills", 5), WorldGen(R, "default", 5)
    h_hills = [hills.height_at(x, z) for x in range(-1000, 1000, 50) for z in range(-1000, 1000, 50)]
    h_plains = [default.height_at(x, z) for x in range(-3000, 3000, 60) for z in range(-3000, 3000, 60)
                if default.biome_at(x, z) == BIOMES["plains"]]
    assert len(h_plains) > 50
    assert np.mean(h_hills) > np.mean(h_plains) + 10
    assert max(h_hills) > 100


def test_chunk_order_independence(default_gen):
    a = new_world()
    ChunkStore(a, default_gen.generate).ensure(0, 0, 2)
    ChunkStore(a, default_gen.generate).ensure(3, -2, 0)
    b = new_world()
    ChunkStore(b, default_gen.generate).ensure(3, -2, 0)
    ChunkStore(b, default_gen.generate).ensure(6, 5, 1)
    sa, sb = a.blocks[48:64, 96:112], b.blocks[48:64, 96:112]  # slot (3 & 7, -2 & 7)
    assert np.array_equal(sa, sb)
    assert np.array_equal(sa, one_chunk(WorldGen(R, "default", 7), 3, -2))


def test_trees_cross_chunk_borders_whole(forest_region):
    ids = forest_region >> 4
    log, leaves = ids == bid("log"), ids == bid("leaves")
    ground = np.isin(ids, [bid("dirt"), bid("grass")])
    # Every log of the inner 5x5 chunks connects (26-neighbourhood) to a log standing on ground.
    reached = log & np.roll(ground, 1, axis=2)
    reached[:, :, 0] = False
    while True:
        grown = reached.copy()
        for dx in (-1, 0, 1):
            for dz in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    grown |= np.roll(np.roll(np.roll(reached, dx, 0), dz, 1), dy, 2)
        grown &= log
        if (grown == reached).all():
            break
        reached = grown
    inner = (slice(16, 96), slice(16, 96))
    assert (log[inner] == reached[inner]).all(), "a log is cut off from its trunk"
    # A birch trunk beside a chunk border has the same leaves on both sides of it (its crown is
    # symmetric one block out), so the neighbour chunk drew the other half of the crown.
    birch = log & ((forest_region & 3) == 2)
    checked = 0
    for x in range(16, 96):
        for z in range(16, 96):
            if not birch[x, z].any() or (x % 16 not in (0, 15) and z % 16 not in (0, 15)):
                continue
            top = np.nonzero(birch[x, z])[0].max()
            if not leaves[x, z, top + 1]:
                continue
            canopy = leaves | log
            assert canopy[x - 1, z, top - 1] == canopy[x + 1, z, top - 1], (x, z)
            assert canopy[x, z - 1, top - 1] == canopy[x, z + 1, top - 1], (x, z)
            checked += 1
    assert checked > 8, checked
    # Every leaf of the inner chunks has a log within 7 blocks across and 8 below or above.
    lx, lz, ly = np.nonzero(leaves[16:96, 16:96])
    logs = np.argwhere(log)
    for x, z, y in zip(lx[::97] + 16, lz[::97] + 16, ly[::97], strict=True):
        d = np.abs(logs - [x, z, y])
        assert ((d[:, 0] <= 7) & (d[:, 1] <= 7) & (d[:, 2] <= 8)).any()


def test_jungle_trees_carry_cocoa_pods_facing_their_trunk():
    """WorldGenTrees hangs cocoa on one small jungle tree in 5: each pod faces (meta & 3: south, west,
    north, east) a jungle log beside it, at a random age (meta >> 2 in 0-2)."""
    reg = region(WorldGen(R, "biome_jungle", 7), 0, 0, 2)
    ids, meta = reg >> 4, reg & 15
    pods = np.argwhere(ids[16:64, 16:64] == bid("cocoa")) + [16, 16, 0]
    assert len(pods) > 10
    toward = {0: (0, 1), 1: (-1, 0), 2: (0, -1), 3: (1, 0)}
    jungle = 0
    for x, z, y in pods:
        dx, dz = toward[int(meta[x, z, y]) & 3]
        assert ids[x + dx, z + dz, y] == bid("log")  # its trunk, or a crossing big oak's branch there first
        jungle += meta[x + dx, z + dz, y] & 3 == 3
    assert jungle >= 0.9 * len(pods)
    assert set(np.unique(meta[ids == bid("cocoa")] >> 2)) == {0, 1, 2}


def test_default_trees_kinds(default_region):
    ids, meta = default_region >> 4, default_region & 15
    assert (ids == bid("log")).sum() > 100
    for b, lv in (("log", "leaves"), ("log2", "leaves2")):
        logs = set(np.unique(meta[ids == bid(b)] & 3))
        leaf = set(np.unique(meta[ids == bid(lv)] & 3))
        assert leaf <= logs | {0}  # jungle bushes use oak leaves


def test_determinism_and_seeds():
    a, b, c = WorldGen(R, "default", 99), WorldGen(R, "default", 99), WorldGen(R, "default", 100)
    for cx, cz in ((0, 0), (-5, 7)):
        assert np.array_equal(one_chunk(a, cx, cz), one_chunk(b, cx, cz))
    assert not np.array_equal(one_chunk(a, 0, 0), one_chunk(c, 0, 0))
    assert a.find_spawn() == b.find_spawn()


def test_surface_matches_height_at(default_gen, default_region):
    ids = default_region >> 4
    terrain = np.isin(ids, [bid(n) for n in ("stone", "dirt", "grass", "sand", "sandstone", "gravel", "bedrock",
                                             "coal_ore", "iron_ore")])
    top = 255 - np.argmax(terrain[:, :, ::-1], axis=2)
    h = np.array([[default_gen.height_at(x, z) for z in range(-48, 64)] for x in range(-48, 64)])
    assert (top <= h).all()
    assert (top == h).mean() > 0.95  # the rest are cave mouths


def test_water_and_caves(default_region, hills_region):
    for blocks in (default_region, hills_region):
        ids = blocks >> 4
        water = ids == bid("water")
        below = np.roll(ids, 1, axis=2)
        assert not (water & (below == 0)).any(), "a cave breaches a water floor"
        lava_y = np.nonzero(ids == bid("lava"))[2]
        assert len(lava_y) > 0 and lava_y.max() < 10
        underground = ids[:, :, 12:50]
        assert 0.01 < (underground == 0).mean() < 0.08  # tunnels, not swiss cheese
    assert (default_region >> 4 == bid("water")).any()


def test_plants_and_layers(default_region):
    ids, meta = default_region >> 4, default_region & 15
    grass = ids == bid("tallgrass")
    assert grass.any() and set(np.unique(meta[grass])) <= {1, 2}
    assert (ids == bid("yellow_flower")).any() or (ids == bid("red_flower")).any()
    below = np.roll(ids, 1, axis=2)
    assert np.isin(below[grass], [bid("grass")]).all()


@pytest.mark.parametrize("preset", ["default", "forest", "extreme_hills"])
def test_find_spawn(preset):
    ground = [bid("grass"), bid("sand"), bid("dirt")]
    for seed in range(4):
        gen = WorldGen(R, preset, seed)
        x, y, z = gen.find_spawn()
        assert abs(x) < 200 and abs(z) < 200
        col = one_chunk(gen, x >> 4, z >> 4)[x & 15, z & 15]
        assert col[y - 1] >> 4 in ground and col[y] == 0 and col[y + 1] == 0
        assert y - 1 == gen.height_at(x, z)
