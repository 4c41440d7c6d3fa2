"""Plans that take an inventory to ``n`` of any item: the ways our rules give an item, what each costs
where the player stands, and the ordered steps (gather, craft, smelt) that carry the plan out.

Ways come from the item graph (:func:`mc_bench.tasks.itemgraph.engine_edges`: which blocks, mobs and
right-click actions a world of this biome has) and, for quantities and variants, from the rules'
tables: block drops per block state, mob drops, recipes (with their yields) and smelting. Items are
keyed ``(item id, meta)``; meta -1 means any variant (most needs), a number a recipe's exact one (oak
planks for a fence).

Costs are rough game ticks. Gathering is priced by a *probe* of the live world (how far the nearest
block state or mob is; a distant or absent one costs an exploration), so a dead bush next to the
player may beat crafting sticks, but one in no loaded chunk never does. A way's unit cost is
``(action + inputs + tools not held) / expected yield``; the costs of all items are relaxed to a fixed
point (cycles such as wool <-> string simply never win).

:func:`Planner.plan` expands the target depth first over a virtual inventory, as a player plans: the
cheapest way for each missing item, tools before inputs, costlier inputs first (so a furnace's fuel
never eats the sticks a pickaxe still needs), the amounts scaled by recipe yields. Repeated gathering
steps are merged into the first (all the logs in one trip) and every step records the inventory
level it must reach, so executing it is "act until the count is there".
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from mc_bench.rules import TOOL_KINDS, load_rules
from mc_bench.tasks.itemgraph import VARIANT, engine_edges, rules_yaml

__all__ = ["Key", "NoWay", "Planner", "Step", "Way", "cookbook", "count_key", "fuel_items", "usable"]

Key = tuple[int, int]  # (item id, meta); meta -1 = any variant
INF = math.inf
VARIES = -2  # cost key of an item from ways whose variant varies (a kill's drop): it may serve an exact need
GATHER = ("mine", "kill", "use", "fill", "loot", "fish", "lay", "pour", "farm")
CRAFT_TICKS, SMELT_TICKS = 3.0, 6.0
ROUNDS = 40  # relaxation rounds; the chains are far shorter
MAX_DEPTH = 24  # items being made at once; deeper is a cycle
EXPANSIONS = 4000  # ways tried per plan before the search gives up
FUELS = ("coal", "planks", "log", "log2")  # what a plan burns; the engine picks among what is held
HAND, TABLE, FURNACE = "craft", "craft_with_table", "smelt"  # the env's item commands


class NoWay(Exception):
    """No way (or only cyclic ones) gives this item from the planning inventory."""


@dataclass(frozen=True)
class Way:
    """One way to get an item: ``verb`` (gather: mine/kill/use/fill/loot/fish/lay/pour/farm; make: craft/smelt) yields
    ``gives`` of ``out`` per action, consuming ``inputs`` and holding one item of each ``tools`` group."""

    verb: str
    out: Key
    gives: float
    inputs: tuple[tuple[int, int, int], ...] = ()  # (item, meta or -1, count) consumed per action
    tools: tuple[frozenset, ...] = ()  # item ids; one of each group must be held (never consumed)
    source: str = ""  # the block or mob acted on
    states: frozenset = frozenset()  # mine: block states (id << 4 | meta) that drop ``out``; fill/loot: the target
    recipe: int = -1  # craft: row of rules.recipe_out

    @property
    def gather(self) -> bool:
        return self.verb in GATHER


@dataclass
class Step:
    """One plan step: run ``way`` until the count of ``way.out`` reaches ``level`` (``times`` actions
    for crafts and smelts)."""

    way: Way
    times: int
    level: int
    key: Key  # the need it serves: ``way.out``, or its item in any variant
    fuel: Key | None = None  # smelt: the fuel planned for it


@dataclass
class _Book:
    ways: dict[int, list[Way]] = field(default_factory=dict)  # item id -> ways giving it

    def add(self, way: Way) -> None:
        self.ways.setdefault(way.out[0], []).append(way)


# ---------------------------------------------------------------- ways from the rules


def _group_ids(names) -> frozenset:
    ids = load_rules().item_id
    return frozenset(ids[n] for n in names if n in ids)


def _mine_ways(block: str, item: str, tools: tuple[frozenset, ...], kind: int) -> list[Way]:
    """One way per output meta: the block states whose drops for tool ``kind`` (0: any tool) hold
    ``item``, and the mean yield."""
    R = load_rules()
    b, iid = R.block_id[block], R.item_id[item]
    mask = int(R.meta_mask[b])  # 0: every state drops the same (the engine's drop meta is meta & mask)
    by_meta: dict[int, tuple[set, float]] = {}
    for m in range(16):
        masked = m & mask
        for k in range(R.drop_start[b], R.drop_start[b + 1]):
            row = R.drops[k]
            if row[2] != iid or row[7] != kind or not (int(row[1]) >> masked) & 1:
                continue
            meta = masked + int(row[4]) if row[3] < 0 else int(row[3])
            mean = float(R.drop_chance[k]) * (int(row[5]) + int(row[6])) / 2.0
            states, _ = by_meta.setdefault(meta, (set(), mean))
            states.add(b << 4 | m)
    return [Way("mine", (iid, meta), max(g, 1e-3), tools=tools, source=block, states=frozenset(s))
            for meta, (s, g) in by_meta.items() if g > 0]


def _mob_yield(mob: str, item: str) -> float:
    """Mean count of ``item`` one kill of ``mob`` drops (mobs.yaml drops and pools)."""
    total = 0.0
    for e in rules_yaml("mobs.yaml")["mobs"][mob].get("drops", []):
        if "pool" in e:
            weights = sum(float(p.get("weight", 1)) for p in e["pool"])
            total += sum(float(p.get("weight", 1)) / weights for p in e["pool"] if p.get("item") == item)
        elif e.get("item") == item:
            lo = int(e.get("min", 1))
            total += float(e.get("chance", 1.0)) * (lo + int(e.get("max", lo))) / 2.0
    return total


def _out_meta(edge) -> int:
    """The variant of an edge's item when the item graph names exactly one ("dye@0": a squid's ink sac, never
    cocoa beans), else -1: it varies, or no recipe cares."""
    metas = [o.split(VARIANT)[1] for o in edge.outputs[1:] if VARIANT in o]
    return int(metas[0]) if len(metas) == 1 else -1


def _interaction_yield(mob: str, item: str) -> float:
    for it in rules_yaml("mobs.yaml").get("interactions", []):
        if it["mob"] == mob and item in (it.get("drop"), it.get("gives")):
            lo = int(it.get("min", 1))
            return (lo + int(it.get("max", lo))) / 2.0
    return 1.0


def _edge_ways(edge) -> list[Way]:
    """Gathering ways of one item-graph edge (crafting and smelting come from the tables instead)."""
    R = load_rules()
    item = edge.outputs[0]
    if item not in R.item_id:
        return []
    iid, meta = R.item_id[item], _out_meta(edge)
    places = [next(iter(g))[6:] for g in edge.needs if len(g) == 1 and next(iter(g)).startswith("block:")]
    mobs = [next(iter(g))[4:] for g in edge.needs if len(g) == 1 and next(iter(g)).startswith("mob:")]
    held = tuple(_group_ids(g) for g in edge.needs if not any(n.startswith(("block:", "mob:")) for n in g))
    if edge.verb == "mine":  # "leaves with shears": the drop rows of that tool kind
        block, _, kind = edge.what.partition(" with ")
        return _mine_ways(block, item, held, TOOL_KINDS.index(kind) if kind else 0)
    if edge.verb == "kill":
        if len(edge.needs) != 1:
            return []  # a kill that needs a second mob (a charged creeper's blast)
        return [Way("kill", (iid, meta), max(_mob_yield(mobs[0], item), 1e-3), source=mobs[0])]
    if edge.verb == "use" and edge.what.startswith("laid by"):  # eggs: wait by the mob for them
        return [Way("lay", (iid, meta), 1.0, source=mobs[0])]
    if edge.verb == "use" and edge.what.startswith("fish with"):  # a rod cast into water
        return [Way("fish", (iid, meta), 1.0 / max(edge.weight, 1), tools=held, source=places[0],
                    states=_states(places[0]))]
    if edge.verb != "use" or not held and not places:
        return []
    if mobs:  # an item used on a mob: a container (bucket, bowl) is consumed, a tool (shears) kept
        return [_held_way("use", iid, held[0], mobs[0], _interaction_yield(mobs[0], item), frozenset())]
    if held:  # a bucket filled at a liquid
        return [_held_way("fill", iid, held[0], places[0], 1.0, _states(places[0]))]
    loot = R.extra.get("chest_loot", {})
    return [Way("loot", (iid, meta), 1.0 / max(edge.weight, 1), source=places[0], states=_states(places[0]))] \
        if loot and places[0] == loot.get("block") else []


def _held_way(verb: str, iid: int, group: frozenset, source: str, gives: float, states) -> Way:
    R = load_rules()
    item = min(group)
    if R.max_damage[item] > 0:
        return Way(verb, (iid, -1), gives, tools=(group,), source=source, states=states)
    return Way(verb, (iid, -1), gives, inputs=((item, -1, 1),), source=source, states=states)


def _states(block: str) -> frozenset:
    b = load_rules().block_id[block]
    return frozenset(b << 4 | m for m in range(16))


def _recipe_ways(book: _Book) -> None:
    R = load_rules()
    table = _group_ids(["crafting_table"])
    for r, (out, rows) in enumerate(zip(R.recipe_out, R.recipe_in)):
        inputs = tuple((int(i), int(m), int(n)) for i, m, n in rows if i)
        if any(i == out[0] for i, _, _ in inputs):
            continue  # dyeing and other recolouring: never how an item is first obtained
        book.add(Way("craft", (int(out[0]), int(out[1])), float(out[2]), inputs, (table,) if out[3] else (),
                     recipe=r))
    furnace = _group_ids(["furnace"])
    for (src, sm), (out, om, oc) in zip(R.smelt_in, R.smelt_out):
        if src != out:
            book.add(Way("smelt", (int(out), int(om)), float(oc), ((int(src), int(sm), 1),), (furnace,)))


@functools.cache
def cookbook(biome: str | None, summoned: tuple[str, ...]) -> dict[int, list[Way]]:
    """Item id -> every way our rules give it in a world of ``biome`` with ``summoned`` mobs."""
    book = _Book()
    for edge in engine_edges(biome, summoned):
        if edge.verb in ("mine", "kill", "use") and edge.outputs and not edge.outputs[0].startswith("block:"):
            for way in _edge_ways(edge):
                book.add(way)
    _recipe_ways(book)
    _pour_ways(book)
    _farm_ways(book)
    return book.ways


def _pour_ways(book: _Book) -> None:
    """Water poured beside a lava source hardens it (``lava_mixing``): the hardened block's drops, got by
    pouring a held water bucket, then mining as the block's own way does (``source`` the hardened block)."""
    R = load_rules()
    hardened = R.extra.get("lava_mixing", {}).get("source")
    water = _group_ids(i for i, liquid in R.extra.get("use", {}).get("pour", {}).items() if liquid == "water")
    mines = [w for ws in book.ways.values() for w in ws if w.verb == "mine" and w.source == hardened]
    for w in mines if water else ():
        book.add(Way("pour", w.out, w.gives, tools=(water,) + w.tools, source=w.source, states=w.states))


def _farm_ways(book: _Book) -> None:
    """A crop sown on tilled soil and ripened with bone meal (``use``: ``till``, ``plant``, ``fertilize``;
    ``crops``): the ripe crop's drops, for a seed, a hoe and the bone meal of a full growth (the mean
    count rounded up, plus one for bad rolls). Crops whose seed is their own harvest (carrots, potatoes)
    are left out: a way that gives what it sows never starts from nothing."""
    R = load_rules()
    use, crops = R.extra.get("use", {}), R.extra.get("crops", {})
    if not use.get("fertilize") or not use.get("till"):
        return
    (meal, grow), = use["fertilize"].items()
    hoes = frozenset(i for i, k in enumerate(R.tool_kind) if TOOL_KINDS[k] == use["till"]["tool_kind"])
    for seed, plant in use.get("plant", {}).items():
        crop, age = plant["block"], crops.get("max_age", {}).get(plant["block"])
        if age is None or crops.get("soil") not in plant["soil"]:
            continue
        n = math.ceil(2.0 * age / sum(grow["stages"])) + 1
        inputs = ((R.item_id[seed], -1, 1), (R.item_id[meal], int(grow["meta"]), n))
        for w in [w for ws in book.ways.values() for w in ws if w.verb == "mine" and w.source == crop]:
            if w.out[0] != R.item_id[seed]:
                book.add(Way("farm", w.out, w.gives, inputs, (hoes,), source=crop, states=w.states))


def usable(ways: dict[int, list[Way]], commands: dict[int, str]) -> dict[int, list[Way]]:
    """The ways an env's item commands can carry out: a craft only of an item its ``craft`` (2x2, no
    table) or ``craft_with_table`` command names, a smelt only of one its ``smelt`` command names."""
    table = _group_ids(["crafting_table"])
    out: dict[int, list[Way]] = {}
    for item, ws in ways.items():
        cmd = commands.get(item)
        for w in ws:
            if w.verb == "craft":
                needs_table = bool(load_rules().recipe_out[w.recipe, 3])
                if cmd not in (HAND, TABLE) or cmd == HAND and needs_table:
                    continue
                w = Way(w.verb, w.out, w.gives, w.inputs, (table,) if cmd == TABLE else (), recipe=w.recipe)
            elif w.verb == "smelt" and cmd != FURNACE:
                continue
            out.setdefault(item, []).append(w)
    return out


# ---------------------------------------------------------------- inventory arithmetic


def count_key(inv: Counter, key: Key) -> int:
    """How many of ``key`` a (item, meta) -> count inventory holds (meta -1: all variants)."""
    item, meta = key
    if meta >= 0:
        return inv.get(key, 0)
    return sum(n for (i, _), n in inv.items() if i == item)


def _take(inv: Counter, key: Key, n: int) -> Counter:
    """Remove ``n`` of ``key`` (exact variants first); returns what was taken."""
    taken = Counter()
    for k in sorted((k for k in inv if k[0] == key[0] and key[1] in (-1, k[1]) and inv[k] > 0), key=lambda k: k[1]):
        t = min(n, inv[k])
        inv[k] -= t
        taken[k] += t
        n -= t
        if n == 0:
            break
    return taken


# ---------------------------------------------------------------- planning


class Planner:
    """Cost model and plan expansion over one cookbook.

    Args:
        ways: :func:`cookbook` of the task's world.
        gather_cost: ``way -> ticks`` for one gathering action (the live world's probe); INF = impossible.
        fuels: fuel item ids in order of preference.
        extra_tools: ``way -> tool groups`` the world adds to a gathering way (a pickaxe to tunnel to a
            buried block).
    """

    def __init__(self, ways: dict[int, list[Way]], gather_cost: Callable[[Way], float], fuels: list[int],
                 extra_tools: Callable[[Way], tuple[frozenset, ...]] | None = None):
        self.ways = ways
        self.gather_cost = gather_cost
        self.fuels = fuels
        self.extra_tools = extra_tools
        self.cost: dict[Key, float] = {}
        self._extra: dict[int, tuple[frozenset, ...]] = {}

    def tools(self, w: Way) -> tuple[frozenset, ...]:
        """The way's own tool groups and those the world adds."""
        if not w.gather or self.extra_tools is None:
            return w.tools
        if id(w) not in self._extra:
            self._extra[id(w)] = self.extra_tools(w)
        return w.tools + self._extra[id(w)]

    # ------------------------------------------------------------ costs

    def relax(self, have: Counter) -> None:
        """Unit costs of every item (any variant and each exact variant) to a fixed point."""
        held = {i for (i, _), n in have.items() if n > 0}
        action = {id(w): self._action(w) for ws in self.ways.values() for w in ws}
        cost: dict[Key, float] = {}
        for (i, m), n in have.items():
            if n > 0:
                cost[(i, m)] = cost[(i, -1)] = 1.0
        for _ in range(ROUNDS):
            changed = False
            for ws in self.ways.values():
                for w in ws:
                    c = self._way_cost(w, action[id(w)], cost, held)
                    for key in (w.out, (w.out[0], -1)) + (((w.out[0], VARIES),) if w.out[1] < 0 else ()):
                        if c < cost.get(key, INF) - 1e-9:
                            cost[key], changed = c, True
            if not changed:
                break
        self.cost = cost

    def _action(self, w: Way) -> float:
        if w.gather:
            return self.gather_cost(w)
        return CRAFT_TICKS if w.verb == "craft" else SMELT_TICKS

    def _way_cost(self, w: Way, action: float, cost: dict, held: set) -> float:
        if action == INF:
            return INF
        total = action
        for i, m, n in w.inputs:
            total += n * min(cost.get((i, m), INF), cost.get((i, VARIES), INF) if m >= 0 else INF)
        for group in self.tools(w):
            if not group & held:
                total += min((cost.get((t, -1), INF) for t in group), default=INF)
        if w.verb == "smelt":
            total += min((cost.get((f, -1), INF) for f in self.fuels), default=INF)
        return total / w.gives

    def key_cost(self, key: Key) -> float:
        return self.cost.get(key, INF)

    # ------------------------------------------------------------ expansion

    def plan(self, target: Key, n: int, have: Counter) -> list[Step]:
        """Steps that take ``have`` to ``n`` of ``target``.

        Raises:
            NoWay: nothing (or only a cycle) gives some item the plan needs.
        """
        self._extra, self._budget = {}, EXPANSIONS
        self.relax(have)
        inv, steps = Counter(have), []
        self._need(target, n, inv, steps, ())
        return self._merge(steps, Counter(have))

    def _need(self, key: Key, n: int, inv: Counter, steps: list[Step], stack: tuple) -> None:
        """Extend ``steps`` (and ``inv``) until ``n`` of ``key`` are held: the cheapest way that expands
        without a cycle; a way that fails deeper down is undone and the next one tried."""
        if count_key(inv, key) >= n:
            return
        if key in stack or len(stack) > MAX_DEPTH:
            raise NoWay(f"cycle at item {key}")
        for way in self._candidates(key, inv, stack):
            self._budget -= 1
            if self._budget < 0:
                raise NoWay("plan search too large")
            saved, length = Counter(inv), len(steps)
            try:
                return self._expand(way, key, n, inv, steps, stack + (key,))
            except NoWay:
                inv.clear()
                inv.update(saved)
                del steps[length:]
        raise NoWay(f"no way gives item {key}")

    def _expand(self, way: Way, key: Key, n: int, inv: Counter, steps: list[Step], stack: tuple) -> None:
        for group in self.tools(way):
            if not any(count_key(inv, (t, -1)) for t in group):
                self._need_one(group, inv, steps, stack)
        deficit = n - count_key(inv, key)
        times = math.ceil(deficit / way.gives) if not way.gather else 1
        fuel = self._fuel(inv, times, stack) if way.verb == "smelt" else None
        per = deficit if way.gather else times  # a gathering way's container goes one per item (a bucket a milk)
        needs = [((i, m), q * per) for i, m, q in way.inputs] + ([(fuel, times)] if fuel else [])
        needs.sort(key=lambda kq: -self.key_cost(kq[0]))  # dear inputs first: cheap ones are made last
        reserved = Counter()
        for k, q in needs:
            self._need(k, q, inv, steps, stack)
            reserved.update(_take(inv, k, q))
        inv.update(reserved)
        self._apply(way, key, times, n - count_key(inv, key), inv, steps, fuel)

    def _need_one(self, group: frozenset, inv: Counter, steps: list[Step], stack: tuple) -> None:
        """One item of a tool group: the cheapest member that can be had (an iron pickaxe is no way to
        mine the iron ore it is made of)."""
        for t in sorted(group, key=lambda t: self.key_cost((t, -1))):
            if self.key_cost((t, -1)) == INF:
                break
            saved, length = Counter(inv), len(steps)
            try:
                return self._need((t, -1), 1, inv, steps, stack)
            except NoWay:
                inv.clear()
                inv.update(saved)
                del steps[length:]
        raise NoWay(f"no tool of group {sorted(group)}")

    def _candidates(self, key: Key, inv: Counter, stack: tuple) -> list[Way]:
        """Ways that give ``key`` at a finite cost, cheapest first; none whose inputs are being made."""
        held = {i for (i, _), c in inv.items() if c > 0}
        out = []
        for w in self.ways.get(key[0], ()):
            if key[1] >= 0 and w.out[1] not in (key[1], -1) or any((i, m) in stack or (i, -1) in stack
                                                                   for i, m, _ in w.inputs):
                continue
            c = self._way_cost(w, self._action(w), self.cost, held)
            if c < INF:
                out.append((c, len(out), w))
        return [w for _, _, w in sorted(out)]

    def _fuel(self, inv: Counter, times: int, stack: tuple) -> Key:
        """Fuel held in quantity first (a task's coal), else the cheapest to make."""
        for f in self.fuels:
            if count_key(inv, (f, -1)) >= times and (f, -1) not in stack:
                return (f, -1)
        return min(((f, -1) for f in self.fuels if (f, -1) not in stack), key=self.key_cost)

    @staticmethod
    def _apply(way: Way, key: Key, times: int, deficit: int, inv: Counter, steps: list[Step],
               fuel: Key | None) -> None:
        if way.gather:
            for i, m, q in way.inputs:  # a bucket or bowl per item gathered
                _take(inv, (i, m), q * deficit)
            inv[_gathered(way, key)] += deficit
            steps.append(Step(way, deficit, 0, key))
            return
        for i, m, q in way.inputs:
            _take(inv, (i, m), q * times)
        if fuel:
            _take(inv, fuel, times)
        inv[way.out] += int(way.gives * times)
        steps.append(Step(way, times, 0, key, fuel))

    @staticmethod
    def _merge(steps: list[Step], inv: Counter) -> list[Step]:
        """Fold repeated gathering of the same way into its first step, then set every step's level."""
        merged: list[Step] = []
        first: dict[int, Step] = {}
        for s in steps:
            if s.way.gather and id(s.way) in first:
                first[id(s.way)].times += s.times
                continue
            if s.way.gather:
                first[id(s.way)] = s
            merged.append(s)
        for s in merged:
            w = s.way
            if w.gather:
                for i, m, q in w.inputs:
                    _take(inv, (i, m), q * s.times)
                inv[_gathered(w, s.key)] += s.times
            else:
                for i, m, q in w.inputs:
                    _take(inv, (i, m), q * s.times)
                if s.fuel:
                    _take(inv, s.fuel, s.times)
                inv[w.out] += int(w.gives * s.times)
            s.level = count_key(inv, s.key if s.key[0] == w.out[0] else w.out)
        return merged


def _gathered(way: Way, key: Key) -> Key:
    """The variant a gathering step counts as: the need's own when the way's varies (a catch, a drop)."""
    return (way.out[0], key[1]) if way.out[1] < 0 and key[0] == way.out[0] and key[1] >= 0 else way.out


def fuel_items() -> list[int]:
    """The fuel item ids a plan may burn, in order of preference."""
    R = load_rules()
    return [R.item_id[n] for n in FUELS if n in R.item_id and R.fuel_ticks[R.item_id[n]] > 0]
