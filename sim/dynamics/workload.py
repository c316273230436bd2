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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters
from sim.population import codes


class WorkParams(NamedTuple):
    """The parameters of work and capacity (``mechanisms.work.*``).

    ``feedback`` is the switch ``workload_feedback``; ``literacy`` the capacity multiplier by
    education code.
    """

    limitation_per_year: float
    limitation_onset_age: float
    limitation_egfr: float
    limitation_diabetes: float
    limitation_comorbidity: float
    treatment_hours: float
    treatment_hours_per_condition: float
    treatment_hours_per_medicine: float
    illness_hours: float
    rel_illness_stage_3b: float
    illness_hours_poor_control: float
    everyday_hours_max: float
    emotional_hours: float
    capacity_hours: float
    literacy: np.ndarray
    rel_capacity_deprived: float
    tbq_scale: float
    feedback: bool

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> WorkParams:
        """The record from the mechanism parameters."""
        literacy = [
            p["work.rel_capacity_education_none"],
            p["work.rel_capacity_education_intermediate"],
            1.0,
        ]
        feedback = p["switches.workload_feedback"]
        return parameters(cls, p, "work", literacy=literacy, feedback=feedback)


@njit(cache=True, inline="always")
def limitation(
    q: WorkParams, age: float, egfr: float, diabetes: bool, comorbidity: float, noise: float
) -> float:
    """Functional limitation L in [0, 0.95] (see the module's equations)."""
    raw = (
        q.limitation_per_year * max(age - q.limitation_onset_age, 0.0)
        + q.limitation_egfr * max(60.0 - egfr, 0.0) / 10.0
        + q.limitation_diabetes * diabetes
        + q.limitation_comorbidity * comorbidity
        + noise
    )
    return min(max(raw, 0.0), 0.95)


@njit(cache=True, inline="always")
def limitations(
    q: WorkParams,
    age: np.ndarray,
    egfr: np.ndarray,
    diabetes: np.ndarray,
    comorbidity: np.ndarray,
    noise: np.ndarray,
) -> np.ndarray:
    """:func:`limitation` of every patient."""
    out = np.empty(len(age))
    for i in range(len(age)):
        out[i] = limitation(q, age[i], egfr[i], diabetes[i], comorbidity[i], noise[i])
    return out


@njit(cache=True, inline="always")
def treatment(q: WorkParams, hypertension: bool, diabetes: bool, medicines: float) -> float:
    """Treatment work T in hours/week (``medicines``: those being taken, or the baseline count)."""
    conditions = (1.0 if hypertension else 0.0) + diabetes
    return (
        q.treatment_hours
        + q.treatment_hours_per_condition * conditions
        + q.treatment_hours_per_medicine * medicines
    )


@njit(cache=True, inline="always")
def needs(
    q: WorkParams, stage: int, uncontrolled: bool, limitation_: float, loneliness: float
) -> tuple[float, float, float]:
    """Illness, everyday and emotional work needed, hours/week.

    With ``q.feedback`` (the Cumulative Complexity feedback), uncontrolled BP adds illness work.
    """
    advanced = stage >= codes.STAGE_3B and stage != codes.REMITTED
    illness = q.illness_hours * (q.rel_illness_stage_3b if advanced else 1.0)
    if q.feedback:
        illness = illness + q.illness_hours_poor_control * uncontrolled
    everyday = q.everyday_hours_max * limitation_
    emotional = q.emotional_hours * (1.0 + min(max(loneliness, 0.0), 1.0))
    return illness, everyday, emotional


@njit(cache=True, inline="always")
def own_capacity(
    q: WorkParams, limitation_: float, mental: float, education: int, deprived: bool
) -> float:
    """Own capacity C_own in hours/week (physical, mental, literacy, financial; Boehmer 2016)."""
    finances = q.rel_capacity_deprived if deprived else 1.0
    return q.capacity_hours * (1.0 - limitation_) * mental * q.literacy[education] * finances


@njit(cache=True, inline="always")
def treatment_burden(
    q: WorkParams, treatment_: float, illness_carried: float, capacity_own: float
) -> float:
    """Treatment burden on the TBQ scale (0-150; Tran et al. 2014).

    ``TBQ = 150 (1 - exp(-s (T + I_carried) / C_own))``: the share of own capacity taken by
    treatment and illness work the patient carries, mapped onto the questionnaire's range.
    """
    ratio = (treatment_ + illness_carried) / max(capacity_own, 1e-6)
    return 150.0 * (1.0 - np.exp(-q.tbq_scale * ratio))


@njit(cache=True, inline="always")
def burden(q: WorkParams, i: int, pt: Any) -> float:
    """Patient ``i``'s treatment burden this week, from the illness work left unmet."""
    unmet_illness = max(pt.need[i, 0] - pt.received[i, 0], 0.0)
    return treatment_burden(q, pt.treatment_work[i], unmet_illness, pt.capacity_own[i])


@njit(cache=True, inline="always")
def work(q: WorkParams, i: int, pt: Any, cohort: Any) -> None:
    """Patient ``i``'s limitation, needs (zero when dead), treatment work and own capacity.

    ``pt`` is the patients' state record (:data:`sim.dynamics.state.PatientStateRecord`),
    ``cohort`` the world (:class:`sim.dynamics.passes.World`); written in place.
    """
    lim = limitation(
        q, pt.age[i], pt.egfr[i], cohort.diabetes[i], pt.comorbidity[i], pt.limitation_noise[i]
    )
    pt.limitation[i] = lim
    uncontrolled = pt.sbp[i] >= cohort.target[i]
    illness, everyday, emotional = needs(q, pt.stage[i], uncontrolled, lim, pt.loneliness[i])
    alive = 1.0 if pt.alive[i] else 0.0
    pt.need[i, 0], pt.need[i, 1], pt.need[i, 2] = (
        illness * alive,
        everyday * alive,
        emotional * alive,
    )
    taken = pt.medicines[i] * pt.persisting[i] if q.feedback else pt.medicines_base[i]
    pt.treatment_work[i] = treatment(q, cohort.hypertension[i], cohort.diabetes[i], taken)
    pt.capacity_own[i] = own_capacity(q, lim, pt.mental[i], cohort.education[i], cohort.deprived[i])
