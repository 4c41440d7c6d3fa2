"""Packaging hooks; the metadata lives in setup.cfg.

The task YAML sits in the top-level ``tasks/`` folder (data, edited outside the package), so the
build copies it into the wheel as ``mc_bench/task_data/``, where ``mc_bench.tasks.spec.TASK_DIR``
looks first. An editable install keeps reading ``tasks/`` from the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
TASKS = ROOT / "tasks"
TASK_PKG = Path("mc_bench", "task_data")


def _task_files() -> list[Path]:
    return sorted(TASKS.rglob("*.yaml")) if TASKS.is_dir() else []


class BuildPyWithTasks(build_py):
    """build_py that also copies ``tasks/**/*.yaml`` to ``mc_bench/task_data/`` in the build."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable package finds ./tasks itself
        if not _task_files():
            raise FileNotFoundError(f"No task YAML under {TASKS}: the wheel would ship no tasks.")
        for src in _task_files():
            dest = Path(self.build_lib) / TASK_PKG / src.relative_to(TASKS)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(Path(self.build_lib) / TASK_PKG / p.relative_to(TASKS)) for p in _task_files()]


class SdistWithTasks(sdist):
    """sdist that carries ``tasks/`` (and setup.py), so a wheel built from it has the tasks."""

    def make_distribution(self):
        self.filelist.extend(str(p.relative_to(ROOT)) for p in _task_files())
        super().make_distribution()


setup(cmdclass={"build_py": BuildPyWithTasks, "sdist": SdistWithTasks})
