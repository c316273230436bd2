"""Figures of a comparison of options (``sim compare``): effects and the cost-effectiveness plane.

Every option keeps one colour and marker in every figure (:func:`option_styles`); usual care is
grey. Figures are drawn 7.5 inches wide with text of at least 10 points, so that they stay
readable printed at A4 width.

- :func:`plot_option_effects`: the primary effects of each option (EQ-5D difference, BP-control
  odds ratio, heiQ difference): the dot is the mean estimate over replicate trials, the thick bar
  the 2.5% to 97.5% points of the estimates, the thin bar the mean 95% confidence interval and
  the open diamond the true effect in the whole population.
- :func:`plot_options_plane`: each option's mean incremental cost and QALYs per patient against
  usual care, with the 2.5% to 97.5% points over trials as cross-hairs, the efficiency frontier
  (the options no mix of others beats) and the willingness-to-pay line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from sim.economics.text import gbp
from sim.plots.style import GREY, style_context

#: Width of every comparison figure, inches (fits A4 with margins at 90% scale or more).
WIDTH = 7.5
#: Colours of options in order (usual care is grey): Paul Tol's "muted" scheme, nine colours
#: told apart with the common forms of colour blindness (Tol 2021, SRON/EPS/TN/09-002).
_COLOURS = (
    "#332288",
    "#CC6677",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#DDCC77",
)
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">")
#: The effects drawn, with their axis labels.
EFFECTS = {
    "eq5d": "EQ-5D-3L utility\ndifference",
    "bp_controlled": "BP controlled\nodds ratio",
    "heiq": "heiQ engagement\ndifference",
}


def option_styles(labels: Sequence[str], comparator: str) -> dict[str, dict[str, str]]:
    """A colour, marker and line style per option; the comparator is grey with a plain marker."""
    styles = {comparator: {"color": GREY, "marker": "o", "ls": "-"}}
    options = [x for x in labels if x != comparator]
    for k, label in enumerate(options):
        styles[label] = {
            "color": _COLOURS[k % len(_COLOURS)],
            "marker": _MARKERS[k % len(_MARKERS)],
            "ls": "-" if k < len(_COLOURS) else "--",
        }
    return styles


def _effect_panel(ax: Axes, rows: pd.DataFrame, outcome: str, styles: dict) -> None:
    ratio = outcome == "bp_controlled"
    y = np.arange(len(rows))[::-1]
    ax.axvline(1.0 if ratio else 0.0, color="black", lw=0.8)
    for yi, (_, row) in zip(y, rows.iterrows(), strict=True):
        colour = styles[row["option"]]["color"]
        ax.plot([row["ci_low"], row["ci_high"]], [yi, yi], color=colour, lw=1.2)
        ax.plot([row["spread_low"], row["spread_high"]], [yi, yi], color=colour, lw=5, alpha=0.45)
        ax.plot(row["estimate"], yi, styles[row["option"]]["marker"], color=colour, ms=7)
        ax.plot(row["true_effect"], yi, "D", mfc="white", mec="black", ms=5, mew=1.2)
    if ratio:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator([0.25, 0.5, 1, 2, 4, 8]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(EFFECTS[outcome])
    ax.grid(axis="x", color="#E5E5E5", lw=0.8)


def plot_option_effects(summary: pd.DataFrame, labels: Sequence[str], comparator: str) -> Figure:
    """Each option's primary effects against usual care (rows: options, panels: outcomes).

    Args:
        summary: Effects by option (:func:`sim.compare.summary.effects`): ``option``,
            ``outcome``, ``subgroup``, ``estimate``, ``ci_low``, ``ci_high``, ``spread_low``,
            ``spread_high``, ``true_effect``.
        labels: Option labels in display order (the comparator is skipped).
        comparator: The comparator's label.
    """
    styles = option_styles(labels, comparator)
    options = [x for x in labels if x != comparator]
    overall = summary[summary["subgroup"] == "all"]
    with style_context():
        figure = Figure(figsize=(WIDTH, 0.42 * len(options) + 2.3), layout="constrained")
        axes = figure.subplots(1, len(EFFECTS), sharey=True)
        for ax, outcome in zip(axes, EFFECTS, strict=True):
            rows = overall[overall["outcome"] == outcome].set_index("option").loc[options]
            _effect_panel(ax, rows.reset_index(), outcome, styles)
            ax.tick_params(labelsize=10)
            ax.xaxis.label.set_size(10)
        axes[0].set_yticks(np.arange(len(options))[::-1], options)
        axes[0].plot([], [], "o-", color=GREY, lw=1.2, label="mean estimate, mean 95% CI")
        axes[0].plot([], [], color=GREY, lw=5, alpha=0.45, label="2.5% to 97.5% of trials")
        axes[0].plot([], [], "D", mfc="white", mec="black", ms=5, label="true effect")
        handles, texts = axes[0].get_legend_handles_labels()
        figure.legend(handles, texts, loc="outside lower center", ncols=3, fontsize=10)
        figure.suptitle("Effects against usual care at follow-up", fontsize=13)
    return figure


def _frontier_line(ax: Axes, frontier: pd.DataFrame) -> None:
    on = frontier[frontier["status"] == "frontier"].sort_values("cost")
    ax.plot(
        on["qaly"],
        on["cost"],
        color="black",
        lw=1.4,
        zorder=2,
        gid="frontier",
        label="efficiency frontier",
    )


def plot_options_plane(
    league: pd.DataFrame,
    frontier: pd.DataFrame,
    willingness_to_pay: float,
    comparator: str,
) -> Figure:
    """The cost-effectiveness plane of the options against usual care, with the frontier.

    Args:
        league: The league table's numbers (:func:`sim.compare.summary.economics`): per option
            ``delta_cost``, ``delta_qaly`` and their ``_low`` / ``_high`` points.
        frontier: The incremental analysis (``option``, ``cost``, ``qaly``, ``status``).
        willingness_to_pay: GBP per QALY, drawn as a dashed line through usual care.
        comparator: The comparator's label (drawn at the origin).
    """
    styles = option_styles(list(league["option"]), comparator)
    with style_context():
        figure = Figure(figsize=(WIDTH, 6.4), layout="constrained")
        ax = figure.add_subplot()
        ax.axhline(0, color=GREY, lw=0.8)
        ax.axvline(0, color=GREY, lw=0.8)
        _frontier_line(ax, frontier)
        for _, row in league.iterrows():
            _option_point(ax, row, styles[row["option"]], row["option"] == comparator)
        _wtp_line(ax, willingness_to_pay)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: gbp(v)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xlabel("incremental QALYs per patient against usual care")
        ax.set_ylabel("incremental cost per patient against usual care")
        ax.grid(color="#EEEEEE", lw=0.8)
        figure.legend(
            *ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=10
        )
        figure.suptitle(
            "Cost and QALYs of each option (means, 2.5% to 97.5% of trials)", fontsize=13
        )
    return figure


def _option_point(ax: Axes, row: pd.Series, style: dict[str, str], comparator: bool) -> None:
    """An option's mean with cross-hairs over its 2.5% to 97.5% points (usual care at 0, 0)."""
    x, y = (0.0, 0.0) if comparator else (row["delta_qaly"], row["delta_cost"])
    if not comparator:
        spread = {"color": style["color"], "lw": 1, "alpha": 0.7}
        ax.plot([row["delta_qaly_low"], row["delta_qaly_high"]], [y, y], **spread)
        ax.plot([x, x], [row["delta_cost_low"], row["delta_cost_high"]], **spread)
    ax.plot(
        x,
        y,
        style["marker"],
        color=style["color"],
        ms=9,
        mec="white",
        mew=0.8,
        zorder=4,
        label=row["option"],
    )


def _wtp_line(ax: Axes, willingness_to_pay: float) -> None:
    """The willingness-to-pay line through usual care, across the axes as drawn."""
    x0, x1 = ax.get_xlim()
    line = np.array([min(x0, 0), max(x1, 0)])
    ax.plot(
        line,
        willingness_to_pay * line,
        ls="--",
        color="#333333",
        lw=1.2,
        gid="wtp",
        label=f"willingness to pay {gbp(willingness_to_pay)} per QALY",
    )
    ax.set_xlim(x0, x1)
