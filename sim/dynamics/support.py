"""Accessing and mediating resources.

Vassilev et al. 2014 (theme 2); Vassilev et al. 2013; Rogers et al. 2014, 2016.

Members offer illness, everyday and emotional work according to tie type, closeness and
proximity (the base offer, ``Slots.offer``), their availability (``1 - strain``), the negotiated
share of work, and, for weak ties, reciprocity (Rogers et al. 2014). Offers follow need: network
support expands as health needs grow (Reeves et al. 2014), so each kind of offer scales with the
patient's need of that kind against the need of a typical patient (``need_ref_k``: age 72, true
eGFR 52.5, no diabetes, the mean comorbidity, stage 3a, BP controlled, loneliness 0.5; elasticity
``eta``), and help is mobilised when need rises and relaxes after (the stock ``M``). A member never
offers one patient more than their capacity left after strain. Need is met in proportion to what
is offered, so where there is no partner the remaining members' offers are drawn on more fully
(partial substitution, dossier T8). Patients accept less help the more reluctant they are to be
a burden and the poorer the relationship; professional help is always accepted; help not
accepted is not redistributed. Members accumulate strain with their load (all the work they
give, to every patient they support) relative to their capacity, and broker introductions to
groups. Receiving help never raises quality of life directly: it lowers unmet work and
imbalance. With resource mediation switched off, members offer and broker nothing.

The weekly pass runs all of this over each patient's block of slots (:func:`mediate`), and
strain over every member (:func:`update_strain`).

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

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters
from sim.population import codes


class SupportParams(NamedTuple):
    """The parameters of resource mediation (``mechanisms.support.*``).

    ``on`` is the switch ``resource_mediation``; ``need_ref`` the typical patient's need of each
    kind, hours/week.
    """

    mobilisation_decay: float
    mobilisation: float
    need_elasticity: float
    reciprocity_floor: float
    rate_strain: float
    rate_recovery: float
    need_ref: np.ndarray
    on: bool

    @classmethod
    def of(cls, p: Mapping[str, Any], need_ref: np.ndarray) -> SupportParams:
        """The record from the mechanism parameters and the typical patient's need."""
        on = p["switches.resource_mediation"]
        return parameters(cls, p, "support", need_ref=need_ref, on=on)


@njit(cache=True)
def total_work(work: np.ndarray) -> np.ndarray:
    """Hours of all kinds of work per row of an (n, 3) array (much faster than ``sum(axis=1)``).

    The same numbers as ``work.sum(axis=1)``: ``(w_1 + w_2) + w_3`` row by row.
    """
    total = np.empty(work.shape[0])
    for i in range(work.shape[0]):
        total[i] = work[i, 0] + work[i, 1] + work[i, 2]
    return total


@njit(cache=True)
def update_strain(
    strain: float, load: float, capacity: float, rate_strain: float, rate_recovery: float
) -> float:
    """One week of strain: grows with load/capacity, recovers at a constant rate; in [0, 1]."""
    value = strain + rate_strain * load / capacity - rate_recovery * strain
    return min(max(value, 0.0), 1.0)


@njit(cache=True)
def strain_members(q: SupportParams, m: Any, first: int, end: int) -> None:
    """:func:`update_strain` of members ``first`` to ``end`` (``m``: the member record)."""
    for a in range(first, end):
        m.strain[a] = update_strain(
            m.strain[a], m.load[a], m.capacity[a], q.rate_strain, q.rate_recovery
        )


@njit(cache=True)
def mobilise(mobilisation: float, need_total: float, need_previous: float, decay: float) -> float:
    """One week of the mobilisation stock: raised by a relative rise in need, then decaying."""
    rise = max(need_total - need_previous, 0.0)  # 0 in the first week (previous: inf)
    return (1.0 - decay) * mobilisation + rise / max(need_previous, 1e-9)


@njit(cache=True, inline="always")
def need_factor(q: SupportParams, need: float, kind: int, mobilisation: float) -> float:
    """``(need / need_ref)^eta (1 + mu M)`` for one kind of work (ratio 1 without a reference)."""
    ref = q.need_ref[kind]
    ratio = need / ref if ref > 0 else 1.0
    return ratio**q.need_elasticity * (1.0 + q.mobilisation * mobilisation)


@njit(cache=True, inline="always")
def _offers(
    q: SupportParams, i: int, lay: Any, s: Any, m: Any, pt: Any, given: np.ndarray
) -> tuple[float, float, float]:
    """This week's offers of each slot of patient ``i`` (kept in ``given``), and their totals."""
    total_need = pt.need[i, 0] + pt.need[i, 1] + pt.need[i, 2]
    mobilised = mobilise(pt.mobilisation[i], total_need, pt.need_previous[i], q.mobilisation_decay)
    pt.mobilisation[i], pt.need_previous[i] = mobilised, total_need
    f0 = need_factor(q, pt.need[i, 0], 0, mobilised)
    f1 = need_factor(q, pt.need[i, 1], 1, mobilised)
    f2 = need_factor(q, pt.need[i, 2], 2, mobilised)
    giving = min(max((pt.heiq[i] - 1.0) / 3.0, 0.0), 1.0)
    shortfall = (1.0 - giving) * (1.0 - q.reciprocity_floor)
    total0 = total1 = total2 = 0.0
    for j in range(lay.lo[i], lay.hi[i]):
        o0 = o1 = o2 = 0.0
        if q.on:
            a = s.alter[j]
            free = 1.0 - m.strain[a]
            scale = free * s.share[j]
            scale *= 1.0 - (shortfall if s.weak[j] else 0.0)
            o0, o1, o2 = (
                s.offer[j, 0] * scale * f0,
                s.offer[j, 1] * scale * f1,
                s.offer[j, 2] * scale * f2,
            )
            offered = o0 + o1 + o2
            room = m.capacity[a] * free
            if offered > room:
                cut = room / offered
                o0, o1, o2 = o0 * cut, o1 * cut, o2 * cut
        given[j, 0], given[j, 1], given[j, 2] = o0, o1, o2
        total0 += o0
        total1 += o1
        total2 += o2
    return total0, total1, total2


@njit(cache=True, inline="always")
def mediate(q: SupportParams, i: int, lay: Any, s: Any, m: Any, pt: Any, out: Any) -> None:
    """One week of offers, allocation, member load and introductions for patient ``i``.

    The module's equations over the patient's block of slots (``lay``: the
    :class:`sim.dynamics.segments.Layout`): the first pass works out the offers (kept in
    ``out.given``), the second gives. ``s``, ``m`` and ``pt`` are the slot, member and patient
    records (:mod:`sim.dynamics.state`), ``out`` the week's outputs
    (:class:`sim.dynamics.passes.WeekOutputs`). Writes the work given per slot,
    received (from everyone and from professionals), the patient's brokerage and contact with
    members other than pets (for loneliness), and adds to each member's ``load`` and to the
    work given by tie type (``out.given_by_type[chunk]``). Members' loads are added up in slot
    order, so every member's patients must be in one chunk.
    """
    given, by_type = out.given, out.given_by_type[lay.chunk_of[i]]
    total0, total1, total2 = _offers(q, i, lay, s, m, pt, given)
    fill0 = min(pt.need[i, 0] / total0, 1.0) if total0 > 0 else 0.0
    fill1 = min(pt.need[i, 1] / total1, 1.0) if total1 > 0 else 0.0
    fill2 = min(pt.need[i, 2] / total2, 1.0) if total2 > 0 else 0.0
    received0 = received1 = received2 = brokered = contacted = 0.0
    professional0 = professional1 = professional2 = 0.0
    for j in range(lay.lo[i], lay.hi[i]):
        kind = s.tie_type[j]
        professional = s.active[j] and kind == codes.PROFESSIONAL
        accept = 1.0 if professional else 1.0 - pt.reluctance[i] * (1.0 - s.quality[j])
        given0 = fill0 * given[j, 0] * accept
        given1 = fill1 * given[j, 1] * accept
        given2 = fill2 * given[j, 2] * accept
        given[j, 0], given[j, 1], given[j, 2] = given0, given1, given2
        received0 += given0
        received1 += given1
        received2 += given2
        if professional:
            professional0 += given0
            professional1 += given1
            professional2 += given2
        work_ = given0 + given1 + given2
        m.load[s.alter[j]] += work_
        by_type[kind] += work_
        brokered += s.broker[j] * s.strength[j] * min(s.contact[j], 1.0)
        if s.active[j] and kind != codes.PET:
            contacted += s.contact[j]
    pt.received[i, 0], pt.received[i, 1], pt.received[i, 2] = received0, received1, received2
    pt.received_professional[i, 0] = professional0
    pt.received_professional[i, 1] = professional1
    pt.received_professional[i, 2] = professional2
    pt.brokerage[i] = 1.0 - np.exp(-brokered) if q.on else 0.0
    out.social_contact[i] = contacted
