"""A handful of patients' personal communities, in both arms, coloured by their state now.

One small concentric-circle map (:mod:`sim.plots.community_map`) per patient and arm: a row per arm,
a column per patient, the same patients in both rows. The disc at the centre is the patient,
coloured by a state chosen from :data:`PATIENT_STATES` (its value written inside); the members
around are coloured by their strain, shaped by kind, and joined to the patient by a line in the
colour of their tie type, thicker the more often they are in contact. Members keep their place
from week 0; a tie that has ended leaves a hollow grey marker; a tie formed since week 0 (a group
joined, say) sits in the gap at the top of the map.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from sim import codes
from sim.app.teaching_model import ARM_LABELS, TeachingModel
from sim.model import CommunityModel
from sim.plots.community_map import RADII, line_width, member_positions
from sim.plots.style import (
    GREY,
    KIND_MARKERS,
    TIE_COLOURS,
    TIE_LABELS,
    style_context,
    tie_colour,
)

#: Patient states the centre disc can show: array in ``dynamics.patients`` -> (label, low, high).
PATIENT_STATES: Mapping[str, tuple[str, float, float]] = {
    "knowledge_clinical": ("Clinical knowledge", 0.0, 1.0),
    "knowledge_lay": ("Lay knowledge", 0.0, 1.0),
    "awareness": ("Awareness of local resources", 0.0, 1.0),
    "heiq": ("Engagement (heiQ)", 1.0, 4.0),
    "self_efficacy": ("Self-efficacy", 0.0, 1.0),
    "collective": ("Collective efficacy", 0.0, 1.0),
    "loneliness": ("Loneliness", 0.0, 1.0),
}
#: Colour scales: patient state (perceptually uniform) and member strain (white to dark red).
PATIENT_CMAP: Colormap = colormaps["viridis"]
STRAIN_CMAP: Colormap = colormaps["OrRd"]
#: Strain at which a member's colour is darkest (strain is 0-1; most members stay below this).
STRAIN_MAX = 0.5
#: Angular half-width (radians) of the gap at the top where ties formed since week 0 sit.
_NEW_GAP = np.deg2rad(14)
_RING_FILL = ("#EBEBEB", "#F2F2F2", "#F9F9F9")
#: Tie types in the line-colour key.
_KEY_TIES = tuple(codes.TIE_TYPES)
#: Member kinds in the shape key.
_KEY_KINDS = ("person", "pet", "group", "professional")


@dataclass(frozen=True)
class CommunityNow:
    """One patient's community in one arm now, with week-0 places.

    Attributes:
        xy: Position of every member drawn (week-0 members first, then new ones).
        tie_type: Tie-type code of each.
        kind: Node-kind code of each.
        current: True if the tie holds now.
        new: True if the tie was formed after week 0.
        contact: Contacts per week now (0 for ended ties).
        strain: Member strain now.
    """

    xy: np.ndarray
    tie_type: np.ndarray
    kind: np.ndarray
    current: np.ndarray
    new: np.ndarray
    contact: np.ndarray
    strain: np.ndarray


def community_now(model: CommunityModel, patient: int) -> CommunityNow:
    """Gather ``patient``'s week-0 and current ties in ``model`` for drawing."""
    pop, d = model.population, model.dynamics
    week0 = np.flatnonzero(pop.ties.ego == patient)
    slots = model.ties_of(patient)
    alter0, alter_now = pop.ties.alter[week0], d.slots.alter[slots]
    added = slots[~np.isin(alter_now, alter0)]
    now_of = dict(zip(alter_now.tolist(), d.slots.contact[slots].tolist(), strict=True))
    alter = np.concatenate([alter0, d.slots.alter[added]])
    tie_type = np.concatenate([pop.ties.tie_type[week0], d.slots.tie_type[added]]).astype(int)
    circle = np.concatenate([pop.ties.circle[week0], d.slots.circle[added]]).astype(int)
    xy = np.concatenate(
        [member_positions(tie_type[: len(week0)], circle[: len(week0)]), _top(circle[len(week0) :])]
    )
    return CommunityNow(
        xy=xy,
        tie_type=tie_type,
        kind=pop.nodes.kind[alter].astype(int),
        current=np.isin(alter, alter_now),
        new=np.arange(len(alter)) >= len(week0),
        contact=np.array([now_of.get(a, 0.0) for a in alter.tolist()]),
        strain=d.members.strain[alter],
    )


def _top(circle: np.ndarray) -> np.ndarray:
    """Positions in the gap at the top of the map for ties formed since week 0."""
    n = len(circle)
    angle = np.pi / 2 + _NEW_GAP * (np.arange(n) - (n - 1) / 2) / max(n, 1)
    radius = np.asarray(RADII)[circle]
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def draw_community(ax: Axes, now: CommunityNow, colour: tuple, value: str) -> None:
    """Draw one community: rings, ties, members (by strain) and the patient disc (``colour``)."""
    for radius, fill in zip(RADII[::-1], _RING_FILL[::-1], strict=True):
        ax.add_patch(Circle((0, 0), radius, fc=fill, ec=GREY, lw=0.6, zorder=0))
    live = now.current
    spokes = np.stack([np.zeros_like(now.xy[live]), now.xy[live]], axis=1)
    ax.add_collection(
        LineCollection(
            spokes,
            colors=[tie_colour(t) for t in now.tie_type[live]],
            linewidths=line_width(now.contact[live]),
            alpha=0.75,
            zorder=2,
        )
    )
    _draw_members(ax, now)
    ax.add_patch(Circle((0, 0), 0.55, fc=colour, ec="black", lw=1.2, zorder=5))
    ink = "black" if np.dot(colour[:3], (0.299, 0.587, 0.114)) > 0.5 else "white"
    ax.text(0, 0, value, ha="center", va="center", fontsize=9, color=ink, zorder=6)
    limit = RADII[-1] + 0.25
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal")
    ax.set_axis_off()


def _draw_members(ax: Axes, now: CommunityNow) -> None:
    """Members shaped by kind: filled by strain while the tie holds, hollow grey once ended."""
    live = now.current
    strain_colour = STRAIN_CMAP(Normalize(0.0, STRAIN_MAX)(now.strain))
    for code, name in enumerate(codes.NODE_KINDS):
        for here, faded in ((live & (now.kind == code), False), (~live & (now.kind == code), True)):
            if name == "patient" or not here.any():
                continue
            ax.scatter(
                *now.xy[here].T,
                s=46,
                marker=KIND_MARKERS[name],
                c="none" if faded else strain_colour[here],
                edgecolors=GREY if faded else "black",
                linewidths=0.7,
                zorder=4,
            )


def _received(model: CommunityModel, patient: int) -> str:
    """Short note of the components a patient took up (intervention arm only)."""
    taken = [
        name.split(".")[-1].replace("plans", "PLANS")
        for name, counts in model.interventions.received.items()
        if counts[patient] > 0
    ]
    return "took up: " + ", ".join(taken) if taken else "took up nothing"


def community_figure(model: TeachingModel, state: str, page: int = 0) -> Figure:
    """Both arms' communities of the shown patients, centre coloured by ``state``.

    Args:
        model: The teaching model.
        state: A key of :data:`PATIENT_STATES`.
        page: Which of the shown patients (see :meth:`TeachingModel.shown_patients`).
    """
    label, low, high = PATIENT_STATES[state]
    patients = model.shown_patients(page)
    norm = Normalize(low, high)
    with style_context():
        fig = Figure(figsize=(2.6 * len(patients) + 0.8, 7.2))
        axes = fig.subplots(2, len(patients), squeeze=False)
        fig.subplots_adjust(left=0.07, right=0.99, top=0.88, bottom=0.25, wspace=0.06, hspace=0.16)
        for row, (arm, arm_model) in enumerate(model.arms.items()):
            values = getattr(arm_model.dynamics.patients, state)
            for ax, patient in zip(axes[row], patients, strict=True):
                now = community_now(arm_model, patient)
                draw_community(
                    ax, now, PATIENT_CMAP(norm(values[patient])), f"{values[patient]:.2f}"
                )
                if arm == "intervention" and model.components():
                    ax.text(
                        0,
                        -RADII[-1] - 0.2,
                        _received(arm_model, patient),
                        ha="center",
                        va="top",
                        fontsize=9,
                    )
            axes[row, 0].text(
                -0.08,
                0.5,
                ARM_LABELS[arm],
                transform=axes[row, 0].transAxes,
                rotation=90,
                ha="right",
                va="center",
                fontsize=13,
                fontweight="bold",
            )
        for ax, patient in zip(axes[0], patients, strict=True):
            network = codes.NETWORK_TYPES[model.population.patients.network_type[patient]]
            ax.set_title(f"Patient {patient}\n{network.replace('_', ' ')} network", fontsize=11)
        when = f"Week {model.week}" + (", after recruitment" if model.week == 0 else "")
        fig.suptitle(
            f"{when}: the patient's {label.lower()} (centre) and their helpers' strain",
            fontsize=13,
        )
        _colour_bars(fig, label, norm)
    return fig


def _colour_bars(fig: Figure, label: str, norm: Normalize) -> None:
    """Colour scales under the maps (patient state, member strain) and keys to lines, shapes."""
    for left, cmap, scale, title, extend in (
        (0.08, PATIENT_CMAP, norm, f"Patient (centre): {label}", "neither"),
        (0.56, STRAIN_CMAP, Normalize(0.0, STRAIN_MAX), "Members: strain of helping", "max"),
    ):
        cax = fig.add_axes((left, 0.16, 0.36, 0.025))
        bar = fig.colorbar(
            ScalarMappable(scale, cmap), cax=cax, orientation="horizontal", extend=extend
        )
        bar.set_label(title, fontsize=10, labelpad=2)
        bar.ax.tick_params(labelsize=9)
    ties = [Line2D([], [], color=TIE_COLOURS[t], lw=2.5) for t in _KEY_TIES]
    fig.legend(
        ties,
        [TIE_LABELS[t] for t in _KEY_TIES],
        loc="lower center",
        ncol=len(_KEY_TIES),
        bbox_to_anchor=(0.5, 0.035),
        fontsize=9,
        handlelength=1.4,
        columnspacing=1.2,
    )
    fig.legend(
        *_shapes(),
        loc="lower center",
        ncol=6,
        bbox_to_anchor=(0.5, -0.005),
        fontsize=9,
        handlelength=1.0,
        columnspacing=1.2,
    )


def _shapes() -> tuple[list[Line2D], list[str]]:
    """Legend entries for member shapes, ended ties and ties formed since week 0."""

    def marker(shape: str, face: str = "white", edge: str = "black") -> Line2D:
        return Line2D([], [], ls="", marker=shape, mfc=face, mec=edge, ms=7)

    handles = [marker(KIND_MARKERS[k]) for k in _KEY_KINDS]
    labels = [k.capitalize() for k in _KEY_KINDS]
    handles += [marker("o", "none", GREY), marker("s", STRAIN_CMAP(0.0))]
    labels += ["tie ended (hollow)", "tie formed since week 0 (top gap)"]
    return handles, labels
