"""MineRL-v0 tasks as gymnasium envs, built from a TaskSpec (one class for every MineRL task)."""

from __future__ import annotations

import math
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

from mc_bench.envs.spaces import ActionDict, Enum
from mc_bench.error import InvalidAction, ResetNeeded
from mc_bench.rules import load_rules
from mc_bench.sim.engine import (
    A_ATTACK,
    A_BACK,
    A_DPITCH,
    A_DYAW,
    A_FWD,
    A_JUMP,
    A_LEFT,
    A_PLACE,
    A_RIGHT,
    A_SNEAK,
    A_SPRINT,
    A_USE,
    Sim,
    Start,
    noop_action,
)
from mc_bench.sim.render import Renderer
from mc_bench.sim.state import (
    DEAD,
    IT_COUNT,
    IT_ID,
    IT_META,
    PX,
    PZ,
    SLOT,
    ST_KILL,
    TICK,
    YAW,
)
from mc_bench.sim.worldgen import WorldGen
from mc_bench.tasks import terms
from mc_bench.tasks.registry import get_spec
from mc_bench.tasks.spec import ITEM_ACTIONS

KEY_INDEX = {"forward": A_FWD, "back": A_BACK, "left": A_LEFT, "right": A_RIGHT, "jump": A_JUMP,
             "sneak": A_SNEAK, "sprint": A_SPRINT, "attack": A_ATTACK, "use": A_USE}
INV_MAX = 2304  # 36 slots x 64
DAMAGE_MAX = 1562  # diamond tools' durability: MineRL's bound for equipped damage
COMMANDS = ("craft", "nearbyCraft", "nearbySmelt", "equip")  # run before the tick, in this order


class MineRLEnv(gymnasium.Env):
    """A MineRL-v0 task on the embedded engine. The task id picks the YAML spec.

    Args:
        task: registered MineRL task id, e.g. ``"MineRLTreechop-v0"``.
        render_mode: ``None`` or ``"rgb_array"`` (the current POV frame).
        resolution: ``(height, width)`` of ``pov``; defaults to the task's (64x64).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(self, task: str, render_mode: str | None = None, resolution: tuple[int, int] | None = None):
        self.task = get_spec(task)
        self.rules = rules = load_rules()
        self.render_mode = render_mode
        h, w = resolution or self.task.pov
        preset = self.task.world.preset
        self.sim = Sim(rules, lambda seed: WorldGen(rules, preset, seed))
        self.renderer = Renderer(rules, height=h, width=w)
        self._frame = np.zeros((h, w, 3), np.uint8)
        self._start = Start(
            inventory=[(rules.item(n), 0, c) for n, c in self.task.start_inventory],
            world_time=self.task.world.time, time_frozen=self.task.world.time_frozen,
            mobs=self.task.world.mob_spawning)
        self.observation_space = self._obs_space(h, w)
        self.action_space = self._act_space()
        inv_names = sorted(self.task.obs_inventory)
        ids = [terms.item_ids(rules, n) for n in inv_names]
        self._inv_names = inv_names  # observed counts: item ids flattened, with the key index of each
        self._inv_flat = np.array([i for group in ids for i in group], np.int64)
        self._inv_group = np.array([k for k, group in enumerate(ids) for _ in group], np.int64)
        self._kill_kinds = [(n, rules.mob_kind(n)) for n in rules.mob_names]
        self._kills = None  # (total kills, per-mob dict) as last reported
        self._rewards = terms.build(terms.REWARDS, rules, self.task.reward)
        self._ends = terms.build(terms.TERMINATIONS, rules, self.task.terminate)
        self._decorators = terms.build(terms.DECORATORS, rules, self.task.decorators)
        self._act = noop_action()
        self._item_ids = {k: {v: _item_or_none(rules, v) for v in self._enum_values(k)} for k in ITEM_ACTIONS}
        self._commands: list[tuple[str, int]] = []
        self._run = {"craft": lambda i: self.sim.craft(i, nearby=False), "nearbyCraft": lambda i: self.sim.craft(i, True),
                     "nearbySmelt": self.sim.smelt, "equip": self.sim.equip}
        self._equip_names = {rules.item(n): n for n in self.task.obs_equipped}
        self._running = False

    # ------------------------------------------------------------------ spaces

    def _obs_space(self, h: int, w: int) -> spaces.Dict:
        d: dict[str, spaces.Space] = {"pov": spaces.Box(0, 255, (h, w, 3), np.uint8)}
        if self.task.obs_compass:
            d["compass"] = spaces.Dict({"angle": spaces.Box(-180.0, 180.0, (), np.float32)})
        if self.task.obs_inventory:
            d["inventory"] = spaces.Dict(
                {n: spaces.Box(0, INV_MAX, (), np.int32) for n in sorted(self.task.obs_inventory)})
        if self.task.obs_equipped:
            hand = {"damage": spaces.Box(-1, DAMAGE_MAX, (), np.int64),
                    "maxDamage": spaces.Box(-1, DAMAGE_MAX, (), np.int64),
                    "type": Enum(*self.task.obs_equipped, "air", "none", "other")}
            d["equipped_items"] = spaces.Dict({"mainhand": spaces.Dict(hand)})
        return spaces.Dict(dict(sorted(d.items())))

    def _enum_values(self, key: str) -> tuple[str, ...]:
        vals = getattr(self.task, key)
        return tuple(sorted(set(vals) | {"none"})) if vals else ()

    def _act_space(self) -> ActionDict:
        d: dict[str, spaces.Space] = {k: spaces.Discrete(2) for k in self.task.keys}
        if self.task.camera:
            d["camera"] = spaces.Box(-180.0, 180.0, (2,), np.float32)
        for k in ITEM_ACTIONS:
            if getattr(self.task, k):
                d[k] = Enum(*self._enum_values(k))
        return ActionDict(dict(sorted(d.items())))

    # ------------------------------------------------------------------ gymnasium API

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        """Start an episode in a new world drawn from ``seed`` (or the env's running generator)."""
        super().reset(seed=seed)
        self._kills = None
        episode_seed = int(self.np_random.integers(0, 2**63 - 1))
        ss = np.random.SeedSequence(episode_seed)
        world_ss, task_ss = ss.spawn(2)
        self.sim.reset(int(world_ss.generate_state(1, np.uint64)[0]), self._start)
        self.sim.compass_target = None
        task_rng = np.random.default_rng(task_ss)
        for d in self._decorators:
            d.apply(self.sim, task_rng)
        self._needle = self._needle_target()
        self._spin = 0.0
        for t in self._rewards + self._ends:
            t.reset(self.sim)
        self._running = True
        return self._observe(), self._info(False)

    def step(self, action: dict[str, Any]):
        """Advance one 50 ms tick; returns (obs, reward, terminated, truncated, info)."""
        if not self._running:
            raise ResetNeeded("Call reset() before step(), and again after an episode ends.")
        act = self._encode(action)
        for key, item in self._commands:
            self._run[key](item)
        self.sim.step(act)
        reward = 0.0
        for t in self._rewards:
            reward += t(self.sim)
        success = any(t(self.sim) for t in self._ends)
        dead = bool(self.sim.e.pi[DEAD])
        terminated = success or dead
        self._running = not terminated
        return self._observe(), reward, terminated, False, self._info(success)

    def _info(self, success: bool) -> dict:
        """``success``, plus ``kills`` (mob name -> player kills this episode) where mobs spawn."""
        if not self.task.world.mob_spawning:
            return {"success": success}
        kills = self.sim.e.stats[ST_KILL]
        total = int(kills.sum())
        if self._kills is None or total != self._kills[0]:  # kills only grow in an episode
            self._kills = (total, {n: int(kills[k]) for n, k in self._kill_kinds})
        return {"success": success, "kills": dict(self._kills[1])}

    def render(self):
        """The current POV frame (``render_mode="rgb_array"``)."""
        return self._frame.copy()

    def close(self):
        self._running = False

    # ------------------------------------------------------------------ observations

    def _observe(self) -> dict:
        self.renderer.render_sim(self.sim, self._frame)
        obs: dict[str, Any] = {}
        if self.task.obs_compass:
            obs["compass"] = {"angle": np.array(self._compass(), np.float32)}
        if self._inv_names:
            held = np.bincount(self._inv_group, weights=self.sim.item_counts()[self._inv_flat],
                               minlength=len(self._inv_names))
            held = np.minimum(held, INV_MAX).astype(np.int32)
            obs["inventory"] = {n: held[k, ...] for k, n in enumerate(self._inv_names)}
        if self.task.obs_equipped:
            obs["equipped_items"] = {"mainhand": self._mainhand()}
        obs["pov"] = self._frame.copy()
        return obs

    def _mainhand(self) -> dict:
        """MineRL's equipped_items.mainhand: type name ('air' when empty, 'other' if not in the Enum)."""
        slot = self.sim.e.inv[self.sim.e.pi[SLOT]]
        item = int(slot[IT_ID]) if slot[IT_COUNT] > 0 else 0
        max_damage = int(self.rules.max_damage[item])
        name = "air" if item == 0 else self._equip_names.get(item, "other")
        return {"damage": np.array(int(slot[IT_META]) if max_damage else 0, np.int64),
                "maxDamage": np.array(max_damage, np.int64), "type": name}

    def _needle_target(self) -> float:
        """Where the compass needle wants to point, in turns (vanilla ItemCompass)."""
        if self.sim.compass_target is None:
            return 0.0
        pf = self.sim.e.pf
        tx, _, tz = self.sim.compass_target
        to_target = math.atan2(tz - pf[PZ], tx - pf[PX]) / (2 * math.pi)
        facing = (pf[YAW] / 360.0) % 1.0
        return 0.5 - (facing - 0.25 - to_target)

    def _compass(self) -> float:
        """Compass angle in degrees, 0 = facing the target, positive = target to the right.

        The needle follows vanilla's damped wobble (0.1 pull, 0.8 damping per tick), starting
        settled on the target at reset.
        """
        goal = self._needle_target()
        if self.sim.e.pi[TICK] > 0:
            diff = (goal - self._needle + 0.5) % 1.0 - 0.5
            self._spin = (self._spin + diff * 0.1) * 0.8
            self._needle = (self._needle + self._spin) % 1.0
        return float(((self._needle * 360.0 + 180.0) % 360.0) - 180.0)

    # ------------------------------------------------------------------ actions

    def _encode(self, action: Any) -> np.ndarray:
        """Validate a dict action against the action space and pack it into the engine's vector."""
        if not isinstance(action, dict):
            raise InvalidAction(f"Action must be a dict with keys {sorted(self.action_space.spaces)}, "
                                f"got {type(action).__name__}. Start from env.action_space.noop().")
        if action.keys() != self.action_space.spaces.keys():
            self._key_error(action)
        a = self._act
        for k in self.task.keys:
            a[KEY_INDEX[k]] = _binary(k, action[k])
        if self.task.camera:
            a[A_DPITCH], a[A_DYAW] = _camera(action["camera"])
        self._commands.clear()
        for k, ids in self._item_ids.items():
            if not ids:
                continue
            item = ids[_enum(self.action_space[k], k, action[k])]
            if k == "place":
                a[A_PLACE] = item
            elif item >= 0:
                self._commands.append((k, item))
        return a

    def _key_error(self, action: dict):
        want = set(self.action_space.spaces)
        missing, extra = sorted(want - set(action)), sorted(set(action) - want)
        raise InvalidAction(f"Action keys do not match the action space: missing {missing}, unknown {extra}. "
                            f"Valid keys: {sorted(want)}; start from env.action_space.noop().")


def _item_or_none(rules, name: str) -> int:
    """Item id of an Enum value: 'none' = -1 (do nothing), 'air' = 0 (empty hand)."""
    return {"none": -1, "air": 0}.get(name) if name in ("none", "air") else rules.item(name)


def _binary(key: str, v: Any) -> int:
    try:
        iv = int(v)
    except (TypeError, ValueError):
        iv = None
    if iv is None or iv != v or iv not in (0, 1):
        raise InvalidAction(f"Action {key!r} must be 0 or 1 (Discrete(2)), got {v!r}.")
    return iv


def _camera(v: Any) -> tuple[float, float]:
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (2,):
        raise InvalidAction(f"Action 'camera' must be [delta_pitch, delta_yaw] (shape (2,)), got {v!r}.")
    p, y = float(arr[0]), float(arr[1])
    if not (-180.0 <= p <= 180.0 and -180.0 <= y <= 180.0):  # also false for NaN
        raise InvalidAction(f"Action 'camera' values must be finite degrees in [-180, 180], got {[p, y]}.")
    return p, y


def _enum(space: Enum, key: str, v: Any) -> str:
    i = space.index(v)
    if i is None:
        raise InvalidAction(f"Action {key!r} must be one of {list(space.values)} or its index "
                            f"0..{len(space.values) - 1}, got {v!r}.")
    return space.values[i]
