"""MineDojo's observation and action spaces (reference §2.3-§2.5), and the tables behind them.

Everything here is built once per env from the rules and ``tasks/minedojo/actions.yaml``: the
names the string observations may take, the 244 craft/smelt targets with their recipes as arrays
(so the ``craft_smelt`` mask is one vectorised comparison per step), and the spaces themselves.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml
from gymnasium import spaces

from mc_bench.envs.spaces import ActionDict, Enum
from mc_bench.sim.crafting import recipes_for, smelt_recipes_for
from mc_bench.tasks.minedojo import MINEDOJO_DIR

__all__ = ["Names", "CraftTable", "craft_table", "obs_space", "multi_discrete", "native_space",
           "FUNCTIONAL", "N_SLOTS", "camera_bins"]

N_SLOTS = 36  # inventory slots an action argument can name (hotbar 0-8 and main 9-35)
N_EQUIP = 6  # main hand, feet, legs, chest, head, off hand
VARIANTS = 121  # MultiDiscrete(121): metadata 0-120
FUNCTIONAL = ("no_op", "use", "drop", "attack", "craft", "equip", "place", "destroy")
ACTION_ARG = np.array([0, 0, 0, 0, 1, 1, 1, 1], bool)[:, None]  # which functional actions take an argument
DELTA_KEYS = (("inc", 1), ("dec", 4))
MAX_LIFE = {"life": 20.0, "armor": 20.0, "food": 20.0, "saturation": 20.0, "xp": 1395.0, "oxygen": 300.0}


class Names(spaces.Space):
    """An array of strings of a fixed shape, each one of a known vocabulary (MineDojo's string
    observations: item names, block names). ``sample()`` draws names uniformly."""

    def __init__(self, shape: tuple[int, ...], values, seed: int | None = None):
        self.values = tuple(sorted(set(values)))
        self._set = frozenset(self.values)
        super().__init__(shape=shape, dtype=object, seed=seed)

    @property
    def is_np_flattenable(self) -> bool:
        return False

    def sample(self, mask: Any = None, probability: Any = None) -> np.ndarray:
        idx = self.np_random.integers(len(self.values), size=self.shape)
        return np.array(self.values, dtype=object)[idx]

    def contains(self, x: Any) -> bool:
        return (isinstance(x, np.ndarray) and x.shape == self.shape
                and all(v in self._set for v in x.ravel().tolist()))

    def __repr__(self) -> str:
        return f"Names({self.shape}, {len(self.values)} values)"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Names) and other.shape == self.shape and other.values == self.values

    def to_jsonable(self, sample_n):
        return [x.tolist() for x in sample_n]

    def from_jsonable(self, sample_n):
        return [np.array(x, dtype=object) for x in sample_n]


def camera_bins(cam_interval: float) -> int:
    """Bins per camera axis: ceil(360 / cam_interval) + 1 (25 at 15 degrees; bin 12 = no turn)."""
    return math.ceil(360.0 / cam_interval) + 1


@functools.cache
def _actions_yaml() -> dict:
    return yaml.safe_load((MINEDOJO_DIR / "actions.yaml").read_text())


@dataclass(frozen=True)
class CraftTable:
    """The 244 craft/smelt targets and, per recipe, its target index and ingredients by item id."""

    names: tuple[str, ...]  # target names, action index order
    items: np.ndarray  # int64[244]: item id of each target
    kind: np.ndarray  # int8[244]: 0 hand (2x2), 1 needs a table, 2 needs a furnace
    recipe_target: np.ndarray  # int64[n]: target index of each recipe
    ing_item: np.ndarray  # int64[n, 9]: ingredient item ids (0 = unused)
    ing_count: np.ndarray  # int64[n, 9]
    needs_fuel: np.ndarray  # bool[n]: furnace recipes also need some fuel
    non_mainhand: frozenset  # item ids that equipping from slot 0 wears


def craft_table(rules) -> CraftTable:
    """Compile the targets of ``actions.yaml`` against the rules' recipes and furnace table."""
    y = _actions_yaml()
    names = tuple(y["hand"] + y["table"] + y["smelt"])
    kind = np.array([0] * len(y["hand"]) + [1] * len(y["table"]) + [2] * len(y["smelt"]), np.int8)
    items = np.array([rules.item(n) for n in names], np.int64)
    target, ing_i, ing_c, fuel = [], [], [], []
    for t, (item, k) in enumerate(zip(items, kind)):
        if k < 2:
            for r in recipes_for(rules, int(item)):
                rows = rules.recipe_in[r]
                target.append(t)
                ing_i.append(rows[:, 0])
                ing_c.append(rows[:, 2])
                fuel.append(False)
        else:
            for r in smelt_recipes_for(rules, int(item)):
                row = np.zeros(9, np.int64)
                cnt = np.zeros(9, np.int64)
                row[0], cnt[0] = rules.smelt_in[r, 0], 1
                target.append(t)
                ing_i.append(row)
                ing_c.append(cnt)
                fuel.append(True)
    return CraftTable(names=names, items=items, kind=kind, recipe_target=np.array(target, np.int64),
                      ing_item=np.array(ing_i, np.int64).reshape(-1, 9),
                      ing_count=np.array(ing_c, np.int64).reshape(-1, 9), needs_fuel=np.array(fuel, bool),
                      non_mainhand=frozenset(rules.item(n) for n in y["non_mainhand"]))


def item_vocabulary(rules) -> tuple[str, ...]:
    """Every item name as MineDojo shows it in ``inventory``/``equipment``: ``_`` becomes a space."""
    return tuple(sorted({n.replace("_", " ") for n in rules.item_names if n} | {"air"}))


def _slots(n: int, vocab) -> spaces.Dict:
    return spaces.Dict({
        "name": Names((n,), vocab),
        "quantity": spaces.Box(0.0, 64.0, (n,), np.float32),
        "variant": spaces.MultiDiscrete(np.full(n, VARIANTS)),
        "max_durability": spaces.Box(-1.0, np.inf, (n,), np.float32),
        "cur_durability": spaces.Box(-1.0, np.inf, (n,), np.float32),
    })


def _box1(lo: float, hi: float) -> spaces.Box:
    return spaces.Box(lo, hi, (1,), np.float32)


def obs_space(rules, image_size: tuple[int, int], n_craft: int, voxel_shape: tuple[int, int, int]) -> spaces.Dict:
    """MineDojo's observation space (reference §2.3), keys in its order."""
    vocab = item_vocabulary(rules)
    blocks = tuple(sorted({n for n in rules.block_names if n} | {"air"}))
    h, w = image_size
    voxel_bools = ("is_collidable", "is_tool_not_required", "blocks_movement", "is_liquid", "is_solid",
                   "can_burn", "blocks_light")
    life = {k: _box1(0.0, v) for k, v in MAX_LIFE.items()}
    delta = {}
    for how in ("craft", "other"):
        for sign, n in DELTA_KEYS:
            delta[f"{sign}_name_by_{how}"] = Names((n,), vocab)
            delta[f"{sign}_quantity_by_{how}"] = spaces.Box(0.0, 64.0 * N_SLOTS, (n,), np.float32)
    return spaces.Dict({
        "rgb": spaces.Box(0, 255, (3, h, w), np.uint8),
        "inventory": _slots(N_SLOTS, vocab),
        "equipment": _slots(N_EQUIP, vocab),
        "life_stats": spaces.Dict({**life, "is_sleeping": spaces.Discrete(2)}),
        "location_stats": spaces.Dict({
            "pos": spaces.Box(-640000.0, 640000.0, (3,), np.float32),
            "yaw": _box1(-180.0, 180.0), "pitch": _box1(-180.0, 180.0),
            "biome_id": spaces.Discrete(168), "rainfall": _box1(0.0, 1.0), "temperature": _box1(0.0, 2.0),
            "is_raining": spaces.Discrete(2), "sun_brightness": _box1(0.0, 1.0),
            "sky_light_level": _box1(0.0, 1.0), "light_level": _box1(0.0, 15.0),
            "can_see_sky": spaces.Discrete(2), "sea_level": _box1(0.0, 255.0)}),
        "nearby_tools": spaces.Dict({"table": spaces.Discrete(2), "furnace": spaces.Discrete(2)}),
        "damage_source": spaces.Dict({
            "damage_amount": _box1(0.0, 40.0), "damage_distance": _box1(0.0, np.inf),
            "damage_pitch": _box1(-90.0, 90.0), "damage_yaw": _box1(-180.0, 180.0),
            "hunger_damage": _box1(0.0, 20.0),
            **{k: spaces.Discrete(2) for k in ("is_explosion", "is_fire_damage", "is_magic_damage",
                                              "is_projectile", "is_unblockable")}}),
        "voxels": spaces.Dict({
            "block_name": Names(voxel_shape, blocks),
            "block_meta": spaces.Box(0, 120, voxel_shape, np.int64),
            **{k: spaces.MultiBinary(voxel_shape) for k in voxel_bools},
            "cos_look_vec_angle": spaces.Box(-1.0, 1.0, voxel_shape, np.float32)}),
        "masks": spaces.Dict({
            "action_type": spaces.MultiBinary(len(FUNCTIONAL)), "action_arg": spaces.MultiBinary((len(FUNCTIONAL), 1)),
            "equip": spaces.MultiBinary(N_SLOTS), "place": spaces.MultiBinary(N_SLOTS),
            "destroy": spaces.MultiBinary(N_SLOTS), "craft_smelt": spaces.MultiBinary(n_craft)}),
        "delta_inv": spaces.Dict(delta),
    })


def multi_discrete(cam_interval: float, n_craft: int) -> spaces.MultiDiscrete:
    """``MultiDiscrete([3, 3, 4, bins, bins, 8, 244, 36])`` (reference §2.5)."""
    bins = camera_bins(cam_interval)
    return spaces.MultiDiscrete([3, 3, 4, bins, bins, len(FUNCTIONAL), n_craft, N_SLOTS])


def native_space(rules, table: CraftTable) -> ActionDict:
    """MineDojo's native dict actions below the NN wrapper (reference §2.4, event-level control)."""
    items = [n for n in rules.item_names if n]
    by_kind = [[n for n, k in zip(table.names, table.kind) if k == kind] for kind in range(3)]
    d: dict[str, spaces.Space] = {k: spaces.Discrete(2) for k in (
        "forward", "back", "left", "right", "jump", "sneak", "sprint", "use", "attack", "drop")}
    d["camera"] = spaces.Box(-180.0, 180.0, (2,), np.float32)
    d["craft"] = Enum("none", *by_kind[0])
    d["craft_with_table"] = Enum("none", *by_kind[1])
    d["smelt"] = Enum("none", *by_kind[2])
    d["equip"] = Enum("none", *items)
    d["place"] = Enum("none", *items)
    return ActionDict(dict(sorted(d.items())))
