"""Self-contained HTML reports of results folders (``sim report RESULTS_DIR``).

``write_report(folder)`` reads a virtual-trial folder (``sim trial``) or a run folder
(``sim run``) and writes one HTML file with every figure embedded, no external CSS or JavaScript,
so it opens offline and can be mailed as it is: a plain-language summary, the results table, the
figures, methods, assumptions (the scenario's non-default parameters and interventions) and
provenance. See :mod:`.folder` (reading and checking a folder), :mod:`.html` (page building),
:mod:`.trial` and :mod:`.run` (the sections of each kind of folder), :mod:`.shared` (sections
both kinds have) and :mod:`.build` (assembly and writing).

Names are imported on first use, so that the command line (``sim.report.cli``) stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "build_report": "sim.report.build",
    "write_report": "sim.report.build",
    "ReportError": "sim.report.folder",
    "ResultsFolder": "sim.report.folder",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim.report' has no attribute {name!r}")
