"""Blood pressure, usual care and natural history.

Systolic BP approaches a level set by untreated BP, medicines taken and self-care, where ``S``
is self-management (which also stands for adherence); untreated BP of patients with
hypertension rises with age above 70. A clinic reading adds measurement noise; BP is controlled
when the reading is below the NICE 2008 target (140 mmHg, or 130 with proteinuria; Blakeman et
al. 2014). Usual care: a practice review every ``review_interval`` weeks (staggered by patient)
takes a reading and, if it is uncontrolled in a patient with hypertension (antihypertensives are
added only for hypertension), adds a medicine with probability ``p_intensify`` (clinical
inertia), up to ``max_medicines``.

Natural history (Shardlow et al. 2016): weekly death, progression (3a -> 3b -> 4 -> 5) and
remission (3a -> "2") from annual hazards, each converted to a weekly probability. One uniform
draw per patient decides progression, remission or neither.

Equations:
    SBP* = max(SBP_untreated - e_med medicines S - e_self S, SBP_min)
    SBP' = SBP + r_sbp (SBP* - SBP)
    SBP_untreated' = SBP_untreated + (a / 52) [hypertension] [age > 70]
    reading = SBP + sd_m N(0, 1);   controlled = [reading < target_i]
    review of patient i in week t when (i + t) mod review_interval = 0
    medicines' = medicines + [review] [hypertension] [reading >= target_i] [u < p_intensify]
                 [medicines < max_medicines]
    h_death = d72 exp(b (age - 72.9)) x rel_3b^[stage >= 3b]
    h_prog = p0 x rel_unc^[SBP >= target_i] x rel_prot^[proteinuria]      (stages 3a, 3b, 4)
    h_rem = r0                                                            (stage 3a only)
    weekly probability = 1 - exp(-h / 52)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.codes import REMITTED, STAGE_3A, STAGE_4, is_advanced

WEEKS_PER_YEAR = 52.0


def sbp_level(
    p: Mapping[str, Any], untreated: np.ndarray, medicines: np.ndarray, self_management: np.ndarray
) -> np.ndarray:
    """The systolic BP (mmHg) that current treatment and self-care lead to (at least sbp_min)."""
    level = (
        untreated
        - p["health.medicine_effect"] * medicines * self_management
        - p["health.self_care_effect"] * self_management
    )
    return np.maximum(level, p["health.sbp_min"])


def target_sbp(p: Mapping[str, Any], proteinuria: np.ndarray) -> np.ndarray:
    """NICE 2008 systolic target per patient (mmHg)."""
    return np.where(proteinuria, p["health.target_sbp_proteinuria"], p["health.target_sbp"])


def reading(sbp: np.ndarray, noise: np.ndarray, measurement_sd: float) -> np.ndarray:
    """A clinic reading: true SBP plus measurement noise (``noise`` is standard normal)."""
    return sbp + measurement_sd * noise


def reviews_due(week: int, interval: int, n: int) -> np.ndarray:
    """Patients whose periodic review falls this week (staggered by patient id)."""
    return (np.arange(n) + week) % interval == 0


def intensify(
    medicines: np.ndarray,
    due: np.ndarray,
    uncontrolled: np.ndarray,
    u: np.ndarray,
    p_intensify: float,
    max_medicines: int,
) -> np.ndarray:
    """Add a medicine at a review with an uncontrolled reading, with probability ``p_intensify``."""
    add = due & uncontrolled & (u < p_intensify) & (medicines < max_medicines)
    return medicines + add


def weekly_probability(rate_per_year: np.ndarray) -> np.ndarray:
    """Convert an annual hazard to a weekly probability."""
    return 1.0 - np.exp(-np.asarray(rate_per_year) / WEEKS_PER_YEAR)


def death_probability(p: Mapping[str, Any], age: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """Weekly probability of death."""
    hazard = (
        p["history.death_rate_72"]
        * np.exp(p["history.death_age_gradient"] * (age - 72.9))
        * np.where(is_advanced(stage), p["history.rel_death_3b"], 1.0)
    )
    return weekly_probability(hazard)


def next_stage(
    p: Mapping[str, Any],
    stage: np.ndarray,
    uncontrolled: np.ndarray,
    proteinuria: np.ndarray,
    u: np.ndarray,
) -> np.ndarray:
    """Progress, remit or stay, from one uniform draw per patient."""
    progress = weekly_probability(
        p["history.progression_rate"]
        * np.where(uncontrolled, p["history.rel_progression_uncontrolled"], 1.0)
        * np.where(proteinuria, p["history.rel_progression_proteinuria"], 1.0)
    )
    remit = np.where(stage == STAGE_3A, weekly_probability(p["history.remission_rate"]), 0.0)
    can_progress = stage <= STAGE_4
    new = np.where(can_progress & (u < progress), stage + 1, stage)
    new = np.where((u >= progress) & (u < progress + remit), REMITTED, new)
    return new.astype(stage.dtype)
