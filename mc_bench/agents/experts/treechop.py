"""Treechop expert: walk to the nearest trunk, fell it from inside, pick up the logs.

A trunk is felled by mining its two lowest logs from beside it, stepping into its column and
mining straight up: nothing (leaves, branches) stands between the eye and the logs there, and
the drops fall onto the player. Logs beyond reach (about 6 above the base) are left hanging.
"""

from __future__ import annotations

import math

import numpy as np

from mc_bench.agents.experts import skills
from mc_bench.agents.experts.base import Expert
from mc_bench.agents.experts.world import Cell

REACH = 4.4  # a little under the engine's 4.5, so aiming at the centre always connects
SEARCH_RADIUS = 30
COLUMN_REACH = 6  # logs up to base + 6 can be mined from inside the column
VARIANT_LEGS = 8  # explore legs (24 blocks each) spent looking for one kind of tree before giving it up


class TreeSkills:
    """Tree finding and felling, shared by every expert that needs wood."""

    def __init__(self, expert: Expert, log_names=("log", "log2"), states=None):
        self.x = expert
        self.logs = {expert.sim.rules.block(n) for n in log_names}
        self.states = states  # only trunks whose base is one of these block states (oak for oak planks)
        self.done: set[tuple[int, int]] = set()  # trunk columns felled or given up

    def trunks(self, radius: int = SEARCH_RADIUS) -> list[Cell]:
        """Bases of trunks (a log on a non-log solid block) near the player, nearest first."""
        wv = self.x.wv
        here = wv.cell
        cells = wv.find_blocks(self.logs, here, radius, max(0, here[1] - 12), min(255, here[1] + 12))
        out = []
        for x, y, z in cells.tolist():
            below = wv.block(x, y - 1, z)
            if (x, z) in self.done or below in self.logs or below == -1 or not wv.solid[below]:
                continue
            if self.states is not None and wv.state(x, y, z) not in self.states:
                continue
            out.append((x, y, z))
        return out

    def approach(self, bases: list[Cell]):
        """Walk beside one of ``bases``; returns the base reached or None."""
        goals = {}
        for b in bases[:8]:
            for dx, dz in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                for dy in (0, -1, 1):
                    goals.setdefault((b[0] + dx, b[1] + dy, b[2] + dz), b)
        steps, reached = self.x.path_to(set(goals), bases[0], max_nodes=4000)
        if not reached:
            self.done.add((bases[0][0], bases[0][2]))  # unreachable for now: try the others
            return None
        ok = yield from skills.follow(self.x.body, steps)
        return goals[steps[-1].cell] if ok and steps else (goals.get(self.x.wv.cell) if ok else None)

    def fell(self, base: Cell):
        """Mine the trunk whose lowest log is ``base``, from inside its column."""
        body, wv = self.x.body, self.x.wv
        bx, by, bz = base
        self.done.add((bx, bz))
        ok = yield from skills.clear_cells(body, [(bx, by + 1, bz), base])
        if not ok:
            return False
        ok = yield from skills.walk_to(body, base, centre_on=True, max_ticks=60)
        if not ok:
            return False
        for k in range(2, COLUMN_REACH + 1):
            if wv.block(bx, by + k, bz) not in self.logs:
                break
            ok = yield from skills.break_block(body, (bx, by + k, bz), max_ticks=120)
            if not ok:
                break
        yield from self.branches()
        return True

    def branches(self, limit: int = 6):
        """Mine other logs within reach (branches, neighbouring trunks' low logs)."""
        wv = self.x.wv
        eye = np.asarray(wv.eye)
        for _ in range(limit):
            cells = wv.find_blocks(self.logs, wv.cell, 5, max(0, wv.cell[1] - 2), min(255, wv.cell[1] + 7))
            near = [tuple(c) for c in cells.tolist() if np.linalg.norm(np.asarray(c) + 0.5 - eye) < REACH]
            if not near:
                return
            ok = yield from skills.break_block(self.x.body, near[0], max_ticks=80)
            if not ok:
                return

    def pick_up(self, radius: float = 8.0):
        """Walk over the dropped items around the player."""
        wv = self.x.wv
        pts = [p for p in wv.ground_items(wv.pos, radius).tolist() if abs(p[1] - wv.pos[1]) < 2.0]
        if pts:
            yield from skills.collect(self.x.body, pts[:6], max_ticks=40 * min(len(pts), 6))

    def explore(self):
        """No trunk in sight: head off in a seeded random direction."""
        wv = self.x.wv
        ang = self.x.rng.uniform(0, 2 * math.pi)
        x, y, z = wv.cell
        tx, tz = x + 24 * math.cos(ang), z + 24 * math.sin(ang)
        planner = self.x.planner()
        steps, _ = planner.search(wv.cell, lambda c: math.hypot(c[0] - tx, c[2] - tz) < 2, (tx, y, tz), 3000)
        ok = yield from skills.follow(self.x.body, steps)
        if not (ok and steps):  # boxed in: jump about so the loop always makes progress
            yaw = math.degrees(ang)
            for _ in range(15):
                yield self.x.body.act(camera=self.x.body.turn(0.0, yaw), forward=1, jump=1)

    def gather(self, want: int, count):
        """Fell trees until ``count()`` reaches ``want``; False once a search for one kind of tree (oak for
        oak planks) has wandered VARIANT_LEGS legs in vain, so the plan can turn to a kind that grows here."""
        misses = legs = 0
        while count() < want:
            yield from self.pick_up()
            bases = self.trunks()
            if not bases:
                legs += 1
                if self.states is not None and legs > VARIANT_LEGS:
                    return False
                yield from self.explore()
                continue
            legs = 0
            base = yield from self.approach(bases)
            if base is None:
                misses += 1
                if misses % 5 == 0:
                    yield from self.explore()
                continue
            yield from self.fell(base)
        return True


class TreechopExpert(Expert):
    """Collects 64 logs in a forest (MineRLTreechop-v0)."""

    def plan(self):
        trees = TreeSkills(self)
        yield from trees.gather(64, lambda: self.wv.count("log") + self.wv.count("log2"))
