"""Checks of command-line options and the progress bar shared by the verbs that run batches.

Every numeric option is read by a checker made here (:func:`key_option`, :func:`count_option`,
:func:`seconds_option`, :func:`threads_option`), given to ``argparse`` as the option's
``type``, so that a bad value is refused while the command line is parsed, before anything is
read or run. An option that stands
for a scenario key (``--replicates`` for ``trial.replicates``, ``--weeks`` for ``run.weeks``)
takes that key's bounds. A bad option is an :class:`~sim.errors.OptionError` naming
``<command line>`` and the option, so it exits with code 2 like a bad file.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

from sim.config.parameters import PARAMS
from sim.errors import OptionError

#: The most worker processes (or Dask workers) an option may ask for.
MAX_WORKERS = 1024


def _refuse(option: str, text: str, allowed: str) -> OptionError:
    return OptionError(option, f"{text!r} is not allowed; expected {allowed}")


def _integer(option: str, text: str, allowed: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _refuse(option, text, allowed) from None


def key_option(option: str, key: str) -> Callable[[str], int]:
    """An integer option checked against the bounds of the scenario key it stands for.

    Args:
        option: The option as typed, e.g. ``"--replicates"`` (named in the error).
        key: The scenario key, e.g. ``"trial.replicates"``.

    Returns:
        An ``argparse`` type: text to int, raising OptionError outside the key's bounds.
    """
    param = PARAMS[key]
    allowed = f"{param.allowed()} (the bounds of {key})"

    def parse(text: str) -> int:
        value = _integer(option, text, allowed)
        if (param.low is not None and value < param.low) or (
            param.high is not None and value > param.high
        ):
            raise _refuse(option, text, allowed)
        return value

    return parse


def count_option(option: str, low: int = 1, high: int = MAX_WORKERS) -> Callable[[str], int]:
    """An integer option in ``[low, high]`` (default: a number of worker processes)."""
    allowed = f"an integer in [{low}, {high}]"

    def parse(text: str) -> int:
        value = _integer(option, text, allowed)
        if not low <= value <= high:
            raise _refuse(option, text, allowed)
        return value

    return parse


def seconds_option(option: str, low: float, high: float) -> Callable[[str], float]:
    """A number of seconds in ``(low, high]``."""
    allowed = f"a number of seconds above {low:g} and at most {high:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise _refuse(option, text, allowed) from None
        if not (math.isfinite(value) and low < value <= high):
            raise _refuse(option, text, allowed)
        return value

    return parse


def threads_option(option: str) -> Callable[[str], int]:
    """A number of threads for one run's compiled passes, in ``[1, numba's pool]``.

    Numba's pool has ``NUMBA_NUM_THREADS`` threads (by default one per core); numba is imported
    only when the option is given.
    """

    def parse(text: str) -> int:
        from numba import config

        return count_option(option, 1, config.NUMBA_NUM_THREADS)(text)

    return parse


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
