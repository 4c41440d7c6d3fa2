"""The simulator: one object per env holding world + engine state, with ``reset`` and ``step``.

``step`` takes a float64 action vector (indices ``A_*``) and runs one 50 ms game tick in a single
numba call; chunks are streamed in around the player only when it crosses a chunk border.
Rewards and success are not computed here; the task layer reads state and statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mc_bench.error import RulesValidationError, TaskSpecError
from mc_bench.rules import N_ITEMS
from mc_bench.rules.mobs import fresh_tables
from mc_bench.sim import crafting
from mc_bench.sim import rng as _rng
from mc_bench.sim._jit import kernel, njit
from mc_bench.sim.blockticks import world_tick
from mc_bench.sim.bundle import bundle
from mc_bench.sim.equipment import refresh_armour, use_tick, wear_equipment
from mc_bench.sim.interact import (
    aim,
    attack_tick,
    inv_add,
    inv_counts,
    inv_find,
    inv_take,
    items_tick,
    place_item,
    rule_arrays,
    spawn_item,
)
from mc_bench.sim.mobs import (
    mobs_tick,
    player_melee,
    player_use,
    populate_chunk,
    summon,
)
from mc_bench.sim.physics import look_vector, player_tick, turn
from mc_bench.sim.probe import block_in_view
from mc_bench.sim.state import (
    AIR,
    DEAD,
    ENT_CAP,
    EQ_OFFHAND,
    FOOD,
    HEALTH,
    IT_COUNT,
    IT_ID,
    KIND_MOB0,
    MOBSPAWN,
    N_EQUIP,
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
    ST_USE,
    TICK,
    TIME_FROZEN,
    WEATHER,
    WORLD_TIME,
    YAW,
    Engine,
    new_engine,
)
from mc_bench.sim.structures import place_structure_mobs
from mc_bench.sim.usage import use_item_tick
from mc_bench.sim.vitals import vitals_tick
from mc_bench.sim.weather import weather_tick
from mc_bench.sim.world import (
    NO_CHUNK,
    ChunkStore,
    World,
    clear_updates,
    get_state,
    new_world,
)

A_FWD, A_BACK, A_LEFT, A_RIGHT, A_JUMP, A_SNEAK, A_SPRINT, A_ATTACK, A_DPITCH, A_DYAW, A_PLACE, A_USE = range(12)
N_ACT = 16
LOAD_RADIUS = 2  # chunks kept around the player: 5x5, at least 32 blocks each way
NEARBY_DIST2 = 25.0  # Malmo's nearbyCraft/nearbySmelt: squared distance from the head
FOV_DEG = 70.0  # the renderer's field of view (square frame), used by the in-view test
THROW_DELAY = 40  # ticks before a thrown or dropped item can be picked up (vanilla)


@dataclass
class Start:
    """Start conditions of an episode (from the task YAML)."""

    inventory: list[tuple[int, int, int]] = field(default_factory=list)  # (item id, meta, count) per slot
    world_time: int = 6000
    time_frozen: bool = False
    pitch: float = 0.0
    yaw: float | None = None  # None: drawn from the episode seed
    mobs: bool = True  # mobs spawn (with new chunks and naturally); Navigate tasks turn this off
    weather: bool = False  # rain and thunder cycle, lightning (sim/weather.py); MineDojo turns it on
    # worn items: (row 0 feet, 1 legs, 2 chest, 3 head, 4 offhand; item id, meta, count)
    equipment: list[tuple[int, int, int, int]] = field(default_factory=list)


def noop_action() -> np.ndarray:
    """Action vector that does nothing."""
    a = np.zeros(N_ACT)
    a[A_PLACE] = -1
    return a


@kernel
def tick(w, R, e, act):
    """One game tick: camera, aim, attack, place, movement, use, health and food, items, mobs,
    world blocks (liquids, timers), weather, clock."""
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
    taken = player_use(w, R, pf, pi, e.inv, e.ef, e.ei, e.stats, e.rng, act[A_USE] > 0)  # mobs, bow
    if not taken:  # an entity interaction comes first, as in the game; it also counts the item's use
        use_item_tick(w, R, pf, pi, e.inv, e.ef, e.ei, e.stats, e.rng, act[A_USE] > 0)
    use_tick(R, pf, pi, e.inv, e.equip, e.stats, act[A_USE] > 0, taken)
    vitals_tick(w, R, pf, pi, e.inv, e.stats, act[A_USE] > 0, jumped, moved, pi[SPRINT] != 0, float(damage))
    items_tick(w, R, pf, e.inv, e.ef, e.ei, e.stats)
    mobs_tick(w, R, pf, pi, e.ef, e.ei, e.stats, e.rng, LOAD_RADIUS)
    world_tick(w, R, pf, pi, e.ef, e.ei, e.stats, e.rng)
    weather_tick(w, R, pf, pi, e.ef, e.ei, e.stats, e.rng, LOAD_RADIUS)
    wear_equipment(R, pf, pi, e.inv, e.equip)
    pi[TICK] += 1
    if not pi[TIME_FROZEN]:
        pi[WORLD_TIME] = (pi[WORLD_TIME] + 1) % 24000


@njit(_nrt=True)  # reading a bundle's members needs NRT (one call a step)
def tick_bundle(b, act):
    """``tick`` on a :func:`~mc_bench.sim.bundle.bundle` of (world, rules arrays, engine): one pointer to
    unbox instead of every array."""
    tick(b.a, b.b, b.c, act)


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
        self.w: World = new_world(rules.mobs.opaque)
        self.e: Engine = new_engine()
        self.bundle = bundle(self.w, self.R, self.e)  # the same arrays, for cheap per-step calls
        self.gen = None
        self.store: ChunkStore | None = None
        self.edits: dict[tuple[int, int], list] = {}
        self.placed: dict[tuple[int, int, int], int] = {}  # stations the agent placed: cell -> block id
        self._stations = {rules.block(name) for name in rules.extra["stations"].values()}
        self.populated: set[tuple[int, int]] = set()  # chunks whose world-generation animals were placed
        self._chunk = (None, None)
        self._counts = None
        self.placed_only = True  # nearby crafting needs a station placed this episode (MineRL)

    def reset(self, seed: int, start: Start) -> None:
        """New world from ``seed``; player at the world spawn with the start inventory."""
        ss = np.random.SeedSequence(seed)
        world_seed, engine_seed = (int(s.generate_state(1, np.uint64)[0]) for s in ss.spawn(2))
        self.gen = self.make_generator(world_seed)
        self.w.slot_chunk[...] = NO_CHUNK
        self.w.slot_dirty[...] = 0
        clear_updates(self.w)
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
        for row, item, meta, count in start.equipment:
            self._check_worn(row, item, count)
            self.e.equip[row] = item, meta, count
        refresh_armour(self.R, self.e.pf, self.e.equip)
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
        pi[WEATHER] = start.weather

    def _decorate(self, w, cx, cz) -> None:
        for edit in self.edits.get((cx, cz), ()):
            edit(w)
        biome = self._cache_biome(cx, cz)
        if self.e.pi[MOBSPAWN] and (cx, cz) not in self.populated:
            self.populated.add((cx, cz))
            populate_chunk(w, self.R, self.e.ef, self.e.ei, self.e.rng, cx, cz, biome)
            place_structure_mobs(self, cx, cz)

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
            self._counts = np.zeros(N_ITEMS, np.int64)
            inv_counts(self.e.inv, self._counts)
        return self._counts

    def step(self, act: np.ndarray) -> None:
        """Advance one tick with action vector ``act``."""
        tick_bundle(self.bundle, act)
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

    def _check_worn(self, row: int, item: int, count: int) -> None:
        if not (0 <= row < N_EQUIP and 0 <= item < N_ITEMS and count >= 0):
            raise TaskSpecError("start", f"equipment entry (row {row}, item {item}, count {count}) needs row 0-4 "
                                f"(feet, legs, chest, head, offhand), an item id below {N_ITEMS} and a count >= 0",
                                field="equipment")

    def armor_points(self) -> int:
        """Armour points of the pieces worn in their own rows (0-20), MineDojo's ``life_stats.armor``."""
        eq = self.e.equip[:EQ_OFFHAND]
        worn = (eq[:, IT_COUNT] > 0) & (self.R.wear_slot[eq[:, IT_ID]] == np.arange(EQ_OFFHAND))
        return int(self.R.armor[eq[worn, IT_ID], 0].sum())

    def equip(self, item: int) -> bool:
        """Swap ``item`` (0 = an empty slot, MineRL's 'air') into the selected hotbar slot; armour and
        shields are worn instead, in their equipment row, counting a use."""
        if item > 0 and self.R.wear_slot[item] >= 0:
            return self._wear(item, int(self.R.wear_slot[item]))
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

    def touch(self) -> None:
        """Say the inventory was changed from outside the engine (drops the cached counts)."""
        self._counts = None

    def selected_slot(self) -> int:
        return int(self.e.pi[SLOT])

    def slot_of(self, item: int) -> int:
        """First inventory slot holding ``item``; -1 if none."""
        return int(inv_find(self.e.inv, item))

    def equip_slot(self, slot: int, wear: bool) -> None:
        """MineDojo's ``equip`` of an inventory slot: armour and shields go on (``equip``), anything
        else swaps into the selected hotbar slot."""
        item = int(self.e.inv[slot, IT_ID])
        if wear:
            self.equip(item)
            return
        sel = int(self.e.pi[SLOT])
        self.e.inv[[sel, slot]] = self.e.inv[[slot, sel]]

    def free_above(self, x: int, y: int, z: int, search: int = 32) -> int:
        """The lowest y' >= y where cells (x, y', z) and (x, y' + 1, z) do not collide (y if none in reach)."""
        solid = self.rules.solid
        for yy in range(y, min(254, y + search)):
            if not solid[int(get_state(self.w, x, yy, z)) >> 4] and not solid[int(get_state(self.w, x, yy + 1, z)) >> 4]:
                return yy
        return y

    def drop(self) -> bool:
        """Throw one of the held item ahead of the eyes (MineDojo's ``drop``); False if the hand is empty."""
        e, slot = self.e, int(self.e.pi[SLOT])
        item, meta, count = (int(v) for v in e.inv[slot])
        if count <= 0:
            return False
        dx, dy, dz = look_vector(e.pf[PITCH], e.pf[YAW])
        eye = e.pf[PY] + 1.32  # vanilla throws from 0.3 below the eyes
        inv_take(e.inv, slot, 1)
        spawn_item(e.ef, e.ei, e.rng, item, meta, 1, e.pf[PX] + dx, eye + dy, e.pf[PZ] + dz, THROW_DELAY)
        self._counts = None
        return True

    def respawn(self) -> None:
        """Bring a dead player back at the world spawn with full vitals; the inventory is dropped where
        it died with the worn equipment (vanilla without keepInventory). MineDojo's episodes go on after a death."""
        e = self.e
        x, y, z = e.pf[PX], e.pf[PY] + 0.5, e.pf[PZ]
        for rows in (e.inv, e.equip):
            for item, meta, count in rows.tolist():
                if count > 0:
                    spawn_item(e.ef, e.ei, e.rng, item, meta, count, x, y, z, THROW_DELAY)
            rows[...] = 0
        pf, pi = e.pf, e.pi
        keep = {k: pf[k] for k in (SPAWNX, SPAWNY, SPAWNZ, PITCH, YAW)}
        pf[...] = 0.0
        for k, v in keep.items():
            pf[k] = v
        pf[PX], pf[PY], pf[PZ] = pf[SPAWNX], pf[SPAWNY], pf[SPAWNZ]
        pf[HEALTH], pf[FOOD], pf[SAT], pf[AIR] = 20.0, 20.0, 5.0, 300.0
        pi[DEAD] = 0
        self._counts = None
        self.stream_chunks()

    def _wear(self, item: int, row: int) -> bool:
        """Move ``item`` from the inventory into equipment ``row``; what was worn takes its slot."""
        inv, eq = self.e.inv, self.e.equip
        found = int(inv_find(inv, item))
        if found < 0:
            return False
        inv[found], eq[row] = eq[row].copy(), inv[found].copy()
        self.e.stats[ST_USE, item] += 1
        refresh_armour(self.R, self.e.pf, eq)
        self._counts = None
        return True

    def summon(self, name: str, x: float, y: float, z: float) -> int:
        """Place mob ``name`` with its feet at (x, y, z) (task set-ups; works with mobs off); it never
        despawns. Returns its entity slot; raises RulesValidationError for an unknown mob name."""
        m = self.rules.mob_kind(name) - KIND_MOB0
        e = int(summon(self.R, self.e.ef, self.e.ei, self.e.rng, m, float(x), float(y), float(z)))
        if e < 0:
            raise RulesValidationError(f"No free entity slot to summon {name!r}: mobs may fill half of the "
                                       f"{ENT_CAP} slots; summon fewer mobs.")
        return e

    def _station(self, kind: str) -> int:
        return self.rules.block(self.rules.extra["stations"][kind])

    def station_in_view(self, block: int) -> bool:
        """MineRL's nearby test: a ``block`` placed this episode (still standing) within 5 blocks of
        the head (feet + 1.6) and inside the field of view. With ``placed_only`` off (MineDojo, whose
        test is Malmo's block scan) any such block counts, world-generated ones included."""
        pf = self.e.pf
        head = np.array([pf[PX], pf[PY] + 1.6, pf[PZ]])
        look = np.array(look_vector(pf[PITCH], pf[YAW]))
        cos_half = math.cos(math.radians(FOV_DEG / 2))
        if not self.placed_only:
            return bool(block_in_view(self.w, block, *head, *look, cos_half, NEARBY_DIST2))
        for (x, y, z), b in list(self.placed.items()):
            if b != block or int(get_state(self.w, x, y, z)) >> 4 != block:
                continue
            d = np.array([x + 0.5, y + 0.5, z + 0.5]) - head
            dist2 = float(d @ d)
            if dist2 <= NEARBY_DIST2 and (dist2 < 1e-9 or float(d @ look) >= cos_half * math.sqrt(dist2)):
                return True
        return False
