"""Book-keeping of tie slots: masks of tie kinds, forming group ties and ending ties.

Empty slots hold no weight anywhere: their contact is zero, their broker flag is off and their
member is the sentinel row, so weekly sums over all slots need no "active" mask. (A tie's base
offer of work follows from its type, circle and proximity,
:func:`~sim.dynamics.state.offer_by_kind`, and the clinical knowledge it passes on from its type;
the weekly mediation skips empty slots.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.dynamics.state import Slots, by_tie_type
from sim.population import codes

_PERSONAL = np.zeros(len(codes.TIE_TYPES), bool)
_PERSONAL[list(codes.PERSONAL_TIE_TYPES)] = True


@dataclass
class SlotMasks:
    """Per-slot masks of active ties by kind, kept in step with the slots.

    Attributes:
        group: Active ties to community groups.
        personal: Active ties to people of the patient's own community (partner, family,
            friends, neighbours, acquaintances).
        professional: Active ties to health professionals.
        social: Active ties other than pets (their contact counts against loneliness).
    """

    group: np.ndarray
    personal: np.ndarray
    professional: np.ndarray
    social: np.ndarray

    @classmethod
    def of(cls, slots: Slots) -> SlotMasks:
        """Masks for the slots as they are."""
        active, kind = slots.active, slots.tie_type
        return cls(
            group=active & (kind == codes.GROUP_TIE),
            personal=active & _PERSONAL[kind],
            professional=active & (kind == codes.PROFESSIONAL),
            social=active & (kind != codes.PET),
        )


def end_slots(slots: Slots, masks: SlotMasks, index: np.ndarray, sentinel: int) -> None:
    """Empty the slots ``index`` (in place)."""
    if not len(index):
        return
    slots.active[index] = False
    slots.alter[index] = sentinel
    slots.contact[index] = 0.0
    slots.broker[index] = False
    for mask in (masks.group, masks.personal, masks.professional, masks.social):
        mask[index] = False


@dataclass(frozen=True)
class NewGroupTie:
    """What a newly joined group tie looks like (from the scenario)."""

    contact: float
    strength: float
    quality: float
    lay_source: float
    lay_source_support_group: float

    @classmethod
    def from_parameters(cls, p: Mapping[str, Any], contact: float) -> NewGroupTie:
        """Build from the mechanism parameters and the contact rate of an outer-circle group."""
        tie = codes.GROUP_TIE
        return cls(
            contact=contact,
            strength=p["navigation.initial_strength"],
            quality=p["negotiation.quality_initial"],
            lay_source=float(by_tie_type(p, "knowledge.lay_source")[tie]),
            lay_source_support_group=p["knowledge.lay_source_support_group"],
        )


def fill_group_slots(
    slots: Slots,
    masks: SlotMasks,
    slot: np.ndarray,
    groups: np.ndarray,
    fit: np.ndarray,
    template: NewGroupTie,
    support_group: np.ndarray,
    broker: np.ndarray,
) -> None:
    """Form new (weak, outer-circle) group ties in empty slots (in place).

    Args:
        slots: The tie slots.
        masks: Their masks.
        slot: Empty slots to fill.
        groups: Group node of each new tie.
        fit: Preference fit of each new tie (0-1).
        template: Attributes shared by new group ties.
        support_group: Per node, True for support groups (they carry more lay knowledge).
        broker: Per node, True if the group links to other groups or services.
    """
    slots.alter[slot] = groups
    slots.tie_type[slot] = codes.GROUP_TIE
    slots.circle[slot] = codes.OUTER
    slots.proximity[slot] = codes.NEARBY
    slots.contact[slot] = template.contact
    slots.active[slot] = True
    slots.weak[slot] = True
    slots.strength[slot] = template.strength
    slots.quality[slot] = template.quality
    slots.share[slot] = 1.0
    slots.fit[slot] = fit
    slots.lay_source[slot] = np.where(
        support_group[groups], template.lay_source_support_group, template.lay_source
    )
    slots.broker[slot] = broker[groups]
    masks.group[slot] = True
    masks.social[slot] = True
    masks.personal[slot] = False
    masks.professional[slot] = False
