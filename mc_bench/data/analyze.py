"""Plots and tables of a MineRL-format data directory, like the MineRL paper's dataset figures.

``analyze(data_dir, out_dir)`` writes, for every task folder under ``data_dir``:

- ``precedence_<EnvId>.png``: the item precedence-frequency graph (tasks with an inventory). Nodes are
  the items, placed left to right by their mean first-acquisition step; an edge A -> B is drawn as
  thick as the number of trajectories in which B was the next new item after A (the paper's picture).
  Beside it, a heatmap of the full pairwise frequency: the share of the trajectories holding both
  items in which A was first obtained before B. The matrix is also written as
  ``precedence_<EnvId>.csv``.
- ``trajectories.png``: the players' paths in the horizontal plane (x, z relative to the start), one
  panel per task. MineRL-v0 data stores no positions, so they come from replaying the stored actions
  from the seed in ``replay.json`` through the env (exact, the engine is deterministic); tasks whose
  trajectories have no seed are left out with a note.
- ``summary.csv`` and ``summary.md``: per task the number of trajectories, lengths, returns and the
  success rate.

Reading never modifies anything under ``data_dir``.
"""

from __future__ import annotations

import csv
import itertools
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mc_bench.data import format as fmt
from mc_bench.error import DependencyNotInstalled, McBenchError

__all__ = ["Trajectory", "analyze", "first_acquisitions", "load_trajectories", "precedence_matrix",
           "replay_positions", "successor_counts", "summary_rows"]

INVENTORY = "observation$inventory$"
SUMMARY_HEADERS = ["task", "trajectories", "length mean", "length min", "length max", "return mean",
                   "return std", "success rate"]


@dataclass
class Trajectory:
    """What the analysis needs of one stream: the npz arrays (no video) and the metadata."""

    env_id: str
    name: str
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]
    positions: np.ndarray | None = field(default=None, repr=False)

    @property
    def rewards(self) -> np.ndarray:
        return np.asarray(self.arrays["reward"], np.float64)

    @property
    def length(self) -> int:
        return len(self.rewards)

    @property
    def success(self) -> bool:
        return bool(self.meta.get("success", False))


def _matplotlib_figure():
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise DependencyNotInstalled("matplotlib", "analyze") from exc
    return Figure


def load_trajectories(data_dir: str | Path) -> dict[str, list[Trajectory]]:
    """Every valid stream under ``data_dir``, grouped by task folder (sorted names).

    A stream folder is one named ``v<N>_...`` holding ``rendered.npz``; the video is not read.
    Unreadable streams are skipped with a warning naming the file. ``replay.json`` (task, seed),
    where present, is read into ``meta["replay"]``.

    Args:
        data_dir: a MineRL data root (``<root>/<EnvId>/v4_<stream>/``).

    Returns:
        ``{env_id: [Trajectory, ...]}`` for the task folders that hold at least one stream.
    """
    root = Path(data_dir)
    if not root.is_dir():
        raise McBenchError(f"Data directory {root} does not exist; pass the folder given to "
                           "`mc-bench data generate --out` or `mc-bench play --record`.")
    out: dict[str, list[Trajectory]] = {}
    for env_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        trajs = [t for s in sorted(env_dir.iterdir()) if (t := _read_stream(env_dir.name, s)) is not None]
        if trajs:
            out[env_dir.name] = trajs
    return out


def _read_stream(env_id: str, path: Path) -> Trajectory | None:
    """A stream's npz and metadata (plus ``replay.json``, where the seed is), or None with a warning."""
    if not (fmt.is_stream_dir(path) and (path / "rendered.npz").is_file()):
        return None
    try:
        arrays = fmt.read_npz(path / "rendered.npz")
        meta = fmt.read_json(path / "metadata.json")
        if (path / "replay.json").is_file():
            meta = {**meta, "replay": fmt.read_json(path / "replay.json")}
    except fmt.InvalidTrajectory as exc:
        warnings.warn(f"skipping: {exc}", stacklevel=3)
        return None
    return Trajectory(env_id, path.name, arrays, meta)


# ---------------------------------------------------------------------------- item precedence

def first_acquisitions(traj: Trajectory) -> dict[str, int]:
    """Step at which each inventory item was first held, for items not held at the start.

    Args:
        traj: one trajectory.

    Returns:
        ``{item: step}``, where ``step`` indexes the T+1 observations.
    """
    firsts = {}
    for key, counts in traj.arrays.items():
        if not key.startswith(INVENTORY) or counts.ndim != 1 or len(counts) == 0 or counts[0] > 0:
            continue
        held = np.flatnonzero(counts > 0)
        if held.size:
            firsts[key[len(INVENTORY):]] = int(held[0])
    return firsts


def _item_order(firsts: list[dict[str, int]]) -> list[str]:
    """Items ever obtained, by mean first-acquisition step."""
    steps: dict[str, list[int]] = {}
    for f in firsts:
        for item, t in f.items():
            steps.setdefault(item, []).append(t)
    return sorted(steps, key=lambda i: (np.mean(steps[i]), i))


def precedence_matrix(firsts: list[dict[str, int]], items: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """How often item A was first obtained before item B.

    Args:
        firsts: per trajectory, ``{item: first step}`` (from :func:`first_acquisitions`).
        items: the items, in matrix order.

    Returns:
        ``(before, both)``: ``before[a, b]`` counts trajectories in which ``a`` came strictly before
        ``b``; ``both[a, b]`` counts trajectories holding both. Their ratio is the frequency.
    """
    n = len(items)
    before, both = np.zeros((n, n), np.int64), np.zeros((n, n), np.int64)
    for f in firsts:
        t = np.array([f.get(i, -1) for i in items])
        got = t >= 0
        pair = got[:, None] & got[None, :]
        both += pair
        before += pair & (t[:, None] < t[None, :])
    return before, both


def successor_counts(firsts: list[dict[str, int]], items: list[str]) -> np.ndarray:
    """``c[a, b]``: trajectories in which ``b`` was the next newly obtained item after ``a``.

    Items first obtained in the same step all follow every item of the previous step.
    """
    index = {i: k for k, i in enumerate(items)}
    c = np.zeros((len(items), len(items)), np.int64)
    for f in firsts:
        steps = sorted(set(f.values()))
        groups = [[index[i] for i, t in f.items() if t == s] for s in steps]
        for prev, nxt in itertools.pairwise(groups):
            c[np.ix_(prev, nxt)] += 1
    return c


def _precedence_plot(env_id: str, trajs: list[Trajectory], out_dir: Path) -> Path | None:
    firsts = [first_acquisitions(t) for t in trajs]
    items = _item_order(firsts)
    if not items:
        return None
    before, both = precedence_matrix(firsts, items)
    freq = np.divide(before, both, out=np.zeros(before.shape), where=both > 0)
    _write_matrix(out_dir / f"precedence_{env_id}.csv", items, freq, both)
    succ = successor_counts(firsts, items)
    Figure = _matplotlib_figure()
    fig = Figure(figsize=(15, 6.5), layout="constrained")
    ax_graph, ax_heat = fig.subplots(1, 2, width_ratios=[1.6, 1])
    _draw_graph(ax_graph, items, firsts, succ, len(trajs))
    _draw_heatmap(fig, ax_heat, items, freq, both)
    fig.suptitle(f"{env_id}: item precedence ({len(trajs)} trajectories)")
    path = out_dir / f"precedence_{env_id}.png"
    fig.savefig(path, dpi=110)
    return path


def _draw_graph(ax, items: list[str], firsts: list[dict[str, int]], succ: np.ndarray, n_traj: int) -> None:
    mean_t = np.array([np.mean([f[i] for f in firsts if i in f]) for i in items])
    share = np.array([sum(i in f for f in firsts) / n_traj for i in items])
    x = mean_t / 20.0  # steps -> seconds
    y = np.array([(k % 4) - 1.5 for k in range(len(items))])  # staggered rows keep labels apart
    top = max(int(succ.max()), 1)
    for a, b in zip(*np.nonzero(succ)):
        ax.annotate("", xy=(x[b], y[b]), xytext=(x[a], y[a]),
                    arrowprops={"arrowstyle": "-|>", "color": "tab:blue", "alpha": 0.35 + 0.6 * succ[a, b] / top,
                                "lw": 0.5 + 4.5 * succ[a, b] / top, "shrinkA": 12, "shrinkB": 12,
                                "connectionstyle": "arc3,rad=0.15"})
    sc = ax.scatter(x, y, s=500, c=share, cmap="viridis", vmin=0, vmax=1, zorder=3, edgecolors="k")
    for k, (xi, yi, name) in enumerate(zip(x, y, items)):
        up = k % 8 < 4  # labels above, then below, so neighbours in time do not collide
        ax.annotate(name, (xi, yi), xytext=(0, 16 if up else -16), textcoords="offset points", ha="center",
                    va="bottom" if up else "top", fontsize=9)
    ax.figure.colorbar(sc, ax=ax, label="share of trajectories obtaining the item", shrink=0.7)
    ax.set_xlabel("mean time of first acquisition (s)")
    ax.set_yticks([])
    ax.set_ylim(-2.5, 2.5)
    ax.set_title("A -> B: B was the next new item after A (width = number of trajectories)", fontsize=10)


def _draw_heatmap(fig, ax, items: list[str], freq: np.ndarray, both: np.ndarray) -> None:
    shown = np.where(both > 0, freq, np.nan)
    np.fill_diagonal(shown, np.nan)
    im = ax.imshow(shown, cmap="magma", vmin=0, vmax=1)
    if len(items) <= 20:
        for (a, b), v in np.ndenumerate(shown):
            if not np.isnan(v):
                ax.text(b, a, f"{v:.2f}", ha="center", va="center", fontsize=7, color="w" if v < 0.6 else "k")
    ax.set_xticks(range(len(items)), items, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(items)), items, fontsize=8)
    ax.set_xlabel("B")
    ax.set_ylabel("A")
    ax.set_title("share of trajectories with A first obtained before B", fontsize=10)
    fig.colorbar(im, ax=ax, shrink=0.7)


def _write_matrix(path: Path, items: list[str], freq: np.ndarray, both: np.ndarray) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["A", "B", "A before B (share)", "trajectories with both"])
        for a, ia in enumerate(items):
            for b, ib in enumerate(items):
                if a != b and both[a, b]:
                    w.writerow([ia, ib, f"{freq[a, b]:.3f}", int(both[a, b])])


# ---------------------------------------------------------------------------- positions

def _actions(traj: Trajectory, keys) -> list[dict[str, Any]]:
    """Per-step action dicts from the stored ``action$<key>`` arrays (Enum values as strings)."""
    cols = {k: traj.arrays[f"action${k}"] for k in keys}
    out = []
    for t in range(traj.length):
        act = {}
        for k, col in cols.items():
            v = col[t]
            act[k] = str(v) if col.dtype.kind in "US" else (np.asarray(v, np.float32) if col.ndim == 2 else int(v))
        out.append(act)
    return out


def _seed(traj: Trajectory) -> int | None:
    replay = traj.meta.get("replay", {})
    seed = replay.get("env_seed", replay.get("seed"))
    return None if seed is None else int(seed)


def replay_positions(traj: Trajectory) -> np.ndarray:
    """The player's (x, z) at each of the T+1 states, by replaying the stored actions.

    The episode is re-run from the seed in ``replay.json`` at a small POV resolution (the dynamics do not
    depend on it). Replays whose rewards differ from the stored ones are warned about.

    Args:
        traj: a trajectory whose metadata holds its seed.

    Returns:
        A ``(T+1, 2)`` float array.

    Raises:
        McBenchError: the metadata holds no seed, or the npz lacks an action the task needs.
    """
    import mc_bench
    from mc_bench.sim.state import PX, PZ

    seed = _seed(traj)
    if seed is None:
        raise McBenchError(f"{traj.env_id}/{traj.name} has no replay.json with an 'env_seed'; it cannot be replayed.")
    env = mc_bench.make(traj.env_id, resolution=(16, 16))
    try:
        keys = list(env.action_space.spaces)
        missing = [k for k in keys if f"action${k}" not in traj.arrays]
        if missing:
            raise McBenchError(f"{traj.env_id}/{traj.name}/rendered.npz lacks actions {missing}.")
        env.reset(seed=int(seed))
        pf = env.unwrapped.sim.e.pf
        pos = [(float(pf[PX]), float(pf[PZ]))]
        rewards = []
        for act in _actions(traj, keys):
            _, r, terminated, _, _ = env.step(act)
            rewards.append(float(r))
            pos.append((float(pf[PX]), float(pf[PZ])))
            if terminated:
                break
    finally:
        env.close()
    if len(rewards) != traj.length or not np.allclose(rewards, traj.rewards):
        warnings.warn(f"replay of {traj.env_id}/{traj.name} diverges from its stored rewards", stacklevel=2)
    return np.array(pos)


def _positions(traj: Trajectory) -> np.ndarray | None:
    """Stored positions where the stream has them (``location_stats``), else a replay."""
    xs, zs = traj.arrays.get("observation$location_stats$xpos"), traj.arrays.get("observation$location_stats$zpos")
    if xs is not None and zs is not None:
        return np.stack([xs, zs], axis=1).astype(np.float64)
    return replay_positions(traj)


def _trajectory_plot(data: dict[str, list[Trajectory]], out_dir: Path, max_replays: int,
                     notes: list[str]) -> Path | None:
    paths: dict[str, list[np.ndarray]] = {}
    for env_id, trajs in data.items():
        usable = [t for t in trajs if _seed(t) is not None or "observation$location_stats$xpos" in t.arrays]
        if not usable:
            notes.append(f"{env_id}: no stored positions and no replay seed; XY plot skipped")
            continue
        if len(usable) > max_replays:
            notes.append(f"{env_id}: XY plot shows {max_replays} of {len(usable)} trajectories")
        paths[env_id] = [_positions(t) for t in usable[:max_replays]]
    if not paths:
        return None
    Figure = _matplotlib_figure()
    cols = min(len(paths), 3)
    rows = -(-len(paths) // cols)
    fig = Figure(figsize=(5 * cols, 5 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for ax, (env_id, ps) in zip(axes, paths.items()):
        for p in ps:
            rel = p - p[0]
            ax.plot(rel[:, 0], rel[:, 1], lw=1, alpha=0.8)
            ax.plot(rel[-1, 0], rel[-1, 1], "k.", ms=4)
        ax.plot(0, 0, "r*", ms=10)
        ax.set_title(f"{env_id} ({len(ps)} players)", fontsize=10)
        ax.set_xlabel("x (blocks from start)")
        ax.set_ylabel("z (blocks from start)")
        ax.set_aspect("equal", adjustable="datalim")
    for ax in axes[len(paths):]:
        ax.set_visible(False)
    path = out_dir / "trajectories.png"
    fig.savefig(path, dpi=110)
    return path


# ---------------------------------------------------------------------------- summary

def summary_rows(data: dict[str, list[Trajectory]]) -> list[list[str]]:
    """One row per task, in :data:`SUMMARY_HEADERS` order.

    Args:
        data: ``{env_id: trajectories}`` from :func:`load_trajectories`.

    Returns:
        The rows as strings.
    """
    rows = []
    for env_id, trajs in data.items():
        lengths = np.array([t.length for t in trajs])
        returns = np.array([float(t.rewards.sum()) for t in trajs])
        success = np.mean([t.success for t in trajs])
        rows.append([env_id, str(len(trajs)), f"{lengths.mean():.1f}", str(lengths.min()), str(lengths.max()),
                     f"{returns.mean():.2f}", f"{returns.std():.2f}", f"{success:.3f}"])
    return rows


def _markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(SUMMARY_HEADERS) + " |", "|" + "---|" * len(SUMMARY_HEADERS)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def _write_summary(rows: list[list[str]], out_dir: Path) -> tuple[Path, Path]:
    csv_path, md_path = out_dir / "summary.csv", out_dir / "summary.md"
    with csv_path.open("w", newline="") as f:
        csv.writer(f).writerows([SUMMARY_HEADERS, *rows])
    md_path.write_text(_markdown(rows))
    return csv_path, md_path


def analyze(data_dir: str | Path, out_dir: str | Path, max_replays: int = 20, positions: bool = True,
            verbose: bool = True) -> dict[str, Any]:
    """Write the dataset plots and summary table of a MineRL-format data directory.

    Args:
        data_dir: the data root (``<root>/<EnvId>/v4_<stream>/``).
        out_dir: folder for the PNG, CSV and Markdown files (created if needed).
        max_replays: most trajectories per task replayed for the XY plot.
        positions: draw the XY plot (it replays episodes, which takes ~1 s per 1,000 steps).
        verbose: print the summary table and notes.

    Returns:
        ``{"summary": rows, "files": [paths written], "notes": [why a plot was skipped]}``.

    Raises:
        McBenchError: ``data_dir`` is missing or holds no trajectories.
        DependencyNotInstalled: matplotlib (the ``analyze`` extra) is missing.
    """
    _matplotlib_figure()  # fail before any work
    data = load_trajectories(data_dir)
    if not data:
        raise McBenchError(f"No trajectories under {data_dir} (expected <EnvId>/v4_<stream>/rendered.npz).")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    files: list[Path] = []
    for env_id, trajs in data.items():
        p = _precedence_plot(env_id, trajs, out)
        if p is None:
            has_inv = any(k.startswith(INVENTORY) for k in trajs[0].arrays)
            why = "no inventory items obtained" if has_inv else "no inventory observation"
            notes.append(f"{env_id}: {why}; precedence graph skipped")
        else:
            files += [p, out / f"precedence_{env_id}.csv"]
    if positions:
        p = _trajectory_plot(data, out, max_replays, notes)
        files += [p] if p else []
    rows = summary_rows(data)
    files += list(_write_summary(rows, out))
    if verbose:
        print(_markdown(rows), *notes, sep="\n")
    return {"summary": rows, "files": [str(f) for f in files], "notes": notes}
