"""The play window, headless (SDL dummy driver) with scripted key and mouse events."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")
pytest.importorskip("imageio_ffmpeg")

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from mc_bench.play import Controller, play  # noqa: E402

E = pygame.event.Event


def key(k, down=True):
    return E(pygame.KEYDOWN if down else pygame.KEYUP, key=k, mod=0, unicode="", scancode=0)


def motion(dx, dy):
    return E(pygame.MOUSEMOTION, rel=(dx, dy), pos=(0, 0), buttons=(0, 0, 0))


def click(button, down=True):
    return E(pygame.MOUSEBUTTONDOWN if down else pygame.MOUSEBUTTONUP, button=button, pos=(0, 0))


@pytest.fixture(scope="module")
def obtain_space():
    import mc_bench

    env = mc_bench.make("MineRLObtainDiamond-v0")
    yield env.action_space
    env.close()


def test_controller_keys_mouse_and_item_rows(obtain_space):
    ctl = Controller(obtain_space, pygame)
    for ev in (key(pygame.K_w), key(pygame.K_SPACE), key(pygame.K_LCTRL), motion(10, -20), click(1)):
        ctl.handle(ev)
    a = ctl.action()
    assert (a["forward"], a["jump"], a["sprint"], a["attack"], a["back"]) == (1, 1, 1, 1, 0)
    np.testing.assert_allclose(a["camera"], [-3.0, 1.5])  # [pitch, yaw] = 0.15 deg per pixel
    assert a["place"] == a["craft"] == "none"
    ctl.handle(key(pygame.K_w, down=False))
    a = ctl.action()
    assert a["forward"] == 0 and a["jump"] == 1 and list(a["camera"]) == [0, 0]  # motion is consumed
    # 3 selects the craft row, 3 again picks its next value, F sends it for one step only
    for ev in (key(pygame.K_3), key(pygame.K_3), key(pygame.K_f)):
        ctl.handle(ev)
    assert ctl.action()["craft"] == "planks" and ctl.action()["craft"] == "none"
    ctl.handle(click(3))  # right click places the selected block
    assert ctl.action()["place"] == ctl.selected("place") == "cobblestone"
    assert obtain_space.contains(ctl.action())
    ctl.handle(key(pygame.K_ESCAPE))
    assert ctl.quit


def test_play_records_a_loadable_trajectory(tmp_path):
    from mc_bench.data import format as fmt

    script = [[key(pygame.K_w), motion(30, 0)]] + [[]] * 8 + [[click(1)]] + [[]] * 10 + [[key(pygame.K_ESCAPE)]]
    out = play("MineRLTreechop-v0", record=tmp_path, seed=3, scale=2, events=iter(script), fps=0)
    assert out["steps"] == 20 and out["path"]
    data, meta = fmt.read_trajectory(out["path"])
    assert meta["duration_steps"] == 20 and meta["stream_name"].startswith("v4_")
    assert data["observation$pov"].shape == (21, 64, 64, 3)
    assert data["action$forward"].tolist() == [1] * 20
    assert data["action$attack"].tolist() == [0] * 9 + [1] * 11
    np.testing.assert_allclose(data["action$camera"][0], [0, 4.5])
    assert fmt.read_json(Path(out["path"]) / "replay.json")["env_seed"] == 3

    import mc_bench.data

    pipe = mc_bench.data.make("MineRLTreechop-v0", data_dir=tmp_path)
    (name,) = pipe.get_trajectory_names()
    steps = list(pipe.load_data(name, include_metadata=True))
    assert len(steps) == 20 and steps[-1][4] and steps[0][0]["pov"].shape == (64, 64, 3)


def test_play_ends_at_max_steps_without_recording():
    out = play("MineRLNavigate-v0", events=iter([[key(pygame.K_d)]] * 50), max_steps=7, scale=1, fps=0)
    assert out["steps"] == 7 and out["path"] is None
