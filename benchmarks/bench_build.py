"""Benchmark: build the population and the model for 10,000 and 100,000 patients.

Each size runs in a fresh subprocess so that peak memory (max resident set size) belongs to that
size alone. Reports, per stage: synthetic cohort and communities (numpy), Mesa agents, and the
networkx graph. The model stage creates the Mesa agents and draws and settles the baseline
dynamic state.

Usage:
    .venv/bin/python benchmarks/bench_build.py [--sizes 10000 100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def measure(n_patients: int) -> dict:
    """Build everything for ``n_patients`` in this process; return timings and peak memory."""
    from sim.community import make_population
    from sim.model import CommunityModel
    from sim.population import make_patients
    from sim.scenario import default_scenario
    from sim.streams import generator

    per_practice = 100
    scenario = default_scenario().with_overrides(
        {
            "population.n_practices": max(1, n_patients // per_practice),
            "population.patients_per_practice": per_practice,
        }
    )
    t0 = time.perf_counter()
    patients, deprived = make_patients(scenario, generator(1, "population"))
    population = make_population(scenario, patients, deprived, generator(1, "community"))
    t1 = time.perf_counter()
    model = CommunityModel(scenario, seed=1, population=population)
    t2 = time.perf_counter()
    graph = model.graph
    t3 = time.perf_counter()
    return {
        "patients": population.n_patients,
        "agents": len(model.agents),
        "ties": len(population.ties),
        "links": len(population.links),
        "graph_nodes": graph.number_of_nodes(),
        "graph_edges": graph.number_of_edges(),
        "seconds_population": round(t1 - t0, 3),
        "seconds_model": round(t2 - t1, 3),
        "seconds_graph": round(t3 - t2, 3),
        "seconds_total": round(t3 - t0, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Run each size in a subprocess and print a table (and optionally JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        r = rows[-1]
        print(
            f"{r['patients']:>8,} patients {r['agents']:>9,} agents: population "
            f"{r['seconds_population']:.2f} s, model (Mesa agents, state, 78-week warm-up) "
            f"{r['seconds_model']:.2f} s, "
            f"graph {r['seconds_graph']:.2f} s, total {r['seconds_total']:.2f} s, "
            f"peak memory {r['peak_rss_mb']:,.0f} MB",
            flush=True,
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
