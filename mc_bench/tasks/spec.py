"""TaskSpec: one YAML record per task, read into frozen dataclasses and validated.

Errors name the file, the line and the field (:class:`mc_bench.error.TaskSpecError`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mc_bench.error import TaskSpecError

__all__ = ["TaskSpec", "WorldSpec", "YamlReader", "load_task_file", "task_files", "all_specs", "TASK_DIR"]

_PKG = Path(__file__).resolve().parents[1]
# A wheel carries the task YAML as mc_bench/task_data; a source checkout has it in ./tasks.
TASK_DIR = _PKG / "task_data" if (_PKG / "task_data").is_dir() else _PKG.parent / "tasks"

KEYS = ("attack", "back", "forward", "jump", "left", "right", "sneak", "sprint")
EXTRA_KEYS = ("use",)  # MineRL's KEYMAP has it; only tasks that eat (e.g. Survival) expose it
ITEM_ACTIONS = ("place", "equip", "craft", "nearbyCraft", "nearbySmelt")  # Enum actions naming items
REWARD_TYPES = ("collect_items", "touch_block", "compass_distance", "alive")
TERMINATE_TYPES = ("possess_item", "touch_block", "craft_item")
DECORATOR_TYPES = ("navigation_goal",)


@dataclass(frozen=True)
class WorldSpec:
    """World settings: generator preset, clock, weather and mobs."""

    preset: str = "default"
    time: int = 6000
    time_frozen: bool = False
    weather: str = "default"
    mob_spawning: bool = True


@dataclass(frozen=True)
class TaskSpec:
    """A task as declared in ``tasks/**/*.yaml``."""

    id: str
    title: str
    description: str
    max_episode_steps: int
    path: str
    world: WorldSpec = field(default_factory=WorldSpec)
    reward_threshold: float | None = None
    start_inventory: tuple[tuple[str, int], ...] = ()
    pov: tuple[int, int] = (64, 64)
    obs_compass: bool = False
    obs_inventory: tuple[str, ...] = ()
    keys: tuple[str, ...] = KEYS
    camera: bool = True
    place: tuple[str, ...] = ()
    equip: tuple[str, ...] = ()
    craft: tuple[str, ...] = ()
    nearbyCraft: tuple[str, ...] = ()  # noqa: N815 - MineRL's action key
    nearbySmelt: tuple[str, ...] = ()  # noqa: N815
    obs_equipped: tuple[str, ...] = ()  # items the mainhand type Enum names (plus air, none, other)
    reward: tuple[dict, ...] = ()
    terminate: tuple[dict, ...] = ()
    decorators: tuple[dict, ...] = ()
    version_history: tuple[str, ...] = ()
    deviations: tuple[str, ...] = ()  # where we knowingly differ from the original task


class YamlReader:
    """Reads fields from one parsed YAML file and turns every problem into a TaskSpecError with a
    line (task specs here, MineDojo templates in :mod:`mc_bench.tasks.minedojo`)."""

    def __init__(self, path: Path, text: str):
        self.path = str(path)
        try:
            self.node = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise TaskSpecError(self.path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                                line=mark.line + 1 if mark else None) from None
        if not isinstance(self.data, dict):
            raise TaskSpecError(self.path, "the file must hold a mapping of fields", line=1)

    def line(self, *keys) -> int | None:
        node = self.node
        found = node.start_mark.line + 1 if node else None
        for k in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            match = [(kn, vn) for kn, vn in node.value if kn.value == str(k)]
            if not match:
                break
            found, node = match[0][0].start_mark.line + 1, match[0][1]
        return found

    def fail(self, message: str, *keys) -> TaskSpecError:
        return TaskSpecError(self.path, message, line=self.line(*keys), field=".".join(map(str, keys)) or None)

    def get(self, *keys, kind=None, default=..., required=False):
        cur = self.data
        for k in keys:
            if not isinstance(cur, dict) or k not in cur:
                if required or default is ...:
                    raise self.fail("is required", *keys)
                return default
            cur = cur[k]
        if kind is not None and not isinstance(cur, kind):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(f"must be {names}, got {type(cur).__name__} {cur!r}", *keys)
        return cur

    def entries(self, key: str, allowed: tuple[str, ...]) -> tuple[dict, ...]:
        items = self.get(key, kind=list, default=[])
        for i, e in enumerate(items):
            if not isinstance(e, dict) or e.get("type") not in allowed:
                raise self.fail(f"entry {i} needs a 'type' among {list(allowed)}, got {e!r}", key)
        return tuple(items)


def load_task_file(path: str | Path) -> TaskSpec:
    """Parse and validate one task file."""
    path = Path(path)
    r = YamlReader(path, path.read_text())
    known = set(TaskSpec.__dataclass_fields__) | {"start", "observation", "action"}
    for k in r.data:
        if k not in known:
            raise r.fail(f"unknown field; allowed: {sorted(known - {'path'})}", k)
    steps = r.get("max_episode_steps", kind=int, required=True)
    if steps <= 0:
        raise r.fail("must be a positive number of ticks", "max_episode_steps")
    keys = tuple(r.get("action", "keys", kind=list, default=list(KEYS)))
    for k in keys:
        if k not in KEYS + EXTRA_KEYS:
            raise r.fail(f"unknown key {k!r}; allowed: {list(KEYS + EXTRA_KEYS)}", "action", "keys")
    pov = r.get("observation", "pov", kind=list, default=[64, 64])
    if len(pov) != 2 or not all(isinstance(v, int) and v > 0 for v in pov):
        raise r.fail("must be [height, width] in pixels", "observation", "pov")
    inv = r.get("start", "inventory", kind=list, default=[])
    for i, e in enumerate(inv):
        if not isinstance(e, dict) or not isinstance(e.get("item"), str):
            raise r.fail(f"entry {i} must be {{item: NAME, count: N}}", "start", "inventory")
    return TaskSpec(
        id=r.get("id", kind=str, required=True),
        title=r.get("title", kind=str, default=r.get("id", kind=str)),
        description=" ".join(r.get("description", kind=str, default="").split()),
        max_episode_steps=steps,
        path=str(path),
        world=_world(r),
        reward_threshold=r.get("reward_threshold", kind=(int, float), default=None),
        start_inventory=tuple((e["item"], int(e.get("count", 1))) for e in inv),
        pov=(pov[0], pov[1]),
        obs_compass=r.get("observation", "compass", kind=bool, default=False),
        obs_inventory=tuple(r.get("observation", "inventory", kind=list, default=[])),
        keys=keys,
        camera=r.get("action", "camera", kind=bool, default=True),
        **{k: tuple(r.get("action", k, kind=list, default=[])) for k in ITEM_ACTIONS},
        obs_equipped=tuple(r.get("observation", "equipped_items", kind=list, default=[])),
        reward=r.entries("reward", REWARD_TYPES),
        terminate=r.entries("terminate", TERMINATE_TYPES),
        decorators=r.entries("decorators", DECORATOR_TYPES),
        version_history=tuple(r.get("version_history", kind=list, default=[])),
        deviations=tuple(r.get("deviations", kind=list, default=[])),
    )


def _world(r: YamlReader) -> WorldSpec:
    w = r.get("world", kind=dict, default={})
    unknown = set(w) - set(WorldSpec.__dataclass_fields__)
    if unknown:
        raise r.fail(f"unknown world settings {sorted(unknown)}; allowed: {list(WorldSpec.__dataclass_fields__)}",
                     "world")
    return WorldSpec(
        preset=r.get("world", "preset", kind=str, default="default"),
        time=r.get("world", "time", kind=int, default=6000),
        time_frozen=r.get("world", "time_frozen", kind=bool, default=False),
        weather=r.get("world", "weather", kind=str, default="default"),
        mob_spawning=r.get("world", "mob_spawning", kind=bool, default=True),
    )


def task_files(root: Path = TASK_DIR) -> list[Path]:
    """Every task YAML under ``root``, sorted."""
    # minedojo/ holds templates and value lists, expanded by mc_bench.tasks.minedojo, not task specs.
    return sorted(p for p in root.rglob("*.yaml") if p.relative_to(root).parts[0] != "minedojo")


@functools.lru_cache(maxsize=None)
def all_specs() -> dict[str, TaskSpec]:
    """Every task spec by id (parsed once per process)."""
    specs: dict[str, TaskSpec] = {}
    for p in task_files():
        spec = load_task_file(p)
        if spec.id in specs:
            raise TaskSpecError(str(p), f"task id {spec.id!r} is also defined in {specs[spec.id].path}",
                                field="id")
        specs[spec.id] = spec
    return specs
