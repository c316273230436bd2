"""A calibration on the real simulator draws the same ensemble on one worker and on two.

A tiny calibration (one free parameter, two waves of 4 points, an ensemble of 3) runs through
the sweep engine serially and on a 2-process pool from the same seed: the waves' simulated
outcomes, the ensemble and the calibrated point must be bit-identical.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.calibration.calibration_file import load_calibration
from sim.calibration.fit import calibrate
from sim.sweeps.execute import make_executor

ROOT = Path(__file__).resolve().parents[1]


def test_the_ensemble_is_bit_identical_on_one_and_two_workers(tmp_path) -> None:
    file = tmp_path / "tiny.toml"
    file.write_text(
        f"""
base = "{(ROOT / "scenarios" / "bright.toml").as_posix()}"
seed = 11
points = 4
waves = 2
candidates = 200
replicates = 2
replicates_per_run = 1
ensemble_size = 3
confirm_replicates = 2
targets = ["baseline_eq5d", "eq5d_effect"]
[fixed]
"trial.outcome_week" = 2
[parameters]
"mechanisms.eq5d.intercept.pain_discomfort" = {{ low = -2.0, high = 1.0 }}
""",
        encoding="utf-8",
    )
    cal = load_calibration(file)
    fits = {}
    for workers in (1, 2):
        with make_executor(workers) as executor:
            fits[workers] = calibrate(cal, tmp_path / f"w{workers}", executor, progress=False)
    one, two = fits[1], fits[2]
    columns = ["baseline_eq5d", "eq5d_effect"]
    np.testing.assert_array_equal(one.points[columns].to_numpy(), two.points[columns].to_numpy())
    np.testing.assert_array_equal(one.members.ensemble.values, two.members.ensemble.values)
    assert one.best == two.best
    assert len(one.members.ensemble) == 3
