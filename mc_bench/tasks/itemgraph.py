"""The item graph of our rules: what the world, mobs, recipes, smelting and right-click actions provide.

Nodes are items, ``item@meta`` (one variant of an item, where a recipe wants exactly that one: ``dye@3``,
cocoa beans), ``block:<name>`` (a block present in the world) and ``mob:<name>`` (a mob present);
an :class:`Edge` is one step, such as "mine iron_ore holding any of {stone_pickaxe, ...}". An edge needs
every one of its groups, and a group is met by any one of its nodes. :func:`solve` finds every node's
cheapest derivation (Knuth's generalisation of Dijkstra); the cost of a node is (dimension, steps): the
deepest dimension a derivation visits, then the length of its longest chain of steps (a rare drop counts
about 1/chance steps, a block or mob only features or structures place FEATURE_WEIGHT, a head CHARGED_WEIGHT).

Everything is read from data: block drops and harvest tools, recipes and smelting (``load_rules``), the
blocks the world generator places per biome (``worldgen.yaml``), the mobs that spawn, their drops and the
items used on them (``mobs.yaml``), and the right-click actions, lava mixing and chest loot of
``blocks.yaml``. The YAML files are parsed once per analysis; :func:`clear_caches` re-reads them.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from mc_bench.error import nearest
from mc_bench.rules import TOOL_KINDS, load_rules, read_yaml

__all__ = ["DIMENSIONS", "VARIANT", "Edge", "Solution", "chain", "chain_text", "clear_caches", "engine_edges",
           "item_nodes", "missing_link", "rules_yaml", "solve", "spawning_mobs", "structure_mobs", "vanilla_edges",
           "variant_metas", "world_blocks"]

DIMENSIONS = ("overworld", "nether", "the_end")
# worldgen.yaml sections read field by field below; any other top-level section (features, villages and
# structures added later) is walked generically: every block name in it counts as placed.
KNOWN_WORLDGEN = {"presets", "blocks", "terrain", "climate", "biomes", "trees", "ores", "caves", "spawn"}
# Steps a block found only in those other sections (cave cobwebs, village houses), or a mob only structures
# place, costs: far rarer than terrain, so a chain through a village chest wins only where nothing else does.
FEATURE_WEIGHT = 20
VARIANT = "@"  # "dye@3": the node of one variant of an item (see variant_metas)
CHARGED_WEIGHT = 100  # steps a head costs: a thunderstorm, lightning on a creeper, its blast killing the mob


@dataclass(frozen=True)
class Edge:
    """One step: holding/meeting every group in ``needs`` yields ``outputs``."""

    verb: str  # world, summon, given, mine, kill, craft, smelt, use
    outputs: tuple[str, ...]
    needs: tuple[frozenset, ...] = ()
    level: int = 0  # index into DIMENSIONS of the place the step happens
    what: str = ""  # the block, mob or tool the step acts on, for the chain text
    weight: int = 1  # steps it counts for: about 1 / chance for a rare drop


# ---------------------------------------------------------------- world sources


@functools.cache
def rules_yaml(name: str) -> dict:
    """A YAML file of ``mc_bench/rules``, parsed once per analysis (:func:`clear_caches` re-reads it)."""
    return read_yaml(name)


def as_block(spec) -> tuple[str, int]:
    """A worldgen block spec (``name`` or ``[name, meta]``) as (name, meta)."""
    return (spec[0], int(spec[1])) if isinstance(spec, list) else (spec, 0)


def _biome_blocks(wg: dict, name: str) -> set[tuple[str, int]]:
    b = wg["biomes"][name]
    out = {as_block(b[k]) for k in ("top", "filler", "subfiller") if k in b}
    out |= {as_block(p["block"]) for p in b.get("plants", [])}
    kinds = wg.get("trees", {}).get("kinds", {})
    for kind, p in (b.get("tree_mix") or {}).items():
        if p > 0 and kind in kinds:
            out |= {as_block(kinds[kind][part]) for part in ("log", "leaves", "pods") if part in kinds[kind]}
    if "snow_above" in b and "snow" in wg.get("blocks", {}):
        out.add(as_block(wg["blocks"]["snow"]))
    return out


def _global_blocks(wg: dict, biomes: list[str]) -> set[tuple[str, int]]:
    out = {as_block(v) for k, v in wg.get("blocks", {}).items() if k != "snow"}
    underwater = wg.get("terrain", {}).get("underwater", {})
    out |= {as_block(underwater[k]) for k in ("floor", "clay") if underwater.get(k)}  # shallow floors: clay disks
    for ore in wg.get("ores", []):
        if ore.get("enabled", True) and (not ore.get("biomes") or set(ore["biomes"]) & set(biomes)):
            out.add(as_block(ore["block"]))
    return out


def _walk_extra(node, biomes: list[str], rules, blocks: set) -> None:
    """Collect block names from a worldgen section this module does not know field by field."""
    if isinstance(node, dict):
        if node.get("enabled") is False or (node.get("biomes") and not set(node["biomes"]) & set(biomes)):
            return
        for key, value in node.items():
            if key not in ("biomes", "soil", "ground", "replace"):  # conditions, not things placed
                _walk_extra(value, biomes, rules, blocks)
    elif isinstance(node, list):
        if len(node) == 2 and isinstance(node[0], str) and isinstance(node[1], int) and node[0] in rules.block_id:
            blocks.add((node[0], node[1]))
            return
        for value in node:
            _walk_extra(value, biomes, rules, blocks)
    elif isinstance(node, str) and node in rules.block_id:
        blocks.add((node, 0))


def world_blocks(biome: str | None) -> tuple[dict[str, set[int]], set[str], list[str]]:
    """What the world generator places in a world of ``biome``.

    Args:
        biome: the task's single biome, or None for the default world (every biome in worldgen.yaml).

    Returns:
        (block name -> metas placed, blocks only features or structures place, the worldgen biomes present).
    """
    rules, wg = load_rules(), rules_yaml("worldgen.yaml")
    biomes = list(wg["biomes"]) if biome is None else [b for b in wg["biomes"] if b == biome]
    placed = _global_blocks(wg, biomes) if biomes else set()
    for b in biomes:
        placed |= _biome_blocks(wg, b)
    extra: set[tuple[str, int]] = set()
    for key in sorted(set(wg) - KNOWN_WORLDGEN):
        _walk_extra(wg[key], biomes, rules, extra)
    metas: dict[str, set[int]] = {}
    for name, meta in placed | extra:
        metas.setdefault(name, set()).add(meta)
    return metas, {n for n, _ in extra} - {n for n, _ in placed}, biomes


def spawning_mobs(biomes: list[str]) -> set[str]:
    """Mobs of mobs.yaml that spawn naturally in any of these worldgen biomes."""
    rules, wg = load_rules(), rules_yaml("worldgen.yaml")
    table = rules.mobs.spawn[[int(wg["biomes"][b]["id"]) for b in biomes]]
    ok = table[..., 0] > 0
    if table.shape[-1] > 3:  # column 3: the mob's own biome list allows it there
        ok &= table[..., 3] > 0
    return {m for k, m in enumerate(rules.mob_names) if ok[..., k].any()}


def structure_mobs(biomes: list[str]) -> set[str]:
    """Mobs that worldgen.yaml ``structures`` place with a structure of any of these biomes."""
    return {m for s in rules_yaml("worldgen.yaml").get("structures", {}).values()
            if s.get("enabled", True) and set(s["biomes"]) & set(biomes) for m in s.get("mobs") or {}}


# ---------------------------------------------------------------- edges from the rules


def _group(names: Iterable[str]) -> frozenset:
    return frozenset(names)


def _weight(chance: float, lo: int, hi: int) -> int:
    """Extra steps a drop costs: rare drops (a zombie's iron ingot) lose to a plain derivation."""
    p = chance * (1.0 if lo > 0 else hi / (hi + 1.0))
    return max(1, round(1.0 / p)) if p > 0 else 10**6


@functools.cache
def _tool_groups() -> dict[str, frozenset]:
    """Tool kind -> every item of that kind (``hoe`` -> the five hoes)."""
    rules = load_rules()
    return {k: _group(rules.item_names[i] for i in np.nonzero(rules.tool_kind == TOOL_KINDS.index(k))[0])
            for k in TOOL_KINDS[1:]}


def _item_or_kind(name: str) -> frozenset:
    return _tool_groups().get(name, _group([name]))


@functools.cache
def _harvest_group(block: str) -> frozenset | None:
    """Items that get drops from ``block``; None when the bare hand does."""
    rules = load_rules()
    row = rules.harvest[rules.block(block)]
    return None if row[0] else _group(rules.item_names[i] for i in np.nonzero(row)[0])


@functools.cache
def variant_metas() -> dict[str, frozenset]:
    """Item -> the variants (metas) some recipe or smelting wants exactly (a cookie wants cocoa beans, dye 3,
    which a squid's ink sac, dye 0, is not): each has its own node ``item@meta``, which only sources of that
    variant give."""
    rules, out = load_rules(), {}
    pairs = [(int(i), int(m)) for rows in rules.recipe_in for i, m, _ in rows if i] + \
            [(int(i), int(m)) for i, m in rules.smelt_in]
    for i, m in pairs:
        if m >= 0:
            out.setdefault(rules.item_names[i], set()).add(m)
    return {k: frozenset(v) for k, v in out.items()}


def _node(item: str, meta: int) -> str:
    """The node an input of ``item`` in variant ``meta`` (-1: any) needs."""
    return f"{item}{VARIANT}{meta}" if meta >= 0 and item in variant_metas() else item


def item_nodes(item: str, metas: Iterable | None = (0,)) -> tuple[str, ...]:
    """The nodes a source of ``item`` in variants ``metas`` gives (None: any variant, such as a sheep's wool)."""
    wanted = variant_metas().get(item, frozenset())
    got = wanted if metas is None else wanted & {int(m) for m in metas}
    return (item,) + tuple(f"{item}{VARIANT}{m}" for m in sorted(got))


def _yaml_meta(entry: dict) -> list[int] | None:
    """The variant a YAML drop or loot entry gives: its ``meta`` (0 when unset); None when it varies."""
    meta = entry.get("meta", 0)
    return [meta] if isinstance(meta, int) else None


def _mine_edges(block: str, metas: set[int] | None) -> list[Edge]:
    """Drops of ``block`` (any meta when ``metas`` is None), each needing the block and a harvest tool."""
    rules = load_rules()
    b = rules.block(block)
    tool = _harvest_group(block)
    needs = (_group([f"block:{block}"]),) + ((tool,) if tool else ())
    raw = int(rules.meta_mask[b])  # the drop's meta is the state's meta & raw + offset, unless the row fixes it
    mask = raw or 0xF
    edges = []
    for k in range(rules.drop_start[b], rules.drop_start[b + 1]):
        row = rules.drops[k]
        states = [m for m in (range(16) if metas is None else metas) if int(row[1]) >> (m & mask) & 1]
        if states:
            w = _weight(float(rules.drop_chance[k]), int(row[5]), int(row[6]))
            kind = TOOL_KINDS[int(row[7])]  # a row for one tool kind (shears) needs that tool, which harvests it
            need, what = ((needs[0], _tool_groups()[kind]), f"{block} with {kind}") if row[7] else (needs, block)
            out = [int(row[3])] if row[3] >= 0 else [(m & raw) + int(row[4]) for m in states]
            edges.append(Edge("mine", item_nodes(rules.item_names[row[2]], out), need, what=what, weight=w))
    return edges


@functools.cache
def _craft_edges() -> tuple[Edge, ...]:
    """Recipes (3x3 ones need a crafting table) and smelting (needs a furnace and any fuel).

    A recipe whose result is also an input (dyeing wool, drying a sponge) changes only the variant, so
    it can never be how an item is first obtained; it is left out.
    """
    rules = load_rules()
    fuel = _group(rules.item_names[i] for i in np.nonzero(rules.fuel_ticks)[0])
    edges = []
    for out, inputs in zip(rules.recipe_out, rules.recipe_in, strict=True):
        pairs = [(rules.item_names[i], m) for i, m in dict.fromkeys((int(i), int(m)) for i, m, _ in inputs) if i]
        result = rules.item_names[out[0]]
        if result not in {n for n, _ in pairs}:
            needs = [_group([_node(n, m)]) for n, m in pairs] + ([_group(["crafting_table"])] if out[3] else [])
            edges.append(Edge("craft", item_nodes(result, [int(out[1])]), tuple(needs)))
    for (src, sm), (out, om, _) in zip(rules.smelt_in, rules.smelt_out, strict=True):
        name, result = rules.item_names[src], rules.item_names[out]
        if name != result:
            needs = (_group([_node(name, int(sm))]), _group(["furnace"]), fuel)
            edges.append(Edge("smelt", item_nodes(result, [int(om)]), needs, what=name))
    return tuple(edges)


def _drop_entries(drops: list, charged: bool = False) -> Iterable[tuple[str, int, list[int] | None]]:
    """(item, weight, variants) of each mobs.yaml drop entry, pools included: the charged-creeper ones if
    ``charged``."""
    for e in (e for e in drops if bool(e.get("charged")) == charged):
        if "pool" in e:
            total = sum(float(p.get("weight", 1)) for p in e["pool"])
            for p in e["pool"]:
                if p.get("item") in load_rules().item_id:
                    yield p["item"], _weight(float(p.get("weight", 1)) / total, 1, 1), _yaml_meta(p)
        elif e.get("item") in load_rules().item_id:
            lo = int(e.get("min", 1))
            yield e["item"], _weight(float(e.get("chance", 1.0)), lo, int(e.get("max", lo))), _yaml_meta(e)


def _kill_edges(mob: str, drops: Iterable[tuple], level: int = 0) -> list[Edge]:
    """Kills of ``mob`` for each (item, weight[, variants]) it drops."""
    return [Edge("kill", item_nodes(item, *meta), (_group([f"mob:{mob}"]),), level, what=mob, weight=w)
            for item, w, *meta in drops]


def _mob_use_edges() -> list[Edge]:
    """mobs.yaml ``interactions`` (a held item used on a mob drops or gives items) and ``lays`` (chicken eggs)."""
    edges = [Edge("use", item_nodes(d["lays"]["item"], _yaml_meta(d["lays"])), (_group([f"mob:{m}"]),),
                  what=f"laid by {m}") for m, d in rules_yaml("mobs.yaml")["mobs"].items() if "lays" in d]
    for it in rules_yaml("mobs.yaml").get("interactions", []):
        needs = (_item_or_kind(it["item"]), _group([f"mob:{it['mob']}"]))
        for out in (it.get("drop"), it.get("gives")):
            if out:
                edges.append(Edge("use", item_nodes(out, _yaml_meta(it)), needs, what=f"{it['item']} on {it['mob']}"))
    return edges


def _block_use_edges() -> list[Edge]:
    """blocks.yaml ``use`` (fill, pour, till, plant, fish) and ``lava_mixing``: steps that make blocks or items."""
    extra = load_rules().extra
    use, edges = extra.get("use", {}), []
    for item, fills in use.get("fill", {}).items():
        edges += [Edge("use", (out,), (_item_or_kind(item), _group([f"block:{liquid}"])), what=f"{item} on {liquid}")
                  for liquid, out in fills.items()]
    for item, liquid in use.get("pour", {}).items():
        edges.append(Edge("use", (f"block:{liquid}",), (_group([item]),), what=f"pour {item}"))
    till = use.get("till")
    edges += [Edge("use", (f"block:{till['to']}",), (_item_or_kind(till["tool_kind"]),
                   _group(f"block:{b}" for b in till["from"])), what="till")] if till else []
    for item, p in use.get("plant", {}).items():
        water = (_group(["block:water"]),) if p.get("water") else ()  # sugar cane: soil beside water
        needs = (_group([item]), _group(f"block:{b}" for b in p["soil"]), *water)
        edges.append(Edge("use", (f"block:{p['block']}",), needs, what=f"plant {item}"))
    pools = extra.get("fishing_loot", {})  # use.fish: a rod on water catches each entry of each pool
    total = sum(p["weight"] for p in pools.values())
    edges += [Edge("use", item_nodes(e["item"], _yaml_meta(e)), (_item_or_kind(rod), _group(["block:water"])),
                   what=f"fish with {rod}",
                   weight=_weight(p["weight"] * e["weight"] / total / sum(x["weight"] for x in p["entries"]), 1, 1))
              for rod in use.get("fish", {}) for p in pools.values() for e in p["entries"]]
    mix = extra.get("lava_mixing", {})
    pour_water = _group(i for i, liquid in use.get("pour", {}).items() if liquid == "water")
    if mix.get("source") and pour_water:
        edges.append(Edge("use", (f"block:{mix['source']}",), (pour_water, _group(["block:lava"])),
                          what="water poured on lava"))
    return edges


def _made_blocks(edges: list[Edge]) -> set[str]:
    return {o[6:] for e in edges if e.verb == "use" for o in e.outputs if o.startswith("block:")}


def _loot_edges(metas: dict) -> list[Edge]:
    """blocks.yaml ``chest_loot``, when the world generator places its chest block."""
    loot = load_rules().extra.get("chest_loot")
    if not loot or loot["block"] not in metas:
        return []
    total = sum(float(e.get("weight", 1)) for e in loot["entries"])
    rolls = sum(loot.get("rolls", [1])) / len(loot.get("rolls", [1]))
    # chance that one chest holds the item at least once
    return [Edge("use", item_nodes(e["item"], _yaml_meta(e)), (_group([f"block:{loot['block']}"]),),
                 what="open a loot chest",
                 weight=_weight(1 - (1 - float(e.get("weight", 1)) / total) ** rolls, 1, 1)) for e in loot["entries"]]


def _mob_drops(mob: str, charged: bool = False) -> list[tuple[str, int, list[int] | None]]:
    return list(_drop_entries(rules_yaml("mobs.yaml")["mobs"][mob].get("drops", []), charged))


def _charged_edges(mob: str, present: set[str]) -> list[Edge]:
    """Heads: killing ``mob`` with the blast of a charged fuse mob (creeper) present in this world."""
    fuse = _group(f"mob:{m}" for m in present if rules_yaml("mobs.yaml")["mobs"][m].get("attack") == "fuse")
    return [Edge("kill", item_nodes(item, meta), (_group([f"mob:{mob}"]), fuse), what=f"{mob} by a charged creeper",
                 weight=w * CHARGED_WEIGHT) for item, w, meta in _mob_drops(mob, True) if fuse]


def engine_edges(biome: str | None, summoned: tuple[str, ...]) -> list[Edge]:
    """Every step our rules allow in a world of ``biome`` with ``summoned`` mobs."""
    rules = load_rules()
    metas, rare, biomes = world_blocks(biome)
    edges = [Edge("world", (f"block:{b}",), weight=FEATURE_WEIGHT if b in rare else 1) for b in metas]
    edges += _block_use_edges() + _mob_use_edges()
    crops = set(rules.extra.get("crops", {}).get("max_age", {}))  # placed young, they grow to every age
    for b in metas:
        if b in rules.block_id:
            edges += _mine_edges(b, None if b in crops else metas[b])
    edges += [e for b in _made_blocks(edges) - set(metas) if b in rules.block_id for e in _mine_edges(b, None)]
    natural = spawning_mobs(biomes)
    built = structure_mobs(biomes) - natural
    present = natural | built | {m for m in summoned if m in rules.mob_names}
    edges += [Edge("world" if m in natural | built else "summon", (f"mob:{m}",),
                   weight=FEATURE_WEIGHT if m in built else 1) for m in sorted(present)]
    for m in sorted(present):
        edges += _kill_edges(m, _mob_drops(m)) + _charged_edges(m, present)
    return edges + _loot_edges(metas) + list(_craft_edges())


def vanilla_edges(facts: dict) -> list[Edge]:
    """Nether, End and vanilla-overworld sources, used only to decide a task's dimension."""
    edges = []
    for level, dim in enumerate(DIMENSIONS[1:], start=1):
        d = facts["dimensions"][dim]
        edges += [Edge("world", (f"block:{b}",), level=level) for b in d.get("blocks", [])]
        edges += [Edge("world", (i,), level=level, what="loot") for i in d.get("loot", [])]
        for mob, drops in d.get("mobs", {}).items():
            edges += [Edge("world", (f"mob:{mob}",), level=level)] + _kill_edges(mob, [(i, 1) for i in drops], level)
        edges += [e for b in d.get("blocks", []) if b in load_rules().block_id for e in _mine_edges(b, None)]
    for mob, drops in facts.get("vanilla_overworld", {}).get("mobs", {}).items():
        edges += [Edge("world", (f"mob:{mob}",))] + _kill_edges(mob, [(i, 1) for i in drops])
    return edges


# ---------------------------------------------------------------- the fixed point


@dataclass
class Solution:
    """Cheapest derivations: cost[node] = (level, steps); how[node] = (edge, chosen node per group)."""

    cost: dict
    how: dict
    producers: dict  # node -> edges that output it


def solve(edges: list[Edge]) -> Solution:
    """Knuth's algorithm: settle nodes in order of (level, steps); an edge fires once all groups are met.
    Ties go to the first edge in a fixed order (the edges are built from sets, whose order varies with
    Python's hash seed: the report's chains did too)."""
    edges = sorted(edges, key=_edge_key)
    users: dict[str, list[tuple[int, int]]] = {}
    producers: dict[str, list[Edge]] = {}
    for k, e in enumerate(edges):
        for g, group in enumerate(e.needs):
            for n in group:
                users.setdefault(n, []).append((k, g))
        for o in e.outputs:
            producers.setdefault(o, []).append(e)
    met = [{} for _ in edges]  # group index -> (cost, node) of the first settled node
    heap = [((e.level, e.weight), k, o, k) for k, e in enumerate(edges) if not e.needs for o in e.outputs]
    heapq.heapify(heap)
    cost, how = {}, {}
    while heap:
        c, _, node, k = heapq.heappop(heap)
        if node in cost:
            continue
        cost[node], how[node] = c, (edges[k], tuple(met[k][g][1] for g in range(len(edges[k].needs))))
        for j, g in users.get(node, ()):
            if g in met[j]:
                continue
            met[j][g] = (c, node)
            e = edges[j]
            if len(met[j]) == len(e.needs):
                level = max([e.level] + [v[0][0] for v in met[j].values()])
                steps = e.weight + max(v[0][1] for v in met[j].values())
                for o in e.outputs:
                    if o not in cost:
                        heapq.heappush(heap, ((level, steps), j, o, j))
    return Solution(cost, how, producers)


def _edge_key(e: Edge) -> tuple:
    return e.verb, e.outputs, tuple(sorted(tuple(sorted(g)) for g in e.needs)), e.level, e.what, e.weight


def chain(sol: Solution, node: str) -> list[tuple[str, str]]:
    """(item, step text) of ``node``'s cheapest derivation, inputs first, each item once."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    listed: set[Edge] = set()  # "log@0 (mine log)" already says where a later "log" comes from

    def visit(n: str) -> None:
        if n in seen:
            return
        seen.add(n)
        edge, chosen = sol.how[n]
        for c in chosen:
            visit(c)
        if not n.startswith(("block:", "mob:")) and edge not in listed:
            listed.add(edge)
            out.append((n, _step_text(edge, n)))
    visit(node)
    return out


def _step_text(edge: Edge, item: str) -> str:
    fixed = {"craft": item, "given": f"{item} (given)", "world": f"{item} ({edge.what or 'world'})"}
    verb = "" if edge.verb == "use" else edge.verb  # mine, kill, smelt
    return fixed.get(edge.verb) or f"{item} ({verb} {edge.what})".replace("( ", "(")


def chain_text(sol: Solution, node: str, min_level: int = 0) -> str:
    """The chain of ``node`` as "a -> b (mine b) -> c", keeping steps at dimension ``min_level`` or deeper."""
    return " -> ".join(t for n, t in chain(sol, node) if sol.cost[n][0] >= min_level)


# ---------------------------------------------------------------- missing links


def missing_link(sol: Solution, node: str, where: str, facts: dict) -> str:
    """Why ``node`` is unreachable: the path down to the first need nothing provides.

    Args:
        sol: the solved graph in which ``node`` has no cost.
        node: the unreachable node.
        where: the world, for the text ("biome 'desert'").
        facts: ``dimensions.yaml`` (its ``vanilla_hints`` say where vanilla gets an item).

    Returns:
        e.g. "flower_pot <- brick <- no source of 'clay_ball' in our overworld: ...".
    """
    path, seen = [], set()
    while True:
        path.append(node.split(":", 1)[-1])
        seen.add(node)
        edges = sol.producers.get(node, [])
        if not edges:
            return " <- ".join(path[:-1] + [_leaf_text(node, where, facts)])
        here, node = node, _blocking_node(sol, edges, seen)
        if node is None:
            return " <- ".join(path) + _cycle_text(sol, edges, seen, here, facts)


def _cycle_text(sol: Solution, edges: list[Edge], seen: set, here: str, facts: dict) -> str:
    """Every unmet need of ``here`` leads back up the path (seeds only from the crop grown from them)."""
    back = next(n for e in edges for g in e.needs if not any(x in sol.cost for x in g) for n in sorted(g) if n in seen)
    items = [n for n in (back, here) if ":" not in n]  # name the item of the loop, not its block
    name = (items or [here])[0].split(":", 1)[-1]
    hint = facts.get("vanilla_hints", {}).get(name)
    return f": every way to get '{name}' needs it already" + (f" (vanilla: {hint})" if hint else "")


def _blocking_node(sol: Solution, edges: list[Edge], seen: set) -> str | None:
    """The first unmet need of the producer with the fewest unmet needs (preferring ones with sources)."""
    best = None
    for e in edges:
        unmet = [g for g in e.needs if not any(n in sol.cost for n in g)]
        fresh = [n for g in unmet for n in sorted(g) if n not in seen]
        if fresh and (best is None or len(unmet) < best[0]):
            best = (len(unmet), min(fresh, key=lambda n: (n not in sol.producers, n)))
    return best and best[1]


def _leaf_text(node: str, where: str, facts: dict) -> str:
    rules = load_rules()
    kind, _, name = node.rpartition(":")
    hint = facts.get("vanilla_hints", {}).get(name)
    tail = f" (vanilla: {hint})" if hint else ""
    if kind == "mob":
        if name not in rules.mob_names:
            return f"no mob '{name}' in mobs.yaml{tail}"
        return f"'{name}' does not spawn in {where} (mobs.yaml spawning){tail}"
    if kind == "block":
        return f"worldgen.yaml places no '{name}' in {where}{tail}"
    if VARIANT in name:
        item, meta = name.split(VARIANT)
        return f"no source of '{item}' of variant {meta} in {where}{tail}"
    if name not in rules.item_id:
        near = nearest(name, list(rules.item_id))
        return f"'{name}' is not a Minecraft 1.11.2 item name" + (f" (near: {', '.join(near)})" if near else "")
    elsewhere = _sources_elsewhere(name)
    if elsewhere:
        return f"no source of '{name}' in {where}: only {elsewhere}, absent there{tail}"
    return f"no source of '{name}': no block drop, mob drop, recipe, smelting or use in our rules gives it{tail}"


def _sources_elsewhere(item: str) -> str:
    """Blocks and mobs of our rules that would give ``item``, for a biome that lacks them."""
    rules = load_rules()
    iid = rules.item_id[item]
    blocks = sorted({rules.block_names[b] for b in rules.drops[rules.drops[:, 2] == iid, 0]})
    if blocks == [item]:  # only a placed block of itself gives it, so nothing crafts or drops it
        return f"mining a placed '{item}' block (no recipe makes it)"
    mobs = sorted(m for m, d in rules_yaml("mobs.yaml")["mobs"].items()
                  if any(i == item for i, _, _ in _drop_entries(d.get("drops", []))))
    parts = ([f"block(s) {', '.join(blocks)}"] if blocks else []) + ([f"mob(s) {', '.join(mobs)}"] if mobs else [])
    return " or ".join(parts)


def clear_caches() -> None:
    """Forget the parsed YAML and the tables built from it (the files may have changed)."""
    for f in (rules_yaml, _tool_groups, _harvest_group, _craft_edges, variant_metas):
        f.cache_clear()
