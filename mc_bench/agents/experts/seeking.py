"""Finding what a plan step needs when the loaded chunks hold none of it, and the moves that go with
it: down a shaft toward an ore's depth, up to the surface, or across the world (privileged: the world
generator's biome map, village sites and terrain heights answer for unloaded ground) to the nearest
biome that grows a block or breeds a mob, village that farms a crop, or shallow water floor that holds
sand and clay.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.census import (
    Census,
    biome_blocks,
    mob_biomes,
    ore_floors,
    shore_blocks,
    village_blocks,
    village_target,
)
from mc_bench.agents.experts.planner import INF
from mc_bench.sim.state import IT_COUNT, IT_ID, IT_META
from mc_bench.tasks.itemgraph import rules_yaml

__all__ = ["PICKAXES", "Seeker"]

TRAVEL_RINGS = 24  # search radius, in 16-block rings (about 380 blocks)
BIOME_RINGS = 48  # a biome's blocks (jungle cocoa) are worth a longer trip: about 770 blocks
SHALLOWS = ("sand", "clay", "gravel")  # also lie on shallow water floors, wherever the biome
SEA_LEVEL = 63
SHORE = 6  # blocks from a coast column to the water it borders
VILLAGE_SPAN = 48  # blocks: village chunks this close to a visited one are taken for the same village
PICKAXES = ("diamond_pickaxe", "iron_pickaxe", "stone_pickaxe", "golden_pickaxe", "wooden_pickaxe")


class Seeker:
    """The seeking half of :class:`~.steps.StepRunner`: where to go for what is not at hand.

    Args:
        x: the expert (body, world view, hunter, mining helpers).
    """

    def __init__(self, x):
        self.x = x
        self.R = x.sim.rules
        self.census: Census | None = None
        self.ore_floor = {self.R.block_id[b]: y for b, y in ore_floors().items() if b in self.R.block_id}
        self.biome_of = biome_blocks()
        self.goals: dict[int, tuple[int, int] | None] = {}  # block -> the far column being travelled to
        self.villages: set = set()  # villages visited in vain
        self.villages_seen: set = set()  # villages headed for

    def count(self, key) -> int:
        inv = self.x.sim.e.inv
        rows = inv[(inv[:, IT_ID] == key[0]) & (inv[:, IT_COUNT] > 0)]
        if key[1] >= 0:
            rows = rows[rows[:, IT_META] == key[1]]
        return int(rows[:, IT_COUNT].sum())

    def filler(self) -> str:
        for name in ("cobblestone", "dirt", "stone", "netherrack"):
            if self.count((self.R.item_id[name], -1)):
                return name
        return "dirt"

    def seek(self, ids: np.ndarray, block: int):
        """No such block loaded near: an ore is sought down a shaft, anything else on the surface; an ore
        of some biomes only (emerald) in one of those, travelled to on the surface first."""
        x = self.x
        floor = self.ore_floor.get(block)
        away = floor is not None and self.biome_target(block) is not None
        if floor is not None and not away and x.wv.cell[1] > floor + 2 and self.can_dig():
            yield from self.descend_to(ids, floor)
            return
        if (floor is None or away) and (yield from self.surface()) is False:
            return
        name = self.R.block_names[block]
        far = self.goals.get(block) or self.biome_target(block)
        if far is None and name in village_blocks():
            here = (x.wv.cell[0], x.wv.cell[2])
            self.villages |= {v for v in self.villages_seen if math.dist(v, here) < 24}  # been there: none left
            far = self.next_village(here, ids.tolist())
        if far is None and name in SHALLOWS:
            far = self.ring_search(self._shallow)
        if far is None and name in shore_blocks():
            far = self.ring_search(self._shore)
        self.goals[block] = far if far is not None and math.dist(far, (x.wv.cell[0], x.wv.cell[2])) > 16 else None
        if far is not None:
            x.stage += f" (travel to {far})"
            yield from self.travel(far)
            return
        x.stage += " (explore)"
        yield from x.hunter.explore()

    def descend_to(self, ids: np.ndarray, floor: int):
        """Sink a shaft until a cell of states ``ids`` lies within 8 blocks, or to height ``floor``; from
        water, swim ashore first (a shaft cannot start there) and leave the shaft to the next call."""
        x = self.x
        if x.wv.in_water or not self._dry((x.wv.cell[0], x.wv.cell[2])):
            land = self.ring_search(self._dry, start=1)
            if land is not None:
                x.stage += " (to land)"
                yield from self.travel(land)
                return

        def near():
            here = x.wv.cell
            return len(x.wv.find_blocks(ids, here, 8, here[1] - 8, here[1] + 8, limit=1, states=True)) > 0

        x.stage += " (descend)"
        yield from self.dig_hand()
        yield from x.descend(near, floor)

    def next_village(self, here, crops=None) -> tuple[int, int] | None:
        """The nearest village whose farm grows a state of ``crops``, not yet visited in vain: a village
        spans several chunks, so chunks within VILLAGE_SPAN of a visited one count as visited too."""
        for _ in range(12):
            far = village_target(self.x.sim, *here, skip=self.villages, crops=crops)
            if far is None or all(math.dist(far, v) >= VILLAGE_SPAN for v in self.villages):
                if far is not None:
                    self.villages_seen.add(far)
                return far
            self.villages.add(far)
        return None

    def mob_target(self, mob: str) -> tuple[int, int] | None:
        """The nearest column of a biome ``mob`` spawns in, when no such mob is loaded and the player
        is not in one of those biomes already (or the hunt failed in this one)."""
        kind = self.R.mob_kind(mob)
        if self.census is not None and self.census.mob(kind) < INF:
            return None
        biomes, gen, (x, _, z) = mob_biomes().get(mob), self.x.sim.gen, self.x.wv.cell
        if rules_yaml("mobs.yaml")["mobs"].get(mob, {}).get("move") == "swim":  # any biome's deep water
            return None if self._deep((x, z)) else self.ring_search(self._deep, start=1)
        here = gen.biome_at(x, z)
        if not biomes or here in biomes and not self.barren(mob):
            return None
        others = biomes - {here}
        return self.ring_search(lambda c: gen.biome_at(*c) in others)

    def barren(self, mob: str) -> bool:
        """A hunt for ``mob`` (a kill, or an item used on it) failed here before: few spawned in this
        biome's ground (an extreme hills' stone), so it is sought in another biome it lives in."""
        failures = getattr(self, "failures", {})
        return any(failures.get((verb, mob), 0) for verb in ("kill", "use"))

    def biome_target(self, block: int) -> tuple[int, int] | None:
        """The nearest column (privileged: the world generator's biome map) of a biome whose own blocks
        include ``block``, when the player is not in one already; None when any biome will do."""
        biomes = self.biome_of.get(self.R.block_names[block])
        gen, (x, _, z) = self.x.sim.gen, self.x.wv.cell
        if not biomes or gen.biome_at(x, z) in biomes:
            return None
        return self.ring_search(lambda c: gen.biome_at(*c) in biomes, rings=BIOME_RINGS)

    def _shallow(self, c) -> bool:
        """A shallow water floor (sand and clay patches lie there): terrain a few blocks under sea level."""
        return SEA_LEVEL - 7 <= self.x.sim.gen.height_at(*c) < SEA_LEVEL - 1

    def _dry(self, c) -> bool:
        """Ground at or above sea level: no water over it."""
        return self.x.sim.gen.height_at(*c) >= SEA_LEVEL

    def _shore(self, c) -> bool:
        """Low land with sea water a few blocks off: where sugar cane grows."""
        h = self.x.sim.gen.height_at
        return SEA_LEVEL - 1 <= h(*c) <= SEA_LEVEL and any(
            h(c[0] + dx, c[1] + dz) < SEA_LEVEL - 1 for dx, dz in ((SHORE, 0), (-SHORE, 0), (0, SHORE), (0, -SHORE)))

    def _deep(self, c) -> bool:
        """Water deep enough for swimming mobs to spawn in: terrain well under sea level."""
        return self.x.sim.gen.height_at(*c) < SEA_LEVEL - 4

    def ring_search(self, good, start: int = 3, rings: int = TRAVEL_RINGS) -> tuple[int, int] | None:
        """The nearest column, on rings of 16-block spacing beyond the loaded chunks' middle, where
        ``good((x, z))`` holds (the world generator answers for unloaded ground too)."""
        x, _, z = self.x.wv.cell
        for r in range(start, rings + 1):
            ring = [(x + dx * 16, z + dz * 16) for dx in range(-r, r + 1) for dz in range(-r, r + 1)
                    if max(abs(dx), abs(dz)) == r]
            hits = [c for c in ring if good(c)]
            if hits:
                return min(hits, key=lambda c: (c[0] - x) ** 2 + (c[1] - z) ** 2)
        return None

    def travel(self, target: tuple[int, int], legs: int = 12):
        """Walk toward a far column in A* legs, replanning as chunks stream in."""
        x = self.x
        tx, tz = target
        yield from self.dig_hand()
        for _ in range(legs):
            here = x.wv.cell
            if abs(here[0] - tx) + abs(here[2] - tz) < 8 or x.out_of_time():
                return True
            steps, _ = x.planner(pillar=self.count((self.R.item_id["dirt"], -1)) > 0).search(
                here, lambda c: abs(c[0] - tx) + abs(c[2] - tz) < 4, (tx + 0.5, here[1], tz + 0.5), 4000, 2.0)
            ok = yield from skills.follow(x.body, steps, place_item="dirt", limit=24)
            if not (ok and steps):
                yield from x.hunter.jiggle()
        return False

    def pickaxe(self) -> str | None:
        """The best pickaxe held, if any."""
        return next((p for p in PICKAXES if self.count((self.R.item_id[p], -1))), None)

    def dig_hand(self):
        """The best pickaxe in hand for a path that may tunnel (A* prices digging by the held item); one
        the step does not need, but wood (slow), when held: tunnels wear out a pickaxe the ore needs."""
        spare = getattr(self, "spare", frozenset())
        other = [p for p in PICKAXES[:-1] if self.R.item_id[p] not in spare and self.count((self.R.item_id[p], -1))]
        pick = other[0] if spare and other else self.pickaxe()
        if pick:
            yield from self.x.equip(pick)

    def can_dig(self) -> bool:
        return self.pickaxe() is not None

    def surface(self):
        """Climb to the open surface (stairs dug upward, pillars where blocks are held)."""
        x = self.x
        gen = x.sim.gen
        heights: dict[tuple[int, int], int] = {}

        def top(c):
            k = (c[0], c[2])
            if k not in heights:
                heights[k] = gen.height_at(*k)
            return heights[k]

        for _ in range(10):
            here = x.wv.cell
            if here[1] >= top(here) or x.out_of_time():
                return True
            yield from self.dig_hand()
            pillar = self.filler() != "dirt" or self.count((self.R.item_id["dirt"], -1)) > 0
            steps, _ = x.planner(pillar=pillar).search(here, lambda c: c[1] >= top(c), (here[0] + 0.5, top(here) + 1,
                                                                                        here[2] + 0.5), 3000, 2.0)
            ok = yield from skills.follow(x.body, steps, place_item=self.filler(), sprint=False, limit=30)
            if not (ok and steps):
                yield from x.hunter.jiggle()
        return x.wv.cell[1] >= top(x.wv.cell)
