"""Life events a lesson can stage between two weeks, through the model's public state.

A tie ends in the model when a group tie lapses or a negotiation breaks a relationship; the
dynamics then empty the tie's slot (:func:`sim.dynamics.ties.end_slots`), after which the member
gives nothing, shares no knowledge and no longer counts in the network. An event here ends a tie
the same way, so the mechanisms carry its consequences forward from the next week. The model
itself has no such events (they are not part of a trial); they exist for teaching.
"""

from __future__ import annotations

import numpy as np

from sim.dynamics.ties import end_slots
from sim.model import CommunityModel
from sim.population import codes

PARTNER = codes.TIE_TYPES.index("partner")


def partner_slots(model: CommunityModel, patient: int) -> np.ndarray:
    """The slots of ``patient``'s current ties to a partner (usually none or one)."""
    slots = model.ties_of(patient)
    return slots[model.dynamics.slots.tie_type[slots] == PARTNER]


def has_partner(model: CommunityModel, patient: int) -> bool:
    """True if ``patient`` has a partner in their personal community now."""
    return len(partner_slots(model, patient)) > 0


def lose_partner(model: CommunityModel, patient: int) -> int:
    """End ``patient``'s ties to a partner (a separation or a death); return how many ended."""
    slots = partner_slots(model, patient)
    end_slots(model.dynamics.slots, model.weekly.masks, slots, model.weekly.sentinel)
    return len(slots)
