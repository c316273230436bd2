"""Figures of a comparison's decision: acceptability curves, budget impact and trajectories.

- :func:`plot_acceptability`: for each option, the share of replicate trials in which it has the
  highest net monetary benefit, by willingness to pay (cost-effectiveness acceptability curves);
  the dotted line marks the chosen willingness to pay.
- :func:`plot_budget`: the budget impact of each option for the named population in year 1 and
  over 5 years (bars), with the 95% confidence interval of the simulated mean.
- :func:`plot_option_trajectories`: week by week, each option's mean EQ-5D and cumulative cost per
  patient minus usual care's, over the whole simulated practice populations.

Colours and markers per option as in :mod:`sim.plots.options`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.economics.text import gbp
from sim.plots.options import WIDTH, option_styles
from sim.plots.style import style_context


def plot_acceptability(curves: pd.DataFrame, willingness_to_pay: float, comparator: str) -> Figure:
    """Cost-effectiveness acceptability curves of every option, usual care included.

    Args:
        curves: ``willingness_to_pay``, ``option``, ``probability``
            (:func:`sim.economics.acceptability.acceptability`).
        willingness_to_pay: The threshold to mark, GBP per QALY.
        comparator: The comparator's label.
    """
    labels = list(pd.unique(curves["option"]))
    styles = option_styles(labels, comparator)
    with style_context():
        figure = Figure(figsize=(WIDTH, 5.6), layout="constrained")
        ax = figure.add_subplot()
        for label in labels:
            part = curves[curves["option"] == label].sort_values("willingness_to_pay")
            style = styles[label]
            look = {"color": style["color"], "ls": style["ls"], "marker": style["marker"]}
            x, y = part["willingness_to_pay"], part["probability"]
            ax.plot(x, y, lw=2, label=label, markevery=10, ms=6, **look)
        ax.axvline(willingness_to_pay, color="#333333", ls=":", lw=1.2)
        where = {"ha": "center", "va": "bottom", "transform": ax.get_xaxis_transform()}
        ax.text(willingness_to_pay, 1.02, gbp(willingness_to_pay), fontsize=10, **where)
        ax.set_ylim(-0.02, 1.02)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: gbp(v)))
        ax.set_xlabel("willingness to pay per QALY gained")
        ax.set_ylabel("share of trials in which it is best value")
        ax.grid(color="#EEEEEE", lw=0.8)
        figure.legend(
            *ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=10
        )
        figure.suptitle("Which option is the best value, by willingness to pay", fontsize=13)
    return figure


def plot_budget(budget: pd.DataFrame, comparator: str) -> Figure:
    """The budget impact of each option: year 1 and 5 years, for the named population.

    Args:
        budget: :func:`sim.economics.budget.budget_impact` output.
        comparator: The comparator's label (for the colours).
    """
    labels = list(budget["option"])
    styles = option_styles([comparator, *labels], comparator)
    population = int(budget["population"].iloc[0]) if len(budget) else 0
    y = np.arange(len(labels))[::-1]
    with style_context():
        figure = Figure(figsize=(WIDTH, 0.5 * len(labels) + 2.2), layout="constrained")
        axes = figure.subplots(1, 2, sharey=True)
        for ax, column, heading in zip(
            axes, ("year_1", "total_5_years"), ("Year 1", "5 years"), strict=True
        ):
            values = budget[column].to_numpy(float)
            errors = np.abs(
                np.vstack([values - budget[f"{column}_low"], budget[f"{column}_high"] - values])
            )
            colours = [styles[x]["color"] for x in labels]
            ax.barh(y, values, color=colours, xerr=errors, capsize=3, height=0.65)
            ax.axvline(0, color="black", lw=0.8)
            ax.set_title(heading, fontsize=12)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _short_gbp(v)))
            ax.tick_params(axis="x", labelsize=10, rotation=30)
            ax.grid(axis="x", color="#EEEEEE", lw=0.8)
            ax.set_axisbelow(True)
        axes[0].set_yticks(y, labels)
        figure.supxlabel("change in health-service budget (GBP; negative: a saving)", fontsize=11)
        figure.suptitle(f"Budget impact for {population:,} patients", fontsize=13)
    return figure


def _short_gbp(value: float) -> str:
    """'£1.2m', '£350k', '-£40k': money on a crowded axis."""
    size = abs(value)
    sign = "-" if value < 0 else ""
    if size >= 1e6:
        return f"{sign}£{size / 1e6:.1f}m"
    if size >= 1e3:
        return f"{sign}£{size / 1e3:.0f}k"
    return f"{sign}£{size:.0f}"


def plot_option_trajectories(
    trajectories: pd.DataFrame, labels: Sequence[str], comparator: str
) -> Figure:
    """Week by week, each option's mean EQ-5D and cumulative cost minus usual care's.

    Args:
        trajectories: ``replicate``, ``option``, ``week``, ``outcome``, ``value`` (weekly means
            over each replicate's practice population; :class:`sim.compare.simulate.
            ComparisonRun`).
        labels: Option labels in display order (the comparator first).
        comparator: The comparator's label.
    """
    styles = option_styles(labels, comparator)
    means = trajectories.groupby(["option", "outcome", "week"])["value"].mean()
    panels = (
        ("eq5d", "EQ-5D-3L utility: difference", lambda v, _: f"{v:+.2f}"),
        ("cost", "cost since week 0: difference", lambda v, _: gbp(v)),
    )
    with style_context():
        figure = Figure(figsize=(WIDTH, 4.8), layout="constrained")
        axes = figure.subplots(1, 2)
        for ax, (outcome, label, formatter) in zip(axes, panels, strict=True):
            base = means.loc[(comparator, outcome)]
            for option in (x for x in labels if x != comparator):
                gap = means.loc[(option, outcome)] - base
                look = {k: styles[option][k] for k in ("color", "ls", "marker")}
                ax.plot(gap.index, gap.to_numpy(), lw=1.8, markevery=5, ms=5, label=option, **look)
            ax.axhline(0, color="black", lw=0.8)
            ax.set_xlabel("week")
            ax.set_ylabel(label, fontsize=10)
            ax.yaxis.set_major_formatter(FuncFormatter(formatter))
            ax.tick_params(labelsize=10)
            ax.grid(color="#EEEEEE", lw=0.8)
        figure.legend(
            *axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=10
        )
        figure.suptitle("Whole practice populations, each option minus usual care", fontsize=13)
    return figure
