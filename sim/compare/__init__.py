"""Compare many interventions with usual care on the same replicate trials (``sim compare``).

``load_comparison(file)`` reads a comparison file (:mod:`.spec`), ``run_comparison`` simulates
every option against the same usual-care arm with common random numbers (:mod:`.simulate`),
:mod:`.summary` makes the league table, acceptability curves and budget impact, and
``write_comparison`` writes the results folder (:mod:`.results`).

Names are imported on first use, so that ``sim compare --help`` and input checks stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Comparison": "sim.compare.spec",
    "build_comparison": "sim.compare.spec",
    "load_comparison": "sim.compare.spec",
    "ComparisonRun": "sim.compare.simulate",
    "run_comparison": "sim.compare.simulate",
    "ComparisonResults": "sim.compare.run_comparison",
    "summarise": "sim.compare.run_comparison",
    "timed_comparison": "sim.compare.run_comparison",
    "write_comparison": "sim.compare.run_comparison",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sim.compare' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
