"""Virtual trials: recruit, randomise, follow up and analyse as BRIGHT did, over many replicates.

``run_trial(scenario)`` runs ``trial.replicates`` replicate trials of the scenario's interventions
against usual care with common random numbers and returns their summary (:class:`TrialResults`);
``write_trial`` writes the run folder. See :mod:`.design` (recruitment, randomisation, follow-up),
:mod:`.batch` (simulation), :mod:`.analysis` (statsmodels), :mod:`.report` (summaries).

Names are imported on first use, so that ``sim trial --help`` and input checks stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "TrialDesign": "sim.trial.design",
    "TrialRun": "sim.trial.replicates",
    "run_replicates": "sim.trial.replicates",
    "TrialResults": "sim.trial.results",
    "run_trial": "sim.trial.results",
    "summarise": "sim.trial.results",
    "timed_trial": "sim.trial.results",
    "write_trial": "sim.trial.results",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sim.trial' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
