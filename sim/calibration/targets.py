"""Calibration targets (dossier section 7), as columns of the sweep engine's trial task.

Each target is a number the model should reproduce "measured the way the source measured it": the
network statistics T2-T4 and baseline outcomes T5-T6 over the simulated practice populations, T7
(the utility effect of starting community participation, :mod:`.participation`), T11 (taking
antihypertensives a year on without reviews, :func:`.clinical.persistence_without_reviews`) and the
BRIGHT virtual trial T9 as the mean adjusted estimate over replicate trials. ``sd`` is the target's
uncertainty (observation error) in the implausibility measure: a stated tolerance, half a stated
range, or the study's standard error (95% CI half-width / 1.96). ``discrepancy`` is the model
discrepancy: how far the best the model can do may differ from the truth (assumption: half the
observation uncertainty, unless a calibration file says otherwise). T8 (the ordering of
contributions) is not a number; tests/test_dynamics_targets.py checks it.

Targets are grouped (:data:`GROUPS`) for the cross-validation of a calibration: each group is left
out in turn. Adding a target is one entry in :data:`TARGETS` (its column must be an outcome of the
trial task, :data:`sim.sweeps.trial_task.TRIAL_OUTCOMES`) and one name in a group of
:data:`GROUPS`; adding a group is one entry there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One calibration target.

    Attributes:
        code: The dossier's target number (T2-T11), with a letter where it holds two numbers.
        column: The trial task's outcome column it is compared with (:mod:`sim.sweeps.tasks`).
        value: The target value, on the column's scale.
        sd: Uncertainty of the target on that scale (see the module docstring).
        label: What it is, with its unit.
        shown: How to show a value of the column to a reader (the inverse of any transform).
        discrepancy: SD of the model discrepancy on the column's scale (None: half of ``sd``).
    """

    code: str
    column: str
    value: float
    sd: float
    label: str
    shown: str = "value"
    discrepancy: float | None = None

    @property
    def discrepancy_sd(self) -> float:
        """The model discrepancy's SD (default: half the observation uncertainty)."""
        return self.discrepancy if self.discrepancy is not None else 0.5 * self.sd

    def display(self, x: float) -> float:
        """A value on the column's scale, as a reader knows it (odds ratios un-logged)."""
        return math.exp(x) if self.shown == "exp" else x


def _se(low: float, high: float) -> float:
    """Standard error from a 95% confidence interval."""
    return (high - low) / (2 * 1.959964)


#: Target name -> target. Values and sources: docs/ODD.md section 9 and the dossier, section 7.
TARGETS: dict[str, Target] = {
    "network_size": Target(
        "T2", "network_size", 8.5, 1.5, "contributing network members per patient (members)"
    ),
    "weak_tie_share": Target("T3a", "weak_tie_share", 16.1, 3.0, "weak ties (% of members)"),
    "professional_share": Target(
        "T3b", "professional_share", 15.5, 3.0, "primary-care professionals (% of members)"
    ),
    "group_participation": Target(
        "T4", "group_participation", 42.5, 7.5, "taking part in community groups (% of patients)"
    ),
    "baseline_bp_controlled": Target(
        "T5",
        "baseline_bp_controlled_hypertensive",
        0.58,
        0.08,
        "BP controlled at baseline, patients with hypertension (share)",
    ),
    "baseline_eq5d": Target(
        "T6", "baseline_eq5d", 0.80, (0.86 - 0.75) / 2, "EQ-5D at baseline (utility)"
    ),
    **{
        f"baseline_{d}": Target(
            f"T10{letter}",
            f"baseline_{d}",
            (low + high) / 2,
            (high - low) / 2,
            f"any problem with {label} at baseline (share)",
        )
        for d, letter, label, (low, high) in (
            ("mobility", "a", "mobility", (0.35, 0.60)),
            ("self_care", "b", "self-care", (0.08, 0.25)),
            ("usual_activities", "c", "usual activities", (0.25, 0.50)),
            ("pain_discomfort", "d", "pain or discomfort", (0.45, 0.70)),
            ("anxiety_depression", "e", "anxiety or depression", (0.18, 0.40)),
        )
    },
    "participation_effect": Target(
        "T7",
        "participation_effect",
        0.034,
        _se(0.004, 0.064),
        "utility gain of starting community participation over 6 months (utility)",
    ),
    "persistence_52": Target(
        "T11",
        "persistence_52",
        0.50,
        0.05,
        "still taking antihypertensives 52 weeks after recruitment with no review (share)",
    ),
    "eq5d_effect": Target(
        "T9a", "eq5d_effect", 0.05, _se(0.01, 0.08), "BRIGHT EQ-5D adjusted difference (utility)"
    ),
    "bp_controlled_or": Target(
        "T9b",
        "bp_controlled_log_or",
        math.log(1.85),
        _se(math.log(1.25), math.log(2.72)),
        "BRIGHT BP-control adjusted odds ratio",
        shown="exp",
    ),
}


#: Target group -> the targets in it (names of :data:`TARGETS`), for cross-validation. T12
#: (admissions by eGFR) and the five-year natural history, measured on longer usual-care runs
#: (:mod:`.clinical`), are fitted by hand and checked by tests, not emulated.
GROUPS: dict[str, tuple[str, ...]] = {
    "network (T2-T4)": (
        "network_size",
        "weak_tie_share",
        "professional_share",
        "group_participation",
    ),
    "clinical (T5-T6)": ("baseline_bp_controlled", "baseline_eq5d"),
    "EQ-5D profile (T10)": tuple(
        f"baseline_{d}"
        for d in (
            "mobility",
            "self_care",
            "usual_activities",
            "pain_discomfort",
            "anxiety_depression",
        )
    ),
    "participation (T7)": ("participation_effect",),
    "medicines (T11)": ("persistence_52",),
    "trial (T9)": ("eq5d_effect", "bp_controlled_or"),
}


@dataclass(frozen=True)
class RangeTarget:
    """A target given as a range, measured on a usual-care run (:mod:`.clinical`).

    Attributes:
        code: The dossier's target number, with the part it holds (e.g. ``"T10 mobility"``).
        low: Lowest value inside the target.
        high: Highest value inside the target.
        label: What it is, with its unit.
    """

    code: str
    low: float
    high: float
    label: str

    def holds(self, value: float) -> bool:
        """True if ``value`` lies inside the range."""
        return self.low <= value <= self.high


#: Clinical targets T10-T12 and the five-year natural history (dossier sections 6, 6b and 7),
#: measured by :mod:`sim.calibration.clinical`; T12's intervals are Go et al.'s hazard ratios
#: widened by 0.15. Natural history: Shardlow et al. 2016 with the tolerances of the tests.
CLINICAL_TARGETS: dict[str, RangeTarget] = {
    "bp_controlled_hypertensive": RangeTarget(
        "T5", 0.501, 0.661, "BP controlled at recruitment, patients with hypertension (share)"
    ),
    "eq5d": RangeTarget("T6", 0.75, 0.86, "EQ-5D at recruitment (utility)"),
    "participation_effect": RangeTarget(
        "T7", 0.004, 0.064, "utility gain of starting community participation over 6 months"
    ),
    "mobility": RangeTarget("T10 MO", 0.35, 0.60, "EQ-5D any problem with mobility (share)"),
    "self_care": RangeTarget("T10 SC", 0.08, 0.25, "EQ-5D any problem with self-care (share)"),
    "usual_activities": RangeTarget(
        "T10 UA", 0.25, 0.50, "EQ-5D any problem with usual activities (share)"
    ),
    "pain_discomfort": RangeTarget(
        "T10 PD", 0.45, 0.70, "EQ-5D any problem with pain or discomfort (share)"
    ),
    "anxiety_depression": RangeTarget(
        "T10 AD", 0.18, 0.40, "EQ-5D any problem with anxiety or depression (share)"
    ),
    "persistence_52": RangeTarget(
        "T11", 0.40, 0.60, "still taking antihypertensives after 52 weeks without reviews"
    ),
    "admission_rr_45_59": RangeTarget(
        "T12 45-59", 0.95, 1.25, "admission rate ratio, eGFR 45-59 against 60 or more"
    ),
    "admission_rr_30_44": RangeTarget(
        "T12 30-44", 1.35, 1.65, "admission rate ratio, eGFR 30-44 against 60 or more"
    ),
    "died": RangeTarget("history died", 0.112, 0.172, "died in five years (share of cohort)"),
    "progressed": RangeTarget(
        "history progressed", 0.137, 0.217, "measured stage worse after five years (share alive)"
    ),
    "remitted": RangeTarget(
        "history remitted", 0.153, 0.233, "measured eGFR 60 or more after five years (share alive)"
    ),
}
