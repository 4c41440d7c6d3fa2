"""MineDojo's programmatic tasks as gymnasium envs on the embedded engine (reference §1-§2).

One class runs every id: ``MineDojo/<task_id>-v0`` (or ``mc_bench.make("<task_id>")``). The task's
settings (``tasks/minedojo/templates.yaml``) pick the world, the start inventory and equipment, the
summoned mobs and the clock; the observation and action spaces are MineDojo's (see
:mod:`mc_bench.envs.minedojo_spaces`); success and reward follow the four meta-task classes.
Where we differ from MineDojo, the docs page (docs/minedojo.md) and a test say so.
"""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np

from mc_bench.envs.minedojo_obs import Observer
from mc_bench.envs.minedojo_spaces import (
    N_SLOTS,
    camera_bins,
    craft_table,
    multi_discrete,
    native_space,
    obs_space,
)
from mc_bench.envs.minerl import KEY_INDEX, _binary, _camera, _enum
from mc_bench.error import (
    DimensionNotBuilt,
    InvalidAction,
    ResetNeeded,
    RulesValidationError,
    UnknownTask,
)
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
    HEALTH,
    IT_COUNT,
    IT_ID,
    PX,
    PY,
    PZ,
    ST_KILL,
    ST_USE,
)
from mc_bench.sim.worldgen import WorldGen, preset_names
from mc_bench.tasks.feasibility import assess, required_dimension
from mc_bench.tasks.minedojo import expand, task_of

__all__ = ["MineDojoEnv", "TICKS_PER_DAY", "PADDED"]

TICKS_PER_DAY = 24000
PADDED = frozenset({2, 4, 5, 6, 7})  # drop, craft, equip, place, destroy: two extra no-op ticks (§2.5)
NIGHT_START = {"harvest": 18000, "combat": 13000}  # start_at_night per class (MineDojo's metas)
ALWAYS_NIGHT = 18000
TECH_USE_WEIGHT, SURVIVAL_DAY_REWARD = 10.0, 1.0


class MineDojoEnv(gymnasium.Env):
    """A MineDojo programmatic task on the embedded engine.

    Args:
        task: a MineDojo task id (``"harvest_1_log"``) or its gym id (``"MineDojo/harvest_1_log-v0"``).
        image_size: ``(height, width)`` of ``rgb`` (MineDojo requires it; we default to MineCLIP's
            160x256), or one int for a square image.
        cam_interval: degrees per camera bin of the MultiDiscrete action (15: 25 bins).
        action_space: ``"multi_discrete"`` (MineDojo's agent-facing space) or ``"dict"`` (its native one).
        render_mode: ``None`` or ``"rgb_array"``.

    Raises:
        UnknownTask: ``task`` is not a MineDojo id.
        DimensionNotBuilt: the task needs the Nether or the End.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(self, task: str, image_size: int | tuple[int, int] = (160, 256), cam_interval: float = 15,
                 action_space: str = "multi_discrete", render_mode: str | None = None):
        spec = task_of(task)
        if spec is None:
            raise UnknownTask(task, list(expand()))
        dimension = required_dimension(spec.id)
        if dimension != "overworld":
            raise DimensionNotBuilt(spec.id, dimension, assess(spec.id).reason)
        if action_space not in ("multi_discrete", "dict"):
            raise ValueError(f"action_space must be 'multi_discrete' or 'dict', got {action_space!r}.")
        self.spec_task = spec
        self.task_prompt, self.task_guidance, self.task_suites = spec.prompt, spec.guidance, spec.suites
        self.rules = rules = load_rules()
        self.render_mode = render_mode
        h, w = (image_size, image_size) if isinstance(image_size, int) else tuple(image_size)
        s = spec.settings
        preset = _preset(s.get("specified_biome"))
        self.sim = Sim(rules, lambda seed: WorldGen(rules, preset, seed))
        self.sim.placed_only = False  # Malmo's nearby test counts any table or furnace in view
        self.renderer = Renderer(rules, height=h, width=w, hud=True)
        self.table = craft_table(rules)
        self.observer = Observer(rules, self.sim, self.renderer, self.table, (h, w))
        self.observation_space = obs_space(rules, (h, w), len(self.table.names), self.observer.voxel_shape)
        self._bins = camera_bins(cam_interval)
        self._cam = float(cam_interval)
        self._native = action_space == "dict"
        self.action_space = native_space(rules, self.table) if self._native else multi_discrete(
            cam_interval, len(self.table.names))
        start = [(e["slot"], rules.item(e["name"]), e["variant"], e["quantity"]) for e in s.get("initial_inventory", ())]
        self._inventory = [row for row in start if row[0] < N_SLOTS]
        self._start = _start(spec, [(slot - N_SLOTS, item, 0, n) for slot, item, _, n in start if slot >= N_SLOTS])
        self._mobs = list(s.get("initial_mobs", ()))
        self._targets = [(rules.mob_kind(n) if spec.category == "combat" else rules.item(n), q)
                         for n, q in s.get("targets", {}).items()]
        self._tech = rules.item(s["tech_item"]) if "tech_item" in s else -1
        self._act = noop_action()
        self._running = False

    # ------------------------------------------------------------------ gymnasium API

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        """A new world from ``seed``, the task's start inventory and summoned mobs."""
        super().reset(seed=seed)
        episode = np.random.SeedSequence(int(self.np_random.integers(0, 2**63 - 1)))
        world_ss, task_ss = episode.spawn(2)
        self.sim.reset(int(world_ss.generate_state(1, np.uint64)[0]), self._start)
        self._fill_inventory()
        self._summon(np.random.default_rng(task_ss))
        self._since_death = 0
        self._days = 0
        self._prev = self._base = self._progress()
        self._running = True
        obs = self.observer.observe(craft=None, before=None)
        return obs, self._info(False)

    def step(self, action: Any):
        """One agent step: 1 tick, or 3 after drop/craft/equip/place/destroy (MineDojo's lag padding)."""
        if not self._running:
            raise ResetNeeded("Call reset() before step(), and again after an episode ends.")
        fn, act, craft_arg, slot = self._decode(action)
        before = self.sim.item_counts().copy()
        self._damage = 0.0
        craft = self._functional(fn, craft_arg, slot)
        self._tick(act)
        if fn in PADDED:
            self._act[:] = noop_action()
            self._tick(self._act)
            self._tick(self._act)
        now = self._progress()
        reward, success = self._score(now)
        self._prev = now
        self._running = not success
        obs = self.observer.observe(craft=craft, before=before, damage=self._damage)
        return obs, reward, success, False, self._info(success)

    def render(self):
        """The current POV frame, (H, W, 3) (``render_mode="rgb_array"``)."""
        return self.observer.frame.copy()

    def close(self):
        self._running = False

    # ------------------------------------------------------------------ start conditions

    def _fill_inventory(self) -> None:
        """Put each start item in its MineDojo slot 0-35 (slots 36-40 are worn: see ``Start.equipment``)."""
        for slot, item, variant, count in self._inventory:
            self.sim.e.inv[slot] = item, 0 if self.rules.max_damage[item] else variant, count
        self.sim.touch()

    def _summon(self, rng: np.random.Generator) -> None:
        """Summon the task's mobs at uniform integer offsets within the spawn range (+1 on y), lifted
        to the first cell with room above the ground."""
        if not self._mobs:
            return
        lo = self.spec_task.settings["initial_mob_spawn_range_low"]
        hi = self.spec_task.settings["initial_mob_spawn_range_high"]
        pf = self.sim.e.pf
        for name in self._mobs:
            dx, dz = (int(rng.integers(a, b + 1)) for a, b in ((lo[0], hi[0]), (lo[2], hi[2])))
            x, z = int(np.floor(pf[PX])) + dx, int(np.floor(pf[PZ])) + dz
            y = self.sim.free_above(x, int(np.floor(pf[PY])) + lo[1], z)
            self.sim.summon(name, x + 0.5, float(y), z + 0.5)

    # ------------------------------------------------------------------ actions

    def _decode(self, action: Any) -> tuple[int, np.ndarray, int, int]:
        """(functional action, engine vector, craft target, slot) of a MultiDiscrete or dict action."""
        if self._native:
            return self._decode_native(action)
        a = np.asarray(action)
        if a.shape != (8,) or not np.issubdtype(a.dtype, np.integer) or not self.action_space.contains(
                a.astype(self.action_space.dtype)):
            raise InvalidAction(
                f"Action must be 8 integers within {self.action_space.nvec.tolist()} (MultiDiscrete: move, strafe, "
                f"jump/sneak/sprint, pitch bin, yaw bin, functional, craft target, slot); got {action!r}. "
                f"The no-op is [0, 0, 0, {self._bins // 2}, {self._bins // 2}, 0, 0, 0].")
        v = self._act
        v[:] = noop_action()
        v[A_FWD], v[A_BACK] = a[0] == 1, a[0] == 2
        v[A_LEFT], v[A_RIGHT] = a[1] == 1, a[1] == 2
        v[A_JUMP], v[A_SNEAK], v[A_SPRINT] = a[2] == 1, a[2] == 2, a[2] == 3
        v[A_DPITCH], v[A_DYAW] = (self._turn(int(b)) for b in (a[3], a[4]))
        fn = int(a[5])
        v[A_USE], v[A_ATTACK] = fn == 1, fn == 3
        return fn, v, int(a[6]), int(a[7])

    def _turn(self, b: int) -> float:
        """Degrees of one camera bin: b * cam_interval - 180, clamped to the engine's [-180, 180]."""
        return float(min(180.0, max(-180.0, b * self._cam - 180.0)))

    def _decode_native(self, action: Any) -> tuple[int, np.ndarray, int, int]:
        if not isinstance(action, dict) or action.keys() != self.action_space.spaces.keys():
            raise InvalidAction(f"Action must be a dict with keys {sorted(self.action_space.spaces)}; "
                                "start from env.action_space.noop().")
        v = self._act
        v[:] = noop_action()
        for key, idx in KEY_INDEX.items():  # MineRL's keys, the same in MineDojo's native space
            v[idx] = _binary(key, action[key])
        v[A_DPITCH], v[A_DYAW] = _camera(action["camera"])
        names = {k: _enum(self.action_space[k], k, action[k]) for k in
                 ("craft", "craft_with_table", "smelt", "equip", "place")}
        if _binary("drop", action["drop"]):
            return 2, v, 0, self.sim.selected_slot()
        for k in ("craft", "craft_with_table", "smelt"):
            if names[k] != "none":
                return 4, v, self.table.names.index(names[k]), 0
        for fn, k in ((5, "equip"), (6, "place")):
            if names[k] != "none":
                slot = self.sim.slot_of(self.rules.item(names[k]))
                return (fn, v, 0, slot) if slot >= 0 else (0, v, 0, 0)
        return 0, v, 0, 0

    def _functional(self, fn: int, craft_arg: int, slot: int) -> np.ndarray | None:
        """Run drop/craft/equip/place/destroy before the tick; returns the count change of a successful
        craft, for ``delta_inv``."""
        inv = self.sim.e.inv
        if fn == 2:
            self.sim.drop()
        elif fn == 4:
            before = self.sim.item_counts().copy()
            item, kind = int(self.table.items[craft_arg]), int(self.table.kind[craft_arg])
            done = self.sim.smelt(item) if kind == 2 else self.sim.craft(item, nearby=kind == 1)
            return self.sim.item_counts() - before if done else None
        elif fn in (5, 6, 7) and inv[slot, IT_COUNT] > 0:
            item = int(inv[slot, IT_ID])
            if fn == 5:
                self.sim.equip_slot(slot, item in self.table.non_mainhand)
            elif fn == 6:
                self._act[A_PLACE] = item
            else:
                inv[slot] = 0
                self.sim.touch()
        return None

    def _tick(self, act: np.ndarray) -> None:
        hp = self.sim.e.pf[HEALTH]
        self.sim.step(act)
        self._damage += max(0.0, hp - self.sim.e.pf[HEALTH])
        self._since_death += 1
        if self.sim.e.pi[DEAD]:  # MineDojo's episodes outlive deaths: respawn, restart the clock
            self.sim.respawn()
            self._since_death = 0

    # ------------------------------------------------------------------ success and reward

    def _progress(self) -> np.ndarray:
        """What the task counts now: item counts (harvest), kills (combat), (count, uses) of the tech
        item (techtree), or days alive (survival)."""
        cat, stats = self.spec_task.category, self.sim.e.stats
        if cat in ("harvest", "playthrough"):
            counts = self.sim.item_counts()
            return np.array([counts[i] for i, _ in self._targets], np.int64)
        if cat == "combat":
            return np.array([stats[ST_KILL, k] for k, _ in self._targets], np.int64)
        if cat == "techtree":
            return np.array([self.sim.item_counts()[self._tech], stats[ST_USE, self._tech]], np.int64)
        return np.array([self._since_death // TICKS_PER_DAY], np.int64)

    def _score(self, now: np.ndarray) -> tuple[float, bool]:
        cat, step, total = self.spec_task.category, now - self._prev, now - self._base
        if cat == "techtree":
            return float(step[0] + TECH_USE_WEIGHT * step[1]), bool(total[1] >= 1)
        if cat == "survival":
            days = int(self.spec_task.settings["target_days"])
            success = bool(now[0] >= days)
            bonus = days * SURVIVAL_DAY_REWARD if success else 0.0
            return float(max(step[0], 0) * SURVIVAL_DAY_REWARD + bonus), success
        quantities = np.array([q for _, q in self._targets], np.int64)
        return float(step.sum()), bool((total >= quantities).any())

    def _info(self, success: bool) -> dict:
        return {"success": success, "stat": self.observer.stats(self._since_death)}


def _preset(biome: str | None) -> str:
    """World preset of MineDojo's ``specified_biome``: a one-biome world, or the default world."""
    if biome is None:
        return "default"
    name = f"biome_{biome}"
    if name not in preset_names():
        raise RulesValidationError(f"No world preset {name!r} for MineDojo's specified_biome {biome!r}: add one "
                                   "to mc_bench/rules/worldgen.yaml (section presets).")
    return name


def _start(spec, equipment: list[tuple[int, int, int, int]]) -> Start:
    """Clock, spawning and worn items of a task: MineDojo's start_at_night / always_night /
    allow_mob_spawn, and its start slots 36-40 as equipment rows (feet, legs, chest, head, off hand)."""
    s = spec.settings
    time, frozen = 0, False
    if s.get("always_night"):
        time, frozen = ALWAYS_NIGHT, True
    elif s.get("start_at_night"):
        time = NIGHT_START.get(spec.category, ALWAYS_NIGHT)
    return Start(inventory=[], world_time=time, time_frozen=frozen, mobs=bool(s.get("allow_mob_spawn", True)),
                 equipment=equipment, weather=True)  # MineDojo's worlds have vanilla weather
