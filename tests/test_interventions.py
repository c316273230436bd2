"""Interventions act only on mechanism inputs, only in the arm, on schedule, with common random
numbers; BRIGHT's components each run alone; the shipped intervention scenarios load.

Small populations (3 practices x 20 patients) and a few weeks keep these fast; the effects of
interventions on outcomes are checked in ``test_trial.py``.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from sim.config.scenario import load_scenario
from sim.dynamics.state import PatientState
from sim.interventions import INPUTS, Component, Effect, Eligibility, Interventions
from sim.interventions.components import make_components
from sim.interventions.inputs import matched_categories, raise_match, raise_toward_one
from sim.model import CommunityModel, build_population

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SMALL = {
    "population.n_practices": 3,
    "population.patients_per_practice": 20,
    "population.practices_per_locality": 1,
}
SEED = 7
INTERVENTION_SCENARIOS = {
    "bright": ["bright.guidebook", "bright.plans", "bright.calls"],
    "bright_guidebook_only": ["bright.guidebook"],
    "bright_plans_only": ["bright.plans"],
    "bright_calls_only": ["bright.calls"],
    "genie": ["genie.session"],
    "whatif_more_groups_deprived": ["bright.guidebook", "bright.plans", "bright.calls"],
    "whatif_more_calls": ["bright.guidebook", "bright.plans", "bright.calls"],
    "whatif_lighter_treatment": ["bright.guidebook", "bright.plans", "bright.calls"],
}


def scenario(name: str, **overrides: object):
    return load_scenario(SCENARIOS / f"{name}.toml").with_overrides({**SMALL, **overrides})


def model(name: str, arm: np.ndarray | None = None, **overrides: object) -> CommunityModel:
    s = scenario(name, **overrides)
    return CommunityModel(s, seed=SEED, population=build_population(s, SEED), arm=arm)


def patient_fields(m: CommunityModel) -> dict[str, np.ndarray]:
    pt = m.dynamics.patients
    return {f.name: np.array(getattr(pt, f.name), copy=True) for f in fields(PatientState)}


def engine(m: CommunityModel, names: list[str], arm: np.ndarray, **keys: object) -> Interventions:
    """An engine with the named components (as in bright.toml/genie.toml) bound to ``m``."""
    values = dict(scenario("bright").values)
    for name in names:
        values[f"interventions.{name}.enabled"] = True
    for key, value in keys.items():
        values[key] = value
    components = [c for c in make_components(values) if c.name in names]
    return Interventions(components, m.population, m.dynamics, arm, SEED, m.weekly.groups.available)


def test_bright_with_an_empty_arm_is_exactly_usual_care() -> None:
    usual, empty = model("usual_care"), model("bright", arm=np.zeros(60, bool))
    usual.run(6)
    empty.run(6)
    a, b = patient_fields(usual), patient_fields(empty)
    differ = [name for name in a if not np.array_equal(a[name], b[name])]
    assert not differ, f"expected no patient state to change when nobody is in the arm: {differ}"


def test_interventions_change_only_their_inputs_and_only_in_the_arm() -> None:
    m = model("usual_care")
    arm = np.arange(60) % 2 == 0
    run = engine(m, ["bright.guidebook", "bright.plans", "bright.calls", "genie.session"], arm)
    before = patient_fields(m)
    for week in (0, 1):
        run.apply(week)
    after = patient_fields(m)
    changed = {name for name in before if not np.array_equal(before[name], after[name])}
    assert changed, "expected the interventions to change some input"
    assert changed <= set(INPUTS), (
        f"expected only mechanism inputs {sorted(INPUTS)} to change, got {sorted(changed)}"
    )
    for name in changed:
        rows = np.flatnonzero((before[name] != after[name]).reshape(60, -1).any(axis=1))
        assert arm[rows].all(), f"expected {name} to change only for patients in the arm"


def test_uptake_draws_are_the_same_whoever_else_is_in_the_arm() -> None:
    everyone, half = model("bright"), model("bright", arm=np.arange(60) < 30)
    for m in (everyone, half):
        m.run(5)
    for name in ("bright.guidebook", "bright.plans", "bright.calls"):
        assert np.array_equal(
            everyone.interventions.received[name][:30], half.interventions.received[name][:30]
        ), f"expected {name} to reach the same arm patients whoever else is in the arm"
        assert not half.interventions.offered[name][30:].any(), "expected no offers off the arm"


def test_calls_are_delivered_in_weeks_one_and_five_only() -> None:
    m = model("usual_care")
    run = engine(
        m, ["bright.calls"], np.ones(60, bool), **{"interventions.bright.calls.p_uptake": 1.0}
    )
    pt = m.dynamics.patients
    for week in range(7):
        pt.guidance = np.zeros(60)
        run.apply(week)
        alive = pt.alive
        expected = 1.0 if week in (1, 5) else 0.0
        assert np.all(pt.guidance[alive] == expected), (
            f"expected guidance {expected} after the engine ran at week {week}"
        )
    assert np.all(run.offered["bright.calls"] == 2), "expected two calls offered per patient"
    assert np.allclose(run.cost(), 2 * 15.0), "expected the cost of two calls per patient"


def test_raised_baseline_awareness_is_restored_after_its_duration() -> None:
    m = model("usual_care")
    run = engine(
        m,
        ["bright.plans"],
        np.ones(60, bool),
        **{
            "interventions.bright.plans.p_uptake": 1.0,
            "interventions.bright.plans.dur_awareness_base": 3,
        },
    )
    pt = m.dynamics.patients
    original = pt.awareness_base.copy()
    run.apply(0)
    raised = raise_toward_one(original, 0.2)
    assert np.allclose(pt.awareness_base, raised), "expected the base raised by the dose"
    run.apply(2)
    assert np.allclose(pt.awareness_base, raised), "expected it still raised in week 2"
    run.apply(3)
    assert np.array_equal(pt.awareness_base, original), "expected it restored in week 3"


def test_plans_matches_the_top_three_available_categories() -> None:
    m = model("usual_care")
    run = engine(
        m, ["bright.plans"], np.ones(60, bool), **{"interventions.bright.plans.p_uptake": 1.0}
    )
    run.apply(0)
    match = m.dynamics.patients.match
    raised = (match == 3.0).sum(axis=1)
    assert np.all(raised <= 3) and np.all(raised >= 1), "expected 1-3 matched categories each"
    assert np.all((match == 1.0) | (match == 3.0)), "expected other categories to keep weight 1"


@pytest.mark.parametrize(
    ("preferences", "available", "n", "expected"),
    [
        ([[0.5, 0.3, 0.2]], [[1, 1, 1]], 2, [[True, True, False]]),
        ([[0.5, 0.3, 0.2]], [[0, 1, 1]], 2, [[False, True, True]]),  # top one not offered
        ([[0.5, 0.3, 0.2]], [[0, 0, 1]], 2, [[False, False, True]]),  # fewer offered than n
        ([[0.2, 0.2, 0.6]], [[1, 1, 1]], 2, [[True, False, True]]),  # tie: lower code first
    ],
)
def test_matched_categories_are_the_most_preferred_that_the_locality_offers(
    preferences, available, n, expected
) -> None:
    got = matched_categories(np.array(preferences), np.array(available), n)
    assert got.tolist() == expected, f"expected {expected}, got {got.tolist()}"


def test_effect_sizes_act_as_documented() -> None:
    assert np.allclose(raise_toward_one(np.array([0.0, 0.5, 1.0]), 0.3), [0.3, 0.65, 1.0]), (
        "expected a dose of 0.3 to close 30% of the gap to 1"
    )
    got = raise_match(np.array([[1.0, 4.0, 1.0]]), np.array([[True, True, False]]), 3.0)
    assert got.tolist() == [[3.0, 4.0, 1.0]], "expected match weights raised, never lowered"


def test_eligibility_by_age_and_network_type() -> None:
    rule = Eligibility(age_min=75, age_max=90, network_types=("restricted", "diverse"))
    age = np.array([74.9, 75.0, 80.0, 91.0, 80.0])
    kind = np.array([0, 0, 4, 4, 2])
    assert rule.mask(age, kind).tolist() == [False, True, True, False, False], (
        "expected ages 75-90 with a restricted or diverse network"
    )
    m = model("usual_care")
    component = Component("bright.calls", (1,), 1.0, (Effect("guidance", 1.0),), rule)
    run = Interventions(
        [component], m.population, m.dynamics, np.ones(60, bool), SEED, m.weekly.groups.available
    )
    run.apply(1)
    ok = rule.mask(m.dynamics.patients.age, m.population.patients.network_type)
    assert np.array_equal(run.offered["bright.calls"] > 0, ok & m.dynamics.patients.alive), (
        "expected offers to exactly the eligible living patients"
    )


def test_an_effect_on_an_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="not an input interventions may change"):
        Effect("utility", 0.05)
    with pytest.raises(ValueError, match="needs a duration"):
        Effect("awareness_base", 0.2)


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("bright_guidebook_only", "knowledge_clinical"),
        ("bright_plans_only", "awareness"),
        ("bright_calls_only", "guidance"),
    ],
)
def test_each_bright_component_runs_alone_and_raises_its_own_input(name: str, check: str) -> None:
    treated, control = model(name), model(name, arm=np.zeros(60, bool))
    for m in (treated, control):
        m.run(1)
    a = getattr(treated.dynamics.patients, check).mean()
    b = getattr(control.dynamics.patients, check).mean()
    assert a > b + 0.01, f"expected {name} to raise mean {check} after week 1: {a:.3f} vs {b:.3f}"
    delivered = list(treated.interventions.offered)
    assert len(delivered) == 1, f"expected {name} to deliver one component, got {delivered}"


@pytest.mark.parametrize("name", sorted(INTERVENTION_SCENARIOS))
def test_intervention_scenarios_inherit_usual_care_and_enable_their_components(name: str) -> None:
    s = load_scenario(SCENARIOS / f"{name}.toml")
    assert s.origins["run.seed"].endswith("usual_care.toml"), (
        f"expected {name} to take its seed from usual_care.toml"
    )
    got = [c.name for c in make_components(s.values)]
    assert got == INTERVENTION_SCENARIOS[name], (
        f"expected components {INTERVENTION_SCENARIOS[name]}"
    )


def test_usual_care_has_no_intervention_and_every_patient_in_the_default_arm() -> None:
    m = model("usual_care")
    assert m.interventions.components == [], "expected no component in usual care"
    assert m.arm.all() and m.arm.shape == (60,), "expected everyone in the default arm"
    with pytest.raises(ValueError, match="one per patient"):
        model("bright", arm=np.ones(5, bool))


def test_whatif_more_calls_calls_six_times() -> None:
    s = load_scenario(SCENARIOS / "whatif_more_calls.toml")
    calls = next(c for c in make_components(s.values) if c.name == "bright.calls")
    assert calls.weeks == (1, 5, 9, 13, 17, 21), f"expected six calls, got {calls.weeks}"


def test_genie_session_raises_negotiation_skill_and_matches_chosen_activities() -> None:
    treated, control = model("genie"), model("genie", arm=np.zeros(60, bool))
    a, b = treated.dynamics.patients, control.dynamics.patients
    assert a.skill.mean() > b.skill.mean(), "expected the session to raise negotiation skill"
    assert (a.match == 5.0).any() and not (b.match > 1).any(), "expected chosen categories matched"
    assert ((a.match == 5.0).sum(axis=1) <= 3).all(), "expected at most three chosen categories"
