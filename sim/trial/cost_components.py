"""Where an effect comes from: cost by component and EQ-5D dimensions, by arm.

A trial's cost difference is the sum of differences in primary-care contacts, medicines
dispensed, hospital admissions and the intervention's delivery (:mod:`sim.dynamics.services`);
its EQ-5D difference comes from shifts in the share of patients with any problem on each of the
five dimensions (:mod:`sim.dynamics.eq5d`). For each replicate trial this module takes the mean of
each component per arm over the patients followed up (``self_report``, as for cost and EQ-5D) and
their difference (unadjusted); over replicates it reports the mean of each, and the 2.5-97.5%
range of the differences.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.dynamics.eq5d import DIMENSION_LABELS, DIMENSIONS

#: Column -> (label, unit) of each component, costs first.
COMPONENTS: dict[str, tuple[str, str]] = {
    "cost_contacts": ("Cost: primary-care contacts", "GBP"),
    "cost_medicines": ("Cost: medicines dispensed", "GBP"),
    "cost_admissions": ("Cost: hospital admissions", "GBP"),
    "cost_intervention": ("Cost: intervention delivery", "GBP"),
    "cost": ("Cost: total (health service and intervention)", "GBP"),
    **{
        f"eq5d_{d}": (f"EQ-5D: any problem with {label}", "share")
        for d, label in zip(DIMENSIONS, DIMENSION_LABELS, strict=True)
    },
}


def component_rows(data: Mapping[str, np.ndarray]) -> list[dict]:
    """Per component: mean in each arm and the difference, over patients followed up.

    Args:
        data: One replicate's trial data (:func:`sim.trial.data.trial_data`).
    """
    used = np.asarray(data["self_report"], bool)
    arm = np.asarray(data["arm"])
    rows = []
    for column in COMPONENTS:
        values = np.asarray(data[column], float)
        usual = values[used & (arm == 0)]
        treated = values[used & (arm == 1)]
        mean_usual = float(usual.mean()) if len(usual) else np.nan
        mean_treated = float(treated.mean()) if len(treated) else np.nan
        rows.append(
            {
                "component": column,
                "usual_care": mean_usual,
                "intervention": mean_treated,
                "difference": mean_treated - mean_usual,
            }
        )
    return rows


def summarise_components(per_trial: pd.DataFrame) -> pd.DataFrame:
    """Over replicate trials: mean per arm, mean difference and the range of differences.

    Args:
        per_trial: Rows of :func:`component_rows` with a ``replicate`` column.

    Returns:
        One row per component, in :data:`COMPONENTS` order: component, label, unit, usual_care,
        intervention, difference, difference_low, difference_high (2.5% and 97.5%).
    """
    rows = []
    for column, (label, unit) in COMPONENTS.items():
        part = per_trial[per_trial["component"] == column]
        if part.empty:
            continue
        rows.append(
            {
                "component": column,
                "label": label,
                "unit": unit,
                "usual_care": part["usual_care"].mean(),
                "intervention": part["intervention"].mean(),
                "difference": part["difference"].mean(),
                "difference_low": part["difference"].quantile(0.025),
                "difference_high": part["difference"].quantile(0.975),
            }
        )
    return pd.DataFrame(rows)


def components_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as text, one row per component (GBP to the pound, shares in percent)."""

    def show(value: float, unit: str, signed: bool = False) -> str:
        if not np.isfinite(value):
            return "-"
        if unit == "GBP":
            return f"{value:+.0f}" if signed else f"{value:.0f}"
        return f"{100 * value:+.1f} points" if signed else f"{100 * value:.1f}%"

    rows = []
    for _, r in summary.iterrows():
        unit = r["unit"]
        rows.append(
            {
                "Component (mean per patient followed up)": r["label"],
                "Usual care": show(r["usual_care"], unit),
                "Intervention": show(r["intervention"], unit),
                "Difference (2.5% to 97.5% over trials)": f"{show(r['difference'], unit, True)} "
                f"({show(r['difference_low'], unit, True)} to "
                f"{show(r['difference_high'], unit, True)})",
            }
        )
    return pd.DataFrame(rows)
