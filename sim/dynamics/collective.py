"""Collective efficacy (Vassilev et al. 2014; Vassilev et al., Health Soc Care Community 2019).

A network-level stock per personal community, built through repeated shared engagement and
trust and fading without contact. Shared engagement counts contact with members weighted by tie
strength, with group contact weighted up (legitimised ongoing engagement in groups); ``trust`` is
the mean relationship quality of active ties and ``cohesion`` the density of acquaintance among
personal members. Collective efficacy raises self-efficacy (balance) and keeps people taking part
(navigation lapses). With the mechanism switched off it is held at 0.

The weekly step runs engagement, trust and the update in one pass over each patient's slots
(:func:`build_blocks`, a compiled kernel giving the same numbers as the functions above it).

Equations:
    X_i = sum_j contact_ij strength_ij w_j,   w_j = w_group for groups, 1 otherwise
    h = X / (X + X_half)
    CE' = clip(CE + r_b h trust_i (0.5 + 0.5 cohesion_i)(1 - CE) - r_f (1 - h) CE, 0, 1)
    equilibrium under constant inputs: CE* = b / (b + r_f (1 - h)),
                                       b = r_b h trust_i (0.5 + 0.5 cohesion_i)
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

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


@njit(cache=True, parallel=True, error_model="numpy")
def build_blocks(
    starts: np.ndarray,
    ends: np.ndarray,
    contact: np.ndarray,
    strength: np.ndarray,
    is_group: np.ndarray,
    quality: np.ndarray,
    active: np.ndarray,
    weight_group: float,
    ce: np.ndarray,
    cohesion: np.ndarray,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
    group_strength: np.ndarray,
) -> np.ndarray:
    """One week of collective efficacy: the new values.

    The module's equations over each patient's block of slots, with the same operations as
    :func:`shared_engagement`, :func:`trust` and :func:`update_collective`. In the same pass it
    writes each patient's summed strength of group ties into ``group_strength`` (for
    participation, :func:`sim.dynamics.outcomes.participation`).
    """
    new = np.empty_like(ce)
    for i in prange(len(starts)):
        engagement = 0.0
        n_active = 0.0
        total_quality = 0.0
        grouped = 0.0
        for j in range(starts[i], ends[i]):
            if not active[j]:  # an empty slot: no contact, no trust
                continue
            engagement += contact[j] * strength[j] * (weight_group if is_group[j] else 1.0)
            if is_group[j]:
                grouped += strength[j]
            n_active += 1.0
            total_quality += quality[j]
        trust_ = total_quality / n_active if n_active > 0 else 0.0
        h = engagement / (engagement + half_engagement)
        build = rate_build * h * trust_ * (0.5 + 0.5 * cohesion[i])
        fade = rate_fade * (1.0 - h)
        value = ce[i] + build * (1.0 - ce[i]) - fade * ce[i]
        new[i] = min(max(value, 0.0), 1.0)
        group_strength[i] = grouped
    return new
