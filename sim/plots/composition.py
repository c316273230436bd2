"""Network composition against the calibration targets (dossier T2-T4), in plain words.

Top: the mean number of members of each tie type per patient, in the tie-type colours. Below:
the model's network size (T2), weak-tie and professional shares (T3) and group participation (T4)
as points against their target values and tolerance bands. The figure reads a table from
:func:`sim.population.netstats.network_statistics`, so it shows exactly what the calibration checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.style import LIGHT_GREY, TIE_COLOURS, TIE_LABELS, style_context
from sim.population import codes

#: Target panels: title, y-axis label (unit), and (statistic id, tick label) pairs.
TARGET_PANELS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Network size", "members per patient", (("mean_network_size", "all members"),)),
    (
        "Shares of members",
        "% of members",
        (("weak_tie_share", "weak ties"), ("professional_share", "professionals")),
    ),
    ("Groups", "% of patients", (("group_participation", "in a group"),)),
)


def _lookup(stats: pd.DataFrame, statistic: str) -> pd.Series:
    """Return the row of ``statistic``, or raise a KeyError naming what is missing."""
    rows = stats.loc[stats["statistic"] == statistic]
    if rows.empty:
        raise KeyError(
            f"statistics table has no row {statistic!r}; make it with network_statistics"
        )
    return rows.iloc[0]


def _plot_members(ax: Axes, stats: pd.DataFrame) -> None:
    """Bars of mean members per patient by tie type, labelled with their values."""
    values = [_lookup(stats, f"mean_members_{t}")["value"] for t in codes.TIE_TYPES]
    x = np.arange(len(values))
    bars = ax.bar(
        x,
        values,
        color=[TIE_COLOURS[t] for t in codes.TIE_TYPES],
        edgecolor="black",
        linewidth=0.6,
        gid="members",
    )
    ax.bar_label(bars, fmt="%.2f", padding=2, fontsize=10)
    ax.set_xticks(x, [TIE_LABELS[t] for t in codes.TIE_TYPES], rotation=35, ha="right")
    ax.set_ylabel("members per patient")
    ax.set_title("Members by tie type")
    ax.set_ylim(0, max(values) * 1.15 if max(values) > 0 else 1)


def _plot_target(ax: Axes, stats: pd.DataFrame, panel: tuple) -> None:
    """Model values (points) against target values (lines) and tolerance bands (shading)."""
    title, unit, items = panel
    rows = [_lookup(stats, statistic) for statistic, _ in items]
    for i, row in enumerate(rows):
        ax.fill_between([i - 0.35, i + 0.35], row["low"], row["high"], color=LIGHT_GREY, lw=0)
        ax.hlines(row["target"], i - 0.35, i + 0.35, colors="#555555", linestyles="--", lw=1.2)
        within = row["within"] is True or (not pd.isna(row["within"]) and bool(row["within"]))
        face = "black" if within else "white"
        ax.plot(i, row["value"], "o", ms=9, mec="black", mfc=face, gid=f"value-{row['statistic']}")
        ax.annotate(
            f"{row['value']:.1f}",
            (i, row["value"]),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=10,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_xticks(range(len(items)), [label for _, label in items])
    ax.set_xlim(-0.6, len(items) - 0.4)
    values = [r[c] for r in rows for c in ("low", "high", "value")]
    low, high = np.nanmin(values), np.nanmax(values)
    margin = 0.2 * (high - low) + 0.5
    ax.set_ylim(max(0.0, low - margin), high + margin)
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=12)
    ax.tick_params(labelsize=10)


def _target_legend(fig: Figure) -> None:
    handles = [
        Line2D([], [], ls="", marker="o", ms=9, mfc="black", mec="black"),
        Line2D([], [], ls="", marker="o", ms=9, mfc="white", mec="black"),
        Line2D([], [], ls="--", color="#555555"),
        Patch(color=LIGHT_GREY),
    ]
    labels = [
        "model, within band",
        "model, outside band",
        "published figure (groups: middle of the range)",
        "tolerance band",
    ]
    fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=10)


def plot_composition(stats: pd.DataFrame) -> Figure:
    """Draw network composition and the T2-T4 targets from a statistics table.

    Args:
        stats: Table from :func:`sim.population.netstats.network_statistics`.

    Returns:
        A figure with four panels: members by tie type, and one panel each for T2, T3 and T4
        (titled in plain words: network size, shares of members, community groups).

    Raises:
        KeyError: if ``stats`` lacks a statistic the figure needs.
    """
    with style_context():
        fig = Figure(figsize=(7.5, 8.0), layout="constrained")
        axes = fig.subplot_mosaic(
            [["members"] * 3, ["size", "shares", "groups"]],
            width_ratios=[1, 1.9, 1],
            height_ratios=[1, 1.1],
        )
        _plot_members(axes["members"], stats)
        for name, panel in zip(("size", "shares", "groups"), TARGET_PANELS, strict=True):
            _plot_target(axes[name], stats, panel)
        _target_legend(fig)
        fig.suptitle("Personal communities against published figures")
    return fig
