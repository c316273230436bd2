"""The per-trial economics of a virtual trial as a table for people.

One row per replicate trial: incremental cost (pounds, thousands separators), incremental QALYs,
the cost per QALY in words (``dominant`` or ``dominated`` where it applies, never a negative
ratio) and the net monetary benefit.
"""

from __future__ import annotations

import pandas as pd

from sim.economics.text import gbp, icer_text, signed_gbp


def per_trial_table(economics: pd.DataFrame, willingness_to_pay: float) -> pd.DataFrame:
    """The ``economics`` table of a trial folder, one text row per replicate trial.

    Args:
        economics: Columns ``replicate``, ``delta_cost``, ``delta_qaly`` and ``net_benefit``.
        willingness_to_pay: GBP per QALY at which the net benefit was computed.
    """
    return pd.DataFrame(
        {
            "Trial": economics["replicate"].astype(int) + 1,
            "Incremental cost per patient": [signed_gbp(v) for v in economics["delta_cost"]],
            "Incremental QALYs per patient": [f"{v:+.4f}" for v in economics["delta_qaly"]],
            "Cost per QALY": [
                icer_text(c, q)
                for c, q in zip(economics["delta_cost"], economics["delta_qaly"], strict=True)
            ],
            f"Net benefit at {gbp(willingness_to_pay)} per QALY": [
                signed_gbp(v) for v in economics["net_benefit"]
            ],
        }
    )
