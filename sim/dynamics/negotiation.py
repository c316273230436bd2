"""Negotiation within networks (Vassilev et al. 2014): re-shaping who does which work.

A patient is triggered when a personal member's strain exceeds ``strain_threshold`` or more than
``unmet_threshold`` of their need goes unmet, and then tries to re-negotiate with weekly
probability ``p_attempt``. Each negotiation with a member succeeds with probability
``skill_i x quality_ij``:

* with a strained member, success moves a share ``shift`` of their work elsewhere and relieves
  strain; the allocation of need then draws more on the others;
* when need goes unmet, or when work has just been moved off a strained member (redistribution),
  the patient asks one unstrained personal member on average (each with probability 1 / number
  of unstrained personal members); success raises what that member takes on, at most
  ``share_max``;
* failure costs relationship quality, and a tie whose quality falls below ``quality_end`` ends
  with probability ``p_end_tie``.

Before that, every week, quality recovers towards its baseline mean and negotiated shares drift
back towards 1 (re-shaped roles do not last forever), so usual care reaches a balance between
strain and re-negotiation. One uniform draw per tie decides success; on failure the same draw,
rescaled to [0, 1), decides whether the tie ends (it is uniform and independent of the success
decision). With negotiation switched off nobody negotiates; quality and shares still relax.

The weekly pass runs all of this patient by patient over each block of slots
(:func:`negotiate`); strain relief is applied once every patient of a block of patients has
negotiated (:func:`apply_relief`).

Equations:
    quality' = quality + r_q (q0 - quality);   share' = share + r_sh (1 - share)
    triggered_i = [some personal member's strain > strain_threshold]
                  or [unmet_i / need_i > unmet_threshold]
    attempt_i = triggered_i [alive] [u_i < p_attempt]
    success_ij = [u_ij < skill_i quality_ij]
    strained member, success:  share *= 1 - shift;  strain_j -= strain_relief (clip 0-1)
    unstrained member asked when (short_i or work moved off a strained member this week)
      and u'_ij x n_unstrained_i < 1;  success: share = min(share (1 + shift), share_max)
    failure (strained or asked):  quality = clip(quality - quality_loss, 0, 1);
      the tie ends if quality < quality_end and (u_ij - chance) / (1 - chance) < p_end_tie
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from numba import njit

from sim.dynamics import draws
from sim.dynamics.records import parameters
from sim.dynamics.ties import end_slot, is_personal


class NegotiationParams(NamedTuple):
    """The parameters of negotiation (``mechanisms.negotiation.*``).

    ``on`` is the switch ``negotiation``.
    """

    quality_initial: float
    rate_quality_recovery: float
    rate_share_return: float
    strain_threshold: float
    unmet_threshold: float
    p_attempt: float
    shift: float
    share_max: float
    quality_loss: float
    quality_end: float
    p_end_tie: float
    strain_relief: float
    on: bool

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> NegotiationParams:
        """The record from the mechanism parameters."""
        return parameters(cls, p, "negotiation", on=p["switches.negotiation"])


@njit(cache=True, inline="always")
def bargain(
    q: NegotiationParams, chance: float, strained: bool, u: float, share: float, quality: float
) -> tuple[float, float, bool, bool]:
    """One negotiation with a member: shed work (``strained``) or ask them to take on more.

    Success when ``u < chance``; on failure quality is lost and, when it falls below
    ``quality_end``, the same draw rescaled to [0, 1) decides whether the tie ends.

    Returns:
        ``(share, quality, succeeded, the tie ends)``.
    """
    if u < chance:
        if strained:
            return share * (1.0 - q.shift), quality, True, False
        return min(share * (1.0 + q.shift), q.share_max), quality, True, False
    quality = min(max(quality - q.quality_loss, 0.0), 1.0)
    u_end = (u - chance) / max(1.0 - chance, 1e-12)
    return share, quality, False, quality < q.quality_end and u_end < q.p_end_tie


@njit(cache=True, inline="always")
def _relax(q: NegotiationParams, i: int, lay: Any, s: Any, m: Any) -> tuple[bool, float]:
    """Quality recovers and shares drift back to 1 over patient ``i``'s block.

    Returns whether a personal member is strained, and how many personal members are not.
    """
    any_strained = False
    n_unstrained = 0.0
    for j in range(lay.lo[i], lay.hi[i]):
        s.quality[j] += q.rate_quality_recovery * (q.quality_initial - s.quality[j])
        s.share[j] += q.rate_share_return * (1.0 - s.share[j])
        if is_personal(s, j):
            if m.strain[s.alter[j]] > q.strain_threshold:
                any_strained = True
            else:
                n_unstrained += 1.0
    return any_strained, n_unstrained


@njit(cache=True, inline="always")
def _short_of_help(q: NegotiationParams, i: int, pt: Any) -> bool:
    """Whether more than ``unmet_threshold`` of patient ``i``'s need goes unmet."""
    need, received = pt.need, pt.received
    needed = need[i, 0] + need[i, 1] + need[i, 2]
    unmet = (
        max(need[i, 0] - received[i, 0], 0.0)
        + max(need[i, 1] - received[i, 1], 0.0)
        + max(need[i, 2] - received[i, 2], 0.0)
    )
    return (unmet / needed if needed > 0 else 0.0) > q.unmet_threshold


@njit(cache=True, inline="always")
def negotiate(
    q: NegotiationParams, i: int, lay: Any, s: Any, m: Any, pt: Any, week: Any, out: Any
) -> None:
    """One week of patient ``i``'s negotiation over their block of slots (the module's rules).

    Shares, quality and ties change in place (a tie that ends is emptied at once); relief for
    strained members is added to ``out.relief`` and the slot marked in ``out.relieved``, for
    :func:`apply_relief` once the whole block of patients has negotiated. ``lay`` is the block
    layout, ``s``, ``m`` and ``pt`` the slot, member and patient records, ``week`` the week
    (:mod:`sim.dynamics.passes`).
    """
    keys = week.keys
    any_strained, n_unstrained = _relax(q, i, lay, s, m)
    if not q.on:
        return
    short = _short_of_help(q, i, pt)
    if not ((any_strained or short) and pt.alive[i]):
        return
    if not draws.uniform(keys[draws.ATTEMPT], i) < q.p_attempt:
        return
    pt.negotiations[i] += 1
    skill = pt.skill[i]
    lo, hi = lay.lo[i], lay.hi[i]
    moved = False
    for j in range(lo, hi):
        strained = is_personal(s, j) and m.strain[s.alter[j]] > q.strain_threshold
        if strained and draws.uniform(keys[draws.SUCCESS], j) < skill * s.quality[j]:
            moved = True
    for j in range(lo, hi):
        if not is_personal(s, j):
            continue
        strained = m.strain[s.alter[j]] > q.strain_threshold
        asked = (
            not strained
            and (short or moved)
            and draws.uniform(keys[draws.ASK], j) * n_unstrained < 1.0
        )
        if not (strained or asked):
            continue
        u = draws.uniform(keys[draws.SUCCESS], j)
        share, quality, success, ends = bargain(
            q, skill * s.quality[j], strained, u, s.share[j], s.quality[j]
        )
        s.share[j], s.quality[j] = share, quality
        if strained and success:
            out.relief[s.alter[j]] += q.strain_relief
            out.relieved[j] = True
        if ends:
            end_slot(s, j, len(m.strain) - 1)


@njit(cache=True)
def apply_relief(first: int, end: int, s: Any, m: Any, out: Any) -> None:
    """Relieve the strain of the members marked in slots ``first`` to ``end``, in place.

    The slots are one block of patients: ``strain = clip(strain - relief)``, then the marks are
    cleared.
    """
    for j in range(first, end):
        if out.relieved[j]:
            out.relieved[j] = False
            a = s.alter[j]
            if out.relief[a] != 0.0:
                m.strain[a] = min(max(m.strain[a] - out.relief[a], 0.0), 1.0)
                out.relief[a] = 0.0
