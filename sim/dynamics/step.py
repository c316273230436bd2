"""One week of the dynamics, in a fixed order, over all agents at once.

Every mechanism reads last week's state and the results of the mechanisms before it in this list;
all agents are updated together (no agent-order effects). Order of operations:

    1. Work and capacity: needs, treatment work and own capacity (:mod:`workload`).
    2. Knowledge and experience sharing (:mod:`knowledge`).
    3. Accessing and mediating resources: offers, allocation, strain, brokerage (:mod:`support`).
    4. Collective efficacy (:mod:`collective`).
    5. Workload-capacity balance, self-efficacy and self-management (:mod:`balance`).
    6. Blood pressure, usual-care reviews and natural history (:mod:`health`).
    7. Outcomes: loneliness, utility, heiQ, service use, costs, QALYs, TBQ (:mod:`outcomes`).
    8. Navigation: joining, strengthening and lapsing group ties (:mod:`navigation`).
    9. Negotiation (:mod:`negotiation`).

Random numbers are drawn in fixed-size blocks per purpose each week ("care", "history",
"admissions", "navigation", "negotiation"), so two arms built from one seed use the same numbers
for the same purpose (common random numbers). Per-tie draws are single precision, so a per-tie
probability below 2**-24 (about 6e-8) acts as that value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.dynamics import (
    balance,
    collective,
    health,
    knowledge,
    navigation,
    negotiation,
    outcomes,
    support,
    workload,
)
from sim.dynamics.baseline import group_fit
from sim.dynamics.segments import Blocks, first_free_of, unsigned
from sim.dynamics.state import Dynamics
from sim.dynamics.ties import NewGroupTie, SlotMasks, end_slots, fill_group_slots
from sim.population import codes
from sim.population.arrays import Population
from sim.streams import generator

STREAMS = ("care", "history", "admissions", "navigation", "negotiation")
#: Rounds of damped iteration that settle the baseline (see :meth:`WeeklyDynamics.settle`).
SETTLE_ROUNDS = 12


def mechanism_parameters(values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``mechanisms.*`` values of a scenario with the prefix removed."""
    return {
        k.removeprefix("mechanisms."): v for k, v in values.items() if k.startswith("mechanisms.")
    }


class WeeklyDynamics:
    """Runs the mechanisms over a population's dynamic state.

    Args:
        population: The population (static attributes and groups).
        dynamics: The dynamic state (changed in place).
        values: The resolved scenario's flat values (all sections).
        seed: Root seed of the random streams.
    """

    def __init__(
        self, population: Population, dynamics: Dynamics, values: Mapping[str, Any], seed: int
    ) -> None:
        self.population = population
        self.state = dynamics
        self.p = p = mechanism_parameters(values)
        self.rng = {name: generator(seed, "dynamics", name) for name in STREAMS}
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
        self.blocks = Blocks(dynamics.starts, len(dynamics.slots))
        self.masks = SlotMasks.of(dynamics.slots)
        self.deprived = population.locality_deprived[pop.locality]
        self.targets = health.target_sbp(p, pop.proteinuria)
        self.learning_rate = knowledge.learning_rate(
            p["knowledge.rate_learning"], p["knowledge.rel_learning_education"], pop.education
        )
        self.given = np.zeros_like(dynamics.slots.offer)
        #: Hours/week of work given by each tie type (``codes.TIE_TYPES``) in the last mediation.
        self.given_by_type = np.zeros(len(codes.TIE_TYPES))
        self._relief = np.zeros_like(dynamics.members.strain)  # scratch for negotiation
        self.sentinel = len(dynamics.members.strain) - 1
        self.switch = {
            name.removeprefix("switches."): bool(v)
            for name, v in p.items()
            if name.startswith("switches.")
        }

    # -- helpers -------------------------------------------------------------------------------
    def on(self, mechanism: str) -> bool:
        """True if the mechanism is switched on."""
        return self.switch[mechanism]

    def _uncontrolled(self) -> np.ndarray:
        return self.state.patients.sbp >= self.targets

    def _unmet_share(self, unmet: np.ndarray | None = None) -> np.ndarray:
        pt = self.state.patients
        need = support.total_work(pt.need)
        unmet = support.total_work(pt.unmet() if unmet is None else unmet)
        return np.divide(unmet, need, out=np.zeros_like(need), where=need > 0)

    # -- 1. work and capacity ------------------------------------------------------------------
    def work(self) -> None:
        """Needs, treatment work and own capacity."""
        p, pt, pop = self.p, self.state.patients, self.population.patients
        feedback = self.on("workload_feedback")
        pt.limitation = workload.functional_limitation(
            p, pt.age, pt.stage, pop.diabetes, pt.limitation_noise
        )
        need = workload.needs(
            p, pt.stage, self._uncontrolled(), pt.limitation, pt.loneliness, feedback
        )
        pt.need = need * pt.alive[:, None]
        medicines = pt.medicines if feedback else pt.medicines_base
        pt.treatment_work = workload.treatment_work(p, pop.hypertension, pop.diabetes, medicines)
        pt.capacity_own = workload.own_capacity(
            p, pt.limitation, pt.mental, pop.education, self.deprived
        )

    # -- 2. knowledge --------------------------------------------------------------------------
    def share_knowledge(self) -> None:
        """Clinical and lay knowledge learnt from members, and forgetting."""
        p, pt, s = self.p, self.state.patients, self.state.slots
        pt.knowledge_clinical, pt.knowledge_lay = knowledge.share_blocks(
            self.blocks.lo,
            self.blocks.hi,
            s.contact,
            s.strength,
            s.clinical_source,
            s.lay_source,
            pt.knowledge_clinical,
            pt.knowledge_lay,
            self.learning_rate,
            p["knowledge.rate_fading"],
            p["knowledge.half_exposure"],
            self.on("knowledge_sharing"),
        )

    # -- 3. resources --------------------------------------------------------------------------
    def mediate(self, settle: bool = False) -> None:
        """Members offer and give work; strain and brokerage follow.

        With ``settle`` (baseline), strain is set to its equilibrium for this load instead.
        """
        p, d = self.p, self.state
        pt, s, m = d.patients, d.slots, d.members
        on = self.on("resource_mediation")
        giving = np.clip((pt.heiq - 1.0) / 3.0, 0.0, 1.0)
        received = np.empty_like(pt.need)
        introductions = np.empty_like(pt.brokerage)
        support.mediate_blocks(
            self.blocks.lo,
            self.blocks.hi,
            s.offer,
            unsigned(s.alter),
            s.share,
            s.weak,
            s.quality,
            self.masks.professional,
            s.broker,
            s.strength,
            s.contact,
            m.strain,
            giving,
            pt.reluctance,
            pt.need,
            unsigned(s.tie_type),
            p["support.reciprocity_floor"],
            on,
            self.given,
            received,
            m.load,
            introductions,
            self.given_by_type,
        )
        pt.received = received
        rates = (p["support.rate_strain"], p["support.rate_recovery"])
        if settle:
            m.strain = 0.5 * (m.strain + support.equilibrium_strain(m.load, m.capacity, *rates))
        else:
            support.update_strain_in_place(m.strain, m.load, m.capacity, *rates)
        pt.brokerage = support.introduced(introductions) if on else np.zeros_like(pt.brokerage)

    # -- 4. collective efficacy ----------------------------------------------------------------
    def build_collective(self) -> None:
        """Collective efficacy built by shared engagement and trust; fades without contact."""
        p, d = self.p, self.state
        pt, s = d.patients, d.slots
        if not self.on("collective_efficacy"):
            pt.collective = np.zeros_like(pt.collective)
            return
        pt.collective = collective.build_blocks(
            self.blocks.lo,
            self.blocks.hi,
            s.contact,
            s.strength,
            self.masks.group,
            s.quality,
            s.active,
            p["collective.weight_group"],
            pt.collective,
            pt.cohesion,
            p["collective.rate_build"],
            p["collective.rate_fade"],
            p["collective.half_engagement"],
        )

    # -- 5. balance ----------------------------------------------------------------------------
    def balance(self, settle: bool = False) -> None:
        """Capacity, imbalance, self-efficacy, self-management and mental capacity."""
        p, pt = self.p, self.state.patients
        pt.capacity = balance.capacity(
            pt.capacity_own, pt.received, pt.collective, p["collective.rel_support"]
        )
        pt.imbalance = balance.imbalance(pt.treatment_work, pt.need, pt.capacity) * pt.alive
        self.taking_part = outcomes.participation(
            self.blocks.sum(self.state.slots.strength, where=self.masks.group)
        )
        if not settle:
            se_target = balance.self_efficacy_target(
                pt.self_efficacy_base,
                pt.collective,
                pt.knowledge_clinical,
                pt.knowledge_lay,
                self.taking_part,
                balance.self_efficacy_weights(p),
            )
            pt.self_efficacy = balance.approach(
                pt.self_efficacy, se_target, p["balance.rate_self_efficacy"]
            )
        target = balance.self_management_target(
            p["balance.self_management_base"],
            p["balance.self_management_knowledge"],
            p["balance.self_management_efficacy"],
            p["balance.k_imbalance"],
            pt.knowledge_clinical,
            pt.knowledge_lay,
            pt.self_efficacy,
            pt.imbalance,
        )
        rate = 1.0 if settle else p["balance.rate_self_management"]
        pt.self_management = balance.approach(pt.self_management, target, rate)
        if not self.on("workload_feedback"):
            return
        rates = (p["balance.rate_capacity_erosion"], p["balance.rate_capacity_recovery"])
        if settle:
            pt.mental = 0.5 * (
                pt.mental + balance.mental_equilibrium(pt.mental_base, pt.imbalance, *rates)
            )
        else:
            pt.mental = balance.update_mental(pt.mental, pt.mental_base, pt.imbalance, *rates)

    # -- 6. health -----------------------------------------------------------------------------
    def health(self, week: int) -> None:
        """Systolic BP, usual-care reviews and intensification, death and stage changes."""
        p, pt, pop = self.p, self.state.patients, self.population.patients
        n = len(pt.alive)
        noise, u_intensify = self.rng["care"].standard_normal(n), self.rng["care"].random(n)
        u_death, u_stage = self.rng["history"].random(n), self.rng["history"].random(n)
        ageing = pop.hypertension & (pt.age > 70.0) & pt.alive
        pt.sbp_untreated = pt.sbp_untreated + ageing * (
            p["health.sbp_age_slope"] / health.WEEKS_PER_YEAR
        )
        level = health.sbp_level(p, pt.sbp_untreated, pt.medicines, pt.self_management)
        pt.sbp = balance.approach(pt.sbp, level, p["health.rate_sbp"])
        due = health.reviews_due(week, p["health.review_interval"], n) & pt.alive
        treated = due & pop.hypertension  # antihypertensives are added only for hypertension
        reading = health.reading(pt.sbp, noise, p["health.measurement_sd"])
        pt.sbp_reading = np.where(due, reading, pt.sbp_reading)
        pt.controlled = np.where(due, reading < self.targets, pt.controlled)
        pt.medicines = health.intensify(
            pt.medicines,
            treated,
            reading >= self.targets,
            u_intensify,
            p["health.p_intensify"],
            p["health.max_medicines"],
        )
        dies = pt.alive & (u_death < health.death_probability(p, pt.age, pt.stage))
        new_stage = health.next_stage(p, pt.stage, pt.sbp >= self.targets, pop.proteinuria, u_stage)
        pt.stage = np.where(pt.alive, new_stage, pt.stage)
        pt.alive = pt.alive & ~dies
        pt.age = pt.age + pt.alive / health.WEEKS_PER_YEAR

    # -- 7. outcomes ---------------------------------------------------------------------------
    def outcomes(self, settle: bool = False) -> None:
        """Loneliness, utility, heiQ, service use and costs, QALYs and treatment burden."""
        p, d = self.p, self.state
        pt, s, pop = d.patients, d.slots, self.population.patients
        alive = pt.alive
        taking_part = self.taking_part
        need, received = pt.need, pt.received
        met = np.divide(received[:, 2], need[:, 2], out=np.ones(len(alive)), where=need[:, 2] > 0)
        contact = self.blocks.sum(s.contact, where=self.masks.social)
        pt.loneliness = outcomes.loneliness(p, pt.loneliness_base, met, contact)
        unmet = pt.unmet()
        target = outcomes.utility_target(
            p,
            pt.utility_base,
            pt.age,
            pt.stage,
            pop.diabetes,
            pt.imbalance,
            self._unmet_share(unmet),
            pt.loneliness,
            taking_part,
            pt.self_efficacy,
        )
        rate = 1.0 if settle else p["outcomes.rate_utility"]
        pt.utility = np.where(alive, balance.approach(pt.utility, target, rate), 0.0)
        pt.heiq = outcomes.heiq(
            p, pt.heiq_offset, pt.self_efficacy, taking_part, pt.collective, pt.imbalance
        )
        pt.tbq = workload.treatment_burden(p, pt.treatment_work, unmet[:, 0], pt.capacity_own)
        pt.contacts = (
            outcomes.gp_contacts(p, self._uncontrolled(), unmet[:, 0], received[:, 0]) * alive
        )
        if settle:
            return
        u_admit = self.rng["admissions"].random(len(alive))
        admitted = alive & (u_admit < outcomes.admission_probability(p, pt.imbalance))
        pt.admissions = pt.admissions + admitted
        pt.cost = pt.cost + outcomes.weekly_cost(p, pt.contacts, pt.medicines * alive, admitted)
        pt.qaly = pt.qaly + pt.utility * alive / health.WEEKS_PER_YEAR

    # -- 8. navigation -------------------------------------------------------------------------
    def navigate(self) -> None:
        """Join new groups, strengthen group ties, let ill-fitting ties lapse."""
        p, d = self.p, self.state
        pt, s = d.patients, d.slots
        n = len(pt.alive)
        rng = self.rng["navigation"]
        u_join, u_cat, u_pick = rng.random(n), rng.random(n), rng.random(n)
        u_lapse = rng.random(len(s.active), dtype=np.float32)
        pt.awareness = balance.approach(
            pt.awareness, pt.awareness_base, p["navigation.rate_awareness_return"]
        )
        lapsed = navigation.strengthen_and_lapse(
            self.blocks.lo,
            self.blocks.hi,
            self.masks.group,
            s.fit,
            s.strength,
            pt.collective,
            pt.imbalance,
            u_lapse,
            p["navigation.rate_strength"],
            p["navigation.p_lapse"],
            p["navigation.lapse_fit_offset"],
            p["navigation.lapse_collective_weight"],
            p["navigation.p_stop_overload"],
        )
        end_slots(s, self.masks, lapsed, self.sentinel)
        if self.on("navigation"):
            prob = navigation.join_probability(
                p,
                pt.awareness,
                pt.self_efficacy,
                pt.knowledge_lay,
                pt.brokerage,
                pt.guidance,
                pt.imbalance,
            )
            joiners = np.flatnonzero(pt.alive & (u_join < prob))
            self._join(joiners, u_cat[joiners], u_pick[joiners])
        pt.guidance = pt.guidance * (1.0 - p["navigation.rate_guidance_decay"])

    def start_participation(self, patients: np.ndarray, rng: np.random.Generator) -> None:
        """Have ``patients`` join one group each, chosen as navigation chooses (an experiment).

        Used to measure the effect of starting to take part (dossier target T7,
        :mod:`sim.calibration.participation`); interventions never call it (they act only on
        mechanism inputs). Draws come from ``rng``, not the model's streams, so a model that
        starts participation and one that does not share every other random number.
        """
        patients = np.asarray(patients, dtype=np.int64)
        self._join(patients, rng.random(len(patients)), rng.random(len(patients)))

    def _join(self, joiners: np.ndarray, u_cat: np.ndarray, u_pick: np.ndarray) -> None:
        d, pop = self.state, self.population.patients
        s, pt = d.slots, d.patients
        if not len(joiners):
            return
        groups = navigation.choose_groups(
            self.groups,
            pop.locality[joiners],
            pop.preferences[joiners],
            pt.match[joiners],
            self.p["navigation.preference_weight"],
            u_cat,
            u_pick,
        )
        slot = first_free_of(s.active, self.blocks.lo, self.blocks.hi, joiners)
        ok = (groups >= 0) & (slot >= 0)
        ok[ok] = ~navigation.joined_already(
            s.alter, s.active, self.blocks.lo, self.blocks.hi, joiners[ok], groups[ok]
        )
        joiners, groups, slot = joiners[ok], groups[ok], slot[ok]
        fill_group_slots(
            s,
            self.masks,
            slot,
            groups,
            group_fit(self.population, joiners, groups),
            self.new_group_tie,
            self.support_group,
            d.members.broker,
        )
        pt.joined[joiners] += 1

    # -- 9. negotiation ------------------------------------------------------------------------
    def negotiate(self) -> None:
        """Re-negotiate who does what with strained members or when need goes unmet."""
        p, d = self.p, self.state
        pt, s, m = d.patients, d.slots, d.members
        rng = self.rng["negotiation"]
        u_attempt = rng.random(len(pt.alive))
        u_ask = rng.random(len(s.active), dtype=np.float32)
        u_success = rng.random(len(s.active), dtype=np.float32)
        on = self.on("negotiation")
        attempted, ended = negotiation.negotiate_blocks(
            self.blocks.lo,
            self.blocks.hi,
            self.masks.personal,
            unsigned(s.alter),
            s.share,
            s.quality,
            m.strain,
            self._relief,
            pt.need,
            pt.received,
            pt.alive,
            pt.skill,
            u_attempt,
            u_ask,
            u_success,
            p["negotiation.quality_initial"],
            p["negotiation.rate_quality_recovery"],
            p["negotiation.rate_share_return"],
            on,
            p["negotiation.strain_threshold"],
            p["negotiation.unmet_threshold"],
            p["negotiation.p_attempt"],
            p["negotiation.shift"],
            p["negotiation.share_max"],
            p["negotiation.quality_loss"],
            p["negotiation.quality_end"],
            p["negotiation.p_end_tie"],
            p["negotiation.strain_relief"],
        )
        if not on:
            return
        pt.negotiations = pt.negotiations + attempted
        end_slots(s, self.masks, ended, self.sentinel)

    # -- the week ------------------------------------------------------------------------------
    def settle(self) -> None:
        """Derive week-0 quantities from the baseline stocks (no time passes).

        Smoothed outcomes (self-management, BP, utility) start at their targets, and member strain
        and mental capacity at their equilibria, so that week 0 describes the population as it is
        rather than a transient. The fixed point is found by damped iteration (strain and mental
        capacity move half-way to their equilibria each round). A baseline clinic reading (the
        "care" stream) sets BP control.
        """
        p, pt = self.p, self.state.patients
        for _ in range(
            SETTLE_ROUNDS
        ):  # needs, support, strain, capacity and BP depend on each other
            self.work()
            self.mediate(settle=True)
            self.balance(settle=True)
            pt.sbp = health.sbp_level(p, pt.sbp_untreated, pt.medicines, pt.self_management)
            self.outcomes(settle=True)
        noise = self.rng["care"].standard_normal(len(pt.alive))
        pt.sbp_reading = health.reading(pt.sbp, noise, p["health.measurement_sd"])
        pt.controlled = pt.sbp_reading < self.targets

    def step(self, week: int) -> None:
        """Run one week (``week`` is the week being simulated, counting from 1)."""
        self.work()
        self.share_knowledge()
        self.mediate()
        self.build_collective()
        self.balance()
        self.health(week)
        self.outcomes()
        self.navigate()
        self.negotiate()
