"""The simulator: one object per env holding world + engine state, with ``reset`` and ``step``.

``step`` takes a float64 action vector (indices ``A_*``) and runs one 50 ms game tick in a single
numba call; chunks are streamed in around the player only when it crosses a chunk border.
Rewards and success are not computed here; the task layer reads state and statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mc_bench.sim import rng as _rng
from mc_bench.sim._jit import njit
from mc_bench.sim.interact import aim, attack_tick, inv_add, items_tick, place_item, rule_arrays
from mc_bench.sim.physics import player_tick, turn
from mc_bench.sim.state import (
    AIR,
    DEAD,
    FOOD,
    HEALTH,
    PITCH,
    PX,
    PY,
    PZ,
    SAT,
    SPAWNX,
    SPAWNY,
    SPAWNZ,
    TICK,
    TIME_FROZEN,
    WORLD_TIME,
    YAW,
    Engine,
    new_engine,
)
from mc_bench.sim.world import NO_CHUNK, ChunkStore, World, new_world

A_FWD, A_BACK, A_LEFT, A_RIGHT, A_JUMP, A_SNEAK, A_SPRINT, A_ATTACK, A_DPITCH, A_DYAW, A_PLACE = range(11)
N_ACT = 16
LOAD_RADIUS = 2  # chunks kept around the player: 5x5, at least 32 blocks each way


@dataclass
class Start:
    """Start conditions of an episode (from the task YAML)."""

    inventory: list[tuple[int, int, int]] = field(default_factory=list)  # (item id, meta, count) per slot
    world_time: int = 6000
    time_frozen: bool = False
    pitch: float = 0.0
    yaw: float | None = None  # None: drawn from the episode seed


def noop_action() -> np.ndarray:
    """Action vector that does nothing."""
    a = np.zeros(N_ACT)
    a[A_PLACE] = -1
    return a


@njit
def tick(w, R, e, act):
    """One game tick: camera, aim, attack, place, movement, items, clock."""
    pf, pi = e.pf, e.pi
    if pi[DEAD]:
        return
    turn(pf, act[A_DPITCH], act[A_DYAW])
    aim(w, R, pf, pi)
    attack_tick(w, R, pf, pi, e.inv, e.ef, e.ei, e.stats, e.rng, act[A_ATTACK] > 0)
    if act[A_PLACE] >= 0:
        place_item(w, R, pf, pi, e.inv, e.stats, int(act[A_PLACE]))
        aim(w, R, pf, pi)
    damage, _, _ = player_tick(w, R.solid, R.liquid, pf, pi, act[A_FWD], act[A_BACK], act[A_LEFT],
                               act[A_RIGHT], act[A_JUMP] > 0, act[A_SNEAK] > 0, act[A_SPRINT] > 0)
    if damage > 0:
        pf[HEALTH] -= damage
    if pf[HEALTH] <= 0:
        pf[HEALTH] = 0.0
        pi[DEAD] = 1
    items_tick(w, R, pf, e.inv, e.ef, e.ei, e.stats)
    pi[TICK] += 1
    if not pi[TIME_FROZEN]:
        pi[WORLD_TIME] = (pi[WORLD_TIME] + 1) % 24000


class Sim:
    """World + engine state of one env.

    Args:
        rules: compiled :class:`mc_bench.rules.Rules`.
        make_generator: ``seed -> generator`` with ``generate(w, ox, oz, cx, cz)`` and
            ``find_spawn() -> (x, y, z)`` (normally ``WorldGen(rules, preset, seed)``).
    """

    def __init__(self, rules, make_generator):
        self.rules = rules
        self.R = rule_arrays(rules)
        self.make_generator = make_generator
        self.w: World = new_world()
        self.e: Engine = new_engine()
        self.gen = None
        self.store: ChunkStore | None = None
        self.edits: dict[tuple[int, int], list] = {}
        self._chunk = (None, None)

    def reset(self, seed: int, start: Start) -> None:
        """New world from ``seed``; player at the world spawn with the start inventory."""
        ss = np.random.SeedSequence(seed)
        world_seed, engine_seed = (int(s.generate_state(1, np.uint64)[0]) for s in ss.spawn(2))
        self.gen = self.make_generator(world_seed)
        self.w.slot_chunk[...] = NO_CHUNK
        self.w.slot_dirty[...] = 0
        self.edits = {}
        self.store = ChunkStore(self.w, self.gen.generate, self._decorate)
        for a in self.e:
            a[...] = 0
        self.e.rng[0] = np.uint64(engine_seed)
        x, y, z = self.gen.find_spawn()
        self._place_player(x + 0.5, float(y), z + 0.5, start)
        for item, meta, count in start.inventory:
            inv_add(self.e.inv, item, meta, count, self.R.stack_size)
        self.stream_chunks(force=True)

    def _place_player(self, x, y, z, start: Start) -> None:
        pf, pi = self.e.pf, self.e.pi
        pf[PX], pf[PY], pf[PZ] = x, y, z
        pf[SPAWNX], pf[SPAWNY], pf[SPAWNZ] = x, y, z
        pf[PITCH] = start.pitch
        pf[YAW] = start.yaw if start.yaw is not None else _rng.next_float(self.e.rng) * 360.0 - 180.0
        pf[HEALTH], pf[FOOD], pf[SAT], pf[AIR] = 20.0, 20.0, 5.0, 300.0
        pi[WORLD_TIME] = start.world_time
        pi[TIME_FROZEN] = start.time_frozen

    def _decorate(self, w, cx, cz) -> None:
        for edit in self.edits.get((cx, cz), ()):
            edit(w)

    def add_edit(self, cx: int, cz: int, edit) -> None:
        """Run ``edit(world)`` whenever chunk (cx, cz) is generated (decorators such as goals)."""
        self.edits.setdefault((cx, cz), []).append(edit)
        held = self.w.slot_chunk[cx & 7, cz & 7]
        if held[0] == cx and held[1] == cz:
            edit(self.w)

    def stream_chunks(self, force: bool = False) -> None:
        """Load the chunks around the player when it enters a new chunk."""
        chunk = (math.floor(self.e.pf[PX]) >> 4, math.floor(self.e.pf[PZ]) >> 4)
        if force or chunk != self._chunk:
            self._chunk = chunk
            self.store.ensure(chunk[0], chunk[1], LOAD_RADIUS)

    def step(self, act: np.ndarray) -> None:
        """Advance one tick with action vector ``act``."""
        tick(self.w, self.R, self.e, act)
        self.stream_chunks()
