"""Usual care from mechanisms: the warm-up before recruitment, and branching arms from it.

The population is built and every stock starts at a simple initial condition
(:mod:`sim.dynamics.baseline`): knowledge and collective efficacy at their equilibrium under the
baseline network, self-efficacy at each patient's own level ``SE_0``, self-management at its target
with no overload, member strain 0, mental capacity at its baseline, everyone taking the medicines
prescribed, systolic BP at its untreated level, EQ-5D latent severities at their intercepts plus
the individual effects. Usual care then runs for ``run.warmup_weeks`` weeks with the clinical
clock held (age, true eGFR and its slope, the measured stage and survival stay as drawn, so the
cohort recruited is the one described by target T1), while knowledge, collective efficacy,
strain, mental capacity, self-efficacy, self-management, persistence, medicines, BP, EQ-5D,
group ties and negotiated roles find their levels; reviews run on their staggered schedule,
whose clock starts with the warm-up. Then the cohort is recruited (week 0: a BP reading, counters
from zero, the clinical clock starts) and interventions are delivered. Whatever trend usual care
shows after recruitment is what the mechanisms give.

Trial arms share the warm-up (randomisation happens at recruitment): :func:`snapshot` takes the
state at recruitment, arrays and random streams, and :func:`restore` puts a copy of it into a new
model, so each arm continues from the same state with the same random numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.dynamics.state import Dynamics
from sim.dynamics.step import WeeklyDynamics

#: Stocks whose population means show that the warm-up has settled (they move slowest).
SLOW_STOCKS: tuple[str, ...] = (
    "knowledge_clinical",
    "knowledge_lay",
    "collective",
    "self_efficacy",
    "self_management",
    "mental",
    "persisting",
    "medicines",
    "sbp",
    "utility",
    "mobilisation",
)


@dataclass
class Start:
    """A model's state at recruitment, from which trial arms branch.

    Attributes:
        dynamics: The dynamic arrays.
        clock: Weeks since the start of the warm-up.
        given_by_type: Work given per tie type in the last week.
        taking_part: Established participation computed in the last week.
    """

    dynamics: Dynamics
    clock: int
    given_by_type: np.ndarray
    taking_part: np.ndarray


def warm_up(
    weekly: WeeklyDynamics, weeks: int, each_week: Callable[[int], None] | None = None
) -> None:
    """Run ``weeks`` weeks of usual care with the clinical clock held, then recruit.

    Args:
        weekly: The mechanisms over the state before the warm-up.
        weeks: Weeks of warm-up.
        each_week: Called with the week of the warm-up (1, 2, ...) after each week.
    """
    for week in range(1, weeks + 1):
        weekly.step()
        if each_week is not None:
            each_week(week)
    weekly.recruit()


def snapshot(weekly: WeeklyDynamics) -> Start:
    """A copy of the state of ``weekly`` (usually at recruitment)."""
    return Start(
        weekly.state.copy(),
        weekly.clock,
        weekly.given_by_type.copy(),
        weekly.taking_part.copy(),
    )


def restore(weekly: WeeklyDynamics, start: Start) -> None:
    """Continue ``weekly`` (built over a copy of ``start.dynamics``) from ``start``."""
    weekly.clock = start.clock
    weekly.given_by_type[:] = start.given_by_type
    weekly.taking_part = start.taking_part.copy()
    weekly.recruited = True


def stock_means(weekly: WeeklyDynamics) -> dict[str, float]:
    """Population means of :data:`SLOW_STOCKS` over living patients."""
    pt = weekly.state.patients
    alive = pt.alive
    return {name: float(np.mean(getattr(pt, name)[alive])) for name in SLOW_STOCKS}
