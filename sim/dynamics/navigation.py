"""Network navigation (Vassilev et al. 2014): finding and joining groups and services that exist.

Existing group ties strengthen towards their fit (the patient's preference for the category
relative to their top one) and may lapse: ties that fit badly lapse sooner, collective efficacy
sustains taking part, overloaded patients stop. Then a patient joins a new group of their
locality with a probability raised by awareness of network and locality, self-efficacy,
experiential knowledge, introductions brokered by members and guidance such as a link-worker
call, and lowered by overload. The category is chosen by preference match (``match`` is raised
by a needs-and-preferences assessment), then a group of that category at random; joining a group
already joined, or with no free slot, does nothing. New ties start weak. Awareness relaxes to its
baseline and guidance decays. With navigation switched off nobody joins; lapses go on.

Strengthening and lapsing run in one pass over the slots (:func:`strengthen_and_lapse`, a
compiled kernel), and so does the check for groups already joined (:func:`joined_already`).

Equations:
    strength' = strength + r_s (fit - strength),   fit = pref_c / max pref
    P(lapse) = clip(p_lapse (o - fit)(1 - w_ce CE) + p_stop min(z, 1), 0, 1)
    p_i = clip(p0 awareness (0.5 + 0.5 SE)(0.5 + 0.5 K_lay)(1 + b brokerage)
               (1 + g guidance) / (1 + z), 0, 1)
    weight of category c = available[locality, c] x (1 + w x 7 pref_c) x match_c
    awareness' = awareness + r_a (awareness_0 - awareness)
    guidance' = (1 - r_g) guidance
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit, prange

from sim.dynamics import draws
from sim.dynamics.segments import CHUNK, TAKERS, chunk_bounds, following_chunk, take_chunks
from sim.population import codes


@dataclass(frozen=True)
class GroupIndex:
    """Groups laid out by (locality, category): counts and offsets into ``nodes``."""

    available: np.ndarray
    offsets: np.ndarray
    nodes: np.ndarray

    @classmethod
    def build(
        cls, locality: np.ndarray, category: np.ndarray, node_ids: np.ndarray, n_localities: int
    ) -> GroupIndex:
        """Index groups given their locality, category and node id.

        Localities are ``0 .. n_localities - 1``, widened to hold every group's locality (a
        survey may list groups of a locality where no patient lives).
        """
        n_cat = len(codes.ACTIVITY_CATEGORIES)
        n_localities = max(n_localities, int(locality.max()) + 1 if len(locality) else 0)
        order = np.lexsort((node_ids, category, locality))
        key = locality[order] * n_cat + category[order]
        available = np.bincount(key, minlength=n_localities * n_cat).reshape(n_localities, n_cat)
        offsets = np.concatenate([[0], np.cumsum(available.ravel())[:-1]]).reshape(available.shape)
        return cls(available, offsets, node_ids[order])


def join_parameters(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """``(p_join, rel_brokerage, rel_guidance)`` of :func:`join_probability_of`."""
    names = ("p_join", "rel_brokerage", "rel_guidance")
    return tuple(float(p[f"navigation.{name}"]) for name in names)


@njit(cache=True)
def join_probability_of(
    awareness: float,
    self_efficacy: float,
    knowledge_lay: float,
    brokerage: float,
    guidance: float,
    imbalance: float,
    parameters: tuple[float, float, float],
) -> float:
    """Joining probability of one patient (``parameters``: p_join, rel_brokerage, rel_guidance)."""
    p_join, rel_brokerage, rel_guidance = parameters
    prob = (
        p_join
        * awareness
        * (0.5 + 0.5 * self_efficacy)
        * (0.5 + 0.5 * knowledge_lay)
        * (1.0 + rel_brokerage * brokerage)
        * (1.0 + rel_guidance * guidance)
        / (1.0 + imbalance)
    )
    return min(max(prob, 0.0), 1.0)


@njit(cache=True, parallel=True)
def joining(
    alive: np.ndarray,
    awareness: np.ndarray,
    awareness_base: np.ndarray,
    self_efficacy: np.ndarray,
    knowledge_lay: np.ndarray,
    brokerage: np.ndarray,
    guidance: np.ndarray,
    imbalance: np.ndarray,
    join_key: np.uint64,
    navigating: bool,
    rate_awareness_return: float,
    rate_guidance_decay: float,
    parameters: tuple[float, float, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Awareness returns towards its base, who joins a group, guidance decays: one parallel pass.

    Per patient: ``awareness' = awareness + r (base - awareness)``; with ``navigating``, a living
    patient joins when their uniform number (patient ``i`` under ``join_key``) is below
    :func:`join_probability_of` (with awareness'); ``guidance' = guidance (1 - decay)``.

    Returns:
        New awareness and guidance, and per patient True if they join a group this week.
    """
    n = len(alive)
    awareness_out, guidance_out, joins = np.empty(n), np.empty(n), np.zeros(n, np.bool_)
    n_chunks_, counter = (n + CHUNK - 1) // CHUNK, np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks_)
        while c < stop:
            first, last = chunk_bounds(c, n)
            for i in range(first, last):
                aware = awareness[i] + rate_awareness_return * (awareness_base[i] - awareness[i])
                if navigating and alive[i]:
                    prob = join_probability_of(
                        aware, self_efficacy[i], knowledge_lay[i], brokerage[i], guidance[i],
                        imbalance[i], parameters,
                    )  # fmt: skip
                    joins[i] = draws.uniform(join_key, i) < prob
                awareness_out[i] = aware
                guidance_out[i] = guidance[i] * (1.0 - rate_guidance_decay)
            c, stop = following_chunk(counter, c, stop, n_chunks_)
    return awareness_out, guidance_out, joins


def choose_groups(
    index: GroupIndex,
    locality: np.ndarray,
    preferences: np.ndarray,
    match: np.ndarray,
    preference_weight: float,
    u_category: np.ndarray,
    u_pick: np.ndarray,
) -> np.ndarray:
    """Pick a group node for each joiner (-1 where their locality has none)."""
    if not len(index.nodes):  # no group anywhere: joining finds nothing
        return np.full(len(locality), -1, np.int64)
    n_cat = preferences.shape[1]
    weights = index.available[locality] * (1.0 + preference_weight * n_cat * preferences) * match
    cdf = np.cumsum(weights, axis=1)
    total = cdf[:, -1]
    category = np.minimum((cdf <= (u_category * total)[:, None]).sum(axis=1), n_cat - 1)
    count = index.available[locality, category]
    pick = np.minimum((u_pick * count).astype(np.int64), np.maximum(count - 1, 0))
    node = index.nodes[np.minimum(index.offsets[locality, category] + pick, len(index.nodes) - 1)]
    return np.where(total > 0, node, -1)


@njit(cache=True, parallel=True, error_model="numpy")
def strengthen_and_lapse(
    starts: np.ndarray,
    ends: np.ndarray,
    ego: np.ndarray,
    is_group: np.ndarray,
    fit: np.ndarray,
    strength: np.ndarray,
    collective: np.ndarray,
    imbalance: np.ndarray,
    lapse_key: np.uint64,
    rate_strength: float,
    p_lapse: float,
    fit_offset: float,
    collective_weight: float,
    p_stop: float,
    slot_scratch: np.ndarray,
) -> np.ndarray:
    """Group ties strengthen towards their fit (``strength`` in place); the slots that lapse.

    ``strength += rate (fit - strength)``, then the tie lapses where its uniform number (slot ``j``
    under the week's ``lapse_key``, :func:`sim.dynamics.draws.uniform`) is below
    ``clip(p_lapse (fit_offset - fit) (1 - collective_weight CE_i) + p_stop min(imbalance_i, 1),
    0, 1)``. Patients run in parallel chunks of :data:`~sim.dynamics.segments.CHUNK` (numba
    ``prange``); each writes only its own slots and lists its lapsed slots, gathered in slot
    order, so the numbers do not depend on the number of threads. ``slot_scratch`` is working
    space of one int64 per slot (overwritten; kept by the caller, as in
    :func:`sim.dynamics.support.mediate_blocks`).

    About one slot in 24 is a group tie, so each chunk works in two phases: it first lists its
    group slots, reading ``is_group`` eight slots at a time and skipping words with none, then
    visits the list, taking each slot's patient from ``ego`` (patient index per slot). Every
    group slot of patient ``i`` lies in ``starts[i]`` to ``ends[i]``.
    """
    n = len(starts)
    n_chunks = (n + CHUNK - 1) // CHUNK
    found = slot_scratch  # each chunk lists its group, then its lapsed, slots from its first
    counts = np.zeros(n_chunks, np.int64)
    words = is_group[: len(is_group) // 8 * 8].view(np.uint64)
    counter = np.zeros(1, np.int64)  # the next chunk to take
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, n_chunks)
        while c < stop:
            first_patient, last_patient = c * CHUNK, min(n, (c + 1) * CHUNK)
            first, end = np.int64(starts[first_patient]), np.int64(ends[last_patient - 1])
            # 1. list the chunk's group slots (in slot order) where its lapsed slots go later
            n_group = np.int64(0)
            j = first
            while j < end and j & 7 != 0:
                found[first + n_group] = j
                n_group += is_group[j]
                j += 1
            while j + 8 <= end:
                if words[j >> 3] != 0:
                    for b in range(8):
                        found[first + n_group] = j + b
                        n_group += is_group[j + b]
                j += 8
            while j < end:
                found[first + n_group] = j
                n_group += is_group[j]
                j += 1
            # 2. strengthen each, and list the lapsed ones over the same space, in order
            n_lapsed = np.int64(0)
            for k in range(n_group):
                j = found[first + k]
                i = ego[j]
                overload = p_stop * min(imbalance[i], 1.0)
                sustained = 1.0 - collective_weight * collective[i]
                fit_, strength_ = fit[j], strength[j]
                prob = min(max(p_lapse * (fit_offset - fit_) * sustained + overload, 0.0), 1.0)
                strength[j] = strength_ + rate_strength * (fit_ - strength_)
                found[first + n_lapsed] = j
                n_lapsed += draws.uniform(lapse_key, j) < prob
            counts[c] = n_lapsed
            c, stop = following_chunk(counter, c, stop, n_chunks)
    lapsed = np.empty(counts.sum(), np.int64)
    k = 0
    for c in range(n_chunks):  # in slot order, element by element (a slice copy of one array
        first = np.int64(starts[c * CHUNK])  # into another makes a temporary for each chunk)
        for m in range(counts[c]):
            lapsed[k] = found[first + m]
            k += 1
    return lapsed


@njit(cache=True)
def joined_already(
    alter: np.ndarray,
    active: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    patients: np.ndarray,
    groups: np.ndarray,
) -> np.ndarray:
    """True where patient ``patients[n]`` already has an active tie to group ``groups[n]``."""
    hit = np.zeros(len(patients), np.bool_)
    for n, i in enumerate(patients):
        for j in range(starts[i], ends[i]):
            if active[j] and alter[j] == groups[n]:
                hit[n] = True
                break
    return hit
