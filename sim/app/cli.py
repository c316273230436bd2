"""The ``sim app`` verb: serve the teaching app on a loopback address."""

from __future__ import annotations

import argparse
import sys

from sim.app.server import DEFAULT_HOST, DEFAULT_PORT
from sim.cli_options import count_option
from sim.errors import OptionError


def add_verb(verbs: argparse._SubParsersAction) -> None:
    """Add ``sim app [--port N] [--host 127.0.0.1]`` to the command line's verbs."""
    app = verbs.add_parser(
        "app",
        help="serve the teaching app (Mesa SolaraViz) on 127.0.0.1",
        description="Serve the teaching app: two arms side by side, sliders, live plots. "
        "Open the printed address in a browser; see docs/teaching_guide.md.",
    )
    app.add_argument(
        "--port",
        type=count_option("--port", 0, 65535),
        default=DEFAULT_PORT,
        help=f"port (default: {DEFAULT_PORT})",
    )
    app.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"loopback address to listen on (default: {DEFAULT_HOST}; only loopback "
        "addresses are allowed)",
    )
    app.set_defaults(handler=_app)


def _app(args: argparse.Namespace) -> int:
    from sim.app.assets import FrontEndError
    from sim.app.server import serve, server_command

    try:
        server_command(args.host, args.port)
    except ValueError as exc:
        raise OptionError("--host", str(exc)) from None
    try:
        serve(args.host, args.port)
    except FrontEndError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
