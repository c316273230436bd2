"""Usual care reproduces the calibration targets of the science dossier (section 7).

T5 (BP control at NICE targets, about 58% +/- 8 points), T6 (EQ-5D mean 0.75 to 0.86) and T8
(partner and close family contribute most; other members contribute more where there is no
partner) at baseline and after 26 weeks of usual care; usual care is near-stationary over the
trial's 26 weeks; and five years of natural history match Shardlow et al. (PLoS Med 2016).

Values are averaged over several seeds of a half-size trial population (12 practices).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config.scenario import Scenario, load_scenario
from sim.model import CommunityModel
from sim.population import codes

USUAL_CARE = Path(__file__).resolve().parents[1] / "scenarios" / "usual_care.toml"
SEEDS = (1, 2, 3, 4)
WEEKS = 26
SMALL = {"population.n_practices": 12}


@dataclass
class Run:
    """One usual-care run: the weekly table and what the tests read from the final state."""

    table: pd.DataFrame
    controlled_hypertensive: tuple[float, float]  # (week 0, week 26)
    given: np.ndarray  # per slot, hours/week in the last week
    tie_type: np.ndarray
    live: np.ndarray  # per slot, an active tie of a living patient
    with_partner: np.ndarray  # per slot, the patient lives with a partner


def usual_care(overrides: dict | None = None) -> Scenario:
    """The usual-care scenario at the test size."""
    return load_scenario(USUAL_CARE).with_overrides({**SMALL, **(overrides or {})})


def hypertensive_control(model: CommunityModel) -> float:
    """Share of living patients with hypertension whose last reading was at target."""
    pt = model.dynamics.patients
    hypertensive = model.population.patients.hypertension & pt.alive
    return float(pt.controlled[hypertensive].mean())


def run_usual_care(seed: int) -> Run:
    model = CommunityModel(usual_care(), seed=seed)
    before = hypertensive_control(model)
    model.run(WEEKS)
    s = model.dynamics.slots
    household = model.population.patients.household
    return Run(
        table=model.datacollector.get_model_vars_dataframe(),
        controlled_hypertensive=(before, hypertensive_control(model)),
        given=model.weekly.given.sum(axis=1),
        tie_type=s.tie_type.copy(),
        live=s.active & model.dynamics.patients.alive[s.ego],
        with_partner=household[s.ego] == codes.WITH_PARTNER,
    )


@pytest.fixture(scope="module")
def runs() -> list[Run]:
    return [run_usual_care(seed) for seed in SEEDS]


def seed_mean(runs: list[Run], measure: str, week: int) -> float:
    """Mean over seeds of a weekly population measure."""
    return float(np.mean([r.table[measure].iloc[week] for r in runs]))


# --- T5: blood-pressure control -----------------------------------------------------------------


@pytest.mark.parametrize("when", [0, 1], ids=["baseline", "week26"])
def test_bp_control_of_all_patients_is_a_little_above_that_of_hypertensives(runs, when):
    # T5 is measured among hypertensives (next test); the 12% without hypertension are mostly
    # at target, so control over all patients is higher, by at most 12 points.
    week = [0, WEEKS][when]
    everyone = seed_mean(runs, "bp_controlled", week)
    hypertensive = float(np.mean([r.controlled_hypertensive[when] for r in runs]))
    assert hypertensive < everyone <= hypertensive + 0.12, (
        f"expected BP control over all patients ({everyone:.1%}) a little above that of "
        f"hypertensive patients ({hypertensive:.1%}) at week {week}"
    )


@pytest.mark.parametrize("when", [0, 1], ids=["baseline", "week26"])
def test_bp_control_among_hypertensives_matches_t5(runs, when):
    # The RRID cohort (BMC Fam Pract 2013) measured 58.1% at target among hypertensives.
    value = float(np.mean([r.controlled_hypertensive[when] for r in runs]))
    assert abs(value - 0.581) <= 0.08, (
        f"T5: expected about 58.1% (+/- 8 points) of hypertensive patients at NICE targets "
        f"({['baseline', 'week 26'][when]}), got {value:.1%}"
    )


# --- T6: EQ-5D ----------------------------------------------------------------------------------


@pytest.mark.parametrize("week", [0, WEEKS])
def test_eq5d_matches_t6(runs, week):
    value = seed_mean(runs, "eq5d", week)
    assert 0.75 <= value <= 0.86, (
        f"T6: expected mean EQ-5D-3L utility in [0.75, 0.86] at week {week}, got {value:.3f}"
    )


# --- T8: who contributes ------------------------------------------------------------------------


@pytest.mark.parametrize("week", [0, WEEKS])
def test_partner_and_family_give_most_per_tie(runs, week):
    given = {tie: seed_mean(runs, f"given_by_{tie}", week) for tie in codes.TIE_TYPES}
    top_two = sorted(given, key=given.get, reverse=True)[:2]
    shown = ", ".join(f"{tie} {hours:.2f}" for tie, hours in given.items())
    assert set(top_two) == {"partner", "family"}, (
        f"T8: expected partners and family to give the most hours/week per tie at week {week}; "
        f"the top two are {top_two} ({shown})"
    )


@pytest.mark.parametrize("tie", [t for t in codes.TIE_TYPES if t != "partner"])
def test_members_give_more_where_there_is_no_partner(runs, tie):
    code = codes.TIE_TYPES.index(tie)
    given = np.concatenate([r.given for r in runs])
    of_type = np.concatenate([r.live & (r.tie_type == code) for r in runs])
    with_partner = np.concatenate([r.with_partner for r in runs])
    alone = given[of_type & ~with_partner].mean()
    partnered = given[of_type & with_partner].mean()
    assert alone > partnered, (
        f"T8 substitution: expected each {tie} tie to give more hours/week to patients without a "
        f"partner than to patients with one after {WEEKS} weeks; got {alone:.3f} without vs "
        f"{partnered:.3f} with a partner"
    )


# --- usual care is near-stationary ---------------------------------------------------------------

#: Measure -> largest change over 26 weeks of usual care accepted as "near-stationary": small
#: against the BRIGHT effects the trial model must show (EQ-5D +0.05; OR 1.85 is about +14 points
#: of BP control), and against the spread of the targets (T2 tolerance 1.5 members; T4 35-50%).
STATIONARY_TOLERANCE = {
    "eq5d": 0.01,
    "bp_controlled": 0.03,
    "group_participation": 0.03,
    "mean_network_size": 0.25,
}


@pytest.mark.parametrize("measure", list(STATIONARY_TOLERANCE))
def test_usual_care_is_near_stationary(runs, measure):
    start, end = seed_mean(runs, measure, 0), seed_mean(runs, measure, WEEKS)
    tolerance = STATIONARY_TOLERANCE[measure]
    assert abs(end - start) <= tolerance, (
        f"expected {measure} to move less than {tolerance} over {WEEKS} weeks of usual care, "
        f"got {start:.4f} -> {end:.4f} (change {end - start:+.4f})"
    )


# --- five-year natural history -------------------------------------------------------------------

#: Shardlow et al. 2016 (n = 1,741, age 72.9, five years): measure -> (share, tolerance).
SHARDLOW_2016 = {"died": (0.142, 0.03), "progressed": (0.177, 0.04), "remitted": (0.193, 0.04)}


def test_five_year_natural_history_matches_shardlow_2016():
    scenario = load_scenario(USUAL_CARE).with_overrides(
        {"population.n_practices": 24, "population.patients_per_practice": 100}
    )
    tables = []
    for seed in (1, 2):
        model = CommunityModel(scenario, seed=seed)
        model.run(5 * 52)
        tables.append(model.datacollector.get_model_vars_dataframe().iloc[-1])
    misses = []
    for measure, (target, tolerance) in SHARDLOW_2016.items():
        value = float(np.mean([t[measure] for t in tables]))
        if abs(value - target) > tolerance:
            misses.append(f"{measure} {value:.1%} (expected {target:.1%} +/- {tolerance:.0%})")
    assert not misses, (
        "five-year natural history of 2,400 patients under usual care should match Shardlow et "
        "al. 2016; off target: " + "; ".join(misses)
    )


# --- T7: starting to take part ------------------------------------------------------------------


def test_starting_participation_gains_utility_as_in_t7():
    """Munford et al. 2020: QALY +0.017 (0.002 to 0.032) over 6 months, i.e. a mean utility gain
    of about +0.034 (0.004 to 0.064) for people who start taking part in community groups."""
    from sim.calibration.participation import T7, participation_effect

    scenario = load_scenario(USUAL_CARE).with_overrides(SMALL)
    effects = [participation_effect(scenario, seed) for seed in SEEDS[:2]]
    mean = float(np.mean([e.effect for e in effects]))
    value, low, high = T7
    assert all(e.starters > 100 for e in effects), "expected many starters per run"
    assert low <= mean <= high, (
        f"T7: expected the utility gain of starting participation within {low}-{high} (target "
        f"{value}), got {mean:.4f}"
    )
