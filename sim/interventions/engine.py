"""Deliver intervention components to the arm at their scheduled weeks.

The model calls :meth:`Interventions.apply` once at recruitment (week 0, after the baseline is
recorded) and at the start of every week, before the mechanisms run. At each scheduled delivery a
component draws one uniform number per patient from its own stream
(``generator(seed, "interventions", name)``), whoever is in the arm, so a patient's draws are the
same in every arm built from one seed (common random numbers). A patient takes a component up if
they are alive, in the arm, eligible, and their draw falls below ``p_uptake``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.dynamics.state import Dynamics
from sim.interventions.components import Component, Effect
from sim.interventions.inputs import (
    INPUTS,
    at_least,
    matched_categories,
    raise_match,
    raise_toward_one,
)
from sim.population.arrays import Population
from sim.streams import generator


@dataclass
class _Temporary:
    """A temporary change in force: who, to what value, and the first week it no longer holds."""

    input: str
    patients: np.ndarray
    value: np.ndarray
    until: int


class Interventions:
    """The components of a scenario bound to a model's state and arm.

    Args:
        components: The enabled components.
        population: The population (preferences, network types, localities).
        dynamics: The dynamic state; inputs are changed in place in ``dynamics.patients``.
        arm: Per patient, True if they are in the arm that receives the intervention.
        seed: Root seed of the random streams.
        available: Groups per (locality, activity category), for matching categories.
        switched_off: Mechanisms switched off; changes to the inputs that feed them are not made
            (see :mod:`sim.interventions.inputs`).

    Attributes:
        offered: Per component, deliveries offered to each patient.
        received: Per component, deliveries each patient took up.
    """

    def __init__(
        self,
        components: list[Component],
        population: Population,
        dynamics: Dynamics,
        arm: np.ndarray,
        seed: int,
        available: np.ndarray,
        switched_off: frozenset[str] = frozenset(),
    ) -> None:
        self.components = components
        self.switched_off = switched_off
        self.population = population
        self.dynamics = dynamics
        self.arm = arm
        self.available = available
        n = population.n_patients
        self.rng = {c.name: generator(seed, "interventions", c.name) for c in components}
        self.offered = {c.name: np.zeros(n, np.int32) for c in components}
        self.received = {c.name: np.zeros(n, np.int32) for c in components}
        self._original = {
            name: getattr(dynamics.patients, name).copy()
            for name, spec in INPUTS.items()
            if spec.temporary
        }
        self._temporary: list[_Temporary] = []

    def apply(self, week: int) -> None:
        """End temporary changes that have run their course, then deliver this week's components."""
        self._expire(week)
        for component in self.components:
            if week in component.weeks:
                self._deliver(component, week)

    def cost(self) -> np.ndarray:
        """Intervention cost per patient so far, GBP (per offer, see ``Component.cost``)."""
        total = np.zeros(self.population.n_patients)
        for c in self.components:
            total += c.cost * self.offered[c.name]
        return total

    def _deliver(self, component: Component, week: int) -> None:
        pt = self.dynamics.patients
        u = self.rng[component.name].random(len(pt.alive))
        eligible = component.eligibility.mask(pt.age, self.population.patients.network_type)
        offered = self.arm & pt.alive & eligible
        took = np.flatnonzero(offered & (u < component.p_uptake))
        self.offered[component.name] += offered
        self.received[component.name][took] += 1
        for effect in component.effects:
            self._act(effect, took, week)

    def _act(self, effect: Effect, who: np.ndarray, week: int) -> None:
        if INPUTS[effect.input].switch in self.switched_off:
            return
        pt = self.dynamics.patients
        how = INPUTS[effect.input].how
        if how == "match":
            pop = self.population.patients
            chosen = matched_categories(
                pop.preferences[who], self.available[pop.locality[who]], effect.n_categories
            )
            pt.match[who] = raise_match(pt.match[who], chosen, effect.size)
            return
        values = getattr(pt, effect.input)
        if effect.duration is not None:
            raised = raise_toward_one(self._original[effect.input][who], effect.size)
            values[who] = np.maximum(values[who], raised)
            self._temporary.append(_Temporary(effect.input, who, raised, week + effect.duration))
        elif how == "dose":
            values[who] = raise_toward_one(values[who], effect.size)
        else:
            values[who] = at_least(values[who], effect.size)

    def _expire(self, week: int) -> None:
        ended = {t.input for t in self._temporary if t.until <= week}
        if not ended:
            return
        self._temporary = [t for t in self._temporary if t.until > week]
        pt = self.dynamics.patients
        for name in ended:
            values = self._original[name].copy()
            for t in self._temporary:
                if t.input == name:
                    values[t.patients] = np.maximum(values[t.patients], t.value)
            setattr(pt, name, values)
