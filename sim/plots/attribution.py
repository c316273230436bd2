"""Bar chart of a mechanism attribution: how much of an intervention's effect each mechanism bears.

One panel per primary outcome (EQ-5D difference; BP-control risk difference in percentage
points). The top bar (grey) is the effect with every network mechanism off, what the intervention
does directly; below it each mechanism's Shapley value, blue when it adds to the effect and
vermillion with hatching when it takes away; the diamond at the bottom is the total effect with
every mechanism on, which the bars above add up to. Whiskers span ±1.96 standard errors over
replicate practice populations.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.attribution import NONE, TOTAL
from sim.plots.style import GREY, LIGHT_GREY, OKABE_ITO, style_context

#: Outcomes drawn, with the x-axis label of each.
AXES = {
    "eq5d": "Effect on EQ-5D-3L utility (difference, utility points)",
    "bp_controlled": "Effect on BP control (risk difference, percentage points)",
}
TITLES = {"eq5d": "EQ-5D-3L utility", "bp_controlled": "BP controlled (NICE 2008)"}
UP, DOWN, DIRECT, TOTAL_COLOUR = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    GREY,
    OKABE_ITO["black"],
)


def _label(mechanism: str) -> str:
    if mechanism == NONE:
        return "No network mechanism\n(direct effect)"
    if mechanism == TOTAL:
        return "Total effect\n(every mechanism on)"
    return mechanism.replace("_", " ").capitalize()


def _format(value: float, span: float) -> str:
    """A signed value with enough decimals for a panel whose largest value is ``span``.

    Values that round to zero are shown as "0" (exactly zero) or "~0".
    """
    digits = max(0, 2 - int(np.floor(np.log10(span)))) if span > 0 else 2
    text = f"{value:+.{digits}f}"
    if float(text) == 0.0:
        return "0" if value == 0.0 else "\u22480"
    return text


def plot_attribution(contributions: pd.DataFrame, title: str = "") -> Figure:
    """Draw the table of :meth:`sim.attribution.attribution_run.Attribution.contributions`.

    Args:
        contributions: One row per outcome and line (columns ``outcome``, ``mechanism``,
            ``contribution``, ``se``), the lines in order: none, mechanisms, total.
        title: The intervention's name, used in the figure title.

    Returns:
        The figure (the caller saves or shows it).
    """
    outcomes = [o for o in AXES if (contributions["outcome"] == o).any()]
    lines = list(dict.fromkeys(contributions["mechanism"]))
    with style_context():
        figure = Figure(figsize=(7.5, 0.5 * len(lines) + 3.0), layout="constrained")
        axes = figure.subplots(1, len(outcomes), sharey=True, squeeze=False)[0]
        for ax, outcome in zip(axes, outcomes, strict=True):
            part = contributions[contributions["outcome"] == outcome].set_index("mechanism")
            _panel(ax, part.loc[lines], outcome)
        axes[0].set_yticks(np.arange(len(lines))[::-1], [_label(m) for m in lines])
        handles = [
            Patch(color=DIRECT, label="Direct effect (no network mechanism)"),
            Patch(color=UP, label="Mechanism adds to the effect"),
            Patch(facecolor=DOWN, hatch="///", edgecolor="white", label="Mechanism reduces it"),
            Line2D(
                [],
                [],
                marker="D",
                color=TOTAL_COLOUR,
                ls="none",
                label="Total effect (outlined bar)",
            ),
            Line2D([], [], marker="|", ms=8, color="black", label="\u00b11.96 SE over replicates"),
        ]
        figure.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=10)
        figure.suptitle(
            textwrap.fill(
                f"What carries the effect{' of ' + title if title else ''}: "
                "Shapley attribution to the network mechanisms",
                60,
            ),
            fontsize=13,
        )
    return figure


def _panel(ax, part: pd.DataFrame, outcome: str) -> None:
    n = len(part)
    y = np.arange(n)[::-1]
    values = part["contribution"].to_numpy(float)
    errors = 1.96 * np.nan_to_num(part["se"].to_numpy(float))
    names = list(part.index)
    is_total = np.array([m == TOTAL for m in names])
    is_none = np.array([m == NONE for m in names])
    bars = ~is_total
    total = values[is_total][0]
    colours = [
        DIRECT if m == NONE else (UP if v >= 0 else DOWN)
        for m, v in zip(names, values, strict=True)
    ]
    hatches = ["///" if (not z and v < 0) else "" for z, v in zip(is_none, values, strict=True)]
    drawn = ax.barh(
        y[bars], values[bars], height=0.6, color=np.array(colours)[bars], edgecolor="white"
    )
    for bar, hatch in zip(drawn, np.array(hatches)[bars], strict=True):
        bar.set_hatch(hatch)
    ax.errorbar(
        values,
        y,
        xerr=errors,
        fmt="none",
        ecolor="black",
        elinewidth=1,
        capsize=3,
    )
    total_y = y[is_total][0]
    ax.barh(total_y, total, height=0.6, facecolor="none", edgecolor=TOTAL_COLOUR, lw=1.2)
    ax.plot(total, total_y, "D", color=TOTAL_COLOUR, ms=9, zorder=3)
    ax.axhline(total_y + 0.5, color=LIGHT_GREY, lw=1)
    ax.axvline(0.0, color="black", lw=0.8)
    span = max(np.max(np.abs(values) + errors), 1e-12)
    small = 0.03 * span
    for yi, v, e in zip(y, values, errors, strict=True):
        # labels go right of the bar, or left of a clearly negative one
        right = v >= 0 or abs(v) + e < small
        x = max(v + e, 0.0) if right else v - e
        ax.annotate(
            _format(v, span),
            (x, yi),
            xytext=(4 if right else -4, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=9,
        )
    low = min(0.0, float(np.min(values - errors)))
    high = max(0.0, float(np.max(values + errors)))
    pad = 0.3 * span
    ax.set_xlim(low - (pad if low < -small else small), high + pad)
    ax.set_ylim(-0.7, n - 0.3)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlabel(textwrap.fill(AXES[outcome], 34), fontsize=10)
    ax.set_title(TITLES[outcome], fontsize=12)
    ax.tick_params(labelsize=10)
    ax.grid(axis="x", color=LIGHT_GREY, lw=0.6)
    ax.set_axisbelow(True)
