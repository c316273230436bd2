"""The mechanism inputs an intervention may change, and how it changes them (ODD 7.10).

Interventions never shift an outcome: they change only the per-patient inputs listed in
:data:`INPUTS`, which the weekly mechanisms then read. Three kinds of change:

* **dose** (knowledge, awareness, negotiation skill): ``x += dose (1 - x)``, a share of the gap to
  1 closed; the mechanisms then carry the raised stock forward (knowledge fades and is re-learnt,
  awareness returns towards its baseline);
* **level** (guidance): ``x = max(x, level)``; guidance then decays;
* **match** (activity categories): the match weight of the patient's ``n`` most preferred
  categories that their locality offers is raised to at least ``weight``, steering the choice of
  group (ODD 7.8).

A change with a duration (``awareness_base``) is temporary: the raised value holds for that many
weeks, then the value before the intervention is restored.

Each input feeds one switchable mechanism (``Input.switch``, a key of
``mechanisms.switches``). When that mechanism is switched off, the input is inert: the component is
still offered, taken up and paid for (the same random draws), but the change is not made. So a
switched-off mechanism carries none of an intervention's effect, which is what mechanism
attribution (``sim attribute``) and ablation rely on. The guidebook's knowledge counts as
knowledge and experience sharing (it combines clinical information with other patients' lay
accounts; Vassilev et al. 2014, theme 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Input:
    """A mechanism input that interventions may change.

    Attributes:
        how: ``"dose"``, ``"level"`` or ``"match"`` (see the module docstring).
        mechanism: The mechanism that reads it (ODD section).
        switch: The mechanism switch (``mechanisms.switches.<switch>``) that must be on for a
            change to this input to take effect.
        temporary: True if every change to it needs a duration (``dur_<name>``).
    """

    how: str
    mechanism: str
    switch: str
    temporary: bool = False


#: PatientState field -> how interventions may change it.
INPUTS: dict[str, Input] = {
    "knowledge_clinical": Input(
        "dose", "knowledge, self-efficacy and self-management (ODD 7.2, 7.5)", "knowledge_sharing"
    ),
    "knowledge_lay": Input(
        "dose",
        "knowledge, self-efficacy, self-management and navigation (ODD 7.2, 7.5, 7.8)",
        "knowledge_sharing",
    ),
    "awareness": Input("dose", "navigation (ODD 7.8)", "navigation"),
    "awareness_base": Input(
        "dose", "navigation: the level awareness returns to (ODD 7.8)", "navigation", True
    ),
    "guidance": Input("level", "navigation (ODD 7.8)", "navigation"),
    "match": Input("match", "navigation: the choice of group (ODD 7.8)", "navigation"),
    "skill": Input("dose", "negotiation (ODD 7.9)", "negotiation"),
}


def raise_toward_one(value: np.ndarray, dose: float) -> np.ndarray:
    """Close a share ``dose`` of the gap between ``value`` and 1: ``x + dose (1 - x)``."""
    return value + dose * (1.0 - value)


def at_least(value: np.ndarray, level: float) -> np.ndarray:
    """Raise ``value`` to ``level`` where it is lower."""
    return np.maximum(value, level)


def matched_categories(preferences: np.ndarray, available: np.ndarray, n: int) -> np.ndarray:
    """Mark each patient's ``n`` most preferred categories among those their locality offers.

    Args:
        preferences: Activity preferences, shape (m, n categories).
        available: Groups of each category in each patient's locality, shape (m, n categories).
        n: Categories to match per patient (fewer where the locality offers fewer).

    Returns:
        Boolean array (m, n categories); ties in preference go to the lower category code.
    """
    score = np.where(available > 0, preferences, -1.0)
    order = np.argsort(-score, axis=1, kind="stable")[:, :n]
    chosen = np.zeros(preferences.shape, bool)
    np.put_along_axis(chosen, order, True, axis=1)
    return chosen & (available > 0)


def raise_match(match: np.ndarray, chosen: np.ndarray, weight: float) -> np.ndarray:
    """Raise the match weight of the chosen categories to at least ``weight``."""
    return np.where(chosen, np.maximum(match, weight), match)
