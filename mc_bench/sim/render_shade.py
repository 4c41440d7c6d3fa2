"""Colour of what a ray met (*Surfaces* and *Entities* in render.py's module docstring).

Face shades and the sky-light estimate, fog, the sky with its sun and moon, texels and break
cracks, and the final colour of a pixel (liquid surfaces blended, the underwater tint); and the
entity boxes (items, mobs, arrows): their screen rectangles, ray tests and colours.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.sim.render_base import (
    C_MOON,
    C_SUN,
    C_UW,
    DOWN,
    EAST,
    F_DAY,
    F_EX,
    F_EY,
    F_EZ,
    F_FOG,
    F_FOG0,
    F_FOGK,
    F_FX,
    F_FY,
    F_FZ,
    F_LIGHT,
    F_RX,
    F_RY,
    F_RZ,
    F_SHADE,
    F_SKY,
    F_SKYSUB,
    F_SUN,
    F_SX,
    F_SY,
    F_UX,
    F_UY,
    F_UZ,
    F_VD,
    I_EMIT,
    INF,
    NORTH,
    PLANT,
    SOUTH,
    UP,
    WEST,
    _col,
    _hot,
    _kernel,
    _ray,
    _tx,
)
from mc_bench.sim.state import ECOLOR, EH, EITEM, EKIND, EMETA, EW, EX, EY, EZ

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
