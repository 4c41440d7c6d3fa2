"""Chases for mobs the plain melee chase (:meth:`~.hunt.Hunter.chase`) cannot finish: flyers (bats) and
fuse mobs (creepers). Each takes the :class:`~.hunt.Hunter` and returns where the mob died, or None
when it was lost (the hunter then paths to it again).
"""

from __future__ import annotations

import math

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.control import angles_to, wrap
from mc_bench.agents.experts.planner import INF
from mc_bench.sim.state import (
    AIR,
    COLLIDED_H,
    EFUSE,
    EGX,
    EGY,
    EGZ,
    EH,
    ETARGET,
    EX,
    EY,
    EZ,
)

__all__ = ["chase_flyer", "chase_fuser", "chase_swimmer", "chase_teleporter", "pillar"]

JUMP_REACH = 2.2  # a flyer this far above the feet is hit from a jump
PILLAR_ABOVE = 5.0  # ... and one higher for this long is reached from a pillar
OUT_OF_REACH = 9.0  # a flyer this high is left for a while
FUSE_STOP = 7.5  # a lit creeper fuse burns down only while the player is beyond 7 blocks
LOW_AIR = 90.0  # air ticks (of 300) below which a swimmer goes up for breath
STALL = 120  # ticks an awaited mob may come no nearer before the hunter goes to it
FUSE_WAIT = 4.5  # closer than this, let the creeper walk into reach: a hit from beyond 3 blocks lights no fuse
BLOCKS = ("dirt", "cobblestone", "stone", "sand", "planks")


def _where(h, i: int) -> tuple[float, float, float]:
    ef = h.x.sim.e.ef
    return float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ])


def _ticks(h, i: int, kind: int, max_ticks: int, died: list):
    """The ticks of a chase after mob ``i``: its position and body point, while it lives and time lasts;
    ``died[0]`` becomes where it was last seen alive if it dies (stays None otherwise)."""
    last = _where(h, i)
    for _ in range(max_ticks):
        if not h.mobs.alive(i, kind):
            died[0] = last
            return
        if h.x.out_of_time():
            return
        last = _where(h, i)
        yield last, h.mobs.body_point(i)


def _yaw_error(wv, pt) -> float:
    return abs(wrap(angles_to(wv.pos, pt)[1] - wv.yaw))


def chase_flyer(h, i: int, kind: int, max_ticks: int = 600):
    """Stay under a flying mob and strike when a charged swing connects, jumping when it is above the
    reach from the ground and pillaring up (with a block at hand) when it stays higher still."""
    wv, body = h.x.wv, h.x.body
    pressed, high, died = False, 0, [None]
    for last, pt in _ticks(h, i, kind, max_ticks, died):
        d, dy = h.dist(i), pt[1] - wv.pos[1]
        if d > 12.0 or dy > OUT_OF_REACH:
            return None
        high = high + 1 if dy > PILLAR_ABOVE and d < 2.0 else 0
        if high > 30 and wv.on_ground:
            high = 0
            yield from pillar(h)
            continue
        cam = body.turn_to_point(pt)
        strike = h.swing(i, cam, pressed)
        pressed = strike
        go = _intercept(h, i, wv)
        keys = _toward(wv, go, 0.6)  # strafe toward the intercept: the eyes stay on the bat for the strike
        blocked = bool(wv.sim.e.pi[COLLIDED_H]) and any(keys.values())
        jump = int(wv.on_ground and (dy > JUMP_REACH and d < 3.0 or blocked))
        yield body.act(camera=cam, attack=int(strike), jump=jump, **keys)
    return died[0]


def _toward(wv, point, tol: float) -> dict[str, int]:
    """Movement keys toward ``point`` whatever the heading (forward/back/left/right, no turning)."""
    px, _, pz = wv.pos
    dx, dz = point[0] - px, point[2] - pz
    if math.hypot(dx, dz) < tol:
        return {}
    s, c = math.sin(math.radians(wv.yaw)), math.cos(math.radians(wv.yaw))
    fwd, left = -dx * s + dz * c, dx * c + dz * s  # the engine's heading: forward (-s, c), left (c, s)
    n = math.hypot(fwd, left)
    return {"forward": int(fwd > 0.38 * n), "back": int(fwd < -0.38 * n), "left": int(left > 0.38 * n),
            "right": int(left < -0.38 * n)}


def _intercept(h, i: int, wv) -> tuple[float, float, float]:
    """Where to stand for a flyer: under its flight goal (privileged) when that lies within reach of a
    jump and nearer the player than the goal is to the bat, else under the bat."""
    ef = h.x.sim.e.ef
    bat = (float(ef[i, EX]), float(ef[i, EY]), float(ef[i, EZ]))
    goal = (float(ef[i, EGX]), float(ef[i, EGY]), float(ef[i, EGZ]))
    px, py, pz = wv.pos
    reachable = goal[1] - py < PILLAR_ABOVE
    if reachable and math.hypot(goal[0] - px, goal[2] - pz) < math.hypot(goal[0] - bat[0], goal[2] - bat[2]) + 2:
        return goal
    return bat


def pillar(h):
    """One block up (a held block underfoot); with none, dig a dirt block out of the ground beside the feet."""
    x = h.x
    block = next((n for n in BLOCKS if x.wv.count(n)), None)
    if block is None:
        fx, fy, fz = x.wv.cell
        for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            if x.wv.block(fx + dx, fy - 1, fz + dz) in (2, 3):  # grass or dirt drop a dirt block by hand
                yield from skills.break_block(x.body, (fx + dx, fy - 1, fz + dz), max_ticks=60)
                yield from h.pick_up(radius=3.0, max_items=1)
                break
        block = "dirt" if x.wv.count("dirt") else None
    if block is not None:
        yield from skills.pillar_up(x.body, block)


def chase_fuser(h, i: int, kind: int, max_ticks: int = 1200):
    """Let a creeper walk into reach and strike it from just beyond 3 blocks, where no fuse lights; if
    one is lit anyway, back away (facing it) until it has burnt down (privileged: the fuse counter)."""
    wv, body = h.x.wv, h.x.body
    e = h.x.sim.e
    pressed, died = False, [None]
    for last, pt in _ticks(h, i, kind, max_ticks, died):
        d = math.dist(last, wv.pos)  # the fuse goes by the distance in 3-D
        if d > 16.0:
            return None
        cam = body.turn_to_point(pt)
        collided = bool(e.pi[COLLIDED_H]) and wv.on_ground
        strike = h.swing(i, cam, pressed)
        pressed = strike
        if e.ei[i, EFUSE] > 0:
            yield body.act(camera=cam, attack=int(strike), back=int(d < FUSE_STOP + 1.0), jump=int(collided))
            continue
        fwd = int(d > FUSE_WAIT and _yaw_error(wv, pt) < 35.0)
        yield body.act(camera=cam, attack=int(strike), forward=fwd, back=int(d < 3.1 and not strike),
                       jump=int(collided and fwd), sprint=int(fwd and d > 6.0))
    return died[0]


def chase_teleporter(h, i: int, kind: int, max_ticks: int = 1500):
    """An enderman: stare at its head until it comes for the player, strike it first as it steps into
    reach (ours is longer than its), and wait where it was for it to come back after each teleport."""
    wv, body = h.x.wv, h.x.body
    e = h.x.sim.e
    pressed, died, best, since = False, [None], INF, 0
    for last, _ in _ticks(h, i, kind, max_ticks, died):
        d = math.dist(last, wv.pos)
        best, since = (d, 0) if d < best - 0.5 or d > best + 6.0 else (best, since + 1)  # a teleport restarts it
        if d > 48.0 or since > STALL and d > 6.0:
            return None  # stuck somewhere (a tree top): the hunter paths to it
        head = (last[0], last[1] + float(e.ef[i, EH]) * 0.88, last[2])
        cam = body.turn_to_point(head if d > 4.0 else h.mobs.body_point(i))
        strike = h.swing(i, cam, pressed)
        pressed = strike
        provoked = bool(e.ei[i, ETARGET])
        fwd = int(not provoked and d > 3.0 and _yaw_error(wv, last) < 35.0)
        collided = bool(e.pi[COLLIDED_H]) and wv.on_ground
        yield body.act(camera=cam, attack=int(strike), forward=fwd, back=int(d < 1.6), jump=int(collided and fwd))
    return died[0]


def chase_swimmer(h, i: int, kind: int, max_ticks: int = 900):
    """A squid or guardian under water: close in level with it (jump rises, letting go sinks), strike on
    charged swings, and go up for air when it runs low."""
    wv, body = h.x.wv, h.x.body
    e = h.x.sim.e
    pressed, died = False, [None]
    for last, pt in _ticks(h, i, kind, max_ticks, died):
        d = h.dist(i)
        if d > 16.0:
            return None
        cam = body.turn_to_point(pt)
        strike = h.swing(i, cam, pressed)
        pressed = strike
        keys = _toward(wv, last, 1.5)
        rise = pt[1] > wv.eye[1] - 0.3 or e.pf[AIR] < LOW_AIR or not wv.in_water and bool(e.pi[COLLIDED_H])
        yield body.act(camera=cam, attack=int(strike), jump=int(rise), **keys)
    return died[0]
