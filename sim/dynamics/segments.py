"""Operations over contiguous per-patient blocks of tie slots (a CSR layout).

Slots are stored patient by patient; ``starts[i]`` is the first slot of patient ``i`` and every
block is non-empty (each patient has room for new ties). A per-patient sum over slots is the
product of a sparse (patient x slot) indicator matrix with a vector, which :class:`Blocks` holds
once and reuses every week.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


class Blocks:
    """The patient x slot indicator matrix of a block layout.

    Args:
        starts: First slot of each patient.
        n_slots: Total number of slots.
    """

    def __init__(self, starts: np.ndarray, n_slots: int) -> None:
        self.starts = np.asarray(starts, dtype=np.int64)
        indptr = np.append(self.starts, n_slots)
        self.matrix = sparse.csr_array(
            (np.ones(n_slots), np.arange(n_slots), indptr), shape=(len(self.starts), n_slots)
        )

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per-patient sums of per-slot ``values`` (1-D, or 2-D with one column per quantity)."""
        return self.matrix @ values


def block_sum(values: np.ndarray, starts: np.ndarray | Blocks) -> np.ndarray:
    """Sum ``values`` over each patient's block of slots (``starts`` or a :class:`Blocks`)."""
    if isinstance(starts, Blocks):
        return starts.sum(values)
    return np.add.reduceat(values, starts)


def first_free(active: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """First inactive slot of every patient's block, or -1 where the block is full.

    Args:
        active: Per slot, True if the slot holds a tie.
        starts: First slot of each patient.
    """
    index = np.where(active, len(active), np.arange(len(active)))
    first = np.minimum.reduceat(index, starts)
    return np.where(first < len(active), first, -1)
