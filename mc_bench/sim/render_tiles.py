"""The passes of a frame (*Tiles* in render.py's module docstring; "module doc" below means it).

Trace the rays of a list of pixels, then refine the image as a quadtree: tiles whose corner rays
agree are filled (an exact replay of a corner ray's cells, or the coplanar approximation), the
others split and their new corners are traced at the next level.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim.render_base import (
    F_ECX,
    F_ECZ,
    F_EX,
    F_EY,
    F_EZ,
    F_IH,
    F_INVW,
    F_SY,
    F_VD,
    I_SHAPE,
    INF,
    K_FOG,
    K_SKY,
    N_REC,
    NO_REC,
    P_FILLED,
    P_PENDING,
    P_TRACED,
    PLANE_WIDTH,
    R_KEY,
    R_NPASS,
    R_PASS,
    R_REP,
    R_SIG,
    STRIDE,
    _cam_ray,
    _camera,
    _hot,
    _kernel,
    _loaded,
    _ray,
    _state,
)
from mc_bench.sim.render_march import (
    _face_t,
    _key,
    _march,
    _record,
    _test_cell,
    _texel,
    _unkey,
    _unpack,
)
from mc_bench.sim.render_shade import (
    _base_light,
    _compose,
    _cracked,
    _put,
    _texel_rgb,
)
from mc_bench.sim.render_sky import SKY_SPAN, _sky_clear, _sky_corners, _sky_fill
from mc_bench.sim.textures import S_AIR, S_CUBE
from mc_bench.sim.world import HEIGHT

# ============================================================ passes

@_kernel
def _trace(fr, cfg, plist, n, w, has_ent, ent_t, ent_i, srec, pstate, stage, target, eye_liquid,
           bl, cm, sc, m4, m16, ef, ei, at, info, slab, item_tex, avg, crack, of):
    """March the rays of the n pixels in plist, draw them, and keep each ray's record for the tiles."""
    for q in range(n):
        p = plist[q]
        i = int((p + 0.5) * fr[F_INVW])
        j = p - i * w
        dx, dy, dz, n2 = _ray(fr, i, j)
        et = ent_t[p] if has_ent else INF
        tlim = min(fr[F_VD] / math.sqrt(n2), et)
        status, hit, liq, key, sig = _march(fr, p, dx, dy, dz, tlim, bl, cm, sc, m4, m16, info, slab, at, srec)
        srec[p * N_REC + R_KEY], srec[p * N_REC + R_SIG], srec[p * N_REC + R_REP] = key, sig, p
        pstate[p] = P_TRACED
        _compose(fr, cfg, p, dx, dy, dz, n2, status, hit, liq, et, ent_i[p] if has_ent else 0, stage, target,
                 eye_liquid, cm, at, info, crack, ef, ei, item_tex, avg, of)


@_hot
def _coherent(srec, a, b, c, d):
    """Whether the rays of pixels a, b, c, d crossed the same cells to the same end (see module doc)."""
    k, s = srec[a * N_REC + R_KEY], srec[a * N_REC + R_SIG]
    return (k >= 0 and srec[b * N_REC + R_KEY] == k and srec[c * N_REC + R_KEY] == k and srec[d * N_REC + R_KEY] == k
            and srec[b * N_REC + R_SIG] == s and srec[c * N_REC + R_SIG] == s and srec[d * N_REC + R_SIG] == s)


@_hot
def _replay(fr, srec, rep, key, dx, dy, dz, n2, bl, info, slab, at):
    """What a ray of a coherent tile meets: the see-through cells its corner ray recorded, tested
    for this ray, then the tile's common end. Returns (status, hit, liquid); status -1 when the
    end lies beyond the view distance (the pixel then gets its own march)."""
    ex, ey, ez = fr[F_EX], fr[F_EY], fr[F_EZ]
    ecx, ecz = int(fr[F_ECX]), int(fr[F_ECZ])
    liq = NO_REC
    for k in range(srec[rep * N_REC + R_NPASS]):
        x, y, z, fin, fout, st = _unpack(srec[rep * N_REC + R_PASS + k], ecx, ecz)
        found, rec, liq, _ = _test_cell(st, info[st * 8 + I_SHAPE], False, x, y, z, fin, fout, liq,
                                        ex, ey, ez, dx, dy, dz, info, slab, at)
        if found:
            return 1, rec, liq
    x, y, z, face = _unkey(key, ecx, ecz)
    if face == K_SKY:
        return 0, NO_REC, liq
    if face == K_FOG:
        return 2, NO_REC, liq
    st = _state(bl, x, y, z)
    t = _face_t(face, x, y, z, ex, ey, ez, dx, dy, dz)
    if t * t * n2 > fr[F_VD] * fr[F_VD]:
        return -1, NO_REC, liq
    return 1, _record(face, st, x, y, z, t, ex, ey, ez, dx, dy, dz, info), liq


@_hot
def _fill_tile(fr, cfg, a, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
               bl, cm, at, info, slab, crack, ef, ei, item_tex, avg, of):
    """Draw the pending pixels of a tile whose corner rays agree, without marching: corner a's
    record tells what each ray meets (see module doc)."""
    key, sig, rep = srec[a * N_REC + R_KEY], srec[a * N_REC + R_SIG], srec[a * N_REC + R_REP]
    x, y, z, face = _unkey(key, int(fr[F_ECX]), int(fr[F_ECZ]))
    if srec[rep * N_REC + R_NPASS] != 0 or face >= K_FOG:
        _fill_general(fr, cfg, key, sig, rep, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
                      bl, cm, at, info, slab, crack, ef, ei, item_tex, avg, of)
        return
    # One opaque face through air: its light and texture row serve the whole tile; per pixel the
    # arithmetic of _march and _compose for this case.
    st = _state(bl, x, y, z)
    ex, ey, ez = fr[F_EX], fr[F_EY], fr[F_EZ]
    b0 = _base_light(fr, face, st, x, y, z, cm, info)
    tex = np.int64(info[st * 8 + face])
    cracked = stage >= 0 and x == target[0] and y == target[1] and z == target[2]
    vd2, cam = fr[F_VD] * fr[F_VD], _camera(fr)
    for i in range(r0, r1 + 1):
        for j in range(c0, c1 + 1):
            p = i * w + j
            if pstate[p] != P_PENDING or (has_ent and ent_t[p] < INF):
                continue  # drawn already, or an item may stand in front: its own ray decides
            dx, dy, dz, n2 = _cam_ray(cam, i, j)
            t = _face_t(face, x, y, z, ex, ey, ez, dx, dy, dz)
            if t * t * n2 > vd2:
                continue  # beyond the view distance: leave it to its own ray
            iu, iv = _texel(face, ex + dx * t, ey + dy * t, ez + dz * t, x, y, z)
            b = _cracked(b0, crack, stage, iu, iv) if cracked else b0
            r, g, bb = _texel_rgb(fr, t, tex, iu, iv, b, dy, n2, at)
            _put(of, p, r, g, bb)
            srec[p * N_REC + R_KEY], srec[p * N_REC + R_SIG], srec[p * N_REC + R_REP] = key, sig, rep
            pstate[p] = P_FILLED


@_kernel
def _fill_general(fr, cfg, key, sig, rep, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
                  bl, cm, at, info, slab, crack, ef, ei, item_tex, avg, of):
    """Tile fill with see-through cells on the way (replayed per pixel), the sky, or fog."""
    for i in range(r0, r1 + 1):
        for j in range(c0, c1 + 1):
            p = i * w + j
            if pstate[p] != P_PENDING or (has_ent and ent_t[p] < INF):
                continue
            dx, dy, dz, n2 = _ray(fr, i, j)
            status, hit, liq = _replay(fr, srec, rep, key, dx, dy, dz, n2, bl, info, slab, at)
            if status < 0:
                continue
            _compose(fr, cfg, p, dx, dy, dz, n2, status, hit, liq, INF, 0, stage, target, False,
                     cm, at, info, crack, ef, ei, item_tex, avg, of)
            srec[p * N_REC + R_KEY], srec[p * N_REC + R_SIG], srec[p * N_REC + R_REP] = key, sig, rep
            pstate[p] = P_FILLED


@_hot
def _coplanar(fr, srec, a, b, c, d, span):
    """Whether the rays of pixels a, b, c, d all crossed only air to the same plane of cube faces
    (different cells allowed) and the tile's view cone is narrower than PLANE_WIDTH there."""
    k = srec[a * N_REC + R_KEY]
    if k < 0 or (k & 7) >= K_FOG:
        return False
    ecx, ecz = int(fr[F_ECX]), int(fr[F_ECZ])
    pa, far = _plane_of(k, ecx, ecz), 0.0
    for q in (a, b, c, d):
        kq = srec[q * N_REC + R_KEY]
        if kq < 0 or (kq & 7) != (k & 7) or _plane_of(kq, ecx, ecz) != pa:
            return False
        if srec[srec[q * N_REC + R_REP] * N_REC + R_NPASS] != 0:
            return False  # see-through cells on the way
        x, y, z, _ = _unkey(kq, ecx, ecz)
        far = max(far, (x + 0.5 - fr[F_EX]) ** 2 + (y + 0.5 - fr[F_EY]) ** 2 + (z + 0.5 - fr[F_EZ]) ** 2)
    width = span * fr[F_SY] * fr[F_IH]  # tile size in radians (the pixel pitch at the centre)
    return width * width * far < PLANE_WIDTH * PLANE_WIDTH


@_hot
def _plane_of(key, ecx, ecz):
    """Plane coordinate (along the face's axis) of the face a key names."""
    x, y, z, face = _unkey(key, ecx, ecz)
    a = face >> 1
    return (y if a == 0 else (z if a == 1 else x)) + (face & 1)


@_hot
def _plane_fill(fr, a, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
                bl, cm, sc, at, info, crack, of):
    """Draw the pending pixels of a tile whose corner rays met one plane of cube faces: each pixel
    takes the face where its ray meets the plane, if that face is an exposed opaque cube face.
    Neighbouring pixels mostly meet the same cell, so a cell's tests, light and key are reused."""
    key = srec[a * N_REC + R_KEY]
    ecx, ecz = int(fr[F_ECX]), int(fr[F_ECZ])
    face, c = key & 7, _plane_of(key, ecx, ecz)
    ax, solid = face >> 1, c - 1 if face & 1 else c  # the cube lies on the far side of the plane
    ex, ey, ez = fr[F_EX], fr[F_EY], fr[F_EZ]
    e = ey if ax == 0 else (ez if ax == 1 else ex)
    vd2, cam = fr[F_VD] * fr[F_VD], _camera(fr)
    px, py, pz, ok, b0, tex, k = -1, -1, -1, False, 0.0, np.int64(0), np.int64(0)  # the cell cached
    for i in range(r0, r1 + 1):
        for j in range(c0, c1 + 1):
            p = i * w + j
            if pstate[p] != P_PENDING or (has_ent and ent_t[p] < INF):
                continue
            dx, dy, dz, n2 = _cam_ray(cam, i, j)
            t = (c - e) / (dy if ax == 0 else (dz if ax == 1 else dx))  # = _face_t of the cell hit
            if not 0.0 < t or t * t * n2 > vd2:
                continue
            x = solid if ax == 2 else int(math.floor(ex + dx * t))
            y = solid if ax == 0 else int(math.floor(ey + dy * t))
            z = solid if ax == 1 else int(math.floor(ez + dz * t))
            if x != px or y != py or z != pz:
                px, py, pz = x, y, z
                ok = _exposed_cube(bl, sc, info, x, y, z, face)
                if ok:
                    st = _state(bl, x, y, z)
                    b0, tex, k = _base_light(fr, face, st, x, y, z, cm, info), np.int64(info[st * 8 + face]), \
                        _key(x, y, z, face, ecx, ecz)
            if not ok:
                continue  # something else there: leave it to its own ray
            iu, iv = _texel(face, ex + dx * t, ey + dy * t, ez + dz * t, x, y, z)
            cracked = stage >= 0 and x == target[0] and y == target[1] and z == target[2]
            r, g, bb = _texel_rgb(fr, t, tex, iu, iv, _cracked(b0, crack, stage, iu, iv) if cracked else b0,
                                  dy, n2, at)
            _put(of, p, r, g, bb)
            o = p * N_REC  # its own record, with a unique signature: never part of an exact fill
            srec[o + R_KEY], srec[o + R_SIG] = k, -1 - p
            srec[o + R_REP], srec[o + R_NPASS] = p, 0
            pstate[p] = P_FILLED


@_hot
def _exposed_cube(bl, sc, info, x, y, z, face):
    """Whether cell (x, y, z) is a loaded opaque cube whose neighbour across ``face`` is air."""
    if y < 0 or y >= HEIGHT or not _loaded(sc, x >> 4, z >> 4):
        return False
    if info[_state(bl, x, y, z) * 8 + I_SHAPE] != S_CUBE:
        return False
    a, s = face >> 1, (face & 1) * 2 - 1
    nx, ny, nz = x + (s if a == 2 else 0), y + (s if a == 0 else 0), z + (s if a == 1 else 0)
    if ny < 0 or ny >= HEIGHT:
        return ny >= HEIGHT
    if not _loaded(sc, nx >> 4, nz >> 4):
        return False
    n = _state(bl, nx, ny, nz)
    return n == 0 or info[n * 8 + I_SHAPE] == S_AIR


@_kernel
def _refine(fr, cfg, tiles, nt, nxt, plist, w, has_ent, ent_t, srec, pstate, stage, target,
            bl, cm, sc, m4, at, info, slab, crack, ef, ei, item_tex, avg, of):
    """One quadtree level: fill the tiles whose corner rays agree, split the others.

    Returns (child tiles written to nxt, new sample pixels written to plist) for the next level.
    """
    nc, n = 0, 0
    for k in range(nt):
        r0, r1, c0, c1 = tiles[k, 0], tiles[k, 1], tiles[k, 2], tiles[k, 3]
        if r1 - r0 <= 1 and c1 - c0 <= 1:
            continue  # every pixel of the tile is a corner: traced or filled already
        a = r0 * w + c0
        b, c, d = r0 * w + c1, r1 * w + c0, r1 * w + c1
        if _coherent(srec, a, b, c, d):
            _fill_tile(fr, cfg, a, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
                       bl, cm, at, info, slab, crack, ef, ei, item_tex, avg, of)
            continue
        if _coplanar(fr, srec, a, b, c, d, max(r1 - r0, c1 - c0)):
            _plane_fill(fr, a, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
                        bl, cm, sc, at, info, crack, of)
            continue
        if max(r1 - r0, c1 - c0) >= SKY_SPAN and _sky_corners(srec, a, b, c, d) and \
                _sky_clear(fr, w, bl, cm, sc, m4, a, b, c, d):
            _sky_fill(fr, cfg, a, r0, r1, c0, c1, w, has_ent, ent_t, srec, pstate, stage, target,
                      cm, at, info, crack, ef, ei, item_tex, avg, of)
            continue
        rm = (r0 + r1) // 2 if r1 - r0 >= 2 else r1  # split each side longer than one pixel step
        cm_ = (c0 + c1) // 2 if c1 - c0 >= 2 else c1
        for (i, j, e, f) in ((r0, cm_, a, b), (rm, c0, a, c), (rm, cm_, -1, -1), (rm, c1, b, d), (r1, cm_, c, d)):
            p = i * w + j
            if pstate[p] == P_PENDING and e >= 0 and _coherent(srec, e, f, e, f):
                # the ray between two agreeing rays of an edge agrees with them too: a one-pixel fill
                _fill_tile(fr, cfg, e, i, i, j, j, w, has_ent, ent_t, srec, pstate, stage, target,
                           bl, cm, at, info, slab, crack, ef, ei, item_tex, avg, of)
            if pstate[p] == P_PENDING:
                pstate[p] = P_TRACED  # queued: traced before the next level
                plist[n] = p
                n += 1
        for u in range(2 if rm != r1 else 1):  # children: the halves of each side that split
            ra, rb = (r0, rm) if u == 0 and rm != r1 else (rm if rm != r1 else r0, r1)
            for v in range(2 if cm_ != c1 else 1):
                ca, cb = (c0, cm_) if v == 0 and cm_ != c1 else (cm_ if cm_ != c1 else c0, c1)
                nxt[nc, 0], nxt[nc, 1], nxt[nc, 2], nxt[nc, 3] = ra, rb, ca, cb
                nc += 1
    return nc, n


@_kernel
def _top_tiles(h, w, tiles):
    """First quadtree level: STRIDE-spaced sample rows and columns (plus the last) and the tiles between."""
    nr, nc = ((h - 2) // STRIDE + 2 if h > 1 else 1), ((w - 2) // STRIDE + 2 if w > 1 else 1)
    nt = 0
    for kr in range(max(nr - 1, 1)):
        r0, r1 = min(kr * STRIDE, h - 1), (min((kr + 1) * STRIDE, h - 1) if nr > 1 else 0)
        for kc in range(max(nc - 1, 1)):
            c0, c1 = min(kc * STRIDE, w - 1), (min((kc + 1) * STRIDE, w - 1) if nc > 1 else 0)
            tiles[nt, 0], tiles[nt, 1], tiles[nt, 2], tiles[nt, 3] = r0, r1, c0, c1
            nt += 1
    return nt
