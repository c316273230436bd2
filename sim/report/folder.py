"""Reading a results folder for a report: its kind, scenario, provenance, tables and figures."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

#: Folder kinds a report can describe.
KINDS = ("trial", "run", "attribution", "compare", "sweep")


class ReportError(Exception):
    """A folder that cannot be reported on; the message names the path and what is wrong."""


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables as one mapping of dotted keys."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


@dataclass
class ResultsFolder:
    """A results folder written by ``sim trial``, ``run``, ``attribute``, ``compare`` or ``sweep``.

    A sweep folder (``sim sweep``, ``sim sensitivity``) keeps its tables at the top level
    (``results.parquet``, ``sensitivity.parquet``) rather than in ``tables/``.

    Attributes:
        path: The folder.
        kind: One of :data:`KINDS`.
        provenance: The parsed ``provenance.json``.
        scenario: The resolved scenario as written (``scenario.toml``), flat dotted keys; the
            meta keys ``title`` and ``description`` included when present.
    """

    path: Path
    kind: str
    provenance: dict[str, Any]
    scenario: dict[str, Any]

    @classmethod
    def open(cls, path: str | Path) -> ResultsFolder:
        """Read and check a results folder.

        Raises:
            ReportError: if the folder is missing, is not a results folder of ``sim trial`` or
                ``sim run``, or its provenance or scenario cannot be read.
        """
        path = Path(path)
        if not path.exists():
            raise ReportError(f"{path}: no such folder")
        if not path.is_dir():
            raise ReportError(f"{path}: not a folder; expected a results folder")
        if (path / "sweep.toml").is_file():
            return cls._open_sweep(path)
        expected = (
            "expected a results folder written by 'sim trial', 'sim run', 'sim attribute' or "
            "'sim compare' (with provenance.json, scenario.toml and tables/), or a sweep folder "
            "(with sweep.toml)"
        )
        missing = [
            name
            for name in ("provenance.json", "scenario.toml", "tables")
            if not (path / name).exists()
        ]
        if missing:
            raise ReportError(f"{path}: not a results folder: no {', '.join(missing)}; {expected}")
        provenance, scenario = _read_provenance(path), _read_scenario(path)
        tables = path / "tables"
        if provenance.get("kind") == "trial":
            kind, needed = "trial", ("results", "summary", "arms", "economics")
        elif provenance.get("kind") == "attribution":
            kind, needed = "attribution", ("attribution",)
        elif provenance.get("kind") == "compare":
            kind, needed = "compare", ("league", "effects", "acceptability", "budget")
        elif provenance.get("kind") is None and _has(tables, "timeseries"):
            kind, needed = "run", ("timeseries",)
        else:
            raise ReportError(
                f"{path}: not a results folder of 'sim trial', 'sim run', 'sim attribute' or "
                "'sim compare' "
                f"(provenance kind "
                f"{provenance.get('kind')!r}); {expected}"
            )
        absent = [name for name in needed if not _has(tables, name)]
        if absent:
            raise ReportError(
                f"{path}: incomplete {kind} folder: no tables/{', tables/'.join(absent)} "
                "(.csv or .parquet)"
            )
        return cls(path, kind, provenance, scenario)

    @classmethod
    def _open_sweep(cls, path: Path) -> ResultsFolder:
        missing = [n for n in ("provenance.json", "scenario.toml") if not (path / n).is_file()]
        if missing:
            raise ReportError(f"{path}: not a sweep folder: no {', '.join(missing)}")
        if not _has(path, "results"):
            raise ReportError(
                f"{path}: incomplete sweep folder: no results.parquet; run 'sim sweep "
                f"{path / 'sweep.toml'}' to finish it"
            )
        return cls(path, "sweep", _read_provenance(path), _read_scenario(path))

    @property
    def tables_folder(self) -> Path:
        """Where the folder's tables are: ``tables/``, or the folder itself for a sweep."""
        return self.path if self.kind == "sweep" else self.path / "tables"

    def has_table(self, name: str) -> bool:
        """True if the table ``name`` exists as CSV or Parquet."""
        return _has(self.tables_folder, name)

    def table(self, name: str) -> pd.DataFrame:
        """Read the table ``name`` (Parquet if present, else CSV)."""
        return self._tables.setdefault(name, _read(self.tables_folder, name))

    @cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        return {}

    def figures(self) -> list[Path]:
        """The PNG figures in ``figures/``, by name."""
        folder = self.path / "figures"
        return sorted(folder.glob("*.png")) if folder.is_dir() else []

    def value(self, key: str, default: Any = None) -> Any:
        """A scenario value by dotted key."""
        return self.scenario.get(key, default)

    @property
    def title(self) -> str:
        """The scenario's title, or its file name, or the folder's name."""
        source = self.provenance.get("scenario_file")
        fallback = Path(source).stem if source else self.path.parent.name
        return str(self.scenario.get("title") or fallback)


def _read_provenance(path: Path) -> dict[str, Any]:
    try:
        provenance = json.loads((path / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path / 'provenance.json'}: cannot be read: {exc}") from None
    if not isinstance(provenance, dict):
        raise ReportError(f"{path / 'provenance.json'}: expected a JSON object")
    return provenance


def _read_scenario(path: Path) -> dict[str, Any]:
    try:
        with open(path / "scenario.toml", "rb") as handle:
            return flatten(tomllib.load(handle))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path / 'scenario.toml'}: cannot be read: {exc}") from None


def _has(folder: Path, name: str) -> bool:
    return (folder / f"{name}.parquet").is_file() or (folder / f"{name}.csv").is_file()


def _read(folder: Path, name: str) -> pd.DataFrame:
    try:
        if (folder / f"{name}.parquet").is_file():
            return pd.read_parquet(folder / f"{name}.parquet")
        return pd.read_csv(folder / f"{name}.csv")
    except Exception as exc:  # any unreadable table is an input error of the report
        raise ReportError(f"{folder / name}: cannot be read: {exc}") from None
