"""Renderer: shapes, determinism, sky/terrain colours, lighting, entities, fog, map, cut-outs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mc_bench.rules import load_rules
from mc_bench.sim import render as render_mod
from mc_bench.sim.render import Renderer
from mc_bench.sim.state import (
    BREAK,
    EH,
    EITEM,
    EKIND,
    EW,
    EX,
    EY,
    EZ,
    IT_COUNT,
    IT_ID,
    KIND_ITEM,
    PITCH,
    PX,
    PY,
    PZ,
    SLOT,
    TBX,
    TBY,
    TBZ,
    TVALID,
    WORLD_TIME,
    YAW,
    new_engine,
)
from mc_bench.sim.world import ChunkStore, new_world, set_state

RULES = load_rules()
B = RULES.block_id
NOON, MIDNIGHT = 6000, 18000


def terrain_height(x: int, z: int) -> int:
    """Rolling synthetic terrain around y = 64."""
    return 64 + int(round(3 * math.sin(x / 9.0) + 3 * math.cos(z / 11.0)))


def _tree_at(tx: int, tz: int) -> bool:
    return tx % 5 == 0 and tz % 5 == 0 and (tx * 7 + tz * 13) % 10 < 7


def forest_generator(trees: bool = True, grass: bool = True):
    """Chunk generator for ChunkStore: stone/dirt/grass heightmap, oak trees every ~5 blocks, tall grass."""

    def generate(w, ox, oz, cx, cz):
        for lx in range(16):
            for lz in range(16):
                x, z = cx * 16 + lx, cz * 16 + lz
                col = w.blocks[ox + lx, oz + lz]
                h = terrain_height(x, z)
                col[0] = B["bedrock"] << 4
                col[1:h - 3] = B["stone"] << 4
                col[h - 3:h] = B["dirt"] << 4
                col[h] = B["grass"] << 4
                if grass and (x * 31 + z * 17) % 7 < 2:
                    col[h + 1] = B["tallgrass"] << 4 | 1
                if trees:
                    _tree_column(col, x, z)

    return generate


def _tree_column(col, x, z):
    for tx in range(x - 2, x + 3):
        for tz in range(z - 2, z + 3):
            if not _tree_at(tx, tz):
                continue
            base = terrain_height(tx, tz)
            for y in range(base + 4, base + 7):  # 5x5x3 canopy, trimmed corners on the top layer
                corner = abs(tx - x) == 2 and abs(tz - z) == 2
                if col[y] == 0 and not (corner and y == base + 6):
                    col[y] = B["leaves"] << 4
            if tx == x and tz == z:
                col[base + 1:base + 6] = B["log"] << 4
                col[base + 1] = B["log"] << 4


def make_world(radius: int = 2, **kw):
    w = new_world()
    ChunkStore(w, forest_generator(**kw)).ensure(0, 0, radius)
    return w


def make_engine(x=8.5, z=8.5, yaw=0.0, pitch=0.0, time=NOON, y=None):
    eng = new_engine()
    eng.pf[PX], eng.pf[PZ] = x, z
    eng.pf[PY] = terrain_height(int(math.floor(x)), int(math.floor(z))) + 1 if y is None else y
    eng.pf[YAW], eng.pf[PITCH] = yaw, pitch
    eng.pi[WORLD_TIME] = time
    return eng


@pytest.fixture(scope="module")
def flat():
    """Bare terrain (no trees or grass)."""
    return make_world(trees=False, grass=False)


@pytest.fixture(scope="module")
def forest():
    return make_world()


@pytest.fixture(scope="module")
def r64():
    return Renderer(RULES)


def test_shapes_and_dtype(forest):
    eng = make_engine()
    for h, w in ((64, 64), (1, 1), (36, 64), (160, 256), (33, 17)):
        img = Renderer(RULES, height=h, width=w).render(forest, eng)
        assert img.shape == (h, w, 3) and img.dtype == np.uint8
    r = Renderer(RULES, 24, 32)
    out = np.zeros((24, 32, 3), np.uint8)
    assert r.render(forest, eng, out=out) is out
    with pytest.raises(ValueError):
        r.render(forest, eng, out=np.zeros((32, 24, 3), np.uint8))


def test_deterministic(forest, r64):
    eng = make_engine(yaw=37.0, pitch=12.0, time=3000)
    a = r64.render(forest, eng).tobytes()
    b = Renderer(RULES).render(forest, eng).tobytes()
    assert a == r64.render(forest, eng).tobytes() == b


def test_sky_up_and_grass_down(flat, r64):
    up = r64.render(flat, make_engine(pitch=-90.0)).astype(int)
    centre = up[:8, :8].reshape(-1, 3).mean(0)  # a corner: the noon sun sits at the centre
    assert centre[2] > 200 and centre[2] > centre[0] + 60  # bright blue
    down = r64.render(flat, make_engine(pitch=90.0)).astype(int)
    g = down[28:36, 28:36].reshape(-1, 3).mean(0)
    assert g[1] > g[0] and g[1] > g[2]  # green-ish grass top


def test_night_darker_than_noon(forest, r64):
    noon = r64.render(forest, make_engine(yaw=20.0, time=NOON)).mean()
    night = r64.render(forest, make_engine(yaw=20.0, time=MIDNIGHT)).mean()
    assert night < 0.5 * noon


def test_block_in_front_changes_centre(r64):
    w = make_world(trees=False, grass=False)
    eng = make_engine(x=8.5, z=8.5, yaw=0.0)
    before = r64.render(w, eng)[32, 32].copy()
    eye_y = int(math.floor(eng.pf[PY] + 1.62))
    assert set_state(w, 8, eye_y, 11, B["diamond_block"] << 4)  # 2.5 blocks ahead (+z)
    after = r64.render(w, eng)[32, 32]
    assert not np.array_equal(before, after)
    assert after[2] > after[0]  # cyan-ish diamond block


def test_item_entity_visible(flat, r64):
    eng = make_engine(x=8.5, z=8.5, pitch=20.0)
    before = r64.render(flat, eng).copy()
    eng.ei[0, EKIND], eng.ei[0, EITEM] = KIND_ITEM, RULES.item_id["diamond_block"]
    eng.ef[0, EX], eng.ef[0, EZ] = 8.5, 10.5
    eng.ef[0, EY] = eng.pf[PY]
    eng.ef[0, EW] = eng.ef[0, EH] = 0.25
    after = r64.render(flat, eng)
    changed = np.any(before != after, axis=-1)
    assert 2 <= changed.sum() < 400  # a small box, drawn only where it is
    ii, jj = np.nonzero(changed)
    assert abs(jj.mean() - 31.5) < 3  # straight ahead


def test_unloaded_area_gives_fog(r64):
    w = new_world()
    ChunkStore(w, forest_generator(trees=False, grass=False)).ensure(0, 0, 0)  # only chunk (0, 0)
    eng = make_engine(x=8.5, z=14.5, yaw=0.0, pitch=0.0)
    img = r64.render(w, eng)
    fog = r64.fog_color(eng)
    row = img[34]  # just below the horizon: the ray crosses into chunk (0, 1), which is not loaded
    assert np.abs(row.astype(float) - fog).max(axis=-1).min() <= 1


def test_top_down_marker(forest, r64):
    eng = make_engine(yaw=90.0)
    m = r64.top_down(forest, eng, radius=16, px_per_block=4)
    assert m.shape == (128, 128, 3) and m.dtype == np.uint8
    assert tuple(m[64, 64]) == (230, 30, 30)  # the player marker
    white = np.all(m == 255, axis=-1)
    assert white[60:70, 50:62].any() and not white[60:70, 70:80].any()  # yaw 90 faces -x: arrow points left
    m2 = r64.top_down(forest, eng, radius=8, px_per_block=2)
    assert m2.shape == (32, 32, 3)


def test_cutout_tallgrass_shows_what_is_behind():
    w = make_world(trees=False, grass=False)
    eng = make_engine(x=8.5, z=8.5, yaw=0.0, pitch=0.0)
    r = Renderer(RULES, 64, 64)
    eye_y = int(math.floor(eng.pf[PY] + 1.62))
    for y in range(eye_y - 2, eye_y + 3):
        for x in range(4, 14):
            set_state(w, x, y, 12, B["diamond_block"] << 4)  # a wall 3.5 blocks ahead
    wall = r.render(w, eng).copy()
    for x in range(4, 14):
        set_state(w, x, eye_y, 10, B["tallgrass"] << 4 | 1)  # tall grass in front of it, at eye height
    grass = r.render(w, eng)
    band = slice(26, 38)
    same = np.all(grass[band] == wall[band], axis=-1)
    assert 0 < same.mean() < 1  # some rays pass the transparent texels, some hit blades


def test_break_progress_and_hud(flat):
    eng = make_engine(pitch=90.0)  # looking straight down at the block under the feet
    r = Renderer(RULES, 64, 64, hud=True)
    base = r.render(flat, eng).copy()
    eng.pi[TVALID] = 1
    eng.pi[TBX], eng.pi[TBY], eng.pi[TBZ] = 8, terrain_height(8, 8), 8
    eng.pf[BREAK] = 0.95
    cracked = r.render(flat, eng).copy()
    assert cracked.astype(int).sum() < base.astype(int).sum()
    eng.pf[BREAK] = 0.05
    early = r.render(flat, eng)
    assert (base.astype(int) - early).sum() < (base.astype(int) - cracked).sum()  # later stages crack more
    eng.inv[0, IT_ID], eng.inv[0, IT_COUNT] = RULES.item_id["diamond_block"], 5
    eng.pi[SLOT] = 0
    hud = r.render(flat, eng)
    assert not np.array_equal(hud[56:], cracked[56:])


def _exact(r: Renderer) -> Renderer:
    """The same renderer with tile fills off: every pixel marched (the reference)."""
    r.cfg[render_mod.C_TILES] = 0.0
    return r


def test_tile_fills_match_marching_every_pixel(forest):
    """Tile fills are exact but for the documented coplanar-fill slivers."""
    rng = np.random.default_rng(7)
    differ = total = 0
    for k in range(8):
        x, z = rng.uniform(0, 16), rng.uniform(0, 16)
        eng = make_engine(x=x, z=z, yaw=rng.uniform(0, 360), pitch=rng.uniform(-40, 40),
                          time=int(rng.integers(0, 24000)))
        eng.ei[0, EKIND], eng.ei[0, EITEM] = KIND_ITEM, RULES.item_id["apple"]
        eng.ef[0, EX], eng.ef[0, EZ], eng.ef[0, EY] = x + 1.0, z + 1.0, eng.pf[PY]
        eng.ef[0, EW] = eng.ef[0, EH] = 0.25
        for h, w in ((64, 64), (40, 72)):
            fast = Renderer(RULES, h, w).render(forest, eng)
            ref = _exact(Renderer(RULES, h, w)).render(forest, eng)
            differ += np.any(fast != ref, axis=-1).sum()
            total += h * w
    assert differ <= total * 1e-3


def test_sky_tiles_match_marching():
    """Looking up past log pillars, sky tiles (corner rays all rising into open sky, crossing
    different cells) are filled, not marched, and equal marching every pixel exactly."""
    w = make_world(trees=False, grass=False)
    for px, pz in ((12, 9), (5, 14), (10, 3)):
        h = terrain_height(px, pz)
        for y in range(h + 1, h + 9):
            set_state(w, px, y, pz, B["log"] << 4)
    views = ((250.0, -50.0), (120.0, -60.0), (0.0, -70.0), (90.0, -30.0))
    filled = sum(_sky_filled_exactly(w, make_engine(x=8.5, z=8.5, yaw=yaw, pitch=pitch)) for yaw, pitch in views)
    assert filled > 4000


def _sky_filled_exactly(w, eng) -> int:
    """Pixels of the frame filled by sky tiles, after checking the frame equals marching every pixel."""
    from mc_bench.sim.render_base import K_SKY, N_REC, P_FILLED, R_KEY, R_SIG

    r = Renderer(RULES)
    fast = r.render(w, eng).copy()
    rec = r._static[10].reshape(-1, N_REC)
    sky = (r._static[11] == P_FILLED) & (rec[:, R_SIG] < 0) & ((rec[:, R_KEY] & 7) == K_SKY)
    assert np.array_equal(fast, _exact(Renderer(RULES)).render(w, eng))
    return int(sky.sum())


def test_sky_under_leaves_and_at_the_view_distance_matches_marching():
    """Beside a tree, under its leaves, with pillars far off raising the highest top in view:
    sky tiles are still filled, exactly. Their rays leave the eye's column below the leaves,
    pass under the near roofs and above the far tops, and end at the view distance before
    climbing over the highest top in view (before, every one of them was marched)."""
    w = make_world(trees=False, grass=False)
    h = terrain_height(8, 8)
    for y in range(h + 1, h + 6):
        set_state(w, 8, y, 8, B["log"] << 4)
    for x in range(7, 11):
        for z in range(7, 11):
            for y in (h + 4, h + 5):
                if (x, z) != (8, 8):
                    set_state(w, x, y, z, B["leaves"] << 4)
    for px, pz in ((30, 12), (-12, 25), (14, -15), (-10, -12)):
        for y in range(terrain_height(px, pz) + 1, h + 22):
            set_state(w, px, y, pz, B["log"] << 4)
    filled = sum(_sky_filled_exactly(w, make_engine(x=9.3, z=8.6, yaw=float(yaw), pitch=pitch, y=h + 1))
                 for yaw in range(0, 360, 45) for pitch in (-15.0, -30.0))
    assert filled > 8000


def test_water_is_translucent(flat):
    eng = make_engine(x=8.5, z=8.5, pitch=90.0)  # straight down onto the grass under the feet
    r = Renderer(RULES)
    grass = r.render(flat, eng)[32, 32].astype(int)
    w = make_world(trees=False, grass=False)
    h = terrain_height(8, 8)
    set_state(w, 8, h, 8, B["water"] << 4)  # the top block becomes water over dirt
    seen = r.render(w, eng)[32, 32].astype(int)
    water = np.array(r.tex.avg[r.tex.face_tex[(B["water"] << 4) * 6 + 1]], int)
    assert seen[2] > grass[2]  # bluer than grass
    assert np.abs(seen - water).sum() > 20  # but not the bare water colour: the dirt shows through
