"""Compile the model's kernels once, into numba's cache, so later processes only load them.

The weekly passes are numba functions compiled on first use and cached next to their sources
(``@njit(cache=True)``). Compiling them all takes about half a minute on one core; loading them
from the cache about a second. ``make`` runs ``python -m sim.model.precompile`` after installing,
so the first run, test or teaching-app page after an install does not pay for the compilation.
"""

from __future__ import annotations

import time

from sim.config.scenario import default_scenario
from sim.model.community_model import CommunityModel

#: A tiny population: 2 practices of 50 patients, one week of warm-up.
TINY = {
    "population.n_practices": 2,
    "population.patients_per_practice": 50,
    "run.warmup_weeks": 1,
}


def compile_kernels() -> float:
    """Build and step a tiny model (every kernel compiled or loaded); the seconds it took."""
    start = time.perf_counter()
    CommunityModel(default_scenario().with_overrides(TINY), seed=1).step()
    return time.perf_counter() - start


if __name__ == "__main__":
    print(f"model kernels compiled or loaded from numba's cache in {compile_kernels():.1f} s")
