"""The run table of a sweep (ids and seeds) and the work of one run.

A run is named by its design point and replicate, ``p000012-r003``, and its seed derives from the
sweep's seed and that id alone (:func:`run_seed`), so any run can be re-run by itself and gives the
same numbers whatever executor, worker or order ran it. Workers get small picklable
:class:`Chunk` objects and send back one small row dict per run. What a run computes is the
sweep's task (:mod:`sim.sweeps.tasks`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from sim.config.scenario import Scenario
from sim.streams import replicate_seed, seed_sequence
from sim.sweeps.sweep_design import Design
from sim.sweeps.sweep_file import Sweep
from sim.sweeps.tasks import SweepTask, TaskSetup

_RUN_ID = re.compile(r"p(\d+)-r(\d+)")


def run_id(point: int, replicate: int) -> str:
    """The id of replicate ``replicate`` of design point ``point``, e.g. ``p000012-r003``."""
    return f"p{point:06d}-r{replicate:03d}"


def parse_run_id(text: str) -> tuple[int, int]:
    """Return (point, replicate) of a run id; raise ValueError if it is not one."""
    match = _RUN_ID.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a run id; expected e.g. 'p000012-r003'")
    return int(match[1]), int(match[2])


def run_seed(sweep: Sweep, point: int, replicate: int) -> int:
    """The root seed of one run, derived from the sweep seed and the run id only.

    With ``common_random_numbers`` the seed depends on the replicate alone (it is then the seed
    of replicate ``replicate`` of a scenario run with ``run.seed`` = the sweep seed).
    """
    if sweep.common_random_numbers:
        return replicate_seed(sweep.seed, replicate)
    state = seed_sequence(sweep.seed, "sweep-run", point, replicate).generate_state(1, np.uint64)
    return int(state[0] >> 1)


@dataclass(frozen=True)
class RunSpec:
    """One run: its id, point, replicate, seed and parameter values."""

    run_id: str
    point: int
    replicate: int
    seed: int
    values: dict[str, Any]


@dataclass(frozen=True)
class RunContext:
    """What every run of a sweep shares: the base scenario's values, the task and its setup."""

    name: str
    base: dict[str, Any]
    weeks: int
    task: SweepTask
    setup: TaskSetup
    members: tuple[dict[str, Any], ...] = ()

    @classmethod
    def of(cls, sweep: Sweep) -> RunContext:
        """The context of ``sweep``'s runs."""
        members: tuple[dict[str, Any], ...] = ()
        if sweep.ensemble is not None:
            from sim.calibration.ensemble_file import member_overrides

            members = tuple(
                {
                    k: v
                    for k, v in member_overrides(sweep.base, sweep.ensemble, m).items()
                    if k not in sweep.keys
                }
                for m in range(len(sweep.ensemble))
            )
        base = dict(sweep.base.values)
        return cls(sweep.name, base, sweep.weeks, sweep.run_task, sweep.setup, members)


@dataclass(frozen=True)
class Chunk:
    """A chunk of runs sent to a worker in one message."""

    context: RunContext
    runs: tuple[RunSpec, ...]


@dataclass
class RunResult:
    """A finished run: its row (parameters, seed, outcomes, error) and optional time series."""

    row: dict[str, Any]
    timeseries: dict[str, list] | None = field(default=None)


def iter_runs(sweep: Sweep, design: Design, done: np.ndarray | None = None) -> Iterator[RunSpec]:
    """Yield the runs in order (point, then replicate), skipping those marked in ``done``."""
    for point in range(len(design)):
        values = None
        for replicate in range(sweep.replicates):
            if done is not None and done[point * sweep.replicates + replicate]:
                continue
            values = values if values is not None else design.point(point)
            seed = run_seed(sweep, point, replicate)
            yield RunSpec(run_id(point, replicate), point, replicate, seed, values)


def make_chunks(context: RunContext, runs: Iterable[RunSpec], chunk: int = 1) -> Iterator[Chunk]:
    """Group runs into chunks of ``chunk`` runs, lazily."""
    batch: list[RunSpec] = []
    for run in runs:
        batch.append(run)
        if len(batch) == chunk:
            yield Chunk(context, tuple(batch))
            batch = []
    if batch:
        yield Chunk(context, tuple(batch))


def run_spec(sweep: Sweep, design: Design, text: str) -> RunSpec:
    """The run of a sweep with id ``text``; ValueError if the design has no such run."""
    point, replicate = parse_run_id(text)
    if point >= len(design) or replicate >= sweep.replicates:
        raise ValueError(
            f"run {text!r} is not in this sweep ({len(design)} points x {sweep.replicates} "
            "replicates)"
        )
    seed = run_seed(sweep, point, replicate)
    return RunSpec(run_id(point, replicate), point, replicate, seed, design.point(point))


def run_scenario_of(sweep: Sweep, design: Design, text: str) -> Scenario:
    """The scenario of one run (by id): ``sim run`` on it reproduces the run exactly."""
    run = run_spec(sweep, design, text)
    members = RunContext.of(sweep).members
    member = members[run.replicate % len(members)] if members else {}
    values = {**member, **run.values, "run.seed": run.seed, "run.weeks": sweep.weeks}
    return sweep.base.with_overrides(values, origin=f"sweep {sweep.name} run {text}")


def _scenario(context: RunContext, run: RunSpec) -> Scenario:
    base = Scenario(
        context.name,
        None,
        MappingProxyType(context.base),
        MappingProxyType(dict.fromkeys(context.base, "<sweep base>")),
    )
    member = context.members[run.replicate % len(context.members)] if context.members else {}
    overrides = {
        **member,
        **run.values,
        "run.seed": run.seed,
        "run.weeks": context.weeks,
        "outputs.patient_weeks": [],
    }
    return base.with_overrides(overrides, origin=f"run {run.run_id}")


def execute_run(context: RunContext, run: RunSpec) -> RunResult:
    """Compute one run with the sweep's task; record any error instead of raising."""
    row: dict[str, Any] = {
        "run_id": run.run_id,
        "point": run.point,
        "replicate": run.replicate,
        "seed": run.seed,
        **run.values,
    }
    columns = context.setup.columns
    try:
        output = context.task.run(_scenario(context, run), run.seed, context.setup)
        for column in columns:
            row[column] = float(output.values[column])
    except Exception as exc:  # a failed run is recorded, the sweep carries on
        row.update(dict.fromkeys(columns, float("nan")))
        row["error"] = f"{type(exc).__name__}: {exc}"
        return RunResult(row)
    row["error"] = None
    timeseries = None
    if output.timeseries is not None:
        weeks = len(output.timeseries["week"])
        timeseries = {
            "run_id": [run.run_id] * weeks,
            "point": [run.point] * weeks,
            "replicate": [run.replicate] * weeks,
            **output.timeseries,
        }
    return RunResult(row, timeseries)


def run_chunk(chunk: Chunk) -> list[RunResult]:
    """Execute every run of a chunk (the function workers call)."""
    return [execute_run(chunk.context, run) for run in chunk.runs]
