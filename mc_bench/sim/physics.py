"""Entity movement per Minecraft 1.11 (mechanics §2): input acceleration, collisions against
block boxes one axis at a time (y, x, z), step-up 0.6, sneak edge guard, gravity and drag.

All blocks with a collision box are full cubes here; collisions with cells of unloaded chunks
count as solid so nothing walks off the loaded world.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import kernel
from mc_bench.sim.state import (
    BOX0,
    COLLIDED_H,
    EYE,
    FALL,
    FOOD,
    INWATER,
    JUMPCD,
    ONGROUND,
    PITCH,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
    SNEAK,
    SPRINT,
    VX,
    VY,
    VZ,
    YAW,
)
from mc_bench.sim.world import UNLOADED, get_state

GRAVITY = 0.08
DRAG_Y = 0.98
JUMP_VY = 0.42
STEP = 0.6
SLIP = 0.6
SNAP = 0.003
EPS = 1e-7


@kernel
def cell_solid(w, solid, x, y, z):
    """Whether the cell blocks movement (unloaded cells do)."""
    s = get_state(w, x, y, z)
    if s == UNLOADED:
        return True
    return solid[s >> 4] != 0


@kernel
def _floor(v):
    return int(math.floor(v))


@kernel
def clip_axis(w, solid, box, d, axis):
    """Largest movement <= d along ``axis`` (0 x, 1 y, 2 z) before ``box`` hits a solid cell.

    ``box`` is float64[6] = (x0, y0, z0, x1, y1, z1).
    """
    if d == 0.0:
        return 0.0
    # The swept box, shrunk a hair on the other axes so touching faces do not collide sideways.
    lx, ly, lz = box[0] + EPS, box[1] + EPS, box[2] + EPS
    hx, hy, hz = box[3] - EPS, box[4] - EPS, box[5] - EPS
    lo, hi = (box[axis] + d, box[axis + 3]) if d < 0 else (box[axis], box[axis + 3] + d)
    if axis == 0:
        lx, hx = lo, hi
    elif axis == 1:
        ly, hy = lo, hi
    else:
        lz, hz = lo, hi
    for x in range(_floor(lx), _floor(hx) + 1):
        for y in range(_floor(ly), _floor(hy) + 1):
            for z in range(_floor(lz), _floor(hz) + 1):
                if not cell_solid(w, solid, x, y, z):
                    continue
                c = (x, y, z)[axis]
                if d > 0:
                    gap = c - box[axis + 3]
                    if gap >= -EPS and gap < d:
                        d = max(gap, 0.0)
                else:
                    gap = (c + 1) - box[axis]
                    if gap <= EPS and gap > d:
                        d = min(gap, 0.0)
    return d


@kernel
def box_of(x, y, z, width, height):
    """The box of an entity of that size with its feet centred at (x, y, z), as a read-only 6-tuple."""
    return x - width / 2, y, z - width / 2, x + width / 2, y + height, z + width / 2


@kernel(inline="always")  # a kernel may only return arrays it was passed, not views of them
def scratch(pf):
    """The engine's scratch box (pf[BOX0:BOX0 + 6]) as a view: the box a tick moves in place, without
    allocating (one at a time: the player's, then each item's, then each mob's)."""
    return pf[BOX0:BOX0 + 6]


@kernel(inline="always")
def scratch_box(pf, x, y, z, width, height):
    """:func:`set_box` into :func:`scratch`, returned."""
    b = scratch(pf)
    set_box(b, x, y, z, width, height)
    return b


@kernel
def set_box(b, x, y, z, width, height):
    """Fill ``b`` in place with the box of an entity of that size with its feet centred at (x, y, z)."""
    b[0], b[1], b[2], b[3], b[4], b[5] = box_of(x, y, z, width, height)


@kernel
def _shift(box, axis, d):
    box[axis] += d
    box[axis + 3] += d


@kernel
def _collides(w, solid, box):
    x0, x1 = _floor(box[0] + EPS), _floor(box[3] - EPS)
    y0, y1 = _floor(box[1] + EPS), _floor(box[4] - EPS)
    z0, z1 = _floor(box[2] + EPS), _floor(box[5] - EPS)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            for z in range(z0, z1 + 1):
                if cell_solid(w, solid, x, y, z):
                    return True
    return False


@kernel
def _sneak_guard(w, solid, box, dx, dz):
    """Shrink (dx, dz) in 0.05 steps while the move would leave support more than 0.6 below."""
    x0, y0, z0, x1, y1, z1 = box[0], box[1] - STEP, box[2], box[3], box[4] - STEP, box[5]  # the probe
    while dx != 0.0:
        if _collides(w, solid, (x0 + dx, y0, z0, x1 + dx, y1, z1)):
            break
        dx = 0.0 if abs(dx) < 0.05 else dx - 0.05 * np.sign(dx)
    while dz != 0.0:
        if _collides(w, solid, (x0, y0, z0 + dz, x1, y1, z1 + dz)):
            break
        dz = 0.0 if abs(dz) < 0.05 else dz - 0.05 * np.sign(dz)
    while dx != 0.0 and dz != 0.0:
        if _collides(w, solid, (x0 + dx, y0, z0 + dz, x1 + dx, y1, z1 + dz)):
            break
        dx = 0.0 if abs(dx) < 0.05 else dx - 0.05 * np.sign(dx)
        dz = 0.0 if abs(dz) < 0.05 else dz - 0.05 * np.sign(dz)
    return dx, dz


@kernel
def _move_xz(w, solid, box, dx, dz):
    """Move ``box`` in place, x then z; returns the distances actually moved."""
    mx = clip_axis(w, solid, box, dx, 0)
    _shift(box, 0, mx)
    mz = clip_axis(w, solid, box, dz, 2)
    _shift(box, 2, mz)
    return mx, mz


@kernel
def _move_yxz(w, solid, box, dx, dy, dz):
    """Move ``box`` in place, y then x then z; returns the distances actually moved."""
    my = clip_axis(w, solid, box, dy, 1)
    _shift(box, 1, my)
    mx, mz = _move_xz(w, solid, box, dx, dz)
    return mx, my, mz


@kernel
def move_box(w, solid, box, dx, dy, dz, on_ground, can_step, sneaking):
    """Minecraft's ``moveEntity``: returns (mx, my, mz, collided_h, collided_v)."""
    if sneaking and on_ground:
        dx, dz = _sneak_guard(w, solid, box, dx, dz)
    start = (box[0], box[1], box[2], box[3], box[4], box[5])
    mx, my, mz = _move_yxz(w, solid, box, dx, dy, dz)
    hit_h = mx != dx or mz != dz
    if can_step and hit_h and (on_ground or (dy != my and dy < 0)):
        # Try again lifted by the step height, then settle back down; keep it if it went farther.
        moved = (box[0], box[1], box[2], box[3], box[4], box[5])
        _set(box, start)
        up = clip_axis(w, solid, box, STEP, 1)
        _shift(box, 1, up)
        ax, az = _move_xz(w, solid, box, dx, dz)
        down = clip_axis(w, solid, box, -up + min(dy, 0.0), 1)
        _shift(box, 1, down)
        if ax * ax + az * az > mx * mx + mz * mz + 1e-12:
            mx, mz, my = ax, az, up + down
        else:
            _set(box, moved)
    return mx, my, mz, mx != dx or mz != dz, my != dy


@kernel
def _set(box, t):
    for i in range(6):
        box[i] = t[i]


@kernel
def in_liquid(w, liquid, box, shrink_h, shrink_v):
    """Whether the box, shrunk as Minecraft does for the liquid test, touches a liquid cell."""
    x0, x1 = _floor(box[0] + shrink_h), _floor(box[3] - shrink_h)
    y0, y1 = _floor(box[1] + shrink_v), _floor(box[4] - shrink_v)
    z0, z1 = _floor(box[2] + shrink_h), _floor(box[5] - shrink_h)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            for z in range(z0, z1 + 1):
                s = get_state(w, x, y, z)
                if s != UNLOADED and liquid[s >> 4]:
                    return True
    return False


@kernel
def _apply_heading(pf, strafe, forward, accel):
    speed = math.sqrt(strafe * strafe + forward * forward)
    if speed < 0.01:
        return
    k = accel / max(speed, 1.0)
    strafe *= k
    forward *= k
    yaw = math.radians(pf[YAW])
    s, c = math.sin(yaw), math.cos(yaw)
    pf[VX] += strafe * c - forward * s
    pf[VZ] += forward * c + strafe * s


@kernel
def _jump(pf, pi, jump, in_water, sprinting):
    if pi[JUMPCD] > 0:
        pi[JUMPCD] -= 1
    if not jump:
        pi[JUMPCD] = 0
        return 0
    if in_water:
        pf[VY] += 0.04
        return 0
    if pi[ONGROUND] and pi[JUMPCD] == 0:
        pf[VY] = JUMP_VY
        if sprinting:
            yaw = math.radians(pf[YAW])
            pf[VX] -= math.sin(yaw) * 0.2
            pf[VZ] += math.cos(yaw) * 0.2
        pi[JUMPCD] = 10
        return 2 if sprinting else 1
    return 0


@kernel
def player_tick(w, solid, liquid, pf, pi, fwd, back, left, right, jump, sneak, sprint):
    """One tick of player movement. Returns (fall damage to apply, jump kind 0/1/2, metres moved on ground)."""
    for a in (VX, VY, VZ):
        if abs(pf[a]) < SNAP:
            pf[a] = 0.0
    box = scratch_box(pf, pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    wet = in_liquid(w, liquid, box, 0.001, 0.401)
    pi[INWATER] = wet
    forward = (fwd - back) * 0.98
    strafe = (left - right) * 0.98
    pi[SNEAK] = sneak
    if sneak:
        forward *= 0.3
        strafe *= 0.3
    # Sprint starts on the key with food > 6 and lasts while moving forward; sneaking or a wall ends it.
    keep = forward > 0 and not sneak and not pi[COLLIDED_H]
    sprinting = keep and ((sprint and pf[FOOD] > 6) or pi[SPRINT] != 0)
    pi[SPRINT] = sprinting
    jumped = _jump(pf, pi, jump, wet, sprinting)
    if wet:
        _apply_heading(pf, strafe, forward, 0.02)
    elif pi[ONGROUND]:
        inertia = SLIP * 0.91
        speed = 0.1 * (1.3 if sprinting else 1.0)
        _apply_heading(pf, strafe, forward, speed * 0.16277136 / (inertia * inertia * inertia))
    else:
        _apply_heading(pf, strafe, forward, 0.026 if sprinting else 0.02)
    was_ground = pi[ONGROUND]
    dy0 = pf[VY]
    mx, my, mz, hit_h, hit_v = move_box(w, solid, box, pf[VX], pf[VY], pf[VZ], was_ground, True, sneak)
    pf[PX] = (box[0] + box[3]) / 2
    pf[PY] = box[1]
    pf[PZ] = (box[2] + box[5]) / 2
    on_ground = hit_v and dy0 < 0
    pi[ONGROUND] = on_ground
    pi[COLLIDED_H] = hit_h
    if mx != pf[VX]:
        pf[VX] = 0.0
    if mz != pf[VZ]:
        pf[VZ] = 0.0
    if hit_v:
        pf[VY] = 0.0
    damage = _fall(pf, my, on_ground, wet)
    if wet:
        pf[VX] *= 0.8
        pf[VY] = pf[VY] * 0.8 - 0.02
        pf[VZ] *= 0.8
        if hit_h:  # climb out of water onto a ledge
            up = pf[VY] + 0.6 - my
            probe = (box[0] + pf[VX], box[1] + up, box[2] + pf[VZ], box[3] + pf[VX], box[4] + up, box[5] + pf[VZ])
            if not _collides(w, solid, probe) and not in_liquid(w, liquid, probe, 0.0, 0.0):
                pf[VY] = 0.3
    else:
        inertia = SLIP * 0.91 if on_ground else 0.91
        pf[VY] = (pf[VY] - GRAVITY) * DRAG_Y
        pf[VX] *= inertia
        pf[VZ] *= inertia
    walked = math.sqrt(mx * mx + mz * mz) if on_ground else 0.0
    return damage, jumped, walked


@kernel
def _fall(pf, my, on_ground, wet):
    """Accumulate fall distance; on landing return ceil(distance - 3) HP (mechanics §2)."""
    if wet:
        pf[FALL] = 0.0
        return 0
    if on_ground:
        dist = pf[FALL]
        pf[FALL] = 0.0
        return max(0, int(math.ceil(dist - 3.0)))
    if my < 0:
        pf[FALL] -= my
    return 0


@kernel
def look_vector(pitch, yaw):
    """Unit look direction for Minecraft pitch/yaw in degrees."""
    p, y = math.radians(pitch), math.radians(yaw)
    cp = math.cos(p)
    return -math.sin(y) * cp, -math.sin(p), math.cos(y) * cp


@kernel
def eye_y(pf, pi):
    return pf[PY] + (1.54 if pi[SNEAK] else EYE)


@kernel
def turn(pf, dpitch, dyaw):
    """Apply a camera delta: pitch clamped to [-90, 90], yaw wrapped to [-180, 180)."""
    pf[PITCH] = min(90.0, max(-90.0, pf[PITCH] + dpitch))
    y = (pf[YAW] + dyaw + 180.0) % 360.0 - 180.0
    pf[YAW] = y


@kernel
def touching_block(w, pf, block):
    """Whether the player's box, grown by 0.05 on every side, overlaps a cell of ``block``."""
    box = box_of(pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    g = 0.05
    for x in range(_floor(box[0] - g), _floor(box[3] + g) + 1):
        for y in range(_floor(box[1] - g), _floor(box[4] + g) + 1):
            for z in range(_floor(box[2] - g), _floor(box[5] + g) + 1):
                s = get_state(w, x, y, z)
                if s != UNLOADED and (s >> 4) == block:
                    return True
    return False
