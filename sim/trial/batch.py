"""Simulate a batch of replicate trials: potential outcomes under usual care and intervention.

Each replicate has its own practice population (built from its own derived seed) and allocation.
A batch of replicates is stacked into one population (:mod:`.stack`), warmed up once under usual
care (:mod:`sim.dynamics.warmup`) and, from that state at recruitment, simulated twice: with the
intervention given to no one ("usual") and to everyone ("intervention"). Both runs share the
population, the warm-up and every random number (common random numbers), so their difference for
a patient is that patient's effect of the intervention, free of chance imbalance.
A trial then observes, for each recruited patient, the outcome of the arm they were randomised to.
With ``trial.shared_world`` a third run gives the intervention only to the randomised arm
("trial"), so that the observed outcomes include any interference between patients who share
groups and professionals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.dynamics.eq5d import DIMENSIONS
from sim.dynamics.health import target_sbp
from sim.dynamics.services import COST_COMPONENTS
from sim.dynamics.warmup import Start
from sim.model import CommunityModel, build_population, recruitment_start
from sim.population import codes
from sim.population.arrays import Population
from sim.streams import generator, replicate_seed, seed_sequence
from sim.trial.design import Allocation, TrialDesign, allocate, bp_controlled
from sim.trial.stack import stack_populations
from sim.trial.trial_outcomes import SUBGROUPS

#: Conditions simulated for every batch (plus "trial" with ``trial.shared_world``).
CONDITIONS = ("usual", "intervention")
#: Cost by component (GBP since recruitment): health service, then intervention delivery.
COST_COLUMNS = (*(f"cost_{c}" for c in COST_COMPONENTS), "cost_intervention")
#: Any problem (level 2 or 3) on each EQ-5D dimension at follow-up.
DIMENSION_COLUMNS = tuple(f"eq5d_{d}" for d in DIMENSIONS)
#: The same at recruitment (target T10).
BASELINE_DIMENSIONS = tuple(f"eq5d_{d}_0" for d in DIMENSIONS)
#: Per-patient outcomes kept for each condition at the follow-up week.
OUTCOME_COLUMNS = (
    "alive",
    "eq5d",
    "heiq",
    "controlled",
    "cost",
    *COST_COLUMNS,
    *DIMENSION_COLUMNS,
)
#: Outcomes whose weekly arm means are recorded (:data:`sim.trial.trial_outcomes.OUTCOMES`).
TRAJECTORY_OUTCOMES = ("eq5d", "bp_controlled", "heiq", "cost")
#: Arm labels of the trajectories (as in the ``arms`` table), by arm code.
ARM_LABELS = ("usual care", "intervention")


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


def _group_means(
    model: CommunityModel, group: np.ndarray, n_groups: int, z_bp: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """Mean of each trajectory outcome over the living patients of each group, shape (4, groups).

    Outcomes as the trial measures them, without questionnaire error or loss to follow-up: true
    EQ-5D and heiQ, BP controlled at a research reading (the follow-up reading's error), and the
    cost since week 0 (health service and intervention).
    """
    pt = model.dynamics.patients
    alive = pt.alive.astype(float)
    n = np.bincount(group, weights=alive, minlength=n_groups)
    sd = model.config["mechanisms.health.measurement_sd"]
    values = (
        pt.utility,
        bp_controlled(pt.sbp, z_bp, sd, target),
        pt.heiq,
        pt.cost + model.interventions.cost(),
    )
    sums = np.stack([np.bincount(group, weights=alive * v, minlength=n_groups) for v in values])
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / n


def run_condition(
    scenario: Scenario,
    population: Population,
    seed: int,
    start: Start,
    arm: np.ndarray,
    weeks: int,
    z_bp: np.ndarray,
    group: np.ndarray | None = None,
    n_groups: int = 0,
) -> Columns:
    """Run one condition from the shared start; baseline (suffix _0) and follow-up outcomes.

    With ``group`` (a group code per patient, ``0 <= group < n_groups``) it also returns
    ``"trajectory"``: the weekly means of :data:`TRAJECTORY_OUTCOMES` over the living patients of
    each group, shape (weeks + 1, outcomes, groups), week 0 first.
    """
    model = CommunityModel(
        scenario,
        seed=seed,
        population=population,
        arm=arm,
        agents=False,
        measures=False,
        start=start,
    )
    target = target_sbp(model.weekly.p, population.patients.proteinuria)
    trace = []
    if group is not None:
        trace.append(_group_means(model, group, n_groups, z_bp, target))
    for _ in range(weeks):
        model.step()
        if group is not None:
            trace.append(_group_means(model, group, n_groups, z_bp, target))
    start_record, end = model.patient_records[0], model.patient_records[-1]
    p = model.config
    weekly_cost = p["mechanisms.services.cost_contact"] * start_record["contacts"].to_numpy() + p[
        "mechanisms.services.cost_medicine"
    ] * (start_record["medicines"].to_numpy() * start_record["persisting"].to_numpy())
    sd = p["mechanisms.health.measurement_sd"]
    delivery = model.interventions.cost()
    return {
        "eq5d_0": start_record["utility"].to_numpy(),
        "heiq_0": start_record["heiq"].to_numpy(),
        "controlled_0": start_record["controlled"].to_numpy(bool),
        "cost_0": weekly_cost * weeks,
        **{f"eq5d_{d}_0": start_record[f"eq5d_{d}"].to_numpy() > 1 for d in DIMENSIONS},
        "alive": end["alive"].to_numpy(bool),
        "eq5d": end["utility"].to_numpy(),
        "heiq": end["heiq"].to_numpy(),
        "controlled": bp_controlled(end["sbp"].to_numpy(), z_bp, sd, target),
        "cost": end["cost"].to_numpy() + delivery,
        **{f"cost_{c}": end[f"cost_{c}"].to_numpy() for c in COST_COMPONENTS},
        "cost_intervention": delivery,
        **{f"eq5d_{d}": end[f"eq5d_{d}"].to_numpy() > 1 for d in DIMENSIONS},
        **({"trajectory": np.stack(trace)} if trace else {}),
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
        trajectories: Weekly arm means of each replicate trial (:func:`trajectories`).
    """

    columns: Columns
    offsets: np.ndarray
    worlds: list[World]
    trajectories: pd.DataFrame = field(default_factory=pd.DataFrame)

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
    group = arm_groups(worlds, n)
    n_groups = 2 * len(worlds) + 1
    start = recruitment_start(scenario, stacked, own)
    runs = {
        c: run_condition(
            scenario, stacked, own, start, a, design.outcome_week, z_bp, group, n_groups
        )
        for c, a in arms.items()
    }
    sizes = np.diff(offsets)
    columns: Columns = {
        "replicate": np.repeat([w.replicate for w in worlds], sizes),
        "patient": np.arange(n) - np.repeat(offsets[:-1], sizes),
        "practice": stacked.patients.practice.astype(np.int64),
        **covariates(stacked),
    }
    for name in ("eq5d_0", "heiq_0", "controlled_0", "cost_0", *BASELINE_DIMENSIONS):
        columns[name] = runs["usual"][name]
    for condition, run in runs.items():
        for name in OUTCOME_COLUMNS:
            columns[f"{name}_{condition}"] = run[name]
    return Batch(columns, offsets, worlds, trajectories(runs, worlds, design.shared_world))


def arm_groups(worlds: list[World], n_patients: int) -> np.ndarray:
    """The trajectory group of each patient of a stacked batch.

    ``2 k + arm`` if recruited by replicate ``k`` of the batch (arm 1 intervention, 0 usual
    care), else ``2 len(worlds)`` (in no trial).
    """
    group = np.full(n_patients, 2 * len(worlds), np.int64)
    start = 0
    for k, w in enumerate(worlds):
        group[start + w.allocation.recruited] = 2 * k + w.allocation.arm
        start += w.population.n_patients
    return group


def trajectories(runs: dict[str, Columns], worlds: list[World], shared_world: bool) -> pd.DataFrame:
    """Weekly means of each arm of each replicate trial, as a tidy table.

    Each arm is followed in the condition in which its patients are observed: the usual-care arm
    in the run with no one treated and the intervention arm in the run with everyone treated (or
    both arms in the "trial" run, with ``trial.shared_world``). Means are over the arm's
    recruited patients alive that week, true values (no questionnaire error, no loss to
    follow-up).

    Returns:
        Columns ``replicate, arm, week, outcome, value`` (arm "usual care" or "intervention";
        outcome one of :data:`TRAJECTORY_OUTCOMES`).
    """
    sources = ("trial", "trial") if shared_world else ("usual", "intervention")
    k = len(worlds)
    parts = []
    for code, source in enumerate(sources):
        means = runs[source]["trajectory"][:, :, code : 2 * k : 2]  # (weeks, outcomes, k)
        weeks, outcomes, _ = means.shape
        w, o, r = np.meshgrid(np.arange(weeks), np.arange(outcomes), np.arange(k), indexing="ij")
        parts.append(
            pd.DataFrame(
                {
                    "replicate": np.array([x.replicate for x in worlds])[r.ravel()],
                    "arm": ARM_LABELS[code],
                    "week": w.ravel(),
                    "outcome": np.asarray(TRAJECTORY_OUTCOMES)[o.ravel()],
                    "value": means.ravel(),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["replicate", "arm", "outcome", "week"], kind="stable").reset_index(
        drop=True
    )


def community_change_example(
    scenario: Scenario, design: TrialDesign, seed: int, replicate: int = 0
) -> tuple[Population, Population, int]:
    """A patient of the intervention arm whose personal community changed, before and after.

    Re-runs replicate ``replicate``'s practice population alone, with the intervention given to
    its randomised intervention arm, from the seed of batch 0 (with ``trial.batch_size`` 1 this is
    that replicate's own run; otherwise an illustrative run of the same practice and allocation).

    Args:
        scenario: The trial scenario (:func:`trial_scenario`).
        design: The trial design.
        seed: The trial's root seed.
        replicate: The replicate whose practice to draw from.

    Returns:
        The population at week 0 (recruitment, after the warm-up), at the follow-up week, and
        the chosen patient
        (:func:`sim.plots.community_change.most_changed_patient` among the intervention arm's
        patients alive at follow-up).
    """
    from sim.plots.community_change import current_population, most_changed_patient

    world = make_world(scenario, design, seed, replicate)
    n = world.population.n_patients
    arm = world.allocation.intervention_mask(n)
    model = CommunityModel(
        scenario,
        seed=batch_seed(seed, 0),
        population=world.population,
        arm=arm,
        agents=False,
        measures=False,
    )
    before = current_population(model)
    model.run(design.outcome_week)
    after = current_population(model)
    candidates = np.flatnonzero(arm & model.dynamics.patients.alive[:n])
    if len(candidates) == 0:  # no one alive in the arm: draw any patient rather than fail
        candidates = np.arange(n)
    return before, after, most_changed_patient(before, after, candidates)
