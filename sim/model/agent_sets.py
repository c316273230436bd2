"""Mesa's agent sets over the population's nodes, filled on first use.

A model of a million patients has about eight million agents. Creating each through
``Agent.__init__`` (which registers it with the model one by one) took most of the time to build
such a model, while a run of the dynamics never touches an agent. So :class:`NodeAgents` keeps
Mesa's API and creates the agents only when something asks for them: ``model.agents``,
``model.agents_by_type``, ``model.agent_types``, ``model.remove_all_agents()`` create every
node's agent at once (in bulk, :func:`sim.model.agents.new_agents`) and register them, in node
order, in Mesa's agent sets; ``model.agent_at(node)`` creates just that one (the same object the
sets hold later). Agents a user creates with ``Agent(model)`` register as usual, with unique ids
after the nodes' (a node's agent has ``unique_id = node + 1``).

This relies on Mesa 3.5's registry (``Model._all_agents``, ``Model._agents_by_type``, sets of
``_HardKeyAgentSet``); ``mesa`` is pinned in ``pyproject.toml``, and tests/test_mesa_model.py
checks the behaviour Mesa users rely on.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any

import mesa
import numpy as np
from mesa.agentset import _HardKeyAgentSet

from sim.model.agents import AGENT_CLASSES, StateAgent, new_agents


class NodeAgents(mesa.Model):
    """A Mesa model whose node agents are created on first use (see the module docstring).

    Call :meth:`_set_nodes` once the node kinds are known (``kinds`` None: no node agents).
    """

    _node_kinds: np.ndarray | None = None
    _agent_at: list[StateAgent | None]
    _agents_created = True

    def _set_nodes(self, kinds: np.ndarray | None) -> None:
        self._node_kinds = kinds
        self._agent_at = [None] * len(kinds) if kinds is not None else []
        self._agents_created = kinds is None
        if kinds is not None:
            self.agent_id_counter = max(self.agent_id_counter, len(kinds) + 1)

    @property
    def agents(self) -> Any:
        """Every agent, as Mesa's ``model.agents`` (the node agents are created on first use)."""
        self._create_agents()
        return super().agents

    @property
    def agents_by_type(self) -> Any:
        """Agents by class, as Mesa's ``model.agents_by_type`` (created on first use)."""
        self._create_agents()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        """Agent classes present, as Mesa's ``model.agent_types``."""
        self._create_agents()
        return super().agent_types

    def remove_all_agents(self) -> None:
        """Remove every agent (Mesa's ``remove_all_agents``), node agents included."""
        self._create_agents()
        super().remove_all_agents()

    def agent_at(self, node: int) -> StateAgent:
        """Return the agent of node ``node`` (created now if it does not exist yet)."""
        if self._node_kinds is None:
            raise RuntimeError("this model was built with agents=False, so it has no agents")
        agent = self._agent_at[node]
        if agent is None:
            cls = AGENT_CLASSES[self._node_kinds[node]]
            agent = self._agent_at[node] = new_agents(cls, self, [node])[0]
        return agent

    def _create_agents(self) -> None:
        """Create every node's missing agent and register all of them, in node order, with Mesa."""
        if self._agents_created:
            return
        self._agents_created = True
        with _no_cyclic_gc():
            self._register(self._make_missing())

    def _make_missing(self) -> dict[type, list[StateAgent]]:
        """Make the agents not made yet; return every node's agent by class, in node order."""
        made_by_class = {}
        for cls in dict.fromkeys(AGENT_CLASSES):
            kinds = [code for code, of_kind in enumerate(AGENT_CLASSES) if of_kind is cls]
            nodes = np.flatnonzero(np.isin(self._node_kinds, kinds)).tolist()
            missing = [node for node in nodes if self._agent_at[node] is None]
            for node, agent in zip(missing, new_agents(cls, self, missing), strict=True):
                self._agent_at[node] = agent
            made_by_class[cls] = [self._agent_at[node] for node in nodes]
        return made_by_class

    def _register(self, made_by_class: dict[type, list[StateAgent]]) -> None:
        """Put the node agents, in node order, into Mesa's agent sets (before any user agents)."""
        earlier = list(self._all_agents)  # agents a user created before (registered by Mesa)
        self._all_agents._update([*self._agent_at, *earlier])
        for cls, made in made_by_class.items():
            known = self._agents_by_type.get(cls)
            if known is None:
                self._agents_by_type[cls] = _HardKeyAgentSet(made, random=self.random)
            else:
                known._update([*made, *known])


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while millions of objects are made.

    Each agent refers to its model, which refers back to the agents, so nothing made here is
    garbage; collections triggered by the allocations would only rescan them (making six million
    agents took about a fifth longer with them, on a busy machine).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
