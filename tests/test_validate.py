"""``sim validate``: one line per file and a summary; survey folders checked as ``sim run`` does.

Each broken survey folder (a bad cell, a dangling member, an unknown tie type, binary garbage)
must fail ``sim validate`` with the very error line that ``sim run`` gives, and exit code 2.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from sim.cli import main
from sim.config.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "data" / "example_survey"
USUAL_CARE = ROOT / "scenarios" / "usual_care.toml"
BAD = ROOT / "tests" / "bad_scenarios" / "negative_count.toml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"expected {old!r} in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = {
    "age_nan": lambda f: replace_in(f / "egos.csv", "E01,78,", "E01,nan,"),
    "dangling_member": lambda f: replace_in(f / "ties.csv", "E01,E01-wife,", "E01,E99-nobody,"),
    "unknown_tie_type": lambda f: replace_in(
        f / "ties.csv", "E01-wife,partner,", "E01-wife,spouse,"
    ),
    "binary_garbage": lambda f: (f / "egos.csv").write_bytes(bytes(range(256)) * 8),
}


def survey_scenario(tmp_path: Path, breakage) -> Path:
    folder = tmp_path / "survey"
    shutil.copytree(EXAMPLE, folder)
    breakage(folder)
    path = tmp_path / "survey.toml"
    path.write_text(
        f'base = "{USUAL_CARE.as_posix()}"\n[run]\nweeks = 1\n'
        '[population]\nsource = "survey"\nsurvey_dir = "survey"\n[outputs]\nfigures = false\n',
        encoding="utf-8",
    )
    return path


def run_cli(capsys, *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validate_fails_a_broken_survey_folder_with_the_error_run_gives(case, tmp_path, capsys):
    scenario = survey_scenario(tmp_path, BROKEN[case])
    code, out, err = run_cli(capsys, "validate", scenario)
    assert code == 2, f"expected exit code 2 from validate, got {code}; stderr:\n{err}"
    assert out.splitlines() == ["1 file checked: 1 invalid"], f"expected the summary: {out!r}"
    run_code, _, run_err = run_cli(capsys, "run", scenario, "--out", tmp_path / "out")
    assert run_code == 2, f"expected sim run to refuse it too, got {run_code}"
    assert err.strip() == run_err.strip(), "expected validate to give the error run gives"
    assert err.startswith("error: ") and "survey" in err, f"expected the survey file named: {err}"
    assert not (tmp_path / "out").exists(), "expected nothing written"


def test_validate_prints_one_line_per_file_and_a_summary(capsys):
    code, out, err = run_cli(
        capsys, "validate", USUAL_CARE, BAD, ROOT / "scenarios" / "bright.toml"
    )
    assert code == 2, "expected exit code 2 when any file is invalid"
    assert out.splitlines() == [
        f"ok: {USUAL_CARE}",
        f"ok: {ROOT / 'scenarios' / 'bright.toml'}",
        "3 files checked: 1 invalid",
    ], f"expected an ok line per valid file and the summary, got:\n{out}"
    errors = err.splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: {BAD}: "), err


def test_validate_of_every_shipped_scenario_is_short_and_all_valid(capsys):
    files = sorted((ROOT / "scenarios").glob("*.toml"))
    code, out, err = run_cli(capsys, "validate", *files)
    assert code == 0, f"expected every shipped scenario valid:\n{err}"
    assert out.splitlines() == [f"ok: {f}" for f in files] + [
        f"{len(files)} files checked: all valid"
    ]


def test_validate_show_prints_the_resolved_scenario_as_toml_on_stdout(capsys):
    code, out, err = run_cli(capsys, "validate", "--show", USUAL_CARE)
    assert code == 0, err
    assert tomllib.loads(out) == load_scenario(USUAL_CARE).nested(), (
        "expected stdout to be the fully resolved scenario as TOML"
    )
    assert err.splitlines() == [f"ok: {USUAL_CARE}", "1 file checked: all valid"]


def test_validate_reads_the_example_survey(capsys):
    survey = ROOT / "scenarios" / "survey_example.toml"
    code, out, _ = run_cli(capsys, "validate", survey)
    assert (code, out.splitlines()[0]) == (0, f"ok: {survey}")
