"""The comparison's tables for people: the league table and the budget impact as text.

Money has thousands separators and a pound sign, ratios say "dominant" or "dominated" where they
apply (:func:`sim.economics.text.icer_text`), and no number is in scientific notation.
"""

from __future__ import annotations

import math

import pandas as pd

from sim.economics.text import gbp, icer_text, signed_gbp


def _effect(row: pd.Series, outcome: str) -> str:
    estimate = row.get(f"{outcome}_estimate", math.nan)
    if not isinstance(estimate, float) or not math.isfinite(estimate):
        return "-"
    low, high = row[f"{outcome}_ci_low"], row[f"{outcome}_ci_high"]
    if outcome == "bp_controlled":
        return f"{estimate:.2f} ({low:.2f} to {high:.2f})"
    return f"{estimate:+.3f} ({low:+.3f} to {high:+.3f})"


def _spread(row: pd.Series, column: str, money: bool) -> str:
    value, low, high = row[column], row[f"{column}_low"], row[f"{column}_high"]
    if money:
        return f"{signed_gbp(value)} ({signed_gbp(low)} to {signed_gbp(high)})"
    return f"{value:+.4f} ({low:+.4f} to {high:+.4f})"


def _frontier(row: pd.Series) -> str:
    status, versus = row["frontier_status"], row["frontier_versus"]
    if status == "frontier":
        return (
            "reference (cheapest)"
            if not versus
            else (f"{gbp(row['frontier_icer'])} per QALY gained against {versus}")
        )
    if status == "dominated":
        return f"dominated by {versus}"
    return "extendedly dominated"


def _reference(row: pd.Series) -> bool:
    value = row.get("delta_cost", math.nan)
    return not (isinstance(value, float) and math.isfinite(value))


def effects_text(league: pd.DataFrame) -> pd.DataFrame:
    """Each option's effects against usual care as text (mean estimate, average 95% CI).

    Args:
        league: The league table's numbers (:attr:`sim.compare.summary.Economics.league`).
    """
    options = league[~league.apply(_reference, axis=1)]
    return pd.DataFrame(
        {
            "Option": options["option"],
            "Quality of life: EQ-5D-3L difference (95% CI)": [
                _effect(r, "eq5d") for _, r in options.iterrows()
            ],
            "Blood pressure controlled: odds ratio (95% CI)": [
                _effect(r, "bp_controlled") for _, r in options.iterrows()
            ],
            "Engagement: heiQ difference (95% CI)": [
                _effect(r, "heiq") for _, r in options.iterrows()
            ],
        }
    ).reset_index(drop=True)


def value_text(league: pd.DataFrame) -> pd.DataFrame:
    """The league table of value for money as text, one row per option (usual care first).

    Args:
        league: The league table's numbers (:attr:`sim.compare.summary.Economics.league`).
    """
    wtp = gbp(float(league["willingness_to_pay"].iloc[0]))
    rows = []
    for _, row in league.iterrows():
        reference = _reference(row)
        rows.append(
            {
                "Option": row["option"],
                "Cost per patient": "reference" if reference else signed_gbp(row["delta_cost"]),
                "QALYs per patient": "reference" if reference else f"{row['delta_qaly']:+.4f}",
                "Cost per QALY against usual care": "reference"
                if reference
                else icer_text(row["delta_cost"], row["delta_qaly"]),
                "Efficiency frontier": _frontier(row),
                f"Net benefit per patient at {wtp} per QALY": "£0"
                if reference
                else signed_gbp(row["net_benefit"]),
                f"Best value at {wtp} per QALY": f"{100 * row['p_best']:.0f}% of trials",
            }
        )
    return pd.DataFrame(rows)


def spread_text(league: pd.DataFrame) -> pd.DataFrame:
    """How far cost, QALYs and net benefit varied between trials (2.5% to 97.5% points)."""
    rows = []
    for _, row in league.iterrows():
        if _reference(row):
            continue
        rows.append(
            {
                "Option": row["option"],
                "Cost per patient": _spread(row, "delta_cost", True),
                "QALYs per patient": _spread(row, "delta_qaly", False),
                "Net benefit per patient": _spread(row, "net_benefit", True),
            }
        )
    return pd.DataFrame(rows)


def budget_text(budget: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """The budget-impact table as text, one row per option.

    Args:
        budget: :func:`sim.economics.budget.budget_impact` output.
        weeks: Weeks of follow-up simulated.
    """
    rows = []
    for _, row in budget.iterrows():
        rows.append(
            {
                "Option": row["option"],
                f"Per patient, first {weeks} weeks": signed_gbp(row["per_patient_followup"]),
                "Per patient per week after that": signed_gbp(row["per_patient_weekly_after"], 2),
                "Year 1 (95% CI)": f"{signed_gbp(row['year_1'])} ({signed_gbp(row['year_1_low'])} "
                f"to {signed_gbp(row['year_1_high'])})",
                "Each of years 2 to 5": signed_gbp(row["later_years"]),
                "5 years (95% CI)": f"{signed_gbp(row['total_5_years'])} "
                f"({signed_gbp(row['total_5_years_low'])} to "
                f"{signed_gbp(row['total_5_years_high'])})",
                "5 years if the change in service use ends with follow-up": signed_gbp(
                    row["total_5_years_no_lasting_change"]
                ),
            }
        )
    return pd.DataFrame(rows)


#: Outcomes of the uncertainty table, as people read them: label and decimals.
_UNCERTAIN = {
    "eq5d": ("Quality of life (EQ-5D-3L difference)", 3),
    "bp_controlled": ("Blood pressure controlled (odds ratio)", 2),
    "heiq": ("Engagement (heiQ difference)", 3),
    "cost": ("Cost per patient (GBP difference)", 0),
    "qaly": ("QALYs per patient (difference)", 4),
}


def uncertainty_text(table: pd.DataFrame) -> pd.DataFrame:
    """Each option's prediction intervals over an ensemble as text.

    Args:
        table: :attr:`sim.compare.run_comparison.ComparisonResults.uncertainty`.
    """

    def number(value: float, digits: int, money: bool) -> str:
        return signed_gbp(value) if money else f"{value:+.{digits}f}"

    rows = []
    for _, r in table[table["outcome"].isin(list(_UNCERTAIN))].iterrows():
        label, digits = _UNCERTAIN[r["outcome"]]
        money, ratio = r["outcome"] == "cost", r["scale"] == "odds ratio"
        show = (
            (lambda v, d=digits: f"{v:.{d}f}")
            if ratio
            else (lambda v, d=digits, m=money: number(v, d, m))
        )
        share = r["parameter_share"]
        rows.append(
            {
                "Option": r["option"],
                "Outcome": label,
                "Mean estimate": show(r["mean_estimate"]),
                "95% prediction interval": f"{show(r['prediction_low'])} to "
                f"{show(r['prediction_high'])}",
                "Share of variance from the parameters": "-"
                if pd.isna(share)
                else f"{100 * share:.0f}%",
            }
        )
    return pd.DataFrame(rows)


def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame of text as a Markdown table."""
    head = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns) + "\n"
    return head + "".join("| " + " | ".join(map(str, row)) + " |\n" for row in frame.to_numpy())
