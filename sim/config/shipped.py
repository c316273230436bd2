"""The files shipped with the package: scenarios, comparisons, sweeps and calibrations.

They live in the repository's top-level ``scenarios/`` folder, which installs as the package
``sim.scenarios`` (found with :mod:`importlib.resources`, so they are there after ``pip install``
as in a checkout). A shipped file can be named without a path: ``bright`` for ``bright.toml``,
``sweeps/grid_example`` for ``sweeps/grid_example.toml``. A file of that name in the current
folder always wins: :func:`resolve` only looks in the package when the path given does not exist.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

#: The package that holds the shipped files.
PACKAGE = "sim.scenarios"
#: Kinds of shipped file, by the verb that takes them, in listing order.
KINDS = ("scenario", "comparison", "ensemble", "sweep", "calibration")
#: Files and folders of the package that are not for users.
_SKIP = ("__init__.py", "__pycache__")


def folder() -> Path:
    """The folder of the shipped files (inside the installed package or the checkout)."""
    root = files(PACKAGE)
    if not isinstance(root, Path):  # e.g. a zipped install: not supported
        raise RuntimeError(f"the shipped scenarios are not a folder on disk ({root})")
    return root


@dataclass(frozen=True)
class ShippedFile:
    """One shipped TOML file.

    Attributes:
        name: How to name it on the command line (``bright``, ``sweeps/grid_example``).
        path: Where it is.
        kind: One of :data:`KINDS`.
        title: Its ``title``, or ``""``.
    """

    name: str
    path: Path
    kind: str
    title: str


def _kind(relative: Path, raw: dict) -> str:
    if relative.parts[0] == "sweeps":
        return "sweep"
    if relative.parts[0] == "calibration":
        return "calibration"
    if str(raw.get("format", "")).startswith("sim-ensemble/"):
        return "ensemble"
    return "comparison" if "strategies" in raw else "scenario"


def shipped_files() -> list[ShippedFile]:
    """Every shipped TOML file, by kind (in :data:`KINDS` order) and name."""
    root = folder()
    out = []
    for path in sorted(root.rglob("*.toml")):
        relative = path.relative_to(root)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            raw = {}
        title = raw.get("title", "")
        name = relative.with_suffix("").as_posix()
        out.append(
            ShippedFile(name, path, _kind(relative, raw), title if isinstance(title, str) else "")
        )
    return sorted(out, key=lambda f: (KINDS.index(f.kind), f.name))


def resolve(path: str | Path) -> Path:
    """The file a command-line path names: itself if it exists, else a shipped file of that name.

    A relative path that does not exist is looked up in the shipped folder as given, then with
    ``.toml`` added. Anything else is returned unchanged (the caller reports it missing).
    """
    path = Path(path)
    if path.exists() or path.is_absolute():
        return path
    try:
        root = folder()
    except RuntimeError:
        return path
    for candidate in (root / path, root / path.with_name(path.name + ".toml")):
        if candidate.is_file() and candidate.suffix == ".toml":
            return candidate
    return path


def names_hint() -> str:
    """A short hint naming the shipped scenarios, for 'file not found' messages."""
    try:
        names = [f.name for f in shipped_files() if f.kind == "scenario"]
    except RuntimeError:
        return ""
    return f"; shipped scenarios can be named without a path: {', '.join(names)} (sim scenarios)"


def _user_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part in _SKIP for part in p.relative_to(root).parts)
    )


def copy_to(target: str | Path) -> list[Path]:
    """Copy every shipped file into ``target`` (created if missing), keeping the sub-folders.

    Returns:
        The files written.

    Raises:
        FileExistsError: naming the first file that exists already; nothing is written then.
        NotADirectoryError: if ``target`` is a file.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file, not a folder")
    root = folder()
    sources = _user_files(root)
    clash = next(
        (target / s.relative_to(root) for s in sources if (target / s.relative_to(root)).exists()),
        None,
    )
    if clash is not None:
        raise FileExistsError(f"{clash} exists already; choose an empty or new folder")
    written = []
    for source in sources:
        destination = target / source.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    return written
