"""Design points of a sweep: full grid, list, Latin hypercube, Sobol, Saltelli or Morris.

Space-filling designs are drawn in the unit cube by :mod:`scipy.stats.qmc` (or by SALib for the
sensitivity designs) from a stream of the sweep's seed named ``"design"``, then mapped to each
parameter's bounds (integers uniformly over ``low..high``; listed values as equal-width bins).
A grid is never materialised: point ``i`` is the ``i``-th combination in C order (the last
parameter varies fastest), so a large grid costs no memory.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from sim.streams import generator, seed_sequence
from sim.sweeps.sweep_file import Sweep


def unit_problem(sweep: Sweep) -> dict[str, Any]:
    """The SALib problem of a sweep, in the unit cube (values are mapped to bounds later)."""
    return {
        "num_vars": len(sweep.factors),
        "names": list(sweep.keys),
        "bounds": [[0.0, 1.0]] * len(sweep.factors),
    }


def unit_sample(sweep: Sweep) -> np.ndarray:
    """The design in the unit cube, one row per point (space-filling and sensitivity designs)."""
    d = len(sweep.factors)
    if sweep.design in ("lhs", "sobol"):
        from scipy.stats import qmc

        cls = qmc.LatinHypercube if sweep.design == "lhs" else qmc.Sobol
        return cls(d, rng=generator(sweep.seed, "design")).random(sweep.n)
    seed = int(seed_sequence(sweep.seed, "design").generate_state(1)[0])
    s = sweep.sensitivity
    assert s is not None, f"design {sweep.design!r} needs a [sensitivity] table"
    if sweep.design == "saltelli":
        from SALib.sample import sobol

        return sobol.sample(unit_problem(sweep), s.n, calc_second_order=s.second_order, seed=seed)
    from SALib.sample import morris

    return morris.sample(unit_problem(sweep), s.n, num_levels=s.levels, seed=seed)


class Design:
    """The points of a sweep: ``design.point(i)`` is a dict of dotted key -> value.

    Args:
        sweep: The sweep whose design to build.

    Attributes:
        unit: The points in the unit cube (None for grid and list designs).
    """

    def __init__(self, sweep: Sweep) -> None:
        self.factors = sweep.factors
        self.kind = sweep.design
        self.unit: np.ndarray | None = None
        self._axes = [f.levels() for f in self.factors]
        if self.kind == "grid":
            self._shape = tuple(len(a) for a in self._axes)
            self._n = int(np.prod(self._shape, dtype=np.int64))
        elif self.kind == "list":
            self._n = len(self._axes[0])
        else:
            self.unit = unit_sample(sweep)
            self._n = len(self.unit)

    def __len__(self) -> int:
        return self._n

    def point(self, i: int) -> dict[str, Any]:
        """The parameter values of point ``i``."""
        if not 0 <= i < self._n:
            raise IndexError(f"point {i} is outside the design (0..{self._n - 1})")
        if self.kind == "grid":
            index = np.unravel_index(i, self._shape)
            return {f.key: a[j] for f, a, j in zip(self.factors, self._axes, index, strict=True)}
        if self.kind == "list":
            return {f.key: a[i] for f, a in zip(self.factors, self._axes, strict=True)}
        assert self.unit is not None
        return {
            f.key: f.from_unit(float(u)) for f, u in zip(self.factors, self.unit[i], strict=True)
        }

    def digest(self) -> str:
        """A digest of the points (changes if a library draws a different design)."""
        h = hashlib.sha256(repr((self.kind, self._axes)).encode())
        if self.unit is not None:
            h.update(np.ascontiguousarray(self.unit, dtype="<f8").tobytes())
        return h.hexdigest()
