"""The ``"trial"`` sweep task: replicate BRIGHT-style virtual trials per run.

See :class:`TrialTask` for what a run computes and :data:`TRIAL_OUTCOMES` for its outcomes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.config.scenario import Scenario, ScenarioError
from sim.dynamics.eq5d import DIMENSION_LABELS, DIMENSIONS
from sim.sweeps.task_base import SweepTask, TaskOutput, TaskSetup, Where, check_names

#: Outcomes of the trial task: name -> description with unit (see :class:`TrialTask`).
TRIAL_OUTCOMES: dict[str, str] = {
    "eq5d_effect": "adjusted difference in EQ-5D utility at follow-up (utility points)",
    "eq5d_significant": "share of replicate trials whose EQ-5D effect has p < trial.alpha (0-1)",
    "bp_controlled_log_or": "log odds ratio of BP control at follow-up (natural log)",
    "bp_controlled_significant": "share of replicate trials whose BP OR has p < alpha (0-1)",
    "heiq_effect": "adjusted difference in heiQ positive and active engagement (score 1-4)",
    "cost_effect": "adjusted difference in cost, health service and intervention (GBP)",
    "qaly_effect": "adjusted difference in QALYs (area under the EQ-5D curve, QALY)",
    "eq5d_true": "true population effect on EQ-5D utility (utility points)",
    "bp_controlled_true_log_or": "true population log odds ratio of BP control (natural log)",
    "heiq_true": "true population effect on heiQ (score 1-4)",
    "cost_true": "true population effect on cost (GBP)",
    "qaly_true": "true population effect on QALYs (QALY)",
    "baseline_eq5d": "mean EQ-5D utility at baseline (utility)",
    "baseline_heiq": "mean heiQ score at baseline (score 1-4)",
    **{
        f"baseline_{d}": f"share of patients with any problem with {label} at baseline "
        "(0-1; target T10)"
        for d, label in zip(DIMENSIONS, DIMENSION_LABELS, strict=True)
    },
    "baseline_bp_controlled": "share of patients with BP controlled at baseline (0-1)",
    "baseline_bp_controlled_hypertensive": "share of patients with hypertension with BP "
    "controlled at baseline (0-1)",
    "network_size": "mean contributing network members per patient (members)",
    "weak_tie_share": "weak ties (acquaintances and groups), % of members",
    "professional_share": "primary-care professionals, % of members",
    "group_participation": "patients in at least one community group, % of patients",
    "participation_effect": "utility gain of starting community participation, mean over 26 "
    "weeks, usual care, replicate 0's practice population (utility points; target T7)",
    "persistence_52": "share of patients taking antihypertensives at recruitment still taking "
    "them 52 weeks later with no review, usual care (0-1; target T11)",
}
#: Trial outcome -> (analysis outcome, statistic): the estimate's mean or the share significant.
_ESTIMATED = {
    "eq5d_effect": ("eq5d", "estimate"),
    "eq5d_significant": ("eq5d", "significant"),
    "bp_controlled_log_or": ("bp_controlled", "estimate"),
    "bp_controlled_significant": ("bp_controlled", "significant"),
    "heiq_effect": ("heiq", "estimate"),
    "cost_effect": ("cost", "estimate"),
    "qaly_effect": ("qaly", "estimate"),
}
_TRUE = {
    "eq5d_true": "eq5d",
    "bp_controlled_true_log_or": "bp_controlled",
    "heiq_true": "heiq",
    "cost_true": "cost",
    "qaly_true": "qaly",
}
#: Trial outcome -> statistic of :func:`sim.population.netstats.network_statistics`.
_NETWORK = {
    "network_size": "mean_network_size",
    "weak_tie_share": "weak_tie_share",
    "professional_share": "professional_share",
    "group_participation": "group_participation",
}


def _effect(row: Mapping[str, Any]) -> float:
    """An analysis row's effect on an additive scale: differences as is, odds ratios logged."""
    value = float(row["estimate"])
    if row["scale"] == "odds ratio":
        return math.log(value) if value > 0 else float("nan")
    return value


def _mean(values: list[float]) -> float:
    """Mean over the replicates with a value (NaN when none has one)."""
    finite = [v for v in values if not math.isnan(v)]
    return math.fsum(finite) / len(finite) if finite else float("nan")


class TrialTask(SweepTask):
    """Replicate BRIGHT-style trials of the run's scenario against usual care.

    Each run simulates ``[trial] replicates_per_run`` replicate trials (default 1) as one batch of
    :func:`sim.trial.batch.simulate_batch` from the run's seed: replicate ``r`` builds its own
    practice population and randomisation from the run seed, and usual care and the scenario's
    interventions share every random number (common random numbers). Each replicate is analysed
    as BRIGHT was (:func:`sim.trial.analysis.analyse`, overall effects; no subgroups), and the
    batch's whole population, everyone treated against no one, gives the true effects (as the
    ``truth`` table of :func:`sim.trial.run_replicates`). The design, follow-up and population
    come from the scenario's ``[trial]`` and ``[population]`` keys (vary or fix them like any
    other parameter). Run with ``common_random_numbers = true`` so that every design point
    simulates the same practice populations.

    Outcomes (``[outcomes] names``, default all), means over the run's replicates:

    ``eq5d_effect``, ``heiq_effect``, ``cost_effect``, ``qaly_effect``
        adjusted difference in means at follow-up (ANCOVA), in utility points, heiQ score
        points (1-4 scale), GBP and QALYs.
    ``bp_controlled_log_or``
        natural log of the adjusted odds ratio of BP control (replicates whose logistic fit
        does not converge are left out of the mean; NaN if none converges).
    ``eq5d_significant``, ``bp_controlled_significant``
        share (0-1) of the replicates whose effect has p < ``trial.alpha``: the trial's power.
    ``eq5d_true``, ``bp_controlled_true_log_or``, ``heiq_true``, ``cost_true``, ``qaly_true``
        the true population effects, same units (log odds ratio for BP control).
    ``baseline_eq5d``, ``baseline_heiq``
        mean true EQ-5D utility and heiQ score at baseline over every patient of the practice
        populations (not only those recruited).
    ``baseline_mobility``, ``baseline_self_care``, ``baseline_usual_activities``,
    ``baseline_pain_discomfort``, ``baseline_anxiety_depression``
        share (0-1) of every patient of the practice populations with any problem (level 2 or
        3) on that EQ-5D dimension at baseline (target T10).
    ``baseline_bp_controlled``, ``baseline_bp_controlled_hypertensive``
        share (0-1) of those patients, and of those with hypertension (target T5 is measured
        so), with BP controlled at baseline.
    ``network_size``
        mean contributing network members per patient, as built (baseline).
    ``weak_tie_share``, ``professional_share``
        weak ties (acquaintances and groups) and primary-care professionals, in % of members.
    ``group_participation``
        % of patients in at least one community group.
    ``participation_effect``
        target T7, measured as :func:`sim.calibration.participation.participation_effect` does
        on usual care (the scenario with every intervention off) from the run's seed; computed
        only when asked for (it runs two more models).
    ``persistence_52``
        target T11, measured as :func:`sim.calibration.clinical.persistence_without_reviews`
        does (reviews stopped from recruitment) on the same usual care from the run's seed;
        computed only when asked for (it runs one more model for 52 weeks).

    The network statistics are those of :func:`sim.population.netstats.network_statistics`
    (targets T2-T4), averaged over the replicates' practice populations.
    """

    name = "trial"
    summary = "replicate BRIGHT-style trials against usual care; effects and baseline statistics"
    section = "trial"
    uses_weeks = False
    preload = ("sim.trial.batch", "sim.trial.analysis", "sim.trial.data", "sim.population.netstats")
    OPTIONS = ("replicates_per_run",)

    def check_options(self, where: Where, table: Any) -> dict[str, Any]:
        """``replicates_per_run``: replicate trials per run (default 1)."""
        from sim.sweeps.checks import check_int, check_table

        check_table(where, "trial.", table, self.OPTIONS)
        n = check_int(
            where, "trial.replicates_per_run", table.get("replicates_per_run", 1), 1, 100_000
        )
        return {"replicates_per_run": n}

    def check_outcomes(self, where: Where, table: Any, weeks: int) -> dict[str, Any]:
        """``names``: the outcomes to keep (default: all of :data:`TRIAL_OUTCOMES`)."""
        from sim.sweeps.checks import check_table

        allowed = tuple(TRIAL_OUTCOMES)
        if isinstance(table, dict) and any(k in table for k in ("measures", "weeks")):
            wrong = next(k for k in ("measures", "weeks") if k in table)
            raise ScenarioError(
                where,
                f"outcomes.{wrong}",
                f"outcomes.{wrong} is for task 'model'; task 'trial' keeps trial outcomes: "
                f"set outcomes.names to some of {', '.join(allowed)}",
            )
        check_table(where, "outcomes.", table, ("names",))
        names = check_names(
            where, "outcomes.names", table.get("names", list(allowed)), allowed, "trial outcomes"
        )
        return {"names": list(names)}

    def columns(self, outcomes: Mapping[str, Any]) -> tuple[str, ...]:
        """The names kept."""
        return tuple(outcomes["names"])

    def check_base(self, where: Where, scenario: Scenario, options: Mapping[str, Any]) -> None:
        """The trial design must fit the base scenario (synthetic population, enough patients)."""
        from sim.trial.design import TrialDesign

        try:
            TrialDesign.of(scenario)
        except ScenarioError as exc:
            raise ScenarioError(
                where, exc.key, f"{exc.message} (task 'trial', base scenario {exc.file})"
            ) from None

    def run(self, scenario: Scenario, seed: int, setup: TaskSetup) -> TaskOutput:
        """Simulate and analyse the run's replicate trials; return the means over them."""
        from sim.population.netstats import network_statistics
        from sim.trial.analysis import analyse
        from sim.trial.batch import simulate_batch, trial_scenario
        from sim.trial.data import potential_outcomes, trial_data
        from sim.trial.design import TrialDesign

        design = TrialDesign.of(scenario)
        n = int(setup.options["replicates_per_run"])
        batch = simulate_batch(trial_scenario(scenario, design), design, seed, 0, range(n))
        wanted = set(setup.columns)
        values: dict[str, float] = {}
        if wanted & set(_ESTIMATED):
            per: dict[str, list[float]] = {name: [] for name in _ESTIMATED}
            for k, world in enumerate(batch.worlds):
                data = trial_data(batch.world(k), world.allocation, design)
                analysed = analyse(
                    data, design.alpha, subgroups=False, adjustment=design.practice_adjustment
                )
                rows = {r["outcome"]: r for r in analysed}
                for name, (outcome, statistic) in _ESTIMATED.items():
                    row = rows[outcome]
                    if statistic == "estimate":
                        per[name].append(_effect(row))
                    else:
                        p = float(row["p_value"])
                        per[name].append(float("nan") if math.isnan(p) else float(p < design.alpha))
            values |= {name: _mean(v) for name, v in per.items()}
        if wanted & set(_TRUE):
            everyone = potential_outcomes(batch.columns, design.outcome_week)
            rows = {r["outcome"]: r for r in analyse(everyone, design.alpha, subgroups=False)}
            values |= {name: _effect(rows[outcome]) for name, outcome in _TRUE.items()}
        columns = batch.columns
        values["baseline_eq5d"] = float(np.mean(columns["eq5d_0"]))
        values["baseline_heiq"] = float(np.mean(columns["heiq_0"]))
        for d in DIMENSIONS:
            values[f"baseline_{d}"] = float(np.mean(columns[f"eq5d_{d}_0"]))
        values["baseline_bp_controlled"] = float(np.mean(columns["controlled_0"]))
        hypertensive = np.concatenate([w.population.patients.hypertension for w in batch.worlds])
        values["baseline_bp_controlled_hypertensive"] = float(
            np.mean(columns["controlled_0"][hypertensive])
        )
        if wanted & set(_NETWORK):
            stats = [
                network_statistics(w.population).set_index("statistic")["value"]
                for w in batch.worlds
            ]
            for name, statistic in _NETWORK.items():
                values[name] = _mean([float(s[statistic]) for s in stats])
        if "participation_effect" in wanted:
            values["participation_effect"] = _participation(scenario, design, seed)
        if "persistence_52" in wanted:
            values["persistence_52"] = _persistence(scenario, design, seed)
        return TaskOutput({name: values[name] for name in setup.columns})


def _usual_care(scenario: Scenario, design: Any, target: str) -> Scenario:
    """The scenario with every intervention off, on practices of the trial's size."""
    off = {
        key: False
        for key, value in scenario.values.items()
        if key.startswith("interventions.") and key.endswith(".enabled") and value
    }
    return scenario.with_overrides(
        {**off, "population.patients_per_practice": design.patients_per_practice},
        origin=f"<trial task: {target}>",
    )


def _participation(scenario: Scenario, design: Any, seed: int) -> float:
    """Target T7 on the scenario's usual care, over one practice population of the trial's size."""
    from sim.calibration.participation import participation_effect

    usual = _usual_care(scenario, design, "T7")
    return float(participation_effect(usual, seed, weeks=design.outcome_week).effect)


def _persistence(scenario: Scenario, design: Any, seed: int) -> float:
    """Target T11 on the scenario's usual care, over one practice population of the trial's size."""
    from sim.calibration.clinical import persistence_without_reviews

    return persistence_without_reviews(_usual_care(scenario, design, "T11"), seeds=(seed,))
