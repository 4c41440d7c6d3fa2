"""The hunters' swing: a block between the crosshair and the mob is broken with the button held."""

from __future__ import annotations

import numpy as np
from flatworld import FlatGen

import mc_bench
from mc_bench.agents import make_agent
from mc_bench.agents.experts.hunt import Hunter
from mc_bench.sim.state import EKIND, PITCH, PX, PY, PZ, YAW
from mc_bench.sim.world import set_state


def test_swing_holds_through_a_block_in_front_of_the_mob():
    env = mc_bench.make("combat_zombie_plains_leather_armors_wooden_sword_shield", action_space="dict",
                        image_size=(16, 16))
    sim = env.unwrapped.sim
    sim.make_generator = lambda seed: FlatGen()
    env.reset(seed=0)
    expert = make_agent("expert", env, 0)
    expert.act(None)  # builds its world view and body
    hunter = Hunter(expert)
    pf, ei = sim.e.pf, sim.e.ei
    ei[:, EKIND] = 0
    sim.summon("zombie", pf[PX], pf[PY], pf[PZ] + 2.5)  # 2.5 blocks south (+z), in reach
    i = int(np.flatnonzero(ei[:, EKIND])[0])
    x, y, z = (int(np.floor(v)) for v in (pf[PX], pf[PY], pf[PZ]))
    set_state(sim.w, x, y + 1, z + 1, sim.rules.block("leaves") << 4)  # in front of the eyes
    pf[PITCH], pf[YAW] = 5.0, 0.0
    noop = {k: (np.zeros_like(v) if isinstance(v, np.ndarray) else 0) for k, v in env.action_space.sample().items()}
    env.step({**noop, "camera": np.zeros(2, np.float32)})  # the engine aims again
    assert hunter.blocked(i) and hunter.swing(i, (0.0, 0.0), pressed=True)  # held, even right after a press
    set_state(sim.w, x, y + 1, z + 1, 0)
    env.step({**noop, "camera": np.zeros(2, np.float32)})
    assert not hunter.blocked(i)
