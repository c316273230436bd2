"""Checks of the tables of a sweep file; each error names the file, the key and what is allowed.

Parameter keys are checked against :data:`sim.config.parameters.PARAMS` with the same messages and
did-you-mean suggestions as scenario files (:mod:`sim.config.scenario`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.config.parameters import PARAMS
from sim.config.scenario import ScenarioError, check_known_key, check_value
from sim.model.measures import LABELS
from sim.sweeps.factor import Factor
from sim.sweeps.task_base import suggest

#: Designs a sweep file may ask for.
DESIGN_KINDS = ("grid", "list", "lhs", "sobol")
#: Sensitivity methods (SALib).
METHODS = ("sobol", "morris")
#: Sections whose keys a sweep may not vary.
FROZEN_SECTIONS = {
    "run": "set seed and weeks at the top of the sweep file instead",
    "outputs": "outputs do not change results; a sweep writes its own tables",
}
VARIABLE_KINDS = ("int", "float", "bool", "str", "choice")

Where = str | Path


def check_table(where: Where, prefix: str, table: Any, allowed: tuple[str, ...]) -> None:
    """Require a table whose keys are all in ``allowed``."""
    name = prefix.rstrip(".") or "the file"
    if not isinstance(table, dict):
        raise ScenarioError(where, name, f"{table!r} is not allowed; {name} must be a table")
    for key in table:
        if key not in allowed:
            raise ScenarioError(
                where,
                prefix + key,
                f"unknown key{suggest(key, allowed)}; allowed keys: {', '.join(allowed)}",
            )


def check_int(where: Where, key: str, value: Any, low: int, high: int) -> int:
    """Require an integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(
            where, key, f"{value!r} is not allowed; expected an integer in [{low}, {high}]"
        )
    return value


def _flatten(where: Where, section: str, table: Any) -> dict[str, Any]:
    """Dotted keys of a table that may nest (``[parameters.mechanisms.navigation]``)."""
    check_table(where, section, table, tuple(table) if isinstance(table, dict) else ())
    flat: dict[str, Any] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for name, value in node.items():
            key = f"{prefix}{name}"
            if key in PARAMS:
                flat[key] = value
            elif isinstance(value, dict) and any(k.startswith(key + ".") for k in PARAMS):
                walk(key + ".", value)
            else:
                try:
                    check_known_key(key, where, value)
                except ScenarioError as exc:
                    raise ScenarioError(where, f"{section}.{key}", exc.message) from None

    walk("", table)
    for key in flat:
        section_name = key.split(".")[0]
        if section_name in FROZEN_SECTIONS:
            raise ScenarioError(
                where,
                f"{section}.{key}",
                f"[{section_name}] keys cannot be set in a sweep; {FROZEN_SECTIONS[section_name]}",
            )
    return flat


def flatten_parameters(where: Where, parameters: Any) -> dict[str, Any]:
    """The ``[parameters]`` table as dotted key -> values or bounds."""
    return _flatten(where, "parameters", parameters)


def check_fixed(where: Where, fixed: Any) -> dict[str, Any]:
    """The ``[fixed]`` table (overrides of the base for every run) as dotted key -> value."""
    return _flatten(where, "fixed", fixed)


def _value(where: Where, key: str, value: Any) -> Any:
    """Check one value of a parameter; return it (ints given for a float key become floats)."""
    param = PARAMS[key]
    try:
        check_value(param, value, str(where))
    except ScenarioError as exc:
        raise ScenarioError(where, f"parameters.{key}", exc.message) from None
    return float(value) if param.kind == "float" else value


def check_factor(where: Where, key: str, spec: Any, design: str) -> Factor:
    """Check one entry of ``[parameters]`` for a design of kind ``design``."""
    param = PARAMS[key]
    name = f"parameters.{key}"
    if param.kind not in VARIABLE_KINDS:
        raise ScenarioError(where, name, f"a {param.kind} parameter cannot be varied in a sweep")
    if isinstance(spec, list):
        if not spec:
            raise ScenarioError(where, name, "empty list of values: the design has no points")
        if design in ("saltelli", "morris"):
            raise ScenarioError(
                where,
                name,
                f"{spec!r} is not allowed; sensitivity analysis needs bounds, "
                "e.g. { low = 0.1, high = 0.3 }",
            )
        return Factor(key, param.kind, tuple(_value(where, key, v) for v in spec))
    if not isinstance(spec, dict):
        raise ScenarioError(
            where,
            name,
            f"{spec!r} is not allowed; expected a list of values or bounds "
            "{ low = .., high = .. } (to set one value for every run, use [fixed])",
        )
    check_table(where, name + ".", spec, ("low", "high", "n"))
    if param.kind not in ("int", "float"):
        raise ScenarioError(where, name, f"bounds need a number; {key} is {param.allowed()}")
    if design == "list":
        raise ScenarioError(where, name, "a list design needs a list of values, not bounds")
    for bound in ("low", "high"):
        if bound not in spec:
            raise ScenarioError(where, f"{name}.{bound}", "missing; bounds need low and high")
    low, high = _value(where, key, spec["low"]), _value(where, key, spec["high"])
    if not low < high:
        raise ScenarioError(
            where, name, f"reversed or empty bounds: low ({low!r}) must be below high ({high!r})"
        )
    n = spec.get("n", 0)
    if design == "grid":
        if "n" not in spec:
            raise ScenarioError(where, name, "a grid over bounds needs n, the number of levels")
        n = check_int(where, f"{name}.n", n, 2, 1_000_000)
    elif "n" in spec:
        raise ScenarioError(
            where, f"{name}.n", f"n sets grid levels; a {design} design sets n in [design]"
        )
    return Factor(key, param.kind, None, low, high, n)


def check_list_lengths(where: Where, factors: tuple[Factor, ...]) -> None:
    """A list design pairs values point by point: every list must have the same length."""
    if len({len(f.values or ()) for f in factors}) > 1:
        lengths = ", ".join(f"{f.key}: {len(f.values or ())}" for f in factors)
        raise ScenarioError(
            where,
            "parameters",
            "a list design needs one value per point for every parameter; "
            f"the lists have different lengths ({lengths})",
        )


def check_bool(where: Where, key: str, value: Any) -> bool:
    """Require true or false."""
    if not isinstance(value, bool):
        raise ScenarioError(where, key, f"{value!r} is not allowed; expected true or false")
    return value


def check_design(where: Where, design: Any) -> tuple[str, int]:
    """Check ``[design]``; return (kind, n)."""
    check_table(where, "design.", design, ("kind", "n"))
    kind = design.get("kind", "grid")
    if kind not in DESIGN_KINDS:
        raise ScenarioError(
            where,
            "design.kind",
            f"{kind!r} is not allowed{suggest(str(kind), DESIGN_KINDS)}; "
            f"expected one of {', '.join(map(repr, DESIGN_KINDS))}",
        )
    if kind in ("grid", "list"):
        if "n" in design:
            raise ScenarioError(
                where,
                "design.n",
                f"a {kind} design takes its points from the parameter values; remove n",
            )
        return kind, 0
    if "n" not in design:
        raise ScenarioError(where, "design.n", f"a {kind} design needs n, the number of points")
    n = check_int(where, "design.n", design["n"], 1, 100_000_000)
    if kind == "sobol" and n & (n - 1):
        raise ScenarioError(
            where,
            "design.n",
            f"{n} is not allowed; a Sobol design needs a power of 2 "
            f"(e.g. {1 << (n.bit_length() - 1)} or {1 << n.bit_length()})",
        )
    return kind, n


def check_outcomes(where: Where, outcomes: Any, weeks: int) -> tuple[tuple, tuple, bool]:
    """Check ``[outcomes]``; return (measures, weeks, timeseries)."""
    check_table(where, "outcomes.", outcomes, ("measures", "weeks", "timeseries"))
    names = tuple(k for k in LABELS if k != "week")
    measures = outcomes.get("measures", ["eq5d", "bp_controlled", "tbq"])
    if not isinstance(measures, list) or not measures:
        raise ScenarioError(
            where,
            "outcomes.measures",
            f"{measures!r} is not allowed; expected "
            "a non-empty list of measure names (see sim.model.measures.LABELS)",
        )
    for m in measures:
        if m not in names:
            raise ScenarioError(
                where,
                "outcomes.measures",
                f"unknown measure {m!r}{suggest(str(m), names)}; measures are {', '.join(names)}",
            )
    at = outcomes.get("weeks", [weeks])
    if not isinstance(at, list) or not at:
        raise ScenarioError(
            where,
            "outcomes.weeks",
            f"{at!r} is not allowed; expected a non-empty list of weeks in [0, {weeks}]",
        )
    for w in at:
        check_int(where, "outcomes.weeks", w, 0, weeks)
    timeseries = outcomes.get("timeseries", False)
    if not isinstance(timeseries, bool):
        raise ScenarioError(
            where, "outcomes.timeseries", f"{timeseries!r} is not allowed; expected true or false"
        )
    return tuple(dict.fromkeys(measures)), tuple(sorted(set(at))), timeseries


def check_sensitivity(
    where: Where, table: Any, factors: tuple[Factor, ...], columns: tuple[str, ...]
) -> dict[str, Any]:
    """Check ``[sensitivity]``; return the keyword arguments of ``Sensitivity``."""
    allowed = ("method", "n", "levels", "second_order", "outcomes", "conf_level")
    check_table(where, "sensitivity.", table, allowed)
    method = table.get("method")
    if method not in METHODS:
        raise ScenarioError(
            where,
            "sensitivity.method",
            f"{method!r} is not allowed"
            f"{suggest(str(method), METHODS)}; expected one of 'sobol', 'morris'",
        )
    if "n" not in table:
        raise ScenarioError(where, "sensitivity.n", "missing; the base sample size is required")
    n = check_int(where, "sensitivity.n", table["n"], 1, 10_000_000)
    if method == "sobol" and n & (n - 1):
        raise ScenarioError(
            where,
            "sensitivity.n",
            f"{n} is not allowed; Saltelli sampling needs a power of 2 (e.g. 32, 64, 128)",
        )
    levels = check_int(where, "sensitivity.levels", table.get("levels", 4), 2, 1000)
    second = table.get("second_order", False)
    if not isinstance(second, bool):
        raise ScenarioError(
            where, "sensitivity.second_order", f"{second!r} is not allowed; expected true or false"
        )
    chosen = table.get("outcomes", list(columns))
    if not isinstance(chosen, list) or not chosen:
        raise ScenarioError(
            where,
            "sensitivity.outcomes",
            f"expected a non-empty list of outcome columns: {', '.join(columns)}",
        )
    for c in chosen:
        if c not in columns:
            raise ScenarioError(
                where,
                "sensitivity.outcomes",
                f"unknown outcome {c!r}{suggest(str(c), columns)}"
                f"; outcome columns (from [outcomes]) are {', '.join(columns)}",
            )
    conf = table.get("conf_level", 0.95)
    if isinstance(conf, bool) or not isinstance(conf, float | int) or not 0 < conf < 1:
        raise ScenarioError(
            where, "sensitivity.conf_level", f"{conf!r} is not allowed; expected a number in (0, 1)"
        )
    return {
        "method": method,
        "n": n,
        "levels": levels,
        "second_order": second,
        "outcomes": tuple(chosen),
        "conf_level": float(conf),
    }
