"""Provenance of a run: what produced it, where, when and from which seed."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import sim

_LIBRARIES = ("mesa", "numpy", "scipy", "networkx", "pandas", "matplotlib", "pyarrow")


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


def _library_versions() -> dict[str, str]:
    out = {}
    for name in _LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def provenance(seed: int, scenario_file: str | None, **extra: Any) -> dict[str, Any]:
    """Describe the software and machine behind a run.

    Args:
        seed: Root seed of the run.
        scenario_file: The scenario file the run was configured from, if any.
        **extra: Further fields (timings, command line, ...).
    """
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
        "libraries": _library_versions(),
        **extra,
    }
