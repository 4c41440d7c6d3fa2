"""Explosions (creepers): entity damage and push by exposure as in the game, blocks by a per-block rule.

A block of the blast sphere breaks when ``power * (0.7..1.3) - d * (0.75 + r + 0.3) > 0`` (d its distance,
r its explosion resistance), i.e. as if the ray to it crossed that same block all the way, instead of
Minecraft's 1352 rays; dropped blocks fall with chance 1 / power. Items are not destroyed. Explosion
deaths drop loot but do not count as kills; a charged creeper's blast also makes one victim drop its head.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.rules.mobs import B_RESIST
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.interact import spawn_drops
from mc_bench.sim.mob_base import armoured, hurt_mob, kill, line_of_sight
from mc_bench.sim.physics import eye_y
from mc_bench.sim.state import (
    D_EXPLOSION,
    EH,
    EHP,
    EKIND,
    ENT_CAP,
    EVX,
    EVY,
    EVZ,
    EW,
    EX,
    EY,
    EZ,
    KIND_MOB0,
    PLAYER_H,
    PLAYER_W,
    PX,
    PY,
    PZ,
    VX,
    VY,
    VZ,
)
from mc_bench.sim.vitals import hurt_by
from mc_bench.sim.world import UNLOADED, get_state, set_state


@kernel
def _exposure(w, solid, cx, cy, cz, x0, y0, z0, x1, y1, z1):
    """Share of a grid of points in the box that see the explosion centre (Minecraft's getBlockDensity)."""
    sx, sy, sz = 1.0 / ((x1 - x0) * 2 + 1), 1.0 / ((y1 - y0) * 2 + 1), 1.0 / ((z1 - z0) * 2 + 1)
    ox, oz = (1.0 - math.floor(1.0 / sx) * sx) / 2.0, (1.0 - math.floor(1.0 / sz) * sz) / 2.0
    seen, total = 0, 0
    fx = 0.0
    while fx <= 1.0:
        fy = 0.0
        while fy <= 1.0:
            fz = 0.0
            while fz <= 1.0:
                px = x0 + (x1 - x0) * fx + ox
                py = y0 + (y1 - y0) * fy
                pz = z0 + (z1 - z0) * fz + oz
                seen += line_of_sight(w, solid, px, py, pz, cx, cy, cz)
                total += 1
                fz += sz
            fy += sy
        fx += sx
    return seen / max(total, 1)


@kernel
def _impact(w, R, cx, cy, cz, power, x, y, z, width, height):
    """Explosion impact (0-1) on a box at feet (x, y, z), or 0 beyond 2 x power."""
    dx, dy, dz = x - cx, y - cy, z - cz
    dist = math.sqrt(dx * dx + dy * dy + dz * dz) / (2.0 * power)
    if dist > 1.0:
        return 0.0
    h = width / 2
    return (1.0 - dist) * _exposure(w, R.solid, cx, cy, cz, x - h, y, z - h, x + h, y + height, z + h)


@kernel
def explode(w, R, pf, pi, ef, ei, stats, rs, cx, cy, cz, power, charged=False):
    """Explosion of ``power`` at (cx, cy, cz): hurts and pushes the player and mobs, then breaks blocks.
    ``charged``: a charged creeper's blast; the first mob it kills that has a head to drop drops it."""
    M = R.mobs
    heads = charged
    imp = _impact(w, R, cx, cy, cz, power, pf[PX], pf[PY], pf[PZ], PLAYER_W, PLAYER_H)
    if imp > 0.0:
        hurt_by(pf, pi, math.floor((imp * imp + imp) / 2.0 * 7.0 * 2.0 * power + 1.0), cx, cy, cz, D_EXPLOSION)
        _push(pf[PX] - cx, eye_y(pf, pi) - cy, pf[PZ] - cz, imp, pf, VX, VY, VZ)
    for e in range(ENT_CAP):
        if ei[e, EKIND] < KIND_MOB0:
            continue
        imp = _impact(w, R, cx, cy, cz, power, ef[e, EX], ef[e, EY], ef[e, EZ], ef[e, EW], ef[e, EH])
        if imp > 0.0:
            m = ei[e, EKIND] - KIND_MOB0
            dmg = math.floor((imp * imp + imp) / 2.0 * 7.0 * 2.0 * power + 1.0)
            hurt_mob(M.p, ef, ei, e, armoured(M.mob, m, dmg))
            _push(ef[e, EX] - cx, ef[e, EY] + ef[e, EH] * 0.85 - cy, ef[e, EZ] - cz, imp, ef[e], EVX, EVY, EVZ)
            if ef[e, EHP] <= 0.0 and kill(R, ef, ei, stats, rs, e, False, heads):
                heads = False
    _blast_blocks(w, R, ef, ei, rs, cx, cy, cz, power)


@kernel
def _push(dx, dy, dz, imp, v, ix, iy, iz):
    d = math.sqrt(dx * dx + dy * dy + dz * dz)
    if d > 1e-6:
        v[ix] += dx / d * imp
        v[iy] += dy / d * imp
        v[iz] += dz / d * imp


@kernel
def _blast_blocks(w, R, ef, ei, rs, cx, cy, cz, power):
    """Break blocks of the blast sphere by the resistance rule in the module docstring."""
    M = R.mobs
    r = int(math.ceil(power))
    bx, by, bz = int(math.floor(cx)), int(math.floor(cy)), int(math.floor(cz))
    for x in range(bx - r, bx + r + 1):
        for y in range(by - r, by + r + 1):
            for z in range(bz - r, bz + r + 1):
                s = get_state(w, x, y, z)
                if s == 0 or s == UNLOADED or R.liquid[s >> 4]:
                    continue
                b = s >> 4
                dx, dy, dz = x + 0.5 - cx, y + 0.5 - cy, z + 0.5 - cz
                dist = math.sqrt(dx * dx + dy * dy + dz * dz)
                left = power * (0.7 + rng.next_float(rs) * 0.6) - dist * (0.75 + M.blocks[b, B_RESIST] + 0.3)
                if left > 0.0 and R.hardness[b] >= 0:
                    set_state(w, x, y, z, np.uint16(0))
                    if rng.next_float(rs) < 1.0 / power:
                        spawn_drops(R, ef, ei, rs, b, s & 15, x, y, z)
