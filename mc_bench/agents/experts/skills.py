"""Low-level skills as generators: each ``yield``s one action per tick and ``return``s whether it
worked, so plans compose them with ``ok = yield from skill(...)``.

All of them act only through the action space (camera deltas, keys, ``place``); they read the
world through the body's :class:`WorldView`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator, Iterable

from mc_bench.agents.experts.control import Body, angles_to, wrap
from mc_bench.agents.experts.pathing import (
    DIG,
    DIGDOWN,
    DIGUP,
    DOWN,
    PILLAR,
    SHAFT,
    UP,
    Step,
)
from mc_bench.agents.experts.world import Cell
from mc_bench.sim.interact import held_item
from mc_bench.sim.state import COLLIDED_H

Skill = Generator[dict, None, bool]
WALK_PITCH = 12.0  # eyes slightly down while walking, as players do
STEP_TICKS = 40  # a single walking step that takes longer than this has gone wrong


def idle(body: Body, ticks: int) -> Skill:
    for _ in range(ticks):
        yield body.act()
    return True


def look(body: Body, pitch: float, yaw: float, tol: float = 1.5, max_ticks: int = 40) -> Skill:
    """Turn to absolute (pitch, yaw)."""
    for _ in range(max_ticks):
        if abs(pitch - body.wv.pitch) < tol and abs(wrap(yaw - body.wv.yaw)) < tol:
            return True
        yield body.act(camera=body.turn(pitch, yaw))
    return False


def look_at(body: Body, point, tol: float = 1.5, max_ticks: int = 40) -> Skill:
    """Turn until the crosshair is within ``tol`` degrees of ``point``."""
    pitch, yaw = angles_to(body.wv.eye, point)
    return (yield from look(body, pitch, yaw, tol, max_ticks))


# ---------------------------------------------------------------- blocks


def centre(c: Cell) -> tuple[float, float, float]:
    return c[0] + 0.5, c[1] + 0.5, c[2] + 0.5


def break_block(body: Body, cell: Cell, max_ticks: int = 400, protect: Iterable[Cell] = ()) -> Skill:
    """Mine ``cell``; blocks the crosshair meets first are mined too (digging through), except
    the one underfoot and any in ``protect``."""
    wv = body.wv
    protect = set(protect)
    for _ in range(max_ticks):
        b = wv.block(*cell)
        if b != -1 and wv.passable[b]:
            return True
        aim = centre(cell)
        cam = body.turn_to_point(aim)
        hit = body.target()
        fx, fy, fz = wv.cell
        ok_hit = hit is not None and (hit == cell or (hit not in protect and hit != (fx, fy - 1, fz)))
        # On target already, or turning toward it (yaw error means little when looking straight down).
        attack = int(ok_hit and (hit == cell or body.aim_error(aim) < 25.0))
        yield body.act(camera=cam, attack=attack)
    return False


def break_cell(body: Body, cell: Cell, max_ticks: int = 300) -> Skill:
    """Mine ``cell`` until its block changes: unlike :func:`break_block`, plants the body walks
    through (tall grass, reeds, wheat) count too."""
    wv = body.wv
    start = wv.block(*cell)
    if start in (0, -1):
        return start == 0
    for _ in range(max_ticks):
        if wv.block(*cell) != start:
            return True
        aim = centre(cell)
        cam = body.turn_to_point(aim)
        hit = body.target()
        fx, fy, fz = wv.cell
        attack = int(hit is not None and (hit == cell or hit != (fx, fy - 1, fz) and body.aim_error(aim) < 25.0))
        yield body.act(camera=cam, attack=attack)
    return False


def place_block(body: Body, item: str, cell: Cell, max_ticks: int = 60) -> Skill:
    """Place ``item`` into ``cell`` by looking at a face of a solid neighbour."""
    wv = body.wv
    for nb, face_pt in _support_faces(wv, cell):
        for _ in range(max_ticks):
            if wv.block(*cell) not in (0, -1) and not wv.passable[wv.block(*cell)]:
                return True
            cam = body.turn_to_point(face_pt)
            ready = body.target() == nb and body.aim_error(face_pt) < 6.0
            yield body.act(camera=cam, place=item if ready else "none")
        if not wv.passable[wv.block(*cell)]:
            return True
    return False


def _support_faces(wv, cell: Cell):
    """Solid neighbours of ``cell`` and a point on their face toward it, nearest the eye first."""
    x, y, z = cell
    out = []
    for dx, dy, dz in ((0, -1, 0), (1, 0, 0), (-1, 0, 0), (0, 0, 1), (0, 0, -1), (0, 1, 0)):
        nb = (x + dx, y + dy, z + dz)
        if wv.is_solid(*nb) and wv.block(*nb) != -1:
            pt = (x + 0.5 + dx * 0.5, y + 0.5 + dy * 0.5, z + 0.5 + dz * 0.5)
            out.append((nb, pt))
    ex, ey, ez = wv.eye
    out.sort(key=lambda t: (t[1][0] - ex) ** 2 + (t[1][1] - ey) ** 2 + (t[1][2] - ez) ** 2)
    return out


# ---------------------------------------------------------------- moving


def walk_to(body: Body, cell: Cell, step_kind: str = "walk", centre_on: bool = False,
            max_ticks: int = STEP_TICKS, sprint: bool = False) -> Skill:
    """Walk (jumping where needed) until the feet are in ``cell``."""
    wv = body.wv
    tx, tz = cell[0] + 0.5, cell[2] + 0.5
    for _ in range(max_ticks):
        x, _y, z = wv.pos
        here = wv.cell
        d = math.hypot(tx - x, tz - z)
        arrived = here[0] == cell[0] and here[2] == cell[2] and (wv.on_ground or wv.in_water)
        level = here[1] == cell[1] or (wv.in_water and abs(here[1] - cell[1]) <= 1)
        if arrived and level and (not centre_on or d < 0.25):
            return True
        yaw = angles_to((x, 0.0, z), (tx, 0.0, tz))[1] if d > 0.05 else wv.yaw
        err = abs(wrap(yaw - wv.yaw))
        fwd = int(err < 40.0 and not (centre_on and arrived and d < 0.25))
        jump = int(wv.in_water or (wv.on_ground and (
            (step_kind in (UP, DIGUP) and d < 1.6) or wv.sim.e.pi[COLLIDED_H] and cell[1] > here[1])))
        run = int(sprint and err < 10.0 and d > 2.0)
        yield body.act(camera=body.turn(WALK_PITCH, yaw, jitter=0.15), forward=fwd, jump=jump, sprint=run)
    return False


def pillar_up(body: Body, item: str, max_ticks: int = 60) -> Skill:
    """Jump and place ``item`` under the feet: ends one block higher."""
    wv = body.wv
    x, y, z = wv.cell
    placed = False
    for _ in range(max_ticks):
        if placed and wv.on_ground and wv.cell[1] == y + 1:
            return True
        high = wv.pos[1] > y + 1.05
        looking = wv.pitch > 80.0
        place = item if (high and looking and not placed) else "none"
        if place != "none" and body.target() == (x, y - 1, z):
            placed = True
        yield body.act(camera=body.turn(90.0, wv.yaw), jump=int(looking and not placed), place=place)
    return False


def clear_cells(body: Body, cells: Iterable[Cell]) -> Skill:
    """Mine every non-passable cell in ``cells`` (in order)."""
    wv = body.wv
    for c in cells:
        b = wv.block(*c)
        if b == -1:
            return False
        if not wv.passable[b]:
            ok = yield from break_block(body, c)
            if not ok:
                return False
    return True


def step_cells(prev: Cell, step: Step) -> list[Cell]:
    """Cells a move needs opened, head-high first so the view stays clear."""
    (x, y, z), (nx, ny, nz) = prev, step.cell
    if step.kind == DIG:
        return [(nx, ny + 1, nz), (nx, ny, nz)]
    if step.kind == DIGUP:
        return [(x, y + 2, z), (nx, ny + 1, nz), (nx, ny, nz)]
    if step.kind == DIGDOWN:
        return [(nx, y + 1, nz), (nx, y, nz), (nx, ny, nz)]
    if step.kind == SHAFT:
        return [(nx, ny, nz)]
    return []


def follow(body: Body, steps: list[Step], place_item: str = "dirt", limit: int | None = None,
           sprint: bool = True) -> Skill:
    """Execute path steps; returns False at the first deviation so the caller replans, or once the tool in
    hand broke (the path's tunnels were priced with it)."""
    wv = body.wv
    prev = wv.cell
    tool = _held(wv)
    for i, step in enumerate(steps[:limit]):
        if _far(wv.cell, prev) or tool and not _held(wv):
            return False
        if step.kind == SHAFT:  # off-centre, the ray straight down may meet the neighbour's block
            yield from walk_to(body, prev, centre_on=True, max_ticks=20)
        ok = yield from clear_cells(body, step_cells(prev, step))
        if ok and step.kind == PILLAR:
            ok = yield from pillar_up(body, place_item)
        elif ok:
            last = i == len(steps) - 1
            kind = UP if step.kind in (UP, DIGUP) else (DOWN if step.kind in (DOWN, DIGDOWN, SHAFT) else step.kind)
            ok = yield from walk_to(body, step.cell, kind, centre_on=last, sprint=sprint and _straight(steps, i))
        if not ok:
            return False
        prev = step.cell
    return True


def _held(wv) -> int:
    return int(held_item(wv.sim.e.inv, wv.sim.e.pi))


def _far(a: Cell, b: Cell) -> bool:
    return abs(a[0] - b[0]) + abs(a[2] - b[2]) > 1 or abs(a[1] - b[1]) > 1


def _straight(steps: list[Step], i: int) -> bool:
    """Sprint only on flat stretches where the next moves keep the direction."""
    window = steps[i:i + 4]
    if len(window) < 3 or any(s.kind != "walk" for s in window):
        return False
    dirs = {(b.cell[0] - a.cell[0], b.cell[2] - a.cell[2]) for a, b in itertools.pairwise(window)}
    return len(dirs) == 1


def collect(body: Body, points, max_ticks: int = 200) -> Skill:
    """Walk over dropped items at ``points`` (nearest first) until picked up or out of time."""
    wv = body.wv
    for p in points:
        cell = (math.floor(p[0]), math.floor(p[1] + 0.1), math.floor(p[2]))
        if abs(cell[1] - wv.cell[1]) > 1:
            continue
        yield from walk_to(body, (cell[0], wv.cell[1], cell[2]), max_ticks=max_ticks // max(1, len(points)))
    return True


def nudge(wv, x: int, z: int, tol: float = 0.08) -> dict[str, int]:
    """Movement keys that shift the body toward the middle of column (x, z) without turning."""
    px, _, pz = wv.pos
    dx, dz = x + 0.5 - px, z + 0.5 - pz
    s, c = math.sin(math.radians(wv.yaw)), math.cos(math.radians(wv.yaw))
    fwd, left = -dx * s + dz * c, dx * c + dz * s  # the engine's heading: forward (-s, c), left (c, s)
    return {"forward": int(fwd > tol), "back": int(fwd < -tol), "left": int(left > tol), "right": int(left < -tol)}
