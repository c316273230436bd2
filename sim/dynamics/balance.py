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
from typing import Any

import numpy as np


def capacity(
    capacity_own: np.ndarray, received: np.ndarray, collective: np.ndarray, rel_support: float
) -> np.ndarray:
    """Total capacity C in hours/week (own plus network support scaled by collective efficacy)."""
    return capacity_own + (1.0 + rel_support * collective) * received.sum(axis=1)


def imbalance(treatment: np.ndarray, need: np.ndarray, capacity_: np.ndarray) -> np.ndarray:
    """Relative overload z = max(0, W / C - 1), with W = T + sum of needs."""
    workload = treatment + need.sum(axis=1)
    return np.maximum(workload / np.maximum(capacity_, 1e-6) - 1.0, 0.0)


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
    knowledge = 0.5 * (knowledge_clinical + knowledge_lay)
    raw = np.clip(base + w_knowledge * knowledge + w_efficacy * self_efficacy, 0.0, 1.0)
    return raw / (1.0 + k_imbalance * imbalance_)


def approach(value: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """Move ``value`` a fraction ``rate`` of the way to ``target`` (weekly smoothing)."""
    return value + rate * (target - value)


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
    knowledge = 0.5 * (knowledge_clinical + knowledge_lay)
    return (
        (1.0 - w_c - w_k - w_p) * base + w_c * collective + w_k * knowledge + w_p * participation_
    )


def self_efficacy_weights(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """``(w_C, w_K, w_P)`` of :func:`self_efficacy_target` from the mechanism parameters."""
    return (
        p["balance.self_efficacy_collective"],
        p["balance.self_efficacy_knowledge"],
        p["balance.self_efficacy_participation"],
    )


def update_mental(
    mental: np.ndarray,
    mental_base: np.ndarray,
    imbalance_: np.ndarray,
    rate_erosion: float,
    rate_recovery: float,
) -> np.ndarray:
    """Mental capacity eroded by imbalance and recovering towards baseline; in [0.05, 1]."""
    new = (
        mental
        - rate_erosion * np.minimum(imbalance_, 1.0) * mental
        + rate_recovery * (mental_base - mental)
    )
    return np.clip(new, 0.05, 1.0)
