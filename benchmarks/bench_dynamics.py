"""Benchmark: the full model (all mechanisms on) against the reference, on one and more threads.

Reports, as figures measured in one process:

* the speed-up over the per-agent Mesa reference of the same rules (``tests/reference_model.py``)
  at the same number of patients and weeks (by default 600 and 2,000 patients, 4 weeks): both
  start from the same model, warmed up and stepped once; the model's steps are timed as
  ``sim run`` takes them (dynamics plus the week's population measures); the median speed-up of
  three repetitions (``--reference-repeats``), with the smallest and largest;
* at 100,000 patients on one thread: the mean step of the dynamics alone (as trials and sweeps
  run it) as a multiple of one sparse matrix-vector product over the same adjacency
  (``sim.population.graph.sparse_adjacency``); each step is paired with products timed right
  after it and the median of the weekly ratios is reported too (on a shared machine this pairs
  each step with a product run under the same load);
* at 1,000,000 patients: the time to build the model (population, baseline state, agents) with
  the compiled kernels already loaded, the warm-up apart; step time on 1 thread and on
  ``--threads`` threads, alternating week by week so both see the same load (12 weeks each by
  default); the speed-up as the ratio of the median steps and as the median of the weekly ratios
  (each 1-thread step over the ``--threads`` step right after it: on a shared machine, where the
  load drifts from minute to minute, this pairs steps run under the same load, as for the
  matrix-vector products above); agent-steps per second on ``--threads`` threads (median step);
  the peak memory (max resident set size) of the process; and, timed right before each of those
  steps on the same number of threads, what the machine itself gave a second thread that week on
  a pass of arithmetic alone and on a pass reading a large array (:mod:`machine_probe`; median of
  the weekly ratios), so that a run can be read against the machine's load while it ran.

Agents are patients plus every member node (people, pets, professionals, groups), as the
reference counts them. Loading the compiled kernels (once per process) is reported apart.

Usage:
    .venv/bin/python benchmarks/bench_dynamics.py [--patients 100000] [--weeks 20]
        [--large-patients 1000000] [--large-weeks 12] [--reference-patients 600 2000]
        [--reference-weeks 4] [--reference-repeats 3] [--threads N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numba
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine_probe import COMPUTE_ITEMS, probe_seconds  # noqa: E402
from sim.config.scenario import default_scenario  # noqa: E402
from sim.dynamics.segments import CHUNK  # noqa: E402
from sim.model import CommunityModel  # noqa: E402
from sim.model.precompile import compile_kernels  # noqa: E402
from sim.parallel import numba_threads  # noqa: E402
from sim.population.graph import sparse_adjacency  # noqa: E402
from tests.reference_model import run_reference  # noqa: E402


def scenario_for(n_patients: int):
    """Default scenario with ``n_patients`` (100 per practice)."""
    per_practice = min(100, n_patients)
    return default_scenario().with_overrides(
        {
            "population.n_practices": max(1, n_patients // per_practice),
            "population.patients_per_practice": per_practice,
        }
    )


def timed_steps(model: CommunityModel, weeks: int) -> list[float]:
    """Seconds of each of ``weeks`` steps."""
    out = []
    for _ in range(weeks):
        start = time.perf_counter()
        model.step()
        out.append(time.perf_counter() - start)
    return out


def same_size(n_patients: int, weeks: int, repeats: int) -> dict:
    """The reference and the model from the same state, the same weeks, ``repeats`` times.

    Each repetition builds the model afresh (the same seed, so the same state), takes one untimed
    step (its first step in a process starts numba's threads), then times the reference and the
    model over the same weeks. The model's weeks take milliseconds, so one stall of the machine
    can distort a single repetition: the median of the repetitions' speed-ups is reported, with
    the smallest and largest.
    """
    runs = []
    for _ in range(repeats):
        model = CommunityModel(scenario_for(n_patients), seed=1)
        model.step()
        seconds_reference, agent_steps = run_reference(model, weeks)
        runs.append((seconds_reference, sum(timed_steps(model, weeks))))
    speedups = sorted(reference / model_ for reference, model_ in runs)
    seconds_reference = float(np.median([r for r, _ in runs]))
    return {
        "patients": n_patients,
        "agents": model.population.n_nodes,
        "weeks": weeks,
        "repeats": repeats,
        "reference_seconds": round(seconds_reference, 3),
        "model_seconds": round(float(np.median([m for _, m in runs])), 4),
        "reference_agent_steps_per_second": round(agent_steps / seconds_reference),
        "speedup": round(float(np.median(speedups)), 1),
        "speedup_range": [round(speedups[0], 1), round(speedups[-1], 1)],
    }


def matvec_seconds(adjacency, x: np.ndarray, repeats: int) -> float:
    """Mean time of one sparse matrix-vector product."""
    start = time.perf_counter()
    for _ in range(repeats):
        adjacency @ x
    return (time.perf_counter() - start) / repeats


def one_thread_step(n_patients: int, weeks: int) -> dict:
    """The dynamics alone on one thread, as a multiple of a sparse matrix-vector product."""
    with numba_threads(1):
        model = CommunityModel(scenario_for(n_patients), seed=1, agents=False, measures=False)
        adjacency = sparse_adjacency(model.population)
        x = np.random.default_rng(0).random(adjacency.shape[0])
        matvec = matvec_seconds(adjacency, x, 30)
        steps, ratios = [], []
        for _ in range(weeks):
            steps.extend(timed_steps(model, 1))
            ratios.append(steps[-1] / matvec_seconds(adjacency, x, 5))
    return {
        "patients": n_patients,
        "agents": model.population.n_nodes,
        "step_ms": round(1e3 * float(np.mean(steps)), 2),
        "matvec_ms": round(1e3 * matvec, 3),
        "step_over_matvec": round(float(np.mean(steps)) / matvec, 2),
        "step_over_matvec_paired": round(float(np.median(ratios)), 2),
    }


def large(n_patients: int, weeks: int, threads: int) -> dict:
    """Build, warm up and step a large model on 1 and ``threads`` threads, week about."""
    start = time.perf_counter()
    model = CommunityModel(scenario_for(n_patients), seed=1, measures=False, warm_up=False)
    built = time.perf_counter() - start
    start = time.perf_counter()
    model.warm_up()
    warm = time.perf_counter() - start
    out, values = np.empty(COMPUTE_ITEMS, np.uint64), model.dynamics.slots.strength
    sums = np.empty((len(values) + CHUNK - 1) // CHUNK)
    one, many, probe_one, probe_many = [], [], [], []
    for _ in range(weeks):
        with numba_threads(1):
            probe_one.append(probe_seconds(out, values, sums))
            one.extend(timed_steps(model, 1))
        with numba_threads(threads):
            probe_many.append(probe_seconds(out, values, sums))
            many.extend(timed_steps(model, 1))
    probe = np.median(np.array(probe_one) / np.array(probe_many), axis=0)
    agents = model.population.n_nodes
    return {
        "patients": n_patients,
        "agents": agents,
        "threads": threads,
        "seconds_build": round(built, 1),
        "seconds_warm_up": round(warm, 1),
        "warmup_weeks": int(model.config["run.warmup_weeks"]),
        "step_ms_1_thread": round(1e3 * float(np.median(one)), 1),
        f"step_ms_{threads}_threads": round(1e3 * float(np.median(many)), 1),
        "thread_speedup": round(float(np.median(one)) / float(np.median(many)), 2),
        "thread_speedup_paired": round(float(np.median(np.array(one) / np.array(many))), 2),
        "agent_steps_per_second": agents / float(np.median(many)),
        "machine_speedup_compute": round(float(probe[0]), 2),
        "machine_speedup_memory": round(float(probe[1]), 2),
        "probe_values_mb": round(values.nbytes / 1e6),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def report(result: dict) -> None:
    """Print the summary."""
    print(f"loading the compiled kernels (once per process): {result['seconds_kernels']:.1f} s")
    for r in result["same_size"]:
        print(
            f"same size, {r['patients']:,} patients ({r['agents']:,} agents), {r['weeks']} "
            f"weeks: reference {r['reference_seconds']:.2f} s, model {r['model_seconds']:.3f} s, "
            f"speed-up {r['speedup']:,.0f}x (median of {r['repeats']}; "
            f"{r['speedup_range'][0]:,.0f}-{r['speedup_range'][1]:,.0f}x)"
        )
    s = result["one_thread"]
    print(
        f"{s['patients']:,} patients, 1 thread: step {s['step_ms']:.1f} ms = "
        f"{s['step_over_matvec']:.2f} sparse matvecs ({s['matvec_ms']:.2f} ms); "
        f"{s['step_over_matvec_paired']:.2f} as the median of paired ratios"
    )
    g, t = result["large"], result["large"]["threads"]
    print(
        f"{g['patients']:,} patients ({g['agents']:,} agents): build {g['seconds_build']:.1f} s "
        f"(kernels loaded), warm-up {g['seconds_warm_up']:.1f} s ({g['warmup_weeks']} weeks)"
    )
    print(
        f"  step {g['step_ms_1_thread']:.0f} ms on 1 thread, {g[f'step_ms_{t}_threads']:.0f} ms "
        f"on {t}: {g['thread_speedup']:.2f}x ({g['thread_speedup_paired']:.2f}x as the median of "
        f"weekly ratios); {g['agent_steps_per_second']:,.3g} agent-steps/s "
        f"on {t} threads; peak memory {g['peak_rss_mb']:,} MB"
    )
    print(
        f"  the machine in the same weeks, {t} threads over 1 (median of weekly ratios): "
        f"{g['machine_speedup_compute']:.2f}x on arithmetic alone, "
        f"{g['machine_speedup_memory']:.2f}x reading {g['probe_values_mb']:,} MB "
        "(benchmarks/machine_probe.py)"
    )


def main() -> None:
    """Run the benchmark and print a summary (and optionally JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=20)
    parser.add_argument("--large-patients", type=int, default=1_000_000)
    parser.add_argument("--large-weeks", type=int, default=12)
    parser.add_argument("--reference-patients", type=int, nargs="+", default=[600, 2000])
    parser.add_argument("--reference-weeks", type=int, default=4)
    parser.add_argument("--reference-repeats", type=int, default=3)
    pool = numba.config.NUMBA_NUM_THREADS
    parser.add_argument("--threads", type=int, default=pool, help=f"1 to {pool} (default)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    if not 1 <= args.threads <= pool:
        parser.error(f"--threads: expected an integer in [1, {pool}], got {args.threads}")
    result = {"seconds_kernels": round(compile_kernels(), 2)}
    result["same_size"] = [
        same_size(n, args.reference_weeks, args.reference_repeats) for n in args.reference_patients
    ]
    result["one_thread"] = one_thread_step(args.patients, args.weeks)
    result["large"] = large(args.large_patients, args.large_weeks, args.threads)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
