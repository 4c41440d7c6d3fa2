"""Procedural 16x16 block textures, built once per process from ``rules/render.yaml``.

No game assets ship with the package: every texture is drawn from a base colour, up to two more
colours and a pattern kind named in the YAML, with hash-based noise (no RNG), so the atlas is
identical on every machine. Blocks the YAML does not name get a plain noisy texture whose colour
comes from a hash of the block name.

The renderer reads only arrays (see :class:`TextureSet`): an RGBA atlas, the atlas row of every
(block state, face) pair, a drawing shape per state, and a few per-state tables.
"""

from __future__ import annotations

import functools
import zlib
from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError, nearest
from mc_bench.rules import N_ITEMS, read_yaml

__all__ = ["TextureSet", "get_textures", "FACES", "SHAPES"]

N_STATES = 4096  # block id << 4 | meta
T = 16  # texels per side
# Face order follows Minecraft's EnumFacing; 6 is the crossed-planes face of plants.
FACES = ("down", "up", "north", "south", "west", "east")
SHAPES = ("air", "cube", "glass", "cross", "liquid", "slab")
S_AIR, S_CUBE, S_GLASS, S_CROSS, S_LIQUID, S_SLAB = range(6)
_FACE_GROUPS = {
    "all": FACES, "side": FACES[2:], "end": FACES[:2], "top": ("up",), "bottom": ("down",),
    **{f: (f,) for f in FACES},
}
_GROUP_ORDER = ("all", "side", "end", "top", "bottom") + FACES  # later keys override earlier

TextureSet = namedtuple(
    "TextureSet",
    [
        "atlas",  # uint8[n, 16, 16, 4] RGBA; row 0 = top of the texture; alpha 0 = cut out
        "face_tex",  # int32[N_STATES * 6]: atlas row of (state, face)
        "info",  # int32[N_STATES * 8]: per state the 6 face rows, then shape and emit (one cache line)
        "shape",  # uint8[N_STATES]: index into SHAPES
        "slab",  # float64[N_STATES, 2]: lower and upper y of slab-shaped states inside the cell
        "emit",  # uint8[N_STATES]: drawn at full brightness (lava, glowstone)
        "item_tex",  # int32[N_ITEMS]: atlas row of non-block items
        "avg",  # uint8[n, 3]: mean colour of the opaque texels of each atlas row
        "crack",  # uint8[10, 16, 16]: 1 where break stage k shows a crack
        "settings",  # dict: the YAML's `settings` section
    ],
)


# ---------------------------------------------------------------- hash noise

def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _noise(seed: int, salt: int, shape=(T, T)) -> np.ndarray:
    """Uniform [0, 1) values per texel, a pure function of (seed, salt, position)."""
    idx = np.arange(int(np.prod(shape)), dtype=np.uint64).reshape(shape)
    base = ((seed * 0x9E3779B1 + salt * 0x85EBCA77) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    h = _mix(idx * np.uint64(0x9E3779B97F4A7C15) + np.uint64(base))
    return (h >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _seed(text: str) -> int:
    return zlib.crc32(text.encode())


def hash_color(name: str) -> tuple[int, int, int]:
    """Deterministic mid-bright colour for a name the YAML does not describe."""
    h = _noise(_seed(name), 7, (3,))
    return tuple(int(60 + 150 * v) for v in h)


# ---------------------------------------------------------------- patterns
# Each pattern returns float RGB [16,16,3] (0-255) and alpha [16,16] (0-1).

_YY, _XX = np.mgrid[0:T, 0:T].astype(np.float64)


def _col(c) -> np.ndarray:
    return np.asarray(c, np.float64).reshape(1, 1, 3)


def _shade(c, n, amount):
    """Base colour scaled per texel by noise ``n`` around 1."""
    return _col(c) * (1.0 + amount * (n[..., None] - 0.5))


def _opaque(rgb):
    return rgb, np.ones((T, T))


def _p_noise(sp, seed):
    return _opaque(_shade(sp["color"], _noise(seed, 1), sp.get("amount", 0.25)))


def _p_speckle(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1), sp.get("amount", 0.2))
    spots = _noise(seed, 2) < sp.get("density", 0.2)
    rgb[spots] = _shade(sp.get("color2", [90, 90, 90]), _noise(seed, 3), 0.3)[spots]
    return _opaque(rgb)


def _p_ore(sp, seed):
    """Stone with clusters of coloured specks (the ore)."""
    rgb = _shade(sp.get("color2", [125, 125, 125]), _noise(seed, 1), 0.25)
    centres = _noise(seed, 4, (sp.get("clusters", 4), 2)) * 12 + 2
    n = _noise(seed, 5)
    ore = np.zeros((T, T), bool)
    for cy, cx in centres:
        d = np.hypot(_YY - cy, _XX - cx)
        ore |= (d < 1.6) | ((d < 2.4) & (n < 0.5))
    rgb[ore] = _shade(sp["color"], _noise(seed, 6), 0.45)[ore]
    return _opaque(rgb)


def _p_grass_side(sp, seed):
    """Dirt with a jagged strip of the grass colour along the top."""
    rgb = _shade(sp["color"], _noise(seed, 1), 0.25)
    depth = 2 + (_noise(seed, 2, (T,)) * 3).astype(int)  # per column
    strip = _YY < depth[None, :]
    rgb[strip] = _shade(sp["color2"], _noise(seed, 3), 0.25)[strip]
    return _opaque(rgb)


def _p_bark(sp, seed):
    """Vertical bark furrows: per-column brightness plus fine noise."""
    cols = _noise(seed, 2, (T,))
    furrow = np.where(cols[None, :] < 0.3, 0.7, 1.0)
    rgb = _shade(sp["color"], _noise(seed, 1), 0.2) * furrow[..., None]
    return _opaque(rgb)


def _p_rings(sp, seed):
    """Log end: bark rim (color2) around concentric growth rings (color)."""
    ring = np.maximum(np.abs(_YY - 7.5), np.abs(_XX - 7.5))
    band = 0.85 + 0.15 * ((ring.astype(int) % 2) == 0)
    rgb = _shade(sp["color"], _noise(seed, 1), 0.1) * band[..., None]
    rim = ring > 6.5
    rgb[rim] = _shade(sp["color2"], _noise(seed, 2), 0.2)[rim]
    return _opaque(rgb)


def _p_planks(sp, seed):
    """Four horizontal boards with dark seams and staggered butt joints."""
    rgb = _shade(sp["color"], _noise(seed, 1) * 0.5 + _noise(seed, 9, (T, 1)) * 0.5, 0.2)
    seam = (_YY % 4) == 3
    joint = _XX == ((_noise(seed, 2, (4,)) * T).astype(int)[(_YY // 4).astype(int)])
    rgb[seam | joint] *= 0.65
    return _opaque(rgb)


def _p_cobble(sp, seed):
    """Rounded stones: Voronoi cells of jittered points, dark gaps between them."""
    g = np.arange(5) * 4.0 - 2
    py, px = np.meshgrid(g, g, indexing="ij")
    pts = np.stack([py.ravel(), px.ravel()], 1) + _noise(seed, 2, (25, 2)) * 3
    d = np.sort(np.hypot(_YY[..., None] - pts[:, 0], _XX[..., None] - pts[:, 1]), axis=-1)
    cell = np.argmin(np.hypot(_YY[..., None] - pts[:, 0], _XX[..., None] - pts[:, 1]), axis=-1)
    tone = 0.8 + 0.4 * _noise(seed, 3, (25,))[cell]
    rgb = _shade(sp["color"], _noise(seed, 1), 0.15) * tone[..., None]
    rgb[(d[..., 1] - d[..., 0]) < 0.9] = _col(sp.get("color2", [70, 70, 70]))[0, 0]
    return _opaque(rgb)


def _p_bricks(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1), 0.2)
    row = (_YY // 4).astype(int)
    mortar = ((_YY % 4) == 3) | (((_XX + 4 * (row % 2)) % 8) == 7)
    rgb[mortar] = _col(sp.get("color2", [170, 165, 160]))[0, 0]
    return _opaque(rgb)


def _p_leaves(sp, seed):
    """Opaque leaves (Minecraft 'fast' graphics): strong noise with dark gaps."""
    n = _noise(seed, 1)
    rgb = _shade(sp["color"], n, 0.6)
    rgb[_noise(seed, 2) < 0.18] *= 0.45
    return _opaque(rgb)


def _p_bevel(sp, seed):
    """Metal/gem blocks: flat colour, light top-left and dark bottom-right edges."""
    rgb = _shade(sp["color"], _noise(seed, 1), sp.get("amount", 0.1))
    rgb[(_YY == 0) | (_XX == 0)] *= 1.25
    rgb[(_YY == T - 1) | (_XX == T - 1)] *= 0.7
    return _opaque(rgb)


def _p_bands(sp, seed):
    """Horizontal strata (sandstone sides): color with a darker color2 band near the top and bottom."""
    rgb = _shade(sp["color"], _noise(seed, 1) * 0.5 + _noise(seed, 2, (T, 1)) * 0.5, 0.2)
    band = (_YY < 3) | (_YY > 12)
    rgb[band] = _shade(sp.get("color2", sp["color"]), _noise(seed, 3), 0.15)[band]
    return _opaque(rgb)


def _p_table_top(sp, seed):
    rgb, a = _p_planks(sp, seed)
    grid = (_XX % 5 == 2) | (_YY % 5 == 2) | (_XX == 0) | (_YY == 0) | (_XX == T - 1) | (_YY == T - 1)
    rgb[grid] = _col(sp.get("color2", [60, 40, 20]))[0, 0]
    return rgb, a


def _p_table_side(sp, seed):
    """Crafting table side: planks with a dark band and tool silhouettes."""
    rgb, a = _p_planks(sp, seed)
    dark = _col(sp.get("color2", [60, 40, 20]))[0, 0]
    rgb[_YY < 3] = dark
    tools = ((_XX == 4) & (_YY > 5)) | ((_YY == 6) & (_XX > 2) & (_XX < 7)) | ((_XX == 11) & (_YY > 5)) | (
        (_YY > 5) & (_YY < 9) & (_XX > 9) & (_XX < 13))
    rgb[tools] = np.array(sp.get("color3", [150, 150, 150]), np.float64)
    return rgb, a


def _p_furnace_front(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1), 0.2)
    mouth = (_YY > 8) & (_YY < 14) & (_XX > 3) & (_XX < 12)
    rgb[mouth] = _col(sp.get("color2", [30, 30, 30]))[0, 0]
    rgb[(_YY == 8) & (_XX > 2) & (_XX < 13)] *= 0.6
    return _opaque(rgb)


def _p_bookshelf(sp, seed):
    rgb, a = _p_planks(sp, seed)
    book = ((_YY % 8) > 0) & ((_YY % 8) < 7) & (_XX > 0) & (_XX < T - 1)
    hue = _noise(seed, 4, (2, T))[(_YY // 8).astype(int), _XX.astype(int)]
    colors = np.array([[150, 40, 40], [40, 70, 140], [50, 110, 50], [150, 120, 60]], np.float64)
    rgb[book] = colors[(hue * 4).astype(int)][book]
    return rgb, a


def _p_glass(sp, seed):
    """Transparent pane with an opaque frame and a few highlight streaks."""
    rgb = np.broadcast_to(_col(sp["color"]), (T, T, 3)).copy()
    frame = (_YY == 0) | (_XX == 0) | (_YY == T - 1) | (_XX == T - 1)
    streak = ((_XX + _YY) == 10) & (_XX > 3) & (_XX < 8) | ((_XX + _YY) == 12) & (_XX > 5) & (_XX < 8)
    return rgb, (frame | streak).astype(np.float64)


def _p_liquid(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1) * 0.5 + _noise(seed, 2, (T, 1)) * 0.5, sp.get("amount", 0.2))
    return rgb, np.full((T, T), float(sp.get("alpha", 1.0)))


def _p_lava(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1), 0.2)
    hot = _noise(seed, 2) < 0.25
    rgb[hot] = _col(sp.get("color2", [255, 220, 80]))[0, 0]
    return _opaque(rgb)


def _p_grass_blades(sp, seed):
    """Tall grass / fern: blades rising from the bottom to hashed heights; the rest cut out."""
    heights = 4 + (_noise(seed, 2, (T,)) * 11).astype(int)
    blade = (_noise(seed, 3, (T,)) < sp.get("density", 0.55))[None, :] & (_YY >= (T - heights)[None, :])
    rgb = _shade(sp["color"], _noise(seed, 1), 0.35)
    return rgb, blade.astype(np.float64)


def _p_flower(sp, seed):
    """Green stem with a coloured head (color) near the top."""
    rgb = _shade(sp.get("color2", [60, 130, 40]), _noise(seed, 1), 0.3)
    stem = (np.abs(_XX - 7.5) < 1) & (_YY > 5)
    leaf = ((_YY == 11) & (_XX > 4) & (_XX < 8)) | ((_YY == 9) & (_XX > 7) & (_XX < 11))
    head = np.hypot(_YY - 4, _XX - 7.5) < sp.get("size", 2.6)
    rgb[head] = _shade(sp["color"], _noise(seed, 4), 0.3)[head]
    return rgb, (stem | leaf | head).astype(np.float64)


def _p_sapling(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1), 0.5)
    stem = (np.abs(_XX - 7.5) < 1) & (_YY > 9)
    rgb[stem] = _col(sp.get("color2", [100, 75, 40]))[0, 0]
    crown = (np.hypot(_YY - 6, _XX - 7.5) < 5.5) & (_noise(seed, 2) < 0.8)
    return rgb, (stem | crown).astype(np.float64)


def _p_mushroom(sp, seed):
    rgb = _shade(sp["color"], _noise(seed, 1), 0.25)
    stem = (np.abs(_XX - 7.5) < 1.5) & (_YY > 8)
    rgb[stem] = _col(sp.get("color2", [220, 210, 190]))[0, 0]
    cap = (_YY > 4) & (_YY < 9) & (np.abs(_XX - 7.5) < 4.5)
    return rgb, (stem | cap).astype(np.float64)


def _p_torch(sp, seed):
    rgb = np.broadcast_to(_col(sp.get("color2", [110, 80, 45])), (T, T, 3)).copy()
    stick = (np.abs(_XX - 7.5) < 1) & (_YY > 5)
    flame = (np.abs(_XX - 7.5) < 1) & (_YY > 3) & (_YY <= 5)
    rgb[flame] = _col(sp["color"])[0, 0]
    return rgb, (stick | flame).astype(np.float64)


def _p_tool(sp, seed):
    """Item icon for tools: a brown handle diagonal and a head in the material colour."""
    rgb = np.broadcast_to(_col([110, 80, 45]), (T, T, 3)).copy()
    handle = np.abs(_XX + _YY - 15) < 1.2
    head = (np.abs(_XX - _YY) < 2.5) & (_XX > 6) & (_YY < 9)
    rgb[head] = _shade(sp["color"], _noise(seed, 1), 0.2)[head]
    return rgb, (handle | head).astype(np.float64)


PATTERNS = {
    "noise": _p_noise, "speckle": _p_speckle, "ore": _p_ore, "grass_side": _p_grass_side, "bark": _p_bark,
    "rings": _p_rings, "planks": _p_planks, "cobble": _p_cobble, "bricks": _p_bricks, "leaves": _p_leaves,
    "bevel": _p_bevel, "bands": _p_bands, "table_top": _p_table_top, "table_side": _p_table_side,
    "furnace_front": _p_furnace_front, "bookshelf": _p_bookshelf, "glass": _p_glass, "liquid": _p_liquid,
    "lava": _p_lava, "grass_blades": _p_grass_blades, "flower": _p_flower, "sapling": _p_sapling,
    "mushroom": _p_mushroom, "torch": _p_torch, "tool": _p_tool,
}


def draw(spec: dict, seed: int) -> np.ndarray:
    """One RGBA texture (uint8[16,16,4]) from a YAML texture spec."""
    pattern = spec.get("pattern", "noise")
    if pattern not in PATTERNS:
        raise RulesValidationError(
            f"mc_bench/rules/render.yaml uses unknown pattern {pattern!r}; known: {sorted(PATTERNS)} "
            f"(near: {nearest(pattern, list(PATTERNS))})."
        )
    rgb, alpha = PATTERNS[pattern](spec, seed)
    out = np.empty((T, T, 4), np.uint8)
    out[..., :3] = np.clip(np.rint(rgb), 0, 255)
    out[..., 3] = np.clip(np.rint(alpha * 255), 0, 255)
    return out


def _cracks() -> np.ndarray:
    """Ten cumulative crack masks: random walks from the centre that grow with the stage."""
    masks = np.zeros((10, T, T), np.uint8)
    cur = np.zeros((T, T), np.uint8)
    steps = _noise(0xC0FFEE, 1, (10, 6, 2))
    for k in range(10):
        for w in range(6):  # six walkers, each one step longer per stage
            y, x = 7.5, 7.5
            ang = w * np.pi / 3 + 0.4
            for s in range(k + 2):
                ang += (steps[s % 10, w, 0] - 0.5) * 1.2
                y, x = y + np.sin(ang) * 0.75, x + np.cos(ang) * 0.75
                if 0 <= y < T and 0 <= x < T:
                    cur[int(y), int(x)] = 1
        masks[k] = cur
    return masks


# ---------------------------------------------------------------- YAML -> tables

class _Atlas:
    """Deduplicating list of textures: one row per distinct (spec, seed)."""

    def __init__(self):
        self.rows: list[np.ndarray] = []
        self.index: dict[tuple, int] = {}

    def add(self, spec: dict, seed_name: str) -> int:
        key = (repr(sorted(spec.items())), seed_name)
        if key not in self.index:
            self.index[key] = len(self.rows)
            self.rows.append(draw(spec, _seed(seed_name)))
        return self.index[key]


def _face_specs(entry: dict) -> dict[str, dict]:
    """Texture spec per face name, resolving the group keys (all < side/end < top/bottom < face)."""
    out = {}
    for group in _GROUP_ORDER:
        if group in entry:
            for f in _FACE_GROUPS[group]:
                out[f] = entry[group]
    return out


def _oriented(faces: list[int], entry: dict, meta: int, front: int | None) -> list[int]:
    """Rotate a face->texture list for logs (axis in meta bits 2-3) and facing blocks (front face)."""
    orient = entry.get("orient")
    if orient == "log":
        axis = (meta >> 2) & 3
        end, side = faces[1], faces[2]
        if axis == 1:  # along x: rings on west/east
            return [side, side, side, side, end, end]
        if axis == 2:  # along z
            return [side, side, end, end, side, side]
        if axis == 3:  # bark all round
            return [side] * 6
    if orient in ("facing", "facing4") and front is not None:
        table = entry.get("facing_faces") or (
            ["south"] * 2 + ["north", "south", "west", "east"] + ["south"] * 10 if orient == "facing"
            else ["south", "west", "north", "east"] * 4)
        faces = list(faces)
        faces[FACES.index(table[meta])] = front
    return faces


def _merge(entry: dict, meta: int) -> tuple[dict, int]:
    """The entry with its variant for ``meta`` applied, and the variant key (0 if none)."""
    key = meta & entry.get("variant_mask", 15)
    v = (entry.get("variants") or {}).get(key)
    if v is None:
        return entry, 0
    return {**entry, **v}, key


def _block_tables(rules, spec: dict, atlas: _Atlas):
    face_tex = np.zeros(N_STATES * 6, np.int32)
    shape = np.zeros(N_STATES, np.uint8)
    slab = np.zeros((N_STATES, 2))
    slab[:, 1] = 1.0
    emit = np.zeros(N_STATES, np.uint8)
    blocks = spec.get("blocks") or {}
    for name in blocks:
        if name not in rules.block_id:
            raise RulesValidationError(
                f"mc_bench/rules/render.yaml names block {name!r}, unknown in Minecraft 1.11.2; "
                f"near names: {nearest(name, list(rules.block_id))}. Fix the name in the YAML.")
    for bid, name in enumerate(rules.block_names):
        if not name or bid == 0:
            continue
        base = blocks.get(name) or {"all": {"pattern": "noise", "color": list(hash_color(name))}}
        for meta in range(16):
            merged, key = _merge(base, meta)
            _fill_state(bid << 4 | meta, f"{name}:{key}", merged, meta, atlas, face_tex, shape, slab, emit)
    return face_tex, shape, slab, emit


def _fill_state(state, seed, entry, meta, atlas, face_tex, shape, slab, emit):
    shape[state] = SHAPES.index(entry.get("shape", "cube"))
    specs = _face_specs(entry) or {f: {"pattern": "noise", "color": list(hash_color(seed))} for f in FACES}
    # One seed per variant (not per face or orientation bit), so equal specs share an atlas row.
    first = specs.get("up") or next(iter(specs.values()))  # faces the entry leaves out
    faces = [atlas.add(specs.get(f, first), seed) for f in FACES]
    front = atlas.add(entry["front"], seed) if "front" in entry else None
    face_tex[state * 6:state * 6 + 6] = _oriented(faces, entry, meta, front)
    if "height" in entry:  # slab: [lo, hi] in 16ths, or a per-meta rule
        lo, hi = _slab_range(entry, meta)
        slab[state] = lo / 16.0, hi / 16.0
    emit[state] = bool(entry.get("emit", False))


def _slab_range(entry: dict, meta: int) -> tuple[float, float]:
    h = entry["height"]
    if h == "snow":  # snow_layer: (meta & 7) + 1 layers of 2/16
        return 0.0, 2.0 * ((meta & 7) + 1)
    if h == "half":  # slabs: bit 3 = upper half
        return (8.0, 16.0) if meta & 8 else (0.0, 8.0)
    return 0.0, float(h)


def _item_table(rules, spec: dict, atlas: _Atlas) -> np.ndarray:
    """Atlas row per non-block item: explicit colour, tool material colour, or name hash."""
    items = spec.get("items") or {}
    tools = spec.get("tool_colors") or {}
    tex = np.zeros(N_ITEMS, np.int32)
    for iid, name in enumerate(rules.item_names):
        if iid < 256 or not name:
            continue
        mat, _, kind = name.partition("_")
        if name in items:
            sp = items[name] if isinstance(items[name], dict) else {"pattern": "noise", "color": items[name]}
        elif mat in tools and kind in ("pickaxe", "axe", "shovel", "sword", "hoe"):
            sp = {"pattern": "tool", "color": tools[mat]}
        else:
            sp = {"pattern": "noise", "color": list(hash_color(name))}
        tex[iid] = atlas.add(sp, f"item:{name}")
    return tex


def _avg(atlas: np.ndarray) -> np.ndarray:
    a = atlas[..., 3:4].astype(np.float64) > 0
    s = (atlas[..., :3] * a).sum((1, 2))
    n = np.maximum(a.sum((1, 2)), 1)
    return np.rint(s / n).astype(np.uint8)


@functools.lru_cache(maxsize=None)
def get_textures(rules) -> TextureSet:
    """The process-wide texture set for ``rules`` (built on first use, then shared)."""
    spec = read_yaml("render.yaml")
    atlas = _Atlas()
    atlas.add({"pattern": "noise", "color": [255, 0, 255]}, "missing")  # row 0: never drawn (air)
    face_tex, shape, slab, emit = _block_tables(rules, spec, atlas)
    item_tex = _item_table(rules, spec, atlas)
    rows = np.stack(atlas.rows)
    info = np.zeros((N_STATES, 8), np.int32)
    info[:, :6] = face_tex.reshape(N_STATES, 6)
    info[:, 6], info[:, 7] = shape, emit
    return TextureSet(
        atlas=rows, face_tex=face_tex, info=info.ravel(), shape=shape, slab=slab, emit=emit, item_tex=item_tex,
        avg=_avg(rows), crack=_cracks(), settings=dict(spec.get("settings") or {}),
    )
