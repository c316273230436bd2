"""The ``sim compare`` verb: many interventions against usual care, one league table.

``sim compare FILE`` reads a comparison file (``scenarios/compare_all.toml``);
``sim compare SCENARIO...`` compares the scenarios named against usual care (``--comparator``,
default the shipped ``usual_care``). Every input, the output folder included, is checked before
anything runs (exit code 2 naming the file or option).
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

from sim.cli_options import check_at_least_one, check_seed, progress_bar
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
    compare.add_argument("--replicates", type=int, metavar="N", help="replicate trials")
    compare.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all)")
    compare.add_argument("--seed", type=int, help="root seed")
    compare.add_argument(
        "--wtp", type=float, metavar="GBP", help="willingness to pay per QALY (default: 20,000)"
    )
    compare.add_argument(
        "--population", type=int, metavar="N", help="patients in the budget-impact table"
    )
    add_out(compare)
    compare.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    compare.set_defaults(handler=_compare)


def _is_comparison_file(path: Path) -> bool:
    """True if ``path`` names a comparison file (it lists ``strategies``), not a scenario."""
    from sim.config.shipped import resolve

    try:
        return "strategies" in tomllib.loads(resolve(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def check_out(out: Path) -> None:
    """Refuse an output folder that is a file, or cannot be created or written.

    A local stand-in for the shared output-path check of ``sim.io`` (to be swapped for it).
    """
    existing = next((p for p in (out, *out.parents) if p.exists()), None)
    problem = ""
    if out.exists() and not out.is_dir():
        problem = "is not a folder"
    elif existing is None or not existing.is_dir():
        problem = f"cannot be created ({existing} is not a folder)"
    elif not os.access(existing, os.W_OK | os.X_OK):
        problem = f"cannot be written ({existing} is not writable)"
    if problem:
        raise OptionError("--out", f"{out} {problem}; expected a writable folder")


def _load(args: argparse.Namespace):
    from sim.compare.spec import build_comparison, load_comparison
    from sim.config.scenario import load_scenario

    if len(args.files) == 1 and _is_comparison_file(args.files[0]):
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
    check_at_least_one(args.replicates, "--replicates")
    check_at_least_one(args.workers, "--workers")
    check_at_least_one(args.population, "--population")
    check_seed(args.seed)
    check_out(args.out)
    comparison = _load(args)
    from sim.compare.run_comparison import timed_comparison, write_comparison
    from sim.report.build import write_report

    progress = progress_bar(f"compare {comparison.name}", "batch", args.no_progress)
    results, wall = timed_comparison(
        comparison,
        replicates=args.replicates,
        workers=args.workers,
        seed=args.seed,
        progress=progress,
    )
    folder = write_comparison(results, args.out, wall)
    sys.stdout.write(results.markdown())
    print(f"wrote {folder}")
    print(f"report: {write_report(folder)}")
    return 0
