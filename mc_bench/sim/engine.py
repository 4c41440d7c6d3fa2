"""The simulator: one object per env holding world + engine state, with ``reset`` and ``step``.

``step`` takes a float64 action vector (indices ``A_*``) and runs one 50 ms game tick in a single
numba call; chunks are streamed in around the player only when it crosses a chunk border.
Rewards and success are not computed here; the task layer reads state and statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mc_bench.rules import N_ITEMS
from mc_bench.rules.mobs import fresh_tables
from mc_bench.sim import crafting
from mc_bench.sim import rng as _rng
from mc_bench.sim._jit import njit
from mc_bench.sim.interact import (
    aim,
    attack_tick,
    inv_add,
    inv_find,
    items_tick,
    place_item,
    rule_arrays,
)
from mc_bench.sim.mobs import mobs_tick, player_melee, populate_chunk
from mc_bench.sim.physics import look_vector, player_tick, turn
from mc_bench.sim.state import (
    AIR,
    DEAD,
    FOOD,
    HEALTH,
    IT_COUNT,
    IT_ID,
    MOBSPAWN,
    PITCH,
    PLACEDB,
    PLACEDX,
    PLACEDY,
    PLACEDZ,
    PX,
    PY,
    PZ,
    SAT,
    SLOT,
    SPAWNX,
    SPAWNY,
    SPAWNZ,
    SPRINT,
    TICK,
    TIME_FROZEN,
    WORLD_TIME,
    YAW,
    Engine,
    new_engine,
)
from mc_bench.sim.vitals import vitals_tick
from mc_bench.sim.world import NO_CHUNK, ChunkStore, World, get_state, new_world

A_FWD, A_BACK, A_LEFT, A_RIGHT, A_JUMP, A_SNEAK, A_SPRINT, A_ATTACK, A_DPITCH, A_DYAW, A_PLACE, A_USE = range(12)
N_ACT = 16
LOAD_RADIUS = 2  # chunks kept around the player: 5x5, at least 32 blocks each way
NEARBY_DIST2 = 25.0  # Malmo's nearbyCraft/nearbySmelt: squared distance from the head
FOV_DEG = 70.0  # the renderer's field of view (square frame), used by the in-view test


@dataclass
class Start:
    """Start conditions of an episode (from the task YAML)."""

    inventory: list[tuple[int, int, int]] = field(default_factory=list)  # (item id, meta, count) per slot
    world_time: int = 6000
    time_frozen: bool = False
    pitch: float = 0.0
    yaw: float | None = None  # None: drawn from the episode seed
    mobs: bool = True  # mobs spawn (with new chunks and naturally); Navigate tasks turn this off


def noop_action() -> np.ndarray:
    """Action vector that does nothing."""
    a = np.zeros(N_ACT)
    a[A_PLACE] = -1
    return a


@njit
def tick(w, R, e, act):
    """One game tick: camera, aim, attack, place, movement, health and food, items, clock."""
    pf, pi = e.pf, e.pi
    if pi[DEAD]:
        return
    turn(pf, act[A_DPITCH], act[A_DYAW])
    aim(w, R, pf, pi)
    if not player_melee(w, R, pf, pi, e.inv, e.ef, e.ei, e.stats, e.rng, act[A_ATTACK] > 0):
        attack_tick(w, R, pf, pi, e.inv, e.ef, e.ei, e.stats, e.rng, act[A_ATTACK] > 0)
    if act[A_PLACE] >= 0:
        place_item(w, R, pf, pi, e.inv, e.stats, int(act[A_PLACE]), e.ef, e.ei)
        aim(w, R, pf, pi)
    x0, y0, z0 = pf[PX], pf[PY], pf[PZ]
    damage, jumped, _ = player_tick(w, R.solid, R.liquid, pf, pi, act[A_FWD], act[A_BACK], act[A_LEFT],
                                    act[A_RIGHT], act[A_JUMP] > 0, act[A_SNEAK] > 0, act[A_SPRINT] > 0)
    moved = math.sqrt((pf[PX] - x0) ** 2 + (pf[PY] - y0) ** 2 + (pf[PZ] - z0) ** 2)
    vitals_tick(w, R, pf, pi, e.inv, act[A_USE] > 0, jumped, moved, pi[SPRINT] != 0, float(damage))
    items_tick(w, R, pf, e.inv, e.ef, e.ei, e.stats)
    mobs_tick(w, R, pf, pi, e.ef, e.ei, e.stats, e.rng, LOAD_RADIUS)
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
        self.R = self.R._replace(mobs=fresh_tables(rules.mobs))  # its chunk-biome cache is per world
        self.make_generator = make_generator
        self.w: World = new_world()
        self.e: Engine = new_engine()
        self.gen = None
        self.store: ChunkStore | None = None
        self.edits: dict[tuple[int, int], list] = {}
        self.placed: dict[tuple[int, int, int], int] = {}  # stations the agent placed: cell -> block id
        self._stations = {rules.block(name) for name in rules.extra["stations"].values()}
        self.populated: set[tuple[int, int]] = set()  # chunks whose world-generation animals were placed
        self._chunk = (None, None)
        self._counts = None

    def reset(self, seed: int, start: Start) -> None:
        """New world from ``seed``; player at the world spawn with the start inventory."""
        ss = np.random.SeedSequence(seed)
        world_seed, engine_seed = (int(s.generate_state(1, np.uint64)[0]) for s in ss.spawn(2))
        self.gen = self.make_generator(world_seed)
        self.w.slot_chunk[...] = NO_CHUNK
        self.w.slot_dirty[...] = 0
        self.edits = {}
        self.placed = {}
        self.populated = set()
        self.R.mobs.slot_biome[...] = NO_CHUNK
        self.store = ChunkStore(self.w, self.gen.generate, self._decorate)
        for a in self.e:
            a[...] = 0
        self.e.rng[0] = np.uint64(engine_seed)
        x, y, z = self.gen.find_spawn()
        self._place_player(x + 0.5, float(y), z + 0.5, start)
        for item, meta, count in start.inventory:
            inv_add(self.e.inv, item, meta, count, self.R.stack_size)
        self.stream_chunks(force=True)
        self._counts = None

    def _place_player(self, x, y, z, start: Start) -> None:
        pf, pi = self.e.pf, self.e.pi
        pf[PX], pf[PY], pf[PZ] = x, y, z
        pf[SPAWNX], pf[SPAWNY], pf[SPAWNZ] = x, y, z
        pf[PITCH] = start.pitch
        pf[YAW] = start.yaw if start.yaw is not None else _rng.next_float(self.e.rng) * 360.0 - 180.0
        pf[HEALTH], pf[FOOD], pf[SAT], pf[AIR] = 20.0, 20.0, 5.0, 300.0
        pi[WORLD_TIME] = start.world_time
        pi[TIME_FROZEN] = start.time_frozen
        pi[MOBSPAWN] = start.mobs

    def _decorate(self, w, cx, cz) -> None:
        for edit in self.edits.get((cx, cz), ()):
            edit(w)
        biome = self._cache_biome(cx, cz)
        if self.e.pi[MOBSPAWN] and (cx, cz) not in self.populated:
            self.populated.add((cx, cz))
            populate_chunk(w, self.R, self.e.ef, self.e.ei, self.e.rng, cx, cz, biome)

    def _cache_biome(self, cx: int, cz: int) -> int:
        """Biome of chunk (cx, cz) (at its centre), kept per ring-buffer slot for the mob spawner."""
        c = self.R.mobs.slot_biome[cx & 7, cz & 7]
        if c[0] != cx or c[1] != cz:
            biome_at = getattr(self.gen, "biome_at", None)
            c[:] = cx, cz, biome_at(cx * 16 + 8, cz * 16 + 8) if biome_at else 1
        return int(c[2])

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
            for dx in range(-LOAD_RADIUS, LOAD_RADIUS + 1):  # chunks kept from earlier need their biome too
                for dz in range(-LOAD_RADIUS, LOAD_RADIUS + 1):
                    self._cache_biome(chunk[0] + dx, chunk[1] + dz)

    def item_counts(self) -> np.ndarray:
        """How many of each item id the inventory holds over all slots (cached until the next step)."""
        if self._counts is None:
            inv = self.e.inv
            self._counts = np.bincount(inv[:, IT_ID], weights=inv[:, IT_COUNT], minlength=N_ITEMS).astype(np.int64)
        return self._counts

    def step(self, act: np.ndarray) -> None:
        """Advance one tick with action vector ``act``."""
        tick(self.w, self.R, self.e, act)
        self._counts = None
        pi = self.e.pi
        if pi[PLACEDB]:
            if int(pi[PLACEDB]) in self._stations:
                self.placed[(int(pi[PLACEDX]), int(pi[PLACEDY]), int(pi[PLACEDZ]))] = int(pi[PLACEDB])
            pi[PLACEDB] = 0
        self.stream_chunks()

    # ---------------------------------------------------------------- MineRL's item commands

    def craft(self, item: int, nearby: bool) -> bool:
        """Craft ``item`` by output (any variant); 3x3 recipes need a placed crafting table in view."""
        table = nearby and self.station_in_view(self._station("craft"))
        if nearby and not table:
            return False
        self._counts = None  # the inventory may change
        return crafting.craft(self.rules, self.e.inv, self.e.stats, item, table=table)

    def smelt(self, item: int) -> bool:
        """Smelt into ``item`` at once, if a furnace placed this episode is near and in view."""
        if not self.station_in_view(self._station("smelt")):
            return False
        self._counts = None
        return crafting.smelt(self.rules, self.e.inv, self.e.stats, item)

    def equip(self, item: int) -> bool:
        """Swap ``item`` (0 = an empty slot, MineRL's 'air') into the selected hotbar slot."""
        inv, sel = self.e.inv, int(self.e.pi[SLOT])
        if item == 0:
            empty = np.flatnonzero(inv[:, IT_COUNT] == 0)
            found = int(empty[0]) if len(empty) else -1
        else:
            found = int(inv_find(inv, item))
        if found < 0:
            return False
        inv[[sel, found]] = inv[[found, sel]]
        return True

    def _station(self, kind: str) -> int:
        return self.rules.block(self.rules.extra["stations"][kind])

    def station_in_view(self, block: int) -> bool:
        """MineRL's nearby test: a ``block`` placed this episode (still standing) within 5 blocks of
        the head (feet + 1.6) and inside the field of view."""
        pf = self.e.pf
        head = np.array([pf[PX], pf[PY] + 1.6, pf[PZ]])
        look = np.array(look_vector(pf[PITCH], pf[YAW]))
        cos_half = math.cos(math.radians(FOV_DEG / 2))
        for (x, y, z), b in list(self.placed.items()):
            if b != block or int(get_state(self.w, x, y, z)) >> 4 != block:
                continue
            d = np.array([x + 0.5, y + 0.5, z + 0.5]) - head
            dist2 = float(d @ d)
            if dist2 <= NEARBY_DIST2 and (dist2 < 1e-9 or float(d @ look) >= cos_half * math.sqrt(dist2)):
                return True
        return False
