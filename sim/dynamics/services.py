"""Health-service use from clinical risk: hospital admissions, primary-care contacts and costs.

Admissions depend on true kidney function by the bands of Go et al. (NEJM 2004; dossier 6b: any
hospitalisation, hazard ratios against eGFR 60 or more), age, diabetes and uncontrolled BP (true
SBP at or above the NICE target); self-management and workload-capacity imbalance modify the risk
(Burden of Treatment Theory: overload shows up as higher service use). Primary-care contacts (GP
and nurse) come from clinical need (comorbidity, diabetes), reviews, an uncontrolled last
reading and illness work the patient needs but nobody does; illness work done by lay members
substitutes for some contacts (Reeves et al. 2014). A professional's time is health-service use,
never lay substitution: every hour of work given by professional ties (:mod:`support`) counts as
contacts, at ``h_contact`` hours of professional time per contact. Costs accumulate per patient
by component from recruitment: contacts, medicines (dispensed only while the patient persists;
:mod:`medicines`) and admissions; an intervention's delivery cost comes from its components.
QALYs accrue weekly.

Equations:
    h_adm = h0 HR_adm[band(G)] HR_age^((age - 72) / 10) HR_d^[diabetes] HR_unc^[SBP >= target]
            (1 + k_S (1 - S)) (1 + k_z min(z, 2))
    P(admission) = 1 - exp(-h_adm / 52)
    contacts = max(c0 (1 + c_m comorbidity)(1 + c_d [diabetes]) + c_rev [reviewed this week]
                   + c_unc [last reading uncontrolled] + c_unmet I_unmet - c_sub I_lay
                   + H_prof / h_contact, 0.1 c0)                       (contacts/week)
    I_lay = illness work given by lay members;  H_prof = all work given by professionals
    cost_contacts' = cost_contacts + cost_contact contacts
    cost_medicines' = cost_medicines + cost_medicine m [persisting]
    cost_admissions' = cost_admissions + cost_admission [admitted]
    cost = cost_contacts + cost_medicines + cost_admissions
    QALY' = QALY + u / 52
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, prange

from sim.dynamics import draws, kidney
from sim.dynamics.outcomes import heiq_of, heiq_parameters
from sim.dynamics.segments import CHUNK, TAKERS, chunk_bounds, following_chunk, take_chunks
from sim.dynamics.workload import treatment_burden_of

#: Cost components accumulated per patient (``PatientState.cost_<component>``).
COST_COMPONENTS: tuple[str, ...] = ("contacts", "medicines", "admissions")


def admission_probability(
    p: Mapping[str, Any],
    band: np.ndarray,
    age: np.ndarray,
    diabetes: np.ndarray,
    uncontrolled: np.ndarray,
    self_management: np.ndarray,
    imbalance: np.ndarray,
) -> np.ndarray:
    """Weekly probability of a hospital admission (``band``: of true eGFR, :func:`kidney.band`)."""
    ratio = kidney.band_ratios(p, "services.admission_hr")[band]
    columns = (age, diabetes, uncontrolled, self_management, imbalance)
    return _admission_all(ratio, *(np.asarray(c) for c in columns), admission_parameters(p))


@njit(cache=True)
def _admission_all(
    ratio: np.ndarray,
    age: np.ndarray,
    diabetes: np.ndarray,
    uncontrolled: np.ndarray,
    self_management: np.ndarray,
    imbalance: np.ndarray,
    parameters: tuple[float, float, float, float, float, float],
) -> np.ndarray:
    out = np.empty(len(ratio))
    for i in range(len(out)):
        out[i] = admission_probability_of(
            ratio[i], age[i], diabetes[i], uncontrolled[i], self_management[i], imbalance[i],
            parameters,
        )  # fmt: skip
    return out


def admission_parameters(p: Mapping[str, Any]) -> tuple[float, float, float, float, float, float]:
    """``(h0, log HR_age, HR_d, HR_unc, k_S, k_z)`` of the admission hazard."""
    return (
        float(p["services.admission_rate"]),
        math.log(p["services.admission_hr_age"]),
        float(p["services.admission_hr_diabetes"]),
        float(p["services.admission_hr_uncontrolled"]),
        float(p["services.admission_self_management"]),
        float(p["services.admission_imbalance"]),
    )


@njit(cache=True)
def admission_probability_of(
    ratio: float,
    age: float,
    diabetes: bool,
    uncontrolled: bool,
    self_management: float,
    imbalance: float,
    parameters: tuple[float, float, float, float, float, float],
) -> float:
    """Weekly admission probability of one patient (``ratio``: the HR of the patient's band).

    ``parameters``: :func:`admission_parameters`.
    """
    age_factor = admission_age_factor_of(age, parameters)
    hazard = admission_hazard_of(
        ratio, age_factor, diabetes, uncontrolled, self_management, imbalance, parameters
    )
    return 1.0 - math.exp(-hazard / 52.0)


@njit(cache=True)
def admission_age_factor_of(
    age: float, parameters: tuple[float, float, float, float, float, float]
) -> float:
    """``HR_age^((age - 72) / 10)`` of the admission hazard."""
    return math.exp(parameters[1] * ((age - 72.0) / 10.0))


@njit(cache=True)
def admission_hazard_of(
    ratio: float,
    age_factor: float,
    diabetes: bool,
    uncontrolled: bool,
    self_management: float,
    imbalance: float,
    parameters: tuple[float, float, float, float, float, float],
) -> float:
    """Annual admission hazard ``h_adm`` of one patient, given its age factor."""
    rate, _, hr_diabetes, hr_uncontrolled, k_self, k_imbalance = parameters
    return (
        rate
        * ratio
        * age_factor
        * (hr_diabetes if diabetes else 1.0)
        * (hr_uncontrolled if uncontrolled else 1.0)
        * (1.0 + k_self * (1.0 - self_management))
        * (1.0 + k_imbalance * min(imbalance, 2.0))
    )


@njit(cache=True)
def admission_age_factor_bound(
    age: np.ndarray, parameters: tuple[float, float, float, float, float, float]
) -> float:
    """The largest age factor of the admission hazard over the ages in ``age`` (its two ends)."""
    low, high = draws.ends(age, 72.0)
    return max(admission_age_factor_of(low, parameters), admission_age_factor_of(high, parameters))


def contacts(
    p: Mapping[str, Any],
    comorbidity: np.ndarray,
    diabetes: np.ndarray,
    reviewed: np.ndarray,
    last_uncontrolled: np.ndarray,
    unmet_illness: np.ndarray,
    lay_illness: np.ndarray,
    professional_hours: np.ndarray,
) -> np.ndarray:
    """Expected primary-care contacts per week (never below a tenth of the base rate)."""
    columns = (comorbidity, diabetes, reviewed, last_uncontrolled, unmet_illness, lay_illness)
    columns += (professional_hours,)
    return _contacts_all(*(np.asarray(c) for c in columns), contact_parameters(p))


@njit(cache=True)
def _contacts_all(
    comorbidity: np.ndarray,
    diabetes: np.ndarray,
    reviewed: np.ndarray,
    last_uncontrolled: np.ndarray,
    unmet_illness: np.ndarray,
    lay_illness: np.ndarray,
    professional_hours: np.ndarray,
    parameters: tuple[float, ...],
) -> np.ndarray:
    out = np.empty(len(comorbidity))
    for i in range(len(out)):
        out[i] = contacts_of(
            comorbidity[i], diabetes[i], reviewed[i], last_uncontrolled[i], unmet_illness[i],
            lay_illness[i], professional_hours[i], parameters,
        )  # fmt: skip
    return out


def contact_parameters(p: Mapping[str, Any]) -> tuple[float, ...]:
    """``(c0, c_m, c_d, c_rev, c_unc, c_unmet, c_sub, h_contact)`` of contacts."""
    names = ("base", "comorbidity", "diabetes", "review", "uncontrolled", "per_unmet_hour")
    names += ("substituted_per_hour",)
    weights = tuple(float(p[f"services.contacts_{name}"]) for name in names)
    return (*weights, float(p["services.hours_per_contact"]))


@njit(cache=True)
def contacts_of(
    comorbidity: float,
    diabetes: bool,
    reviewed: bool,
    last_uncontrolled: bool,
    unmet_illness: float,
    lay_illness: float,
    professional_hours: float,
    parameters: tuple[float, float, float, float, float, float, float, float],
) -> float:
    """Contacts per week of one patient (``parameters``: :func:`contact_parameters`)."""
    base, c_comorbidity, c_diabetes, c_review, c_unc, c_unmet, c_sub, hours = parameters
    value = (
        base * (1.0 + c_comorbidity * comorbidity) * (1.0 + c_diabetes * diabetes)
        + c_review * reviewed
        + c_unc * last_uncontrolled
        + c_unmet * unmet_illness
        - c_sub * lay_illness
        + professional_hours / hours
    )
    return max(value, 0.1 * base)


def weekly_parameters(p: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of :func:`advance`, by argument name."""
    return {
        "heiq_parameters": heiq_parameters(p),
        "tbq_scale": float(p["work.tbq_scale"]),
        "contact_parameters": contact_parameters(p),
        "admission_ratios": kidney.band_ratios(p, "services.admission_hr"),
        "admission_parameters": admission_parameters(p),
        "costs": tuple(
            float(p[f"services.cost_{name}"]) for name in ("contact", "medicine", "admission")
        ),
    }


@njit(cache=True, parallel=True)
def advance(
    alive: np.ndarray,
    need: np.ndarray,
    received: np.ndarray,
    received_professional: np.ndarray,
    heiq_offset: np.ndarray,
    self_efficacy: np.ndarray,
    participation_: np.ndarray,
    collective: np.ndarray,
    imbalance: np.ndarray,
    treatment: np.ndarray,
    capacity_own: np.ndarray,
    comorbidity: np.ndarray,
    diabetes: np.ndarray,
    reviewed: np.ndarray,
    controlled: np.ndarray,
    band: np.ndarray,
    age: np.ndarray,
    sbp: np.ndarray,
    target: np.ndarray,
    self_management: np.ndarray,
    u_admit: np.ndarray,
    medicines: np.ndarray,
    persisting: np.ndarray,
    utility: np.ndarray,
    admissions: np.ndarray,
    cost_contacts: np.ndarray,
    cost_medicines: np.ndarray,
    cost_admissions: np.ndarray,
    qaly: np.ndarray,
    heiq_parameters: tuple[float, float, float, float, float],
    tbq_scale: float,
    contact_parameters: tuple[float, float, float, float, float, float, float, float],
    admission_ratios: np.ndarray,
    admission_parameters: tuple[float, float, float, float, float, float],
    costs: tuple[float, float, float],
) -> tuple[np.ndarray, ...]:
    """The week's heiQ, TBQ, contacts, admissions, costs and QALYs, in one parallel pass.

    Per patient: heiQ (:func:`sim.dynamics.outcomes.heiq`), TBQ from the illness work left undone
    (:func:`sim.dynamics.workload.treatment_burden`), contacts (0 for the dead; lay illness work is
    what was received but not from professionals, professional hours all work they gave), an
    admission when ``u_admit`` is below its probability (living patients; uncontrolled: ``sbp >=
    target``; the probability is computed only where the number could fall below it,
    :func:`sim.dynamics.draws.may_fall_below`, with the hazard at the largest age factor of the
    patient's chunk: :func:`admission_age_factor_bound`), then the cumulative
    counters (``costs``: per contact, per medicine-week dispensed, per admission) and QALYs.
    Patients run in chunks of :data:`~sim.dynamics.segments.CHUNK`.

    Returns:
        New arrays: heiQ, TBQ, contacts, admissions, cost of contacts, of medicines, of
        admissions, total cost, QALYs.
    """
    cost_contact, cost_medicine, cost_admission = costs
    n = len(alive)
    heiq, tbq, contacts_ = np.empty(n), np.empty(n), np.empty(n)
    admissions_out = np.empty_like(admissions)
    contacts_cost, medicines_cost, admissions_cost = np.empty(n), np.empty(n), np.empty(n)
    cost, qaly_out = np.empty(n), np.empty(n)
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            first, last = chunk_bounds(c, n)
            age_factor_bound = admission_age_factor_bound(age[first:last], admission_parameters)
            for i in range(first, last):
                heiq[i] = heiq_of(
                    heiq_offset[i], self_efficacy[i], participation_[i], collective[i],
                    imbalance[i], heiq_parameters,
                )  # fmt: skip
                unmet_illness = max(need[i, 0] - received[i, 0], 0.0)
                tbq[i] = treatment_burden_of(
                    treatment[i], unmet_illness, capacity_own[i], tbq_scale
                )
                prof = received_professional[i]
                contacts_[i] = alive[i] * contacts_of(
                    comorbidity[i], diabetes[i], reviewed[i], not controlled[i], unmet_illness,
                    received[i, 0] - prof[0], (prof[0] + prof[1]) + prof[2], contact_parameters,
                )  # fmt: skip
                ratio, uncontrolled, u = admission_ratios[band[i]], sbp[i] >= target[i], u_admit[i]
                bound = admission_hazard_of(
                    ratio, age_factor_bound, diabetes[i], uncontrolled, self_management[i],
                    imbalance[i], admission_parameters,
                )  # fmt: skip
                admitted = False
                if alive[i] and draws.may_fall_below(u, bound / 52.0):  # else surely not admitted
                    risk = admission_probability_of(
                        ratio, age[i], diabetes[i], uncontrolled, self_management[i], imbalance[i],
                        admission_parameters,
                    )  # fmt: skip
                    admitted = u < risk
                admissions_out[i] = admissions[i] + admitted
                contacts_cost[i] = cost_contacts[i] + cost_contact * contacts_[i]
                dispensed = medicines[i] * persisting[i] * alive[i]
                medicines_cost[i] = cost_medicines[i] + cost_medicine * dispensed
                admissions_cost[i] = cost_admissions[i] + cost_admission * admitted
                cost[i] = contacts_cost[i] + medicines_cost[i] + admissions_cost[i]
                qaly_out[i] = qaly[i] + utility[i] * alive[i] / 52.0
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return (
        heiq, tbq, contacts_, admissions_out, contacts_cost, medicines_cost, admissions_cost,
        cost, qaly_out,
    )  # fmt: skip
