"""What one run of a sweep computes: tasks, chosen by name with ``task = "..."`` in a sweep file.

A task turns one run's resolved scenario and seed into its outcome row. It knows the outcome
names it can produce (checked when the sweep file loads, before anything runs), the options of its
own sweep-file table (``[trial]`` for the trial task) and how to compute a run. Two are built in:

``"model"`` (default)
    one model run of the scenario; outcomes are population measures at chosen weeks
    (:class:`ModelTask`).
``"trial"``
    ``trial.replicates_per_run`` BRIGHT-style replicate trials of the scenario's interventions
    against usual care; outcomes are effect estimates, true effects and baseline statistics of
    the simulated practice populations (:class:`TrialTask`).

Library code adds its own with :func:`register_task`. A task object travels to the workers with
each chunk of runs, so it must pickle (an instance of a class defined at module level); its
:meth:`~SweepTask.run` must depend only on the scenario and the seed, so that results are the same
whatever executor or worker ran it. Sweep files stay data: they only name a registered task.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.config.scenario import Scenario, ScenarioError
from sim.sweeps.task_base import (
    SweepTask,
    TaskOutput,
    TaskSetup,
    Where,
    check_names,
    suggest,
)
from sim.sweeps.trial_task import TRIAL_OUTCOMES, TrialTask


class ModelTask(SweepTask):
    """One model run of the scenario for ``weeks`` weeks; keeps population measures.

    ``[outcomes]``: ``measures`` (names of :data:`sim.model.measures.LABELS`, default eq5d,
    bp_controlled, tbq), ``weeks`` (default: the last week) and ``timeseries`` (also keep every
    week, default false). Columns are ``<measure>_w<week>``, e.g. ``eq5d_w26``, in the measure's
    own unit (see ``sim.model.measures``).
    """

    name = "model"
    summary = "one model run; population measures at chosen weeks"
    section = None
    uses_weeks = True

    def check_outcomes(self, where: Where, table: Any, weeks: int) -> dict[str, Any]:
        """Check measures, weeks and timeseries."""
        from sim.sweeps.checks import check_outcomes

        measures, at, timeseries = check_outcomes(where, table, weeks)
        return {"measures": list(measures), "weeks": list(at), "timeseries": timeseries}

    def columns(self, outcomes: Mapping[str, Any]) -> tuple[str, ...]:
        """``<measure>_w<week>`` for every measure and week."""
        return tuple(f"{m}_w{w}" for m in outcomes["measures"] for w in outcomes["weeks"])

    def timeseries_measures(self, outcomes: Mapping[str, Any]) -> tuple[str, ...]:
        """The measures, when ``timeseries`` is on."""
        return tuple(outcomes["measures"]) if outcomes["timeseries"] else ()

    def run(self, scenario: Scenario, seed: int, setup: TaskSetup) -> TaskOutput:
        """Build and run the model (its seed is the scenario's ``run.seed``)."""
        from sim.model import CommunityModel

        model = CommunityModel(scenario)
        model.run()
        series = model.datacollector.model_vars
        measures, at = setup.outcomes["measures"], setup.outcomes["weeks"]
        values = {f"{m}_w{w}": float(series[m][w]) for m in measures for w in at}
        timeseries = None
        if setup.outcomes["timeseries"]:
            timeseries = {
                "week": [int(w) for w in series["week"]],
                **{m: [float(v) for v in series[m]] for m in measures},
            }
        return TaskOutput(values, timeseries)


_TASKS: dict[str, SweepTask] = {"model": ModelTask(), "trial": TrialTask()}


def register_task(name: str, task: SweepTask) -> None:
    """Make ``task`` available to sweep files and :func:`sim.sweeps.make_sweep` as ``name``.

    Args:
        name: The name sweep files give as ``task = "..."`` (letters, digits, ``_``).
        task: A :class:`SweepTask` (picklable, for process and Dask executors).

    Raises:
        ValueError: if the name is not an identifier or clashes with a sweep-file key.
    """
    from sim.sweeps.sweep_file import TOP_KEYS

    if not name.isidentifier():
        raise ValueError(f"{name!r} is not allowed as a task name; use letters, digits and _")
    section = task.section
    if section is not None and section in TOP_KEYS:
        raise ValueError(f"task {name!r}: its options table {section!r} is a sweep-file key")
    _TASKS[name] = task


def task_names() -> tuple[str, ...]:
    """Names of the registered tasks."""
    return tuple(_TASKS)


def task_sections() -> tuple[str, ...]:
    """Sweep-file tables that hold tasks' options (e.g. ``trial``)."""
    return tuple(dict.fromkeys(t.section for t in _TASKS.values() if t.section))


def get_task(name: str, where: Where = "<sweep>") -> SweepTask:
    """The task registered as ``name``; a :class:`ScenarioError` naming the key ``task`` if none."""
    if not isinstance(name, str) or name not in _TASKS:
        names = task_names()
        raise ScenarioError(
            where,
            "task",
            f"{name!r} is not allowed{suggest(str(name), names)}; expected one of "
            f"{', '.join(map(repr, names))} "
            f"({'; '.join(f'{n}: {t.summary}' for n, t in _TASKS.items())})",
        )
    return _TASKS[name]


__all__ = [
    "TRIAL_OUTCOMES",
    "ModelTask",
    "SweepTask",
    "TaskOutput",
    "TaskSetup",
    "TrialTask",
    "check_names",
    "get_task",
    "register_task",
    "task_names",
    "task_sections",
]
