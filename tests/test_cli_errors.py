"""The command line on bad input: exit code 2, one ``error: file: key: message`` line, no output.

Every file in ``tests/bad_scenarios/`` (see ``test_scenario.py`` for its ``# expect-...`` header)
is run through ``python -m sim validate`` and ``python -m sim run`` in a subprocess, as a user
would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sim.config.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_scenarios"
USUAL_CARE = ROOT / "scenarios" / "usual_care.toml"
EXIT_INPUT = 2


def _expected(path: Path) -> tuple[Path, str, str]:
    """(file the error names, dotted key, stage) from a corpus file's ``# expect-`` header."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        for field in ("file", "key", "stage"):
            prefix = f"# expect-{field}: "
            if line.startswith(prefix):
                found.setdefault(field, line[len(prefix) :])
    file = path.parent / found["file"] if "file" in found else path
    return file, found["key"], found.get("stage", "load")


CASES = sorted(CORPUS.glob("*.toml"))
LOAD_CASES = [p for p in CASES if _expected(p)[2] == "load"]


def sim(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` and capture its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, f"expected one 'error:' line on stderr, got:\n{result.stderr}"
    return lines[0]


def check_names_file_and_key(line: str, file: Path, key: str, cwd: Path = ROOT) -> None:
    separator = f": {key}: "
    assert separator in line, f"expected the key {key!r} in: {line}"
    named = line[len("error: ") : line.index(separator)]
    assert (cwd / named).resolve() == file.resolve(), f"expected the file {file.name} in: {line}"


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def relative(path: Path) -> Path:
    return path.relative_to(ROOT)


# --- sim validate -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LOAD_CASES, ids=lambda p: p.stem)
def test_validate_rejects_malformed_file_with_exit_2_naming_file_and_key(path):
    file, key, _ = _expected(path)
    result = sim("validate", relative(path))
    assert result.returncode == EXIT_INPUT, (
        f"expected exit code 2, got {result.returncode}; stderr:\n{result.stderr}"
    )
    assert "Traceback" not in result.stderr, f"expected no traceback:\n{result.stderr}"
    check_names_file_and_key(error_line(result), file, key)


def test_validate_checks_every_file_and_fails_when_any_is_invalid():
    bad = relative(CORPUS / "negative_count.toml")
    result = sim("validate", bad, relative(USUAL_CARE))
    assert result.returncode == EXIT_INPUT, "expected exit code 2 when any file is invalid"
    check_names_file_and_key(error_line(result), CORPUS / "negative_count.toml", _expected(bad)[1])
    assert f"ok: {relative(USUAL_CARE)}" in result.stdout.splitlines(), (
        "expected the valid file after the invalid one checked too"
    )


def test_validate_show_prints_the_resolved_scenario_as_toml():
    result = sim("validate", "--show", "scenarios/usual_care.toml")
    assert result.returncode == 0, (
        f"expected exit code 0, got {result.returncode}:\n{result.stderr}"
    )
    printed = tomllib.loads(result.stdout)
    assert printed == load_scenario(USUAL_CARE).nested(), (
        "expected stdout to be the fully resolved scenario as TOML"
    )


def test_validate_works_from_another_folder_with_an_absolute_path(tmp_path):
    result = sim("validate", USUAL_CARE, cwd=tmp_path)
    assert result.returncode == 0, (
        f"expected exit code 0, got {result.returncode}:\n{result.stderr}"
    )
    assert everything_under(tmp_path) == [], "expected validate to write nothing"


# --- sim run ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_run_rejects_malformed_file_with_exit_2_and_writes_nothing(path, tmp_path):
    file, key, _ = _expected(path)
    out = tmp_path / "out"
    result = sim("run", relative(path), "--out", out)
    assert result.returncode == EXIT_INPUT, (
        f"expected exit code 2, got {result.returncode}; stderr:\n{result.stderr}"
    )
    assert "Traceback" not in result.stderr, f"expected no traceback:\n{result.stderr}"
    check_names_file_and_key(error_line(result), file, key)
    assert everything_under(tmp_path) == [], (
        f"expected nothing written for an invalid scenario, found {everything_under(tmp_path)}"
    )


def test_run_failing_at_population_build_leaves_existing_output_folder_empty(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = sim("run", relative(CORPUS / "p_age_75_plus_unreachable.toml"), "--out", out)
    assert result.returncode == EXIT_INPUT, f"expected exit code 2, got {result.returncode}"
    assert "population.p_age_75_plus" in error_line(result), "expected the key in the error"
    assert everything_under(out) == [], "expected no scenario or run folder to be created"


@pytest.mark.parametrize(
    ("option", "value", "key"),
    [
        ("--seed", "-1", "run.seed"),
        ("--weeks", "-3", "run.weeks"),
        ("--weeks", "2000", "run.weeks"),
    ],
)
def test_run_rejects_out_of_range_option_with_exit_2(option, value, key, tmp_path):
    out = tmp_path / "out"
    result = sim("run", "scenarios/usual_care.toml", option, value, "--out", out)
    assert result.returncode == EXIT_INPUT, f"expected exit code 2, got {result.returncode}"
    line = error_line(result)
    assert line.startswith(f"error: <command line>: {option}: "), f"expected {option} in: {line}"
    assert key in line and value in line, f"expected the bounds of {key} and {value} in: {line}"
    assert everything_under(tmp_path) == [], "expected nothing written for an invalid option"


@pytest.mark.parametrize("option", ["--seed", "--weeks"])
def test_run_rejects_non_integer_option_with_exit_2(option, tmp_path):
    result = sim("run", "scenarios/usual_care.toml", option, "ten", "--out", tmp_path / "out")
    assert result.returncode == EXIT_INPUT, f"expected exit code 2, got {result.returncode}"
    assert everything_under(tmp_path) == [], "expected nothing written for an invalid option"


def test_run_rejects_missing_scenario_file_with_exit_2(tmp_path):
    result = sim("run", tmp_path / "absent.toml", "--out", tmp_path / "out")
    assert result.returncode == EXIT_INPUT, f"expected exit code 2, got {result.returncode}"
    assert "absent.toml" in error_line(result), "expected the missing file named"
    assert everything_under(tmp_path) == [], "expected nothing written"


TINY = """base = "{base}"
[run]
weeks = 1
[population]
n_practices = 1
patients_per_practice = 4
[outputs]
figures = false
formats = ["csv"]
{extra}
"""


def tiny_scenario(folder: Path, name: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TINY.format(base=USUAL_CARE.as_posix(), extra=extra), encoding="utf-8")
    return path


def test_run_writes_only_inside_out_under_the_output_folder(tmp_path):
    scenario = tiny_scenario(tmp_path / "scenarios", "arm.toml", 'folder = "trial/arm_b"')
    out = tmp_path / "out"
    result = sim("run", scenario, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, f"expected success, got {result.returncode}:\n{result.stderr}"
    runs = list((out / "trial" / "arm_b").iterdir())
    assert len(runs) == 1 and runs[0].is_dir(), f"expected one run folder, got {runs}"
    outside = [p for p in everything_under(tmp_path) if out not in p.parents and p != out]
    assert outside == [scenario.parent, scenario], f"expected nothing outside out, got {outside}"


def test_run_uses_the_file_stem_when_no_output_folder_is_set(tmp_path):
    scenario = tiny_scenario(tmp_path / "scenarios", "stem_arm.toml")
    out = tmp_path / "out"
    result = sim("run", scenario, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, f"expected success, got {result.returncode}:\n{result.stderr}"
    assert [p.name for p in out.iterdir()] == ["stem_arm"], "expected out/<file stem>/ only"


def test_run_of_file_whose_stem_is_dot_dot_fails_cleanly_and_writes_nothing(tmp_path):
    # "...toml" has the stem "..", so the default output folder would be the parent of --out.
    scenario = tiny_scenario(tmp_path / "scenarios", "...toml")
    out = tmp_path / "box" / "out"
    result = sim("run", scenario, "--out", out, cwd=tmp_path)
    assert result.returncode == EXIT_INPUT, (
        f"expected exit code 2, got {result.returncode}; stderr:\n{result.stderr}"
    )
    assert "outputs.folder" in error_line(result), "expected the error to point at outputs.folder"
    assert everything_under(tmp_path / "box") == [], "expected nothing written"
