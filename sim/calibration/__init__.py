"""Calibration: fit free mechanism parameters to the dossier's targets (T2-T9) by history matching.

``sim calibrate FILE`` reads a calibration file (:mod:`.calibration_file`), runs Latin hypercube waves of the
sweep engine's ``trial`` task (:mod:`.fit`), and writes the calibrated scenario, a fit report, the
tables and a figure (:mod:`.output`). Targets are in :mod:`.targets`.

Names are imported on first use, so that ``sim calibrate --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "TARGETS": "sim.calibration.targets",
    "Target": "sim.calibration.targets",
    "Calibration": "sim.calibration.calibration_file",
    "load_calibration": "sim.calibration.calibration_file",
    "Fit": "sim.calibration.fit",
    "calibrate": "sim.calibration.fit",
    "implausibility": "sim.calibration.fit",
    "write_fit": "sim.calibration.output",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sim.calibration' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
