"""A usual-care run reproduces the clinical targets T10, T11 and T12 (dossier sections 6b and 7).

* T10: the share with any problem on each EQ-5D dimension at recruitment lies within the ranges
  of dossier section 7.
* T11: of the patients taking antihypertensives at recruitment, 40-60% still take them after 52
  weeks with no review (Vrijens et al. 2008).
* T12: admissions per 100 patient-years by band of true eGFR at recruitment, and rate ratios from
  a Poisson regression adjusted for age, diabetes and BP control, within Go et al.'s hazard ratios
  widened by 0.15 (45-59: 0.95-1.25; 30-44: 1.35-1.65), and rising as eGFR falls.

Values are means over seeds of a half-size trial population (12 practices); the measurements are
those of :mod:`sim.calibration.clinical`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibration.clinical import (
    admission_data,
    admission_rate_ratios,
    at_recruitment,
    persistence_without_reviews,
)
from sim.calibration.targets import CLINICAL_TARGETS
from sim.config.scenario import load_scenario
from sim.dynamics.eq5d import DIMENSIONS

USUAL_CARE = Path(__file__).resolve().parents[1] / "scenarios" / "usual_care.toml"
SMALL = {"population.n_practices": 12}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(USUAL_CARE).with_overrides(SMALL)


@pytest.fixture(scope="module")
def recruitment(scenario):
    return at_recruitment(scenario, seeds=(1, 2, 3), weeks=1)


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_eq5d_dimension_profile_at_recruitment_is_within_t10(recruitment, dimension):
    target = CLINICAL_TARGETS[dimension]
    value = recruitment[f"eq5d_{dimension}"]
    assert target.holds(value), (
        f"{target.code}: expected {target.label} at recruitment within "
        f"{target.low:.0%}-{target.high:.0%}, got {value:.1%}"
    )


def test_persistence_after_52_weeks_without_reviews_is_within_t11(scenario):
    target = CLINICAL_TARGETS["persistence_52"]
    value = persistence_without_reviews(scenario, seeds=(1, 2))
    assert target.holds(value), (
        f"T11: expected {target.low:.0%}-{target.high:.0%} {target.label} (Vrijens et al. "
        f"2008), got {value:.1%}"
    )


def test_admission_rate_ratios_by_egfr_band_are_within_t12():
    scenario = load_scenario(USUAL_CARE)  # 2,400 patients: enough admissions per band
    result = admission_rate_ratios(admission_data(scenario, seeds=(1, 2, 3), weeks=104))
    rates = [result["rate_60_plus"], result["rate_45_59"], result["rate_30_44"]]
    assert rates == sorted(rates), (
        f"expected admissions per 100 patient-years to rise as eGFR falls, got {rates}"
    )
    for band in ("45_59", "30_44"):
        target = CLINICAL_TARGETS[f"admission_rr_{band}"]
        value = result[f"rr_{band}"]
        assert target.holds(value), (
            f"{target.code}: expected the adjusted {target.label} within "
            f"{target.low}-{target.high} (Go et al. 2004, widened by 0.15), got {value:.3f}"
        )
