"""A handful of patients' personal communities, in both arms, as one Vega-Lite chart.

One small concentric-circle map per patient and arm (as :mod:`sim.plots.community_map` draws
them): a row per arm, a column per patient, the same patients in both rows. The disc at the centre
is the patient, coloured by a state chosen from :data:`PATIENT_STATES` (its value written inside);
the members around are coloured by their strain, shaped by kind, and joined to the patient by a
line in the colour of their tie type, thicker the more often they are in contact. Members keep
their place from week 0; a tie that has ended leaves a hollow grey marker; a tie formed since
week 0 (a group joined, say) sits in the gap at the top of the map.

The chart's specification (:func:`map_spec`) is built once per chosen state; each week only its
data (:func:`map_rows`, a few hundred rows read from the models' arrays) is sent to the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.app.teaching_model import ARM_LABELS, TeachingModel
from sim.model import CommunityModel
from sim.plots.community_map import RADII, line_width, member_positions
from sim.plots.style import TIE_LABELS
from sim.population import codes

#: Patient states the centre disc can show: array in ``dynamics.patients`` -> (label, low, high).
PATIENT_STATES: Mapping[str, tuple[str, float, float]] = {
    "knowledge_clinical": ("Clinical knowledge", 0.0, 1.0),
    "knowledge_lay": ("Lay knowledge", 0.0, 1.0),
    "awareness": ("Awareness of local resources", 0.0, 1.0),
    "heiq": ("Engagement (heiQ)", 1.0, 4.0),
    "self_efficacy": ("Self-efficacy", 0.0, 1.0),
    "collective": ("Collective efficacy", 0.0, 1.0),
    "loneliness": ("Loneliness", 0.0, 1.0),
}
#: Strain at which a member's colour is darkest (strain is 0-1; most members stay below this).
STRAIN_MAX = 0.5
#: Radii the circles are drawn at in the app (data units): wider apart at the centre than
#: :data:`sim.plots.community_map.RADII`, so that the closest members are not hidden by the disc.
DRAWN_RADII: tuple[float, float, float] = (1.4, 2.225, 3.05)
#: Angular half-width (radians) of the gap at the top where ties formed since week 0 sit.
_NEW_GAP = np.deg2rad(14)
#: Names of the tie types on the maps (short, so that the key fits beside them).
TIE_KEY: Mapping[str, str] = {**TIE_LABELS, "group": "Group"}
#: Name of the chart's dataset.
DATASET = "maps"


@dataclass(frozen=True)
class CommunityNow:
    """One patient's community in one arm now, with week-0 places.

    Attributes:
        xy: Position of every member drawn (week-0 members first, then new ones).
        tie_type: Tie-type code of each.
        kind: Node-kind code of each.
        current: True if the tie holds now.
        new: True if the tie was formed after week 0.
        contact: Contacts per week now (0 for ended ties).
        strain: Member strain now.
    """

    xy: np.ndarray
    tie_type: np.ndarray
    kind: np.ndarray
    current: np.ndarray
    new: np.ndarray
    contact: np.ndarray
    strain: np.ndarray


def community_now(model: CommunityModel, patient: int) -> CommunityNow:
    """Gather ``patient``'s week-0 and current ties in ``model`` for drawing."""
    pop, d = model.population, model.dynamics
    week0 = np.flatnonzero(pop.ties.ego == patient)
    slots = model.ties_of(patient)
    alter0, alter_now = pop.ties.alter[week0], d.slots.alter[slots]
    added = slots[~np.isin(alter_now, alter0)]
    now_of = dict(zip(alter_now.tolist(), d.slots.contact[slots].tolist(), strict=True))
    alter = np.concatenate([alter0, d.slots.alter[added]])
    tie_type = np.concatenate([pop.ties.tie_type[week0], d.slots.tie_type[added]]).astype(int)
    circle = np.concatenate([pop.ties.circle[week0], d.slots.circle[added]]).astype(int)
    xy = np.concatenate(
        [member_positions(tie_type[: len(week0)], circle[: len(week0)]), _top(circle[len(week0) :])]
    )
    return CommunityNow(
        xy=xy,
        tie_type=tie_type,
        kind=pop.nodes.kind[alter].astype(int),
        current=np.isin(alter, alter_now),
        new=np.arange(len(alter)) >= len(week0),
        contact=np.array([now_of.get(a, 0.0) for a in alter.tolist()]),
        strain=d.members.strain[alter],
    )


def _top(circle: np.ndarray) -> np.ndarray:
    """Positions in the gap at the top of the map for ties formed since week 0."""
    n = len(circle)
    angle = np.pi / 2 + _NEW_GAP * (np.arange(n) - (n - 1) / 2) / max(n, 1)
    radius = np.asarray(RADII)[circle]
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _community_rows(now: CommunityNow) -> list[dict[str, Any]]:
    """Spokes (ties that hold) and members (hollow where the tie has ended) of one map."""
    rows: list[dict[str, Any]] = []
    widths = line_width(now.contact)
    radius = np.hypot(*now.xy.T)
    drawn = np.interp(radius, RADII, DRAWN_RADII)
    xy = now.xy * np.divide(drawn, radius, out=np.ones_like(radius), where=radius > 0)[:, None]
    for i, (x, y) in enumerate(np.round(xy, 3).tolist()):
        tie = TIE_KEY[codes.TIE_TYPES[now.tie_type[i]]]
        kind = codes.NODE_KINDS[now.kind[i]]
        if now.current[i]:
            rows.append({"layer": "spoke", "x": x, "y": y, "tie": tie, "width": widths[i]})
        strain = round(float(now.strain[i]), 3)
        ended = not now.current[i]
        rows.append(
            {"layer": "member", "x": x, "y": y, "kind": kind, "strain": strain, "ended": ended}
        )
    return rows


def _took_up(model: CommunityModel, patient: int) -> str:
    """How many of the delivered components a patient took up (intervention arm)."""
    received = model.interventions.received
    taken = sum(int(counts[patient] > 0) for counts in received.values())
    return f"took up {taken} of {len(received)}"


def arm_mean(model: TeachingModel, arm: str, state: str) -> float:
    """The chosen state's mean over an arm's living patients."""
    patients = model.arms[arm].dynamics.patients
    return float(getattr(patients, state)[patients.alive].mean())


def map_rows(model: TeachingModel, state: str, page: int = 0) -> list[dict[str, Any]]:
    """The chart's data: every shown patient's community in both arms, as they are now.

    Besides the maps, the rows hold the headers: a column per patient (who, and the type of
    their personal community) and a row per arm (its name and the chosen state's mean over all
    its patients).

    Args:
        model: The teaching model.
        state: A key of :data:`PATIENT_STATES` (the centre's colour and value).
        page: Which of the shown patients (see :meth:`TeachingModel.shown_patients`).
    """
    network_type = model.population.patients.network_type
    shown = model.shown_patients(page)
    rows: list[dict[str, Any]] = []
    for column, patient in enumerate(shown):
        network = codes.NETWORK_TYPES[network_type[patient]].replace("_", " ")
        text = [f"Patient {patient}", network]
        rows.append({"layer": "header", "column": column, "text": text})
    for row, (arm, arm_model) in enumerate(model.arms.items()):
        mean = f"mean {arm_mean(model, arm, state):.2f}"
        rows.append({"layer": "rowlabel", "row": row, "text": [ARM_LABELS[arm], mean]})
        values = getattr(arm_model.dynamics.patients, state)
        for column, patient in enumerate(shown):
            cell = {"row": row, "column": column}
            value = float(values[patient])
            rows += [{**cell, "layer": "ring", "ring": i} for i in range(len(DRAWN_RADII))]
            rows += [{**cell, **r} for r in _community_rows(community_now(arm_model, patient))]
            rows.append({**cell, "layer": "patient", "value": value, "text": f"{value:.2f}"})
            if arm == "intervention" and model.components():
                rows.append({**cell, "layer": "note", "text": _took_up(arm_model, patient)})
    return rows
