"""One week of the dynamics, in a fixed order, over all agents at once.

Every mechanism reads last week's state and the results of the mechanisms before it in this list;
all agents are updated together (no agent-order effects). Order of operations:

    1. Work and capacity: limitation, needs, treatment work and own capacity (:mod:`workload`).
    2. Knowledge and experience sharing (:mod:`knowledge`).
    3. Accessing and mediating resources: mobilisation, offers that follow need, allocation,
       strain, brokerage (:mod:`support`).
    4. Collective efficacy (:mod:`collective`).
    5. Workload-capacity balance, self-efficacy and self-management (:mod:`balance`).
    6. Health: eGFR decline (:mod:`kidney`), stopping medicines (:mod:`medicines`), blood
       pressure, usual-care reviews (readings, restarts, intensification), death and ageing
       (:mod:`health`).
    7. Outcomes: loneliness and heiQ (:mod:`outcomes`), EQ-5D by dimension (:mod:`eq5d`),
       treatment burden, contacts, admissions, costs by component and QALYs (:mod:`services`).
    8. Navigation: joining, strengthening and lapsing group ties (:mod:`navigation`).
    9. Negotiation (:mod:`negotiation`).

Every mechanism of a patient reads only that patient's state and ties and the state other
mechanisms left before it in this order, so the week runs patient by patient in three compiled
passes (:mod:`passes`: steps 1-4; members' strain; steps 5-9), in parallel over chunks of
patients that share no member (:mod:`segments`). The same week runs in the warm-up before
recruitment (:mod:`warmup`), with the clinical clock held.

Random numbers are counter-based (:mod:`draws`): each is a function of the root seed, its
purpose, the week and the patient or tie slot, drawn where a rule needs it. So two arms built
from one seed use the same numbers for the same purpose (common random numbers), and a run gives
the same numbers on any number of threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.dynamics import draws, health, kidney, knowledge, navigation, passes, workload
from sim.dynamics.passes import Parameters, Week, WeekOutputs, World
from sim.dynamics.segments import Layout
from sim.dynamics.state import Dynamics, record
from sim.dynamics.ties import NewGroupTie
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
    q = workload.WorkParams.of(p)
    limitation = workload.limitation(q, 72.0, 52.5, False, p["comorbidity.mean"], 0.0)
    return np.array(workload.needs(q, codes.STAGE_3A, False, limitation, 0.5))


def world_of(population: Population, dynamics: Dynamics, p: Mapping[str, Any]) -> World:
    """What the week reads and does not change (:class:`sim.dynamics.passes.World`).

    Args:
        population: The population.
        dynamics: The dynamic state (its eGFR slopes and member brokers).
        p: Mechanism parameters.
    """
    nodes, pop = population.nodes, population.patients
    groups = np.flatnonzero(nodes.kind == codes.GROUP)
    index = navigation.GroupIndex.build(
        nodes.locality[groups].astype(np.int64),
        nodes.category[groups].astype(np.int64),
        groups,
        int(pop.locality.max()) + 1,
    )
    support_group = nodes.category == codes.ACTIVITY_CATEGORIES.index("support")
    slopes = kidney.slope_factors(p, dynamics.patients.egfr_slope, pop.proteinuria, pop.diabetes)
    rate = knowledge.learning_rate(
        p["knowledge.rate_learning"], p["knowledge.rel_learning_education"], pop.education
    )
    return World(
        hypertension=pop.hypertension,
        diabetes=pop.diabetes,
        education=pop.education,
        deprived=population.locality_deprived[pop.locality],
        target=health.target_sbp(p, pop.proteinuria),
        learning_rate=rate,
        slope_controlled=np.ascontiguousarray(slopes[0], dtype=float),
        slope_uncontrolled=np.ascontiguousarray(slopes[1], dtype=float),
        locality=pop.locality,
        preferences=np.ascontiguousarray(pop.preferences),
        category=nodes.category,
        support_group=np.append(support_group, False),
        broker=dynamics.members.broker,
        group_available=index.available,
        group_offsets=index.offsets,
        group_nodes=index.nodes,
        sentinel=len(dynamics.members.strain) - 1,
    )


class WeeklyDynamics:
    """Runs the mechanisms over a population's dynamic state.

    Args:
        population: The population (static attributes and groups).
        dynamics: The dynamic state (changed in place).
        values: The resolved scenario's flat values (all sections).
        seed: Root seed of the random numbers.

    Attributes:
        p: The mechanism parameters (scenario keys without ``mechanisms.``).
        parameters: The same as typed records (:class:`sim.dynamics.passes.Parameters`).
        world: What the week reads and does not change (:class:`sim.dynamics.passes.World`).
        layout: Slot blocks and chunks of patients (:class:`sim.dynamics.segments.Layout`).
        outputs: The last week's outputs (:class:`sim.dynamics.passes.WeekOutputs`).
        keys: The key of every random purpose (:func:`sim.dynamics.draws.purpose_keys`).
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
        contact = values["network.contact_per_week.group"] * values["network.rel_contact_outer"]
        self.new_group_tie = NewGroupTie.from_parameters(p, contact)
        self.world = world_of(population, dynamics, p)
        self.need_ref = reference_need(p)
        self.parameters = Parameters.of(p, self.need_ref)
        self.layout = Layout.of(population, dynamics.starts, dynamics.block_end)
        self.outputs = WeekOutputs.empty(
            population.n_patients, len(dynamics.slots), len(dynamics.members), self.layout.n_chunks
        )
        self.switch = {
            name.removeprefix("switches."): bool(v)
            for name, v in p.items()
            if name.startswith("switches.")
        }
        self.clock = 0
        self.recruited = False

    @property
    def groups(self) -> navigation.GroupIndex:
        """Groups by locality and category (the world's arrays, shared with the interventions.

        Changed in place when a group leaves).
        """
        w = self.world
        return navigation.GroupIndex(w.group_available, w.group_offsets, w.group_nodes)

    @property
    def targets(self) -> np.ndarray:
        """Each patient's NICE systolic target (mmHg)."""
        return self.world.target

    @property
    def sentinel(self) -> int:
        """The member row of empty slots."""
        return self.world.sentinel

    @property
    def given(self) -> np.ndarray:
        """Work given per slot in the last week, hours/week, shape (n_slots, 3)."""
        return self.outputs.given

    @property
    def given_by_type(self) -> np.ndarray:
        """Work given per tie type (``codes.TIE_TYPES``) in the last week, hours/week."""
        return self.outputs.given_by_type.sum(axis=0)

    @property
    def taking_part(self) -> np.ndarray:
        """Established participation of each patient computed in the last week."""
        return self.outputs.taking_part

    def on(self, mechanism: str) -> bool:
        """True if the mechanism is switched on."""
        return self.switch[mechanism]

    def week(self) -> Week:
        """The week the clock is at."""
        return Week(self.clock, self.recruited, draws.week_keys(self.keys, self.clock))

    # -- the week ------------------------------------------------------------------------------
    def step(self) -> None:
        """Run one week (the clock advances first)."""
        self.clock += 1
        d, par = self.state, self.parameters
        state = {
            "lay": self.layout,
            "world": self.world,
            "s": record(d.slots),
            "m": record(d.members),
            "pt": record(d.patients),
            "out": self.outputs,
        }
        passes.exchange_pass(
            work=par.work,
            knowledge_=par.knowledge,
            support_=par.support,
            collective_=par.collective,
            **state,
        )
        passes.strain_pass(par.support, state["m"])
        passes.patient_pass(
            work=par.work,
            balance_=par.balance,
            kidney=par.kidney,
            medicines=par.medicines,
            health_=par.health,
            outcomes_=par.outcomes,
            eq5d=par.eq5d,
            services_=par.services,
            navigation_=par.navigation,
            negotiation_=par.negotiation,
            new_tie=self.new_group_tie,
            week=self.week(),
            **state,
        )

    def recruit(self) -> None:
        """Recruitment (week 0): a BP reading, counters from zero, the clinical clock starts."""
        pt = self.state.patients
        week_key = self.week().keys[draws.RECRUITMENT_READING]
        noise = draws.normals(week_key, len(pt.alive))
        pt.sbp_reading = health.reading(pt.sbp, noise, self.p["health.measurement_sd"])
        pt.controlled = pt.sbp_reading < self.targets
        for name in COUNTERS:
            setattr(pt, name, np.zeros_like(getattr(pt, name)))
        self.recruited = True

    def start_participation(self, patients: np.ndarray, rng: np.random.Generator) -> None:
        """Have ``patients`` join one group each, chosen as navigation chooses (an experiment).

        Used to measure the effect of starting to take part (dossier target T7,
        :mod:`sim.calibration.participation`); interventions never call it (they act only on
        mechanism inputs). Draws come from ``rng``, not the model's numbers, so a model that
        starts participation and one that does not share every other random number.
        """
        patients = np.asarray(patients, dtype=np.int64)
        u = np.stack([rng.random(len(patients)), rng.random(len(patients))], axis=1)
        d = self.state
        s, pt = record(d.slots), record(d.patients)
        q, lay, new = self.parameters.navigation, self.layout, self.new_group_tie
        navigation.join_each(q, patients, lay, s, pt, self.world, new, u)
