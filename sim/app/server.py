"""Start the teaching app's server (``sim app``): Solara, on a loopback address only.

The app is for a teacher's own machine and a projector, not a network service: it accepts only
loopback addresses (``127.0.0.1``, ``::1``, ``localhost``), so no one else on the network can
reach it. Solara's usage telemetry is switched off.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import NoReturn

from sim.app.assets import ensure_front_end

#: The module Solara serves.
APP_MODULE = "sim.app.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """The command that serves the app (production mode: no reloading, no browser opened)."""
    if not is_loopback(host):
        raise ValueError(
            f"{host!r} is not allowed: the app listens on a loopback address only "
            "(127.0.0.1, ::1 or localhost)"
        )
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
    ]


#: Solara warns on every page load that it cannot set secure cookies over plain http, which is
#: expected on a loopback address.
_QUIET = "ignore:Cookies with samesite=none require https:UserWarning"


def server_environment() -> dict[str, str]:
    """This process's environment, with Solara's telemetry, cookie warning and badge off.

    The badge ("This website runs on Solara") floats over the bottom right of the page and
    covered the app's text; the sidebar credits Mesa and Solara instead.
    """
    warnings = ",".join(w for w in (os.environ.get("PYTHONWARNINGS"), _QUIET) if w)
    return {
        **os.environ,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_SHOW_BANNER": "False",
        "SOLARA_THEME_TITLE": "sim teaching app",
        "PYTHONWARNINGS": warnings,
    }


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> NoReturn:
    """Fetch the front end if needed, then become the server (until interrupted).

    The process is replaced by Solara's server (``exec``), so signals such as Ctrl+C or a
    terminate reach the server itself and no server is left running without its parent.
    """
    command = server_command(host, port)
    ensure_front_end()
    print(f"teaching app on http://{host}:{port}/ (Ctrl+C stops it)", flush=True)
    os.execve(command[0], command, server_environment())
