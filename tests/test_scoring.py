"""Table-driven tests of the pure score functions, and of the results file guard."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mc_bench.error import McBenchError, OutputExists
from mc_bench.scoring import scores
from mc_bench.wrappers.record_video import check_new_path, compose_frame


def ep(ret=0.0, length=10, success=False, step_seconds=0.01):
    return {"return": ret, "length": length, "success": success, "step_seconds": step_seconds}


MEAN_STD = [
    ([1.0], (1.0, 0.0)),
    ([1.0, 3.0], (2.0, 1.0)),
    ([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], (5.0, 2.0)),
    ([-1.0, 1.0], (0.0, 1.0)),
]


@pytest.mark.parametrize(("values", "expected"), MEAN_STD)
def test_mean_std(values, expected):
    assert scores.mean_std(values) == pytest.approx(expected)


CASES = [
    # (episodes, return mean, return std, success rate, mean length, steps/s)
    ([ep(1.0, 100, True, 0.02)], 1.0, 0.0, 1.0, 100.0, 5000.0),
    ([ep(0.0, 10, False, 0.01), ep(2.0, 30, True, 0.03)], 1.0, 1.0, 0.5, 20.0, 1000.0),
    ([ep(64.0, 8000, True, 1.0), ep(0.0, 8000, False, 1.0), ep(0.0, 8000, False, 2.0), ep(0.0, 8000, False, 4.0)],
     16.0, math.sqrt(768.0), 0.25, 8000.0, 32000 / 8.0),
    ([ep(0.0, 0, False, 0.0)], 0.0, 0.0, 0.0, 0.0, 0.0),
]


@pytest.mark.parametrize(("episodes", "ret_mean", "ret_std", "rate", "length", "sps"), CASES)
def test_summary(episodes, ret_mean, ret_std, rate, length, sps):
    assert scores.return_stats(episodes) == pytest.approx((ret_mean, ret_std))
    assert scores.success_rate(episodes) == pytest.approx(rate)
    assert scores.mean_length(episodes) == pytest.approx(length)
    assert scores.steps_per_second(episodes) == pytest.approx(sps)
    summary = scores.summarize(episodes)
    assert summary == pytest.approx({"return_mean": ret_mean, "return_std": ret_std, "success_rate": rate,
                                     "length_mean": length, "steps_per_s": sps})
    json.dumps(summary, allow_nan=False)


@pytest.mark.parametrize("fn", [scores.return_stats, scores.success_rate, scores.mean_length,
                                scores.steps_per_second, scores.summarize])
def test_no_episodes_is_an_error(fn):
    with pytest.raises(ValueError, match="at least one"):
        fn([])


def test_steps_without_time_is_an_error():
    with pytest.raises(ValueError, match="step_seconds"):
        scores.steps_per_second([ep(length=5, step_seconds=0.0)])


def test_existing_output_is_never_overwritten(tmp_path):
    path = tmp_path / "sub" / "r.json"
    assert check_new_path(path) == path and path.parent.is_dir()
    path.write_text("keep")
    with pytest.raises(OutputExists, match="--overwrite") as info:
        check_new_path(path)
    assert isinstance(info.value, McBenchError) and isinstance(info.value, FileExistsError)
    assert check_new_path(path, overwrite=True) == path
    assert path.read_text() == "keep"


FRAMES = [
    # (pov shape, map shape, frame shape)
    ((64, 64, 3), None, (256, 256, 3)),
    ((64, 64, 3), (256, 256, 3), (256, 512, 3)),
    ((160, 256, 3), (200, 200, 3), (320, 720, 3)),
    ((50, 30, 3), (10, 10, 3), (304, 192, 3)),  # 6x: 300x180 + 10 px map, padded
]


@pytest.mark.parametrize(("pov_shape", "map_shape", "frame_shape"), FRAMES)
def test_compose_frame(pov_shape, map_shape, frame_shape):
    rng = np.random.default_rng(0)
    pov = rng.integers(0, 256, pov_shape, dtype=np.uint8)
    top = None if map_shape is None else rng.integers(0, 256, map_shape, dtype=np.uint8)
    frame = compose_frame(pov, top)
    assert frame.shape == frame_shape and frame.dtype.name == "uint8"
    k = -(-256 // pov_shape[0])
    assert (frame[::k, ::k][: pov_shape[0], : pov_shape[1]] == pov).all()  # nearest neighbour
    assert frame.shape[0] % 16 == 0 and frame.shape[1] % 16 == 0
