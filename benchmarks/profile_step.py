"""Where a week's time goes: the mean time of each function the weekly step calls.

Builds the default scenario at ``--patients`` patients (100 per practice), runs the warm-up and
two weeks untimed (the first loads the compiled kernels and starts numba's threads), then times
``--weeks`` weeks on ``--threads`` numba threads. Every public function of the modules of
:mod:`sim.dynamics` is wrapped with a timer for the timed weeks (the weekly passes call them
through their modules, so each call is counted once, by the outermost wrapper it goes through),
and the table lists them by time per week, with the mean step beside them; what the step takes
beyond their sum is Python and numpy glue. The dynamics alone are timed, as trials and sweeps run
them (no Mesa agents, no weekly population measures).

Usage:
    .venv/bin/python benchmarks/profile_step.py [--patients 100000] [--threads 1] [--weeks 20]
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sim.dynamics  # noqa: E402
from benchmarks.bench_dynamics import scenario_for  # noqa: E402
from sim.model import CommunityModel  # noqa: E402
from sim.parallel import numba_threads  # noqa: E402

#: How many timed functions are running (a call inside another is counted by the outer one).
_running = [0]


def timed(function: Callable[..., Any], key: str, seconds: Counter, calls: Counter) -> Callable:
    """``function`` adding its time to ``seconds[key]`` (not when called inside another timer)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        outermost = _running[0] == 0
        _running[0] += 1
        try:
            return function(*args, **kwargs)
        finally:
            _running[0] -= 1
            if outermost:
                seconds[key] += time.perf_counter() - start
                calls[key] += 1

    return wrapper


def wrap_dynamics(seconds: Counter, calls: Counter) -> None:
    """Wrap every public function of every module of :mod:`sim.dynamics` (in place)."""
    for info in pkgutil.iter_modules(sim.dynamics.__path__):
        module = importlib.import_module(f"sim.dynamics.{info.name}")
        for name, value in list(vars(module).items()):
            source = getattr(value, "__module__", None) or ""
            if name.startswith("_") or isinstance(value, type) or not callable(value):
                continue
            if source.startswith("sim.dynamics"):
                owner = source.removeprefix("sim.dynamics.")
                setattr(module, name, timed(value, f"{owner}.{name}", seconds, calls))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=20)
    args = parser.parse_args()
    with numba_threads(args.threads):
        model = CommunityModel(scenario_for(args.patients), seed=1, agents=False, measures=False)
        model.step()
        model.step()
        seconds: Counter = Counter()
        calls: Counter = Counter()
        wrap_dynamics(seconds, calls)
        start = time.perf_counter()
        for _ in range(args.weeks):
            model.step()
        step = (time.perf_counter() - start) / args.weeks
    print(
        f"{args.patients:,} patients, {args.threads} thread(s), {args.weeks} weeks: "
        f"mean step {1e3 * step:.2f} ms"
    )
    for key, total in seconds.most_common():
        per_week = calls[key] / args.weeks
        print(f"  {key:40s} {1e3 * total / args.weeks:7.2f} ms  ({per_week:g} a week)")
    glue = step - sum(seconds.values()) / args.weeks
    print(f"  {'(Python and numpy glue)':40s} {1e3 * glue:7.2f} ms")


if __name__ == "__main__":
    main()
