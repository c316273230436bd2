"""Work and capacity.

Minimally disruptive medicine (May et al. 2009); Cumulative Complexity Model (Shippee et al. 2012);
Burden of Treatment Theory (May et al. 2014).

All work is in hours per week. A patient needs three kinds of work done (Rogers et al. 2011;
Vassilev et al. 2013) besides the treatment work only they can do. Functional limitation rises
with age, as kidney function (true eGFR ``G``) falls, with diabetes and with other long-term
conditions; illness work follows the measured (diagnosed) stage; treatment work counts the
medicines being taken. Own capacity is physical, mental, literacy and financial (Boehmer et al.
2016). Treatment burden is on the TBQ scale
(0-150; Tran et al. 2014), from the treatment and illness work the patient carries.

Equations:
    L = clip(l_age (age - a0)^+ + l_egfr (60 - G)^+ / 10 + l_d [diabetes] + l_c comorbidity
             + noise_i, 0, 0.95)
    T = t0 + t_c ([hypertension] + [diabetes]) + t_m m [persisting]
    illness    I = i0 x rel_3b^[measured stage >= 3b] + i_poor [SBP >= target]
    everyday   E = e_max L
    emotional  M = m0 (1 + clip(loneliness, 0, 1))
    C_own = c0 (1 - L) x mental x lit[education] x fin[deprived]
    TBQ = 150 (1 - exp(-s (T + I_unmet) / max(C_own, 1e-6)))

Each equation but TBQ's is written once, as a scalar function (``_limitation``, ``_needs``,
``_treatment``, ``_own_capacity``); :func:`functional_limitation` and :func:`needs` apply them to
arrays, and :func:`advance`, the weekly pass, applies them all in one parallel pass over patients.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, prange, vectorize

from sim.dynamics.segments import CHUNK, TAKERS, chunk_bounds, following_chunk, take_chunks
from sim.population.codes import REMITTED, STAGE_3B


# -- the equations, once, per patient ----------------------------------------------------------
@njit(cache=True, inline="always")
def _limitation(
    age: float,
    egfr: float,
    diabetes: bool,
    comorbidity: float,
    noise: float,
    parameters: tuple[float, float, float, float, float],
) -> float:
    l_age, onset, l_egfr, l_diabetes, l_comorbidity = parameters
    raw = (
        l_age * max(age - onset, 0.0)
        + l_egfr * max(60.0 - egfr, 0.0) / 10.0
        + l_diabetes * diabetes
        + l_comorbidity * comorbidity
        + noise
    )
    return min(max(raw, 0.0), 0.95)


@njit(cache=True, inline="always")
def _needs(
    stage: int,
    uncontrolled: bool,
    limitation: float,
    loneliness: float,
    feedback: bool,
    parameters: tuple[float, float, float, float, float],
) -> tuple[float, float, float]:
    illness_hours, rel_3b, illness_poor_control, everyday_max, emotional_hours = parameters
    illness = illness_hours * (rel_3b if stage >= STAGE_3B and stage != REMITTED else 1.0)
    if feedback:
        illness = illness + illness_poor_control * uncontrolled
    emotional = emotional_hours * (1.0 + min(max(loneliness, 0.0), 1.0))
    return illness, everyday_max * limitation, emotional


@njit(cache=True, inline="always")
def _treatment(
    hypertension: bool, diabetes: bool, medicines: float, t0: float, t_c: float, t_m: float
) -> float:
    return t0 + t_c * ((1.0 if hypertension else 0.0) + diabetes) + t_m * medicines


@njit(cache=True, inline="always")
def _own_capacity(
    limitation: float, mental: float, literacy: float, finances: float, c0: float
) -> float:
    return c0 * (1.0 - limitation) * mental * literacy * finances


def limitation_parameters(p: Mapping[str, Any]) -> tuple[float, ...]:
    """``(l_age, a0, l_egfr, l_d, l_c)`` of the limitation equation."""
    names = ("per_year", "onset_age", "egfr", "diabetes", "comorbidity")
    return tuple(float(p[f"work.limitation_{name}"]) for name in names)


def need_parameters(p: Mapping[str, Any]) -> tuple[float, ...]:
    """``(i0, rel_3b, i_poor, e_max, m0)`` of the need equations."""
    names = ("illness_hours", "rel_illness_stage_3b", "illness_hours_poor_control")
    names += ("everyday_hours_max", "emotional_hours")
    return tuple(float(p[f"work.{name}"]) for name in names)


# -- the equations over arrays of patients -----------------------------------------------------
def functional_limitation(
    p: Mapping[str, Any],
    age: np.ndarray,
    egfr: np.ndarray,
    diabetes: np.ndarray,
    comorbidity: np.ndarray,
    noise: np.ndarray,
) -> np.ndarray:
    """Functional limitation L in [0, 0.95] (see the module's equations)."""
    return _limitations(
        np.asarray(age, float),
        np.asarray(egfr, float),
        np.asarray(diabetes, bool),
        np.asarray(comorbidity, float),
        np.asarray(noise, float),
        limitation_parameters(p),
    )


@njit(cache=True)
def _limitations(
    age: np.ndarray,
    egfr: np.ndarray,
    diabetes: np.ndarray,
    comorbidity: np.ndarray,
    noise: np.ndarray,
    parameters: tuple[float, ...],
) -> np.ndarray:
    out = np.empty(len(age))
    for i in range(len(out)):
        out[i] = _limitation(age[i], egfr[i], diabetes[i], comorbidity[i], noise[i], parameters)
    return out


def needs(
    p: Mapping[str, Any],
    stage: np.ndarray,
    uncontrolled: np.ndarray,
    limitation: np.ndarray,
    loneliness: np.ndarray,
    feedback: bool,
) -> np.ndarray:
    """Illness, everyday and emotional work needed, hours/week, shape (n, 3).

    With ``feedback`` (the Cumulative Complexity feedback), uncontrolled BP adds illness work.
    """
    return _needs_of(
        np.asarray(stage, np.int64),
        np.asarray(uncontrolled, bool),
        np.asarray(limitation, float),
        np.asarray(loneliness, float),
        bool(feedback),
        need_parameters(p),
    )


@njit(cache=True)
def _needs_of(
    stage: np.ndarray,
    uncontrolled: np.ndarray,
    limitation: np.ndarray,
    loneliness: np.ndarray,
    feedback: bool,
    parameters: tuple[float, ...],
) -> np.ndarray:
    out = np.empty((len(stage), 3))
    for i in range(len(stage)):
        out[i, 0], out[i, 1], out[i, 2] = _needs(
            stage[i], uncontrolled[i], limitation[i], loneliness[i], feedback, parameters
        )
    return out


# -- the weekly pass ---------------------------------------------------------------------------
def literacy_factors(p: Mapping[str, Any]) -> np.ndarray:
    """``lit[education]`` of own capacity, by education code (none, intermediate, degree)."""
    return np.array(
        [p["work.rel_capacity_education_none"], p["work.rel_capacity_education_intermediate"], 1.0],
        dtype=float,
    )


@njit(cache=True, parallel=True)
def advance(
    age: np.ndarray,
    egfr: np.ndarray,
    diabetes: np.ndarray,
    hypertension: np.ndarray,
    comorbidity: np.ndarray,
    noise: np.ndarray,
    stage: np.ndarray,
    sbp: np.ndarray,
    target: np.ndarray,
    loneliness: np.ndarray,
    alive: np.ndarray,
    medicines: np.ndarray,
    persisting: np.ndarray,
    medicines_base: np.ndarray,
    mental: np.ndarray,
    education: np.ndarray,
    deprived: np.ndarray,
    feedback: bool,
    limitation_parameters: tuple[float, float, float, float, float],
    need_parameters: tuple[float, float, float, float, float],
    treatment_parameters: tuple[float, float, float],
    capacity_hours: float,
    literacy: np.ndarray,
    rel_deprived: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One week of work and capacity for every patient, in one parallel pass.

    Per patient: limitation L, the needs (illness work from the measured ``stage`` and, with
    ``feedback``, from ``sbp >= target``; all zero for the dead), treatment work from the
    medicines taken (with ``feedback``, ``medicines`` where ``persisting``; else the baseline
    count ``medicines_base``) with ``treatment_parameters`` ``(t0, t_c, t_m)``, and own
    capacity. Patients run in chunks of :data:`~sim.dynamics.segments.CHUNK`.

    Returns:
        New arrays: limitation, need (n, 3), treatment work, own capacity.
    """
    t0, t_c, t_m = treatment_parameters
    n = len(age)
    limitation, need = np.empty(n), np.empty((n, 3))
    treatment, capacity_own = np.empty(n), np.empty(n)
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            first, last = chunk_bounds(c, n)
            for i in range(first, last):
                lim = _limitation(
                    age[i], egfr[i], diabetes[i], comorbidity[i], noise[i], limitation_parameters
                )
                n0, n1, n2 = _needs(
                    stage[i], sbp[i] >= target[i], lim, loneliness[i], feedback, need_parameters
                )
                need[i, 0], need[i, 1], need[i, 2] = n0 * alive[i], n1 * alive[i], n2 * alive[i]
                limitation[i] = lim
                taken = medicines[i] * persisting[i] if feedback else medicines_base[i]
                treatment[i] = _treatment(hypertension[i], diabetes[i], taken, t0, t_c, t_m)
                finances = rel_deprived if deprived[i] else 1.0
                capacity_own[i] = _own_capacity(
                    lim, mental[i], literacy[education[i]], finances, capacity_hours
                )
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return limitation, need, treatment, capacity_own


def treatment_burden(
    p: Mapping[str, Any],
    treatment: np.ndarray,
    illness_carried: np.ndarray,
    capacity_own: np.ndarray,
) -> np.ndarray:
    """Treatment burden on the TBQ scale (0-150; Tran et al. 2014).

    ``TBQ = 150 (1 - exp(-s (T + I_carried) / C_own))``: the share of own capacity taken by
    treatment and illness work the patient carries, mapped onto the questionnaire's range.
    """
    return treatment_burden_of(treatment, illness_carried, capacity_own, p["work.tbq_scale"])


@vectorize(cache=True)
def treatment_burden_of(
    treatment: float, illness_carried: float, capacity_own: float, scale: float
) -> float:
    """TBQ of one patient (a numpy ufunc; see :func:`treatment_burden`)."""
    ratio = (treatment + illness_carried) / max(capacity_own, 1e-6)
    return 150.0 * (1.0 - math.exp(-scale * ratio))
