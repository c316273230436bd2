"""Summaries of a comparison: effects, the league table, acceptability and budget impact.

Everything is computed from the tidy per-replicate tables of :class:`~.simulate.ComparisonRun`
(one row per draw, option and outcome; a draw is a replicate trial, and an ensemble member when a
``member`` column is present), so new outcomes or cost components flow through unchanged.

- Effects: each option's results as ``sim trial`` summarises them
  (:func:`sim.trial.summaries.summarise_effects`: mean estimate, mean 95% CI, spread, power, truth).
- Economics: per draw, the trial's adjusted incremental cost and QALYs of each option against
  usual care (ANCOVA, as ``sim trial``); their means over draws go through the incremental
  analysis (:func:`sim.economics.frontier.incremental_analysis`), net monetary benefit and the
  acceptability curves (:func:`sim.economics.acceptability.acceptability`).
- Budget impact: from the weekly mean cost of each replicate's whole practice population under
  each option (:func:`sim.economics.budget.budget_impact`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.compare.simulate import ComparisonRun
from sim.compare.spec import COMPARATOR_LABEL
from sim.economics.acceptability import DEFAULT_WTP, acceptability, draw_keys, net_benefit
from sim.economics.budget import budget_impact
from sim.economics.frontier import incremental_analysis
from sim.economics.text import icer, quadrant
from sim.trial.summaries import summarise_effects

#: Effects shown in the league table (outcome names of :data:`sim.trial.trial_outcomes.OUTCOMES`).
LEAGUE_EFFECTS = ("eq5d", "bp_controlled", "heiq")


def effects(run: ComparisonRun) -> pd.DataFrame:
    """Each option's overall effects summarised over replicate trials, with an ``option`` column."""
    parts = []
    for option in _options(run):
        estimates = run.estimates[run.estimates["option"] == option].drop(columns="option")
        truth = run.truth[run.truth["option"] == option].drop(columns="option")
        summary = summarise_effects(estimates, truth, run.plan.design.alpha)
        parts.append(summary.assign(option=option))
    frame = pd.concat(parts, ignore_index=True)
    return frame[["option", *[c for c in frame.columns if c != "option"]]]


def _options(run: ComparisonRun) -> list[str]:
    return [label for label, _, _ in run.plan.options]


def draws(run: ComparisonRun) -> pd.DataFrame:
    """Per draw and option: the trial's incremental cost (GBP) and QALYs against usual care."""
    keys = draw_keys(run.estimates)
    overall = run.estimates[run.estimates["outcome"].isin(["cost", "qaly"])]
    wide = overall.pivot_table(
        index=[*keys, "option"], columns="outcome", values="estimate", sort=False
    ).reset_index()
    wide = wide.rename(columns={"cost": "delta_cost", "qaly": "delta_qaly"})
    wide.columns.name = None
    order = {name: k for k, name in enumerate(_options(run))}
    wide = wide.sort_values(
        [*keys, "option"], key=lambda s: s.map(order) if s.name == "option" else s
    )
    return wide[[*keys, "option", "delta_cost", "delta_qaly"]].reset_index(drop=True)


@dataclass
class Economics:
    """The economic results of a comparison.

    Attributes:
        league: One row per option (usual care first): numbers of the league table.
        frontier: The incremental analysis (:func:`incremental_analysis`) of the mean
            incremental costs and QALYs.
        acceptability: The acceptability curves (:func:`acceptability`).
        budget: The budget impact (:func:`budget_impact`).
    """

    league: pd.DataFrame
    frontier: pd.DataFrame
    acceptability: pd.DataFrame
    budget: pd.DataFrame


def _spread(values: pd.Series) -> tuple[float, float, float]:
    values = values.dropna()
    if values.empty:
        return np.nan, np.nan, np.nan
    return float(values.mean()), float(values.quantile(0.025)), float(values.quantile(0.975))


def _effect_columns(summary: pd.DataFrame, option: str) -> dict[str, float]:
    rows = summary[(summary["option"] == option) & (summary["subgroup"] == "all")]
    rows = rows.set_index("outcome")
    out = {}
    for outcome in LEAGUE_EFFECTS:
        for column in ("estimate", "ci_low", "ci_high", "power", "true_effect"):
            out[f"{outcome}_{column}"] = float(rows.at[outcome, column])
    for outcome in ("cost", "qaly"):
        out[f"true_delta_{outcome}"] = float(rows.at[outcome, "true_effect"])
    return out


def _economic_columns(part: pd.DataFrame, wtp: float) -> dict[str, float]:
    cost, cost_low, cost_high = _spread(part["delta_cost"])
    qaly, qaly_low, qaly_high = _spread(part["delta_qaly"])
    nmb, nmb_low, nmb_high = _spread(
        pd.Series(net_benefit(part["delta_cost"], part["delta_qaly"], wtp))
    )
    try:
        where = quadrant(cost, qaly)
    except ValueError:
        where = ""
    return {
        "delta_cost": cost,
        "delta_cost_low": cost_low,
        "delta_cost_high": cost_high,
        "delta_qaly": qaly,
        "delta_qaly_low": qaly_low,
        "delta_qaly_high": qaly_high,
        "quadrant": where,
        "icer_vs_usual_care": icer(cost, qaly),
        "net_benefit": nmb,
        "net_benefit_low": nmb_low,
        "net_benefit_high": nmb_high,
    }


def economics(
    run: ComparisonRun,
    summary: pd.DataFrame,
    willingness_to_pay: float,
    population: int,
    wtp_range: tuple[float, ...] = DEFAULT_WTP,
) -> Economics:
    """The league table, incremental analysis, acceptability curves and budget impact.

    Args:
        run: The comparison's raw tables.
        summary: Its effects (:func:`effects`).
        willingness_to_pay: GBP per QALY for net monetary benefit and the chance of being best.
        population: Patients in the budget-impact table.
        wtp_range: Thresholds of the acceptability curves (``willingness_to_pay`` is added).
    """
    per_draw = draws(run)
    means = per_draw.groupby("option", sort=False)[["delta_cost", "delta_qaly"]].mean()
    options = pd.concat(
        [pd.DataFrame({"delta_cost": [0.0], "delta_qaly": [0.0]}, index=[COMPARATOR_LABEL]), means]
    ).rename(columns={"delta_cost": "cost", "delta_qaly": "qaly"})
    frontier = incremental_analysis(options)
    thresholds = tuple(sorted({*wtp_range, float(willingness_to_pay)}))
    curves = acceptability(per_draw, COMPARATOR_LABEL, thresholds)
    at_wtp = curves[curves["willingness_to_pay"] == float(willingness_to_pay)].set_index("option")
    rows = []
    for option in [COMPARATOR_LABEL, *_options(run)]:
        row: dict[str, object] = {"option": option}
        if option != COMPARATOR_LABEL:
            row |= _economic_columns(per_draw[per_draw["option"] == option], willingness_to_pay)
            row |= _effect_columns(summary, option)
        status = frontier.set_index("option").loc[option]
        row |= {
            "frontier_status": status["status"],
            "frontier_versus": status["versus"],
            "frontier_icer": status["icer"],
            "frontier_result": status["result"],
            "willingness_to_pay": float(willingness_to_pay),
            "p_best": float(at_wtp.at[option, "probability"]),
        }
        rows.append(row)
    costs = run.trajectories[run.trajectories["outcome"] == "cost"].rename(
        columns={"value": "cost"}
    )
    budget = budget_impact(costs, COMPARATOR_LABEL, population)
    return Economics(pd.DataFrame(rows), frontier, curves, budget)
