"""The clinical core's pure functions on hand-computed examples.

Kidney function (bands, readings, stage, decline, the baseline draw given a reading band),
medicines (stopping, adherence, reviews), blood pressure, EQ-5D by dimension and the UK value set,
admissions and contacts, and support that follows need. Each expected value is worked out by
hand in the comment beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config.scenario import default_scenario
from sim.dynamics import eq5d, health, kidney, medicines, services, support
from sim.dynamics.step import mechanism_parameters
from sim.population import codes


@pytest.fixture(scope="module")
def p() -> dict:
    return mechanism_parameters(default_scenario().values)


# --- kidney function ---------------------------------------------------------------------------


def test_egfr_bands_and_measured_stages():
    # Bands: 60 or more -> 0 (remitted), [45, 60) -> 1 (3a), [30, 45) -> 2 (3b),
    # [15, 30) -> 3 (4), below 15 -> 4 (5); edges belong to the band above them.
    egfr = np.array([75.0, 60.0, 59.9, 45.0, 44.9, 30.0, 29.9, 15.0, 14.9, 0.0])
    np.testing.assert_array_equal(kidney.band(egfr), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    expected = ["2", "2", "3a", "3a", "3b", "3b", "4", "4", "5", "5"]
    assert [codes.CKD_STAGES[s] for s in kidney.stage_of(egfr)] == expected


def test_a_reading_is_true_egfr_times_lognormal_noise():
    # 50 exp(0.1 x 1) = 55.2585; 50 exp(0.1 x -2) = 40.9365
    read = kidney.reading(np.array([50.0, 50.0]), 0.1, np.array([1.0, -2.0]))
    np.testing.assert_allclose(read, [50 * math.exp(0.1), 50 * math.exp(-0.2)])


def test_decline_multipliers_apply_to_positive_slopes_only(p):
    # slope 2 with proteinuria (1.5), diabetes (1.2) and uncontrolled BP (1.2): 2 x 2.16 = 4.32;
    # a negative slope (-1) is not multiplied; a week of 4.32 a year is 4.32 / 52.
    q = {**p, "kidney.rel_slope_proteinuria": 1.5, "kidney.rel_slope_diabetes": 1.2}
    q["kidney.rel_slope_uncontrolled"] = 1.2
    factors = kidney.slope_factors(
        q, np.array([2.0, -1.0]), np.array([True, True]), np.array([True, True])
    )
    annual = kidney.annual_decline(np.array([2.0, -1.0]), factors, np.ones(2, bool))
    np.testing.assert_allclose(annual, [4.32, -1.0])
    # A week: 50 - 4.32 / 52; a rising eGFR (-1 a year) rises by 1 / 52; never below 0
    declined = kidney.decline(np.array([50.0, 50.0, 0.01]), np.array([4.32, -1.0, 4.32]))
    np.testing.assert_allclose(declined, [50 - 4.32 / 52, 50 + 1 / 52, 0.0])


def test_baseline_egfr_keeps_the_first_candidate_whose_reading_fits_the_stage(p):
    class Scripted:
        """A generator whose normal blocks are given (true values, then reading noise)."""

        def __init__(self, *blocks: np.ndarray) -> None:
            self.blocks = list(blocks)

        def standard_normal(self, shape: tuple[int, int]) -> np.ndarray:
            return self.blocks.pop(0).reshape(shape)

    q = {**p, "kidney.candidates": 3, "kidney.egfr_prior_mean": 50.0}
    q.update({"kidney.egfr_prior_sd": 10.0, "kidney.egfr_cv": 0.0})
    # Patient 0 (3a, band [45, 60)): candidates 50 + 10 z = 70, 55, 40 -> first fit 55.
    # Patient 1 (3b, band [30, 45)): candidates 70, 65, 60 -> none fits: the last, 60, clamped
    # to just below 45.
    z = np.array([[2.0, 0.5, -1.0], [2.0, 1.5, 1.0]])
    egfr, read = kidney.baseline_egfr(
        np.array([codes.STAGE_3A, codes.STAGE_3B]), q, Scripted(z, np.zeros((2, 3)))
    )
    assert egfr[0] == pytest.approx(55.0) and read[0] == pytest.approx(55.0)
    assert 44.99 < egfr[1] < 45.0 and 44.99 < read[1] < 45.0


def test_baseline_egfr_regresses_to_the_mean_of_the_prior(p):
    # With a prior mean above the band, true eGFR given a 3a reading lies above the reading on
    # average (the cohort's "remission" then includes regression to the mean).
    rng = np.random.default_rng(0)
    egfr, read = kidney.baseline_egfr(np.full(20_000, codes.STAGE_3A), p, rng)
    assert ((read >= 45) & (read < 60)).all(), "expected every recruitment reading in 3a"
    assert egfr.mean() > read.mean(), "expected true eGFR above the reading on average"


# --- medicines and blood pressure --------------------------------------------------------------


def test_stopping_probability_falls_with_self_management_and_rises_with_overload(p):
    # h = 0.02 exp(-1 (S - 0.5)) (1 + 0.5 min(z, 1)): S 0.5, z 0 -> 0.02; S 1, z 2 ->
    # 0.02 exp(-0.5) x 1.5 = 0.0181959; probability 1 - exp(-h)
    q = {**p, "medicines.stop_rate": 0.02, "medicines.stop_self_management": 1.0}
    q["medicines.stop_imbalance"] = 0.5
    prob = medicines.stopping_probability(q, np.array([0.5, 1.0]), np.array([0.0, 2.0]))
    np.testing.assert_allclose(prob, 1 - np.exp(-np.array([0.02, 0.02 * math.exp(-0.5) * 1.5])))


def test_only_patients_with_medicines_stop(p):
    # persisting, medicines, u_stop vs p_stop 0.1: (T, 2, 0.05) stops; (T, 0, 0.05) has nothing
    # to stop; (T, 2, 0.5) keeps on; (F, 2, 0.05) was not persisting anyway.
    kept = medicines.keep_taking(
        np.array([True, True, True, False]),
        np.array([2.0, 0.0, 2.0, 2.0]),
        np.array([0.05, 0.05, 0.5, 0.05]),
        np.full(4, 0.1),
    )
    np.testing.assert_array_equal(kept, [False, True, True, False])


def test_adherence_rises_with_self_management_within_0_and_1(p):
    q = {**p, "medicines.adherence_base": 0.7, "medicines.adherence_self_management": 0.4}
    # 0.7 + 0.4 x 0.5 = 0.9; 0.7 + 0.4 x 1 = 1.1 -> 1
    np.testing.assert_allclose(medicines.adherence(q, np.array([0.5, 1.0])), [0.9, 1.0])


def test_a_review_reads_bp_and_egfr_and_restarts_or_intensifies():
    # patients 0-4 and 6 are reviewed (in that order), patient 5 is not; true SBP 150 against a
    # target of 140 with no measurement noise (uncontrolled), except patient 6 (SBP 130):
    #  0 not persisting, u_restart 0.3 < 0.5 -> restarted, no medicine added
    #  1 not persisting, u_restart 0.7 -> still stopped
    #  2 persisting, uncontrolled, u_intensify 0.1 < 0.15 -> one more medicine
    #  3 persisting, uncontrolled, no hypertension -> nothing added
    #  4 persisting, uncontrolled, at the maximum (5) -> nothing added
    #  5 not reviewed -> nothing changes
    #  6 persisting, controlled -> nothing added
    who = np.array([0, 1, 2, 3, 4, 6], np.uint64)
    n = 7
    sbp = np.array([150.0] * 6 + [130.0])
    reviewed, controlled = np.zeros(n, bool), np.ones(n, bool)
    sbp_reading, egfr_reading, stage = np.full(n, -1.0), np.full(n, -1.0), np.full(n, -1, np.int8)
    medicines_ = np.array([1, 1, 1, 0, 5, 1, 1], np.int8)
    persisting = np.array([False, False, True, True, True, True, True])
    health.apply_reviews(
        who=who, sbp=sbp, target=np.full(n, 140.0), noise=np.zeros(len(who)), measurement_sd=8.0,
        hypertension=np.array([True, True, True, False, True, True, True]),
        u_restart=np.array([0.3, 0.7, 0.9, 0.9, 0.9, 0.9]),
        u_intensify=np.full(len(who), 0.1), review_parameters=(0.5, 0.15, 5.0),
        egfr_reading=np.array([70.0, 50.0, 40.0, 20.0, 10.0, 60.0]), reviewed=reviewed,
        sbp_reading=sbp_reading, controlled=controlled, medicines_=medicines_,
        persisting=persisting, egfr_reading_out=egfr_reading, stage=stage,
    )  # fmt: skip
    assert medicines_.tolist() == [1, 1, 2, 0, 5, 1, 1], "expected one medicine added, to 2"
    assert persisting.tolist() == [True, False, True, True, True, True, True]
    assert reviewed.tolist() == [True] * 5 + [False, True], "expected all but patient 5"
    assert sbp_reading.tolist() == [150.0] * 5 + [-1.0, 130.0], "expected noiseless readings"
    assert controlled.tolist() == [False] * 5 + [True, True], "expected only 130 below 140"
    assert egfr_reading.tolist() == [70.0, 50.0, 40.0, 20.0, 10.0, -1.0, 60.0]
    expected = [codes.REMITTED, codes.STAGE_3A, codes.STAGE_3B, codes.STAGE_4, codes.STAGE_5]
    assert stage.tolist() == [*expected, -1, codes.REMITTED], "expected the stage of each reading"


def test_a_review_with_the_clinical_clock_held_reads_no_egfr():
    egfr_reading, stage = np.full(2, -1.0), np.full(2, -1, np.int8)
    health.apply_reviews(
        who=np.array([1], np.uint64), sbp=np.full(2, 150.0), target=np.full(2, 140.0),
        noise=np.array([-2.0]), measurement_sd=8.0, hypertension=np.ones(2, bool),
        u_restart=np.ones(1), u_intensify=np.ones(1), review_parameters=(0.5, 0.15, 5.0),
        egfr_reading=np.zeros(0), reviewed=np.zeros(2, bool), sbp_reading=np.zeros(2),
        controlled=np.zeros(2, bool), medicines_=np.ones(2, np.int8),
        persisting=np.ones(2, bool), egfr_reading_out=egfr_reading, stage=stage,
    )  # fmt: skip
    assert egfr_reading.tolist() == [-1.0, -1.0] and stage.tolist() == [-1, -1]


def test_untreated_sbp_rises_with_age_for_hypertension_and_as_egfr_falls(p):
    q = {**p, "health.sbp_age_slope": 0.3, "health.sbp_egfr_slope": 0.2}
    # 150 + 0.3 x (80 - 70) + 0.2 x (60 - 40) = 150 + 3 + 4 = 157; no hypertension: 150 + 4;
    # age 65 and eGFR 70: no rise.
    untreated = health.untreated_sbp(
        q,
        np.full(3, 150.0),
        np.array([80.0, 80.0, 65.0]),
        np.array([True, False, True]),
        np.array([40.0, 40.0, 70.0]),
    )
    np.testing.assert_allclose(untreated, [157.0, 154.0, 150.0])


def test_sbp_level_counts_medicines_taken_and_has_a_floor(p):
    q = {**p, "health.medicine_effect": 8.0, "health.self_care_effect": 12.0}
    q["health.sbp_min"] = 90.0
    # 160 - 8 x (2 x 1 x 0.9) - 12 x 0.5 = 160 - 14.4 - 6 = 139.6; stopped (taken 0): 154;
    # 100 - 8 x 5 - 12 = 48 -> floor 90
    level = health.sbp_level(
        q, np.array([160.0, 160.0, 100.0]), np.array([1.8, 0.0, 5.0]), np.array([0.5, 0.5, 1.0])
    )
    np.testing.assert_allclose(level, [139.6, 154.0, 90.0])


def test_death_hazard_rises_by_the_egfr_band_ratios(p):
    # Gompertz at age 72.9: d72; ratios by band 1, 1.2, 1.8, 3.2, 5.9 (Go et al. 2004)
    egfr = np.array([70.0, 50.0, 40.0, 20.0, 10.0])
    prob = health.death_probability(p, np.full(5, 72.9), kidney.band(egfr))
    hazard = -np.log(1 - prob) * 52
    np.testing.assert_allclose(hazard / p["history.death_rate_72"], [1, 1.2, 1.8, 3.2, 5.9])


# --- EQ-5D by dimension ------------------------------------------------------------------------


def test_the_uk_value_set_by_hand():
    # 11111 -> 1; 21111 -> 1 - 0.081 - 0.069 = 0.85; 11121 -> 1 - 0.081 - 0.123 = 0.796;
    # 12131 -> 1 - 0.081 - 0.104 - 0.386 - 0.269 = 0.16; 33333 -> -0.594 (the tariff's floor)
    levels = np.array(
        [[1, 1, 1, 1, 1], [2, 1, 1, 1, 1], [1, 1, 1, 2, 1], [1, 2, 1, 3, 1], [3, 3, 3, 3, 3]]
    )
    np.testing.assert_allclose(eq5d.utility(levels), [1.0, 0.85, 0.796, 0.16, -0.594])


def test_levels_from_latent_severity():
    # 1 + [y > 0] + [y > tau], tau 1: -0.5 -> 1; 0.5 -> 2; 1.5 -> 3; exactly 0 -> 1
    latent = np.array([[-0.5, 0.5, 1.5, 0.0, 1.0]])
    np.testing.assert_array_equal(eq5d.levels(latent, np.ones(5)), [[1, 2, 3, 1, 2]])


def test_eq5d_latents_reach_their_targets_and_are_scored_by_hand(p):
    q = dict(p)
    for d in eq5d.DIMENSIONS:
        q[f"eq5d.intercept.{d}"], q[f"eq5d.sd.{d}"] = -1.0, 0.5
    weights = {
        "limitation_mobility": 2.0,
        "limitation_self_care": 1.0,
        "limitation_usual_activities": 1.0,
        "unmet_usual_activities": 1.0,
        "imbalance_usual_activities": 0.5,
        "participation_usual_activities": 0.4,
        "comorbidity_pain": 0.3,
        "limitation_pain": 1.0,
        "loneliness_anxiety": 1.0,
        "imbalance_anxiety": 1.0,
        "self_efficacy_anxiety": 2.0,
        "participation_anxiety": 0.2,
    }
    q.update({f"eq5d.{k}": v for k, v in weights.items()})
    effects = np.array([[1.0, 0.0, -1.0, 2.0, 0.0], [1.0, 0.0, -1.0, 2.0, 0.0]])
    latent = np.zeros((2, 5))
    level, value = np.zeros((2, 5), np.int8), np.zeros(2)
    two = np.ones(2)
    # L 0.5, unmet everyday share 0.2, z 3 (counts as 1), P 0.5, comorbidity 2, loneliness 0.4,
    # SE 0.6; with rate 1 a living patient's latents reach their targets in one week:
    # MO = -1 + 0.5 x 1 + 2 x 0.5 = 0.5
    # SC = -1 + 0 + 1 x 0.5 = -0.5
    # UA = -1 - 0.5 + (0.5 + 0.2 + 0.5 x 1 - 0.4 x 0.5) = -0.5
    # PD = -1 + 1 + (0.3 x 2 + 0.5) = 1.1
    # AD = -1 + 0 + (0.4 + 1 - 2 x (0.6 - 0.5) - 0.2 x 0.5) = 0.1 (self-efficacy centred at 0.5)
    # Levels with tau 1: 2, 1, 1, 3, 2 -> utility 1 - 0.081 - (0.069 + 0.386 + 0.071) - 0.269
    # = 0.124. The second patient is dead: latents stay at 0, levels 1, utility 0.
    eq5d.advance(
        latent,
        eq5d.by_dimension(q, "intercept"),
        eq5d.by_dimension(q, "sd"),
        eq5d.weights(q),
        effects,
        0.5 * two,
        0.2 * two,
        3 * two,
        0.5 * two,
        2 * two,
        0.4 * two,
        0.6 * two,
        1.0,
        np.array([True, False]),
        np.ones(5),
        level,
        value,
    )
    np.testing.assert_allclose(latent, [[0.5, -0.5, -0.5, 1.1, 0.1], [0, 0, 0, 0, 0]], atol=1e-12)
    np.testing.assert_array_equal(level, [[2, 1, 1, 3, 2], [1, 1, 1, 1, 1]])
    np.testing.assert_allclose(value, [1 - 0.081 - 0.069 - 0.386 - 0.071 - 0.269, 0.0])


def test_individual_effects_are_correlated_standard_normals():
    effects = eq5d.individual_effects(0.4, np.random.default_rng(1), 50_000)
    np.testing.assert_allclose(effects.std(axis=0), 1.0, atol=0.02)
    correlation = np.corrcoef(effects.T)[np.triu_indices(5, 1)]
    np.testing.assert_allclose(correlation, 0.4, atol=0.03)


# --- service use -------------------------------------------------------------------------------


def test_admission_hazard_by_hand(p):
    q = {**p, "services.admission_rate": 0.2, "services.admission_hr_age": 1.3}
    q.update({"services.admission_hr_diabetes": 1.4, "services.admission_hr_uncontrolled": 1.2})
    q.update({"services.admission_self_management": 0.3, "services.admission_imbalance": 0.3})
    # eGFR 40 (band 30-44: 1.5), age 82 (1.3^1), diabetes, uncontrolled, S 0.5, z 3 (counts 2):
    # h = 0.2 x 1.5 x 1.3 x 1.4 x 1.2 x (1 + 0.15) x (1 + 0.6) = 1.205568 a year
    prob = services.admission_probability(
        q,
        kidney.band(np.array([40.0])),
        np.array([82.0]),
        np.ones(1, bool),
        np.ones(1, bool),
        0.5 * np.ones(1),
        3 * np.ones(1),
    )
    assert prob[0] == pytest.approx(1 - math.exp(-0.2 * 1.5 * 1.3 * 1.4 * 1.2 * 1.15 * 1.6 / 52))


def test_contacts_count_professional_time_as_service_use_not_substitution(p):
    q = {**p, "services.contacts_base": 0.1, "services.contacts_comorbidity": 0.1}
    q.update({"services.contacts_diabetes": 0.2, "services.contacts_review": 1.0})
    q.update({"services.contacts_uncontrolled": 0.05, "services.contacts_per_unmet_hour": 0.02})
    q.update({"services.contacts_substituted_per_hour": 0.015, "services.hours_per_contact": 2.0})
    # comorbidity 2, diabetes, reviewed, last reading uncontrolled, unmet illness 1 h,
    # lay illness 2 h, professional hours 1:
    # 0.1 x 1.2 x 1.2 + 1 + 0.05 + 0.02 - 0.03 + 0.5 = 1.684
    c = services.contacts(
        q,
        2 * np.ones(1),
        np.ones(1, bool),
        np.ones(1, bool),
        np.ones(1, bool),
        np.ones(1),
        2 * np.ones(1),
        np.ones(1),
    )
    assert c[0] == pytest.approx(1.684)
    # A lot of lay help substitutes down to the floor, a tenth of the base: 0.01
    floor = services.contacts(
        q,
        np.zeros(1),
        np.zeros(1, bool),
        np.zeros(1, bool),
        np.zeros(1, bool),
        np.zeros(1),
        100 * np.ones(1),
        np.zeros(1),
    )
    assert floor[0] == pytest.approx(0.01)


# --- support that follows need -----------------------------------------------------------------


def test_need_factor_scales_offers_with_need_and_mobilisation():
    # need [2, 4, 0] against reference [2, 1, 3], eta 0.5, mu 1, M 0.5:
    # [1, 2, 0]^0.5 x 1.5 = [1.5, 3, 0]; a kind with no reference need counts as 1
    factor = support.need_factor(
        np.array([[2.0, 4.0, 0.0]]), np.array([2.0, 1.0, 3.0]), np.array([0.5]), 0.5, 1.0
    )
    np.testing.assert_allclose(factor, [[1.5, 3.0, 0.0]])
    flat = support.need_factor(
        np.array([[2.0, 4.0, 1.0]]), np.array([2.0, 0.0, 1.0]), np.zeros(1), 0.5, 1.0
    )
    np.testing.assert_allclose(flat, [[1.0, 1.0, 1.0]])


def test_need_factor_takes_the_square_root_at_the_default_elasticity_and_powers_otherwise():
    ratio = np.array([[0.37, 1.0, 2.9]])  # against a reference need of 1
    ones, none = np.ones(3), np.zeros(1)
    # 0.5 is the correctly rounded square root (a power can differ in the last bit)
    assert np.array_equal(support.need_factor(ratio, ones, none, 0.5, 1.0), np.sqrt(ratio))
    # 0.37^0.7 = 0.498587..., 2.9^0.7 = 2.107068...
    np.testing.assert_allclose(
        support.need_factor(ratio, ones, none, 0.7, 1.0), [[0.498587, 1.0, 2.107068]], rtol=1e-6
    )


def test_mobilisation_rises_with_a_relative_rise_in_need_and_decays():
    # M 0.2, decay 0.1; need 12 after 10: 0.9 x 0.2 + 2 / 10 = 0.38; need falls: 0.18;
    # first week (previous need infinite): 0.18
    m = support.mobilise(
        np.full(3, 0.2), np.array([12.0, 8.0, 5.0]), np.array([10.0, 10.0, np.inf]), 0.1
    )
    np.testing.assert_allclose(m, [0.38, 0.18, 0.18])
