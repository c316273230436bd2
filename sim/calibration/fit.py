"""History matching over Latin hypercube waves, run on the sweep engine (Vernon et al. 2010).

Method (documented in docs/ODD.md, section 9):

1. **Wave 1.** A Latin hypercube of ``points`` points over the free parameters' bounds; each point
   is run ``replicates`` times with the sweep engine's ``trial`` task (each run: replicate
   BRIGHT-style trials and the baseline statistics of their practice populations; common random
   numbers across points).
2. **Implausibility.** For each point and target ``t`` with simulated mean ``m_t`` over the runs,
   its standard error ``s_t`` and the target ``z_t`` with uncertainty ``sd_t``:
   ``I_t = |m_t - z_t| / sqrt(sd_t^2 + s_t^2)``. A point is *not implausible* when
   ``max_t I_t <= cutoff`` (3 by Pukelsheim's three-sigma rule).
3. **Later waves** sample a new hypercube in the box spanned by the not-implausible points (padded
   by a tenth of the box, within the original bounds); with fewer than two such points, the box of
   the best tenth of points by ``sum_t I_t^2``.
4. **Choice.** The point with the least ``sum_t I_t^2`` among the not-implausible ones of all
   waves (among all points if there are none).
5. **Confirmation.** The chosen point is run ``confirm_replicates`` more times from a different
   seed, so that the fit report's simulated values and standard errors are not biased by having
   been selected on the same noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.calibration_file import Calibration
from sim.calibration.targets import Target
from sim.sweeps.execute import SerialExecutor
from sim.sweeps.results import read_results
from sim.sweeps.runner import run_sweep
from sim.sweeps.spec import Sweep, make_sweep

#: Share of a box added on each side when a wave's box is narrowed.
PAD = 0.1


@dataclass
class Fit:
    """The result of a calibration.

    Attributes:
        calibration: The calibration.
        points: Every point of every wave: wave, point, the free parameters, per target the
            simulated mean (``<target>``), its standard error (``<target>_se``) and
            implausibility (``<target>_i``), ``max_i``, ``sum_i2`` and ``plausible``.
        best: The chosen parameter values.
        report: Per target: code, label, target and its uncertainty, the confirmed simulated
            mean and standard error (on the reader's scale too) and implausibility.
        boxes: The box each wave sampled: wave -> key -> (low, high).
    """

    calibration: Calibration
    points: pd.DataFrame
    best: dict[str, float]
    report: pd.DataFrame
    boxes: dict[int, dict[str, tuple[float, float]]]


def implausibility(mean: np.ndarray, se: np.ndarray, target: Target) -> np.ndarray:
    """``|m - z| / sqrt(sd^2 + se^2)`` (NaN means stay NaN: such a point is never chosen)."""
    return np.abs(mean - target.value) / np.sqrt(target.sd**2 + np.nan_to_num(se) ** 2)


def summarise_points(runs: pd.DataFrame, keys: tuple[str, ...], targets: tuple[Target, ...]):
    """Mean, standard error and implausibility per point of a sweep's results table."""
    ok = runs[runs["error"].isna()] if "error" in runs else runs
    grouped = ok.groupby("point", sort=True)
    frame = grouped[list(keys)].first()
    for t in targets:
        values = grouped[t.column]
        mean, sd, n = values.mean(), values.std(ddof=1), values.count()
        frame[t.column] = mean
        frame[f"{t.column}_se"] = sd / np.sqrt(n)
        frame[f"{t.column}_i"] = implausibility(
            mean.to_numpy(), frame[f"{t.column}_se"].to_numpy(), t
        )
    columns = [f"{t.column}_i" for t in targets]
    frame["max_i"] = frame[columns].max(axis=1, skipna=False)
    frame["sum_i2"] = (frame[columns] ** 2).sum(axis=1, skipna=False)
    return frame.reset_index()


def _sweep(
    cal: Calibration, parameters: Mapping[str, Any], name: str, seed: int, replicates: int, design
) -> Sweep:
    return make_sweep(
        cal.base,
        dict(parameters),
        name=name,
        task="trial",
        seed=seed,
        replicates=replicates,
        common_random_numbers=True,
        design=design,
        trial={"replicates_per_run": cal.replicates_per_run},
        outcomes={"names": list(dict.fromkeys(t.column for t in cal.targets))},
        title=f"{cal.title or cal.name}: {name}",
    )


def next_box(
    points: pd.DataFrame, box: Mapping[str, tuple[float, float]], bounds, cutoff: float
) -> dict[str, tuple[float, float]]:
    """The box of a wave's not-implausible points, padded and kept within the bounds."""
    keep = points[points["max_i"] <= cutoff]
    if len(keep) < 2:
        keep = points.nsmallest(max(2, math.ceil(len(points) / 10)), "sum_i2")
    out = {}
    for key, (low, high) in box.items():
        lo, hi = float(keep[key].min()), float(keep[key].max())
        pad = PAD * (high - low)
        lo, hi = max(bounds[key][0], lo - pad), min(bounds[key][1], hi + pad)
        if hi <= lo:
            lo, hi = bounds[key]
        out[key] = (lo, hi)
    return out


def calibrate(cal: Calibration, folder: Path, executor=None, *, progress: bool = True) -> Fit:
    """Run the calibration's waves and confirmation into ``folder`` (resumable).

    Args:
        cal: The calibration.
        folder: Where the sweeps go (``wave1/``, ``wave2/``, ..., ``confirm/``).
        executor: The sweep executor (default: serial).
        progress: Show the sweeps' progress bars.
    """
    executor = executor if executor is not None else SerialExecutor()
    bounds = cal.bounds()
    box = dict(bounds)
    boxes: dict[int, dict[str, tuple[float, float]]] = {}
    frames = []
    for wave in range(1, cal.waves + 1):
        boxes[wave] = box
        sweep = _sweep(
            cal,
            {k: {"low": lo, "high": hi} for k, (lo, hi) in box.items()},
            f"wave{wave}",
            cal.seed,
            cal.replicates,
            {"kind": "lhs", "n": cal.points},
        )
        summary = run_sweep(
            sweep, folder=folder / f"wave{wave}", executor=executor, progress=progress
        )
        points = summarise_points(read_results(summary.folder), cal.keys, cal.targets)
        points.insert(0, "wave", wave)
        frames.append(points)
        box = next_box(points, box, bounds, cal.cutoff)
    every = pd.concat(frames, ignore_index=True)
    every["plausible"] = every["max_i"] <= cal.cutoff
    pool = every[every["plausible"]] if every["plausible"].any() else every
    pool = pool[np.isfinite(pool["sum_i2"])]
    if pool.empty:
        raise RuntimeError("no point of the calibration gave every target a value")
    chosen = pool.loc[pool["sum_i2"].idxmin()]
    best = {k: round(float(chosen[k]), 4) for k in cal.keys}
    confirm = _sweep(
        cal,
        {k: [v] for k, v in best.items()},
        "confirm",
        cal.seed + 1,
        cal.confirm_replicates,
        {"kind": "list"},
    )
    summary = run_sweep(confirm, folder=folder / "confirm", executor=executor, progress=progress)
    confirmed = summarise_points(read_results(summary.folder), cal.keys, cal.targets).iloc[0]
    rows = []
    for t in cal.targets:
        mean, se = float(confirmed[t.column]), float(confirmed[f"{t.column}_se"])
        rows.append(
            {
                "code": t.code,
                "target": t.label,
                "column": t.column,
                "target_value": t.display(t.value),
                "target_sd": t.sd,
                "simulated": t.display(mean),
                "simulated_se": se,
                "simulated_low": t.display(mean - 1.959964 * se),
                "simulated_high": t.display(mean + 1.959964 * se),
                "implausibility": float(confirmed[f"{t.column}_i"]),
            }
        )
    return Fit(cal, every, best, pd.DataFrame(rows), boxes)
