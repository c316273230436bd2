"""Taking antihypertensive medicines: persistence, adherence, and what reviews change.

A patient with hypertension has ``m`` antihypertensive medicines prescribed and, while they keep
taking them, is *persisting*. Without reinforcement patients stop: about half of patients starting
antihypertensives had stopped within a year (Vrijens et al., BMJ 2008; dossier 6b, target T11).
Stopping is less likely the more the patient self-manages and more likely when workload exceeds
capacity (structurally induced non-compliance; May et al. 2009). While persisting, adherence (the
share of doses taken) rises with self-management: among persisters about one dose in ten is
missed (Vrijens et al. 2008). Usual-care reviews (:mod:`health`) restore: a review that finds a
patient not persisting restarts them with probability ``p_restart``; a persisting patient with
hypertension and an uncontrolled reading gets one more medicine with probability
``p_intensify`` (clinical inertia), up to ``max_medicines``. Antihypertensives are added only for
hypertension. A patient with no medicine prescribed counts as persisting (nothing to stop).

Equations:
    h_stop = h0 exp(-k_S (S - 0.5)) (1 + k_z min(z, 1))            (weekly hazard)
    persisting' = persisting and not [u_stop < 1 - exp(-h_stop)]   (patients with m > 0)
    adh = clip(adh0 + adh_S S, 0, 1)                               (share of doses taken)
    at a review: not persisting -> persisting' = [u_restart < p_restart]
                 persisting, hypertension, reading >= target_i, m < max_medicines
                   -> m' = m + [u_intensify < p_intensify]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, vectorize

from sim.dynamics import draws


def stopping_probability(
    p: Mapping[str, Any], self_management: np.ndarray, imbalance: np.ndarray
) -> np.ndarray:
    """Weekly probability that a persisting patient stops taking their medicines."""
    return stopping_probability_of(self_management, imbalance, *stopping_parameters(p))


def stopping_parameters(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """``(h0, k_S, k_z)`` of the stopping hazard."""
    names = ("stop_rate", "stop_self_management", "stop_imbalance")
    return tuple(float(p[f"medicines.{name}"]) for name in names)


@vectorize(cache=True)
def stopping_probability_of(
    self_management: float, imbalance: float, rate: float, k_self: float, k_imbalance: float
) -> float:
    """Weekly stopping probability of one patient (a numpy ufunc)."""
    factor = stopping_self_factor_of(self_management, k_self)
    return 1.0 - math.exp(-stopping_hazard_of(factor, imbalance, rate, k_imbalance))


@njit(cache=True)
def stopping_self_factor_of(self_management: float, k_self: float) -> float:
    """``exp(-k_S (S - 0.5))``: how self-management scales the stopping hazard."""
    return math.exp(-k_self * (self_management - 0.5))


@njit(cache=True)
def stopping_hazard_of(factor: float, imbalance: float, rate: float, k_imbalance: float) -> float:
    """Weekly stopping hazard of one patient, given its self-management factor."""
    return rate * factor * (1.0 + k_imbalance * min(imbalance, 1.0))


@njit(cache=True)
def stopping_factor_bound(self_management: np.ndarray, k_self: float) -> float:
    """The largest self-management factor over the values in ``self_management`` (its ends)."""
    low, high = draws.ends(self_management, 0.5)
    return max(stopping_self_factor_of(low, k_self), stopping_self_factor_of(high, k_self))


@vectorize(cache=True)
def keep_taking(persisting: bool, medicines: int, u_stop: float, p_stop: float) -> bool:
    """Who is still persisting after this week's stopping (only patients with medicines stop).

    A numpy ufunc, also called per patient in compiled passes.
    """
    return persisting and not (medicines > 0 and u_stop < p_stop)


def adherence(p: Mapping[str, Any], self_management: np.ndarray) -> np.ndarray:
    """Share of doses taken while persisting, 0-1."""
    return adherence_of(
        self_management,
        p["medicines.adherence_base"],
        p["medicines.adherence_self_management"],
    )


@vectorize(cache=True)
def adherence_of(self_management: float, base: float, weight: float) -> float:
    """``clip(adh0 + adh_S S, 0, 1)`` of one patient (a ufunc)."""
    return min(max(base + weight * self_management, 0.0), 1.0)


@njit(cache=True)
def review_of(
    medicines: int,
    persisting: bool,
    hypertension: bool,
    uncontrolled: bool,
    u_restart: float,
    u_intensify: float,
    p_restart: float,
    p_intensify: float,
    max_medicines: float,
) -> tuple[int, bool]:
    """What a review changes for one patient: the new ``(medicines, persisting)``.

    The module's review equations: a patient not persisting restarts when ``u_restart <
    p_restart``; a persisting one with hypertension and an uncontrolled reading gets one more
    medicine when ``u_intensify < p_intensify``, below ``max_medicines``.
    """
    restart = not persisting and u_restart < p_restart
    add = (
        persisting
        and hypertension
        and uncontrolled
        and u_intensify < p_intensify
        and medicines < max_medicines
    )
    return medicines + add, persisting or restart
