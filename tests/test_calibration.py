"""Calibration (``sim calibrate``): the method's pieces by hand, a small end-to-end run, bad files.

Each file in ``tests/bad_calibrations/`` names the key its error must name (``# expect-key:``) and
a piece of the message (``# expect-text:``); the command line must exit with code 2 and write
nothing.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sim.calibration.calibration_file import load_calibration
from sim.calibration.ensemble_file import load_ensemble
from sim.calibration.fit import calibrate
from sim.calibration.output import write_fit
from sim.calibration.points import point_summary
from sim.calibration.targets import GROUPS, TARGETS, Target
from sim.cli import main
from sim.config.parameters import PARAMS
from sim.config.prior_params import PRIORS
from sim.config.scenario import ScenarioError, load_scenario
from tests.corpus import expected

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_calibrations"
SHIPPED = ROOT / "scenarios" / "calibration" / "bright.toml"
CALIBRATED = ROOT / "scenarios" / "calibrated.toml"
EXIT_INPUT = 2


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.toml")), ids=lambda p: p.stem)
def test_a_bad_calibration_file_is_refused_naming_the_key(path: Path, tmp_path, capsys) -> None:
    key, text = expected(path)
    with pytest.raises(ScenarioError) as caught:
        load_calibration(path)
    assert caught.value.key == key, f"expected the error to name {key!r}: {caught.value}"
    assert text in caught.value.message, f"expected {text!r} in: {caught.value.message}"
    out = tmp_path / "out"
    assert main(["calibrate", str(path), "--out", str(out), "--no-progress"]) == EXIT_INPUT
    assert str(path) in capsys.readouterr().err, "expected the message to name the file"
    assert not out.exists(), "expected nothing written for a bad calibration file"


def test_the_shipped_calibration_file_loads_and_its_bounds_hold_the_shipped_values() -> None:
    cal = load_calibration(SHIPPED)
    fitted = load_scenario(CALIBRATED)
    usual = load_scenario(ROOT / "scenarios" / "usual_care.toml")
    for key, (low, high) in cal.bounds().items():
        assert low <= fitted[key] <= high, f"expected the calibrated {key} within its bounds"
        assert usual[key] == fitted[key], f"expected usual care to use the calibrated {key}"
        assert usual.origins[key].endswith("calibrated.toml"), (
            f"expected usual care to take {key} from scenarios/calibrated.toml"
        )
    header = CALIBRATED.read_text(encoding="utf-8")
    assert "sim calibrate scenarios/calibration/bright.toml" in header, (
        "expected the calibrated scenario to say how it was made"
    )


def test_points_are_summarised_by_mean_and_standard_error() -> None:
    a, b = Target("A", "a", 1.0, 0.5, "a"), Target("B", "b", 0.0, 1.0, "b")
    runs = pd.DataFrame(
        {
            "point": [0, 0, 1, 1],
            "k": [0.1, 0.1, 0.9, 0.9],
            "a": [1.0, 2.0, 3.0, 3.0],
            "b": [0.0, 0.0, 2.0, 4.0],
            "error": [None] * 4,
        }
    )
    frame = point_summary(runs, ("k",), (a, b)).set_index("point")
    assert frame.loc[0, "a"] == 1.5 and frame.loc[0, "a_se"] == pytest.approx(0.5)
    assert frame.loc[1, "b"] == 3.0 and frame.loc[1, "b_se"] == pytest.approx(1.0)
    assert frame.loc[1, "k"] == 0.9


def test_every_prior_names_a_numeric_parameter_and_lies_within_its_allowed_range() -> None:
    for key, prior in PRIORS.items():
        param = PARAMS[key]
        assert param.kind in ("int", "float"), key
        assert prior.low < prior.high, key
        assert param.low is None or param.low <= prior.low, key
        assert param.high is None or prior.high <= param.high, key
        assert prior.source, f"{key}: expected a source or a stated assumption"
    guidebook = PRIORS["interventions.bright.guidebook.knowledge_clinical"]
    assert guidebook.high <= 0.4 and "Stacey" in guidebook.source


def test_every_fitted_target_is_in_exactly_one_cross_validation_group() -> None:
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(TARGETS), "expected each target in one group"


def test_a_small_calibration_moves_towards_the_targets_and_writes_its_files(tmp_path) -> None:
    """Fit baseline EQ-5D (T6) with the pain intercept only: the fit must bring it near 0.80."""
    file = tmp_path / "small.toml"
    file.write_text(
        f"""
base = "{(ROOT / "scenarios" / "bright.toml").as_posix()}"
seed = 5
points = 6
waves = 2
candidates = 500
replicates = 2
replicates_per_run = 1
ensemble_size = 3
confirm_replicates = 2
targets = ["baseline_eq5d", "eq5d_effect"]
[target_sd]
baseline_eq5d = 0.01
[discrepancy]
baseline_eq5d = 0.0
[fixed]
"trial.outcome_week" = 4
[parameters]
"mechanisms.eq5d.intercept.pain_discomfort" = {{ low = -2.0, high = 1.0 }}
""",
        encoding="utf-8",
    )
    cal = load_calibration(file)
    fit = calibrate(cal, tmp_path / "runs", progress=False)
    assert len(fit.points) == 12 and set(fit.points["wave"]) == {1, 2}
    row = fit.report.set_index("code").loc["T6"]
    assert row["implausibility"] <= 3.0, f"expected the calibrated point not implausible: {row}"
    assert fit.members.ensemble.confirmed.all()
    worst = abs(fit.points["baseline_eq5d"] - 0.80).max()
    assert abs(row["ensemble_mean"] - 0.80) < worst, "expected the ensemble nearer than the worst"
    assert worst > 0.05, "expected wave 1 to span points far from the target"
    prior = fit.identifiability.set_index("parameter").loc[
        "mechanisms.eq5d.intercept.pain_discomfort"
    ]
    assert prior["nroy_range_over_prior"] < 0.95, "expected T6 to rule out part of the prior"
    written = write_fit(fit, tmp_path / "fit", "sim calibrate small.toml", 1.0)
    scenario = load_scenario(written["calibrated.toml"])
    value = scenario["mechanisms.eq5d.intercept.pain_discomfort"]
    assert value == round(fit.best["mechanisms.eq5d.intercept.pain_discomfort"], 4)
    assert tomllib.loads(written["calibrated.toml"].read_text())["title"].startswith("Calibrated")
    ensemble = load_ensemble(written["ensemble.toml"])
    assert len(ensemble) == 3 and ensemble.fitted_targets == ("T6", "T9a")
    report = written["fit_report.md"].read_text()
    for piece in ("Waves", "leave-one-out", "T6", "position in prior", "Cross-validation"):
        assert piece in report, f"expected {piece!r} in the fit report"
    assert written["figure"].stat().st_size > 10_000, "expected a rendered figure"


def test_every_target_has_a_positive_uncertainty_and_a_dossier_code() -> None:
    for name, t in TARGETS.items():
        assert t.sd > 0, f"{name}: expected a positive uncertainty"
        assert t.code.startswith("T"), f"{name}: expected a dossier target code"
    assert TARGETS["bp_controlled_or"].display(math.log(1.85)) == pytest.approx(1.85)


def test_the_code_defaults_are_the_calibrated_values() -> None:
    """Library use (``default_scenario()``) and the shipped scenarios must agree."""
    from sim.config.scenario import default_scenario

    fitted, defaults = load_scenario(CALIBRATED), default_scenario()
    for key in load_calibration(SHIPPED).keys:
        assert defaults[key] == fitted[key], (
            f"expected the default of {key} to be the calibrated {fitted[key]} (after re-"
            "calibrating, copy the values of scenarios/calibrated.toml into sim/config/*_params.py)"
        )
