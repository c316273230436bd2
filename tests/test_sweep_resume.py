"""Resumable on-disk results: killed or interrupted sweeps lose and duplicate nothing.

The kill test runs ``sim sweep`` as a user would, in a subprocess on two worker processes,
interrupts it with Ctrl-C (SIGINT) and later kills it outright (SIGKILL) once part files are on
disk, then runs the same command again; the result must hold every run of the design exactly once,
with the values of an uninterrupted run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from sim.cli import main
from sim.sweeps import Design, SerialExecutor, iter_runs, load_sweep, read_results, run_sweep
from sim.sweeps.store import ResultStore
from tests.sweep_helpers import ROOT, write_sweep

BIG_GRID = (
    '"mechanisms.navigation.p_join" = { low = 0.004, high = 0.03, n = 12 }\n'
    '"mechanisms.negotiation.p_attempt" = { low = 0.05, high = 0.2, n = 5 }'
)


def _default_interrupt() -> None:
    """In the child before it starts: Ctrl-C at its default, as in a user's shell.

    A child inherits an ignored SIGINT, and Python then leaves it ignored; a pool worker started
    by an earlier test in the same pytest process (``sim.parallel``) ignores SIGINT, and the sweep
    would then never see the Ctrl-C this test sends.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_sweep(path: Path, out: Path, workers: int = 2) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(path),
            "--out",
            str(out),
            "--workers",
            str(workers),
            "--flush-seconds",
            "0.1",
            "--no-progress",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=_default_interrupt,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_parts(process: subprocess.Popen, runs: Path, more_than: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        count = len(list(runs.glob("part-*.parquet"))) if runs.is_dir() else 0
        if count > more_than:
            return count
        time.sleep(0.02)
    pytest.fail(f"the sweep wrote no more than {more_than} parts before it ended or timed out")


def gone(processes: list[psutil.Process], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for p in processes:
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_interrupted_then_killed_sweep_resumes_losing_and_duplicating_nothing(
    tmp_path: Path,
) -> None:
    path = write_sweep(tmp_path, parameters=BIG_GRID, weeks=4)
    out = tmp_path / "out"
    runs = out / "sweeps" / "tiny" / "runs"
    # Ctrl-C: finished runs are written before the sweep stops
    process = start_sweep(path, out)
    wait_for_parts(process, runs, 0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, f"Ctrl-C should exit 130, got {process.returncode}: {err}"
    assert "run the same command again to resume" in err
    parts = len(list(runs.glob("part-*.parquet")))
    # killed outright: the resumed sweep is killed with SIGKILL after more parts are on disk
    process = start_sweep(path, out)
    wait_for_parts(process, runs, parts)
    children = psutil.Process(process.pid).children(recursive=True)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert gone(children), "worker processes should end once the sweep is killed"
    stored = read_results(out / "sweeps" / "tiny")
    assert 0 < len(stored) < 120, f"the kill should land mid-sweep, but {len(stored)} were stored"
    assert not (out / "sweeps" / "tiny" / "results.parquet").exists()
    # the same command again (here on one worker) finishes the sweep
    process = start_sweep(path, out, workers=1)
    output, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert f"120 runs: 120 done, 0 failed, {len(stored)} skipped" in output, output
    result = pq.read_table(out / "sweeps" / "tiny" / "results.parquet")
    sweep = load_sweep(path)
    expected_ids = [r.run_id for r in iter_runs(sweep, Design(sweep))]
    assert result["run_id"].to_pylist() == expected_ids, "every run once, in run order"
    reference = run_sweep(sweep, tmp_path / "reference", SerialExecutor(), progress=False)
    assert result.equals(pq.read_table(reference.folder / "results.parquet")), (
        "the resumed sweep should equal an uninterrupted one"
    )


def test_a_duplicated_part_never_duplicates_a_run(tmp_path: Path) -> None:
    sweep = load_sweep(write_sweep(tmp_path, weeks=2))
    summary = run_sweep(sweep, tmp_path / "out", progress=False, rows_per_part=5)
    first = pq.read_table(summary.folder / "results.parquet")
    part = sorted((summary.folder / "runs").glob("part-*.parquet"))[0]
    shutil.copy(part, part.with_name("part-99999999999999999999-1-000001.parquet"))
    again = run_sweep(sweep, tmp_path / "out", progress=False)
    assert (again.ran, again.skipped) == (0, 12), f"nothing should run again: {again}"
    assert pq.read_table(summary.folder / "results.parquet").equals(first)
    assert len(read_results(summary.folder)) == 12


def test_failed_runs_are_recorded_and_the_sweep_carries_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # age_max = 30 is below the default age_min of 40: those runs fail when built
    path = write_sweep(tmp_path, parameters='"population.age_max" = [30.0, 100.0]', weeks=2)
    code = main(
        ["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress"]
    )
    output = capsys.readouterr()
    assert code == 1, "a sweep with failed runs should exit 1"
    assert "4 runs: 2 done, 2 failed" in output.out, output.out
    assert "2 runs failed" in output.err
    table = read_results(tmp_path / "out" / "sweeps" / "tiny")
    failed = table[table["error"].notna()]
    assert failed["population.age_max"].tolist() == [30.0, 30.0]
    assert failed["error"].str.contains("must be below population.age_max").all()
    assert table.loc[table["error"].isna(), "eq5d_w2"].notna().all(), "others should finish"
    # retrying runs them again; they fail again and are still recorded once each
    code = main(
        [
            "sweep",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "1",
            "--no-progress",
            "--retry-failed",
        ]
    )
    assert "4 runs: 2 done, 2 failed, 2 skipped" in capsys.readouterr().out
    assert len(read_results(tmp_path / "out" / "sweeps" / "tiny")) == 4


def test_a_changed_sweep_is_refused_in_the_old_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_sweep(tmp_path, weeks=2)
    assert (
        main(["sweep", str(path), "--out", str(tmp_path), "--workers", "1", "--no-progress"]) == 0
    )
    write_sweep(tmp_path, weeks=3)
    capsys.readouterr()
    code = main(["sweep", str(path), "--out", str(tmp_path), "--workers", "1"])
    assert code == 2, "a different sweep in the same folder should exit 2"
    assert "holds the results of a different sweep" in capsys.readouterr().err


def test_opening_the_store_removes_temporary_files_and_orphan_series(tmp_path: Path) -> None:
    sweep = load_sweep(
        write_sweep(tmp_path, weeks=2, outcomes='measures = ["eq5d"]\ntimeseries = true')
    )
    summary = run_sweep(sweep, tmp_path, progress=False)
    series = summary.folder / "timeseries"
    orphan = series / "part-00000000000000000001-1-000001.parquet"
    shutil.copy(next(series.glob("part-*.parquet")), orphan)
    (summary.folder / "runs" / ".tmp-part-x.parquet").write_bytes(b"half a file")
    run_sweep(sweep, tmp_path, progress=False)
    assert not orphan.exists(), "a series part without its runs part should be removed"
    assert not list((summary.folder / "runs").glob(".tmp-*")), "temporary files should go"
    weekly = pq.read_table(summary.folder / "timeseries.parquet")
    assert weekly.num_rows == 12 * 3, f"12 runs x 3 weeks expected, got {weekly.num_rows}"


def test_consolidation_streams_blocks_of_bounded_size(tmp_path: Path) -> None:
    sweep = load_sweep(write_sweep(tmp_path, parameters=BIG_GRID, weeks=1))
    summary = run_sweep(sweep, tmp_path, progress=False, rows_per_part=7)
    store = ResultStore(summary.folder, sweep, len(Design(sweep)))
    blocks = list(store.blocks("runs", rows=10))
    assert max(b.num_rows for b in blocks) <= 10, "a block should hold at most 10 rows"
    assert len(blocks) == 12, f"120 runs in blocks of 10 expected 12 blocks, got {len(blocks)}"
    streamed = [run_id for b in blocks for run_id in b["run_id"].to_pylist()]
    assert streamed == read_results(summary.folder)["run_id"].tolist()


def test_a_moved_folder_resumes_from_its_own_sweep_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the sweep file and its base scenario's chain, in a folder that will be removed
    shutil.copytree(ROOT / "scenarios", tmp_path / "files", ignore=shutil.ignore_patterns("sweeps"))
    base = str(tmp_path / "files" / "usual_care.toml")
    path = write_sweep(tmp_path / "files")
    path.write_text(
        path.read_text(encoding="utf-8").replace(str(ROOT / "scenarios/usual_care.toml"), base),
        encoding="utf-8",
    )
    sweep = load_sweep(path)
    summary = run_sweep(sweep, tmp_path / "out", progress=False)
    written = (summary.folder / "sweep.toml").read_text(encoding="utf-8")
    assert 'base = "scenario.toml"' in written, "the folder's sweep file should name its copy"
    values = "\n".join(line for line in written.splitlines() if not line.startswith("#"))
    assert str(tmp_path) not in values, "the folder's sweep file should hold no absolute path"
    # drop the last runs part (as if the sweep had been stopped), then move the folder
    last = sorted((summary.folder / "runs").glob("part-*.parquet"))[-1]
    lost = pq.read_table(last).num_rows
    last.unlink()
    (summary.folder / "results.parquet").unlink()
    moved = tmp_path / "elsewhere" / "kept"
    moved.parent.mkdir()
    shutil.move(summary.folder, moved)
    shutil.rmtree(tmp_path / "files")  # the original sweep and its base are gone too
    again = load_sweep(moved / "sweep.toml")
    assert again.name == "kept", "a folder's own sweep file should keep the folder's name"
    assert again.fingerprint() == sweep.fingerprint(), "the moved sweep should be the same sweep"
    code = main(["sweep", str(moved / "sweep.toml"), "--workers", "1", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"resuming in {moved}" in out, out
    assert f"12 runs: 12 done, 0 failed, {12 - lost} skipped" in out, out
    table = read_results(moved)
    assert table["run_id"].is_unique and len(table) == 12, "every run once after resuming"


def test_a_trial_task_sweep_resumes(tmp_path: Path) -> None:
    from tests.sweep_helpers import write_trial_sweep

    sweep = load_sweep(write_trial_sweep(tmp_path, outcomes='names = ["eq5d_effect"]'))
    first = run_sweep(sweep, tmp_path / "out", progress=False, rows_per_part=1)
    assert first.done == first.total == 4, first
    table = read_results(first.folder)
    assert list(table.columns[-2:]) == ["eq5d_effect", "error"], list(table.columns)
    sorted((first.folder / "runs").glob("part-*.parquet"))[-1].unlink()
    again = run_sweep(load_sweep(sweep.path), tmp_path / "out", progress=False)
    assert (again.skipped, again.ran, again.done) == (3, 1, 4), again
    assert read_results(again.folder).equals(table), "a resumed trial sweep should match"
