"""The teaching app's controls, figures, summary, server command and front-end cache."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pytest

from sim.app.assets import FRONT_END, missing, unpack_tarball
from sim.app.communities import PATIENT_STATES, community_figure, community_now
from sim.app.params import (
    MECHANISM_SLIDERS,
    changed_settings,
    component_names,
    intervention_params,
    model_params,
)
from sim.app.server import is_loopback, server_command
from sim.app.teaching_model import TeachingModel
from sim.app.trends import TRENDS, trends_figure
from sim.app.views import summary_html
from sim.cli import main
from sim.parameters import PARAMS
from sim.params.interventions import COMPONENTS
from sim.scenario import default_scenario


@pytest.fixture(scope="module")
def model() -> TeachingModel:
    model = TeachingModel(seed=4, **{"mechanisms.navigation.p_join": 0.05})
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


def test_changed_settings_lists_only_what_differs_from_the_start() -> None:
    start = {key: spec["value"] for key, spec in model_params().items()}
    assert changed_settings(start) == []
    moved = {
        **start,
        "mechanisms.navigation.p_join": 0.03,
        "interventions.genie.session.enabled": True,
    }
    assert changed_settings(moved) == ["GENIE session: on", "Group joining /week: 0.03"]


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
def test_community_figure_draws_both_arms_for_every_state(model: TeachingModel, state: str) -> None:
    fig = community_figure(model, state)
    maps = [ax for ax in fig.axes if not ax.axison]
    assert len(maps) == 2 * len(model.shown_patients()), "a map per arm and shown patient"
    assert PATIENT_STATES[state][0].lower() in fig._suptitle.get_text()


def test_trends_figure_has_a_plot_per_measure_with_both_arms(model: TeachingModel) -> None:
    fig = trends_figure(model)
    assert len(fig.axes) == len(TRENDS)
    for ax in fig.axes:
        assert len(ax.lines) == 2, f"{ax.get_title()!r} should show both arms"
        assert len(ax.lines[0].get_xdata()) == model.week + 1


def test_summary_names_the_week_the_components_and_the_changed_settings(
    model: TeachingModel,
) -> None:
    text = summary_html(model)
    assert "Week 6 of 104" in text
    assert "BRIGHT guidebook" in text and "Group joining /week: 0.05" in text


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_server_listens_on_loopback_addresses(host: str) -> None:
    command = server_command(host, 9000)
    assert command[command.index("--host") + 1] == host and "--production" in command


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "example.org", "::"])
def test_server_refuses_other_addresses(host: str, capsys: pytest.CaptureFixture) -> None:
    assert not is_loopback(host)
    assert main(["app", "--host", host]) == 2
    assert "loopback" in capsys.readouterr().err


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
