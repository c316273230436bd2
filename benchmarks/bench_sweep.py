"""Benchmark: sweep throughput on 1 and 2 workers, and peak memory as a sweep grows tenfold.

Throughput is counted in BRIGHT-sized replicate trials per second. A replicate trial here is
STAND-IN work of the same size, run through the sweep engine: two runs (the two arms) of usual
care with 436 patients for 26 weeks, the second arm with doubled group joining
(``mechanisms.navigation.p_join``), sharing their random numbers as trial arms do; each trial is
one replicate of a two-point list design run by :func:`sim.sweeps.run_sweep` (so storage and
progress are included). The recruitment, randomisation and statsmodels analysis of
:mod:`sim.trial` are not included (it runs its replicates with its own batched runner).

HOOK: to count real trial replicates, replace :func:`trial_sweep` (and the ``per_trial`` count
of runs in :func:`throughput`) with a sweep whose runs are whole ``sim.trial`` replicates;
nothing else here needs to change.

The 1- and 2-worker measurements alternate (``--repeats``) and the median of each is reported,
since other work on a shared machine slows some of them. Rates are in steady state (from the
first result of each worker to the last, leaving out the one-off start of the worker processes)
and overall (wall time including start-up). A control runs the same model in one process alone
and in two independent processes at once, without any sweep machinery: the machine's own
scaling at the time.

Memory: each size runs in a fresh subprocess on the serial executor, so that the process's
peak resident set holds everything (the runs, the store and the consolidation) and nothing
else; a sweep of N runs is compared with one of 10 N runs (time series kept, so the rows are
not trivially small).

Usage:
    .venv/bin/python benchmarks/bench_sweep.py [--trials 30] [--repeats 5] [--memory-runs 200]
        [--skip throughput|memory] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
USUAL_CARE = ROOT / "scenarios" / "usual_care.toml"
TRIAL_SIZE = {"population.n_practices": 4, "population.patients_per_practice": 109}
P_JOIN = "mechanisms.navigation.p_join"


def trial_sweep(trials: int):
    """STAND-IN for ``trials`` BRIGHT replicate trials: 2 arms x ``trials`` replicates."""
    from sim.scenario import load_scenario
    from sim.sweeps import make_sweep

    base = load_scenario(USUAL_CARE)
    usual = base[P_JOIN]
    return make_sweep(
        base,
        {P_JOIN: [usual, 2 * usual]},
        name="bench_trials",
        fixed=TRIAL_SIZE,
        design={"kind": "list"},
        replicates=trials,
        common_random_numbers=True,
        seed=2014,
        outcomes={"measures": ["eq5d", "bp_controlled", "tbq", "heiq"], "weeks": [26]},
    )


class Timed:
    """An executor wrapper that records when each result arrives."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        self.times: list[float] = []

    def __enter__(self) -> Timed:
        self.executor.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.__exit__(*exc)

    def imap_unordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        """Yield the wrapped executor's results, noting the time of each."""
        for result in self.executor.imap_unordered(fn, tasks):
            self.times.append(time.perf_counter())
            yield result

    def describe(self) -> dict[str, Any]:
        """The wrapped executor's description."""
        return self.executor.describe()


def throughput(workers: int, trials: int, per_trial: int = 2) -> dict[str, Any]:
    """Trials per second on ``workers`` local processes (0: serially in this process)."""
    from sim.sweeps import ProcessExecutor, SerialExecutor, run_sweep

    executor = Timed(ProcessExecutor(workers) if workers else SerialExecutor())
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        summary = run_sweep(trial_sweep(trials), Path(out), executor, progress=False)
        wall = time.perf_counter() - start
    assert summary.done == trials * per_trial, summary
    first = max(1, workers)
    steady = executor.times[-1] - executor.times[first - 1]
    runs = len(executor.times) - first
    return {
        "workers": workers,
        "trials": trials,
        "wall_seconds": round(wall, 2),
        "trials_per_second": round(runs / per_trial / steady, 3),
        "trials_per_second_overall": round(trials / wall, 3),
    }


def control_probe(start_at: float, seconds: float) -> dict[str, Any]:
    """Run trial-sized models back to back in this process from ``start_at`` for ``seconds``."""
    from sim.model import CommunityModel

    scenario = trial_sweep(1).base
    CommunityModel(scenario, seed=0).run()
    time.sleep(max(0.0, start_at - time.time()))
    runs, begin = 0, time.perf_counter()
    while time.perf_counter() - begin < seconds:
        CommunityModel(scenario, seed=runs).run()
        runs += 1
    return {"runs_per_second": runs / (time.perf_counter() - begin)}


def control(seconds: float = 10.0) -> dict[str, Any]:
    """The machine's own scaling: one process alone, then two independent processes at once.

    No sweep machinery is involved, so the ratio bounds what any executor could reach here.
    """
    rates = {}
    for n in (1, 2):
        start_at = time.time() + 15.0  # time for every process to import and warm up
        probes = [
            subprocess.Popen(
                [sys.executable, __file__, "--control-probe", str(start_at), str(seconds)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for _ in range(n)
        ]
        rates[n] = sum(json.loads(p.communicate()[0])["runs_per_second"] for p in probes)
    return {
        "one_process_runs_per_second": round(rates[1], 3),
        "two_processes_runs_per_second": round(rates[2], 3),
        "ratio": round(rates[2] / rates[1], 2),
    }


def memory_probe(runs: int) -> dict[str, Any]:
    """Run a sweep of ``runs`` small runs serially; report this process's peak memory."""
    import pyarrow.parquet as pq

    from sim.scenario import load_scenario
    from sim.sweeps import SerialExecutor, make_sweep, run_sweep

    points = runs // 10
    sweep = make_sweep(
        load_scenario(USUAL_CARE),
        {P_JOIN: {"low": 0.004, "high": 0.03, "n": points}},
        name="bench_memory",
        fixed={"population.n_practices": 1, "population.patients_per_practice": 40},
        replicates=10,
        weeks=8,
        outcomes={
            "measures": ["eq5d", "tbq", "self_management", "cost"],
            "weeks": [4, 8],
            "timeseries": True,
        },
    )
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        summary = run_sweep(sweep, Path(out), SerialExecutor(), progress=False, rows_per_part=64)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        held = sum(  # uncompressed size of the tables, read from their footers only
            pq.ParquetFile(summary.folder / name).metadata.row_group(i).total_byte_size
            for name in ("results.parquet", "timeseries.parquet")
            for i in range(pq.ParquetFile(summary.folder / name).metadata.num_row_groups)
        )
    assert summary.done == runs, summary
    return {
        "runs": runs,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak, 1),
        "rows_in_memory_would_be_mb": round(held / 2**20, 2),
    }


def memory(runs: int) -> dict[str, Any]:
    """Probe ``runs`` and ``10 x runs`` in fresh subprocesses."""
    out = {}
    for n in (runs, 10 * runs):
        probe = subprocess.run(
            [sys.executable, __file__, "--memory-probe", str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        out[n] = json.loads(probe.stdout.strip().splitlines()[-1])
    small, large = out[runs], out[10 * runs]
    return {
        "small": small,
        "large": large,
        "peak_ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
    }


def report_throughput(trials: int, repeats: int) -> dict[str, Any]:
    """Measure and print trials per second serially and on 1 and 2 worker processes.

    The 1- and 2-worker measurements alternate ``repeats`` times; on a shared machine other
    work slows some of them, so the median of each is the one reported (all are kept).
    """
    rates = [throughput(0, trials)]
    for _ in range(repeats):
        rates += [throughput(1, trials), throughput(2, trials)]
    median = {
        w: statistics.median(r["trials_per_second"] for r in rates if r["workers"] == w)
        for w in (0, 1, 2)
    }
    speedup = round(median[2] / median[1], 2)
    print("BRIGHT-sized replicate trials (STAND-IN: 2 runs x 436 patients x 26 weeks each)")
    for w, rate in median.items():
        label = f"{w} worker process(es)" if w else "serial, in-process"
        every = ", ".join(f"{x['trials_per_second']:.2f}" for x in rates if x["workers"] == w)
        print(f"  {label:24s} {rate:.2f} trials/s (median of {every})")
    print(f"  2 workers / 1 worker: {speedup:.2f}x")
    machine = control()
    print(
        f"  control, no sweep machinery: 2 independent processes / 1 = {machine['ratio']:.2f}x "
        f"({machine['one_process_runs_per_second']:.2f} runs/s alone)"
    )
    return {"throughput": rates, "median": median, "speedup_2_over_1": speedup, "control": machine}


def report_memory(runs: int) -> dict[str, Any]:
    """Measure and print peak memory of a sweep of ``runs`` and of ``10 x runs`` runs."""
    mem = memory(runs)
    for size in ("small", "large"):
        m = mem[size]
        print(
            f"  sweep of {m['runs']:,} runs: peak {m['peak_rss_mb']:.0f} MB "
            f"({m['seconds']:.0f} s; its tables would take {m['rows_in_memory_would_be_mb']} MB)"
        )
    print(f"  peak memory, 10x the runs: {mem['peak_ratio']:.2f}x")
    return mem


def main() -> None:
    """Run the benchmark and print a summary (and optionally JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=30, help="replicate trials per rate")
    parser.add_argument("--repeats", type=int, default=5, help="alternations of 1 and 2 workers")
    parser.add_argument("--memory-runs", type=int, default=200, help="runs of the small sweep")
    parser.add_argument("--skip", choices=("throughput", "memory"), help="leave one part out")
    parser.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--control-probe", type=float, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe)))
        return
    if args.control_probe:
        print(json.dumps(control_probe(*args.control_probe)))
        return
    result: dict[str, Any] = {}
    if args.skip != "throughput":
        result.update(report_throughput(args.trials, args.repeats))
    if args.skip != "memory":
        result["memory"] = report_memory(args.memory_runs)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
