"""Reading a sweep's results back, and re-running one run by its id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.sweeps.runs import RunContext, execute_run, run_spec
from sim.sweeps.store import sorted_unique
from sim.sweeps.sweep_design import Design
from sim.sweeps.sweep_file import Sweep


def _read(folder: Path, dataset: str, consolidated: str, columns: list[str] | None) -> pd.DataFrame:
    folder = Path(folder)
    if (folder / consolidated).is_file():
        return pd.read_parquet(folder / consolidated, columns=columns)
    parts = sorted((folder / dataset).glob("part-*.parquet"))
    if not parts:
        raise FileNotFoundError(f"{folder} holds no {dataset} of a sweep (no {dataset}/part-*)")
    table = sorted_unique(pa.concat_tables(pq.read_table(p) for p in parts), dataset)
    frame = table.to_pandas()
    return frame[columns] if columns is not None else frame


def read_results(folder: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """One row per run of a sweep folder, sorted by run.

    Reads ``results.parquet`` when the sweep has completed; otherwise gathers the runs stored so
    far (deduplicated, sorted; this holds them all in memory).

    Args:
        folder: The sweep's folder (``results/sweeps/<name>``).
        columns: Only these columns.
    """
    return _read(Path(folder), "runs", "results.parquet", columns)


def read_timeseries(folder: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The weekly measures of every run (sweeps with ``outcomes.timeseries = true``)."""
    return _read(Path(folder), "timeseries", "timeseries.parquet", columns)


def rerun(sweep: Sweep, run_id: str, design: Design | None = None) -> dict[str, Any]:
    """Run one run of a sweep again, alone, in this process; return its row.

    The row equals the run's row in the sweep's results, whatever executor produced them.
    """
    design = design if design is not None else Design(sweep)
    return execute_run(RunContext.of(sweep), run_spec(sweep, design, run_id)).row
