"""Lowest layer of the renderer (render.py's module docstring describes the algorithm).

The numba decorators of its kernels; the layouts of the static settings (``cfg``), the per-frame
values (``fr``) and the per-pixel ray records; the per-frame set-up (camera basis, sky colours and
light table, column-top maxima for the march's jumps, the eye's cell); and the lookups every pass
shares: loaded chunks, column and cell indices, block states, eye rays and atlas texels.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.light import sky_state
from mc_bench.sim.state import PITCH, PX, PY, PZ, SNEAK, WORLD_TIME, YAW
from mc_bench.sim.textures import S_AIR
from mc_bench.sim.world import HEIGHT

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
F_HSET, F_HEYE, F_EROOF = 60, 61, 62  # horizon made; something above the eye's column; its roof's y
# The horizon (render_sky), per bin of horizontal direction: the steepest slope of a column top,
# and the least and greatest blocked slope of the near columns with air between the eye and a roof.
F_HOR, N_HOR = 64, 256
F_ROOF_LO, F_ROOF_HI = F_HOR + N_HOR, F_HOR + 2 * N_HOR
N_FR = F_HOR + 3 * N_HOR


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
    fr[F_HSET] = 0.0  # the horizon is made on the first sky test of a frame
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
def _camera(fr):
    """The frame values a ray direction needs, as locals: pixel loops that also store to uint8
    arrays (which may alias anything) would otherwise reload them from ``fr`` for every pixel."""
    return (fr[F_IW], fr[F_SX], fr[F_IH], fr[F_SY], fr[F_FX], fr[F_FY], fr[F_FZ],
            fr[F_RX], fr[F_RY], fr[F_RZ], fr[F_UX], fr[F_UY], fr[F_UZ])


@_hot
def _cam_ray(cam, i, j):
    """Direction of the ray through the centre of pixel (row i, column j), not normalised: its
    component along the view axis is 1, distances along it are in units of its length; and the
    squared length."""
    iw, hx, ih, hy, fx, fy, fz, rx, ry, rz, ux, uy, uz = cam
    sx = ((j + 0.5) * iw - 1.0) * hx
    sy = (1.0 - (i + 0.5) * ih) * hy
    dx = fx + sx * rx + sy * ux
    dy = fy + sx * ry + sy * uy
    dz = fz + sx * rz + sy * uz
    return dx, dy, dz, dx * dx + dy * dy + dz * dz


@_hot
def _ray(fr, i, j):
    """:func:`_cam_ray` read from ``fr`` (same arithmetic, same bits)."""
    return _cam_ray(_camera(fr), i, j)


# ============================================================ lookups

@_hot
def _tx(at, tex, iu, iv, c):
    """Channel c (3 = alpha) of texel (iu, iv) of atlas row tex (flattened atlas)."""
    return at[(((tex << 8) | (iv << 4) | iu) << 2) | c]


@_hot
def _state(bl, x, y, z):
    """Block state of a loaded cell (bedrock below the world)."""
    return np.int64(bl[(_col(x, z) << 8) | y]) if y >= 0 else np.int64(BEDROCK)


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
