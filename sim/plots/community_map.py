"""A patient's personal community on concentric circles, as GENIE maps it (Kennedy et al. 2016).

The patient sits at the centre; members sit on three circles, inner to outer, by closeness
(``ties.circle``). Members of one tie type share an angular sector on every circle, so the eye
reads "family to the left, friends at the bottom" however close each one is. Colour shows the tie
type, marker shape the kind of member (person, pet, group, professional); the line from the patient
to a member is thicker the more often they are in contact; thin grey lines join members who know
each other (``population.links``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from sim.plots.style import (
    GREY,
    KIND_MARKERS,
    PATIENT_COLOUR,
    TIE_COLOURS,
    TIE_LABELS,
    style_context,
    tie_colour,
)
from sim.population import codes
from sim.population.arrays import Population

#: Radius of each circle (inner, middle, outer), in data units.
RADII = (1.0, 2.0, 3.0)
#: Angle (radians) left free at the top of the map for the circle labels.
_GAP = np.deg2rad(36)
_HOUSEHOLD_PHRASES = {
    "partner": "lives with partner",
    "alone": "lives alone",
    "others": "lives with others",
}
#: Contacts per week shown in the line-width legend.
_CONTACT_KEYS = (0.5, 2.0, 7.0)
#: Fill of the inner, middle and outer discs.
_SHADES = ("#E4E4E4", "#EEEEEE", "#F7F7F7")
_KIND_LABELS = {
    "person": "Person",
    "pet": "Pet",
    "group": "Community group",
    "professional": "Professional",
}


def line_width(contact: np.ndarray | float) -> np.ndarray:
    """Line width (points) of a patient-member tie: 0.6 + 0.5 per contact a week."""
    return 0.6 + 0.5 * np.asarray(contact, dtype=float)


def member_positions(tie_type: np.ndarray, circle: np.ndarray) -> np.ndarray:
    """Place members on their circles, grouped by tie type into angular sectors.

    Each tie type gets a sector of the circle (outside the label gap at the top) proportional to
    its number of members; within a sector the members of each circle are spread evenly, and the
    circles are staggered so that no spoke from the centre hides another member.

    Args:
        tie_type: Tie-type code of each member.
        circle: Circle code of each member (0 inner, 1 middle, 2 outer).

    Returns:
        Array (n, 2) of x, y positions.
    """
    n = len(tie_type)
    if n == 0:
        return np.zeros((0, 2))
    width = (2 * np.pi - _GAP) / n
    per_type = np.bincount(tie_type, minlength=len(codes.TIE_TYPES))
    sector_start = np.pi / 2 + _GAP / 2 + width * np.concatenate([[0], np.cumsum(per_type)[:-1]])
    angle = np.empty(n)
    for t, r in {(int(t), int(r)) for t, r in zip(tie_type, circle, strict=True)}:
        members = np.flatnonzero((tie_type == t) & (circle == r))
        k = len(members)
        fraction = (np.arange(k) + (r + 1) / 4) / k
        angle[members] = sector_start[t] + fraction * width * per_type[t]
    radius = np.asarray(RADII)[circle]
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _draw_rings(ax: Axes) -> None:
    """Shaded discs, darker towards the centre, with the circle names in the gap at the top."""
    for name, radius, shade in zip(codes.CIRCLES, RADII, _SHADES, strict=True):
        ax.add_patch(Circle((0, 0), radius, fc=shade, ec=GREY, lw=1.2, zorder=-radius, gid=name))
        ax.text(0, radius - 0.14, name, ha="center", va="center", fontsize=12, color="#444444")


def _draw_lines(
    ax: Axes,
    population: Population,
    alter: np.ndarray,
    xy: np.ndarray,
    tie_type: np.ndarray,
    contact: np.ndarray,
) -> None:
    """Spokes from the patient (width by contact, colour by tie type) and member-member links."""
    spokes = np.stack([np.zeros_like(xy), xy], axis=1)
    colours = [tie_colour(t) for t in tie_type]
    ax.add_collection(
        LineCollection(
            spokes, colors=colours, linewidths=line_width(contact), alpha=0.65, zorder=2, gid="ties"
        )
    )
    links = population.links
    both = np.isin(links.a, alter) & np.isin(links.b, alter)
    order = np.argsort(alter)
    ends = [order[np.searchsorted(alter[order], end[both])] for end in (links.a, links.b)]
    pairs = np.stack([xy[ends[0]], xy[ends[1]]], axis=1)
    ax.add_collection(
        LineCollection(pairs, colors=GREY, linewidths=0.6, alpha=0.6, zorder=1, gid="links")
    )


def _draw_members(ax: Axes, xy: np.ndarray, tie_type: np.ndarray, kind: np.ndarray) -> None:
    for code, name in enumerate(codes.NODE_KINDS):
        mine = kind == code
        if name == "patient" or not mine.any():
            continue
        colours = [tie_colour(t) for t in tie_type[mine]]
        ax.scatter(
            xy[mine, 0],
            xy[mine, 1],
            s=150,
            c=colours,
            marker=KIND_MARKERS[name],
            edgecolors="black",
            linewidths=0.8,
            zorder=4,
            gid=f"members-{name}",
        )
    ax.add_patch(
        Circle((0, 0), 0.36, fc=PATIENT_COLOUR, ec="black", lw=1.5, zorder=4, gid="patient")
    )
    ax.text(0, 0, "patient", ha="center", va="center", fontsize=10, zorder=5)


def legend_entries(tie_type: np.ndarray, kind: np.ndarray) -> tuple[list, list[str], set[str]]:
    """Legend of a map: tie type (colour), member (shape), contacts (line width).

    Returns:
        Handles, labels, and the labels that are section headers (to be set in bold).
    """

    def dot(colour: str, marker: str = "o") -> Line2D:
        return Line2D([], [], ls="", marker=marker, ms=10, mfc=colour, mec="black", mew=0.8)

    header = Line2D([], [], ls="", marker="")
    types = [codes.TIE_TYPES[t] for t in sorted(set(np.asarray(tie_type).tolist()))]
    kinds = [codes.NODE_KINDS[k] for k in sorted(set(np.asarray(kind).tolist()))]
    sections = [
        ("Tie type", [dot(TIE_COLOURS[t]) for t in types], [TIE_LABELS[t] for t in types]),
        (
            "Member",
            [dot("white", KIND_MARKERS[k]) for k in kinds],
            [_KIND_LABELS[k] for k in kinds],
        ),
        (
            "Contacts per week",
            [Line2D([], [], color=GREY, lw=float(line_width(c))) for c in _CONTACT_KEYS],
            [f"{c:g}" for c in _CONTACT_KEYS],
        ),
    ]
    handles, labels = [], []
    for title, section_handles, section_labels in sections:
        if section_handles:
            handles += [header, *section_handles]
            labels += [title, *section_labels]
    return handles, labels, {title for title, _, _ in sections}


def bold_headers(legend, headers: set[str]) -> None:
    """Set the section headers of a legend in bold."""
    for text in legend.get_texts():
        if text.get_text() in headers:
            text.set_fontweight("bold")


def _add_legend(ax: Axes, tie_type: np.ndarray, kind: np.ndarray) -> None:
    """One legend right of the map: tie type (colour), member (shape), contacts (line width)."""
    handles, labels, headers = legend_entries(tie_type, kind)
    legend = ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    bold_headers(legend, headers)


def default_title(population: Population, patient: int) -> str:
    """Title naming the patient, their network type, household and number of members."""
    p = population.patients
    network = codes.NETWORK_TYPES[p.network_type[patient]].replace("_", " ")
    household = _HOUSEHOLD_PHRASES[codes.HOUSEHOLDS[p.household[patient]]]
    size = int(np.count_nonzero(population.ties.ego == patient))
    members = "member" if size == 1 else "members"
    return f"Patient {patient}: {network} network, {household} ({size} {members})"


def plot_community_map(
    population: Population,
    patient: int,
    ax: Axes | None = None,
    title: str | None = None,
    *,
    layout: Mapping[int, tuple[float, float]] | None = None,
    legend: bool = True,
) -> Figure:
    """Draw one patient's personal community on concentric circles.

    Args:
        population: The population.
        patient: Patient id (node id, ``0 <= patient < population.n_patients``).
        ax: Axes to draw on; by default a new figure is made. The legend sits outside the
            axes on the right: leave room for it, or save with ``bbox_inches="tight"``.
        title: Title; by default names the patient, network type and household.
        layout: Position of each member (node id -> x, y), e.g. to keep members in place
            across maps of the same patient; by default :func:`member_positions`.
        legend: Draw the legend right of the map.

    Returns:
        The figure holding the map.

    Raises:
        ValueError: if ``patient`` is not a patient id.
    """
    if not 0 <= patient < population.n_patients:
        raise ValueError(f"patient {patient} is not in 0 .. {population.n_patients - 1}")
    mine = np.flatnonzero(population.ties.ego == patient)
    ties = population.ties
    tie_type, circle = ties.tie_type[mine].astype(int), ties.circle[mine].astype(int)
    alter, kind = ties.alter[mine], population.nodes.kind[ties.alter[mine]]
    if layout is None:
        xy = member_positions(tie_type, circle)
    else:
        xy = np.array([layout[int(a)] for a in alter], dtype=float).reshape(-1, 2)
    own_figure = ax is None
    with style_context():
        if ax is None:
            fig = Figure(figsize=(7.5, 5.7))
            fig.subplots_adjust(left=0.01, right=0.70, bottom=0.02, top=0.92)
            ax = fig.add_subplot()
        _draw_rings(ax)
        _draw_lines(ax, population, alter, xy, tie_type, ties.contact[mine])
        _draw_members(ax, xy, tie_type, kind)
        if legend:
            _add_legend(ax, tie_type, kind)
        if len(mine) == 0:
            ax.text(0, -0.6, "no members", ha="center", va="center", fontsize=12, color="#444444")
        limit = RADII[-1] + 0.35
        ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal")
        ax.set_axis_off()
        heading = title if title is not None else default_title(population, patient)
        if own_figure:  # a narrow map beside its legend: wrap a long title
            ax.set_title(textwrap.fill(heading, 48), fontsize=12)
        else:
            ax.set_title(heading)
    return ax.figure  # type: ignore[return-value]
