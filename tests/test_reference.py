"""The vectorised weekly dynamics agree with a per-agent Mesa reference of the same rules.

The reference (:mod:`tests.reference_model`) starts from the vectorised model's state before the
warm-up and mirrors its random streams, so every state variable must agree week by week to
rounding, random mechanisms included (no test in distribution is needed), through the warm-up,
recruitment (with the interventions delivered patient by patient) and the trial weeks. Each case
runs a small population (3 practices x 20 patients) through a short warm-up and 12 weeks, with
every mechanism on or one switched off, at the default parameters and with event rates raised so
that ties form, lapse and end, patients stop and restart medicines, die and change measured
stage, and reviews and admissions happen within the run; one case runs BRIGHT in half the
population and one the default warm-up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.config.mechanism_params import SWITCHES
from sim.config.scenario import Scenario, default_scenario, load_scenario
from sim.model import CommunityModel
from sim.population import codes
from tests.reference_baseline import baseline_group_fit, baseline_patients
from tests.reference_model import TIE_FIELDS, ReferenceModel, run_reference

RTOL, ATOL = 1e-9, 1e-12
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
WEEKS = 12
SMALL = {
    "population.n_practices": 3,
    "population.patients_per_practice": 20,
    "population.practices_per_locality": 1,
}
#: Event rates raised so that every branch of the random mechanisms is taken within 12 weeks.
BUSY = {
    "mechanisms.navigation.p_join": 0.4,
    "mechanisms.navigation.p_lapse": 0.15,
    "mechanisms.navigation.max_new_ties": 2,
    "mechanisms.negotiation.p_attempt": 0.7,
    "mechanisms.negotiation.strain_threshold": 0.05,
    "mechanisms.negotiation.unmet_threshold": 0.05,
    "mechanisms.negotiation.quality_loss": 0.3,
    "mechanisms.negotiation.quality_end": 0.6,
    "mechanisms.negotiation.p_end_tie": 0.5,
    "mechanisms.history.death_rate_72": 0.8,
    "mechanisms.kidney.slope_mean": 20.0,
    "mechanisms.kidney.egfr_cv": 0.3,
    "mechanisms.health.review_interval": 3,
    "mechanisms.health.p_intensify": 0.6,
    "mechanisms.medicines.stop_rate": 0.2,
    "mechanisms.services.admission_rate": 5.0,
}
#: Weeks of warm-up in most cases (the default warm-up has a case of its own).
WARMUP = {"run.warmup_weeks": 6}
#: Per-patient state compared each week, in the order the mechanisms produce it.
PATIENT_VARIABLES = (
    "limitation",
    "need",
    "treatment_work",
    "capacity_own",
    "knowledge_clinical",
    "knowledge_lay",
    "need_previous",
    "mobilisation",
    "received",
    "received_professional",
    "unmet",
    "brokerage",
    "collective",
    "capacity",
    "imbalance",
    "self_efficacy",
    "self_management",
    "mental",
    "egfr",
    "persisting",
    "adherence",
    "sbp_untreated",
    "sbp",
    "reviewed",
    "sbp_reading",
    "controlled",
    "egfr_reading",
    "stage",
    "medicines",
    "alive",
    "age",
    "loneliness",
    "eq5d_latent",
    "eq5d_level",
    "utility",
    "heiq",
    "tbq",
    "contacts",
    "admissions",
    "cost_contacts",
    "cost_medicines",
    "cost_admissions",
    "cost",
    "qaly",
    "awareness",
    "awareness_base",
    "guidance",
    "match",
    "skill",
    "joined",
    "negotiations",
    "group_ties",
)
TIE_VARIABLES = ("ego", "alter", *TIE_FIELDS)


def first_mismatch(vectorised: np.ndarray, reference: np.ndarray) -> int | None:
    """Index of the first row where the two disagree beyond rounding (None if they agree)."""
    a, b = np.asarray(vectorised, float), np.asarray(reference, float)
    assert a.shape == b.shape, f"expected equal shapes, got {a.shape} and {b.shape}"
    close = np.isclose(a, b, rtol=RTOL, atol=ATOL)
    bad = np.flatnonzero(~close.reshape(len(a), -1).all(axis=1))
    return int(bad[0]) if len(bad) else None


def vectorised_patients(model: CommunityModel) -> dict[str, np.ndarray]:
    """Per-patient state of the vectorised model (with unmet need and group-tie counts)."""
    pt, s = model.dynamics.patients, model.dynamics.slots
    out = {name: getattr(pt, name) for name in PATIENT_VARIABLES if hasattr(pt, name)}
    out["unmet"] = pt.unmet()
    groups = s.active & (s.tie_type == codes.GROUP_TIE)
    out["group_ties"] = np.bincount(s.ego[groups], minlength=len(pt.alive))
    return out


def reference_patients(reference: ReferenceModel) -> dict[str, np.ndarray]:
    """Per-patient state of the reference, by the same names."""
    out = {
        name: reference.patient_values(name)
        for name in PATIENT_VARIABLES
        if name not in ("unmet", "group_ties")
    }
    out["unmet"] = np.maximum(out["need"] - out["received"], 0.0)
    groups = np.zeros(reference.n_patients, int)
    for tie in reference.tie_table().values():
        groups[tie["ego"]] += tie["tie_type"] == codes.GROUP_TIE
    out["group_ties"] = groups
    return out


def assert_patients_agree(model: CommunityModel, reference: ReferenceModel, week: str) -> None:
    """Every per-patient variable agrees; the message names the first disagreement."""
    vec, ref = vectorised_patients(model), reference_patients(reference)
    for name in PATIENT_VARIABLES:
        i = first_mismatch(vec[name], ref[name])
        assert i is None, (
            f"{week}: {name} of patient {i}: vectorised {vec[name][i]}, reference "
            f"{ref[name][i]} (expected agreement to rtol {RTOL})"
        )


def assert_members_agree(model: CommunityModel, reference: ReferenceModel, week: str) -> None:
    """Member strain and load agree."""
    m, n_nodes = model.dynamics.members, model.population.n_nodes
    first = model.population.n_patients
    for name in ("strain", "load"):
        vec, ref = getattr(m, name)[first:n_nodes], reference.member_values(name, n_nodes)
        j = first_mismatch(vec, ref)
        assert j is None, (
            f"{week}: {name} of member node {first + j}: vectorised {vec[j]}, "
            f"reference {ref[j]} (expected agreement to rtol {RTOL})"
        )


def assert_ties_agree(model: CommunityModel, reference: ReferenceModel, week: str) -> None:
    """The same ties hold the same slots, with the same attributes."""
    s = model.dynamics.slots
    vec_slots = set(np.flatnonzero(s.active).tolist())
    ref_ties = reference.tie_table()
    only_vec, only_ref = sorted(vec_slots - set(ref_ties)), sorted(set(ref_ties) - vec_slots)
    assert not only_vec and not only_ref, (
        f"{week}: tie slots held only in the vectorised model {only_vec[:5]} "
        f"(patients {s.ego[only_vec[:5]].tolist()}), only in the reference {only_ref[:5]}"
    )
    slots = sorted(vec_slots)
    for name in TIE_VARIABLES:
        vec = getattr(s, name)[slots]
        ref = np.array([ref_ties[slot][name] for slot in slots])
        j = first_mismatch(vec, ref)
        assert j is None, (
            f"{week}: tie {name} of patient {s.ego[slots[j]]} (slot {slots[j]}): "
            f"vectorised {vec[j]}, reference {ref[j]} (expected agreement to rtol {RTOL})"
        )


def assert_all_agree(model: CommunityModel, reference: ReferenceModel, when: str) -> None:
    """Patients, members and ties agree."""
    for check in (assert_patients_agree, assert_members_agree, assert_ties_agree):
        check(model, reference, when)


def assert_baseline_agrees(model: CommunityModel) -> None:
    """The model's state before the warm-up agrees with the reference's baseline build."""
    pt, s = model.dynamics.patients, model.dynamics.slots
    for name, ref in baseline_patients(model).items():
        i = first_mismatch(getattr(pt, name), ref)
        assert i is None, (
            f"baseline build: {name} of patient {i}: vectorised {getattr(pt, name)[i]}, "
            f"reference {ref[i]} (expected agreement to rtol {RTOL})"
        )
    groups = s.active & (s.tie_type == codes.GROUP_TIE)
    fit = baseline_group_fit(model)
    for name in ("fit", "strength"):
        j = first_mismatch(getattr(s, name)[groups], fit)
        assert j is None, f"baseline build: group tie {name} {j} differs from the reference"


def run_both(
    overrides: dict,
    seed: int,
    weeks: int = WEEKS,
    scenario: Scenario | None = None,
    arm: np.ndarray | None = None,
) -> CommunityModel:
    """Run the vectorised model and the reference side by side, checking every week.

    The model's baseline build is checked against the reference's (:func:`assert_baseline_agrees`);
    both then start from the model's state before the warm-up, warm up week by week,
    recruit (delivering the scenario's week-0 components to ``arm``), then run ``weeks`` weeks.
    The scenario defaults to the small population at default parameters, with a short warm-up.
    """
    scenario = scenario or default_scenario().with_overrides(SMALL)
    scenario = scenario.with_overrides({**WARMUP, **overrides})
    model = CommunityModel(scenario, seed=seed, arm=arm, warm_up=False)
    assert_baseline_agrees(model)
    reference = ReferenceModel(model)
    assert_all_agree(model, reference, "before the warm-up")

    def check(week: int) -> None:
        reference.step()
        assert_all_agree(model, reference, f"warm-up week {week}")

    model.warm_up(each_week=check)
    reference.recruit()
    assert_all_agree(model, reference, "recruitment")
    for week in range(1, weeks + 1):
        model.step()
        reference.step()
        assert_all_agree(model, reference, f"week {week}")
    np.testing.assert_allclose(
        model.interventions.cost(),
        reference.interventions.cost(),
        err_msg="expected the same intervention cost per patient",
    )
    return model


CASES = [None, *SWITCHES]


@pytest.mark.parametrize("switched_off", CASES, ids=[f"{c or 'all'}_off" for c in CASES])
def test_reference_agrees_at_default_parameters(switched_off: str | None) -> None:
    off = {f"mechanisms.switches.{switched_off}": False} if switched_off else {}
    run_both(off, seed=11)


@pytest.mark.parametrize("switched_off", CASES, ids=[f"{c or 'all'}_off" for c in CASES])
def test_reference_agrees_when_ties_form_and_end(switched_off: str | None) -> None:
    off = {f"mechanisms.switches.{switched_off}": False} if switched_off else {}
    model = run_both({**BUSY, **off}, seed=5)
    pt, s = model.dynamics.patients, model.dynamics.slots
    baseline_ties = len(model.population.ties)
    ended = baseline_ties + int(pt.joined.sum()) - int(s.active.sum())
    assert (~pt.alive).any(), "expected deaths at raised death rates"
    assert pt.admissions.sum() > 0, "expected admissions at a raised admission rate"
    assert ended > 0, "expected ties to lapse or end"
    assert (~pt.persisting).any() and (
        pt.medicines > model.dynamics.patients.medicines_base
    ).any(), "expected patients to stop medicines and reviews to add medicines"
    assert (pt.stage != model.population.patients.stage).any(), "expected measured stages to change"
    if switched_off != "navigation":
        assert pt.joined.sum() > 0, "expected patients to join groups"
    if switched_off != "negotiation":
        assert pt.negotiations.sum() > 0, "expected negotiations"


def test_reference_agrees_over_seeds() -> None:
    for seed in (1, 2, 3):
        run_both(BUSY, seed=seed, weeks=6)


def test_reference_agrees_on_a_survey_population() -> None:
    scenario = load_scenario(SCENARIOS / "survey_example.toml")
    run_both(BUSY, seed=4, weeks=20, scenario=scenario)


def test_reference_agrees_with_one_spare_slot_per_patient() -> None:
    run_both({**BUSY, "mechanisms.navigation.max_new_ties": 1}, seed=3)


def test_reference_agrees_through_the_default_warm_up() -> None:
    scenario = default_scenario().with_overrides(SMALL)
    run_both({"run.warmup_weeks": scenario["run.warmup_weeks"]}, seed=8, weeks=4)


def test_reference_agrees_with_bright_delivered_to_half_the_patients() -> None:
    bright = load_scenario(SCENARIOS / "bright.toml").with_overrides(SMALL)
    arm = np.arange(bright["population.n_practices"] * 20) % 2 == 0
    model = run_both(BUSY, seed=6, scenario=bright, arm=arm)
    received = model.interventions.received
    assert all(received[name].sum() > 0 for name in received), (
        "expected every BRIGHT component taken up by someone"
    )
    assert model.interventions.cost()[~arm].sum() == 0, "expected no cost outside the arm"


def test_run_reference_counts_agent_steps_and_leaves_model_unchanged() -> None:
    model = CommunityModel(default_scenario().with_overrides(SMALL), seed=3)
    before = model.dynamics.copy()
    seconds, agent_steps = run_reference(model, 2)
    assert seconds > 0, "expected a positive run time"
    assert agent_steps == 2 * model.population.n_nodes, "expected weeks x every node's agent"
    assert model.week == 0, "expected the source model not to be stepped"
    assert np.array_equal(model.dynamics.patients.sbp, before.patients.sbp)
    assert np.array_equal(model.dynamics.slots.active, before.slots.active)
