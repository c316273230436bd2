"""Sensitivity analysis: indices of a known function, refusal of incomplete results, the verb.

The analysis is checked on results made from a formula of the design's own points,
``y = 5 a + b`` with a third parameter that does nothing: the first-order and total Sobol indices
must rank a above b above the idle parameter (whose indices are about 0), and Morris' mean
absolute effect must equal the formula's effect over each parameter's range.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer

from sim.cli import main
from sim.config.scenario import default_scenario
from sim.plots.sensitivity_bars import plot_sensitivity
from sim.sweeps import Design, analyse_sensitivity, make_sweep
from sim.sweeps.sensitivity import SensitivityError
from tests.sweep_helpers import write_sweep

A, B, IDLE = (
    "mechanisms.work.capacity_hours",
    "mechanisms.work.illness_hours",
    "mechanisms.negotiation.p_attempt",
)
BOUNDS = {
    A: {"low": 10.0, "high": 20.0},
    B: {"low": 1.0, "high": 4.0},
    IDLE: {"low": 0.0, "high": 0.5},
}


def formula_results(method: str, n: int, replicates: int = 2):
    sweep = make_sweep(
        default_scenario(),
        BOUNDS,
        weeks=4,
        replicates=replicates,
        outcomes={"measures": ["eq5d"], "weeks": [4]},
        sensitivity={"method": method, "n": n},
    )
    design = Design(sweep)
    rows = []
    for i in range(len(design)):
        p = design.point(i)
        for r in range(replicates):
            rows.append({"point": i, "replicate": r, "eq5d_w4": 5 * p[A] + p[B], "error": None})
    return sweep, design, pd.DataFrame(rows)


def value(indices: pd.DataFrame, parameter: str, index: str) -> float:
    row = indices[(indices["parameter"] == parameter) & (indices["index"] == index)]
    return float(row["value"].iloc[0])


def test_sobol_indices_rank_parameters_by_their_share_of_variance() -> None:
    sweep, design, table = formula_results("sobol", 256)
    indices = analyse_sensitivity(sweep, table, design)
    # variance shares of 5a + b: (5 x 10)^2 / 12 against 3^2 / 12, so S1(a) ~ 0.996
    assert value(indices, A, "S1") == pytest.approx(2500 / 2509, abs=0.05)
    assert value(indices, A, "ST") == pytest.approx(2500 / 2509, abs=0.05)
    assert value(indices, B, "ST") == pytest.approx(9 / 2509, abs=0.01)
    assert abs(value(indices, IDLE, "S1")) < 0.01 and value(indices, IDLE, "ST") < 0.001, (
        "a parameter that does nothing should have indices of about 0"
    )
    assert (indices["conf"] >= 0).all(), "confidence half-widths should be non-negative"


def test_morris_effects_equal_the_formulas_effect_over_each_range() -> None:
    sweep, design, table = formula_results("morris", 10, replicates=1)
    indices = analyse_sensitivity(sweep, table, design)
    assert value(indices, A, "mu_star") == pytest.approx(5 * 10.0)
    assert value(indices, B, "mu_star") == pytest.approx(1 * 3.0)
    assert value(indices, IDLE, "mu_star") == pytest.approx(0.0)
    assert value(indices, A, "sigma") == pytest.approx(0.0, abs=1e-9), "a linear effect is constant"


def test_analysis_refuses_results_with_failed_runs() -> None:
    sweep, design, table = formula_results("sobol", 16)
    table.loc[3, "error"] = "ValueError: boom"
    with pytest.raises(SensitivityError, match="1 runs failed"):
        analyse_sensitivity(sweep, table, design)
    with pytest.raises(SensitivityError, match="design points have no result"):
        analyse_sensitivity(sweep, table.iloc[:10].assign(error=None), design)


def test_plot_draws_every_index_with_its_interval() -> None:
    sweep, design, table = formula_results("sobol", 32)
    figure = plot_sensitivity(analyse_sensitivity(sweep, table, design), title="formula")
    (ax,) = figure.axes
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    gids = {bar.patches[0].get_gid() for bar in bars}
    assert gids == {"eq5d_w4-S1", "eq5d_w4-ST"}, f"expected S1 and ST bars, got {gids}"
    assert all(len(bar.patches) == 3 for bar in bars), "one bar per parameter"
    assert all(bar.errorbar is not None for bar in bars), "bars should carry intervals"


def test_sensitivity_verb_writes_indices_and_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_sweep(
        tmp_path,
        parameters="\n".join(
            f'"{k}" = {{ low = {v["low"]}, high = {v["high"]} }}' for k, v in BOUNDS.items()
        ),
        design="",
        replicates=1,
        weeks=3,
        extra="common_random_numbers = true",
        outcomes='measures = ["eq5d", "tbq"]\nweeks = [3]\n'
        '[sensitivity]\nmethod = "morris"\nn = 3\nlevels = 4',
    )
    code = main(
        ["sensitivity", str(path), "--out", str(tmp_path), "--workers", "1", "--no-progress"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    folder = tmp_path / "sweeps" / "tiny"
    indices = pd.read_csv(folder / "sensitivity.csv")
    assert set(indices["index"]) == {"mu_star", "sigma"}
    assert len(indices) == 2 * 3 * 2, "2 outcomes x 3 parameters x 2 measures"
    assert np.isfinite(indices.loc[indices["index"] == "mu_star", "value"]).all()
    assert (folder / "figures" / "sensitivity.png").stat().st_size > 0
    assert "12 runs: 12 done" in out, "Morris with n = 3 over 3 parameters runs 12 points"
