"""The ``sim attribute`` verb: Shapley attribution of a scenario's effect to the mechanisms."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sim.attribution import DEFAULT_REPLICATES
from sim.calibration.ensemble_options import add_ensemble_options, chosen_ensemble
from sim.cli_options import count_option, key_option, progress_bar
from sim.config.scenario import load_scenario
from sim.io.output_path import check_run_output
from sim.parallel import start_fork_server, uses_pool


def add_verb(verbs, add_out: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``attribute`` to the sub-command parsers of ``sim``."""
    attribute = verbs.add_parser(
        "attribute",
        help="decompose a scenario's intervention effect across the mechanisms (Shapley values)",
        description="Run the scenario's intervention against usual care with every on/off "
        "combination of the network mechanisms (common random numbers throughout) and split "
        "its true effect into the part needing no network mechanism and each mechanism's "
        "Shapley value; write the tables, a Markdown report and a bar chart.",
    )
    attribute.add_argument("scenario", type=Path, metavar="SCENARIO")
    attribute.add_argument(
        "--replicates",
        type=key_option("--replicates", "trial.replicates"),
        metavar="N",
        help=f"replicate practice populations per combination (default: {DEFAULT_REPLICATES})",
    )
    attribute.add_argument(
        "--seed", type=key_option("--seed", "run.seed"), help="root seed (default: run.seed)"
    )
    attribute.add_argument(
        "--workers",
        type=count_option("--workers"),
        metavar="N",
        help="worker processes (default: every core); results do not depend on it",
    )
    add_ensemble_options(attribute)
    add_out(attribute)
    attribute.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    attribute.set_defaults(handler=_attribute)


def _attribute(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    check_run_output(args.out, scenario, args.seed)  # before any work
    from sim.attribution.attribution_run import attribute, check_intervention, players
    from sim.trial.design import TrialDesign

    check_intervention(scenario)  # before anything heavy runs
    design = TrialDesign.of(scenario)
    ensemble = chosen_ensemble(args)
    batches = -(-(args.replicates or DEFAULT_REPLICATES) // design.batch_size)
    if uses_pool(2 ** len(players(scenario)) * batches, args.workers):
        start_fork_server(["sim.attribution.attribution_run"])
    from sim.attribution.attribution_report import write_attribution

    combinations = 2 ** len(players(scenario))
    progress = progress_bar(
        f"attribute {scenario.name} ({combinations} combinations)", "job", args.no_progress
    )

    started = time.perf_counter()
    result = attribute(
        scenario,
        replicates=args.replicates,
        workers=args.workers,
        seed=args.seed,
        progress=progress,
        ensemble=ensemble,
    )
    wall = time.perf_counter() - started
    folder = write_attribution(result, scenario, args.out, wall)
    sys.stdout.write(result.markdown())
    print(f"wrote {folder} ({wall:.0f} s)")
    return 0
