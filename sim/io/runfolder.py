"""The one layer that writes results: run folders with tables, figures and provenance.

A run folder is written under a hidden temporary name and renamed into place only when complete,
so an interrupted or failed run leaves nothing half-written behind. Paths always stay inside the
chosen output folder.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.config.scenario import Scenario, ScenarioError
from sim.io.cleanup import incomplete_name, remove_stale, run_id


def scenario_root(out: Path, scenario: Scenario) -> Path:
    """The folder of a scenario's runs under ``out``; refuses any path that leaves ``out``."""
    out = Path(out).resolve()
    root = (out / scenario.output_folder()).resolve()
    if root != out and out not in root.parents:
        raise ScenarioError(
            scenario.origins["outputs.folder"],
            "outputs.folder",
            f"{root} (through a symbolic link) is not inside the output folder {out}",
        )
    return root


@dataclass
class RunFolder:
    """A run being written: ``path`` while writing, ``final`` once complete."""

    path: Path
    final: Path | None = None


@contextmanager
def run_folder(out: Path, scenario: Scenario, seed: int) -> Iterator[RunFolder]:
    """Yield a temporary folder to write a run into; rename it to its final name on success.

    On any exception (or Ctrl-C, SIGTERM, SIGHUP: :mod:`sim.io.cleanup`) the temporary folder,
    and any folder created for this run that is left empty, are removed. Temporary folders left
    in the same place by processes that have ended (killed outright) are removed first.
    """
    root = scenario_root(out, scenario)
    for stale in remove_stale(root):
        print(f"removed {stale}, left unfinished by a process that has ended", file=sys.stderr)
    created = [p for p in (Path(out).resolve(), root) if not p.exists()]
    name = run_id(seed)
    run = RunFolder(root / incomplete_name(name))
    try:  # the folder is made inside: a signal the moment it appears still removes it
        run.path.mkdir(parents=True)
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
