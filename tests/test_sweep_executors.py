"""Identical results whatever runs the sweep: serial, local processes, a Dask local cluster.

Each run's randomness depends only on its own seed, and the store sorts rows by run, so the
consolidated tables must be equal bit for bit (compared as Arrow tables, NaN-aware and exact).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.cli import main
from sim.sweeps import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    load_sweep,
    read_results,
    read_timeseries,
    rerun,
    run_sweep,
)
from sim.sweeps.tasks import TRIAL_OUTCOMES
from tests.sweep_helpers import write_sweep, write_trial_sweep

EXECUTORS = {
    "processes-2": lambda: ProcessExecutor(2),
    "dask-local-threads-2": lambda: DaskExecutor(n_workers=2, processes=False),
    "dask-local-processes-2": lambda: DaskExecutor(n_workers=2, processes=True),
}


@pytest.fixture(scope="module")
def sweep_and_serial(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("serial")
    sweep = load_sweep(
        write_sweep(
            folder, outcomes='measures = ["eq5d", "tbq"]\nweeks = [3, 6]\ntimeseries = true'
        )
    )
    summary = run_sweep(sweep, folder / "out", SerialExecutor(), progress=False)
    return sweep, summary.folder


@pytest.mark.parametrize("name", list(EXECUTORS))
def test_executor_gives_bit_identical_tables_to_serial(
    name: str, sweep_and_serial, tmp_path: Path
) -> None:
    sweep, serial = sweep_and_serial
    chunk = 3 if name.startswith("dask") else 1
    summary = run_sweep(
        sweep, tmp_path, EXECUTORS[name](), progress=False, chunk=chunk, rows_per_part=4
    )
    assert summary.done == summary.total == 12, f"expected 12 runs done, got {summary}"
    for table in ("results.parquet", "timeseries.parquet"):
        expected, got = pq.read_table(serial / table), pq.read_table(summary.folder / table)
        assert got.equals(expected), f"{table} from {name} differs from the serial run"


def test_rerun_of_one_run_alone_reproduces_its_row(sweep_and_serial) -> None:
    sweep, serial = sweep_and_serial
    table = read_results(serial)
    row = table[table["run_id"] == "p000004-r001"].iloc[0]
    again = rerun(sweep, "p000004-r001")
    for column in ("seed", "mechanisms.navigation.p_join", "eq5d_w3", "eq5d_w6", "tbq_w6"):
        assert again[column] == row[column], f"re-run {column} {again[column]} != {row[column]}"


def test_rerun_verb_writes_a_run_folder_with_the_same_numbers(
    sweep_and_serial, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sweep, serial = sweep_and_serial
    code = main(
        [
            "sweep",
            str(sweep.path),
            "--rerun",
            "p000002-r000",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert code == 0, capsys.readouterr().err
    folder = Path(capsys.readouterr().out.split("wrote ", 1)[1].strip())
    assert folder.is_relative_to(tmp_path / "sweeps" / "tiny" / "reruns" / "p000002-r000")
    weekly = pq.read_table(folder / "tables" / "timeseries.parquet").to_pandas()
    row = read_results(serial).set_index("run_id").loc["p000002-r000"]
    assert weekly["eq5d"].iloc[6] == row["eq5d_w6"], "the run folder should repeat the sweep run"
    series = read_timeseries(serial)
    run = series[series["run_id"] == "p000002-r000"]
    assert run["tbq"].tolist() == weekly["tbq"].tolist(), "the time series should match too"


def test_trial_task_gives_bit_identical_tables_serial_and_on_two_processes(
    tmp_path: Path,
) -> None:
    sweep = load_sweep(write_trial_sweep(tmp_path))
    assert sweep.task == "trial" and "eq5d_effect" in sweep.outcome_columns
    serial = run_sweep(sweep, tmp_path / "serial", SerialExecutor(), progress=False)
    pooled = run_sweep(
        sweep, tmp_path / "processes", ProcessExecutor(2), progress=False, rows_per_part=1
    )
    assert serial.done == pooled.done == serial.total == 4, f"{serial} {pooled}"
    table = pq.read_table(serial.folder / "results.parquet").to_pandas()
    got = pq.read_table(pooled.folder / "results.parquet").to_pandas()
    # exact, with NaN equal to NaN (a logistic fit of so small a trial may not converge)
    pd.testing.assert_frame_equal(got, table, check_exact=True)
    assert table["error"].isna().all(), table["error"].tolist()
    assert set(TRIAL_OUTCOMES) <= set(table.columns), "every trial outcome should be a column"
    always = [c for c in TRIAL_OUTCOMES if not c.startswith("bp_controlled")]
    assert table[always].notna().all().all(), "only the BP odds ratios may be missing"
    baseline = table.groupby("replicate")[["baseline_eq5d", "network_size"]].nunique()
    assert (baseline == 1).all().all(), "common random numbers: same populations at every point"
    again = rerun(sweep, "p000001-r001")
    row = table.set_index("run_id").loc["p000001-r001"]
    assert again["eq5d_effect"] == row["eq5d_effect"], "a re-run should repeat the trial run"
