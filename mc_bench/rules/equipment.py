"""Compile ``equipment.yaml``: where armour and shields are worn, armour points and toughness, and the
wear a tool takes per broken block, as per-item arrays."""

from __future__ import annotations

import numpy as np

from mc_bench.error import RulesValidationError


def compile_equipment(spec: dict, item_id: dict, tool_kind: np.ndarray, tool_kinds: tuple, n_items: int) -> dict:
    """Arrays ``wear_slot`` (int8, -1 = not worn), ``armor`` (float64 [points, toughness]), ``shield``
    (uint8) and ``break_wear`` (int32), each indexed by item id."""
    wear_slot = np.full(n_items, -1, np.int8)
    armor = np.zeros((n_items, 2))
    shield = np.zeros(n_items, np.uint8)
    break_wear = np.zeros(n_items, np.int32)
    try:
        rows = spec["slots"]
        for mat, props in spec["armor_materials"].items():
            for piece, points in props["points"].items():
                iid = item_id[f"{mat}_{piece}"]
                wear_slot[iid] = rows[piece]
                armor[iid] = points, props.get("toughness", 0)
        for name in spec["shields"]:
            wear_slot[item_id[name]] = rows["offhand"]
            shield[item_id[name]] = 1
        for kind, n in spec["break_wear"].items():
            break_wear[tool_kind == tool_kinds.index(kind)] = n
    except (KeyError, ValueError) as exc:
        raise RulesValidationError(
            f"mc_bench/rules/equipment.yaml: unknown name or missing key {exc.args[0]!r}; fix the YAML."
        ) from None
    return {"wear_slot": wear_slot, "armor": armor, "shield": shield, "break_wear": break_wear}
