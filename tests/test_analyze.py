"""``mc-bench data analyze``: precedence graph, XY paths from replays, summary table."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("imageio_ffmpeg")

import mc_bench  # noqa: E402
from mc_bench.data import analyze as an  # noqa: E402
from mc_bench.data import format as fmt  # noqa: E402

ITEMS = ("log", "planks", "stick", "crafting_table")


def _synthetic(root, name, firsts: dict[str, int], t: int = 10, success: bool = False):
    """An ObtainDiamond-shaped trajectory whose items first appear at the given steps (no seed)."""
    obs = {f"observation$inventory${i}": (np.arange(t + 1) >= firsts.get(i, t + 5)).astype(np.int32)
           for i in ITEMS}
    acts = {"action$forward": np.ones(t, np.int64), "action$craft": np.array(["none"] * t)}
    rewards = np.zeros(t)
    rewards[0] = 1.0
    fmt.write_trajectory(root / "MineRLObtainDiamond-v0" / f"v4_{name}", np.zeros((t + 1, 64, 64, 3), np.uint8),
                         obs, acts, rewards, {"success": success})


def _rollout(root, env_id: str, seed: int, steps: int):
    """A real episode (forward, turning) written with its replay seed."""
    env = mc_bench.make(env_id)
    obs, _ = env.reset(seed=seed)
    observations, actions, rewards = [obs], [], []
    for t in range(steps):
        a = env.action_space.noop()
        a["forward"], a["jump"], a["camera"] = 1, int(t % 10 == 0), np.array([0.0, 6.0], np.float32)
        obs, r, term, trunc, _ = env.step(a)
        observations.append(obs)
        actions.append(a)
        rewards.append(r)
        if term or trunc:
            break
    env.close()
    flat_obs = [{k: v for k, v in o.items() if k != "pov"} for o in observations]
    fmt.write_trajectory(root / env_id / f"v4_roll-{seed}", np.stack([o["pov"] for o in observations]),
                         fmt.stack_steps(flat_obs, "observation"), fmt.stack_steps(actions, "action"),
                         np.asarray(rewards), {"success": False}, replay={"env_id": env_id, "env_seed": seed})


def test_precedence_counts():
    firsts = [{"log": 1, "planks": 3, "stick": 5}, {"log": 2, "planks": 2, "stick": 1}, {"log": 4}]
    items = ["log", "planks", "stick"]
    before, both = an.precedence_matrix(firsts, items)
    assert both.tolist() == [[3, 2, 2], [2, 2, 2], [2, 2, 2]]
    assert before.tolist() == [[0, 1, 1], [0, 0, 1], [1, 1, 0]]
    succ = an.successor_counts(firsts, items)
    # first trajectory: log -> planks -> stick; second: stick -> {log, planks} (same step)
    assert succ.tolist() == [[0, 1, 0], [0, 0, 1], [1, 1, 0]]


def test_analyze_synthetic_dataset(tmp_path):
    data = tmp_path / "data"
    _synthetic(data, "a-1", {"log": 1, "planks": 3, "stick": 6}, success=True)
    _synthetic(data, "a-2", {"log": 2, "planks": 4, "crafting_table": 7})
    _synthetic(data, "a-3", {"log": 5}, t=20)
    (data / "MineRLObtainDiamond-v0" / "not-a-stream").mkdir()
    before = sorted((p, p.stat().st_mtime_ns) for p in data.rglob("*"))
    result = an.analyze(data, tmp_path / "out", verbose=False)
    assert sorted((p, p.stat().st_mtime_ns) for p in data.rglob("*")) == before  # reading writes nothing
    out = tmp_path / "out"
    assert (out / "precedence_MineRLObtainDiamond-v0.png").stat().st_size > 10_000
    assert (out / "summary.csv").read_text().splitlines()[1] == \
        "MineRLObtainDiamond-v0,3,13.3,10,20,1.00,0.00,0.333"
    assert "| MineRLObtainDiamond-v0 | 3 |" in (out / "summary.md").read_text()
    matrix = (out / "precedence_MineRLObtainDiamond-v0.csv").read_text()
    assert "log,planks,1.000,2" in matrix and "planks,log,0.000,2" in matrix
    assert any("XY plot skipped" in n for n in result["notes"])  # no seed: nothing to replay
    assert not (out / "trajectories.png").exists()


def test_analyze_replays_positions(tmp_path):
    data = tmp_path / "data"
    _rollout(data, "MineRLNavigate-v0", seed=1, steps=40)
    _rollout(data, "MineRLTreechop-v0", seed=2, steps=30)
    trajs = an.load_trajectories(data)
    pos = an.replay_positions(trajs["MineRLNavigate-v0"][0])
    assert pos.shape == (41, 2) and np.linalg.norm(pos[-1] - pos[0]) > 2.0  # it walked
    result = an.analyze(data, tmp_path / "out", verbose=False)
    assert (tmp_path / "out" / "trajectories.png").stat().st_size > 10_000
    assert not result["notes"] or all("precedence" in n for n in result["notes"])
    rows = {r[0]: r for r in result["summary"]}
    assert rows["MineRLTreechop-v0"][1:5] == ["1", "30.0", "30", "30"]


def test_analyze_empty_dir_is_a_named_error(tmp_path):
    with pytest.raises(mc_bench.error.McBenchError, match="No trajectories"):
        an.analyze(tmp_path, tmp_path / "out", verbose=False)
