"""The ``--ensemble FILE`` and ``--no-ensemble`` options of the verbs that run trials.

``sim trial``, ``sim attribute`` and ``sim compare`` run over the shipped ensemble
(``scenarios/ensemble.toml``, written by ``sim calibrate``) by default, when it exists; ``--ensemble
FILE`` names another and ``--no-ensemble`` runs the scenario's own values (one point). ``sim
sweep`` and ``sim sensitivity`` run over the ensemble their sweep file names (``ensemble =
"FILE"``, none by default, so that a sweep file stays the record of its runs); the two options
override it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.config.shipped import resolve
from sim.errors import OptionError

#: The ensemble shipped with the calibrated defaults (a file of the installed ``sim.scenarios``).
SHIPPED = "ensemble"


def add_ensemble_options(
    parser: argparse.ArgumentParser,
    default: str = "the shipped scenarios/ensemble.toml, if present",
) -> None:
    """Add ``--ensemble FILE`` and ``--no-ensemble`` to a verb's parser.

    Args:
        parser: The verb's parser.
        default: What runs when neither option is given, for the help text.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--ensemble",
        type=Path,
        metavar="FILE",
        help=f"run over this ensemble of calibrated parameter sets (default: {default})",
    )
    group.add_argument(
        "--no-ensemble",
        action="store_true",
        help="run the scenario's own parameter values only (no parameter uncertainty)",
    )


def chosen_ensemble(args: argparse.Namespace, default: str | None = SHIPPED):
    """The ensemble the options ask for, loaded and checked, or None (exit 2 if it is bad).

    Args:
        args: The parsed options.
        default: The ensemble to run over when neither option is given (a shipped name or a
            path; None: none).
    """
    from sim.calibration.ensemble_file import load_ensemble

    if args.no_ensemble:
        return None
    if args.ensemble is None:
        shipped = resolve(default) if default is not None else None
        return load_ensemble(shipped) if shipped is not None and shipped.is_file() else None
    path = resolve(args.ensemble)
    if not path.is_file():
        raise OptionError("--ensemble", f"file {args.ensemble} not found")
    return load_ensemble(path)
