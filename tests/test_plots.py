"""Figures: each renders to PNG and has the structure a reader relies on."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from sim.config.scenario import load_scenario
from sim.plots.community_map import RADII, line_width, member_positions, plot_community_map
from sim.plots.composition import plot_composition
from sim.plots.style import KIND_MARKERS, TIE_COLOURS, TIE_LABELS, style_context
from sim.population import codes
from sim.population.cohort import make_patients
from sim.population.community import make_population
from sim.population.netstats import network_statistics
from sim.streams import generator


@pytest.fixture(scope="module")
def population():
    scenario = load_scenario("scenarios/usual_care.toml").with_overrides(
        {"population.n_practices": 4, "population.patients_per_practice": 100}
    )
    patients, deprived = make_patients(scenario, generator(scenario["run.seed"], "population"))
    return make_population(
        scenario, patients, deprived, generator(scenario["run.seed"], "community")
    )


@pytest.fixture(scope="module")
def rich_patient(population) -> int:
    """A patient with a partner, a pet, a group and at least 10 members."""
    counts = population.counts_by_tie_type()
    ok = (
        (counts[:, codes.PARTNER] > 0)
        & (counts[:, codes.PET] > 0)
        & (counts[:, codes.GROUP_TIE] > 0)
        & (counts.sum(axis=1) >= 10)
    )
    assert ok.any(), "expected the test population to hold a patient with a rich community"
    return int(np.flatnonzero(ok)[0])


def member_collections(ax):
    return [c for c in ax.collections if (c.get_gid() or "").startswith("members-")]


def test_community_map_renders_to_png(population, rich_patient, tmp_path):
    fig = plot_community_map(population, rich_patient)
    path = tmp_path / "map.png"
    fig.savefig(path)
    assert path.stat().st_size > 10_000, "expected a PNG with content"


def test_community_map_has_three_named_circles(population, rich_patient):
    ax = plot_community_map(population, rich_patient).axes[0]
    rings = [p for p in ax.patches if isinstance(p, Circle) and p.get_gid() in codes.CIRCLES]
    assert sorted(p.get_radius() for p in rings) == list(RADII)
    labels = {t.get_text() for t in ax.texts}
    assert set(codes.CIRCLES) <= labels, f"expected circle labels inner/middle/outer in {labels}"


def test_community_map_draws_one_marker_per_member(population, rich_patient):
    ax = plot_community_map(population, rich_patient).axes[0]
    mine = population.ties.ego == rich_patient
    n_markers = sum(len(c.get_offsets()) for c in member_collections(ax))
    assert n_markers == np.count_nonzero(mine), "expected one marker per member"
    kinds = {c.get_gid().removeprefix("members-") for c in member_collections(ax)}
    expected = {codes.NODE_KINDS[k] for k in population.nodes.kind[population.ties.alter[mine]]}
    assert kinds == expected


def test_members_sit_on_their_circle_in_their_tie_type_colour(population, rich_patient):
    ax = plot_community_map(population, rich_patient).axes[0]
    people = next(c for c in ax.collections if c.get_gid() == "members-person")
    mine = np.flatnonzero(population.ties.ego == rich_patient)
    is_person = population.nodes.kind[population.ties.alter[mine]] == codes.PERSON
    ties = mine[is_person]
    radius = np.hypot(*people.get_offsets().T)
    np.testing.assert_allclose(radius, np.asarray(RADII)[population.ties.circle[ties]])
    expected = [to_rgba(TIE_COLOURS[codes.TIE_TYPES[t]]) for t in population.ties.tie_type[ties]]
    np.testing.assert_allclose(people.get_facecolors(), expected)


def test_community_map_draws_links_among_members_and_spokes_by_contact(population, rich_patient):
    ax = plot_community_map(population, rich_patient).axes[0]
    members = population.ties.alter[population.ties.ego == rich_patient]
    links = population.links
    n_links = np.count_nonzero(np.isin(links.a, members) & np.isin(links.b, members))
    drawn = next(c for c in ax.collections if c.get_gid() == "links")
    assert len(drawn.get_segments()) == n_links
    spokes = next(c for c in ax.collections if c.get_gid() == "ties")
    contact = population.ties.contact[population.ties.ego == rich_patient]
    np.testing.assert_allclose(spokes.get_linewidths(), line_width(contact))


def test_community_map_title_and_legend_describe_the_patient(population, rich_patient):
    ax = plot_community_map(population, rich_patient).axes[0]
    network = codes.NETWORK_TYPES[population.patients.network_type[rich_patient]]
    title = ax.get_title().replace("\n", " ")
    assert f"Patient {rich_patient}" in title
    assert network.replace("_", " ") in title
    assert "lives with partner" in title
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"Tie type", "Member", "Contacts per week", "Partner", "Pet"} <= legend


def test_community_map_draws_into_given_axes_with_custom_title(population):
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_community_map(population, 0, ax=ax, title="Example") is fig
    assert ax.get_title() == "Example"


def test_community_map_rejects_a_non_patient(population):
    with pytest.raises(ValueError, match=r"not in 0 \.\. 399"):
        plot_community_map(population, population.n_patients)


def test_member_positions_group_tie_types_into_separate_sectors():
    tie_type = np.array([codes.FAMILY] * 3 + [codes.FRIEND] * 3)
    circle = np.array([0, 1, 2, 0, 1, 2])
    x, y = member_positions(tie_type, circle).T
    angle = (np.arctan2(y, x) - np.pi / 2) % (2 * np.pi)  # counter-clockwise from the top
    assert angle.min() > 0.1 and angle.max() < 2 * np.pi - 0.1, "top kept free for labels"
    assert angle[:3].max() < angle[3:].min(), "expected family and friends in separate sectors"
    assert len(np.unique(np.round(angle, 6))) == 6, "expected no two members on one spoke"


def test_plotting_leaves_global_style_untouched(population):
    before = dict(mpl.rcParams)
    with style_context():
        assert mpl.rcParams["legend.frameon"] is False
    plot_community_map(population, 0)
    assert dict(mpl.rcParams) == before


@pytest.fixture(scope="module")
def stats(population):
    return network_statistics(population)


def test_composition_renders_to_png(stats, tmp_path):
    path = tmp_path / "composition.png"
    plot_composition(stats).savefig(path)
    assert path.stat().st_size > 10_000


def test_composition_panels_have_titles_and_units(stats):
    fig = plot_composition(stats)
    _, t2, t3, t4 = fig.axes
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "members per patient",
        "members per patient",
        "% of members",
        "% of patients",
    ]
    assert all(ax.get_title() for ax in fig.axes)
    assert [ax.get_title() for ax in (t2, t3, t4)] == [
        "Network size",
        "Shares of members",
        "Groups",
    ]
    assert not any("T2" in ax.get_title() for ax in fig.axes), "expected no internal label"
    assert fig.legends, "expected a figure legend explaining points, targets and bands"


def test_composition_bars_and_points_show_the_table_values(stats):
    fig = plot_composition(stats)
    values = stats.set_index("statistic")["value"]
    heights = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(heights, [values[f"mean_members_{t}"] for t in codes.TIE_TYPES])
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == [TIE_LABELS[t] for t in codes.TIE_TYPES]
    point = next(line for line in fig.axes[1].lines if line.get_gid() == "value-mean_network_size")
    assert point.get_ydata()[0] == pytest.approx(values["mean_network_size"])


def test_composition_marks_a_missed_target_with_an_open_point(stats):
    missed = stats.copy()
    row = missed["statistic"] == "group_participation"
    missed.loc[row, "value"], missed.loc[row, "within"] = 20.0, False
    fig = plot_composition(missed)
    point = next(
        line for line in fig.axes[3].lines if line.get_gid() == "value-group_participation"
    )
    assert to_rgba(point.get_markerfacecolor()) == to_rgba("white")
    assert fig.axes[3].get_ylim()[0] < 20.0 < fig.axes[3].get_ylim()[1], "point must be visible"


def test_composition_names_a_missing_statistic(stats):
    with pytest.raises(KeyError, match="weak_tie_share"):
        plot_composition(stats[stats["statistic"] != "weak_tie_share"])


def test_every_tie_type_and_kind_has_a_distinct_style():
    assert set(TIE_COLOURS) == set(codes.TIE_TYPES)
    assert len(set(TIE_COLOURS.values())) == len(codes.TIE_TYPES)
    assert set(KIND_MARKERS) == set(codes.NODE_KINDS) - {"patient"}
    assert len(set(KIND_MARKERS.values())) == len(KIND_MARKERS)
