"""Trial and sweep figures: weekly arm means recorded by the trial, trajectories, the
cost-effectiveness plane, a patient's community before and after, and sweep response surfaces.
Each figure renders to PNG and has the titles, axis labels with units, legends and data a reader
relies on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.config.scenario import load_scenario
from sim.model import CommunityModel
from sim.plots.ce_plane import icer_text, plot_ce_plane
from sim.plots.community_change import (
    current_population,
    most_changed_patient,
    plot_community_before_after,
    tie_changes,
)
from sim.plots.response import (
    influential_parameters,
    parameter_columns,
    plot_response,
    write_response_figures,
)
from sim.plots.trajectories import PANELS, plot_trajectories
from sim.trial.batch import (
    TRAJECTORY_OUTCOMES,
    community_change_example,
    simulate_batch,
    trial_scenario,
)
from sim.trial.design import TrialDesign
from sim.trial.replicates import run_replicates
from sim.trial.results import summarise

ROOT = Path(__file__).resolve().parents[1]
SHORT = {"trial.outcome_week": 6, "trial.batch_size": 2}


def bright(**overrides: object):
    return load_scenario(ROOT / "scenarios" / "bright.toml").with_overrides(overrides)


@pytest.fixture(scope="module")
def results():
    return summarise(run_replicates(bright(**SHORT), replicates=3, workers=1, seed=4))


def saved(figure: Figure, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    figure.savefig(path)
    assert path.stat().st_size > 10_000, f"expected {name}.png with content"
    return path


def legend_texts(figure: Figure) -> list[str]:
    legends = list(figure.legends) + [ax.get_legend() for ax in figure.axes if ax.get_legend()]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def has_unit(label: str) -> bool:
    return "(" in label and label.rstrip().endswith(")")


# --- weekly arm means recorded by the trial -------------------------------------------------


def test_trajectories_table_is_tidy_with_every_replicate_arm_week_and_outcome(results) -> None:
    frame = results.run.trajectories
    assert list(frame.columns) == ["replicate", "arm", "week", "outcome", "value"]
    assert sorted(frame["replicate"].unique()) == [0, 1, 2]
    assert set(frame["arm"]) == {"usual care", "intervention"}
    assert set(frame["outcome"]) == set(TRAJECTORY_OUTCOMES)
    assert sorted(frame["week"].unique()) == list(range(7)), "expected weeks 0 to follow-up"
    assert len(frame) == 3 * 2 * 7 * len(TRAJECTORY_OUTCOMES)
    assert frame["value"].notna().all()
    assert "trajectories" in results.tables()


@pytest.mark.parametrize("shared_world", [False, True])
def test_trajectories_end_at_the_arm_means_of_the_follow_up_outcomes(shared_world) -> None:
    scenario = bright(**SHORT, **{"trial.shared_world": shared_world})
    design = TrialDesign.of(scenario)
    batch = simulate_batch(trial_scenario(scenario, design), design, 3, 0, range(2))
    frame = batch.trajectories
    conditions = ("trial", "trial") if shared_world else ("usual", "intervention")
    for k, world in enumerate(batch.worlds):
        columns = batch.world(k)
        a = world.allocation
        for code, arm in ((0, "usual care"), (1, "intervention")):
            condition = conditions[code]
            who = a.recruited[a.arm == code]
            alive = columns[f"alive_{condition}"][who]
            last = frame[
                (frame["replicate"] == world.replicate)
                & (frame["arm"] == arm)
                & (frame["week"] == design.outcome_week)
            ].set_index("outcome")["value"]
            for outcome, column in (("eq5d", "eq5d"), ("heiq", "heiq"), ("cost", "cost")):
                expected = columns[f"{column}_{condition}"][who][alive].mean()
                assert last[outcome] == pytest.approx(expected, rel=1e-9), (
                    f"expected the week-{design.outcome_week} {outcome} of {arm} to be the arm's "
                    "mean follow-up value"
                )
            controlled = columns[f"controlled_{condition}"][who][alive].mean()
            assert last["bp_controlled"] == pytest.approx(controlled, rel=1e-9)
    first = frame[frame["week"] == 0].pivot_table(index="arm", columns="outcome", values="value")
    assert first.loc["usual care", "cost"] == 0.0, "expected no cost at week 0 under usual care"


# --- trajectories figure --------------------------------------------------------------------


@pytest.mark.parametrize("change", [False, True])
def test_trajectory_figure_has_a_titled_panel_per_outcome_with_units(results, tmp_path, change):
    figure = plot_trajectories(results.run.trajectories, "BRIGHT", change=change)
    saved(figure, tmp_path, f"trajectories_{change}")
    axes = [ax for ax in figure.axes if ax.get_visible()]
    assert len(axes) == len(PANELS), "expected one panel per outcome"
    for ax in axes:
        assert ax.get_title(loc="left"), "expected a panel title"
        assert ax.get_xlabel() == "time since randomisation (weeks)"
        assert has_unit(ax.get_ylabel()), f"expected a unit in {ax.get_ylabel()!r}"
        lines = {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}
        assert {"usual care", "intervention"} <= set(lines), "expected a line per arm"
        for line in (lines["usual care"], lines["intervention"]):
            assert len(line.get_xdata()) == 7 and np.isfinite(line.get_ydata()).all()
        bands = [c for c in ax.collections if (c.get_gid() or "").startswith("band-")]
        assert len(bands) == 2, "expected a band per arm over 3 replicate trials"
    assert "BRIGHT" in figure.get_suptitle()
    texts = legend_texts(figure)
    assert any(t.startswith("usual care") for t in texts)
    assert any(t.startswith("intervention") for t in texts)
    assert any("2.5% to 97.5%" in t for t in texts), "expected the band in the legend"
    if change:
        eq5d = {line.get_gid(): line for line in axes[0].get_lines() if line.get_gid()}
        assert eq5d["intervention"].get_ydata()[0] == 0.0, "expected change to start at 0"


def test_trajectory_figure_refuses_a_table_without_known_outcomes() -> None:
    frame = pd.DataFrame(
        {"replicate": [0], "arm": ["usual care"], "week": [0], "outcome": ["x"], "value": [1.0]}
    )
    with pytest.raises(ValueError, match="none of the outcomes"):
        plot_trajectories(frame)


# --- cost-effectiveness plane ---------------------------------------------------------------


def test_ce_plane_shows_each_trial_the_mean_the_truth_and_the_threshold(results, tmp_path):
    ce = results.cost_effectiveness
    figure = plot_ce_plane(
        results.economics,
        ce["willingness_to_pay"],
        true_effect=(ce["true_delta_qaly"], ce["true_delta_cost"]),
        title="BRIGHT",
    )
    saved(figure, tmp_path, "ce_plane")
    (ax,) = figure.axes
    assert "(QALY)" in ax.get_xlabel() and "(GBP)" in ax.get_ylabel()
    assert "cost-effectiveness plane" in figure.get_suptitle()
    by_gid = {c.get_gid(): c for c in ax.collections}
    assert len(by_gid["trials"].get_offsets()) == 3, "expected one dot per replicate trial"
    mean = by_gid["mean"].get_offsets()[0]
    assert mean[0] == pytest.approx(results.economics["delta_qaly"].mean())
    assert mean[1] == pytest.approx(results.economics["delta_cost"].mean())
    assert "truth" in by_gid
    (wtp,) = [line for line in ax.get_lines() if line.get_gid() == "wtp"]
    x, y = wtp.get_xdata(), wtp.get_ydata()
    assert (y[1] - y[0]) / (x[1] - x[0]) == pytest.approx(ce["willingness_to_pay"])
    texts = legend_texts(figure)
    assert any("willingness to pay: £20,000 per QALY" in t for t in texts)
    assert any(t.startswith("one replicate trial (3") for t in texts)
    assert any(t.startswith("mean over trials") for t in texts)
    assert any("cost-effective region" in t for t in texts)


@pytest.mark.parametrize(
    ("cost", "qaly", "text"),
    [
        (100.0, 0.01, "£10,000 per QALY gained"),
        (-5.0, 0.01, "dominant: more QALYs at lower cost"),
        (5.0, -0.01, "dominated: fewer QALYs at higher cost"),
        (-100.0, -0.01, "£10,000 saved per QALY lost"),
        (5.0, 0.0, "dominated: the same QALYs at higher cost"),
        (0.0, 0.0, "no difference in cost or QALYs: cost per QALY undefined"),
    ],
)
def test_cost_per_qaly_is_described_by_its_quadrant(cost, qaly, text) -> None:
    assert icer_text(cost, qaly) == text


# --- a patient's community before and after -------------------------------------------------


def test_current_population_of_a_model_not_yet_warmed_up_has_the_baseline_ties() -> None:
    scenario = bright(**{"population.n_practices": 2, "population.patients_per_practice": 30})
    model = CommunityModel(scenario, agents=False, measures=False, warm_up=False)
    now = current_population(model)
    base = model.population.ties
    order = np.lexsort((base.alter, base.tie_type, base.ego))
    for name in ("ego", "alter", "tie_type", "circle"):
        assert np.array_equal(getattr(now.ties, name), getattr(base, name)[order])
    gained, lost = tie_changes(model.population, now)
    assert not gained.any() and not lost.any()


def test_the_example_patient_is_in_the_intervention_arm_and_their_community_changed(tmp_path):
    scenario = bright(**SHORT)
    design = TrialDesign.of(scenario)
    before, after, patient = community_change_example(trial_scenario(scenario, design), design, 11)
    gained, lost = tie_changes(before, after)
    assert gained[patient] + lost[patient] > 0, "expected a patient whose community changed"
    assert patient == most_changed_patient(before, after, np.array([patient]))
    figure = plot_community_before_after(before, after, patient, labels=("Week 0", "Week 6"))
    saved(figure, tmp_path, "community_before_after")
    left, right = figure.axes
    left_title, right_title = (ax.get_title().replace("\n", " ") for ax in (left, right))
    assert left_title.startswith("Week 0 (") and right_title.startswith("Week 6 (")
    assert f"{gained[patient]} joined, {lost[patient]} ended" in right_title
    assert f"Patient {patient}" in figure.get_suptitle()
    gids = {c.get_gid() for c in right.collections}
    if gained[patient]:
        assert "joined" in gids, "expected joined members ringed"
    if lost[patient]:
        assert any((g or "").startswith("ended-") for g in gids)
    texts = legend_texts(figure)
    assert {"Tie type", "Member", "joined since week 0", "tie ended"} <= set(texts)


def test_members_keep_their_place_in_both_maps() -> None:
    scenario = bright(**SHORT)
    design = TrialDesign.of(scenario)
    before, after, patient = community_change_example(trial_scenario(scenario, design), design, 11)
    figure = plot_community_before_after(before, after, patient)
    spokes = [next(c for c in ax.collections if c.get_gid() == "ties") for ax in figure.axes]
    ends = [{tuple(np.round(s[1], 9)) for s in c.get_segments()} for c in spokes]
    shared = np.intersect1d(
        before.ties.alter[before.ties.ego == patient], after.ties.alter[after.ties.ego == patient]
    )
    assert len(ends[0] & ends[1]) >= len(shared), "expected kept members at the same place"


# --- sweep response -------------------------------------------------------------------------


def sweep_frame(grid: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    if grid:
        a, b = np.meshgrid([0.006, 0.012, 0.024], [0.05, 0.125, 0.2], indexing="ij")
        a, b = np.repeat(a.ravel(), 2), np.repeat(b.ravel(), 2)
    else:
        a, b = rng.uniform(0.005, 0.03, 40), rng.uniform(0.02, 0.3, 40)
    n = len(a)
    return pd.DataFrame(
        {
            "run_id": [f"p{i:06d}-r000" for i in range(n)],
            "point": np.arange(n),
            "replicate": 0,
            "seed": 1,
            "mechanisms.navigation.p_join": a,
            "mechanisms.negotiation.p_attempt": b,
            "eq5d_w26": 0.8 + 2 * a - 0.01 * b + rng.normal(0, 0.001, n),
            "tbq_w26": 50 - 100 * a + rng.normal(0, 0.1, n),
            "error": None,
        }
    )


def test_response_line_of_one_parameter_has_units_band_and_runs(tmp_path) -> None:
    figure = plot_response(sweep_frame(), "mechanisms.navigation.p_join", "eq5d_w26")
    saved(figure, tmp_path, "response_line")
    (ax,) = figure.axes
    assert ax.get_xlabel() == "mechanisms.navigation.p_join (per week)"
    assert ax.get_ylabel() == "EQ-5D-3L utility at week 26 (utility)"
    assert "EQ-5D-3L utility at week 26" in figure.get_suptitle()
    (mean,) = [line for line in ax.get_lines() if line.get_gid() == "mean"]
    assert list(mean.get_xdata()) == [0.006, 0.012, 0.024]
    assert {"mean over runs", "2.5% to 97.5% of runs", "one run"} <= set(legend_texts(figure))
    title = ax.get_title().replace("\n", " ")
    assert "averaged over p_attempt" in title
    means = sweep_frame().groupby("mechanisms.navigation.p_join")["eq5d_w26"].mean()
    assert f"means range over {means.min():.3f} to {means.max():.3f} utility" in title, (
        "expected the range of the values shown, in the outcome's unit"
    )


@pytest.mark.parametrize("grid", [True, False])
def test_response_surface_of_two_parameters_is_a_labelled_heatmap(tmp_path, grid) -> None:
    frame = sweep_frame(grid)
    parameters = ["mechanisms.navigation.p_join", "mechanisms.negotiation.p_attempt"]
    figure = plot_response(frame, parameters, "tbq_w26")
    saved(figure, tmp_path, f"response_surface_{grid}")
    ax, bar = figure.axes
    assert ax.get_xlabel().startswith("mechanisms.navigation.p_join (per week)")
    assert ax.get_ylabel().startswith("mechanisms.negotiation.p_attempt (per week)")
    assert ("bin centre" in ax.get_xlabel()) is (not grid)
    low, high = (
        np.nanmin(np.asarray(ax.images[0].get_array(), float)),
        np.nanmax(np.asarray(ax.images[0].get_array(), float)),
    )
    shown = f"{low:.2f} to {high:.2f}"
    assert bar.get_ylabel().startswith("mean of runs (score 0-150):"), bar.get_ylabel()
    assert f"colours span only {shown}" in bar.get_ylabel(), "expected the range in the colour bar"
    title = ax.get_title().replace("\n", " ")
    assert f"the colour scale spans only {shown} score 0-150" in title, title
    assert "Treatment burden (TBQ) at week 26" in figure.get_suptitle()
    (image,) = ax.images
    values = np.asarray(image.get_array(), float)
    assert values.shape == ((3, 3) if grid else (4, 4)) and np.isfinite(values).any()
    if grid:
        expected = frame.groupby("mechanisms.navigation.p_join")["tbq_w26"].mean().to_numpy()
        assert values.mean(axis=0) == pytest.approx(expected, rel=1e-9)
        assert "mean of 2 per cell" in title


def test_response_refuses_bad_input() -> None:
    frame = sweep_frame()
    with pytest.raises(ValueError, match="one or two parameters"):
        plot_response(frame, [], "eq5d_w26")
    with pytest.raises(KeyError, match="no column"):
        plot_response(frame, "mechanisms.work.capacity_hours", "eq5d_w26")


def test_sweep_response_figures_are_written_per_outcome(tmp_path) -> None:
    frame = sweep_frame()
    frame["population.n_practices"] = 4
    assert parameter_columns(frame) == [
        "mechanisms.navigation.p_join",
        "mechanisms.negotiation.p_attempt",
    ]
    assert influential_parameters(frame, "tbq_w26", 1) == ["mechanisms.navigation.p_join"]
    assert write_response_figures(tmp_path) == [], "expected nothing without results.parquet"
    frame.to_parquet(tmp_path / "results.parquet", index=False)
    written = write_response_figures(tmp_path)
    assert [p.name for p in written] == ["response_eq5d_w26.png", "response_tbq_w26.png"]
    assert all(p.stat().st_size > 10_000 for p in written)
