"""Each task's documentation page, generated from its TaskSpec and the live env's spaces (H8).

``python -m mc_bench.envs.docs docs/envs`` rewrites the pages; a test checks they are current.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gymnasium
from gymnasium import spaces

from mc_bench.envs.spaces import Enum
from mc_bench.tasks.registry import get_spec, list_tasks

MEANING = {
    "attack": "hold the left mouse button: hit the mob in the crosshair (reach 3), else break the targeted "
              "block (progress resets on release)",
    "back": "walk backward",
    "forward": "walk forward",
    "jump": "jump (swim up in water)",
    "left": "strafe left",
    "right": "strafe right",
    "sneak": "sneak: slower, never walks off an edge of more than 0.6 blocks",
    "sprint": "sprint while moving forward (needs food > 6)",
    "camera": "[delta_pitch, delta_yaw] in degrees; positive pitch looks down, positive yaw turns right; "
              "pitch is clamped to [-90, 90]",
    "place": "place one of this block from the inventory against the targeted face ('none': nothing)",
    "use": "hold the right mouse button: eat the food in hand (32 ticks)",
    "equip": "swap this item into the selected hotbar slot ('air': an empty slot; 'none': nothing)",
    "craft": "craft this item from the inventory with a 2x2 recipe, at once ('none': nothing)",
    "nearbyCraft": "craft this item with a 3x3 recipe; needs a crafting table the agent placed this episode "
                   "within 5 blocks and in view",
    "nearbySmelt": "smelt into this item at once; needs a furnace the agent placed this episode within 5 blocks "
                   "and in view, and fuel covering 200 ticks",
    "equipped_items.mainhand.type": "the item in the selected slot ('air' if empty, 'other' if not listed)",
    "equipped_items.mainhand.damage": "durability used by the item in hand (0 if it has none)",
    "equipped_items.mainhand.maxDamage": "durability of the item in hand (0 if it has none)",
    "pov": "first-person RGB image, row 0 at the top",
    "compass.angle": "degrees from the facing direction to the compass target; 0 = facing it, positive = "
                     "to the right; the needle wobbles like the vanilla compass",
    "inventory": "count of the item over all 36 slots",
}


# Differences every task shares (each is pinned by a test named in brackets).
COMMON_DEVIATIONS = (
    "Runs on mc-bench's embedded Minecraft 1.11.2 engine: procedural textures, and the POV shows no hotbar "
    "or hand (MineRL's POV includes the GUI); fog ends the view at 32 blocks. [tests/test_render.py]",
    "An action must carry every key of the action space; a missing or unknown key raises InvalidAction "
    "(MineRL silently kept the previous state of missing keys). [tests/test_registered_envs.py]",
    "Gymnasium API: reset(seed=...) -> (obs, info) and a 5-tuple step; MineRL used gym's seed() and 4-tuple. "
    "[tests/test_registered_envs.py]",
)


def _rows(space: spaces.Space, prefix: str = ""):
    if isinstance(space, spaces.Dict):
        for k, sub in space.spaces.items():
            yield from _rows(sub, f"{prefix}{k}.")
        return
    yield prefix[:-1], space


def _space_str(space: spaces.Space) -> str:
    if isinstance(space, Enum):
        return f"Enum({', '.join(space.values)}), default `{space.default}`"
    if isinstance(space, spaces.Box):
        lo, hi = space.low.flat[0], space.high.flat[0]
        return f"Box({lo:g}, {hi:g}, {space.shape}, {space.dtype})"
    return repr(space)


def _meaning(key: str) -> str:
    return MEANING.get(key) or MEANING.get(key.split(".")[0], "")


def _table(space: spaces.Dict, head: str) -> list[str]:
    lines = [f"| {head} | Space | Meaning |", "|---|---|---|"]
    lines += [f"| `{k}` | {_space_str(s)} | {_meaning(k)} |" for k, s in _rows(space)]
    return lines


def _entry(e: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in e.items())


def env_page(task_id: str) -> str:
    """The Markdown page of one task."""
    spec = get_spec(task_id)
    env = gymnasium.make(task_id)
    w = spec.world
    lines = [
        f"# {task_id}", "", f"`gymnasium.make(\"{task_id}\")` after `import mc_bench`.", "",
        "## Description", "", spec.description, "",
        "## Action Space", "", f"`{env.action_space}`", "", *_table(env.action_space, "Key"), "",
        "## Observation Space", "", *_table(env.observation_space, "Key"), "",
        "## Rewards", "", *[f"- {_entry(e)}" for e in spec.reward], "",
        "## Starting State", "",
        f"- world preset `{w.preset}`, time {w.time} ({'frozen' if w.time_frozen else 'passing'}), "
        f"weather {w.weather}, mob spawning {'on' if w.mob_spawning else 'off'}",
        f"- inventory: {', '.join(f'{n} x{c}' for n, c in spec.start_inventory) or 'empty'}",
        *[f"- decorator: {_entry(e)}" for e in spec.decorators], "",
        "## Episode End", "",
        *[f"{i}. Termination: {_entry(e)}" for i, e in enumerate(spec.terminate, 1)],
        f"{len(spec.terminate) + 1}. Termination: the player dies.",
        f"{len(spec.terminate) + 2}. Truncation: {spec.max_episode_steps} steps (`max_episode_steps`).", "",
        "## Arguments", "", "| Parameter | Type | Default | Description |", "|---|---|---|---|",
        f"| `resolution` | tuple[int, int] | {spec.pov} | (height, width) of `pov` |",
        "| `render_mode` | str or None | None | `\"rgb_array\"`: `render()` returns the POV frame |", "",
        "## Differences from the original", "", *[f"- {d}" for d in spec.deviations + COMMON_DEVIATIONS], "",
        "## Version History", "", *[f"- {v}" for v in spec.version_history], "",
    ]
    env.close()
    return "\n".join(lines)


def write_pages(out: Path) -> list[Path]:
    """Write one page per MineRL task and the MineDojo suite's pages (``out``, ``out/../minedojo``)."""
    from mc_bench.envs.minedojo_docs import suite_page, tasks_page

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for task_id in list_tasks(family="minerl"):
        p = out / f"{task_id}.md"
        p.write_text(env_page(task_id))
        paths.append(p)
    (out.parent / "minedojo").mkdir(parents=True, exist_ok=True)
    for p, text in ((out / "MineDojo.md", suite_page), (out.parent / "minedojo" / "tasks.md", tasks_page)):
        p.write_text(text())
        paths.append(p)
    return paths


if __name__ == "__main__":
    import mc_bench  # noqa: F401  (registers the tasks)

    for p in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/envs")):
        print(p)
