"""The ``sim trial`` verb: run a scenario's virtual trial and write its run folder."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sim.calibration.ensemble_options import add_ensemble_options, chosen_ensemble
from sim.cli_options import count_option, key_option, progress_bar
from sim.config.scenario import load_scenario
from sim.io.output_path import check_run_output
from sim.parallel import start_fork_server, uses_pool
from sim.trial.preconditions import require_intervention


def add_verbs(verbs, add_out: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``trial`` to the sub-command parsers of ``sim``."""
    trial = verbs.add_parser(
        "trial",
        help="run a virtual trial of a scenario against usual care (BRIGHT-style analysis)",
        description="Recruit from practice populations, randomise at patient level, run both "
        "arms with common random numbers, analyse as BRIGHT did; repeat over replicate trials "
        "and write the results table, tidy tables (with weekly arm means) and figures: forest "
        "plot, outcome trajectories, cost-effectiveness plane and one patient's community "
        "before and after.",
    )
    trial.add_argument("scenario", type=Path, metavar="SCENARIO")
    trial.add_argument(
        "--replicates",
        type=key_option("--replicates", "trial.replicates"),
        metavar="N",
        help="replicate trials (default: trial.replicates)",
    )
    trial.add_argument(
        "--workers",
        type=count_option("--workers"),
        metavar="N",
        help="worker processes (default: every core); results do not depend on it",
    )
    trial.add_argument(
        "--seed", type=key_option("--seed", "run.seed"), help="root seed (default: run.seed)"
    )
    add_ensemble_options(trial)
    add_out(trial)
    trial.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    trial.add_argument(
        "--report",
        action="store_true",
        help="also write the folder's self-contained HTML report (as 'sim report' does)",
    )
    trial.set_defaults(handler=_trial)


def _trial(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    require_intervention(scenario, "sim trial")
    check_run_output(args.out, scenario, args.seed)  # before any work
    from sim.trial.design import TrialDesign

    design = TrialDesign.of(scenario)  # checks the [trial] keys before anything heavy is run
    ensemble = chosen_ensemble(args)
    from sim.trial.published import comparators

    comparators(scenario)  # checks [trial.published] before anything runs
    batches = -(-(args.replicates or design.replicates) // design.batch_size)
    if uses_pool(batches, args.workers):  # the workers' imports overlap this process's
        start_fork_server(["sim.trial.replicates"])
    from sim.trial.results import timed_trial, write_trial

    progress = progress_bar(f"trial {scenario.name}", "batch", args.no_progress)

    results, wall = timed_trial(
        scenario,
        replicates=args.replicates,
        workers=args.workers,
        seed=args.seed,
        progress=progress,
        ensemble=ensemble,
    )
    folder = write_trial(results, scenario, args.out, wall, ensemble=ensemble)
    sys.stdout.write(results.markdown(scenario.title or scenario.name))
    print(f"wrote {folder}")
    if args.report:
        from sim.report.build import write_report

        print(f"report: {write_report(folder)}")
    return 0
