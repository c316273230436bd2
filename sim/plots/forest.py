"""Forest plot of a virtual trial: effects overall and by subgroup, against the true effect.

One panel per primary outcome (EQ-5D difference; BP-control odds ratio on a log axis). For each
row the dot is the mean estimate over replicate trials, the thick bar spans the 2.5% to 97.5%
points of the estimates (how far one trial can land from another) and the thin bar the mean 95%
confidence interval (what one trial reports); the open diamond is the true effect in the whole
population. The shaded band and dashed line are the scenario's own published comparator, if it
names one (``[trial.published]``), labelled "used in fitting" or "predicted, not used in fitting".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from sim.plots.style import GREY, LIGHT_GREY, OKABE_ITO, style_context
from sim.trial.trial_outcomes import OUTCOMES, PRIMARY, SUBGROUPS


def _rows(summary: pd.DataFrame, outcome: str) -> list[tuple[str, pd.Series | None]]:
    """(label, row) in display order; header lines have no row."""
    part = summary[summary["outcome"] == outcome]
    out: list[tuple[str, pd.Series | None]] = []
    overall = part[part["subgroup"] == "all"]
    if len(overall):
        out.append(("All patients", overall.iloc[0]))
    for variable, (label, levels) in SUBGROUPS.items():
        rows = part[part["subgroup"] == variable]
        if not len(rows):
            continue
        out.append((label, None))
        for _, level in levels:
            match = rows[rows["level"] == level]
            if len(match):
                out.append((f"    {level}", match.iloc[0]))
    return out


def plot_forest(summary: pd.DataFrame, title: str = "", published: list | None = None) -> Figure:
    """Draw the forest plot of :func:`sim.trial.summaries.summarise_effects` output.

    Args:
        summary: One row per outcome and subgroup level (columns ``estimate``, ``ci_low``,
            ``ci_high``, ``spread_low``, ``spread_high``, ``true_effect``).
        title: Figure title (e.g. the scenario's).
        published: The scenario's own published comparators (:mod:`sim.trial.published`),
            drawn as a band labelled "used in fitting" or "predicted, not used in fitting".

    Returns:
        The figure (the caller saves or shows it).
    """
    outcomes = [o for o in PRIMARY if (summary["outcome"] == o).any()]
    with style_context():
        n_rows = max(len(_rows(summary, o)) for o in outcomes)
        figure = Figure(figsize=(7.5, 0.3 * n_rows + 2.4), layout="constrained")
        axes = figure.subplots(1, len(outcomes), sharey=True, squeeze=False)[0]
        for ax, outcome in zip(axes, outcomes, strict=True):
            _panel(ax, _rows(summary, outcome), outcome, published or [])
        handles, labels = axes[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=10)
        if title:
            figure.suptitle(title)
    return figure


def _panel(ax, rows: list[tuple[str, pd.Series | None]], outcome: str, published: list) -> None:
    spec = OUTCOMES[outcome]
    ratio = spec.scale == "odds ratio"
    y = np.arange(len(rows))[::-1]
    colour, truth = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
    comparator = next((c for c in published if c.outcome == outcome), None)
    if comparator is not None:
        ax.axvspan(
            comparator.low,
            comparator.high,
            color=LIGHT_GREY,
            alpha=0.6,
            lw=0,
            label=f"Published (95% CI; {comparator.label})",
        )
        ax.axvline(comparator.estimate, color=GREY, ls="--", lw=1)
    ax.axvline(1.0 if ratio else 0.0, color="black", lw=0.8)
    for yi, (_, row) in zip(y, rows, strict=True):
        if row is None:
            continue
        ax.plot([row["ci_low"], row["ci_high"]], [yi, yi], color=colour, lw=1)
        ax.plot([row["spread_low"], row["spread_high"]], [yi, yi], color=colour, lw=4, alpha=0.5)
        ax.plot(row["estimate"], yi, "o", color=colour, ms=6)
        ax.plot(row["true_effect"], yi, "D", mfc="white", mec=truth, ms=6, mew=1.5)
    ax.plot([], [], "o-", color=colour, label="Mean estimate, mean 95% CI")
    ax.plot([], [], color=colour, lw=4, alpha=0.5, label="Estimates over trials (2.5-97.5%)")
    ax.plot([], [], "D", mfc="white", mec=truth, label="True effect (whole population)")
    if ratio:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator([0.125, 0.25, 0.5, 1, 2, 4, 8, 16]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [label for label, _ in rows])
    headers = {label for label, row in rows if row is None}
    for tick in ax.get_yticklabels():
        if tick.get_text() in headers:
            tick.set_fontweight("bold")
    ax.set_xlabel(
        ("Adjusted odds ratio:\n" if ratio else "Adjusted difference:\n") + spec.label, fontsize=10
    )
    ax.tick_params(labelsize=10)
