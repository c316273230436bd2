"""Net monetary benefit and cost-effectiveness acceptability curves over draws.

Net monetary benefit at a willingness to pay ``lambda`` (GBP per QALY) is
``NMB = lambda x incremental QALYs - incremental cost`` per patient against the common comparator
(whose NMB is 0). Over draws (replicate trials, and members of a parameter ensemble when present),
the acceptability curve of an option is the share of draws in which it has the highest NMB of all
options, comparator included, at each ``lambda`` (Fenwick, Claxton & Sculpher 2001, Health Econ
10:779-787). The shares of all options add up to one at every ``lambda``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Columns that identify one draw, when present (``member``: a parameter-ensemble member).
DRAW_KEYS = ("member", "replicate")
#: The default range of willingness to pay drawn by acceptability curves, GBP per QALY.
DEFAULT_WTP = tuple(float(x) for x in np.arange(0, 50_001, 1_000))


def net_benefit(delta_cost: np.ndarray, delta_qaly: np.ndarray, willingness_to_pay: float):
    """Net monetary benefit per patient: ``willingness_to_pay x delta_qaly - delta_cost``."""
    return willingness_to_pay * np.asarray(delta_qaly) - np.asarray(delta_cost)


def draw_keys(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` that identify a draw."""
    keys = [k for k in DRAW_KEYS if k in frame.columns]
    if not keys:
        raise ValueError(f"expected a draw column ({' or '.join(DRAW_KEYS)})")
    return keys


def _matrices(
    draws: pd.DataFrame, options: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Incremental cost and QALYs as (draws, options) matrices; the comparator is column 0."""
    keys = draw_keys(draws)
    wide = draws.pivot_table(index=keys, columns="option", values=["delta_cost", "delta_qaly"])
    missing = [o for o in options[1:] if o not in wide["delta_cost"].columns]
    if missing:
        raise ValueError(f"no draw of option(s) {missing}")
    cost = wide["delta_cost"].reindex(columns=list(options[1:])).to_numpy(float)
    qaly = wide["delta_qaly"].reindex(columns=list(options[1:])).to_numpy(float)
    zeros = np.zeros((len(wide), 1))
    return np.hstack([zeros, cost]), np.hstack([zeros, qaly]), list(options)


def acceptability(
    draws: pd.DataFrame,
    comparator: str,
    willingness_to_pay: Sequence[float] = DEFAULT_WTP,
) -> pd.DataFrame:
    """The probability that each option is the most cost-effective, by willingness to pay.

    Args:
        draws: One row per draw and option (not the comparator): draw columns (``replicate``,
            and ``member`` if present), ``option``, ``delta_cost`` and ``delta_qaly`` against
            the comparator. Draws with a missing value count for no option.
        comparator: The comparator's name (its NMB is 0 in every draw).
        willingness_to_pay: Thresholds in GBP per QALY.

    Returns:
        Columns ``willingness_to_pay``, ``option`` (comparator first, then options in order of
        first appearance), ``probability`` (share of complete draws in which it has the highest
        NMB; a tie goes to the option listed first) and ``expected_net_benefit`` (mean NMB per
        patient over draws).
    """
    options = [comparator, *pd.unique(draws["option"])]
    cost, qaly, names = _matrices(draws, options)
    complete = np.isfinite(cost).all(axis=1) & np.isfinite(qaly).all(axis=1)
    cost, qaly = cost[complete], qaly[complete]
    rows = []
    for wtp in willingness_to_pay:
        nmb = net_benefit(cost, qaly, wtp)
        best = np.argmax(nmb, axis=1)
        share = np.bincount(best, minlength=len(names)) / max(len(best), 1)
        mean = nmb.mean(axis=0) if len(nmb) else np.full(len(names), np.nan)
        rows += [
            {
                "willingness_to_pay": float(wtp),
                "option": name,
                "probability": float(share[k]),
                "expected_net_benefit": float(mean[k]),
            }
            for k, name in enumerate(names)
        ]
    return pd.DataFrame(rows)
