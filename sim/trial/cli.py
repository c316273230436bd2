"""The ``sim trial`` verb: run a scenario's virtual trial and write its run folder."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sim.scenario import ScenarioError, load_scenario


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
        "--replicates", type=int, metavar="N", help="replicate trials (default: trial.replicates)"
    )
    trial.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes (default: every core); results do not depend on it",
    )
    trial.add_argument("--seed", type=int, help="root seed (default: run.seed)")
    add_out(trial)
    trial.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    trial.add_argument(
        "--report",
        action="store_true",
        help="also write the folder's self-contained HTML report (as 'sim report' does)",
    )
    trial.set_defaults(handler=_trial)


def _positive(value: int | None, option: str) -> None:
    if value is not None and value < 1:
        raise ScenarioError("<command line>", option, f"{value!r} is not allowed; expected >= 1")


def _trial(args: argparse.Namespace) -> int:
    _positive(args.replicates, "--replicates")
    _positive(args.workers, "--workers")
    if args.seed is not None and args.seed < 0:
        raise ScenarioError("<command line>", "--seed", f"{args.seed!r} is not allowed; >= 0")
    scenario = load_scenario(args.scenario)
    from sim.trial.design import TrialDesign

    TrialDesign.of(scenario)  # checks the [trial] keys before anything heavy is imported or run
    from sim.trial.results import timed_trial, write_trial

    progress = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(desc=f"trial {scenario.name}", unit="batch", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

    results, wall = timed_trial(
        scenario,
        replicates=args.replicates,
        workers=args.workers,
        seed=args.seed,
        progress=progress,
    )
    folder = write_trial(results, scenario, args.out, wall)
    sys.stdout.write(results.markdown(scenario.title or scenario.name))
    print(f"wrote {folder}")
    if args.report:
        from sim.report.build import write_report

        print(f"report: {write_report(folder)}")
    return 0
