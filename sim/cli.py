"""Command-line interface: ``sim VERB ...`` (also ``python -m sim``).

Verbs:
    validate FILE...   check scenario, comparison and ensemble files and the survey files they
                       name (one line per file and a summary; --show prints each resolved
                       scenario as TOML)
    run SCENARIO       run a scenario and write its run folder under --out (--report: and its
                       HTML report)
    scenarios          list the shipped scenario, comparison, sweep and calibration files (a
                       shipped file can be named without its path: sim trial bright)
    init DIR           copy the shipped files into DIR, to edit them
    params             list every scenario parameter with its default and unit (--markdown:
                       the tables of docs/ODD.md section 8; --update-odd FILE: rewrite the
                       ODD's generated tables and equation blocks)
    sweep FILE         run or resume a parameter sweep (local processes or a Dask cluster)
    sensitivity FILE   run a sensitivity sweep; write Sobol or Morris indices and a plot
    calibrate FILE     fit free parameters to the dossier's targets T2-T9 (history matching
                       with emulators on the sweep engine); write the calibrated scenario, an
                       ensemble of plausible parameter sets and a fit report
    trial SCENARIO     run a virtual trial against usual care (BRIGHT-style analysis) over
                       replicate trials; write the results table, tidy tables and figures
                       (forest plot, trajectories by arm, cost-effectiveness plane, a
                       community before and after); --report also writes the HTML report
    compare FILE       compare many interventions with usual care on the same replicate trials:
                       league table (dominance, cost per QALY, net benefit), acceptability
                       curves, budget impact, figures and an HTML report
    attribute SCENARIO decompose an intervention's effect across the mechanisms (Shapley
                       values over every on/off combination, common random numbers)
    report DIR         write one self-contained HTML report of a trial, run, attribution,
                       comparison or sweep folder
    app                serve the teaching app (usual care vs intervention, sliders, live
                       plots) on 127.0.0.1; see docs/teaching_guide.md

Exit codes: 0 success; 2 invalid input (the message names the file, the key and what is
allowed; nothing is written), including an output location that cannot be written, found before
any work starts; 130 interrupted by Ctrl-C, 143 by SIGTERM, 129 by SIGHUP (each cleans up as
Ctrl-C does: nothing half-written is kept). ``sweep`` exits 1 when some runs failed.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from sim import __version__
from sim.cli_options import key_option, threads_option
from sim.config.scenario import load_scenario
from sim.errors import COMMAND_LINE, InputError, OptionError, ScenarioError
from sim.io.cleanup import exit_code, interrupt_on_signals, interrupt_within
from sim.io.output_path import check_run_output

EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"sim {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    validate = verbs.add_parser(
        "validate",
        help="check scenario files and the survey files they name; one line per file",
        description="Check each scenario file, and the survey folder a survey scenario names, "
        "with the same checks as 'sim run'; print 'ok: FILE' or the error for each file, then "
        "a summary. Exit code 2 if any file is invalid.",
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument(
        "--show",
        action="store_true",
        help="print each valid scenario resolved (every default written out) as TOML on "
        "stdout; the ok lines and the summary then go to stderr",
    )
    validate.set_defaults(handler=_validate)

    run = verbs.add_parser("run", help="run a scenario and write its run folder")
    run.add_argument("scenario", type=Path, metavar="SCENARIO")
    run.add_argument(
        "--seed", type=key_option("--seed", "run.seed"), help="root seed (default: run.seed)"
    )
    run.add_argument(
        "--weeks",
        type=key_option("--weeks", "run.weeks"),
        help="weeks to simulate (default: run.weeks)",
    )
    _add_out(run)
    run.add_argument(
        "--threads",
        type=threads_option("--threads"),
        help="threads of the compiled weekly passes (default: every core); the results do not "
        "depend on it",
    )
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.add_argument(
        "--report",
        action="store_true",
        help="also write the run folder's self-contained HTML report (as 'sim report' does)",
    )
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

    from sim.config.cli import add_verbs as add_config_verbs

    add_config_verbs(verbs)
    from sim.sweeps.cli import add_verbs as add_sweep_verbs

    add_sweep_verbs(verbs, _add_out)

    from sim.trial.cli import add_verbs as add_trial_verbs

    add_trial_verbs(verbs, _add_out)
    from sim.compare.cli import add_verb as add_compare_verb

    add_compare_verb(verbs, _add_out)
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
    from sim.calibration.ensemble_file import is_ensemble_file, load_ensemble
    from sim.compare.spec import is_comparison_file, load_comparison

    status = sys.stderr if args.show else sys.stdout
    invalid = 0
    for file in args.files:
        try:
            if is_comparison_file(file):  # a comparison names scenarios: check them all
                load_comparison(file)
                print(f"ok: {file}", file=status, flush=True)
                continue
            if is_ensemble_file(file):
                load_ensemble(file)
                print(f"ok: {file}", file=status, flush=True)
                continue
            scenario = load_scenario(file)
            if scenario["population.source"] == "survey":  # read as 'sim run' reads it
                from sim.population.survey import load_survey_population

                load_survey_population(scenario)
        except InputError as exc:
            invalid += 1
            print(f"error: {exc}", file=sys.stderr, flush=True)
            continue
        print(f"ok: {file}", file=status, flush=True)
        if args.show:
            sys.stdout.write(scenario.to_toml() + "\n")
    verdict = f"{invalid} invalid" if invalid else "all valid"
    files = f"{len(args.files)} file{'s' if len(args.files) > 1 else ''}"
    print(f"{files} checked: {verdict}", file=status)
    return EXIT_INPUT if invalid else 0


def _run(args: argparse.Namespace) -> int:
    overrides = {
        key: value
        for key, value in (("run.seed", args.seed), ("run.weeks", args.weeks))
        if value is not None
    }
    scenario = load_scenario(args.scenario).with_overrides(overrides, origin=COMMAND_LINE)
    check_run_output(args.out, scenario)
    # heavy imports only once the input is known to be valid
    from sim.io.run_command import run_scenario
    from sim.parallel import numba_threads

    with contextlib.ExitStack() as stack:
        if args.threads is not None:
            stack.enter_context(numba_threads(args.threads))
        folder = run_scenario(scenario, args.out, progress=not args.no_progress)
    print(f"wrote {folder}")
    if args.report:
        from sim.report.build import write_report

        print(f"report: {write_report(folder)}")
    return 0


def _params(args: argparse.Namespace) -> int:
    from sim.config.odd import parameter_listing, parameter_table

    if args.update_odd is not None:
        return _update_odd(args.update_odd)

    render = parameter_table if args.markdown else parameter_listing
    try:
        text = render(args.prefix)
    except ValueError as exc:
        raise OptionError("--prefix", str(exc)) from None
    sys.stdout.write(text)
    return 0


def _update_odd(path: Path) -> int:
    """Rewrite the generated blocks of an ODD document (atomically: a temporary file renamed)."""
    from sim.config.equations import replace_equation_blocks
    from sim.config.odd import replace_parameter_block

    if not path.is_file():
        raise OptionError("--update-odd", f"{path} is not a file")
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
    """Run the command line; return the exit code.

    Options are checked as they are parsed; SIGTERM and SIGHUP end a verb as Ctrl-C does.
    """
    try:
        with interrupt_on_signals():
            args = _parser().parse_args(argv)
            return args.handler(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (KeyboardInterrupt, SystemError) as exc:  # SystemError: an interrupt in a C callback
        interrupt = interrupt_within(exc)
        if interrupt is None:
            raise
        print("interrupted; nothing half-written was kept", file=sys.stderr)
        return exit_code(interrupt)
