"""Attribute an intervention's effect to the network mechanisms by Shapley values.

``attribute(scenario)`` runs the scenario's intervention against usual care with every on/off
combination of the mechanisms (:data:`sim.config.mechanism_params.SWITCHES`), with common random
numbers throughout, and returns an :class:`Attribution`: the value v(S) of every subset S of
mechanisms (the true effect with those mechanisms on) and each mechanism's Shapley value;
``write_attribution`` writes the run folder. :mod:`.shapley` holds the pure combinatorics.

Names are imported on first use, so that ``sim attribute --help`` and input checks stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Replicate practice populations per subset of mechanisms by default (64 subsets x 2
#: conditions; about a minute on two cores for BRIGHT's 24 practices of 19 patients, 26 weeks).
DEFAULT_REPLICATES = 20
#: Label of the row holding v(empty): the effect that needs no network mechanism.
NONE = "none (no network mechanism)"
#: Label of the row holding v(all): the intervention's effect with every mechanism on.
TOTAL = "total"

_WHERE = {
    "Attribution": "sim.attribution.attribution_run",
    "MEASURES": "sim.attribution.attribution_run",
    "attribute": "sim.attribution.attribution_run",
    "coalitions": "sim.attribution.shapley",
    "shapley_values": "sim.attribution.shapley",
    "write_attribution": "sim.attribution.attribution_report",
}
__all__ = sorted([*_WHERE, "DEFAULT_REPLICATES", "NONE", "TOTAL"])


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sim.attribution' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
