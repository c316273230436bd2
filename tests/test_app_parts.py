"""The teaching app's controls, chart data and specifications, summary, server and front end."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pytest

from sim.app.assets import FRONT_END, VEGA_MODULES, missing, unpack_tarball
from sim.app.charts import maps_chart, trends_chart
from sim.app.communities import (
    DRAWN_RADII,
    PATIENT_STATES,
    arm_mean,
    community_now,
    map_rows,
)
from sim.app.lessons import SCENES
from sim.app.map_chart import map_spec
from sim.app.params import (
    MECHANISM_SLIDERS,
    changed_settings,
    component_names,
    differences,
    initial_values,
    intervention_params,
    model_params,
    shown,
)
from sim.app.server import is_loopback, server_command, server_environment
from sim.app.session import Session
from sim.app.teaching_model import TeachingModel
from sim.app.trend_chart import trend_spec
from sim.app.trends import TRENDS, difference_now, trend_rows
from sim.app.views import summary_html
from sim.cli import main
from sim.config.intervention_params import COMPONENTS
from sim.config.parameters import PARAMS
from sim.config.scenario import default_scenario


@pytest.fixture(scope="module")
def model() -> TeachingModel:
    model = TeachingModel(**{**initial_values(), "seed": 4, "mechanisms.navigation.p_join": 0.05})
    for _ in range(6):
        model.step()
    return model


def test_every_declared_component_gets_a_checkbox_and_an_uptake_slider() -> None:
    assert set(component_names()) == set(COMPONENTS)
    params = intervention_params()
    for name in COMPONENTS:
        assert params[f"interventions.{name}.enabled"]["type"] == "Checkbox"
        assert params[f"interventions.{name}.p_uptake"]["type"] == "SliderFloat"


def test_every_control_is_a_valid_scenario_key_and_starts_in_its_range() -> None:
    params = model_params()
    values = {key: spec["value"] for key, spec in params.items() if key != "seed"}
    default_scenario().with_overrides(values)  # raises on an unknown key or a bad value
    for key, spec in params.items():
        if "min" in spec:
            assert spec["min"] <= spec["value"] <= spec["max"], f"{key} starts outside its slider"
    for slider in MECHANISM_SLIDERS:
        assert params[slider.key]["value"] == PARAMS[slider.key].default


def test_changed_settings_and_differences_list_only_what_differs() -> None:
    start = initial_values()
    assert changed_settings(start) == [] and differences(start, start) == []
    moved = {
        **start,
        "mechanisms.navigation.p_join": 0.03,
        "interventions.genie.session.enabled": True,
    }
    assert changed_settings(moved) == ["GENIE session: on", "Group joining: 0.03 chance/week"]
    assert differences(start, moved) == [
        "GENIE session: off → on",
        "Group joining: 0.012 → 0.03 chance/week",
    ]


def test_controls_show_their_value_with_its_unit() -> None:
    params = model_params()
    assert shown(params["interventions.bright.plans.p_uptake"], 0.6) == "60%"
    assert shown(params["mechanisms.work.treatment_hours"], 1.5) == "1.5 hours/week"
    assert shown(params["interventions.bright.plans.enabled"], False) == "off"
    assert shown(params["seed"], 7) == "7"


def test_community_now_places_ties_formed_since_week_0_in_the_top_gap(
    model: TeachingModel,
) -> None:
    arm = model.arms["intervention"]
    joined = np.flatnonzero(arm.dynamics.patients.joined > 0)
    assert len(joined), "expected someone to join a group at p_join = 0.05 within 6 weeks"
    now = community_now(arm, int(joined[0]))
    assert now.new.any() and now.current[now.new].all()
    top = now.xy[now.new]
    assert (top[:, 1] > 0).all() and (np.abs(top[:, 0]) < 0.5 * top[:, 1]).all()
    week0 = community_now(model.arms["usual_care"], 0)
    assert len(week0.xy) == len(week0.tie_type) == len(week0.strain)


@pytest.mark.parametrize("state", list(PATIENT_STATES))
def test_map_rows_hold_every_shown_community_in_both_arms(model: TeachingModel, state: str) -> None:
    rows = map_rows(model, state)
    shown_patients = model.shown_patients()
    by_layer = {
        layer: [r for r in rows if r["layer"] == layer] for layer in {r["layer"] for r in rows}
    }
    assert [r["text"][0] for r in by_layer["header"]] == [f"Patient {p}" for p in shown_patients]
    assert len(by_layer["ring"]) == 2 * len(shown_patients) * len(DRAWN_RADII)
    for row, arm in enumerate(model.arms):
        label = next(r for r in by_layer["rowlabel"] if r["row"] == row)
        assert label["text"][1] == f"mean {arm_mean(model, arm, state):.2f}"
        values = getattr(model.arms[arm].dynamics.patients, state)
        discs = sorted(
            (r for r in by_layer["patient"] if r["row"] == row), key=lambda r: r["column"]
        )
        assert [d["value"] for d in discs] == [float(values[p]) for p in shown_patients]
    notes = by_layer["note"]
    assert len(notes) == len(shown_patients) and all(r["row"] == 1 for r in notes)


def test_members_are_drawn_on_the_app_s_circles(model: TeachingModel) -> None:
    rows = [r for r in map_rows(model, "loneliness") if r["layer"] == "member"]
    radius = np.hypot([r["x"] for r in rows], [r["y"] for r in rows])
    nearest = np.abs(radius[:, None] - np.asarray(DRAWN_RADII)[None, :]).min(axis=1)
    assert (nearest < 0.01).all(), "every member sits on one of the drawn circles"


def test_the_map_spec_is_a_fixed_grid_reading_one_dataset() -> None:
    spec = map_spec("awareness")
    assert spec["data"] == {"name": "maps"}
    assert len(spec["vconcat"]) == 3, "headers, usual care, intervention"
    assert all(len(row["hconcat"]) == 5 for row in spec["vconcat"]), "a label and 4 maps"
    assert "awareness of local resources" in json.dumps(spec)


def test_trend_rows_give_both_arms_every_week_and_a_y_range_of_at_least_the_span(
    model: TeachingModel,
) -> None:
    rows = trend_rows(model)
    for order, (measure, trend) in enumerate(TRENDS.items()):
        mine = [r for r in rows if r["order"] == order]
        for arm in ("Usual care", "Intervention"):
            line = [r for r in mine if r["layer"] == "line" and r["arm"] == arm]
            assert [r["week"] for r in line] == list(range(model.week + 1))
        low, high = (r["value"] for r in mine if r["layer"] == "pad")
        assert high - low >= trend.span - 1e-9, measure
    assert difference_now(model, "eq5d").startswith(("+", "-"))
    assert difference_now(model, "bp_controlled").endswith(" points")


def test_chart_data_match_their_specifications(model: TeachingModel) -> None:
    maps, trends = maps_chart(model, "heiq", 1), trends_chart(model)
    assert set(maps.datasets) == {json.loads(maps.spec)["data"]["name"]}
    assert set(trends.datasets) == {json.loads(trends.spec)["data"]["name"]}
    (differences_now,) = trends.signals.values()
    assert len(differences_now) == len(TRENDS)
    assert len(trend_spec()["vconcat"]) == 2


def test_summary_names_the_week_recruitment_the_table_and_the_changed_settings(
    model: TeachingModel,
) -> None:
    text = summary_html(model)
    assert "Week 6" in text and "At recruitment (week 0)" in text
    now = model.current("knowledge_clinical")["intervention"]
    assert f"id='table-knowledge_clinical-intervention' style='text-align:right'>{now:.3f}<" in text
    assert "BRIGHT guidebook" in text and "Group joining: 0.05 chance/week" in text


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_server_listens_on_loopback_addresses(host: str) -> None:
    command = server_command(host, 9000)
    assert command[command.index("--host") + 1] == host and "--production" in command


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "example.org", "::"])
def test_server_refuses_other_addresses(host: str, capsys: pytest.CaptureFixture) -> None:
    assert not is_loopback(host)
    assert main(["app", "--host", host]) == 2
    assert "loopback" in capsys.readouterr().err


def test_the_server_hides_solara_s_floating_badge() -> None:
    assert server_environment()["SOLARA_THEME_SHOW_BANNER"] == "False"


def test_the_chart_libraries_are_part_of_the_front_end() -> None:
    packages = {spec.rsplit("@", 1)[0] for spec in FRONT_END}
    assert {"vega", "vega-lite", "vega-embed"} <= packages
    for path in VEGA_MODULES.values():
        assert path.split("/", 1)[0] in FRONT_END


def _npm_tarball(path: Path, name: str) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        data = json.dumps({"name": name}).encode()
        info = tarfile.TarInfo("package/package.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def test_front_end_packages_unpack_where_the_asset_proxy_looks(tmp_path: Path) -> None:
    cache = tmp_path / "cdn"
    assert missing(FRONT_END, cache) == list(FRONT_END)
    spec = FRONT_END[0]
    unpack_tarball(_npm_tarball(tmp_path / "a.tgz", spec), cache / spec)
    assert (cache / spec / "package.json").is_file()
    assert missing(FRONT_END, cache) == list(FRONT_END[1:])


def test_a_changed_control_waits_for_reset_and_reset_says_what_it_changed() -> None:
    session = Session(initial_values())
    session.step()
    assert session.pending() == [] and session.model.value.week == 1
    session.set_value("mechanisms.navigation.p_join", 0.04)
    assert session.pending() == ["Group joining: 0.012 → 0.04 chance/week"]
    assert session.model.value.config["mechanisms.navigation.p_join"] == 0.012, "not yet applied"
    session.reset()
    assert session.pending() == [] and session.model.value.week == 0
    assert session.model.value.config["mechanisms.navigation.p_join"] == 0.04
    assert session.note.value == (
        "Reset rebuilt both arms at week 0 with Group joining: 0.012 → 0.04 chance/week."
    )
    session.reset()
    assert session.note.value == "Reset rebuilt both arms at week 0, with the same settings."


def test_a_scene_sets_the_controls_the_maps_and_the_sentence() -> None:
    session = Session(initial_values())
    scene = next(s for s in SCENES if s.title == "GENIE instead")
    session.run_scene(scene)
    assert session.pending() == [], "the controls show what the model runs"
    assert session.values.value["interventions.genie.session.enabled"]
    assert session.choice.value.colour_by == "awareness"
    assert session.lesson.value.startswith("GENIE gives no leaflet")
    assert "run to week 12" in session.note.value
    session.reset()
    assert session.lesson.value == ""


def test_a_slider_snapping_an_off_grid_value_is_not_a_change():
    from sim.app.params import model_params
    from sim.app.session import Session

    session = Session(initial_values())
    key = "interventions.bright.guidebook.p_uptake"
    step = model_params()[key]["step"]
    start = session.values.value[key]
    session.set_value(key, start + 0.4 * step)  # the slider's snap to its grid
    assert session.values.value[key] == start, "expected a snap within half a step ignored"
    assert session.pending() == [], "expected nothing pending after a snap"
    session.set_value(key, start + step)
    assert session.values.value[key] == start + step, "expected a real move kept"
    assert len(session.pending()) == 1, "expected the real move pending"
