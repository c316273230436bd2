"""Incremental cost-effectiveness analysis of mutually exclusive options (the efficiency frontier).

Options are compared as a health-economic league table does (Drummond et al. 2015, *Methods for
the Economic Evaluation of Health Care Programmes*, 4th ed., chapter 4; NICE 2022 manual, 4.4):

1. Order the options by cost, cheapest first (equal costs: more QALYs first).
2. **Dominated**: an option is dominated if another costs no more and gives at least as many
   QALYs (and is better on one of the two, or is listed before it when both are equal). Remove it.
3. **Extendedly dominated**: among the rest (now rising in cost and in QALYs), an option whose
   incremental cost-effectiveness ratio (ICER) against the previous option is higher than the next
   option's ICER against it could be beaten by a mix of its neighbours. Remove the first such
   option and recompute, until the ICERs rise along the frontier.
4. The remaining options form the efficiency frontier; each one's ICER is against the previous
   option on the frontier (the cheapest has none: it is the reference).

The willingness to pay decides between frontier options: the best is the most effective one whose
ICER is at or below it (equivalently the one with the highest net monetary benefit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.economics.text import gbp

#: Status of an option after the analysis.
FRONTIER, DOMINATED, EXTENDED = "frontier", "dominated", "extendedly dominated"


def _order(options: pd.DataFrame) -> list[str]:
    """Option names by cost, then by QALYs (more first), then as listed."""
    listed = {name: i for i, name in enumerate(options.index)}
    return sorted(
        options.index,
        key=lambda n: (options.at[n, "cost"], -options.at[n, "qaly"], listed[n]),
    )


def _dominated(options: pd.DataFrame, order: list[str]) -> dict[str, str]:
    """Each dominated option and the cheapest option that dominates it."""
    out = {}
    for k, name in enumerate(order):
        cost, qaly = options.at[name, "cost"], options.at[name, "qaly"]
        for other in order[:k]:  # cheaper, or as cheap and at least as effective
            if options.at[other, "cost"] <= cost and options.at[other, "qaly"] >= qaly:
                out[name] = other
                break
    return out


def _icers(options: pd.DataFrame, frontier: list[str]) -> list[float]:
    """ICER of each frontier option against the previous one (NaN for the first)."""
    cost = options.loc[frontier, "cost"].to_numpy(float)
    qaly = options.loc[frontier, "qaly"].to_numpy(float)
    return [np.nan, *(np.diff(cost) / np.diff(qaly))]


def _extendedly_dominated(options: pd.DataFrame, frontier: list[str]) -> list[str]:
    """Remove extendedly dominated options from ``frontier`` in place; return them in order."""
    removed = []
    while True:
        icers = _icers(options, frontier)
        worse = [k for k in range(1, len(frontier) - 1) if icers[k] > icers[k + 1]]
        if not worse:
            return removed
        removed.append(frontier.pop(worse[0]))


def _between(options: pd.DataFrame, frontier: list[str], name: str) -> tuple[str, str]:
    """The frontier options just below and just above an option's QALYs."""
    qaly = options.at[name, "qaly"]
    below = [n for n in frontier if options.at[n, "qaly"] < qaly]
    above = [n for n in frontier if options.at[n, "qaly"] > qaly]
    return below[-1], above[0]


def incremental_analysis(options: pd.DataFrame) -> pd.DataFrame:
    """The league table of mutually exclusive options: dominance, extended dominance and ICERs.

    Args:
        options: Indexed by option name (listing order breaks exact ties), with columns ``cost``
            (GBP per patient) and ``qaly`` (QALYs per patient). Absolute values, or differences
            from a common comparator (listed as an option with cost and QALYs 0): the analysis is
            the same.

    Returns:
        One row per option, in the order of the frontier (cheapest first) followed by the
        options removed: ``option``, ``cost``, ``qaly``, ``status`` (``"frontier"``,
        ``"dominated"`` or ``"extendedly dominated"``), ``versus`` (the previous frontier option,
        the option that dominates it, or the two frontier options whose mix beats it),
        ``incremental_cost``, ``incremental_qaly`` and ``icer`` (GBP per QALY gained, against
        the previous frontier option; NaN off the frontier and for the reference) and
        ``result`` (the same in words).

    Raises:
        ValueError: if there is no option, a name repeats, or a value is not a finite number.
    """
    _check(options)
    order = _order(options)
    dominated = _dominated(options, order)
    frontier = [n for n in order if n not in dominated]
    extended = _extendedly_dominated(options, frontier)
    icers = _icers(options, frontier)
    rows = []
    for k, name in enumerate(frontier):
        row = _row(options, name, FRONTIER, frontier[k - 1] if k else "")
        row["icer"] = icers[k]
        row["result"] = (
            "reference (lowest cost)"
            if k == 0
            else f"{gbp(icers[k])} per QALY gained against {frontier[k - 1]}"
        )
        rows.append(row)
    for name in extended:
        low, high = _between(options, frontier, name)
        row = _row(options, name, EXTENDED, f"{low} + {high}")
        row["result"] = f"extendedly dominated: a mix of {low} and {high} does better"
        rows.append(row)
    for name in (n for n in order if n in dominated):
        row = _row(options, name, DOMINATED, dominated[name])
        row["result"] = f"dominated by {dominated[name]} (at least as many QALYs, no more cost)"
        rows.append(row)
    return pd.DataFrame(rows)


def _row(options: pd.DataFrame, name: str, status: str, versus: str) -> dict:
    cost, qaly = float(options.at[name, "cost"]), float(options.at[name, "qaly"])
    on_frontier = status == FRONTIER and versus != ""
    return {
        "option": name,
        "cost": cost,
        "qaly": qaly,
        "status": status,
        "versus": versus,
        "incremental_cost": cost - float(options.at[versus, "cost"]) if on_frontier else np.nan,
        "incremental_qaly": qaly - float(options.at[versus, "qaly"]) if on_frontier else np.nan,
        "icer": np.nan,
    }


def _check(options: pd.DataFrame) -> None:
    if options.empty:
        raise ValueError("no option to compare")
    if options.index.has_duplicates:
        raise ValueError(
            f"option names repeat: {sorted(options.index[options.index.duplicated()])}"
        )
    values = options[["cost", "qaly"]].to_numpy(float)
    if not np.isfinite(values).all():
        raise ValueError("every option needs a finite cost and QALYs")


def best_option(options: pd.DataFrame, willingness_to_pay: float) -> str:
    """The option with the highest net monetary benefit at a willingness to pay (first if tied).

    Args:
        options: Indexed by option name, with columns ``cost`` and ``qaly``.
        willingness_to_pay: GBP per QALY.
    """
    benefit = willingness_to_pay * options["qaly"] - options["cost"]
    return str(benefit.idxmax())
