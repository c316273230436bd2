"""Collective efficacy (Vassilev et al. 2014; Vassilev et al., Health Soc Care Community 2019).

A network-level stock per personal community, built through repeated shared engagement and
trust and fading without contact. Shared engagement counts contact with members weighted by tie
strength, with group contact weighted up (legitimised ongoing engagement in groups); ``trust`` is
the mean relationship quality of active ties and ``cohesion`` the density of acquaintance among
personal members. Collective efficacy raises self-efficacy (balance) and keeps people taking part
(navigation lapses). With the mechanism switched off it is held at 0.

The weekly pass runs engagement, trust and the update in one pass over each patient's slots
(:func:`build`).

Equations:
    X_i = sum_j contact_ij strength_ij w_j,   w_j = w_group for groups, 1 otherwise
    h = X / (X + X_half)
    CE' = clip(CE + r_b h trust_i (0.5 + 0.5 cohesion_i)(1 - CE) - r_f (1 - h) CE, 0, 1)
    equilibrium under constant inputs: CE* = b / (b + r_f (1 - h)),
                                       b = r_b h trust_i (0.5 + 0.5 cohesion_i)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters
from sim.dynamics.segments import block_sum
from sim.population import codes


class CollectiveParams(NamedTuple):
    """The parameters of collective efficacy (``mechanisms.collective.*``).

    ``on`` is the switch ``collective_efficacy``.
    """

    weight_group: float
    rate_build: float
    rate_fade: float
    half_engagement: float
    rel_support: float
    on: bool

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> CollectiveParams:
        """The record from the mechanism parameters."""
        return parameters(cls, p, "collective", on=p["switches.collective_efficacy"])


def shared_engagement(
    weight: np.ndarray, is_group: np.ndarray, weight_group: float, starts: np.ndarray
) -> np.ndarray:
    """Shared engagement X in weighted contacts/week."""
    return block_sum(weight * np.where(is_group, weight_group, 1.0), starts)


def trust(quality: np.ndarray, active: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Mean relationship quality over each patient's active ties (0 with none)."""
    n = block_sum(active.astype(float), starts)
    total = block_sum(quality * active, starts)
    return np.divide(total, n, out=np.zeros_like(total), where=n > 0)


@njit(cache=True)
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


@njit(cache=True)
def update_collective(
    ce: float,
    engagement: float,
    trust_: float,
    cohesion: float,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
) -> float:
    """One week of building and fading (see the module docstring); result in [0, 1]."""
    build, fade = _rates(engagement, trust_, cohesion, rate_build, rate_fade, half_engagement)
    return min(max(ce + build * (1.0 - ce) - fade * ce, 0.0), 1.0)


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


@njit(cache=True, inline="always")
def build(q: CollectiveParams, i: int, lay: Any, s: Any, pt: Any, out: Any) -> None:
    """One week of patient ``i``'s collective efficacy, in place (0 with the mechanism off).

    The module's equations over the patient's block of slots (``lay``: the
    :class:`sim.dynamics.segments.Layout`; ``s`` and ``pt``: the slot and patient records). In
    the same pass it writes the patient's summed strength of group ties into
    ``out.group_strength`` (for participation, :func:`sim.dynamics.outcomes.participation`).
    """
    engagement = n_active = total_quality = grouped = 0.0
    for j in range(lay.lo[i], lay.hi[i]):
        group = s.active[j] and s.tie_type[j] == codes.GROUP_TIE
        if group:
            grouped += s.strength[j]
        if q.on:
            engagement += s.contact[j] * s.strength[j] * (q.weight_group if group else 1.0)
            if s.active[j]:
                n_active += 1.0
                total_quality += s.quality[j]
    out.group_strength[i] = grouped
    if not q.on:
        pt.collective[i] = 0.0
        return
    trust_ = total_quality / n_active if n_active > 0 else 0.0
    pt.collective[i] = update_collective(
        pt.collective[i],
        engagement,
        trust_,
        pt.cohesion[i],
        q.rate_build,
        q.rate_fade,
        q.half_engagement,
    )
