"""Named exceptions. Each message says what went wrong and what to do next."""

from __future__ import annotations

import difflib

__all__ = [
    "McBenchError",
    "UnknownTask",
    "TaskSpecError",
    "RulesValidationError",
    "InvalidAction",
    "DependencyNotInstalled",
    "ResetNeeded",
    "DimensionNotBuilt",
    "OutputExists",
    "nearest",
]


class McBenchError(Exception):
    """Base class of every error raised by mc_bench."""


class UnknownTask(McBenchError, KeyError):
    """A task id that is not registered."""

    def __init__(self, task_id: str, known: list[str]):
        self.task_id = task_id
        close = nearest(task_id, known)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(
            f"Unknown task id {task_id!r}.{hint} "
            "Run `mc-bench tasks list` or `mc_bench.list_tasks()` to see every registered id."
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class TaskSpecError(McBenchError, ValueError):
    """A task YAML file that does not follow the schema."""

    def __init__(self, path: str, message: str, line: int | None = None, field: str | None = None):
        self.path, self.line, self.field = path, line, field
        where = f"{path}" + (f", line {line}" if line is not None else "")
        what = f" field {field!r}:" if field else ""
        super().__init__(f"Malformed task file {where}:{what} {message}. Fix the file and import again.")


class RulesValidationError(McBenchError, ValueError):
    """Rules data (minecraft-data or our YAML) that is missing or inconsistent."""


class InvalidAction(McBenchError, ValueError):
    """An action that does not fit the env's action space."""


class DependencyNotInstalled(McBenchError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, package: str, extra: str):
        super().__init__(f"{package} is not installed. Install it with: pip install 'mc-bench[{extra}]'")


class ResetNeeded(McBenchError, RuntimeError):
    """step() was called before reset() or after the episode ended."""


class OutputExists(McBenchError, FileExistsError):
    """An output file (results, video, data) that already exists; we never overwrite user files."""

    def __init__(self, path):
        self.path = str(path)
        super().__init__(f"{self.path} already exists; pass a new path, or --overwrite "
                         "(overwrite=True) to replace it.")


def nearest(name: str, known: list[str], n: int = 3) -> list[str]:
    """The ``n`` known names closest to ``name`` (for 'did you mean' hints)."""
    lowered = {k.lower(): k for k in known}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)
    return [lowered[h] for h in hits]


class DimensionNotBuilt(McBenchError, NotImplementedError):
    """A registered task that needs a dimension the engine does not simulate yet (the Nether, the End)."""

    def __init__(self, task_id: str, dimension: str, why: str):
        self.task_id, self.dimension = task_id, dimension
        place = {"nether": "the Nether", "the_end": "the End"}.get(dimension, dimension)
        super().__init__(
            f"Task {task_id!r} cannot run: {why}. mc-bench does not simulate {place} yet; the task is registered "
            f"so ids match MineDojo's. Pick an overworld task (`mc-bench tasks feasibility` lists each task's "
            f"dimension).")
