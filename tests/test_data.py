"""mc_bench.data: the MineRL trajectory format, the minerl.data API, generation and re-rendering."""

from __future__ import annotations

import hashlib
import shutil
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("imageio_ffmpeg")

from mc_bench import data
from mc_bench.data.format import POV_TOLERANCE, flatten, read_json
from mc_bench.data.generate import episode_seeds, generate, rollout, stream_name
from mc_bench.data.render import rerender
from mc_bench.error import OutputExists, UnknownTask

ENV = "MineRLObtainDiamond-v0"  # Enum actions, inventory and equipped observations: every kind of key
STEPS = 120


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """Two short expert episodes; tests copy it before damaging anything."""
    out = tmp_path_factory.mktemp("demos")
    generate(ENV, 2, out, seed=3, max_steps=STEPS, progress=False)
    return out


def _copy(root: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(root, dst)
    return dst


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _replay_live(name: str):
    """The same episode played again live (the expert and its imperfections are seeded)."""
    import mc_bench
    from mc_bench.agents import make_agent
    from mc_bench.data.generate import HumanLike

    seed, i = 3, int(name.rsplit("-", 1)[1])
    env_seed, agent_seed, style_seed = episode_seeds(seed, i)
    env = mc_bench.make(ENV)
    expert = make_agent("expert", env, agent_seed)
    expert.reset(seed=agent_seed)
    human = HumanLike(expert, env.action_space, np.random.default_rng(style_seed))
    return rollout(env, human.act, env_seed, STEPS)


def test_layout_and_metadata(root):
    names = data.make(ENV, root).get_trajectory_names()
    assert names == [stream_name(3, 0), stream_name(3, 1)]
    folder = root / ENV / names[0]
    assert {p.name for p in folder.iterdir()} == {"recording.mp4", "rendered.npz", "metadata.json", "replay.json"}
    meta = read_json(folder / "metadata.json")
    assert meta["duration_steps"] == STEPS and meta["duration_ms"] == 50 * STEPS
    assert meta["true_video_frame_count"] == STEPS + 1 and meta["stream_name"] == names[0]
    with np.load(folder / "rendered.npz") as z:
        assert not any("pov" in k for k in z.files)
        assert z["action$camera"].shape == (STEPS, 2) and z["reward"].shape == (STEPS,)
        assert z["observation$inventory$log"].shape == (STEPS + 1,)
        assert z["action$place"].dtype.kind == "U" and z["observation$equipped_items$mainhand$type"].dtype.kind == "U"
        assert meta["total_reward"] == pytest.approx(float(z["reward"].sum()))
    replay = read_json(folder / "replay.json")
    assert replay["task_id"] == ENV and replay["env_seed"] == episode_seeds(3, 0)[0] and replay["engine_hash"]


def test_round_trip_matches_the_live_episode(root):
    pipe = data.make(ENV, root)
    name = pipe.get_trajectory_names()[1]
    live = _replay_live(name)
    items = list(pipe.load_data(name, include_metadata=True))
    assert len(items) == STEPS and [it[4] for it in items] == [False] * (STEPS - 1) + [True]
    assert [it[2] for it in items] == list(live["rewards"])
    for key, want in live["actions"].items():
        got = np.stack([flatten(it[1], "action")[key] for it in items])
        np.testing.assert_array_equal(got, want, err_msg=key)
    for key, want in live["observations"].items():
        got = np.stack([flatten(it[0], "observation")[key] for it in items] + [flatten(items[-1][3], "observation")[key]])
        np.testing.assert_array_equal(got, want, err_msg=key)
    pov = np.stack([it[0]["pov"] for it in items] + [items[-1][3]["pov"]]).astype(int)
    err = np.abs(pov - live["pov"].astype(int))
    assert err.mean() <= POV_TOLERANCE[0] and err.max() <= POV_TOLERANCE[1]
    assert items[0][5]["stream_name"] == name
    skipped = list(pipe.load_data(name, skip_interval=3))
    assert [it[2] for it in skipped] == [it[2] for it in items[::4]] and skipped[-1][4]


def test_batch_iter_shapes_coverage_and_seed(root):
    pipe = data.make(ENV, root)
    b, t = 3, 20
    batches = list(pipe.batch_iter(b, t, num_epochs=1, seed=7))
    assert len(batches) == (2 * STEPS) // b // t
    obs, act, rew, nxt, done = batches[0]
    assert obs["pov"].shape == (b, t, 64, 64, 3) and nxt["pov"].shape == (b, t, 64, 64, 3)
    assert obs["inventory"]["log"].shape == (b, t) and act["camera"].shape == (b, t, 2)
    assert obs["equipped_items"]["mainhand"]["type"].shape == (b, t)
    assert rew.shape == (b, t) and done.shape == (b, t) and done.dtype == bool
    # coverage: each transition appears at most once, and fewer than b*t are cut at the lanes' ends
    rows = Counter(tuple(r) for x in batches for r in x[1]["camera"].reshape(-1, 2).tolist())
    every = Counter(tuple(it[1]["camera"].tolist()) for n in pipe.get_trajectory_names() for it in pipe.load_data(n))
    assert not rows - every and sum(rows.values()) > 2 * STEPS - b * t
    again = list(pipe.batch_iter(b, t, num_epochs=1, seed=7))
    other = list(pipe.batch_iter(b, t, num_epochs=2, seed=8))
    assert all(np.array_equal(x[1]["camera"], y[1]["camera"]) for x, y in zip(batches, again))
    assert len(other) == 2 * len(batches)


def test_buffered_batch_iter(root):
    pipe = data.make(ENV, root)
    batches = list(data.BufferedBatchIter(pipe, buffer_target_size=50, seed=0).buffered_batch_iter(16, num_epochs=1))
    assert len(batches) == (2 * STEPS) // 16
    obs, act, rew, _, _ = batches[0]
    assert obs["pov"].shape == (16, 64, 64, 3) and act["camera"].shape == (16, 2) and rew.shape == (16,)
    assert int(sum(x[4].sum() for x in batches)) <= 2
    two = list(data.BufferedBatchIter(pipe, 50, seed=0).buffered_batch_iter(16, num_batches=2))
    assert len(two) == 2 and np.array_equal(two[0][2], batches[0][2])
    with pytest.raises(ValueError):
        next(data.BufferedBatchIter(pipe).buffered_batch_iter(4, num_epochs=1, num_batches=1))


def test_rerender_reproduces_states(root, tmp_path):
    src = tmp_path / "one"
    (src / ENV).mkdir(parents=True)
    shutil.copytree(root / ENV / stream_name(3, 0), src / ENV / stream_name(3, 0))
    rerender(src, tmp_path / "hi", (192, 256), progress=False)
    pipe = data.make(ENV, tmp_path / "hi")
    items = list(pipe.load_data(stream_name(3, 0)))
    assert items[0][0]["pov"].shape == (192, 256, 3)
    old = list(data.make(ENV, src).load_data(stream_name(3, 0)))
    assert [i[2] for i in items] == [i[2] for i in old]
    assert all(flatten(a[3]["inventory"], "i") == flatten(b[3]["inventory"], "i") for a, b in zip(items, old))
    with pytest.raises(OutputExists):
        rerender(src, tmp_path / "hi", (192, 256), progress=False)


def test_rerender_detects_divergence(root, tmp_path):
    src = _copy(root, tmp_path)
    folder = src / ENV / stream_name(3, 1)
    with np.load(folder / "rendered.npz") as z:
        arrays = dict(z)
    arrays["observation$inventory$dirt"][7] += 1  # a recording the engine cannot reproduce
    (folder / "rendered.npz").unlink()
    np.savez_compressed(folder / "rendered.npz", **arrays)
    with pytest.raises(data.ReplayMismatch, match="step 7"):
        rerender(src, tmp_path / "out", (64, 64), progress=False)


def _corrupt_npz(folder: Path):
    (folder / "rendered.npz").write_bytes(b"not a zip file")
    return "rendered.npz"


def _truncate_mp4(folder: Path):
    mp4 = folder / "recording.mp4"
    mp4.write_bytes(mp4.read_bytes()[: mp4.stat().st_size // 3])
    return "recording.mp4"


def _short_mp4(folder: Path):
    import imageio_ffmpeg  # noqa: F401

    from mc_bench.data.format import read_video, write_video

    frames = read_video(folder / "recording.mp4")
    (folder / "recording.mp4").unlink()
    write_video(folder / "recording.mp4", frames[:-5])
    return "recording.mp4"


def _drop_metadata(folder: Path):
    (folder / "metadata.json").unlink()
    return "metadata.json"


@pytest.mark.parametrize("damage", [_corrupt_npz, _truncate_mp4, _short_mp4, _drop_metadata])
def test_broken_trajectories_are_named_or_skipped(root, tmp_path, damage):
    src = _copy(root, tmp_path)
    bad = src / ENV / stream_name(3, 0)
    file = damage(bad)
    pipe = data.make(ENV, src)
    with pytest.raises(data.InvalidTrajectory, match=file) as exc:
        list(pipe.batch_iter(2, 10, num_epochs=1, seed=0))
    assert str(bad) in str(exc.value)
    with pytest.raises(data.InvalidTrajectory, match=file):
        list(pipe.load_data(bad.name))
    with pytest.warns(UserWarning, match=bad.name):
        batches = list(data.make(ENV, src, skip_invalid=True).batch_iter(2, 10, num_epochs=1, seed=0))
    assert len(batches) == STEPS // 20
    buffered = data.BufferedBatchIter(pipe, 50, seed=0, skip_invalid=True).buffered_batch_iter(8, num_epochs=1)
    with pytest.warns(UserWarning, match=bad.name):
        batches = list(buffered)
    assert len(batches) == STEPS // 8


def test_reading_leaves_the_directory_untouched(root):
    before = _digest(root)
    pipe = data.make(ENV, root)
    for name in pipe.get_trajectory_names():
        list(pipe.load_data(name))
    list(pipe.batch_iter(2, 30, num_epochs=1, seed=0))
    list(data.BufferedBatchIter(pipe, 40, seed=0).buffered_batch_iter(8, num_batches=3))
    assert _digest(root) == before


def test_make_errors(root, monkeypatch):
    monkeypatch.delenv("MINERL_DATA_ROOT", raising=False)
    with pytest.raises(data.DataDirNotSet, match="MINERL_DATA_ROOT"):
        data.make(ENV)
    with pytest.raises(UnknownTask, match="MineRLObtainDiamond-v0"):
        data.make("MineRLObtainDiamnd-v0", root)
    monkeypatch.setenv("MINERL_DATA_ROOT", str(root))
    assert data.make(ENV).get_trajectory_names() == [stream_name(3, 0), stream_name(3, 1)]
    assert data.make(ENV).action_space["camera"].shape == (2,)


def test_generate_resumes_and_never_overwrites(root, tmp_path):
    src = _copy(root, tmp_path)
    before = _digest(src)
    made = generate(ENV, 3, src, seed=3, max_steps=STEPS, progress=False)  # 0 and 1 exist: only 2 is made
    assert [m["stream"] for m in made] == [stream_name(3, 2)]
    assert all(_digest(src).get(k) == v for k, v in before.items())
    assert generate(ENV, 3, src, seed=3, max_steps=STEPS, progress=False) == []
    (src / ENV / stream_name(3, 2) / "metadata.json").unlink()  # damaged: an error, not a silent redo
    with pytest.raises(data.InvalidTrajectory, match="delete it"):
        generate(ENV, 3, src, seed=3, max_steps=STEPS, progress=False)
    from mc_bench.data.format import write_trajectory

    with pytest.raises(OutputExists):
        write_trajectory(src / ENV / stream_name(3, 0), np.zeros((1, 64, 64, 3), np.uint8), {}, {}, np.zeros(0), {})


def test_cli_data_generate_and_render(tmp_path):
    from mc_bench.cli import main

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["data", "generate", "--env", "MineRLTreechop-v0", "--episodes", "1", "--out", str(tmp_path / "d"),
                     "--max-steps", "40", "--no-progress"]) == 0
        assert main(["data", "render", str(tmp_path / "d"), str(tmp_path / "r"), "--resolution", "32x64",
                     "--no-progress"]) == 0
    pipe = data.make("MineRLTreechop-v0", tmp_path / "r")
    assert next(pipe.load_data(stream_name(0, 0)))[0]["pov"].shape == (32, 64, 3)


def test_opencv_decodes_our_video_like_our_reader(root):
    """MineRL's loader reads recording.mp4 with OpenCV (BGR -> RGB): it must see our frames."""
    cv2 = pytest.importorskip("cv2")
    from mc_bench.data.format import read_trajectory

    folder = next((root / ENV).glob("v4_*"))
    cap = cv2.VideoCapture(str(folder / "recording.mp4"))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame[..., ::-1])
    arrays, _ = read_trajectory(folder)
    assert np.array_equal(np.array(frames), arrays["observation$pov"])


def test_minerl_style_folder_without_replay_info_loads(root, tmp_path):
    """A trajectory as MineRL publishes it (no replay.json) loads through our API."""
    src = _copy(root, tmp_path)
    for extra in src.rglob("replay.json"):
        extra.unlink()
    pipe = data.make(ENV, data_dir=src)
    name = pipe.get_trajectory_names()[0]
    steps = list(pipe.load_data(name))
    assert len(steps) == STEPS and steps[-1][4]
