"""Benchmark: the full model (all mechanisms on) for many weeks at scale.

Reports, in one run:

* agent-steps per second of the vectorised model (agents = patients + members + groups +
  professionals; 100,000 patients is about 800,000 agents);
* mean step time as a multiple of one sparse matrix-vector product over the same adjacency
  (``sim.population.graph.sparse_adjacency``: patient-member ties and member-member links, both
  directions), for the step as ``sim run`` takes it (dynamics plus recording the week's population
  measures) and for the dynamics alone (``CommunityModel(..., measures=False)``, as virtual trials
  and sweeps run it); both models start from the same seed;
* speed-up over the per-agent Mesa reference of the same rules (``tests/reference_model.py``),
  as the ratio of agent-steps per second; the reference runs on a smaller population for a few
  weeks, since at full size it would take hours;
* peak memory (max resident set size) of the process.

Before anything is timed, a tiny model takes one step so that the compiled (numba) kernels are
loaded from their on-disk cache, as a matrix-vector product is run once before it is timed; that
once-per-process cost is reported separately. Building a model includes its warm-up
(``run.warmup_weeks`` weeks of usual care before recruitment); steps are timed after it.

Usage:
    .venv/bin/python benchmarks/bench_dynamics.py [--patients 100000] [--weeks 104]
        [--reference-patients 600] [--reference-weeks 4] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def scenario_for(n_patients: int):
    """Default scenario with ``n_patients`` (100 per practice)."""
    from sim.config.scenario import default_scenario

    per_practice = min(100, n_patients)
    return default_scenario().with_overrides(
        {
            "population.n_practices": max(1, n_patients // per_practice),
            "population.patients_per_practice": per_practice,
        }
    )


def matvec_seconds(model, repeats: int = 30) -> float:
    """Mean time of one sparse matrix-vector product over the model's adjacency."""
    from sim.population.graph import sparse_adjacency

    adjacency = sparse_adjacency(model.population)
    x = np.random.default_rng(0).random(adjacency.shape[0])
    adjacency @ x
    start = time.perf_counter()
    for _ in range(repeats):
        adjacency @ x
    return (time.perf_counter() - start) / repeats


def load_kernels() -> float:
    """Step a tiny model once, so the compiled kernels are loaded before anything is timed.

    Returns the seconds it took (numba loads its on-disk cache; compiles too on a cold cache).
    """
    from sim.model import CommunityModel

    start = time.perf_counter()
    CommunityModel(scenario_for(200), seed=1).step()
    return time.perf_counter() - start


def dynamics_only(n_patients: int, weeks: int, matvec: float) -> dict:
    """Time the steps of the model without recording population measures.

    Besides the mean step over one timed run, each step is timed next to a sparse matrix-vector
    product timed just after it (mean of 5), and the median of their weekly ratios is reported:
    on a shared machine this pairs each step with a product run under the same load.
    """
    from sim.model import CommunityModel
    from sim.population.graph import sparse_adjacency

    model = CommunityModel(scenario_for(n_patients), seed=1, agents=False, measures=False)
    adjacency = sparse_adjacency(model.population)
    x = np.random.default_rng(0).random(adjacency.shape[0])
    ratios, total = [], 0.0
    for _ in range(weeks):
        start = time.perf_counter()
        model.step()
        step = time.perf_counter() - start
        total += step
        start = time.perf_counter()
        for _ in range(5):
            adjacency @ x
        ratios.append(step / ((time.perf_counter() - start) / 5))
    return {
        "dynamics_step_ms": round(1e3 * total / weeks, 2),
        "dynamics_step_over_matvec": round(total / weeks / matvec, 1),
        "dynamics_step_over_matvec_paired": round(float(np.median(ratios)), 1),
    }


def vectorised(n_patients: int, weeks: int) -> dict:
    """Build and run the vectorised model; time its steps."""
    from sim.model import CommunityModel

    start = time.perf_counter()
    model = CommunityModel(scenario_for(n_patients), seed=1)
    built = time.perf_counter() - start
    matvec = matvec_seconds(model)
    start = time.perf_counter()
    for _ in range(weeks):
        model.step()
    seconds = time.perf_counter() - start
    agents = len(model.agents)
    del model
    return dynamics_only(n_patients, weeks, matvec) | {
        "patients": n_patients,
        "agents": agents,
        "weeks": weeks,
        "seconds_build": round(built, 2),
        "seconds_run": round(seconds, 2),
        "step_ms": round(1e3 * seconds / weeks, 2),
        "matvec_ms": round(1e3 * matvec, 3),
        "step_over_matvec": round(seconds / weeks / matvec, 1),
        "agent_steps_per_second": agents * weeks / seconds,
    }


def reference(n_patients: int, weeks: int) -> dict:
    """Run the per-agent Mesa reference and the vectorised model on the same small population."""
    sys.path.insert(0, str(ROOT))
    from sim.model import CommunityModel
    from tests.reference_model import run_reference

    seconds, agent_steps = run_reference(scenario_for(n_patients), weeks)
    model = CommunityModel(scenario_for(n_patients), seed=1)
    start = time.perf_counter()
    for _ in range(weeks):
        model.step()
    small = time.perf_counter() - start
    return {
        "reference_patients": n_patients,
        "reference_weeks": weeks,
        "reference_agent_steps_per_second": agent_steps / seconds,
        "vectorised_same_population_agent_steps_per_second": len(model.agents) * weeks / small,
    }


def main() -> None:
    """Run the benchmark and print a summary (and optionally JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--reference-patients", type=int, default=600)
    parser.add_argument("--reference-weeks", type=int, default=4)
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    warm = load_kernels()
    result = reference(args.reference_patients, args.reference_weeks)
    result.update(vectorised(args.patients, args.weeks))
    result["speedup_over_reference"] = (
        result["agent_steps_per_second"] / result["reference_agent_steps_per_second"]
    )
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["seconds_load_kernels"] = round(warm, 2)
    print(f"loading the compiled kernels (once per process): {warm:.1f} s")
    print(
        f"{result['patients']:,} patients ({result['agents']:,} agents), {result['weeks']} weeks, "
        f"all mechanisms on"
    )
    print(
        f"  build {result['seconds_build']:.1f} s; run {result['seconds_run']:.1f} s; "
        f"step {result['step_ms']:.0f} ms"
    )
    print(f"  agent-steps per second: {result['agent_steps_per_second']:,.0f}")
    print(
        f"  step / sparse matvec ({result['matvec_ms']:.1f} ms): {result['step_over_matvec']:.1f}x "
        f"with the weekly population measures; {result['dynamics_step_over_matvec']:.1f}x for "
        f"the dynamics alone ({result['dynamics_step_ms']:.0f} ms, as trials and sweeps run it); "
        f"{result['dynamics_step_over_matvec_paired']:.1f}x as the median of each step over a "
        f"product timed right after it"
    )
    print(
        f"  per-agent Mesa reference ({result['reference_patients']:,} patients, "
        f"{result['reference_weeks']} weeks): "
        f"{result['reference_agent_steps_per_second']:,.0f} agent-steps/s; "
        f"speed-up {result['speedup_over_reference']:,.0f}x"
    )
    print(f"  peak memory {result['peak_rss_mb']:,.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
