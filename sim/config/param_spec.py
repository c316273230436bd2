"""The parameter record and a small registry used by each section's declarations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("int", "float", "bool", "str", "choice", "int_list", "choice_list")


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    Attributes:
        key: Dotted key, e.g. ``"population.age_mean"``.
        default: Value used when no scenario sets it.
        kind: One of ``KINDS``.
        unit: Unit of the value ("-" for dimensionless or categorical).
        source: Reference in the science dossier, or "assumption".
        description: What the parameter represents.
        low: Smallest allowed value (numbers and list items), if bounded.
        high: Largest allowed value, if bounded.
        choices: Allowed values for ``choice`` and ``choice_list`` kinds.
    """

    key: str
    default: Any
    kind: str
    unit: str
    source: str
    description: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and tables."""
        if self.choices is not None:
            prefix = "a list of " if self.kind == "choice_list" else "one of "
            return prefix + ", ".join(repr(c) for c in self.choices)
        noun = {
            "int": "an integer",
            "float": "a number",
            "bool": "true or false",
            "str": "a string",
            "int_list": "a list of integers",
        }[self.kind]
        low, high = _number(self.low), _number(self.high)
        if low is not None and high is not None:
            return f"{noun} in [{low}, {high}]"
        if low is not None:
            return f"{noun} >= {low}"
        if high is not None:
            return f"{noun} <= {high}"
        return noun


def _number(value: float | None) -> str | None:
    """Format a bound for people: 1000000 -> '1000000' (not 1e+06), 0.5 -> '0.5'."""
    if value is None:
        return None
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class SumsToOne:
    """A group of probability keys that must add up to 1 (within ``tolerance``)."""

    keys: tuple[str, ...]
    tolerance: float = 1e-6


@dataclass
class Registry:
    """Collects the declarations of one section."""

    params: list[Param] = field(default_factory=list)
    sums_to_one: list[SumsToOne] = field(default_factory=list)
    at_most_one: list[tuple[str, ...]] = field(default_factory=list)

    def add(
        self,
        key: str,
        default: Any,
        kind: str,
        unit: str,
        source: str,
        description: str,
        **bounds: Any,
    ) -> None:
        """Declare a parameter."""
        if kind not in KINDS:
            raise ValueError(f"{key}: unknown kind {kind!r}")
        self.params.append(Param(key, default, kind, unit, source, description, **bounds))

    def prob(self, key: str, default: float, source: str, description: str) -> None:
        """Declare a probability (a number in [0, 1])."""
        self.add(key, default, "float", "probability", source, description, low=0.0, high=1.0)

    def rate(
        self, key: str, default: float, source: str, description: str, unit: str = "per week"
    ) -> None:
        """Declare a weekly rate or fraction in [0, 1]."""
        self.add(key, default, "float", unit, source, description, low=0.0, high=1.0)

    def share(self, key: str, default: float, source: str, description: str) -> None:
        """Declare a dimensionless quantity in [0, 1] (a level, relevance or fraction)."""
        self.add(key, default, "float", "-", source, description, low=0.0, high=1.0)

    def must_sum_to_one(self, keys: tuple[str, ...]) -> None:
        """Require ``keys`` to add up to 1."""
        self.sums_to_one.append(SumsToOne(keys))

    def must_not_exceed_one(self, keys: tuple[str, ...]) -> None:
        """Require ``keys`` (shares of one whole) to add up to at most 1."""
        self.at_most_one.append(keys)
