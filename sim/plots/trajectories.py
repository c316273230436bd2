"""Outcome trajectories of a virtual trial: each arm's weekly mean, with its spread over trials.

Reads the tidy ``trajectories`` table of a trial (:func:`sim.trial.batch.trajectories`: one row
per replicate trial, arm, week and outcome). One panel per outcome; in each, a line per arm is
the mean over replicate trials of the arm's weekly mean, and the band around it spans the 2.5% to
97.5% points over trials (how far one trial's arm can land from another's). Means are of the
true values of the patients recruited to the arm and alive that week: no questionnaire error and
no loss to follow-up, unlike the trial's analysis at follow-up. With ``change=True`` each
replicate's arm is shown as its change since week 0 (as the trial's analysis adjusts for
baseline), which removes the chance differences between arms at randomisation; cost is always
the cost accumulated since randomisation.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from sim.plots.style import ARM_COLOURS, GREY, style_context

#: Outcome -> (panel title, y-axis label of the level, of the change since week 0, multiplier).
PANELS: dict[str, tuple[str, str, str, float]] = {
    "eq5d": (
        "Quality of life (EQ-5D-3L)",
        "utility (0 = dead, 1 = full health)",
        "change in utility (0-1 scale)",
        1.0,
    ),
    "bp_controlled": (
        "Blood pressure below NICE target",
        "patients controlled (%)",
        "change (percentage points)",
        100.0,
    ),
    "heiq": (
        "Engagement (heiQ)",
        "heiQ score (1-4)",
        "change in heiQ score (1-4 scale)",
        1.0,
    ),
    "cost": ("Cost since randomisation", "cost per patient (GBP)", "cost per patient (GBP)", 1.0),
}
#: Outcomes shown as levels even with ``change=True`` (they accumulate from randomisation).
CUMULATIVE = ("cost",)
#: Share of trials outside the band, split equally between its two ends.
BAND = (0.025, 0.975)


def y_label(outcome: str, change: bool) -> str:
    """The y-axis label of an outcome's panel, with its unit."""
    return PANELS[outcome][2 if change else 1]


def _panel(ax: Axes, part: pd.DataFrame, outcome: str, change: bool) -> None:
    title, _, _, scale = PANELS[outcome]
    subtract = change and outcome not in CUMULATIVE
    for arm in [a for a in ARM_COLOURS if a in set(part["arm"])]:
        wide = part[part["arm"] == arm].pivot(index="week", columns="replicate", values="value")
        weeks = wide.index.to_numpy()
        values = wide.to_numpy() * scale
        if subtract:
            values = values - values[:1]
        colour = ARM_COLOURS[arm]
        if values.shape[1] > 1:
            low, high = np.nanquantile(values, BAND, axis=1)
            ax.fill_between(weeks, low, high, color=colour, alpha=0.13, lw=0, gid=f"band-{arm}")
            for edge in (low, high):
                ax.plot(weeks, edge, color=colour, lw=0.8, ls=":", alpha=0.9)
        ax.plot(weeks, np.nanmean(values, axis=1), color=colour, lw=2.4, label=arm, gid=arm)
    if subtract:
        ax.axhline(0, color="black", lw=0.7)
    ax.set_title(
        textwrap.fill(title + (": change since week 0" if subtract else ""), 40),
        loc="left",
        fontsize=10,
    )
    ax.set_xlabel("time since randomisation (weeks)", fontsize=10)
    ax.set_ylabel(y_label(outcome, change), fontsize=10)
    ax.tick_params(labelsize=10)
    ax.set_xlim(part["week"].min(), part["week"].max())
    if scale == 100.0 and not change:
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.grid(axis="y", color="#E5E5E5", lw=0.8)


def plot_trajectories(
    trajectories: pd.DataFrame,
    title: str = "",
    outcomes: Sequence[str] | None = None,
    *,
    change: bool = False,
) -> Figure:
    """Draw each outcome's weekly mean by arm with its spread over replicate trials.

    Args:
        trajectories: Columns ``replicate, arm, week, outcome, value``.
        title: Figure title (e.g. the scenario's); a default names what is shown.
        outcomes: Outcomes to draw, in order (default: those of :data:`PANELS` in the table).
        change: Show each replicate arm's change since week 0 instead of its level (cost is
            shown as accumulated since randomisation either way).

    Returns:
        The figure: one panel per outcome, two columns.

    Raises:
        ValueError: if the table holds none of the outcomes.
    """
    present = set(trajectories["outcome"])
    chosen = [o for o in (outcomes if outcomes is not None else PANELS) if o in present]
    if not chosen:
        raise ValueError(
            f"the trajectories table holds none of the outcomes {', '.join(PANELS)}; "
            f"found {sorted(present)}"
        )
    n_trials = trajectories["replicate"].nunique()
    rows = (len(chosen) + 1) // 2
    with style_context():
        fig = Figure(figsize=(7.5, 1.3 + 3.0 * rows), layout="constrained")
        axes = fig.subplots(rows, 2 if len(chosen) > 1 else 1, squeeze=False).ravel()
        for ax, outcome in zip(axes, chosen, strict=False):
            _panel(ax, trajectories[trajectories["outcome"] == outcome], outcome, change)
        for ax in axes[len(chosen) :]:
            ax.set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        trials = "trial" if n_trials == 1 else f"mean of {n_trials} trials"
        labels = [f"{label}: {trials}" for label in labels]
        if n_trials > 1:
            handles.append(Patch(fc=GREY, alpha=0.35, ec=GREY, ls=":"))
            labels.append("band: 2.5% to 97.5% of trials")
        fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=10)
        heading = "Change since randomisation, by arm" if change else "Outcomes by arm, by week"
        fig.suptitle(f"{title}: {heading.lower()}" if title else heading)
    return fig
