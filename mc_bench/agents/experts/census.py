"""The privileged look around the player that prices a plan's gathering (:class:`Census`), and what the
world generator says about where blocks lie: in which biomes (:func:`biome_blocks`) and how deep
(:func:`ore_floors`).
"""

from __future__ import annotations

import functools

import numpy as np

from mc_bench.agents.experts.planner import INF
from mc_bench.sim.features import GOLDEN, SALT_VILLAGE, village_chunk
from mc_bench.sim.rng import hash3, mix64
from mc_bench.sim.state import EKIND, EX, EY, EZ
from mc_bench.sim.world import MASK
from mc_bench.tasks.itemgraph import as_block, rules_yaml, spawning_mobs, world_blocks

__all__ = ["Census", "biome_blocks", "ore_floors"]

CENSUS_RADIUS = 40
UNSEEN = 0xFFFF  # the census' mark for cells outside the loaded chunks
UNDERGROUND_TOP = 128  # an ore whose worldgen range ends below this is sought by digging down


class Census:
    """The nearest cell of every block state around the player in the loaded chunks, how deep under
    the ground it lies, and the nearest mob of each kind (privileged).

    Args:
        wv: the expert's world view.
        radius: half-width of the square scanned around the player.
    """

    def __init__(self, wv, radius: int = CENSUS_RADIUS):
        self.wv = wv
        cx, cy, cz = wv.cell
        xs, zs = np.arange(cx - radius, cx + radius + 1), np.arange(cz - radius, cz + radius + 1)
        ys = np.arange(0, min(255, max(cy, 64) + 48) + 1)
        sub = wv.sim.w.blocks[np.ix_(xs & MASK, zs & MASK, ys)].copy()
        gx, gz = np.meshgrid(xs, zs, indexing="ij")
        sub[~wv._loaded_mask(gx.ravel(), gz.ravel()).reshape(gx.shape)] = UNSEEN
        d2 = ((xs - cx) ** 2)[:, None, None] + ((zs - cz) ** 2)[None, :, None] + ((ys - cy) ** 2)[None, None, :]
        order = np.argsort(np.broadcast_to(d2, sub.shape).ravel(), kind="stable")
        states, first = np.unique(sub.ravel()[order], return_index=True)
        ix, iz, iy = np.unravel_index(order[first], sub.shape)
        ids = np.minimum(sub >> 4, len(wv.solid) - 1)  # UNSEEN columns read as a block id, masked below
        ground = wv.solid[ids] & ~np.isin(ids, list(wv.trees))
        top = len(ys) - 1 - np.argmax(ground[:, :, ::-1], axis=2)  # highest ground cell per column
        self.dist = dict(zip(states.tolist(), np.sqrt(d2[ix, iz, iy]).tolist()))
        self.cell = dict(zip(states.tolist(), zip(xs[ix].tolist(), ys[iy].tolist(), zs[iz].tolist())))
        self.depth = dict(zip(states.tolist(), np.maximum(0, top[ix, iz] - iy).tolist()))
        self.kinds = wv.sim.e.ei[:, EKIND].copy()
        self.pos = wv.sim.e.ef[:, [EX, EY, EZ]].copy()

    def nearest(self, states) -> int | None:
        """The state among ``states`` with the nearest loaded cell, or None."""
        return min((s for s in states if s in self.dist), key=self.dist.__getitem__, default=None)

    def block(self, states) -> float:
        """Distance to the nearest cell in any of ``states`` (INF if none is loaded nearby)."""
        s = self.nearest(states)
        return INF if s is None else self.dist[s]

    def mob(self, kind: int) -> float:
        idx = np.flatnonzero(self.kinds == kind)
        if len(idx) == 0:
            return INF
        return float(np.min(np.linalg.norm(self.pos[idx] - np.asarray(self.wv.pos), axis=1)))


@functools.cache
def biome_blocks() -> dict[str, set[int]]:
    """Block name -> ids of the biomes whose own blocks (surface layers, plants, trees, ores of some
    biomes only: emerald) include it; blocks every biome has are left out."""
    wg = rules_yaml("worldgen.yaml")
    kinds = wg.get("trees", {}).get("kinds", {})
    out: dict[str, set[int]] = {}
    for ore in wg.get("ores", ()):
        if ore.get("biomes") and ore.get("enabled", True):
            name = as_block(ore["block"])[0]
            out.setdefault(name, set()).update(int(wg["biomes"][n]["id"]) for n in ore["biomes"])
    for b in wg["biomes"].values():
        names = [b.get(k) for k in ("top", "filler", "subfiller")] + [p["block"] for p in b.get("plants", [])]
        for kind, share in (b.get("tree_mix") or {}).items():
            if share > 0 and kind in kinds:
                names += [kinds[kind][part] for part in ("log", "leaves", "pods") if part in kinds[kind]]
        if b.get("vines", 0) > 0 and "vine" in wg.get("features", {}):  # vines hang only in some biomes
            names.append(wg["features"]["vine"])
        if "snow_above" in b and "snow" in wg.get("blocks", {}):  # snow lies on high or cold ground
            names.append(wg["blocks"]["snow"])
        for n in names:
            if n is not None:
                out.setdefault(n if isinstance(n, str) else n[0], set()).add(int(b["id"]))
    return {k: v for k, v in out.items() if len(v) < len(wg["biomes"])}


@functools.cache
def ore_floors() -> dict[str, int]:
    """Block -> the height a shaft stops at when seeking it (ores whose range ends underground)."""
    out = {}
    for ore in rules_yaml("worldgen.yaml").get("ores", []):
        block = as_block(ore["block"])[0]
        lo, hi = ore.get("y", [0, 256])
        if hi <= UNDERGROUND_TOP and ore.get("enabled", True) and block not in out:
            out[block] = max(lo + 6, min(hi - 4, 12 if hi <= 16 else (lo + hi) // 2))
    return out


@functools.cache
def village_blocks() -> frozenset:
    """Blocks found mostly in villages (the farm's crops): sought by travelling to one."""
    return frozenset(rules_yaml("worldgen.yaml").get("villages", {}).get("crops", ()))


@functools.cache
def generated_blocks() -> frozenset:
    """Blocks the world generator places in some world; the others (obsidian) lie only where the game made
    them (lava met water), so exploring for one finds none."""
    return frozenset(world_blocks(None)[0])


@functools.cache
def shore_blocks() -> frozenset:
    """Plants that grow only on soil beside sea water (sugar cane): sought along a coast."""
    return frozenset(pl["block"] for b in rules_yaml("worldgen.yaml")["biomes"].values()
                     for pl in b.get("plants", ()) if pl.get("water") and isinstance(pl["block"], str))


def village_target(sim, x: int, z: int, skip=(), rings: int = 40, crops=None) -> tuple[int, int] | None:
    """The middle of the nearest chunk that holds a village (privileged: the world generator's region
    pick, biome and flatness tests), up to ``rings`` chunks away and not in ``skip``, whose farm grows a
    crop state of ``crops`` (any farm when None); None if there is none."""
    v = rules_yaml("worldgen.yaml").get("villages")
    gen = sim.gen
    if not v or not hasattr(gen, "tables"):
        return None
    ids = {int(rules_yaml("worldgen.yaml")["biomes"][b]["id"]) for b in v["biomes"]
           if b in rules_yaml("worldgen.yaml")["biomes"]}
    cx0, cz0 = x >> 4, z >> 4
    for r in range(rings + 1):
        for cx in range(cx0 - r, cx0 + r + 1):
            for cz in range(cz0 - r, cz0 + r + 1):
                if max(abs(cx - cx0), abs(cz - cz0)) == r and (cx * 16 + 8, cz * 16 + 8) not in skip \
                        and village_chunk(gen.seed, cx, cz, gen.tables.feat_i) \
                        and _village_ground(gen, cx, cz, ids, int(v["max_slope"])) \
                        and (crops is None or farm_states(gen, cx, cz) & set(crops)):
                    return cx * 16 + 8, cz * 16 + 8
    return None


def _village_ground(gen, cx: int, cz: int, biome_ids: set, slope: int) -> bool:
    """The generator's test (sim/features.py ``_village``): the chunk's middle lies in a village biome, and
    its 256 columns are flat and dry enough."""
    x0, z0 = cx * 16, cz * 16
    if gen.biome_at(x0 + 8, z0 + 8) not in biome_ids:
        return False
    corners = [gen.height_at(x0 + i, z0 + j) for i, j in ((0, 0), (15, 0), (0, 15), (15, 15), (8, 8))]
    if max(corners) - min(corners) > slope or min(corners) < 62:
        return False  # a cheap first look; most candidates fail here
    hs = [gen.height_at(x0 + i, z0 + j) for i in range(16) for j in range(16)]
    return max(hs) - min(hs) <= slope and min(hs) >= 62 and gen.height_at(x0 + 8, z0 + 8) <= 240


def farm_states(gen, cx: int, cz: int) -> set[int]:
    """The crop states a village farm in chunk (cx, cz) grows, drawn as sim/features.py ``_farm`` draws
    them (one crop per farm, each cell's age hashed): village crops only grow when fertilised, so an
    unripe farm never yields."""
    u = hash3(gen.seed, cx, cz, SALT_VILLAGE + 1)
    crops = gen.tables.vil_crops
    crop, top = (int(v) for v in crops[int(u & np.uint64(0xFF)) % crops.shape[0]])
    out = set()
    for _ in range(12):  # the farm's 4 x 3 farmland cells, in the generator's order
        u = mix64(np.uint64((int(u) + int(GOLDEN)) & 0xFFFFFFFFFFFFFFFF))  # wraps, as the generator's add
        out.add(crop | int(u & np.uint64(0xFF)) % (top + 1))
    return out


@functools.cache
def mob_biomes() -> dict[str, frozenset]:
    """Mob name -> ids of the worldgen biomes it spawns in naturally."""
    out: dict[str, set] = {}
    for name, b in rules_yaml("worldgen.yaml")["biomes"].items():
        for mob in spawning_mobs([name]):
            out.setdefault(mob, set()).add(int(b["id"]))
    return {m: frozenset(v) for m, v in out.items()}
