"""Summaries of replicate trials: the results table of a trial paper, subgroups and economics.

Over replicate trials, a difference is summarised by its mean and an odds ratio by its geometric
mean (the mean of log odds ratios), with the mean 95% confidence limits (what one trial reports),
the 2.5% and 97.5% points of the estimates (how much trials differ by chance) and the share of
trials with p below alpha (power). The true effect is the same analysis applied to the whole
population with everyone treated against no one (:func:`sim.trial.data.potential_outcomes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.economics.text import icer, quadrant
from sim.trial.trial_outcomes import OUTCOMES, SUBGROUPS

KEYS = ["outcome", "scale", "subgroup", "level"]


def _centre(values: pd.Series, scale: str) -> float:
    values = values.dropna()
    if values.empty:
        return float("nan")
    if scale == "odds ratio":
        return float(np.exp(np.log(values).mean()))
    return float(values.mean())


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort rows by outcome, then overall before subgroups, in declaration order."""
    outcome = {name: i for i, name in enumerate(OUTCOMES)}
    subgroup = {"all": 0, **{name: i + 1 for i, name in enumerate(SUBGROUPS)}}
    level = {"all": 0}
    for _, levels in SUBGROUPS.values():
        level.update({label: i for i, (_, label) in enumerate(levels)})
    key = (
        frame["outcome"].map(outcome) * 10_000
        + frame["subgroup"].map(subgroup) * 100
        + frame["level"].map(level)
    )
    return frame.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)


def summarise_effects(estimates: pd.DataFrame, truth: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """One row per outcome and subgroup level, summarising the replicate trials.

    Columns: the keys, ``n_trials`` (trials with an estimate), ``estimate``, ``ci_low``,
    ``ci_high`` (centres over trials), ``spread_low``, ``spread_high`` (2.5% and 97.5% of the
    estimates), ``power`` (share of trials with p < alpha), ``n_intervention``, ``n_control``
    (mean per trial) and ``true_effect``.
    """
    rows = []
    for key, part in estimates.groupby(KEYS, sort=False):
        scale = key[1]
        valid = part.dropna(subset=["estimate"])
        rows.append(
            {
                **dict(zip(KEYS, key, strict=True)),
                "n_trials": len(valid),
                "estimate": _centre(valid["estimate"], scale),
                "ci_low": _centre(valid["ci_low"], scale),
                "ci_high": _centre(valid["ci_high"], scale),
                "spread_low": float(valid["estimate"].quantile(0.025)) if len(valid) else np.nan,
                "spread_high": float(valid["estimate"].quantile(0.975)) if len(valid) else np.nan,
                "power": float((valid["p_value"] < alpha).mean()) if len(valid) else np.nan,
                "n_intervention": float(part["n_intervention"].mean()),
                "n_control": float(part["n_control"].mean()),
            }
        )
    summary = pd.DataFrame(rows)
    true = (
        truth.groupby(KEYS, sort=False)["estimate"]
        .apply(lambda s: _centre(s, s.name[1]))  # type: ignore[index]
        .rename("true_effect")
        .reset_index()
    )
    return _order(summary.merge(true, on=KEYS, how="left"))


def economics(estimates: pd.DataFrame, willingness_to_pay: float) -> pd.DataFrame:
    """Per replicate: adjusted incremental cost and QALYs, cost per QALY and net benefit.

    ``quadrant`` names the quadrant of the cost-effectiveness plane (``"dominant"``,
    ``"dominated"``, ...); ``icer`` is the ratio only where it means one (NaN when dominant or
    dominated, never negative; :func:`sim.economics.text.icer`).
    """
    overall = estimates[estimates["subgroup"] == "all"]
    wide = overall.pivot(index="replicate", columns="outcome", values="estimate")
    out = pd.DataFrame(
        {"replicate": wide.index, "delta_cost": wide["cost"], "delta_qaly": wide["qaly"]}
    ).reset_index(drop=True)
    pairs = list(zip(out["delta_cost"], out["delta_qaly"], strict=True))
    out["quadrant"] = [_quadrant(c, q) for c, q in pairs]
    out["icer"] = [icer(c, q) for c, q in pairs]
    out["net_benefit"] = willingness_to_pay * out["delta_qaly"] - out["delta_cost"]
    return out


def _quadrant(delta_cost: float, delta_qaly: float) -> str:
    try:
        return quadrant(delta_cost, delta_qaly)
    except ValueError:
        return ""


def economic_summary(
    per_trial: pd.DataFrame, summary: pd.DataFrame, willingness_to_pay: float
) -> dict[str, float]:
    """Mean incremental cost and QALYs, their ratio, and the chance of being cost-effective."""
    overall = summary[summary["subgroup"] == "all"].set_index("outcome")
    delta_cost, delta_qaly = per_trial["delta_cost"].mean(), per_trial["delta_qaly"].mean()
    true_cost, true_qaly = overall.loc["cost", "true_effect"], overall.loc["qaly", "true_effect"]
    return {
        "delta_cost": float(delta_cost),
        "delta_qaly": float(delta_qaly),
        "icer": icer(float(delta_cost), float(delta_qaly)),
        "true_delta_cost": float(true_cost),
        "true_delta_qaly": float(true_qaly),
        "true_icer": icer(float(true_cost), float(true_qaly)),
        "willingness_to_pay": willingness_to_pay,
        "p_cost_effective": float((per_trial["net_benefit"] > 0).mean()),
    }


#: Decimals shown for differences, by the unit of the outcome.
DIGITS = {"GBP": 0, "QALY": 4}


def _number(value: float, scale: str, signed: bool = True, unit: str = "") -> str:
    if not np.isfinite(value):
        return "-"
    if scale == "odds ratio":
        return f"{value:.2f}"
    digits = DIGITS.get(unit, 3)
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _arm_cell(arms: pd.DataFrame, outcome: str, arm: str) -> str:
    part = arms[(arms["outcome"] == outcome) & (arms["arm"] == arm)]
    n, mean, sd = part["n"].mean(), part["mean"].mean(), part["sd"].mean()
    spec = OUTCOMES[outcome]
    if spec.model == "logistic":
        return f"{n:.0f}; {100 * mean:.1f}%"
    text = [_number(v, "difference", False, spec.unit) for v in (mean, sd)]
    return f"{n:.0f}; {text[0]} ({text[1]})"


def results_table(
    summary: pd.DataFrame, arms: pd.DataFrame, published: list | None = None
) -> pd.DataFrame:
    """The results table of a trial paper: one row per outcome, as text.

    Args:
        summary: :func:`summarise_effects` output.
        arms: The arm summaries.
        published: The scenario's published comparators (:mod:`sim.trial.published`); the
            last column shows each with its label (used in fitting, or predicted), or "-".
    """
    from sim.trial.published import cell

    published = published or []
    rows = []
    for _, r in summary[summary["subgroup"] == "all"].iterrows():
        spec, scale = OUTCOMES[r["outcome"]], r["scale"]

        def num(value: float, spec=spec, scale=scale) -> str:
            return _number(value, scale, True, spec.unit)

        rows.append(
            {
                "Outcome at follow-up": f"{spec.label} ({spec.unit})",
                "Usual care: n; mean (SD) or %": _arm_cell(arms, r["outcome"], "usual care"),
                "Intervention: n; mean (SD) or %": _arm_cell(arms, r["outcome"], "intervention"),
                "Effect": "adjusted OR" if scale == "odds ratio" else "adjusted difference",
                "Mean estimate (mean 95% CI)": f"{num(r['estimate'])} "
                f"({num(r['ci_low'])} to {num(r['ci_high'])})",
                "Estimates over trials (2.5% to 97.5%)": f"{num(r['spread_low'])} to "
                f"{num(r['spread_high'])}",
                "Power": f"{100 * r['power']:.0f}%",
                "True effect": num(r["true_effect"]),
                "Published comparator": cell(published, r["outcome"], num),
            }
        )
    return pd.DataFrame(rows)


def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame of text as a Markdown table."""
    head = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns) + "\n"
    return head + "".join("| " + " | ".join(map(str, row)) + " |\n" for row in frame.to_numpy())
