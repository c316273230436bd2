"""Checks of command-line options and the progress bar shared by the verbs that run batches.

A bad option raises :class:`~sim.errors.OptionError` naming the option, so it exits with code 2
like a bad file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from sim.errors import OptionError


def check_at_least_one(value: int | None, option: str) -> None:
    """Refuse a count below 1 (``None``, not given, is fine)."""
    if value is not None and value < 1:
        raise OptionError(option, f"{value!r} is not allowed; expected >= 1")


def check_seed(seed: int | None) -> None:
    """Refuse a negative ``--seed``."""
    if seed is not None and seed < 0:
        raise OptionError("--seed", f"{seed!r} is not allowed; expected >= 0")


def progress_bar(description: str, unit: str, hidden: bool) -> Callable[[int, int], None] | None:
    """A ``progress(done, total)`` callback drawing a bar on stderr, or None when ``hidden``."""
    if hidden:
        return None
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return progress
