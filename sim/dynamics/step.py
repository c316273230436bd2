"""One week of the dynamics, in a fixed order, over all agents at once.

Every mechanism reads last week's state and the results of the mechanisms before it in this list;
all agents are updated together (no agent-order effects). Order of operations:

    1. Work and capacity: limitation, needs, treatment work and own capacity (:mod:`workload`).
    2. Knowledge and experience sharing (:mod:`knowledge`).
    3. Collective efficacy (:mod:`collective`). Neither it nor knowledge reads what the other
       writes, so the two run in one pass over each patient's ties (:mod:`exposure`), which
       also adds up the brokerage of step 4 and the contact with people and group strength of
       step 7 (they read nothing that steps 2 to 7 write).
    4. Accessing and mediating resources: mobilisation, offers that follow need, allocation,
       strain, brokerage (:mod:`support`).
    5. Workload-capacity balance, self-efficacy and self-management (:mod:`balance`).
    6. Health: eGFR decline (:mod:`kidney`), stopping medicines (:mod:`medicines`), blood
       pressure, usual-care reviews (readings, restarts, intensification), death and ageing
       (:mod:`health`).
    7. Outcomes: loneliness and heiQ (:mod:`outcomes`), EQ-5D by dimension (:mod:`eq5d`),
       treatment burden, contacts, admissions, costs by component and QALYs (:mod:`services`).
    8. Navigation: joining, strengthening and lapsing group ties (:mod:`navigation`).
    9. Negotiation (:mod:`negotiation`).

Steps 1, 5, 6 and 7 live in :mod:`clinical_week`, the others in :mod:`network_week`. The same
week runs in the warm-up before recruitment (:mod:`warmup`), with the clinical clock held.

Random numbers are counter-based (:mod:`draws`): one number per patient (or slot) and purpose
each week, a pure function of the root seed, the purpose, the week and the index, computed only
where it is used (a review's readings for the patients reviewed, a tie's negotiation numbers when
its patient negotiates). So two arms built from one seed use the same numbers for the same
purpose (common random numbers), and the numbers do not depend on the number of threads.

Each mechanism's equations are written once, as scalar functions of one patient (numba ufuncs or
compiled functions, usable on arrays too); the weekly passes apply them to every patient in
parallel chunks (:data:`segments.CHUNK`, numba ``prange``; each thread takes groups of chunks
from a shared counter as it goes, :func:`segments.take_chunks`, so a thread slowed down by
another program takes fewer). Sums across patients (member load of shared members, strain
relief, ended ties) are gathered serially in slot order, so a seed gives the same numbers on any
number of threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.dynamics import (
    draws,
    eq5d,
    health,
    kidney,
    knowledge,
    medicines,
    navigation,
    services,
    support,
    workload,
)
from sim.dynamics.clinical_week import ClinicalWeek
from sim.dynamics.network_week import NetworkWeek
from sim.dynamics.segments import Blocks, occupied_ends
from sim.dynamics.state import KINDS_OF_WORK, Dynamics, by_tie_type, offer_by_kind
from sim.dynamics.ties import NewGroupTie, SlotMasks
from sim.population import codes
from sim.population.arrays import Population

#: Cumulative counters set to zero at recruitment (they count from week 0).
COUNTERS = (
    "cost_contacts",
    "cost_medicines",
    "cost_admissions",
    "cost",
    "qaly",
    "admissions",
    "joined",
    "negotiations",
)


def mechanism_parameters(values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``mechanisms.*`` values of a scenario with the prefix removed."""
    return {
        k.removeprefix("mechanisms."): v for k, v in values.items() if k.startswith("mechanisms.")
    }


def reference_need(p: Mapping[str, Any]) -> np.ndarray:
    """Need of each kind of a typical patient (:mod:`support`), hours/week, shape (3,).

    Age 72, true eGFR 52.5 (the middle of stage 3a), no diabetes, the mean comorbidity, no
    limitation noise, stage 3a, BP controlled, loneliness 0.5.
    """
    one = np.ones(1)
    limitation = workload.functional_limitation(
        p, 72.0 * one, 52.5 * one, 0 * one, p["comorbidity.mean"] * one, 0 * one
    )
    need = workload.needs(
        p, np.array([codes.STAGE_3A]), np.array([False]), limitation, 0.5 * one, True
    )
    return need[0]


class WeeklyDynamics(NetworkWeek, ClinicalWeek):
    """Runs the mechanisms over a population's dynamic state.

    Args:
        population: The population (static attributes and groups).
        dynamics: The dynamic state (changed in place).
        values: The resolved scenario's flat values (all sections).
        seed: Root seed of the random streams.

    Attributes:
        clock: Weeks simulated since the start of the warm-up (the review schedule's clock).
        recruited: True once the cohort is recruited (the clinical clock runs).
    """

    def __init__(
        self, population: Population, dynamics: Dynamics, values: Mapping[str, Any], seed: int
    ) -> None:
        self.population = population
        self.state = dynamics
        self.p = p = mechanism_parameters(values)
        self.keys = draws.purpose_keys(seed)
        #: This week's key of every purpose of :data:`sim.dynamics.draws.PURPOSES`.
        self.week_keys = draws.week_keys(self.keys, 0)
        nodes, pop = population.nodes, population.patients
        groups = np.flatnonzero(nodes.kind == codes.GROUP)
        self.groups = navigation.GroupIndex.build(
            nodes.locality[groups].astype(np.int64),
            nodes.category[groups].astype(np.int64),
            groups,
            int(pop.locality.max()) + 1,
        )
        self.support_group = np.append(
            nodes.category == codes.ACTIVITY_CATEGORIES.index("support"), False
        )
        contact = values["network.contact_per_week.group"] * values["network.rel_contact_outer"]
        self.new_group_tie = NewGroupTie.from_parameters(p, contact)
        #: Base offer of a tie by type, circle, proximity and kind of work (hours/week).
        self.offer_by_kind = offer_by_kind(p)
        #: Clinical knowledge a tie passes on per contact, by tie type (0-1).
        self.clinical_source = by_tie_type(p, "knowledge.clinical_source")
        self.blocks = Blocks(dynamics.starts, len(dynamics.slots))
        self.masks = SlotMasks.of(dynamics.slots)
        #: One past the last slot of each patient's block that may hold a tie (uint64): the passes
        #: over slots stop there (:func:`~sim.dynamics.segments.occupied_ends`). Raised when a
        #: free slot fills (:meth:`_join`); not lowered when a tie ends, so it is always at or
        #: after the last active slot.
        self.occupied = occupied_ends(dynamics.slots.active, self.blocks.lo, self.blocks.hi)
        self.deprived = population.locality_deprived[pop.locality]
        self.targets = health.target_sbp(p, pop.proteinuria)
        self.learning_rate = knowledge.learning_rate(
            p["knowledge.rate_learning"], p["knowledge.rel_learning_education"], pop.education
        )
        self.need_ref = reference_need(p)
        self.sbp_parameters = health.sbp_parameters(p)
        self.stopping_parameters = medicines.stopping_parameters(p)
        self.join_parameters = navigation.join_parameters(p)
        self.service_parameters = services.weekly_parameters(p)
        self.death_ratios = kidney.band_ratios(p, "history.death_hr")
        #: Parameters of :func:`workload.advance`: limitation, needs, treatment ``(t0, t_c, t_m)``,
        #: literacy factors by education.
        self.work_parameters = (
            workload.limitation_parameters(p),
            workload.need_parameters(p),
            tuple(
                float(p[f"work.treatment_hours{k}"])
                for k in ("", "_per_condition", "_per_medicine")
            ),
            workload.literacy_factors(p),
        )
        self.severe = eq5d.by_dimension(p, "severe")
        self.eq5d_intercept = eq5d.by_dimension(p, "intercept")
        self.eq5d_sd = eq5d.by_dimension(p, "sd")
        self.eq5d_weights = eq5d.weights(p)
        self.slope_factors = kidney.slope_factors(
            p, dynamics.patients.egfr_slope, pop.proteinuria, pop.diabetes
        )
        #: Band of true eGFR (:func:`kidney.band`), kept up to date as eGFR declines.
        self.band = kidney.band(dynamics.patients.egfr)
        #: Work given per slot in the last mediation, hours/week (n_slots, 3), or None: kept only
        #: after :meth:`keep_given` (tests, diagnostics). No mechanism reads it.
        self.given: np.ndarray | None = None
        #: Hours/week of work given by each tie type (``codes.TIE_TYPES``) in the last mediation.
        self.given_by_type = np.zeros(len(codes.TIE_TYPES))
        n = len(dynamics.patients.alive)
        self.taking_part = np.zeros(n)
        #: Per patient, summed strength of group ties and contacts/week with members other than
        #: pets, added up in the collective-efficacy and support kernels' passes.
        self.group_strength = np.zeros(n)
        self.social_contact = np.zeros(n)
        self._relief = np.zeros_like(dynamics.members.strain)  # scratch for negotiation
        #: Working space of one int64 per slot for the kernels that list slots chunk by chunk
        #: (mediation, lapsing); kept so that no large array is page-faulted every week.
        self.slot_scratch = np.empty(len(dynamics.slots), np.int64)
        self.work_scratch = np.empty(len(dynamics.slots))  # and one float64 per slot
        self.sentinel = len(dynamics.members.strain) - 1
        kind = np.append(nodes.kind, codes.PATIENT)  # the sentinel row last
        assert len(kind) == len(dynamics.members.strain), "expected a member row per node"
        #: Members whose load may come from several patients (:func:`support.shared_members`).
        self.shared = support.shared_members(
            self.blocks.lo, self.blocks.hi, dynamics.slots.alter, kind == codes.GROUP, len(kind)
        )
        self.switch = {
            name.removeprefix("switches."): bool(v)
            for name, v in p.items()
            if name.startswith("switches.")
        }
        self.clock = 0
        self.recruited = False

    # -- helpers -------------------------------------------------------------------------------
    def on(self, mechanism: str) -> bool:
        """True if the mechanism is switched on."""
        return self.switch[mechanism]

    def keep_given(self) -> np.ndarray:
        """Keep the work given per slot (:attr:`given`) from the next mediation on.

        Off by default: the mechanisms use only its sums (per patient, member and tie type), and
        writing 24 bytes a slot every week costs large runs on several cores about a tenth of
        the mediation pass.

        Returns:
            :attr:`given`, zeros until the next mediation.
        """
        if self.given is None:
            self.given = np.zeros((len(self.state.slots), len(KINDS_OF_WORK)))
        return self.given

    def reviews_due_of(self) -> np.ndarray:
        """Patients whose usual-care review falls this week (none after recruitment when off).

        The indices ``i`` with ``(i + clock) mod review_interval = 0`` (:mod:`health`).
        """
        n = len(self.state.patients.alive)
        if self.recruited and not self.p["health.reviews_after_recruitment"]:
            return np.zeros(0, np.int64)
        interval = int(self.p["health.review_interval"])
        return np.arange((-self.clock) % interval, n, interval)

    def uniforms(self, purpose: int, n: int) -> np.ndarray:
        """This week's uniform numbers of a purpose for patients (or slots) ``0 .. n - 1``."""
        return draws.uniforms(self.week_keys[purpose], n)

    def normals(self, purpose: int, n: int) -> np.ndarray:
        """This week's standard normal numbers of a purpose for patients ``0 .. n - 1``."""
        return draws.normals(self.week_keys[purpose], n)

    def uniforms_at(self, purpose: int, index: np.ndarray) -> np.ndarray:
        """This week's uniform numbers of a purpose for the patients (or slots) ``index`` only."""
        return draws.uniforms_at(self.week_keys[purpose], np.asarray(index, np.int64))

    def normals_at(self, purpose: int, index: np.ndarray) -> np.ndarray:
        """This week's standard normal numbers of a purpose for the patients ``index`` only."""
        return draws.normals_at(self.week_keys[purpose], np.asarray(index, np.int64))

    # -- the week ------------------------------------------------------------------------------
    def step(self) -> None:
        """Run one week (the clock advances first)."""
        self.clock += 1
        self.week_keys = draws.week_keys(self.keys, self.clock)
        self.work()
        self.pass_over_ties()
        self.mediate()
        self.balance()
        self.health()
        self.outcomes()
        self.navigate()
        self.negotiate()

    def recruit(self) -> None:
        """Recruitment (week 0): a BP reading, counters from zero, the clinical clock starts."""
        pt = self.state.patients
        self.week_keys = draws.week_keys(self.keys, self.clock)
        noise = self.normals(draws.RECRUITMENT_READING, len(pt.alive))
        pt.sbp_reading = health.reading(pt.sbp, noise, self.p["health.measurement_sd"])
        pt.controlled = pt.sbp_reading < self.targets
        for name in COUNTERS:
            setattr(pt, name, np.zeros_like(getattr(pt, name)))
        self.recruited = True
