"""Run many replicate trials in batches, in parallel, with results independent of worker count.

Replicate ``r`` gets its own seed (:func:`sim.streams.replicate_seed`), practice population and
randomisation; replicates ``b * batch_size .. (b + 1) * batch_size - 1`` are simulated together as
batch ``b`` (:mod:`.batch`). Batches run in worker processes; their tables are put back in
replicate order, so results depend on the seed and the batch size, never on the number of
workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from sim.config.scenario import Scenario
from sim.parallel import batches, ordered_map
from sim.trial.analysis import analyse, arm_summary
from sim.trial.batch import simulate_batch, trial_scenario
from sim.trial.cost_components import component_rows
from sim.trial.data import potential_outcomes, trial_data
from sim.trial.design import TrialDesign


@dataclass
class TrialRun:
    """The raw tables of a virtual trial.

    Attributes:
        design: The trial design.
        seed: The root seed.
        estimates: One row per replicate, outcome and subgroup level (:func:`analyse`).
        arms: One row per replicate, outcome and arm (:func:`arm_summary`).
        truth: One row per batch, outcome and subgroup level: the effect in the whole
            population of the batch, everyone treated against no one (estimate column only).
        seconds: Wall-clock seconds spent simulating and analysing, summed over batches.
        trajectories: Weekly means per replicate, arm and outcome
            (:func:`sim.trial.batch.trajectories`).
        components: One row per replicate and component: cost by component and the share with
            any problem on each EQ-5D dimension, per arm (:func:`component_rows`).
    """

    design: TrialDesign
    seed: int
    estimates: pd.DataFrame
    arms: pd.DataFrame
    truth: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)
    trajectories: pd.DataFrame = field(default_factory=pd.DataFrame)
    components: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_batch(
    scenario: Scenario, design: TrialDesign, seed: int, batch: int, replicates: range
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, float], pd.DataFrame, pd.DataFrame]:
    """Simulate and analyse one batch.

    Returns:
        Estimates, arm summaries, truth, timings, weekly arm means (trajectories) and components
        by arm.
    """
    started = time.perf_counter()
    simulated_batch = simulate_batch(scenario, design, seed, batch, replicates)
    simulated = time.perf_counter()
    estimates, arms, components = [], [], []
    for k, world in enumerate(simulated_batch.worlds):
        data = trial_data(simulated_batch.world(k), world.allocation, design)
        tag = {"replicate": world.replicate}
        rows = analyse(data, design.alpha, adjustment=design.practice_adjustment)
        estimates += [{**tag, **row} for row in rows]
        arms += [{**tag, **row} for row in arm_summary(data)]
        components += [{**tag, **row} for row in component_rows(data)]
    everyone = potential_outcomes(simulated_batch.columns, design.outcome_week)
    truth = pd.DataFrame(analyse(everyone, design.alpha))
    truth = truth[["outcome", "scale", "subgroup", "level", "estimate"]].assign(
        batch=batch, n_patients=len(simulated_batch.columns["patient"])
    )
    seconds = {
        "simulate": simulated - started,
        "analyse": time.perf_counter() - simulated,
    }
    return (
        pd.DataFrame(estimates),
        pd.DataFrame(arms),
        truth,
        seconds,
        simulated_batch.trajectories,
        pd.DataFrame(components),
    )


def _job(args: tuple) -> tuple:
    scenario, design, seed, batch, replicates = args
    return run_batch(scenario, design, seed, batch, replicates)


def run_replicates(
    scenario: Scenario,
    *,
    replicates: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrialRun:
    """Run a scenario's virtual trial.

    Args:
        scenario: A resolved scenario (its ``[trial]`` keys give the design).
        replicates: Replicate trials (default ``trial.replicates``).
        workers: Worker processes (default: every core); results do not depend on it.
        seed: Root seed (default ``run.seed``).
        progress: Called with (batches done, batches in all) after each batch.

    Raises:
        ScenarioError: if the ``[trial]`` keys contradict each other.
    """
    design = TrialDesign.of(scenario)
    n = design.replicates if replicates is None else replicates
    seed = scenario["run.seed"] if seed is None else seed
    workers = (os.cpu_count() or 1) if workers is None else workers
    packed = trial_scenario(scenario, design)
    parts_of = batches(n, design.batch_size)
    jobs = ((packed, design, seed, b, r) for b, r in enumerate(parts_of))  # taken lazily
    parts: list[tuple] = []
    for done, result in enumerate(ordered_map(_job, jobs, workers, __name__), start=1):
        parts.append(result)
        if progress is not None:
            progress(done, len(parts_of))
    seconds = {k: sum(p[3][k] for p in parts) for k in ("simulate", "analyse")}
    return TrialRun(
        design,
        seed,
        pd.concat([p[0] for p in parts], ignore_index=True),
        pd.concat([p[1] for p in parts], ignore_index=True),
        pd.concat([p[2] for p in parts], ignore_index=True),
        seconds,
        pd.concat([p[4] for p in parts], ignore_index=True),
        pd.concat([p[5] for p in parts], ignore_index=True),
    )
