"""A per-agent reference of the weekly rules in plain Mesa: the fast path's check and baseline.

Every patient and member is a ``mesa.Agent`` holding its state as ordinary Python floats, ints,
bools and short lists; ties are edges of a ``networkx.Graph`` carrying the tie's attributes (tie
type, circle, proximity, contact, active, strength, quality, share, fit, offer per kind of work,
knowledge sources, broker, work given). Each mechanism of :mod:`sim.dynamics.step` is written out
again with scalar arithmetic (the ``math`` module only): each patient loops over its neighbours to
compute exposure, offers, allocation and so on; each member loops over its patients to sum its
load. The weekly order and the simultaneous-update semantics are those of
:meth:`sim.dynamics.step.WeeklyDynamics.step`: every mechanism is one pass over all agents, reading
what earlier passes produced, and members apply strain and negotiated relief in passes of their
own after the patients'. A tie that ends is removed from the graph; a group joined is a new edge.

A :class:`ReferenceModel` is built *from* a vectorised :class:`sim.model.CommunityModel` (usually
right after construction, when the baseline has settled): every per-patient, per-member and
per-tie value is copied, so both start identical. Randomness is mirrored exactly: the reference
copies the state of the model's random streams and draws the same blocks (same sizes, same
dtypes, same order) every week; each patient uses the element of its node id and each tie the
element of its slot number (a patient owns the slot numbers of its block in ``Dynamics``; a new
tie takes the lowest free number, as the vectorised code does). Random mechanisms therefore agree
with the vectorised model to floating-point rounding too.

:func:`run_reference` times the reference for the benchmark.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import mesa
import networkx as nx
import numpy as np

from sim.config.scenario import Scenario
from sim.dynamics.state import KINDS_OF_WORK
from sim.dynamics.step import COUNTERS
from sim.model import CommunityModel
from sim.population import codes
from tests.reference_clinical import ClinicalRules, clip, typical_need
from tests.reference_draws import WeekDraws
from tests.reference_interventions import RefInterventions

WEEKS_PER_YEAR = 52.0
N_CATEGORIES = len(codes.ACTIVITY_CATEGORIES)
PERSONAL = frozenset(codes.PERSONAL_TIE_TYPES)
SUPPORT = codes.ACTIVITY_CATEGORIES.index("support")
#: Edge attributes of a tie, copied from ``Dynamics.slots``. A tie's base ``offer`` (a list of
#: three) and the clinical knowledge it passes on are not kept per slot by the model: the reference
#: works them out from its type, circle and proximity (:meth:`ReferenceModel.base_offer`,
#: :meth:`ReferenceModel.clinical_source`).
TIE_FIELDS = (
    "tie_type",
    "circle",
    "proximity",
    "contact",
    "active",
    "strength",
    "quality",
    "share",
    "fit",
    "lay_source",
    "broker",
    "weak",
)


class RefMember(mesa.Agent):
    """A network member (person, pet, professional or group) with plain attributes.

    Attributes:
        node: Node id. strain, capacity, load: as in :class:`sim.dynamics.state.Members`.
        broker: True if linked to local groups. category: activity category of a group (else -1).
        relief: Strain relief from successful negotiations this week (applied after patients).
    """

    def __init__(self, model: ReferenceModel, node: int, **state: Any) -> None:
        super().__init__(model)
        self.node = node
        self.strain: float = state["strain"]
        self.capacity: float = state["capacity"]
        self.broker: bool = state["broker"]
        self.load: float = state["load"]
        self.category: int = state["category"]
        self.relief = 0.0

    def update_strain(self) -> None:
        """Sum the work given to each patient neighbour; strain grows with load, recovers."""
        p = self.model.p
        load = 0.0
        for tie in self.model.graph.adj[self.node].values():
            given = tie["given"]
            load += given[0] + given[1] + given[2]
        self.load = load
        growth = p["support.rate_strain"] * load / self.capacity
        self.strain = clip(self.strain + growth - p["support.rate_recovery"] * self.strain, 0, 1)

    def apply_relief(self) -> None:
        """Strain relieved by successful negotiations this week."""
        self.strain = clip(self.strain - self.relief, 0.0, 1.0)
        self.relief = 0.0


class RefPatient(ClinicalRules, mesa.Agent):
    """A patient whose mechanisms loop over its networkx neighbours.

    Attributes:
        node: Node id (also the element of per-patient random blocks).
        Every field of :class:`sim.dynamics.state.PatientState` as a Python scalar (``need``,
        ``received`` and ``match`` as lists), plus the static ``hypertension``, ``diabetes``,
        ``proteinuria``, ``locality``, ``preferences``, ``literacy``, ``finances``, ``target``
        (NICE systolic target), ``learning_rate`` and the slot numbers ``first_slot`` to
        ``end_slot`` (exclusive) this patient's ties may use.
    """

    def __init__(self, model: ReferenceModel, node: int, **state: Any) -> None:
        super().__init__(model)
        self.node = node
        for name, value in state.items():
            setattr(self, name, value)

    def ties(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(member node, edge attributes) of every current tie."""
        return iter(self.model.graph.adj[self.node].items())

    # 2. knowledge
    def share_knowledge(self) -> None:
        """Learn clinical and lay knowledge from contact with sources; forget at a fixed rate."""
        clinical = lay = 0.0
        for _, tie in self.ties():
            weight = tie["contact"] * tie["strength"]
            clinical += weight * self.model.clinical_source(tie["tie_type"])
            lay += weight * tie["lay_source"]
        self.knowledge_clinical = self._learn(self.knowledge_clinical, clinical)
        self.knowledge_lay = self._learn(self.knowledge_lay, lay)

    def _learn(self, known: float, exposure: float) -> float:
        p = self.model.p
        sharing = self.model.on("knowledge_sharing")
        g = exposure / (exposure + p["knowledge.half_exposure"]) if sharing else 0.0
        new = known + self.learning_rate * g * (1.0 - known) - p["knowledge.rate_fading"] * known
        return clip(new, 0.0, 1.0)

    # 4. resources
    def exchange(self) -> None:
        """Help mobilised by rising need; members offer work that follows need; brokerage."""
        p, model = self.model.p, self.model
        on = model.on("resource_mediation")
        total_need = self.need[0] + self.need[1] + self.need[2]
        rise = max(total_need - self.need_previous, 0.0)
        self.mobilisation = (
            1.0 - p["support.mobilisation_decay"]
        ) * self.mobilisation + rise / max(self.need_previous, 1e-9)
        self.need_previous = total_need
        boost = 1.0 + p["support.mobilisation"] * self.mobilisation
        eta = p["support.need_elasticity"]
        factor = [
            (n / ref if ref > 0 else 1.0) ** eta * boost
            for n, ref in zip(self.need, model.need_ref, strict=True)
        ]
        floor = p["support.reciprocity_floor"]
        giving = clip((self.heiq - 1.0) / 3.0, 0.0, 1.0)
        offers, total = [], [0.0, 0.0, 0.0]
        for member, tie in self.ties():
            agent = model.agent_of[member]
            scale = (1.0 - agent.strain) * tie["share"]
            scale *= 1.0 - tie["weak"] * ((1.0 - floor) * (1.0 - giving))
            offer = [base * scale * f for base, f in zip(tie["offer"], factor, strict=True)]
            room = agent.capacity * (1.0 - agent.strain)
            if offer[0] + offer[1] + offer[2] > room:
                cut = room / (offer[0] + offer[1] + offer[2])
                offer = [o * cut for o in offer]
            offer = offer if on else [0.0, 0.0, 0.0]
            offers.append((tie, offer))
            total = [t + o for t, o in zip(total, offer, strict=True)]
        fill = [min(n / t, 1.0) if t > 0 else 0.0 for n, t in zip(self.need, total, strict=True)]
        received, professional, introductions = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], 0.0
        for tie, offer in offers:
            accept = 1.0
            if tie["tie_type"] != codes.PROFESSIONAL:
                accept = 1.0 - self.reluctance * (1.0 - tie["quality"])
            tie["given"] = [o * f * accept for o, f in zip(offer, fill, strict=True)]
            received = [r + g for r, g in zip(received, tie["given"], strict=True)]
            if tie["tie_type"] == codes.PROFESSIONAL:
                professional = [r + g for r, g in zip(professional, tie["given"], strict=True)]
            introductions += tie["broker"] * tie["strength"] * min(tie["contact"], 1.0)
        self.received = received
        self.received_professional = professional
        self.brokerage = 1.0 - math.exp(-introductions) if on else 0.0

    # 3. collective efficacy
    def build_collective(self) -> None:
        """Collective efficacy built by shared engagement and trust; fades without contact."""
        p = self.model.p
        if not self.model.on("collective_efficacy"):
            self.collective = 0.0
            return
        engagement = n_active = quality = 0.0
        for _, tie in self.ties():
            weight = tie["contact"] * tie["strength"]
            group = tie["tie_type"] == codes.GROUP_TIE
            engagement += weight * (p["collective.weight_group"] if group else 1.0)
            n_active += float(tie["active"])
            quality += tie["quality"] * tie["active"]
        trust = quality / n_active if n_active > 0 else 0.0
        h = engagement / (engagement + p["collective.half_engagement"])
        ce = self.collective
        build = p["collective.rate_build"] * h * trust * (0.5 + 0.5 * self.cohesion) * (1.0 - ce)
        self.collective = clip(ce + build - p["collective.rate_fade"] * (1.0 - h) * ce, 0.0, 1.0)

    # 8. navigation
    def navigate(self) -> None:
        """Group ties strengthen or lapse; maybe join a new group; awareness and guidance relax."""
        p, model, u, i = self.model.p, self.model, self.model.draws, self.node
        self.awareness += p["navigation.rate_awareness_return"] * (
            self.awareness_base - self.awareness
        )
        lapsed = []
        for member, tie in self.ties():
            if tie["tie_type"] != codes.GROUP_TIE:
                continue
            tie["strength"] += p["navigation.rate_strength"] * (tie["fit"] - tie["strength"])
            fit_term = (
                p["navigation.p_lapse"]
                * (p["navigation.lapse_fit_offset"] - tie["fit"])
                * (1.0 - p["navigation.lapse_collective_weight"] * self.collective)
            )
            prob = fit_term + p["navigation.p_stop_overload"] * min(self.imbalance, 1.0)
            if u.uniform("lapse", tie["slot"]) < clip(prob, 0.0, 1.0):
                lapsed.append(member)
        for member in lapsed:
            model.graph.remove_edge(self.node, member)
        if (
            model.on("navigation")
            and self.alive
            and u.uniform("join", i) < self._join_probability()
        ):
            self._join(u.uniform("category", i), u.uniform("pick", i))
        self.guidance = self.guidance * (1.0 - p["navigation.rate_guidance_decay"])

    def _join_probability(self) -> float:
        p = self.model.p
        prob = (
            p["navigation.p_join"]
            * self.awareness
            * (0.5 + 0.5 * self.self_efficacy)
            * (0.5 + 0.5 * self.knowledge_lay)
            * (1.0 + p["navigation.rel_brokerage"] * self.brokerage)
            * (1.0 + p["navigation.rel_guidance"] * self.guidance)
            / (1.0 + self.imbalance)
        )
        return clip(prob, 0.0, 1.0)

    def _join(self, u_category: float, u_pick: float) -> None:
        group = self.model.choose_group(self, u_category, u_pick)
        slot = self.free_slot()
        if group is None or slot is None or self.model.graph.has_edge(self.node, group):
            return
        self.model.add_group_tie(self, group, slot)
        self.joined += 1

    def free_slot(self) -> int | None:
        """The lowest slot number of this patient's block not used by a tie (None if full)."""
        used = {tie["slot"] for _, tie in self.ties()}
        return next((s for s in range(self.first_slot, self.end_slot) if s not in used), None)

    # 9. negotiation
    def negotiate(self) -> None:
        """Quality recovers; if triggered, re-negotiate with strained or unstrained members."""
        p, model = self.model.p, self.model
        for _, tie in self.ties():
            q0 = p["negotiation.quality_initial"]
            tie["quality"] += p["negotiation.rate_quality_recovery"] * (q0 - tie["quality"])
            tie["share"] += p["negotiation.rate_share_return"] * (1.0 - tie["share"])
        if not model.on("negotiation"):
            return
        strained, unstrained = [], []
        for member, tie in self.ties():
            if tie["tie_type"] in PERSONAL:
                agent = model.agent_of[member]
                high = agent.strain > p["negotiation.strain_threshold"]
                (strained if high else unstrained).append((agent, tie))
        need = self.need[0] + self.need[1] + self.need[2]
        unmet = sum(max(n - r, 0.0) for n, r in zip(self.need, self.received, strict=True))
        short = (unmet / need if need > 0 else 0.0) > p["negotiation.unmet_threshold"]
        attempted = (
            (bool(strained) or short)
            and self.alive
            and model.draws.uniform("attempt", self.node) < p["negotiation.p_attempt"]
        )
        self.negotiations += attempted
        if not attempted:
            return
        ended, moved = [], False
        for agent, tie in strained:
            success, end = self._bargain(agent, tie, True)
            moved = moved or success
            if end:
                ended.append(agent.node)
        for agent, tie in unstrained if (short or moved) else ():
            asked = model.draws.uniform("ask", tie["slot"]) * len(unstrained) < 1.0
            if asked and self._bargain(agent, tie, False)[1]:
                ended.append(agent.node)
        for node in ended:
            model.graph.remove_edge(self.node, node)

    def _bargain(self, member: RefMember, tie: dict[str, Any], strained: bool) -> tuple[bool, bool]:
        """One negotiation with a member (strained: shed work; else: ask for more).

        One uniform draw decides success; on failure the same draw, rescaled, decides whether the
        tie ends. Returns (succeeded, the tie ends).
        """
        p = self.model.p
        u, chance = self.model.draws.uniform("success", tie["slot"]), self.skill * tie["quality"]
        if u < chance:
            if strained:
                tie["share"] = tie["share"] * (1.0 - p["negotiation.shift"])
                member.relief += p["negotiation.strain_relief"]
            else:
                tie["share"] = min(
                    tie["share"] * (1.0 + p["negotiation.shift"]), p["negotiation.share_max"]
                )
            return True, False
        tie["quality"] = clip(tie["quality"] - p["negotiation.quality_loss"], 0.0, 1.0)
        u_end = (u - chance) / max(1.0 - chance, 1e-12)
        ends = tie["quality"] < p["negotiation.quality_end"] and u_end < p["negotiation.p_end_tie"]
        return False, ends


class ReferenceModel(mesa.Model):
    """Plain-Mesa reference of the weekly rules, started from a vectorised model's state.

    Args:
        source: A vectorised model; its current state (usually before the warm-up:
            ``CommunityModel(..., warm_up=False)``) and the state of its random streams are
            copied, and it is not changed.

    Attributes:
        graph: Patient-member ties as edges with the tie's attributes (nodes are node ids).
        agent_of: Agent of each node id.
        patients, members: The agents, as Mesa ``AgentSet`` s.
        clock: Weeks since the start of the warm-up (the review schedule's clock).
        recruited: True once the cohort is recruited (the clinical clock runs).
        week: Weeks since recruitment.
        interventions: The components delivered to the arm (from recruitment).
        draws: The random numbers (:class:`tests.reference_draws.WeekDraws`), set to the week.
    """

    def __init__(self, source: CommunityModel) -> None:
        super().__init__(rng=source.seed)
        values = source.config.values
        self.values = values
        self.p = {k.removeprefix("mechanisms."): v for k, v in values.items()}
        self.switch_names = [
            k.removeprefix("switches.") for k in self.p if k.startswith("switches.")
        ]
        self.week = source.week
        self.clock = source.weekly.clock
        self.recruited = source.weekly.recruited
        self.seed = source.seed
        self.arm = source.arm.tolist()
        self.need_ref = typical_need(self.p)
        self.draws = WeekDraws(source.seed)
        self.new_group_contact = (
            values["network.contact_per_week.group"] * values["network.rel_contact_outer"]
        )
        d = source.dynamics
        self.n_patients, self.n_slots = len(d.patients.alive), len(d.slots.active)
        self.graph = nx.Graph()
        self.agent_of: dict[int, mesa.Agent] = {}
        self._add_members(source)
        self._add_patients(source)
        self._add_ties(source)
        self._index_groups(source)
        self.patients = self.agents_by_type[RefPatient]
        self.members = self.agents_by_type[RefMember]
        # Started after recruitment (benchmarks only): later deliveries use fresh streams.
        self.interventions = RefInterventions(self, self.arm, self.seed) if self.recruited else None

    def on(self, mechanism: str) -> bool:
        """True if the mechanism is switched on."""
        return bool(self.p[f"switches.{mechanism}"])

    # -- building from the vectorised state ------------------------------------------------------
    def _add_members(self, source: CommunityModel) -> None:
        nodes, m = source.population.nodes, source.dynamics.members
        n_p = source.population.n_patients
        columns = {name: getattr(m, name)[:-1].tolist() for name in ("strain", "capacity", "load")}
        broker, category = m.broker[:-1].tolist(), nodes.category.tolist()
        for node in range(n_p, source.population.n_nodes):
            state = {name: values[node] for name, values in columns.items()}
            agent = RefMember(self, node, broker=broker[node], category=category[node], **state)
            self.graph.add_node(node)
            self.agent_of[node] = agent

    def _add_patients(self, source: CommunityModel) -> None:
        pop, d, p = source.population, source.dynamics, self.p
        pt = pop.patients
        columns = {f.name: getattr(d.patients, f.name).tolist() for f in fields(d.patients)}
        literacy = [
            p["work.rel_capacity_education_none"],
            p["work.rel_capacity_education_intermediate"],
            1.0,
        ]
        deprived = pop.locality_deprived[pt.locality].tolist()
        rate = p["knowledge.rate_learning"]
        static = {
            name: getattr(pt, name).tolist()
            for name in (
                "hypertension",
                "diabetes",
                "proteinuria",
                "education",
                "locality",
                "network_type",
            )
        }
        static["preferences"] = pt.preferences.tolist()
        starts, ends = d.starts.tolist(), d.block_end.tolist()
        for i in range(pop.n_patients):
            state = {name: values[i] for name, values in columns.items()}
            state.update({name: values[i] for name, values in static.items()})
            education = state["education"]
            state["literacy"] = literacy[education]
            state["finances"] = p["work.rel_capacity_deprived"] if deprived[i] else 1.0
            state["learning_rate"] = rate * (
                1.0 + p["knowledge.rel_learning_education"] * (float(education) - 1.0)
            )
            proteinuria = state["proteinuria"]
            state["target"] = p[
                "health.target_sbp_proteinuria" if proteinuria else "health.target_sbp"
            ]
            state["first_slot"], state["end_slot"] = starts[i], ends[i]
            self.graph.add_node(i)
            self.agent_of[i] = RefPatient(self, i, **state)

    def _add_ties(self, source: CommunityModel) -> None:
        s = source.dynamics.slots
        columns = {name: getattr(s, name).tolist() for name in (*TIE_FIELDS, "ego", "alter")}
        for slot in np.flatnonzero(s.active).tolist():
            tie = {name: columns[name][slot] for name in TIE_FIELDS}
            # the work given is set by each week's exchange before any member reads it
            tie["slot"], tie["given"] = slot, [0.0, 0.0, 0.0]
            tie["offer"] = self.base_offer(tie["tie_type"], tie["circle"], tie["proximity"])
            self.graph.add_edge(columns["ego"][slot], columns["alter"][slot], **tie)

    def _index_groups(self, source: CommunityModel) -> None:
        """Groups by (locality, category), in node order; counts per locality and category."""
        nodes = source.population.nodes
        n_localities = int(source.population.patients.locality.max()) + 1
        self.groups_by: dict[tuple[int, int], list[int]] = {}
        for node in np.flatnonzero(nodes.kind == codes.GROUP).tolist():
            key = (int(nodes.locality[node]), int(nodes.category[node]))
            self.groups_by.setdefault(key, []).append(node)
        self.available = [
            [len(self.groups_by.get((loc, c), ())) for c in range(N_CATEGORIES)]
            for loc in range(n_localities)
        ]
        rel_outer = self.p["support.rel_circle_outer"]
        self.group_offer = [self.p[f"support.offer_{w}.group"] * rel_outer for w in KINDS_OF_WORK]

    def base_offer(self, tie_type: int, circle: int, proximity: int) -> list[float]:
        """Hours/week of each kind of work a member of this tie can offer, before strain and share.

        The inner-circle offer of the tie type, times the circle's factor, times the factor of a
        member living further away for that kind of work (ODD 7.3).
        """
        p = self.p
        rel_circle = (1.0, p["support.rel_circle_middle"], p["support.rel_circle_outer"])[circle]
        rel_far = (
            p["support.rel_further_other"],
            p["support.rel_further_everyday"],
            p["support.rel_further_other"],
        )
        name = codes.TIE_TYPES[tie_type]
        offer = [p[f"support.offer_{w}.{name}"] * rel_circle for w in KINDS_OF_WORK]
        if proximity == codes.FURTHER:
            offer = [o * f for o, f in zip(offer, rel_far, strict=True)]
        return offer

    def clinical_source(self, tie_type: int) -> float:
        """Clinical knowledge a member of this tie type passes on per contact (ODD 7.1)."""
        return self.p[f"knowledge.clinical_source.{codes.TIE_TYPES[tie_type]}"]

    # -- navigation helpers ----------------------------------------------------------------------
    def choose_group(self, patient: RefPatient, u_category: float, u_pick: float) -> int | None:
        """A group of the patient's locality: category by weighted preference, then at random."""
        weight = self.p["navigation.preference_weight"]
        available, cdf, total = self.available[patient.locality], [], 0.0
        for c in range(N_CATEGORIES):
            total += (
                available[c] * (1.0 + weight * N_CATEGORIES * patient.preferences[c])
            ) * patient.match[c]
            cdf.append(total)
        if not total > 0:
            return None
        category = min(sum(x <= u_category * total for x in cdf), N_CATEGORIES - 1)
        groups = self.groups_by.get((patient.locality, category), [])
        if not groups:  # cannot happen: the chosen category has positive weight
            return None
        return groups[min(int(u_pick * len(groups)), len(groups) - 1)]

    def add_group_tie(self, patient: RefPatient, group: int, slot: int) -> None:
        """A new weak group tie in ``slot`` (as :func:`sim.dynamics.ties.fill_group_slots`)."""
        p, member = self.p, self.agent_of[group]
        prefs = patient.preferences
        lay = p["knowledge.lay_source.group"]
        if member.category == SUPPORT:
            lay = p["knowledge.lay_source_support_group"]
        self.graph.add_edge(
            patient.node,
            group,
            slot=slot,
            tie_type=codes.GROUP_TIE,
            circle=codes.OUTER,
            proximity=codes.NEARBY,
            contact=self.new_group_contact,
            active=True,
            weak=True,
            strength=p["navigation.initial_strength"],
            quality=p["negotiation.quality_initial"],
            share=1.0,
            fit=prefs[member.category] / max(prefs),
            offer=list(self.group_offer),
            lay_source=lay,
            broker=bool(member.broker),
            given=[0.0, 0.0, 0.0],
        )

    # -- the week --------------------------------------------------------------------------------
    def step(self) -> None:
        """One week (of the warm-up, or after recruitment with its interventions first).

        In the order of :meth:`sim.dynamics.step.WeeklyDynamics.step`.
        """
        self.clock += 1
        if self.recruited:
            self.week += 1
            self.interventions.apply(self.week)
        self.draws.set_week(self.clock)
        self.patients.do("work")
        self.patients.do("share_knowledge")
        self.patients.do("build_collective")
        self.patients.do("exchange")
        self.members.do("update_strain")
        self.patients.do("balance")
        self.patients.do("health")
        self.patients.do("outcomes")
        self.patients.do("navigate")
        self.patients.do("negotiate")
        self.members.do("apply_relief")

    def warm_up(self, weeks: int) -> None:
        """Weeks of usual care before recruitment (the clinical clock held), then recruit."""
        for _ in range(weeks):
            self.step()
        self.recruit()

    def recruit(self) -> None:
        """A BP reading for everyone, counters from zero, the clinical clock starts, week-0
        components delivered."""
        self.draws.set_week(self.clock)
        for i in range(self.n_patients):
            patient = self.agent_of[i]
            noise = self.draws.normal("recruitment_reading", i)
            patient.sbp_reading = patient.sbp + self.p["health.measurement_sd"] * noise
            patient.controlled = patient.sbp_reading < patient.target
            for name in COUNTERS:
                setattr(patient, name, 0 * getattr(patient, name))
        self.recruited = True
        self.interventions = RefInterventions(self, self.arm, self.seed)
        self.interventions.apply(0)

    # -- reading the state -----------------------------------------------------------------------
    def patient_values(self, name: str) -> np.ndarray:
        """Attribute ``name`` of every patient, in node order (for comparisons)."""
        return np.array([getattr(self.agent_of[i], name) for i in range(self.n_patients)])

    def member_values(self, name: str, n_nodes: int) -> np.ndarray:
        """Attribute ``name`` of every member node ``n_patients .. n_nodes - 1``."""
        return np.array([getattr(self.agent_of[i], name) for i in range(self.n_patients, n_nodes)])

    def tie_table(self) -> dict[int, dict[str, Any]]:
        """Slot number -> tie attributes with ``ego`` and ``alter``, for every current tie."""
        out = {}
        for a, b, tie in self.graph.edges(data=True):
            ego, alter = (a, b) if a < self.n_patients else (b, a)
            out[tie["slot"]] = {**tie, "ego": ego, "alter": alter}
        return out


def run_reference(source: CommunityModel | Scenario, weeks: int) -> tuple[float, int]:
    """Time the per-agent reference over ``weeks`` weeks.

    Args:
        source: A vectorised model to start from (copied, not changed) or a scenario to build one
            from (with the scenario's seed); building is not timed.
        weeks: Weeks to simulate.

    Returns:
        Seconds spent stepping, and agent-steps done: ``weeks`` x agents (every patient and every
        member node, professionals and groups included: the same count as the vectorised model's
        agents).
    """
    model = source if isinstance(source, CommunityModel) else CommunityModel(source)
    reference = ReferenceModel(model)
    start = time.perf_counter()
    for _ in range(weeks):
        reference.step()
    return time.perf_counter() - start, weeks * len(reference.agents)
