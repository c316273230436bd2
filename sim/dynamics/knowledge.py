"""Knowledge and experience sharing (Vassilev et al. 2014, theme 1; Koetsenruijter et al. 2016).

Clinical and lay (experiential) knowledge flow along ties weighted by contact, tie strength and the
member's relevance as a source: professionals carry clinical knowledge; peers with a long-term
condition and groups (most of all support groups) carry experiential knowledge.

Knowledge is forgotten at a constant rate and replenished only through contact, so it fades
without contact. The weekly pass computes both kinds in one pass over each patient's slots
(:func:`share`).

Equations:
    for each kind of knowledge K in [0, 1] (clinical, lay):
    X_i = sum_j contact_ij strength_ij source_j          (source-weighted contacts/week)
    g = X / (X + X_half)                                 (g = 0 with knowledge sharing off)
    K' = clip(K + r_learn,i g (1 - K) - r_fade K, 0, 1)
    r_learn,i = r_learn (1 + e edu_i),   edu_i = -1 (no qualifications), 0, +1 (degree)
    equilibrium under constant exposure: K* = r_learn,i g / (r_learn,i g + r_fade)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters
from sim.dynamics.segments import block_sum


class KnowledgeParams(NamedTuple):
    """The parameters of knowledge sharing (``mechanisms.knowledge.*``).

    ``sharing`` is the switch ``knowledge_sharing``.
    """

    rate_fading: float
    half_exposure: float
    sharing: bool

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> KnowledgeParams:
        """The record from the mechanism parameters."""
        return parameters(cls, p, "knowledge", sharing=p["switches.knowledge_sharing"])


def exposure(weight: np.ndarray, source: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Source-weighted contacts per week of each patient (a sparse patient x slot product).

    Args:
        weight: Per slot, contacts/week x strength (0 for inactive slots).
        source: Per slot, the member's relevance as a source (0-1).
        starts: First slot of each patient.
    """
    return block_sum(weight * source, starts)


@njit(cache=True)
def update_knowledge(
    knowledge: float,
    exposure_: float,
    rate_learning: float,
    rate_fading: float,
    half_exposure: float,
    sharing: bool,
) -> float:
    """One week of learning and fading (see the module docstring).

    Args:
        knowledge: Current knowledge, 0-1.
        exposure_: Source-weighted contacts/week.
        rate_learning: Weekly learning rate at full exposure (the patient's).
        rate_fading: Weekly share forgotten.
        half_exposure: Exposure giving half the learning rate.
        sharing: If False (mechanism off), nothing is learnt from the network; forgetting
            continues.

    Returns:
        New knowledge, within [0, 1].
    """
    g = exposure_ / (exposure_ + half_exposure) if sharing else 0.0
    new = knowledge + rate_learning * g * (1.0 - knowledge) - rate_fading * knowledge
    return min(max(new, 0.0), 1.0)


def equilibrium(
    exposure_: np.ndarray,
    rate_learning: float | np.ndarray,
    rate_fading: float,
    half_exposure: float,
) -> np.ndarray:
    """Knowledge at which learning and forgetting balance for a constant exposure."""
    gain = rate_learning * exposure_ / (exposure_ + half_exposure)
    return gain / np.maximum(gain + rate_fading, 1e-12)


def learning_rate(rate_learning: float, rel_education: float, education: np.ndarray) -> np.ndarray:
    """Per-patient learning rate: raised with a degree, lowered with no qualifications."""
    return rate_learning * (1.0 + rel_education * (education.astype(float) - 1.0))


@njit(cache=True, inline="always")
def share(q: KnowledgeParams, i: int, lay: Any, s: Any, pt: Any, rate_learning: float) -> None:
    """One week of learning and fading of patient ``i``'s clinical and lay knowledge, in place.

    The module's equations over the patient's block of slots (``lay``: the
    :class:`sim.dynamics.segments.Layout`; ``s`` and ``pt``: the slot and patient records).
    """
    x_clinical = x_lay = 0.0
    if q.sharing:
        for j in range(lay.lo[i], lay.hi[i]):
            weight = s.contact[j] * s.strength[j]
            x_clinical += weight * s.clinical_source[j]
            x_lay += weight * s.lay_source[j]
    clinical, lay_ = pt.knowledge_clinical[i], pt.knowledge_lay[i]
    args = (rate_learning, q.rate_fading, q.half_exposure, q.sharing)
    pt.knowledge_clinical[i] = update_knowledge(clinical, x_clinical, *args)
    pt.knowledge_lay[i] = update_knowledge(lay_, x_lay, *args)
