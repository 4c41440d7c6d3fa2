"""The renderer's ray march (*March* and *Surfaces* in render.py's module docstring).

A 3-D DDA walks a pixel's ray from the eye cell by cell, jumping over open air above the column
tops, and tests the surfaces it meets: opaque cubes, glass, crossed-plane plants, slabs and
liquids. A ray also records what the tile fills of render_tiles.py replay: the key of its end
and the see-through cells it crossed (packed).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim.render_base import (
    BEDROCK,
    DOWN,
    EAST,
    F_ECX,
    F_ECY,
    F_ECZ,
    F_ESTATE,
    F_EX,
    F_EY,
    F_EZ,
    F_GMAX,
    I_SHAPE,
    INF,
    K_FOG,
    K_SKY,
    N_REC,
    NO_REC,
    NORTH,
    NPASS,
    PLANT,
    R_NPASS,
    R_PASS,
    SOUTH,
    UP,
    WEST,
    _col,
    _hot,
    _loaded,
    _tx,
)
from mc_bench.sim.textures import S_AIR, S_CROSS, S_CUBE, S_GLASS, S_LIQUID, S_SLAB
from mc_bench.sim.world import HEIGHT

# ============================================================ surfaces

@_hot
def _face_t(face, x, y, z, ex, ey, ez, dx, dy, dz):
    """Distance along the ray to the plane of a face of cell (x, y, z) (branch-free on the face)."""
    a = face >> 1  # axis: 0 = y (down/up), 1 = z (north/south), 2 = x (west/east)
    c = (y if a == 0 else (z if a == 1 else x)) + (face & 1)  # odd faces lie on the far plane
    e = ey if a == 0 else (ez if a == 1 else ex)
    d = dy if a == 0 else (dz if a == 1 else dx)
    return (c - e) / d


@_hot
def _texel(face, px, py, pz, x, y, z):
    """Texel (column, row) of point p on a face of cell (x, y, z); row 0 is the top."""
    a = face >> 1
    fu = (pz - z) if a == 2 else (px - x)
    fv = (pz - z) if a == 0 else 1.0 - (py - y)
    return min(max(int(fu * 16.0), 0), 15), min(max(int(fv * 16.0), 0), 15)


@_hot
def _record(face, st, x, y, z, t, ex, ey, ez, dx, dy, dz, info):
    """Surface record (t, face, state, tex, iu, iv, x, y, z) of a ray meeting a face at distance t."""
    iu, iv = _texel(face, ex + dx * t, ey + dy * t, ez + dz * t, x, y, z)
    return (t, np.int64(face), np.int64(st), np.int64(info[st * 8 + face]), iu, iv,
            np.int64(x), np.int64(y), np.int64(z))


@_hot
def _cross_hit(st, x, y, z, ex, ey, ez, dx, dy, dz, info, at):
    """Nearest opaque texel of a plant cell's two diagonal planes ahead of the eye: (t, tex, iu, iv)."""
    lx, ly, lz = ex - x, ey - y, ez - z
    ta = (lz - lx) / (dx - dz)  # plane x = z (inf or nan when parallel: never inside)
    tb = (1.0 - lx - lz) / (dx + dz)  # plane x + z = 1
    tex = np.int64(info[st * 8 + UP])
    for k in range(2):
        t = min(ta, tb) if k == 0 else max(ta, tb)
        u, v = lx + dx * t, ly + dy * t
        if t >= 0.0 and 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0:  # the plane point lies in the cell
            iu, iv = min(int(u * 16.0), 15), min(int((1.0 - v) * 16.0), 15)
            if _tx(at, tex, iu, iv, 3) != 0:
                return t, tex, iu, iv
    return -1.0, tex, 0, 0


@_hot
def _slab_hit(st, y, tc, tco, fin, ey, dy, slab):
    """Entry distance and face of the ray into the box [y+lo, y+hi] of a slab cell it crosses
    over [tc, tco]; -1 if it misses."""
    lo, hi = y + slab[st * 2], y + slab[st * 2 + 1]
    if dy != 0.0:
        t0, t1 = (lo - ey) / dy, (hi - ey) / dy
        if t0 > t1:
            t0, t1 = t1, t0
    elif lo <= ey <= hi:
        t0, t1 = -INF, INF
    else:
        return -1.0, 0
    if max(tc, t0) > min(tco, t1):
        return -1.0, 0
    if t0 > tc:  # entered through the box's own top or bottom
        return t0, (UP if dy < 0.0 else DOWN)
    if fin < 0:  # the eye is inside the box
        return -1.0, 0
    return tc, fin


@_hot
def _test_cell(st, k, cull, x, y, z, fin, fout, liq, ex, ey, ez, dx, dy, dz, info, slab, at):
    """A see-through or non-cube cell on the ray: (hit?, hit record, first liquid record, matters?).

    ``fin``/``fout`` are the faces the ray enters and leaves by (fin < 0: the eye's cell); ``cull``
    hides a glass or liquid face against an equal neighbour. ``matters`` is False when the cell
    cannot change what any ray crossing it sees.
    """
    if k == S_CROSS:
        t, tex, iu, iv = _cross_hit(st, x, y, z, ex, ey, ez, dx, dy, dz, info, at)
        if t >= 0.0:
            rec = (t, np.int64(PLANT), np.int64(st), tex, iu, iv, np.int64(x), np.int64(y), np.int64(z))
            return True, rec, liq, True
        return False, NO_REC, liq, True
    if k == S_SLAB:
        tc = _face_t(fin, x, y, z, ex, ey, ez, dx, dy, dz) if fin >= 0 else 0.0
        t, face = _slab_hit(st, y, tc, _face_t(fout, x, y, z, ex, ey, ez, dx, dy, dz), fin, ey, dy, slab)
        if t >= 0.0:
            return True, _record(face, st, x, y, z, t, ex, ey, ez, dx, dy, dz, info), liq, True
        return False, NO_REC, liq, True
    if fin < 0 or cull or k == S_AIR or k == S_LIQUID and liq[0] >= 0.0:
        return False, NO_REC, liq, False  # inside it, a hidden face, or a second liquid surface
    rec = _record(fin, st, x, y, z, _face_t(fin, x, y, z, ex, ey, ez, dx, dy, dz), ex, ey, ez, dx, dy, dz, info)
    alpha = _tx(at, rec[3], rec[4], rec[5], 3)
    if k == S_GLASS:
        return alpha != 0, rec, liq, True
    if alpha == 255:
        return True, rec, liq, True
    return False, NO_REC, rec, True


@_hot
def _axis_setup(e, i, d):
    """DDA step, distance between grid planes, distance to the first plane, and 1/d along one axis."""
    inv = 1.0 / d
    if d > 0.0:
        return 1, inv, (i + 1 - e) * inv, inv
    if d < 0.0:
        return -1, -inv, (i - e) * inv, inv
    return 0, INF, INF, inv


@_hot
def _box_exit(e, i, d, inv, lg):
    """Distance at which the ray leaves, along one axis, the aligned box of side 2**lg holding cell i."""
    b0 = (i >> lg) << lg
    if d > 0.0:
        return (b0 + (1 << lg) - e) * inv
    if d < 0.0:
        return (b0 - e) * inv
    return INF


@_hot
def _jump_axis(e, i, d, st, t, lg, leaving):
    """Cell index along one axis just after leaving a box at distance t (outside it along the
    leaving axis, clamped inside it along the others against rounding)."""
    b0 = (i >> lg) << lg
    if leaving:
        return b0 + (1 << lg) if st > 0 else b0 - 1
    return min(max(int(math.floor(e + d * t)), b0), b0 + (1 << lg) - 1)


@_hot
def _key(x, y, z, face, ecx, ecz):
    """One non-negative int64 naming a face of a cell, or (face K_SKY / K_FOG) the cell where a
    ray left; x and z relative to the eye's cell (ecx, ecz)."""
    return (((np.int64(x) - ecx + 0x80000) << 40) | ((np.int64(z) - ecz + 0x80000) << 20)
            | ((np.int64(y) + 1) << 3) | face)


@_hot
def _end(pure, x, y, z, face, ecx, ecz):
    """The key of a ray's end if the ray crossed only air or recorded see-through cells, else -1."""
    return _key(x, y, z, face, ecx, ecz) if pure else np.int64(-1)


@_hot
def _unkey(key, ecx, ecz):
    """(x, y, z, face) of a key."""
    return (key >> 40) + ecx - 0x80000, ((key >> 3) & 0x1FFFF) - 1, ((key >> 20) & 0xFFFFF) + ecz - 0x80000, key & 7


@_hot
def _pack(x, y, z, fin, fout, st, ecx, ecz):
    """A see-through cell on a ray, relative to the eye's column, in one int64."""
    return ((x - ecx + 512) << 36) | ((z - ecz + 512) << 26) | (y << 18) | (fin << 15) | (fout << 12) | st


@_hot
def _unpack(v, ecx, ecz):
    """(x, y, z, fin, fout, state) of a packed see-through cell."""
    return (((v >> 36) & 1023) + ecx - 512, (v >> 18) & 255, ((v >> 26) & 1023) + ecz - 512,
            (v >> 15) & 7, (v >> 12) & 7, v & 4095)


# ============================================================ march

@_hot
def _march(fr, p, dx, dy, dz, tlim, bl, cm, sc, m4, m16, info, slab, at, srec):
    """Walk pixel p's ray to the first visible texel, recording in srec[p] the see-through cells
    it crosses (for tile fills).

    Returns (status, hit, liquid, key, sig): status 0 = nothing before ``tlim`` (sky), 1 = hit,
    2 = unloaded chunk at distance hit[0]; hit and liquid are surface records (liquid t < 0:
    none). When the ray ended on an opaque cube, above every column top or at ``tlim`` (K_SKY),
    or in an unloaded chunk (K_FOG) after at most NPASS see-through cells, key names that end;
    else -1. sig hashes the sequence of steps (and the cells where jumps over open air land),
    which fixes the sequence of cells and jumped regions crossed. A ray stopped by ``tlim`` gets
    the unique sig -1 - p instead (the rays around it cross the view distance in other cells), so
    only the sky test (render_sky) fills around it.
    """
    ex, ey, ez = fr[F_EX], fr[F_EY], fr[F_EZ]
    ix, iy, iz = int(fr[F_ECX]), int(fr[F_ECY]), int(fr[F_ECZ])  # the eye's cell, found once per frame
    ecx, ecz = ix, iz
    stx, tdx, tmx, vx = _axis_setup(ex, ix, dx)
    sty, tdy, tmy, vy = _axis_setup(ey, iy, dy)
    stz, tdz, tmz, vz = _axis_setup(ez, iz, dz)
    srec[p * N_REC + R_NPASS] = 0
    ccx, ccz = ix >> 4, iz >> 4
    if fr[F_ESTATE] < 0.0:  # the eye's chunk is not loaded
        return 2, (0.0, 0, 0, 0, 0, 0, 0, 0, 0), NO_REC, _key(ix, iy, iz, K_FOG, ecx, ecz), np.int64(0)
    if iy < 0:  # eye below the world: bedrock all round
        rec = _record(UP, BEDROCK, ix, iy, iz, 0.0, ex, ey, ez, dx, dy, dz, info)
        return 1, rec, NO_REC, np.int64(-1), np.int64(0)
    prev, liq = np.int64(fr[F_ESTATE]), NO_REC
    if prev != 0:  # the eye's own cell: plants and slabs around the eye still show
        fout = _exit_face(tmx, tmy, tmz, stx, sty, stz)
        found, rec, liq, _ = _test_cell(prev, info[prev * 8 + I_SHAPE], False, ix, iy, iz, -1, fout, liq,
                                        ex, ey, ez, dx, dy, dz, info, slab, at)
        if found:
            return 1, rec, liq, np.int64(-1), np.int64(0)
    # An eye inside an opaque cube or glass looks out of it the same way for every ray.
    pure = prev == 0 or info[prev * 8 + I_SHAPE] == S_CUBE or info[prev * 8 + I_SHAPE] == S_GLASS
    sig, npass = np.int64(0), 0
    gmax = int(fr[F_GMAX]) if dy > 0.0 else 1 << 30  # a rising ray above every column top sees only sky
    if iy > gmax:
        return 0, NO_REC, liq, _end(pure, ix, iy, iz, K_SKY, ecx, ecz), sig
    jumped = False
    while True:
        if jumped:  # already in the cell where a jump landed
            jumped = False
        else:
            if tmx < tmy and tmx < tmz:
                t, ix, tmx, ax = tmx, ix + stx, tmx + tdx, 2
            elif tmy < tmz:
                t, iy, tmy, ax = tmy, iy + sty, tmy + tdy, 0
            else:
                t, iz, tmz, ax = tmz, iz + stz, tmz + tdz, 1
            if t > tlim:
                return 0, NO_REC, liq, _end(pure, ix, iy, iz, K_SKY, ecx, ecz), -1 - p
            sig = sig * 1000003 + ax + 1  # wraps; equal signatures mean equal step sequences
        if ax == 0:
            if iy > gmax or iy >= HEIGHT:
                return 0, NO_REC, liq, _end(pure, ix, iy, iz, K_SKY, ecx, ecz), sig
            if iy < 0:  # bedrock below the world
                rec = _record(UP, BEDROCK, ix, iy, iz, _face_t(UP, ix, iy, iz, ex, ey, ez, dx, dy, dz),
                              ex, ey, ez, dx, dy, dz, info)
                return 1, rec, liq, _end(pure, ix, iy, iz, UP, ecx, ecz), sig
        elif (ix >> 4) != ccx or (iz >> 4) != ccz:
            ccx, ccz = ix >> 4, iz >> 4
            if not _loaded(sc, ccx, ccz):
                return 2, (t, 0, 0, 0, 0, 0, 0, 0, 0), liq, _end(pure, ix, iy, iz, K_FOG, ecx, ecz), sig
        col = _col(ix, iz)
        if iy <= cm[col]:
            st = np.int64(bl[(col << 8) | iy])
            if st == 0:
                prev = 0
                continue  # air below a column top (under leaves, in a cave): no jump from here
        else:  # above the column top: air; maybe above every top around, to jump over
            prev = 0
            jt, jx, jy, jz, jax = _column_jump(ex, ey, ez, dx, dy, dz, vx, vz, stx, stz, ix, iy, iz, m4, m16)
            if jt < 0.0:
                continue
            if jt > tlim:
                return 0, NO_REC, liq, _end(pure, ix, iy, iz, K_SKY, ecx, ecz), -1 - p
            t, ix, iy, iz, ax = jt, jx, jy, jz, jax
            if iy > gmax:  # rose above every column top in view
                return 0, NO_REC, liq, _end(pure, ix, iy, iz, K_SKY, ecx, ecz), sig
            tmx = (ix + (stx > 0) - ex) * vx if stx != 0 else INF
            tmy = (iy + (sty > 0) - ey) * vy if sty != 0 else INF
            tmz = (iz + (stz > 0) - ez) * vz if stz != 0 else INF
            sig = (sig * 1000003 + 4 + ax) * 1000003 + ((ix * 73856093) ^ (iy * 19349663) ^ (iz * 83492791))
            jumped = True
            continue
        k = info[st * 8 + I_SHAPE]
        face = _entry_face(ax, stx, sty, stz)
        if k == S_CUBE:
            rec = _record(face, st, ix, iy, iz, _face_t(face, ix, iy, iz, ex, ey, ez, dx, dy, dz),
                          ex, ey, ez, dx, dy, dz, info)
            return 1, rec, liq, _end(pure, ix, iy, iz, face, ecx, ecz), sig
        cull = st == prev if k == S_GLASS else (k == S_LIQUID and info[prev * 8 + I_SHAPE] == S_LIQUID)
        fout = _exit_face(tmx, tmy, tmz, stx, sty, stz)
        found, rec, liq, matters = _test_cell(st, k, cull, ix, iy, iz, face, fout, liq,
                                              ex, ey, ez, dx, dy, dz, info, slab, at)
        if found:
            return 1, rec, liq, np.int64(-1), sig
        if matters:  # other rays of a tile may see this cell differently: keep it for the fills
            if npass < NPASS:
                srec[p * N_REC + R_PASS + npass] = _pack(ix, iy, iz, face, fout, st, ecx, ecz)
                npass += 1
                srec[p * N_REC + R_NPASS] = npass
            else:
                pure = False
        prev = st


@_hot
def _column_jump(ex, ey, ez, dx, dy, dz, vx, vz, stx, stz, ix, iy, iz, m4, m16):
    """Where a ray in open-air cell (ix, iy, iz) leaves its 4x4 block of columns (or its chunk)
    sideways, if it stays above every column top there: (t, x, y, z, axis), t < 0 if it does not.

    That region is empty and convex, so every ray of a tile whose corner rays make the same jump
    crosses only air there and lands in the same cell (the landing cell enters the signature).
    """
    top4 = m4[(((ix >> 2) & 31) << 5) | ((iz >> 2) & 31)]
    if iy <= top4:
        return -1.0, ix, iy, iz, 0
    top16 = m16[(((ix >> 4) & 7) << 3) | ((iz >> 4) & 7)]
    lg, top = (4, top16) if iy > top16 else (2, top4)
    txe, tze = _box_exit(ex, ix, dx, vx, lg), _box_exit(ez, iz, dz, vz, lg)
    ax = 2 if txe < tze else 1
    t = min(txe, tze)
    if t == INF or dy < 0.0 and ey + dy * t < top + 1:
        return -1.0, ix, iy, iz, 0  # sinks below a column top before leaving
    jx = _jump_axis(ex, ix, dx, stx, t, lg, ax == 2)
    jz = _jump_axis(ez, iz, dz, stz, t, lg, ax == 1)
    return t, jx, max(int(math.floor(ey + dy * t)), top + 1), jz, ax


@_hot
def _entry_face(ax, stx, sty, stz):
    """Face of a cell a ray enters after a step along axis ax (0 = y, 1 = z, 2 = x)."""
    if ax == 2:
        return WEST if stx > 0 else EAST
    if ax == 0:
        return DOWN if sty > 0 else UP
    return NORTH if stz > 0 else SOUTH


@_hot
def _exit_face(tmx, tmy, tmz, stx, sty, stz):
    """Face by which the ray leaves its current cell (the next DDA step)."""
    if tmx < tmy and tmx < tmz:
        return EAST if stx > 0 else WEST
    if tmy < tmz:
        return UP if sty > 0 else DOWN
    return SOUTH if stz > 0 else NORTH
