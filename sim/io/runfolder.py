"""The one layer that writes results: run folders with tables, figures and provenance.

A run folder is written under a hidden temporary name and renamed into place only when complete,
so an interrupted or failed run leaves nothing half-written behind. Paths always stay inside the
chosen output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.config.scenario import Scenario


def run_id(seed: int, when: float | None = None) -> str:
    """Name a run by its UTC start time and seed, e.g. ``20261127-061500-seed42``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(when))
    return f"{stamp}-seed{seed}"


def scenario_root(out: Path, scenario: Scenario) -> Path:
    """The folder of a scenario's runs under ``out``; refuses any path that leaves ``out``."""
    out = Path(out).resolve()
    root = (out / scenario.output_folder()).resolve()
    if root != out and out not in root.parents:
        raise ValueError(f"output folder {root} is not inside {out}")
    return root


@dataclass
class RunFolder:
    """A run being written: ``path`` while writing, ``final`` once complete."""

    path: Path
    final: Path | None = None


@contextmanager
def run_folder(out: Path, scenario: Scenario, seed: int) -> Iterator[RunFolder]:
    """Yield a temporary folder to write a run into; rename it to its final name on success.

    On any exception (or Ctrl-C) the temporary folder, and any folder created for this run that
    is left empty, are removed.
    """
    root = scenario_root(out, scenario)
    created = [p for p in (Path(out).resolve(), root) if not p.exists()]
    name = run_id(seed)
    run = RunFolder(root / f".incomplete-{name}-{os.getpid()}")
    run.path.mkdir(parents=True)
    try:
        yield run
        final = root / name
        suffix = 1
        while final.exists():
            suffix += 1
            final = root / f"{name}-{suffix}"
        run.path.rename(final)
        run.final = final
    except BaseException:
        shutil.rmtree(run.path, ignore_errors=True)
        for folder in reversed(created):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def write_tables(folder: Path, tables: Mapping[str, pd.DataFrame], formats: list[str]) -> None:
    """Write each table as ``tables/<name>.<format>`` (Parquet and/or CSV)."""
    target = folder / "tables"
    target.mkdir(exist_ok=True)
    for name, frame in tables.items():
        if "parquet" in formats:
            frame.to_parquet(target / f"{name}.parquet", index=False)
        if "csv" in formats:
            frame.to_csv(
                target / f"{name}.csv", index=False, float_format="%.10g", lineterminator="\n"
            )


def write_figures(folder: Path, figures: Mapping[str, Callable[[], Figure]]) -> None:
    """Render each figure factory and save it as ``figures/<name>.png``."""
    target = folder / "figures"
    target.mkdir(exist_ok=True)
    for name, make in figures.items():
        figure = make()
        figure.savefig(target / f"{name}.png", dpi=150)


def write_json(path: Path, data: Mapping) -> None:
    """Write ``data`` as indented JSON."""
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
