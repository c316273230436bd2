"""A varied parameter of a sweep: its values, or its bounds, and how design points map to it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a list of values, or bounds (``low``, ``high``; ``n`` grid levels).

    Attributes:
        key: Dotted scenario key.
        kind: The parameter's kind (``int``, ``float``, ``bool``, ``str`` or ``choice``).
        values: The values to take, or None for bounds.
        low: Lower bound (bounds only).
        high: Upper bound (bounds only).
        n: Grid levels spread evenly from ``low`` to ``high`` (grid designs only).
    """

    key: str
    kind: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    n: int = 0

    def levels(self) -> tuple[Any, ...]:
        """The values of a grid axis: the listed values, or ``n`` evenly spaced in the bounds."""
        if self.values is not None:
            return self.values
        grid = np.linspace(self.low, self.high, self.n)
        if self.kind == "int":
            return tuple(int(v) for v in dict.fromkeys(np.round(grid).astype(int).tolist()))
        return tuple(float(f"{v:.12g}") for v in grid)

    def from_unit(self, u: float) -> Any:
        """Map ``u`` in [0, 1] to a value: uniform in the bounds, or one of the listed values."""
        if self.values is not None:
            return self.values[min(len(self.values) - 1, int(u * len(self.values)))]
        if self.kind == "int":
            return int(min(self.high, math.floor(self.low + u * (self.high - self.low + 1))))
        return float(self.low + u * (self.high - self.low))

    def to_toml(self) -> list[Any] | dict[str, Any]:
        """The factor as written in a sweep file."""
        if self.values is not None:
            return list(self.values)
        return {"low": self.low, "high": self.high} | ({"n": self.n} if self.n else {})
