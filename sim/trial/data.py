"""The data a replicate trial observes: its recruited patients, their arm and what they report.

Data are columns of equal length (a mapping of name to numpy array; ``pandas.DataFrame(data)``
gives a table). Names are shared with :mod:`.analysis`: baseline values end in ``_0``; follow-up
values have no suffix; ``self_report`` and ``bp_data`` mark who gave data at follow-up. QALYs are
the area under the EQ-5D curve between the two assessments, as a trial measures them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.dynamics.eq5d import UTILITY_MAX, UTILITY_MIN
from sim.dynamics.outcomes import HEIQ_MAX, HEIQ_MIN
from sim.trial.batch import OUTCOME_COLUMNS
from sim.trial.design import Allocation, TrialDesign, followed_up, questionnaire
from sim.trial.trial_outcomes import SUBGROUPS

WEEKS_PER_YEAR = 52.0
Columns = dict[str, np.ndarray]


def area_under_curve(baseline: np.ndarray, follow_up: np.ndarray, weeks: int) -> np.ndarray:
    """QALYs between two EQ-5D assessments ``weeks`` apart (trapezium rule)."""
    return 0.5 * (baseline + follow_up) * weeks / WEEKS_PER_YEAR


def trial_data(
    world: Mapping[str, np.ndarray], allocation: Allocation, design: TrialDesign
) -> Columns:
    """The observed data of one replicate trial.

    Args:
        world: The replicate's columns (:meth:`sim.trial.batch.Batch.world`), one row per
            patient of its practice population, in patient order.
        allocation: Who was recruited and to which arm.
        design: The trial design (follow-up counts, outcome week, measurement error, shared
            world or not).

    Returns:
        One row per recruited patient: ``arm`` (1 intervention, 0 usual care), subgroup
        variables, measured baseline and follow-up values, and the follow-up masks.
    """
    who = allocation.recruited
    arm = allocation.arm
    treated = arm == 1
    data: Columns = {"replicate": world["replicate"][who], "patient": world["patient"][who]}
    if "practice" in world:
        data["practice"] = world["practice"][who]
    data["arm"] = arm
    for name in SUBGROUPS:
        data[name] = world[name][who]
    for name in ("eq5d_0", "heiq_0", "controlled_0", "cost_0"):
        data[name] = world[name][who]
    for name in OUTCOME_COLUMNS:
        if design.shared_world:
            data[name] = world[f"{name}_trial"][who]
        else:
            data[name] = np.where(
                treated, world[f"{name}_intervention"][who], world[f"{name}_usual"][who]
            )
    for name, sd, low, high, z in (
        ("eq5d", design.eq5d_measurement_sd, UTILITY_MIN, UTILITY_MAX, allocation.z_eq5d),
        ("heiq", design.heiq_measurement_sd, HEIQ_MIN, HEIQ_MAX, allocation.z_heiq),
    ):
        data[f"{name}_0"] = questionnaire(data[f"{name}_0"], z[0, who], sd, low, high)
        data[name] = questionnaire(data[name], z[1, who], sd, low, high)
    alive = data["alive"]
    data["self_report"] = followed_up(
        arm, alive, allocation.u_self_report, design.followup_self_report
    )
    data["bp_data"] = followed_up(arm, alive, allocation.u_bp, design.followup_bp)
    data["qaly"] = area_under_curve(data["eq5d_0"], data["eq5d"], design.outcome_week)
    return data


def potential_outcomes(columns: Mapping[str, np.ndarray], weeks: int) -> Columns:
    """Everyone's true outcomes under both conditions, for the patients alive under both.

    Args:
        columns: Columns of a simulated batch (:attr:`sim.trial.batch.Batch.columns`).
        weeks: Weeks between baseline and follow-up (for QALYs).

    Returns:
        Two rows per living patient (``arm`` 0 = no one treated, 1 = everyone treated) with
        the columns of :func:`trial_data`, without questionnaire error and with everyone
        followed up: the data of a trial as large as the whole population in which each patient
        is in both arms. BP control is still a reading, as the trial defines it.
    """
    alive = columns["alive_usual"] & columns["alive_intervention"]
    keep = ["replicate", "patient", *SUBGROUPS, "eq5d_0", "heiq_0", "controlled_0", "cost_0"]
    keep += ["practice"] if "practice" in columns else []
    data: Columns = {name: np.tile(columns[name][alive], 2) for name in keep}
    n = int(alive.sum())
    data["arm"] = np.repeat(np.array([0, 1], np.int8), n)
    for name in OUTCOME_COLUMNS:
        data[name] = np.concatenate(
            [columns[f"{name}_usual"][alive], columns[f"{name}_intervention"][alive]]
        )
    data["self_report"] = data["bp_data"] = np.ones(2 * n, bool)
    data["qaly"] = area_under_curve(data["eq5d_0"], data["eq5d"], weeks)
    return data
