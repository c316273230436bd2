"""Dynamic state: per-patient, per-member and per-tie-slot arrays, and their baseline values.

Tie slots copy the population's ties patient by patient and leave ``navigation.max_new_ties``
free slots after each patient's block for ties formed later; a slot whose tie ends is freed.
Inactive slots have ``alter == n_nodes`` (a sentinel row) and weight zero everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from sim.population import codes
from sim.population.arrays import _Table

KINDS_OF_WORK = codes.KINDS_OF_WORK


@dataclass
class Slots(_Table):
    """Patient-member tie slots, contiguous per patient (``Dynamics.starts``).

    Attributes:
        ego: Patient node id.
        alter: Member node id (``n_nodes`` when the slot is empty).
        tie_type, circle, proximity: As in :class:`sim.population.arrays.Ties`.
        contact: Contacts per week.
        active: True while the slot holds a tie.
        strength: Tie strength, 0-1 (new ties start weak).
        quality: Relationship quality, 0-1 (negotiation).
        share: Negotiated multiplier on the member's offer of work (1 = as at baseline).
        fit: How well a group matches the patient's preferences, 0-1 (1 for other ties).
        lay_source: Lay knowledge passed on per contact, 0-1 (by tie type, raised for peers and
            support groups). Clinical knowledge per contact follows from the tie type alone
            (``mechanisms.knowledge.clinical_source.<tie>``), so it is not kept per slot.
        broker: True if the member can introduce the patient to local groups.
        weak: True for weak ties (acquaintances, groups).
    """

    ego: np.ndarray
    alter: np.ndarray
    tie_type: np.ndarray
    circle: np.ndarray
    proximity: np.ndarray
    contact: np.ndarray
    active: np.ndarray
    strength: np.ndarray
    quality: np.ndarray
    share: np.ndarray
    fit: np.ndarray
    lay_source: np.ndarray
    broker: np.ndarray
    weak: np.ndarray


@dataclass
class Members(_Table):
    """Per-node member state (row = node id; one extra sentinel row for empty slots).

    Attributes:
        strain: Accumulated strain, 0-1.
        capacity: Hours/week the member can give in all (strain grows with load over it).
        peer: True if the member lives with a long-term condition (carries lay knowledge).
        broker: True if the member is linked to local groups or services.
        load: Hours/week given last week.
    """

    strain: np.ndarray
    capacity: np.ndarray
    peer: np.ndarray
    broker: np.ndarray
    load: np.ndarray


@dataclass
class PatientState(_Table):
    """Per-patient dynamic state (row = patient node id). Units in :mod:`sim.params`.

    Clinical state: ``egfr`` true eGFR and ``egfr_slope`` its annual decline (mL/min/1.73 m^2),
    ``egfr_reading`` the last clinic reading and ``stage`` its band (the measured CKD stage),
    ``comorbidity`` other long-term conditions; ``medicines`` prescribed, ``persisting`` still
    taking them, ``adherence`` share of doses taken; ``sbp_base`` the patient's own untreated
    level and ``sbp_untreated`` this week's. EQ-5D: ``eq5d_latent``, ``eq5d_level`` (1-3) and
    ``eq5d_effect`` (individual effects) per dimension, shape (n, 5). Support: ``mobilisation``
    of help after a rise in need, and ``need_previous`` (last week's total need, hours/week).
    Services: ``contacts`` per week, ``reviewed`` this week, and cumulative ``admissions`` and
    costs by component (``cost_contacts``, ``cost_medicines``, ``cost_admissions``; ``cost``
    their sum) since recruitment.
    """

    alive: np.ndarray
    age: np.ndarray
    stage: np.ndarray
    egfr: np.ndarray
    egfr_slope: np.ndarray
    egfr_reading: np.ndarray
    comorbidity: np.ndarray
    limitation: np.ndarray
    limitation_noise: np.ndarray
    mental: np.ndarray
    mental_base: np.ndarray
    knowledge_clinical: np.ndarray
    knowledge_lay: np.ndarray
    awareness: np.ndarray
    awareness_base: np.ndarray
    guidance: np.ndarray
    match: np.ndarray
    self_efficacy: np.ndarray
    self_efficacy_base: np.ndarray
    collective: np.ndarray
    cohesion: np.ndarray
    reluctance: np.ndarray
    skill: np.ndarray
    medicines: np.ndarray
    medicines_base: np.ndarray
    persisting: np.ndarray
    adherence: np.ndarray
    sbp_base: np.ndarray
    sbp_untreated: np.ndarray
    sbp: np.ndarray
    sbp_reading: np.ndarray
    controlled: np.ndarray
    reviewed: np.ndarray
    self_management: np.ndarray
    need: np.ndarray
    need_previous: np.ndarray
    mobilisation: np.ndarray
    received: np.ndarray
    received_professional: np.ndarray
    treatment_work: np.ndarray
    capacity_own: np.ndarray
    capacity: np.ndarray
    imbalance: np.ndarray
    brokerage: np.ndarray
    eq5d_latent: np.ndarray
    eq5d_level: np.ndarray
    eq5d_effect: np.ndarray
    utility: np.ndarray
    heiq: np.ndarray
    heiq_offset: np.ndarray
    loneliness: np.ndarray
    loneliness_base: np.ndarray
    tbq: np.ndarray
    contacts: np.ndarray
    cost_contacts: np.ndarray
    cost_medicines: np.ndarray
    cost_admissions: np.ndarray
    cost: np.ndarray
    qaly: np.ndarray
    admissions: np.ndarray
    joined: np.ndarray
    negotiations: np.ndarray

    def unmet(self) -> np.ndarray:
        """Unmet need per kind of work, hours/week, shape (n, 3)."""
        return np.maximum(self.need - self.received, 0.0)


@dataclass
class Dynamics:
    """All dynamic arrays of a model.

    Attributes:
        patients: Per-patient state.
        members: Per-node member state.
        slots: Tie slots.
        starts: First slot of each patient's block (length n_patients).
        block_end: One past the last slot of each patient's block.
    """

    patients: PatientState
    members: Members
    slots: Slots
    starts: np.ndarray
    block_end: np.ndarray

    def copy(self) -> Dynamics:
        """Deep copy (used to branch trial arms from one baseline)."""

        def dup(table: Any) -> Any:
            return type(table)(**{f.name: getattr(table, f.name).copy() for f in fields(table)})

        return Dynamics(
            dup(self.patients),
            dup(self.members),
            dup(self.slots),
            self.starts.copy(),
            self.block_end.copy(),
        )


def by_tie_type(p: Mapping[str, Any], prefix: str) -> np.ndarray:
    """Vector over ``codes.TIE_TYPES`` of the parameters ``<prefix>.<tie type>``."""
    return np.array([p[f"{prefix}.{tie}"] for tie in codes.TIE_TYPES], dtype=float)


def offer_table(p: Mapping[str, Any]) -> np.ndarray:
    """Array (n tie types, 3) of inner-circle offers in hours/week."""
    return np.stack([by_tie_type(p, f"support.offer_{w}") for w in KINDS_OF_WORK], axis=1)


def slot_offer(
    p: Mapping[str, Any], tie_type: np.ndarray, circle: np.ndarray, proximity: np.ndarray
) -> np.ndarray:
    """Hours/week a member can offer by tie type, closeness circle and proximity, shape (n, 3).

    offer = offer[tie type] x rel_circle[circle] x rel_proximity[proximity, kind of work]
    (Vassilev et al. 2013: relationship type, proximity and contact drive contribution).
    """
    rel_circle = np.array([1.0, p["support.rel_circle_middle"], p["support.rel_circle_outer"]])
    far = proximity == codes.FURTHER
    rel_far = np.array(
        [
            p["support.rel_further_other"],
            p["support.rel_further_everyday"],
            p["support.rel_further_other"],
        ]
    )
    offer = offer_table(p)[tie_type] * rel_circle[circle][:, None]
    return np.where(far[:, None], offer * rel_far[None, :], offer)


def offer_by_kind(p: Mapping[str, Any]) -> np.ndarray:
    """:func:`slot_offer` of every tie type, circle and proximity, shape (types, 3, 3, 3).

    Indexed ``[tie_type, circle, proximity, kind of work]``: the base offer of a tie is a function
    of those three codes alone, so the weekly mediation reads it from this table (about 1 KB)
    instead of keeping three numbers per slot. Computed by :func:`slot_offer` itself, so the
    numbers are the same to the last bit.
    """
    shape = (len(codes.TIE_TYPES), len(codes.CIRCLES), len(codes.PROXIMITIES))
    tie_type, circle, proximity = (a.ravel() for a in np.indices(shape))
    return slot_offer(p, tie_type, circle, proximity).reshape(*shape, len(KINDS_OF_WORK))
