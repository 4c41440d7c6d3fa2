"""Pin the engine's mechanics to Minecraft 1.11.2 numbers (shared/reference/minecraft-1.11-mechanics.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from flatworld import FlatGen

from mc_bench.rules import load_rules
from mc_bench.sim.engine import (
    A_ATTACK,
    A_DPITCH,
    A_FWD,
    A_JUMP,
    A_PLACE,
    A_SNEAK,
    A_SPRINT,
    Sim,
    Start,
    noop_action,
)
from mc_bench.sim.interact import inv_count
from mc_bench.sim.state import (
    DEAD,
    EKIND,
    FOOD,
    HEALTH,
    ONGROUND,
    PY,
    PZ,
    ST_MINE,
    ST_PICKUP,
    ST_PLACE,
)
from mc_bench.sim.world import get_state, set_state

R = load_rules()


def make_sim(inventory=(), ground=63):
    sim = Sim(R, lambda seed: FlatGen(seed, ground))
    inv = [(R.item(n), 0, c) for n, c in inventory]
    sim.reset(0, Start(inventory=inv, yaw=0.0, pitch=0.0))
    return sim


def settle(sim, n=3):
    for _ in range(n):
        sim.step(noop_action())


def put(sim, name, x, y, z, meta=0):
    assert set_state(sim.w, x, y, z, np.uint16(R.state(name, meta)))


def block_name(sim, x, y, z):
    return R.block_names[int(get_state(sim.w, x, y, z)) >> 4]


def ticks_to_break(sim, limit=400):
    """Hold attack on the block at eye level in front (z = 1) until it goes; count ticks."""
    a = noop_action()
    a[A_ATTACK] = 1
    for t in range(1, limit + 1):
        sim.step(a)
        if block_name(sim, 0, 65, 1) == "air":
            return t
    return None


def drops_after(sim, ticks=40):
    """Step onto the broken block's cell, let the drop be picked up; return the inventory delta by name."""
    before = sim.e.inv.copy()
    sim.e.pf[PZ] = 1.5  # items scatter up to ~1 block; stand where the block was
    for _ in range(ticks):
        sim.step(noop_action())
    return {R.item_names[i]: inv_count(sim.e.inv, i) - inv_count(before, i)
            for i in set(sim.e.inv[:, 0]) | set(before[:, 0]) if i and inv_count(sim.e.inv, i) != inv_count(before, i)}


@pytest.mark.parametrize(
    "block, tool, ticks, drop",
    [
        ("log", None, 60, "log"),  # 2.0 hardness x 1.5 s x 20 = 60 ticks
        ("log", "iron_axe", 10, "log"),  # iron x6 -> ceil(30*2/6) = 10
        ("log", "wooden_axe", 30, "log"),
        ("dirt", None, 15, "dirt"),
        ("stone", None, 150, None),  # needs a pickaxe: x1/100 and no drop
        ("stone", "wooden_pickaxe", 23, "cobblestone"),  # ceil(1.5*30/2) = 23
        ("stone", "iron_pickaxe", 8, "cobblestone"),
        ("iron_ore", "wooden_pickaxe", 150, None),  # level 0 cannot harvest iron: x1/100 with wood speed
        ("iron_ore", "stone_pickaxe", 23, "iron_ore"),
    ],
)
def test_break_times_and_drops(block, tool, ticks, drop):
    sim = make_sim([(tool, 1)] if tool else [])
    settle(sim)
    put(sim, block, 0, 65, 1)
    assert ticks_to_break(sim) == ticks
    got = drops_after(sim)
    assert got == ({drop: 1} if drop else {})
    assert sim.e.stats[ST_MINE, R.block(block)] == 1


@pytest.mark.parametrize("wet_cells, ticks", [((64,), 60), ((64, 65), 300)])
def test_only_the_head_under_water_slows_mining(wet_cells, ticks):
    """Mechanics §1.1: ``speed /= 5`` with the head under water; water at the feet alone changes nothing
    (mining a pocket of lava shut with poured water stands in its flow)."""
    sim = make_sim()
    settle(sim)
    for y in wet_cells:
        put(sim, "water", 0, y, 0)
    put(sim, "log", 0, 65, 1)
    settle(sim)
    assert sim.e.pi[ONGROUND]
    assert ticks_to_break(sim) == ticks


@pytest.mark.parametrize("meta, beans", [(0, 1), (5, 1), (8, 3), (11, 3)])
def test_cocoa_pod_drops_beans_by_age(meta, beans):
    """BlockCocoa.getDrops: one cocoa bean (dye 3) from a young pod, three from a ripe one (age 2, meta bits
    2-3); the facing bits do not matter."""
    sim = make_sim()
    settle(sim)
    put(sim, "cocoa", 0, 65, 1, meta)
    assert ticks_to_break(sim) is not None
    assert drops_after(sim) == {"dye": beans}
    dye = sim.e.inv[sim.e.inv[:, 0] == R.item("dye")]
    assert set(dye[:, 1].tolist()) == {3}


def test_progress_resets_on_release():
    sim = make_sim()
    settle(sim)
    put(sim, "log", 0, 65, 1)
    a = noop_action()
    a[A_ATTACK] = 1
    for _ in range(40):
        sim.step(a)
    sim.step(noop_action())
    assert block_name(sim, 0, 65, 1) == "log"
    assert ticks_to_break(sim) == 60


def test_tool_durability_and_breakage():
    sim = make_sim([("iron_axe", 1)])
    settle(sim)
    slot = 0
    put(sim, "log", 0, 65, 1)
    ticks_to_break(sim)
    assert sim.e.inv[slot, 1] == 1  # damage 1 after one log
    sim.e.inv[slot, 1] = 250  # at max durability: the next use breaks it
    settle(sim, 10)
    put(sim, "log", 0, 65, 1)
    ticks_to_break(sim)
    assert inv_count(sim.e.inv, R.item("iron_axe")) == 0


def test_instant_blocks_break_in_one_tick():
    sim = make_sim()
    settle(sim)
    put(sim, "tallgrass", 0, 65, 1, 1)
    assert ticks_to_break(sim) == 1


def test_walk_sprint_sneak_speeds():
    for key, speed in ((None, 0.2159), (A_SPRINT, 0.2806), (A_SNEAK, 0.0648)):
        sim = make_sim()
        settle(sim)
        a = noop_action()
        a[A_FWD] = 1
        if key is not None:
            a[key] = 1
        zs = []
        for _ in range(60):
            sim.step(a)
            zs.append(sim.e.pf[PZ])
        assert np.diff(zs)[-1] == pytest.approx(speed, abs=5e-4)  # blocks per tick; x20 = m/s


def test_jump_height_and_airtime():
    sim = make_sim()
    settle(sim)
    a = noop_action()
    a[A_JUMP] = 1
    ys = []
    for _ in range(12):
        sim.step(a)
        ys.append(sim.e.pf[PY])
    assert max(ys) - 64 == pytest.approx(1.2522, abs=1e-3)
    assert ys[-1] == 64.0 and sim.e.pi[ONGROUND]


def test_cannot_walk_through_wall_and_steps_not_over_two():
    sim = make_sim()
    settle(sim)
    for y in (64, 65):
        put(sim, "stone", 0, y, 3)
    a = noop_action()
    a[A_FWD] = 1
    for _ in range(40):
        sim.step(a)
    assert sim.e.pf[PZ] == pytest.approx(3 - 0.3, abs=1e-6)


def test_fall_damage():
    sim = make_sim()
    settle(sim)
    sim.e.pf[PY] = 64 + 10.0  # 10 blocks up: ceil(10 - 3) = 7 HP
    sim.e.pi[ONGROUND] = 0
    sim.e.pf[FOOD] = 17.0  # below 18: no natural regeneration to blur the number
    settle(sim, 60)
    assert sim.e.pf[HEALTH] == 20 - 7


def test_fatal_fall_kills():
    sim = make_sim()
    settle(sim)
    sim.e.pf[PY] = 64 + 40.0
    sim.e.pi[ONGROUND] = 0
    settle(sim, 100)
    assert sim.e.pi[DEAD] == 1


def test_pitch_clamped():
    sim = make_sim()
    a = noop_action()
    a[A_DPITCH] = 180
    sim.step(a)
    sim.step(a)
    assert sim.e.pf[6] == 90.0


def test_pickup_range_and_delay():
    sim = make_sim()
    settle(sim)
    from mc_bench.sim.interact import spawn_item

    e = spawn_item(sim.e.ef, sim.e.ei, sim.e.rng, R.item("dirt"), 0, 3, 0.5, 64.2, 1.8, 10)
    sim.e.ef[e, 3:6] = 0
    for _ in range(9):
        sim.step(noop_action())
    assert inv_count(sim.e.inv, R.item("dirt")) == 0  # pickup delay of 10 ticks
    settle(sim, 2)
    assert inv_count(sim.e.inv, R.item("dirt")) == 3  # 1.3 blocks away: within 0.3 + 1.0 + 0.125
    assert sim.e.stats[ST_PICKUP, R.item("dirt")] == 3
    far = spawn_item(sim.e.ef, sim.e.ei, sim.e.rng, R.item("dirt"), 0, 1, 0.5, 64.2, 2.0, 0)
    sim.e.ef[far, 3:6] = 0
    settle(sim, 5)
    assert sim.e.ei[far, EKIND] != 0  # 1.5 blocks away: out of reach


def test_place_block_against_face_not_into_player():
    sim = make_sim([("dirt", 2)])
    a = noop_action()
    a[A_DPITCH] = 60  # look down at the ground in front
    sim.step(a)
    settle(sim)
    a = noop_action()
    a[A_PLACE] = R.item("dirt")
    sim.step(a)
    placed = [(x, y, z) for x in range(-2, 3) for y in (64,) for z in range(-2, 4)
              if block_name(sim, x, y, z) == "dirt"]
    assert len(placed) == 1 and placed[0] != (0, 64, 0)
    assert inv_count(sim.e.inv, R.item("dirt")) == 1
    assert sim.e.stats[ST_PLACE, R.block("dirt")] == 1
    a[A_DPITCH] = 30  # straight down: the cell above the ground is the player's own
    sim.step(a)
    assert inv_count(sim.e.inv, R.item("dirt")) == 1


def test_look_vector_convention():
    from mc_bench.sim.physics import look_vector

    assert np.allclose(look_vector(0, 0), (0, 0, 1))
    assert np.allclose(look_vector(0, 90), (-1, 0, 0))
    assert np.allclose(look_vector(90, 0), (0, -1, 0), atol=1e-12)
    assert math.isclose(look_vector(-90, 0)[1], 1.0)
