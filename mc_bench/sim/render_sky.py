"""Sky tiles: an exact fill for tiles whose corner rays all rise into open sky.

Such rays cross different cells on their way up, so their tiles are never coherent and, without
this test, every pixel of a sky region beside a tree or a hill would be marched. The rays of a
tile are the convex hull of its corner rays, so (the eye's cell being air) each of them rises at
least as steeply as the flattest corner, and its horizontal direction lies in the corners' wedge.
A ray ends as sky once it climbs above the highest column top in view (``F_GMAX``) or reaches the
view distance, so no column farther than the view distance matters. The *horizon* of a frame
holds, per bin of horizontal direction, the steepest slope at which a column top in view rises
from the eye, measured at the column's nearest point (4x4 blocks of columns beyond ``NEAR``;
unloaded chunks count as infinitely high). If the flattest corner rises more steeply than the
horizon over every bin of the wedge, every ray of the tile passes above every column on its way
and ends as sky, which is what marching it gives.

Under a tree the columns near the eye have air up to a roof of leaves. A ray passes such a column
either above its top or below its roof, so the horizon keeps, per bin, the band of slopes these
roofed columns block (the hull of their bands), and a tile passes when its slopes, from the
flattest corner to a bound on the steepest ray, miss that band. The eye's own column is tested
per tile: every ray must leave it, at the farthest exit distance of the wedge, below its roof.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim.render_base import (
    F_EROOF,
    F_ESTATE,
    F_EX,
    F_EY,
    F_EZ,
    F_GMAX,
    F_HEYE,
    F_HOR,
    F_HSET,
    F_INVW,
    F_ROOF_HI,
    F_ROOF_LO,
    F_VD,
    INF,
    K_SKY,
    N_HOR,
    N_REC,
    NO_REC,
    P_FILLED,
    P_PENDING,
    R_KEY,
    R_NPASS,
    R_REP,
    R_SIG,
    _cam_ray,
    _camera,
    _col,
    _hot,
    _kernel,
    _loaded,
    _state,
)
from mc_bench.sim.render_shade import _compose
from mc_bench.sim.world import HEIGHT

SKY_SPAN = 4  # smallest tile side (pixels) worth the test: smaller ones march their few pixels
SAFE = 1e-6  # margin (blocks) between a ray and a column top, for rounding in the march
NEAR = 8.0  # columns nearer than this (blocks) enter the horizon one by one, farther ones by 4x4 block


@_hot
def _sky_corners(srec, a, b, c, d):
    """Whether the rays of pixels a, b, c, d all crossed only air into open sky."""
    for q in (a, b, c, d):
        k = srec[q * N_REC + R_KEY]
        if k < 0 or (k & 7) != K_SKY or srec[srec[q * N_REC + R_REP] * N_REC + R_NPASS] != 0:
            return False
    return True


@_hot
def _sky_clear(fr, w, bl, cm, sc, m4, a, b, c, d):
    """Whether every ray between the corner rays of pixels a, b, c, d sees sky (module doc)."""
    if fr[F_ESTATE] != 0.0:
        return False  # the eye's own cell is not air (the march tests it first)
    if fr[F_GMAX] + 1.0 - fr[F_EY] <= 0.0:
        return True  # above every column top in view
    cam = _camera(fr)
    rays = (_corner(fr, cam, w, a), _corner(fr, cam, w, b), _corner(fr, cam, w, c), _corner(fr, cam, w, d))
    slope, steep = INF, 0.0
    for dx, dy, dz in rays:
        if dy <= 0.0:
            return False
        hz = math.sqrt(dx * dx + dz * dz)
        # a ray straight up adds no horizontal direction, and no bound on the steepest ray
        slope, steep = (min(slope, dy / hz), max(steep, dy / hz)) if hz > 0.0 else (slope, INF)
    if fr[F_HSET] == 0.0:
        _horizon(fr, bl, cm, sc, m4)
    lo, hi = _span(_pangle(rays[0][0], rays[0][2]), _pangle(rays[1][0], rays[1][2]),
                   _pangle(rays[2][0], rays[2][2]), _pangle(rays[3][0], rays[3][2]))
    if hi < lo:
        return fr[F_HEYE] == 0.0  # every ray straight up: only the eye's column could stop them
    if hi - lo > 1.0:
        return False  # a wedge wider than 90 degrees (a tile around the zenith)
    # No ray of the tile is steeper than the steepest corner over the cosine of half the wedge,
    # which spans at most 2 (hi - lo) radians.
    steep = steep / math.cos(hi - lo)
    if steep * _eye_exit(fr, lo, hi, rays) >= fr[F_EROOF] - SAFE - fr[F_EY]:
        return False  # a ray may meet the roof of the eye's column before leaving it
    for k in range(int(lo * (N_HOR / 4)), int(hi * (N_HOR / 4)) + 1):
        o = k & (N_HOR - 1)
        if fr[F_HOR + o] > slope or fr[F_ROOF_HI + o] >= slope and -fr[F_ROOF_LO + o] <= steep:
            return False
    return True


@_hot
def _corner(fr, cam, w, q):
    """Direction (dx, dy, dz) of the ray through pixel q."""
    i = int((q + 0.5) * fr[F_INVW])
    dx, dy, dz, _ = _cam_ray(cam, i, q - i * w)
    return dx, dy, dz


@_hot
def _span(p0, p1, p2, p3):
    """Pseudo-angle range (lo, hi) of up to four directions (negative: none; hi < lo if there are
    none). A range across +x, where pseudo-angles wrap from 4 to 0, is given past 4 (lo >= 2)."""
    lo, hi, wlo, whi = 4.0, 0.0, 8.0, 0.0
    for pa in (p0, p1, p2, p3):
        if pa >= 0.0:
            lo, hi = min(lo, pa), max(hi, pa)
            pw = pa + 4.0 if pa < 2.0 else pa
            wlo, whi = min(wlo, pw), max(whi, pw)
    return (wlo, whi) if hi - lo > 2.0 else (lo, hi)


@_hot
def _eye_exit(fr, lo, hi, rays):
    """Farthest horizontal distance at which a ray of the tile leaves the eye's column: along a
    corner ray, or towards a corner of the column that lies inside the wedge (pseudo-angles
    lo..hi, past 4 when the wedge straddles +x)."""
    ex, ez = fr[F_EX], fr[F_EZ]
    x0, z0 = math.floor(ex), math.floor(ez)
    far = 0.0
    for dx, _, dz in rays:
        hz = math.sqrt(dx * dx + dz * dz)
        if hz > 0.0:
            tx = (x0 + 1.0 - ex) * hz / dx if dx > 0.0 else ((x0 - ex) * hz / dx if dx < 0.0 else INF)
            tz = (z0 + 1.0 - ez) * hz / dz if dz > 0.0 else ((z0 - ez) * hz / dz if dz < 0.0 else INF)
            far = max(far, min(tx, tz))
    for k in range(4):
        vx, vz = x0 + (k >> 1) - ex, z0 + (k & 1) - ez
        if vx != 0.0 or vz != 0.0:
            pa = _pangle(vx, vz)
            pa = pa + 4.0 if hi > 4.0 and pa < 2.0 else pa
            if lo <= pa <= hi:
                far = max(far, math.sqrt(vx * vx + vz * vz))
    return far


@_hot
def _pangle(dx, dz):
    """Pseudo-angle of a horizontal direction, in [0, 4): increasing with its angle from +x toward
    +z, one unit per quarter turn (and exactly one unit for any 90-degree turn); -1 for none."""
    if dx == 0.0 and dz == 0.0:
        return -1.0
    if dz >= 0.0:
        return dz / (dx + dz) if dx >= 0.0 else 1.0 - dx / (dz - dx)
    return 2.0 - dz / (-dx - dz) if dx < 0.0 else 3.0 + dx / (dx - dz)


@_kernel
def _horizon(fr, bl, cm, sc, m4):
    """This frame's horizon (module doc) and the eye-column flag fr[F_HEYE]."""
    ex, ey, ez, vd = fr[F_EX], fr[F_EY], fr[F_EZ], fr[F_VD]
    fr[F_HSET], fr[F_HEYE], fr[F_EROOF] = 1.0, 0.0, INF
    for k in range(N_HOR):
        fr[F_HOR + k], fr[F_ROOF_LO + k], fr[F_ROOF_HI + k] = -INF, -INF, -INF
    for cx in range(int(math.floor(ex - vd - 1)) >> 4, (int(math.floor(ex + vd + 1)) >> 4) + 1):
        for cz in range(int(math.floor(ez - vd - 1)) >> 4, (int(math.floor(ez + vd + 1)) >> 4) + 1):
            loaded = _loaded(sc, cx, cz)
            for b in range(16):
                bx, bz = (cx << 4) + ((b >> 2) << 2), (cz << 4) + ((b & 3) << 2)
                h = _hdist(bx, bz, 4, ex, ez)
                top = m4[(((bx >> 2) & 31) << 5) | ((bz >> 2) & 31)] if loaded else HEIGHT
                if h > vd or top + 1.0 + SAFE <= ey:
                    continue  # out of reach, or below every rising ray
                if not loaded or h >= NEAR:
                    _raise(fr, F_HOR, bx, bz, 4, ex, ez, h, (top + 1.0 + SAFE - ey) / h if loaded else INF)
                    continue
                for k in range(16):
                    _near_column(fr, bl, cm, bx + (k >> 2), bz + (k & 3), ex, ey, ez, vd)


@_hot
def _near_column(fr, bl, cm, x, z, ex, ey, ez, vd):
    """Enter a column nearer than NEAR into the horizon. A rising ray meets only its cells from the
    eye's height up; when the lowest non-air one (a roof) lies above the eye's cell, rays that
    leave the column below the roof pass too, so the column blocks only the slopes from
    (roof - eye) / farthest to (top + 1 - eye) / nearest distance."""
    h, top = _hdist(x, z, 1, ex, ez), np.int64(cm[_col(x, z)])
    if h > vd or top + 1.0 + SAFE <= ey:
        return
    y = int(math.floor(ey))
    while y <= top and _state(bl, x, y, z) == 0:
        y += 1
    hi = (top + 1.0 + SAFE - ey) / h if h > 0.0 else INF
    if h == 0.0:
        fr[F_HEYE] = 1.0  # a column holding the eye reaches above it: a ray straight up may meet it
        if x == int(math.floor(ex)) and z == int(math.floor(ez)):
            fr[F_EROOF] = y  # the eye's own column: tested per tile (_eye_exit)
            return
    if y == int(math.floor(ey)):
        _raise(fr, F_HOR, x, z, 1, ex, ez, h, hi)  # no air at the eye's height: a wall
        return
    far = math.sqrt(max(ex - x, x + 1.0 - ex) ** 2 + max(ez - z, z + 1.0 - ez) ** 2)
    _raise(fr, F_ROOF_HI, x, z, 1, ex, ez, h, hi)
    _raise(fr, F_ROOF_LO, x, z, 1, ex, ez, h, -((y - SAFE - ey) / far))  # negated: the least as a max


@_hot
def _hdist(x, z, size, ex, ez):
    """Horizontal distance from the eye to the nearest point of a square of columns."""
    hx = max(x - ex, 0.0, ex - (x + size))
    hz = max(z - ez, 0.0, ez - (z + size))
    return math.sqrt(hx * hx + hz * hz)


@_hot
def _raise(fr, at, x, z, size, ex, ez, h, s):
    """Raise fr[at + bin] to s over the bins of the directions of a square of columns (corner x, z);
    over every bin when the square holds the eye (h = 0)."""
    if h == 0.0:
        lo, hi = 0.0, 4.0
    else:
        lo, hi = _span(_pangle(x - ex, z - ez), _pangle(x - ex, z + size - ez),
                       _pangle(x + size - ex, z - ez), _pangle(x + size - ex, z + size - ez))
    for k in range(int(lo * (N_HOR / 4)) - 1, int(hi * (N_HOR / 4)) + 2):  # a bin more each side: rounding
        o = at + (k & (N_HOR - 1))
        fr[o] = max(fr[o], s)


@_hot
def _sky_fill(fr, cfg, a, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
              cm, at, info, crack, ef, ei, item_tex, avg, of):
    """Draw the pending pixels of a tile that sees only sky (see :func:`_sky_clear`)."""
    key, cam = srec[a * N_REC + R_KEY], _camera(fr)
    for i in range(r0, r1 + 1):
        for j in range(c0, c1 + 1):
            p = i * w + j
            if pstate[p] != P_PENDING or (has_ent and ent_t[p] < INF):
                continue
            dx, dy, dz, n2 = _cam_ray(cam, i, j)
            _compose(fr, cfg, p, dx, dy, dz, n2, 0, NO_REC, NO_REC, INF, 0, stage, target, False,
                     cm, at, info, crack, ef, ei, item_tex, avg, of)
            o = p * N_REC  # its own record: sky, with a unique signature (never part of an exact fill)
            srec[o + R_KEY], srec[o + R_SIG], srec[o + R_REP], srec[o + R_NPASS] = key, -1 - p, p, 0
            pstate[p] = P_FILLED
