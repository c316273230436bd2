"""Intervention components: when (schedule), who (arm and eligibility) and what (effects).

A component is data: its name, the weeks it is delivered, who is eligible, the probability that
an offered patient takes it up, its effects on named mechanism inputs (:mod:`.inputs`) and its
cost. :func:`make_components` reads every enabled component from a scenario; the keys of each are
declared in :mod:`sim.config.intervention_params`, with one key per input acted on, named after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.config.intervention_params import COMPONENTS, component_keys
from sim.interventions.inputs import INPUTS
from sim.population import codes


@dataclass(frozen=True)
class Effect:
    """A change to one mechanism input.

    Attributes:
        input: A key of :data:`sim.interventions.inputs.INPUTS`.
        size: Dose (share of the gap to 1 closed), level (guidance) or match weight.
        duration: Weeks a temporary change lasts (None: it is not undone).
        n_categories: For ``match``: how many preferred categories are matched.
    """

    input: str
    size: float
    duration: int | None = None
    n_categories: int = 0

    def __post_init__(self) -> None:
        spec = INPUTS.get(self.input)
        if spec is None:
            raise ValueError(
                f"{self.input!r} is not an input interventions may change; "
                f"expected one of {', '.join(INPUTS)}"
            )
        if spec.temporary and self.duration is None:
            raise ValueError(f"a change to {self.input!r} needs a duration in weeks")


@dataclass(frozen=True)
class Eligibility:
    """Who may be offered a component (besides being alive and in the arm)."""

    age_min: float = 0.0
    age_max: float = 120.0
    network_types: tuple[str, ...] = codes.NETWORK_TYPES

    def mask(self, age: np.ndarray, network_type: np.ndarray) -> np.ndarray:
        """True for patients of eligible age and network type (codes of ``NETWORK_TYPES``)."""
        types = np.zeros(len(codes.NETWORK_TYPES), bool)
        types[[codes.NETWORK_TYPES.index(t) for t in self.network_types]] = True
        return (age >= self.age_min) & (age <= self.age_max) & types[network_type]


@dataclass(frozen=True)
class Component:
    """One deliverable part of an intervention.

    Attributes:
        name: Dotted name, e.g. ``"bright.calls"`` (also names its random stream).
        weeks: Weeks of delivery (0 = at recruitment; k = the start of week k).
        p_uptake: Probability that an offered patient takes it up, at each delivery.
        effects: Changes to mechanism inputs for those who take it up.
        eligibility: Who may be offered it.
        cost: GBP per patient offered, per delivery.
    """

    name: str
    weeks: tuple[int, ...]
    p_uptake: float
    effects: tuple[Effect, ...]
    eligibility: Eligibility = field(default_factory=Eligibility)
    cost: float = 0.0


def component_from(name: str, keys: Mapping[str, Any]) -> Component:
    """Build component ``name`` from its keys (prefix stripped; see the module docstring)."""
    effects = tuple(
        Effect(
            input_,
            float(keys[input_]),
            duration=keys.get(f"dur_{input_}"),
            n_categories=int(keys.get("n_matched", 0)) if input_ == "match" else 0,
        )
        for input_ in INPUTS
        if input_ in keys
    )
    return Component(
        name=name,
        weeks=tuple(sorted(set(keys["weeks"]))),
        p_uptake=float(keys["p_uptake"]),
        effects=effects,
        eligibility=Eligibility(
            float(keys["age_min"]), float(keys["age_max"]), tuple(keys["network_types"])
        ),
        cost=float(keys["cost"]),
    )


def make_components(values: Mapping[str, Any]) -> list[Component]:
    """The enabled components of a scenario (flat values), in declaration order."""
    out = []
    for name in COMPONENTS:
        keys = component_keys(values, name)
        if keys.get("enabled"):
            out.append(component_from(name, keys))
    return out
