"""Voxel storage: a ring buffer of 16x16x256 chunk columns around the player.

The world is unbounded: world column (x, z) lives in buffer cell (x & 127, z & 127), in the
slot of chunk (x >> 4, z >> 4) modulo 8. A slot knows which chunk it holds; a chunk that must
leave its slot is kept in a dict if the agent changed it, otherwise regenerated from the seed
when it comes back. Beside the blocks we keep counts of non-air blocks per 4^3 brick and per
16^3 section, and the top non-air y per column, so rays and physics can skip empty space, and the top
*opaque* y per column (opacity from the rules' table the world is made with), which sky light reads
dozens of times per mob spawn attempt.

Block updates (Minecraft's scheduled ticks): ``set_state`` logs every change in ``changed``; the
world tick (sim/blockticks.py) turns changes into updates of the changed cell and its six
neighbours in ``queue``, due some ticks later (liquids), and timers (TNT fuses, fire, crop growth)
wait in the same queue. A world nobody changes has both lists empty and costs nothing per tick.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from mc_bench.sim._jit import kernel

CHUNK = 16
HEIGHT = 256
REGION_CHUNKS = 8  # slots per side
SIZE = CHUNK * REGION_CHUNKS  # 128 blocks per side
MASK = SIZE - 1
BRICK = 4
SECTION = 16
UNLOADED = np.uint16(0xFFFF)  # state returned for cells of chunks not in the buffer
NO_CHUNK = np.iinfo(np.int64).min
CHANGED_CAP = 4096  # changes logged between two world ticks (an explosion makes a few hundred)
QUEUE_CAP = 8192  # pending updates and timers
# World.upd fields; queue columns (Q_KIND: 0 = block update, deduplicated per cell; 1 = timer).
U_NCHANGED, U_NQUEUE, U_NEXT, U_DROPPED = range(4)
Q_X, Q_Y, Q_Z, Q_DUE, Q_KIND = range(5)

World = namedtuple(
    "World",
    [
        "blocks",  # uint16[SIZE, SIZE, HEIGHT]: block state id << 4 | meta, [x & MASK, z & MASK, y]
        "bricks",  # uint16[SIZE/4, SIZE/4, HEIGHT/4]: non-air blocks per 4^3 brick
        "sections",  # uint16[SIZE/16, SIZE/16, HEIGHT/16]: non-air blocks per 16^3 section
        "colmax",  # int16[SIZE, SIZE]: highest non-air y of the column, -1 if none
        "topop",  # int16[SIZE, SIZE]: highest opaque y of the column, -1 if none
        "opaque",  # uint8[256]: block id -> opaque (fixed when the world is made)
        "slot_chunk",  # int64[REGION_CHUNKS, REGION_CHUNKS, 2]: chunk (cx, cz) held by each slot
        "slot_dirty",  # uint8[REGION_CHUNKS, REGION_CHUNKS]: changed since generated/loaded
        "changed",  # int32[CHANGED_CAP, 3]: cells set since the last world tick
        "queue",  # int64[QUEUE_CAP, 5]: pending updates and timers (Q_* columns)
        "ready",  # int64[QUEUE_CAP, 5]: scratch for the updates due this tick
        "sched",  # uint8[SIZE, SIZE, HEIGHT]: 1 = a block update of this cell is queued
        "upd",  # int64[4]: U_* counters (changes, queued, earliest due tick, updates dropped when full)
    ],
)


def new_world(opaque: np.ndarray | None = None) -> World:
    """Empty storage (about 9 MB): every slot free. ``opaque`` (block id -> bool, 256 entries) is the
    table behind ``topop``; without one every non-air block counts as opaque."""
    table = np.ones(256, np.uint8) if opaque is None else np.asarray(opaque, np.uint8)
    if table.shape != (256,):
        raise ValueError(f"opaque must hold one flag per block id (256), got shape {table.shape}.")
    table[0] = 0
    return World(
        blocks=np.zeros((SIZE, SIZE, HEIGHT), np.uint16),
        bricks=np.zeros((SIZE // BRICK, SIZE // BRICK, HEIGHT // BRICK), np.uint16),
        sections=np.zeros((SIZE // SECTION, SIZE // SECTION, HEIGHT // SECTION), np.uint16),
        colmax=np.full((SIZE, SIZE), -1, np.int16),
        topop=np.full((SIZE, SIZE), -1, np.int16),
        opaque=table,
        slot_chunk=np.full((REGION_CHUNKS, REGION_CHUNKS, 2), NO_CHUNK, np.int64),
        slot_dirty=np.zeros((REGION_CHUNKS, REGION_CHUNKS), np.uint8),
        changed=np.zeros((CHANGED_CAP, 3), np.int32),
        queue=np.zeros((QUEUE_CAP, 5), np.int64),
        ready=np.zeros((QUEUE_CAP, 5), np.int64),
        sched=np.zeros((SIZE, SIZE, HEIGHT), np.uint8),
        upd=np.zeros(4, np.int64),
    )


def clear_updates(w: World) -> None:
    """Forget logged changes and pending updates (a new episode)."""
    q = w.queue[:int(w.upd[U_NQUEUE])]
    w.sched[q[:, Q_X] & MASK, q[:, Q_Z] & MASK, q[:, Q_Y]] = 0
    w.upd[...] = 0


@kernel
def is_loaded(w, x, z):
    """Whether world column (x, z) is in the buffer."""
    cx, cz = x >> 4, z >> 4
    s = w.slot_chunk[cx & 7, cz & 7]
    return s[0] == cx and s[1] == cz


@kernel
def get_state(w, x, y, z):
    """Block state at integer world coords; air above the world, bedrock below, UNLOADED outside."""
    if y >= HEIGHT:
        return np.uint16(0)
    if y < 0:
        return np.uint16(7 << 4)
    if not is_loaded(w, x, z):
        return UNLOADED
    return w.blocks[x & MASK, z & MASK, y]


@kernel
def set_state(w, x, y, z, state):
    """Write a block state and keep bricks, sections, column tops and dirty flags in step."""
    if y < 0 or y >= HEIGHT or not is_loaded(w, x, z):
        return False
    bx, bz = x & MASK, z & MASK
    old = w.blocks[bx, bz, y]
    if old == state:
        return True
    w.blocks[bx, bz, y] = state
    delta = (state != 0) - (old != 0)
    if delta != 0:
        w.bricks[bx >> 2, bz >> 2, y >> 2] += delta
        w.sections[bx >> 4, bz >> 4, y >> 4] += delta
        if state != 0 and y > w.colmax[bx, bz]:
            w.colmax[bx, bz] = y
        elif state == 0 and y == w.colmax[bx, bz]:
            top = y - 1
            while top >= 0 and w.blocks[bx, bz, top] == 0:
                top -= 1
            w.colmax[bx, bz] = top
    if w.opaque[old >> 4] != w.opaque[state >> 4]:
        _update_topop(w, bx, bz, y, w.opaque[state >> 4] != 0)
    w.slot_dirty[(x >> 4) & 7, (z >> 4) & 7] = 1
    n = w.upd[U_NCHANGED]
    if n < CHANGED_CAP:
        w.changed[n, 0], w.changed[n, 1], w.changed[n, 2] = x, y, z
        w.upd[U_NCHANGED] = n + 1
    else:
        w.upd[U_DROPPED] += 1
    return True


@kernel
def _update_topop(w, bx, bz, y, now_opaque):
    """Keep the column's top opaque y after cell y turned opaque (or stopped being)."""
    if now_opaque:
        if y > w.topop[bx, bz]:
            w.topop[bx, bz] = y
    elif y == w.topop[bx, bz]:
        top = y - 1
        while top >= 0 and not w.opaque[w.blocks[bx, bz, top] >> 4]:
            top -= 1
        w.topop[bx, bz] = top


@kernel
def schedule(w, x, y, z, due, kind):
    """Queue an update (kind 0, at most one per cell) or a timer (kind 1) of cell (x, y, z) at tick ``due``."""
    if kind == 0:
        if w.sched[x & MASK, z & MASK, y]:
            return
        w.sched[x & MASK, z & MASK, y] = 1
    n = w.upd[U_NQUEUE]
    if n >= QUEUE_CAP:
        w.upd[U_DROPPED] += 1
        if kind == 0:
            w.sched[x & MASK, z & MASK, y] = 0
        return
    q = w.queue[n]
    q[Q_X], q[Q_Y], q[Q_Z], q[Q_DUE], q[Q_KIND] = x, y, z, due, kind
    w.upd[U_NQUEUE] = n + 1
    if n == 0 or due < w.upd[U_NEXT]:
        w.upd[U_NEXT] = due


@kernel
def reindex_slot(w, sx, sz):
    """Recount bricks, sections and column tops (non-air and opaque) of one slot after its blocks were
    written wholesale."""
    x0, z0 = sx * CHUNK, sz * CHUNK
    w.bricks[x0 >> 2:(x0 >> 2) + 4, z0 >> 2:(z0 >> 2) + 4, :] = 0
    w.sections[sx, sz, :] = 0
    for x in range(x0, x0 + CHUNK):
        for z in range(z0, z0 + CHUNK):
            top, top_op = -1, -1
            for y in range(HEIGHT):
                b = w.blocks[x, z, y]
                if b != 0:
                    w.bricks[x >> 2, z >> 2, y >> 2] += 1
                    w.sections[sx, sz, y >> 4] += 1
                    top = y
                    if w.opaque[b >> 4]:
                        top_op = y
            w.colmax[x, z] = top
            w.topop[x, z] = top_op


class ChunkStore:
    """Moves chunks in and out of the ring buffer; keeps the agent's changes when a chunk leaves.

    ``generate(w, ox, oz, cx, cz)`` must fill ``w.blocks[ox:ox+16, oz:oz+16, :]`` with chunk
    (cx, cz) as a pure function of its arguments and the world seed it closes over.
    ``decorate(w, cx, cz)``, if given, runs after a chunk is freshly generated and indexed (not when
    a kept chunk comes back, which already carries its decorations).
    """

    def __init__(self, world: World, generate, decorate=None):
        self.w = world
        self.generate = generate
        self.decorate = decorate
        self.saved: dict[tuple[int, int], np.ndarray] = {}

    def ensure(self, cx: int, cz: int, radius: int) -> int:
        """Load every chunk within ``radius`` chunks of (cx, cz); returns how many were loaded."""
        loaded = 0
        for dx in range(-radius, radius + 1):
            for dz in range(-radius, radius + 1):
                loaded += self._load(cx + dx, cz + dz)
        return loaded

    def _load(self, cx: int, cz: int) -> bool:
        sx, sz = cx & 7, cz & 7
        held = self.w.slot_chunk[sx, sz]
        if held[0] == cx and held[1] == cz:
            return False
        x0, z0 = sx * CHUNK, sz * CHUNK
        view = self.w.blocks[x0:x0 + CHUNK, z0:z0 + CHUNK, :]
        if held[0] != NO_CHUNK and self.w.slot_dirty[sx, sz]:
            self.saved[(int(held[0]), int(held[1]))] = view.copy()
        kept = self.saved.pop((cx, cz), None)
        if kept is not None:
            view[...] = kept
        else:
            view[...] = 0
            self.generate(self.w, x0, z0, cx, cz)
        held[0], held[1] = cx, cz
        self.w.slot_dirty[sx, sz] = kept is not None  # stays kept until it leaves again
        reindex_slot(self.w, sx, sz)
        if kept is None and self.decorate is not None:
            self.decorate(self.w, cx, cz)
        return True
