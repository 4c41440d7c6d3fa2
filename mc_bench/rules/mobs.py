"""Compile ``mobs.yaml`` (mobs, weapons, explosions, light) into the typed arrays the kernels read.

Mob ``m`` is entity kind ``KIND_MOB0 + m`` in the order of the YAML. The tables are few and packed (named
column constants below) because numba unboxes every array of ``MobRules`` on every engine call.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError

KIND_MOB0 = 3  # kinds 0 free, 1 item, 2 arrow (mc_bench.sim.state)
CREATURE, MONSTER = 0, 1

_AI = ("follow_range", "target_chance", "melee_cooldown", "wander_chance", "wander_range", "panic_ticks",
       "fuse_start", "fuse_stop", "bow_draw", "bow_cooldown", "bow_range", "bow_stand", "arrow_speed",
       "arrow_inaccuracy", "arrow_damage", "arrow_gravity", "arrow_drag", "arrow_life", "knockback",
       "burn_ticks", "hurt_ticks", "entity_reach", "pick_margin")
_SPAWN = ("cap_chunks", "creature_every", "min_player_dist", "pack_attempts", "pack_tries", "group_max",
          "despawn_far", "despawn_near", "despawn_idle", "despawn_chance", "animal_min_light")
_LIGHT = ("sky_search", "block_search")
_PNAMES = _AI + _SPAWN + _LIGHT + ("cap_monster", "cap_creature")
(P_FOLLOW, P_TARGET_CHANCE, P_MELEE_CD, P_WANDER_CHANCE, P_WANDER_RANGE, P_PANIC, P_FUSE_START, P_FUSE_STOP,
 P_BOW_DRAW, P_BOW_CD, P_BOW_RANGE, P_BOW_STAND, P_ARROW_SPEED, P_ARROW_INACC, P_ARROW_DMG, P_ARROW_G,
 P_ARROW_DRAG, P_ARROW_LIFE, P_KNOCKBACK, P_BURN, P_HURT, P_REACH, P_PICK_MARGIN,
 P_CAP_CHUNKS, P_CREATURE_EVERY, P_MIN_DIST, P_PACKS, P_PACK_TRIES, P_GROUP_MAX, P_DESPAWN_FAR,
 P_DESPAWN_NEAR, P_DESPAWN_IDLE, P_DESPAWN_CHANCE, P_ANIMAL_LIGHT, P_SKY_SEARCH, P_BLOCK_SEARCH,
 P_CAP_MONSTER, P_CAP_CREATURE) = range(len(_PNAMES))
P_WOOL = len(_PNAMES)  # p[P_WOOL + meta]: 0xRRGGBB of wool colour ``meta`` (16 entries)

# MobRules.mob, float64[M, N_MOB_F]; F_COLOUR + meta: cumulative spawn-colour probability (all 0 = none).
F_HP, F_SPEED, F_WIDTH, F_HEIGHT, F_DAMAGE, F_ARMOR, F_PANIC, F_POWER, F_COLOUR = range(9)
N_MOB_F = F_COLOUR + 16
# MobRules.mob_i, int32[M, N_MOB_I]; I_RGB -1 = colour by wool meta; drop rows I_DROP0:I_DROP1.
I_CATEGORY, I_BURNS, I_RANGED, I_CLIMBS, I_DAY_NEUTRAL, I_FUSE, I_RGB, I_DROP0, I_DROP1 = range(9)
N_MOB_I = 9
# MobRules.drops, float64[n, N_DROP]: item, meta (-1 = the mob's colour), min, max, cooked item (0 = none),
# player kills only, chance.
D_ITEM, D_META, D_MIN, D_MAX, D_COOKED, D_PLAYER, D_CHANCE = range(7)
N_DROP = 7
# MobRules.blocks, float64[256, N_BLOCK_F] by block id.
B_RESIST, B_OPAQUE, B_EMIT, B_GROUND, B_NO_SPAWN = range(5)
N_BLOCK_F = 5
# MobRules.weapons, float64[N_ITEMS, 2] by held item id.
W_DAMAGE, W_SPEED = range(2)
# MobRules.spawn, float64[256 biomes, 2 categories, M, 3]: spawn weight, group size min, max.
S_WEIGHT, S_MIN, S_MAX = range(3)

_MobTables = namedtuple(
    "MobRules",
    [
        "p",  # float64[P_WOOL + 16]: scalars (P_* indices) and wool colours
        "mob", "mob_i", "drops", "blocks", "weapons", "spawn",  # the tables above
        "worldgen_chance",  # float64[256 biomes]
        "slot_biome",  # int64[8, 8, 3]: per-Sim cache (cx, cz, biome) of loaded chunk slots; see fresh_tables
    ],
)


class MobRules(_MobTables):
    """The mob tables; the properties are Python-side column views for callers outside the kernels."""

    __slots__ = ()
    hp = property(lambda self: self.mob[:, F_HP])
    speed = property(lambda self: self.mob[:, F_SPEED])
    width = property(lambda self: self.mob[:, F_WIDTH])
    height = property(lambda self: self.mob[:, F_HEIGHT])
    colour_cum = property(lambda self: self.mob[:, F_COLOUR:])
    category = property(lambda self: self.mob_i[:, I_CATEGORY])
    weapon_damage = property(lambda self: self.weapons[:, W_DAMAGE])
    attack_speed = property(lambda self: self.weapons[:, W_SPEED])
    opaque = property(lambda self: self.blocks[:, B_OPAQUE])
    emit = property(lambda self: self.blocks[:, B_EMIT])


def compile_mobs(y: dict, data, block_id: dict, item_id: dict, biome_names: dict, n_items: int) -> tuple:
    """``(mob names, MobRules)`` from the parsed ``mobs.yaml``; raises RulesValidationError on unknown names."""
    names = tuple(y["mobs"])
    try:
        tables = dict(
            p=_params(y), **_per_mob(y, names, item_id), **_spawn_tables(y, names, biome_names),
            blocks=_blocks(y, data, block_id), weapons=_weapons(y, item_id, n_items),
            slot_biome=np.full((8, 8, 3), np.iinfo(np.int64).min),
        )
    except KeyError as exc:
        raise RulesValidationError(
            f"mc_bench/rules/mobs.yaml names {exc.args[0]!r}, which the rules do not know; fix the name in the YAML."
        ) from None
    return names, MobRules(**tables)


def fresh_tables(mobs: MobRules) -> MobRules:
    """A copy whose per-world cache (``slot_biome``) is private to one simulator."""
    return mobs._replace(slot_biome=np.full((8, 8, 3), np.iinfo(np.int64).min))


def _params(y: dict) -> np.ndarray:
    sp = y["spawning"]
    src = {**y["ai"], **sp, **y["light"], "cap_monster": sp["cap"]["monster"], "cap_creature": sp["cap"]["creature"]}
    wool = [r << 16 | g << 8 | b for r, g, b in y["wool_rgb"]]
    return np.array([float(src[n]) for n in _PNAMES] + wool, float)


def _per_mob(y: dict, names, item_id) -> dict:
    f = np.zeros((len(names), N_MOB_F))
    i = np.zeros((len(names), N_MOB_I), np.int32)
    rows = []
    for k, name in enumerate(names):
        d = y["mobs"][name]
        f[k, :F_COLOUR] = (d["hp"], d["speed"], *d["size"], d.get("damage", 0), d.get("armor", 0),
                           d.get("panic", 1.0), d.get("power", 0))
        c = d["color"]
        i[k, :I_DROP0] = ({"creature": CREATURE, "monster": MONSTER}[d["category"]],
                          *(bool(d.get(flag, False)) for flag in ("burns", "ranged", "climbs", "day_neutral")),
                          d.get("fuse", 0), -1 if c == "wool" else c[0] << 16 | c[1] << 8 | c[2])
        if "colours" in d:
            w = np.zeros(16)
            for meta, weight in d["colours"].items():
                w[int(meta)] = weight
            f[k, F_COLOUR:] = np.cumsum(w) / w.sum()
        i[k, I_DROP0] = len(rows)
        for e in d.get("drops", []):
            meta = -1 if e.get("meta") == "colour" else int(e.get("meta", 0))
            lo = int(e.get("min", 1))
            cooked = item_id[e["cooked"]] if "cooked" in e else 0
            rows.append([item_id[e["item"]], meta, lo, int(e.get("max", lo)), cooked, bool(e.get("player", False)),
                         float(e.get("chance", 1.0))])
        i[k, I_DROP1] = len(rows)
    return {"mob": f, "mob_i": i, "drops": np.array(rows, float).reshape(-1, N_DROP)}


def _spawn_tables(y: dict, names, biome_names: dict) -> dict:
    sp = y["spawning"]
    spawn = np.zeros((256, 2, len(names), 3))
    chance = np.full(256, float(sp["worldgen_chance"]))
    by_name = {n: b for b, n in biome_names.items()}
    for b in range(256):
        _fill_lists(spawn[b], sp["default"], names)
    for bname, over in sp["biomes"].items():
        b = by_name[bname]
        lists = {k: {} if over.get(k) == "none" else {**sp["default"][k], **(over.get(k) or {})}
                 for k in ("creature", "monster")}
        spawn[b] = 0
        _fill_lists(spawn[b], lists, names)
        chance[b] = over.get("worldgen_chance", chance[b])
    return {"spawn": spawn, "worldgen_chance": chance}


def _fill_lists(spawn, lists: dict, names) -> None:
    for cat, key in ((CREATURE, "creature"), (MONSTER, "monster")):
        for mob, entry in lists.get(key, {}).items():
            k = names.index(mob) if mob in names else _unknown_mob(mob, names)
            spawn[cat, k] = entry  # weight, group min, group max


def _unknown_mob(mob: str, names) -> int:
    raise RulesValidationError(f"mobs.yaml spawn lists name mob {mob!r}; known mobs: {', '.join(names)}.")


def _blocks(y: dict, data, block_id: dict) -> np.ndarray:
    t = np.zeros((256, N_BLOCK_F))
    for b in data.blocks_list:
        t[b["id"], B_RESIST] = b.get("resistance") or 0.0
        t[b["id"], B_OPAQUE] = b["boundingBox"] == "block" and not b.get("transparent", False)
    for name, r in y["explosion"]["resistance"].items():
        t[block_id[name], B_RESIST] = r
    for name in y["light"]["opaque_extra"]:
        t[block_id[name], B_OPAQUE] = 1
    for name, level in y["light"]["emitters"].items():
        t[block_id[name], B_EMIT] = level
    t[[block_id[n] for n in y["spawning"]["animal_ground"]], B_GROUND] = 1
    t[[block_id[n] for n in y["spawning"]["no_spawn_on"]], B_NO_SPAWN] = 1
    return t


def _weapons(y: dict, item_id: dict, n_items: int) -> np.ndarray:
    w = y["weapons"]
    t = np.empty((n_items, 2))
    t[:] = float(w["hand"]["damage"]), float(w["hand"]["speed"])
    for kind, spec in w.items():
        if kind == "hand":
            continue
        for mat in ("wooden", "stone", "iron", "diamond", "golden"):
            t[item_id[f"{mat}_{kind}"]] = _per_material(spec["damage"], mat), _per_material(spec["speed"], mat)
    return t


def _per_material(v, mat: str) -> float:
    return float(v[mat]) if isinstance(v, dict) else float(v)
