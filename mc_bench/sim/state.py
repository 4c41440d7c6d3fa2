"""Engine state as a handful of flat arrays with named field indices (numba-friendly).

Module-level ints are compile-time constants inside numba kernels, so ``pf[PX]`` costs nothing.
Coordinates follow Minecraft: y up, yaw 0 = facing +z (south), yaw 90 = facing -x (west),
pitch positive = looking down; the player position is the centre of the feet.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

# ---- player, float64 fields (pf) ----
(PX, PY, PZ, VX, VY, VZ, PITCH, YAW, FALL, BREAK, HEALTH, FOOD, SAT, EXHAUST, AIR, SPAWNX, SPAWNY, SPAWNZ,
 INVUL, LASTHURT, FIRE, SWING) = range(22)
# armour points and toughness worn (refreshed each tick), wear that this tick's hits owe the armour and the shield
ARMOR, TOUGH, ARMORWEAR, SHIELDWEAR = range(22, 26)
# the latest damage event (MineDojo's damage_source): source position, exhaustion it costs (hunger_damage)
DMGX, DMGY, DMGZ, DMGHUNGER = 26, 27, 28, 29
RAINSTR, THUNDERSTR = 30, 31  # rain and thunder strength 0-1, ramping 0.01 a tick (sim/weather.py)
# scratch: the collision box the tick moves (player, items, mobs in turn); kernels cannot allocate one
BOX0 = 32
N_PF = 38
# ---- player, int64 fields (pi) ----
(ONGROUND, JUMPCD, SLOT, TBX, TBY, TBZ, TVALID, HITDELAY, SNEAK, SPRINT, INWATER, DEAD, TFACE, COLLIDED_H,
 TICK, WORLD_TIME, TIME_FROZEN, PLACECD, HITX, HITY, HITZ, HITTING, ATTACKPREV,
 EATING, FOODTIMER, PLACEDX, PLACEDY, PLACEDZ, PLACEDB, INLAVA) = range(30)
MOBSPAWN = 30  # 1 = mobs spawn (naturally and with new chunks); Navigate tasks turn it off
# hand whose item is in use (0 none, 1 main, 2 offhand: a raised shield), ticks it has been used, use held last tick
USEHAND, USETICKS, USEPREV = 31, 32, 33
BOWDRAW = 34  # ticks a bow has been drawn (use held with arrows); it shoots on release
# fishing (sim/fishing.py): line phase (0 none, 1 wait, 2 fish approaching, 3 bite, 4 hook on land), ticks left
# of the phase, and the water cell of the hook
FISHING, FISHTIME, HOOKX, HOOKY, HOOKZ = 35, 36, 37, 38, 39
# weather (sim/weather.py): cycle on, raining, ticks left of the rain state, thundering, ticks left of the thunder state
WEATHER, RAINING, RAINTIME, THUNDERING, THUNDERTIME = 40, 41, 42, 43, 44
# the latest damage event: its D_* kind bits and 1 + the tick it happened in (0: none since the reset)
DMGKIND, DMGTICK = 45, 46
D_EXPLOSION, D_FIRE, D_MAGIC, D_PROJECTILE, D_SOURCE = 1, 2, 4, 8, 16  # D_SOURCE: DMGX..Z hold where it came from
N_PI = 48

# ---- inventory: int32[36, 3] rows (item id, damage/meta, count); slots 0-8 are the hotbar ----
INV_SLOTS = 36
IT_ID, IT_META, IT_COUNT = 0, 1, 2
# ---- equipment: int32[N_EQUIP, 3] rows like the inventory's; MineDojo's raw slots 36-40 ----
EQ_FEET, EQ_LEGS, EQ_CHEST, EQ_HEAD, EQ_OFFHAND = range(5)
N_EQUIP = 5

# ---- entities: fixed capacity struct-of-arrays ----
ENT_CAP = 256
# ef float64[ENT_CAP, N_EF]; mobs: health, body yaw, wander/flee goal, fall distance, last damage taken
# (arrows keep their damage in EHP)
EX, EY, EZ, EVX, EVY, EVZ, EW, EH, EHP, EYAW, EGX, EGZ, EFALL, ELASTDMG = range(14)
ESPEED, EGY = 14, 15  # the mob's own speed attribute (horses, slimes vary); a flyer's/swimmer's goal height
N_EF = 16
# ei int32[ENT_CAP, N_EI]; EKIND 0 = free slot. Mob fields: hurt (invulnerability) timer, attack
# cooldown, creeper fuse / bow draw, panic timer, fire ticks, has-target flag, 0xRRGGBB colour,
# collided sideways last tick, has a goal. Sheep keep their wool colour in EMETA; EAGE is idle time.
(EKIND, EITEM, EMETA, ECOUNT, EAGE, EDELAY, EGROUND, EHURT, ECOOL, EFUSE, EPANIC, EFIRE, ETARGET, ECOLOR,
 ECOLLIDE, EGOAL) = range(16)
# slime size (0 = sizeless), sheared, projectile shooter (mob index, -1 = the player), never despawns (summoned)
ESIZE, ESHEARED, EOWNER, EPERSIST = 16, 17, 18, 19
ELAY = EDELAY  # mobs that lay (chickens): ticks until the next laid item, 0 = not drawn yet (items: pickup delay)
ECHARGED = 20  # struck by lightning: a fuse mob's blast is twice as strong and makes its victims drop heads
N_EI = 21
KIND_FREE, KIND_ITEM, KIND_ARROW = 0, 1, 2  # KIND_ARROW: any projectile (arrow, potion, spit)
KIND_MOB0 = 3  # mob m of rules.mob_names is kind KIND_MOB0 + m

# ---- per-episode statistics (cumulative counters read by the task layer) ----
N_STAT_ITEMS = 2268
ST_MINE, ST_PICKUP, ST_PLACE, ST_CRAFT, ST_USE, ST_DROP, ST_KILL = range(7)  # ST_KILL: columns = entity kind
N_STATS = 7

# ---- physical constants (mechanics §2) ----
PLAYER_W = 0.6
PLAYER_H = 1.8
EYE = 1.62
EYE_SNEAK = 1.54
REACH = 4.5

Engine = namedtuple(
    "Engine",
    [
        "pf",  # float64[N_PF]
        "pi",  # int64[N_PI]
        "inv",  # int32[INV_SLOTS, 3]
        "equip",  # int32[N_EQUIP, 3]
        "ef",  # float64[ENT_CAP, N_EF]
        "ei",  # int32[ENT_CAP, N_EI]
        "stats",  # int64[N_STATS, N_STAT_ITEMS]
        "rng",  # uint64[1] running random stream
    ],
)


def new_engine() -> Engine:
    """Zeroed engine state."""
    return Engine(
        pf=np.zeros(N_PF),
        pi=np.zeros(N_PI, np.int64),
        inv=np.zeros((INV_SLOTS, 3), np.int32),
        equip=np.zeros((N_EQUIP, 3), np.int32),
        ef=np.zeros((ENT_CAP, N_EF)),
        ei=np.zeros((ENT_CAP, N_EI), np.int32),
        stats=np.zeros((N_STATS, N_STAT_ITEMS), np.int64),
        rng=np.zeros(1, np.uint64),
    )
