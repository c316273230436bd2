"""Simulating chosen parameter points on the sweep engine, and summarising them per point.

A set of points (in the unit cube of the calibration's bounds) becomes a sweep with a ``list``
design of the ``trial`` task, run ``replicates`` times per point with common random numbers
(replicate ``r`` of every point shares its random numbers). The sweep folder makes it resumable.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.calibration_file import Calibration
from sim.calibration.targets import Target
from sim.sweeps.runner import run_sweep
from sim.sweeps.sweep_file import make_sweep
from sim.sweeps.sweep_results import read_results


def from_unit(cal: Calibration, unit: np.ndarray) -> dict[str, list[float]]:
    """Unit-cube points as parameter values: key -> one value per point."""
    out = {}
    for j, (key, (low, high)) in enumerate(cal.bounds().items()):
        out[key] = [float(low + u * (high - low)) for u in unit[:, j]]
    return out


def neutral_base(cal: Calibration):
    """The base scenario with each free parameter at its bounds' midpoint.

    Every run sets the free parameters itself, so their base values never reach a result; fixing
    them here keeps the sweeps' fingerprints independent of the values a calibration writes (the
    shipped base inherits ``calibrated.toml``), so running the same calibration again resumes.
    """
    middle = {k: (low + high) / 2 for k, (low, high) in cal.bounds().items()}
    return cal.base.with_overrides(middle, origin="<calibration: free parameters>")


def point_summary(runs: pd.DataFrame, keys: tuple[str, ...], targets: tuple[Target, ...]):
    """Per point: the parameters, and per target the mean over runs and its standard error."""
    ok = runs[runs["error"].isna()] if "error" in runs else runs
    grouped = ok.groupby("point", sort=True)
    frame = grouped[list(keys)].first()
    for t in targets:
        values = grouped[t.column]
        frame[t.column] = values.mean()
        frame[f"{t.column}_se"] = values.std(ddof=1) / np.sqrt(values.count())
    return frame.reset_index()


def run_points(
    cal: Calibration,
    folder: Path,
    name: str,
    unit: np.ndarray,
    executor,
    progress: bool = True,
    replicates: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Simulate points (resumable in ``folder``); return :func:`point_summary`'s table.

    Args:
        cal: The calibration (base scenario, targets, runs per point, trials per run).
        folder: The sweep's folder.
        name: The sweep's name.
        unit: Points in the unit cube, shape (n, free parameters).
        executor: The sweep executor.
        progress: Show the sweep's progress bar.
        replicates: Runs per point (default ``cal.replicates``).
        seed: The sweep's seed (default ``cal.seed``: every sweep shares its random numbers).
    """
    sweep = make_sweep(
        neutral_base(cal),
        from_unit(cal, unit),
        name=name,
        task="trial",
        seed=cal.seed if seed is None else seed,
        replicates=cal.replicates if replicates is None else replicates,
        common_random_numbers=True,
        design={"kind": "list"},
        trial={"replicates_per_run": cal.replicates_per_run},
        outcomes={"names": list(dict.fromkeys(t.column for t in cal.targets))},
        title=f"{cal.title or cal.name}: {name}",
    )
    summary = run_sweep(sweep, folder=folder, executor=executor, progress=progress)
    return point_summary(read_results(summary.folder), cal.keys, cal.targets)
