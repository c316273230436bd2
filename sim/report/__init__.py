"""Self-contained HTML reports of results folders (``sim report RESULTS_DIR``).

``write_report(folder)`` reads a virtual-trial folder (``sim trial``) or a run folder
(``sim run``) and writes one HTML file with every figure embedded, no external CSS or JavaScript,
so it opens offline and can be mailed as it is: a plain-language summary, the results table, the
figures, methods, assumptions (the scenario's non-default parameters and interventions) and
provenance. See :mod:`.folder` (reading and checking a folder), :mod:`.html` (page building),
:mod:`.trial` and :mod:`.run` (the sections of each kind of folder), :mod:`.shared` (sections
both kinds have) and :mod:`.build` (assembly and writing).
"""

from __future__ import annotations

from sim.report.build import build_report, write_report
from sim.report.folder import ReportError, ResultsFolder

__all__ = ["ReportError", "ResultsFolder", "build_report", "write_report"]
