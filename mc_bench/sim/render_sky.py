"""Sky tiles: an exact fill for tiles whose corner rays all rise into open sky.

Such rays cross different cells on their way up, so their tiles are never coherent and, without
this test, every pixel of a sky region beside a tree or a hill would be marched. The rays of a
tile are the convex hull of its corner rays, so (the eye's cell being air) each of them rises at
least as steeply as the flattest corner, and stays horizontally inside the corners' wedge. If
every column that wedge reaches before the flattest ray climbs above the highest column top in
view (``F_GMAX``) lies below that ray there, every ray of the tile crosses only air and ends as
sky, which is what marching it gives.
"""

from __future__ import annotations

import math

from mc_bench.sim.render_base import (
    F_ESTATE,
    F_EX,
    F_EY,
    F_EZ,
    F_GMAX,
    F_INVW,
    F_VD,
    INF,
    K_SKY,
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
    _loaded,
)
from mc_bench.sim.render_shade import _compose

SKY_REACH = 20.0  # farthest horizontal distance (blocks) the test follows the flattest ray
SKY_SPAN = 4  # smallest tile side (pixels) worth the test: smaller ones march their few pixels
SAFE = 1e-6  # margin (blocks) between a ray and a column top, for rounding in the march


@_hot
def _sky_corners(srec, a, b, c, d):
    """Whether the rays of pixels a, b, c, d all crossed only air into open sky."""
    for q in (a, b, c, d):
        k = srec[q * N_REC + R_KEY]
        if k < 0 or (k & 7) != K_SKY or srec[srec[q * N_REC + R_REP] * N_REC + R_NPASS] != 0:
            return False
    return True


@_hot
def _sky_clear(fr, w, cm, sc, m4, a, b, c, d):
    """Whether every ray between the corner rays of pixels a, b, c, d sees sky (module doc)."""
    if fr[F_ESTATE] != 0.0:
        return False  # the eye's own cell is not air (the march tests it first)
    ex, ey, ez = fr[F_EX], fr[F_EY], fr[F_EZ]
    climb = fr[F_GMAX] + 1.0 - ey
    if climb <= 0.0:
        return True  # above every column top in view
    cam, slope = _camera(fr), INF
    ux, uz = (0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0)
    for k, q in enumerate((a, b, c, d)):
        i = int((q + 0.5) * fr[F_INVW])
        dx, dy, dz, _ = _cam_ray(cam, i, q - i * w)
        hz = math.sqrt(dx * dx + dz * dz)
        if dy <= 0.0:
            return False
        if hz > 0.0:
            slope = min(slope, dy / hz)
            ux, uz = _set4(ux, k, dx / hz), _set4(uz, k, dz / hz)
    reach = climb / slope  # 0 when every corner looks straight up
    radius = reach * 1.4143 + 1.0  # corner points this far out bound the wedge's sector of radius reach
    if reach > SKY_REACH or radius > fr[F_VD]:
        return False  # too far to test cheaply (or past the column maxima of this frame)
    for k in range(4):
        for q in range(k + 1, 4):
            if ux[k] * ux[q] + uz[k] * uz[q] < 0.0:
                return False  # a wedge wider than 90 degrees (a tile around the zenith)
    x0, x1 = min(ex, ex + min(ux) * radius), max(ex, ex + max(ux) * radius)
    z0, z1 = min(ez, ez + min(uz) * radius), max(ez, ez + max(uz) * radius)
    for bx in range(int(math.floor(x0)) >> 2, (int(math.floor(x1)) >> 2) + 1):
        for bz in range(int(math.floor(z0)) >> 2, (int(math.floor(z1)) >> 2) + 1):
            if not _loaded(sc, bx >> 2, bz >> 2):
                return False
            if not _under(m4[((bx & 31) << 5) | (bz & 31)], bx << 2, bz << 2, 4, ex, ey, ez, slope):
                for k in range(16):  # some column of the 4x4 block may reach the rays: test each
                    x, z = (bx << 2) + (k >> 2), (bz << 2) + (k & 3)
                    if x0 - 1.0 <= x <= x1 and z0 - 1.0 <= z <= z1 and \
                            not _under(cm[_col(x, z)], x, z, 1, ex, ey, ez, slope):
                        return False
    return True


@_hot
def _set4(v, k, x):
    """Tuple v with element k replaced by x."""
    return (x if k == 0 else v[0], x if k == 1 else v[1], x if k == 2 else v[2], x if k == 3 else v[3])


@_hot
def _under(top, x, z, size, ex, ey, ez, slope):
    """Whether a square of columns (corner x, z, side size) with this top lies below every ray
    rising at ``slope`` or steeper from the eye."""
    hx = max(x - ex, 0.0, ex - (x + size))
    hz = max(z - ez, 0.0, ez - (z + size))
    return top + 1.0 + SAFE <= ey + slope * math.sqrt(hx * hx + hz * hz)


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
