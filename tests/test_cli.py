"""The ``mc-bench`` command end to end, in subprocesses (as a user runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TASK = "MineRLTreechop-v0"
IDS = sorted(["MineRLNavigate-v0", "MineRLNavigateDense-v0", "MineRLNavigateExtreme-v0",
              "MineRLNavigateExtremeDense-v0", "MineRLTreechop-v0", "MineRLObtainIronPickaxe-v0",
              "MineRLObtainIronPickaxeDense-v0", "MineRLObtainDiamond-v0", "MineRLObtainDiamondDense-v0",
              "MineRLObtainCookedMeat-v0", "MineRLObtainBed-v0", "MineRLSurvival-v0"])


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "mc_bench.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eval")
    out, video = tmp / "r.json", tmp / "v.mp4"
    proc = cli("eval", "--task", TASK, "--agent", "random", "--episodes", "1", "--max-steps", "200",
               "--out", str(out), "--video", str(video), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    return proc, out, video


def test_eval_prints_the_score_table(run):
    proc, _, _ = run
    lines = proc.stdout.splitlines()
    assert [c.strip() for c in lines[0].split(" | ")] == ["task", "episodes", "return mean ± std", "success rate", "mean length",
                                     "steps/s"]
    assert lines[2].startswith(TASK) and " ± " in lines[2]


def test_eval_writes_the_results_json(run):
    _, out, video = run
    record = json.loads(out.read_text())
    assert record["task_id"] == TASK and record["agent"] == "random"
    assert record["seeds"] == [0] and record["max_steps"] == 200 and record["step_budget"] == 200
    assert record["package_version"] == record["suite_version"]
    (episode,) = record["episodes"]
    assert set(episode) >= {"seed", "return", "length", "success", "step_seconds"}
    assert 1 <= episode["length"] <= 200 and isinstance(episode["success"], bool)
    assert set(record["summary"]) == {"return_mean", "return_std", "success_rate", "length_mean", "steps_per_s"}
    assert record["steps_per_s"] > 0 and record["wall_s"] > 0 and record["video"] == str(video)


def test_eval_writes_the_video(run):
    _, out, video = run
    assert video.is_file() and video.stat().st_size > 0
    imageio = pytest.importorskip("imageio.v2")
    reader = imageio.get_reader(video)
    length = json.loads(out.read_text())["episodes"][0]["length"]
    assert reader.count_frames() == length + 1  # the reset frame, then one per step
    assert reader.get_data(0).shape[0] >= 256
    reader.close()


def test_eval_refuses_to_overwrite(run, tmp_path):
    _, out, _ = run
    before = out.read_text()
    proc = cli("eval", "--task", TASK, "--episodes", "1", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "--overwrite" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_text() == before


def test_unknown_task_is_one_clean_error(tmp_path):
    proc = cli("eval", "--task", "MineRLTreechop-v9", "--episodes", "1", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Did you mean" in proc.stderr and TASK in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "results").exists()


def test_unknown_agent_lists_the_known_ones(tmp_path):
    proc = cli("eval", "--task", TASK, "--agent", "randon", "--episodes", "1", "--out", str(tmp_path / "r.json"),
               cwd=tmp_path)
    assert proc.returncode == 2
    assert "Known agents:" in proc.stderr and "random" in proc.stderr and "Traceback" not in proc.stderr


def test_tasks_list(tmp_path):
    proc = cli("tasks", "list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    listed = [line.split(" | ")[0].strip() for line in proc.stdout.splitlines()[2:]]
    assert listed[:len(IDS)] == IDS and len(listed) == len(IDS) + 1582
    assert "MineDojo/harvest_1_log-v0" in listed and "obtain log" in proc.stdout
    assert "8000" in proc.stdout and "Treechop" in proc.stdout


def test_tasks_table_markdown(tmp_path):
    proc = cli("tasks", "table", "--markdown", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("| id ") and lines[1].startswith("|--")
    assert any(f"`{TASK}`" in line and "log +1" in line for line in lines)
    assert len(lines) == 2 + len(IDS) + 1582


def test_eval_suite_prints_ours_beside_the_paper(tmp_path):
    out = tmp_path / "suite.json"
    proc = cli("eval", "--suite", "minerl-v0", "--agent", "random", "--compare", "none", "--episodes", "1",
               "--max-steps", "5", "--no-progress", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    head, _, *rows = proc.stdout.splitlines()
    assert [c.strip() for c in head.split(" | ")] == ["task", "random (ours)", "random (paper)", "human (paper)"]
    treechop = next(r for r in rows if r.startswith("MineRLTreechop-v0"))
    assert "3.81 ± 0.57" in treechop and "64.00 ± 0.00" in treechop
    record = json.loads(out.read_text())
    assert set(record["results"]) >= {"MineRLTreechop-v0", "MineRLObtainDiamond-v0"}


def test_unknown_suite_is_a_named_error(tmp_path):
    proc = cli("eval", "--suite", "minerl-v1", "--agent", "random", cwd=tmp_path)
    assert proc.returncode == 2 and "Unknown suite 'minerl-v1'" in proc.stderr and "minerl-v0" in proc.stderr
