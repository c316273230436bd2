"""Ensemble files: K calibrated parameter sets, written by ``sim calibrate`` and read to run over.

An ensemble file is TOML data (nothing in it is executed)::

    format = "sim-ensemble/1"
    calibration = "scenarios/calibration/bright.toml"   # the calibration file that wrote it
    seed = 2014                                          # its seed
    cutoff = 3.0                                         # implausibility cut-off of confirmation
    fitted_targets = ["T2", "T3a", "T9a"]                # targets used in fitting (dossier codes)
    keys = ["interventions.bright.guidebook.knowledge_clinical",
            "mechanisms.health.self_care_effect"]

    [[members]]                      # one table per parameter set, values in the order of keys
    values = [0.21, 11.9]
    implausibility = 1.7             # its simulated implausibility (k-th largest over targets)
    confirmed = true                 # simulated outputs not implausible (false: a fallback)

:func:`load_ensemble` refuses a bad file with a :class:`~sim.errors.ScenarioError` naming
the file and the key (``members[3].values``), which the command line turns into exit code 2.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from sim.config.parameters import PARAMS
from sim.config.scenario import Scenario, ScenarioError, check_value

FORMAT = "sim-ensemble/1"
TOP_KEYS = ("format", "calibration", "seed", "cutoff", "fitted_targets", "keys", "members")
MEMBER_KEYS = ("values", "implausibility", "confirmed")


@dataclass(frozen=True)
class Ensemble:
    """A checked ensemble.

    Attributes:
        path: The file (None if built in Python).
        keys: The parameters each member sets.
        values: One row per member, one column per key.
        implausibility: Each member's simulated implausibility.
        confirmed: Whether each member's simulated outputs were not implausible.
        fitted_targets: Codes of the targets the calibration was fitted to (T2, T9a, ...).
    """

    path: Path | None
    keys: tuple[str, ...]
    values: np.ndarray
    implausibility: np.ndarray
    confirmed: np.ndarray
    fitted_targets: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.values)

    def member(self, m: int) -> dict[str, Any]:
        """Member ``m``'s parameter values (ints for integer parameters)."""
        return {
            k: (round(v) if PARAMS[k].kind == "int" else float(v))
            for k, v in zip(self.keys, self.values[m], strict=True)
        }


#: The file name whose values an ensemble member replaces.
CALIBRATED = "calibrated.toml"


def takes_from_calibration(scenario: Scenario, key: str) -> bool:
    """Whether ``scenario`` takes ``key`` from the calibration (default or calibrated.toml)."""
    origin = str(scenario.origins.get(key, "<default>"))
    return origin == "<default>" or Path(origin).name == CALIBRATED


def member_overrides(scenario: Scenario, ensemble: Ensemble, m: int) -> dict[str, Any]:
    """Member ``m``'s values for the keys ``scenario`` takes from the calibration.

    A key the scenario sets itself (a what-if's dose, say) keeps the scenario's value.
    """
    return {k: v for k, v in ensemble.member(m).items() if takes_from_calibration(scenario, k)}


def ensemble_text(ensemble: Ensemble, header: list[str], calibration: str, seed: int, cutoff):
    """The ensemble as a commented TOML file."""
    body = {
        "format": FORMAT,
        "calibration": calibration,
        "seed": seed,
        "cutoff": float(cutoff),
        "fitted_targets": list(ensemble.fitted_targets),
        "keys": list(ensemble.keys),
        "members": [
            {
                "values": [float(v) for v in row],
                "implausibility": round(float(i), 4),
                "confirmed": bool(c),
            }
            for row, i, c in zip(
                ensemble.values, ensemble.implausibility, ensemble.confirmed, strict=True
            )
        ],
    }
    return "".join(f"# {line}\n" for line in header) + tomli_w.dumps(body)


def _fail(path: Path, key: str, message: str) -> None:
    raise ScenarioError(path, key, message)


def _keys(path: Path, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
        _fail(path, "keys", f"{raw!r} is not allowed; expected a non-empty list of dotted keys")
    for key in raw:
        if key not in PARAMS or PARAMS[key].kind not in ("int", "float"):
            _fail(path, "keys", f"{key!r} is not a numeric scenario parameter (docs/ODD.md)")
    if len(set(raw)) != len(raw):
        _fail(path, "keys", "a key is listed twice")
    return tuple(raw)


def _member(path: Path, m: int, raw: Any, keys: tuple[str, ...]) -> tuple[list[float], float, bool]:
    where = f"members[{m}]"
    if not isinstance(raw, dict):
        _fail(path, where, f"{raw!r} is not allowed; expected a table with values")
    for name in raw:
        if name not in MEMBER_KEYS:
            _fail(path, f"{where}.{name}", f"unknown key; allowed: {', '.join(MEMBER_KEYS)}")
    values = raw.get("values")
    if not isinstance(values, list) or len(values) != len(keys):
        _fail(path, f"{where}.values", f"expected a list of {len(keys)} numbers, one per key")
    for key, value in zip(keys, values, strict=True):
        try:
            check_value(PARAMS[key], value, str(path))
        except ScenarioError as exc:
            _fail(path, f"{where}.values", f"{key}: {exc.message}")
    score = raw.get("implausibility", float("nan"))
    if isinstance(score, bool) or not isinstance(score, int | float):
        _fail(path, f"{where}.implausibility", f"{score!r} is not allowed; expected a number")
    confirmed = raw.get("confirmed", True)
    if not isinstance(confirmed, bool):
        _fail(path, f"{where}.confirmed", f"{confirmed!r} is not allowed; expected true or false")
    return [float(v) for v in values], float(score), confirmed


def is_ensemble_file(path: str | Path) -> bool:
    """True if ``path`` names an ensemble file (its ``format`` is ``sim-ensemble/...``)."""
    from sim.config.shipped import resolve

    try:
        raw = tomllib.loads(resolve(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return str(raw.get("format", "")).startswith("sim-ensemble/")


def load_ensemble(path: str | Path) -> Ensemble:
    """Read and check an ensemble file (exit-2 errors name the file and the key)."""
    path = Path(path)
    if not path.is_file():
        _fail(path, "-", "ensemble file not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        _fail(path, "-", f"not valid TOML: {exc}")
    for key in raw:
        if key not in TOP_KEYS:
            _fail(path, key, f"unknown key; allowed keys: {', '.join(TOP_KEYS)}")
    if raw.get("format") != FORMAT:
        _fail(path, "format", f"{raw.get('format')!r} is not allowed; expected {FORMAT!r}")
    keys = _keys(path, raw.get("keys"))
    members = raw.get("members")
    if not isinstance(members, list) or len(members) < 2:
        _fail(path, "members", "expected at least two [[members]] tables")
    rows = [_member(path, m, raw_member, keys) for m, raw_member in enumerate(members)]
    fitted = raw.get("fitted_targets", [])
    if not isinstance(fitted, list) or not all(isinstance(c, str) for c in fitted):
        _fail(path, "fitted_targets", f"{fitted!r} is not allowed; expected a list of codes")
    return Ensemble(
        path,
        keys,
        np.array([r[0] for r in rows], float),
        np.array([r[1] for r in rows], float),
        np.array([r[2] for r in rows], bool),
        tuple(fitted),
    )


def ensemble_record(ensemble: Ensemble | None) -> dict | None:
    """What a results folder's provenance says of the ensemble it ran over (None: none)."""
    if ensemble is None:
        return None
    return {
        "file": None if ensemble.path is None else str(ensemble.path),
        "copy": "ensemble.toml" if ensemble.path is not None else None,
        "members": len(ensemble),
        "fitted_targets": list(ensemble.fitted_targets),
    }


def copy_ensemble(ensemble: Ensemble | None, folder: Path) -> None:
    """Copy the ensemble's file into a results folder as ``ensemble.toml`` (if it has a file).

    With the folder's ``scenario.toml`` it makes the run repeatable: ``--ensemble
    FOLDER/ensemble.toml``.
    """
    if ensemble is not None and ensemble.path is not None:
        shutil.copyfile(ensemble.path, Path(folder) / "ensemble.toml")
