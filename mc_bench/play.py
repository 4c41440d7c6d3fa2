"""Play a task yourself in a pygame window, and optionally record the session as a MineRL demonstration.

Controls follow MineRL's keymap: W/A/S/D move, Space jumps, Shift sneaks, Ctrl sprints, the left mouse
button attacks and the mouse looks around (the pointer is grabbed; Tab frees it, arrow keys also look).
The right mouse button is ``use`` where the task has it and places the selected ``place`` block where the
task has ``place`` (as right-click does in Minecraft). The task's item actions (place, equip, craft,
nearbyCraft, nearbySmelt) are rows in the side panel: a number key selects a row, the same key again or
the mouse wheel picks the next value, and F or Enter sends it for one step. ESC ends the session.

Example::

    mc-bench play MineRLObtainDiamond-v0 --record demos/

The session runs at 20 steps per second, MineRL's tick rate. ``--record DIR`` writes it in MineRL's
format (``DIR/<EnvId>/v4_<stream>/``) through :mod:`mc_bench.data.format`, with the seed so that it can
be replayed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from mc_bench.error import DependencyNotInstalled

__all__ = ["ITEM_ROWS", "Controller", "play"]

ITEM_ROWS = ("place", "equip", "craft", "nearbyCraft", "nearbySmelt")
HELD_KEYS = {"K_w": "forward", "K_a": "left", "K_s": "back", "K_d": "right", "K_SPACE": "jump",
             "K_LSHIFT": "sneak", "K_RSHIFT": "sneak", "K_LCTRL": "sprint", "K_RCTRL": "sprint"}
ARROWS = {"K_UP": (-1, 0), "K_DOWN": (1, 0), "K_LEFT": (0, -1), "K_RIGHT": (0, 1)}  # (pitch, yaw) signs
MOUSE_DEG_PER_PX = 0.15  # VPT's recorder: 2400 px per 360 degrees
ARROW_DEG_PER_STEP = 3.0
PANEL_WIDTH = 300
HELP = ("W/A/S/D move   Space jump", "Shift sneak   Ctrl sprint", "LMB attack   RMB use/place",
        "mouse/arrows look   Tab free pointer", "ESC quit")


def _pygame():
    try:
        import pygame
    except ImportError as exc:
        raise DependencyNotInstalled("pygame", "play") from exc
    return pygame


class Controller:
    """Turns pygame events into MineRL actions, one per step.

    Args:
        action_space: the env's action space (a Dict with MineRL's keys).
        pygame: the pygame module (passed in so that this module imports without it).
        sensitivity: camera degrees per pixel of relative mouse motion.
    """

    def __init__(self, action_space, pygame, sensitivity: float = MOUSE_DEG_PER_PX):
        self.space = action_space
        self.pg = pygame
        self.sensitivity = sensitivity
        keys = set(action_space.spaces)
        self.held_map = {getattr(pygame, k): a for k, a in HELD_KEYS.items() if a in keys}
        self.arrows = {getattr(pygame, k): d for k, d in ARROWS.items()}
        self.rows = [k for k in ITEM_ROWS if k in keys]
        self.values = {k: [v for v in action_space[k].values if v != "none"] for k in self.rows}
        self.choice = dict.fromkeys(self.rows, 0)
        self.active = 0
        self.held: set[str] = set()
        self.arrows_held: set[int] = set()
        self.look = np.zeros(2, np.float64)
        self.fire: dict[str, str] = {}
        self.quit = False
        self.toggle_grab = False

    def selected(self, row: str) -> str:
        """The value currently chosen in an item-action row."""
        return self.values[row][self.choice[row]]

    def handle(self, ev) -> None:
        """Update the state from one pygame event."""
        pg = self.pg
        if ev.type == pg.QUIT:
            self.quit = True
        elif ev.type == pg.KEYDOWN:
            self._key_down(ev.key)
        elif ev.type == pg.KEYUP:
            self.held.discard(self.held_map.get(ev.key, ""))
            self.arrows_held.discard(ev.key)
        elif ev.type == pg.MOUSEMOTION:
            dx, dy = ev.rel
            self.look += (dy * self.sensitivity, dx * self.sensitivity)
        elif ev.type == pg.MOUSEBUTTONDOWN:
            self._button(ev.button, True)
        elif ev.type == pg.MOUSEBUTTONUP:
            self._button(ev.button, False)
        elif ev.type == pg.MOUSEWHEEL and self.rows:
            self._cycle(self.rows[self.active], -1 if ev.y > 0 else 1)

    def _key_down(self, key: int) -> None:
        pg = self.pg
        if key == pg.K_ESCAPE:
            self.quit = True
        elif key in self.held_map:
            self.held.add(self.held_map[key])
        elif key in self.arrows:
            self.arrows_held.add(key)
        elif key == pg.K_TAB:
            self.toggle_grab = True
        elif key in (pg.K_f, pg.K_RETURN, pg.K_KP_ENTER) and self.rows:
            row = self.rows[self.active]
            self.fire[row] = self.selected(row)
        elif pg.K_1 <= key <= pg.K_9 and key - pg.K_1 < len(self.rows):
            row = key - pg.K_1
            if row == self.active:
                self._cycle(self.rows[row], 1)
            self.active = row

    def _cycle(self, row: str, step: int) -> None:
        self.choice[row] = (self.choice[row] + step) % len(self.values[row])

    def _button(self, button: int, down: bool) -> None:
        name = {1: "attack", 3: "use"}.get(button)
        if name is None:
            return
        if name in self.space.spaces:
            (self.held.add if down else self.held.discard)(name)
        if name == "use" and down and "place" in self.rows:
            self.fire["place"] = self.selected("place")

    def action(self) -> dict[str, Any]:
        """This step's action; mouse motion and one-shot item actions are consumed."""
        act = self.space.noop()
        for k in self.held:
            act[k] = 1
        if "camera" in act:
            for key in self.arrows_held:
                self.look += np.multiply(self.arrows[key], ARROW_DEG_PER_STEP)
            act["camera"] = np.clip(self.look, -180.0, 180.0).astype(np.float32)
        self.look[:] = 0.0
        for k, v in self.fire.items():
            act[k] = v
        self.fire = {}
        return act


def _frames(pygame, events: Iterable | None) -> Iterator[list]:
    """Per-step event batches: the real queue, or an injected iterator of lists of events."""
    if events is not None:
        yield from (list(batch) for batch in events)
        return
    while True:
        yield pygame.event.get()


class _Window:
    """The POV scaled up, with a side panel of key hints, item actions, inventory and score."""

    def __init__(self, pygame, env_id: str, pov_shape, scale: int, grab: bool):
        self.pg, self.env_id, self.scale = pygame, env_id, scale
        h, w = pov_shape[:2]
        self.view = (w * scale, h * scale)
        self.screen = pygame.display.set_mode((self.view[0] + PANEL_WIDTH, max(self.view[1], 520)))
        pygame.display.set_caption(f"mc-bench play {env_id}")
        pygame.font.init()
        self.font = pygame.font.Font(None, 20)
        self.grabbed = False
        if grab:
            self.set_grab(True)

    def set_grab(self, on: bool) -> None:
        self.pg.event.set_grab(on)
        self.pg.mouse.set_visible(not on)
        self.grabbed = on

    def draw(self, obs: dict, ctl: Controller, status: str) -> None:
        pg = self.pg
        self.screen.fill((24, 24, 28))
        surf = pg.surfarray.make_surface(np.ascontiguousarray(obs["pov"].swapaxes(0, 1)))
        self.screen.blit(pg.transform.scale(surf, self.view), (0, 0))
        y = self._lines([(self.env_id, (255, 255, 160)), (status, (220, 220, 220)), ("", None)]
                        + [(h, (160, 160, 170)) for h in HELP], 6)
        y = self._lines(_item_lines(ctl), y + 8)
        self._lines(_obs_lines(obs), y + 8)
        pg.display.flip()

    def _lines(self, lines, y: int) -> int:
        x = self.view[0] + 10
        for text, color in lines:
            if text:
                self.screen.blit(self.font.render(text, True, color), (x, y))
            y += 17
        return y


def _item_lines(ctl: Controller) -> list[tuple[str, tuple]]:
    if not ctl.rows:
        return []
    lines = [("item actions: 1-5 select, again/wheel: next", (160, 160, 170)),
             ("F or Enter sends the selected value", (160, 160, 170))]
    for i, row in enumerate(ctl.rows):
        mark = ">" if i == ctl.active else " "
        color = (255, 220, 120) if i == ctl.active else (200, 200, 200)
        lines.append((f"{mark}[{i + 1}] {row}: {ctl.selected(row)}", color))
    return lines


def _obs_lines(obs: dict) -> list[tuple[str, tuple]]:
    lines = []
    if "compass" in obs:
        lines.append((f"compass {float(obs['compass']['angle']):+.0f} deg", (160, 220, 255)))
    if "equipped_items" in obs:
        lines.append((f"mainhand: {obs['equipped_items']['mainhand']['type']}", (160, 220, 255)))
    inv = obs.get("inventory", {})
    held = [f"{n} {int(c)}" for n, c in inv.items() if int(c) > 0]
    if inv:
        lines.append(("inventory:", (160, 220, 255)))
        lines += [("  " + "  ".join(held[i:i + 2]), (230, 230, 230)) for i in range(0, len(held), 2)]
        if not held:
            lines.append(("  (empty)", (140, 140, 140)))
    return lines


def _stream_name() -> str:
    """MineRL-style stream id: ``<player>-<session>_<start>-<stop>``, here player + timestamp."""
    return "player-" + datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")


def play(env_id: str, record: str | Path | None = None, seed: int = 0, scale: int = 8,
         max_steps: int | None = None, events: Iterable | None = None, fps: float = 20.0,
         sensitivity: float = MOUSE_DEG_PER_PX) -> dict[str, Any]:
    """Play one episode of a task in a window; optionally record it in MineRL's dataset format.

    Args:
        env_id: registered task id, e.g. ``"MineRLTreechop-v0"``.
        record: data root; the session is written to ``record/<env_id>/v4_<stream>/``.
        seed: episode seed (stored with the recording so that it can be replayed).
        scale: integer upscaling of the POV in the window.
        max_steps: end the session after this many steps (default: the task's horizon).
        events: scripted input instead of the real event queue, for tests and demos: an iterable
            whose items are the lists of pygame events of one step each. The session ends when it
            is exhausted; the pointer is not grabbed.
        fps: steps per second (MineRL: 20); ``0`` runs as fast as possible.
        sensitivity: camera degrees per pixel of mouse motion.

    Returns:
        ``{"env_id", "seed", "steps", "return", "success", "path"}``; ``path`` is the recorded
        trajectory folder, or None.

    Raises:
        DependencyNotInstalled: pygame (the ``play`` extra) is missing.
    """
    import mc_bench

    pg = _pygame()
    if record is not None:
        _check_recording_deps()  # fail now, not after the person has played
    env = mc_bench.make(env_id)
    obs, _ = env.reset(seed=seed)
    pg.display.init()  # not pygame.init(): no audio device is needed
    try:
        window = _Window(pg, env_id, obs["pov"].shape, scale, grab=events is None)
        ctl = Controller(env.action_space, pg, sensitivity)
        traj = _session(env, obs, window, ctl, _frames(pg, events), max_steps, fps)
    finally:
        pg.quit()
        env.close()
    result = {"env_id": env_id, "seed": seed, "steps": len(traj["rewards"]),
              "return": float(sum(traj["rewards"])), "success": traj["success"], "path": None}
    if record is not None and result["steps"]:
        result["path"] = str(_write(record, env_id, seed, traj))
    return result


def _session(env, obs, window: _Window, ctl: Controller, frames: Iterator[list], max_steps: int | None,
             fps: float) -> dict[str, Any]:
    """The play loop: one action per frame until ESC, the episode's end, or ``max_steps``."""
    clock = window.pg.time.Clock()
    traj: dict[str, Any] = {"observations": [obs], "actions": [], "rewards": [], "success": False,
                            "terminated": False}
    total, done = 0.0, False
    window.draw(obs, ctl, "step 0   return 0")
    while not done and (max_steps is None or len(traj["actions"]) < max_steps):
        batch = next(frames, None)
        if batch is None:
            break
        for ev in batch:
            ctl.handle(ev)
        if ctl.quit:
            break
        if ctl.toggle_grab:
            window.set_grab(not window.grabbed)
            ctl.toggle_grab = False
        action = ctl.action()
        obs, reward, terminated, truncated, info = env.step(action)
        done = terminated or truncated
        total += float(reward)
        traj["observations"].append(obs)
        traj["actions"].append(action)
        traj["rewards"].append(float(reward))
        traj["success"] = bool(info.get("success", False))
        traj["terminated"] = bool(terminated)
        window.draw(obs, ctl, f"step {len(traj['actions'])}   return {total:g}")
        if fps:
            clock.tick(fps)
    return traj


def _check_recording_deps() -> None:
    try:
        import imageio_ffmpeg  # noqa: F401  (the data writer's mp4 backend)
    except ImportError as exc:
        raise DependencyNotInstalled("imageio-ffmpeg", "video") from exc


def _write(root: str | Path, env_id: str, seed: int, traj: dict[str, Any]) -> Path:
    """Write the session through :mod:`mc_bench.data.format` (MineRL's layout, plus ``replay.json``)."""
    from mc_bench.data import format as fmt
    from mc_bench.data.generate import replay_info
    from mc_bench.tasks.registry import get_spec

    observations = [{k: v for k, v in o.items() if k != "pov"} for o in traj["observations"]]
    pov = np.stack([o["pov"] for o in traj["observations"]])
    final = Path(root) / env_id / f"v{fmt.DATA_VERSION}_{_stream_name()}"
    tmp = final.with_name(f".tmp-{final.name}")  # not a stream name: loaders ignore it until published
    meta = {"success": fmt.success_from_rewards(get_spec(env_id), traj["rewards"]), "stream_name": final.name}
    replay = replay_info(env_id, pov.shape[1:3], env_seed=seed, agent="human", terminated=traj["terminated"],
                         info_success=traj["success"])
    fmt.write_trajectory(tmp, pov, fmt.stack_steps(observations, "observation"),
                         fmt.stack_steps(traj["actions"], "action"), np.asarray(traj["rewards"], np.float64),
                         meta, replay)
    fmt.publish(tmp, final)
    return final
