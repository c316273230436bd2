"""Book-keeping of tie slots: forming group ties and ending ties.

Empty slots hold no weight anywhere: their contact, offers and broker flag are zero and their
member is the sentinel row, so weekly sums over all slots need no "active" mask. Which kind of
tie a slot holds is read from ``active`` and ``tie_type``: a group tie, a personal tie (partner,
family, friends, neighbours, acquaintances), a professional, or a pet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.state import Slots, by_tie_type, record, slot_offer
from sim.population import codes

#: Per tie type, True for personal ties (people of the patient's own community).
PERSONAL = np.zeros(len(codes.TIE_TYPES), np.bool_)
PERSONAL[list(codes.PERSONAL_TIE_TYPES)] = True


@njit(cache=True, inline="always")
def is_group(s: Any, j: int) -> bool:
    """Whether slot ``j`` holds a tie to a community group (``s``: the slot record)."""
    return s.active[j] and s.tie_type[j] == codes.GROUP_TIE


@njit(cache=True, inline="always")
def is_personal(s: Any, j: int) -> bool:
    """Whether slot ``j`` holds a tie to a person of the patient's own community."""
    return s.active[j] and PERSONAL[s.tie_type[j]]


@njit(cache=True, inline="always")
def end_slot(s: Any, j: int, sentinel: int) -> None:
    """Empty slot ``j`` of the slot record ``s`` (in place)."""
    s.active[j] = False
    s.alter[j] = sentinel
    s.contact[j] = 0.0
    s.offer[j, 0] = s.offer[j, 1] = s.offer[j, 2] = 0.0
    s.broker[j] = 0.0


@njit(cache=True, inline="always")
def _end_each(s: Any, index: np.ndarray, sentinel: int) -> None:
    for j in index:
        end_slot(s, j, sentinel)


def end_slots(slots: Slots, index: np.ndarray, sentinel: int) -> None:
    """Empty the slots ``index`` (in place)."""
    _end_each(record(slots), np.asarray(index, np.int64), sentinel)


class NewGroupTie(NamedTuple):
    """What a newly joined group tie looks like (from the scenario)."""

    contact: float
    strength: float
    quality: float
    offer: np.ndarray
    clinical_source: float
    lay_source: float
    lay_source_support_group: float

    @classmethod
    def from_parameters(cls, p: Mapping[str, Any], contact: float) -> NewGroupTie:
        """Build from the mechanism parameters and the contact rate of an outer-circle group."""
        tie = codes.GROUP_TIE
        offer = slot_offer(p, np.array([tie]), np.array([codes.OUTER]), np.array([codes.NEARBY]))
        return cls(
            contact=float(contact),
            strength=float(p["navigation.initial_strength"]),
            quality=float(p["negotiation.quality_initial"]),
            offer=np.ascontiguousarray(offer[0], dtype=float),
            clinical_source=float(by_tie_type(p, "knowledge.clinical_source")[tie]),
            lay_source=float(by_tie_type(p, "knowledge.lay_source")[tie]),
            lay_source_support_group=float(p["knowledge.lay_source_support_group"]),
        )


@njit(cache=True, inline="always")
def fill_group_slot(s: Any, j: int, group: int, fit: float, new: NewGroupTie, world: Any) -> None:
    """Form a new (weak, outer-circle) group tie in the empty slot ``j`` (in place).

    Args:
        s: The slot record.
        j: The slot.
        group: The group's node.
        fit: Preference fit of the new tie (0-1).
        new: Attributes shared by new group ties.
        world: The static record (:class:`sim.dynamics.passes.Cohort`): per node, whether a
            group is a support group (more lay knowledge) and links to other groups or services.
    """
    s.alter[j] = group
    s.tie_type[j] = codes.GROUP_TIE
    s.circle[j] = codes.OUTER
    s.proximity[j] = codes.NEARBY
    s.contact[j] = new.contact
    s.active[j] = True
    s.weak[j] = True
    s.strength[j] = new.strength
    s.quality[j] = new.quality
    s.share[j] = 1.0
    s.fit[j] = fit
    s.offer[j, 0], s.offer[j, 1], s.offer[j, 2] = new.offer[0], new.offer[1], new.offer[2]
    s.clinical_source[j] = new.clinical_source
    support = world.support_group[group]
    s.lay_source[j] = new.lay_source_support_group if support else new.lay_source
    s.broker[j] = 1.0 if world.broker[group] else 0.0
