"""The ``--ensemble FILE`` and ``--no-ensemble`` options of the verbs that run trials.

``sim trial``, ``sim attribute`` and ``sim sweep`` run over the shipped ensemble
(``scenarios/ensemble.toml``, written by ``sim calibrate``) by default, when it exists; ``--ensemble
FILE`` names another and ``--no-ensemble`` runs the scenario's own values (one point).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.config.shipped import resolve
from sim.errors import OptionError

#: The ensemble shipped with the calibrated defaults (a file of the installed ``sim.scenarios``).
SHIPPED = "ensemble"


def add_ensemble_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--ensemble FILE`` and ``--no-ensemble`` to a verb's parser."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--ensemble",
        type=Path,
        metavar="FILE",
        help="run over this ensemble of calibrated parameter sets (default: the shipped "
        "scenarios/ensemble.toml, if present)",
    )
    group.add_argument(
        "--no-ensemble",
        action="store_true",
        help="run the scenario's own parameter values only (no parameter uncertainty)",
    )


def chosen_ensemble(args: argparse.Namespace):
    """The ensemble the options ask for, loaded and checked, or None (exit 2 if it is bad)."""
    from sim.calibration.ensemble_file import load_ensemble

    if args.no_ensemble:
        return None
    if args.ensemble is None:
        shipped = resolve(SHIPPED)
        return load_ensemble(shipped) if shipped.is_file() else None
    path = resolve(args.ensemble)
    if not path.is_file():
        raise OptionError("--ensemble", f"file {args.ensemble} not found")
    return load_ensemble(path)
