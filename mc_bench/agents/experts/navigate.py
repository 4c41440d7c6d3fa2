"""Navigate expert: path to the diamond block (privileged: its column is ``sim.goal``).

The goal is usually beyond the loaded chunks at first, so the expert plans toward it, walks a
stretch, and replans as new chunks stream in. It digs (by hand) through what blocks the way, swims,
and pillars up with the dirt it picked up when a cliff is cheaper to climb than to walk round.
"""

from __future__ import annotations

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.base import Expert
from mc_bench.agents.experts.control import angles_to
from mc_bench.agents.experts.world import Cell

LEG = 24  # steps walked before replanning (new chunks, new dirt)
DIRT_WANTED = 8


class NavigateExpert(Expert):
    """Touches the diamond block of MineRLNavigate(-Dense/-Extreme)-v0."""

    def plan(self):
        self.goal_block = self.sim.rules.block("diamond_block")
        fails = 0
        while True:
            gy = self.goal_y()
            goals = self.goal_cells(gy) if gy is not None else set()
            target = (self.sim.goal[0] + 0.5, self.est_y() if gy is None else gy, self.sim.goal[1] + 0.5)
            dirt = self.wv.count("dirt") > 0
            steps, reached = self.path_to(goals, target, max_nodes=5000, pillar=dirt)
            if reached and len(steps) <= LEG:
                ok = yield from skills.follow(self.body, steps, place_item="dirt")
                if ok:
                    yield from self.touch(gy)
            else:
                ok = yield from skills.follow(self.body, steps, place_item="dirt", limit=LEG)
            fails = 0 if ok and steps else fails + 1
            if fails >= 3:
                yield from self.unstick()
                fails = 0

    def goal_y(self) -> int | None:
        """y of the diamond block, once its column is loaded."""
        gx, gz = self.sim.goal
        for y in range(255, -1, -1):
            b = self.wv.block(gx, y, gz)
            if b == -1:
                return None
            if b == self.goal_block:
                return y
        return None

    def est_y(self) -> float:
        gx, gz = self.sim.goal
        return float(self.sim.gen.height_at(gx, gz) + 1)

    def goal_cells(self, gy: int) -> set[Cell]:
        """Feet cells from which a short push touches the block: beside it or on top."""
        gx, gz = self.sim.goal
        cells = {(gx, gy + 1, gz)}
        for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            for y in (gy - 1, gy, gy + 1):
                cells.add((gx + dx, y, gz + dz))
        return cells

    def touch(self, gy: int):
        """Lean into the block: the env ends the episode on contact."""
        gx, gz = self.sim.goal
        for _ in range(30):
            x, _, z = self.wv.pos
            yaw = angles_to((x, 0.0, z), (gx + 0.5, 0.0, gz + 0.5))[1]
            yield self.body.act(camera=self.body.turn(20.0, yaw), forward=1)

    def unstick(self):
        """Repeated failures in one spot: take a few random steps and jump, then replan."""
        yaw = float(self.rng.uniform(-180, 180))
        for _ in range(20):
            yield self.body.act(camera=self.body.turn(0.0, yaw), forward=1, jump=1)
