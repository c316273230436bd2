"""Lesson mode: guided scenes from ``docs/teaching_guide.md``, one button each.

A scene sets the app's controls (scenario keys, from the controls' opening values), builds the
teaching model, runs it to a chosen week (staging a life event on the way if it has one) and
says in one sentence what to notice. The sentence is written from the model's own numbers, and
each scene states the comparisons behind it as :class:`Check` s (which is higher), so that a test
can confirm that what the class is told to notice does happen in the model.

Scenes that change the world both arms live in (heavier treatment, a partner leaving) compare
with a reference model built from the same seed without the change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sim.app.events import has_partner, lose_partner
from sim.app.params import DEFAULT_COMPONENTS, component_names
from sim.app.teaching_model import TeachingModel


@dataclass(frozen=True)
class Check:
    """A comparison a scene's sentence makes: ``first`` is above, below or equal to ``second``."""

    what: str
    first: float
    second: float
    relation: str  # ">", "<" or "=="

    def holds(self) -> bool:
        """True if the comparison holds in the model."""
        if self.relation == "==":
            return self.first == self.second
        return self.first > self.second if self.relation == ">" else self.first < self.second


@dataclass(frozen=True)
class Played:
    """A scene after it has run.

    Attributes:
        values: The controls' values the scene set (every control).
        model: The teaching model at the scene's week.
        notice: The sentence of what to notice.
        checks: The comparisons behind the sentence.
        colour_by: The patient state the maps should show.
        page: Which of the shown patients the maps should show.
    """

    values: dict[str, Any]
    model: TeachingModel
    notice: str
    checks: tuple[Check, ...]
    colour_by: str
    page: int = 0


@dataclass(frozen=True)
class Scene:
    """A guided scene: a button title and how to play it from the opening values."""

    title: str
    play: Callable[[Mapping[str, Any]], Played]


def _components(*enabled: str, uptake: float | None = None) -> dict[str, Any]:
    """Controls ticking exactly ``enabled`` components (and, if given, every uptake)."""
    out: dict[str, Any] = {}
    for name in component_names():
        out[f"interventions.{name}.enabled"] = name in enabled
        if uptake is not None:
            out[f"interventions.{name}.p_uptake"] = uptake
    return out


def _run(values: Mapping[str, Any], weeks: int) -> TeachingModel:
    model = TeachingModel(**values)
    for _ in range(weeks):
        model.step()
    return model


def _both(model: TeachingModel, measure: str) -> tuple[float, float]:
    now = model.current(measure)
    return now["intervention"], now["usual_care"]


def bright_for_everyone(opening: Mapping[str, Any]) -> Played:
    """All three BRIGHT components, taken up by every patient, to week 26."""
    values = {**opening, **_components(*DEFAULT_COMPONENTS, uptake=1.0)}
    model = _run(values, 26)
    start = model.history("knowledge_clinical")["intervention"][0]
    know, know_usual = _both(model, "knowledge_clinical")
    eq5d, eq5d_usual = _both(model, "eq5d")
    notice = (
        f"Everyone took BRIGHT up: clinical knowledge jumped to {start:.2f} at recruitment and "
        f"has faded to {know:.2f} by week 26, still above usual care's {know_usual:.2f}; "
        f"quality of life (EQ-5D) is {eq5d:.3f} against {eq5d_usual:.3f}."
    )
    checks = (
        Check("knowledge faded since recruitment", know, start, "<"),
        Check("knowledge above usual care", know, know_usual, ">"),
        Check("EQ-5D above usual care", eq5d, eq5d_usual, ">"),
    )
    return Played(values, model, notice, checks, "knowledge_clinical")


def genie_instead(opening: Mapping[str, Any]) -> Played:
    """GENIE's session alone, to week 12: navigation, not knowledge."""
    values = {**opening, **_components("genie.session")}
    model = _run(values, 12)
    aware, aware_usual = _both(model, "awareness")
    group, group_usual = _both(model, "group_participation")
    notice = (
        f"GENIE gives no leaflet but maps each community: awareness of local resources is "
        f"{aware:.2f} against {aware_usual:.2f}, and {group:.0%} of patients are in a community "
        f"group against {group_usual:.0%} (new squares at the top of the maps)."
    )
    checks = (
        Check("awareness above usual care", aware, aware_usual, ">"),
        Check("more patients in a group", group, group_usual, ">"),
    )
    return Played(values, model, notice, checks, "awareness")


TREATMENT = "mechanisms.work.treatment_hours"


def heavier_treatment(opening: Mapping[str, Any]) -> Played:
    """Twice the treatment work, to week 4, against the opening settings."""
    values = {**opening, TREATMENT: 2 * opening[TREATMENT]}
    model, reference = _run(values, 4), _run(opening, 4)
    tbq, tbq_before = model.current("tbq")["usual_care"], reference.current("tbq")["usual_care"]
    over = model.current("imbalance")["usual_care"]
    over_before = reference.current("imbalance")["usual_care"]
    notice = (
        f"With {values[TREATMENT]:g} hours of treatment a week instead of "
        f"{opening[TREATMENT]:g}, treatment burden (TBQ) in usual care is {tbq:.0f} against "
        f"{tbq_before:.0f} and the workload-capacity imbalance {over:.2f} against "
        f"{over_before:.2f}: both arms pay."
    )
    checks = (
        Check("treatment burden higher", tbq, tbq_before, ">"),
        Check("workload-capacity imbalance higher", over, over_before, ">"),
    )
    return Played(values, model, notice, checks, "self_efficacy")


#: Week the partner leaves in "A patient loses their partner", and the week the scene stops at.
PARTNER_LEAVES, PARTNER_SHOWN_UNTIL = 4, 16


def loses_partner(opening: Mapping[str, Any]) -> Played:
    """A shown patient's partner leaves at week 4 (in both arms); the scene stops at week 16."""
    values = dict(opening)
    model, reference = TeachingModel(**values), TeachingModel(**values)
    page, patient = _patient_with_partner(model)
    for week in range(PARTNER_SHOWN_UNTIL):
        if week == PARTNER_LEAVES:
            for arm in model.arms.values():
                lose_partner(arm, patient)
            model.record()
        model.step()
        reference.step()
    now, then = (m.arms["usual_care"].dynamics.patients for m in (model, reference))
    lonely, lonely_then = float(now.loneliness[patient]), float(then.loneliness[patient])
    unmet, unmet_then = (float(p.unmet()[patient].sum()) for p in (now, then))
    notice = (
        f"Patient {patient}'s partner left at week {PARTNER_LEAVES} (hollow marker): by week "
        f"{PARTNER_SHOWN_UNTIL} their loneliness is {lonely:.2f}, against {lonely_then:.2f} had "
        f"the partner stayed, and {unmet:.1f} hours of their weekly work go undone, "
        f"against {unmet_then:.1f}."
    )
    checks = (
        Check("loneliness higher without the partner", lonely, lonely_then, ">"),
        Check("more work undone without the partner", unmet, unmet_then, ">"),
    )
    return Played(values, model, notice, checks, "loneliness", page)


def _patient_with_partner(model: TeachingModel, pages: int = 50) -> tuple[int, int]:
    """The first shown patient (page, patient) who has a partner."""
    usual = model.arms["usual_care"]
    for page in range(pages):
        for patient in model.shown_patients(page):
            if has_partner(usual, patient):
                return page, patient
    raise ValueError("no shown patient has a partner in this population")


def nothing_given(opening: Mapping[str, Any]) -> Played:
    """Every component off, to week 12: the arms stay identical (common random numbers)."""
    values = {**opening, **_components()}
    model = _run(values, 12)
    eq5d, eq5d_usual = _both(model, "eq5d")
    group, group_usual = _both(model, "group_participation")
    notice = (
        f"With nothing given, both arms are the same patients with the same luck: EQ-5D is "
        f"{eq5d:.4f} and {group:.0%} are in a group in both, to the last digit."
    )
    checks = (
        Check("EQ-5D identical", eq5d, eq5d_usual, "=="),
        Check("group participation identical", group, group_usual, "=="),
    )
    return Played(values, model, notice, checks, "knowledge_clinical")


#: The lesson's scenes, in the order of the teaching guide.
SCENES: tuple[Scene, ...] = (
    Scene("BRIGHT for everyone", bright_for_everyone),
    Scene("GENIE instead", genie_instead),
    Scene("Heavier treatment", heavier_treatment),
    Scene("A patient loses their partner", loses_partner),
    Scene("Nothing given: identical arms", nothing_given),
)
