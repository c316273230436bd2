"""History matching with emulators, on a known function: a noisy quadratic.

The "simulator" here is ``y = 4 (a - 0.5)^2 + noise`` (noise SD 0.005 per run, two runs per
point; ``b`` has no effect), the target 0.04 with observation SD 0.01 and no discrepancy. By hand,
with cut-off 3, a point is not implausible when ``|4 (a - 0.5)^2 - 0.04| <= 0.03`` (the emulator's
own variance widens that a little): ``0.05 <= |a - 0.5| <= 0.1323``, a share of 0.165 of the unit
square, whatever ``b``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration.calibration_file import Calibration
from sim.calibration.emulator import Emulator, combined, default_rank, implausibility
from sim.calibration.fit import calibrate
from sim.calibration.points import from_unit
from sim.calibration.targets import Target
from sim.calibration.waves import history_match, screen
from sim.streams import generator
from sim.sweeps.factor import Factor

INNER, OUTER = 0.05, math.sqrt(0.07 / 4)  # |a - 0.5| between these is not implausible


class Quadratic(Calibration):
    """A calibration of the quadratic: one target, named ``quadratic``."""

    @property
    def target_names(self) -> tuple[str, ...]:
        return ("quadratic",)


def quadratic_calibration(**settings) -> Quadratic:
    target = Target("TQ", "y", 0.04, 0.01, "quadratic", discrepancy=0.0)
    factors = (Factor("a", "float", low=0.0, high=1.0), Factor("b", "float", low=0.0, high=1.0))
    defaults = dict(seed=3, points=30, waves=5, candidates=3000, replicates=2, rank=1)
    defaults |= dict(ensemble_size=10, confirm_replicates=2)
    return Quadratic("q", Path("q.toml"), None, factors, (target,), **(defaults | settings))


def simulate(cal, folder, name, unit, executor, progress, replicates=None, seed=None):
    """Two noisy runs of the quadratic per point, from a stream named after the sweep."""
    rng = generator(cal.seed if seed is None else seed, "quadratic", name)
    values = from_unit(cal, unit)
    a, b = np.array(values["a"]), np.array(values["b"])
    runs = 4 * (a - 0.5)[:, None] ** 2 + rng.normal(0.0, 0.005, (len(a), replicates or 2))
    return pd.DataFrame(
        {
            "point": range(len(a)),
            "a": a,
            "b": b,
            "y": runs.mean(axis=1),
            "y_se": runs.std(axis=1, ddof=1) / np.sqrt(runs.shape[1]),
        }
    )


def test_history_matching_finds_the_not_implausible_region_of_a_noisy_quadratic(tmp_path) -> None:
    cal = quadratic_calibration()
    history = history_match(cal, tmp_path, None, False, simulate)
    keep = screen(cal, history.waves, history.space)
    assert (keep == history.waves[-1].space_mask).all()
    distance = np.abs(history.space[:, 0] - 0.5)
    inside = (distance >= INNER + 0.01) & (distance <= OUTER - 0.01)
    outside = (distance <= INNER - 0.02) | (distance >= OUTER + 0.02)
    assert keep[inside].mean() > 0.97, "expected the hand-computed region to survive"
    assert keep[outside].mean() < 0.03, "expected points well outside it to be ruled out"
    assert history.waves[-1].nroy_share == pytest.approx(0.165, abs=0.03)
    assert history.stop, "expected the stop rule to give a reason"
    check = history.waves[-1].emulators["quadratic"].loo()
    assert check.coverage3 >= 0.9, f"expected leave-one-out errors within 3 SD: {check}"


def test_waves_stop_once_the_nroy_share_stops_shrinking(tmp_path) -> None:
    cal = quadratic_calibration(min_shrink=0.5)
    history = history_match(cal, tmp_path, None, False, simulate)
    shares = [w.nroy_share for w in history.waves]
    assert len(shares) == 2 and shares[1] > 0.5 * shares[0], shares
    assert "shrank by less than 50%" in history.stop


def test_an_interrupted_calibration_resumes_with_the_same_design(tmp_path) -> None:
    cal = quadratic_calibration(waves=2)
    first = history_match(cal, tmp_path, None, False, simulate)
    again = history_match(cal, tmp_path, None, False, simulate)
    for a, b in zip(first.waves, again.waves, strict=True):
        pd.testing.assert_frame_equal(a.points, b.points)
    assert (tmp_path / "designs" / "wave2.json").is_file()


def test_the_same_seed_draws_the_same_ensemble_and_every_member_is_confirmed(tmp_path) -> None:
    cal = quadratic_calibration(waves=2)
    one = calibrate(cal, tmp_path / "one", progress=False, simulate=simulate)
    two = calibrate(cal, tmp_path / "two", progress=False, simulate=simulate)
    np.testing.assert_array_equal(one.members.ensemble.values, two.members.ensemble.values)
    ensemble = one.members.ensemble
    assert len(ensemble) == 10 and ensemble.confirmed.all()
    distance = np.abs(ensemble.values[:, 0] - 0.5)
    assert ((distance > INNER - 0.03) & (distance < OUTER + 0.03)).all(), distance
    row = one.identifiability.set_index("parameter")
    assert row.loc["a", "nroy_range_over_prior"] < 1.0
    assert row.loc["b", "nroy_range_over_prior"] > 0.95, "expected b, which does nothing, free"


def test_implausibility_adds_every_variance_by_hand() -> None:
    value = implausibility(np.array([0.10]), np.array([0.0016]), 0.05, 0.03, 0.0)
    assert value[0] == pytest.approx(0.05 / math.sqrt(0.03**2 + 0.0016))  # = 1.0
    assert value[0] == pytest.approx(1.0)
    value = implausibility(np.array([0.05 + 0.05]), np.array([0.0]), 0.05, 0.03, 0.04)
    assert value[0] == pytest.approx(1.0), "expected the discrepancy SD to count like the sd"


def test_the_k_th_largest_implausibility_across_targets() -> None:
    matrix = np.array([[5.0, 1.0, 2.0], [0.5, np.nan, 1.0]])
    assert combined(matrix, 1).tolist() == [5.0, np.inf]
    assert combined(matrix, 2).tolist() == [2.0, 1.0]
    assert [default_rank(n) for n in (1, 2, 3, 9, 10)] == [1, 1, 2, 2, 3]


def test_an_emulator_reproduces_a_smooth_function_and_its_noise() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((40, 1))
    y = np.sin(4 * x[:, 0]) + rng.normal(0, 0.05, 40)
    emulator = Emulator(x, y, seed=0)
    mean, var = emulator.predict(np.array([[0.3], [0.7]]))
    assert mean == pytest.approx(np.sin([1.2, 2.8]), abs=0.08)
    assert np.sqrt(emulator.nugget) == pytest.approx(0.05, rel=0.5)
    assert (var < emulator.nugget).all(), "expected the mean to be surer than one noisy point"
