"""Building MineDojo's observation dict (reference §2.3) and the ``info["stat"]`` tree from the sim.

Names are looked up in arrays indexed by item or block id, so each key costs a handful of NumPy
calls per step; the expensive part of an observation is the rendered frame.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.envs.minedojo_spaces import ACTION_ARG, VARIANTS
from mc_bench.rules import MATERIALS
from mc_bench.sim.light import sky_state, sky_subtract, top_opaque
from mc_bench.sim.physics import look_vector
from mc_bench.sim.probe import light_here, voxel_cube
from mc_bench.sim.state import (
    AIR,
    D_EXPLOSION,
    D_FIRE,
    D_MAGIC,
    D_PROJECTILE,
    D_SOURCE,
    DMGHUNGER,
    DMGKIND,
    DMGTICK,
    DMGX,
    DMGY,
    DMGZ,
    EYE,
    FOOD,
    HEALTH,
    IT_COUNT,
    IT_ID,
    IT_META,
    PITCH,
    PX,
    PY,
    PZ,
    SAT,
    SLOT,
    ST_CRAFT,
    ST_KILL,
    ST_MINE,
    ST_PICKUP,
    ST_USE,
    TICK,
    WORLD_TIME,
    YAW,
)
from mc_bench.sim.weather import is_raining

__all__ = ["Observer"]

VOXEL_R = 1  # MineDojo's benchmark cube: -1..+1 on each axis
SEA_LEVEL = 63
BURNS = frozenset({"wood", "wool", "leaves", "plant"})  # materials fire can destroy
STAT_ROWS = (("use_item", ST_USE), ("mine_block", ST_MINE), ("craft_item", ST_CRAFT), ("pickup", ST_PICKUP))


class Observer:
    """Reads one env's sim into MineDojo's observation keys.

    Args:
        rules: compiled rules.
        sim: the env's :class:`~mc_bench.sim.engine.Sim`.
        renderer: draws ``rgb``.
        table: the env's :class:`~mc_bench.envs.minedojo_spaces.CraftTable`.
        image_size: (height, width) of ``rgb``.
    """

    def __init__(self, rules, sim, renderer, table, image_size: tuple[int, int]):
        self.rules, self.sim, self.renderer, self.table = rules, sim, renderer, table
        self.frame = np.zeros((*image_size, 3), np.uint8)
        n = 2 * VOXEL_R + 1
        self.voxel_shape = (n, n, n)
        self._cube = np.zeros(self.voxel_shape, np.int64)
        self._item_name = np.array([(x or "air").replace("_", " ") for x in rules.item_names], dtype=object)
        self._item_name[0] = "air"
        self._block_name = np.array([x or "air" for x in rules.block_names], dtype=object)
        self._raw_item = rules.item_names
        self._placeable = np.array([0 < i < len(rules.block_names) and bool(rules.block_names[i])
                                    for i in range(len(rules.item_names))], bool)
        mat = [MATERIALS[m] for m in rules.material]
        self._block_bools = {
            "is_collidable": rules.solid.astype(bool), "blocks_movement": rules.solid.astype(bool),
            "is_liquid": rules.liquid.astype(bool), "is_solid": rules.solid.astype(bool),
            "is_tool_not_required": rules.harvest[:, 0].astype(bool),
            "can_burn": np.array([m in BURNS for m in mat], bool),
            "blocks_light": rules.mobs.opaque.astype(bool)}
        self._table_block = rules.block(rules.extra["stations"]["craft"])
        self._furnace_block = rules.block(rules.extra["stations"]["smelt"])
        self._mob_names = [(n, rules.mob_kind(n)) for n in rules.mob_names]
        self._biomes: dict[tuple[int, int], int] = {}
        self._biomes_of = None  # the world generator the cache belongs to
        self._seen_tick = 0  # engine ticks done at the last observation
        self._fuel = rules.fuel_ticks > 0

    # ------------------------------------------------------------------ the dict

    def observe(self, craft, before, damage: float = 0.0) -> dict:
        """The observation after a step; ``craft`` = the item counts a successful craft this step
        changed (after minus before), ``before`` = item counts at the start of the step (None at reset),
        ``damage`` = health lost this step."""
        sim = self.sim
        self.renderer.render_sim(sim, self.frame)
        inv, counts = sim.e.inv, sim.item_counts()
        near = {"table": int(sim.station_in_view(self._table_block)),
                "furnace": int(sim.station_in_view(self._furnace_block))}
        return {
            "rgb": np.ascontiguousarray(self.frame.transpose(2, 0, 1)),
            "inventory": self._slots(inv),
            "equipment": self._slots(np.concatenate([inv[int(sim.e.pi[SLOT])][None], sim.e.equip])),
            "life_stats": self._life(),
            "location_stats": self._location(),
            "nearby_tools": near,
            "damage_source": self._damage(damage),
            "voxels": self._voxels(),
            "masks": self._masks(inv, counts, near),
            "delta_inv": self._delta(counts, craft, before),
        }

    def stats(self, since_death: int) -> dict:
        """MineDojo's ``info["stat"]`` for this episode: non-zero counters by name, and the time since death."""
        st = self.sim.e.stats
        out = {"kill_entity": {n: int(st[ST_KILL, k]) for n, k in self._mob_names if st[ST_KILL, k]}}
        for key, row in STAT_ROWS:
            out[key] = {self._raw_item[i]: int(st[row, i]) for i in np.flatnonzero(st[row]).tolist()}
        out["time_since_death"] = since_death
        return out

    # ------------------------------------------------------------------ keys

    def _slots(self, rows: np.ndarray) -> dict:
        ids, meta, count = rows[:, IT_ID].astype(np.int64), rows[:, IT_META], rows[:, IT_COUNT]
        ids = np.where(count > 0, ids, 0)
        max_d = self.rules.max_damage[ids].astype(np.float32)
        damageable = max_d > 0
        return {
            "name": self._item_name[ids],
            "quantity": count.astype(np.float32),
            "variant": np.where(damageable | (ids == 0), 0, np.minimum(meta, VARIANTS - 1)).astype(np.int64),
            "max_durability": np.where(damageable, max_d, -1.0).astype(np.float32),
            "cur_durability": np.where(damageable, max_d - meta, -1.0).astype(np.float32),
        }

    def _life(self) -> dict:
        pf = self.sim.e.pf
        return {"life": _one(pf[HEALTH]), "armor": _one(self.sim.armor_points()), "food": _one(pf[FOOD]),
                "saturation": _one(pf[SAT]), "xp": _one(0.0), "oxygen": _one(pf[AIR]), "is_sleeping": 0}

    def _biome(self, x: int, z: int) -> int:
        key = (x, z)
        if self._biomes_of is not self.sim.gen:  # a reset made a new world: the cached biomes are another world's
            self._biomes_of = self.sim.gen
            self._biomes.clear()
        if key not in self._biomes:
            if len(self._biomes) > 4096:
                self._biomes.clear()
            self._biomes[key] = self.sim.gen.biome_at(x, z)
        return self._biomes[key]

    def _location(self) -> dict:
        e, rules = self.sim.e, self.rules
        pf = e.pf
        x, y, z = (int(math.floor(pf[k])) for k in (PX, PY, PZ))
        biome = self._biome(x, z)
        t = int(e.pi[WORLD_TIME])
        sub = sky_subtract(t)
        light, sky = light_here(self.sim.w, rules.mobs.emit, x, y + 1, z, sub)
        temp, rain = rules.biome_climate[biome]
        return {"pos": np.array([pf[PX], pf[PY], pf[PZ]], np.float32), "yaw": _one(pf[YAW]),
                "pitch": _one(pf[PITCH]), "biome_id": int(biome), "rainfall": _one(rain), "temperature": _one(temp),
                "is_raining": int(is_raining(pf, rules.world.weather)), "sun_brightness": _one(_sun_brightness(t)),
                "sky_light_level": _one(max(0, sky - sub) / 15.0), "light_level": _one(light),
                "can_see_sky": int(y + 1 > top_opaque(self.sim.w, x, z)), "sea_level": _one(SEA_LEVEL)}

    def _damage(self, amount: float) -> dict:
        """``damage_source``: health lost this step, and the latest damage event if it happened this
        step (zeros otherwise): where its source is from the eye, its kind, the exhaustion it cost."""
        pf, pi = self.sim.e.pf, self.sim.e.pi
        tick, self._seen_tick = self._seen_tick, int(pi[TICK])
        kind = int(pi[DMGKIND]) if pi[DMGTICK] > tick else -1  # -1: no damage event this step
        dist = yaw = pitch = 0.0
        if kind > 0 and kind & D_SOURCE:
            dx, dy, dz = pf[DMGX] - pf[PX], pf[DMGY] - (pf[PY] + EYE), pf[DMGZ] - pf[PZ]
            dist, flat = math.sqrt(dx * dx + dy * dy + dz * dz), math.hypot(dx, dz)
            yaw, pitch = math.degrees(math.atan2(-dx, dz)), -math.degrees(math.atan2(dy, flat))  # the look angles toward it
        return {"damage_amount": _one(min(amount, 40.0)), "damage_distance": _one(dist),
                "damage_pitch": _one(pitch), "damage_yaw": _one(yaw),
                "hunger_damage": _one(pf[DMGHUNGER] if kind >= 0 else 0.0),
                "is_explosion": int(kind > 0 and bool(kind & D_EXPLOSION)),
                "is_fire_damage": int(kind > 0 and bool(kind & D_FIRE)),
                "is_magic_damage": int(kind > 0 and bool(kind & D_MAGIC)),
                "is_projectile": int(kind > 0 and bool(kind & D_PROJECTILE)),
                "is_unblockable": int(kind >= 0 and pf[DMGHUNGER] == 0.0)}  # armour-bypassing sources cost no food

    def _voxels(self) -> dict:
        pf = self.sim.e.pf
        x, y, z = (int(math.floor(pf[k])) for k in (PX, PY, PZ))
        voxel_cube(self.sim.w, x, y, z, VOXEL_R, self._cube)
        cube = self._cube
        cube = np.where(cube == 0xFFFF, 0, cube)  # unloaded cells read as air
        ids, meta = cube >> 4, cube & 15
        r = np.arange(-VOXEL_R, VOXEL_R + 1) + 0.5
        d = np.stack(np.meshgrid(x + r - pf[PX], y + r - (pf[PY] + EYE), z + r - pf[PZ], indexing="ij"))
        look = np.array(look_vector(pf[PITCH], pf[YAW]))[:, None, None, None]
        cos = (d * look).sum(0) / np.maximum(np.sqrt((d * d).sum(0)), 1e-9)
        out = {"block_name": self._block_name[ids], "block_meta": meta.astype(np.int64)}
        out.update({k: v[ids].astype(np.int8) for k, v in self._block_bools.items()})
        out["cos_look_vec_angle"] = cos.astype(np.float32)
        return out

    def _masks(self, inv: np.ndarray, counts: np.ndarray, near: dict) -> dict:
        t = self.table
        ok = (counts[t.ing_item] >= t.ing_count).all(1)
        ok &= ~t.needs_fuel | bool((counts[self._fuel]).any())
        craft = np.bincount(t.recipe_target, weights=ok, minlength=len(t.names)) > 0
        craft &= (t.kind != 1) | bool(near["table"])
        craft &= (t.kind != 2) | bool(near["furnace"])
        full = np.asarray(inv[:, IT_COUNT] > 0)
        ids = np.where(full, inv[:, IT_ID], 0)
        equip = full.copy()
        equip[0] = full[0] and int(ids[0]) in t.non_mainhand
        place = full & self._placeable[ids]
        action_type = np.array([True, True, full[int(self.sim.e.pi[SLOT])], True,
                                craft.any() and not full.all(), equip.any(), place.any(), full.any()])
        i8 = np.int8
        return {"action_type": action_type.astype(i8), "action_arg": ACTION_ARG.astype(i8),
                "equip": equip.astype(i8), "place": place.astype(i8), "destroy": full.astype(i8),
                "craft_smelt": craft.astype(i8)}

    def _delta(self, counts: np.ndarray, by_craft, before) -> dict:
        """Inventory change this step, split into what a craft made or used (``by_craft``: counts after
        minus before the craft command) and everything else."""
        total = counts - before if before is not None else np.zeros_like(counts)
        by_craft = by_craft if by_craft is not None else np.zeros_like(counts)
        out = {}
        for how, diff in (("craft", by_craft), ("other", total - by_craft)):
            for sign, n, vals in (("inc", 1, diff), ("dec", 4, -diff)):
                top = [i for i in np.argsort(-vals, kind="stable")[:n].tolist() if vals[i] > 0]
                pad = n - len(top)
                out[f"{sign}_name_by_{how}"] = np.array([self._item_name[i] for i in top] + ["air"] * pad, dtype=object)
                out[f"{sign}_quantity_by_{how}"] = np.array([vals[i] for i in top] + [0] * pad, np.float32)
        return out


def _one(v: float) -> np.ndarray:
    """A (1,) float32 stat, as MineDojo shapes its scalars."""
    return np.array([v], np.float32)


def _sun_brightness(world_time: int) -> float:
    """Minecraft's sun brightness (0.2 at night to 1 at noon) in clear weather."""
    angle = sky_state(world_time)[1]
    f = 1.0 - (math.cos(angle * 2.0 * math.pi) * 2.0 + 0.2)
    f = 1.0 - min(1.0, max(0.0, f))
    return f * 0.8 + 0.2

