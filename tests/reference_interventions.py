"""The per-agent reference's delivery of intervention components (ODD 7.10), patient by patient.

The same rules as :mod:`sim.interventions.engine`, written again with plain Python: at each
scheduled week a component draws one uniform number per patient from its own stream; a patient
in the arm, alive and eligible is offered it and takes it up when their number falls below the
uptake probability; each effect changes one mechanism input of those who took it up (a dose
closes a share of the gap to 1, a level is a floor, a match weight raises the patient's most
preferred available categories, a change with a duration is undone when it ends). Inputs that
feed a switched-off mechanism are left alone. The components themselves are read from the
scenario with :func:`sim.interventions.make_components` (data, not rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.interventions import INPUTS, make_components
from sim.population import codes
from sim.streams import generator


@dataclass
class Temporary:
    """A temporary change in force: input, patients, their raised values, first week undone."""

    input: str
    patients: list[int]
    values: list[float]
    until: int


class RefInterventions:
    """The scenario's components delivered to the reference's patients.

    Args:
        model: The reference model (its patients, parameters and groups per locality).
        arm: Per patient, True if in the arm that receives the interventions.
        seed: Root seed of the components' streams.
    """

    def __init__(self, model: Any, arm: list[bool], seed: int) -> None:
        self.model = model
        self.arm = arm
        self.components = make_components(model.values)
        self.rng = {c.name: generator(seed, "interventions", c.name) for c in self.components}
        n = model.n_patients
        self.offered = {c.name: [0] * n for c in self.components}
        self.original = {
            name: [getattr(patient, name) for patient in self.patients()]
            for name, spec in INPUTS.items()
            if spec.temporary
        }
        self.temporary: list[Temporary] = []
        self.off = {name for name in model.switch_names if not model.on(name)}

    def patients(self) -> list[Any]:
        """The patients in node order."""
        return [self.model.agent_of[i] for i in range(self.model.n_patients)]

    def apply(self, week: int) -> None:
        """Undo temporary changes that have run their course, then deliver this week's."""
        self._expire(week)
        for component in self.components:
            if week in component.weeks:
                self._deliver(component, week)

    def cost(self) -> list[float]:
        """Intervention cost per patient so far, GBP."""
        totals = [0.0] * self.model.n_patients
        for c in self.components:
            for i, offers in enumerate(self.offered[c.name]):
                totals[i] += c.cost * offers
        return totals

    def _deliver(self, component: Any, week: int) -> None:
        u = self.rng[component.name].random(self.model.n_patients).tolist()
        rule = component.eligibility
        took = []
        for i, patient in enumerate(self.patients()):
            eligible = (
                rule.age_min <= patient.age <= rule.age_max
                and codes.NETWORK_TYPES[patient.network_type] in rule.network_types
            )
            if self.arm[i] and patient.alive and eligible:
                self.offered[component.name][i] += 1
                if u[i] < component.p_uptake:
                    took.append(i)
        for effect in component.effects:
            self._act(effect, took, week)

    def _act(self, effect: Any, who: list[int], week: int) -> None:
        spec = INPUTS[effect.input]
        if spec.switch in self.off:
            return
        for i in who:
            patient = self.model.agent_of[i]
            if spec.how == "match":
                for c in self._matched(patient, effect.n_categories):
                    patient.match[c] = max(patient.match[c], effect.size)
            elif effect.duration is not None:
                original = self.original[effect.input][i]
                raised = original + effect.size * (1.0 - original)
                setattr(patient, effect.input, max(getattr(patient, effect.input), raised))
            elif spec.how == "dose":
                value = getattr(patient, effect.input)
                setattr(patient, effect.input, value + effect.size * (1.0 - value))
            else:
                setattr(patient, effect.input, max(getattr(patient, effect.input), effect.size))
        if effect.duration is not None and spec.how != "match":
            values = [
                self.original[effect.input][i]
                + effect.size * (1.0 - self.original[effect.input][i])
                for i in who
            ]
            self.temporary.append(Temporary(effect.input, who, values, week + effect.duration))

    def _matched(self, patient: Any, n: int) -> list[int]:
        """The patient's ``n`` most preferred categories their locality offers (ties: lower)."""
        available = self.model.available[patient.locality]
        offered = [c for c in range(len(available)) if available[c] > 0]
        ranked = sorted(offered, key=lambda c: (-patient.preferences[c], c))
        return ranked[:n]

    def _expire(self, week: int) -> None:
        ended = {t.input for t in self.temporary if t.until <= week}
        if not ended:
            return
        self.temporary = [t for t in self.temporary if t.until > week]
        for name in ended:
            values = list(self.original[name])
            for t in self.temporary:
                if t.input == name:
                    for i, value in zip(t.patients, t.values, strict=True):
                        values[i] = max(values[i], value)
            for i, patient in enumerate(self.patients()):
                setattr(patient, name, values[i])
