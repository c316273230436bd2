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

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, prange, vectorize

from sim.dynamics.segments import CHUNK, TAKERS, chunk_bounds, following_chunk, take_chunks

HEIQ_MIN, HEIQ_MAX = 1.0, 4.0


@vectorize(cache=True)
def participation(group_strength: float) -> float:
    """Established participation, 0-1, from the summed strength of a patient's group ties.

    A numpy ufunc, also called per patient in compiled passes. Without group ties (strength 0,
    most patients) it is exactly 0, as ``1 - exp(-0)`` is, without computing the exponential.
    """
    if group_strength == 0.0:
        return 0.0
    return 1.0 - math.exp(-group_strength)


def heiq(
    p: Mapping[str, Any],
    offset: np.ndarray,
    self_efficacy: np.ndarray,
    participation_: np.ndarray,
    collective: np.ndarray,
    imbalance: np.ndarray,
) -> np.ndarray:
    """HeiQ positive and active engagement in life (1-4)."""
    out = np.empty(len(offset))
    _heiq_all(offset, self_efficacy, participation_, collective, imbalance, heiq_parameters(p), out)
    return out


def heiq_parameters(p: Mapping[str, Any]) -> tuple[float, float, float, float, float]:
    """``(h0, h_se, h_p, h_ce, h_z)`` of heiQ."""
    names = ("base", "self_efficacy", "participation", "collective", "imbalance")
    return tuple(float(p[f"outcomes.heiq_{name}"]) for name in names)


@njit(cache=True)
def heiq_of(
    offset: float,
    self_efficacy: float,
    participation_: float,
    collective: float,
    imbalance: float,
    parameters: tuple[float, float, float, float, float],
) -> float:
    """HeiQ of one patient (``parameters``: :func:`heiq_parameters`)."""
    base, w_self_efficacy, w_participation, w_collective, w_imbalance = parameters
    score = (
        base
        + offset
        + w_self_efficacy * self_efficacy
        + w_participation * participation_
        + w_collective * collective
        - w_imbalance * min(imbalance, 1.0)
    )
    return min(max(score, HEIQ_MIN), HEIQ_MAX)


@njit(cache=True)
def _heiq_all(
    offset: np.ndarray,
    self_efficacy: np.ndarray,
    participation_: np.ndarray,
    collective: np.ndarray,
    imbalance: np.ndarray,
    parameters: tuple[float, float, float, float, float],
    out: np.ndarray,
) -> None:
    for i in range(len(out)):
        out[i] = heiq_of(
            offset[i], self_efficacy[i], participation_[i], collective[i], imbalance[i], parameters
        )


def loneliness(
    p: Mapping[str, Any], base: np.ndarray, emotional_met: np.ndarray, contacts_per_week: np.ndarray
) -> np.ndarray:
    """Loneliness, 0-1 (see the module docstring)."""
    return loneliness_of(
        base,
        emotional_met,
        contacts_per_week,
        p["outcomes.contact_scale"],
        p["outcomes.loneliness_emotional"],
        p["outcomes.loneliness_contact"],
    )


@vectorize(cache=True)
def loneliness_of(
    base: float,
    emotional_met: float,
    contacts_per_week: float,
    contact_scale: float,
    w_emotional: float,
    w_contact: float,
) -> float:
    """Loneliness of one patient (a numpy ufunc; see :func:`loneliness`)."""
    contact = 1.0 - math.exp(-contacts_per_week / contact_scale)
    return min(max(base - w_emotional * emotional_met - w_contact * contact, 0.0), 1.0)


@njit(cache=True, parallel=True)
def loneliness_and_unmet(
    base: np.ndarray,
    need: np.ndarray,
    received: np.ndarray,
    contacts_per_week: np.ndarray,
    contact_scale: float,
    w_emotional: float,
    w_contact: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The week's loneliness and unmet share of everyday work, in one parallel pass.

    Per patient: the share of emotional need met (1 where none is needed) and loneliness
    (:func:`loneliness`); the unmet share of everyday need (0 where none is needed), for EQ-5D.

    Returns:
        New arrays: loneliness, unmet everyday share.
    """
    n = len(base)
    lonely, everyday_unmet = np.empty(n), np.empty(n)
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            first, last = chunk_bounds(c, n)
            for i in range(first, last):
                met = received[i, 2] / need[i, 2] if need[i, 2] > 0 else 1.0
                lonely[i] = loneliness_of(
                    base[i], met, contacts_per_week[i], contact_scale, w_emotional, w_contact
                )
                unmet = max(need[i, 1] - received[i, 1], 0.0)
                everyday_unmet[i] = unmet / need[i, 1] if need[i, 1] > 0 else 0.0
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return lonely, everyday_unmet
