"""Money, QALYs and cost-effectiveness ratios in words, for people rather than machines.

A ratio of incremental cost to incremental QALYs is only a "cost per QALY gained" in the
north-east quadrant of the cost-effectiveness plane (more QALYs at more cost). Elsewhere the
number misleads: an option with more QALYs at lower cost is *dominant*, one with fewer QALYs at
higher cost is *dominated*, and in the south-west quadrant (fewer QALYs, lower cost) the ratio is
the money *saved* per QALY lost. :func:`icer_text` says which, so that no negative ratio is ever
printed.
"""

from __future__ import annotations

import math

#: Quadrants of the cost-effectiveness plane, by the signs of (incremental QALYs, cost).
QUADRANTS = ("dominant", "dominated", "more effective, more costly", "less effective, less costly")


def gbp(value: float, decimals: int = 0) -> str:
    """A sum of money for people: 20000 -> '£20,000', -150.4 -> '-£150', nan -> '-'."""
    if not math.isfinite(value):
        return "-"
    negative = round(value, decimals) < 0
    return f"{'-' if negative else ''}£{abs(value):,.{decimals}f}"


def signed_gbp(value: float, decimals: int = 0) -> str:
    """A difference in money with its sign: 45 -> '+£45', -3.2 -> '-£3', 0 -> '£0'."""
    text = gbp(value, decimals)
    return "+" + text if math.isfinite(value) and round(value, decimals) > 0 else text


def number(value: float, decimals: int = 0, signed: bool = False) -> str:
    """A number with thousands separators and fixed decimals, never in scientific notation."""
    if not math.isfinite(value):
        return "-"
    return f"{value:{'+' if signed else ''},.{decimals}f}"


def quadrant(delta_cost: float, delta_qaly: float) -> str:
    """The quadrant of the plane an option falls in against its comparator (one of QUADRANTS).

    Ties go to the kinder reading for the option only when the other difference makes it better:
    equal cost with more QALYs is dominant, equal QALYs at higher cost dominated.

    Raises:
        ValueError: if either difference is not a finite number, or both are zero.
    """
    if not (math.isfinite(delta_cost) and math.isfinite(delta_qaly)):
        raise ValueError("incremental cost and QALYs must be finite numbers")
    if delta_qaly == 0 and delta_cost == 0:
        raise ValueError("the option and its comparator are the same")
    if delta_qaly >= 0 and delta_cost <= 0:
        return "dominant"
    if delta_qaly <= 0 and delta_cost >= 0:
        return "dominated"
    return "more effective, more costly" if delta_qaly > 0 else "less effective, less costly"


def icer(delta_cost: float, delta_qaly: float) -> float:
    """The ratio of incremental cost to QALYs where it means one; NaN when dominant or dominated.

    Positive in the north-east quadrant (cost per QALY gained) and the south-west quadrant
    (money saved per QALY lost); never negative.
    """
    try:
        where = quadrant(delta_cost, delta_qaly)
    except ValueError:
        return math.nan
    if where in ("dominant", "dominated"):
        return math.nan
    return delta_cost / delta_qaly


def _plainly(delta_cost: float, delta_qaly: float) -> str:
    """'more QALYs at lower cost' and the like, saying 'the same' for a zero difference."""
    qalys = "more" if delta_qaly > 0 else "fewer" if delta_qaly < 0 else "the same"
    cost = "higher" if delta_cost > 0 else "lower" if delta_cost < 0 else "the same"
    return f"{qalys} QALYs at {cost} cost"


def icer_text(delta_cost: float, delta_qaly: float) -> str:
    """The cost per QALY in words, by the quadrant of the plane it falls in."""
    try:
        where = quadrant(delta_cost, delta_qaly)
    except ValueError:
        return "no difference in cost or QALYs: cost per QALY undefined"
    if where in ("dominant", "dominated"):
        return f"{where}: {_plainly(delta_cost, delta_qaly)}"
    ratio = gbp(delta_cost / delta_qaly)
    if where == "more effective, more costly":
        return f"{ratio} per QALY gained"
    return f"{ratio} saved per QALY lost"
