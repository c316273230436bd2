"""What recruitment (week 0) gave the intervention arm, and what it changed, in plain words.

The components scheduled for week 0 are delivered when the model is built, so at week 0 the
intervention arm's inputs (knowledge, awareness, ...) already differ from usual care's. The two
arms are the same patients with the same random numbers up to that moment, so usual care's
values are the intervention arm's values before recruitment: comparing the arms at week 0 shows
exactly what recruitment changed, whatever the model computes before it (a usual-care warm-up,
say). Only the inputs interventions may change (:data:`sim.interventions.inputs.INPUTS`) are
compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim.config.intervention_params import COMPONENTS
from sim.interventions.inputs import INPUTS
from sim.model import CommunityModel

#: Names of the inputs in the sentence (others are shown by their array name).
INPUT_LABELS: Mapping[str, str] = {
    "knowledge_clinical": "clinical knowledge",
    "knowledge_lay": "lay knowledge",
    "awareness": "awareness of local resources",
    "awareness_base": "the level awareness returns to",
    "guidance": "guidance towards groups",
    "match": "activities matched to local groups",
    "skill": "negotiation skill",
}
#: Smallest change of a mean worth reporting.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Delivery:
    """A component given at recruitment: its title, and how many were offered it and took it up."""

    title: str
    offered: int
    took_up: int


@dataclass(frozen=True)
class Change:
    """An input changed at recruitment: its mean over living patients without and with it.

    For an input with several values per patient (the activity match), ``before`` is 0 and
    ``after`` the share of patients whose values changed.
    """

    name: str
    before: float
    after: float
    per_patient: bool = True


@dataclass(frozen=True)
class Recruitment:
    """What the intervention arm received at week 0, what it changed, and what comes later.

    Attributes:
        deliveries: Components delivered at week 0.
        changes: Inputs whose values differ between the arms at week 0.
        later: Components delivered only after week 0, with their weeks.
    """

    deliveries: tuple[Delivery, ...]
    changes: tuple[Change, ...]
    later: tuple[tuple[str, tuple[int, ...]], ...]

    def schedule(self) -> str:
        """When the intervention arm receives what: "X at recruitment (week 0); Y at week 1"."""
        parts = []
        if self.deliveries:
            titles = [d.title for d in self.deliveries]
            given = ", ".join(titles[:-1]) + (" and " if len(titles) > 1 else "") + titles[-1]
            parts.append(f"{given} at recruitment (week 0)")
        parts += [_later(title, weeks) for title, weeks in self.later]
        return "; ".join(parts) if parts else "nothing"

    def sentence(self) -> str:
        """The summary in plain words, e.g. for the app's banner."""
        if not self.deliveries and not self.later:
            return "The intervention arm receives nothing: both arms are usual care."
        parts = [_given(self.deliveries)]
        if self.changes:
            parts.append(
                "Compared with the same patients in usual care, "
                + "; ".join(_changed(c) for c in self.changes)
                + "."
            )
        elif self.deliveries:
            parts.append("It changed none of their inputs yet.")
        if self.later:
            parts.append("Later: " + "; ".join(_later(t, w) for t, w in self.later) + ".")
        return " ".join(parts)


def _given(deliveries: tuple[Delivery, ...]) -> str:
    if not deliveries:
        return "At recruitment (week 0) the intervention arm received nothing."
    items = ", ".join(f"{d.title} ({d.took_up} of {d.offered} took it up)" for d in deliveries)
    return f"At recruitment (week 0) the intervention arm received: {items}."


def _changed(change: Change) -> str:
    label = INPUT_LABELS.get(change.name, change.name.replace("_", " "))
    if not change.per_patient:
        return f"{label} for {change.after:.0%} of patients"
    verb = "rose" if change.after > change.before else "fell"
    return f"{label} {verb} from {change.before:.2f} to {change.after:.2f}"


def _later(title: str, weeks: tuple[int, ...]) -> str:
    shown = ", ".join(str(w) for w in weeks[:-1]) + (" and " if len(weeks) > 1 else "")
    return f"{title} at week{'s' if len(weeks) > 1 else ''} {shown}{weeks[-1]}"


def summarise_recruitment(arms: Mapping[str, CommunityModel]) -> Recruitment:
    """Compare the arms' inputs at week 0 (call it before the first step).

    Args:
        arms: The usual-care and intervention models, keyed ``"usual_care"`` and
            ``"intervention"``, built from one seed.
    """
    usual, treated = arms["usual_care"], arms["intervention"]
    deliveries, later = [], []
    for component in treated.interventions.components:
        title = COMPONENTS.get(component.name, (component.name, ""))[0]
        if 0 in component.weeks:
            offered = int((treated.interventions.offered[component.name] > 0).sum())
            took = int((treated.interventions.received[component.name] > 0).sum())
            deliveries.append(Delivery(title, offered, took))
        else:
            later.append((title, component.weeks))
    alive = treated.dynamics.patients.alive
    changes = [
        change for name in INPUTS if (change := _compare(name, usual, treated, alive)) is not None
    ]
    return Recruitment(tuple(deliveries), tuple(changes), tuple(later))


def _compare(
    name: str, usual: CommunityModel, treated: CommunityModel, alive: np.ndarray
) -> Change | None:
    """How input ``name`` differs between the arms (None if it does not)."""
    before = getattr(usual.dynamics.patients, name)[alive]
    after = getattr(treated.dynamics.patients, name)[alive]
    if before.ndim > 1:
        moved = np.any(np.abs(after - before) > _TOLERANCE, axis=1)
        return Change(name, 0.0, float(moved.mean()), per_patient=False) if moved.any() else None
    low, high = float(before.mean()), float(after.mean())
    return Change(name, low, high) if abs(high - low) > _TOLERANCE else None
