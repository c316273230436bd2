"""Provenance of a run: what produced it, where, when and from which seed."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import sim


def git_commit(where: Path | None = None) -> str:
    """Return the git commit of the source tree (with ``+dirty`` if modified), or ``"unknown"``."""
    where = where or Path(sim.__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def library_versions(package: str = "sim") -> tuple[dict[str, str], dict[str, str]]:
    """The installed versions of what a package runs on, read from its installed metadata.

    Args:
        package: The installed distribution whose requirements are followed.

    Returns:
        ``(libraries, dependencies)``: the package's own runtime requirements (``pyproject.toml``
        ``dependencies``; extras such as ``test`` are left out) and, separately, everything those
        require in turn (numba's llvmlite, statsmodels' patsy, ...), each by name with its
        version, or ``"not installed"``.
    """
    direct = _runtime_requirements(package)
    found: dict[str, str] = {}
    todo = list(direct)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
            continue
        todo.extend(_runtime_requirements(name))
    libraries = {name: found[name] for name in sorted(direct)}
    dependencies = {name: found[name] for name in sorted(found) if name not in direct}
    return libraries, dependencies


def _runtime_requirements(package: str) -> list[str]:
    """Names (canonical) of what an installed distribution needs here, without extras."""
    names = []
    for line in requires(package) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(canonicalize_name(requirement.name))
    return names


def provenance(seed: int, scenario_file: str | None, **extra: Any) -> dict[str, Any]:
    """Describe the software and machine behind a run.

    Args:
        seed: Root seed of the run.
        scenario_file: The scenario file the run was configured from, if any.
        **extra: Further fields (timings, command line, ...).

    ``libraries`` lists every runtime requirement of ``sim`` with its installed version, and
    ``dependencies`` what they in turn require (see :func:`library_versions`).
    """
    libraries, dependencies = library_versions()
    return {
        "package": "sim",
        "version": sim.__version__,
        "git_commit": git_commit(),
        "seed": seed,
        "scenario_file": scenario_file,
        "command": sys.argv,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "libraries": libraries,
        "dependencies": dependencies,
        **extra,
    }
