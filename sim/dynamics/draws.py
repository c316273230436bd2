"""Counter-based random numbers of the weekly dynamics.

A number is a pure function of the root seed, its purpose, the week and the patient or slot it is
for, so the numbers need no state, can be drawn inside the compiled passes only where they are
used, come out the same on any number of threads, and two trial arms built from one seed share
them (common random numbers). Each purpose (:data:`PURPOSES`) has a key taken once from the
root seed's stream ``("dynamics", purpose)`` (:func:`sim.streams.seed_sequence`); week ``t``
(counted from the start of the warm-up) turns it into a week key, and the number for patient (or
slot) ``i`` is the ``(i + 1)``-th output of SplitMix64 started at the week key (Steele, Lea and
Flood 2014: a 64-bit Weyl sequence passed through a mixing function; it passes BigCrush).

Equations:
    mix(z) = z3, with z1 = (z ^ (z >> 30)) x 0xBF58476D1CE4E5B9, z2 = (z1 ^ (z1 >> 27)) x
             0x94D049BB133111EB, z3 = z2 ^ (z2 >> 31)            (64-bit unsigned arithmetic)
    week key:   k_t = mix(k + mix((t + 1) gamma)),   gamma = 0x9E3779B97F4A7C15
    bits(i) = mix(k_t + (i + 1) gamma)
    uniform(i) = floor(bits(i) / 2^11) / 2^53                     (in [0, 1))
    normal(i) = sqrt(-2 ln u1) cos(2 pi u2),  u1 = (floor(bits(2i) / 2^11) + 1) / 2^53,
                u2 = uniform(2i + 1)                              (Box and Muller 1958)
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from sim.dynamics.segments import TAKERS, following_chunk, take_chunks
from sim.streams import seed_sequence

#: What the weekly numbers are for, in the order of :func:`purpose_keys`.
PURPOSES: tuple[str, ...] = (
    "reading",  # BP reading noise at a review (normal), per patient
    "intensify",  # a review adds a medicine, per patient
    "stop",  # stopping medicines, per patient
    "restart",  # a review restarts medicines, per patient
    "egfr_reading",  # eGFR reading noise at a review (normal), per patient
    "death",  # per patient
    "admission",  # per patient
    "join",  # joining a group, per patient
    "category",  # the category of the group joined, per patient
    "pick",  # the group of that category, per patient
    "lapse",  # a group tie lapses, per slot
    "attempt",  # trying to re-negotiate, per patient
    "ask",  # an unstrained member is asked to take on more, per slot
    "success",  # a negotiation succeeds (or, rescaled, the tie ends), per slot
    "recruitment_reading",  # the BP reading at recruitment (normal), per patient
)
(
    READING,
    INTENSIFY,
    STOP,
    RESTART,
    EGFR_READING,
    DEATH,
    ADMISSION,
    JOIN,
    CATEGORY,
    PICK,
    LAPSE,
    ATTEMPT,
    ASK,
    SUCCESS,
    RECRUITMENT_READING,
) = range(len(PURPOSES))

GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_ONE = np.uint64(1)
_UNIT = 2.0**-53
_TWO_PI = 2.0 * math.pi
#: Numbers per chunk of the parallel loops (each number depends only on its index).
CHUNK = 16384


def purpose_keys(seed: int) -> np.ndarray:
    """The key of every purpose of :data:`PURPOSES` for a root seed (uint64, in that order)."""
    return np.array(
        [
            seed_sequence(seed, "dynamics", name).generate_state(1, np.uint64)[0]
            for name in PURPOSES
        ],
        dtype=np.uint64,
    )


@njit(cache=True, inline="always")
def mix(z: np.uint64) -> np.uint64:
    """SplitMix64's mixing function (a bijection of 64-bit integers)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True)
def week_keys(keys: np.ndarray, week: int) -> np.ndarray:
    """The week keys of every purpose in week ``week`` (weeks since the start of the warm-up)."""
    out = np.empty(len(keys), np.uint64)
    shift = mix(np.uint64(week + 1) * GAMMA)
    for k in range(len(keys)):
        out[k] = mix(keys[k] + shift)
    return out


@njit(cache=True, inline="always")
def uniform(week_key: np.uint64, i: int) -> float:
    """The uniform number in [0, 1) of patient or slot ``i`` under a week key."""
    return float(mix(week_key + (np.uint64(i) + _ONE) * GAMMA) >> _S11) * _UNIT


@njit(cache=True, inline="always")
def normal(week_key: np.uint64, i: int) -> float:
    """The standard normal number of patient ``i`` under a week key (Box-Muller)."""
    first = np.uint64(i) * np.uint64(2)
    bits = mix(week_key + (first + _ONE) * GAMMA) >> _S11
    u1 = (float(bits) + 1.0) * _UNIT
    u2 = uniform(week_key, first + _ONE)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(_TWO_PI * u2)


@njit(cache=True, inline="always")
def may_fall_below(u: float, hazard_bound: float) -> bool:
    """False only when ``u`` cannot fall below ``1 - exp(-h)`` for any hazard ``h <= hazard_bound``.

    ``1 - exp(-h) <= h`` for every ``h``, so a uniform number at or above the bound (widened by a
    relative 1e-9 and an absolute 1e-15, far more than the rounding of the probability's few
    operations) is not below the probability. A pass that tests this first can skip the
    probability's exponentials where an event is rare (stopping medicines, death, admission) and
    take the same decision: ``may_fall_below(u, bound) and u < p`` equals ``u < p``.
    """
    return u < hazard_bound * (1.0 + 1e-9) + 1e-15


@njit(cache=True)
def ends(values: np.ndarray, empty: float) -> tuple[float, float]:
    """The smallest and largest of ``values`` (``(empty, empty)`` when there are none; no NaN).

    A factor monotone in the value (an exponential) is largest at one of them: the bounds given
    to :func:`may_fall_below` are taken there, over each chunk's patients in the weekly passes.
    """
    if len(values) == 0:
        return float(empty), float(empty)
    low = high = float(values[0])
    for k in range(1, len(values)):
        low, high = min(low, values[k]), max(high, values[k])
    return low, high


@njit(cache=True, parallel=True)
def uniforms(week_key: np.uint64, n: int) -> np.ndarray:
    """Uniform numbers of patients (or slots) ``0 .. n - 1`` (in parallel chunks)."""
    out = np.empty(n)
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            _uniform_range(week_key, c * CHUNK, min(n, (c + 1) * CHUNK), out)
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return out


@njit(cache=True)
def _uniform_range(week_key: np.uint64, first: int, last: int, out: np.ndarray) -> None:
    for i in range(np.uint64(first), np.uint64(last)):
        out[i] = uniform(week_key, i)


@njit(cache=True, parallel=True)
def normals(week_key: np.uint64, n: int) -> np.ndarray:
    """Standard normal numbers of patients ``0 .. n - 1`` (in parallel chunks)."""
    out = np.empty(n)
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            _normal_range(week_key, c * CHUNK, min(n, (c + 1) * CHUNK), out)
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return out


@njit(cache=True)
def _normal_range(week_key: np.uint64, first: int, last: int, out: np.ndarray) -> None:
    for i in range(np.uint64(first), np.uint64(last)):
        out[i] = normal(week_key, i)


@njit(cache=True)
def uniforms_at(week_key: np.uint64, index: np.ndarray) -> np.ndarray:
    """The uniform numbers of the patients (or slots) ``index`` only (the same as all, indexed)."""
    out = np.empty(len(index))
    for k in range(len(index)):
        out[k] = uniform(week_key, index[k])
    return out


@njit(cache=True, parallel=True)
def normals_at(week_key: np.uint64, index: np.ndarray) -> np.ndarray:
    """The standard normal numbers of the patients ``index`` only (the same as all, indexed).

    In parallel (numba ``prange``): each number depends only on its patient, so the numbers do
    not depend on the threads.
    """
    out = np.empty(len(index))
    for k in prange(len(index)):
        out[k] = normal(week_key, index[k])
    return out
