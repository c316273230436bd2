"""Sweep files: the examples load; every bad file in ``tests/bad_sweeps/`` is refused.

Each corpus file names the key its error must name (``# expect-key:``) and a piece of the message
(``# expect-text:``). The command line must exit with code 2, print one ``error: file: key:
message`` line and write nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.config.scenario import ScenarioError, default_scenario, load_scenario
from sim.sweeps.sweep_file import load_sweep, make_sweep
from sim.sweeps.tasks import TRIAL_OUTCOMES
from tests.corpus import expected
from tests.sweep_helpers import PatientsTask

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_sweeps"
EXAMPLES = sorted((ROOT / "scenarios" / "sweeps").glob("*.toml"))
EXIT_INPUT = 2


CASES = sorted(CORPUS.glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_sweep_files_load(path: Path) -> None:
    sweep = load_sweep(path)
    assert sweep.factors, f"{path.name} should vary at least one parameter"
    # a model sweep varies usual care; a trial sweep tests interventions against usual care
    expected = "usual_care" if sweep.task == "model" else "bright"
    assert sweep.base.name == expected, f"{path.name} should build on {expected}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_bad_sweep_file_names_file_and_key(path: Path) -> None:
    key, text = expected(path)
    with pytest.raises(ScenarioError) as caught:
        load_sweep(path)
    error = caught.value
    assert Path(error.file) == path, f"the error should name {path.name}, not {error.file}"
    assert error.key == key, f"the error should name the key {key!r}, not {error.key!r}"
    assert text in error.message, f"expected {text!r} in the message: {error.message}"


@pytest.mark.parametrize("verb", ["sweep", "sensitivity"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_bad_sweep_file_exits_2_and_writes_nothing(
    path: Path, verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main([verb, str(path), "--out", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    key, _ = expected(path)
    assert code == EXIT_INPUT, f"expected exit code 2 for {path.name}, got {code}"
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, f"expected one 'error:' line, got:\n{err}"
    assert lines[0].startswith(f"error: {path}: {key}: "), f"unexpected error line {lines[0]}"
    assert not out.exists(), f"nothing should be written for an invalid file, found {out}"


def test_bad_sweep_file_from_a_shell_exits_2(tmp_path: Path) -> None:
    path = CORPUS / "reversed_bounds.toml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == EXIT_INPUT, f"expected exit 2, got {result.returncode}"
    assert "reversed or empty bounds" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists(), "nothing should be written"


def test_sensitivity_verb_refuses_a_file_without_sensitivity_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "sensitivity",
            str(ROOT / "scenarios/sweeps/grid_example.toml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == EXIT_INPUT, "a sweep file without [sensitivity] should exit 2"
    assert "sensitivity: missing" in capsys.readouterr().err
    assert not (tmp_path / "out").exists(), "nothing should be written"


def test_rerun_of_an_unknown_run_id_exits_2(tmp_path: Path, capsys) -> None:
    path = ROOT / "scenarios/sweeps/grid_example.toml"
    code = main(["sweep", str(path), "--rerun", "p000099-r000", "--out", str(tmp_path)])
    assert code == EXIT_INPUT, "a run id outside the design should exit 2"
    assert "--rerun: run 'p000099-r000' is not in this sweep" in capsys.readouterr().err


def test_python_sweep_checks_like_a_file() -> None:
    with pytest.raises(ScenarioError, match="reversed or empty bounds"):
        make_sweep(
            default_scenario(),
            {"mechanisms.work.capacity_hours": {"low": 5.0, "high": 1.0, "n": 2}},
        )
    sweep = make_sweep(
        default_scenario(),
        {"mechanisms": {"navigation": {"p_join": [0.01, 0.02]}}},
        weeks=4,
        outcomes={"measures": ["eq5d"], "weeks": [2, 4]},
    )
    assert sweep.keys == ("mechanisms.navigation.p_join",), "nested tables should flatten"
    assert sweep.outcome_columns == ("eq5d_w2", "eq5d_w4")


def test_resolved_sweep_reloads_to_the_same_fingerprint(tmp_path: Path) -> None:
    sweep = load_sweep(ROOT / "scenarios/sweeps/lhs_example.toml")
    copy = tmp_path / "lhs_example.toml"
    copy.write_text(sweep.to_toml(), encoding="utf-8")
    again = load_sweep(copy)
    assert again.fingerprint() == sweep.fingerprint(), "a resolved sweep should reload unchanged"
    assert (
        again.base.values
        == load_scenario(ROOT / "scenarios/usual_care.toml").with_overrides(sweep.fixed).values
    )


def test_trial_task_from_python_checks_its_options_and_outcomes() -> None:
    bright = load_scenario(ROOT / "scenarios/bright.toml")
    keys = {"interventions.bright.calls.guidance": [0.5, 1.0]}
    sweep = make_sweep(
        bright,
        keys,
        task="trial",
        trial={"replicates_per_run": 3},
        outcomes={"names": ["eq5d_effect", "network_size"]},
    )
    assert sweep.options == {"replicates_per_run": 3}
    assert sweep.outcome_columns == ("eq5d_effect", "network_size")
    assert make_sweep(bright, keys, task="trial").outcome_columns == tuple(TRIAL_OUTCOMES)
    with pytest.raises(ScenarioError, match="did you mean 'trial'") as caught:
        make_sweep(bright, keys, task="trail")
    assert caught.value.key == "task"
    with pytest.raises(ScenarioError, match="unknown trial outcome 'eq5d_w26'") as caught:
        make_sweep(bright, keys, task="trial", outcomes={"names": ["eq5d_w26"]})
    assert caught.value.key == "outcomes.names"


def test_resolved_trial_sweep_reloads_to_the_same_fingerprint(tmp_path: Path) -> None:
    sweep = load_sweep(ROOT / "scenarios/sweeps/bright_trial_doses.toml")
    (tmp_path / "sweep.toml").write_text(sweep.to_toml(base="scenario.toml"), encoding="utf-8")
    (tmp_path / "scenario.toml").write_text(sweep.base.to_toml(), encoding="utf-8")
    again = load_sweep(tmp_path / "sweep.toml")
    assert again.fingerprint() == sweep.fingerprint(), "a resolved sweep should reload unchanged"
    assert (again.task, again.options) == ("trial", {"replicates_per_run": 5})
    assert (
        sweep.fingerprint() != load_sweep(ROOT / "scenarios/sweeps/grid_example.toml").fingerprint()
    )


def test_a_registered_task_runs_by_name(tmp_path: Path) -> None:
    from sim.sweeps import read_results, register_task, run_sweep

    register_task("patients", PatientsTask())
    path = tmp_path / "patients.toml"
    path.write_text(
        f'base = {str(ROOT / "scenarios/usual_care.toml")!r}\ntask = "patients"\nseed = 3\n'
        '[parameters]\n"population.patients_per_practice" = [10, 20]\n'
        '[outcomes]\nnames = ["patients", "draw"]\n',
        encoding="utf-8",
    )
    sweep = load_sweep(path)
    table = read_results(run_sweep(sweep, tmp_path / "out", progress=False).folder)
    n_practices = sweep.base["population.n_practices"]
    assert table["patients"].tolist() == [10.0 * n_practices, 20.0 * n_practices]
    assert table["draw"].between(0, 1).all() and table["error"].isna().all()
    with pytest.raises(ScenarioError, match="unknown outcome 'size'"):
        make_sweep(
            sweep.base,
            {"population.patients_per_practice": [10]},
            task="patients",
            outcomes={"names": ["size"]},
        )
    with pytest.raises(ValueError, match="is a sweep-file key"):
        register_task("clash", type("Clash", (PatientsTask,), {"section": "design"})())
