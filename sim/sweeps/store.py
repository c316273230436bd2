"""On-disk results of a sweep: Parquet part files written as runs finish, and resuming from them.

Finished runs are buffered briefly and written as a part file ``runs/part-<time>-<pid>-<n>.parquet``
(a name that does not depend on the content), first under a hidden temporary name, then renamed:
a part is either complete or absent, so a sweep killed at any moment loses at most the runs of
the last few seconds, which the next attempt runs again. Time series parts (if kept) are written
first under the same name in ``timeseries/``; one without its runs part is an orphan and is
removed when the store opens. Which runs are done is read from the parts' ``point`` and
``replicate`` columns into a one-byte-per-run mask; rows are deduplicated by run whenever they are
read, so even a duplicated part can never duplicate a run. Consolidation streams the parts into
one sorted ``results.parquet``, a block of design points at a time, so memory stays flat however
large the sweep.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.sweeps.runs import RunResult
from sim.sweeps.sweep_file import Sweep

_TYPES = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}


def runs_schema(sweep: Sweep) -> pa.Schema:
    """Columns of the runs table: ids, seed, one per parameter, one per outcome, and error."""
    fields = [
        ("run_id", pa.string()),
        ("point", pa.int64()),
        ("replicate", pa.int64()),
        ("seed", pa.int64()),
    ]
    fields += [(f.key, _TYPES.get(f.kind, pa.string())) for f in sweep.factors]
    fields += [(c, pa.float64()) for c in sweep.outcome_columns]
    return pa.schema([*fields, ("error", pa.string())])


def timeseries_schema(sweep: Sweep) -> pa.Schema:
    """Columns of the time series table: ids, week and one per measure."""
    fields = [("run_id", pa.string()), ("point", pa.int64()), ("replicate", pa.int64())]
    fields += [("week", pa.int64())] + [(m, pa.float64()) for m in sweep.timeseries_measures]
    return pa.schema(fields)


def _write_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to a temporary file, flush it to disk, then rename it to ``path``."""
    tmp = path.with_name(f".tmp-{path.name}")
    with open(tmp, "wb") as handle:
        pq.write_table(table, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class ResultStore:
    """The ``runs/`` (and ``timeseries/``) part files of one sweep folder.

    Args:
        folder: The sweep's folder.
        sweep: The sweep (for the schemas and the number of replicates).
        n_points: Points in the design.
        rows_per_part: Write a part once this many runs are buffered ...
        seconds_per_part: ... or once the oldest buffered run is this old.
    """

    def __init__(
        self,
        folder: Path,
        sweep: Sweep,
        n_points: int,
        rows_per_part: int = 256,
        seconds_per_part: float = 3.0,
    ) -> None:
        self.folder = Path(folder)
        self.runs_dir, self.ts_dir = self.folder / "runs", self.folder / "timeseries"
        self.schema, self.ts_schema = runs_schema(sweep), timeseries_schema(sweep)
        self.timeseries = sweep.timeseries
        self.replicates, self.n_points, self.weeks = sweep.replicates, n_points, sweep.weeks
        self.rows_per_part, self.seconds_per_part = rows_per_part, seconds_per_part
        self._rows: list[dict] = []
        self._series: list[dict[str, list]] = []
        self._since = 0.0
        self._count = 0

    def open(self) -> None:
        """Create the folders; remove temporary files and orphan time series parts."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if self.timeseries:
            self.ts_dir.mkdir(exist_ok=True)
        for folder in (self.folder, self.runs_dir, self.ts_dir):
            for tmp in folder.glob(".tmp-*") if folder.is_dir() else ():
                tmp.unlink()
        if self.ts_dir.is_dir():
            runs = {p.name for p in self.runs_dir.glob("part-*.parquet")}
            for orphan in self.ts_dir.glob("part-*.parquet"):
                if orphan.name not in runs:
                    orphan.unlink()

    def parts(self, dataset: str = "runs") -> list[Path]:
        """The part files of ``dataset`` (``"runs"`` or ``"timeseries"``), oldest first."""
        return sorted((self.folder / dataset).glob("part-*.parquet"))

    def done_mask(self, retry_failed: bool = False) -> np.ndarray:
        """One flag per run (index ``point x replicates + replicate``): stored already.

        Args:
            retry_failed: Count failed runs as not done, so they run again.
        """
        done = np.zeros(self.n_points * self.replicates, dtype=bool)
        for part in self.parts():
            table = pq.read_table(part, columns=["point", "replicate", "error"])
            index = table["point"].to_numpy() * self.replicates + table["replicate"].to_numpy()
            if retry_failed:
                index = index[table["error"].is_null().to_numpy(zero_copy_only=False)]
            done[index[index < len(done)]] = True
        return done

    def add(self, result: RunResult) -> None:
        """Buffer a finished run; write a part when enough runs or time have gathered."""
        if not self._rows:
            self._since = time.monotonic()
        self._rows.append(result.row)
        if result.timeseries is not None:
            self._series.append(result.timeseries)
        due = time.monotonic() - self._since >= self.seconds_per_part
        if len(self._rows) >= self.rows_per_part or due:
            self.flush()

    def flush(self) -> None:
        """Write the buffered runs as one part (time series first, then the runs part)."""
        if not self._rows:
            return
        self._count += 1
        name = f"part-{time.time_ns():020d}-{os.getpid()}-{self._count:06d}.parquet"
        if self._series:
            columns = {c: [v for s in self._series for v in s[c]] for c in self.ts_schema.names}
            _write_atomic(pa.Table.from_pydict(columns, schema=self.ts_schema), self.ts_dir / name)
        _write_atomic(pa.Table.from_pylist(self._rows, schema=self.schema), self.runs_dir / name)
        self._rows, self._series = [], []

    def blocks(self, dataset: str = "runs", rows: int = 20_000) -> Iterator[pa.Table]:
        """Yield the stored rows sorted by run (and week), deduplicated, a block at a time.

        A run stored twice keeps its successful record (or its first); only parts whose
        ``point`` statistics overlap a block are read for it.
        """
        schema = self.schema if dataset == "runs" else self.ts_schema
        index = [(part, *_point_range(part)) for part in self.parts(dataset)]
        per_point = self.replicates * (1 if dataset == "runs" else self.weeks + 1)
        step = max(1, rows // per_point)
        for lo in range(0, self.n_points, step):
            hi = lo + step
            wanted = [p for p, a, b in index if a < hi and b >= lo]
            if not wanted:
                continue
            table = pa.concat_tables(
                pq.read_table(p, filters=[("point", ">=", lo), ("point", "<", hi)], schema=schema)
                for p in wanted
            )
            if table.num_rows:
                yield sorted_unique(table, dataset)

    def consolidate(self, dataset: str, path: Path) -> tuple[int, int]:
        """Stream ``dataset`` into one sorted Parquet file; return (succeeded, failed) rows."""
        schema = self.schema if dataset == "runs" else self.ts_schema
        tmp = path.with_name(f".tmp-{path.name}")
        ok = failed = 0
        with pq.ParquetWriter(tmp, schema) as writer:
            for block in self.blocks(dataset):
                writer.write_table(block)
                if dataset == "runs":
                    succeeded = block["error"].null_count
                    ok, failed = ok + succeeded, failed + block.num_rows - succeeded
        os.replace(tmp, path)
        return ok, failed


def _point_range(part: Path) -> tuple[int, int]:
    """The smallest and largest ``point`` in a part, from its footer statistics."""
    meta = pq.ParquetFile(part).metadata
    column = meta.schema.names.index("point")
    lows, highs = [], []
    for group in range(meta.num_row_groups):
        stats = meta.row_group(group).column(column).statistics
        if stats is None or not stats.has_min_max:
            return 0, 2**62
        lows.append(stats.min)
        highs.append(stats.max)
    return (min(lows), max(highs)) if lows else (0, -1)


def sorted_unique(table: pa.Table, dataset: str) -> pa.Table:
    """Sort by point, replicate (and week); keep one row per key, a success before a failure."""
    keys = [("point", "ascending"), ("replicate", "ascending")]
    if dataset == "runs":
        flagged = table.append_column("_failed", pc.is_valid(table["error"]))
        table = flagged.sort_by([*keys, ("_failed", "ascending")]).drop_columns("_failed")
    else:
        table = table.sort_by([*keys, ("week", "ascending")])
    columns = ["point", "replicate"] + (["week"] if dataset != "runs" else [])
    key = np.stack([table[c].to_numpy() for c in columns])
    first = np.ones(table.num_rows, dtype=bool)
    first[1:] = (key[:, 1:] != key[:, :-1]).any(axis=0)
    return table if first.all() else table.filter(pa.array(first))
