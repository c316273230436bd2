"""Knowledge and experience sharing (Vassilev et al. 2014, theme 1; Koetsenruijter et al. 2016).

Clinical and lay (experiential) knowledge flow along ties weighted by contact, tie strength and the
member's relevance as a source: professionals carry clinical knowledge; peers with a long-term
condition and groups (most of all support groups) carry experiential knowledge.

Knowledge is forgotten at a constant rate and replenished only through contact, so it fades
without contact. The weekly step computes both kinds in its one pass over each patient's slots
(:func:`sim.dynamics.exposure.exposure_blocks`, with :func:`learn`; the same numbers as
:func:`exposure` and :func:`update_knowledge`).

Equations:
    for each kind of knowledge K in [0, 1] (clinical, lay):
    X_i = sum_j contact_ij strength_ij source_j          (source-weighted contacts/week)
    g = X / (X + X_half)                                 (g = 0 with knowledge sharing off)
    K' = clip(K + r_learn,i g (1 - K) - r_fade K, 0, 1)
    r_learn,i = r_learn (1 + e edu_i),   edu_i = -1 (no qualifications), 0, +1 (degree)
    equilibrium under constant exposure: K* = r_learn,i g / (r_learn,i g + r_fade)
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.dynamics.segments import Blocks, block_sum


def exposure(weight: np.ndarray, source: np.ndarray, starts: np.ndarray | Blocks) -> np.ndarray:
    """Source-weighted contacts per week of each patient (a sparse patient x slot product).

    Args:
        weight: Per slot, contacts/week x strength (0 for inactive slots).
        source: Per slot, the member's relevance as a source (0-1).
        starts: First slot of each patient.
    """
    return block_sum(weight * source, starts)


def update_knowledge(
    knowledge: np.ndarray,
    exposure_: np.ndarray,
    rate_learning: float,
    rate_fading: float,
    half_exposure: float,
    sharing: bool = True,
) -> np.ndarray:
    """One week of learning and fading (see the module docstring).

    Args:
        knowledge: Current knowledge, 0-1.
        exposure_: Source-weighted contacts/week.
        rate_learning: Weekly learning rate at full exposure (per patient or one value).
        rate_fading: Weekly share forgotten.
        half_exposure: Exposure giving half the learning rate.
        sharing: If False (mechanism off), nothing is learnt from the network; forgetting
            continues.

    Returns:
        New knowledge, within [0, 1].
    """
    g = exposure_ / (exposure_ + half_exposure) if sharing else np.zeros_like(knowledge)
    new = knowledge + rate_learning * g * (1.0 - knowledge) - rate_fading * knowledge
    return np.clip(new, 0.0, 1.0)


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


@njit(cache=True, error_model="numpy")
def learn(knowledge: float, gain: float, rate_learning: float, rate_fading: float) -> float:
    """One patient's knowledge after a week with gain ``g`` (the module's ``K'`` equation)."""
    new = knowledge + rate_learning * gain * (1.0 - knowledge) - rate_fading * knowledge
    return min(max(new, 0.0), 1.0)
