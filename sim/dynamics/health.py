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

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, prange, vectorize

from sim.dynamics import draws, kidney, medicines
from sim.dynamics.balance import approach
from sim.dynamics.segments import CHUNK, TAKERS, chunk_bounds, following_chunk, take_chunks

WEEKS_PER_YEAR = 52.0


def untreated_sbp(
    p: Mapping[str, Any],
    base: np.ndarray,
    age: np.ndarray,
    hypertension: np.ndarray,
    egfr: np.ndarray,
) -> np.ndarray:
    """Untreated systolic BP (mmHg) at the patient's current age and kidney function."""
    return untreated_sbp_of(
        base, age, hypertension, egfr, p["health.sbp_age_slope"], p["health.sbp_egfr_slope"]
    )


@vectorize(cache=True)
def untreated_sbp_of(
    base: float, age: float, hypertension: bool, egfr: float, age_slope: float, egfr_slope: float
) -> float:
    """Untreated SBP of one patient (a ufunc; see :func:`untreated_sbp`)."""
    return (
        base + age_slope * max(age - 70.0, 0.0) * hypertension + egfr_slope * max(60.0 - egfr, 0.0)
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
    return sbp_level_of(
        untreated,
        taken,
        self_management,
        p["health.medicine_effect"],
        p["health.self_care_effect"],
        p["health.sbp_min"],
    )


@vectorize(cache=True)
def sbp_level_of(
    untreated: float,
    taken: float,
    self_management: float,
    medicine_effect: float,
    self_care_effect: float,
    sbp_min: float,
) -> float:
    """The SBP level of one patient (a ufunc; see :func:`sbp_level`)."""
    return max(untreated - medicine_effect * taken - self_care_effect * self_management, sbp_min)


def target_sbp(p: Mapping[str, Any], proteinuria: np.ndarray) -> np.ndarray:
    """NICE 2008 systolic target per patient (mmHg)."""
    return np.where(proteinuria, p["health.target_sbp_proteinuria"], p["health.target_sbp"])


@vectorize(cache=True)
def reading(sbp: float, noise: float, measurement_sd: float) -> float:
    """A clinic reading: true SBP plus measurement noise (``noise`` is standard normal; a ufunc)."""
    return sbp + measurement_sd * noise


@njit(cache=True, parallel=True)
def apply_reviews(
    who: np.ndarray,
    sbp: np.ndarray,
    target: np.ndarray,
    noise: np.ndarray,
    measurement_sd: float,
    hypertension: np.ndarray,
    u_restart: np.ndarray,
    u_intensify: np.ndarray,
    review_parameters: tuple[float, float, float],
    egfr_reading: np.ndarray,
    reviewed: np.ndarray,
    sbp_reading: np.ndarray,
    controlled: np.ndarray,
    medicines_: np.ndarray,
    persisting: np.ndarray,
    egfr_reading_out: np.ndarray,
    stage: np.ndarray,
) -> None:
    """This week's usual-care reviews of the patients ``who`` (distinct), in place.

    For the ``k``-th patient ``i`` reviewed: ``reviewed[i]`` is set; a BP reading
    (:func:`reading`, ``noise[k]`` standard normal) is written to ``sbp_reading[i]`` and
    ``controlled[i]`` (below ``target[i]``); medicines are restarted or intensified
    (:func:`sim.dynamics.medicines.review_of` with ``u_restart[k]``, ``u_intensify[k]`` and
    ``review_parameters`` ``(p_restart, p_intensify, max_medicines)``); and, where
    ``egfr_reading`` is given (one reading per patient reviewed; empty while the clinical clock is
    held), it is written to ``egfr_reading_out[i]`` with its measured stage
    (:func:`sim.dynamics.kidney.stage_of`). Patients run in parallel (numba ``prange``); each
    writes only its own row, so the numbers do not depend on the threads.
    """
    p_restart, p_intensify, max_medicines = review_parameters
    with_egfr = len(egfr_reading) == len(who)
    for k in prange(len(who)):
        i = who[k]
        value = reading(sbp[i], noise[k], measurement_sd)
        below = value < target[i]
        reviewed[i] = True
        sbp_reading[i], controlled[i] = value, below
        medicines_[i], persisting[i] = medicines.review_of(
            medicines=medicines_[i],
            persisting=persisting[i],
            hypertension=hypertension[i],
            uncontrolled=not below,
            u_restart=u_restart[k],
            u_intensify=u_intensify[k],
            p_restart=p_restart,
            p_intensify=p_intensify,
            max_medicines=max_medicines,
        )
        if with_egfr:
            egfr_reading_out[i] = egfr_reading[k]
            stage[i] = kidney.stage_of(egfr_reading[k])


@vectorize(cache=True)
def weekly_probability(rate_per_year: float) -> float:
    """Convert an annual hazard to a weekly probability (a numpy ufunc)."""
    return 1.0 - math.exp(-rate_per_year / WEEKS_PER_YEAR)


def death_probability(p: Mapping[str, Any], age: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Weekly probability of death at this age and band of true eGFR (:func:`kidney.band`)."""
    ratio = kidney.band_ratios(p, "history.death_hr")[band]
    return death_probability_of(
        age, ratio, p["history.death_rate_72"], p["history.death_age_gradient"]
    )


@vectorize(cache=True)
def death_probability_of(age: float, ratio: float, rate_72: float, gradient: float) -> float:
    """Weekly probability of death of one patient (``ratio``: HR of the band; a numpy ufunc)."""
    return weekly_probability(death_rate_of(age, ratio, rate_72, gradient))


@njit(cache=True)
def death_rate_of(age: float, ratio: float, rate_72: float, gradient: float) -> float:
    """Annual death hazard ``h_death`` of one patient (``ratio``: HR of the band)."""
    return rate_72 * math.exp(gradient * (age - 72.9)) * ratio


@njit(cache=True)
def death_rate_bounds(
    age: np.ndarray, ratios: np.ndarray, rate_72: float, gradient: float, out: np.ndarray
) -> np.ndarray:
    """Per band, the largest annual death hazard over the ages in ``age`` (its two ends).

    Written to ``out`` (one number per band, as ``ratios``), which is returned.
    """
    low, high = draws.ends(age, 72.9)
    for b in range(len(ratios)):
        out[b] = max(
            death_rate_of(low, ratios[b], rate_72, gradient),
            death_rate_of(high, ratios[b], rate_72, gradient),
        )
    return out


def sbp_parameters(p: Mapping[str, Any]) -> tuple[float, ...]:
    """Parameters of :func:`advance`'s BP: age and eGFR slopes, effects, minimum, rate."""
    names = ("sbp_age_slope", "sbp_egfr_slope", "medicine_effect", "self_care_effect")
    names += ("sbp_min", "rate_sbp")
    return tuple(float(p[f"health.{name}"]) for name in names)


@njit(cache=True, parallel=True)
def advance(
    recruited: bool,
    alive: np.ndarray,
    egfr: np.ndarray,
    slope: np.ndarray,
    factor_controlled: np.ndarray,
    factor_uncontrolled: np.ndarray,
    sbp: np.ndarray,
    target: np.ndarray,
    persisting: np.ndarray,
    medicines_: np.ndarray,
    u_stop: np.ndarray,
    imbalance: np.ndarray,
    self_management: np.ndarray,
    u_death: np.ndarray,
    sbp_base: np.ndarray,
    age: np.ndarray,
    hypertension: np.ndarray,
    adherence_base: float,
    adherence_weight: float,
    sbp_parameters: tuple[float, float, float, float, float, float],
    stopping_parameters: tuple[float, float, float],
    death_ratios: np.ndarray,
    death_rate_72: float,
    death_gradient: float,
) -> tuple[np.ndarray, ...]:
    """One week of kidney decline, medicine-taking and BP for every patient, in one parallel pass.

    Per patient, in this order: with the clinical clock running (``recruited``), true eGFR
    declines (:mod:`kidney`; living patients, at the slope for last week's BP state ``sbp >=
    target``); the band of true eGFR; persistence (the stopping hazard from self-management and
    ``imbalance``, ``stopping_parameters`` ``(h0, k_S, k_z)``; computed only for patients who
    persist with medicines, and only where the number could fall below it, with the hazard at
    the largest self-management factor of the patient's chunk:
    :func:`sim.dynamics.medicines.stopping_factor_bound`) and adherence (:mod:`medicines`);
    untreated SBP, the SBP level and SBP' (the module's equations); and, with the clock running,
    death (``u_death`` below the weekly probability at this age and band; ``death_ratios`` the
    hazard ratio of each band) and ageing. Death's probability is computed only where the
    number could fall below it (:func:`sim.dynamics.draws.may_fall_below`, with the hazard of
    each band at the oldest age of the patient's chunk: :func:`death_rate_bounds`), which gives
    the same decisions with fewer exponentials. Bounds taken over a chunk (not over all patients)
    need no serial pass before the kernel, and are tighter. Patients run in chunks of
    :data:`~sim.dynamics.segments.CHUNK` (numba ``prange``).

    Returns:
        New arrays: eGFR, band, persisting, adherence, untreated SBP, SBP, alive, age (the last
        two as they will be after this week's reviews; unchanged without ``recruited``).
    """
    age_slope, egfr_slope, effect, self_care, sbp_min, rate = sbp_parameters
    stop_rate, stop_self, stop_imbalance = stopping_parameters
    n = len(alive)
    alive_out, age_out = alive.copy(), age.copy()
    egfr_out, band_out = np.empty(n), np.empty(n, np.int8)
    persisting_out, adherence_out = np.empty(n, np.bool_), np.empty(n)
    untreated_out, sbp_out = np.empty(n), np.empty(n)
    n_chunks = (n + CHUNK - 1) // CHUNK
    death_bounds = np.empty((n_chunks, len(death_ratios)))  # per chunk and band
    counter = np.zeros(1, np.int64)  # the next chunk to take
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            first, last = chunk_bounds(c, n)
            stopping_factor_bound = medicines.stopping_factor_bound(
                self_management[first:last], stop_self
            )
            death_rate_bound = death_bounds[c]
            if recruited:
                death_rate_bounds(
                    age[first:last], death_ratios, death_rate_72, death_gradient, death_rate_bound
                )
            for i in range(first, last):
                e = egfr[i]
                if recruited and alive[i]:
                    uncontrolled = sbp[i] >= target[i]
                    annual = kidney.annual_decline_of(
                        slope[i], factor_controlled[i], factor_uncontrolled[i], uncontrolled
                    )
                    e = kidney.decline(e, annual)
                keep = persisting[i]
                if keep and medicines_[i] > 0:  # the others cannot stop: their hazard is not needed
                    bound = medicines.stopping_hazard_of(
                        stopping_factor_bound, imbalance[i], stop_rate, stop_imbalance
                    )
                    if draws.may_fall_below(u_stop[i], bound):  # else surely not stopping
                        p_stop = medicines.stopping_probability_of(
                            self_management[i], imbalance[i], stop_rate, stop_self, stop_imbalance
                        )
                        keep = medicines.keep_taking(True, medicines_[i], u_stop[i], p_stop)
                adherence = medicines.adherence_of(
                    self_management[i], adherence_base, adherence_weight
                )
                untreated = untreated_sbp_of(
                    sbp_base[i], age[i], hypertension[i], e, age_slope, egfr_slope
                )
                taken = medicines_[i] * keep * adherence
                level = sbp_level_of(
                    untreated, taken, self_management[i], effect, self_care, sbp_min
                )
                egfr_out[i], band_out[i] = e, kidney.band(e)
                persisting_out[i], adherence_out[i] = keep, adherence
                untreated_out[i], sbp_out[i] = untreated, approach(sbp[i], level, rate)
                if recruited:
                    band_ = band_out[i]
                    u, dies = u_death[i], False
                    if alive[i] and draws.may_fall_below(
                        u, death_rate_bound[band_] / WEEKS_PER_YEAR
                    ):
                        dies = u < death_probability_of(
                            age[i], death_ratios[band_], death_rate_72, death_gradient
                        )
                    alive_out[i] = alive[i] and not dies
                    age_out[i] = age[i] + alive_out[i] / WEEKS_PER_YEAR
            c, stop = following_chunk(counter, c, stop, n_chunks)
    outs = (egfr_out, band_out, persisting_out, adherence_out, untreated_out, sbp_out)
    return (*outs, alive_out, age_out)
