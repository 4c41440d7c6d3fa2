"""Task YAML: schema errors name file/line/field; rewards and terminations follow MineRL semantics."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import gymnasium
import numpy as np
import pytest

import mc_bench
from mc_bench.error import RulesValidationError, TaskSpecError
from mc_bench.rules import load_rules
from mc_bench.sim.state import PX, PY, PZ
from mc_bench.tasks.spec import TASK_DIR, all_specs, load_task_file

R = load_rules()
GOOD = (TASK_DIR / "minerl" / "treechop.yaml").read_text()


def write(tmp_path, text):
    p = tmp_path / "task.yaml"
    p.write_text(text)
    return p


def test_all_task_files_load():
    assert len(all_specs()) >= 5


@pytest.mark.parametrize(
    "bad, match",
    [
        ("id: [unclosed\n", r"line \d+: not valid YAML"),
        (GOOD.replace("max_episode_steps: 8000", "max_episode_steps: lots"), r"line 7: field 'max_episode_steps'"),
        (GOOD.replace("max_episode_steps: 8000\n", ""), "field 'max_episode_steps': is required"),
        (GOOD.replace("keys: [attack,", "keys: [punch,"), r"line \d+: field 'action.keys': unknown key 'punch'"),
        (GOOD.replace("type: collect_items", "type: collect_everything"), "field 'reward': entry 0 needs a 'type'"),
        (GOOD.replace("title: Treechop", "titel: Treechop"), "field 'titel': unknown field"),
        (GOOD.replace("pov: [64, 64]", "pov: [64]"), "field 'observation.pov'"),
    ],
)
def test_broken_yaml_named_error(tmp_path, bad, match):
    with pytest.raises(TaskSpecError, match=match) as err:
        load_task_file(write(tmp_path, bad))
    assert str(tmp_path / "task.yaml") in str(err.value)


def _names_in_tasks():
    names = set()
    for spec in all_specs().values():
        names |= {n for n, _ in spec.start_inventory} | set(spec.obs_inventory) | set(spec.obs_equipped)
        names |= (set(spec.place) | set(spec.equip) | set(spec.craft) | set(spec.nearbyCraft)
                  | set(spec.nearbySmelt)) - {"air"}
        for e in spec.reward + spec.terminate + spec.decorators:
            names |= set(e.get("items", {})) | {e[k] for k in ("item", "block") if k in e}
    return names


def _names_in_code():
    """String literals passed to rules.item/block/state anywhere in the package."""
    names = set()
    for path in Path(mc_bench.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("item", "block", "state") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                names.add(node.args[0].value)
    return names


def test_every_name_exists_in_rules():
    stations = set(R.extra["stations"].values())
    for name in _names_in_tasks() | _names_in_code() | stations | {"log2"}:
        assert name in R.item_id or name in R.block_id, name


def test_unknown_name_is_named_error():
    with pytest.raises(RulesValidationError, match="near names"):
        R.item("iron_axxe")


def _logs(env, n, variant="log"):
    from mc_bench.sim.interact import inv_add

    inv_add(env.unwrapped.sim.e.inv, R.item(variant), 0, n, R.stack_size)


def test_treechop_reward_counts_new_logs_only():
    env = gymnasium.make("MineRLTreechop-v0")
    env.reset(seed=0)
    noop = env.action_space.noop()
    _logs(env, 3)
    assert env.step(noop)[1] == 3.0
    inv = env.unwrapped.sim.e.inv
    inv[inv[:, 0] == R.item("log"), 2] -= 2  # drop two: no penalty...
    assert env.step(noop)[1] == 0.0
    _logs(env, 2)  # ...and re-collecting them pays nothing
    assert env.step(noop)[1] == 0.0
    _logs(env, 1, "log2")  # acacia/dark oak count as log
    assert env.step(noop)[1] == 1.0


def test_treechop_ends_at_64_logs():
    env = gymnasium.make("MineRLTreechop-v0")
    env.reset(seed=0)
    _logs(env, 64)
    _, reward, terminated, truncated, info = env.step(env.action_space.noop())
    assert reward == 64.0 and terminated and not truncated and info["success"]


def test_navigate_goal_on_circle_and_touch_reward():
    env = gymnasium.make("MineRLNavigateDense-v0")
    env.reset(seed=3)
    sim = env.unwrapped.sim
    gx, gz = sim.goal
    sx, sz = sim.e.pf[PX], sim.e.pf[PZ]
    assert np.hypot(gx + 0.5 - sx, gz + 0.5 - sz) == pytest.approx(64, abs=1.5)
    tx, _, tz = sim.compass_target
    assert 8 < np.hypot(tx - gx - 0.5, tz - gz - 0.5) <= 8 * np.sqrt(2) + 1e-9
    # Walk the player onto the goal: it is loaded once we stand next to it.
    sim.e.pf[PX], sim.e.pf[PZ] = gx + 0.5, gz + 0.5
    sim.stream_chunks()
    from mc_bench.tasks.terms import top_solid_or_liquid

    gy = top_solid_or_liquid(sim.w, R, gx, gz)
    assert R.block_names[int(sim.w.blocks[gx & 127, gz & 127, gy]) >> 4] == "diamond_block"
    sim.e.pf[PY] = gy + 1.0
    _, reward, terminated, _, info = env.step(env.action_space.noop())
    assert terminated and info["success"] and reward >= 100.0


def test_navigate_dense_reward_is_distance_change():
    env = gymnasium.make("MineRLNavigateDense-v0")
    env.reset(seed=5)
    sim = env.unwrapped.sim
    tx, ty, tz = sim.compass_target

    def dist():
        return np.sqrt((sim.e.pf[PX] - tx) ** 2 + (sim.e.pf[PY] - ty) ** 2 + (sim.e.pf[PZ] - tz) ** 2)

    a = env.action_space.noop()
    a["forward"] = 1
    total, d0 = 0.0, dist()
    for _ in range(40):
        total += env.step(a)[1]
    assert total == pytest.approx(d0 - dist(), abs=1e-9)


def test_compass_points_at_target():
    env = gymnasium.make("MineRLNavigate-v0")
    obs, _ = env.reset(seed=11)
    sim = env.unwrapped.sim

    def true_angle():
        tx, _, tz = sim.compass_target
        to = np.degrees(np.arctan2(-(tx - sim.e.pf[PX]), tz - sim.e.pf[PZ]))
        return (to - sim.e.pf[7] + 180) % 360 - 180

    assert float(obs["compass"]["angle"]) == pytest.approx(true_angle(), abs=1e-3)  # settled at reset
    a = env.action_space.noop()
    for _ in range(150):  # steer by the observed angle, as MineRL's tutorial agent does
        a["camera"] = np.array([0.0, 0.1 * float(obs["compass"]["angle"])], np.float32)
        obs = env.step(a)[0]
    assert abs(true_angle()) < 1.0 and abs(float(obs["compass"]["angle"])) < 1.0


def test_navigate_place_dirt_counts_in_inventory_obs():
    env = gymnasium.make("MineRLNavigate-v0")
    env.reset(seed=0)
    from mc_bench.sim.interact import inv_add

    inv_add(env.unwrapped.sim.e.inv, R.item("dirt"), 0, 5, R.stack_size)
    obs = env.step(env.action_space.noop())[0]
    assert int(obs["inventory"]["dirt"]) == 5 and obs["inventory"]["dirt"].dtype == np.int32


def test_version_history_declared():
    for spec in all_specs().values():
        assert spec.version_history and re.match(r"v\d+:", spec.version_history[0])


def test_start_conditions():
    from mc_bench.sim.state import TIME_FROZEN, WORLD_TIME

    env = gymnasium.make("MineRLTreechop-v0")
    env.reset(seed=0)
    sim = env.unwrapped.sim
    assert sim.e.inv[0, 0] == R.item("iron_axe") and sim.e.inv[0, 2] == 1  # slot 0, in hand
    for _ in range(20):
        env.step(env.action_space.noop())
    assert sim.e.pi[WORLD_TIME] == 0 and sim.e.pi[TIME_FROZEN]
    nav = gymnasium.make("MineRLNavigateExtreme-v0")
    nav.reset(seed=0)
    sim = nav.unwrapped.sim
    assert sim.e.inv[0, 0] == R.item("compass") and sim.e.pi[WORLD_TIME] == 6000
    assert sim.gen.biome_at(int(sim.e.pf[PX]), int(sim.e.pf[PZ])) == 3  # extreme hills
