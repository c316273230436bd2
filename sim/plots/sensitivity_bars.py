"""Sensitivity indices as bars with confidence intervals, one panel per outcome.

Reads the tidy table of :func:`sim.sweeps.sensitivity.analyse_sensitivity`: for Sobol analyses the
first-order (S1) and total-order (ST) indices of each parameter side by side; for Morris screening
the mean absolute elementary effect (mu_star, with its interval) and its spread (sigma).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.model.measures import LABELS
from sim.plots.style import OKABE_ITO, style_context

#: Index name -> (legend label, colour), in drawing order.
INDICES = {
    "S1": ("first order (S1)", OKABE_ITO["sky_blue"]),
    "ST": ("total order (ST)", OKABE_ITO["blue"]),
    "S2": ("second order (S2)", OKABE_ITO["bluish_green"]),
    "mu_star": ("mean |effect| (μ*)", OKABE_ITO["orange"]),
    "sigma": ("spread of effects (σ)", OKABE_ITO["vermillion"]),
}


def outcome_label(column: str) -> str:
    """A human label for an outcome column such as ``eq5d_w26``."""
    measure, _, week = column.rpartition("_w")
    if measure in LABELS and week.isdigit():
        label, unit = LABELS[measure]
        return f"{label} at week {week} ({unit})"
    return column


def plot_sensitivity(indices: pd.DataFrame, title: str = "") -> Figure:
    """Horizontal bars of each parameter's indices, with confidence intervals.

    Args:
        indices: Columns ``outcome, parameter, index, value, conf``.
        title: Figure title.

    Returns:
        The figure (one panel per outcome).
    """
    outcomes = list(dict.fromkeys(indices["outcome"]))
    kinds = [k for k in INDICES if k in set(indices["index"])]
    with style_context():
        height = 1.6 + (0.35 * len(kinds) + 0.15) * indices["parameter"].nunique() * len(outcomes)
        figure = Figure(figsize=(7.5, height), layout="constrained")
        axes = figure.subplots(len(outcomes), 1, squeeze=False, sharex=True)[:, 0]
        for ax, outcome in zip(axes, outcomes, strict=True):
            part = indices[indices["outcome"] == outcome]
            params = list(dict.fromkeys(part["parameter"]))
            y = np.arange(len(params))
            width = 0.8 / len(kinds)
            for k, kind in enumerate(kinds):
                rows = part[part["index"] == kind].set_index("parameter").reindex(params)
                label, colour = INDICES[kind]
                ax.barh(
                    y + (k - (len(kinds) - 1) / 2) * width,
                    rows["value"],
                    height=width,
                    xerr=rows["conf"].fillna(0).to_numpy(),
                    color=colour,
                    edgecolor="black",
                    linewidth=0.5,
                    error_kw={"elinewidth": 1, "capsize": 2},
                    label=label,
                    gid=f"{outcome}-{kind}",
                )
            ax.set_yticks(y, params)
            ax.invert_yaxis()
            ax.axvline(0, color="black", linewidth=0.6)
            ax.set_title(outcome_label(outcome), loc="left", fontsize=12)
        axes[-1].set_xlabel(
            "Sobol index (share of variance)"
            if "S1" in kinds
            else "effect over the parameter's range (outcome units)"
        )
        axes[-1].xaxis.set_tick_params(labelbottom=True)
        handles, labels = axes[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncols=len(kinds))
        if title:
            figure.suptitle(title)
    return figure
