"""The cost-effectiveness plane of a virtual trial: incremental cost against incremental QALYs.

Reads the ``economics`` table of a trial (:func:`sim.trial.summaries.economics`: per replicate
trial, the adjusted incremental cost ``delta_cost`` in GBP and QALYs ``delta_qaly`` per patient,
intervention minus usual care). Each small dot is one replicate trial; the large diamond is the
mean over trials (its slope from the origin is the cost per QALY gained); the star, if given, is
the true effect in the whole population. The dashed line is the willingness to pay: trials below
it (shaded) are cost-effective at that threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from sim.economics.text import gbp, icer_text
from sim.plots.style import GREY, OKABE_ITO, style_context

__all__ = ["gbp", "icer_text", "plot_ce_plane"]

#: Fill of the cost-effective region (below the willingness-to-pay line).
_ACCEPTABLE = "#E3F1EA"


def _limits(x: np.ndarray, y: np.ndarray, wtp: float) -> tuple[tuple, tuple]:
    """Axis limits holding every point and the origin, with a margin."""

    def span(values: np.ndarray) -> tuple[float, float]:
        values = np.append(values[np.isfinite(values)], 0.0)
        low, high = float(values.min()), float(values.max())
        margin = 0.12 * (high - low) if high > low else 1.0
        return low - margin, high + margin

    return span(x), span(y)


def _quadrant_labels(ax: Axes) -> None:
    notes = (
        (0.98, 0.98, "right", "top", "more effective, more costly"),
        (0.02, 0.98, "left", "top", "less effective, more costly"),
        (0.98, 0.02, "right", "bottom", "more effective, less costly"),
        (0.02, 0.02, "left", "bottom", "less effective, less costly"),
    )
    for x, y, ha, va, text in notes:
        ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=9, color="#666666")


def plot_ce_plane(
    economics: pd.DataFrame,
    willingness_to_pay: float,
    *,
    true_effect: tuple[float, float] | None = None,
    title: str = "",
) -> Figure:
    """Draw the cost-effectiveness plane of replicate trials.

    Args:
        economics: Columns ``delta_qaly`` (QALYs per patient) and ``delta_cost`` (GBP per
            patient), one row per replicate trial.
        willingness_to_pay: Threshold in GBP per QALY gained.
        true_effect: The true (incremental QALYs, incremental cost), if known.
        title: Figure title (e.g. the scenario's).

    Returns:
        The figure.
    """
    x = economics["delta_qaly"].to_numpy(float)
    y = economics["delta_cost"].to_numpy(float)
    mean_x, mean_y = float(np.nanmean(x)), float(np.nanmean(y))
    share = float(np.mean(willingness_to_pay * x - y > 0)) if len(x) else float("nan")
    with style_context():
        fig = Figure(figsize=(7.5, 6.4), layout="constrained")
        ax = fig.add_subplot()
        (x0, x1), (y0, y1) = _limits(
            np.append(x, true_effect[0] if true_effect else 0.0),
            np.append(y, true_effect[1] if true_effect else 0.0),
            willingness_to_pay,
        )
        line_x = np.array([x0, x1])
        ax.fill_between(
            line_x, y0, willingness_to_pay * line_x, color=_ACCEPTABLE, lw=0, zorder=0, gid="ce"
        )
        ax.plot(
            line_x,
            willingness_to_pay * line_x,
            ls="--",
            color="#333333",
            lw=1.4,
            gid="wtp",
            label=f"willingness to pay: {gbp(willingness_to_pay)} per QALY",
        )
        ax.axhline(0, color=GREY, lw=0.9, zorder=1)
        ax.axvline(0, color=GREY, lw=0.9, zorder=1)
        ax.scatter(
            x,
            y,
            s=28,
            color=OKABE_ITO["blue"],
            alpha=0.65,
            edgecolors="white",
            linewidths=0.4,
            zorder=3,
            gid="trials",
            label=f"one replicate trial ({len(x)} in all)",
        )
        ax.scatter(
            [mean_x],
            [mean_y],
            s=150,
            marker="D",
            color=OKABE_ITO["vermillion"],
            edgecolors="black",
            linewidths=1.0,
            zorder=5,
            gid="mean",
            label=f"mean over trials ({icer_text(mean_y, mean_x)})",
        )
        if true_effect is not None:
            ax.scatter(
                [true_effect[0]],
                [true_effect[1]],
                s=260,
                marker="*",
                color=OKABE_ITO["yellow"],
                edgecolors="black",
                linewidths=1.0,
                zorder=6,
                gid="truth",
                label="true effect (whole population)",
            )
        _quadrant_labels(ax)
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: gbp(v)))
        ax.set_xlabel("incremental QALYs per patient (QALY), intervention minus usual care")
        ax.set_ylabel("incremental cost per patient (GBP),\nintervention minus usual care")
        handles, labels = ax.get_legend_handles_labels()
        handles.append(Patch(color=_ACCEPTABLE))
        labels.append(f"cost-effective region: {100 * share:.0f}% of trials fall in it")
        fig.legend(handles, labels, loc="outside lower center", ncols=1, fontsize=10)
        heading = "Cost-effectiveness plane"
        fig.suptitle(f"{title}: {heading.lower()}" if title else heading)
    return fig
