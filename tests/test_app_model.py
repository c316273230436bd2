"""The teaching model: two arms with common random numbers, and what Mesa's SolaraViz passes it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

from sim.app.params import component_names, model_params
from sim.app.teaching_model import ARMS, TeachingModel

ALL_OFF = {f"interventions.{name}.enabled": False for name in component_names()}
GUIDEBOOK_ONLY = {**ALL_OFF, "interventions.bright.guidebook.enabled": True}


def _frames(model: TeachingModel) -> dict[str, pd.DataFrame]:
    return {arm: m.datacollector.get_model_vars_dataframe() for arm, m in model.arms.items()}


def _run(model: TeachingModel, weeks: int) -> TeachingModel:
    for _ in range(weeks):
        model.step()
    return model


def test_arms_share_the_population_and_differ_at_week_0_only_by_recruitment() -> None:
    model = TeachingModel(seed=3, **{**ALL_OFF, "interventions.genie.session.enabled": True})
    usual, intervention = (model.arms[arm] for arm in ARMS)
    assert usual.population is intervention.population is model.population
    assert usual.arm.sum() == 0 and intervention.arm.all(), "usual care gets nothing, the other all"
    frames = _frames(model)  # the arms' own record of week 0 is taken before recruitment
    pd.testing.assert_series_equal(
        frames["usual_care"].iloc[0], frames["intervention"].iloc[0], check_names=False
    )
    now = {measure: model.current(measure) for measure in ("awareness", "eq5d", "heiq")}
    assert now["awareness"]["intervention"] > now["awareness"]["usual_care"], "GENIE at week 0"
    assert now["eq5d"]["intervention"] == now["eq5d"]["usual_care"], "outcomes follow later"


def test_the_weekly_record_is_the_state_the_maps_read_at_every_week() -> None:
    model = TeachingModel(seed=6, **GUIDEBOOK_ONLY)
    for _ in range(3):
        for arm, arm_model in model.arms.items():
            patients = arm_model.dynamics.patients
            mean = patients.knowledge_clinical[patients.alive].mean()
            assert model.current("knowledge_clinical")[arm] == pytest.approx(mean, abs=1e-12)
            assert (
                model.history("knowledge_clinical")[arm][-1]
                == model.current("knowledge_clinical")[arm]
            )
        model.step()
    assert all(len(values) == 4 for values in model.history("eq5d").values())


def test_record_after_a_change_between_weeks_replaces_this_week() -> None:
    model = _run(TeachingModel(seed=2, **ALL_OFF), 2)
    before = model.history("mean_network_size")["usual_care"].copy()
    usual = model.arms["usual_care"]
    usual.dynamics.slots.active[usual.ties_of(0)[0]] = False  # as if a tie had ended
    model.record()
    after = model.history("mean_network_size")["usual_care"]
    assert len(after) == len(before) == 3
    np.testing.assert_array_equal(after[:2], before[:2])
    assert after[2] < before[2]


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param(ALL_OFF, id="no component enabled"),
        pytest.param(
            {f"interventions.{name}.p_uptake": 0.0 for name in component_names()},
            id="every component enabled by default, nobody takes it up",
        ),
    ],
)
def test_arms_follow_identical_trajectories_when_the_intervention_does_nothing(
    overrides: dict,
) -> None:
    model = _run(TeachingModel(seed=5, **overrides), 12)
    frames = _frames(model)
    pd.testing.assert_frame_equal(frames["usual_care"], frames["intervention"])
    usual, intervention = (model.arms[arm].dynamics for arm in ARMS)
    for name in ("knowledge_clinical", "utility", "sbp", "collective", "joined"):
        np.testing.assert_array_equal(
            getattr(usual.patients, name),
            getattr(intervention.patients, name),
            err_msg=f"{name} should not differ between arms given the same random numbers",
        )
    np.testing.assert_array_equal(usual.slots.alter, intervention.slots.alter)


def test_the_guidebook_raises_clinical_knowledge_only_in_the_intervention_arm() -> None:
    model = _run(TeachingModel(seed=7, **GUIDEBOOK_ONLY), 4)
    history = model.history("knowledge_clinical")
    gap = history["intervention"] - history["usual_care"]
    assert (gap > 0.02).all(), f"expected the guidebook to raise clinical knowledge; gap {gap}"
    assert model.components() == ["BRIGHT guidebook"]


def test_same_seed_same_run_and_another_seed_another_population() -> None:
    a, b = (_run(TeachingModel(seed=11), 3) for _ in range(2))
    pd.testing.assert_frame_equal(_frames(a)["intervention"], _frames(b)["intervention"])
    other = TeachingModel(seed=12)
    assert not np.array_equal(other.population.patients.age, a.population.patients.age)


def test_model_stops_after_its_weeks() -> None:
    model = TeachingModel(seed=1, weeks=3)
    assert model.running
    _run(model, 3)
    assert model.week == 3 and not model.running, "expected play to stop after `weeks` weeks"


def test_shown_patients_cover_the_chosen_network_types_and_change_page() -> None:
    model = TeachingModel(seed=2)
    first, second = model.shown_patients(0), model.shown_patients(1)
    types = model.population.patients.network_type
    assert len(first) == 4 and len(set(types[first])) == 4, "one patient of each shown type"
    assert list(types[first]) == list(types[second]) and first != second


def test_solara_viz_can_check_and_rebuild_the_model_from_its_controls() -> None:
    params = model_params()
    model = TeachingModel(seed=1)
    _check_model_params(model, params)  # raises on a control the model does not accept
    values = {key: spec["value"] for key, spec in params.items()}
    values["mechanisms.navigation.p_join"] = 0.04
    values["seed"] = 9
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    rebuilt = TeachingModel(**kwargs)  # as SolaraViz's Reset does, with Mesa's own scenario
    assert rebuilt.config["mechanisms.navigation.p_join"] == 0.04
    assert rebuilt.seed == 9 and rebuilt.week == 0
