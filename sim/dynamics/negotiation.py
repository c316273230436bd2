"""Negotiation within networks (Vassilev et al. 2014): re-shaping who does which work.

A patient is triggered when a personal member's strain exceeds ``strain_threshold`` or more than
``unmet_threshold`` of their need goes unmet, and then tries to re-negotiate with weekly
probability ``p_attempt``. Each negotiation with a member succeeds with probability
``skill_i x quality_ij``:

* with a strained member, success moves a share ``shift`` of their work elsewhere
  (``share *= 1 - shift``) and relieves strain (``strain -= strain_relief``); the allocation of
  need then draws more on the others;
* when need goes unmet, the patient asks one unstrained member on average (each with probability
  1 / number of unstrained personal members); success raises what that member takes on
  (``share *= 1 + shift``, at most 2);
* failure costs relationship quality (``quality -= quality_loss``), and a tie whose quality falls
  below ``quality_end`` ends with probability ``p_end_tie``.

Quality recovers towards its baseline mean at ``rate_quality_recovery`` per week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.dynamics.segments import block_sum

SHARE_MAX = 2.0


@dataclass
class Negotiation:
    """Outcome of one week of negotiation (per slot and per patient)."""

    share: np.ndarray
    quality: np.ndarray
    relief: np.ndarray
    ended: np.ndarray
    attempted: np.ndarray
    succeeded: np.ndarray


def negotiate(
    p: Mapping[str, Any],
    *,
    personal: np.ndarray,
    strain: np.ndarray,
    share: np.ndarray,
    quality: np.ndarray,
    ego: np.ndarray,
    starts: np.ndarray,
    unmet_share: np.ndarray,
    skill: np.ndarray,
    alive: np.ndarray,
    u_attempt: np.ndarray,
    u_ask: np.ndarray,
    u_success: np.ndarray,
    u_end: np.ndarray,
) -> Negotiation:
    """One week of negotiation.

    Args:
        p: Mechanism parameters.
        personal: Per slot, True for an active tie to a person in the patient's own community.
        strain: Per slot, the member's strain.
        share: Per slot, negotiated multiplier of the member's offer.
        quality: Per slot, relationship quality.
        ego: Per slot, the patient.
        starts: First slot of each patient.
        unmet_share: Per patient, share of need unmet last week.
        skill: Per patient, negotiation skill (0-1).
        alive: Per patient, True if alive.
        u_attempt: Uniform draws per patient (attempt or not).
        u_ask: Uniform draws per slot (this member is asked to take on more or not).
        u_success: Uniform draws per slot (negotiation succeeds or not).
        u_end: Uniform draws per slot (a failed negotiation ends the tie or not).

    Returns:
        New share and quality per slot, strain relief per slot, ended ties, and per patient
        whether they attempted and how many negotiations succeeded.
    """
    strained = personal & (strain > p["negotiation.strain_threshold"])
    short = unmet_share > p["negotiation.unmet_threshold"]
    triggered = (block_sum(strained.astype(float), starts) > 0) | short
    attempted = triggered & alive & (u_attempt < p["negotiation.p_attempt"])
    with_strained = strained & attempted[ego]
    unstrained = personal & ~strained
    n_unstrained = block_sum(unstrained.astype(float), starts)
    asked = u_ask * n_unstrained[ego] < 1.0
    asking_more = unstrained & asked & (attempted & short)[ego]
    involved = with_strained | asking_more
    success = involved & (u_success < skill[ego] * quality)
    failure = involved & ~success
    new_share = np.where(success & with_strained, share * (1.0 - p["negotiation.shift"]), share)
    new_share = np.where(
        success & asking_more,
        np.minimum(new_share * (1.0 + p["negotiation.shift"]), SHARE_MAX),
        new_share,
    )
    new_quality = np.where(failure, quality - p["negotiation.quality_loss"], quality)
    ended = (
        failure
        & (new_quality < p["negotiation.quality_end"])
        & (u_end < p["negotiation.p_end_tie"])
    )
    relief = np.where(success & with_strained, p["negotiation.strain_relief"], 0.0)
    return Negotiation(
        new_share,
        np.clip(new_quality, 0.0, 1.0),
        relief,
        ended,
        attempted,
        block_sum(success.astype(float), starts),
    )


def recover_quality(
    quality: np.ndarray, active: np.ndarray, baseline: float, rate: float
) -> np.ndarray:
    """Relationship quality relaxes towards its baseline mean."""
    return np.where(active, quality + rate * (baseline - quality), quality)
