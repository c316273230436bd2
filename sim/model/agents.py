"""Mesa agents: thin, readable views over the model's state arrays.

An agent holds only its node id. Reading ``patient.age`` reads
``model.population.patients.age[i]`` and assigning writes it back, so per-agent code (the
teaching app, notebooks, the per-agent reference in the tests) and the vectorised mechanisms see
one state. Categorical attributes read as labels.

The model creates its agents in bulk with :func:`new_agents` (a million patients are about eight
million agents), and only when they are first asked for; ``agent.remove()`` takes an agent out
of the dynamics as well as out of Mesa's agent sets (:meth:`StateAgent.remove`).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from sim.population import codes


class Column:
    """Descriptor exposing one row of a state array as an agent attribute.

    Args:
        table: Dotted path from the model to the table holding the array, e.g.
            ``"population.patients"`` or ``"dynamics.patients"``.
        name: Array name within that table.
        labels: If given, integer codes are read and written as these labels.
    """

    def __init__(self, table: str, name: str, labels: tuple[str, ...] | None = None) -> None:
        self.path, self.name, self.labels = table.split("."), name, labels

    def _array(self, agent: StateAgent) -> np.ndarray:
        table = agent.model
        for part in self.path:
            table = getattr(table, part)
        return getattr(table, self.name)

    def __get__(self, agent: StateAgent | None, owner: type) -> Any:
        if agent is None:
            return self
        value = self._array(agent)[agent.node]
        if self.labels is not None:
            return self.labels[value] if value >= 0 else None
        return value.item() if isinstance(value, np.generic) else value

    def __set__(self, agent: StateAgent, value: Any) -> None:
        if self.labels is not None:
            value = codes.code_of(self.labels, value)
        self._array(agent)[agent.node] = value


class StateAgent(mesa.Agent):
    """A Mesa agent backed by row ``node`` of the model's arrays.

    Args:
        model: The model holding the arrays.
        node: The agent's node id (its row in every node-level array).
    """

    kind = Column("population.nodes", "kind", codes.NODE_KINDS)
    locality = Column("population.nodes", "locality")
    #: No Mesa space holds these agents (Mesa sets ``pos`` per agent; this is its default).
    pos = None

    def __init__(self, model: mesa.Model, node: int) -> None:
        super().__init__(model)
        self.node = node

    def remove(self) -> None:
        """Take the agent out of the model: out of the dynamics, then out of Mesa's agent sets.

        A member (person, pet, professional or group) leaves: every tie to it ends, and nobody
        joins a group that has left. A patient moves away: their ties end and they stop taking
        part, as if dead (no more weeks of costs, QALYs or outcomes), but measures do not count
        them as deaths (see ``CommunityModel.leave``).
        """
        self.model.leave(self.node)
        super().remove()

    def ties(self) -> np.ndarray:
        """Row numbers of this agent's patient-member ties (in ``population.ties``)."""
        return self.model.ties_of(self.node)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(node={self.node})"


class Patient(StateAgent):
    """A person with stage 3 CKD managing their illness at home (an ego of a personal community)."""

    age = Column("population.patients", "age")
    female = Column("population.patients", "female")
    ckd_stage = Column("population.patients", "stage", codes.CKD_STAGES)
    proteinuria = Column("population.patients", "proteinuria")
    education = Column("population.patients", "education", codes.EDUCATION)
    hypertension = Column("population.patients", "hypertension")
    diabetes = Column("population.patients", "diabetes")
    household = Column("population.patients", "household", codes.HOUSEHOLDS)
    network_type = Column("population.patients", "network_type", codes.NETWORK_TYPES)
    practice = Column("population.patients", "practice")
    # dynamic state (changes week by week)
    alive = Column("dynamics.patients", "alive")
    stage = Column("dynamics.patients", "stage", codes.CKD_STAGES)
    sbp = Column("dynamics.patients", "sbp")
    bp_controlled = Column("dynamics.patients", "controlled")
    medicines = Column("dynamics.patients", "medicines")
    knowledge_clinical = Column("dynamics.patients", "knowledge_clinical")
    knowledge_lay = Column("dynamics.patients", "knowledge_lay")
    awareness = Column("dynamics.patients", "awareness")
    guidance = Column("dynamics.patients", "guidance")
    self_efficacy = Column("dynamics.patients", "self_efficacy")
    collective_efficacy = Column("dynamics.patients", "collective")
    self_management = Column("dynamics.patients", "self_management")
    imbalance = Column("dynamics.patients", "imbalance")
    utility = Column("dynamics.patients", "utility")
    heiq = Column("dynamics.patients", "heiq")
    loneliness = Column("dynamics.patients", "loneliness")
    treatment_burden = Column("dynamics.patients", "tbq")

    def members(self) -> list[NetworkMember]:
        """The agents in this patient's personal community now."""
        alters = self.model.dynamics.slots.alter[self.ties()]
        return [self.model.agent_at(int(a)) for a in alters]


class NetworkMember(StateAgent):
    """A member of one or more personal communities (base class of every non-patient agent)."""

    strain = Column("dynamics.members", "strain")
    load = Column("dynamics.members", "load")

    def patients(self) -> list[Patient]:
        """The patients whose communities include this member now."""
        egos = self.model.dynamics.slots.ego[self.ties()]
        return [self.model.agent_at(int(e)) for e in egos]


class PersonalMember(NetworkMember):
    """A partner, relative, friend, neighbour, acquaintance or pet of exactly one patient."""

    owner = Column("population.nodes", "owner")
    relation = Column("population.nodes", "relation", codes.TIE_TYPES)


class HealthProfessional(NetworkMember):
    """A GP, practice nurse or pharmacist, shared by the patients of one practice."""

    role = Column("population.nodes", "role", codes.PROFESSIONAL_ROLES)
    practice = Column("population.nodes", "practice")


class CommunityGroup(NetworkMember):
    """A community group or voluntary service of a locality (lunch club, walking group, ...)."""

    category = Column("population.nodes", "category", codes.ACTIVITY_CATEGORIES)


#: Agent class for each node kind (index = ``codes.NODE_KINDS`` code).
AGENT_CLASSES: tuple[type[StateAgent], ...] = (
    Patient,
    PersonalMember,
    PersonalMember,
    CommunityGroup,
    HealthProfessional,
)


def new_agents(cls: type[StateAgent], model: mesa.Model, nodes: list[int]) -> list[StateAgent]:
    """Agents of class ``cls`` for ``nodes``, made in bulk and not registered with Mesa.

    Each agent is what ``cls(model, node)`` makes (``model``, ``unique_id = node + 1``, the id
    Mesa gives when agents are created in node order, and ``node``; ``pos`` is the class's
    None), without running ``__init__`` once per agent; the caller registers them in Mesa's agent
    sets. Attributes are set agent by agent, in one order, so that the agents share one layout of
    attribute names (about 140 bytes an agent instead of 360). Agent datasets declared on
    ``cls`` get the new agents, as ``Agent.__init__`` would do.
    """
    new = cls.__new__

    def make(node: int) -> StateAgent:
        agent = new(cls)
        agent.model = model
        agent.unique_id = node + 1
        agent.node = node
        return agent

    made = list(map(make, nodes))
    for dataset in cls._datasets:
        for agent in made:
            model.data_registry[dataset].add_agent(agent)
    return made
