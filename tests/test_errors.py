"""One error family for bad input: scenario file, data file, command-line option.

Each kind is raised where its input is read, and the command line prints every one as
``error: <file>: <key>: <message>`` and exits with code 2, writing nothing.
"""

from __future__ import annotations

import shutil

import pytest
from test_cli_errors import EXIT_INPUT, ROOT, error_line, sim

from sim.errors import COMMAND_LINE, DataFileError, InputError, OptionError, ScenarioError

EXAMPLE_SURVEY = ROOT / "scenarios" / "data" / "example_survey"


@pytest.mark.parametrize(
    ("error", "file", "key"),
    [
        (ScenarioError("a.toml", "run.weeks", "-1 is not allowed"), "a.toml", "run.weeks"),
        (
            DataFileError("d/egos.csv", "egos.csv:row 3:age", "bad"),
            "d/egos.csv",
            "egos.csv:row 3:age",
        ),
        (OptionError("--seed", "-1 is not allowed"), "<command line>", "--seed"),
    ],
)
def test_every_kind_is_an_input_error_with_file_key_and_message(error, file, key):
    assert isinstance(error, InputError)
    assert (error.file, error.key) == (file, key)
    assert str(error) == f"{file}: {key}: {error.message}"


def test_an_option_error_names_the_command_line():
    error = OptionError("--workers", "0 is not allowed; expected >= 1")
    assert error.file == COMMAND_LINE == "<command line>"


def test_scenario_file_error_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[run]\nweeks = -3\n")
    result = sim("run", bad, "--out", tmp_path / "out")
    assert result.returncode == EXIT_INPUT
    assert error_line(result).startswith(f"error: {bad}: run.weeks: -3 is not allowed")
    assert not (tmp_path / "out").exists()


def test_data_file_error_exits_2_naming_the_csv_row_and_column(tmp_path):
    survey = tmp_path / "survey"
    shutil.copytree(EXAMPLE_SURVEY, survey)
    egos = survey / "egos.csv"
    lines = egos.read_text().splitlines()
    lines[2] = lines[2].replace("E02,84,", "E02,old,", 1)
    egos.write_text("\n".join(lines) + "\n")
    scenario = tmp_path / "survey.toml"
    scenario.write_text('[population]\nsource = "survey"\nsurvey_dir = "survey"\n')
    result = sim("run", scenario, "--out", tmp_path / "out", "--weeks", "1", "--no-progress")
    assert result.returncode == EXIT_INPUT, result.stderr
    line = error_line(result)
    assert line.startswith(f"error: {egos}: egos.csv:row 3:age: "), line
    assert "'old'" in line
    assert not any((tmp_path / "out").rglob("*.*"))


def test_command_line_option_error_exits_2():
    result = sim("params", "--prefix", "no_such_section")
    assert result.returncode == EXIT_INPUT
    assert error_line(result).startswith("error: <command line>: --prefix: ")
    assert result.stdout == ""
