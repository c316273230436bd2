"""The ``sim sweep`` and ``sim sensitivity`` verbs (registered by :mod:`sim.cli`).

Exit codes: 0 every run done; 1 the sweep completed but some runs failed (their errors are in the
``error`` column), or sensitivity indices could not be computed; 2 invalid input (nothing is
written); 130 interrupted by Ctrl-C, 143 by SIGTERM, 129 by SIGHUP (finished runs are kept: run
the same command again to resume).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sim.calibration.ensemble_options import add_ensemble_options, chosen_ensemble
from sim.cli_options import count_option, seconds_option
from sim.io.cleanup import exit_code
from sim.io.output_path import check_output_folder


def _add_common(parser: argparse.ArgumentParser, add_out: Callable) -> None:
    parser.add_argument("file", type=Path, metavar="FILE")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=count_option("--workers"),
        metavar="N",
        help="local worker processes (default: all cores)",
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786"
    )
    where.add_argument(
        "--dask-local",
        type=count_option("--dask-local"),
        metavar="N",
        help="start a local Dask cluster of N workers",
    )
    add_out(parser)
    parser.add_argument(
        "--retry-failed", action="store_true", help="run again the runs recorded as failed"
    )
    parser.add_argument(
        "--flush-seconds",
        type=seconds_option("--flush-seconds", 0.0, 86_400.0),
        default=3.0,
        metavar="S",
        help="write finished runs to disk at least every S seconds (default: 3)",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    add_ensemble_options(parser, default="the sweep file's ensemble key, if any")


def _load(args: argparse.Namespace):
    """The sweep file, with ``--ensemble`` or ``--no-ensemble`` applied if given."""
    from sim.sweeps.sweep_file import load_sweep

    sweep = load_sweep(args.file)
    if args.no_ensemble or args.ensemble is not None:
        sweep = replace(sweep, ensemble=chosen_ensemble(args, default=None))
    return sweep


def add_verbs(verbs: argparse._SubParsersAction, add_out: Callable) -> None:
    """Add ``sweep`` and ``sensitivity`` to the ``sim`` command's verbs."""
    sweep = verbs.add_parser(
        "sweep", help="run or resume a parameter sweep (results under OUT/sweeps/<name>/)"
    )
    _add_common(sweep, add_out)
    sweep.add_argument(
        "--rerun",
        metavar="RUN_ID",
        help="re-run one run alone (e.g. p000003-r001) and write it as a run folder",
    )
    sweep.set_defaults(handler=_sweep)
    sensitivity = verbs.add_parser(
        "sensitivity", help="run a sensitivity sweep; write Sobol or Morris indices and a plot"
    )
    _add_common(sensitivity, add_out)
    sensitivity.set_defaults(handler=_sensitivity)


def _executor(args: argparse.Namespace):
    from sim.sweeps.execute import make_executor

    return make_executor(args.workers, args.scheduler, args.dask_local)


def _report(summary) -> None:
    print(
        f"{summary.folder.name}: {summary.total} runs: {summary.done} done, "
        f"{summary.failed} failed, {summary.skipped} skipped (stored before); "
        f"{summary.ran} run in {summary.seconds:.1f} s"
    )
    if summary.failed:
        print(
            f"warning: {summary.failed} runs failed; their errors are in the error column of "
            f"{summary.folder / 'results.parquet'}",
            file=sys.stderr,
        )
    print(f"wrote {summary.folder}")


def _interrupted(interrupt: KeyboardInterrupt) -> int:
    print(
        "interrupted; finished runs are saved: run the same command again to resume",
        file=sys.stderr,
    )
    return exit_code(interrupt)


def _executor_failed(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def _sweep(args: argparse.Namespace) -> int:
    sweep = _load(args)
    if args.rerun is not None:
        check_output_folder(args.out, Path("sweeps") / sweep.name, whole_tree=True)
        return _rerun(sweep, args)
    from sim.sweeps.runner import run_sweep

    folder = _in_place(args)
    _check_out(args, sweep, folder)
    summary, code = _execute(
        lambda executor, **options: run_sweep(sweep, args.out, executor, folder=folder, **options),
        args,
    )
    if code is not None:
        return code
    _report(summary)
    from sim.plots.response import write_response_figures  # figures/response_<outcome>.png

    write_response_figures(summary.folder)
    return 1 if summary.failed else 0


def _check_out(args: argparse.Namespace, sweep, folder: Path | None) -> None:
    """Refuse, before any run, a sweep folder that cannot be written (or leads outside --out)."""
    if folder is not None:  # resuming a sweep folder in place: it is its own output folder
        check_output_folder(folder, whole_tree=True, option="FILE")
    else:
        check_output_folder(args.out, Path("sweeps") / sweep.name, whole_tree=True)


def _in_place(args: argparse.Namespace) -> Path | None:
    """A sweep folder's own ``sweep.toml`` resumes that folder, wherever it has been moved."""
    from sim.sweeps.sweep_file import folder_of

    folder = folder_of(args.file)
    if folder is not None:
        print(f"{args.file} is a sweep folder's own sweep file: resuming in {folder}")
    return folder


def _execute(task: Callable, args: argparse.Namespace) -> tuple[object, int | None]:
    """Run ``task(executor, **options)`` with interruption and executor failures handled.

    Returns:
        ``(result, None)`` on completion, or ``(None, exit code)`` if it was interrupted (Ctrl-C
        or SIGTERM; finished runs are already on disk) or the executor failed.
    """
    from sim.sweeps.execute import ExecutorError

    try:  # SIGTERM and SIGHUP arrive as KeyboardInterrupt too (sim.io.cleanup)
        result = task(
            _executor(args),
            progress=not args.no_progress,
            retry_failed=args.retry_failed,
            seconds_per_part=args.flush_seconds,
        )
    except KeyboardInterrupt as interrupt:
        return None, _interrupted(interrupt)
    except ExecutorError as exc:
        return None, _executor_failed(exc)
    return result, None


def _rerun(sweep, args: argparse.Namespace) -> int:
    from sim.errors import COMMAND_LINE, OptionError
    from sim.io.run_command import run_scenario
    from sim.sweeps.runs import run_scenario_of
    from sim.sweeps.sweep_design import Design

    try:
        scenario = run_scenario_of(sweep, Design(sweep), args.rerun)
    except ValueError as exc:
        raise OptionError("--rerun", str(exc)) from None
    folder = f"sweeps/{sweep.name}/reruns/{args.rerun}"
    if sweep.task != "model":  # not one model run: recompute the run's row and write it
        return _rerun_row(sweep, args, Path(args.out) / f"{folder}.json")
    scenario = scenario.with_overrides({"outputs.folder": folder}, origin=COMMAND_LINE)
    print(f"wrote {run_scenario(scenario, args.out, progress=not args.no_progress)}")
    return 0


def _rerun_row(sweep, args: argparse.Namespace, path: Path) -> int:
    import json

    from sim.sweeps.sweep_results import rerun

    row = rerun(sweep, args.rerun)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(row, indent=2, default=str) + "\n", encoding="utf-8")
    for key, value in row.items():
        print(f"  {key}: {value}")
    print(f"wrote {path}")
    return 1 if row.get("error") else 0


def _sensitivity(args: argparse.Namespace) -> int:
    from sim.config.scenario import ScenarioError

    sweep = _load(args)
    if sweep.sensitivity is None:
        raise ScenarioError(
            args.file,
            "sensitivity",
            "missing; a sensitivity file needs a [sensitivity] table "
            "(method = 'sobol' or 'morris', n = base sample size)",
        )
    from sim.sweeps.sensitivity import SensitivityError, run_sensitivity

    folder = _in_place(args)
    _check_out(args, sweep, folder)
    try:
        result, code = _execute(
            lambda executor, **options: run_sensitivity(
                sweep, args.out, executor, folder=folder, **options
            ),
            args,
        )
    except SensitivityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if code is not None:
        return code
    summary, indices, figure = result
    _report(summary)
    print(indices.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"wrote {figure}")
    return 0
