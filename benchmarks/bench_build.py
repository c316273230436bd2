"""Benchmark: build the population and the model for 10,000, 100,000 and 1,000,000 patients.

Each size runs in a fresh subprocess so that peak memory (max resident set size) belongs to that
size alone. Reports, per stage: synthetic cohort and communities (numpy); the model (baseline
dynamic state drawn and settled, interventions, week-0 measures), which is the build; the first
``model.agents``, which creates every node's Mesa agent (agents are made on first use, so a run
that never asks for them never pays this); and the networkx graph (skipped above
``--graph-max`` patients: a graph of eight million nodes needs more memory than the rest).

Usage:
    .venv/bin/python benchmarks/bench_build.py [--sizes 10000 100000 1000000] [--graph-max N]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def measure(n_patients: int, graph_max: int) -> dict:
    """Build everything for ``n_patients`` in this process; return timings and peak memory."""
    from sim.config.scenario import default_scenario
    from sim.model import CommunityModel
    from sim.population.cohort import make_patients
    from sim.population.community import make_population
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
    n_agents = len(model.agents)
    t3 = time.perf_counter()
    graph = model.graph if n_patients <= graph_max else None
    t4 = time.perf_counter()
    return {
        "patients": population.n_patients,
        "agents": n_agents,
        "ties": len(population.ties),
        "links": len(population.links),
        "graph_nodes": graph.number_of_nodes() if graph is not None else None,
        "graph_edges": graph.number_of_edges() if graph is not None else None,
        "seconds_population": round(t1 - t0, 3),
        "seconds_model": round(t2 - t1, 3),
        "seconds_build": round(t2 - t0, 3),
        "seconds_agents": round(t3 - t2, 3),
        "seconds_graph": round(t4 - t3, 3) if graph is not None else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Run each size in a subprocess and print a table (and optionally JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--graph-max",
        type=int,
        default=100_000,
        help="build the networkx graph only up to this many patients (default 100,000)",
    )
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.graph_max)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--graph-max", str(args.graph_max)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        r = rows[-1]
        graph = "skipped" if r["seconds_graph"] is None else f"{r['seconds_graph']:.2f} s"
        print(
            f"{r['patients']:>9,} patients {r['agents']:>10,} agents: build "
            f"{r['seconds_build']:.2f} s (population {r['seconds_population']:.2f} s, model "
            f"{r['seconds_model']:.2f} s, with the warm-up); "
            f"first model.agents {r['seconds_agents']:.2f} s; "
            f"graph {graph}; peak memory {r['peak_rss_mb']:,.0f} MB",
            flush=True,
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
