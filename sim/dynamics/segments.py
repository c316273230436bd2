"""The layout of tie slots: contiguous per-patient blocks, and blocks of patients run in parallel.

Slots are stored patient by patient; ``lo[i]`` is the first slot of patient ``i`` and ``hi[i]``
one past its last, and every block is non-empty (each patient has room for new ties). A
per-patient sum over slots is the product of a sparse (patient x slot) indicator matrix with a
vector; the compiled passes compute it with a loop over each block.

The passes run over *chunks*: runs of consecutive patients that share no member with any other
chunk, so that chunks can run on different threads and each member's load and strain relief are
added up by one thread, in slot order, whatever the number of threads. A member can be reached
from the patients tied to it, and a group also from every patient of its locality (who may join
it); a chunk ends only where no member reachable from before the cut is reachable from after it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from sim.population import codes
from sim.population.arrays import Population

#: Patients per chunk, at least (a chunk ends at the first possible cut after this many).
CHUNK_PATIENTS = 512


class Layout(NamedTuple):
    """Slot blocks and chunks of patients.

    Attributes:
        lo: First slot of each patient (unsigned: compiled code then needs no check for
            negative, wrap-around indexing).
        hi: One past the last slot of each patient.
        chunks: First patient of each chunk, then the number of patients.
        chunk_of: The chunk of each patient.
    """

    lo: np.ndarray
    hi: np.ndarray
    chunks: np.ndarray
    chunk_of: np.ndarray

    @classmethod
    def of(cls, population: Population, starts: np.ndarray, block_end: np.ndarray) -> Layout:
        """The layout of a population's slots (``starts``, ``block_end``: each patient's)."""
        chunks = chunk_starts(population, CHUNK_PATIENTS)
        chunk_of = np.repeat(np.arange(len(chunks) - 1), np.diff(chunks))
        lo, hi = starts.astype(np.uint64), block_end.astype(np.uint64)
        return cls(lo, hi, chunks, chunk_of)

    @property
    def n_chunks(self) -> int:
        """Number of chunks."""
        return len(self.chunks) - 1


@njit(cache=True)
def _reach(
    ego: np.ndarray,
    alter: np.ndarray,
    locality: np.ndarray,
    group_locality: np.ndarray,
    n_nodes: int,
) -> np.ndarray:
    """Per node, the first and last patient that can reach it (shape (n_nodes, 2); -1 if none).

    ``group_locality`` is the locality of each node for groups, -1 for other nodes.
    """
    reach = np.full((n_nodes, 2), -1, np.int64)
    n_localities = locality.max() + 1 if len(locality) else 0
    first = np.full(n_localities, -1, np.int64)
    last = np.full(n_localities, -1, np.int64)
    for i in range(len(locality)):
        if first[locality[i]] < 0:
            first[locality[i]] = i
        last[locality[i]] = i
    for node in range(n_nodes):
        where = group_locality[node]
        if 0 <= where < n_localities and first[where] >= 0:
            reach[node, 0], reach[node, 1] = first[where], last[where]
    for t in range(len(ego)):
        node, i = alter[t], ego[t]
        if reach[node, 0] < 0 or i < reach[node, 0]:
            reach[node, 0] = i
        reach[node, 1] = max(reach[node, 1], i)
    return reach


def chunk_starts(population: Population, size: int) -> np.ndarray:
    """First patient of each chunk (then the number of patients).

    Chunks of at least ``size`` patients, cut only where no member is reachable from both sides
    (the module docstring).
    """
    n = population.n_patients
    nodes, ties = population.nodes, population.ties
    group_locality = np.where(nodes.kind == codes.GROUP, nodes.locality, -1).astype(np.int64)
    reach = _reach(
        ties.ego.astype(np.int64),
        ties.alter.astype(np.int64),
        population.patients.locality.astype(np.int64),
        group_locality,
        population.n_nodes,
    )
    spans = reach[(reach[:, 0] >= 0) & (reach[:, 1] > reach[:, 0])]
    crossing = np.zeros(n + 1, np.int64)  # cut before patient k is barred where crossing[k] > 0
    np.add.at(crossing, spans[:, 0] + 1, 1)
    np.add.at(crossing, spans[:, 1] + 1, -1)
    allowed = np.flatnonzero(np.cumsum(crossing)[1:n] == 0) + 1
    starts = [0]
    for k in allowed.tolist():
        if k - starts[-1] >= size:
            starts.append(k)
    return np.array([*starts, n], np.int64) if n else np.zeros(1, np.int64)


def block_sum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum ``values`` over each patient's block of slots (``starts``: each block's first slot)."""
    return np.add.reduceat(values, starts)
