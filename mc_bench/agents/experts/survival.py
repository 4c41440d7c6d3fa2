"""Survival expert: arm, hunt, cook, then hole up before dark.

Day one: wood -> wooden sword and pickaxe -> hunt a few animals -> a shaft down (its stone pays for a
stone sword and a furnace) -> cook the meat in the shaft -> seal the shaft above the head with a
block. Inside the sealed 1x1 shaft no monster can reach or see the player, and a player who stands
still with full health burns no food, so the rest is waiting: eat cooked meat (equip it, hold
``use``) whenever the food bar drops below 14, fight whatever comes within reach.
"""

from __future__ import annotations

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.hunt import ANIMALS, MEATS, _HuntingExpert
from mc_bench.sim.state import FOOD, TICK, WORLD_TIME

EAT_BELOW = 14
MEAT_WANTED = 3
HUNT_TICKS = 2500  # the whole day-one hunting budget
DUSK = 11500  # world time by which the player should be underground
COBBLE = 12  # furnace 8 + stone sword 2 + blocks to seal the shaft


class SurvivalExpert(_HuntingExpert):
    """Plays MineRLSurvival-v0."""

    def meat(self) -> int:
        return sum(self.wv.count(m) + self.wv.count(v) for m, v in MEATS.items())

    def raw(self) -> list[str]:
        return [m for m in MEATS if self.wv.count(m)]

    def cooked(self) -> list[str]:
        return [v for v in MEATS.values() if self.wv.count(v)]

    def late(self) -> bool:
        t = int(self.sim.e.pi[WORLD_TIME])
        return DUSK <= t < 23000

    def plan(self):
        c = self.wv.count
        yield from self.start(6)
        hunted = 0
        for _ in range(6000):  # each rung costs a tick: the horizon bounds it, not a rung count
            yield from self.eat()
            if self.late():
                break  # dusk: seal in wherever the plan got to
            furnace = c("furnace") > 0 or self.near_station("furnace") is not None
            if not c("wooden_sword") and not c("stone_sword"):
                yield from self.sword()
            elif not c("wooden_pickaxe") and not c("stone_sword") and c("cobblestone") < COBBLE:
                yield from self.tool("wooden_pickaxe", {"planks": 3})
            elif self.meat() < MEAT_WANTED and hunted < HUNT_TICKS and not self.late() and c("cobblestone") == 0:
                self.stage = "hunt"
                yield from self.equip("wooden_sword")
                t0 = int(self.sim.e.pi[TICK])
                yield from self.hunter.hunt(ANIMALS, lambda: self.meat() >= MEAT_WANTED or self.late(),
                                            max_ticks=HUNT_TICKS - hunted)
                hunted += int(self.sim.e.pi[TICK]) - t0
            elif c("cobblestone") < COBBLE and not c("stone_sword"):
                self.stage = "shaft"
                yield from self.equip("wooden_pickaxe")
                yield from self.descend(lambda: c("cobblestone") >= COBBLE, 6)
                yield from self.mine({"stone"}, lambda: c("cobblestone"), COBBLE)
            elif not c("stone_sword"):
                yield from self.sticks(1)
                yield from self.craft_at_table("stone_sword")
            elif self.raw() and not furnace:
                yield from self.craft_at_table("furnace")
            elif self.raw():
                self.stage = "cook"
                n = sum(c(m) for m in self.raw())
                if c("coal") == 0:
                    yield from self.planks(min(n, 4))
                outputs = [MEATS[m] for m in self.raw() for _ in range(c(m))]
                if not (yield from self.at_station("furnace", "nearbySmelt", outputs)):
                    yield from self.dry_spot()
                if self.raw() and c("planks") == 0 and c("log") == 0:
                    break  # out of fuel: keep the raw meat
            else:
                break
            yield self.body.act()
        yield from self.seal()
        self.stage = "wait"
        while True:
            yield from self.eat()
            yield from self.equip("stone_sword" if c("stone_sword") else "wooden_sword")
            for _ in range(100):
                yield self.body.act()

    def seal(self):
        """Close the cell above the head (the shaft) with a block."""
        self.stage = "seal"
        yield from self.equip("stone_sword" if self.wv.count("stone_sword") else "wooden_sword")
        x, y, z = self.wv.cell
        for item in ("cobblestone", "dirt"):
            if self.wv.count(item) and self.wv.is_air_like(x, y + 2, z):
                ok = yield from skills.place_block(self.body, item, (x, y + 2, z))
                if ok:
                    return True
        return not self.wv.is_air_like(x, y + 2, z)

    def eat(self):
        """Eat cooked meat (raw meat cannot be equipped in this task) while the food bar is below ``EAT_BELOW``."""
        pf = self.sim.e.pf
        for _ in range(4):
            if pf[FOOD] >= EAT_BELOW:
                return True
            food = self.cooked()
            if not food:
                return False
            self.stage = f"eat {food[0]}"
            yield from self.command("equip", food[0])
            n = self.wv.count(food[0])
            for _ in range(40):
                if self.wv.count(food[0]) < n:
                    break
                yield self.body.act(use=1)
        return pf[FOOD] >= EAT_BELOW
