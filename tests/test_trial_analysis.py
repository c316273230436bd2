"""The trial analysis on hand-made data with known answers, and on synthetic data with an injected
effect; follow-up, randomisation and the checks of the [trial] keys.

These tests need no simulation: they feed :mod:`sim.trial.analysis` data whose answer is known.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim.config.scenario import ScenarioError, load_scenario
from sim.trial.analysis import adjusted_effect, analyse, subgroup_effects
from sim.trial.design import TrialDesign, allocate, followed_up
from sim.trial.trial_outcomes import OUTCOMES, SUBGROUPS

USUAL_CARE = Path(__file__).resolve().parents[1] / "scenarios" / "usual_care.toml"

# Six patients, balanced baselines: the arm effect is the difference in means, 0.32 / 3.
Y = np.array([0.70, 0.75, 0.80, 0.82, 0.90, 0.85])
ARM = np.array([0, 0, 0, 1, 1, 1])
BASE = np.array([0.6, 0.7, 0.8, 0.6, 0.7, 0.8])


def test_ancova_on_six_patients_matches_the_hand_computed_answer() -> None:
    # By hand: pooled baseline slope 0.013 / 0.04 = 0.325; residual sum of squares 0.0040417 on
    # 3 degrees of freedom; Var(arm) = s^2 / sum((arm - 1/2)^2) = s^2 / 1.5.
    se = math.sqrt(0.0040417 / 3 / 1.5)
    t = (0.32 / 3) / se
    got = adjusted_effect("ancova", Y, ARM, BASE)
    assert got.estimate == pytest.approx(0.32 / 3, abs=1e-12), "expected the difference in means"
    assert got.p_value == pytest.approx(2 * stats.t.sf(t, 3), rel=1e-3), "expected the t-test p"
    half = stats.t.ppf(0.975, 3) * se
    assert (got.ci_low, got.ci_high) == pytest.approx((0.32 / 3 - half, 0.32 / 3 + half), rel=1e-3)


def test_ancova_agrees_with_numpy_least_squares_on_unbalanced_data() -> None:
    y, arm, base = Y.copy(), ARM.copy(), np.array([0.5, 0.7, 0.9, 0.6, 0.65, 0.8])
    x = np.column_stack([np.ones(6), arm, base])
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    got = adjusted_effect("ancova", y, arm, base)
    assert got.estimate == pytest.approx(beta[1], abs=1e-12), "expected the OLS arm coefficient"


def test_logistic_reproduces_a_common_odds_ratio_of_four() -> None:
    # Baseline uncontrolled: usual care 1 of 3 controlled (odds 1/2), intervention 2 of 3 (odds 2).
    # Baseline controlled: usual care 2 of 3 (odds 2), intervention 8 of 9 (odds 8). OR 4 in both
    # strata, so the no-interaction model fits exactly and its odds ratio is 4.
    y = np.array([1, 0, 0, 1, 1, 0, 1, 1, 0, *[1] * 8, 0])
    arm = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, *[1] * 9])
    base = np.array([0] * 6 + [1] * 12)
    got = adjusted_effect("logistic", y, arm, base)
    assert got.estimate == pytest.approx(4.0, rel=1e-8), f"expected OR 4, got {got.estimate}"
    assert math.log(got.ci_high) - math.log(4) == pytest.approx(math.log(4) - math.log(got.ci_low))


def synthetic_trial(n: int, seed: int, eq5d_effect: float, log_or: float) -> dict[str, np.ndarray]:
    """Trial data generated from the analysis models with known effects."""
    rng = np.random.default_rng(seed)
    arm = (rng.random(n) < 0.5).astype(np.int8)
    eq5d_0 = rng.normal(0.8, 0.2, n)
    controlled_0 = rng.random(n) < 0.6
    logit = -0.4 + 1.2 * controlled_0 + log_or * arm
    data = {
        "arm": arm,
        "eq5d_0": eq5d_0,
        "eq5d": 0.3 + 0.6 * eq5d_0 + eq5d_effect * arm + rng.normal(0, 0.1, n),
        "controlled_0": controlled_0,
        "controlled": rng.random(n) < 1 / (1 + np.exp(-logit)),
        "heiq_0": rng.normal(3, 0.5, n),
        "cost_0": rng.gamma(2.0, 100.0, n),
        "self_report": rng.random(n) < 0.85,
        "bp_data": rng.random(n) < 0.9,
        "network_type": rng.integers(0, 5, n),
        "lives_alone": rng.random(n) < 0.4,
        "age_75_plus": rng.random(n) < 0.43,
        "no_qualifications": rng.random(n) < 0.44,
    }
    data["heiq"] = data["heiq_0"] + 0.1 * arm + rng.normal(0, 0.3, n)
    data["cost"] = data["cost_0"] + 40.0 * arm + rng.normal(0, 50, n)
    data["qaly"] = 0.25 * (data["eq5d_0"] + data["eq5d"])
    return data


def test_analysis_recovers_effects_injected_into_synthetic_data() -> None:
    data = synthetic_trial(40_000, 1, eq5d_effect=0.05, log_or=math.log(1.85))
    rows = {(r["outcome"], r["subgroup"]): r for r in analyse(data)}
    eq5d, bp = rows["eq5d", "all"], rows["bp_controlled", "all"]
    assert eq5d["estimate"] == pytest.approx(0.05, abs=0.004), "expected the injected +0.05"
    assert eq5d["ci_low"] < 0.05 < eq5d["ci_high"], "expected the CI to cover +0.05"
    assert bp["estimate"] == pytest.approx(1.85, rel=0.06), "expected the injected OR 1.85"
    assert rows["heiq", "all"]["estimate"] == pytest.approx(0.1, abs=0.01)
    assert rows["cost", "all"]["estimate"] == pytest.approx(40.0, abs=3.0)
    assert rows["qaly", "all"]["estimate"] == pytest.approx(0.25 * 0.05, abs=0.002)
    used = data["self_report"]
    assert eq5d["n_intervention"] == int((used & (data["arm"] == 1)).sum()), (
        "expected only patients with self-report data at follow-up to be analysed"
    )
    assert bp["n_control"] == int((data["bp_data"] & (data["arm"] == 0)).sum())


def test_a_null_effect_is_significant_in_about_alpha_of_trials() -> None:
    p = [
        analyse(synthetic_trial(400, s, 0.0, 0.0), subgroups=False)[0]["p_value"]
        for s in range(200)
    ]
    share = float(np.mean(np.array(p) < 0.05))
    assert 0.015 <= share <= 0.095, f"expected about 5% of null trials significant, got {share}"


def test_subgroup_model_recovers_different_effects_in_each_level() -> None:
    rng = np.random.default_rng(2)
    n = 20_000
    arm, level = rng.integers(0, 2, n), rng.random(n) < 0.5
    base = rng.normal(0.8, 0.2, n)
    y = 0.2 + 0.7 * base + np.where(level, 0.10, 0.0) * arm + rng.normal(0, 0.05, n)
    no, yes = subgroup_effects("ancova", y, arm, base, level, (False, True))
    assert no.estimate == pytest.approx(0.0, abs=0.003), "expected no effect where none was put"
    assert yes.estimate == pytest.approx(0.10, abs=0.003), "expected +0.10 where it was put"
    empty = subgroup_effects("ancova", y, arm, base, np.zeros(n, int), (0, 1))
    assert math.isnan(empty[1].estimate), "expected a level without patients to be missing"


def test_every_primary_outcome_is_analysed_by_every_subgroup_level() -> None:
    rows = analyse(synthetic_trial(3000, 3, 0.05, 0.6))
    n_levels = sum(len(levels) for _, levels in SUBGROUPS.values())
    assert len(rows) == len(OUTCOMES) + 2 * n_levels, "expected overall rows plus 2 x levels"


def test_follow_up_loses_the_dead_first_then_keeps_the_reported_numbers() -> None:
    arm = np.array([1, 1, 1, 1, 0, 0, 0])
    alive = np.array([True, False, True, True, True, True, True])
    u = np.array([0.9, 0.1, 0.2, 0.5, 0.3, 0.8, 0.1])
    kept = followed_up(arm, alive, u, (2, 2))
    assert kept.tolist() == [False, False, True, True, True, False, True], (
        "expected the dead lost, then the living with the largest draws lost"
    )
    assert followed_up(arm, alive, u, (5, 5)).sum() == 6, "expected everyone alive kept"


def test_allocation_recruits_and_randomises_the_trial_numbers() -> None:
    design = TrialDesign.of(load_scenario(USUAL_CARE))
    a = allocate(design, 456, np.random.default_rng(0))
    assert len(np.unique(a.recruited)) == 436 and a.recruited.max() < 456
    assert (a.arm == 1).sum() == 215 and (a.arm == 0).sum() == 221, "expected 215 and 221"
    assert a.intervention_mask(456).sum() == 215
    b = allocate(design, 456, np.random.default_rng(0))
    assert np.array_equal(a.arm, b.arm), "expected the same allocation from the same stream"


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("[trial]\nn_intervention = 400\n", "trial.n_intervention", "practices hold only 456"),
        ("[trial]\npatients_per_practice = 10\n", "trial.patients_per_practice", "hold only 240"),
        ("[trial]\nn_followup_bp_control = 222\n", "trial.n_followup_bp_control", "at most"),
        ("[population]\nsource = 'survey'\nsurvey_dir = 'x'\n", "population.source", "synthetic"),
    ],
)
def test_contradictory_trial_keys_name_the_key(tmp_path, text: str, key: str, fragment: str):
    path = tmp_path / "bad.toml"
    path.write_text(f'base = "{USUAL_CARE.as_posix()}"\n{text}', encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        TrialDesign.of(load_scenario(path))
    assert error.value.key == key, f"expected the error to name {key}, got {error.value.key}"
    assert fragment in error.value.message, f"expected {fragment!r} in {error.value.message!r}"
    assert error.value.file == str(path), "expected the error to name the file that set the key"
