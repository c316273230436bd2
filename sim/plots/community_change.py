"""One patient's personal community before and after an intervention, side by side (GENIE style).

Both maps are drawn by :func:`sim.plots.community_map.plot_community_map` with one layout, so each
member keeps its place: the left map shows the community at week 0, the right map as it is at
the end. In the right map a member who joined since week 0 (a community group found through
PLANS or GENIE, say) is ringed in black, and a member whose tie has ended is left as a hollow
grey marker where it used to be. :func:`current_population` turns a simulated model's tie slots
into a population for the right map; :func:`most_changed_patient` picks a patient worth drawing.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.plots.community_map import (
    bold_headers,
    default_title,
    legend_entries,
    member_positions,
    plot_community_map,
)
from sim.plots.style import GREY, KIND_MARKERS, style_context
from sim.population import codes
from sim.population.arrays import Population, Ties

if TYPE_CHECKING:
    from sim.model import CommunityModel


def current_population(model: CommunityModel) -> Population:
    """The model's population with the patient-member ties as they are now.

    Nodes, links and patients are the model's population's; the ties are the active tie slots
    (``model.dynamics.slots``) with their current circle and contacts per week.
    """
    s = model.dynamics.slots
    live = np.flatnonzero(s.active)
    order = live[np.lexsort((s.alter[live], s.tie_type[live], s.ego[live]))]
    base = model.population.ties
    ties = Ties(
        ego=s.ego[order].astype(base.ego.dtype),
        alter=s.alter[order].astype(base.alter.dtype),
        tie_type=s.tie_type[order].astype(base.tie_type.dtype),
        circle=s.circle[order].astype(base.circle.dtype),
        contact=s.contact[order].astype(base.contact.dtype),
        proximity=s.proximity[order].astype(base.proximity.dtype),
    )
    return replace(model.population, ties=ties)


def _as_population(state: Population | CommunityModel) -> Population:
    return state if isinstance(state, Population) else current_population(state)


def _keys(population: Population) -> np.ndarray:
    return population.ties.ego.astype(np.int64) * population.n_nodes + population.ties.alter


def tie_changes(before: Population, after: Population) -> tuple[np.ndarray, np.ndarray]:
    """Per patient, the members gained and the members lost between two states of one population.

    Returns:
        ``(gained, lost)``: two integer arrays of length ``n_patients``.
    """
    a, b = _keys(after), _keys(before)
    n = before.n_patients
    gained = np.bincount(after.ties.ego[~np.isin(a, b)], minlength=n)
    lost = np.bincount(before.ties.ego[~np.isin(b, a)], minlength=n)
    return gained, lost


def most_changed_patient(
    before: Population, after: Population, candidates: np.ndarray | None = None
) -> int:
    """The candidate whose community changed most, preferring groups joined and small maps.

    Ranks candidates by community groups joined, then members gained or lost, then (to keep the
    map readable) fewer members at week 0, then patient id.

    Args:
        before: The population at week 0.
        after: The same population later (:func:`current_population`).
        candidates: Patient ids to choose from (default: every patient).
    """
    pool = np.arange(before.n_patients) if candidates is None else np.asarray(candidates)
    if len(pool) == 0:
        raise ValueError("no candidate patients to choose from")
    gained, lost = tie_changes(before, after)
    a = _keys(after)
    new_group = (~np.isin(a, _keys(before))) & (after.ties.tie_type == codes.GROUP_TIE)
    groups = np.bincount(after.ties.ego[new_group], minlength=before.n_patients)
    size = np.bincount(before.ties.ego, minlength=before.n_patients)
    order = np.lexsort((pool, size[pool], -(gained + lost)[pool], -groups[pool]))
    return int(pool[order[0]])


def _layout(before: Population, after: Population, patient: int) -> dict[int, tuple[float, float]]:
    """One position per member of either state: week-0 members first, then new members."""
    parts = []
    for population in (before, after):
        mine = population.ties.ego == patient
        parts.append(
            (
                population.ties.alter[mine],
                population.ties.tie_type[mine],
                population.ties.circle[mine],
            )
        )
    alter = np.concatenate([p[0] for p in parts])
    _, first = np.unique(alter, return_index=True)
    first = np.sort(first)
    tie_type = np.concatenate([p[1] for p in parts])[first].astype(int)
    circle = np.concatenate([p[2] for p in parts])[first].astype(int)
    xy = member_positions(tie_type, circle)
    return {int(a): (float(x), float(y)) for a, (x, y) in zip(alter[first], xy, strict=True)}


def _members(population: Population, patient: int) -> tuple[np.ndarray, np.ndarray]:
    mine = population.ties.ego == patient
    return population.ties.alter[mine], population.ties.tie_type[mine]


def plot_community_before_after(
    before: Population | CommunityModel,
    after: Population | CommunityModel,
    patient: int,
    *,
    labels: tuple[str, str] = ("Week 0", "After the intervention"),
    title: str | None = None,
) -> Figure:
    """Draw one patient's personal community at two times, side by side.

    Args:
        before: The population at week 0 (or a model not yet run).
        after: The same population later, e.g. ``current_population(model)`` after a run (or
            the model itself).
        patient: Patient id.
        labels: Names of the two states (panel titles, before the member counts).
        title: Figure title; by default names the patient, network type and household.

    Returns:
        The figure: week 0 on the left, the later state on the right, one legend.
    """
    before, after = _as_population(before), _as_population(after)
    layout = _layout(before, after, patient)
    old, old_type = _members(before, patient)
    new, new_type = _members(after, patient)
    joined = np.setdiff1d(new, old)
    ended = np.setdiff1d(old, new)
    kind = before.nodes.kind
    with style_context():
        fig = Figure(figsize=(7.5, 6.3))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.25, top=0.82, wspace=0.04)
        axes = fig.subplots(1, 2)
        change = f"{len(new)} members: {len(joined)} joined, {len(ended)} ended"
        plot_community_map(
            before,
            patient,
            axes[0],
            f"{labels[0]}\n({len(old)} members)",
            layout=layout,
            legend=False,
        )
        plot_community_map(
            after, patient, axes[1], f"{labels[1]}\n({change})", layout=layout, legend=False
        )
        for ax in axes:
            ax.title.set_fontsize(11)
        ax = axes[1]
        if len(joined):
            xy = np.array([layout[int(a)] for a in joined])
            ax.scatter(
                xy[:, 0],
                xy[:, 1],
                s=520,
                facecolors="none",
                edgecolors="black",
                linewidths=2.2,
                zorder=5,
                gid="joined",
            )
        for code, name in enumerate(codes.NODE_KINDS):
            gone = ended[kind[ended] == code]
            if name == "patient" or not len(gone):
                continue
            xy = np.array([layout[int(a)] for a in gone])
            ax.scatter(
                xy[:, 0],
                xy[:, 1],
                s=150,
                marker=KIND_MARKERS[name],
                facecolors="white",
                edgecolors=GREY,
                linewidths=1.4,
                linestyles="--",
                zorder=4,
                gid=f"ended-{name}",
            )
        handles, names, headers = legend_entries(
            np.concatenate([old_type, new_type]).astype(int),
            kind[np.concatenate([old, new])].astype(int),
        )
        blank = Line2D([], [], ls="", marker="")
        handles += [
            blank,
            Line2D([], [], ls="", marker="o", ms=19, mfc="none", mec="black", mew=2.2),
            Line2D([], [], ls="", marker="o", ms=10, mfc="white", mec=GREY, mew=1.4),
        ]
        names += ["Change (right map)", "joined since week 0", "tie ended"]
        legend = fig.legend(
            handles, names, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=4, fontsize=9
        )
        bold_headers(legend, headers | {"Change (right map)"})
        fig.suptitle(
            textwrap.fill(title if title is not None else default_title(before, patient), 70),
            fontsize=12,
        )
    return fig
