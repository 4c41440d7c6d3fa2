"""First-person ray-casting renderer and top-down map (numba, single thread).

Pixels are a pure function of (world, engine state, renderer settings); one numba call draws a
frame, and each pixel's colour is what the eye ray through its centre meets:

* **March.** A 3-D DDA walks the ray cell by cell. A cell above its column's top block
  (``colmax``) is air without reading the block array; a ray above every column top of its 4x4
  block of columns (or of its whole chunk; maxima taken once per frame) jumps to where it leaves
  that block, and a rising ray above the highest column top in view ends as sky at once. Cells
  of unloaded chunks end the ray in fog colour.
* **Tiles.** Rays are first cast through every ``STRIDE``-th row and column, then the image is
  refined as a quadtree. A ray's cell sequence only changes where the ray crosses a grid edge, so
  when the rays through a tile's corners cross exactly the same cells (equal step-axis
  signatures), all air or see-through, to the same opaque cube face (or out above every column
  top, or into the same unloaded chunk), no grid edge lies inside the tile's view cone and every
  ray of the tile crosses those same cells. Its pixels then need only the face plane's distance,
  plus the tests of the few see-through cells on the way (plants, glass, water, slabs), which the
  corner ray recorded. Traced and filled pixels run the same arithmetic, so such a fill equals
  marching every ray. One approximation: a small tile whose corner rays reach one plane of cube
  faces (different cells) and whose view cone there is narrower than ``PLANE_WIDTH`` blocks is
  filled by intersecting that plane, checking per pixel that the face hit is an exposed opaque
  cube; it can miss a sliver of something poking between the corner rays (measured: about 1
  pixel in 100,000 differs from marching every ray). Other tiles split and march their corners.
* **Surfaces.** Opaque cubes, glass (cut-out texels), crossed-plane plants (cut-out texels),
  low boxes (slabs, snow layers) and liquids (the first liquid surface is blended over what lies
  behind). Faces are shaded like Minecraft (top 1.0, north/south 0.8, east/west 0.6, bottom 0.5)
  and lit by a sky-light estimate: full light above the column top, dimmer the deeper below it,
  less the time-of-day darkening of mechanics §6. Linear fog to the sky colour over the last part
  of the view distance.
* **Entities.** Item boxes are projected to their screen rectangles first; only pixels inside a
  rectangle test the box, leaving a per-pixel entity distance that caps that pixel's march.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.light import sky_state
from mc_bench.sim.state import (
    BREAK,
    ECOLOR,
    EH,
    EITEM,
    EKIND,
    EMETA,
    EW,
    EX,
    EY,
    EYE,
    EYE_SNEAK,
    EZ,
    IT_COUNT,
    IT_ID,
    IT_META,
    PITCH,
    PX,
    PY,
    PZ,
    SLOT,
    SNEAK,
    TBX,
    TBY,
    TBZ,
    TVALID,
    WORLD_TIME,
    YAW,
)
from mc_bench.sim.textures import (
    S_AIR,
    S_CROSS,
    S_CUBE,
    S_GLASS,
    S_LIQUID,
    S_SLAB,
    get_textures,
)
from mc_bench.sim.world import HEIGHT, SIZE

__all__ = ["Renderer"]

# No reference counting in these kernels (they never allocate): numba's refcount calls on array
# arguments would cost more than the arithmetic of a pixel. error_model="numpy": a division by
# zero gives inf (the DDA relies on it) instead of a checked raise.
_kernel = njit(_nrt=False, error_model="numpy")
_hot = njit(inline="always", _nrt=False, error_model="numpy")  # per-pixel helpers, inlined

INF = np.inf
BEDROCK = 7 << 4  # state below y = 0 (world.get_state)
DOWN, UP, NORTH, SOUTH, WEST, EAST, PLANT = range(7)  # textures.FACES order; 6 = plant planes
I_SHAPE, I_EMIT = 6, 7  # columns of TextureSet.info after the six face textures
K_FOG, K_SKY = 6, 7  # key codes (in place of a face) of rays ending in an unloaded chunk / the sky
STRIDE = 8  # spacing of the first sample rays, in pixels
NPASS = 4  # see-through cells a ray may cross and still let its tile be filled
PLANE_WIDTH = 0.75  # widest view cone (blocks) a tile of coplanar corner hits may be filled across
P_PENDING, P_TRACED, P_FILLED = 0, 1, 2  # pixel states while drawing a frame
# Columns of the per-pixel ray records: end key, step signature, representative traced pixel,
# number of see-through cells crossed, then those cells (packed).
R_KEY, R_SIG, R_REP, R_NPASS, R_PASS = range(5)
N_REC = R_PASS + NPASS
NO_REC = (-1.0, 0, 0, 0, 0, 0, 0, 0, 0)  # surface record (t, face, state, tex, iu, iv, x, y, z); t < 0 = none

# ---- static settings, float64 cfg[] (built once in Renderer.__init__) ----
C_TANV, C_VD, C_FOG0, C_HUD, C_EYE, C_EYE_SNEAK = range(6)
C_SKY, C_FOG, C_SUN, C_MOON, C_UW = 6, 9, 12, 15, 18  # RGB triples
C_SHADE = 21  # 7 face shades
C_TILES = 28  # 1: tile fills (default); 0: every pixel marched, the exact reference
N_CFG = 29

# ---- per-frame values, float64 fr[] (filled by _frame_setup) ----
F_EX, F_EY, F_EZ = 0, 1, 2
F_FX, F_FY, F_FZ, F_RX, F_RY, F_RZ, F_UX, F_UY, F_UZ = range(3, 12)
F_SX, F_SY = 12, 13  # half extent of the image plane at distance 1
F_SKY, F_FOG = 14, 17  # zenith and horizon colour now
F_SUN = 20  # sun direction
F_SKYSUB = 23  # sky light subtracted now (mechanics §6 `s`)
F_VD, F_FOG0, F_FOGK, F_GMAX, F_DAY = 24, 25, 26, 27, 28
F_IW, F_IH, F_INVW = 29, 30, 31  # 2 / width, 2 / height, 1 / width
F_LIGHT = 32  # 16 brightness factors by light level
F_SHADE = 48  # 7 face shades
F_ECX, F_ECY, F_ECZ, F_ESTATE = 56, 57, 58, 59  # the eye's cell and its block state (0 if none)
N_FR = 64


# ============================================================ frame setup

@_kernel
def _frame_setup(pf, pi, cfg, h, w, fr):
    """Camera basis, sky colours and light table of this frame into ``fr``."""
    yaw, pitch = math.radians(pf[YAW]), math.radians(pf[PITCH])
    cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    fr[F_EX], fr[F_EZ] = pf[PX], pf[PZ]
    fr[F_EY] = pf[PY] + (cfg[C_EYE_SNEAK] if pi[SNEAK] else cfg[C_EYE])
    fr[F_FX], fr[F_FY], fr[F_FZ] = -sy * cp, -sp, cy * cp  # yaw 0 faces +z, pitch > 0 looks down
    fr[F_RX], fr[F_RY], fr[F_RZ] = -cy, 0.0, -sy
    fr[F_UX], fr[F_UY], fr[F_UZ] = -sy * sp, cp, cy * sp  # right x forward
    fr[F_SY] = cfg[C_TANV]
    fr[F_SX] = cfg[C_TANV] * w / h
    fr[F_IW], fr[F_IH], fr[F_INVW] = 2.0 / w, 2.0 / h, 1.0 / w
    s, angle = sky_state(pi[WORLD_TIME])
    fr[F_SKYSUB] = s
    # Minecraft scales sky and fog colours by the sun height: clamp(cos(2 pi a) * 2 + 0.5, 0, 1).
    day = min(max(math.cos(2.0 * math.pi * angle) * 2.0 + 0.5, 0.0), 1.0)
    fr[F_DAY] = day
    for c in range(3):
        fr[F_SKY + c] = cfg[C_SKY + c] * day
        fr[F_FOG + c] = cfg[C_FOG + c] * (day * 0.94 + 0.06)
    fr[F_SUN], fr[F_SUN + 1], fr[F_SUN + 2] = -math.sin(2.0 * math.pi * angle), math.cos(2.0 * math.pi * angle), 0.0
    fr[F_VD] = cfg[C_VD]
    fr[F_FOG0] = cfg[C_VD] * cfg[C_FOG0]
    fr[F_FOGK] = 1.0 / max(cfg[C_VD] - fr[F_FOG0], 1e-6)
    for lv in range(16):  # Minecraft's light-level brightness curve, plus a small ambient floor
        q = 1.0 - lv / 15.0
        fr[F_LIGHT + lv] = 0.04 + 0.96 * (1.0 - q) / (q * 3.0 + 1.0)
    for k in range(7):
        fr[F_SHADE + k] = cfg[C_SHADE + k]


@_hot
def _loaded(sc, cx, cz):
    """Whether chunk (cx, cz) is in the ring buffer (``sc``: world.slot_chunk flattened)."""
    s = (((cx & 7) << 3) | (cz & 7)) << 1
    return sc[s] == cx and sc[s + 1] == cz


@_hot
def _col(x, z):
    """Index of world column (x, z) in the flattened colmax; times HEIGHT, of its cells."""
    return ((x & 127) << 7) | (z & 127)


@_kernel
def _column_tops(cm, sc, ex, ez, vd, m4, m16):
    """Highest column top per 4x4 block of columns and per chunk, over the loaded chunks in view
    (HEIGHT elsewhere, so no ray jumps there); returns the highest of all."""
    m16[:] = HEIGHT
    gtop = -1
    for cx in range(int(math.floor(ex - vd - 1)) >> 4, (int(math.floor(ex + vd + 1)) >> 4) + 1):
        for cz in range(int(math.floor(ez - vd - 1)) >> 4, (int(math.floor(ez + vd + 1)) >> 4) + 1):
            if not _loaded(sc, cx, cz):
                for b in range(16):  # a stale slot: block all jumps there
                    m4[((((cx << 2) + (b >> 2)) & 31) << 5) | (((cz << 2) + (b & 3)) & 31)] = HEIGHT
                continue
            ctop = -1
            for b in range(16):
                bx, bz = (cx << 2) + (b >> 2), (cz << 2) + (b & 3)
                top = -1
                for k in range(16):
                    top = max(top, np.int64(cm[_col((bx << 2) + (k >> 2), (bz << 2) + (k & 3))]))
                m4[((bx & 31) << 5) | (bz & 31)] = top
                ctop = max(ctop, top)
            m16[((cx & 7) << 3) | (cz & 7)] = ctop
            gtop = max(gtop, ctop)
    return gtop


@_hot
def _ray(fr, i, j):
    """Direction of the ray through the centre of pixel (row i, column j), not normalised: its
    component along the view axis is 1, distances along it are in units of its length; and the
    squared length."""
    sx = ((j + 0.5) * fr[F_IW] - 1.0) * fr[F_SX]
    sy = (1.0 - (i + 0.5) * fr[F_IH]) * fr[F_SY]
    dx = fr[F_FX] + sx * fr[F_RX] + sy * fr[F_UX]
    dy = fr[F_FY] + sx * fr[F_RY] + sy * fr[F_UY]
    dz = fr[F_FZ] + sx * fr[F_RZ] + sy * fr[F_UZ]
    return dx, dy, dz, dx * dx + dy * dy + dz * dz


# ============================================================ surfaces

@_hot
def _tx(at, tex, iu, iv, c):
    """Channel c (3 = alpha) of texel (iu, iv) of atlas row tex (flattened atlas)."""
    return at[(((tex << 8) | (iv << 4) | iu) << 2) | c]


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
    none). When the ray ended on an opaque cube, above every column top (K_SKY) or in an unloaded
    chunk (K_FOG) after at most NPASS see-through cells, key names that end; else -1. sig hashes
    the sequence of steps (and the cells where jumps over open air land), which fixes the
    sequence of cells and jumped regions crossed.
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
                return 0, NO_REC, liq, np.int64(-1), sig
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
                return 0, NO_REC, liq, np.int64(-1), sig
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


# ============================================================ shading

@_hot
def _light(fr, cm, x, y, z, face):
    """Brightness of a face from a sky-light estimate in the cell in front of it (above, for plants)."""
    f = UP if face == PLANT else face
    a, s = f >> 1, (f & 1) * 2 - 1  # axis and side of the face
    y += s if a == 0 else 0
    z += s if a == 1 else 0
    x += s if a == 2 else 0
    depth = cm[_col(x, z)] - y  # blocks of cover above that cell
    level = 15 if depth < 0 else max(0, 14 - (depth >> 1))
    return fr[F_LIGHT + max(0, level - int(fr[F_SKYSUB]))]


@_hot
def _fog(fr, t, n2):
    """Fog fraction at distance t along a ray of squared length n2 (no square root before the fog)."""
    d2 = t * t * n2
    if d2 <= fr[F_FOG0] * fr[F_FOG0]:
        return 0.0
    return min((math.sqrt(d2) - fr[F_FOG0]) * fr[F_FOGK], 1.0)


@_hot
def _sun(fr, cfg, dx, dy, dz):
    """Square sun (or moon, opposite) seen along a ray: (weight 0 or 1, cfg offset of its colour).
    Branch-free, so pixel loops overlap."""
    sx, sy = fr[F_SUN], fr[F_SUN + 1]
    d = dx * sx + dy * sy
    moon = d < 0.0
    size = abs(d) * (0.09 if moon else 0.12)
    a = dx * sy - dy * sx  # the sun's path lies in the x-y plane: measure across it and along z
    glow = (dy > 0.0) & (abs(a) < size) & (abs(dz) < size)
    return (1.0 if glow else 0.0), (C_MOON if moon else C_SUN)


@_hot
def _base_light(fr, face, st, x, y, z, cm, info):
    """Face shade times light (1 for emitting blocks): the texel factor of a whole face."""
    return fr[F_SHADE + face] * (1.0 if info[st * 8 + I_EMIT] else _light(fr, cm, x, y, z, face))


@_hot
def _cracked(b, crack, stage, iu, iv):
    """Brightness b of a texel of the block being broken: dark crack lines, slightly darker elsewhere."""
    return b * (0.25 if crack[(stage << 8) | (iv << 4) | iu] else 1.0 - 0.03 * stage)


@_hot
def _brightness(fr, rec, cm, info, crack, target, stage):
    """Factor applied to a surface record's texel: face shade, light, break cracks."""
    t, face, st, tex, iu, iv, x, y, z = rec
    b = _base_light(fr, face, st, x, y, z, cm, info)
    if stage >= 0 and x == target[0] and y == target[1] and z == target[2]:
        b = _cracked(b, crack, stage, iu, iv)
    return b


@_hot
def _sky_rgb(fr, dy, n2):
    """Sky along a ray that met nothing: horizon fog brightening to the zenith colour."""
    k = min(max(dy * 2.5 / math.sqrt(n2), 0.0), 1.0)
    return (fr[F_FOG] + (fr[F_SKY] - fr[F_FOG]) * k, fr[F_FOG + 1] + (fr[F_SKY + 1] - fr[F_FOG + 1]) * k,
            fr[F_FOG + 2] + (fr[F_SKY + 2] - fr[F_FOG + 2]) * k)


@_hot
def _sky_pixel(fr, cfg, dx, dy, dz, n2):
    """Sky colour along a ray, with the sun or moon disc."""
    r, g, b = _sky_rgb(fr, dy, n2)
    glow, gcol = _sun(fr, cfg, dx, dy, dz)
    k = (fr[F_DAY] if gcol == C_SUN else 0.8) * glow
    return r + cfg[gcol] * k, g + cfg[gcol + 1] * k, b + cfg[gcol + 2] * k


@_hot
def _texel_rgb(fr, t, tex, iu, iv, b, dy, n2, at):
    """Texel times brightness b, fogged by its distance t."""
    r, g, bl = _tx(at, tex, iu, iv, 0) * b, _tx(at, tex, iu, iv, 1) * b, _tx(at, tex, iu, iv, 2) * b
    f = _fog(fr, t, n2)
    if f > 0.0:
        sr, sg, sb = _sky_rgb(fr, dy, n2)
        r, g, bl = r + (sr - r) * f, g + (sg - g) * f, bl + (sb - bl) * f
    return r, g, bl


@_hot
def _put(of, p, r, g, b):
    """Pixel p of the flattened image = rounded, clamped RGB."""
    of[3 * p] = np.uint8(min(max(r + 0.5, 0.0), 255.0))
    of[3 * p + 1] = np.uint8(min(max(g + 0.5, 0.0), 255.0))
    of[3 * p + 2] = np.uint8(min(max(b + 0.5, 0.0), 255.0))


@_hot
def _compose(fr, cfg, p, dx, dy, dz, n2, status, hit, liq, et, e, stage, target, eye_liquid,
             cm, at, info, crack, ef, ei, item_tex, avg, of):
    """Final colour of pixel p from what its ray met: surface, entity, sky or fog; liquids blended."""
    if status == 1:
        b = _brightness(fr, hit, cm, info, crack, target, stage)
        r, g, b = _texel_rgb(fr, hit[0], hit[3], hit[4], hit[5], b, dy, n2, at)
    elif status == 2:
        r, g, b = fr[F_FOG], fr[F_FOG + 1], fr[F_FOG + 2]
    elif et < INF:
        r, g, b = _entity_rgb(fr, ef, ei, e, dx, dy, dz, n2, cm, info, item_tex, at, avg)
    else:
        r, g, b = _sky_pixel(fr, cfg, dx, dy, dz, n2)
    if liq[0] >= 0.0:
        a = _tx(at, liq[3], liq[4], liq[5], 3) / 255.0
        lb = _brightness(fr, liq, cm, info, crack, target, stage)
        lr, lg, lb = _texel_rgb(fr, liq[0], liq[3], liq[4], liq[5], lb, dy, n2, at)
        r, g, b = lr * a + r * (1.0 - a), lg * a + g * (1.0 - a), lb * a + b * (1.0 - a)
    if eye_liquid:
        k = 0.55 * fr[F_LIGHT + 15 - int(fr[F_SKYSUB])]
        r, g, b = r * 0.45 + cfg[C_UW] * k, g * 0.45 + cfg[C_UW + 1] * k, b * 0.45 + cfg[C_UW + 2] * k
    _put(of, p, r, g, b)


# ============================================================ entities

@_kernel
def _entity_pass(fr, ef, ei, h, w, ent_t, ent_i):
    """Per-pixel distance to the nearest item-entity box, testing only pixels inside its screen rectangle."""
    any_ent = False
    for e in range(ef.shape[0]):
        if ei[e, EKIND] == 0:
            continue
        if not any_ent:
            ent_t[:] = INF
            any_ent = True
        r0, r1, c0, c1 = _screen_rect(fr, ef, e, h, w)
        for i in range(r0, r1):
            for j in range(c0, c1):
                dx, dy, dz, _ = _ray(fr, i, j)
                t, _ = _box_hit(fr, ef, e, dx, dy, dz)
                if 0.0 < t < ent_t[i * w + j]:
                    ent_t[i * w + j] = t
                    ent_i[i * w + j] = e
    return any_ent


@_hot
def _box(ef, e):
    hw = ef[e, EW] * 0.5
    return ef[e, EX] - hw, ef[e, EY], ef[e, EZ] - hw, ef[e, EX] + hw, ef[e, EY] + ef[e, EH], ef[e, EZ] + hw


@_kernel
def _screen_rect(fr, ef, e, h, w):
    """Pixel rows [r0, r1) and columns [c0, c1) covering entity e's box (empty if behind or too far)."""
    x0, y0, z0, x1, y1, z1 = _box(ef, e)
    cx, cy, cz = (x0 + x1) * 0.5 - fr[F_EX], (y0 + y1) * 0.5 - fr[F_EY], (z0 + z1) * 0.5 - fr[F_EZ]
    if math.sqrt(cx * cx + cy * cy + cz * cz) > fr[F_VD] + (x1 - x0) + (y1 - y0):
        return 0, 0, 0, 0
    umin, umax, vmin, vmax = INF, -INF, INF, -INF
    behind = 0
    for k in range(8):
        px = (x1 if k & 1 else x0) - fr[F_EX]
        py = (y1 if k & 2 else y0) - fr[F_EY]
        pz = (z1 if k & 4 else z0) - fr[F_EZ]
        depth = px * fr[F_FX] + py * fr[F_FY] + pz * fr[F_FZ]
        if depth < 1e-3:
            behind += 1
            continue
        u = (px * fr[F_RX] + py * fr[F_RY] + pz * fr[F_RZ]) / (depth * fr[F_SX])
        v = (px * fr[F_UX] + py * fr[F_UY] + pz * fr[F_UZ]) / (depth * fr[F_SY])
        umin, umax, vmin, vmax = min(umin, u), max(umax, u), min(vmin, v), max(vmax, v)
    if behind == 8:
        return 0, 0, 0, 0
    if behind > 0:  # the box straddles the eye plane: test the whole image
        return 0, h, 0, w
    c0 = max(int(math.floor((umin + 1.0) * 0.5 * w)) - 1, 0)
    c1 = min(int(math.floor((umax + 1.0) * 0.5 * w)) + 2, w)
    r0 = max(int(math.floor((1.0 - vmax) * 0.5 * h)) - 1, 0)
    r1 = min(int(math.floor((1.0 - vmin) * 0.5 * h)) + 2, h)
    return r0, r1, c0, c1


@_hot
def _box_hit(fr, ef, e, dx, dy, dz):
    """Slab test of the eye ray against entity e's box: (entry distance or -1, entry face)."""
    x0, y0, z0, x1, y1, z1 = _box(ef, e)
    o = (fr[F_EX], fr[F_EY], fr[F_EZ])
    lo, hi, d = (x0, y0, z0), (x1, y1, z1), (dx, dy, dz)
    near = ((WEST, EAST), (DOWN, UP), (NORTH, SOUTH))
    tn, tf, face = -INF, INF, 0
    for a in range(3):
        if d[a] == 0.0:
            if o[a] < lo[a] or o[a] > hi[a]:
                return -1.0, 0
            continue
        ta, tb = (lo[a] - o[a]) / d[a], (hi[a] - o[a]) / d[a]
        if ta > tb:
            ta, tb = tb, ta
        if ta > tn:
            tn, face = ta, (near[a][0] if d[a] > 0.0 else near[a][1])
        tf = min(tf, tb)
    if tn > tf or tn <= 0.0:
        return -1.0, 0
    return tn, face


@_kernel
def _entity_rgb(fr, ef, ei, e, dx, dy, dz, n2, cm, info, item_tex, at, avg):
    """Colour of entity e where the ray meets its box: its item's texture, shaded, lit and fogged."""
    t, face = _box_hit(fr, ef, e, dx, dy, dz)
    if ei[e, EKIND] != 1:  # mobs and arrows: a flat box of their colour, shaded and lit
        c = ei[e, ECOLOR]
        b = fr[F_SHADE + face] * _light(fr, cm, int(math.floor(ef[e, EX])), int(math.floor(ef[e, EY])) - 1,
                                        int(math.floor(ef[e, EZ])), UP)
        r, g, bl = ((c >> 16) & 255) * b, ((c >> 8) & 255) * b, (c & 255) * b
        f = _fog(fr, t, n2)
        sr, sg, sb = _sky_rgb(fr, dy, n2)
        return r + (sr - r) * f, g + (sg - g) * f, bl + (sb - bl) * f
    item = ei[e, EITEM]
    tex = info[((item << 4) | (ei[e, EMETA] & 15)) * 8 + face] if item < 256 else item_tex[item]
    x0, y0, z0, x1, y1, z1 = _box(ef, e)
    px, py, pz = fr[F_EX] + dx * t, fr[F_EY] + dy * t, fr[F_EZ] + dz * t
    fu = (pz - z0) / (z1 - z0) if face >= WEST else (px - x0) / (x1 - x0)
    fv = (pz - z0) / (z1 - z0) if face <= UP else 1.0 - (py - y0) / (y1 - y0)
    iu, iv = min(max(int(fu * 16.0), 0), 15), min(max(int(fv * 16.0), 0), 15)
    cx, cy, cz = int(math.floor(ef[e, EX])), int(math.floor(ef[e, EY])), int(math.floor(ef[e, EZ]))
    b = fr[F_SHADE + face] * _light(fr, cm, cx, cy - 1, cz, UP)
    if _tx(at, tex, iu, iv, 3) != 0:
        r, g, bl = _tx(at, tex, iu, iv, 0) * b, _tx(at, tex, iu, iv, 1) * b, _tx(at, tex, iu, iv, 2) * b
    else:  # cut-out texel of a plant item: its mean colour
        r, g, bl = avg[tex * 3] * b, avg[tex * 3 + 1] * b, avg[tex * 3 + 2] * b
    f = _fog(fr, t, n2)
    sr, sg, sb = _sky_rgb(fr, dy, n2)
    return r + (sr - r) * f, g + (sg - g) * f, bl + (sb - bl) * f


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
    vd2 = fr[F_VD] * fr[F_VD]
    for i in range(r0, r1 + 1):
        for j in range(c0, c1 + 1):
            p = i * w + j
            if pstate[p] != P_PENDING or (has_ent and ent_t[p] < INF):
                continue  # drawn already, or an item may stand in front: its own ray decides
            dx, dy, dz, n2 = _ray(fr, i, j)
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
    takes the face where its ray meets the plane, if that face is an exposed opaque cube face."""
    key = srec[a * N_REC + R_KEY]
    ecx, ecz = int(fr[F_ECX]), int(fr[F_ECZ])
    face, c = key & 7, _plane_of(key, ecx, ecz)
    ax, solid = face >> 1, c - 1 if face & 1 else c  # the cube lies on the far side of the plane
    ex, ey, ez = fr[F_EX], fr[F_EY], fr[F_EZ]
    vd2 = fr[F_VD] * fr[F_VD]
    for i in range(r0, r1 + 1):
        for j in range(c0, c1 + 1):
            p = i * w + j
            if pstate[p] != P_PENDING or (has_ent and ent_t[p] < INF):
                continue
            dx, dy, dz, n2 = _ray(fr, i, j)
            t = (c - (ey if ax == 0 else (ez if ax == 1 else ex))) / (dy if ax == 0 else (dz if ax == 1 else dx))
            if not 0.0 < t or t * t * n2 > vd2:
                continue
            x = solid if ax == 2 else int(math.floor(ex + dx * t))
            y = solid if ax == 0 else int(math.floor(ey + dy * t))
            z = solid if ax == 1 else int(math.floor(ez + dz * t))
            if not _exposed_cube(bl, sc, info, x, y, z, face):
                continue  # something else there: leave it to its own ray
            st = _state(bl, x, y, z)
            t = _face_t(face, x, y, z, ex, ey, ez, dx, dy, dz)
            rec = _record(face, st, x, y, z, t, ex, ey, ez, dx, dy, dz, info)
            b = _brightness(fr, rec, cm, info, crack, target, stage)
            r, g, bb = _texel_rgb(fr, rec[0], rec[3], rec[4], rec[5], b, dy, n2, at)
            _put(of, p, r, g, bb)
            o = p * N_REC  # its own record, with a unique signature: never part of an exact fill
            srec[o + R_KEY], srec[o + R_SIG] = _key(x, y, z, face, ecx, ecz), -1 - p
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
            bl, cm, sc, at, info, slab, crack, ef, ei, item_tex, avg, of):
    """One quadtree level: fill the tiles whose corner rays agree, split the others.

    Returns (child tiles written to nxt, new sample pixels written to plist) for the next level.
    """
    nc, n = 0, 0
    for k in range(nt):
        r0, r1, c0, c1 = tiles[k, 0], tiles[k, 1], tiles[k, 2], tiles[k, 3]
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
        rm = (r0 + r1) // 2 if r1 - r0 >= 2 else r1  # split each side longer than one pixel step
        cm_ = (c0 + c1) // 2 if c1 - c0 >= 2 else c1
        if rm == r1 and cm_ == c1:
            continue  # every pixel of the tile is a corner: traced or filled already
        for (i, j) in ((r0, cm_), (rm, c0), (rm, cm_), (rm, c1), (r1, cm_)):
            if pstate[i * w + j] == P_PENDING:
                pstate[i * w + j] = P_TRACED  # queued: traced before the next level
                plist[n] = i * w + j
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


@_kernel
def _eye_cell(fr, bl, sc, info):
    """The eye's cell and its block state into fr (state -1: its chunk is not loaded; 0: air or
    outside the world; air-like blocks count as air)."""
    x, y, z = int(math.floor(fr[F_EX])), int(math.floor(fr[F_EY])), int(math.floor(fr[F_EZ]))
    fr[F_ECX], fr[F_ECY], fr[F_ECZ] = x, y, z
    st = -1
    if _loaded(sc, x >> 4, z >> 4):
        st = _state(bl, x, y, z) if 0 <= y < HEIGHT else 0
        if info[st * 8 + I_SHAPE] == S_AIR:
            st = 0
    fr[F_ESTATE] = st


@_hot
def _state(bl, x, y, z):
    """Block state of a loaded cell (bedrock below the world)."""
    return np.int64(bl[(_col(x, z) << 8) | y]) if y >= 0 else np.int64(BEDROCK)


@_kernel
def _render(blocks, colmax, slot_chunk, pf, pi, inv, ef, ei, at, info, slab, item_tex, avg, crack,
            cfg, fr, ent_t, ent_i, srec, pstate, plist, tiles, mips, out):
    """Render one frame into ``out`` (uint8[h, w, 3])."""
    h, w = out.shape[0], out.shape[1]
    of = out.reshape(h * w * 3)
    bl, cm = blocks.reshape(SIZE * SIZE * HEIGHT), colmax.reshape(SIZE * SIZE)  # flat: no stride arithmetic
    sc = slot_chunk.reshape(slot_chunk.size)
    _frame_setup(pf, pi, cfg, h, w, fr)
    m4, m16 = mips[:32 * 32], mips[32 * 32:]
    fr[F_GMAX] = _column_tops(cm, sc, fr[F_EX], fr[F_EZ], fr[F_VD], m4, m16)
    has_ent = _entity_pass(fr, ef, ei, h, w, ent_t, ent_i)
    target = (pi[TBX], pi[TBY], pi[TBZ])
    stage = min(int(pf[BREAK] * 10.0), 9) if pi[TVALID] != 0 and pf[BREAK] > 0.0 else -1
    _eye_cell(fr, bl, sc, info)
    eye_liquid = info[int(fr[F_ESTATE]) * 8 + I_SHAPE] == S_LIQUID if fr[F_ESTATE] > 0.0 else False
    pstate[:] = P_PENDING
    nt = _top_tiles(h, w, tiles[0]) if cfg[C_TILES] != 0.0 else 0  # 0: march every pixel (a reference)
    n = 0
    for k in range(nt):  # the corners of the first tiles are the first samples
        for (i, j) in ((tiles[0, k, 0], tiles[0, k, 2]), (tiles[0, k, 0], tiles[0, k, 3]),
                       (tiles[0, k, 1], tiles[0, k, 2]), (tiles[0, k, 1], tiles[0, k, 3])):
            if pstate[i * w + j] == P_PENDING:
                pstate[i * w + j] = P_TRACED
                plist[n] = i * w + j
                n += 1
    cur = 0
    while True:
        _trace(fr, cfg, plist, n, w, has_ent, ent_t, ent_i, srec, pstate, stage, target, eye_liquid,
               bl, cm, sc, m4, m16, ef, ei, at, info, slab, item_tex, avg, crack, of)
        if nt == 0:
            break
        nt, n = _refine(fr, cfg, tiles[cur], nt, tiles[1 - cur], plist, w, has_ent, ent_t, srec, pstate,
                        stage, target, bl, cm, sc, at, info, slab, crack, ef, ei, item_tex, avg, of)
        cur = 1 - cur
    n = 0
    for p in range(h * w):  # pixels a tile fill skipped (entities, view distance) get their own ray
        if pstate[p] == P_PENDING:
            plist[n] = p
            n += 1
    _trace(fr, cfg, plist, n, w, has_ent, ent_t, ent_i, srec, pstate, stage, target, eye_liquid,
           bl, cm, sc, m4, m16, ef, ei, at, info, slab, item_tex, avg, crack, of)
    if cfg[C_HUD] != 0.0:
        _hud(pi, inv, info, item_tex, avg, out)


# ============================================================ HUD

@_kernel
def _item_avg(item, meta, info, item_tex, avg, c):
    tex = info[((item << 4) | (meta & 15)) * 8 + SOUTH] if item < 256 else item_tex[item]
    return avg[tex * 3 + c]


@_kernel
def _hud(pi, inv, info, item_tex, avg, out):
    """Crosshair and a 9-slot hotbar: item colours, a count bar, the selected slot outlined."""
    h, w = out.shape[0], out.shape[1]
    arm = max(1, min(h, w) // 40)
    ci, cj = h // 2, w // 2
    for c in range(3):  # the crosshair inverts what lies under it, like Minecraft's
        out[ci, cj, c] = 255 - out[ci, cj, c]
        for k in range(1, arm + 1):
            for (i, j) in ((ci - k, cj), (ci + k, cj), (ci, cj - k), (ci, cj + k)):
                if 0 <= i < h and 0 <= j < w:
                    out[i, j, c] = 255 - out[i, j, c]
    s = max(4, min(w // 10, h // 6))  # slot size in pixels, border included
    x0, y0 = (w - 9 * s) // 2, h - s - 1
    for k in range(9):
        for a in range(s):
            for b in range(s):
                i, j = y0 + a, x0 + k * s + b
                if 0 <= i < h and 0 <= j < w:
                    for c in range(3):
                        out[i, j, c] = _slot_pixel(pi, inv, info, item_tex, avg, k, a, b, s, out[i, j, c], c)


@_kernel
def _slot_pixel(pi, inv, info, item_tex, avg, k, a, b, s, under, c):
    item, count = inv[k, IT_ID], inv[k, IT_COUNT]
    if a == 0 or b == 0 or a == s - 1 or b == s - 1:
        return 255 if k == pi[SLOT] else 40  # border; the selected slot is outlined white
    if count <= 0 or item <= 0:
        return 90 + (under >> 2)  # empty slot: darkened view behind it
    if a == s - 2 and s > 4:  # bottom inner row: stack size bar
        return 230 if b - 1 < (s - 2) * min(count, 64) / 64.0 else 30
    return _item_avg(item, inv[k, IT_META], info, item_tex, avg, c)


# ============================================================ map

@_kernel
def _top_down(blocks, colmax, slot_chunk, pf, ef, ei, info, avg, radius, ppb, out):
    """Map of the columns around the player: north up, top block colour shaded by height."""
    bl, cm = blocks.reshape(SIZE * SIZE * HEIGHT), colmax.reshape(SIZE * SIZE)
    sc = slot_chunk.reshape(slot_chunk.size)
    x0, z0 = int(math.floor(pf[PX])) - radius, int(math.floor(pf[PZ])) - radius
    n = 2 * radius
    for mz in range(n):
        for mx in range(n):
            col = _map_color(bl, cm, sc, info, avg, x0 + mx, z0 + mz, pf[PY])
            for a in range(ppb):
                for b in range(ppb):
                    for c in range(3):
                        out[mz * ppb + a, mx * ppb + b, c] = col[c]
    dot = max(1, ppb // 2)
    for e in range(ef.shape[0]):  # item entities: yellow dots
        if ei[e, EKIND] != 0:
            _square(out, (ef[e, EZ] - z0) * ppb, (ef[e, EX] - x0) * ppb, dot, 255, 230, 40)
    ci, cj = (pf[PZ] - z0) * ppb, (pf[PX] - x0) * ppb
    yaw = math.radians(pf[YAW])
    fx, fz = -math.sin(yaw), math.cos(yaw)
    for k in range(3 * ppb):  # facing arrow
        _square(out, ci + fz * k, cj + fx * k, max(1, ppb // 4), 255, 255, 255)
    _square(out, ci, cj, max(2, ppb), 230, 30, 30)


@_kernel
def _map_color(bl, cm, sc, info, avg, x, z, py):
    """Top block colour of column (x, z), brighter when higher; black where unloaded."""
    if not _loaded(sc, x >> 4, z >> 4):
        return (0, 0, 0)
    y = np.int64(cm[_col(x, z)])
    if y < 0:
        return (0, 0, 0)
    tex = info[np.int64(bl[(_col(x, z) << 8) | y]) * 8 + UP]
    f = min(max(1.0 + (y - py) * 0.025, 0.55), 1.35)
    north = cm[_col(x, z - 1)]  # Minecraft map relief: lit from the north
    f *= 1.1 if y > north else (0.85 if y < north else 1.0)
    return (min(int(avg[tex * 3] * f), 255), min(int(avg[tex * 3 + 1] * f), 255), min(int(avg[tex * 3 + 2] * f), 255))


@_kernel
def _square(out, ci, cj, size, r, g, b):
    """Filled square of ``size`` pixels centred on image point (ci, cj), clipped."""
    i0, j0 = int(math.floor(ci - size * 0.5)), int(math.floor(cj - size * 0.5))
    for i in range(max(i0, 0), min(i0 + size, out.shape[0])):
        for j in range(max(j0, 0), min(j0 + size, out.shape[1])):
            out[i, j, 0], out[i, j, 1], out[i, j, 2] = r, g, b


# ============================================================ public API

class Renderer:
    """First-person view and top-down map of a world, as RGB uint8 arrays.

    Not thread-safe: a renderer keeps per-frame scratch buffers; use one per thread.

    Args:
        rules: the compiled rules (``mc_bench.rules.load_rules()``).
        height: image height in pixels.
        width: image width in pixels.
        fov_deg: vertical field of view in degrees (Minecraft's default is 70).
        view_distance: rays stop after this many blocks; fog covers the last 40 %.
        hud: draw a crosshair and the 9-slot hotbar.
    """

    def __init__(self, rules, height: int = 64, width: int = 64, fov_deg: float = 70.0,
                 view_distance: float = 32.0, hud: bool = False):
        if height < 1 or width < 1 or not 0.0 < fov_deg < 180.0 or view_distance <= 0.0:
            raise ValueError(f"Renderer needs positive sizes, 0 < fov_deg < 180 and view_distance > 0; got "
                             f"height={height}, width={width}, fov_deg={fov_deg}, view_distance={view_distance}.")
        self.height, self.width, self.fov_deg, self.view_distance, self.hud = (
            int(height), int(width), float(fov_deg), float(view_distance), bool(hud))
        self.tex = t = get_textures(rules)
        self.cfg = self._settings(t.settings)
        n = self.height * self.width
        self._static = (t.atlas.reshape(-1), t.info, t.slab.reshape(-1), t.item_tex, t.avg.reshape(-1),
                        t.crack.reshape(-1), self.cfg,
                        np.zeros(N_FR), np.full(n, np.inf), np.zeros(n, np.int64),  # frame, entity buffers
                        np.zeros(n * N_REC, np.int64), np.zeros(n, np.uint8), np.zeros(n, np.int64),  # rays
                        np.zeros((2, n + 4, 4), np.int64),  # quadtree tiles, two levels
                        np.zeros(32 * 32 + 8 * 8, np.int64))  # column-top maxima per 4x4 block and chunk

    def _settings(self, s: dict) -> np.ndarray:
        cfg = np.zeros(N_CFG)
        cfg[C_TANV] = math.tan(math.radians(self.fov_deg) / 2.0)
        cfg[C_VD] = self.view_distance
        cfg[C_FOG0] = float(s.get("fog_start", 0.6))
        cfg[C_HUD] = float(self.hud)
        cfg[C_EYE], cfg[C_EYE_SNEAK] = EYE, EYE_SNEAK
        for key, at, default in (("sky_day", C_SKY, (123, 164, 255)), ("fog_day", C_FOG, (192, 216, 255)),
                                 ("sun", C_SUN, (255, 250, 200)), ("moon", C_MOON, (215, 220, 235)),
                                 ("underwater", C_UW, (40, 70, 200))):
            cfg[at:at + 3] = s.get(key, default)
        cfg[C_SHADE:C_SHADE + 7] = s.get("face_shade", (0.5, 1.0, 0.8, 0.8, 0.6, 0.6, 0.9))
        cfg[C_TILES] = 1.0
        return cfg

    def fog_color(self, eng) -> np.ndarray:
        """Horizon fog colour (float RGB) at the engine's time of day; unloaded chunks show it."""
        s, angle = sky_state(int(eng.pi[WORLD_TIME]))
        day = min(max(math.cos(2.0 * math.pi * angle) * 2.0 + 0.5, 0.0), 1.0)
        return self.cfg[C_FOG:C_FOG + 3] * (day * 0.94 + 0.06)

    def render(self, w, eng, out: np.ndarray | None = None) -> np.ndarray:
        """First-person view from the player's eye.

        Args:
            w: the ``World`` to draw.
            eng: the ``Engine`` state (player pose, time of day, entities, inventory).
            out: optional uint8 array of shape (height, width, 3) to fill.

        Returns:
            uint8 RGB image (height, width, 3); row 0 is the top of the view.
        """
        if out is None:
            out = np.empty((self.height, self.width, 3), np.uint8)
        elif out.shape != (self.height, self.width, 3) or out.dtype != np.uint8 or not out.flags.c_contiguous:
            raise ValueError(f"out must be C-contiguous uint8 of shape {(self.height, self.width, 3)}; "
                             f"got {out.dtype} {out.shape}.")
        _render(w.blocks, w.colmax, w.slot_chunk, eng.pf, eng.pi, eng.inv, eng.ef, eng.ei, *self._static, out)
        return out

    def top_down(self, w, eng, radius: int = 32, px_per_block: int = 4) -> np.ndarray:
        """Map centred on the player, north up: top block colours shaded by height, item dots,
        the player as a red square with a white facing arrow.

        Args:
            w: the ``World`` to draw.
            eng: the ``Engine`` state.
            radius: blocks shown on each side of the player.
            px_per_block: pixels per block side.

        Returns:
            uint8 RGB image of side 2 * radius * px_per_block.
        """
        n = 2 * int(radius) * int(px_per_block)
        out = np.empty((n, n, 3), np.uint8)
        t = self.tex
        _top_down(w.blocks, w.colmax, w.slot_chunk, eng.pf, eng.ef, eng.ei, t.info, self._static[4],
                  int(radius), int(px_per_block), out)
        return out
