"""The one process pool of the package, and an ordered map on it that keeps memory bounded.

Used by virtual trials (:mod:`sim.trial.replicates`) and mechanism attribution
(:mod:`sim.attribution.attribution_run`) through :func:`ordered_map`, and by sweeps and
calibration through :class:`sim.sweeps.execute.ProcessExecutor`, which opens its pool with
:func:`process_pool`.

- Workers fork from a fork server that has imported the job's module once (spawned where there
  is no fork server), so they start in milliseconds and hold no locks or threads of this process.
- Every process, this one included, runs one BLAS, one OpenMP and one numba thread
  (:func:`one_thread_each`): processes, not threads, share the cores, and a thread pool per
  process on every core makes two workers slower than one. A single run (``sim run``) uses
  numba threads instead (:func:`numba_threads`); its results do not depend on their number.
- Jobs are taken from their iterable as workers free up (at most two per worker in flight), so
  memory does not grow with the number of jobs.
- The fork server takes seconds to import the model; :func:`ordered_map` runs jobs in this
  process meanwhile, and runs a map too small to repay a pool here alone.
- Workers leave Ctrl-C, SIGTERM's cleanup and SIGHUP to this process, which stops them; a worker
  whose main process has died exits within a second.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

from sim.io.cleanup import SIGNALS, process_alive

#: Fewer jobs than this run in this process: a pool's start is not paid back.
MIN_JOBS_FOR_POOL = 3
#: Jobs in flight per worker: one running, one waiting, so that no worker waits for the next.
IN_FLIGHT_PER_WORKER = 2
#: Seconds to wait, when stopping, for a worker being started to be recorded (then ended).
STARTER_TIMEOUT = 60.0


def batches(replicates: int, batch_size: int) -> list[range]:
    """Replicate numbers ``0 .. replicates - 1`` cut into batches of ``batch_size``."""
    return [
        range(start, min(start + batch_size, replicates))
        for start in range(0, replicates, batch_size)
    ]


@contextmanager
def numba_threads(threads: int) -> Iterator[None]:
    """Within the block, the compiled passes of this thread run on ``threads`` numba threads.

    Raises:
        ValueError: If ``threads`` is below 1 or above numba's pool (``NUMBA_NUM_THREADS``,
            by default the number of cores).
    """
    import numba

    if not 1 <= threads <= numba.config.NUMBA_NUM_THREADS:
        raise ValueError(f"threads must be in [1, {numba.config.NUMBA_NUM_THREADS}], got {threads}")
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


@contextmanager
def one_thread_each() -> Iterator[None]:
    """Within the block, this process runs one BLAS, one OpenMP and one numba thread."""
    with numba_threads(1), threadpool_limits(limits=1):  # numba first: it may load OpenMP
        yield


def _start_worker(main_pid: int) -> None:
    """Set up a worker: one thread each; signals left to the main process; exit if it dies."""
    import numba

    numba.set_num_threads(1)  # first: numba's threading layer may load OpenMP
    threadpool_limits(limits=1)  # for the worker's life
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)

    def watch() -> None:
        while process_alive(main_pid):
            time.sleep(1.0)
        os._exit(1)

    if os.name == "posix":
        threading.Thread(target=watch, name="main-process-watchdog", daemon=True).start()


def _on_one_thread[T, R](job: Callable[[T], R], task: T) -> R:
    """``job(task)`` on one numba thread.

    Numba's thread count is set per thread; the count set where the worker starts does not
    always hold in the thread that runs the jobs.
    """
    import numba

    numba.set_num_threads(1)
    return job(task)


def _ready(_: object) -> bool:
    """A job that does nothing: its result says that a worker has started."""
    return True


def _context(preload: Iterable[str]) -> multiprocessing.context.BaseContext:
    """The fork server's context (preloading ``preload``), or spawn where there is none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(dict.fromkeys(preload)))
    return context


def uses_pool(jobs: int, workers: int | None) -> bool:
    """Whether :func:`ordered_map` will start workers for ``jobs`` jobs (``None``: every core)."""
    return (workers is None or workers > 1) and jobs >= MIN_JOBS_FOR_POOL


def start_fork_server(preload: Iterable[str]) -> None:
    """Start the fork server now, so that it imports ``preload`` while this process works on.

    A verb that will run a pool calls this first thing (``sim trial``, ``sim attribute``): the
    server's imports then overlap this process's own, and the first worker starts at once.
    """
    context = _context(preload)
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class WorkerPool:
    """Worker processes forked from a server that has imported ``preload`` once.

    The fork server imports the preloaded modules before it forks the first worker (seconds), so
    the first worker is started from a background thread: this process can work meanwhile
    (:meth:`ready` says when a worker is there). Jobs go in through :meth:`submit`.

    Args:
        workers: Worker processes.
        preload: Modules the fork server imports once (those defining the jobs).
    """

    def __init__(self, workers: int, preload: Iterable[str]) -> None:
        self.executor = ProcessPoolExecutor(
            workers,
            mp_context=_context(preload),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        self._first: list[Future | BaseException] = []
        self._starter = threading.Thread(target=self._start, name="pool-starter", daemon=True)
        self._starter.start()

    def _start(self) -> None:
        try:
            self._first.append(self._submit(_ready, None))
        except BaseException as exc:  # handed to the main thread by ready() or submit()
            self._first.append(exc)

    def _started(self) -> Future:
        """The first worker's start (waiting for the starter thread if need be)."""
        self._starter.join()
        first = self._first[0]
        if isinstance(first, BaseException):
            raise first
        return first

    def ready(self) -> bool:
        """Whether a worker has started (without waiting)."""
        return not self._starter.is_alive() and self._started().done()

    def submit[T, R](self, job: Callable[[T], R], task: T) -> Future:
        """Queue ``job(task)`` (after the first worker's start has been asked for)."""
        self._started()
        return self._submit(job, task)

    def _submit[T, R](self, job: Callable[[T], R], task: T) -> Future:
        """Submit with Ctrl-C, SIGTERM and SIGHUP held: a worker it starts is always recorded."""
        if not hasattr(signal, "pthread_sigmask"):
            return self.executor.submit(_on_one_thread, job, task)
        held = {signal.SIGINT, *SIGNALS}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            return self.executor.submit(_on_one_thread, job, task)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def close(self) -> None:
        """Wait for the jobs, then end the workers."""
        self._starter.join()
        self.executor.shutdown(wait=True)

    def stop(self) -> None:
        """Cancel the waiting jobs and end the workers now."""
        self._starter.join(timeout=STARTER_TIMEOUT)  # a worker being started is recorded first
        terminate = getattr(self.executor, "terminate_workers", None)  # Python >= 3.14
        if terminate is not None:
            terminate()
            return
        # the workers, taken before shutdown() forgets them
        workers = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()


@contextmanager
def process_pool(workers: int, preload: Iterable[str]) -> Iterator[WorkerPool]:
    """A :class:`WorkerPool` for the block.

    On leaving the block normally the pool waits for its jobs; on an exception (Ctrl-C, SIGTERM,
    a failed job) it cancels the waiting jobs and stops the running ones at once.
    """
    pool = WorkerPool(workers, preload)
    try:
        yield pool
    except BaseException:
        pool.stop()
        raise
    pool.close()


def ordered_map[T, R](
    job: Callable[[T], R], jobs: Iterable[T], workers: int, preload: str
) -> Iterator[R]:
    """``job(j)`` for every ``j``, in order, on up to ``workers`` processes.

    Jobs are read from ``jobs`` only as they are started, and at most
    :data:`IN_FLIGHT_PER_WORKER` per worker wait for a worker, so memory stays flat however
    many there are. While the pool starts, this process runs jobs itself; fewer than
    :data:`MIN_JOBS_FOR_POOL` jobs all run here.

    Args:
        job: A module-level function (it is pickled to the workers).
        jobs: The jobs' arguments (picklable), read lazily.
        workers: Worker processes; 1 runs everything in this process.
        preload: The module the workers import once (the one defining ``job``).
    """
    jobs = iter(jobs)
    with one_thread_each():
        head = list(itertools.islice(jobs, MIN_JOBS_FOR_POOL)) if workers > 1 else []
        if len(head) < MIN_JOBS_FOR_POOL:
            yield from map(job, itertools.chain(head, jobs))
            return
        with process_pool(workers, [preload]) as pool:
            yield from _shared_map(job, enumerate(itertools.chain(head, jobs)), pool, workers)


def _shared_map[T, R](
    job: Callable[[T], R], jobs: Iterator[tuple[int, T]], pool: WorkerPool, workers: int
) -> Iterator[R]:
    """Yield results in job order; this process runs jobs until a worker has started."""
    pending: dict[int, Future] = {}
    finished: dict[int, R] = {}
    following = 0  # the job whose result is yielded next
    exhausted = False
    while True:
        if following in finished:
            yield finished.pop(following)
            following += 1
            continue
        if not exhausted and pool.ready():
            while len(pending) < IN_FLIGHT_PER_WORKER * workers:
                index, task = next(jobs, (-1, None))
                if index < 0:
                    exhausted = True
                    break
                pending[index] = pool.submit(job, task)
        if following in pending:
            wait([pending[following]])
            finished[following] = pending.pop(following).result()
            continue
        index, task = next(jobs, (-1, None)) if not exhausted else (-1, None)
        if index < 0:  # no job left: every result has been yielded
            return
        finished[index] = job(task)  # no worker yet: run the job here
