"""Compile ``mobs.yaml`` (mobs and their behaviour kinds, loot, use-key interactions, the player's bow,
spawning, weapons, explosions, light) into the typed arrays the kernels read.

Mob ``m`` is entity kind ``KIND_MOB0 + m`` in the order of the YAML. The tables are few and packed (named
column constants below) because numba unboxes every array of ``MobRules`` on every engine call.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from mc_bench.error import RulesValidationError

KIND_MOB0 = 3  # kinds 0 free, 1 item, 2 projectile (mc_bench.sim.state)
CATEGORIES = ("creature", "monster", "ambient", "water")
CREATURE, MONSTER, AMBIENT, WATER = range(4)
BEHAVIOURS = ("passive", "hostile", "neutral")
PASSIVE, HOSTILE, NEUTRAL = range(3)
MOVES = ("walk", "hop", "fly", "swim")
WALK, HOP, FLY, SWIM = range(4)
ATTACKS = ("none", "melee", "fuse", "shoot", "beam", "contact")
ATK_NONE, ATK_MELEE, ATK_FUSE, ATK_SHOOT, ATK_BEAM, ATK_CONTACT = range(6)

_AI = ("follow_range", "target_chance", "melee_cooldown", "wander_chance", "wander_range", "panic_ticks",
       "fuse_start", "fuse_stop", "arrow_drag", "arrow_life", "knockback", "burn_ticks", "hurt_ticks",
       "entity_reach", "pick_margin", "stare_range", "teleport_range", "teleport_tries", "water_damage",
       "fly_range", "swim_change", "swim_factor")
_SPAWN = ("cap_chunks", "creature_every", "min_player_dist", "pack_attempts", "pack_tries", "group_max",
          "despawn_far", "despawn_near", "despawn_idle", "despawn_chance", "animal_min_light")
_LIGHT = ("sky_search", "block_search")
_BOW = ("bow_item", "bow_ammo", "bow_min_draw", "bow_speed", "bow_damage", "bow_inaccuracy", "bow_gravity",
        "bow_rgb")
_PNAMES = _AI + _SPAWN + _LIGHT + _BOW + ("cap_creature", "cap_monster", "cap_ambient", "cap_water")
(P_FOLLOW, P_TARGET_CHANCE, P_MELEE_CD, P_WANDER_CHANCE, P_WANDER_RANGE, P_PANIC, P_FUSE_START, P_FUSE_STOP,
 P_ARROW_DRAG, P_ARROW_LIFE, P_KNOCKBACK, P_BURN, P_HURT, P_REACH, P_PICK_MARGIN, P_STARE_RANGE, P_TP_RANGE,
 P_TP_TRIES, P_WATER_DMG, P_FLY_RANGE, P_SWIM_CHANGE, P_SWIM_FACTOR,
 P_CAP_CHUNKS, P_CREATURE_EVERY, P_MIN_DIST, P_PACKS, P_PACK_TRIES, P_GROUP_MAX, P_DESPAWN_FAR,
 P_DESPAWN_NEAR, P_DESPAWN_IDLE, P_DESPAWN_CHANCE, P_ANIMAL_LIGHT, P_SKY_SEARCH, P_BLOCK_SEARCH,
 P_BOW_ITEM, P_BOW_AMMO, P_BOW_MIN_DRAW, P_BOW_SPEED, P_BOW_DAMAGE, P_BOW_INACC, P_BOW_GRAVITY, P_BOW_RGB,
 P_CAP0) = range(len(_PNAMES) - 3)  # P_CAP0 + category: that category's cap
P_WOOL = len(_PNAMES)  # p[P_WOOL + meta]: 0xRRGGBB of wool colour ``meta`` (16 entries)

# MobRules.mob, float64[M, N_MOB_F]; F_R_*: the ``ranged`` attack; F_COLOUR + meta: cumulative spawn-colour
# probability (all 0 = none).
(F_HP, F_SPEED, F_WIDTH, F_HEIGHT, F_DAMAGE, F_ARMOR, F_PANIC, F_POWER, F_HP_R1, F_HP_R2, F_SPEED_STEP,
 F_SPEED_ROLLS, F_SPEED_SIZE, F_HOP_MIN, F_HOP_MAX, F_HARMLESS, F_R_SPEED, F_R_INACC, F_R_DAMAGE, F_R_JITTER,
 F_R_SCALED, F_R_SPLASH, F_R_DRAW, F_R_COOLDOWN, F_R_RANGE, F_R_STAND, F_R_GRAVITY, F_SPAWN_Y0, F_SPAWN_Y1,
 F_SPAWN_CHANCE, F_COLOUR) = range(31)
N_MOB_F = F_COLOUR + 16
_RANGED = ("speed", "inaccuracy", "damage", "jitter", "scaled", "splash", "draw", "cooldown", "range", "stand",
           "gravity")
# MobRules.mob_i, int32[M, N_MOB_I]; I_RGB -1 = colour by wool meta; drop rows I_DROP0:I_DROP1; I_SIZES: bit
# s set = may spawn with size s (0 = sizeless); I_GROUND: bit mask into blocks[:, B_GROUND].
(I_CATEGORY, I_BURNS, I_ATTACK, I_CLIMBS, I_DAY_NEUTRAL, I_FUSE, I_RGB, I_DROP0, I_DROP1, I_BEHAVIOUR, I_MOVE,
 I_STARE, I_PACK, I_TELEPORTS, I_SIZES, I_SPLIT_MIN, I_SPLIT_MAX, I_GROUND, I_R_RGB) = range(19)
I_LAY, I_LAY_MIN, I_LAY_MAX = 19, 20, 21  # `lays`: item laid (0 = none) every min..max ticks
N_MOB_I = 22
# MobRules.drops, float64[n, N_DROP]: item, meta (-1 = the mob's colour), min, max, cooked item (0 = none),
# player kills only, chance, only from this size (0 = any), only if unsheared, and for pools: a header row
# (D_POOL = number of entry rows after it, D_ROLLS0..1 = rolls) whose entries carry D_WEIGHT (item -1 = none);
# D_CHARGED: only when a charged creeper's blast kills the mob (one such drop per blast).
(D_ITEM, D_META, D_MIN, D_MAX, D_COOKED, D_PLAYER, D_CHANCE, D_SIZE, D_UNSHEARED, D_POOL, D_ROLLS0, D_ROLLS1,
 D_WEIGHT, D_CHARGED) = range(14)
N_DROP = 14
# MobRules.interact, int32[n, N_X]: mob, held item, dropped item (0 none), its meta (-1 = colour), min, max,
# item given for one held (0 none), mob it becomes (-1 none), needs/sets sheared, durability used.
X_MOB, X_ITEM, X_DROP, X_META, X_MIN, X_MAX, X_GIVES, X_BECOMES, X_SHEARS, X_WEAR = range(10)
N_X = 10
# MobRules.blocks, float64[256, N_BLOCK_F] by block id; B_GROUND is a bit mask of the ground lists it is in.
B_RESIST, B_OPAQUE, B_EMIT, B_GROUND, B_NO_SPAWN = range(5)
N_BLOCK_F = 5
# MobRules.weapons, float64[N_ITEMS, 2] by held item id.
W_DAMAGE, W_SPEED = range(2)
# MobRules.spawn, float64[256 biomes, 4 categories, M, 4]: spawn weight, group size min, max, and whether the
# mob may actually spawn there (its `spawn.biomes`; a failing pick still uses up the attempt, as in the game).
S_WEIGHT, S_MIN, S_MAX, S_OK = range(4)

_MobTables = namedtuple(
    "MobRules",
    [
        "p",  # float64[P_WOOL + 16]: scalars (P_* indices) and wool colours
        "mob", "mob_i", "drops", "interact", "blocks", "weapons", "spawn",  # the tables above
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
        grounds = _ground_lists(y, names)
        tables = dict(
            p=_params(y, item_id), **_per_mob(y, names, item_id, grounds), **_spawn_tables(y, names, biome_names),
            interact=_interactions(y, names, item_id), blocks=_blocks(y, data, block_id, grounds),
            weapons=_weapons(y, item_id, n_items), slot_biome=np.full((8, 8, 3), np.iinfo(np.int64).min),
        )
    except KeyError as exc:
        raise RulesValidationError(
            f"mc_bench/rules/mobs.yaml names {exc.args[0]!r}, which the rules do not know; fix the name in the YAML."
        ) from None
    return names, MobRules(**tables)


def fresh_tables(mobs: MobRules) -> MobRules:
    """A copy whose per-world cache (``slot_biome``) is private to one simulator."""
    return mobs._replace(slot_biome=np.full((8, 8, 3), np.iinfo(np.int64).min))


def _rgb(c) -> int:
    return c[0] << 16 | c[1] << 8 | c[2]


def _params(y: dict, item_id: dict) -> np.ndarray:
    sp, bow = y["spawning"], y["bow"]
    src = {**y["ai"], **sp, **y["light"], **{f"cap_{c}": sp["cap"][c] for c in CATEGORIES},
           **{f"bow_{k}": v for k, v in bow.items() if k not in ("item", "ammo", "color")},
           "bow_item": item_id[bow["item"]], "bow_ammo": item_id[bow["ammo"]], "bow_rgb": _rgb(bow["color"])}
    wool = [_rgb(c) for c in y["wool_rgb"]]
    return np.array([float(src[n]) for n in _PNAMES] + wool, float)


def _ground_lists(y: dict, names) -> list:
    """Distinct spawn-floor lists; mob ground masks and block B_GROUND bits index into this list."""
    default = tuple(y["spawning"]["animal_ground"])
    found = [default]
    for name in names:
        g = tuple(y["mobs"][name].get("ground", default))
        if g not in found:
            found.append(g)
    return found


def _choice(d: dict, key: str, options: tuple, default: str, name: str) -> int:
    v = d.get(key, default)
    if v not in options:
        raise RulesValidationError(f"mobs.yaml: mob {name!r} has {key} {v!r}; use one of {', '.join(options)}.")
    return options.index(v)


def _per_mob(y: dict, names, item_id, grounds) -> dict:
    f = np.zeros((len(names), N_MOB_F))
    i = np.zeros((len(names), N_MOB_I), np.int32)
    rows = []
    for k, name in enumerate(names):
        d = y["mobs"][name]
        f[k, :F_COLOUR] = _floats(d)
        i[k, :I_LAY] = _ints(d, name, names, grounds)
        if "lays" in d:
            i[k, I_LAY:] = item_id[d["lays"]["item"]], *d["lays"]["every"]
        if "colours" in d:
            w = np.zeros(16)
            for meta, weight in d["colours"].items():
                w[int(meta)] = weight
            f[k, F_COLOUR:] = np.cumsum(w) / w.sum()
        i[k, I_DROP0] = len(rows)
        for e in d.get("drops", []):
            rows.extend(_drop_rows(e, item_id))
        i[k, I_DROP1] = len(rows)
    return {"mob": f, "mob_i": i, "drops": np.array(rows, float).reshape(-1, N_DROP)}


def _floats(d: dict) -> list:
    r, sp = d.get("ranged", {}), d.get("spawn", {})
    hp_rand, speed_rand, hop = d.get("hp_rand", [0, 0]), d.get("speed_rand", [0, 0]), d.get("hop_delay", [0, 0])
    y0, y1 = sp.get("y", [0, 256])
    return [d["hp"], d["speed"], *d["size"], d.get("damage", 0), d.get("armor", 0), d.get("panic", 1.0),
            d.get("power", 0), *hp_rand, *speed_rand, d.get("speed_per_size", 0), *hop, d.get("harmless_below", 0),
            *(float(r.get(key, 0)) for key in _RANGED), y0, y1, sp.get("chance", 1.0)]


def _ints(d: dict, name: str, names, grounds) -> list:
    c = d["color"]
    cat = _choice(d, "category", CATEGORIES, "creature", name)
    beh = _choice(d, "behaviour", BEHAVIOURS, "hostile" if cat == MONSTER else "passive", name)
    attack = _choice(d, "attack", ATTACKS, "melee" if d.get("damage", 0) > 0 else "none", name)
    sizes = sum(1 << s for s in d.get("sizes", []))
    split = d.get("split", [0, 0])
    ground = 1 << grounds.index(tuple(d.get("ground", grounds[0])))
    r_rgb = _rgb(d["ranged"]["color"]) if "color" in d.get("ranged", {}) else 0
    return [cat, d.get("burns", False), attack, d.get("climbs", False), d.get("day_neutral", False),
            d.get("fuse", 0), -1 if c == "wool" else _rgb(c), 0, 0, beh, _choice(d, "move", MOVES, "walk", name),
            d.get("stare", False), d.get("pack", False), d.get("teleports", False), sizes, *split, ground, r_rgb]


def _drop_rows(e: dict, item_id) -> list:
    """One drop entry as table rows: a plain row, or a pool header followed by its weighted entries."""
    lo = int(e.get("min", 1))
    row = [0, 0, lo, int(e.get("max", lo)), 0, bool(e.get("player", False)), float(e.get("chance", 1.0)),
           int(e.get("size", 0)), bool(e.get("unsheared", False)), 0, 0, 0, 0, bool(e.get("charged", False))]
    if "pool" not in e:
        row[D_ITEM] = item_id[e["item"]]
        row[D_META] = -1 if e.get("meta") == "colour" else int(e.get("meta", 0))
        row[D_COOKED] = item_id[e["cooked"]] if "cooked" in e else 0
        return [row]
    row[D_POOL], (row[D_ROLLS0], row[D_ROLLS1]) = len(e["pool"]), e["rolls"]
    entries = [[item_id[x["item"]] if "item" in x else -1, int(x.get("meta", 0)), 0, 0,
                item_id[x["cooked"]] if "cooked" in x else 0, 0, 1.0, 0, 0, 0, 0, 0, float(x["weight"]), 0]
               for x in e["pool"]]
    return [row] + entries


def _interactions(y: dict, names, item_id) -> np.ndarray:
    rows = []
    for x in y["interactions"]:
        mob = names.index(x["mob"]) if x["mob"] in names else _unknown_mob(x["mob"], names)
        becomes = names.index(x["becomes"]) if "becomes" in x else -1
        lo = int(x.get("min", 1))
        rows.append([mob, item_id[x["item"]], item_id[x["drop"]] if "drop" in x else 0,
                     -1 if x.get("meta") == "colour" else int(x.get("meta", 0)), lo, int(x.get("max", lo)),
                     item_id[x["gives"]] if "gives" in x else 0, becomes, bool(x.get("shears", False)),
                     int(x.get("wear", 0))])
    return np.array(rows, np.int32).reshape(-1, N_X)


def _spawn_tables(y: dict, names, biome_names: dict) -> dict:
    sp = y["spawning"]
    spawn = np.zeros((256, len(CATEGORIES), len(names), 4))
    chance = np.full(256, float(sp["worldgen_chance"]))
    by_name = {n: b for b, n in biome_names.items()}
    for b in range(256):
        _fill_lists(spawn[b], sp["default"], names)
    for bname, over in sp["biomes"].items():
        b = by_name[bname]
        spawn[b] = 0
        _fill_lists(spawn[b], {k: _merged(sp["default"].get(k, {}), over.get(k)) for k in CATEGORIES}, names)
        chance[b] = over.get("worldgen_chance", chance[b])
    for k, name in enumerate(names):  # mobs limited to some biomes keep their weight elsewhere but never spawn
        only = y["mobs"][name].get("spawn", {}).get("biomes")
        if only:
            allowed = [by_name[n] for n in only]
            spawn[:, :, k, S_OK] = 0
            spawn[allowed, :, k, S_OK] = 1
    return {"spawn": spawn, "worldgen_chance": chance}


def _merged(default: dict, over) -> dict:
    """A biome's list: ``none`` empties it, ``{only: ...}`` replaces it, a mapping changes mob by mob."""
    if over == "none":
        return {}
    if isinstance(over, dict) and "only" in over:
        return over["only"]
    return {**default, **(over or {})}


def _fill_lists(spawn, lists: dict, names) -> None:
    for cat, key in enumerate(CATEGORIES):
        for mob, entry in lists.get(key, {}).items():
            k = names.index(mob) if mob in names else _unknown_mob(mob, names)
            spawn[cat, k] = (*entry, 1.0)  # weight, group min, group max, may spawn


def _unknown_mob(mob: str, names) -> int:
    raise RulesValidationError(f"mobs.yaml names mob {mob!r}; known mobs: {', '.join(names)}.")


def _blocks(y: dict, data, block_id: dict, grounds: list) -> np.ndarray:
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
    for bit, names in enumerate(grounds):
        for n in names:
            t[block_id[n], B_GROUND] = int(t[block_id[n], B_GROUND]) | 1 << bit
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
