"""The baseline build agrees with its per-agent reference, and the reference catches a change.

:mod:`tests.reference_baseline` derives each patient's state before the warm-up again, patient by
patient, from the drawn inputs; :func:`tests.test_reference.run_both` checks it before the
warm-up in every reference case. Here it is checked on its own for several populations and
switches, and a model whose baseline collective efficacy is halved (in the model only) must
make a reference case fail. GENIE, delivered to half the patients, runs through the reference
as BRIGHT does in :mod:`tests.test_reference`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.config.scenario import default_scenario, load_scenario
from sim.dynamics import baseline
from sim.model import CommunityModel
from tests.test_reference import BUSY, SMALL, assert_baseline_agrees, run_both

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.mark.parametrize(
    "overrides",
    [{}, BUSY, {"mechanisms.switches.collective_efficacy": False}],
    ids=["default", "busy", "collective_off"],
)
def test_the_baseline_build_agrees_with_the_reference(overrides: dict) -> None:
    scenario = default_scenario().with_overrides({**SMALL, **overrides})
    assert_baseline_agrees(CommunityModel(scenario, seed=2, warm_up=False))


def test_the_baseline_of_a_survey_population_agrees_with_the_reference() -> None:
    scenario = load_scenario(SCENARIOS / "survey_example.toml")
    assert_baseline_agrees(CommunityModel(scenario, seed=4, warm_up=False))


def test_halving_baseline_collective_efficacy_in_the_model_fails_the_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    initial_stocks = baseline._initial_stocks

    def halved(population, patients, *args) -> None:
        initial_stocks(population, patients, *args)
        patients.collective = 0.5 * patients.collective

    monkeypatch.setattr(baseline, "_initial_stocks", halved)
    with pytest.raises(AssertionError, match="collective"):
        run_both({}, seed=11, weeks=1)


def test_reference_agrees_with_genie_delivered_to_half_the_patients() -> None:
    genie = load_scenario(SCENARIOS / "genie.toml").with_overrides(SMALL)
    arm = np.arange(genie["population.n_practices"] * 20) % 2 == 1
    model = run_both(BUSY, seed=9, scenario=genie, arm=arm)
    received = model.interventions.received
    assert all(received[name][arm].sum() > 0 for name in received), (
        "expected every GENIE component taken up by someone in the arm"
    )
    assert all(received[name][~arm].sum() == 0 for name in received), (
        "expected no GENIE component outside the arm"
    )
