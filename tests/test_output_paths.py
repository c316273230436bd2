"""Every writing verb refuses an unusable output location before any work, and writes nothing.

For each verb (run, trial, attribute, sweep, sensitivity, calibrate and its ``--write``, report
and its ``--output``) and each kind of bad location (a regular file, a path under a file, a path
under ``/proc``, a symbolic link leading outside ``--out``, a name longer than the file system
allows): exit code 2, one ``error:`` line naming the path, nothing written anywhere, and no work
done (well under 5 s of CPU, where the verbs' work takes minutes). The verbs run in this process
(:func:`sim.cli.main`), and once per verb as a user runs them, in a subprocess.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.io.output_path import check_output_folder

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
NO_WORK_SECONDS = 5.0

#: verb -> (arguments before --out, the folder the verb writes into under --out)
VERBS = {
    "run": (["run", SCENARIOS / "usual_care.toml", "--no-progress"], "usual_care"),
    "trial": (["trial", SCENARIOS / "bright.toml", "--replicates", "2"], "bright"),
    "attribute": (["attribute", SCENARIOS / "bright.toml", "--replicates", "1"], "bright"),
    "sweep": (["sweep", SCENARIOS / "sweeps" / "grid_example.toml"], "sweeps"),
    "sensitivity": (["sensitivity", SCENARIOS / "sweeps" / "sobol_sensitivity.toml"], "sweeps"),
    "calibrate": (["calibrate", SCENARIOS / "calibration" / "bright.toml"], "calibration"),
}


def bad_out(kind: str, tmp_path: Path, verb: str) -> tuple[Path, Path]:
    """A bad --out of the given kind, and the path its error must name (set up under tmp_path)."""
    file = tmp_path / "a_file"
    file.write_text("not a folder\n")
    if kind == "regular_file":
        return file, file
    if kind == "under_a_file":
        return file / "out", file
    if kind == "under_proc":
        return Path("/proc/sim-no-such-folder/out"), Path("/proc/sim-no-such-folder/out")
    if kind == "long_name":
        return tmp_path / ("x" * 300), tmp_path / ("x" * 300)
    assert kind == "link_outside"
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / VERBS[verb][1]).symlink_to(elsewhere, target_is_directory=True)
    return out, out


def everything(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def refused(capsys, args: list, named: Path, option: str = "--out") -> str:
    """Run the verb in this process; check exit 2, one error line naming the path, no work."""
    started = time.process_time()
    code = main([str(a) for a in args])
    cpu = time.process_time() - started
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, f"expected exit code 2, got {code}; stderr:\n{err}"
    assert len(lines) == 1 and lines[0].startswith(f"error: <command line>: {option}: "), (
        f"expected one error line naming {option}, got:\n{err}"
    )
    assert str(named) in lines[0], f"expected the path {named} in: {lines[0]}"
    assert cpu < NO_WORK_SECONDS, f"expected no work before the refusal; took {cpu:.1f} s CPU"
    return lines[0]


KINDS = ["regular_file", "under_a_file", "under_proc", "long_name", "link_outside"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("verb", sorted(VERBS))
def test_a_bad_out_is_refused_before_any_work_and_nothing_is_written(verb, kind, tmp_path, capsys):
    out, named = bad_out(kind, tmp_path, verb)
    before = everything(tmp_path)
    line = refused(capsys, [*VERBS[verb][0], "--out", out], named)
    assert everything(tmp_path) == before, f"expected nothing written by {verb}"
    if kind == "link_outside":
        assert "outside" in line, f"expected the link named as leading outside: {line}"


def test_an_outputs_folder_of_300_characters_is_refused_before_the_run(tmp_path, capsys):
    scenario = tmp_path / "long.toml"
    base = (SCENARIOS / "usual_care.toml").as_posix()
    scenario.write_text(f'base = "{base}"\n[outputs]\nfolder = "{"f" * 300}"\n')
    line = refused(capsys, ["run", scenario, "--out", tmp_path / "out"], tmp_path / "out")
    assert "300 characters" in line, f"expected the length named: {line}"
    assert everything(tmp_path) == [scenario], "expected nothing written"


def test_a_link_deep_in_an_existing_sweep_folder_leading_outside_is_refused(tmp_path, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    folder = out / "sweeps" / "grid_example"
    folder.mkdir(parents=True)
    elsewhere.mkdir()
    (folder / "runs").symlink_to(elsewhere, target_is_directory=True)
    line = refused(capsys, [*VERBS["sweep"][0], "--out", out], folder / "runs")
    assert str(elsewhere) in line
    assert everything(elsewhere) == [], "expected nothing written through the link"


@pytest.mark.parametrize("kind", ["a_folder", "under_a_file", "under_proc"])
def test_a_bad_calibrate_write_is_refused_before_any_work(kind, tmp_path, capsys):
    file = tmp_path / "a_file"
    file.write_text("x")
    write = {
        "a_folder": tmp_path,
        "under_a_file": file / "calibrated.toml",
        "under_proc": Path("/proc/sim-no-such-folder/calibrated.toml"),
    }[kind]
    args = [*VERBS["calibrate"][0], "--out", tmp_path / "out", "--write", write]
    refused(capsys, args, file if kind == "under_a_file" else write, option="--write")
    assert everything(tmp_path) == [file], "expected nothing written"


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    """A tiny finished run folder, to report on."""
    folder = tmp_path_factory.mktemp("results")
    scenario = folder / "tiny.toml"
    base = (SCENARIOS / "usual_care.toml").as_posix()
    scenario.write_text(
        f'base = "{base}"\n[run]\nweeks = 1\n[population]\nn_practices = 1\n'
        'patients_per_practice = 4\n[outputs]\nfigures = false\nformats = ["csv"]\n'
    )
    assert main(["run", str(scenario), "--out", str(folder), "--no-progress"]) == 0
    (run,) = (folder / "tiny").iterdir()
    return run


@pytest.mark.parametrize("kind", ["a_folder", "under_a_file", "under_proc", "long_name"])
def test_a_bad_report_output_is_refused_before_the_report_is_built(
    kind, run_folder, tmp_path, capsys
):
    file = tmp_path / "a_file"
    file.write_text("x")
    output = {
        "a_folder": tmp_path,
        "under_a_file": file / "report.html",
        "under_proc": Path("/proc/sim-no-such-folder/report.html"),
        "long_name": tmp_path / ("r" * 300 + ".html"),
    }[kind]
    before = everything(run_folder)
    code = main(["report", str(run_folder), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 2, f"expected exit code 2, got {code}:\n{err}"
    named = file if kind == "under_a_file" else output
    assert len(err.splitlines()) == 1 and err.startswith(f"error: {named}: "), err
    assert everything(tmp_path) == [file] and everything(run_folder) == before


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_a_regular_file_as_out_is_refused_in_a_subprocess_without_traceback(verb, tmp_path):
    out, _ = bad_out("regular_file", tmp_path, verb)
    started = cpu_of_children()
    result = subprocess.run(
        [sys.executable, "-m", "sim", *map(str, VERBS[verb][0]), "--out", str(out)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    cpu = cpu_of_children() - started
    assert result.returncode == 2, f"expected exit code 2:\n{result.stderr}"
    assert result.stderr.splitlines() == [
        f"error: <command line>: --out: {out}: is a file, not a folder"
    ], f"expected one error line naming {out}, got:\n{result.stderr}"
    assert cpu < NO_WORK_SECONDS, f"expected no work before the refusal; took {cpu:.1f} s CPU"
    assert everything(tmp_path) == [out], "expected nothing written"


def test_the_check_proves_a_missing_folder_creatable_and_leaves_nothing(tmp_path):
    out = tmp_path / "a" / "b"
    final = check_output_folder(out, "c/d")
    assert final == (out / "c" / "d").resolve()
    assert everything(tmp_path) == [], "expected the probe folders and file removed"
