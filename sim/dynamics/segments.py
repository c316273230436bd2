"""Operations over contiguous per-patient blocks of tie slots (a CSR layout).

Slots are stored patient by patient; ``starts[i]`` is the first slot of patient ``i`` and every
block is non-empty (each patient has room for new ties), so ``numpy.add.reduceat`` gives per-patient
sums in one pass, the same as a sparse (patient x slot) matrix times a vector.
"""

from __future__ import annotations

import numpy as np


def block_sum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum ``values`` over each patient's block of slots."""
    return np.add.reduceat(values, starts)


def block_max(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Maximum of ``values`` over each patient's block of slots."""
    return np.maximum.reduceat(values, starts)


def first_free(active: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """First inactive slot of every patient's block, or -1 where the block is full.

    Args:
        active: Per slot, True if the slot holds a tie.
        starts: First slot of each patient.
    """
    index = np.where(active, len(active), np.arange(len(active)))
    first = np.minimum.reduceat(index, starts)
    return np.where(first < len(active), first, -1)
