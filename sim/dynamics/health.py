"""Blood pressure, usual-care reviews, death and ageing.

NICE 2008 targets (Blakeman et al. 2014); RRID cohort 2013 (hypertension and its control);
Shardlow et al. 2016 and Go et al. 2004 (death). Systolic BP approaches a level set by untreated
BP, the medicines taken (those prescribed, while persisting, times adherence; :mod:`medicines`)
and self-care, where ``S`` is self-management; no treatment brings it below ``SBP_min``.
Untreated BP is each patient's own level ``B_i`` (drawn once), rising with age above 70 in
patients with hypertension and as kidney function falls. A clinic reading adds measurement noise;
BP is controlled when the reading is below the NICE 2008 target (140 mmHg, or 130 with
proteinuria).

Usual care: a practice review every ``review_interval`` weeks, staggered by patient, on a clock
``t`` counted from the start of the warm-up (:mod:`warmup`), so the schedule runs on through
recruitment. A review takes a BP reading (and, once the trial clock runs, an eGFR reading that
sets the measured stage; :mod:`kidney`) and restarts or intensifies medicines (:mod:`medicines`).
With ``health.reviews_after_recruitment`` off there are no reviews after recruitment.

Death: a Gompertz hazard in age times a hazard ratio by the band of true eGFR. During the warm-up
the clinical clock is held (no ageing, no eGFR decline or readings, no death), so the cohort
recruited is the one drawn; living patients age by a week each week once the trial clock runs.

Equations:
    B_i = N(mu_h, sd_h) + b_d [diabetes] (hypertension);  N(mu_n, sd_n) otherwise;  B_i >= SBP_min
    SBP_untreated = B_i + a (age - 70)^+ [hypertension] + g (60 - G)^+
    SBP* = max(SBP_untreated - e_med m [persisting] adh - e_self S, SBP_min)
    SBP' = SBP + r_sbp (SBP* - SBP)
    review of patient i at week t when (i + t) mod review_interval = 0
    BP reading = SBP + sd_m N(0, 1);   controlled = [reading < target_i]
    h_death = d72 exp(b (age - 72.9)) HR_death[band(G)],   P(death) = 1 - exp(-h_death / 52)
    age' = age + 1/52 (living patients, trial clock running)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.dynamics import kidney

WEEKS_PER_YEAR = 52.0


def untreated_sbp(
    p: Mapping[str, Any],
    base: np.ndarray,
    age: np.ndarray,
    hypertension: np.ndarray,
    egfr: np.ndarray,
) -> np.ndarray:
    """Untreated systolic BP (mmHg) at the patient's current age and kidney function."""
    return (
        base
        + p["health.sbp_age_slope"] * np.maximum(age - 70.0, 0.0) * hypertension
        + p["health.sbp_egfr_slope"] * np.maximum(60.0 - egfr, 0.0)
    )


def sbp_level(
    p: Mapping[str, Any],
    untreated: np.ndarray,
    taken: np.ndarray,
    self_management: np.ndarray,
) -> np.ndarray:
    """The systolic BP (mmHg) that treatment and self-care lead to (at least sbp_min).

    Args:
        p: Mechanism parameters.
        untreated: Untreated SBP.
        taken: Medicines taken: prescribed x [persisting] x adherence.
        self_management: Self-management S (0-1).
    """
    level = (
        untreated
        - p["health.medicine_effect"] * taken
        - p["health.self_care_effect"] * self_management
    )
    return np.maximum(level, p["health.sbp_min"])


def target_sbp(p: Mapping[str, Any], proteinuria: np.ndarray) -> np.ndarray:
    """NICE 2008 systolic target per patient (mmHg)."""
    return np.where(proteinuria, p["health.target_sbp_proteinuria"], p["health.target_sbp"])


def reading(sbp: np.ndarray, noise: np.ndarray, measurement_sd: float) -> np.ndarray:
    """A clinic reading: true SBP plus measurement noise (``noise`` is standard normal)."""
    return sbp + measurement_sd * noise


def weekly_probability(rate_per_year: np.ndarray) -> np.ndarray:
    """Convert an annual hazard to a weekly probability."""
    return 1.0 - np.exp(-np.asarray(rate_per_year) / WEEKS_PER_YEAR)


def death_probability(p: Mapping[str, Any], age: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Weekly probability of death at this age and band of true eGFR (:func:`kidney.band`)."""
    ratio = kidney.band_ratios(p, "history.death_hr")[band]
    hazard = p["history.death_rate_72"] * np.exp(p["history.death_age_gradient"] * (age - 72.9))
    return weekly_probability(hazard * ratio)
