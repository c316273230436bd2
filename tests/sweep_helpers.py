"""Small sweep files for the sweep tests: a tiny population, a few weeks, runs of ~30 ms."""

from __future__ import annotations

import json
from pathlib import Path

from sim.sweeps.tasks import SweepTask, TaskOutput, check_names

ROOT = Path(__file__).resolve().parents[1]
USUAL_CARE = ROOT / "scenarios" / "usual_care.toml"


def write_sweep(
    folder: Path,
    name: str = "tiny",
    parameters: str = '"mechanisms.navigation.p_join" = [0.006, 0.012, 0.024]\n'
    '"mechanisms.negotiation.p_attempt" = { low = 0.05, high = 0.2, n = 2 }',
    design: str = 'kind = "grid"',
    replicates: int = 2,
    weeks: int = 6,
    outcomes: str = "",
    extra: str = "",
) -> Path:
    """Write a sweep file over a 30-patient population and return its path."""
    outcomes = outcomes or f'measures = ["eq5d", "tbq", "self_management"]\nweeks = [{weeks}]'
    path = Path(folder) / f"{name}.toml"
    design_table = f"[design]\n{design}\n" if design else ""
    path.write_text(
        f"base = {json.dumps(str(USUAL_CARE))}\nseed = 11\nreplicates = {replicates}\n"
        f"weeks = {weeks}\n{extra}\n"
        '[fixed]\n"population.n_practices" = 1\n"population.patients_per_practice" = 30\n'
        f"[parameters]\n{parameters}\n{design_table}[outcomes]\n{outcomes}\n",
        encoding="utf-8",
    )
    return path


BRIGHT = ROOT / "scenarios" / "bright.toml"
#: A BRIGHT-style trial small enough for tests: 40 patients randomised from 60.
SMALL_TRIAL = (
    '"population.n_practices" = 2\n"trial.patients_per_practice" = 30\n'
    '"trial.n_intervention" = 20\n"trial.n_control" = 20\n'
    '"trial.n_followup_self_report_intervention" = 16\n'
    '"trial.n_followup_self_report_control" = 17\n'
    '"trial.n_followup_bp_intervention" = 18\n"trial.n_followup_bp_control" = 19\n'
    '"trial.outcome_week" = 6\n'
)


def write_trial_sweep(
    folder: Path,
    name: str = "tiny_trial",
    replicates: int = 2,
    replicates_per_run: int = 1,
    outcomes: str = "",
) -> Path:
    """Write a trial-task sweep of small BRIGHT trials (2 points) and return its path."""
    path = Path(folder) / f"{name}.toml"
    outcomes_table = f"[outcomes]\n{outcomes}\n" if outcomes else ""
    path.write_text(
        f'base = {json.dumps(str(BRIGHT))}\ntask = "trial"\nseed = 5\n'
        f"replicates = {replicates}\ncommon_random_numbers = true\n"
        f"[trial]\nreplicates_per_run = {replicates_per_run}\n"
        f"[fixed]\n{SMALL_TRIAL}"
        '[parameters]\n"interventions.bright.calls.guidance" = [0.5, 1.0]\n'
        f"{outcomes_table}",
        encoding="utf-8",
    )
    return path


class PatientsTask(SweepTask):
    """A task for the tests: the patients a run's scenario asks for, and a draw from its seed."""

    summary = "patients asked for, and one uniform draw from the run's seed"

    def check_outcomes(self, where, table, weeks):
        return {
            "names": list(
                check_names(
                    where,
                    "outcomes.names",
                    table.get("names", ["patients"]),
                    ("patients", "draw"),
                    "outcomes",
                )
            )
        }

    def columns(self, outcomes):
        return tuple(outcomes["names"])

    def run(self, scenario, seed, setup):
        import numpy as np

        patients = scenario["population.n_practices"] * scenario["population.patients_per_practice"]
        values = {"patients": float(patients), "draw": float(np.random.default_rng(seed).random())}
        return TaskOutput({c: values[c] for c in setup.columns})
