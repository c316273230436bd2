"""Workload-capacity balance and self-management.

Cumulative Complexity Model (Shippee et al. 2012); Minimally disruptive medicine (May et al. 2009).

Capacity is own capacity plus network support scaled by collective efficacy; workload is all
work needed; imbalance ``z`` is the relative overload. Self-management ``S`` (the share of
recommended self-care and medicine-taking carried out) approaches a target raised by knowledge
and self-efficacy and cut by overload ("structurally induced non-compliance"). Self-efficacy
approaches a target pulled towards collective efficacy, knowledge (understanding one's condition:
mastery) and established participation ``P`` (work done successfully with others; Theory of
Patient Capacity, Boehmer et al. 2016; Reeves et al. 2014); the weights add up to at most 1, so
the target stays within 0-1. Feedback (with ``workload_feedback`` on): imbalance erodes mental
capacity, which recovers towards its baseline.

Equations:
    C = C_own + (1 + g CE) sum_k received_k
    W = T + sum_k need_k
    z = max(0, W / max(C, 1e-6) - 1)
    S* = clip(s0 + s_K (K_clin + K_lay) / 2 + s_E SE, 0, 1) / (1 + k z)
    S' = S + r (S* - S)
    SE* = (1 - w_C - w_K - w_P) SE_0 + w_C CE + w_K (K_clin + K_lay) / 2 + w_P P
    SE' = SE + r_se (SE* - SE)
    mental' = clip(mental - r_e min(z, 1) mental + r_r (mental_0 - mental), 0.05, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters


class BalanceParams(NamedTuple):
    """The parameters of balance (``mechanisms.balance.*``).

    ``rel_support`` is ``collective.rel_support``, ``feedback`` the switch
    ``workload_feedback``.
    """

    self_management_base: float
    self_management_knowledge: float
    self_management_efficacy: float
    k_imbalance: float
    rate_self_management: float
    self_efficacy_collective: float
    self_efficacy_knowledge: float
    self_efficacy_participation: float
    rate_self_efficacy: float
    rate_capacity_erosion: float
    rate_capacity_recovery: float
    rel_support: float
    feedback: bool

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> BalanceParams:
        """The record from the mechanism parameters."""
        return parameters(
            cls,
            p,
            "balance",
            rel_support=p["collective.rel_support"],
            feedback=p["switches.workload_feedback"],
        )


@njit(cache=True)
def capacity(capacity_own: float, received: float, collective: float, rel_support: float) -> float:
    """Total capacity C in hours/week (own plus support received, all kinds, scaled by CE)."""
    return capacity_own + (1.0 + rel_support * collective) * received


@njit(cache=True)
def imbalance(treatment: float, need: float, capacity_: float) -> float:
    """Relative overload z = max(0, W / C - 1), with W = T + all the work needed."""
    workload = treatment + need
    return max(workload / max(capacity_, 1e-6) - 1.0, 0.0)


@njit(cache=True, inline="always")
def self_management_target(
    q: BalanceParams,
    knowledge_clinical: float | np.ndarray,
    knowledge_lay: float | np.ndarray,
    self_efficacy: float | np.ndarray,
    imbalance_: float | np.ndarray,
) -> float | np.ndarray:
    """Target self-management S* (0-1) of a patient, or of every patient given arrays."""
    knowledge = 0.5 * (knowledge_clinical + knowledge_lay)
    raw = (
        q.self_management_base
        + q.self_management_knowledge * knowledge
        + q.self_management_efficacy * self_efficacy
    )
    return np.minimum(np.maximum(raw, 0.0), 1.0) / (1.0 + q.k_imbalance * imbalance_)


@njit(cache=True)
def approach(value: float, target: float, rate: float) -> float:
    """Move ``value`` a fraction ``rate`` of the way to ``target`` (weekly smoothing)."""
    return value + rate * (target - value)


@njit(cache=True, inline="always")
def self_efficacy_target(
    q: BalanceParams,
    base: float,
    collective: float,
    knowledge_clinical: float,
    knowledge_lay: float,
    participation_: float,
) -> float:
    """SE* = (1 - w_C - w_K - w_P) SE_0 + w_C CE + w_K (K_clin + K_lay) / 2 + w_P P.

    Args:
        q: The parameters (weights ``w_C``, ``w_K``, ``w_P`` add up to at most 1).
        base: The patient's own self-efficacy SE_0 (0-1).
        collective: Collective efficacy CE (0-1).
        knowledge_clinical: Clinical knowledge (0-1).
        knowledge_lay: Lay (experiential) knowledge (0-1).
        participation_: Established participation P (0-1).
    """
    w_c, w_k = q.self_efficacy_collective, q.self_efficacy_knowledge
    w_p = q.self_efficacy_participation
    knowledge = 0.5 * (knowledge_clinical + knowledge_lay)
    return (
        (1.0 - w_c - w_k - w_p) * base + w_c * collective + w_k * knowledge + w_p * participation_
    )


@njit(cache=True, inline="always")
def update_mental(q: BalanceParams, mental: float, mental_base: float, imbalance_: float) -> float:
    """Mental capacity eroded by imbalance and recovering towards baseline; in [0.05, 1]."""
    new = (
        mental
        - q.rate_capacity_erosion * min(imbalance_, 1.0) * mental
        + q.rate_capacity_recovery * (mental_base - mental)
    )
    return min(max(new, 0.05), 1.0)


@njit(cache=True, inline="always")
def balance(q: BalanceParams, i: int, pt: Any, participation_: float) -> None:
    """Patient ``i``'s capacity, imbalance, self-efficacy, self-management and mental capacity.

    ``pt`` is the patient record (:mod:`sim.dynamics.state`), updated in place;
    ``participation_`` the patient's established participation this week.
    """
    received = pt.received[i, 0] + pt.received[i, 1] + pt.received[i, 2]
    cap = capacity(pt.capacity_own[i], received, pt.collective[i], q.rel_support)
    pt.capacity[i] = cap
    need = pt.need[i, 0] + pt.need[i, 1] + pt.need[i, 2]
    z = imbalance(pt.treatment_work[i], need, cap) * pt.alive[i]
    pt.imbalance[i] = z
    kc, kl = pt.knowledge_clinical[i], pt.knowledge_lay[i]
    se_target = self_efficacy_target(
        q, pt.self_efficacy_base[i], pt.collective[i], kc, kl, participation_
    )
    se = approach(pt.self_efficacy[i], se_target, q.rate_self_efficacy)
    pt.self_efficacy[i] = se
    target = self_management_target(q, kc, kl, se, z)
    pt.self_management[i] = approach(pt.self_management[i], target, q.rate_self_management)
    if q.feedback:
        pt.mental[i] = update_mental(q, pt.mental[i], pt.mental_base[i], z)
