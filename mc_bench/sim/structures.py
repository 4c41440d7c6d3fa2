"""Generated structures: one-chunk stand-ins for 1.11's ocean monument and woodland mansion, and the
mobs that live in them. Numbers, blocks and mobs: ``worldgen.yaml`` ``structures``.

A structure, like a village (sim/features.py), fills exactly one chunk: at most one per region of
``spacing`` x ``spacing`` chunks, in the chunk the region's hash picks, if that chunk's centre biome is
listed. Vanilla's monument is 58 x 58 blocks and a mansion spans several chunks; ours keep their
materials, shape and inhabitants in 16 x 16 blocks:

* monument: a prismarine hall from ``depth`` below sea level, on a prismarine foundation down to the sea
  floor, filled with water, with sea lanterns, a dark prismarine heart room holding wet sponges, and an
  upper tier; 3 elder guardians and a few guardians (vanilla: guardians also keep spawning inside).
* mansion: a two-tier dark oak house on levelled ground, with an evoker and vindicators.

The blocks are a pure function of (seed, cx, cz) like the rest of world generation. The mobs are placed
by :func:`place_structure_mobs` when the chunk is first loaded with mobs on, and never despawn.
"""

from __future__ import annotations

import functools

import numpy as np

from mc_bench.error import RulesValidationError
from mc_bench.sim._jit import njit
from mc_bench.sim.mobs import summon
from mc_bench.sim.rng import hash3

__all__ = ["level_ground", "place_structure_mobs", "region_pick", "structure_mobs", "structure_tables",
           "structures"]

SALT_STRUCTURE = 0x80000
SHAPES = ("monument", "mansion")
MONUMENT, MANSION = range(2)
ROLES = ("floor", "wall", "trim", "roof", "lamp", "window", "prize", "fill")  # optional roles are air
R_FLOOR, R_WALL, R_TRIM, R_ROOF, R_LAMP, R_WINDOW, R_PRIZE, R_FILL = range(8)
# struct_i columns: shape, bit mask of biome indices, region spacing, chance out of CHANCE_ONE, base depth
# below sea level (monument), prize count, then the block state of each role.
S_SHAPE, S_BIOMES, S_SPACING, S_CHANCE, S_DEPTH, S_PRIZES, S_ROLE0 = range(7)
N_SI = S_ROLE0 + len(ROLES)
CHANCE_ONE = 1 << 16
MAX_PRIZES = 4
PRIZE_SPOTS = np.array([[6, 6], [9, 9], [9, 6], [6, 9]])  # (i, j) under the heart room's ceiling


# --------------------------------------------------------------------------------------------
# Tables (Python)
# --------------------------------------------------------------------------------------------


def _state(rules, spec) -> int:
    return rules.state(spec) if isinstance(spec, str) else rules.state(spec[0], int(spec[1]))


def structure_tables(rules, y: dict, biome_names: list) -> np.ndarray:
    """``struct_i``, int64[n structures, N_SI], from the ``structures`` section of worldgen.yaml."""
    rows = []
    for name, s in y.get("structures", {}).items():
        if s.get("shape") not in SHAPES:
            raise RulesValidationError(f"worldgen.yaml structure {name!r}: shape must be one of {', '.join(SHAPES)}.")
        row = np.zeros(N_SI, np.int64)
        row[[S_SHAPE, S_SPACING, S_CHANCE]] = SHAPES.index(s["shape"]), s["spacing"], round(s["chance"] * CHANCE_ONE)
        row[S_DEPTH], row[S_PRIZES] = s.get("depth", 0), min(int(s.get("prizes", 0)), MAX_PRIZES)
        for b in s["biomes"]:
            if b not in biome_names:
                raise RulesValidationError(f"worldgen.yaml structure {name!r} names biome {b!r}; known: "
                                           f"{', '.join(biome_names)}.")
            row[S_BIOMES] |= 1 << biome_names.index(b)
        unknown = set(s["blocks"]) - set(ROLES)
        if unknown:
            raise RulesValidationError(f"worldgen.yaml structure {name!r}: unknown block roles {sorted(unknown)}; "
                                       f"use {', '.join(ROLES)}.")
        for role, spec in s["blocks"].items():
            row[S_ROLE0 + ROLES.index(role)] = _state(rules, spec)
        _mob_plan(rules, name, s)  # validated here, used by structure_mobs
        rows.append(row)
    return np.array(rows, np.int64).reshape(-1, N_SI)


def _mob_plan(rules, name: str, s: dict) -> list[tuple[int, int, int]]:
    """(mob index, min, max) per mobs entry; the spots must hold the largest count."""
    plan = []
    for mob, n in (s.get("mobs") or {}).items():
        if mob not in rules.mob_names:
            raise RulesValidationError(f"worldgen.yaml structure {name!r} names mob {mob!r}; known mobs: "
                                       f"{', '.join(rules.mob_names)}.")
        lo, hi = (n, n) if isinstance(n, int) else n
        plan.append((rules.mob_names.index(mob), int(lo), int(hi)))
    if sum(hi for _, _, hi in plan) > len(s.get("spots", [])):
        raise RulesValidationError(f"worldgen.yaml structure {name!r}: more mobs than spots.")
    return plan


# --------------------------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------------------------


@njit
def region_pick(seed, cx, cz, spacing, chance, salt):
    """Whether chunk (cx, cz) is the pick of its ``spacing`` x ``spacing`` region (``chance`` of
    CHANCE_ONE that the region has one at all)."""
    rx, rz = cx // spacing, cz // spacing
    u = hash3(seed, rx, rz, salt)
    if np.int64(u >> np.uint64(48)) >= chance:
        return False
    return (cx == rx * spacing + np.int64(u & np.uint64(0xFFFF)) % spacing
            and cz == rz * spacing + np.int64((u >> np.uint64(16)) & np.uint64(0xFFFF)) % spacing)


@njit
def structures(B, ox, oz, cx, cz, hcol, m, bio, seed, sea, S, bio_i, top_col, filler_col):
    """Build every structure whose site is chunk (cx, cz); ``hcol`` has margin ``m`` around the chunk."""
    for k in range(S.shape[0]):
        row = S[k]
        if not _sited(seed, cx, cz, row, bio[8, 8], k):
            continue
        if row[S_SHAPE] == MONUMENT:
            _monument(B, ox, oz, hcol, m, sea - row[S_DEPTH], row)
            continue
        base = hcol[8 + m, 8 + m]
        if _dry(base, sea):
            level_ground(B, ox, oz, base, bio_i[bio[8, 8], top_col], bio_i[bio[8, 8], filler_col])
            _mansion(B, ox, oz, base, row)


@njit
def _sited(seed, cx, cz, row, centre_biome, k):
    return (region_pick(seed, cx, cz, row[S_SPACING], row[S_CHANCE], SALT_STRUCTURE + k)
            and (row[S_BIOMES] >> centre_biome) & 1 == 1)


@njit
def _dry(base, sea):
    return sea - 1 <= base <= 230


@njit
def level_ground(B, ox, oz, base, top, filler):
    """Flat ground at y ``base`` over the whole chunk, open sky above (trees and hills cut away)."""
    for i in range(16):
        for j in range(16):
            col = B[ox + i, oz + j]
            for y in range(max(base - 4, 1), base):
                if col[y] == 0 or col[y] == top:
                    col[y] = filler
            col[base] = top
            for y in range(base + 1, min(base + 24, 256)):
                col[y] = 0


@njit
def _box(B, ox, oz, i0, i1, y0, y1, j0, j1, state):
    """Fill cells i0..i1, y0..y1, j0..j1 (inclusive) of the chunk."""
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            for y in range(y0, y1 + 1):
                B[ox + i, oz + j, y] = state


@njit
def _shell(B, ox, oz, i0, i1, y0, y1, j0, j1, row):
    """A hall: floor at y0, roof at y1, walls with trim on the vertical edges, role ``fill`` inside."""
    _box(B, ox, oz, i0, i1, y0, y0, j0, j1, row[S_ROLE0 + R_FLOOR])
    _box(B, ox, oz, i0, i1, y1, y1, j0, j1, row[S_ROLE0 + R_ROOF])
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            edge_i, edge_j = i == i0 or i == i1, j == j0 or j == j1
            s = row[S_ROLE0 + R_FILL]
            if edge_i and edge_j:
                s = row[S_ROLE0 + R_TRIM]
            elif edge_i or edge_j:
                s = row[S_ROLE0 + R_WALL]
            for y in range(y0 + 1, y1):
                B[ox + i, oz + j, y] = s


@njit
def _monument(B, ox, oz, hcol, m, y0, row):
    """Foundation to the sea floor, the 16 x 16 hall (y0..y0+8) with a 4-wide entrance on the north
    side and floor lamps, the heart room with its prizes, and the upper tier (y0+8..y0+14)."""
    role = row[S_ROLE0:]
    floor, trim, fill, lamp = role[R_FLOOR], role[R_TRIM], role[R_FILL], role[R_LAMP]
    for i in range(16):
        for j in range(16):
            for y in range(max(hcol[i + m, j + m] + 1, 1), y0):
                B[ox + i, oz + j, y] = floor
    _shell(B, ox, oz, 0, 15, y0, y0 + 8, 0, 15, row)
    _box(B, ox, oz, 6, 9, y0 + 1, y0 + 4, 0, 0, fill)  # entrance
    for i, j in ((3, 3), (3, 12), (12, 3), (12, 12)):
        B[ox + i, oz + j, y0] = lamp
    _box(B, ox, oz, 5, 10, y0 + 1, y0 + 5, 5, 10, trim)  # heart room
    _box(B, ox, oz, 6, 9, y0 + 1, y0 + 4, 6, 9, fill)
    _box(B, ox, oz, 7, 8, y0 + 1, y0 + 2, 5, 5, fill)  # its door, facing the entrance
    B[ox + 7, oz + 7, y0 + 5] = lamp
    for k in range(row[S_PRIZES]):
        B[ox + PRIZE_SPOTS[k, 0], oz + PRIZE_SPOTS[k, 1], y0 + 4] = role[R_PRIZE]
    _shell(B, ox, oz, 3, 12, y0 + 8, y0 + 14, 3, 12, row)
    _box(B, ox, oz, 3, 12, y0 + 8, y0 + 8, 3, 12, role[R_ROOF])  # the hall's roof stays its roof
    _box(B, ox, oz, 7, 8, y0 + 8, y0 + 8, 10, 11, fill)  # a shaft up to the tier
    for i, j in ((3, 3), (3, 12), (12, 3), (12, 12)):
        B[ox + i, oz + j, y0 + 14] = lamp  # on the tier's roof corners


@njit
def _mansion(B, ox, oz, base, row):
    """A 14 x 14 hall (walls 5 high with log pillars and windows, a door on the north side, a torch in each
    corner) under a 10 x 10 upper storey."""
    trim, window = row[S_ROLE0 + R_TRIM], row[S_ROLE0 + R_WINDOW]
    _shell(B, ox, oz, 1, 14, base, base + 6, 1, 14, row)
    for k in (1, 5, 10, 14):
        for a, b in ((k, 1), (k, 14), (1, k), (14, k)):
            _box(B, ox, oz, a, a, base + 1, base + 5, b, b, trim)
    for k in (3, 7, 8, 12):
        for a, b in ((k, 1), (k, 14), (1, k), (14, k)):
            _box(B, ox, oz, a, a, base + 2, base + 3, b, b, window)
    _box(B, ox, oz, 7, 8, base + 1, base + 2, 1, 1, 0)  # door
    for i, j in ((2, 2), (2, 13), (13, 2), (13, 13)):
        B[ox + i, oz + j, base + 1] = row[S_ROLE0 + R_LAMP]
    _shell(B, ox, oz, 3, 12, base + 6, base + 10, 3, 12, row)
    _box(B, ox, oz, 3, 12, base + 6, base + 6, 3, 12, row[S_ROLE0 + R_ROOF])


# --------------------------------------------------------------------------------------------
# Mobs (Python, once per chunk)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _plans(rules) -> tuple:
    """Per structure of worldgen.yaml: (mob plan, spots)."""
    from mc_bench.rules import read_yaml

    y = read_yaml("worldgen.yaml")
    return tuple((_mob_plan(rules, n, s), np.array(s.get("spots", []), float).reshape(-1, 3))
                 for n, s in y.get("structures", {}).items())


def structure_mobs(rules, gen, cx: int, cz: int) -> list[tuple[int, float, float, float]]:
    """(mob index, x, y, z) of the mobs of the structures built in chunk (cx, cz) of ``gen`` (a WorldGen;
    other generators have none), repeating the site test of :func:`structures` (the cheap hash first)."""
    from mc_bench.sim.worldgen import BI_ID, I_SEA  # worldgen imports this module

    T = getattr(gen, "tables", None)
    if T is None:
        return []
    out = []
    for k, ((plan, spots), row) in enumerate(zip(_plans(rules), T.struct_i, strict=True)):
        if not region_pick(gen.seed, cx, cz, row[S_SPACING], row[S_CHANCE], SALT_STRUCTURE + k):
            continue
        centre = np.flatnonzero(T.bio_i[:, BI_ID] == gen.biome_at(cx * 16 + 8, cz * 16 + 8))
        if not len(centre) or not _sited(gen.seed, cx, cz, row, int(centre[0]), k):
            continue
        sea = int(T.ip[I_SEA])
        base = sea - int(row[S_DEPTH]) if row[S_SHAPE] == MONUMENT else gen.height_at(cx * 16 + 8, cz * 16 + 8)
        if row[S_SHAPE] == MANSION and not _dry(base, sea):
            continue
        out += _placed(plan, spots, int(hash3(gen.seed, cx, cz, SALT_STRUCTURE + 0x100 + k)), cx, cz, base)
    return out


def _placed(plan, spots, u: int, cx: int, cz: int, base: int) -> list[tuple[int, float, float, float]]:
    """The plan's mobs at its spots in order, a [min, max] count drawn from the bits of ``u``."""
    out = []
    for idx, (mob, lo, hi) in enumerate(plan):
        for _ in range(lo + (u >> (8 * idx % 56)) % (hi - lo + 1)):
            i, dy, j = spots[len(out)]
            out.append((mob, cx * 16 + i + 0.5, base + dy, cz * 16 + j + 0.5))
    return out


def place_structure_mobs(sim, cx: int, cz: int) -> None:
    """Summon the structure mobs of a freshly generated chunk (never despawning; skipped if no slot is free)."""
    e = sim.e
    for m, x, y, z in structure_mobs(sim.rules, sim.gen, cx, cz):
        summon(sim.R, e.ef, e.ei, e.rng, m, x, y, z)
