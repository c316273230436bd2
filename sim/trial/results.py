"""A virtual trial end to end: run the replicates, summarise them, write the run folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.config.scenario import Scenario
from sim.economics.text import gbp, icer_text, signed_gbp
from sim.io.provenance import provenance
from sim.io.runfolder import run_folder, write_figures, write_json, write_tables
from sim.trial.cost_components import components_table, summarise_components
from sim.trial.preconditions import require_intervention
from sim.trial.published import Comparator, comparator_table, versus_published
from sim.trial.replicates import TrialRun, run_replicates
from sim.trial.summaries import (
    economic_summary,
    economics,
    markdown_table,
    results_table,
    summarise_effects,
)


@dataclass
class TrialResults:
    """Everything a virtual trial reports.

    Attributes:
        run: The raw tables (estimates per replicate, arm summaries, truth per batch).
        summary: One row per outcome and subgroup level over replicate trials.
        table: The results table laid out like a trial paper's (text).
        economics: Per replicate: incremental cost and QALYs, ICER and net benefit.
        cost_effectiveness: Mean incremental cost, QALYs, cost per QALY, true values and the
            share of trials with positive net benefit.
        published: The scenario's own published comparators (:mod:`sim.trial.published`).
        uncertainty: Over an ensemble: per outcome the prediction interval and the parameter
            share of the variance (:func:`sim.calibration.ensemble_run.uncertainty_table`).
    """

    run: TrialRun
    summary: pd.DataFrame
    table: pd.DataFrame
    economics: pd.DataFrame
    cost_effectiveness: dict[str, float]
    published: list[Comparator] = field(default_factory=list)
    uncertainty: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy tables written to ``tables/``."""
        return {
            "results": self.table,
            "summary": self.summary,
            "estimates": self.run.estimates,
            "arms": self.run.arms,
            "truth": self.run.truth,
            "economics": self.economics,
            "trajectories": self.run.trajectories,
            "published": comparator_table(self.published),
            "components": self.run.components,
            "components_summary": self.components_summary(),
        } | ({} if self.uncertainty is None else {"uncertainty": self.uncertainty})

    def components_summary(self) -> pd.DataFrame:
        """Cost by component and EQ-5D dimensions by arm, over replicate trials."""
        return summarise_components(self.run.components)

    def versus_published(self) -> pd.DataFrame:
        """The mean estimate against the scenario's own published comparators (if any)."""
        return versus_published(self.summary, self.published)

    def markdown(self, title: str = "") -> str:
        """A short report: design, results table, targets and economics."""
        d, ce = self.run.design, self.cost_effectiveness
        n = self.run.estimates["replicate"].nunique()
        lines = [
            f"# Virtual trial{': ' + title if title else ''}",
            "",
            f"{n} replicate trials (seed {self.run.seed}); each recruits {d.n_intervention} + "
            f"{d.n_control} patients from {d.n_practices} practices of "
            f"{d.patients_per_practice} patients, randomised at patient level, followed up at "
            f"week {d.outcome_week}. Effects adjusted for baseline (ANCOVA; logistic for BP).",
            "",
            markdown_table(self.table),
            *self._uncertainty_lines(),
            *self._published_lines(),
            "Where the differences come from (unadjusted means per patient followed up; cost "
            "since randomisation):",
            "",
            markdown_table(components_table(self.components_summary())),
            f"Incremental cost {signed_gbp(ce['delta_cost'])}, incremental QALYs "
            f"{ce['delta_qaly']:+.4f}: {icer_text(ce['delta_cost'], ce['delta_qaly'])} (true: "
            f"{icer_text(ce['true_delta_cost'], ce['true_delta_qaly'])}); cost-effective at "
            f"{gbp(ce['willingness_to_pay'])} per QALY in {100 * ce['p_cost_effective']:.0f}% "
            "of trials.",
            "",
        ]
        return "\n".join(lines)

    def _published_lines(self) -> list[str]:
        if not self.published:
            return [
                "Published comparator: none; this scenario names no published result of its "
                "own ([trial.published]), so it is compared with nothing.",
                "",
            ]
        return [
            "Published comparator (each figure labelled used in fitting, or predicted, not used "
            "in fitting):",
            "",
            markdown_table(self.versus_published().round(4).astype(str)),
        ]

    def _uncertainty_lines(self) -> list[str]:
        if self.uncertainty is None:
            return []
        from sim.calibration.ensemble_run import uncertainty_markdown

        return uncertainty_markdown(self.uncertainty)

    def forest(self, title: str = "") -> Figure:
        """The forest plot of the primary outcomes, overall and by subgroup."""
        from sim.plots.forest import plot_forest

        return plot_forest(self.summary, title, self.published)

    def trajectories(self, title: str = "") -> Figure:
        """Each outcome's change since randomisation by arm, week by week, over trials."""
        from sim.plots.trajectories import plot_trajectories

        return plot_trajectories(self.run.trajectories, title, change=True)

    def ce_plane(self, title: str = "") -> Figure:
        """The cost-effectiveness plane: incremental cost against QALYs per replicate trial."""
        from sim.plots.ce_plane import plot_ce_plane

        ce = self.cost_effectiveness
        return plot_ce_plane(
            self.economics,
            ce["willingness_to_pay"],
            true_effect=(ce["true_delta_qaly"], ce["true_delta_cost"]),
            title=title,
        )

    def community_change(self, scenario: Scenario) -> Figure:
        """A patient of replicate 0's intervention arm whose community changed, before and after.

        Args:
            scenario: The scenario the trial ran (as given to :func:`run_trial`).
        """
        from sim.plots.community_change import plot_community_before_after
        from sim.plots.community_map import default_title
        from sim.trial.batch import community_change_example, trial_scenario

        d = self.run.design
        before, after, patient = community_change_example(
            trial_scenario(scenario, d), d, self.run.seed
        )
        name = scenario.title or scenario.name
        return plot_community_before_after(
            before,
            after,
            patient,
            labels=("Week 0, at randomisation", f"Week {d.outcome_week}, at follow-up"),
            title=f"{name}, replicate trial 0, intervention arm. {default_title(before, patient)}",
        )


def summarise(run: TrialRun, published: list[Comparator] | None = None) -> TrialResults:
    """Summarise the replicate trials of a run (over an ensemble if it has a member column)."""
    summary = summarise_effects(run.estimates, run.truth, run.design.alpha)
    per_trial = economics(run.estimates, run.design.willingness_to_pay)
    uncertainty = None
    if "member" in run.estimates:
        from sim.calibration.ensemble_run import uncertainty_table

        uncertainty = uncertainty_table(run.estimates)
    return TrialResults(
        run,
        summary,
        results_table(summary, run.arms, published),
        per_trial,
        economic_summary(per_trial, summary, run.design.willingness_to_pay),
        list(published or []),
        uncertainty,
    )


def run_trial(
    scenario: Scenario,
    *,
    replicates: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    ensemble=None,
) -> TrialResults:
    """Run and summarise a scenario's virtual trial (see :func:`run_replicates`).

    Args:
        scenario: The resolved scenario.
        replicates: Replicate trials (default ``trial.replicates``).
        workers: Worker processes; results do not depend on it.
        seed: Root seed (default ``run.seed``).
        progress: Called with (batches done, batches in all).
        ensemble: Run over these calibrated parameter sets
            (:func:`sim.calibration.ensemble_run.run_ensemble_replicates`); None for one point.

    Raises:
        ScenarioError: if the scenario switches on no intervention (nothing to compare).
    """
    from sim.trial.published import comparators

    require_intervention(scenario, "run_trial")

    published = comparators(scenario)
    options = {"replicates": replicates, "workers": workers, "seed": seed, "progress": progress}
    if ensemble is not None:
        from sim.calibration.ensemble_run import run_ensemble_replicates

        run = run_ensemble_replicates(scenario, ensemble, **options)
    else:
        run = run_replicates(scenario, **options)
    return summarise(run, published)


def write_trial(
    results: TrialResults, scenario: Scenario, out: Path, wall: float, ensemble=None
) -> Path:
    """Write a trial's run folder: scenario, provenance, tables, report and figures.

    Figures (with ``outputs.figures``): ``forest``, ``trajectories`` (change since
    randomisation by arm), ``ce_plane`` (cost-effectiveness plane) and
    ``community_before_after`` (one intervention-arm patient's community at week 0 and at
    follow-up).

    Args:
        results: The trial's results.
        scenario: The resolved scenario.
        out: Output folder; the run goes to ``out/<outputs.folder or name>/<run-id>/`` with
            ``trial`` in the run id's folder name.
        wall: Wall-clock seconds the trial took.
        ensemble: The ensemble the trial ran over, if any: copied into the folder as
            ``ensemble.toml`` and recorded in the provenance.
    """
    from sim.calibration.ensemble_file import copy_ensemble, ensemble_record

    run = results.run
    n = int(run.estimates["replicate"].nunique())
    with run_folder(out, scenario, run.seed) as folder:
        (folder.path / "scenario.toml").write_text(scenario.to_toml(), encoding="utf-8")
        copy_ensemble(ensemble, folder.path)
        write_tables(folder.path, results.tables(), scenario["outputs.formats"])
        (folder.path / "results.md").write_text(
            results.markdown(scenario.title or scenario.name), encoding="utf-8"
        )
        if scenario["outputs.figures"]:
            name = scenario.title or scenario.name
            write_figures(
                folder.path,
                {
                    "forest": lambda: results.forest(name),
                    "trajectories": lambda: results.trajectories(name),
                    "ce_plane": lambda: results.ce_plane(name),
                    "community_before_after": lambda: results.community_change(scenario),
                },
            )
        write_json(
            folder.path / "provenance.json",
            provenance(
                run.seed,
                str(scenario.path) if scenario.path else None,
                kind="trial",
                replicates=n,
                wall_seconds={
                    "total": round(wall, 3),
                    "simulate_per_replicate": round(run.seconds["simulate"] / n, 4),
                    "analyse_per_replicate": round(run.seconds["analyse"] / n, 4),
                },
                cost_effectiveness=results.cost_effectiveness,
                ensemble=ensemble_record(ensemble),
            ),
        )
    assert folder.final is not None
    return folder.final


def timed_trial(scenario: Scenario, **kwargs) -> tuple[TrialResults, float]:
    """Run a trial and return it with its wall-clock seconds."""
    started = time.perf_counter()
    results = run_trial(scenario, **kwargs)
    return results, time.perf_counter() - started
