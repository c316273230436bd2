"""The skew-normal age distribution a scenario's age mean, SD and share aged 75+ describe.

The cohort draws ages from it (:func:`sim.population.cohort.draw_ages`), and a scenario is
rejected when no skew-normal reaches its three figures (:mod:`sim.config.scenario`).
"""

from __future__ import annotations

import functools
import math

from scipy import optimize, stats


@functools.lru_cache(maxsize=64)
def skewnorm_for(
    mean: float, sd: float, p_above: float, threshold: float = 75.0
) -> tuple[float, float, float]:
    """Find the skew-normal (shape, loc, scale) with a given mean, SD and share above a threshold.

    Args:
        mean: Mean (years).
        sd: Standard deviation (years).
        p_above: Share at or above ``threshold``.
        threshold: The threshold (years).

    Returns:
        ``(a, loc, scale)`` for :data:`scipy.stats.skewnorm`.

    Raises:
        ValueError: if no skew-normal with that mean and SD has that share above the threshold.
    """

    def params(a: float) -> tuple[float, float]:
        delta = a / math.sqrt(1 + a * a)
        scale = sd / math.sqrt(1 - 2 * delta * delta / math.pi)
        return mean - scale * delta * math.sqrt(2 / math.pi), scale

    def gap(a: float) -> float:
        loc, scale = params(a)
        return float(stats.skewnorm.sf(threshold, a, loc, scale)) - p_above

    lo, hi = -30.0, 30.0
    if gap(lo) * gap(hi) > 0:
        share = sorted((gap(lo) + p_above, gap(hi) + p_above))
        raise ValueError(
            f"with mean {mean} and SD {sd}, the share at or above {threshold} can "
            f"only be between {share[0]:.3f} and {share[1]:.3f}"
        )
    a = optimize.brentq(gap, lo, hi, xtol=1e-10)
    return (a, *params(a))
