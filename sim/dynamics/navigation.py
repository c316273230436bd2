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

The weekly pass runs all of this patient by patient over each block of slots
(:func:`navigate`).

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
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics import draws
from sim.dynamics.records import parameters
from sim.dynamics.ties import end_slot, fill_group_slot, is_group
from sim.population import codes


class GroupIndex(NamedTuple):
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
        return cls(available, offsets.astype(np.int64), node_ids[order].astype(np.int64))


class NavigationParams(NamedTuple):
    """The parameters of navigation (``mechanisms.navigation.*``).

    ``on`` is the switch ``navigation``.
    """

    p_join: float
    rel_brokerage: float
    rel_guidance: float
    preference_weight: float
    rate_strength: float
    p_lapse: float
    lapse_fit_offset: float
    lapse_collective_weight: float
    p_stop_overload: float
    rate_awareness_return: float
    rate_guidance_decay: float
    on: bool

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> NavigationParams:
        """The record from the mechanism parameters."""
        return parameters(cls, p, "navigation", on=p["switches.navigation"])


@njit(cache=True, inline="always")
def join_probability(q: NavigationParams, i: int, pt: Any) -> float:
    """Patient ``i``'s weekly probability of joining a new group (the module docstring), 0-1."""
    prob = (
        q.p_join
        * pt.awareness[i]
        * (0.5 + 0.5 * pt.self_efficacy[i])
        * (0.5 + 0.5 * pt.knowledge_lay[i])
        * (1.0 + q.rel_brokerage * pt.brokerage[i])
        * (1.0 + q.rel_guidance * pt.guidance[i])
        / (1.0 + pt.imbalance[i])
    )
    return min(max(prob, 0.0), 1.0)


@njit(cache=True)
def choose_group(
    index: GroupIndex,
    locality: int,
    preferences: np.ndarray,
    match: np.ndarray,
    preference_weight: float,
    u_category: float,
    u_pick: float,
) -> int:
    """The group node a joiner picks (-1 where their locality has none)."""
    if not len(index.nodes):  # no group anywhere: joining finds nothing
        return -1
    n_cat = len(preferences)
    total = 0.0
    cdf = np.empty(n_cat)
    for c in range(n_cat):
        weight = index.available[locality, c] * (1.0 + preference_weight * n_cat * preferences[c])
        total += weight * match[c]
        cdf[c] = total
    if not total > 0:
        return -1
    category = 0
    for c in range(n_cat):
        category += cdf[c] <= u_category * total
    category = min(category, n_cat - 1)
    count = index.available[locality, category]
    pick = min(int(u_pick * count), max(count - 1, 0))
    return index.nodes[min(index.offsets[locality, category] + pick, len(index.nodes) - 1)]


@njit(cache=True, inline="always")
def join(
    q: NavigationParams,
    i: int,
    lay: Any,
    s: Any,
    pt: Any,
    world: Any,
    new: Any,
    u: tuple[float, float],
) -> None:
    """Patient ``i`` joins a group chosen with the uniforms ``u`` = (category, pick).

    Only if their locality has one, it is not joined already and their block has a free slot
    (``new``: what a new group tie looks like, :class:`sim.dynamics.ties.NewGroupTie`).
    """
    preferences = world.preferences[i]
    index = GroupIndex(world.group_available, world.group_offsets, world.group_nodes)
    weight = q.preference_weight
    group = choose_group(index, world.locality[i], preferences, pt.match[i], weight, u[0], u[1])
    if group < 0:
        return
    free = -1
    for j in range(lay.lo[i], lay.hi[i]):
        if s.active[j] and s.alter[j] == group:
            return  # joined already
        if free < 0 and not s.active[j]:
            free = np.int64(j)
    if free < 0:
        return
    fit = preferences[world.category[group]] / preferences.max()
    fill_group_slot(s, free, group, fit, new, world)
    pt.joined[i] += 1


@njit(cache=True, inline="always")
def navigate(
    q: NavigationParams, i: int, lay: Any, s: Any, pt: Any, world: Any, new: Any, week: Any
) -> None:
    """One week of patient ``i``'s navigation, in place (the module's equations).

    Awareness relaxes; group ties strengthen towards their fit and lapse (the slot is emptied);
    a living patient may join a group (with navigation on); guidance decays. ``lay`` is the
    block layout, ``s`` and ``pt`` the slot and patient records, ``world`` what the week does
    not change, ``new`` what a new group tie looks like and ``week`` the week
    (:mod:`sim.dynamics.passes`).
    """
    keys = week.keys
    pt.awareness[i] = pt.awareness[i] + q.rate_awareness_return * (
        pt.awareness_base[i] - pt.awareness[i]
    )
    overload = q.p_stop_overload * min(pt.imbalance[i], 1.0)
    sustained = 1.0 - q.lapse_collective_weight * pt.collective[i]
    for j in range(lay.lo[i], lay.hi[i]):
        if not is_group(s, j):
            continue
        fit, strength = s.fit[j], s.strength[j]
        prob = min(max(q.p_lapse * (q.lapse_fit_offset - fit) * sustained + overload, 0.0), 1.0)
        s.strength[j] = strength + q.rate_strength * (fit - strength)
        if draws.uniform(keys[draws.LAPSE], j) < prob:
            end_slot(s, j, world.sentinel)
    if q.on and pt.alive[i] and draws.uniform(keys[draws.JOIN], i) < join_probability(q, i, pt):
        u = draws.uniform(keys[draws.CATEGORY], i), draws.uniform(keys[draws.PICK], i)
        join(q, i, lay, s, pt, world, new, u)
    pt.guidance[i] = pt.guidance[i] * (1.0 - q.rate_guidance_decay)


@njit(cache=True, inline="always")
def join_each(
    q: NavigationParams,
    patients: np.ndarray,
    lay: Any,
    s: Any,
    pt: Any,
    world: Any,
    new: Any,
    u: np.ndarray,
) -> None:
    """:func:`join` for each of ``patients`` in turn, with the uniforms ``u[n]`` (shape (n, 2))."""
    for n in range(len(patients)):
        join(q, patients[n], lay, s, pt, world, new, (u[n, 0], u[n, 1]))
