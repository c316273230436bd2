"""Benchmark: sweep throughput on 1 and 2 workers, and peak memory as a sweep grows tenfold.

Throughput is counted in BRIGHT replicate trials per second, through the sweep engine with the
``"trial"`` task (:class:`sim.sweeps.trial_task.TrialTask`): a two-point grid over the BRIGHT call
guidance (``scenarios/bright.toml``), each run one whole replicate trial (``replicates_per_run =
1``): a 24-practice population of 456 patients built from the run's seed, usual care and
BRIGHT simulated for 26 weeks with common random numbers, 436 patients recruited, randomised,
followed up and analysed as BRIGHT was (statsmodels), the true population effects and the
baseline network statistics; :func:`sim.sweeps.run_sweep` stores every row (so storage and
progress are included). ``--per-run K`` puts K replicate trials in each run instead (simulated
as one stacked batch, as ``sim trial`` does).

The 1- and 2-worker measurements alternate (``--repeats``) and the median of each is reported,
since other work on a shared machine slows some of them. Rates are in steady state (from the
first result of each worker to the last, leaving out the one-off start of the worker processes)
and overall (wall time including start-up). A control runs the same trial task in one process
alone and in two independent processes at once, without any sweep machinery: the machine's own
scaling at the time.

Memory: each size runs in a fresh subprocess on the serial executor, so that the process's
peak resident set holds everything (the runs, the store and the consolidation) and nothing
else; a sweep of N runs is compared with one of 10 N runs. The runs are short model runs with
their time series kept (the engine's storage at its heaviest: many rows, weekly series), since
the memory of a run does not depend on the sweep's size; ``--memory-task trial`` uses small
trial-task runs (60 patients, 6 weeks) instead.

Usage:
    .venv/bin/python benchmarks/bench_sweep.py [--trials 30] [--per-run 1] [--repeats 5]
        [--memory-runs 200] [--memory-task model|trial] [--skip throughput|memory] [--json FILE]
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
BRIGHT = ROOT / "scenarios" / "bright.toml"
P_JOIN = "mechanisms.navigation.p_join"
GUIDANCE = "interventions.bright.calls.guidance"
#: A small trial for the trial-task memory probe: 40 patients randomised from 60, 6 weeks.
SMALL_TRIAL = {
    "population.n_practices": 2,
    "trial.patients_per_practice": 30,
    "trial.n_intervention": 20,
    "trial.n_control": 20,
    "trial.n_followup_self_report_intervention": 16,
    "trial.n_followup_self_report_control": 17,
    "trial.n_followup_bp_intervention": 18,
    "trial.n_followup_bp_control": 19,
    "trial.outcome_week": 6,
}


def trial_sweep(trials: int, per_run: int = 1):
    """``trials`` BRIGHT replicate trials: 2 call-guidance doses x runs of ``per_run`` trials."""
    from sim.config.scenario import load_scenario
    from sim.sweeps import make_sweep

    runs = max(1, -(-trials // (2 * per_run)))  # replicates per point, rounded up
    return make_sweep(
        load_scenario(BRIGHT),
        {GUIDANCE: [0.5, 1.0]},
        name="bench_trials",
        task="trial",
        trial={"replicates_per_run": per_run},
        replicates=runs,
        common_random_numbers=True,
        seed=2014,
    )


def trials_in(sweep: Any) -> int:
    """Replicate trials of a trial-task sweep."""
    from sim.sweeps import Design

    return len(Design(sweep)) * sweep.replicates * sweep.options["replicates_per_run"]


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


def throughput(workers: int, trials: int, per_run: int = 1) -> dict[str, Any]:
    """Trials per second on ``workers`` local processes (0: serially in this process)."""
    from sim.sweeps import ProcessExecutor, SerialExecutor, run_sweep

    executor = Timed(ProcessExecutor(workers) if workers else SerialExecutor())
    sweep = trial_sweep(trials, per_run)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        summary = run_sweep(sweep, Path(out), executor, progress=False)
        wall = time.perf_counter() - start
    assert summary.done == summary.total, summary
    first = max(1, workers)
    steady = executor.times[-1] - executor.times[first - 1]
    runs = len(executor.times) - first
    return {
        "workers": workers,
        "trials": trials_in(sweep),
        "wall_seconds": round(wall, 2),
        "trials_per_second": round(runs * per_run / steady, 3),
        "trials_per_second_overall": round(trials_in(sweep) / wall, 3),
    }


def control_probe(start_at: float, seconds: float, per_run: int = 1) -> dict[str, Any]:
    """Run the trial task back to back in this process from ``start_at`` for ``seconds``."""
    from sim.sweeps import Design, run_scenario_of

    sweep = trial_sweep(2, per_run)
    scenario = run_scenario_of(sweep, Design(sweep), "p000001-r000")
    task, setup = sweep.run_task, sweep.setup
    task.run(scenario, 0, setup)  # imports and warm-up
    time.sleep(max(0.0, start_at - time.time()))
    runs, begin = 0, time.perf_counter()
    while time.perf_counter() - begin < seconds:
        task.run(scenario, runs, setup)
        runs += 1
    return {"trials_per_second": runs * per_run / (time.perf_counter() - begin)}


def control(seconds: float = 15.0, per_run: int = 1) -> dict[str, Any]:
    """The machine's own scaling: one process alone, then two independent processes at once.

    No sweep machinery is involved, so the ratio bounds what any executor could reach here.
    """
    rates = {}
    for n in (1, 2):
        start_at = time.time() + 20.0  # time for every process to import and warm up
        probes = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--control-probe",
                    str(start_at),
                    str(seconds),
                    "--per-run",
                    str(per_run),
                ],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for _ in range(n)
        ]
        rates[n] = sum(json.loads(p.communicate()[0])["trials_per_second"] for p in probes)
    return {
        "one_process_trials_per_second": round(rates[1], 3),
        "two_processes_trials_per_second": round(rates[2], 3),
        "ratio": round(rates[2] / rates[1], 2),
    }


def memory_probe(runs: int, task: str = "model") -> dict[str, Any]:
    """Run a sweep of ``runs`` small runs serially; report this process's peak memory."""
    import pyarrow.parquet as pq

    from sim.config.scenario import load_scenario
    from sim.sweeps import SerialExecutor, make_sweep, run_sweep

    points = runs // 10
    if task == "trial":
        sweep = make_sweep(
            load_scenario(BRIGHT),
            {GUIDANCE: {"low": 0.2, "high": 1.0, "n": points}},
            name="bench_memory",
            task="trial",
            fixed=SMALL_TRIAL,
            replicates=10,
        )
    else:
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
    tables = ("results.parquet", "timeseries.parquet") if sweep.timeseries else ("results.parquet",)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        summary = run_sweep(sweep, Path(out), SerialExecutor(), progress=False, rows_per_part=64)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        held = sum(  # uncompressed size of the tables, read from their footers only
            pq.ParquetFile(summary.folder / name).metadata.row_group(i).total_byte_size
            for name in tables
            for i in range(pq.ParquetFile(summary.folder / name).metadata.num_row_groups)
        )
    assert summary.done == runs, summary
    return {
        "runs": runs,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak, 1),
        "rows_in_memory_would_be_mb": round(held / 2**20, 2),
    }


def memory(runs: int, task: str = "model") -> dict[str, Any]:
    """Probe ``runs`` and ``10 x runs`` in fresh subprocesses."""
    out = {}
    for n in (runs, 10 * runs):
        probe = subprocess.run(
            [sys.executable, __file__, "--memory-probe", str(n), "--memory-task", task],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        out[n] = json.loads(probe.stdout.strip().splitlines()[-1])
    small, large = out[runs], out[10 * runs]
    return {
        "task": task,
        "small": small,
        "large": large,
        "peak_ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
    }


def report_throughput(trials: int, repeats: int, per_run: int = 1) -> dict[str, Any]:
    """Measure and print trials per second serially and on 1 and 2 worker processes.

    The 1- and 2-worker measurements alternate ``repeats`` times; on a shared machine other
    work slows some of them, so the median of each is the one reported (all are kept).
    """
    rates = [throughput(0, trials, per_run)]
    for _ in range(repeats):
        rates += [throughput(1, trials, per_run), throughput(2, trials, per_run)]
    median = {
        w: statistics.median(r["trials_per_second"] for r in rates if r["workers"] == w)
        for w in (0, 1, 2)
    }
    speedup = round(median[2] / median[1], 2)
    print(
        f"BRIGHT replicate trials through the sweep engine (task 'trial', {per_run} per run: "
        "456 patients x 26 weeks x 2 arms, 436 randomised and analysed)"
    )
    for w, rate in median.items():
        label = f"{w} worker process(es)" if w else "serial, in-process"
        every = ", ".join(f"{x['trials_per_second']:.2f}" for x in rates if x["workers"] == w)
        print(f"  {label:24s} {rate:.2f} trials/s (median of {every})")
    print(f"  2 workers / 1 worker: {speedup:.2f}x")
    machine = control(per_run=per_run)
    print(
        f"  control, no sweep machinery: 2 independent processes / 1 = {machine['ratio']:.2f}x "
        f"({machine['one_process_trials_per_second']:.2f} trials/s alone)"
    )
    return {"throughput": rates, "median": median, "speedup_2_over_1": speedup, "control": machine}


def report_memory(runs: int, task: str = "model") -> dict[str, Any]:
    """Measure and print peak memory of a sweep of ``runs`` and of ``10 x runs`` runs."""
    mem = memory(runs, task)
    print(f"Peak memory (serial, task {task!r})")
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
    parser.add_argument("--per-run", type=int, default=1, help="replicate trials per sweep run")
    parser.add_argument(
        "--memory-task", choices=("model", "trial"), default="model", help="runs of memory probe"
    )
    parser.add_argument("--repeats", type=int, default=5, help="alternations of 1 and 2 workers")
    parser.add_argument("--memory-runs", type=int, default=200, help="runs of the small sweep")
    parser.add_argument("--skip", choices=("throughput", "memory"), help="leave one part out")
    parser.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--control-probe", type=float, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.memory_task)))
        return
    if args.control_probe:
        print(json.dumps(control_probe(*args.control_probe, per_run=args.per_run)))
        return
    result: dict[str, Any] = {}
    if args.skip != "throughput":
        result.update(report_throughput(args.trials, args.repeats, args.per_run))
    if args.skip != "memory":
        result["memory"] = report_memory(args.memory_runs, args.memory_task)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
