"""MineRL's extra spaces on top of gymnasium's: ``Enum`` and a ``Dict`` with ``noop()``."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from gymnasium import spaces

__all__ = ["Enum", "ActionDict", "noop"]


class Enum(spaces.Space):
    """A finite set of strings, stored sorted; the integer encoding is the index in that order.

    Like MineRL's ``Enum``: ``contains``/``step`` accept a value or its index, ``sample()`` returns a
    string, ``no_op()`` returns the default (``'none'`` when present).
    """

    def __init__(self, *values: str, default: str | None = None, seed: int | None = None):
        self.values = tuple(sorted(set(values)))
        self.value_map = {v: i for i, v in enumerate(self.values)}
        self.default = default if default is not None else ("none" if "none" in self.value_map else self.values[0])
        super().__init__(shape=(), dtype=object, seed=seed)

    @property
    def is_np_flattenable(self) -> bool:
        return False

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        return self.values[int(self.np_random.integers(len(self.values)))]

    def index(self, x: Any) -> int | None:
        """Index of a value or index, or None if it is not in the set."""
        if isinstance(x, str):
            return self.value_map.get(x)
        if isinstance(x, (int, np.integer)) and not isinstance(x, bool) and 0 <= x < len(self.values):
            return int(x)
        return None

    def contains(self, x: Any) -> bool:
        return self.index(x) is not None

    def no_op(self) -> str:
        return self.default

    noop = no_op

    def __repr__(self) -> str:
        return f"Enum({', '.join(self.values)})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Enum) and other.values == self.values and other.default == self.default

    def to_jsonable(self, sample_n):
        return list(sample_n)

    def from_jsonable(self, sample_n):
        return list(sample_n)


def noop(space: spaces.Space):
    """The do-nothing value of a space: 0, zeros, or an Enum's default; dicts recurse."""
    if isinstance(space, spaces.Dict):
        return OrderedDict((k, noop(s)) for k, s in space.spaces.items())
    if isinstance(space, Enum):
        return space.no_op()
    if isinstance(space, spaces.Discrete):
        return 0
    return np.zeros(space.shape, space.dtype)


class ActionDict(spaces.Dict):
    """gymnasium ``Dict`` with MineRL's ``noop()`` / ``no_op()``."""

    def noop(self) -> OrderedDict:
        return noop(self)

    no_op = noop
