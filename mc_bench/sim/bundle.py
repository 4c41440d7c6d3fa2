"""One handle on a simulator's state for the calls made every step.

Calling a numba function from Python costs a type check and an unboxing per array argument; the
engine's state is about 60 arrays (world, rules tables, engine), which made that entry cost more
than 15 us per call. A :class:`Bundle` is a numba structref holding the state's tuples: it crosses
into compiled code as one pointer, and the kernels unpack it there. The arrays are shared, not
copied, so a bundle stays valid as long as its owner never replaces one of those arrays (the
simulator writes into them in place).
"""

from __future__ import annotations

from numba import types
from numba.experimental import structref
from numba.extending import overload

from mc_bench.sim._jit import njit

__all__ = ["Bundle", "bundle"]


@structref.register
class BundleType(types.StructRef):
    """Fields: any tuple of arrays (one type per distinct set of argument types)."""

    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(t)) for name, t in fields)


class Bundle(structref.StructRefProxy):
    """Python handle of a bundle; only compiled code reads its fields."""


structref.define_boxing(BundleType, Bundle)


def _new(a, b, c):  # typed by the overload below
    raise NotImplementedError


@overload(_new)
def _new_impl(a, b, c):
    ty = BundleType([("a", a), ("b", b), ("c", c)])

    def impl(a, b, c):
        s = structref.new(ty)
        s.a, s.b, s.c = a, b, c
        return s
    return impl


@njit
def bundle(a, b, c):
    """A bundle of three values (tuples of arrays, arrays); compiled code reads them as ``.a .b .c``."""
    return _new(a, b, c)
