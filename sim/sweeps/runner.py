"""Run a sweep into its folder, resuming whatever an earlier attempt left (``sim sweep``).

A sweep writes ``OUT/sweeps/<name>/``:

``sweep.toml``
    the resolved sweep (every default written out); ``scenario.toml`` the resolved base scenario;
``provenance.json``
    software, machine, seed, executor, timings and the sweep's fingerprint;
``runs/part-*.parquet``
    one row per finished run, written as runs finish (``timeseries/`` likewise, if kept);
``results.parquet``, ``results.csv``, ``summary.json``
    on completion: every run once, sorted by run (Parquet, and the same as CSV), and the counts
    (done, failed, skipped); ``timeseries.parquet`` and ``timeseries.csv`` if kept.

Running the same sweep again resumes it: runs already stored are skipped. A folder holding a
different sweep (changed file, base scenario or design) is refused rather than mixed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sim.config.scenario import ScenarioError
from sim.io.parquet_csv import parquet_to_csv
from sim.io.provenance import provenance
from sim.sweeps.execute import Executor, SerialExecutor
from sim.sweeps.runs import Chunk, RunContext, iter_runs, make_chunks, run_chunk
from sim.sweeps.store import ResultStore
from sim.sweeps.sweep_design import Design
from sim.sweeps.sweep_file import Sweep

_LIBRARIES = ("dask", "distributed", "SALib", "tqdm")
#: The resolved base scenario in a sweep's folder, which its ``sweep.toml`` names as its base.
BASE_COPY = "scenario.toml"
#: The copy of the sweep's ensemble (if any) in its folder, which its ``sweep.toml`` names.
ENSEMBLE_COPY = "ensemble.toml"
#: Files written on completion (removed while a sweep is incomplete).
RESULT_FILES = ("results.parquet", "results.csv", "timeseries.parquet", "timeseries.csv")


@dataclass(frozen=True)
class SweepSummary:
    """How a sweep went.

    Attributes:
        folder: The sweep's folder.
        total: Runs in the design (points x replicates).
        done: Runs that finished without error.
        failed: Runs recorded with an error.
        skipped: Runs already stored when this attempt started (resumed).
        ran: Runs executed by this attempt.
        seconds: Wall time of this attempt.
    """

    folder: Path
    total: int
    done: int
    failed: int
    skipped: int
    ran: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data."""
        return {**asdict(self), "folder": str(self.folder)}


def sweep_folder(sweep: Sweep, out: Path) -> Path:
    """The folder of a sweep's results: ``out/sweeps/<name>``."""
    return Path(out) / "sweeps" / sweep.name


def fingerprint(sweep: Sweep, design: Design) -> str:
    """A digest of everything that decides the runs and their values."""
    return f"{sweep.fingerprint()[:32]}-{design.digest()[:32]}"


def check_folder(sweep: Sweep, folder: Path, digest: str) -> None:
    """Refuse a folder that holds results of a different sweep."""
    stored = folder / "provenance.json"
    if not stored.is_file():
        return
    try:
        previous = json.loads(stored.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError):
        previous = None
    if previous != digest:
        raise ScenarioError(
            sweep.path or "<sweep>",
            "-",
            f"{folder} holds the results of a different sweep (the sweep file, its base scenario "
            "or the design changed since); choose another --out, or remove that folder to start "
            "again",
        )


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder (released by the system even if killed)."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        yield
        return
    with open(folder / ".lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ScenarioError(
                folder,
                "--out",
                "another sweep is writing to this folder; wait for it to "
                "finish, or choose another --out",
            ) from None
        yield


def _provenance(sweep: Sweep, digest: str, executor: Executor, **extra: Any) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    libraries = {}
    for name in _LIBRARIES:
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = "not installed"
    base = sweep.base.path
    return provenance(
        sweep.seed,
        str(base) if base else None,
        sweep_file=str(sweep.path) if sweep.path else None,
        fingerprint=digest,
        executor=executor.describe(),
        sweep_libraries=libraries,
        **extra,
    )


def run_sweep(
    sweep: Sweep,
    out: Path = Path("results"),
    executor: Executor | None = None,
    *,
    folder: Path | None = None,
    progress: bool = True,
    retry_failed: bool = False,
    chunk: int = 1,
    rows_per_part: int = 256,
    seconds_per_part: float = 3.0,
) -> SweepSummary:
    """Run (or resume) a sweep and write its folder.

    Args:
        sweep: The sweep.
        out: Output folder; results go to ``out/sweeps/<name>/``.
        executor: Where runs execute (default: serially in this process).
        folder: Write here instead of ``out/sweeps/<name>/``.
        progress: Show a progress bar with the time remaining on stderr.
        retry_failed: Run again the runs an earlier attempt recorded as failed.
        chunk: Runs per task sent to a worker.
        rows_per_part: Write a part file after this many finished runs ...
        seconds_per_part: ... or after this many seconds.

    Returns:
        The counts of this attempt; also written to ``summary.json``.
    """
    started = time.time()
    executor = executor if executor is not None else SerialExecutor()
    if isinstance(getattr(executor, "preload", None), list):  # a fork server: import the task's
        executor.preload += [m for m in sweep.run_task.preload if m not in executor.preload]
    design = Design(sweep)
    digest = fingerprint(sweep, design)
    folder = Path(folder) if folder is not None else sweep_folder(sweep, out)
    check_folder(sweep, folder, digest)
    folder.mkdir(parents=True, exist_ok=True)
    total = len(design) * sweep.replicates
    store = ResultStore(folder, sweep, len(design), rows_per_part, seconds_per_part)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started))
    with _locked(folder):
        store.open()
        _write_text(folder / "sweep.toml", sweep.to_toml(base=BASE_COPY, ensemble=ENSEMBLE_COPY))
        _write_text(folder / BASE_COPY, sweep.base.to_toml())
        if sweep.ensemble is not None:
            _write_text(folder / ENSEMBLE_COPY, Path(sweep.ensemble.path).read_text("utf-8"))
        record = _provenance(sweep, digest, executor, started_utc=stamp)
        _write_text(folder / "provenance.json", _json(record))
        done = store.done_mask(retry_failed)
        skipped = int(done.sum())
        if skipped < total:
            for stale in (*RESULT_FILES, "summary.json"):
                (folder / stale).unlink(missing_ok=True)
        chunks = make_chunks(RunContext.of(sweep), iter_runs(sweep, design, done), chunk)
        ran = _execute(executor, chunks, store, total, skipped, sweep.name, progress)
        ok, failed = store.consolidate("runs", folder / "results.parquet")
        parquet_to_csv(folder / "results.parquet")
        if sweep.timeseries:
            store.consolidate("timeseries", folder / "timeseries.parquet")
            parquet_to_csv(folder / "timeseries.parquet")
        seconds = round(time.time() - started, 3)
        summary = SweepSummary(folder, total, ok, failed, skipped, ran, seconds)
        _write_text(folder / "summary.json", _json(summary.to_dict()))
        record |= {"wall_seconds": seconds, "summary": summary.to_dict()}
        _write_text(folder / "provenance.json", _json(record))
    return summary


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, default=str) + "\n"


def _write_text(path: Path, text: str) -> None:
    """Write a small file under a temporary name, then rename it: never half-written."""
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _execute(
    executor: Executor,
    chunks: Iterable[Chunk],
    store: ResultStore,
    total: int,
    skipped: int,
    name: str,
    progress: bool,
) -> int:
    """Run the chunks, storing each result as it comes; return the runs executed."""
    from tqdm import tqdm

    ran = 0
    bar = tqdm(
        total=total,
        initial=skipped,
        desc=name,
        unit="run",
        file=sys.stderr,
        disable=not progress,
        smoothing=0.05,
        dynamic_ncols=True,
    )
    try:
        with executor:
            for results in executor.imap_unordered(run_chunk, chunks):
                for result in results:
                    store.add(result)
                ran += len(results)
                bar.update(len(results))
    finally:
        store.flush()
        bar.close()
    return ran
