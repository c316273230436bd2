"""The one check of an output location, made by every writing verb before it starts any work.

A verb that writes under ``--out`` calls :func:`check_output_folder` with the folder it will
write into (for example ``out/<outputs.folder>`` for ``sim run`` and ``sim trial``, or
``out/sweeps/<name>`` for ``sim sweep``); a verb that writes one named file (``sim report
--output``, ``sim calibrate --write``) calls :func:`check_output_file`. The check refuses:

- a folder that cannot be created or written (a regular file on the way, a path under ``/proc``
  or ``/sys``, a read-only or full file system, no permission): it creates the missing folders and
  a probe file, then removes them all again, so it proves what it claims and leaves nothing;
- a path longer than the file system allows (each name, and the whole path with room for the
  files the verb writes inside);
- a folder that resolves outside ``--out`` through a symbolic link, or (``whole_tree``) an
  existing folder under it holding a link that leads outside ``--out``.

A refusal is an :class:`~sim.errors.OptionError` naming ``<command line>``, the option and the
path, so the command line prints one line and exits with code 2.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path, PurePath

from sim.config.scenario import Scenario
from sim.errors import OptionError
from sim.io.cleanup import longest_run_name

#: Characters kept free beyond the checked folder for what the verbs write inside it, e.g.
#: ``/.incomplete-20261127-061500-seed42-123456/tables/bp_controlled_hypertensive.parquet``.
RESERVE = 160


def refuse(option: str, path: Path | str, problem: str) -> OptionError:
    """The error for an unusable output path: ``<command line>: OPTION: PATH: PROBLEM``."""
    return OptionError(option, f"{path}: {problem}")


def check_output_folder(
    out: str | Path,
    inside: str | PurePath = "",
    *,
    option: str = "--out",
    leaf: str = "",
    whole_tree: bool = False,
) -> Path:
    """Refuse, before any work, an output folder the verb could not write into.

    Args:
        out: The ``--out`` folder (it need not exist).
        inside: The folder under ``out`` that the verb writes into (relative).
        option: The option named in the error.
        leaf: The longest name the verb creates directly in that folder (checked for length).
        whole_tree: Also refuse links, anywhere under an existing folder, that lead outside
            ``out`` (for verbs that write into folders they find there, such as a sweep
            resuming).

    Returns:
        The folder the verb writes into, resolved.

    Raises:
        OptionError: naming the option, the path and what is wrong.
    """
    out = Path(out)
    target = out / inside
    _check_length(target, leaf, option)
    root = out.resolve()
    final = target.resolve()
    if final != root and root not in final.parents:
        raise refuse(option, target, f"leads to {final} (through a symbolic link), outside {out}")
    if whole_tree and final.is_dir():
        _check_links_within(final, root, option, out)
    _probe(final, target, option)
    return final


def check_run_output(out: str | Path, scenario: Scenario, seed: int | None = None) -> Path:
    """:func:`check_output_folder` for a verb that writes a run folder of ``scenario``.

    The run folder goes to ``out/<outputs.folder or the scenario's name>/<run id>/`` (``sim
    run``, ``sim trial``, ``sim attribute``); ``seed`` is the run's seed (default ``run.seed``).
    """
    seed = scenario["run.seed"] if seed is None else seed
    return check_output_folder(out, scenario.output_folder(), leaf=longest_run_name(seed))


def check_output_file(path: str | Path, option: str) -> Path:
    """Refuse, before any work, a file path that the verb could not write.

    The path must not be a folder, and its folder must exist or be creatable, and be writable.

    Returns:
        The path, resolved.
    """
    path = Path(path)
    _check_length(path.parent, path.name, option, shown=path)
    if path.is_dir():
        raise refuse(option, path, "is a folder; expected the path of a file")
    _probe(path.parent.resolve(), path, option)
    return path.resolve()


def _check_length(target: Path, leaf: str, option: str, shown: Path | None = None) -> None:
    """Each name within the system's name limit; the whole path within its path limit."""
    shown = target if shown is None else shown
    existing = _deepest_existing(Path(os.path.abspath(target)))
    name_max = _limit(existing, "PC_NAME_MAX", 255)
    path_max = _limit(existing, "PC_PATH_MAX", 4096)
    for name in (*target.parts, leaf):
        if len(os.fsencode(name)) > name_max:
            raise refuse(
                option,
                shown,
                f"the name {name[:40]!r}... has {len(name)} characters; this file system allows "
                f"{name_max}",
            )
    length = len(os.fsencode(os.path.abspath(target))) + RESERVE
    if length > path_max:
        raise refuse(
            option,
            shown,
            f"the path is too long: {length - RESERVE} characters, and the files written inside "
            f"need about {RESERVE} more; this system allows {path_max} (choose a shorter --out or "
            "outputs.folder)",
        )


def _limit(folder: Path, name: str, fallback: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError, AttributeError):  # not a POSIX system, or no such limit
        return fallback


def _deepest_existing(path: Path) -> Path:
    """``path`` itself or its deepest ancestor that exists (as a file, folder or link)."""
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def _check_links_within(folder: Path, root: Path, option: str, out: Path) -> None:
    """Refuse a symbolic link under ``folder`` that leads outside ``root``."""
    for parent, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            entry = Path(parent) / name
            if entry.is_symlink():
                target = entry.resolve()
                if target != root and root not in target.parents:
                    raise refuse(option, entry, f"is a symbolic link to {target}, outside {out}")


def _probe(final: Path, shown: Path, option: str) -> None:
    """Create the missing folders of ``final`` and a file in it, then remove them all again."""
    existing = _deepest_existing(final)
    if not existing.is_dir():  # the culprit is that file, wherever it is on the way
        raise refuse(option, existing, "is a file, not a folder")
    created: list[Path] = []
    try:
        for folder in reversed([final, *final.parents]):
            if not folder.is_relative_to(existing) or folder == existing:
                continue
            folder.mkdir()
            created.append(folder)
        handle, probe = tempfile.mkstemp(prefix=".sim-probe-", dir=final)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        action = "cannot create a folder there" if not final.is_dir() else "is not writable"
        raise refuse(option, shown, f"{action}: {exc.strerror or exc}") from None
    finally:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
