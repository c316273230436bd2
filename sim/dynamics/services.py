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

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics import draws, kidney
from sim.dynamics.records import parameters

#: Cost components accumulated per patient (``PatientState.cost_<component>``).
COST_COMPONENTS: tuple[str, ...] = ("contacts", "medicines", "admissions")


class ServiceParams(NamedTuple):
    """The parameters of service use (``mechanisms.services.*``).

    ``admission_hr`` by band of true eGFR, ``log_admission_hr_age`` the log of the hazard ratio
    per decade.
    """

    admission_rate: float
    admission_hr: np.ndarray
    log_admission_hr_age: float
    admission_hr_diabetes: float
    admission_hr_uncontrolled: float
    admission_self_management: float
    admission_imbalance: float
    contacts_base: float
    contacts_comorbidity: float
    contacts_diabetes: float
    contacts_review: float
    contacts_uncontrolled: float
    contacts_per_unmet_hour: float
    contacts_substituted_per_hour: float
    hours_per_contact: float
    cost_contact: float
    cost_medicine: float
    cost_admission: float

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> ServiceParams:
        """The record from the mechanism parameters."""
        return parameters(
            cls,
            p,
            "services",
            admission_hr=kidney.band_ratios(p, "services.admission_hr"),
            log_admission_hr_age=np.log(p["services.admission_hr_age"]),
        )


@njit(cache=True, inline="always")
def admission_probability(
    q: ServiceParams,
    band: int,
    age: float,
    diabetes: bool,
    uncontrolled: bool,
    self_management: float,
    imbalance: float,
) -> float:
    """Weekly probability of a hospital admission (``band``: :func:`kidney.band_of` of eGFR)."""
    hazard = (
        q.admission_rate
        * q.admission_hr[band]
        * np.exp(q.log_admission_hr_age * ((age - 72.0) / 10.0))
        * (q.admission_hr_diabetes if diabetes else 1.0)
        * (q.admission_hr_uncontrolled if uncontrolled else 1.0)
        * (1.0 + q.admission_self_management * (1.0 - self_management))
        * (1.0 + q.admission_imbalance * min(imbalance, 2.0))
    )
    return 1.0 - np.exp(-hazard / 52.0)


@njit(cache=True, inline="always")
def contacts(
    q: ServiceParams,
    comorbidity: float,
    diabetes: bool,
    reviewed: bool,
    last_uncontrolled: bool,
    unmet_illness: float,
    lay_illness: float,
    professional_hours: float,
) -> float:
    """Expected primary-care contacts per week (never below a tenth of the base rate)."""
    base = q.contacts_base
    value = (
        base * (1.0 + q.contacts_comorbidity * comorbidity) * (1.0 + q.contacts_diabetes * diabetes)
        + q.contacts_review * reviewed
        + q.contacts_uncontrolled * last_uncontrolled
        + q.contacts_per_unmet_hour * unmet_illness
        - q.contacts_substituted_per_hour * lay_illness
        + professional_hours / q.hours_per_contact
    )
    return max(value, 0.1 * base)


@njit(cache=True, inline="always")
def use_services(q: ServiceParams, i: int, pt: Any, cohort: Any, week: Any) -> None:
    """Patient ``i``'s contacts, admissions, costs by component and QALYs this week, in place.

    ``pt`` is the patient record, ``cohort`` the static record and ``week`` the week
    (:class:`sim.dynamics.passes.Week`) whose random keys decide admissions.
    """
    alive = pt.alive[i]
    received, professional = pt.received, pt.received_professional
    unmet_illness = max(pt.need[i, 0] - received[i, 0], 0.0)
    hours = professional[i, 0] + professional[i, 1] + professional[i, 2]
    diabetes = cohort.diabetes[i]
    lay_illness = received[i, 0] - professional[i, 0]
    expected = contacts(
        q,
        pt.comorbidity[i],
        diabetes,
        pt.reviewed[i],
        not pt.controlled[i],
        unmet_illness,
        lay_illness,
        hours,
    )
    pt.contacts[i] = alive * expected
    uncontrolled = pt.sbp[i] >= cohort.target[i]
    band = kidney.band_of(pt.egfr[i])
    risk = admission_probability(
        q, band, pt.age[i], diabetes, uncontrolled, pt.self_management[i], pt.imbalance[i]
    )
    admitted = alive and draws.uniform(week.keys[draws.ADMISSION], i) < risk
    pt.admissions[i] += admitted
    pt.cost_contacts[i] = pt.cost_contacts[i] + q.cost_contact * pt.contacts[i]
    taken = pt.medicines[i] * pt.persisting[i] * alive
    pt.cost_medicines[i] = pt.cost_medicines[i] + q.cost_medicine * taken
    pt.cost_admissions[i] = pt.cost_admissions[i] + q.cost_admission * admitted
    pt.cost[i] = pt.cost_contacts[i] + pt.cost_medicines[i] + pt.cost_admissions[i]
    pt.qaly[i] = pt.qaly[i] + pt.utility[i] * alive / 52.0
