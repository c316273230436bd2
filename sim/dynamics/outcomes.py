"""Patient outcomes: participation, loneliness and heiQ engagement.

Established participation saturates in the summed strength of the patient's group ties (Munford
et al. 2017, 2020; Reeves et al. 2014). Loneliness falls with emotional need met and with contact
(contacts/week with every member except pets). heiQ positive and active engagement is on its 1-4
scale (Osborne et al. 2007), with no smoothing. The week's other outcomes are computed with
these: EQ-5D by dimension (:mod:`eq5d`), treatment burden (:mod:`workload`), and service use,
costs and QALYs (:mod:`services`).

Equations:
    P = 1 - exp(-sum_j strength_ij over group ties)
    Lon = clip(Lon0_i - l_e met_emotional - l_c (1 - exp(-contacts_social / c_scale)), 0, 1)
    heiQ = clip(h0 + e'_i + h_se SE + h_p P + h_ce CE - h_z min(z, 1), 1, 4)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics import eq5d
from sim.dynamics.records import parameters

HEIQ_MIN, HEIQ_MAX = 1.0, 4.0


class OutcomeParams(NamedTuple):
    """The parameters of loneliness and heiQ (``mechanisms.outcomes.*``)."""

    heiq_base: float
    heiq_self_efficacy: float
    heiq_participation: float
    heiq_collective: float
    heiq_imbalance: float
    contact_scale: float
    loneliness_emotional: float
    loneliness_contact: float

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> OutcomeParams:
        """The record from the mechanism parameters."""
        return parameters(cls, p, "outcomes")


@njit(cache=True)
def participation(group_strength: float) -> float:
    """Established participation, 0-1, from the summed strength of a patient's group ties."""
    return 1.0 - np.exp(-group_strength)


@njit(cache=True, inline="always")
def heiq(
    q: OutcomeParams,
    offset: float,
    self_efficacy: float,
    participation_: float,
    collective: float,
    imbalance: float,
) -> float:
    """HeiQ positive and active engagement in life (1-4)."""
    score = (
        q.heiq_base
        + offset
        + q.heiq_self_efficacy * self_efficacy
        + q.heiq_participation * participation_
        + q.heiq_collective * collective
        - q.heiq_imbalance * min(imbalance, 1.0)
    )
    return min(max(score, HEIQ_MIN), HEIQ_MAX)


@njit(cache=True, inline="always")
def loneliness(
    q: OutcomeParams, base: float, emotional_met: float, contacts_per_week: float
) -> float:
    """Loneliness, 0-1 (see the module docstring)."""
    contact = 1.0 - np.exp(-contacts_per_week / q.contact_scale)
    value = base - q.loneliness_emotional * emotional_met - q.loneliness_contact * contact
    return min(max(value, 0.0), 1.0)


@njit(cache=True, inline="always")
def outcomes(q: OutcomeParams, quality: eq5d.Eq5dParams, i: int, pt: Any, out: Any) -> None:
    """Patient ``i``'s loneliness, EQ-5D by dimension and heiQ this week, in place.

    ``quality`` holds the parameters of :mod:`eq5d`; ``pt`` is the patient record; ``out`` the
    week's outputs, with contact with members and participation.
    """
    need, received = pt.need, pt.received
    met = received[i, 2] / need[i, 2] if need[i, 2] > 0 else 1.0
    pt.loneliness[i] = loneliness(q, pt.loneliness_base[i], met, out.social_contact[i])
    unmet_everyday = max(need[i, 1] - received[i, 1], 0.0)
    unmet_share = unmet_everyday / need[i, 1] if need[i, 1] > 0 else 0.0
    taking_part = out.taking_part[i]
    eq5d.advance(quality, i, pt, unmet_share, taking_part)
    pt.heiq[i] = heiq(
        q, pt.heiq_offset[i], pt.self_efficacy[i], taking_part, pt.collective[i], pt.imbalance[i]
    )
