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

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters


class MedicineParams(NamedTuple):
    """The parameters of medicine-taking (``mechanisms.medicines.*``).

    ``p_intensify`` and ``max_medicines`` are ``health.*``.
    """

    stop_rate: float
    stop_self_management: float
    stop_imbalance: float
    adherence_base: float
    adherence_self_management: float
    p_restart: float
    p_intensify: float
    max_medicines: float

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> MedicineParams:
        """The record from the mechanism parameters."""
        return parameters(
            cls,
            p,
            "medicines",
            p_intensify=p["health.p_intensify"],
            max_medicines=p["health.max_medicines"],
        )


@njit(cache=True, inline="always")
def stopping_probability(
    q: MedicineParams, self_management: float | np.ndarray, imbalance: float | np.ndarray
) -> float | np.ndarray:
    """Weekly probability that a persisting patient stops taking their medicines."""
    hazard = (
        q.stop_rate
        * np.exp(-q.stop_self_management * (self_management - 0.5))
        * (1.0 + q.stop_imbalance * np.minimum(imbalance, 1.0))
    )
    return 1.0 - np.exp(-hazard)


@njit(cache=True)
def keep_taking(persisting: bool, medicines: float, u_stop: float, p_stop: float) -> bool:
    """Whether the patient is still persisting after this week's stopping.

    Only patients with medicines stop.
    """
    return persisting and not (medicines > 0 and u_stop < p_stop)


@njit(cache=True, inline="always")
def adherence(q: MedicineParams, self_management: float | np.ndarray) -> float | np.ndarray:
    """Share of doses taken while persisting, 0-1."""
    return np.minimum(
        np.maximum(q.adherence_base + q.adherence_self_management * self_management, 0.0), 1.0
    )


@njit(cache=True, inline="always")
def review(
    q: MedicineParams,
    medicines: float,
    persisting: bool,
    hypertension: bool,
    uncontrolled: bool,
    u_restart: float,
    u_intensify: float,
) -> tuple[float, bool]:
    """What a review changes: a restart, or one more medicine.

    Returns:
        New ``(medicines, persisting)``.
    """
    restart = not persisting and u_restart < q.p_restart
    add = (
        persisting
        and hypertension
        and uncontrolled
        and u_intensify < q.p_intensify
        and medicines < q.max_medicines
    )
    return medicines + add, persisting or restart
