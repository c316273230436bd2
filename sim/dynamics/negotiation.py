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

The weekly step runs all of this in one pass over each patient's block of slots
(:func:`negotiate_blocks`, a compiled kernel giving the same numbers as :func:`who_negotiates`
and :func:`negotiate`).

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
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit, prange

from sim.dynamics import draws
from sim.dynamics.segments import CHUNK, TAKERS, following_chunk, take_chunks


@dataclass
class Negotiation:
    """Outcome of one week of negotiation for the ties of the patients who negotiated."""

    share: np.ndarray
    quality: np.ndarray
    relief: np.ndarray
    ended: np.ndarray
    succeeded: np.ndarray


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


@njit(cache=True, parallel=True, error_model="numpy")
def negotiate_blocks(
    starts: np.ndarray,
    ends: np.ndarray,
    personal: np.ndarray,
    active: np.ndarray,
    alter: np.ndarray,
    share: np.ndarray,
    quality: np.ndarray,
    strain: np.ndarray,
    relief_scratch: np.ndarray,
    need: np.ndarray,
    received: np.ndarray,
    alive: np.ndarray,
    skill: np.ndarray,
    u_attempt: np.ndarray,
    ask_key: np.uint64,
    success_key: np.uint64,
    quality_initial: float,
    rate_quality_recovery: float,
    rate_share_return: float,
    negotiating: bool,
    strain_threshold: float,
    unmet_threshold: float,
    p_attempt: float,
    shift: float,
    share_max: float,
    quality_loss: float,
    quality_end: float,
    p_end_tie: float,
    strain_relief: float,
    slot_scratch: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One week of negotiation, patient by patient: who tries, and the slots whose tie ends.

    Over each block of slots (``starts[i]`` to ``ends[i]``, in slot order): on ``active`` slots
    (ties), quality recovers and shares relax (``quality += rate_quality_recovery (quality_initial -
    quality)``, ``share += rate_share_return (1 - share)``); then, if ``negotiating``, the patient
    is short of help when the unmet share of need (from ``need`` and ``received``) is above
    ``unmet_threshold``, tries when a personal member is strained or they are short, alive, and
    ``u_attempt < p_attempt``, and negotiates as :func:`negotiate`, with the same operations.
    ``share``, ``quality`` and member ``strain`` are updated in place (strain relief summed per
    member, then ``strain = clip(strain - relief)``); ``relief_scratch`` is a zero array over
    members, left zero. Patients run in parallel (numba ``prange`` over chunks of
    :data:`~sim.dynamics.segments.CHUNK` patients, :func:`_bargain_range`): each writes only its own
    slots and reads strain as it was before the week's negotiation, and lists the slots whose
    member's work was shed or whose tie ends in ``slot_scratch`` (working space of one int64 per
    slot, overwritten), from its first slot on. Relief and ended ties are then gathered serially,
    chunk by chunk in slot order (:func:`_relieve_and_end`), so the numbers do not depend on the
    number of threads.

    Returns:
        ``(attempted, ended)``: per patient True if they negotiated; indices of ended slots.
    """
    attempted = np.zeros(len(starts), np.bool_)
    n = len(starts)
    n_chunks = (n + CHUNK - 1) // CHUNK
    listed = np.zeros(n_chunks, np.int64)
    counter = np.zeros(1, np.int64)  # the next chunk to take
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            listed[c] = _bargain_range(
                first=c * CHUNK,
                last=min(n, (c + 1) * CHUNK),
                starts=starts,
                ends=ends,
                attempted=attempted,
                personal=personal,
                active=active,
                alter=alter,
                share=share,
                quality=quality,
                strain=strain,
                need=need,
                received=received,
                alive=alive,
                skill=skill,
                u_attempt=u_attempt,
                ask_key=ask_key,
                success_key=success_key,
                quality_initial=quality_initial,
                rate_quality_recovery=rate_quality_recovery,
                rate_share_return=rate_share_return,
                negotiating=negotiating,
                strain_threshold=strain_threshold,
                unmet_threshold=unmet_threshold,
                p_attempt=p_attempt,
                shift=shift,
                share_max=share_max,
                quality_loss=quality_loss,
                quality_end=quality_end,
                p_end_tie=p_end_tie,
                changes=slot_scratch,
            )
            c, stop = following_chunk(counter, c, stop, n_chunks)
    ended = _relieve_and_end(
        starts=starts,
        listed=listed,
        changes=slot_scratch,
        alter=alter,
        strain=strain,
        relief_scratch=relief_scratch,
        strain_relief=strain_relief,
    )
    return attempted, ended


@njit(cache=True, error_model="numpy")
def _bargain_range(
    first: int,
    last: int,
    starts: np.ndarray,
    ends: np.ndarray,
    attempted: np.ndarray,
    personal: np.ndarray,
    active: np.ndarray,
    alter: np.ndarray,
    share: np.ndarray,
    quality: np.ndarray,
    strain: np.ndarray,
    need: np.ndarray,
    received: np.ndarray,
    alive: np.ndarray,
    skill: np.ndarray,
    u_attempt: np.ndarray,
    ask_key: np.uint64,
    success_key: np.uint64,
    quality_initial: float,
    rate_quality_recovery: float,
    rate_share_return: float,
    negotiating: bool,
    strain_threshold: float,
    unmet_threshold: float,
    p_attempt: float,
    shift: float,
    share_max: float,
    quality_loss: float,
    quality_end: float,
    p_end_tie: float,
    changes: np.ndarray,
) -> int:
    """The week of :func:`negotiate_blocks` for patients ``first`` to ``last - 1``, in order.

    Writes only those patients' slots (``share``, ``quality``) and ``attempted``; reads member
    ``strain``. Lists, in slot order from ``changes[starts[first]]`` on, the slots that changed:
    ``-(j + 1)`` where the work of slot ``j``'s member was shed, ``j`` where slot ``j``'s tie
    ends (never both: shedding needs a success, ending a failure). Each listed slot lies at or
    after its place in the list, so the list stays within the patients' own slots.

    Returns:
        The number of slots listed.
    """
    n_listed = 0
    list_first = np.int64(starts[first])
    for i in range(np.uint64(first), np.uint64(last)):
        any_strained = False
        n_unstrained = 0.0
        for j in range(starts[i], ends[i]):
            if not active[j]:  # an empty slot has no tie to recover
                continue
            quality[j] += rate_quality_recovery * (quality_initial - quality[j])
            share[j] += rate_share_return * (1.0 - share[j])
            if personal[j]:
                if strain[alter[j]] > strain_threshold:
                    any_strained = True
                else:
                    n_unstrained += 1.0
        if not negotiating:
            continue
        if not (alive[i] and u_attempt[i] < p_attempt):  # most patients: no attempt this week
            continue
        needed = need[i, 0] + need[i, 1] + need[i, 2]
        unmet = (
            max(need[i, 0] - received[i, 0], 0.0)
            + max(need[i, 1] - received[i, 1], 0.0)
            + max(need[i, 2] - received[i, 2], 0.0)
        )
        short = (unmet / needed if needed > 0 else 0.0) > unmet_threshold
        if not (any_strained or short):
            continue
        attempted[i] = True
        moved = False
        for j in range(starts[i], ends[i]):
            strained = personal[j] and strain[alter[j]] > strain_threshold
            if strained and draws.uniform(success_key, j) < skill[i] * quality[j]:
                moved = True
        for j in range(starts[i], ends[i]):
            chance = skill[i] * quality[j]
            strained = personal[j] and strain[alter[j]] > strain_threshold
            u_success = draws.uniform(success_key, j)
            asking_more = (
                personal[j]
                and not strained
                and (short or moved)
                and draws.uniform(ask_key, j) * n_unstrained < 1.0
            )
            success = u_success < chance
            failure = (strained or asking_more) and not success
            if strained and success:
                share[j] = share[j] * (1.0 - shift)
                changes[list_first + n_listed] = -np.int64(j) - 1
                n_listed += 1
            elif asking_more and success:
                share[j] = min(share[j] * (1.0 + shift), share_max)
            new_quality = quality[j] - quality_loss if failure else quality[j]
            quality[j] = min(max(new_quality, 0.0), 1.0)
            if failure and quality[j] < quality_end:
                u_end = (u_success - chance) / max(1.0 - chance, 1e-12)
                if u_end < p_end_tie:
                    changes[list_first + n_listed] = np.int64(j)
                    n_listed += 1
    return n_listed


@njit(cache=True)
def _relieve_and_end(
    starts: np.ndarray,
    listed: np.ndarray,
    changes: np.ndarray,
    alter: np.ndarray,
    strain: np.ndarray,
    relief_scratch: np.ndarray,
    strain_relief: float,
) -> np.ndarray:
    """Strain relief summed per member, then applied; the ended slots (serial, in slot order).

    Reads each chunk's list of changed slots (``listed[c]`` entries of ``changes`` from the
    chunk's first slot, as :func:`_bargain_range` writes them); ``relief_scratch`` is a zero array
    over members, left zero. Returns the indices of the ended slots.
    """
    n_chunks = len(listed)
    ended = np.empty(listed.sum(), np.int64)
    relieved = np.empty(listed.sum(), np.int64)
    n_ended = 0
    n_relieved = 0
    for c in range(n_chunks):
        first = np.int64(starts[c * CHUNK])
        for k in range(listed[c]):
            change = changes[first + k]
            if change < 0:  # the member's work was shed
                a = alter[-change - 1]
                relief_scratch[a] += strain_relief
                relieved[n_relieved] = a
                n_relieved += 1
            else:
                ended[n_ended] = change
                n_ended += 1
    for n in range(n_relieved):
        a = relieved[n]
        if relief_scratch[a] != 0.0:
            strain[a] = min(max(strain[a] - relief_scratch[a], 0.0), 1.0)
            relief_scratch[a] = 0.0
    return ended[:n_ended]
