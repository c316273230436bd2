"""A comparison end to end: run it, summarise it and write its results folder.

The folder (``OUT/compare/<name>/<run-id>/``, written under a temporary name and renamed when
complete) holds ``comparison.md`` (the league table, frontier and budget impact), the resolved
comparator as ``scenario.toml`` and every option as ``scenarios/<n>.toml``, ``comparison.toml``,
``provenance.json``, the tidy tables (``tables/``: league, frontier, effects, acceptability,
budget, draws, estimates, truth, trajectories), the figures and ``report.html``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import tomli_w
from matplotlib.figure import Figure

from sim.calibration.ensemble_file import Ensemble, copy_ensemble, ensemble_record
from sim.calibration.ensemble_run import uncertainty_table
from sim.compare.simulate import ComparisonRun, run_comparison
from sim.compare.spec import COMPARATOR_LABEL, Comparison
from sim.compare.summary import Economics, draws, economics, effects
from sim.compare.tables import (
    budget_text,
    effects_text,
    markdown_table,
    spread_text,
    uncertainty_text,
    value_text,
)
from sim.economics.text import gbp
from sim.io.provenance import provenance
from sim.io.runfolder import run_folder, write_figures, write_json, write_tables


@dataclass
class ComparisonResults:
    """Everything a comparison reports.

    Attributes:
        comparison: What was compared.
        run: The raw tables.
        effects: Each option's effects summarised over trials.
        economics: League table, frontier, acceptability curves and budget impact.
    """

    comparison: Comparison
    run: ComparisonRun
    effects: pd.DataFrame
    economics: Economics

    @property
    def uncertainty(self) -> pd.DataFrame:
        """Each option's prediction intervals over an ensemble (empty without one).

        Per option and outcome: the mean estimate, its 95% prediction interval and the
        parameters' share of its variance (:func:`sim.calibration.ensemble_run.uncertainty_table`).
        """
        estimates = self.run.estimates
        if "member" not in estimates.columns:
            return pd.DataFrame()
        parts = [
            uncertainty_table(estimates[estimates["option"] == label]).assign(option=label)
            for label in self.comparison.labels[1:]
        ]
        frame = pd.concat(parts, ignore_index=True)
        return frame[["option", *[c for c in frame.columns if c != "option"]]]

    @property
    def replicates(self) -> int:
        """Replicate trials run."""
        return int(self.run.estimates["replicate"].nunique())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy tables written to ``tables/``."""
        e = self.economics
        return {
            "league": e.league,
            "frontier": e.frontier,
            "effects": self.effects,
            "acceptability": e.acceptability,
            "budget": e.budget,
            "draws": draws(self.run),
            "estimates": self.run.estimates,
            "truth": self.run.truth,
            "trajectories": self.run.trajectories,
        } | ({} if self.uncertainty.empty else {"uncertainty": self.uncertainty})

    def markdown(self) -> str:
        """The league table, the efficiency frontier and the budget impact, in Markdown."""
        c, weeks = self.comparison, self.run.plan.design.outcome_week
        frontier = self.economics.frontier[["option", "status", "result"]]
        return "\n".join(
            [
                f"# {c.title}",
                "",
                f"{len(c.options)} options against usual care over {self.replicates} replicate "
                f"trials (seed {self.run.seed}), follow-up at week {weeks}; willingness to pay "
                f"{gbp(c.willingness_to_pay)} per QALY.",
                "",
                "Effects against usual care (mean estimate over trials, average 95% CI):",
                "",
                markdown_table(effects_text(self.economics.league)),
                "Value for money, per patient against usual care (means over trials):",
                "",
                markdown_table(value_text(self.economics.league)),
                "Spread over trials (2.5% to 97.5%):",
                "",
                markdown_table(spread_text(self.economics.league)),
                "Efficiency frontier (cheapest first):",
                "",
                markdown_table(frontier.astype(str)),
                f"Budget impact for {c.population:,} patients (GBP, undiscounted):",
                "",
                markdown_table(budget_text(self.economics.budget, weeks)),
                *self._uncertainty_lines(),
            ]
        )

    def _uncertainty_lines(self) -> list[str]:
        """Over an ensemble: each option's prediction intervals and parameter shares."""
        table = self.uncertainty
        if table.empty:
            return []
        return [
            f"Over the calibrated ensemble ({int(table['members'].max())} parameter sets), "
            "each option's 95% prediction interval (where one new trial's estimate would fall, "
            "given the parameters the targets leave uncertain and chance) and the parameters' "
            "share of its variance:",
            "",
            markdown_table(uncertainty_text(table)),
        ]

    def figures(self) -> dict[str, Callable[[], Figure]]:
        """Figure factories by file stem."""
        from sim.plots.decision import (
            plot_acceptability,
            plot_budget,
            plot_option_trajectories,
        )
        from sim.plots.options import plot_option_effects, plot_options_plane

        e, labels = self.economics, self.comparison.labels
        wtp = self.comparison.willingness_to_pay
        return {
            "effects": lambda: plot_option_effects(self.effects, labels, COMPARATOR_LABEL),
            "ce_plane": lambda: plot_options_plane(e.league, e.frontier, wtp, COMPARATOR_LABEL),
            "acceptability": lambda: plot_acceptability(e.acceptability, wtp, COMPARATOR_LABEL),
            "budget": lambda: plot_budget(e.budget, COMPARATOR_LABEL),
            "trajectories": lambda: plot_option_trajectories(
                self.run.trajectories, labels, COMPARATOR_LABEL
            ),
        }


def summarise(comparison: Comparison, run: ComparisonRun) -> ComparisonResults:
    """Summarise the raw tables of a comparison."""
    summary = effects(run)
    return ComparisonResults(
        comparison,
        run,
        summary,
        economics(run, summary, comparison.willingness_to_pay, comparison.population),
    )


def timed_comparison(comparison: Comparison, **kwargs) -> tuple[ComparisonResults, float]:
    """Run and summarise a comparison (keywords of :func:`run_comparison`); add its wall time."""
    started = time.perf_counter()
    results = summarise(comparison, run_comparison(comparison, **kwargs))
    return results, time.perf_counter() - started


def _settings(results: ComparisonResults) -> dict:
    c = results.comparison
    return {
        "title": c.title,
        "description": c.description,
        "comparator": "scenario.toml",
        "strategies": [
            {"file": f"scenarios/option_{k + 1}.toml", "label": o.label}
            for k, o in enumerate(c.options)
        ],
        "replicates": results.replicates,
        "seed": results.run.seed,
        "willingness_to_pay": c.willingness_to_pay,
        "population": c.population,
    }


def write_comparison(
    results: ComparisonResults, out: Path, wall: float, ensemble: Ensemble | None = None
) -> Path:
    """Write a comparison's results folder and return it (see the module docstring).

    Args:
        results: The comparison's results.
        out: Output folder; the folder goes to ``out/compare/<name>/<run-id>/``.
        wall: Wall-clock seconds the comparison took.
        ensemble: The ensemble the comparison ran over, if any: copied into the folder as
            ``ensemble.toml`` and recorded in the provenance.
    """
    c, run = results.comparison, results.run
    where = c.comparator.with_overrides({"outputs.folder": f"compare/{c.name}"}, origin="<compare>")
    with run_folder(out, where, run.seed) as folder:
        path = folder.path
        (path / "scenario.toml").write_text(c.comparator.to_toml(), encoding="utf-8")
        (path / "scenarios").mkdir()
        for k, option in enumerate(c.options):
            (path / "scenarios" / f"option_{k + 1}.toml").write_text(
                option.scenario.to_toml(), encoding="utf-8"
            )
        (path / "comparison.toml").write_text(tomli_w.dumps(_settings(results)), encoding="utf-8")
        copy_ensemble(ensemble, path)
        write_tables(path, results.tables(), c.comparator["outputs.formats"])
        (path / "comparison.md").write_text(results.markdown(), encoding="utf-8")
        write_figures(path, results.figures())
        write_json(
            path / "provenance.json",
            provenance(
                run.seed,
                str(c.path) if c.path else None,
                kind="compare",
                replicates=results.replicates,
                options=[o.label for o in c.options],
                option_files=[str(o.scenario.path) for o in c.options],
                comparator_file=str(c.comparator.path),
                willingness_to_pay=c.willingness_to_pay,
                population=c.population,
                ensemble=ensemble_record(ensemble),
                wall_seconds={
                    "total": round(wall, 3),
                    "simulate": round(run.seconds["simulate"], 3),
                    "analyse": round(run.seconds["analyse"], 3),
                },
            ),
        )
    assert folder.final is not None
    return folder.final
