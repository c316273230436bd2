"""Calibration: fit free mechanism parameters to the dossier's targets (T2-T11) by history matching.

``sim calibrate FILE`` reads a calibration file (:mod:`.calibration_file`), runs emulated
history-matching waves of the sweep engine's ``trial`` task (:mod:`.waves`, :mod:`.emulator`),
draws and confirms an ensemble (:mod:`.members`, :mod:`.ensemble_file`), cross-validates by target
group (:mod:`.crossval`) and writes the calibrated scenario, the ensemble, a fit report, tables and
a figure (:mod:`.output`, :mod:`.fit_report`). Targets are in :mod:`.targets`. Running a trial
over an ensemble: :mod:`.ensemble_run`.

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
    "implausibility": "sim.calibration.emulator",
    "Emulator": "sim.calibration.emulator",
    "Ensemble": "sim.calibration.ensemble_file",
    "load_ensemble": "sim.calibration.ensemble_file",
    "run_ensemble_trial": "sim.calibration.ensemble_run",
    "write_fit": "sim.calibration.output",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sim.calibration' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
