"""A non-editable wheel, installed into a fresh venv, carries the tasks and makes an env."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["mc_bench", "tasks", "setup.py", "setup.cfg", "pyproject.toml", "README.md"]

SMOKE = """
import json, gymnasium, mc_bench
from mc_bench.tasks.spec import TASK_DIR
env = gymnasium.make("MineRLTreechop-v0")
obs, info = env.reset(seed=0)
obs, reward, terminated, truncated, info = env.step(env.action_space.noop())
print(json.dumps({"file": mc_bench.__file__, "task_dir": str(TASK_DIR), "pov": list(obs["pov"].shape),
                  "tasks": mc_bench.list_tasks()}))
"""


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def copy_sources(dest: Path) -> Path:
    """Build from a copy, so the checkout gets no build/ or egg-info folders."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "*.nbi", "*.nbc")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


def make_venv(path: Path) -> Path:
    """A venv that sees this interpreter's packages (numpy, numba, ...) but not mc_bench's checkout."""
    run(sys.executable, "-m", "venv", "--system-site-packages", path)
    python = path / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    # A plain path line (no .pth processing of that folder), so an editable mc_bench there stays out.
    here = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(site, "_parent_env.pth").write_text("\n".join(here) + "\n")
    return python


def test_wheel_installs_and_makes_an_env(tmp_path):
    src = copy_sources(tmp_path / "src")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist",
        src)
    (wheel,) = (tmp_path / "dist").glob("mc_bench-*.whl")
    venv = tmp_path / "venv"
    python = make_venv(venv)
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = json.loads(run(python, "-c", SMOKE, cwd=outside, env=env).stdout.strip().splitlines()[-1])
    assert Path(result["file"]).resolve().is_relative_to(venv.resolve())
    task_dir = Path(result["task_dir"]).resolve()
    assert task_dir.name == "task_data" and task_dir.is_relative_to(venv.resolve())
    assert result["pov"] == [64, 64, 3]
    assert "MineRLTreechop-v0" in result["tasks"] and len(result["tasks"]) >= 5
