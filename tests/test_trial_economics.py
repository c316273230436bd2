"""Economics of a virtual trial for people: no trial without an intervention, no negative ratio.

The per-trial table and ratios are checked on hand-made estimates; the refusal of a trial that
switches on no intervention through the command line and the Python API.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.config.scenario import ScenarioError, load_scenario
from sim.report.per_trial import per_trial_table
from sim.trial.results import run_trial
from sim.trial.summaries import economics

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def estimates(pairs: list[tuple[float, float]]) -> pd.DataFrame:
    rows = []
    for replicate, (cost, qaly) in enumerate(pairs):
        for outcome, value in (("cost", cost), ("qaly", qaly)):
            rows.append(
                {"replicate": replicate, "outcome": outcome, "subgroup": "all", "estimate": value}
            )
    return pd.DataFrame(rows)


def test_sim_trial_refuses_a_scenario_with_no_intervention(tmp_path, capsys) -> None:
    code = main(["trial", str(SCENARIOS / "usual_care.toml"), "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{SCENARIOS / 'usual_care.toml'}: interventions: no intervention is switched on" in err
    assert not any(tmp_path.iterdir()), "expected nothing written"
    with pytest.raises(ScenarioError, match="no intervention is switched on"):
        run_trial(load_scenario(SCENARIOS / "usual_care.toml"), replicates=1)


def test_per_trial_ratios_say_dominant_or_dominated_and_are_never_negative() -> None:
    # trial 0: +100 GBP, +0.01 QALY: 10,000 per QALY; trial 1: -50, +0.01: dominant;
    # trial 2: +50, -0.01: dominated; trial 3: -10,523, -0.5: 21,046 saved per QALY lost
    table = economics(estimates([(100, 0.01), (-50, 0.01), (50, -0.01), (-10523, -0.5)]), 20000)
    assert list(table["quadrant"]) == [
        "more effective, more costly",
        "dominant",
        "dominated",
        "less effective, less costly",
    ]
    assert table["icer"].iloc[0] == pytest.approx(10_000)
    assert math.isnan(table["icer"].iloc[1]) and math.isnan(table["icer"].iloc[2])
    assert (table["icer"].dropna() > 0).all()
    assert table["net_benefit"].tolist() == pytest.approx([100, 250, -250, 523])
    text = per_trial_table(table, 20000)
    assert list(text["Cost per QALY"]) == [
        "£10,000 per QALY gained",
        "dominant: more QALYs at lower cost",
        "dominated: fewer QALYs at higher cost",
        "£21,046 saved per QALY lost",
    ]
    assert text["Incremental cost per patient"].tolist() == ["+£100", "-£50", "+£50", "-£10,523"]
    assert list(text["Trial"]) == [1, 2, 3, 4]
    assert "Net benefit at £20,000 per QALY" in text.columns
    assert not text.map(lambda v: "e+" in str(v) or "e-" in str(v)).any().any()
