"""Simulate a batch of replicate trials: potential outcomes under usual care and intervention.

Each replicate has its own practice population (built from its own derived seed) and allocation.
A batch of replicates is stacked into one population (:mod:`.stack`) and simulated twice from one
seed: with the intervention given to no one ("usual") and to everyone ("intervention"). Both runs
share the population, the baseline and every random number (common random numbers), so their
difference for a patient is that patient's effect of the intervention, free of chance imbalance.
A trial then observes, for each recruited patient, the outcome of the arm they were randomised to.
With ``trial.shared_world`` a third run gives the intervention only to the randomised arm
("trial"), so that the observed outcomes include any interference between patients who share
groups and professionals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import codes
from sim.dynamics.health import target_sbp
from sim.model import CommunityModel, build_population
from sim.scenario import Scenario
from sim.state import Population
from sim.streams import generator, replicate_seed, seed_sequence
from sim.trial.design import Allocation, TrialDesign, allocate, bp_controlled
from sim.trial.outcomes import SUBGROUPS
from sim.trial.stack import stack_populations

#: Conditions simulated for every batch (plus "trial" with ``trial.shared_world``).
CONDITIONS = ("usual", "intervention")
#: Per-patient outcomes kept for each condition at the follow-up week.
OUTCOME_COLUMNS = ("alive", "eq5d", "heiq", "controlled", "cost")


def trial_scenario(scenario: Scenario, design: TrialDesign) -> Scenario:
    """The scenario as each replicate trial runs it (its practice size, length and snapshots)."""
    return scenario.with_overrides(
        {
            "population.patients_per_practice": design.patients_per_practice,
            "run.weeks": design.outcome_week,
            "outputs.patient_weeks": [0, design.outcome_week],
        },
        origin="<trial>",
    )


def batch_seed(seed: int, batch: int) -> int:
    """Root seed of the mechanisms' streams in batch ``batch``."""
    return int(seed_sequence(seed, "trial batch", batch).generate_state(1, np.uint64)[0] >> 1)


@dataclass
class World:
    """One replicate trial's practice population and allocation."""

    replicate: int
    seed: int
    population: Population
    allocation: Allocation


def make_world(scenario: Scenario, design: TrialDesign, seed: int, replicate: int) -> World:
    """Build replicate ``replicate``'s practice population and allocation from its own seed."""
    own = replicate_seed(seed, replicate)
    population = build_population(scenario, own)
    allocation = allocate(design, population.n_patients, generator(own, "trial"))
    return World(replicate, own, population, allocation)


Columns = dict[str, np.ndarray]


def _run(
    scenario: Scenario,
    population: Population,
    seed: int,
    arm: np.ndarray,
    weeks: int,
    z_bp: np.ndarray,
) -> Columns:
    """Run one condition; return baseline (suffix _0) and follow-up outcomes per patient."""
    model = CommunityModel(
        scenario, seed=seed, population=population, arm=arm, agents=False, measures=False
    )
    model.run(weeks)
    start, end = model.patient_records[0], model.patient_records[-1]
    p = model.config
    target = target_sbp(model.weekly.p, population.patients.proteinuria)
    weekly_cost = (
        p["mechanisms.outcomes.cost_contact"] * start["contacts"].to_numpy()
        + p["mechanisms.outcomes.cost_medicine"] * start["medicines"].to_numpy()
    )
    sd = p["mechanisms.health.measurement_sd"]
    return {
        "eq5d_0": start["utility"].to_numpy(),
        "heiq_0": start["heiq"].to_numpy(),
        "controlled_0": start["controlled"].to_numpy(bool),
        "cost_0": weekly_cost * weeks,
        "alive": end["alive"].to_numpy(bool),
        "eq5d": end["utility"].to_numpy(),
        "heiq": end["heiq"].to_numpy(),
        "controlled": bp_controlled(end["sbp"].to_numpy(), z_bp, sd, target),
        "cost": end["cost"].to_numpy() + model.interventions.cost(),
    }


def covariates(population: Population) -> Columns:
    """Subgroup variables of every patient at baseline (network type as its code)."""
    pt = population.patients
    columns = {
        "network_type": pt.network_type.astype(np.int64),
        "lives_alone": pt.household == codes.ALONE,
        "age_75_plus": pt.age >= 75.0,
        "no_qualifications": pt.education == codes.EDUCATION.index("none"),
    }
    return {name: columns[name] for name in SUBGROUPS}


@dataclass
class Batch:
    """The simulated batch.

    Attributes:
        columns: One array per column, one row per patient of every practice population:
            ``replicate``, ``patient`` (index in its practice population), subgroup variables,
            baseline values (``*_0``) and each condition's outcomes (``<outcome>_<condition>``).
        offsets: Replicate ``k`` of the batch holds rows ``offsets[k]:offsets[k + 1]``.
        worlds: The batch's replicate populations and allocations.
    """

    columns: Columns
    offsets: np.ndarray
    worlds: list[World]

    def world(self, k: int) -> Columns:
        """The rows of the batch's ``k``-th replicate."""
        lo, hi = self.offsets[k], self.offsets[k + 1]
        return {name: values[lo:hi] for name, values in self.columns.items()}


def simulate_batch(
    scenario: Scenario, design: TrialDesign, seed: int, batch: int, replicates: range
) -> Batch:
    """Simulate the replicate trials of one batch.

    Args:
        scenario: The trial scenario (:func:`trial_scenario`).
        design: The trial design.
        seed: The trial's root seed.
        batch: Batch number (names the mechanisms' streams).
        replicates: The replicate numbers in this batch.
    """
    worlds = [make_world(scenario, design, seed, r) for r in replicates]
    stacked, offsets = stack_populations([w.population for w in worlds])
    n = stacked.n_patients
    z_bp = np.concatenate([w.allocation.z_bp for w in worlds])
    arms: dict[str, np.ndarray] = {"usual": np.zeros(n, bool), "intervention": np.ones(n, bool)}
    if design.shared_world:
        arms["trial"] = np.concatenate(
            [w.allocation.intervention_mask(w.population.n_patients) for w in worlds]
        )
    own = batch_seed(seed, batch)
    runs = {c: _run(scenario, stacked, own, a, design.outcome_week, z_bp) for c, a in arms.items()}
    sizes = np.diff(offsets)
    columns: Columns = {
        "replicate": np.repeat([w.replicate for w in worlds], sizes),
        "patient": np.arange(n) - np.repeat(offsets[:-1], sizes),
        **covariates(stacked),
    }
    for name in ("eq5d_0", "heiq_0", "controlled_0", "cost_0"):
        columns[name] = runs["usual"][name]
    for condition, run in runs.items():
        for name in OUTCOME_COLUMNS:
            columns[f"{name}_{condition}"] = run[name]
    return Batch(columns, offsets, worlds)
