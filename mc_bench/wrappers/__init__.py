"""Wrappers, one job each. Loaded lazily so optional dependencies stay optional."""

from __future__ import annotations

__all__ = ["RecordVideo", "check_new_path", "compose_frame"]


def __getattr__(name: str):
    if name in __all__:
        from mc_bench.wrappers import record_video

        return getattr(record_video, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
