"""The main population measures of a run, week by week (``figures/timeseries.png``).

Reads a run's ``timeseries`` table (:mod:`sim.model.measures`: one row per replicate and week). Each
panel is one measure: the line is the mean over replicates, and with several replicates the band
spans their lowest to highest value. Each panel's title gives the measure and its unit, and its
change from the first to the last week, so that a flat-looking line with a narrow axis is read
for what it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.plots.style import OKABE_ITO, style_context

#: Measures drawn, in order (those missing from the table are skipped).
MAIN_MEASURES = (
    "eq5d",
    "bp_controlled",
    "heiq",
    "self_management",
    "loneliness",
    "tbq",
    "group_participation",
    "cost",
)
#: Figure width, inches (readable at A4 width).
WIDTH = 7.5


def _format(value: float, unit: str) -> str:
    if unit == "share":
        return f"{100 * value:+.1f} percentage points"
    if unit == "GBP":
        return f"{value:+,.0f} GBP"
    return f"{value:+.3g} ({unit})"


def plot_timeseries(timeseries: pd.DataFrame, title: str = "") -> Figure:
    """Draw the main measures of a run week by week.

    Args:
        timeseries: Columns ``week`` and measures (and ``replicate`` with several replicates).
        title: Figure title (e.g. the scenario's).

    Raises:
        ValueError: if the table holds none of :data:`MAIN_MEASURES`.
    """
    from sim.model.measures import LABELS

    measures = [m for m in MAIN_MEASURES if m in timeseries.columns]
    if not measures:
        raise ValueError("the time series holds none of the main measures")
    grouped = timeseries.groupby("week")
    rows = int(np.ceil(len(measures) / 2))
    with style_context():
        figure = Figure(figsize=(WIDTH, 2.1 * rows + 0.8), layout="constrained")
        axes = figure.subplots(rows, 2, sharex=True, squeeze=False).ravel()
        for ax, name in zip(axes, measures, strict=False):
            label, unit = LABELS.get(name, (name, ""))
            mean = grouped[name].mean()
            scale = 100.0 if unit == "share" else 1.0
            if timeseries.get("replicate", pd.Series([0])).nunique() > 1:
                ax.fill_between(
                    mean.index,
                    grouped[name].min() * scale,
                    grouped[name].max() * scale,
                    color=OKABE_ITO["blue"],
                    alpha=0.2,
                    lw=0,
                )
            ax.plot(mean.index, mean * scale, color=OKABE_ITO["blue"], lw=2)
            change = _format(float(mean.iloc[-1] - mean.iloc[0]), unit)
            shown = "%" if unit == "share" else unit
            ax.set_title(f"{label} ({shown})\nchange {change}", fontsize=10, loc="left")
            ax.tick_params(labelsize=10)
            ax.grid(color="#EEEEEE", lw=0.8)
        for ax in axes[len(measures) :]:
            ax.set_visible(False)
        for ax in axes[-2:]:
            ax.set_xlabel("week", fontsize=10)
        figure.suptitle(
            (f"{title}: " if title else "") + "population measures week by week", fontsize=12
        )
    return figure
