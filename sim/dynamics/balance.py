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

Each equation is written once, as a scalar function (``_capacity``, ``_imbalance``, ...). The
array functions below apply it patient by patient, and :func:`advance`, the weekly pass, applies
them all in one parallel pass over patients (each patient's values from its own row only, so the
numbers do not depend on the number of threads).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, prange, vectorize

from sim.dynamics.outcomes import participation
from sim.dynamics.segments import CHUNK, TAKERS, following_chunk, take_chunks


# -- the equations, once, per patient ----------------------------------------------------------
@njit(cache=True, inline="always")
def _capacity(own: float, r0: float, r1: float, r2: float, ce: float, rel_support: float) -> float:
    return own + (1.0 + rel_support * ce) * ((r0 + r1) + r2)


@njit(cache=True, inline="always")
def _imbalance(treatment: float, n0: float, n1: float, n2: float, capacity_: float) -> float:
    workload = treatment + ((n0 + n1) + n2)
    return max(workload / max(capacity_, 1e-6) - 1.0, 0.0)


@njit(cache=True, inline="always")
def _self_management_target(
    base: float,
    w_knowledge: float,
    w_efficacy: float,
    k_imbalance: float,
    clinical: float,
    lay: float,
    self_efficacy: float,
    imbalance_: float,
) -> float:
    knowledge = 0.5 * (clinical + lay)
    raw = min(max(base + w_knowledge * knowledge + w_efficacy * self_efficacy, 0.0), 1.0)
    return raw / (1.0 + k_imbalance * imbalance_)


@njit(cache=True, inline="always")
def _self_efficacy_target(
    base: float,
    ce: float,
    clinical: float,
    lay: float,
    participation_: float,
    w_c: float,
    w_k: float,
    w_p: float,
) -> float:
    knowledge = 0.5 * (clinical + lay)
    return (1.0 - w_c - w_k - w_p) * base + w_c * ce + w_k * knowledge + w_p * participation_


@njit(cache=True, inline="always")
def _mental(
    mental: float, base: float, imbalance_: float, rate_erosion: float, rate_recovery: float
) -> float:
    new = mental - rate_erosion * min(imbalance_, 1.0) * mental + rate_recovery * (base - mental)
    return min(max(new, 0.05), 1.0)


# -- the equations over arrays of patients -----------------------------------------------------
@njit(cache=True)
def capacity(
    capacity_own: np.ndarray, received: np.ndarray, collective: np.ndarray, rel_support: float
) -> np.ndarray:
    """Total capacity C in hours/week (own plus network support scaled by collective efficacy)."""
    out = np.empty(len(capacity_own))
    for i in range(len(out)):
        r = received[i]
        out[i] = _capacity(capacity_own[i], r[0], r[1], r[2], collective[i], rel_support)
    return out


@njit(cache=True)
def imbalance(treatment: np.ndarray, need: np.ndarray, capacity_: np.ndarray) -> np.ndarray:
    """Relative overload z = max(0, W / C - 1), with W = T + sum of needs."""
    out = np.empty(len(treatment))
    for i in range(len(out)):
        out[i] = _imbalance(treatment[i], need[i, 0], need[i, 1], need[i, 2], capacity_[i])
    return out


@njit(cache=True)
def self_management_target(
    base: float,
    w_knowledge: float,
    w_efficacy: float,
    k_imbalance: float,
    knowledge_clinical: np.ndarray,
    knowledge_lay: np.ndarray,
    self_efficacy: np.ndarray,
    imbalance_: np.ndarray,
) -> np.ndarray:
    """Target self-management S* (0-1); see the module docstring."""
    out = np.empty(len(self_efficacy))
    for i in range(len(out)):
        out[i] = _self_management_target(
            base,
            w_knowledge,
            w_efficacy,
            k_imbalance,
            knowledge_clinical[i],
            knowledge_lay[i],
            self_efficacy[i],
            imbalance_[i],
        )
    return out


@vectorize(cache=True)
def approach(value: float, target: float, rate: float) -> float:
    """Move ``value`` a fraction ``rate`` of the way to ``target`` (weekly smoothing; a ufunc)."""
    return value + rate * (target - value)


@njit(cache=True)
def self_efficacy_target(
    base: np.ndarray,
    collective: np.ndarray,
    knowledge_clinical: np.ndarray,
    knowledge_lay: np.ndarray,
    participation_: np.ndarray,
    weights: tuple[float, float, float],
) -> np.ndarray:
    """SE* = (1 - w_C - w_K - w_P) SE_0 + w_C CE + w_K (K_clin + K_lay) / 2 + w_P P.

    Args:
        base: Each patient's own self-efficacy SE_0 (0-1).
        collective: Collective efficacy CE (0-1).
        knowledge_clinical: Clinical knowledge (0-1).
        knowledge_lay: Lay (experiential) knowledge (0-1).
        participation_: Established participation P (0-1).
        weights: ``(w_C, w_K, w_P)``, adding up to at most 1.
    """
    w_c, w_k, w_p = weights
    out = np.empty(len(base))
    for i in range(len(out)):
        out[i] = _self_efficacy_target(
            base[i],
            collective[i],
            knowledge_clinical[i],
            knowledge_lay[i],
            participation_[i],
            w_c,
            w_k,
            w_p,
        )
    return out


def self_efficacy_weights(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """``(w_C, w_K, w_P)`` of :func:`self_efficacy_target` from the mechanism parameters."""
    return (
        float(p["balance.self_efficacy_collective"]),
        float(p["balance.self_efficacy_knowledge"]),
        float(p["balance.self_efficacy_participation"]),
    )


# -- the weekly pass ---------------------------------------------------------------------------
@njit(cache=True, parallel=True)
def advance(
    capacity_own: np.ndarray,
    received: np.ndarray,
    collective: np.ndarray,
    treatment: np.ndarray,
    need: np.ndarray,
    alive: np.ndarray,
    self_efficacy_base: np.ndarray,
    knowledge_clinical: np.ndarray,
    knowledge_lay: np.ndarray,
    group_strength: np.ndarray,
    self_efficacy: np.ndarray,
    self_management: np.ndarray,
    mental: np.ndarray,
    mental_base: np.ndarray,
    rel_support: float,
    w_c: float,
    w_k: float,
    w_p: float,
    rate_self_efficacy: float,
    sm_base: float,
    sm_knowledge: float,
    sm_efficacy: float,
    k_imbalance: float,
    rate_self_management: float,
    feedback: bool,
    rate_erosion: float,
    rate_recovery: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One week of balance for every patient: the module's equations in one parallel pass.

    In order, per patient: participation P from ``group_strength``
    (:func:`sim.dynamics.outcomes.participation`), capacity C, imbalance z (0 for the dead), the
    self-efficacy target and SE', the self-management target (from SE' and z) and S', and, with
    ``feedback``, mental capacity (else unchanged). Patients run in chunks of
    :data:`~sim.dynamics.segments.CHUNK` (numba ``prange``).

    Returns:
        New arrays: capacity, imbalance, self-efficacy, self-management, mental capacity,
        participation.
    """
    n = len(capacity_own)
    outs = (np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n))
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            _advance_range(
                first=c * CHUNK,
                last=min(n, (c + 1) * CHUNK),
                capacity_own=capacity_own,
                received=received,
                collective=collective,
                treatment=treatment,
                need=need,
                alive=alive,
                self_efficacy_base=self_efficacy_base,
                knowledge_clinical=knowledge_clinical,
                knowledge_lay=knowledge_lay,
                group_strength=group_strength,
                self_efficacy=self_efficacy,
                self_management=self_management,
                mental=mental,
                mental_base=mental_base,
                rel_support=rel_support,
                w_c=w_c,
                w_k=w_k,
                w_p=w_p,
                rate_self_efficacy=rate_self_efficacy,
                sm_base=sm_base,
                sm_knowledge=sm_knowledge,
                sm_efficacy=sm_efficacy,
                k_imbalance=k_imbalance,
                rate_self_management=rate_self_management,
                feedback=feedback,
                rate_erosion=rate_erosion,
                rate_recovery=rate_recovery,
                capacity_out=outs[0],
                imbalance_out=outs[1],
                self_efficacy_out=outs[2],
                self_management_out=outs[3],
                mental_out=outs[4],
                participation_out=outs[5],
            )
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return outs


@njit(cache=True)
def _advance_range(
    first: int,
    last: int,
    capacity_own: np.ndarray,
    received: np.ndarray,
    collective: np.ndarray,
    treatment: np.ndarray,
    need: np.ndarray,
    alive: np.ndarray,
    self_efficacy_base: np.ndarray,
    knowledge_clinical: np.ndarray,
    knowledge_lay: np.ndarray,
    group_strength: np.ndarray,
    self_efficacy: np.ndarray,
    self_management: np.ndarray,
    mental: np.ndarray,
    mental_base: np.ndarray,
    rel_support: float,
    w_c: float,
    w_k: float,
    w_p: float,
    rate_self_efficacy: float,
    sm_base: float,
    sm_knowledge: float,
    sm_efficacy: float,
    k_imbalance: float,
    rate_self_management: float,
    feedback: bool,
    rate_erosion: float,
    rate_recovery: float,
    capacity_out: np.ndarray,
    imbalance_out: np.ndarray,
    self_efficacy_out: np.ndarray,
    self_management_out: np.ndarray,
    mental_out: np.ndarray,
    participation_out: np.ndarray,
) -> None:
    """:func:`advance` for patients ``first`` to ``last - 1``."""
    for i in range(np.uint64(first), np.uint64(last)):
        r, w = received[i], need[i]
        taking_part = participation(group_strength[i])
        participation_out[i] = taking_part
        capacity_ = _capacity(capacity_own[i], r[0], r[1], r[2], collective[i], rel_support)
        z = _imbalance(treatment[i], w[0], w[1], w[2], capacity_) * alive[i]
        se_target = _self_efficacy_target(
            self_efficacy_base[i],
            collective[i],
            knowledge_clinical[i],
            knowledge_lay[i],
            taking_part,
            w_c,
            w_k,
            w_p,
        )
        se = approach(self_efficacy[i], se_target, rate_self_efficacy)
        sm_target = _self_management_target(
            sm_base,
            sm_knowledge,
            sm_efficacy,
            k_imbalance,
            knowledge_clinical[i],
            knowledge_lay[i],
            se,
            z,
        )
        capacity_out[i], imbalance_out[i], self_efficacy_out[i] = capacity_, z, se
        self_management_out[i] = approach(self_management[i], sm_target, rate_self_management)
        mental_out[i] = (
            _mental(mental[i], mental_base[i], z, rate_erosion, rate_recovery)
            if feedback
            else mental[i]
        )
