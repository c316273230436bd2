"""Every scenario parameter, declared once: default, allowed values, unit and source.

A scenario file may set any key listed here (dotted keys name nested TOML tables); unknown keys
are rejected. Declarations live in ``sim/config/*_params.py``, one module per section; this module
assembles them. ``docs/ODD.md`` holds the same table, and a test checks it stays complete. Sources
cite ``shared/science/dossier.md`` by author and year; "assumption" marks what the literature does
not give (dossier section 8), and every assumption is a parameter a sweep can vary.
"""

from __future__ import annotations

from typing import Any

from sim.config import (
    clinical_params,
    eq5d_params,
    intervention_params,
    kidney_params,
    mechanism_params,
    medicines_params,
    network_params,
    output_params,
    population_params,
    run_params,
    services_params,
    trial_params,
)
from sim.config.param_spec import KINDS, Param, SumsToOne

__all__ = [
    "KINDS",
    "META_KEYS",
    "PARAMS",
    "SECTIONS",
    "SUMS_TO_ONE",
    "Param",
    "SumsToOne",
    "defaults",
]

#: Top-level keys that are not parameters.
META_KEYS: tuple[str, ...] = ("base", "title", "description")
#: Sections a scenario may contain.
SECTIONS: tuple[str, ...] = (
    "run",
    "population",
    "network",
    "mechanisms",
    "interventions",
    "trial",
    "outputs",
)
_SECTIONS = (
    run_params.PARAMS,
    population_params.PARAMS,
    network_params.PARAMS,
    mechanism_params.PARAMS,
    clinical_params.PARAMS,
    kidney_params.PARAMS,
    eq5d_params.PARAMS,
    medicines_params.PARAMS,
    services_params.PARAMS,
    intervention_params.PARAMS,
    trial_params.PARAMS,
    output_params.PARAMS,
)

PARAMS: dict[str, Param] = {p.key: p for registry in _SECTIONS for p in registry.params}
SUMS_TO_ONE: list[SumsToOne] = [s for registry in _SECTIONS for s in registry.sums_to_one]
#: Groups of shares that must add up to at most 1.
AT_MOST_ONE: list[tuple[str, ...]] = [g for registry in _SECTIONS for g in registry.at_most_one]


def defaults() -> dict[str, Any]:
    """Return a flat mapping of every dotted key to its default value (lists copied)."""
    return {
        k: (list(p.default) if isinstance(p.default, list) else p.default)
        for k, p in PARAMS.items()
    }
