"""The ``sim calibrate`` verb: fit free parameters to the targets and write the results."""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sim.cli_options import count_option
from sim.io.output_path import check_output_file, check_output_folder


def add_verb(verbs, add_out: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``calibrate`` to the sub-command parsers of ``sim``."""
    calibrate = verbs.add_parser(
        "calibrate",
        help="fit free parameters to the dossier's targets (history matching on the sweep engine)",
        description="History matching with Gaussian-process emulators: waves of replicate "
        "virtual trials through the sweep engine, emulated implausibility screening, refocusing "
        "until the not-implausible space stops shrinking, then an ensemble of parameter sets "
        "confirmed by simulation. Writes calibration/<name>/: calibrated.toml (a scenario to use "
        "as a base), ensemble.toml, fit_report.md (waves, emulator diagnostics, identifiability, "
        "cross-validation), CSV tables and figures/fit.png. Interrupted? Run the same command "
        "again: the sweeps resume.",
    )
    calibrate.add_argument("file", type=Path, metavar="FILE")
    calibrate.add_argument(
        "--workers",
        type=count_option("--workers"),
        metavar="N",
        help="local worker processes (default: every core)",
    )
    calibrate.add_argument(
        "--write",
        type=Path,
        metavar="PATH",
        help="also copy the calibrated scenario here (e.g. scenarios/calibrated.toml)",
    )
    calibrate.add_argument(
        "--write-ensemble",
        type=Path,
        metavar="PATH",
        help="also copy the ensemble here (e.g. scenarios/ensemble.toml)",
    )
    add_out(calibrate)
    calibrate.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    calibrate.set_defaults(handler=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from sim.calibration.calibration_file import load_calibration

    cal = load_calibration(args.file)
    # before any work: the sweeps and fit go to OUT/calibration/<name>/ (resumed if there)
    check_output_folder(args.out, Path("calibration") / cal.name, whole_tree=True)
    for option, path in (("--write", args.write), ("--write-ensemble", args.write_ensemble)):
        if path is not None:
            check_output_file(path, option)
    from sim.calibration.fit import calibrate
    from sim.calibration.output import write_fit
    from sim.sweeps.execute import make_executor

    folder = Path(args.out) / "calibration" / cal.name
    command = "sim " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    started = time.perf_counter()
    with make_executor(args.workers) as executor:
        fit = calibrate(cal, folder, executor, progress=not args.no_progress)
    written = write_fit(fit, folder, command, time.perf_counter() - started)
    print(
        fit.report[
            [
                "code",
                "target_value",
                "ensemble_mean",
                "ensemble_low",
                "ensemble_high",
                "simulated",
                "implausibility",
            ]
        ].to_string(index=False, float_format=lambda v: f"{v:.4g}")
    )
    if args.write is not None:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written["calibrated.toml"], args.write)
        print(f"calibrated scenario copied to {args.write}")
    if args.write_ensemble is not None:
        args.write_ensemble.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written["ensemble.toml"], args.write_ensemble)
        print(f"ensemble copied to {args.write_ensemble}")
    print(f"NROY share by wave: {', '.join(f'{v:.3g}' for v in fit.waves['nroy_share'])}")
    print(f"calibration written to {folder} (fit_report.md, calibrated.toml, ensemble.toml)")
    return 0
