"""Population measures recorded each week, and per-patient snapshots at chosen weeks.

Each measure is a vectorised function of the model's arrays, averaged over living patients unless
it says otherwise. Column names are snake_case; :data:`LABELS` holds the human label and unit of
each, in one place for tables and figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim import codes

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
    "eq5d": ("EQ-5D-3L utility", "utility"),
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
    "cost": ("Health-service cost since week 0", "GBP"),
    "qaly": ("QALYs since week 0", "QALY"),
    "joined": ("Groups joined since week 0", "groups per patient"),
    "negotiations": ("Negotiations tried since week 0", "per patient"),
    "progressed": ("Progressed to a worse CKD stage than at week 0", "share"),
    "remitted": ("Remitted (eGFR 60 or more)", "share"),
}
for _tie in codes.TIE_TYPES:
    LABELS[f"given_by_{_tie}"] = (f"Work given per {_tie} tie", "hours/week")


def _mean(values: np.ndarray, mask: np.ndarray) -> float:
    return float(values[mask].mean()) if mask.any() else float("nan")


def _network(model: CommunityModel) -> dict[str, float]:
    d = model.dynamics
    alive = d.patients.alive
    s = d.slots
    live = s.active & alive[s.ego]
    n_ties = int(live.sum())
    in_group = np.zeros(len(alive), bool)
    in_group[s.ego[live & (s.tie_type == codes.GROUP_TIE)]] = True
    weak = np.isin(s.tie_type, codes.WEAK_TIE_TYPES)
    personal = live & np.isin(s.tie_type, codes.PERSONAL_TIE_TYPES)
    out = {
        "mean_network_size": n_ties / max(int(alive.sum()), 1),
        "weak_tie_share": float((live & weak).sum() / max(n_ties, 1)),
        "professional_share": float(
            (live & (s.tie_type == codes.PROFESSIONAL)).sum() / max(n_ties, 1)
        ),
        "group_participation": _mean(in_group, alive),
        "member_strain": _mean(d.members.strain[s.alter], personal),
    }
    given = model.weekly.given.sum(axis=1)
    for code, tie in enumerate(codes.TIE_TYPES):
        out[f"given_by_{tie}"] = _mean(given, live & (s.tie_type == code))
    return out


def population_measures(model: CommunityModel) -> dict[str, float]:
    """All population measures for the current week (see :data:`LABELS`)."""
    pt = model.dynamics.patients
    alive = pt.alive
    unmet = pt.unmet()
    severity = np.asarray(codes.STAGE_SEVERITY)
    out: dict[str, float] = {
        "week": model.week,
        "n_alive": int(alive.sum()),
        "died": float(1.0 - alive.mean()),
        "sbp": _mean(pt.sbp, alive),
        "bp_controlled": _mean(pt.controlled, alive),
        "bp_controlled_true": _mean(pt.sbp < model.weekly.targets, alive),
        "eq5d": _mean(pt.utility, alive),
        "heiq": _mean(pt.heiq, alive),
        "loneliness": _mean(pt.loneliness, alive),
        "tbq": _mean(pt.tbq, alive),
        "tbq_unsustainable": _mean(pt.tbq > 59, alive),
        "self_management": _mean(pt.self_management, alive),
        "imbalance": _mean(pt.imbalance, alive),
        "overloaded": _mean(pt.imbalance > 0, alive),
        "knowledge_clinical": _mean(pt.knowledge_clinical, alive),
        "knowledge_lay": _mean(pt.knowledge_lay, alive),
        "awareness": _mean(pt.awareness, alive),
        "self_efficacy": _mean(pt.self_efficacy, alive),
        "collective_efficacy": _mean(pt.collective, alive),
        "need_hours": _mean(pt.need.sum(axis=1), alive),
        "received_hours": _mean(pt.received.sum(axis=1), alive),
        "unmet_illness": _mean(unmet[:, 0], alive),
        "unmet_everyday": _mean(unmet[:, 1], alive),
        "unmet_emotional": _mean(unmet[:, 2], alive),
        "gp_contacts": _mean(pt.contacts, alive),
        "cost": float(pt.cost.mean()),
        "qaly": float(pt.qaly.mean()),
        "joined": float(pt.joined.mean()),
        "negotiations": float(pt.negotiations.mean()),
        "progressed": _mean(severity[pt.stage] > severity[model.population.patients.stage], alive),
        "remitted": _mean(pt.stage == codes.REMITTED, alive),
    }
    out.update(_network(model))
    return {key: out[key] for key in LABELS}


#: Per-patient columns recorded at the weeks in ``outputs.patient_weeks``.
PATIENT_COLUMNS: tuple[str, ...] = (
    "alive",
    "age",
    "stage",
    "sbp",
    "sbp_reading",
    "controlled",
    "medicines",
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
    "cost",
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
    frame["network_size"] = np.bincount(d.slots.ego[live], minlength=len(pt.alive))
    groups = live & (d.slots.tie_type == codes.GROUP_TIE)
    frame["group_ties"] = np.bincount(d.slots.ego[groups], minlength=len(pt.alive))
    frame["unmet_hours"] = pt.unmet().sum(axis=1)
    frame["received_hours"] = pt.received.sum(axis=1)
    return frame
