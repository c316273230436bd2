"""The base of sweep tasks: what a task gets, what it returns, and the checks tasks share.

See :mod:`sim.sweeps.tasks` for what a task is and the built-in ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.config.scenario import Scenario, ScenarioError

Where = str | Path


@dataclass(frozen=True)
class TaskSetup:
    """What a task needs besides the scenario and seed, the same for every run of a sweep.

    Attributes:
        options: The task's checked options (its sweep-file table, defaults filled in).
        outcomes: The checked ``[outcomes]`` table, as :meth:`SweepTask.check_outcomes` returns.
        columns: Outcome column names, in table order.
    """

    options: Mapping[str, Any]
    outcomes: Mapping[str, Any]
    columns: tuple[str, ...]


@dataclass
class TaskOutput:
    """One run's outcomes (``values``: column -> number) and optional weekly time series."""

    values: dict[str, float]
    timeseries: dict[str, list] | None = field(default=None)


class SweepTask:
    """Base of sweep tasks: subclass it and :func:`register_task` an instance.

    Attributes:
        name: The name sweep files give as ``task = "..."``.
        summary: One line on what a run computes (shown in error messages).
        section: Top-level sweep-file table holding the task's options (None: no options).
        uses_weeks: Whether the sweep's ``weeks`` key applies (a model run's length).
        preload: Modules worker processes import once at start (heavy imports of :meth:`run`).
    """

    name: str = ""
    summary: str = ""
    section: str | None = None
    uses_weeks: bool = False
    preload: tuple[str, ...] = ()

    def check_options(self, where: Where, table: Any) -> dict[str, Any]:
        """Check the task's sweep-file table; return its options with defaults filled in."""
        from sim.sweeps.checks import check_table

        check_table(where, f"{self.section or self.name}.", table, ())
        return {}

    def check_outcomes(self, where: Where, table: Any, weeks: int) -> dict[str, Any]:
        """Check ``[outcomes]``; return it normalised (every default written out)."""
        raise NotImplementedError

    def columns(self, outcomes: Mapping[str, Any]) -> tuple[str, ...]:
        """The outcome columns of a checked ``[outcomes]`` table."""
        raise NotImplementedError

    def timeseries_measures(self, outcomes: Mapping[str, Any]) -> tuple[str, ...]:
        """Measures kept every week (a second dataset), or () for none."""
        return ()

    def check_base(self, where: Where, scenario: Scenario, options: Mapping[str, Any]) -> None:
        """Refuse a base scenario the task cannot run (raise :class:`ScenarioError`)."""
        return None

    def run(self, scenario: Scenario, seed: int, setup: TaskSetup) -> TaskOutput:
        """Compute one run's outcomes; may raise (the run is then recorded as failed)."""
        raise NotImplementedError


def suggest(word: str, choices: tuple[str, ...]) -> str:
    """`` (did you mean ...?)`` for names close to ``word``, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def check_names(where: Where, key: str, names: Any, allowed: tuple[str, ...], what: str) -> tuple:
    """Require a non-empty list of names from ``allowed``; return them, duplicates dropped."""
    if not isinstance(names, list) or not names:
        raise ScenarioError(
            where,
            key,
            f"{names!r} is not allowed; expected a non-empty list of {what}: {', '.join(allowed)}",
        )
    for name in names:
        if name not in allowed:
            raise ScenarioError(
                where,
                key,
                f"unknown {what[:-1] if what.endswith('s') else what} {name!r}"
                f"{suggest(str(name), allowed)}; allowed: {', '.join(allowed)}",
            )
    return tuple(dict.fromkeys(names))
