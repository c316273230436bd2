"""Sensitivity analysis of sweep outcomes with SALib: Sobol indices or Morris screening.

A sensitivity file is a sweep file with a ``[sensitivity]`` table. Its design is drawn by SALib in
the unit cube (Saltelli's scheme for Sobol indices, Morris trajectories for screening) and runs
through the same resumable sweep engine; the outcome of each design point is the mean over its
replicates (use ``common_random_numbers = true`` so that replicate noise does not masquerade as
a parameter's effect). Morris effects are per full range of each parameter's bounds.

References:
    Saltelli A. et al. (2010) Variance based sensitivity analysis of model output. Comput Phys
    Commun 181:259-270. Morris M.D. (1991) Factorial sampling plans for preliminary computational
    experiments. Technometrics 33:161-174. Herman J. & Usher W. (2017) SALib. JOSS 2(9):97.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.streams import seed_sequence
from sim.sweeps.execute import Executor
from sim.sweeps.runner import SweepSummary, run_sweep
from sim.sweeps.sweep_design import Design, unit_problem
from sim.sweeps.sweep_file import Sweep
from sim.sweeps.sweep_results import read_results

#: Columns of the table of indices.
COLUMNS = ("outcome", "parameter", "index", "value", "conf")


class SensitivityError(RuntimeError):
    """The results cannot be analysed (failed or missing runs)."""


def point_means(sweep: Sweep, table: pd.DataFrame, n_points: int) -> pd.DataFrame:
    """The mean of each outcome over the replicates of each design point, in point order."""
    assert sweep.sensitivity is not None
    failed = int(table["error"].notna().sum())
    if failed:
        raise SensitivityError(
            f"{failed} runs failed (see the error column of results.parquet); sensitivity "
            "indices need every design point; narrow the bounds or fix the cause"
        )
    means = table.groupby("point")[list(sweep.sensitivity.outcomes)].mean()
    means = means.reindex(range(n_points))
    missing = int(means.isna().any(axis=1).sum())
    if missing:
        raise SensitivityError(f"{missing} design points have no result; run the sweep first")
    return means


def analyse_sensitivity(
    sweep: Sweep, table: pd.DataFrame, design: Design | None = None
) -> pd.DataFrame:
    """Sobol indices (S1, ST, and S2 if asked) or Morris measures (mu_star, sigma) per outcome.

    Args:
        sweep: A sweep with a ``[sensitivity]`` table.
        table: Its results (one row per run), e.g. from :func:`sim.sweeps.read_results`.
        design: The sweep's design, if already built.

    Returns:
        A tidy table with columns ``outcome, parameter, index, value, conf`` (``conf`` is the
        half-width of the confidence interval at ``conf_level``).
    """
    s = sweep.sensitivity
    if s is None:
        raise ValueError(f"sweep {sweep.name!r} has no [sensitivity] table")
    design = design if design is not None else Design(sweep)
    means = point_means(sweep, table, len(design))
    problem = unit_problem(sweep)
    seed = int(seed_sequence(sweep.seed, "sensitivity").generate_state(1)[0])
    rows: list[tuple] = []
    for outcome in s.outcomes:
        y = means[outcome].to_numpy(dtype=float)
        if s.method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(
                problem, y, calc_second_order=s.second_order, conf_level=s.conf_level, seed=seed
            )
            for i, key in enumerate(sweep.keys):
                rows.append((outcome, key, "S1", res["S1"][i], res["S1_conf"][i]))
                rows.append((outcome, key, "ST", res["ST"][i], res["ST_conf"][i]))
            if s.second_order:
                for i, a in enumerate(sweep.keys):
                    for j in range(i + 1, len(sweep.keys)):
                        pair = f"{a} x {sweep.keys[j]}"
                        rows.append((outcome, pair, "S2", res["S2"][i, j], res["S2_conf"][i, j]))
        else:
            from SALib.analyze import morris

            assert design.unit is not None
            res = morris.analyze(
                problem, design.unit, y, conf_level=s.conf_level, num_levels=s.levels, seed=seed
            )
            for i, key in enumerate(sweep.keys):
                rows.append((outcome, key, "mu_star", res["mu_star"][i], res["mu_star_conf"][i]))
                rows.append((outcome, key, "sigma", res["sigma"][i], np.nan))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame[["value", "conf"]] = frame[["value", "conf"]].astype(float)
    return frame


def run_sensitivity(
    sweep: Sweep,
    out: Path = Path("results"),
    executor: Executor | None = None,
    **options,
) -> tuple[SweepSummary, pd.DataFrame, Path]:
    """Run (or resume) a sensitivity sweep, analyse it and write the indices and their figure.

    Writes ``sensitivity.parquet``, ``sensitivity.csv`` and ``figures/sensitivity.png`` in the
    sweep's folder, next to its results.

    Args:
        sweep: A sweep with a ``[sensitivity]`` table.
        out: Output folder (the sweep goes to ``out/sweeps/<name>/``).
        executor: Where runs execute (default: serially).
        **options: Further keyword arguments of :func:`sim.sweeps.run_sweep`.

    Returns:
        (the sweep's summary, the indices, the figure's path).
    """
    from sim.plots.sensitivity_bars import plot_sensitivity

    if sweep.sensitivity is None:
        raise ValueError(f"sweep {sweep.name!r} has no [sensitivity] table")
    summary = run_sweep(sweep, out, executor, **options)
    design = Design(sweep)
    indices = analyse_sensitivity(sweep, read_results(summary.folder), design)
    indices.to_parquet(summary.folder / "sensitivity.parquet", index=False)
    indices.to_csv(summary.folder / "sensitivity.csv", index=False, float_format="%.6g")
    figures = summary.folder / "figures"
    figures.mkdir(exist_ok=True)
    title = sweep.title or f"{sweep.name}: {sweep.sensitivity.method} sensitivity"
    figure = plot_sensitivity(indices, title=title)
    path = figures / "sensitivity.png"
    figure.savefig(path, dpi=150)
    return summary, indices, path
