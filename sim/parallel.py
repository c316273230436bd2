"""Run independent jobs in worker processes and get their results back in job order.

Used by virtual trials (:mod:`sim.trial.replicates`) and mechanism attribution
(:mod:`sim.attribution.attribution_run`): each job is a batch of replicate trials, so results depend
on the jobs, never on how many workers ran them.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor


def batches(replicates: int, batch_size: int) -> list[range]:
    """Replicate numbers ``0 .. replicates - 1`` cut into batches of ``batch_size``."""
    return [
        range(start, min(start + batch_size, replicates))
        for start in range(0, replicates, batch_size)
    ]


def ordered_map[T, R](
    job: Callable[[T], R], jobs: Iterable[T], workers: int, preload: str
) -> Iterator[R]:
    """``job(j)`` for every ``j``, in order, on up to ``workers`` processes.

    Args:
        job: A module-level function (it is pickled to the workers).
        jobs: The jobs' arguments (picklable).
        workers: Worker processes; 1 runs everything in this process.
        preload: The module the workers import once (the one defining ``job``).
    """
    jobs = list(jobs)
    if workers <= 1 or len(jobs) <= 1:
        yield from map(job, jobs)
        return
    # forkserver: workers fork from a clean single-threaded server that has imported ``preload``
    # once (fork from a threaded parent can deadlock; spawn re-imports in every worker)
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([preload])
    else:
        context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        yield from pool.map(job, jobs)
