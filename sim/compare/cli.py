"""The ``sim compare`` verb: many interventions against usual care, one league table.

``sim compare FILE`` reads a comparison file (``scenarios/compare_all.toml``);
``sim compare SCENARIO...`` compares the scenarios named against usual care (``--comparator``,
default the shipped ``usual_care``). Every input, the output folder included, is checked before
anything runs (exit code 2 naming the file or option).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sim.calibration.ensemble_options import add_ensemble_options, chosen_ensemble
from sim.cli_options import count_option, key_option, progress_bar
from sim.config.scenario import ScenarioError
from sim.errors import OptionError


def add_verb(verbs, add_out: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``compare`` to the sub-command parsers of ``sim``."""
    compare = verbs.add_parser(
        "compare",
        help="compare many interventions with usual care: league table, acceptability, budget",
        description="Run every option against usual care on the same replicate trials (common "
        "random numbers) and write a league table (effects, incremental cost and QALYs, cost per "
        "QALY after removing dominated and extendedly dominated options, net monetary benefit), "
        "acceptability curves, a budget-impact table, figures and one HTML report.",
    )
    compare.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="a comparison file (e.g. compare_all), or intervention scenarios (e.g. bright genie)",
    )
    compare.add_argument(
        "--comparator",
        type=Path,
        metavar="SCENARIO",
        help="usual care for scenarios named on the command line (default: usual_care)",
    )
    compare.add_argument(
        "--replicates",
        type=key_option("--replicates", "trial.replicates"),
        metavar="N",
        help="replicate trials",
    )
    compare.add_argument(
        "--workers",
        type=count_option("--workers"),
        metavar="N",
        help="worker processes (default: all)",
    )
    compare.add_argument("--seed", type=key_option("--seed", "run.seed"), help="root seed")
    compare.add_argument(
        "--wtp", type=float, metavar="GBP", help="willingness to pay per QALY (default: 20,000)"
    )
    compare.add_argument(
        "--population",
        type=count_option("--population", 1, 100_000_000),
        metavar="N",
        help="patients in the budget-impact table",
    )
    add_ensemble_options(compare)
    add_out(compare)
    compare.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    compare.set_defaults(handler=_compare)


def _load(args: argparse.Namespace):
    from sim.compare.spec import build_comparison, is_comparison_file, load_comparison
    from sim.config.scenario import load_scenario

    if len(args.files) == 1 and is_comparison_file(args.files[0]):
        if args.comparator is not None:
            raise OptionError("--comparator", "not allowed with a comparison file (it names one)")
        comparison = load_comparison(args.files[0])
        settings = dict(comparison.raw)
        comparator, options = (
            comparison.comparator,
            [(o.scenario, o.label) for o in comparison.options],
        )
        name, path = comparison.name, comparison.path
    else:
        comparator = load_scenario(args.comparator or "usual_care")
        options = [(load_scenario(file), None) for file in args.files]
        settings, name, path = {}, "comparison", None
    for key, value in (("willingness_to_pay", args.wtp), ("population", args.population)):
        if value is not None:
            settings[key] = value
    try:
        return build_comparison(comparator, options, name=name, path=path, settings=settings)
    except ScenarioError as exc:
        if exc.key in ("willingness_to_pay", "population") and exc.key in settings:
            option = "--wtp" if exc.key == "willingness_to_pay" else "--population"
            raise OptionError(option, exc.message) from None
        raise


def _compare(args: argparse.Namespace) -> int:
    comparison = _load(args)
    from sim.io.cleanup import longest_run_name
    from sim.io.output_path import check_output_folder

    seed = comparison.comparator["run.seed"] if args.seed is None else args.seed
    # before any work: the folder goes to OUT/compare/<name>/<run id>/
    check_output_folder(args.out, f"compare/{comparison.name}", leaf=longest_run_name(seed))
    ensemble = chosen_ensemble(args)
    from sim.compare.run_comparison import timed_comparison, write_comparison
    from sim.report.build import write_report

    progress = progress_bar(f"compare {comparison.name}", "batch", args.no_progress)
    results, wall = timed_comparison(
        comparison,
        replicates=args.replicates,
        workers=args.workers,
        seed=args.seed,
        progress=progress,
        ensemble=ensemble,
    )
    folder = write_comparison(results, args.out, wall, ensemble)
    sys.stdout.write(results.markdown())
    print(f"wrote {folder}")
    print(f"report: {write_report(folder)}")
    return 0
