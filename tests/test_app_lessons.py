"""The lesson's scenes, the life event they stage, and the summary of what recruitment changed.

What a scene tells the class to notice must happen in the model: each scene's comparisons (which
is higher) are checked over several seeds, not only that the scene runs.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim.app.events import has_partner, lose_partner, partner_slots
from sim.app.lessons import PARTNER_LEAVES, SCENES, Scene
from sim.app.params import component_names, initial_values, model_params
from sim.app.teaching_model import TeachingModel
from sim.config.scenario import default_scenario

SEEDS = (1, 2, 3)
ALL_OFF = {f"interventions.{name}.enabled": False for name in component_names()}


@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.title)
@pytest.mark.parametrize("seed", SEEDS)
def test_what_each_scene_says_to_notice_happens_in_the_model(scene: Scene, seed: int) -> None:
    played = scene.play({**initial_values(), "seed": seed})
    assert played.checks, "a scene says what to compare"
    failed = [check.what for check in played.checks if not check.holds()]
    assert not failed, f"{scene.title}, seed {seed}: {failed}\n{played.notice}"
    numbers = re.findall(r"\d+\.\d+|\d+%", played.notice)
    assert len(numbers) >= 2, f"the sentence quotes the model's numbers: {played.notice}"


@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.title)
def test_each_scene_sets_every_control_to_a_valid_value_and_stops_at_its_week(
    scene: Scene,
) -> None:
    played = scene.play(initial_values())
    assert set(played.values) == set(model_params())
    scenario_values = {k: v for k, v in played.values.items() if k != "seed"}
    default_scenario().with_overrides(scenario_values)  # raises on a bad key or value
    assert played.model.week > 0 and played.model.config.values.items() >= scenario_values.items()


def test_a_scene_sets_only_what_it_is_about() -> None:
    opening = initial_values()
    genie = next(s for s in SCENES if s.title == "GENIE instead").play(opening)
    changed = {k for k in opening if opening[k] != genie.values[k]}
    assert changed == {
        "interventions.genie.session.enabled",
        "interventions.bright.guidebook.enabled",
        "interventions.bright.plans.enabled",
        "interventions.bright.calls.enabled",
    }


def test_a_partner_leaving_ends_that_tie_in_both_arms_from_then_on() -> None:
    scene = next(s for s in SCENES if s.title == "A patient loses their partner")
    played = scene.play(initial_values())
    patient = int(re.search(r"Patient (\d+)", played.notice)[1])
    assert patient in played.model.shown_patients(played.page), "the patient is on the maps"
    for arm in played.model.arms.values():
        assert not has_partner(arm, patient)
    assert f"week {PARTNER_LEAVES}" in played.notice


def test_lose_partner_empties_the_slot_as_the_dynamics_do() -> None:
    model = TeachingModel(seed=1, **ALL_OFF)
    arm = model.arms["usual_care"]
    patient = next(p for p in range(model.population.n_patients) if has_partner(arm, p))
    (slot,) = partner_slots(arm, patient)
    size = len(arm.ties_of(patient))
    assert lose_partner(arm, patient) == 1
    slots = arm.dynamics.slots
    assert not slots.active[slot] and slots.contact[slot] == 0.0
    assert slots.alter[slot] == arm.weekly.sentinel and not arm.weekly.masks.personal[slot]
    assert len(arm.ties_of(patient)) == size - 1 and lose_partner(arm, patient) == 0
    assert has_partner(model.arms["intervention"], patient), "the other arm is untouched"


def test_recruitment_says_what_was_given_and_what_it_changed() -> None:
    genie = TeachingModel(seed=2, **{**ALL_OFF, "interventions.genie.session.enabled": True})
    (delivery,) = genie.recruitment.deliveries
    assert delivery.title == "GENIE session" and 0 < delivery.took_up <= delivery.offered == 200
    names = {change.name for change in genie.recruitment.changes}
    assert {"awareness", "guidance", "skill", "match"} <= names
    assert "knowledge_clinical" not in names, "GENIE gives no leaflet"
    usual = genie.arms["usual_care"].dynamics.patients.awareness.mean()
    sentence = genie.recruitment.sentence()
    assert f"awareness of local resources rose from {usual:.2f}" in sentence
    assert sentence.startswith("At recruitment (week 0) the intervention arm received: GENIE")


def test_recruitment_with_nothing_at_week_0_or_nothing_at_all() -> None:
    calls = TeachingModel(seed=2, **{**ALL_OFF, "interventions.bright.calls.enabled": True})
    assert calls.recruitment.deliveries == () and calls.recruitment.changes == ()
    assert "Later: BRIGHT telephone calls at weeks 1 and 5." in calls.recruitment.sentence()
    assert calls.recruitment.schedule() == "BRIGHT telephone calls at weeks 1 and 5"
    nothing = TeachingModel(seed=2, **ALL_OFF)
    assert "receives nothing" in nothing.recruitment.sentence()
    assert nothing.recruitment.schedule() == "nothing"


def test_everyone_offered_takes_a_component_up_at_full_uptake() -> None:
    model = TeachingModel(
        seed=3,
        **{
            **ALL_OFF,
            "interventions.bright.guidebook.enabled": True,
            "interventions.bright.guidebook.p_uptake": 1.0,
        },
    )
    (delivery,) = model.recruitment.deliveries
    assert delivery.took_up == delivery.offered
    (change,) = [c for c in model.recruitment.changes if c.name == "knowledge_clinical"]
    after = model.arms["intervention"].dynamics.patients.knowledge_clinical.mean()
    assert change.after == pytest.approx(after) and change.after > change.before
    assert np.isclose(
        change.before, model.arms["usual_care"].dynamics.patients.knowledge_clinical.mean()
    )
