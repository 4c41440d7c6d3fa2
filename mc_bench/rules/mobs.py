"""Compile ``mobs.yaml`` (mobs, weapons, explosions, light) into the typed arrays the kernels read.

Mob ``m`` is entity kind ``KIND_MOB0 + m`` in the order of the YAML. Scalars go into one float64
array ``p`` indexed by the ``P_*`` constants below, so kernels see arrays only.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError

KIND_MOB0 = 3  # kinds 0 free, 1 item, 2 arrow (mc_bench.sim.state)
CREATURE, MONSTER = 0, 1
# Mob drop table columns (int32): mob, item, meta (-1 = the mob's colour), min, max, cooked item (0 = none),
# player kills only.
MOB_DROP_COLS = 7

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

MobRules = namedtuple(
    "MobRules",
    [
        "p",  # float64[len(_PNAMES)]: scalars, P_* indices
        "hp", "speed", "width", "height", "damage", "armor", "panic", "power",  # float64[M]
        "category", "burns", "ranged", "climbs", "day_neutral", "fuse",  # int32[M]
        "rgb",  # int32[M]: 0xRRGGBB, -1 = colour by wool meta
        "colour_cum",  # float64[M, 16]: cumulative spawn-colour probability per wool meta (all 0 = none)
        "wool_rgb",  # int32[16]
        "drops",  # int32[n, MOB_DROP_COLS]
        "drop_chance",  # float64[n]
        "drop_start",  # int32[M + 1]
        "spawn_w",  # float64[256 biomes, 2 categories, M]: spawn weights
        "group",  # int32[256, 2, M, 2]: group size min, max
        "worldgen_chance",  # float64[256]
        "animal_ground",  # uint8[256 blocks]
        "no_spawn_on",  # uint8[256 blocks]
        "weapon_damage", "attack_speed",  # float64[N_ITEMS]
        "resistance",  # float64[256 blocks]: explosion resistance
        "emit",  # int32[256 blocks]: block light
        "opaque",  # uint8[256 blocks]
        "slot_biome",  # int64[8, 8, 3]: per-Sim cache (cx, cz, biome) of loaded chunk slots; see fresh_tables
    ],
)


def compile_mobs(y: dict, data, block_id: dict, item_id: dict, biome_names: dict, n_items: int) -> tuple:
    """``(mob names, MobRules)`` from the parsed ``mobs.yaml``; raises RulesValidationError on unknown names."""
    names = tuple(y["mobs"])
    try:
        per_mob = _per_mob(y, names, item_id)
        tables = dict(
            p=_params(y), **per_mob, **_spawn_tables(y, names, biome_names),
            **_blocks(y, data, block_id), **_weapons(y, item_id, n_items),
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
    return np.array([float(src[n]) for n in _PNAMES])


def _per_mob(y: dict, names, item_id) -> dict:
    m = len(names)
    f = {k: np.zeros(m) for k in ("hp", "speed", "width", "height", "damage", "armor", "panic", "power")}
    i = {k: np.zeros(m, np.int32) for k in ("category", "burns", "ranged", "climbs", "day_neutral", "fuse", "rgb")}
    cum = np.zeros((m, 16))
    rows, chance = [], []
    for k, name in enumerate(names):
        d = y["mobs"][name]
        f["hp"][k], f["speed"][k] = d["hp"], d["speed"]
        f["width"][k], f["height"][k] = d["size"]
        f["damage"][k], f["armor"][k] = d.get("damage", 0), d.get("armor", 0)
        f["panic"][k], f["power"][k] = d.get("panic", 1.0), d.get("power", 0)
        i["category"][k] = {"creature": CREATURE, "monster": MONSTER}[d["category"]]
        for flag in ("burns", "ranged", "climbs", "day_neutral"):
            i[flag][k] = bool(d.get(flag, False))
        i["fuse"][k] = d.get("fuse", 0)
        c = d["color"]
        i["rgb"][k] = -1 if c == "wool" else c[0] << 16 | c[1] << 8 | c[2]
        if "colours" in d:
            w = np.zeros(16)
            for meta, weight in d["colours"].items():
                w[int(meta)] = weight
            cum[k] = np.cumsum(w) / w.sum()
        for e in d.get("drops", []):
            meta = -1 if e.get("meta") == "colour" else int(e.get("meta", 0))
            lo = int(e.get("min", 1))
            cooked = item_id[e["cooked"]] if "cooked" in e else 0
            rows.append([k, item_id[e["item"]], meta, lo, int(e.get("max", lo)), cooked, int(e.get("player", False))])
            chance.append(float(e.get("chance", 1.0)))
    drops = np.array(rows, np.int32).reshape(-1, MOB_DROP_COLS)
    start = np.searchsorted(drops[:, 0], np.arange(m + 1)).astype(np.int32)
    wool = np.array([r << 16 | g << 8 | b for r, g, b in y["wool_rgb"]], np.int32)
    return dict(**f, **i, colour_cum=cum, wool_rgb=wool, drops=drops, drop_chance=np.array(chance),
                drop_start=start)


def _spawn_tables(y: dict, names, biome_names: dict) -> dict:
    sp = y["spawning"]
    m = len(names)
    weights = np.zeros((256, 2, m))
    group = np.zeros((256, 2, m, 2), np.int32)
    chance = np.full(256, float(sp["worldgen_chance"]))
    by_name = {n: b for b, n in biome_names.items()}
    for b in range(256):
        _fill_lists(weights[b], group[b], sp["default"], names)
    for bname, over in sp["biomes"].items():
        b = by_name[bname]
        lists = {k: {} if over.get(k) == "none" else {**sp["default"][k], **(over.get(k) or {})}
                 for k in ("creature", "monster")}
        weights[b] = 0
        _fill_lists(weights[b], group[b], lists, names)
        chance[b] = over.get("worldgen_chance", chance[b])
    return dict(spawn_w=weights, group=group, worldgen_chance=chance)


def _fill_lists(w, g, lists: dict, names) -> None:
    for cat, key in ((CREATURE, "creature"), (MONSTER, "monster")):
        for mob, (weight, lo, hi) in lists.get(key, {}).items():
            k = names.index(mob) if mob in names else _unknown_mob(mob, names)
            w[cat, k] = weight
            g[cat, k] = lo, hi


def _unknown_mob(mob: str, names) -> int:
    raise RulesValidationError(f"mobs.yaml spawn lists name mob {mob!r}; known mobs: {', '.join(names)}.")


def _blocks(y: dict, data, block_id: dict) -> dict:
    res = np.zeros(256)
    opaque = np.zeros(256, np.uint8)
    for b in data.blocks_list:
        res[b["id"]] = b.get("resistance") or 0.0
        opaque[b["id"]] = b["boundingBox"] == "block" and not b.get("transparent", False)
    for name, r in y["explosion"]["resistance"].items():
        res[block_id[name]] = r
    for name in y["light"]["opaque_extra"]:
        opaque[block_id[name]] = 1
    emit = np.zeros(256, np.int32)
    for name, level in y["light"]["emitters"].items():
        emit[block_id[name]] = level
    ground = np.zeros(256, np.uint8)
    ground[[block_id[n] for n in y["spawning"]["animal_ground"]]] = 1
    banned = np.zeros(256, np.uint8)
    banned[[block_id[n] for n in y["spawning"]["no_spawn_on"]]] = 1
    return dict(resistance=res, opaque=opaque, emit=emit, animal_ground=ground, no_spawn_on=banned)


def _weapons(y: dict, item_id: dict, n_items: int) -> dict:
    w = y["weapons"]
    dmg = np.full(n_items, float(w["hand"]["damage"]))
    speed = np.full(n_items, float(w["hand"]["speed"]))
    for kind, spec in w.items():
        if kind == "hand":
            continue
        for mat in ("wooden", "stone", "iron", "diamond", "golden"):
            iid = item_id[f"{mat}_{kind}"]
            dmg[iid] = _per_material(spec["damage"], mat)
            speed[iid] = _per_material(spec["speed"], mat)
    return dict(weapon_damage=dmg, attack_speed=speed)


def _per_material(v, mat: str) -> float:
    return float(v[mat]) if isinstance(v, dict) else float(v)
