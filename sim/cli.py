"""Command-line interface: ``sim VERB ...`` (also ``python -m sim``).

Verbs:
    validate FILE...   check scenario files and print each resolved scenario as TOML
    run SCENARIO       run a scenario and write its run folder under --out
    params             list every scenario parameter with its default and unit (--markdown:
                       the tables of docs/ODD.md section 8; --update-odd FILE: rewrite the
                       ODD's generated tables and equation blocks)
    sweep FILE         run or resume a parameter sweep (local processes or a Dask cluster)
    sensitivity FILE   run a sensitivity sweep; write Sobol or Morris indices and a plot
    calibrate FILE     fit free parameters to the dossier's targets T2-T9 (history matching of
                       replicate virtual trials on the sweep engine); write the calibrated
                       scenario and a fit report
    trial SCENARIO     run a virtual trial against usual care (BRIGHT-style analysis) over
                       replicate trials; write the results table, tidy tables and figures
                       (forest plot, trajectories by arm, cost-effectiveness plane, a
                       community before and after); --report also writes the HTML report
    attribute SCENARIO decompose an intervention's effect across the mechanisms (Shapley
                       values over every on/off combination, common random numbers)
    report DIR         write one self-contained HTML report of a trial, run or attribution folder
    app                serve the teaching app (usual care vs intervention, sliders, live
                       plots) on 127.0.0.1; see docs/teaching_guide.md

Exit codes: 0 success; 2 invalid input (the message names the file, the key and what is
allowed; nothing is written); 130 interrupted. ``sweep`` exits 1 when some runs failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sim import __version__
from sim.scenario import ScenarioError, load_scenario

EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"sim {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    validate = verbs.add_parser("validate", help="check scenario files, print them resolved")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.set_defaults(handler=_validate)

    run = verbs.add_parser("run", help="run a scenario and write its run folder")
    run.add_argument("scenario", type=Path, metavar="SCENARIO")
    run.add_argument("--seed", type=int, help="root seed (default: run.seed)")
    run.add_argument("--weeks", type=int, help="weeks to simulate (default: run.weeks)")
    _add_out(run)
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.set_defaults(handler=_run)

    params = verbs.add_parser("params", help="list scenario parameters with default and unit")
    params.add_argument(
        "--markdown",
        action="store_true",
        help="print Markdown tables (default, unit, allowed values, source, description), "
        "as in docs/ODD.md section 8",
    )
    params.add_argument(
        "--prefix",
        metavar="PREFIX",
        help="only the keys under a section, sub-table or key, e.g. mechanisms.work",
    )
    params.add_argument(
        "--update-odd",
        type=Path,
        metavar="FILE",
        help="rewrite FILE's generated blocks in place (docs/ODD.md: the parameter tables of "
        "section 8 and each mechanism's equations in section 7, from its module docstring)",
    )
    params.set_defaults(handler=_params)

    from sim.sweeps.cli import add_verbs as add_sweep_verbs

    add_sweep_verbs(verbs, _add_out)

    from sim.trial.cli import add_verbs as add_trial_verbs

    add_trial_verbs(verbs, _add_out)
    from sim.calibration.cli import add_verb as add_calibration_verb

    add_calibration_verb(verbs, _add_out)
    from sim.attribution.cli import add_verb as add_attribution_verb

    add_attribution_verb(verbs, _add_out)

    from sim.app.cli import add_verb as add_app_verb

    add_app_verb(verbs)

    from sim.report.cli import add_verb as add_report_verb

    add_report_verb(verbs)
    return parser


def _add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="output folder (default: results/)",
    )


def _validate(args: argparse.Namespace) -> int:
    for file in args.files:
        sys.stdout.write(load_scenario(file).to_toml() + "\n")
    return 0


def _run(args: argparse.Namespace) -> int:
    overrides = {
        key: value
        for key, value in (("run.seed", args.seed), ("run.weeks", args.weeks))
        if value is not None
    }
    scenario = load_scenario(args.scenario).with_overrides(overrides, origin="<command line>")
    from sim.runner import run_scenario  # heavy imports only once the input is known to be valid

    folder = run_scenario(scenario, args.out, progress=not args.no_progress)
    print(f"wrote {folder}")
    return 0


def _params(args: argparse.Namespace) -> int:
    from sim.odd import parameter_listing, parameter_table

    if args.update_odd is not None:
        return _update_odd(args.update_odd)

    render = parameter_table if args.markdown else parameter_listing
    try:
        text = render(args.prefix)
    except ValueError as exc:
        raise ScenarioError("<command line>", "--prefix", str(exc)) from None
    sys.stdout.write(text)
    return 0


def _update_odd(path: Path) -> int:
    """Rewrite the generated blocks of an ODD document (atomically: a temporary file renamed)."""
    from sim.config.equations import replace_equation_blocks
    from sim.odd import replace_parameter_block

    if not path.is_file():
        raise ScenarioError("<command line>", "--update-odd", f"{path} is not a file")
    text = path.read_text(encoding="utf-8")
    try:
        new = replace_equation_blocks(replace_parameter_block(text))
    except ValueError as exc:
        raise ScenarioError(path, "-", str(exc)) from None
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(new, encoding="utf-8")
    temporary.replace(path)
    print(f"updated {path}" if new != text else f"{path} is up to date")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
