"""How mobs move: walking and hopping with the player's collision code (step-up 0.6) and gravity,
free flight (bats) and swimming (squid, guardians).

No path finding: a walker goes straight at its goal, jumps when it bumps into a 1-block step, and
refuses to walk off a drop deeper than 3 blocks; spiders climb any wall they touch. Swimmers never
leave the liquid they are in (a move that would take their centre out of it is undone); out of water
they only fall and flop.
"""

from __future__ import annotations

import math

from mc_bench.rules.mobs import (
    F_HOP_MAX,
    F_HOP_MIN,
    I_CLIMBS,
    P_FLY_RANGE,
    P_SWIM_CHANGE,
    P_SWIM_FACTOR,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.mob_base import CLIMB_VY, DRAG_Y, GRAVITY, JUMP_VY
from mc_bench.sim.physics import cell_solid, in_liquid, move_box, set_box
from mc_bench.sim.state import (
    ECOLLIDE,
    EFALL,
    EFIRE,
    EFUSE,
    EGOAL,
    EGROUND,
    EGX,
    EGY,
    EGZ,
    EH,
    ESPEED,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EY,
    EYAW,
    EZ,
)
from mc_bench.sim.world import UNLOADED, get_state

FLY_PUSH, FLY_DRAG = 0.1, 0.91  # EntityBat.updateAITasks: v += (sign(d) x 0.5 - v) x 0.1
SWIM_PUSH = 0.1


@kernel(inline="always")
def _ledge(w, solid, liquid, ef, e, heading):
    """Whether a step along ``heading`` would walk off a drop deeper than 3 blocks."""
    yaw = math.radians(heading)
    fx = ef[e, EX] - math.sin(yaw) * (ef[e, EW] / 2 + 0.5)
    fz = ef[e, EZ] + math.cos(yaw) * (ef[e, EW] / 2 + 0.5)
    x, y, z = int(math.floor(fx)), int(math.floor(ef[e, EY] + 0.01)), int(math.floor(fz))
    for dy in range(-4, 1):
        s = get_state(w, x, y + dy, z)
        if s == UNLOADED or solid[s >> 4] or liquid[s >> 4]:
            return False
    return True


@kernel(inline="always")
def _resting(w, solid, liquid, ef, e):
    """On a solid floor (some cell under the box) and not in a liquid: standing still needs no physics."""
    h = ef[e, EW] / 2
    y = int(math.floor(ef[e, EY] + 0.01))
    s = get_state(w, int(math.floor(ef[e, EX])), y, int(math.floor(ef[e, EZ])))
    if ef[e, EY] - y > 0.01 or s == UNLOADED or liquid[s >> 4]:
        return False
    for x in range(int(math.floor(ef[e, EX] - h)), int(math.floor(ef[e, EX] + h - 1e-7)) + 1):
        for z in range(int(math.floor(ef[e, EZ] - h)), int(math.floor(ef[e, EZ] + h - 1e-7)) + 1):
            if cell_solid(w, solid, x, y - 1, z):
                return True
    return False


@kernel(inline="always")
def hop(mob, ef, ei, rs, e, m, speed, targeting):
    """Hoppers move only in leaps: on the ground they wait out a hop delay (a third of it when chasing),
    then jump; returns (speed, jump)."""
    if not ei[e, EGROUND]:
        return speed, False
    if speed <= 0.0:
        return 0.0, False
    if ei[e, EFUSE] > 0:
        ei[e, EFUSE] -= 1
        return 0.0, False
    lo, hi = int(mob[m, F_HOP_MIN]), int(mob[m, F_HOP_MAX])
    d = lo + rng.next_int(rs, hi - lo + 1)
    ei[e, EFUSE] = d // 3 if targeting else d
    return speed, True


@kernel(inline="always")
def walk(w, solid, liquid, mob_i, ef, ei, rs, e, m, heading, speed, jump, box):
    """Minecraft's moveEntityWithHeading for a mob walking along ``heading``, with ``box`` as scratch;
    returns the fall distance on landing (0 otherwise)."""
    for a in (EVX, EVY, EVZ):
        if abs(ef[e, a]) < 0.003:
            ef[e, a] = 0.0
    if (speed == 0.0 and ei[e, EGROUND] and ef[e, EVX] == 0.0 and ef[e, EVZ] == 0.0
            and _resting(w, solid, liquid, ef, e)):
        ef[e, EVY] = -GRAVITY * DRAG_Y  # most mobs stand still most of the time: skip the collision pass
        ei[e, ECOLLIDE] = 0
        return 0.0
    set_box(box, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
    wet = in_liquid(w, liquid, box, 0.001, 0.401)
    ground = ei[e, EGROUND] != 0
    if speed > 0.0 and ground and not wet and _ledge(w, solid, liquid, ef, e, heading):
        speed, ei[e, EGOAL] = 0.0, 0
    if speed > 0.0:
        ef[e, EYAW] = heading
        fwd = speed * 0.98  # the AI feeds its speed in as the forward input (mechanics §2, mob speed)
        acc = fwd * (speed if ground and not wet else 0.02)
        yaw = math.radians(heading)
        ef[e, EVX] -= math.sin(yaw) * acc
        ef[e, EVZ] += math.cos(yaw) * acc
    if wet and rng.next_float(rs) < 0.8:
        ef[e, EVY] += 0.04  # mobs swim up
    elif jump and ground and speed > 0.0:
        ef[e, EVY] = JUMP_VY
    ground, hit_h, my = _apply(w, solid, ef, ei, e, box, ground)
    if wet:
        ef[e, EFALL] = 0.0
        ei[e, EFIRE] = 0
        ef[e, EVX] *= 0.8
        ef[e, EVY] = ef[e, EVY] * 0.8 - 0.02
        ef[e, EVZ] *= 0.8
        return 0.0
    fall = 0.0
    if ground:
        fall, ef[e, EFALL] = ef[e, EFALL], 0.0
    elif my < 0:
        ef[e, EFALL] -= my
    if mob_i[m, I_CLIMBS] and hit_h:
        ef[e, EVY], ef[e, EFALL] = CLIMB_VY, 0.0
    inertia = 0.6 * 0.91 if ground else 0.91
    ef[e, EVY] = (ef[e, EVY] - GRAVITY) * DRAG_Y
    ef[e, EVX] *= inertia
    ef[e, EVZ] *= inertia
    return fall


@kernel(inline="always")
def _apply(w, solid, ef, ei, e, box, ground):
    """Move the box by the velocity with collisions; zero blocked components. (on ground, hit sideways, dy)."""
    vx, vy, vz = ef[e, EVX], ef[e, EVY], ef[e, EVZ]
    mx, my, mz, hit_h, hit_v = move_box(w, solid, box, vx, vy, vz, ground, True, False)
    ef[e, EX], ef[e, EY], ef[e, EZ] = (box[0] + box[3]) / 2, box[1], (box[2] + box[5]) / 2
    ground = hit_v and vy < 0
    ei[e, EGROUND], ei[e, ECOLLIDE] = ground, hit_h
    if mx != vx:
        ef[e, EVX] = 0.0
    if mz != vz:
        ef[e, EVZ] = 0.0
    if hit_v:
        ef[e, EVY] = 0.0
    return ground, hit_h, my


@kernel(inline="always")
def fly(w, solid, p, ef, ei, rs, e, box):
    """A bat's flight: head for a random spot nearby, a new one now and then or when close or blocked."""
    dx, dy, dz = ef[e, EGX] - ef[e, EX], ef[e, EGY] - ef[e, EY], ef[e, EGZ] - ef[e, EZ]
    if not ei[e, EGOAL] or ei[e, ECOLLIDE] or rng.next_int(rs, 30) == 0 or dx * dx + dy * dy + dz * dz < 4.0:
        r = int(p[P_FLY_RANGE])
        ef[e, EGX] = ef[e, EX] + rng.next_int(rs, 2 * r + 1) - r
        ef[e, EGY] = ef[e, EY] + rng.next_int(rs, 6) - 2.0
        ef[e, EGZ] = ef[e, EZ] + rng.next_int(rs, 2 * r + 1) - r
        ei[e, EGOAL] = 1
        dx, dy, dz = ef[e, EGX] - ef[e, EX], ef[e, EGY] - ef[e, EY], ef[e, EGZ] - ef[e, EZ]
    ef[e, EVX] += (math.copysign(0.5, dx) - ef[e, EVX]) * FLY_PUSH
    ef[e, EVY] += (math.copysign(0.7, dy) - ef[e, EVY]) * FLY_PUSH
    ef[e, EVZ] += (math.copysign(0.5, dz) - ef[e, EVZ]) * FLY_PUSH
    ef[e, EYAW] = math.degrees(math.atan2(-ef[e, EVX], ef[e, EVZ]))
    set_box(box, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
    _apply(w, solid, ef, ei, e, box, False)
    for a in (EVX, EVY, EVZ):
        ef[e, a] *= FLY_DRAG


@kernel(inline="always")
def swim(w, solid, liquid, p, pf_x, pf_y, pf_z, ef, ei, rs, e, targeting, box):
    """Swim toward the target point (pf_*) or a random direction; a move that would take the centre out
    of the liquid is undone. Out of any liquid, a swimmer just falls."""
    x, y, z = ef[e, EX], ef[e, EY], ef[e, EZ]
    cy = y + ef[e, EH] / 2
    if not _wet(w, liquid, x, cy, z):
        ef[e, EVX] *= 0.5
        ef[e, EVZ] *= 0.5
        ef[e, EVY] = (ef[e, EVY] - GRAVITY) * DRAG_Y
        set_box(box, x, y, z, ef[e, EW], ef[e, EH])
        _apply(w, solid, ef, ei, e, box, ei[e, EGROUND] != 0)
        return
    if targeting:
        dx, dy, dz = pf_x - x, pf_y - cy, pf_z - z
    else:
        if not ei[e, EGOAL] or rng.next_int(rs, int(p[P_SWIM_CHANGE])) == 0:
            a = rng.next_float(rs) * 2.0 * math.pi
            ef[e, EGX], ef[e, EGZ] = math.sin(a), math.cos(a)
            ef[e, EGY] = rng.next_float(rs) * 0.4 - 0.2
            ei[e, EGOAL] = 1
        dx, dy, dz = ef[e, EGX], ef[e, EGY], ef[e, EGZ]
    n = max(math.sqrt(dx * dx + dy * dy + dz * dz), 1e-6)
    v = ef[e, ESPEED] * p[P_SWIM_FACTOR]
    ef[e, EVX] += (dx / n * v - ef[e, EVX]) * SWIM_PUSH
    ef[e, EVY] += (dy / n * v - ef[e, EVY]) * SWIM_PUSH
    ef[e, EVZ] += (dz / n * v - ef[e, EVZ]) * SWIM_PUSH
    ef[e, EYAW] = math.degrees(math.atan2(-ef[e, EVX], ef[e, EVZ]))
    set_box(box, x, y, z, ef[e, EW], ef[e, EH])
    _apply(w, solid, ef, ei, e, box, False)
    if not _wet(w, liquid, ef[e, EX], ef[e, EY] + ef[e, EH] / 2, ef[e, EZ]):
        ef[e, EX], ef[e, EY], ef[e, EZ] = x, y, z  # the water's edge: turn back
        ef[e, EVX], ef[e, EVY], ef[e, EVZ] = 0.0, 0.0, 0.0
        ei[e, EGOAL] = 0


@kernel(inline="always")
def _wet(w, liquid, x, y, z):
    s = get_state(w, int(math.floor(x)), int(math.floor(y)), int(math.floor(z)))
    return s != UNLOADED and liquid[s >> 4] != 0
