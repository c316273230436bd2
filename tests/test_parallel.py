"""The process pool and its ordered map: order kept, memory bounded, one thread each, clean stop.

The jobs are module-level functions of this file, so the workers import this module.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
import tracemalloc

import pytest
from threadpoolctl import threadpool_info

from sim.parallel import (
    IN_FLIGHT_PER_WORKER,
    MIN_JOBS_FOR_POOL,
    batches,
    one_thread_each,
    ordered_map,
)
from sim.sweeps.execute import ProcessExecutor, SerialExecutor

HERE = __name__


def busy(seconds: float) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        pass


def square_where(x: int) -> tuple[int, int]:
    """``x * x`` and the process that computed it, after 0.2 s of work."""
    busy(0.2)
    return x * x, os.getpid()


def replicate_sum(replicates: range) -> int:
    """A cheap job standing for a batch of replicates."""
    return sum(replicates)


def replicate_sum_where(replicates: range) -> tuple[int, int]:
    """A batch of replicates taking a millisecond; its sum and the process that computed it."""
    time.sleep(0.001)
    return sum(replicates), os.getpid()


def threads_here(_: object) -> int:
    """The most threads any BLAS or OpenMP library, or numba, of this process may use."""
    import numba

    libraries = max((lib["num_threads"] for lib in threadpool_info()), default=1)
    return max(libraries, numba.get_num_threads())


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("job 3 failed")
    busy(0.05)
    return x


def test_results_come_in_job_order_and_the_workers_do_the_work():
    results = list(ordered_map(square_where, range(24), 2, HERE))
    assert [r[0] for r in results] == [x * x for x in range(24)], "expected job order"
    workers = {pid for _, pid in results} - {os.getpid()}
    assert workers, "expected worker processes to compute some jobs"


def test_too_few_jobs_to_repay_a_pool_run_in_this_process():
    results = list(ordered_map(square_where, range(MIN_JOBS_FOR_POOL - 1), 2, HERE))
    assert {pid for _, pid in results} == {os.getpid()}, "expected no worker started"


def test_queued_replicates_are_read_as_workers_free_up_and_memory_stays_flat():
    """20,000 replicates in 2,000 batches: jobs are taken lazily, so memory does not grow."""
    workers = 2
    taken = 0

    def jobs():
        nonlocal taken
        for batch in batches(20_000, 10):
            taken += 1
            yield batch

    lags, sizes, in_workers = [], [], 0
    gc.collect()
    tracemalloc.start()
    try:
        mapped = ordered_map(replicate_sum_where, jobs(), workers, HERE)
        for done, (total, pid) in enumerate(mapped, 1):
            assert total == sum(range((done - 1) * 10, done * 10))
            lags.append(taken - done)
            in_workers += pid != os.getpid()
            if done in (200, 1_900):
                gc.collect()
                sizes.append(tracemalloc.get_traced_memory()[0])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert done == 2_000
    assert in_workers > 1_000, f"expected most jobs on the workers, got {in_workers}"
    bound = IN_FLIGHT_PER_WORKER * workers + 1
    assert max(lags) <= bound, f"expected at most {bound} jobs taken ahead, got {max(lags)}"
    growth = sizes[1] - sizes[0]
    assert growth < 64_000, f"expected flat memory from job 200 to 1,900, grew {growth} bytes"
    assert peak < 4_000_000, f"expected a small peak for 20,000 replicates, got {peak} bytes"


def test_one_thread_each_in_this_process_and_in_every_worker():
    with one_thread_each():
        assert threads_here(None) == 1, "expected one BLAS/OpenMP/numba thread in this process"
    in_workers = list(ordered_map(threads_here, range(8), 2, HERE))
    assert set(in_workers) == {1}, f"expected one thread in every process, got {in_workers}"
    with ProcessExecutor(2) as executor:
        assert set(executor.imap_unordered(threads_here, range(4))) == {1}
    with SerialExecutor() as executor:
        assert list(executor.imap_unordered(threads_here, range(1))) == [1]


def test_a_failed_job_stops_the_pool_and_leaves_no_worker_behind():
    with pytest.raises(ValueError, match="job 3 failed"):
        list(ordered_map(fail_on_three, range(12), 2, HERE))
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == [], "expected every worker ended"


def test_an_executor_entered_twice_keeps_one_pool_until_the_outer_block_ends():
    executor = ProcessExecutor(2)
    with executor:
        pool = executor._pool
        with executor:
            assert executor._pool is pool, "expected the inner block to reuse the pool"
        assert executor._pool is pool, "expected the pool open until the outer block ends"
        assert sorted(executor.imap_unordered(replicate_sum, [range(3), range(4)])) == [3, 6]
    assert executor._pool is None
