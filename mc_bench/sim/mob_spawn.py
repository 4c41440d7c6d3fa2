"""Natural spawning (mechanics §7): Minecraft's per-tick spawner for the four mob categories, and the
animals placed with each new chunk.

Categories follow the game: monsters by the hostile light rule, animals on their ground in light >= 9
(only every 400 ticks), ambient mobs (bats) in light <= rand(4), water mobs in water. A mob's own
``spawn`` rule in ``mobs.yaml`` adds a height range, a chance and the biomes where it can spawn; a pick
that fails it wastes the try, as in the game.
"""

from __future__ import annotations

import math

from mc_bench.rules.mobs import (
    AMBIENT,
    B_EMIT,
    B_GROUND,
    B_NO_SPAWN,
    B_OPAQUE,
    CREATURE,
    F_HEIGHT,
    F_SPAWN_CHANCE,
    F_SPAWN_Y0,
    F_SPAWN_Y1,
    F_WIDTH,
    I_GROUND,
    MONSTER,
    P_ANIMAL_LIGHT,
    P_BLOCK_SEARCH,
    P_GROUP_MAX,
    P_MIN_DIST,
    P_PACK_TRIES,
    P_PACKS,
    P_SKY_SEARCH,
    S_MAX,
    S_MIN,
    S_OK,
    S_WEIGHT,
    WATER,
)
from mc_bench.sim import rng
from mc_bench.sim._jit import kernel
from mc_bench.sim.light import block_light, sky_light, top_opaque
from mc_bench.sim.mob_base import active, box_free, spawn_mob
from mc_bench.sim.state import PX, PY, PZ, SPAWNX, SPAWNZ
from mc_bench.sim.world import UNLOADED, get_state, is_loaded


@kernel(inline="always")
def _biome(M, cx, cz):
    """Biome of a loaded chunk from the per-slot cache (plains if the cache does not hold it)."""
    c = M.slot_biome[cx & 7, cz & 7]
    return c[2] if c[0] == cx and c[1] == cz else 1


@kernel(inline="always")
def _pick(M, rs, biome, cat):
    """Weighted choice from the biome's spawn list; -1 if the list is empty."""
    w = M.spawn[biome, cat, :, S_WEIGHT]
    total = w.sum()
    if total <= 0.0:
        return -1
    u = rng.next_float(rs) * total
    for m in range(w.shape[0]):
        u -= w[m]
        if u < 0.0:
            return m
    return w.shape[0] - 1


@kernel(inline="always")
def _spot_ok(w, R, M, cat, m, x, y, z):
    """Placement of a spawn spot: in water for water mobs; else an opaque floor (the mob's ground for
    animals) with feet and head free of solid blocks and liquid."""
    if cat == WATER:
        below, here, above = get_state(w, x, y - 1, z), get_state(w, x, y, z), get_state(w, x, y + 1, z)
        return (below != UNLOADED and here != UNLOADED and above != UNLOADED and R.liquid[below >> 4]
                and R.liquid[here >> 4] and not M.blocks[above >> 4, B_OPAQUE])
    below = get_state(w, x, y - 1, z)
    if below == UNLOADED or not M.blocks[below >> 4, B_OPAQUE] or M.blocks[below >> 4, B_NO_SPAWN]:
        return False
    if cat == CREATURE and not int(M.blocks[below >> 4, B_GROUND]) & M.mob_i[m, I_GROUND]:
        return False
    for dy in range(2):
        s = get_state(w, x, y + dy, z)
        if s == UNLOADED or M.blocks[s >> 4, B_OPAQUE] or R.liquid[s >> 4]:
            return False
    return True


@kernel(inline="always")
def _light_ok(w, M, rs, cat, x, y, z, s):
    """Hostile: raw sky light <= rand(32), then light <= rand(8); animals: light >= 9; ambient: light
    <= rand(4) (EntityBat); water: any light (mechanics §6)."""
    if cat == WATER:
        return True
    sky = sky_light(w, x, y, z, int(M.p[P_SKY_SEARCH]))
    search = int(M.p[P_BLOCK_SEARCH])
    if cat == CREATURE:
        need = int(M.p[P_ANIMAL_LIGHT])
        return sky - s >= need or block_light(w, M.blocks[:, B_EMIT], x, y, z, search, need) >= need
    if cat == MONSTER and sky > rng.next_int(rs, 32):
        return False
    limit = rng.next_int(rs, 4 if cat == AMBIENT else 8)
    return sky - s <= limit and block_light(w, M.blocks[:, B_EMIT], x, y, z, search, limit + 1) <= limit


@kernel(inline="always")
def _own_rule(M, rs, biome, cat, m, y):
    """The mob's own spawn conditions: biome, height range, chance."""
    return (M.spawn[biome, cat, m, S_OK] > 0.0 and M.mob[m, F_SPAWN_Y0] <= y < M.mob[m, F_SPAWN_Y1]
            and (M.mob[m, F_SPAWN_CHANCE] >= 1.0 or rng.next_float(rs) < M.mob[m, F_SPAWN_CHANCE]))


@kernel
def natural_spawn(w, R, pf, ef, ei, rs, s, cat, cap, count, radius):
    """Minecraft's per-tick spawner over the loaded chunks: one random spot per chunk, 3 packs of up to
    4 jittered tries, at least 24 blocks from the player and the world spawn."""
    M = R.mobs
    if count > cap:
        return
    pcx, pcz = int(math.floor(pf[PX])) >> 4, int(math.floor(pf[PZ])) >> 4
    for cx in range(pcx - radius, pcx + radius + 1):
        for cz in range(pcz - radius, pcz + radius + 1):
            if not is_loaded(w, cx * 16, cz * 16):
                continue
            x, z = cx * 16 + rng.next_int(rs, 16), cz * 16 + rng.next_int(rs, 16)
            top = w.colmax[x & 127, z & 127]
            y = rng.next_int(rs, ((top + 2 + 15) // 16) * 16)
            st = get_state(w, x, y, z)
            if st == UNLOADED or M.blocks[st >> 4, B_OPAQUE]:
                continue
            count = _packs(w, R, M, pf, ef, ei, rs, s, cat, cap, count, radius, _biome(M, cx, cz), x, y, z)
            if count > cap:
                return


@kernel(inline="always")
def _packs(w, R, M, pf, ef, ei, rs, s, cat, cap, count, radius, biome, x, y, z):
    min2 = M.p[P_MIN_DIST] ** 2
    for _ in range(int(M.p[P_PACKS])):
        bx, bz, m, n = x, z, -1, 0
        for _ in range(1 + rng.next_int(rs, int(M.p[P_PACK_TRIES]))):
            bx += rng.next_int(rs, 6) - rng.next_int(rs, 6)
            bz += rng.next_int(rs, 6) - rng.next_int(rs, 6)
            fx, fz = bx + 0.5, bz + 0.5
            if not active(pf, fx, fz, radius) or not is_loaded(w, bx, bz):
                continue
            dx, dy, dz = fx - pf[PX], y - pf[PY], fz - pf[PZ]
            sx, sz = fx - pf[SPAWNX], fz - pf[SPAWNZ]
            if dx * dx + dy * dy + dz * dz < min2 or sx * sx + sz * sz < min2:
                continue
            if m < 0:
                m = _pick(M, rs, biome, cat)
                if m < 0:
                    return count
            if not _fits(w, R, M, rs, s, cat, m, biome, bx, y, bz):
                continue
            if spawn_mob(M, ef, ei, rs, m, fx, float(y), fz) < 0:
                return cap + 1
            n += 1
            count += 1
            if count > cap:
                return count
            if n >= M.p[P_GROUP_MAX]:
                break
    return count


@kernel(inline="always")
def _fits(w, R, M, rs, s, cat, m, biome, x, y, z):
    """Every spawn condition for mob m at (x, y, z); water mobs only need room free of solid blocks."""
    if not _spot_ok(w, R, M, cat, m, x, y, z) or not _light_ok(w, M, rs, cat, x, y, z, s):
        return False
    if not _own_rule(M, rs, biome, cat, m, y):
        return False
    no_liquid = R.solid if cat == WATER else R.liquid  # passing solid twice skips the liquid test
    return box_free(w, R.solid, no_liquid, x + 0.5, float(y), z + 0.5, M.mob[m, F_WIDTH], M.mob[m, F_HEIGHT])


@kernel
def populate_chunk(w, R, ef, ei, rs, cx, cz, biome):
    """World-generation animals of a new chunk: while rand < 0.1, a group from the biome's creature list
    on its ground under open sky (mechanics §7, last bullet)."""
    M = R.mobs
    while rng.next_float(rs) < M.worldgen_chance[biome]:
        m = _pick(M, rs, biome, CREATURE)
        if m < 0:
            return
        lo, hi = int(M.spawn[biome, CREATURE, m, S_MIN]), int(M.spawn[biome, CREATURE, m, S_MAX])
        n = lo + rng.next_int(rs, hi - lo + 1)
        x, z = cx * 16 + rng.next_int(rs, 16), cz * 16 + rng.next_int(rs, 16)
        for _ in range(n):
            for _ in range(4):
                y = top_opaque(w, x, z) + 1
                if (0 < y < 256 and int(M.blocks[get_state(w, x, y - 1, z) >> 4, B_GROUND]) & M.mob_i[m, I_GROUND]
                        and box_free(w, R.solid, R.liquid, x + 0.5, float(y), z + 0.5, M.mob[m, F_WIDTH],
                                     M.mob[m, F_HEIGHT])):
                    if spawn_mob(M, ef, ei, rs, m, x + 0.5, float(y), z + 0.5) < 0:
                        return
                    break
                x = min(max(x + rng.next_int(rs, 5) - rng.next_int(rs, 5), cx * 16), cx * 16 + 15)
                z = min(max(z + rng.next_int(rs, 5) - rng.next_int(rs, 5), cz * 16), cz * 16 + 15)
