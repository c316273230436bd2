"""The app's browser front end (Solara's JavaScript), fetched once from the npm registry.

A Solara page loads its JavaScript and CSS through the server's ``/_solara/cdn/`` proxy, which
serves files from a cache folder (``<venv>/share/solara/cdn/`` by default) and fetches missing
ones from a public CDN. That CDN cannot be reached from every machine (a closed classroom or CI
network), but the same files are published as npm packages, so :func:`ensure_front_end` lays
them into the cache with the ordinary npm client (``npm pack``), once per environment. The
server then never needs the CDN.

:data:`FRONT_END` lists the packages the page needs for the Solara version pinned in
``constraints.txt``; a Solara upgrade that needs others shows up as failed ``/_solara/cdn/``
requests in ``tests/test_app_browser.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

#: Vega, Vega-Lite and Vega-Embed, which draw the app's charts in the browser (the versions that
#: read the Vega-Lite 6 specifications Altair 6 writes): module name -> path in the cache folder.
VEGA_MODULES: dict[str, str] = {
    "vega": "vega@6.2.0/build/vega.min",
    "vega-lite": "vega-lite@6.4.1/build/vega-lite.min",
    "vega-embed": "vega-embed@7.0.2/build/vega-embed.min",
}
#: npm packages (name@version) the page loads through the proxy, for solara 1.64 with ipyvuetify 1
#: (Vuetify 2): the app shell, RequireJS, the icon font and the chart libraries.
FRONT_END: tuple[str, ...] = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    *(path.split("/", 1)[0] for path in VEGA_MODULES.values()),
)


class FrontEndError(RuntimeError):
    """The front end is missing and could not be fetched (no npm, or no registry)."""


def cache_dir() -> Path:
    """The folder Solara's asset proxy serves from (``SOLARA_ASSETS_PROXY_CACHE_DIR``)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing(packages: Sequence[str] = FRONT_END, folder: Path | None = None) -> list[str]:
    """The packages of ``packages`` not yet in the cache folder (default: :func:`cache_dir`)."""
    folder = cache_dir() if folder is None else folder
    return [spec for spec in packages if not (folder / spec / "package.json").is_file()]


def fetch(packages: Sequence[str], folder: Path, npm: str | None = None) -> None:
    """Download ``packages`` with ``npm pack`` and unpack each into ``folder/<name>@<version>``.

    Args:
        packages: npm package specs, ``name@version``.
        folder: The asset cache folder.
        npm: The npm executable (default: ``npm`` on ``PATH``).

    Raises:
        FrontEndError: if npm is not installed or a package cannot be downloaded.
    """
    npm = npm or shutil.which("npm")
    if npm is None:
        raise FrontEndError(
            "npm not found: the teaching app needs it once, to fetch Solara's front end "
            f"({', '.join(packages)}) from the npm registry; install Node.js and npm "
            "(Debian: apt-get install -y npm)"
        )
    with tempfile.TemporaryDirectory(prefix="sim-app-front-end-") as tmp:
        command = [npm, "pack", *packages, "--json", "--pack-destination", tmp]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp, check=False)
        if done.returncode != 0:
            raise FrontEndError(
                f"'npm pack {' '.join(packages)}' failed (exit {done.returncode}): "
                f"{done.stderr.strip()[-800:]}"
            )
        for spec, packed in zip(packages, json.loads(done.stdout), strict=True):
            unpack_tarball(Path(tmp) / packed["filename"], folder / spec)


def unpack_tarball(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball's top folder (usually ``package/``) into ``target``, all or nothing."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    (top,) = staging.iterdir()
    top.rename(target)
    shutil.rmtree(staging, ignore_errors=True)


def ensure_front_end(folder: Path | None = None, quiet: bool = False) -> Path:
    """Fetch whatever of :data:`FRONT_END` the cache folder lacks; return the folder.

    Args:
        folder: The asset cache folder (default: :func:`cache_dir`).
        quiet: Say nothing when fetching.
    """
    folder = cache_dir() if folder is None else folder
    needed = missing(FRONT_END, folder)
    if needed:
        if not quiet:
            print(f"fetching the app's front end from the npm registry into {folder}: {needed}")
        fetch(needed, folder)
    return folder


def main() -> int:
    """Fetch the front end (``python -m sim.app.assets``); exit 1 with a message on failure."""
    try:
        ensure_front_end()
    except FrontEndError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
