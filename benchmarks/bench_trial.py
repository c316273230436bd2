"""Time a virtual trial per replicate, for several batch sizes, in one process.

Simulation covers both arms (456 patients of whom 436 are recruited, 26 weeks); analysis covers
the statsmodels fits of one replicate and its share of the whole-population truth.

Run: ``python benchmarks/bench_trial.py [scenario] [replicates]`` (default bright.toml, 20).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.scenario import load_scenario
from sim.trial.replicates import run_replicates

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "scenarios" / "bright.toml"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    scenario = load_scenario(path)
    run_replicates(scenario.with_overrides({"trial.batch_size": 1}), replicates=1, workers=1)
    print("batch size | simulate s/replicate | analyse s/replicate | wall s/replicate")
    for size in (1, 5, 10, 20):
        started = time.perf_counter()
        run = run_replicates(
            scenario.with_overrides({"trial.batch_size": size}), replicates=n, workers=1
        )
        wall = time.perf_counter() - started
        print(
            f"{size:10d} | {run.seconds['simulate'] / n:20.3f} | "
            f"{run.seconds['analyse'] / n:19.3f} | {wall / n:16.3f}"
        )


if __name__ == "__main__":
    main()
