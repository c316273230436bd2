"""A mean over nobody is NaN, and the labels and the README say so (no silent NaN)."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
from test_no_groups import survey_from_graph, survey_scenario

from sim.model import CommunityModel
from sim.model.measures import LABELS, NAN_WHEN
from sim.population.netstats import network_statistics

ROOT = Path(__file__).resolve().parents[1]


def karate_model(tmp_path: Path) -> CommunityModel:
    """The karate club as a survey: friends and a GP only (no partner, pet or group)."""
    survey = survey_from_graph(nx.karate_club_graph(), tmp_path / "survey")
    model = CommunityModel(survey_scenario(tmp_path, survey), seed=1)
    model.run(weeks=2)
    return model


def test_every_weekly_measure_that_is_nan_says_so_in_its_label(tmp_path: Path) -> None:
    table = karate_model(tmp_path).datacollector.get_model_vars_dataframe()
    empty = [c for c in table.columns if table[c].isna().any()]
    assert "given_by_group" in empty and "given_by_partner" in empty, (
        f"expected NaN work per group and partner tie without such ties, got {empty}"
    )
    for column in empty:
        assert column in NAN_WHEN, f"{column} is NaN but not listed in NAN_WHEN"
        assert "NaN if" in LABELS[column][0], f"expected the label of {column} to say when NaN"


def test_every_network_statistic_that_is_nan_says_so_in_its_label(tmp_path: Path) -> None:
    stats = network_statistics(karate_model(tmp_path).population)
    empty = stats[stats["value"].isna()]
    assert "mean_members_besides_partner_with_partner" in set(empty["statistic"]), (
        "expected NaN members besides the partner among patients with a partner: none has one"
    )
    for row in empty.itertuples():
        assert "NaN if" in row.label, f"expected the label of {row.statistic} to say when NaN"


def test_readme_says_which_measures_are_nan_over_nobody() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "A mean over nobody is written as NaN" in readme
    for name in ("member_strain", "bp_controlled_hypertensive", "given_by_<tie type>"):
        assert f"`{name}`" in readme, f"expected the README to name {name}"
    assert "mean_members_besides_partner_with_partner" in readme


def test_a_mean_over_nobody_is_nan_not_zero(tmp_path: Path) -> None:
    model = karate_model(tmp_path)
    assert math.isnan(model.measure("given_by_pet")), "expected NaN work per pet tie: no pets"
    assert model.measure("given_by_friend") >= 0.0, "expected a number where friends exist"
