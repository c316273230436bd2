"""Collective efficacy (Vassilev et al. 2014; Vassilev et al., Health Soc Care Community 2019).

A network-level stock per personal community, built through repeated shared engagement and
trust and fading without contact. Shared engagement counts contact with members weighted by tie
strength, with group contact weighted up (legitimised ongoing engagement in groups); ``trust`` is
the mean relationship quality of active ties and ``cohesion`` the density of acquaintance among
personal members. Collective efficacy raises self-efficacy (balance) and keeps people taking part
(navigation lapses). With the mechanism switched off it is held at 0.

The weekly step adds up engagement and trust in its one pass over each patient's slots
(:func:`sim.dynamics.exposure.exposure_blocks`, with :func:`build`; the same numbers as
the functions above it).

Equations:
    X_i = sum_j contact_ij strength_ij w_j,   w_j = w_group for groups, 1 otherwise
    h = X / (X + X_half)
    CE' = clip(CE + r_b h trust_i (0.5 + 0.5 cohesion_i)(1 - CE) - r_f (1 - h) CE, 0, 1)
    equilibrium under constant inputs: CE* = b / (b + r_f (1 - h)),
                                       b = r_b h trust_i (0.5 + 0.5 cohesion_i)
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.dynamics.segments import Blocks, block_sum


def shared_engagement(
    weight: np.ndarray, is_group: np.ndarray, weight_group: float, starts: np.ndarray | Blocks
) -> np.ndarray:
    """Shared engagement X in weighted contacts/week."""
    return block_sum(weight * np.where(is_group, weight_group, 1.0), starts)


def trust(quality: np.ndarray, active: np.ndarray, starts: np.ndarray | Blocks) -> np.ndarray:
    """Mean relationship quality over each patient's active ties (0 with none)."""
    n = block_sum(active.astype(float), starts)
    total = block_sum(quality * active, starts)
    return np.divide(total, n, out=np.zeros_like(total), where=n > 0)


def _rates(
    engagement: np.ndarray,
    trust_: np.ndarray,
    cohesion: np.ndarray,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Weekly building rate (per unit of 1 - CE) and fading rate (per unit of CE)."""
    h = engagement / (engagement + half_engagement)
    return rate_build * h * trust_ * (0.5 + 0.5 * cohesion), rate_fade * (1.0 - h)


def update_collective(
    ce: np.ndarray,
    engagement: np.ndarray,
    trust_: np.ndarray,
    cohesion: np.ndarray,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
) -> np.ndarray:
    """One week of building and fading (see the module docstring); result in [0, 1]."""
    build, fade = _rates(engagement, trust_, cohesion, rate_build, rate_fade, half_engagement)
    return np.clip(ce + build * (1.0 - ce) - fade * ce, 0.0, 1.0)


def equilibrium(
    engagement: np.ndarray,
    trust_: np.ndarray,
    cohesion: np.ndarray,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
) -> np.ndarray:
    """Collective efficacy at which building and fading balance for constant inputs."""
    build, fade = _rates(engagement, trust_, cohesion, rate_build, rate_fade, half_engagement)
    return build / np.maximum(build + fade, 1e-12)


@njit(cache=True, error_model="numpy")
def build(
    ce: float,
    engagement: float,
    trust_: float,
    cohesion: float,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
) -> float:
    """One patient's collective efficacy after a week (the module's ``CE'`` equation).

    The same operations as :func:`update_collective`, for engagement ``X`` and trust of one
    patient.
    """
    h = engagement / (engagement + half_engagement)
    grow = rate_build * h * trust_ * (0.5 + 0.5 * cohesion)
    fade = rate_fade * (1.0 - h)
    value = ce + grow * (1.0 - ce) - fade * ce
    return min(max(value, 0.0), 1.0)
