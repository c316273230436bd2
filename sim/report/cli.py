"""The ``sim report`` verb: one self-contained HTML report of a results folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_INPUT = 2


def add_verb(verbs: argparse._SubParsersAction) -> None:
    """Add ``report`` to the sub-command parsers of ``sim``."""
    report = verbs.add_parser(
        "report",
        help="write one self-contained HTML report of a results or sweep folder",
        description="Read a results folder written by 'sim trial' (or 'sim run', 'sim attribute', "
        "'sim compare', 'sim sweep', 'sim sensitivity') and write one "
        "HTML file that opens offline: plain-language summary, results table, every figure, "
        "methods, assumptions and provenance.",
    )
    report.add_argument("folder", type=Path, metavar="RESULTS_DIR")
    report.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="the HTML file to write (default: RESULTS_DIR/report.html)",
    )
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from sim.report.build import write_report
    from sim.report.folder import ReportError

    try:
        path = write_report(args.folder, args.output)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    print(f"wrote {path}")
    return 0
