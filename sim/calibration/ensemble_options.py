"""The ``--ensemble FILE`` and ``--no-ensemble`` options of the verbs that run trials.

``sim trial``, ``sim attribute`` and ``sim sweep`` run over the shipped ensemble
(``scenarios/ensemble.toml``, written by ``sim calibrate``) by default, when it exists; ``--ensemble
FILE`` names another and ``--no-ensemble`` runs the scenario's own values (one point).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli_options import COMMAND_LINE
from sim.scenario import ScenarioError

#: The ensemble shipped with the calibrated defaults.
SHIPPED = Path(__file__).resolve().parents[2] / "scenarios" / "ensemble.toml"


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
        return load_ensemble(SHIPPED) if SHIPPED.is_file() else None
    if not args.ensemble.is_file():
        raise ScenarioError(COMMAND_LINE, "--ensemble", f"file {args.ensemble} not found")
    return load_ensemble(args.ensemble)
