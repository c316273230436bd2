"""Simulate every option of a comparison on the same replicate trials, with common random numbers.

The virtual-trial machinery (:mod:`sim.trial`) runs one intervention against usual care; a
comparison runs many against the *same* usual care. Replicate ``r`` builds its practice population
and allocation from the same seed as in ``sim trial`` (:func:`sim.trial.batch.make_world`), a
batch of replicates is stacked and simulated once under usual care (no one treated, with the
comparator's scenario) and once under each option (everyone treated, with the option's scenario),
all from the batch's one seed. Each replicate trial then observes, for each recruited patient, the
usual-care outcome for the control arm and the option's outcome for the intervention arm: every
option is compared with the same control arm, recruits and measurement errors, so differences
between options are free of chance imbalance.

An option that changes the personal communities (``[network]`` keys) is simulated on populations
built from the same seeds with its own keys (the same patients, other communities). Baseline
values (week 0) are measured before anyone starts an option, in the comparator's world, so an
option starts at randomisation for every patient.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sim.calibration.ensemble_file import Ensemble
from sim.calibration.ensemble_run import member_batches, member_scenario
from sim.compare.spec import COMPARATOR_LABEL, Comparison
from sim.config.scenario import Scenario
from sim.dynamics.warmup import Start
from sim.model import recruitment_start
from sim.parallel import batches, ordered_map
from sim.population.arrays import Population
from sim.trial.analysis import analyse
from sim.trial.batch import (
    OUTCOME_COLUMNS,
    TRAJECTORY_OUTCOMES,
    World,
    batch_seed,
    covariates,
    make_world,
    run_condition,
    trial_scenario,
)
from sim.trial.data import potential_outcomes, trial_data
from sim.trial.design import TrialDesign
from sim.trial.stack import stack_populations

Columns = dict[str, np.ndarray]
#: Baseline columns, measured under usual care before anyone starts an option.
BASELINE = ("eq5d_0", "heiq_0", "controlled_0", "cost_0")


@dataclass(frozen=True)
class Plan:
    """What each batch simulates: the comparator and each option as trial scenarios.

    Attributes:
        design: The trial design (the comparator's).
        comparator: The comparator's trial scenario.
        options: Per option: its label, its trial scenario, and whether it shares the
            comparator's populations (no ``[network]`` key differs).
    """

    design: TrialDesign
    comparator: Scenario
    options: tuple[tuple[str, Scenario, bool], ...]

    @classmethod
    def of(cls, comparison: Comparison) -> Plan:
        """The plan of a checked comparison."""
        design = TrialDesign.of(comparison.comparator)
        comparator = trial_scenario(comparison.comparator, design)

        def same_world(s: Scenario) -> bool:
            return all(
                s.values[k] == comparator.values[k] for k in s.values if k.startswith("network.")
            )

        options = tuple(
            (o.label, trial_scenario(o.scenario, design), same_world(o.scenario))
            for o in comparison.options
        )
        return cls(design, comparator, options)


@dataclass
class ComparisonRun:
    """The raw tables of a comparison (tidy, one row per replicate, option and outcome).

    Attributes:
        plan: What was simulated.
        seed: The root seed.
        estimates: Each replicate trial's analysis of each option (:func:`sim.trial.analysis.
            analyse`, overall only): ``replicate, option, outcome, scale, subgroup, level,
            estimate, ci_low, ci_high, p_value, n_intervention, n_control``.
        truth: Per batch and option, the same analysis of the whole population in both
            conditions (the true effect): ``batch, option, outcome, scale, subgroup, level,
            estimate, n_patients``.
        trajectories: Weekly means over each replicate's whole practice population under usual
            care and under each option: ``replicate, option, week, outcome, value``.
        seconds: Wall-clock seconds simulating and analysing, summed over batches.
    """

    plan: Plan
    seed: int
    estimates: pd.DataFrame
    truth: pd.DataFrame
    trajectories: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)


def _stacked(scenario: Scenario, plan: Plan, seed: int, replicates: range, patients) -> tuple:
    """An option's own stacked populations (same seeds, its ``[network]`` keys)."""
    worlds = [make_world(scenario, plan.design, seed, r) for r in replicates]
    stacked, _ = stack_populations([w.population for w in worlds])
    for name in ("age", "female", "stage", "practice", "household"):
        if not np.array_equal(getattr(stacked.patients, name), getattr(patients, name)):
            raise RuntimeError(f"option populations must hold the comparator's patients ({name})")
    return stacked


def _trajectory_frame(trace: np.ndarray, worlds: list[World], option: str) -> pd.DataFrame:
    """Weekly population means (weeks + 1, outcomes, replicates) as a tidy table."""
    weeks, outcomes, k = trace.shape
    w, o, r = np.meshgrid(np.arange(weeks), np.arange(outcomes), np.arange(k), indexing="ij")
    return pd.DataFrame(
        {
            "replicate": np.array([x.replicate for x in worlds])[r.ravel()],
            "option": option,
            "week": w.ravel(),
            "outcome": np.asarray(TRAJECTORY_OUTCOMES)[o.ravel()],
            "value": trace.ravel(),
        }
    )


def _analyse_option(
    columns: Columns, worlds: list[World], offsets: np.ndarray, design: TrialDesign
) -> tuple[list[dict], pd.DataFrame]:
    """Each replicate trial's estimates, and the batch's true effects, of one option."""
    rows = []
    for k, world in enumerate(worlds):
        lo, hi = offsets[k], offsets[k + 1]
        data = trial_data(
            {name: values[lo:hi] for name, values in columns.items()}, world.allocation, design
        )
        rows += [
            {"replicate": world.replicate, **row}
            for row in analyse(
                data, design.alpha, subgroups=False, adjustment=design.practice_adjustment
            )
        ]
    everyone = potential_outcomes(columns, design.outcome_week)
    truth = pd.DataFrame(analyse(everyone, design.alpha, subgroups=False))
    return rows, truth[["outcome", "scale", "subgroup", "level", "estimate"]]


@dataclass
class _Batch:
    """One batch's replicate worlds stacked into one population, and what every run shares."""

    worlds: list[World]
    stacked: Population
    offsets: np.ndarray
    z_bp: np.ndarray
    seed: int
    starts: dict = field(default_factory=dict)

    @classmethod
    def build(cls, plan: Plan, seed: int, batch: int, replicates: range) -> _Batch:
        worlds = [make_world(plan.comparator, plan.design, seed, r) for r in replicates]
        stacked, offsets = stack_populations([w.population for w in worlds])
        z_bp = np.concatenate([w.allocation.z_bp for w in worlds])
        return cls(worlds, stacked, offsets, z_bp, batch_seed(seed, batch))

    def run(self, scenario: Scenario, population: Population, treated: bool, weeks: int):
        """One condition on the batch: no one (usual care) or everyone given the option."""
        n = self.stacked.n_patients
        group = np.repeat(np.arange(len(self.worlds)), np.diff(self.offsets))
        arm = np.full(n, treated, bool)
        start = self.start(scenario, population)
        return run_condition(
            scenario, population, self.seed, start, arm, weeks, self.z_bp, group, len(self.worlds)
        )

    def start(self, scenario: Scenario, population: Population) -> Start:
        """The state at recruitment after the warm-up of ``scenario`` on ``population``.

        As ``sim trial`` of that scenario warms it up; computed once for every scenario with the
        same population and the same mechanism and warm-up settings (the options that change
        only interventions share the comparator's warm-up).
        """
        settings = (scenario["run.warmup_weeks"], *sorted(scenario.section("mechanisms").items()))
        key = (id(population), repr(settings))
        if key not in self.starts:
            self.starts[key] = recruitment_start(scenario, population, self.seed)
        return self.starts[key]

    def shared_columns(self, usual: Columns) -> Columns:
        """Ids, subgroups, baseline and usual-care outcomes: the same for every option."""
        sizes = np.diff(self.offsets)
        return {
            "replicate": np.repeat([w.replicate for w in self.worlds], sizes),
            "patient": np.arange(self.stacked.n_patients) - np.repeat(self.offsets[:-1], sizes),
            "practice": self.stacked.patients.practice.astype(np.int64),
            **covariates(self.stacked),
            **{name: usual[name] for name in BASELINE},
            **{f"{name}_usual": usual[name] for name in OUTCOME_COLUMNS},
        }


def simulate_batch(
    plan: Plan, seed: int, batch: int, replicates: range
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Simulate and analyse one batch of replicate trials for every option.

    Returns:
        Estimates, truth, trajectories (see :class:`ComparisonRun`) and timings.
    """
    started = time.perf_counter()
    weeks = plan.design.outcome_week
    b = _Batch.build(plan, seed, batch, replicates)
    usual = b.run(plan.comparator, b.stacked, False, weeks)
    shared = b.shared_columns(usual)
    trajectories = [_trajectory_frame(usual["trajectory"], b.worlds, COMPARATOR_LABEL)]
    estimates, truths = [], []
    seconds = {"simulate": time.perf_counter() - started, "analyse": 0.0}
    for label, scenario, same in plan.options:
        began = time.perf_counter()
        own = b.stacked if same else _stacked(scenario, plan, seed, replicates, b.stacked.patients)
        treated = b.run(scenario, own, True, weeks)
        simulated = time.perf_counter()
        columns = {**shared, **{f"{name}_intervention": treated[name] for name in OUTCOME_COLUMNS}}
        rows, truth = _analyse_option(columns, b.worlds, b.offsets, plan.design)
        estimates += [{"replicate": row["replicate"], "option": label, **row} for row in rows]
        truths.append(truth.assign(batch=batch, option=label, n_patients=b.stacked.n_patients))
        trajectories.append(_trajectory_frame(treated["trajectory"], b.worlds, label))
        seconds["simulate"] += simulated - began
        seconds["analyse"] += time.perf_counter() - simulated
    return (
        pd.DataFrame(estimates),
        pd.concat(truths, ignore_index=True),
        pd.concat(trajectories, ignore_index=True),
        seconds,
    )


def _job(args: tuple) -> tuple:
    plan, seed, batch, replicates, member = args
    tables = simulate_batch(plan, seed, batch, replicates)
    if member is None:
        return tables
    tagged = [t.assign(member=member) for t in tables[:3]]
    return (*(t[["member", *t.columns[:-1]]] for t in tagged), tables[3])


def member_comparison(comparison: Comparison, ensemble: Ensemble, m: int) -> Comparison:
    """The comparison with member ``m``'s values in the comparator and in every option."""
    return replace(
        comparison,
        comparator=member_scenario(comparison.comparator, ensemble, m),
        options=tuple(
            replace(o, scenario=member_scenario(o.scenario, ensemble, m))
            for o in comparison.options
        ),
    )


def run_comparison(
    comparison: Comparison,
    *,
    replicates: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    ensemble: Ensemble | None = None,
) -> ComparisonRun:
    """Run every option of a comparison over replicate trials.

    Args:
        comparison: A checked comparison.
        replicates: Replicate trials (default: the comparison's).
        workers: Worker processes (default: every core); results do not depend on it.
        seed: Root seed (default: the comparison's).
        progress: Called with (batches done, batches in all) after each batch.
        ensemble: Run over these calibrated parameter sets, as ``sim trial`` does
            (:mod:`sim.calibration.ensemble_run`): replicate ``r`` runs member ``r mod K`` for
            usual care and every option alike, on replicate ``r``'s own practice population, and
            every table gets a ``member`` column; None for the scenarios' own values.
    """
    plan = Plan.of(comparison)
    n = comparison.replicates if replicates is None else replicates
    seed = comparison.seed if seed is None else seed
    workers = (os.cpu_count() or 1) if workers is None else workers
    size = plan.design.batch_size
    if ensemble is None:
        jobs = [(plan, seed, b, r, None) for b, r in enumerate(batches(n, size))]
    else:
        k = len(ensemble)
        plans = [Plan.of(member_comparison(comparison, ensemble, m)) for m in range(k)]
        jobs = [(plans[m], seed, b, r, m) for m, b, r in member_batches(n, k, size)]
    parts = []
    for done, part in enumerate(ordered_map(_job, jobs, workers, __name__), start=1):
        parts.append(part)
        if progress is not None:
            progress(done, len(jobs))
    tables = [pd.concat([p[k] for p in parts], ignore_index=True) for k in range(3)]
    if ensemble is not None:  # replicate order, as without an ensemble
        tables[0] = tables[0].sort_values("replicate", kind="stable").reset_index(drop=True)
    seconds = {k: sum(p[3][k] for p in parts) for k in ("simulate", "analyse")}
    return ComparisonRun(plan, seed, *tables, seconds)
