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
  pixel in 100,000 differs from marching every ray). A tile whose corner rays all rise into open
  sky is filled as sky when the frame's horizon (per horizontal direction, the slopes at which
  the columns in view block a rising ray; near columns with air under a roof block only a band of
  slopes) shows every ray of the tile passing clear until it climbs above every column top in
  view or reaches the view distance (exact; ``render_sky``). Other tiles split; a new corner between
  two agreeing corners of an edge is filled from them (exact, the tile argument in one dimension),
  the rest are marched.
* **Surfaces.** Opaque cubes, glass (cut-out texels), crossed-plane plants (cut-out texels),
  low boxes (slabs, snow layers) and liquids (the first liquid surface is blended over what lies
  behind). Faces are shaded like Minecraft (top 1.0, north/south 0.8, east/west 0.6, bottom 0.5)
  and lit by a sky-light estimate: full light above the column top, dimmer the deeper below it,
  less the time-of-day darkening of mechanics §6. Linear fog to the sky colour over the last part
  of the view distance.
* **Entities.** Item boxes are projected to their screen rectangles first; only pixels inside a
  rectangle test the box, leaving a per-pixel entity distance that caps that pixel's march.

This module holds :class:`Renderer`, the frame kernel (``_render``), the HUD and the top-down map.
The parts, lowest first: ``render_base`` (kernel decorators, buffer layouts, per-frame set-up,
shared lookups), ``render_march`` (the march and its surfaces), ``render_shade`` (shading, fog,
sky, pixel colour, entities), ``render_sky`` (sky tiles) and ``render_tiles`` (tracing passes,
quadtree refinement, fills).
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim._jit import njit
from mc_bench.sim.bundle import bundle
from mc_bench.sim.light import sky_state
from mc_bench.sim.render_base import (
    C_EYE,
    C_EYE_SNEAK,
    C_FOG,
    C_FOG0,
    C_HUD,
    C_MOON,
    C_SHADE,
    C_SKY,
    C_SUN,
    C_TANV,
    C_TILES,
    C_UW,
    C_VD,
    F_ESTATE,
    F_EX,
    F_EZ,
    F_GMAX,
    F_VD,
    I_SHAPE,
    N_CFG,
    N_FR,
    N_REC,
    P_PENDING,
    P_TRACED,
    SOUTH,
    UP,
    _col,
    _column_tops,
    _eye_cell,
    _frame_setup,
    _kernel,
    _loaded,
)
from mc_bench.sim.render_shade import _entity_pass
from mc_bench.sim.render_tiles import _refine, _top_tiles, _trace
from mc_bench.sim.state import (
    BREAK,
    EKIND,
    EX,
    EYE,
    EYE_SNEAK,
    EZ,
    IT_COUNT,
    IT_ID,
    IT_META,
    PX,
    PY,
    PZ,
    SLOT,
    TBX,
    TBY,
    TBZ,
    TVALID,
    WORLD_TIME,
    YAW,
)
from mc_bench.sim.textures import S_LIQUID, get_textures
from mc_bench.sim.world import HEIGHT, SIZE

__all__ = ["Renderer"]


# ============================================================ frame

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
                        stage, target, bl, cm, sc, m4, at, info, slab, crack, ef, ei, item_tex, avg, of)
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


@njit
def _render_bundle(sim, static, out):
    """``_render`` from a simulator's bundle (world, rules, engine) and the renderer's bundled buffers."""
    w, e, s = sim.a, sim.c, static.a
    _render(w.blocks, w.colmax, w.slot_chunk, e.pf, e.pi, e.inv, e.ef, e.ei, s[0], s[1], s[2], s[3], s[4], s[5],
            s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13], s[14], out)


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
        self._bundle = None  # the buffers above as one handle, made on the first render_sim

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

    def render_sim(self, sim, out: np.ndarray) -> np.ndarray:
        """:meth:`render` of a :class:`~mc_bench.sim.engine.Sim` into ``out`` (a C-contiguous uint8
        (height, width, 3) array), through the simulator's bundle: the per-step path of the envs."""
        if out.shape != (self.height, self.width, 3) or out.dtype != np.uint8 or not out.flags.c_contiguous:
            raise ValueError(f"out must be C-contiguous uint8 of shape {(self.height, self.width, 3)}; "
                             f"got {out.dtype} {out.shape}.")
        if self._bundle is None:
            self._bundle = bundle(self._static, 0, 0)
        _render_bundle(sim.bundle, self._bundle, out)
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
