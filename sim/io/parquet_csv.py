"""A CSV copy of a Parquet table, written beside it a block of rows at a time.

Sweeps keep their results in Parquet; a CSV copy next to each file lets anyone open them in a
spreadsheet. The copy is streamed one row group at a time (memory stays flat however large the
table), written under a hidden temporary name and renamed when complete, so it is either whole or
absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq


def parquet_to_csv(source: str | Path, target: str | Path | None = None) -> Path:
    """Write ``source`` (a Parquet file) as CSV; return the CSV's path.

    Args:
        source: The Parquet file.
        target: The CSV file (default: ``source`` with the suffix ``.csv``).
    """
    source = Path(source)
    target = Path(target) if target is not None else source.with_suffix(".csv")
    temporary = target.with_name(f".tmp-{target.name}")
    parquet = pq.ParquetFile(source)
    try:
        with pa_csv.CSVWriter(temporary, parquet.schema_arrow) as writer:
            for group in range(parquet.num_row_groups):
                writer.write_table(parquet.read_row_group(group))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
