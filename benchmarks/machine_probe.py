"""What the machine itself gives a second thread, measured beside the model's steps.

On a shared machine (a virtual machine whose processors the host also lends to others) the
speed-up a second thread can give changes from minute to minute. So that a benchmark run can be
read against what the machine allowed while it ran, :func:`probe_seconds` times two passes with
nothing of the model in them; the benchmark runs them on 1 and on 2 (or more) threads right before
each step it times on that many threads, and reports the median of the weekly ratios as it does
for the steps:

* **compute**: a fixed amount of integer arithmetic per item (a splitmix64 chain), no memory
  traffic; ideally 2x on 2 threads;
* **memory**: the sum of a large array the model already holds (read once, from main memory); its
  speed-up shows how much more memory bandwidth two cores get than one.

Both take chunks of items from a shared counter, as the model's passes do
(:func:`sim.dynamics.segments.take_chunks`), so a slowed processor does less of the work instead
of holding the pass up. The model's step sits between the two: most of its passes read large
arrays and do some arithmetic on each item.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit, prange

from sim.dynamics.segments import CHUNK, TAKERS, following_chunk, take_chunks

#: Items of the compute pass and rounds of arithmetic per item (about 50 ms on one core).
COMPUTE_ITEMS = 1 << 20
COMPUTE_ROUNDS = 16


@njit(cache=True, parallel=True)
def compute_pass(out: np.ndarray, rounds: int) -> None:
    """``rounds`` splitmix64 steps per item, written to ``out`` (uint64)."""
    n_chunks, counter = (len(out) + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # threads take chunks as they go, as the model's passes do
        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            for i in range(c * CHUNK, min(len(out), (c + 1) * CHUNK)):
                z = np.uint64(i)
                for _round in range(rounds):
                    z += np.uint64(0x9E3779B97F4A7C15)
                    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
                    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
                    z ^= z >> np.uint64(31)
                out[i] = z
            c, stop = following_chunk(counter, c, stop, n_chunks)


@njit(cache=True, parallel=True)
def memory_pass(values: np.ndarray, sums: np.ndarray) -> None:
    """The sum of each chunk of ``values`` (float64, read once) into ``sums``."""
    n_chunks, counter = len(sums), np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # threads take chunks as they go, as the model's passes do
        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            total = 0.0
            for i in range(c * CHUNK, min(len(values), (c + 1) * CHUNK)):
                total += values[i]
            sums[c] = total
            c, stop = following_chunk(counter, c, stop, n_chunks)


def probe_seconds(out: np.ndarray, values: np.ndarray, sums: np.ndarray) -> tuple[float, float]:
    """Seconds of the compute pass (into ``out``) and of the memory pass (over ``values``).

    Run on the number of threads in force (:func:`sim.parallel.numba_threads`).

    Args:
        out: Working space of the compute pass (uint64, :data:`COMPUTE_ITEMS` long).
        values: A large float64 array to read: one the process already holds, so that the probe
            adds nothing to its peak memory.
        sums: Working space of the memory pass (float64, one per chunk of
            :data:`~sim.dynamics.segments.CHUNK` values).
    """
    start = time.perf_counter()
    compute_pass(out, COMPUTE_ROUNDS)
    middle = time.perf_counter()
    memory_pass(values, sums)
    return middle - start, time.perf_counter() - middle
