"""Budget impact: what an option adds to (or saves from) the health-service budget for N patients.

Following the ISPOR good-practice principles of budget-impact analysis (Sullivan et al. 2014,
Value Health 17:5-14), the budget impact is the difference in total cost between the option and
the comparator for a named population, per year, undiscounted. Here every one of ``population``
patients starts the option at the beginning of year 1 (a one-off offer: no new patients, no
repeat offer), and per patient:

- **follow-up** (simulated): the mean cumulative cost difference at the last simulated week ``W``
  (the intervention's own cost and every change in health-service cost);
- **after follow-up** (extrapolated, an assumption): the weekly cost difference over the last
  ``tail_weeks`` of follow-up carries on unchanged for the rest of year 1 and for years 2 to 5.

So year 1 is ``follow-up + (52 - W) x weekly`` and each later year ``52 x weekly``. Costs are
means over the patients alive at each week; deaths are not replaced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.economics.acceptability import draw_keys

WEEKS_PER_YEAR = 52
#: Years of the budget-impact horizon.
YEARS = 5


def per_draw_impact(
    costs: pd.DataFrame, comparator: str, population: int, tail_weeks: int = 4
) -> pd.DataFrame:
    """The budget impact of each option in each draw.

    Args:
        costs: One row per draw, option (comparator included) and week: draw columns, ``option``,
            ``week`` and ``cost`` (mean cumulative cost per patient since week 0, GBP).
        comparator: The comparator's name.
        population: Patients in the population the budget serves.
        tail_weeks: Weeks at the end of follow-up whose cost difference is carried forward.

    Returns:
        One row per draw and option other than the comparator: draw columns, ``option``,
        ``per_patient_followup``, ``per_patient_weekly_after`` (GBP) and ``year_1`` ...
        ``year_5`` and ``total_5_years`` (GBP for the whole population).

    Raises:
        ValueError: if the follow-up is longer than a year, shorter than ``tail_weeks``, or
            the comparator is missing.
    """
    keys = draw_keys(costs)
    last = int(costs["week"].max())
    if not tail_weeks <= last <= WEEKS_PER_YEAR:
        raise ValueError(
            f"follow-up of {last} weeks: expected between {tail_weeks} and {WEEKS_PER_YEAR}"
        )
    wide = costs[costs["week"].isin([last - tail_weeks, last])].pivot_table(
        index=[*keys, "week"], columns="option", values="cost"
    )
    if comparator not in wide.columns:
        raise ValueError(f"no cost of the comparator {comparator!r}")
    difference = wide.drop(columns=comparator).sub(wide[comparator], axis=0)
    end = difference.xs(last, level="week")
    start = difference.xs(last - tail_weeks, level="week")
    weekly = (end - start) / tail_weeks
    frame = pd.DataFrame(
        {
            "per_patient_followup": end.stack(),
            "per_patient_weekly_after": weekly.stack(),
        }
    ).reset_index()
    year = WEEKS_PER_YEAR * frame["per_patient_weekly_after"]
    frame["year_1"] = population * (
        frame["per_patient_followup"] + (WEEKS_PER_YEAR - last) * frame["per_patient_weekly_after"]
    )
    for k in range(2, YEARS + 1):
        frame[f"year_{k}"] = population * year
    frame["total_5_years"] = frame[[f"year_{k}" for k in range(1, YEARS + 1)]].sum(axis=1)
    return frame


def _mean_interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and its 95% confidence interval (normal approximation) over draws."""
    values = values[np.isfinite(values)]
    mean = float(values.mean()) if len(values) else np.nan
    half = 1.96 * float(values.std(ddof=1)) / np.sqrt(len(values)) if len(values) > 1 else np.nan
    return mean, mean - half, mean + half


def budget_impact(
    costs: pd.DataFrame, comparator: str, population: int, tail_weeks: int = 4
) -> pd.DataFrame:
    """The expected budget impact of each option: means over draws, with their 95% CIs.

    The interval is that of the simulated mean (it narrows as draws are added), not the spread
    between draws: each draw is a small practice population, whose chance variation would
    overstate the uncertainty of a mean over ``population`` patients.

    Args:
        costs: As for :func:`per_draw_impact`.
        comparator: The comparator's name.
        population: Patients in the population the budget serves.
        tail_weeks: Weeks at the end of follow-up whose cost difference is carried forward.

    Returns:
        One row per option, in order of first appearance: ``option``, ``population``,
        ``per_patient_followup`` and ``per_patient_weekly_after`` (GBP per patient),
        ``year_1``, ``later_years`` (each of years 2 to 5) and ``total_5_years`` (GBP for the
        population), ``year_1_low`` / ``_high`` and ``total_5_years_low`` / ``_high`` (95% CI
        of the mean) and ``total_5_years_no_lasting_change`` (if the change in health-service
        cost ended with follow-up: the follow-up cost alone).
    """
    draws = per_draw_impact(costs, comparator, population, tail_weeks)
    order = [o for o in pd.unique(costs["option"]) if o != comparator]
    rows = []
    for option in order:
        part = draws[draws["option"] == option]
        followup = float(part["per_patient_followup"].mean())
        row: dict[str, object] = {
            "option": option,
            "population": population,
            "per_patient_followup": followup,
            "per_patient_weekly_after": float(part["per_patient_weekly_after"].mean()),
        }
        for column in ("year_1", "total_5_years"):
            mean, low, high = _mean_interval(part[column].to_numpy(float))
            row |= {column: mean, f"{column}_low": low, f"{column}_high": high}
        row["later_years"] = float(part["year_2"].mean())
        row["total_5_years_no_lasting_change"] = population * followup
        rows.append(row)
    return pd.DataFrame(rows)
