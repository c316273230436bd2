"""The week as three compiled passes over every agent, in parallel over chunks of patients.

1. :func:`exchange_pass`, patient by patient: work and capacity (:mod:`workload`); knowledge
   and experience sharing (:mod:`knowledge`); offers that follow need, allocation, member load
   and brokerage (:mod:`support`); collective efficacy (:mod:`collective`).
2. :func:`strain_pass`, member by member: strain from the week's load (:mod:`support`).
3. :func:`patient_pass`, patient by patient: balance (:mod:`balance`); health (:mod:`health`,
   with :mod:`kidney` and :mod:`medicines`); outcomes (:mod:`outcomes`, :mod:`eq5d`,
   :mod:`services`); navigation (:mod:`navigation`); negotiation (:mod:`negotiation`), whose
   strain relief is applied at the end of each chunk.

A prange body here only calls compiled functions: numba does not carry writes to the arrays of
a record made directly in a prange body to the code after them.

Within a pass a patient's mechanisms read only its own state, its own slots and members no
other chunk reaches (:mod:`segments`), so the order of operations is that of the documented
week (:mod:`step`) and the chunks can run on any number of threads with the same result. The
passes take typed records (:mod:`records`): the parameters, the slot layout, what the week does
not change (:class:`World`), the state tables (:mod:`state`), the week (:class:`Week`) and its
outputs (:class:`WeekOutputs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numba import njit, prange

from sim.dynamics import (
    balance,
    collective,
    health,
    knowledge,
    navigation,
    negotiation,
    outcomes,
    services,
    support,
    workload,
)
from sim.dynamics.eq5d import Eq5dParams
from sim.dynamics.kidney import KidneyParams
from sim.dynamics.medicines import MedicineParams
from sim.dynamics.segments import Layout
from sim.dynamics.services import ServiceParams
from sim.dynamics.ties import NewGroupTie
from sim.population import codes

#: Members per block of the member pass.
MEMBER_BLOCK = 1 << 16


class Parameters(NamedTuple):
    """Every mechanism's parameter record."""

    work: workload.WorkParams
    knowledge: knowledge.KnowledgeParams
    support: support.SupportParams
    collective: collective.CollectiveParams
    balance: balance.BalanceParams
    kidney: KidneyParams
    medicines: MedicineParams
    health: health.HealthParams
    outcomes: outcomes.OutcomeParams
    eq5d: Eq5dParams
    services: ServiceParams
    navigation: navigation.NavigationParams
    negotiation: negotiation.NegotiationParams

    @classmethod
    def of(cls, p: Mapping[str, Any], need_ref: np.ndarray) -> Parameters:
        """The records from the mechanism parameters and the typical patient's need."""
        return cls(
            workload.WorkParams.of(p),
            knowledge.KnowledgeParams.of(p),
            support.SupportParams.of(p, need_ref),
            collective.CollectiveParams.of(p),
            balance.BalanceParams.of(p),
            KidneyParams.of(p),
            MedicineParams.of(p),
            health.HealthParams.of(p),
            outcomes.OutcomeParams.of(p),
            Eq5dParams.of(p),
            ServiceParams.of(p),
            navigation.NavigationParams.of(p),
            negotiation.NegotiationParams.of(p),
        )


class World(NamedTuple):
    """What the week reads and does not change.

    Per patient: ``hypertension``, ``diabetes``, ``education``, ``deprived`` (lives in a
    deprived locality), ``target`` (NICE systolic target), ``learning_rate``, the eGFR slope's
    multipliers with BP controlled and uncontrolled (``slope_controlled``,
    ``slope_uncontrolled``), ``locality`` and ``preferences``. Per node: ``category`` (of a
    group), ``support_group`` and ``broker`` (with the sentinel row). The groups by locality and
    category (the arrays of :class:`sim.dynamics.navigation.GroupIndex`, changed only between
    weeks, when a group leaves), and the sentinel member row.
    """

    hypertension: np.ndarray
    diabetes: np.ndarray
    education: np.ndarray
    deprived: np.ndarray
    target: np.ndarray
    learning_rate: np.ndarray
    slope_controlled: np.ndarray
    slope_uncontrolled: np.ndarray
    locality: np.ndarray
    preferences: np.ndarray
    category: np.ndarray
    support_group: np.ndarray
    broker: np.ndarray
    group_available: np.ndarray
    group_offsets: np.ndarray
    group_nodes: np.ndarray
    sentinel: int


class Week(NamedTuple):
    """The week being run.

    Its clock (weeks since the start of the warm-up), whether the cohort is recruited (the
    clinical clock runs), and the random numbers' week keys
    (:func:`sim.dynamics.draws.week_keys`).
    """

    clock: int
    recruited: bool
    keys: np.ndarray


class WeekOutputs(NamedTuple):
    """What a week computes besides the state, and scratch space of the passes.

    Attributes:
        given: Work given per slot this week, hours/week, shape (n_slots, 3).
        given_by_type: Work given by tie type, per chunk (added up in chunk order after).
        group_strength: Per patient, summed strength of group ties.
        social_contact: Per patient, contacts/week with members other than pets.
        taking_part: Per patient, established participation.
        relief: Per member, strain relief not applied yet (zero between passes).
        relieved: Per slot, True where a member was relieved (False between passes).
    """

    given: np.ndarray
    given_by_type: np.ndarray
    group_strength: np.ndarray
    social_contact: np.ndarray
    taking_part: np.ndarray
    relief: np.ndarray
    relieved: np.ndarray

    @classmethod
    def empty(cls, n_patients: int, n_slots: int, n_members: int, n_chunks: int) -> WeekOutputs:
        """Outputs of a week not run yet (zeros)."""
        return cls(
            np.zeros((n_slots, 3)),
            np.zeros((max(n_chunks, 1), len(codes.TIE_TYPES))),
            np.zeros(n_patients),
            np.zeros(n_patients),
            np.zeros(n_patients),
            np.zeros(n_members),
            np.zeros(n_slots, np.bool_),
        )


@njit(cache=True)
def _zero(values: np.ndarray, first: int, end: int) -> None:
    """Set ``values[first:end]`` to zero."""
    for k in range(first, end):
        values[k] = 0.0


@njit(cache=True, parallel=True)
def exchange_pass(
    work: workload.WorkParams,
    knowledge_: knowledge.KnowledgeParams,
    support_: support.SupportParams,
    collective_: collective.CollectiveParams,
    lay: Layout,
    world: World,
    s: Any,
    m: Any,
    pt: Any,
    out: WeekOutputs,
) -> None:
    """Steps 1-4 of the week for every patient (the module docstring), in place.

    Takes the parameter records it uses, the layout, the world, the slot, member and patient
    records (:mod:`sim.dynamics.state`) and the week's outputs; call it with keywords.
    """
    load = m.load
    for b in prange((len(load) + MEMBER_BLOCK - 1) // MEMBER_BLOCK):
        _zero(load, b * MEMBER_BLOCK, min((b + 1) * MEMBER_BLOCK, len(load)))
    _zero(out.given_by_type.ravel(), 0, out.given_by_type.size)
    for c in prange(len(lay.chunks) - 1):
        _exchange_chunk(
            work=work,
            knowledge_=knowledge_,
            support_=support_,
            collective_=collective_,
            c=c,
            lay=lay,
            world=world,
            s=s,
            m=m,
            pt=pt,
            out=out,
        )


@njit(cache=True)
def _exchange_chunk(
    work: workload.WorkParams,
    knowledge_: knowledge.KnowledgeParams,
    support_: support.SupportParams,
    collective_: collective.CollectiveParams,
    c: int,
    lay: Layout,
    world: World,
    s: Any,
    m: Any,
    pt: Any,
    out: WeekOutputs,
) -> None:
    """Steps 1-4 for the patients of chunk ``c``, in place.

    Takes the slot, member and patient records and the outputs as :func:`exchange_pass` does.
    The rules are inlined into this loop, so the records are passed once a chunk.
    """
    for i in range(lay.chunks[c], lay.chunks[c + 1]):
        workload.work(work, i, pt, world)
        knowledge.share(knowledge_, i, lay, s, pt, world.learning_rate[i])
        support.mediate(support_, i, lay, s, m, pt, out)
        collective.build(collective_, i, lay, s, pt, out)


@njit(cache=True, parallel=True)
def strain_pass(q: support.SupportParams, m: Any) -> None:
    """Every member's strain from this week's load, in place."""
    n_members = len(m.strain)
    for b in prange((n_members + MEMBER_BLOCK - 1) // MEMBER_BLOCK):
        support.strain_members(q, m, b * MEMBER_BLOCK, min((b + 1) * MEMBER_BLOCK, n_members))


@njit(cache=True, parallel=True)
def patient_pass(
    work: workload.WorkParams,
    balance_: balance.BalanceParams,
    kidney: KidneyParams,
    medicines: MedicineParams,
    health_: health.HealthParams,
    outcomes_: outcomes.OutcomeParams,
    eq5d: Eq5dParams,
    services_: ServiceParams,
    navigation_: navigation.NavigationParams,
    negotiation_: negotiation.NegotiationParams,
    new_tie: NewGroupTie,
    lay: Layout,
    world: World,
    s: Any,
    m: Any,
    pt: Any,
    week: Week,
    out: WeekOutputs,
) -> None:
    """Steps 5-9 of the week for every patient (the module docstring), in place.

    Takes the parameter records it uses, what a new group tie looks like, the layout, the
    world, the slot, member and patient records, the week and its outputs; call it with
    keywords.
    """
    for c in prange(len(lay.chunks) - 1):
        _patient_chunk(
            params=(work, balance_, kidney, medicines, health_, outcomes_, eq5d, services_),
            navigation_=navigation_,
            negotiation_=negotiation_,
            new_tie=new_tie,
            c=c,
            lay=lay,
            world=world,
            s=s,
            m=m,
            pt=pt,
            out=out,
            week=week,
        )


@njit(cache=True)
def _patient_chunk(
    params: tuple,
    navigation_: navigation.NavigationParams,
    negotiation_: negotiation.NegotiationParams,
    new_tie: NewGroupTie,
    c: int,
    lay: Layout,
    world: World,
    s: Any,
    m: Any,
    pt: Any,
    out: WeekOutputs,
    week: Week,
) -> None:
    """Steps 5-9 for the patients of chunk ``c``, then the chunk's strain relief.

    ``params`` holds the parameter records of :func:`_clinical_week`; the slot, member and
    patient records and the outputs are as :func:`patient_pass` takes them. The rules are
    inlined into this loop, so the records are passed once a chunk.
    """
    work, balance_, kidney, medicines, health_, outcomes_, eq5d, services_ = params
    first, end = lay.chunks[c], lay.chunks[c + 1]
    for i in range(first, end):
        _clinical_week(
            work=work,
            balance_=balance_,
            kidney=kidney,
            medicines=medicines,
            health_=health_,
            outcomes_=outcomes_,
            eq5d=eq5d,
            services_=services_,
            i=i,
            world=world,
            pt=pt,
            week=week,
            out=out,
        )
        navigation.navigate(navigation_, i, lay, s, pt, world, new_tie, week)
        negotiation.negotiate(negotiation_, i, lay, s, m, pt, week, out)
    negotiation.apply_relief(lay.lo[first], lay.hi[end - 1], s, m, out)


@njit(cache=True, inline="always")
def _clinical_week(
    work: workload.WorkParams,
    balance_: balance.BalanceParams,
    kidney: KidneyParams,
    medicines: MedicineParams,
    health_: health.HealthParams,
    outcomes_: outcomes.OutcomeParams,
    eq5d: Eq5dParams,
    services_: ServiceParams,
    i: int,
    world: World,
    pt: Any,
    week: Week,
    out: WeekOutputs,
) -> None:
    """Steps 5-7 of the week for patient ``i``: balance, health and outcomes, in place."""
    taking_part = outcomes.participation(out.group_strength[i])
    out.taking_part[i] = taking_part
    balance.balance(balance_, i, pt, taking_part)
    health.health(health_, kidney, medicines, i, pt, world, week)
    outcomes.outcomes(outcomes_, eq5d, i, pt, out)
    pt.tbq[i] = workload.burden(work, i, pt)
    services.use_services(services_, i, pt, world, week)
