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
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics import draws, kidney, medicines
from sim.dynamics.records import parameters

WEEKS_PER_YEAR = 52.0


class HealthParams(NamedTuple):
    """The parameters of blood pressure, reviews and death (``mechanisms.health.*``).

    The death hazard's are ``history.*``, ``death_hr`` by band of true eGFR.
    """

    sbp_age_slope: float
    sbp_egfr_slope: float
    medicine_effect: float
    self_care_effect: float
    sbp_min: float
    rate_sbp: float
    measurement_sd: float
    review_interval: int
    reviews_after_recruitment: bool
    death_rate_72: float
    death_age_gradient: float
    death_hr: np.ndarray

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> HealthParams:
        """The record from the mechanism parameters."""
        return parameters(
            cls,
            p,
            "health",
            death_rate_72=p["history.death_rate_72"],
            death_age_gradient=p["history.death_age_gradient"],
            death_hr=kidney.band_ratios(p, "history.death_hr"),
        )


@njit(cache=True, inline="always")
def untreated_sbp(
    q: HealthParams,
    base: float | np.ndarray,
    age: float | np.ndarray,
    hypertension: bool | np.ndarray,
    egfr: float | np.ndarray,
) -> float | np.ndarray:
    """Untreated systolic BP (mmHg) at the patient's current age and kidney function."""
    return (
        base
        + q.sbp_age_slope * np.maximum(age - 70.0, 0.0) * hypertension
        + q.sbp_egfr_slope * np.maximum(60.0 - egfr, 0.0)
    )


@njit(cache=True, inline="always")
def sbp_level(
    q: HealthParams,
    untreated: float | np.ndarray,
    taken: float | np.ndarray,
    self_management: float | np.ndarray,
) -> float | np.ndarray:
    """The systolic BP (mmHg) that treatment and self-care lead to (at least sbp_min).

    Args:
        q: The parameters.
        untreated: Untreated SBP.
        taken: Medicines taken: prescribed x [persisting] x adherence.
        self_management: Self-management S (0-1).
    """
    level = untreated - q.medicine_effect * taken - q.self_care_effect * self_management
    return np.maximum(level, q.sbp_min)


def target_sbp(p: Mapping[str, Any], proteinuria: np.ndarray) -> np.ndarray:
    """NICE 2008 systolic target per patient (mmHg)."""
    return np.where(proteinuria, p["health.target_sbp_proteinuria"], p["health.target_sbp"])


@njit(cache=True)
def reading(
    sbp: float | np.ndarray, noise: float | np.ndarray, measurement_sd: float
) -> float | np.ndarray:
    """A clinic reading: true SBP plus measurement noise (``noise`` is standard normal)."""
    return sbp + measurement_sd * noise


@njit(cache=True, inline="always")
def death_probability(q: HealthParams, age: float, band: int) -> float:
    """Weekly probability of death at this age and band of true eGFR (:func:`kidney.band_of`)."""
    hazard = q.death_rate_72 * np.exp(q.death_age_gradient * (age - 72.9))
    return 1.0 - np.exp(-(hazard * q.death_hr[band]) / WEEKS_PER_YEAR)


@njit(cache=True, inline="always")
def review_due(q: HealthParams, i: int, week: Any) -> bool:
    """Whether patient ``i``'s usual-care review falls this week.

    ``(i + t) mod interval = 0``, with no reviews after recruitment when they are switched off.
    """
    if week.recruited and not q.reviews_after_recruitment:
        return False
    return (i + week.clock) % q.review_interval == 0


@njit(cache=True, inline="always")
def _review(
    q: HealthParams, cv: float, taking: Any, i: int, pt: Any, world: Any, week: Any
) -> None:
    """A review of patient ``i``: readings, restarts and intensification.

    eGFR is read too once recruited, with visit-to-visit variation ``cv``; ``taking`` holds the
    medicine parameters.
    """
    keys = week.keys
    reading_ = reading(pt.sbp[i], draws.normal(keys[draws.READING], i), q.measurement_sd)
    pt.sbp_reading[i] = reading_
    target = world.target[i]
    pt.controlled[i] = reading_ < target
    if week.recruited:
        z = draws.normal(keys[draws.EGFR_READING], i)
        egfr_reading = kidney.reading(pt.egfr[i], cv, z)
        pt.egfr_reading[i] = egfr_reading
        pt.stage[i] = kidney.STAGE_OF_BAND[kidney.band_of(egfr_reading)]
    restart = draws.uniform(keys[draws.RESTART], i)
    intensify = draws.uniform(keys[draws.INTENSIFY], i)
    pt.medicines[i], pt.persisting[i] = medicines.review(
        taking,
        pt.medicines[i],
        pt.persisting[i],
        world.hypertension[i],
        reading_ >= target,
        restart,
        intensify,
    )


@njit(cache=True, inline="always")
def health(
    q: HealthParams,
    kidney_: kidney.KidneyParams,
    taking: medicines.MedicineParams,
    i: int,
    pt: Any,
    world: Any,
    week: Any,
) -> None:
    """One week of patient ``i``'s health, in place.

    eGFR decline, medicine-taking, BP, a review when due, death and ageing (the clinical clock
    only once recruited). Takes the parameters of health, kidney function and medicine-taking,
    the patient record, the world (:class:`sim.dynamics.passes.World`) and the week
    (:class:`sim.dynamics.passes.Week`: its clock, whether recruited, the random keys).
    """
    keys, alive = week.keys, pt.alive[i]
    if week.recruited and alive:
        uncontrolled = pt.sbp[i] >= world.target[i]
        slopes = world.slope_controlled[i], world.slope_uncontrolled[i]
        annual = kidney.annual_decline(pt.egfr_slope[i], slopes[0], slopes[1], uncontrolled)
        pt.egfr[i] = kidney.decline(pt.egfr[i], annual)
    stop = medicines.stopping_probability(taking, pt.self_management[i], pt.imbalance[i])
    u_stop = 1.0
    if pt.persisting[i] and pt.medicines[i] > 0:
        u_stop = draws.uniform(keys[draws.STOP], i)
    persisting = medicines.keep_taking(pt.persisting[i], pt.medicines[i], u_stop, stop)
    pt.persisting[i] = persisting
    adherence = medicines.adherence(taking, pt.self_management[i])
    pt.adherence[i] = adherence
    untreated = untreated_sbp(q, pt.sbp_base[i], pt.age[i], world.hypertension[i], pt.egfr[i])
    pt.sbp_untreated[i] = untreated
    taken = pt.medicines[i] * persisting * adherence
    level = sbp_level(q, untreated, taken, pt.self_management[i])
    pt.sbp[i] = pt.sbp[i] + q.rate_sbp * (level - pt.sbp[i])
    due = alive and review_due(q, i, week)
    pt.reviewed[i] = due
    if due:
        _review(q, kidney_.egfr_cv, taking, i, pt, world, week)
    if week.recruited:
        band = kidney.band_of(pt.egfr[i])
        dies = alive and draws.uniform(keys[draws.DEATH], i) < death_probability(q, pt.age[i], band)
        alive = alive and not dies
        pt.alive[i] = alive
        pt.age[i] = pt.age[i] + alive / WEEKS_PER_YEAR
