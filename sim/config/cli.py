"""The ``sim scenarios`` and ``sim init`` verbs: the files shipped with the package.

``sim scenarios`` lists every shipped scenario, comparison, sweep and calibration file by the name
a command takes (``sim trial bright``); ``sim init DIR`` copies them all into ``DIR`` for editing
(never over an existing file).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.errors import OptionError

#: How each kind of file is used, for the listing.
USES = {
    "scenario": "sim run | trial | attribute NAME",
    "comparison": "sim compare NAME",
    "ensemble": "sim trial | attribute --ensemble NAME; the default",
    "sweep": "sim sweep | sensitivity NAME",
    "calibration": "sim calibrate PATH (after sim init)",
}


def add_verbs(verbs) -> None:
    """Add ``scenarios`` and ``init`` to the sub-command parsers of ``sim``."""
    listing = verbs.add_parser(
        "scenarios",
        help="list the shipped scenario, comparison, ensemble, sweep and calibration files",
    )
    listing.set_defaults(handler=_list)
    init = verbs.add_parser("init", help="copy the shipped scenarios into a folder, to edit them")
    init.add_argument("folder", type=Path, metavar="DIR")
    init.set_defaults(handler=_init)


def _list(args: argparse.Namespace) -> int:
    from sim.config.shipped import KINDS, folder, shipped_files

    files = shipped_files()
    width = max(len(f.name) for f in files) + 2
    for kind in KINDS:
        chosen = [f for f in files if f.kind == kind]
        if not chosen:
            continue
        print(f"{kind.capitalize()}s ({USES[kind]}):")
        for f in chosen:
            print(f"  {f.name:<{width}}{f.title}")
        print()
    print(f"Shipped in {folder()}; 'sim init DIR' copies them to DIR for editing.")
    return 0


def _init(args: argparse.Namespace) -> int:
    from sim.config.shipped import copy_to

    try:
        written = copy_to(args.folder)
    except (FileExistsError, NotADirectoryError) as exc:
        raise OptionError("DIR", str(exc)) from None
    except PermissionError as exc:
        raise OptionError("DIR", f"{args.folder} cannot be written: {exc}") from None
    print(f"copied {len(written)} files to {args.folder}")
    print(f"try: sim trial {args.folder / 'bright.toml'} --replicates 20")
    return 0
