"""Negotiation within networks (Vassilev et al. 2014): re-shaping who does which work.

A patient is triggered when a personal member's strain exceeds ``strain_threshold`` or more than
``unmet_threshold`` of their need goes unmet, and then tries to re-negotiate with weekly
probability ``p_attempt``. Each negotiation with a member succeeds with probability
``skill_i x quality_ij``:

* with a strained member, success moves a share ``shift`` of their work elsewhere
  (``share *= 1 - shift``) and relieves strain (``strain -= strain_relief``); the allocation of
  need then draws more on the others;
* when need goes unmet, or work has just been moved off a strained member (redistribution), the
  patient asks one unstrained member on average (each with probability 1 / number of unstrained
  personal members); success raises what that member takes on (``share *= 1 + shift``, at most
  ``share_max``);
* failure costs relationship quality (``quality -= quality_loss``), and a tie whose quality falls
  below ``quality_end`` ends with probability ``p_end_tie``.

Quality recovers towards its baseline mean at ``rate_quality_recovery`` per week, and negotiated
shares drift back towards 1 at ``rate_share_return`` per week (re-shaped roles do not last
forever), so usual care reaches a balance between strain and re-negotiation. One uniform
draw per tie decides success; on failure the same draw, rescaled to [0, 1), decides whether the
tie ends (it is uniform and independent of the success decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Negotiation:
    """Outcome of one week of negotiation for the ties of the patients who negotiated."""

    share: np.ndarray
    quality: np.ndarray
    relief: np.ndarray
    ended: np.ndarray
    succeeded: np.ndarray


def who_negotiates(
    p: Mapping[str, Any],
    any_strained: np.ndarray,
    unmet_share: np.ndarray,
    alive: np.ndarray,
    u_attempt: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Patients who try to re-negotiate this week, and those among them short of help.

    Args:
        p: Mechanism parameters.
        any_strained: Per patient, True if a personal member's strain is above the threshold.
        unmet_share: Per patient, share of need unmet this week (after mediation).
        alive: Per patient, True if alive.
        u_attempt: Uniform draws per patient.

    Returns:
        ``(attempted, short)`` boolean arrays per patient.
    """
    short = unmet_share > p["negotiation.unmet_threshold"]
    attempted = (any_strained | short) & alive & (u_attempt < p["negotiation.p_attempt"])
    return attempted, short


def negotiate(
    p: Mapping[str, Any],
    *,
    owner: np.ndarray,
    personal: np.ndarray,
    strained: np.ndarray,
    short: np.ndarray,
    n_unstrained: np.ndarray,
    share: np.ndarray,
    quality: np.ndarray,
    skill: np.ndarray,
    u_ask: np.ndarray,
    u_success: np.ndarray,
) -> Negotiation:
    """Negotiations of the patients who try this week, tie by tie.

    All arguments but ``p`` are per tie of a negotiating patient (gathered from the patient where
    needed).

    Args:
        p: Mechanism parameters.
        owner: Index (0, 1, ...) of the negotiating patient the tie belongs to.
        personal: True for an active tie to a person in the patient's own community.
        strained: True if that person's strain is above the threshold.
        short: True if the patient is short of help (unmet need above the threshold).
        n_unstrained: The patient's number of unstrained personal ties.
        share: Negotiated multiplier of the member's offer.
        quality: Relationship quality.
        skill: The patient's negotiation skill (0-1).
        u_ask: Uniform draws (this member is asked to take on more or not).
        u_success: Uniform draws (success, and on failure whether the tie ends).

    Returns:
        New share and quality, strain relief for the member, ended ties, successes.
    """
    chance = skill * quality
    shed = strained & (u_success < chance)
    moved = np.bincount(owner, weights=shed, minlength=int(owner.max(initial=-1)) + 1) > 0
    asking_more = personal & ~strained & (short | moved[owner]) & (u_ask * n_unstrained < 1.0)
    involved = strained | asking_more
    success = involved & (u_success < chance)
    failure = involved & ~success
    shift = p["negotiation.shift"]
    new_share = np.where(shed, share * (1.0 - shift), share)
    new_share = np.where(
        success & asking_more,
        np.minimum(new_share * (1.0 + shift), p["negotiation.share_max"]),
        new_share,
    )
    new_quality = np.clip(
        np.where(failure, quality - p["negotiation.quality_loss"], quality), 0.0, 1.0
    )
    u_end = (u_success - chance) / np.maximum(1.0 - chance, 1e-12)
    ended = (
        failure
        & (new_quality < p["negotiation.quality_end"])
        & (u_end < p["negotiation.p_end_tie"])
    )
    relief = np.where(shed, p["negotiation.strain_relief"], 0.0)
    return Negotiation(new_share, new_quality, relief, ended, success)


def relax_share(share: np.ndarray, rate: float) -> np.ndarray:
    """Negotiated shares drift back towards 1 (roles slowly return to how they were)."""
    return share + rate * (1.0 - share)


def recover_quality(quality: np.ndarray, baseline: float, rate: float) -> np.ndarray:
    """Relationship quality relaxes towards its baseline mean (inactive slots are ignored)."""
    return quality + rate * (baseline - quality)
