"""Live line plots comparing the arms: the data of one small plot per population measure.

Each plot draws a population measure (:data:`sim.model.measures.LABELS`) week by week in usual care
and in the intervention arm, from the teaching model's weekly record (the same values as the app's
table). The arms share every random number, so the lines coincide until the intervention changes
something, and the gap between them is its effect in this population. The chart itself is
:func:`sim.app.charts.trend_spec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.app.teaching_model import ARM_LABELS, TeachingModel
from sim.model.measures import LABELS
from sim.plots.style import OKABE_ITO


@dataclass(frozen=True)
class Trend:
    """How to plot one measure.

    Attributes:
        title: Short title (shares are plotted as percentages: the title says "%").
        span: Smallest height of the y axis (in the plotted unit), so that a tiny difference
            is not stretched to fill the plot.
        decimals: Decimals of the difference shown in the title.
    """

    title: str
    span: float
    decimals: int


#: Measures plotted (columns of :data:`sim.model.measures.LABELS`).
TRENDS: Mapping[str, Trend] = {
    "eq5d": Trend("Quality of life (EQ-5D)", 0.05, 3),
    "bp_controlled": Trend("BP controlled (%)", 20.0, 1),
    "group_participation": Trend("In a community group (%)", 20.0, 1),
    "knowledge_clinical": Trend("Clinical knowledge", 0.2, 2),
    "heiq": Trend("Engagement (heiQ)", 0.2, 2),
    "member_strain": Trend("Helpers' strain", 0.1, 3),
}
#: Line colour and dash of each arm (by label).
ARM_COLOURS: Mapping[str, str] = {
    ARM_LABELS["usual_care"]: "#666666",
    ARM_LABELS["intervention"]: OKABE_ITO["blue"],
}
ARM_DASHES: Mapping[str, list[int]] = {
    ARM_LABELS["usual_care"]: [7, 4],
    ARM_LABELS["intervention"]: [1, 0],
}
#: The x axis shows at least this many weeks, so early steps are not stretched across it.
MIN_WEEKS_SHOWN = 26
#: Name of the chart's dataset.
DATASET = "trends"


def is_share(measure: str) -> bool:
    """True for measures that are shares of patients (plotted as percentages)."""
    return LABELS[measure][1].startswith("share")


def difference_now(model: TeachingModel, measure: str) -> str:
    """This week's difference, intervention minus usual care, in the plotted unit."""
    now = model.current(measure)
    scale = 100.0 if is_share(measure) else 1.0
    decimals = TRENDS[measure].decimals
    gap = round((now["intervention"] - now["usual_care"]) * scale, decimals) + 0.0  # never -0
    return f"{gap:+.{decimals}f}" + (" points" if scale != 1.0 else "")


def trend_rows(model: TeachingModel) -> list[dict[str, Any]]:
    """The chart's data: every plotted measure in both arms, week 0 to now."""
    rows: list[dict[str, Any]] = []
    weeks_shown = max(MIN_WEEKS_SHOWN, model.week)
    for order, (measure, trend) in enumerate(TRENDS.items()):
        scale = 100.0 if is_share(measure) else 1.0
        cell = {"order": order, "title": trend.title}
        series = {arm: values * scale for arm, values in model.history(measure).items()}
        for arm, values in series.items():
            label = ARM_LABELS[arm]
            rows += [
                {**cell, "layer": "line", "arm": label, "week": week, "value": round(v, 5)}
                for week, v in enumerate(values.tolist())
            ]
            now = round(float(values[-1]), 5)
            rows.append({**cell, "layer": "now", "arm": label, "week": model.week, "value": now})
        low, high = _at_least(trend.span, np.concatenate(list(series.values())))
        rows += [
            {**cell, "layer": "pad", "week": 0, "value": low},
            {**cell, "layer": "pad", "week": weeks_shown, "value": high},
        ]
    return rows


def _at_least(span: float, values: np.ndarray) -> tuple[float, float]:
    """A y range of at least ``span`` around the values."""
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return 0.0, span
    low, high = float(values.min()), float(values.max())
    pad = max(span - (high - low), 0.0) / 2
    return round(low - pad, 5), round(high + pad, 5)
