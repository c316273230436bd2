"""Benchmark a virtual trial: cost per replicate by batch size, and the 2-worker speed-up.

Batch sizes (``--skip speedup`` to run only this): replicate trials of the scenario timed in
one process for batch sizes 1, 5, 10 and 20 (simulation covers the replicate's share of its
batch's warm-up, ``run.warmup_weeks`` of usual care run once per batch and shared by both arms,
and both arms, 456 patients of whom 436 are recruited, 26 weeks; analysis the statsmodels fits
of one replicate and its share of the whole-population truth), then the primary and subgroup
analyses of one replicate apart.

Speed-up (``--skip batch`` to run only this): each measurement is a fresh process that does what
``sim trial`` does up to the results: import the package, load the scenario, start the fork
server (with 2 workers, if the trial has enough batches to use them), import the rest and run
:func:`sim.trial.replicates.run_replicates`; it is timed from before the imports to the results,
so the workers' start, every batch and the analyses are included, and writing the run folder
(the same work whatever the workers) is not. For each number of replicates
(``--sizes``) 1 and 2 workers alternate ``--repeats`` times (the order swapped each time, so that
drift in the machine's load falls on both); the report gives the median seconds of each, the
ratio of the medians and the range of the ratios of the pairs, the peak memory of the main
process, and the machine's load average before and after (the machine may be shared).

On a shared machine the wall times say little: with the kernel's autogroup scheduling (Linux's
default for desktop sessions) every session gets an equal share of the cores, however many
processes it runs, so two workers cannot beat one while other sessions keep the cores busy. The
report therefore also gives an estimate that other sessions do not change: the CPU seconds along
the longest chain of work (this process alone, or the fork server's imports followed by the
busiest worker), which is about the wall time on an idle machine, and the CPU seconds of all
processes with 2 workers against 1 (the cost of parallel work). CPU time is read with psutil.

Usage:
    .venv/bin/python benchmarks/bench_trial.py [--scenario FILE] [--sizes 20 200]
        [--repeats 3] [--skip batch|speedup] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIGHT = ROOT / "scenarios" / "bright.toml"


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


def batch_sizes(path: Path, n: int = 20) -> None:
    """Print the cost per replicate for several batch sizes, in this process, one worker."""
    from sim.config.scenario import load_scenario
    from sim.trial.replicates import run_replicates

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


class CpuWatch:
    """CPU seconds of this process and of its descendants (fork server, workers), sampled.

    The machine's other sessions slow every process here alike, but not their CPU seconds: on
    an idle machine, the wall time is about the CPU time along the longest chain of work.
    """

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self._cpu: dict[int, tuple[str, float]] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        for process in self._me.children(recursive=True):
            try:
                times = process.cpu_times()
                server = "forkserver" in " ".join(process.cmdline())
                if process.ppid() != self._me.pid:
                    role = "worker"  # forked by the server
                else:
                    role = "server" if server else "other"  # other: the resource tracker
            except psutil.Error:  # ended since it was listed
                continue
            self._cpu[process.pid] = (role, times.user + times.system)

    def _watch(self) -> None:
        while not self._done.wait(0.2):
            self._sample()

    def stop(self) -> dict[str, float]:
        """Stop sampling; return CPU seconds: this process, the server, the busiest worker, all."""
        self._sample()
        self._done.set()
        self._thread.join()
        mine = self._me.cpu_times()
        main = mine.user + mine.system
        server = sum(c for role, c in self._cpu.values() if role == "server")
        workers = [c for role, c in self._cpu.values() if role == "worker"]
        others = sum(c for role, c in self._cpu.values() if role == "other")
        return {
            "cpu_main": main,
            "cpu_server": server,
            "cpu_busiest_worker": max(workers, default=0.0),
            "cpu_all": main + server + sum(workers) + others,
            # the longest chain: this process alone, or the server's imports then a worker
            "cpu_chain": max(main, server + max(workers, default=0.0)),
        }


def probe(path: Path, replicates: int, workers: int) -> None:
    """One measurement, in this fresh process, as ``sim trial`` does it; print JSON.

    ``seconds``: from before the package is imported to the trial's results;
    ``run_seconds``: the :func:`run_replicates` call alone; ``peak_mb``: this process's peak;
    CPU seconds as :class:`CpuWatch` gives them.
    """
    started = time.perf_counter()
    watch = CpuWatch()
    from sim.config.scenario import load_scenario
    from sim.parallel import start_fork_server, uses_pool
    from sim.trial.design import TrialDesign

    scenario = load_scenario(path)
    if uses_pool(-(-replicates // TrialDesign.of(scenario).batch_size), workers):
        start_fork_server(["sim.trial.replicates"])
    from sim.trial.replicates import run_replicates

    running = time.perf_counter()
    run_replicates(scenario, replicates=replicates, workers=workers)
    finished = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"seconds": finished - started, "run_seconds": finished - running}
    print(json.dumps({**figures, "peak_mb": peak_mb, **watch.stop()}))


def measure(path: Path, replicates: int, workers: int) -> dict[str, float]:
    """Run :func:`probe` in a fresh process."""
    args = [sys.executable, __file__, "--scenario", str(path), "--probe", str(replicates)]
    result = subprocess.run(
        [*args, str(workers)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def speedup(path: Path, sizes: list[int], repeats: int) -> dict[str, object]:
    """Alternate 1 and 2 workers for each size; print and return the figures."""
    report: dict[str, object] = {"load_before": os.getloadavg(), "cpus": os.cpu_count()}
    print(f"machine: {os.cpu_count()} cores, load average before {_load()}")
    print(
        "replicates | 1 worker s (median) | 2 workers s (median) | speed-up | pair range | "
        "idle estimate (longest CPU chain) | CPU, 2 workers / 1"
    )
    for n in sizes:
        runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        for repeat in range(repeats):
            for workers in (1, 2) if repeat % 2 == 0 else (2, 1):
                runs[workers].append(measure(path, n, workers))
        times = {w: [r["seconds"] for r in runs[w]] for w in runs}
        one, two = statistics.median(times[1]), statistics.median(times[2])
        pairs = [a / b for a, b in zip(times[1], times[2], strict=True)]
        chain = {w: statistics.median(r["cpu_chain"] for r in runs[w]) for w in runs}
        cpu = {w: statistics.median(r["cpu_all"] for r in runs[w]) for w in runs}
        print(
            f"{n:10d} | {one:19.2f} | {two:20.2f} | {one / two:7.2f}x | "
            f"{min(pairs):.2f}-{max(pairs):.2f}x | {chain[1] / chain[2]:.2f}x "
            f"({chain[1]:.1f} / {chain[2]:.1f} CPU s) | {cpu[2] / cpu[1]:.2f}x"
        )
        report[str(n)] = {"runs": runs, "speedup": one / two, "pairs": pairs}
    report["load_after"] = os.getloadavg()
    print(f"load average after {_load()}; peak memory of the main process (MB): ", end="")
    peaks = (max(r["peak_mb"] for r in report[str(n)]["runs"][2]) for n in sizes)
    print(", ".join(f"{n}: {peak:.0f}" for n, peak in zip(sizes, peaks, strict=True)))
    return report


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=BRIGHT)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--repeats", type=int, default=3, help="alternations of 1 and 2 workers")
    parser.add_argument("--skip", choices=("batch", "speedup"), help="leave one part out")
    parser.add_argument("--json", type=Path, help="also write the speed-up figures here")
    parser.add_argument("--probe", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.scenario, *args.probe)
        return
    if args.skip != "batch":
        batch_sizes(args.scenario)
    if args.skip != "speedup":
        report = speedup(args.scenario, args.sizes, args.repeats)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
