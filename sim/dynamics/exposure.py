"""The weekly pass over each patient's ties that feeds knowledge sharing and collective efficacy.

Both mechanisms grow from contact with one's ties: knowledge from source-weighted contact
(:mod:`knowledge`), collective efficacy from shared engagement and the trust of active ties
(:mod:`collective`). Neither reads what the other, or resource mediation, writes in a week, so
one pass over each patient's block of slots adds up the sums of both (reading contact and
strength once) and applies their equations, which live in their modules
(:func:`sim.dynamics.knowledge.learn`, :func:`sim.dynamics.collective.build`). The pass also adds
up each patient's strength of group ties, for participation (:mod:`outcomes`).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from sim.dynamics.collective import build
from sim.dynamics.knowledge import learn


@njit(cache=True, parallel=True, error_model="numpy")
def learn_and_build_blocks(
    starts: np.ndarray,
    ends: np.ndarray,
    contact: np.ndarray,
    strength: np.ndarray,
    clinical_source: np.ndarray,
    lay_source: np.ndarray,
    is_group: np.ndarray,
    quality: np.ndarray,
    active: np.ndarray,
    clinical: np.ndarray,
    lay: np.ndarray,
    rate_learning: np.ndarray,
    rate_fading: float,
    half_exposure: float,
    sharing: bool,
    ce: np.ndarray,
    cohesion: np.ndarray,
    weight_group: float,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
    building: bool,
    group_strength: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One week of knowledge and collective efficacy: the new clinical, lay and CE values.

    Over each patient's block of slots (``starts[i]`` to ``ends[i]``, in slot order), the sums of
    the module's equations, then :func:`~sim.dynamics.knowledge.learn` for each kind of
    knowledge (gain ``X / (X + half_exposure)``, 0 without ``sharing``) and
    :func:`~sim.dynamics.collective.build` (0 without ``building``: the mechanism held off).
    Inactive slots have no contact, so they add nothing to the knowledge sums; they are skipped
    for the others. Writes each patient's summed strength of group ties into ``group_strength``
    whether or not collective efficacy is built. Patients run in parallel (numba ``prange``);
    each reads only its own slots and row, so the numbers do not depend on the threads.
    """
    new_clinical, new_lay, new_ce = np.empty_like(clinical), np.empty_like(lay), np.empty_like(ce)
    for i in prange(len(starts)):
        x_clinical = x_lay = engagement = n_active = total_quality = grouped = 0.0
        for j in range(starts[i], ends[i]):
            weight = contact[j] * strength[j]
            x_clinical += weight * clinical_source[j]
            x_lay += weight * lay_source[j]
            if not active[j]:  # an empty slot: no contact, no trust
                continue
            engagement += weight * (weight_group if is_group[j] else 1.0)
            if is_group[j]:
                grouped += strength[j]
            n_active += 1.0
            total_quality += quality[j]
        g_clinical = x_clinical / (x_clinical + half_exposure) if sharing else 0.0
        g_lay = x_lay / (x_lay + half_exposure) if sharing else 0.0
        new_clinical[i] = learn(clinical[i], g_clinical, rate_learning[i], rate_fading)
        new_lay[i] = learn(lay[i], g_lay, rate_learning[i], rate_fading)
        trust_ = total_quality / n_active if n_active > 0 else 0.0
        new_ce[i] = (
            build(ce[i], engagement, trust_, cohesion[i], rate_build, rate_fade, half_engagement)
            if building
            else 0.0
        )
        group_strength[i] = grouped
    return new_clinical, new_lay, new_ce
