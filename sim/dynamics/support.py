"""Accessing and mediating resources.

Vassilev et al. 2014 (theme 2); Vassilev et al. 2013; Rogers et al. 2014, 2016.

Members offer illness, everyday and emotional work according to tie type, closeness and proximity
(the base offer, :func:`~sim.dynamics.state.offer_by_kind`), their availability (``1 - strain``),
the negotiated share of work, and, for weak ties, reciprocity (Rogers et al. 2014). Offers follow
need: network support expands as health needs grow (Reeves et al. 2014), so each kind of offer
scales with the patient's need of that kind against the need of a typical patient (``need_ref_k``:
age 72, true eGFR 52.5, no diabetes, the mean comorbidity, stage 3a, BP controlled, loneliness 0.5;
elasticity ``eta``), and help is mobilised when need rises and relaxes after (the stock ``M``). A
member never offers one patient more than their capacity left after strain. Need is met in
proportion to what is offered, so where there is no partner the remaining members' offers are drawn
on more fully (partial substitution, dossier T8). Patients accept less help the more reluctant they
are to be a burden and the poorer the relationship; professional help is always accepted; help not
accepted is not redistributed. Members accumulate strain with their load (all the work they give, to
every patient they support) relative to their capacity, and broker introductions to groups.
Receiving help never raises quality of life directly: it lowers unmet work and imbalance. With
resource mediation switched off, members offer and broker nothing.

The weekly step runs all of this in one pass over each patient's block of slots
(:func:`mediate_blocks`, a compiled kernel), except the brokerage sum, which reads nothing
mediation writes: it is added up in the pass over the ties before mediation
(:func:`sim.dynamics.exposure.exposure_blocks`, with :func:`introduced`).

Equations:
    N_i = sum_k need_ik;   M' = (1 - delta) M + (N_i - N_i,prev)^+ / max(N_i,prev, 1e-9)
    base_ijk = offer_k[tie type] x rel_circle[circle] x rel_far_k^[further away]
    o_ijk = base_ijk (1 - strain_j) share_ij recip_ij (need_ik / need_ref_k)^eta (1 + mu M_i)
    recip_ij = 1 (strong ties);  1 - (1 - f)(1 - giving_i) (weak ties)
    giving_i = clip((heiQ_i - 1) / 3, 0, 1)
    offer_ijk = o_ijk min(1, capacity_j (1 - strain_j) / sum_k o_ijk)
    fill_ik = min(1, need_ik / sum_j offer_ijk)          (0 where nothing is offered)
    accept_ij = 1 - reluctance_i (1 - quality_ij)        (1 for professionals)
    given_ijk = offer_ijk fill_ik accept_ij,   received_ik = sum_j given_ijk
    load_j = sum over the patients j supports of sum_k given_ijk
    strain_j' = clip(strain_j + r_s load_j / capacity_j - r_r strain_j, 0, 1)
    brokerage_i = 1 - exp(-sum_j broker_j strength_ij min(1, contact_ij))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange, vectorize

from sim.dynamics.segments import CHUNK, TAKERS, Blocks, block_sum, following_chunk, take_chunks


@dataclass
class Exchange:
    """One week of support: per slot work given (n_slots, 3) and per patient received (n, 3)."""

    given: np.ndarray
    received: np.ndarray


def allocate(
    offer: np.ndarray,
    need: np.ndarray,
    acceptance: np.ndarray,
    ego: np.ndarray,
    starts: np.ndarray | Blocks,
) -> Exchange:
    """Meet each patient's need in proportion to what members offer.

    Args:
        offer: Hours/week offered per slot, shape (n_slots, 3).
        need: Hours/week needed per patient, shape (n, 3).
        acceptance: Per slot, the share of offered help the patient accepts (0-1).
        ego: Per slot, the patient.
        starts: First slot of each patient.
    """
    total = block_sum(offer, starts)
    with np.errstate(over="ignore"):  # a vanishing offer gives an infinite ratio, capped below
        fill = np.divide(need, total, out=np.zeros_like(need), where=total > 0)
    fill = np.minimum(fill, 1.0)
    given = np.take(fill, ego, axis=0)  # much faster than fill[ego] for 2-D rows
    given *= offer
    given *= acceptance[:, None]
    return Exchange(given=given, received=block_sum(given, starts))


@njit(cache=True)
def total_work(work: np.ndarray) -> np.ndarray:
    """Hours of all kinds of work per row of an (n, 3) array (much faster than ``sum(axis=1)``).

    The same numbers as ``work.sum(axis=1)``: ``(w_1 + w_2) + w_3`` row by row.
    """
    total = np.empty(work.shape[0])
    for i in range(work.shape[0]):
        total[i] = work[i, 0] + work[i, 1] + work[i, 2]
    return total


def update_strain(
    strain: np.ndarray,
    load: np.ndarray,
    capacity: np.ndarray,
    rate_strain: float,
    rate_recovery: float,
) -> np.ndarray:
    """One week of strain: grows with load/capacity, recovers at a constant rate; in [0, 1]."""
    return np.clip(strain + rate_strain * load / capacity - rate_recovery * strain, 0.0, 1.0)


@vectorize(cache=True)
def introduced(introductions: float) -> float:
    """Chance of at least one introduction, ``1 - exp(-x)``, given ``x`` a week on average.

    A numpy ufunc. Exactly 0 without introductions, as ``1 - exp(-0)`` is, without computing the
    exponential.
    """
    if introductions == 0.0:
        return 0.0
    return 1.0 - math.exp(-introductions)


def need_factor(
    need: np.ndarray,
    need_ref: np.ndarray,
    mobilisation: np.ndarray,
    elasticity: float,
    weight: float,
) -> np.ndarray:
    """Per patient and kind of work, ``(need / need_ref)^eta (1 + mu M)``, shape (n, 3)."""
    return need_factor_of(need, need_ref, mobilisation[:, None], elasticity, weight)


@vectorize(cache=True)
def need_factor_of(
    need: float, need_ref: float, mobilisation: float, elasticity: float, weight: float
) -> float:
    """The need factor of one patient and kind of work (a numpy ufunc; 1 where need_ref is 0).

    The default elasticity, 0.5, takes a square root: about ten times faster than a power, and
    correctly rounded (a power may differ from it in the last bit).
    """
    ratio = need / need_ref if need_ref > 0 else 1.0
    scaled = math.sqrt(ratio) if elasticity == 0.5 else ratio**elasticity
    return scaled * (1.0 + weight * mobilisation)


@vectorize(cache=True)
def mobilise(mobilisation: float, need_total: float, need_previous: float, decay: float) -> float:
    """One week of the mobilisation stock: raised by a relative rise in need, then decaying.

    A numpy ufunc, also called per patient in :func:`mediate_blocks`.
    """
    rise = max(need_total - need_previous, 0.0)  # 0 in the first week (previous: inf)
    return (1.0 - decay) * mobilisation + rise / max(need_previous, 1e-9)


@njit(cache=True, parallel=True, error_model="numpy")
def mediate_blocks(
    starts: np.ndarray,
    ends: np.ndarray,
    offer_by_kind: np.ndarray,
    circle: np.ndarray,
    proximity: np.ndarray,
    alter: np.ndarray,
    share: np.ndarray,
    weak: np.ndarray,
    quality: np.ndarray,
    professional: np.ndarray,
    active: np.ndarray,
    strain: np.ndarray,
    capacity: np.ndarray,
    shared: np.ndarray,
    heiq: np.ndarray,
    reluctance: np.ndarray,
    need: np.ndarray,
    need_ref: np.ndarray,
    mobilisation: np.ndarray,
    need_previous: np.ndarray,
    mobilisation_out: np.ndarray,
    need_previous_out: np.ndarray,
    mobilisation_decay: float,
    elasticity: float,
    weight_mobilisation: float,
    tie_type: np.ndarray,
    reciprocity_floor: float,
    offering: bool,
    given: np.ndarray,
    keep_given: bool,
    received: np.ndarray,
    received_professional: np.ndarray,
    load: np.ndarray,
    given_by_type: np.ndarray,
    slot_scratch: np.ndarray,
    work_scratch: np.ndarray,
    one_thread: bool = False,
) -> None:
    """One week of offers, allocation and member load, block by block.

    The module's equations for patient ``i`` over the slots ``starts[i]`` to ``ends[i]``: giving
    back from ``heiq``, the mobilisation stock M (:func:`mobilise`; from ``mobilisation`` and
    ``need_previous``, the week's values written to ``mobilisation_out`` and
    ``need_previous_out``), the need factor ``(need / need_ref)^eta (1 + mu M)``
    (:func:`need_factor`, ``elasticity`` eta, ``weight_mobilisation`` mu), offers; the first pass
    adds up the offers (keeping a patient's offers in a small buffer of its chunk), the second
    gives. Patients run in parallel, in chunks of :data:`~sim.dynamics.segments.CHUNK` (numba
    ``prange``): each writes only its own slots and row, and the load of members only it has ties to
    (``shared`` False: persons and pets, in slot order). Each chunk lists the member and the work
    given of its slots to ``shared`` members (groups, professionals), whose load is then added up
    serially in slot order (:func:`add_shared_load`, reading the lists in sequence rather than
    gathering from the slot arrays); ``given_by_type`` is the sum of each chunk's sums, in chunk
    order. So every number is the same on any number of threads. Slots not ``active`` (empty,
    waiting to be reused) are skipped: their work given is 0. Blocks must follow each other in slot
    order; a block may stop before the next one starts (the weekly step passes the occupied ends,
    :func:`~sim.dynamics.segments.occupied_ends`), but with ``keep_given`` only slots inside a block
    get their work given written. Without ``offering`` (mediation off) nothing is offered or given.
    Writes ``received`` and ``received_professional`` (n, 3), ``load`` (per member row) and
    ``given_by_type`` (per tie type) in place; with ``keep_given``, also the work given per slot in
    ``given`` (n_slots, 3). Without it ``given`` is not touched (it may be empty): no mechanism
    reads the work per slot, and not writing its 24 bytes a slot spares memory traffic that limits
    large runs on several cores. ``slot_scratch`` (int64) and ``work_scratch`` (float64) are working
    space of one number per slot for those lists (their contents are overwritten; kept by the caller
    so that no large array is allocated, and page-faulted, every week). With ``one_thread`` (the
    caller runs the pass on one thread, so chunks run one after another in slot order) the work
    given to shared members is added to their load in the pass itself: each member's load gets the
    same additions in the same order as through the lists, so the numbers are the same, without
    writing and reading the lists.

    A tie's base offer of each kind of work is ``offer_by_kind[tie_type, circle, proximity]``
    (:func:`~sim.dynamics.state.offer_by_kind`, a table of about 1 KB), read for active slots only.
    """
    n_chunks = (len(starts) + CHUNK - 1) // CHUNK
    by_type = np.zeros((n_chunks, len(given_by_type)))
    # each chunk lists the member and work of its shared slots, from its first slot on
    shared_member, shared_work = slot_scratch, work_scratch
    n_shared = np.zeros(n_chunks, np.int64)
    load[:] = 0.0  # a parallel fill (numba turns it into a parallel loop)
    counter = np.zeros(1, np.int64)  # the next chunk to take
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            _mediate_range(
                first=c * CHUNK,
                last=min(len(starts), (c + 1) * CHUNK),
                starts=starts,
                ends=ends,
                offer_by_kind=offer_by_kind,
                circle=circle,
                proximity=proximity,
                alter=alter,
                share=share,
                weak=weak,
                quality=quality,
                professional=professional,
                active=active,
                strain=strain,
                capacity=capacity,
                shared=shared,
                heiq=heiq,
                reluctance=reluctance,
                need=need,
                need_ref=need_ref,
                mobilisation=mobilisation,
                need_previous=need_previous,
                mobilisation_out=mobilisation_out,
                need_previous_out=need_previous_out,
                mobilisation_decay=mobilisation_decay,
                elasticity=elasticity,
                weight_mobilisation=weight_mobilisation,
                tie_type=tie_type,
                reciprocity_floor=reciprocity_floor,
                offering=offering,
                given=given,
                keep_given=keep_given,
                received=received,
                received_professional=received_professional,
                load=load,
                shared_member=shared_member,
                shared_work=shared_work,
                n_shared=n_shared,
                by_type=by_type,
                chunk=c,
                one_thread=one_thread,
            )
            c, stop = following_chunk(counter, c, stop, n_chunks)
    for c in range(n_chunks):  # serial, in slot order
        first = starts[c * CHUNK]
        add_shared_load(
            members=shared_member[first : first + n_shared[c]],
            work=shared_work[first : first + n_shared[c]],
            load=load,
        )
    given_by_type[:] = 0.0
    for c in range(n_chunks):
        given_by_type += by_type[c]


@njit(cache=True, error_model="numpy")
def _mediate_range(
    first: int,
    last: int,
    starts: np.ndarray,
    ends: np.ndarray,
    offer_by_kind: np.ndarray,
    circle: np.ndarray,
    proximity: np.ndarray,
    alter: np.ndarray,
    share: np.ndarray,
    weak: np.ndarray,
    quality: np.ndarray,
    professional: np.ndarray,
    active: np.ndarray,
    strain: np.ndarray,
    capacity: np.ndarray,
    shared: np.ndarray,
    heiq: np.ndarray,
    reluctance: np.ndarray,
    need: np.ndarray,
    need_ref: np.ndarray,
    mobilisation: np.ndarray,
    need_previous: np.ndarray,
    mobilisation_out: np.ndarray,
    need_previous_out: np.ndarray,
    mobilisation_decay: float,
    elasticity: float,
    weight_mobilisation: float,
    tie_type: np.ndarray,
    reciprocity_floor: float,
    offering: bool,
    given: np.ndarray,
    keep_given: bool,
    received: np.ndarray,
    received_professional: np.ndarray,
    load: np.ndarray,
    shared_member: np.ndarray,
    shared_work: np.ndarray,
    n_shared: np.ndarray,
    by_type: np.ndarray,
    chunk: int,
    one_thread: bool,
) -> None:
    """:func:`mediate_blocks` for patients ``first`` to ``last - 1``, in order."""
    shortfall_weak = 1.0 - reciprocity_floor
    longest = np.int64(0)
    for i in range(np.uint64(first), np.uint64(last)):
        longest = max(longest, np.int64(ends[i]) - np.int64(starts[i]))
    offers = np.empty((longest, 3))  # this patient's offers, between the two passes
    for i in range(np.uint64(first), np.uint64(last)):
        lo, hi = starts[i], ends[i]
        giving = min(max((heiq[i] - 1.0) / 3.0, 0.0), 1.0)  # giving back
        shortfall = (1.0 - giving) * shortfall_weak
        need_total = need[i, 0] + need[i, 1] + need[i, 2]
        m = mobilise(mobilisation[i], need_total, need_previous[i], mobilisation_decay)
        mobilisation_out[i], need_previous_out[i] = m, need_total
        f0 = need_factor_of(need[i, 0], need_ref[0], m, elasticity, weight_mobilisation)
        f1 = need_factor_of(need[i, 1], need_ref[1], m, elasticity, weight_mobilisation)
        f2 = need_factor_of(need[i, 2], need_ref[2], m, elasticity, weight_mobilisation)
        total0 = total1 = total2 = 0.0
        if offering:
            for j in range(lo, hi):
                if not active[j]:  # an empty slot offers nothing
                    continue
                a = alter[j]
                free = 1.0 - strain[a]
                scale = free * share[j]
                scale *= 1.0 - (shortfall if weak[j] else 0.0)
                t, c, q = tie_type[j], circle[j], proximity[j]
                o0 = offer_by_kind[t, c, q, 0] * scale * f0
                o1 = offer_by_kind[t, c, q, 1] * scale * f1
                o2 = offer_by_kind[t, c, q, 2] * scale * f2
                offered = o0 + o1 + o2
                room = capacity[a] * free
                if offered > room:
                    cut = room / offered
                    o0, o1, o2 = o0 * cut, o1 * cut, o2 * cut
                offers[j - lo, 0], offers[j - lo, 1], offers[j - lo, 2] = o0, o1, o2
                total0 += o0
                total1 += o1
                total2 += o2
        fill0 = min(need[i, 0] / total0, 1.0) if total0 > 0 else 0.0
        fill1 = min(need[i, 1] / total1, 1.0) if total1 > 0 else 0.0
        fill2 = min(need[i, 2] / total2, 1.0) if total2 > 0 else 0.0
        received0 = received1 = received2 = 0.0
        professional0 = professional1 = professional2 = 0.0
        for j in range(lo, hi):
            if not active[j]:  # an empty slot gives nothing
                if keep_given:
                    given[j, 0] = given[j, 1] = given[j, 2] = 0.0
                continue
            a = alter[j]
            o0 = o1 = o2 = 0.0
            if offering:  # this week's offers, from the first pass
                o0, o1, o2 = offers[j - lo, 0], offers[j - lo, 1], offers[j - lo, 2]
            accept = 1.0 if professional[j] else 1.0 - reluctance[i] * (1.0 - quality[j])
            given0 = fill0 * o0 * accept
            given1 = fill1 * o1 * accept
            given2 = fill2 * o2 * accept
            if keep_given:
                given[j, 0], given[j, 1], given[j, 2] = given0, given1, given2
            received0 += given0
            received1 += given1
            received2 += given2
            if professional[j]:
                professional0 += given0
                professional1 += given1
                professional2 += given2
            work = given0 + given1 + given2
            if shared[a] and not one_thread:  # kept for the serial sum, in slot order
                k = starts[first] + n_shared[chunk]
                shared_member[k], shared_work[k] = a, work
                n_shared[chunk] += 1
            else:  # only this patient has ties to the member, or one thread runs the pass
                load[a] += work
            by_type[chunk, tie_type[j]] += work
        received[i, 0], received[i, 1], received[i, 2] = received0, received1, received2
        received_professional[i, 0] = professional0
        received_professional[i, 1] = professional1
        received_professional[i, 2] = professional2


def shared_members(
    starts: np.ndarray, ends: np.ndarray, alter: np.ndarray, group: np.ndarray, n_members: int
) -> np.ndarray:
    """Per member row, True where its load may come from more than one patient.

    Members with ties from two or more patients' blocks, every group (patients join groups as
    the run goes on) and the last row (the sentinel of ended ties). Persons and pets are
    normally each in one patient's community.

    Args:
        starts: First slot of each patient.
        ends: One past the last slot of each patient.
        alter: Member row of each slot.
        group: Per member row, True for a group.
        n_members: Number of member rows (the sentinel included).
    """
    shared = group.copy()
    _mark_shared(starts, ends, alter, np.full(n_members, -1, np.int64), shared)
    shared[-1] = True
    return shared


@njit(cache=True)
def _mark_shared(
    starts: np.ndarray, ends: np.ndarray, alter: np.ndarray, owner: np.ndarray, shared: np.ndarray
) -> None:
    """Set ``shared`` for members in the blocks of two or more patients (``owner``: -1s)."""
    for i in range(len(starts)):
        for j in range(starts[i], ends[i]):
            a = alter[j]
            if owner[a] < 0:
                owner[a] = i
            elif owner[a] != i:
                shared[a] = True


@njit(cache=True)
def add_shared_load(members: np.ndarray, work: np.ndarray, load: np.ndarray) -> None:
    """The load of shared members: ``load[members[k]] += work[k]``, for ``k`` in order.

    Serial: one order of addition, whatever the number of threads.
    """
    for k in range(len(members)):
        load[members[k]] += work[k]


@njit(cache=True, parallel=True, error_model="numpy")
def update_strain_in_place(
    strain: np.ndarray,
    load: np.ndarray,
    capacity: np.ndarray,
    rate_strain: float,
    rate_recovery: float,
) -> None:
    """:func:`update_strain` written into ``strain`` (one parallel pass, no temporaries)."""
    n_items, counter = len(strain), np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, (n_items + CHUNK - 1) // CHUNK)
        while c < stop:
            for a in range(c * CHUNK, min(n_items, (c + 1) * CHUNK)):
                value = strain[a] + rate_strain * load[a] / capacity[a] - rate_recovery * strain[a]
                strain[a] = min(max(value, 0.0), 1.0)
            c, stop = following_chunk(counter, c, stop, (n_items + CHUNK - 1) // CHUNK)
