"""Executors: run a sweep's tasks in this process, on local processes or on a Dask cluster.

Every executor has one method that matters, :meth:`imap_unordered`: it keeps a bounded number of
tasks in flight (so a sweep of a million runs never queues a million futures) and yields each
result as it finishes. Results are the same whatever the executor: each run depends only on its
own seed, and the store sorts rows by run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from typing import Any, Protocol, TypeVar

from sim.parallel import IN_FLIGHT_PER_WORKER, WorkerPool, one_thread_each, process_pool

T = TypeVar("T")
R = TypeVar("R")

#: Modules the fork server imports once, so that each worker starts in milliseconds.
PRELOAD = ["sim.sweeps.runs", "sim.model"]


class ExecutorError(RuntimeError):
    """The executor could not run the tasks (finished runs are kept)."""


class WorkerLostError(ExecutorError):
    """A worker process died (killed, or out of memory); finished runs are kept."""


class Executor(Protocol):
    """What the sweep runner needs of an executor."""

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def imap_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for every task, in the order they finish."""
        ...

    def describe(self) -> dict[str, Any]:
        """What ran the sweep, for provenance."""
        ...


class _Reentrant:
    """An executor's ``with`` blocks: the outermost opens its resources, the others reuse them.

    (Calibration holds one executor open around the sweeps of all its waves, and each sweep
    enters it again.)
    """

    _depth = 0
    _stack: ExitStack | None = None

    def _open(self, stack: ExitStack) -> None:
        """Enter the resources of the outermost block on ``stack``."""
        stack.enter_context(one_thread_each())

    def __enter__(self):
        if self._depth == 0:
            self._stack = ExitStack()
            self._open(self._stack)
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._stack is not None:
            stack, self._stack = self._stack, None
            stack.__exit__(*exc)


class SerialExecutor(_Reentrant):
    """Run every task in this process, one after another (one BLAS and OpenMP thread)."""

    workers = 1

    def imap_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for every task, in order."""
        for task in tasks:
            yield fn(task)

    def describe(self) -> dict[str, Any]:
        """What ran the sweep."""
        return {"executor": "serial", "workers": 1}


class ProcessExecutor(_Reentrant):
    """Run tasks on local worker processes (the pool of :func:`sim.parallel.process_pool`).

    Workers are forked from a fork server that has imported the model once (or spawned where
    there is no fork server), so they hold no locks or threads of the main process; every
    process runs one BLAS and one OpenMP thread.

    Args:
        workers: Number of processes (default: all cores).
        preload: More modules for the fork server to import once (besides :data:`PRELOAD`);
            :func:`sim.sweeps.run_sweep` adds those its task names.
    """

    def __init__(self, workers: int | None = None, preload: tuple[str, ...] = ()) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.preload = list(preload)
        self._pool: WorkerPool | None = None

    def _open(self, stack: ExitStack) -> None:
        super()._open(stack)
        self._pool = stack.enter_context(process_pool(self.workers, PRELOAD + self.preload))
        stack.callback(setattr, self, "_pool", None)

    def imap_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` as tasks finish, with at most two tasks per worker in flight."""
        assert self._pool is not None, "use the executor in a with block"
        pending: set[Future] = set()
        queue = iter(tasks)
        window = IN_FLIGHT_PER_WORKER * self.workers
        try:
            while True:
                while len(pending) < window and (task := next(queue, None)) is not None:
                    pending.add(self._pool.submit(fn, task))
                if not pending:
                    return
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        except BrokenProcessPool as exc:
            raise WorkerLostError(
                "a worker process died (killed, or out of memory?); finished runs are saved: "
                "run the same command again to resume"
            ) from exc

    def describe(self) -> dict[str, Any]:
        """What ran the sweep."""
        return {"executor": "processes", "workers": self.workers}


class DaskExecutor:
    """Run tasks on a Dask distributed cluster: an existing scheduler, or a local cluster.

    Dask's nannies start each worker process with one BLAS and one OpenMP thread
    (``distributed.nanny.pre-spawn-environ``), as :mod:`sim.parallel` does for its own workers.

    Args:
        address: Scheduler address (e.g. ``tcp://10.0.0.5:8786``); None starts a local cluster.
        n_workers: Workers of the local cluster (default: all cores).
        processes: Local cluster workers are processes (True) or threads in this process.
    """

    def __init__(
        self, address: str | None = None, n_workers: int | None = None, processes: bool = True
    ) -> None:
        self.address = address
        self.n_workers = n_workers or os.cpu_count() or 1
        self.processes = processes
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskExecutor:
        from distributed import Client, LocalCluster

        if self.address is None:
            self._cluster = LocalCluster(
                n_workers=self.n_workers,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(self.address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}"
                ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        for resource in (self._client, self._cluster):
            if resource is not None:
                resource.close()
        self._client = self._cluster = None

    @property
    def workers(self) -> int:
        """Threads across the cluster's workers."""
        return max(1, sum(self._client.nthreads().values())) if self._client else self.n_workers

    def imap_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` as tasks finish, with at most two tasks per worker thread queued."""
        from distributed import as_completed

        assert self._client is not None, "use the executor in a with block"
        prefix = f"sim-sweep-{uuid.uuid4().hex[:8]}"
        queue = iter(tasks)
        counter = 0

        def submit(task: T) -> Future:
            nonlocal counter
            counter += 1
            return self._client.submit(fn, task, pure=False, key=f"{prefix}-{counter}")

        futures = as_completed()
        for _ in range(2 * self.workers):
            if (task := next(queue, None)) is None:
                break
            futures.add(submit(task))
        for future in futures:
            result = future.result()
            future.release()
            if (task := next(queue, None)) is not None:
                futures.add(submit(task))
            yield result

    def describe(self) -> dict[str, Any]:
        """What ran the sweep."""
        where = self.address or f"local cluster ({'processes' if self.processes else 'threads'})"
        return {"executor": "dask", "scheduler": where, "workers": self.workers}


def make_executor(
    workers: int | None = None, scheduler: str | None = None, dask_local: int | None = None
) -> SerialExecutor | ProcessExecutor | DaskExecutor:
    """The executor the command line asks for (default: local processes on all cores)."""
    if scheduler is not None:
        return DaskExecutor(address=scheduler)
    if dask_local is not None:
        return DaskExecutor(n_workers=dask_local)
    workers = workers or os.cpu_count() or 1
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
