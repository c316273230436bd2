"""Population measures recorded each week, and per-patient snapshots at chosen weeks.

Each measure is a vectorised function of the model's arrays, averaged over living patients unless
it says otherwise. Column names are snake_case; :data:`LABELS` holds the human label and unit of
each, in one place for tables and figures.

A mean over nobody is NaN (an empty cell in CSV), never 0: every mean over living patients when
none is alive, and the measures of :data:`NAN_WHEN` (whose labels say so) when the group they
average over is empty, for example ``given_by_group`` in a population without group ties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numba import njit

from sim.dynamics.eq5d import DIMENSION_LABELS, DIMENSIONS
from sim.dynamics.segments import unsigned
from sim.dynamics.support import total_work
from sim.population import codes

if TYPE_CHECKING:
    from sim.model import CommunityModel

#: Column name -> (human label, unit).
LABELS: dict[str, tuple[str, str]] = {
    "week": ("Week", "weeks"),
    "n_alive": ("Patients alive", "patients"),
    "died": ("Died since week 0", "share of patients"),
    "mean_network_size": ("Members per patient", "members"),
    "weak_tie_share": ("Weak ties among members", "share"),
    "professional_share": ("Professionals among members", "share"),
    "group_participation": ("Patients in a community group", "share"),
    "sbp": ("Systolic blood pressure", "mmHg"),
    "bp_controlled": ("BP controlled at last reading (NICE)", "share"),
    "bp_controlled_true": ("BP below NICE target", "share"),
    "bp_controlled_hypertensive": ("BP controlled at last reading, with hypertension", "share"),
    "eq5d": ("EQ-5D-3L utility", "utility"),
    **{
        f"eq5d_{d}": (f"EQ-5D: any problem with {label}", "share")
        for d, label in zip(DIMENSIONS, DIMENSION_LABELS, strict=True)
    },
    "heiq": ("heiQ positive and active engagement", "score 1-4"),
    "loneliness": ("Loneliness", "0-1"),
    "tbq": ("Treatment burden (TBQ)", "score 0-150"),
    "tbq_unsustainable": ("Treatment burden above 59 (TBQ)", "share"),
    "self_management": ("Self-management carried out", "share"),
    "imbalance": ("Workload-capacity imbalance", "relative overload"),
    "overloaded": ("Workload above capacity", "share"),
    "knowledge_clinical": ("Clinical knowledge", "0-1"),
    "knowledge_lay": ("Lay knowledge", "0-1"),
    "awareness": ("Awareness of resources", "0-1"),
    "self_efficacy": ("Self-efficacy", "0-1"),
    "collective_efficacy": ("Collective efficacy", "0-1"),
    "need_hours": ("Work needed (illness, everyday, emotional)", "hours/week"),
    "received_hours": ("Work given by the network", "hours/week"),
    "unmet_illness": ("Unmet illness work", "hours/week"),
    "unmet_everyday": ("Unmet everyday work", "hours/week"),
    "unmet_emotional": ("Unmet emotional work", "hours/week"),
    "member_strain": ("Strain of personal members", "0-1"),
    "gp_contacts": ("Primary-care contacts", "contacts/week"),
    "admissions": ("Admissions since week 0", "per patient"),
    "cost": ("Health-service cost since week 0", "GBP"),
    "cost_contacts": ("Cost of primary-care contacts since week 0", "GBP"),
    "cost_medicines": ("Cost of medicines dispensed since week 0", "GBP"),
    "cost_admissions": ("Cost of admissions since week 0", "GBP"),
    "medicines": ("Antihypertensive medicines prescribed", "medicines per patient"),
    "persisting": ("Still taking prescribed antihypertensives", "share"),
    "egfr": ("True eGFR", "mL/min/1.73 m^2"),
    "mobilisation": ("Help mobilised by rising need", "stock"),
    "qaly": ("QALYs since week 0", "QALY"),
    "joined": ("Groups joined since week 0", "groups per patient"),
    "negotiations": ("Negotiations tried since week 0", "per patient"),
    "progressed": ("Measured CKD stage worse than at recruitment", "share of living patients"),
    "remitted": ("Measured eGFR 60 or more (remitted)", "share of living patients"),
    "kidney_failure": ("Kidney failure (true eGFR below 15)", "share of living patients"),
}
for _tie in codes.TIE_TYPES:
    LABELS[f"given_by_{_tie}"] = (f"Work given per {_tie} tie", "hours/week")

#: Measures that average over a group that may be empty -> when they are NaN (a mean over nobody).
NAN_WHEN: dict[str, str] = {
    "member_strain": "no living patient has a personal member",
    "bp_controlled_hypertensive": "no living patient has hypertension",
    **{f"given_by_{t}": f"no living patient has a {t} tie" for t in codes.TIE_TYPES},
}
for _name, _when in NAN_WHEN.items():
    LABELS[_name] = (f"{LABELS[_name][0]} (NaN if {_when})", LABELS[_name][1])


def _mean(values: np.ndarray, weights: np.ndarray, total: float) -> float:
    """Weighted mean ``sum(values x weights) / total`` (nan when ``total`` is 0)."""
    if not total:
        return float("nan")
    return float((values * weights).sum() / total)


def _network(model: CommunityModel, alive: np.ndarray, n_alive: float) -> dict[str, float]:
    d, masks = model.dynamics, model.weekly.masks
    s = d.slots
    by_type, in_group, strain_sum, n_personal = _network_sums(
        model.weekly.blocks.lo,
        model.weekly.blocks.hi,
        s.active,
        unsigned(s.tie_type),
        unsigned(s.alter),
        masks.group,
        masks.personal,
        d.patients.alive,
        d.members.strain,
        len(codes.TIE_TYPES),
    )
    given = model.weekly.given_by_type  # this week's work given, by tie type
    n_ties = float(by_type.sum())
    out = {
        "mean_network_size": n_ties / n_alive if n_alive else float("nan"),
        "weak_tie_share": float(by_type[list(codes.WEAK_TIE_TYPES)].sum() / max(n_ties, 1.0)),
        "professional_share": float(by_type[codes.PROFESSIONAL] / max(n_ties, 1.0)),
        "group_participation": _mean(in_group, alive, n_alive),
        "member_strain": strain_sum / n_personal if n_personal else float("nan"),
    }
    for code, tie in enumerate(codes.TIE_TYPES):
        out[f"given_by_{tie}"] = float(given[code] / by_type[code]) if by_type[code] else np.nan
    return out


@njit(cache=True)
def _network_sums(
    starts: np.ndarray,
    ends: np.ndarray,
    active: np.ndarray,
    tie_type: np.ndarray,
    alter: np.ndarray,
    group: np.ndarray,
    personal: np.ndarray,
    alive: np.ndarray,
    strain: np.ndarray,
    n_types: int,
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """One pass over the slots for the network measures.

    Returns live ties (active, of a living patient) by tie type, per patient 1.0 if in a
    community group, and the sum and number of the strains of personal members of living
    patients.
    """
    counts = np.zeros(n_types, np.int64)
    in_group = np.zeros(len(starts))
    strain_sum = 0.0
    n_personal = 0
    for i in range(len(starts)):
        grouped = False
        for j in range(starts[i], ends[i]):
            grouped |= group[j]
        in_group[i] = grouped
        if not alive[i]:
            continue
        for j in range(starts[i], ends[i]):
            counts[tie_type[j]] += active[j]
            if personal[j]:  # personal ties are active
                strain_sum += strain[alter[j]]
                n_personal += 1
    by_type = counts.astype(np.float64)
    return by_type, in_group, strain_sum, float(n_personal)


def population_measures(model: CommunityModel) -> dict[str, float]:
    """All population measures for the current week (see :data:`LABELS`)."""
    pt = model.dynamics.patients
    alive = pt.alive.astype(float)
    n = float(alive.sum())
    unmet = pt.unmet()
    severity = np.asarray(codes.STAGE_SEVERITY)
    progressed = severity[pt.stage] > severity[model.population.patients.stage]
    hypertensive = alive * model.population.patients.hypertension
    prescribed = alive * (pt.medicines > 0)
    problems = pt.eq5d_level > 1

    def mean(values: np.ndarray) -> float:
        return _mean(values, alive, n)

    out: dict[str, float] = {
        "week": model.week,
        "n_alive": int(n),
        "died": float(1.0 - (n + model.moved_away.sum()) / len(alive)),  # moving away is no death
        "sbp": mean(pt.sbp),
        "bp_controlled": mean(pt.controlled),
        "bp_controlled_true": mean(pt.sbp < model.weekly.targets),
        "bp_controlled_hypertensive": _mean(pt.controlled, hypertensive, hypertensive.sum()),
        "eq5d": mean(pt.utility),
        **{f"eq5d_{d}": mean(problems[:, k]) for k, d in enumerate(DIMENSIONS)},
        "heiq": mean(pt.heiq),
        "loneliness": mean(pt.loneliness),
        "tbq": mean(pt.tbq),
        "tbq_unsustainable": mean(pt.tbq > 59),
        "self_management": mean(pt.self_management),
        "imbalance": mean(pt.imbalance),
        "overloaded": mean(pt.imbalance > 0),
        "knowledge_clinical": mean(pt.knowledge_clinical),
        "knowledge_lay": mean(pt.knowledge_lay),
        "awareness": mean(pt.awareness),
        "self_efficacy": mean(pt.self_efficacy),
        "collective_efficacy": mean(pt.collective),
        "need_hours": mean(total_work(pt.need)),
        "received_hours": mean(total_work(pt.received)),
        "unmet_illness": mean(unmet[:, 0]),
        "unmet_everyday": mean(unmet[:, 1]),
        "unmet_emotional": mean(unmet[:, 2]),
        "gp_contacts": mean(pt.contacts),
        "admissions": float(pt.admissions.mean()),
        "cost": float(pt.cost.mean()),
        "cost_contacts": float(pt.cost_contacts.mean()),
        "cost_medicines": float(pt.cost_medicines.mean()),
        "cost_admissions": float(pt.cost_admissions.mean()),
        "medicines": mean(pt.medicines),
        "persisting": _mean(pt.persisting, prescribed, prescribed.sum()),
        "egfr": mean(pt.egfr),
        "mobilisation": mean(pt.mobilisation),
        "qaly": float(pt.qaly.mean()),
        "joined": float(pt.joined.mean()),
        "negotiations": float(pt.negotiations.mean()),
        "progressed": mean(progressed),
        "remitted": mean(pt.stage == codes.REMITTED),
        "kidney_failure": mean(pt.egfr < 15.0),
    }
    out.update(_network(model, alive, n))
    return {key: out[key] for key in LABELS}


#: Per-patient columns recorded at the weeks in ``outputs.patient_weeks``.
PATIENT_COLUMNS: tuple[str, ...] = (
    "alive",
    "age",
    "stage",
    "egfr",
    "egfr_reading",
    "comorbidity",
    "sbp",
    "sbp_reading",
    "controlled",
    "medicines",
    "persisting",
    "utility",
    "heiq",
    "loneliness",
    "tbq",
    "self_management",
    "imbalance",
    "knowledge_clinical",
    "knowledge_lay",
    "awareness",
    "self_efficacy",
    "collective",
    "contacts",
    "admissions",
    "cost",
    "cost_contacts",
    "cost_medicines",
    "cost_admissions",
    "qaly",
    "joined",
)


def patient_snapshot(model: CommunityModel) -> pd.DataFrame:
    """Every patient's state now, one row per patient (stage as its label)."""
    pt = model.dynamics.patients
    d = model.dynamics
    live = d.slots.active
    frame = pd.DataFrame({"week": model.week, "patient": np.arange(len(pt.alive))})
    for column in PATIENT_COLUMNS:
        frame[column] = getattr(pt, column)
    frame["stage"] = np.asarray(codes.CKD_STAGES)[pt.stage]
    for k, dimension in enumerate(DIMENSIONS):
        frame[f"eq5d_{dimension}"] = pt.eq5d_level[:, k]
    frame["network_size"] = np.bincount(d.slots.ego[live], minlength=len(pt.alive))
    groups = live & (d.slots.tie_type == codes.GROUP_TIE)
    frame["group_ties"] = np.bincount(d.slots.ego[groups], minlength=len(pt.alive))
    frame["unmet_hours"] = pt.unmet().sum(axis=1)
    frame["received_hours"] = pt.received.sum(axis=1)
    return frame
