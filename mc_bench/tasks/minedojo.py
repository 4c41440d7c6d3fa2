"""MineDojo's programmatic tasks, expanded from the templates in ``tasks/minedojo/`` (data only).

A template id such as ``harvest_{quantity}_{ore_type}`` expands into one task per combination of
the value lists it names (reference §1.2). Nothing is registered with gymnasium here.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mc_bench.tasks.spec import TASK_DIR, YamlReader

__all__ = ["CATEGORIES", "FIXES", "MineDojoTask", "expand", "load_templates", "load_variables", "load_suites",
           "gym_id", "task_of"]

MINEDOJO_DIR = TASK_DIR / "minedojo"
NAMESPACE = "MineDojo"
CATEGORIES = ("harvest", "combat", "techtree", "survival", "playthrough")
SETTINGS = ("targets", "tech_item", "target_days", "initial_mobs", "mob_spawn_range", "initial_inventory",
            "specified_biome", "start_at_night", "always_night", "allow_mob_spawn", "time_limit")
REQUIRED = {"harvest": "targets", "combat": "targets", "techtree": "tech_item", "survival": "target_days",
            "playthrough": "targets"}
SLOTS = {"mainhand": 0, "offhand": 40, "head": 39, "chest": 38, "legs": 37, "feet": 36}
VAR = re.compile(r"\{(\w+)\}")
# MineDojo item names that Minecraft 1.11.2 (minecraft-data) spells differently: the checks count the 1.11.2 item.
ITEM_NAMES = {"totem_of_undying": "totem"}

# Known defects of MineDojo's data (reference §1.3 quirks, §6) and what we do instead.
FIXES = (
    ("techtree_from_{barehand,wood}_to_leather_{target_armor}: prompts name {target_armor}, not "
     "{target_tools_armor}, so the 8 leather ids no longer all read '... leather leggings'."),
    ("combat_mooshroom_mushroom_island_barehand: prompt follows the fill rule ('mushroom island'), "
     "not the registry's stray 'mushroom_island'."),
    ("combat kill checks count the mob the id names (zombie_pigman, mooshroom), never MC 1.11.2's "
     "legacy stat keys (pig_zombie, mushroom_cow) that never match."),
    ("a {var} used in a template's values but not in its id is an error here, instead of silently "
     "collapsing combinations onto one id (the cause of the leather defect)."),
    ("harvest_{quantity}_totem_of_undying: MineDojo names the item by its 1.13 id `totem_of_undying`; "
     "Minecraft 1.11.2 calls it `totem`, and that is the item the check counts."),
)


@dataclass(frozen=True)
class MineDojoTask:
    """One expanded MineDojo task: its id, category, prompt, filled settings and success check."""

    id: str
    category: str
    prompt: str
    settings: Mapping[str, Any]
    success: str
    template: str
    guidance: str = ""
    horizon: int = 0  # our default episode limit in agent steps (MineDojo sets none)
    suites: tuple[str, ...] = ()  # tasks_suite.yaml subsets holding this id (standard / difficult)

    @property
    def gym_id(self) -> str:
        return gym_id(self.id)


def _source(path: Path) -> YamlReader:
    return YamlReader(path, path.read_text())


@functools.cache
def load_variables(path: Path = MINEDOJO_DIR / "variables.yaml") -> dict[str, tuple]:
    """The ``{var}`` value lists, in file order."""
    src = _source(path)
    for name, values in src.data.items():
        if not isinstance(values, list) or not values:
            raise src.fail("must be a non-empty list of values", name)
    return {name: tuple(values) for name, values in src.data.items()}


def load_templates(path: Path = MINEDOJO_DIR / "templates.yaml",
                   variables: Mapping[str, tuple] | None = None) -> tuple[YamlReader, dict]:
    """Parse and validate the templates file; returns the source (for lines) and its templates."""
    src, variables = _source(path), variables if variables is not None else load_variables()
    for key in ("classes", "templates"):
        if not isinstance(src.data.get(key), dict):
            raise src.fail("is required and must be a mapping", key)
    for tid, tpl in src.data["templates"].items():
        _check_template(src, str(tid), tpl, variables)
    return src, src.data["templates"]


def _check_template(src: YamlReader, tid: str, tpl: Any, variables: Mapping[str, tuple]) -> None:
    where = ("templates", tid)
    if not isinstance(tpl, dict):
        raise src.fail("a template must be a mapping of fields", *where)
    if tpl.get("class") not in CATEGORIES:
        raise src.fail(f"must be one of {list(CATEGORIES)}, got {tpl.get('class')!r}", *where, "class")
    if not isinstance(tpl.get("prompt"), str):
        raise src.fail("is required and must be a string", *where, "prompt")
    for k in tpl:
        if k not in ("class", "prompt") + SETTINGS:
            raise src.fail(f"unknown field; allowed: {['class', 'prompt', *SETTINGS]}", *where, k)
    if REQUIRED[tpl["class"]] not in tpl:
        raise src.fail(f"a {tpl['class']} template needs it", *where, REQUIRED[tpl["class"]])
    for k, v in [("id", tid), *tpl.items()]:
        unknown = sorted(set(_vars(v)) - set(variables))
        if unknown:
            raise src.fail(f"unknown variable(s) {unknown}; defined: see variables.yaml", *where,
                           *(() if k == "id" else (k,)))
    # A variable outside the id would expand to several tasks sharing one id (MineDojo's leather bug).
    stray = sorted(set(_vars(tpl)) - set(_vars(tid)))
    if stray:
        raise src.fail(f"variable(s) {stray} appear in the values but not in the id", *where)
    _check_inventory(src, where, tpl.get("initial_inventory", {}))


def _check_inventory(src: YamlReader, where: tuple, inv: Any) -> None:
    if not isinstance(inv, dict):
        raise src.fail("must map slots to {name, quantity?, variant?}", *where, "initial_inventory")
    slots = [SLOTS.get(s, s) for s in inv]
    for slot, item in zip(inv, slots):
        if not (isinstance(item, int) and 0 <= item <= 40) or not isinstance(inv[slot], dict) \
                or not isinstance(inv[slot].get("name"), str):
            raise src.fail(f"slot {slot!r} needs a slot name or 0-40 and a {{name: ...}}", *where,
                           "initial_inventory")
    if len(set(slots)) != len(slots):
        raise src.fail("two entries fill the same slot", *where, "initial_inventory")


def _vars(value: Any) -> list[str]:
    """Every ``{var}`` in a value, in order of first appearance (keys of mappings included)."""
    if isinstance(value, str):
        return VAR.findall(value)
    if isinstance(value, dict):
        return [v for k, x in value.items() for v in _vars(k) + _vars(x)]
    if isinstance(value, list):
        return [v for x in value for v in _vars(x)]
    return []


def _fill(value: Any, binding: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return VAR.sub(lambda m: str(binding[m.group(1)]), value)
    if isinstance(value, dict):
        return {_fill(k, binding): _fill(v, binding) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, binding) for v in value]
    return value


def _prompt(text: str) -> str:
    """MineDojo's prompt rule: underscores become spaces and " 1" goes ("obtain 1 log" -> "obtain log")."""
    return text.replace("_", " ").replace(" 1", "")


def _settings(tpl: dict, classes: dict, common: dict) -> dict:
    cls = tpl["class"]
    out = copy.deepcopy({**common, **classes[cls].get("defaults", {})})  # tasks share no dicts
    out.update({k: v for k, v in tpl.items() if k not in ("class", "prompt")})
    if "targets" in out:  # quantities are filled as text; MineDojo casts them to int
        out["targets"] = {ITEM_NAMES.get(name, name): int(q) for name, q in out["targets"].items()}
    if "initial_inventory" in out:
        out["initial_inventory"] = tuple(
            {"slot": SLOTS.get(s, s), "name": e["name"], "quantity": int(e.get("quantity", 1)),
             "variant": int(e.get("variant", 0))} for s, e in out["initial_inventory"].items())
    if "mob_spawn_range" in out:  # offsets uniform in [-N, N] on x and z, +1 on y
        n = out.pop("mob_spawn_range")
        out["initial_mob_spawn_range_low"], out["initial_mob_spawn_range_high"] = (-n, 1, -n), (n, 1, n)
    return out


def _guidance(text: str, filled: Mapping[str, Any]) -> str:
    targets = " or ".join(f"{q} {n}" if q > 1 else n for n, q in filled.get("targets", {}).items())
    return " ".join(text.split()).format(targets=targets.replace("_", " "),
                                         tech_item=str(filled.get("tech_item", "")).replace("_", " "))


def _success(text: str, settings: Mapping[str, Any]) -> str:
    if "targets" not in settings:
        return text.format(**settings)
    return " or ".join(text.format(name=n, quantity=q) for n, q in settings["targets"].items())


@functools.cache
def expand(path: Path = MINEDOJO_DIR / "templates.yaml") -> dict[str, MineDojoTask]:
    """Every task id (programmatic ones plus ``playthrough``) to its task, in template order.

    Raises:
        TaskSpecError: a malformed template, an unknown ``{var}`` or an id made twice.
    """
    variables = load_variables(path.parent / "variables.yaml")
    src, templates = load_templates(path, variables)
    classes, common = src.data["classes"], src.data.get("common", {})
    for name, cls in classes.items():
        for key in ("success", "guidance", "horizon"):
            if key not in cls:
                raise src.fail("every class needs success, guidance and horizon", "classes", name, key)
    suites = load_suites(path.parent / "suites.yaml")
    tasks: dict[str, MineDojoTask] = {}
    for tid, tpl in templates.items():
        names = list(dict.fromkeys(_vars(tid)))
        for combo in itertools.product(*(variables[n] for n in names)):
            binding = dict(zip(names, combo))
            filled = _fill({**tpl, "id": tid}, binding)
            task_id = filled.pop("id")
            if task_id in tasks:
                raise src.fail(f"expands to {task_id!r}, already made by {tasks[task_id].template!r}",
                               "templates", tid)
            settings = _settings(filled, classes, common)
            cls = classes[filled["class"]]
            tasks[task_id] = MineDojoTask(
                id=task_id, category=filled["class"], prompt=_prompt(filled["prompt"]),
                settings=MappingProxyType(settings),
                success=_success(cls["success"], settings), template=str(tid),
                guidance=_guidance(cls["guidance"], settings), horizon=_horizon(cls, settings),
                suites=tuple(name for name, ids in suites.items() if task_id in ids))
    return tasks


def _horizon(cls: Mapping[str, Any], settings: Mapping[str, Any]) -> int:
    """The class horizon, plus ``horizon_per_item`` for each target item beyond the first (harvest)."""
    extra = max(sum(settings.get("targets", {}).values()) - 1, 0)
    return int(cls["horizon"]) + int(cls.get("horizon_per_item", 0)) * extra


def gym_id(task_id: str) -> str:
    """The gymnasium id of a MineDojo task: ``MineDojo/<task_id>-v0``."""
    return f"{NAMESPACE}/{task_id}-v0"


def task_of(gym_or_task_id: str) -> MineDojoTask | None:
    """The task behind ``MineDojo/<id>-v0`` or a bare MineDojo id; None if it is neither."""
    tid = gym_or_task_id
    if tid.startswith(NAMESPACE + "/") and tid.endswith("-v0"):
        tid = tid[len(NAMESPACE) + 1:-3]
    return expand().get(tid)


@functools.cache
def load_suites(path: Path = MINEDOJO_DIR / "suites.yaml") -> dict[str, frozenset]:
    """MineDojo's curated subsets: suite name -> task ids."""
    src = _source(path)
    for name, ids in src.data.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise src.fail("must be a list of task ids", name)
    return {name: frozenset(ids) for name, ids in src.data.items()}
