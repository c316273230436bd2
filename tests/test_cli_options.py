"""Numeric options are refused as the command line is read, within the bounds of their keys.

The scenario named does not exist: a refusal that names the option, not the missing file, shows
that the option was checked before anything was read, let alone run.
"""

from __future__ import annotations

import pytest

from sim.cli import main
from sim.config.parameters import PARAMS

MISSING = "no_such_scenario.toml"

CASES = [
    ("trial", "--replicates", str(10**9), "trial.replicates"),
    ("trial", "--replicates", "0", "trial.replicates"),
    ("trial", "--workers", "0", None),
    ("trial", "--workers", "100000", None),
    ("trial", "--seed", "-1", "run.seed"),
    ("attribute", "--replicates", str(10**9), "trial.replicates"),
    ("attribute", "--workers", "-2", None),
    ("attribute", "--seed", "x", "run.seed"),
    ("run", "--weeks", "2000", "run.weeks"),
    ("run", "--weeks", "1.5", "run.weeks"),
    ("run", "--seed", "-7", "run.seed"),
    ("run", "--threads", "0", None),
    ("run", "--threads", "100000", None),
    ("run", "--threads", "two", None),
    ("calibrate", "--workers", "0", None),
    ("sweep", "--workers", "0", None),
    ("sweep", "--dask-local", "5000", None),
    ("sweep", "--flush-seconds", "nan", None),
    ("sensitivity", "--flush-seconds", "-1", None),
    ("app", "--port", "70000", None),
]


@pytest.mark.parametrize(("verb", "option", "value", "key"), CASES)
def test_a_bad_numeric_option_is_refused_while_the_command_line_is_read(
    verb, option, value, key, capsys
):
    args = [verb] if verb == "app" else [verb, MISSING]
    code = main([*args, option, value])
    err = capsys.readouterr().err
    assert code == 2, f"expected exit code 2, got {code}:\n{err}"
    assert err.startswith(f"error: <command line>: {option}: {value!r} is not allowed"), err
    assert MISSING not in err, f"expected the option refused before the file was read: {err}"
    if key is not None:
        assert f"(the bounds of {key})" in err, f"expected the bounds of {key} named: {err}"


def test_replicates_take_the_bounds_of_trial_replicates(capsys):
    high = PARAMS["trial.replicates"].high
    assert main(["trial", MISSING, "--replicates", str(high + 1)]) == 2
    assert f"[1, {high}]" in capsys.readouterr().err
    assert main(["trial", MISSING, "--replicates", str(high)]) == 2  # accepted; the file is not
    assert f"{MISSING}: -: file not found" in capsys.readouterr().err
