"""Operations over contiguous per-patient blocks of tie slots (a CSR layout).

Slots are stored patient by patient; ``starts[i]`` is the first slot of patient ``i`` and every
block is non-empty (each patient has room for new ties). A per-patient sum over slots is the
product of a sparse (patient x slot) indicator matrix with a vector; :class:`Blocks` computes it
with a compiled loop over each block (the same additions in the same order as the sparse
product, without reading an index and a weight per slot).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit
from numba.core import cgutils, types
from numba.core.extending import intrinsic
from scipy import sparse

#: Patients per chunk of the parallel passes (numba ``prange`` over chunks; a chunk's patients run
#: in order on one thread). The numbers never depend on it or on the number of threads.
CHUNK = 256


@njit(cache=True, inline="always")
def chunk_bounds(chunk: int, n: int) -> tuple[np.uint64, np.uint64]:
    """First and one-past-last patient of chunk ``chunk`` of ``n``, as unsigned integers.

    A loop over them indexes the patients' arrays with an unsigned index, which needs no check
    for negative (wrap-around) indexing on every access (as :func:`unsigned`).
    """
    return np.uint64(chunk * CHUNK), np.uint64(min(n, (chunk + 1) * CHUNK))


#: Iterations of each parallel pass's ``prange``: each takes chunks from a shared counter
#: (:func:`next_chunk`) until none are left, so up to this many threads share a pass. (A constant,
#: not the number of threads: numba cannot cache a kernel that asks for that.)
TAKERS = 256


@intrinsic
def next_chunk(typingctx: object, counter: types.Array) -> tuple[types.Type, Callable]:
    """The next chunk for a thread to take: ``counter[0]``, incremented atomically (int64).

    The parallel passes run ``prange(TAKERS)``, each iteration taking chunks from a shared
    counter until none are left, instead of an equal share of the chunks given out in advance.
    A thread slowed down (on a shared machine, another program on its core) then takes fewer
    chunks instead of holding the others up at the end of every pass. Each chunk writes only its
    own patients' numbers (and per-chunk lists, gathered in chunk order afterwards), so which
    thread takes which chunk changes no number. Callable only from compiled code.
    """
    signature = types.int64(counter)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        array_type = sig.args[0]
        array = context.make_array(array_type)(context, builder, args[0])
        zero = context.get_constant(types.intp, 0)
        pointer = cgutils.get_item_pointer(context, builder, array_type, array, [zero])
        one = context.get_constant(types.int64, 1)
        return builder.atomic_rmw("add", pointer, one, "monotonic")

    return signature, codegen


#: Chunks a thread takes at a time (:func:`take_chunks`): enough patients for the memory
#: prefetchers to follow each array, and still a few hundred takes in a large run.
GRAB = 16


@njit(cache=True, inline="always")
def take_chunks(counter: np.ndarray, n_chunks: int) -> tuple[int, int]:
    """The next group of :data:`GRAB` chunks for a thread: its first and one-past-last chunk.

    Empty (first at or past last) once every chunk of ``n_chunks`` has been taken.
    """
    first = next_chunk(counter) * GRAB
    return first, min(first + GRAB, n_chunks)


@njit(cache=True, inline="always")
def following_chunk(counter: np.ndarray, chunk: int, stop: int, n_chunks: int) -> tuple[int, int]:
    """The chunk a thread runs after ``chunk``, and the end of its group (as :func:`take_chunks`).

    The next chunk of the thread's group, or the first of a new group once the group (ending at
    ``stop``) is done. A pass runs, in each of its ``prange(TAKERS)`` iterations::

        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            ...  # chunk c
            c, stop = following_chunk(counter, c, stop, n_chunks)
    """
    if chunk + 1 < stop:
        return chunk + 1, stop
    return take_chunks(counter, n_chunks)


class Blocks:
    """The patient x slot indicator matrix of a block layout.

    Args:
        starts: First slot of each patient.
        n_slots: Total number of slots.
    """

    def __init__(self, starts: np.ndarray, n_slots: int) -> None:
        self.starts = np.asarray(starts, dtype=np.int64)
        self.n_slots = n_slots
        indptr = np.append(self.starts, n_slots)
        #: First and one-past-last slot of each block as unsigned integers, for the compiled
        #: kernels (an unsigned index needs no check for negative, wrap-around indexing).
        self.lo, self.hi = indptr[:-1].astype(np.uint64), indptr[1:].astype(np.uint64)

    @property
    def matrix(self) -> sparse.csr_array:
        """The indicator matrix as a sparse array (patients x slots)."""
        indptr = np.append(self.starts, self.n_slots)
        return sparse.csr_array(
            (np.ones(self.n_slots), np.arange(self.n_slots), indptr),
            shape=(len(self.starts), self.n_slots),
        )

    def sum(self, values: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
        """Per-patient sums of per-slot ``values`` (1-D, or 2-D with one column per quantity).

        With ``where`` (per slot, boolean), only those slots count: the same numbers as
        ``sum(values * where)`` for finite values, without the temporary product.
        """
        values = np.asarray(values, dtype=np.float64)
        if values.ndim == 1:
            if where is None:
                return _block_sums(values, self.lo, self.hi)
            return _masked_block_sums(values, where, self.lo, self.hi)
        if where is not None:
            values = values * where[:, None]
        return _block_sums_2d(values, self.lo, self.hi)


@njit(cache=True)
def _block_sums(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Sum of ``values[lo[i]:hi[i]]`` for every block ``i``, added in slot order."""
    total = np.empty(len(lo))
    for i in range(len(lo)):
        acc = 0.0
        for j in range(lo[i], hi[i]):
            acc += values[j]
        total[i] = acc
    return total


@njit(cache=True)
def _masked_block_sums(
    values: np.ndarray, where: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """:func:`_block_sums` over the slots where ``where`` is True."""
    total = np.empty(len(lo))
    for i in range(len(lo)):
        acc = 0.0
        for j in range(lo[i], hi[i]):
            if where[j]:
                acc += values[j]
        total[i] = acc
    return total


@njit(cache=True)
def _block_sums_2d(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """:func:`_block_sums` of every column of ``values``."""
    total = np.zeros((len(lo), values.shape[1]))
    for i in range(len(lo)):
        for j in range(lo[i], hi[i]):
            for k in range(values.shape[1]):
                total[i, k] += values[j, k]
    return total


def unsigned(index: np.ndarray) -> np.ndarray:
    """Non-negative integer indices viewed as unsigned (the same bits, no copy).

    Compiled kernels index faster with unsigned integers: a signed index needs a check for
    negative (wrap-around) indexing on every access.
    """
    return index.view(np.dtype(f"u{index.dtype.itemsize}"))


def block_sum(values: np.ndarray, starts: np.ndarray | Blocks) -> np.ndarray:
    """Sum ``values`` over each patient's block of slots (``starts`` or a :class:`Blocks`)."""
    if isinstance(starts, Blocks):
        return starts.sum(values)
    return np.add.reduceat(values, starts)


@njit(cache=True)
def occupied_ends(active: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """One past the last ``active`` slot of each block (``starts[i]`` to ``ends[i]``).

    A block with no active slot gets its start (an empty range). The passes over the slots stop
    there: the free slots kept at the end of each block for new ties (a quarter of all slots at
    baseline) hold nothing and change nothing.
    """
    occupied = starts.copy()
    for i in range(len(starts)):
        j = np.int64(ends[i])
        while j > np.int64(starts[i]) and not active[j - 1]:
            j -= 1
        occupied[i] = j
    return occupied


@njit(cache=True)
def first_free_of(
    active: np.ndarray, starts: np.ndarray, ends: np.ndarray, patients: np.ndarray
) -> np.ndarray:
    """First inactive slot of each given patient's block (``starts[i]`` to ``ends[i]``), or -1."""
    first = np.full(len(patients), -1, np.int64)
    for n, i in enumerate(patients):
        for j in range(starts[i], ends[i]):
            if not active[j]:
                first[n] = j
                break
    return first
