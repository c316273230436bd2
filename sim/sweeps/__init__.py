"""Parameter sweeps: designs, replicates, resumable on-disk results, executors, sensitivity.

The Python API behind ``sim sweep`` and ``sim sensitivity`` (and calibration)::

    from sim.sweeps import load_sweep, run_sweep, read_results, ProcessExecutor

    sweep = load_sweep("scenarios/sweeps/grid_example.toml")
    summary = run_sweep(sweep, out="results", executor=ProcessExecutor(2))
    table = read_results(summary.folder)     # one row per run, sorted by run

Each run computes the sweep's task (``task = "model"``, one model run, or ``"trial"``, replicate
BRIGHT-style trials; see :mod:`sim.sweeps.tasks`); ``register_task`` adds more.

Names are imported on first use, so ``import sim.sweeps`` stays light for the command line.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Sweep": "sim.sweeps.sweep_file",
    "Sensitivity": "sim.sweeps.sweep_file",
    "load_sweep": "sim.sweeps.sweep_file",
    "make_sweep": "sim.sweeps.sweep_file",
    "Design": "sim.sweeps.sweep_design",
    "RunSpec": "sim.sweeps.runs",
    "iter_runs": "sim.sweeps.runs",
    "run_id": "sim.sweeps.runs",
    "run_seed": "sim.sweeps.runs",
    "run_scenario_of": "sim.sweeps.runs",
    "SerialExecutor": "sim.sweeps.execute",
    "ProcessExecutor": "sim.sweeps.execute",
    "DaskExecutor": "sim.sweeps.execute",
    "make_executor": "sim.sweeps.execute",
    "SweepSummary": "sim.sweeps.runner",
    "run_sweep": "sim.sweeps.runner",
    "sweep_folder": "sim.sweeps.runner",
    "read_results": "sim.sweeps.sweep_results",
    "read_timeseries": "sim.sweeps.sweep_results",
    "rerun": "sim.sweeps.sweep_results",
    "analyse_sensitivity": "sim.sweeps.sensitivity",
    "run_sensitivity": "sim.sweeps.sensitivity",
    "SweepTask": "sim.sweeps.tasks",
    "TaskOutput": "sim.sweeps.tasks",
    "TaskSetup": "sim.sweeps.tasks",
    "TRIAL_OUTCOMES": "sim.sweeps.tasks",
    "get_task": "sim.sweeps.tasks",
    "register_task": "sim.sweeps.tasks",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim.sweeps' has no attribute {name!r}")
