"""The expert base: episode bookkeeping and the generator that drives a plan one tick at a time."""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from mc_bench.agents.experts.control import Body
from mc_bench.agents.experts.pathing import Moves, Planner, Step
from mc_bench.agents.experts.world import Cell, WorldView
from mc_bench.sim.interact import break_delta, held_item
from mc_bench.sim.state import ONGROUND, TICK

HIT_DELAY_TICKS = 6  # the engine's pause after each broken block, plus the first click
RESPAWN_JUMP = 8.0  # blocks the body moves in one step only by respawning


class Died(Exception):
    """Thrown into a plan whose player died (see ``Expert.ABORT_ON_DEATH``): whatever skill was running
    planned with things the player no longer has, from a place it is no longer at."""


class Expert:
    """A privileged scripted player. Subclasses write :meth:`plan` as a generator of actions.

    Args:
        env: the env it plays (wrappers allowed); ``env.unwrapped.sim`` is read, never written.
        seed: seed of the expert's own choices; episode ``k`` of this object uses ``[seed, k]``
            unless :meth:`reset` is given a seed.
    """

    ABORT_ON_DEATH = False  # MineDojo plans catch Died and plan again; MineRL episodes end at a death

    def __init__(self, env, seed: int | None = None):
        self.env = env
        self.sim = env.unwrapped.sim
        self.seed = 0 if seed is None else int(seed)
        self.episodes = 0
        self._gen: Generator[dict, None, Any] | None = None
        self._last_tick = -1
        spec = getattr(env, "spec", None)
        # Env steps one episode may take (the horizon): long loops give up once it is spent.
        self.budget: int | None = spec.max_episode_steps if spec is not None else None
        self._break_cache: dict[tuple[int, int], float] = {}

    def reset(self, seed: int | None = None) -> None:
        """Start a new episode plan (called automatically when the env's clock restarts)."""
        key = [self.seed, self.episodes] if seed is None else [int(seed)]
        self.episodes += 1
        self.rng = np.random.default_rng(key)
        self.wv = WorldView(self.sim)
        self.body = Body(self.env.action_space, self.wv, self.rng)
        self.stage = "start"  # what the plan is doing, for logs and failure reports
        self.steps = 0  # actions returned this episode
        self.deaths = 0  # respawns seen (the body jumped back to the world spawn)
        self.death_spot = None
        self.death_spots: list[tuple[float, float, float]] = []  # every place it died this episode
        self._last_pos = self.wv.pos
        self._gen = self._run()
        self._last_tick = -1  # else the first act() sees the clock "restart" and reseeds the plan

    def act(self, obs: Any) -> dict:
        """The next action of the plan (no-op once the plan has finished)."""
        tick = int(self.sim.e.pi[TICK])
        if self._gen is None or tick <= self._last_tick:
            self.reset()
        self._last_tick = tick
        self.steps += 1
        pos = self.wv.pos
        if math.dist(pos, self._last_pos) > RESPAWN_JUMP:  # MineDojo's episodes go on after a death
            self.deaths += 1
            self.death_spot = (self._last_pos, tick)  # where the inventory was dropped, and when
            self.death_spots.append(self._last_pos)
        self._last_pos = pos
        return next(self._gen)

    def out_of_time(self) -> bool:
        """The episode's step budget is spent: plans stop and the expert idles."""
        return self.budget is not None and self.steps >= self.budget

    def _run(self):
        yield from self.plan()
        while True:
            yield self.body.act()

    def plan(self) -> Generator[dict, None, Any]:
        raise NotImplementedError

    # ------------------------------------------------------------ shared helpers

    def break_ticks(self, block: int) -> float:
        """Ticks to mine ``block`` with the held item, standing dry on the ground (inf: unbreakable)."""
        held = int(held_item(self.sim.e.inv, self.sim.e.pi))
        key = (block, held)
        t = self._break_cache.get(key)
        if t is None:
            pi = self.sim.e.pi.copy()
            pi[ONGROUND] = 1
            d = break_delta(self.sim.R, self.sim.e.pf, pi, np.uint16(block << 4), held, False)
            t = float("inf") if d <= 0 else float(np.ceil(1.0 / min(d, 1.0))) + HIT_DELAY_TICKS
            self._break_cache[key] = t
        return t

    def planner(self, **kw) -> Planner:
        return Planner(self.wv, Moves(break_ticks=self.break_ticks, **kw))

    def path_to(self, goals: set[Cell], target, max_nodes: int = 6000, weight: float = 1.5,
                **kw) -> tuple[list[Step], bool]:
        """Plan from the current feet cell to any of ``goals``."""
        return self.planner(**kw).search(self.wv.cell, goals.__contains__, target, max_nodes, weight)

