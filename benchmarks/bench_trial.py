"""Time a virtual trial per replicate, for several batch sizes, in one process.

Simulation covers the replicate's share of its batch's warm-up (``run.warmup_weeks`` of usual care,
run once per batch and shared by both arms) and both arms (456 patients of whom 436 are
recruited, 26 weeks); analysis covers the statsmodels fits of one replicate and its share of the
whole-population truth.

Run: ``python benchmarks/bench_trial.py [scenario] [replicates]`` (default bright.toml, 20).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.scenario import load_scenario
from sim.trial.replicates import run_replicates

ROOT = Path(__file__).resolve().parents[1]


def analysis_split(scenario, replicates: int) -> tuple[float, float]:
    """Seconds per replicate of the primary analysis and of the subgroup analyses on top.

    The primary analysis fits the five outcomes overall; the subgroup analyses add one model per
    subgroup variable and outcome. Timed over one batch of ``replicates`` replicate trials.
    """
    from sim.trial.analysis import analyse
    from sim.trial.batch import simulate_batch, trial_scenario
    from sim.trial.data import trial_data
    from sim.trial.design import TrialDesign

    design = TrialDesign.of(scenario)
    batch = simulate_batch(trial_scenario(scenario, design), design, 1, 0, range(replicates))
    data = [trial_data(batch.world(k), w.allocation, design) for k, w in enumerate(batch.worlds)]
    started = time.perf_counter()
    for d in data:
        analyse(d, design.alpha, subgroups=False)
    primary = time.perf_counter() - started
    started = time.perf_counter()
    for d in data:
        analyse(d, design.alpha)
    everything = time.perf_counter() - started
    return primary / replicates, (everything - primary) / replicates


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
    primary, subgroups = analysis_split(scenario, 10)
    print(
        f"analysis per replicate: primary (EQ-5D, BP, heiQ, cost, QALYs) {primary:.3f} s; "
        f"the four subgroup analyses {subgroups:.3f} s more"
    )


if __name__ == "__main__":
    main()
