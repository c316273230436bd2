"""Live line plots comparing the arms, one small plot per population measure.

Each plot draws a population measure (:data:`sim.measures.LABELS`) week by week in usual care and
in the intervention arm. The arms share every random number, so the lines coincide until the
intervention changes something, and the gap between them is its effect in this population.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from sim.app.teaching_model import ARM_LABELS, TeachingModel
from sim.measures import LABELS
from sim.plots.style import OKABE_ITO, style_context


@dataclass(frozen=True)
class Trend:
    """How to plot one measure.

    Attributes:
        title: Short title.
        span: Smallest height of the y axis (in the plotted unit), so that a tiny difference
            is not stretched to fill the plot.
        decimals: Decimals of the difference shown in the title.
    """

    title: str
    span: float
    decimals: int


#: Measures plotted (columns of :data:`sim.measures.LABELS`). Shares are drawn as percentages.
TRENDS: Mapping[str, Trend] = {
    "eq5d": Trend("Quality of life (EQ-5D)", 0.05, 3),
    "bp_controlled": Trend("Blood pressure controlled", 20.0, 1),
    "group_participation": Trend("In a community group", 20.0, 1),
    "knowledge_clinical": Trend("Clinical knowledge (0-1)", 0.2, 3),
    "heiq": Trend("Engagement (heiQ, 1-4)", 0.2, 3),
    "member_strain": Trend("Helpers' strain (0-1)", 0.1, 3),
}
#: Line colour of each arm.
ARM_COLOURS: Mapping[str, str] = {"usual_care": "#777777", "intervention": OKABE_ITO["blue"]}
#: The x axis shows at least this many weeks, so early steps are not stretched across it.
MIN_WEEKS_SHOWN = 26


def _is_share(measure: str) -> bool:
    return LABELS[measure][1].startswith("share")


def draw_trend(ax: Axes, model: TeachingModel, measure: str, trend: Trend) -> None:
    """Draw one measure in both arms, with this week's difference in the title."""
    series = model.history(measure)
    scale = 100.0 if _is_share(measure) else 1.0
    for arm in reversed(list(series)):  # usual care (dashed) on top where the lines coincide
        values = series[arm]
        ax.plot(
            np.arange(len(values)),
            values * scale,
            color=ARM_COLOURS[arm],
            lw=2.2 if arm == "intervention" else 1.8,
            ls="-" if arm == "intervention" else "--",
            label=ARM_LABELS[arm],
        )
    gap = (series["intervention"][-1] - series["usual_care"][-1]) * scale
    difference = round(gap, trend.decimals) + 0.0  # never "-0.000"
    unit = " points" if scale != 1.0 else ""
    ax.set_title(
        f"{trend.title}\ndifference now: {difference:+.{trend.decimals}f}{unit}", fontsize=11
    )
    ax.set_xlim(0, max(MIN_WEEKS_SHOWN, model.week))
    _at_least(ax, trend.span, np.concatenate(list(series.values())) * scale)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    if scale != 1.0:
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.tick_params(labelsize=9)
    ax.grid(alpha=0.3)


def _at_least(ax: Axes, span: float, values: np.ndarray) -> None:
    """Give the y axis a height of at least ``span``, centred on the data."""
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return
    low, high = float(values.min()), float(values.max())
    pad = max(span - (high - low), 0.0) / 2 + 0.05 * (high - low)
    ax.set_ylim(low - pad, high + pad)


def trends_figure(model: TeachingModel) -> Figure:
    """Every measure of :data:`TRENDS` in both arms, week 0 to now."""
    with style_context():
        fig = Figure(figsize=(6.4, 7.6))
        axes = fig.subplots(3, 2)
        fig.subplots_adjust(left=0.11, right=0.98, top=0.9, bottom=0.07, wspace=0.34, hspace=0.62)
        for ax, (measure, trend) in zip(axes.flat, TRENDS.items(), strict=True):
            draw_trend(ax, model, measure, trend)
        for ax in axes[-1]:
            ax.set_xlabel("Week", fontsize=10)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="upper center", ncol=2, fontsize=11)
    return fig
