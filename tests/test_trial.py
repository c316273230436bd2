"""Virtual trials end to end: stacking replicate populations, common random numbers, the truth
of a null intervention, independence from the worker count, which mechanisms carry BRIGHT's
effect, and the ``sim trial`` command (results, tables, forest plot; exit 2 on bad input).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.config.mechanism_params import SWITCHES
from sim.config.scenario import load_scenario
from sim.model import CommunityModel, build_population
from sim.trial.analysis import analyse
from sim.trial.batch import simulate_batch, trial_scenario
from sim.trial.data import potential_outcomes, trial_data
from sim.trial.design import TrialDesign
from sim.trial.published import comparators
from sim.trial.replicates import run_replicates
from sim.trial.results import summarise
from sim.trial.stack import stack_populations

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHORT = {"trial.outcome_week": 6, "trial.batch_size": 2}


def bright(**overrides: object):
    return load_scenario(SCENARIOS / "bright.toml").with_overrides(overrides)


def true_effects(scenario, replicates: int = 3) -> dict[str, float]:
    """Whole-population effects (everyone treated vs no one) of one batch."""
    design = TrialDesign.of(scenario)
    batch = simulate_batch(trial_scenario(scenario, design), design, 5, 0, range(replicates))
    rows = analyse(potential_outcomes(batch.columns, design.outcome_week), subgroups=False)
    return {r["outcome"]: r["estimate"] for r in rows}


def test_a_stack_of_one_population_is_that_population() -> None:
    scenario = trial_scenario(bright(), TrialDesign.of(bright()))
    population = build_population(scenario, 3)
    stacked, offsets = stack_populations([population])
    for table in ("patients", "nodes", "ties", "links"):
        a, b = getattr(stacked, table), getattr(population, table)
        for f in fields(a):
            assert np.array_equal(getattr(a, f.name), getattr(b, f.name)), (
                f"expected {table}.{f.name} unchanged in a stack of one"
            )
    assert offsets.tolist() == [0, population.n_patients]


def test_stacked_populations_keep_their_own_communities_and_never_share_nodes() -> None:
    scenario = trial_scenario(bright(), TrialDesign.of(bright()))
    parts = [build_population(scenario, seed) for seed in (1, 2, 3)]
    stacked, offsets = stack_populations(parts)
    world = np.searchsorted(offsets, np.arange(stacked.n_patients), side="right") - 1
    for k, part in enumerate(parts):
        mine = (stacked.ties.ego >= offsets[k]) & (stacked.ties.ego < offsets[k + 1])
        assert np.array_equal(stacked.ties.ego[mine] - offsets[k], part.ties.ego)
        assert np.array_equal(stacked.ties.tie_type[mine], part.ties.tie_type)
        alters = stacked.ties.alter[mine]
        assert np.array_equal(stacked.nodes.kind[alters], part.nodes.kind[part.ties.alter])
    # a shared node (group or professional) is reached from one replicate only
    owner = {}
    for ego, alter in zip(world[stacked.ties.ego], stacked.ties.alter, strict=True):
        assert owner.setdefault(alter, ego) == ego, "expected no node shared across replicates"


def test_a_replicate_observes_each_patient_in_the_arm_they_were_randomised_to() -> None:
    scenario = bright(**SHORT, **{"trial.eq5d_measurement_sd": 0.0})
    design = TrialDesign.of(scenario)
    batch = simulate_batch(trial_scenario(scenario, design), design, 1, 0, range(1))
    world, allocation = batch.world(0), batch.worlds[0].allocation
    data = trial_data(world, allocation, design)
    who, treated = allocation.recruited, allocation.arm == 1
    expected = np.where(treated, world["eq5d_intervention"][who], world["eq5d_usual"][who])
    assert np.allclose(data["eq5d"], np.clip(expected, -0.594, 1.0)), (
        "expected intervention-arm outcomes from the intervention run, usual care's from usual care"
    )
    assert data["self_report"].sum() == 180 + 194 and data["bp_data"].sum() == 193 + 210


def test_usual_care_trial_has_identical_arms_and_no_true_effect() -> None:
    scenario = load_scenario(SCENARIOS / "usual_care.toml").with_overrides(SHORT)
    design = TrialDesign.of(scenario)
    batch = simulate_batch(trial_scenario(scenario, design), design, 5, 0, range(2))
    for name in ("alive", "eq5d", "heiq", "controlled", "cost"):
        assert np.array_equal(
            batch.columns[f"{name}_usual"], batch.columns[f"{name}_intervention"]
        ), f"expected identical {name} in both arms without an intervention (common random numbers)"
    rows = analyse(potential_outcomes(batch.columns, design.outcome_week), subgroups=False)
    effects = {r["outcome"]: r["estimate"] for r in rows}
    assert effects["eq5d"] == pytest.approx(0.0, abs=1e-12), "expected no true effect"
    assert effects["bp_controlled"] == pytest.approx(1.0, abs=1e-9), "expected an odds ratio of 1"


def test_results_do_not_depend_on_the_number_of_workers() -> None:
    scenario = bright(**SHORT)  # 3 batches: enough to start a pool (sim.parallel)
    one = run_replicates(scenario, replicates=6, workers=1, seed=11)
    two = run_replicates(scenario, replicates=6, workers=2, seed=11)
    for name in ("estimates", "arms", "truth", "trajectories"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert one.estimates["replicate"].nunique() == 6


def test_interference_through_shared_groups_is_negligible() -> None:
    pair = run_replicates(bright(**SHORT), replicates=2, workers=1, seed=3)
    shared = run_replicates(
        bright(**SHORT, **{"trial.shared_world": True}), replicates=2, workers=1, seed=3
    )
    a, b = pair.estimates["estimate"].to_numpy(), shared.estimates["estimate"].to_numpy()
    width = (pair.estimates["ci_high"] - pair.estimates["ci_low"]).to_numpy()
    ok = np.isfinite(a)
    # negligible: within a thousandth of the estimate or of its confidence interval's width
    assert (np.abs(a - b)[ok] <= 1e-3 * np.maximum(np.abs(a), width)[ok]).all(), (
        "expected the everyone/no-one pair to give the estimates of a shared world"
    )


def test_with_every_network_mechanism_switched_off_brights_effect_vanishes() -> None:
    """BRIGHT acts only through mechanism inputs; with every mechanism off they are inert.

    The guidebook's knowledge counts as knowledge and experience sharing, PLANS and the calls as
    navigation (sim.interventions.inputs), so nothing of the effect may remain; the components
    are still offered and paid for, so the cost effect stays.
    """
    off = {f"mechanisms.switches.{name}": False for name in SWITCHES}
    on_effects = true_effects(bright())
    off_effects = true_effects(bright(**off))
    assert on_effects["eq5d"] > 0.004, "expected BRIGHT to raise EQ-5D with the mechanisms on"
    assert on_effects["bp_controlled"] > 1.1, "expected BRIGHT to raise BP control (OR > 1.1)"
    for outcome in ("eq5d", "heiq", "qaly"):
        assert abs(off_effects[outcome]) < 0.02 * abs(on_effects[outcome]), (
            f"expected BRIGHT's effect on {outcome} to vanish with every network mechanism off "
            f"(on {on_effects[outcome]:.5f}, off {off_effects[outcome]:.5f})"
        )
    assert abs(math.log(off_effects["bp_controlled"])) < 0.02 * math.log(
        on_effects["bp_controlled"]
    ), (
        "expected BRIGHT's effect on BP control to vanish with every network mechanism off "
        f"(OR on {on_effects['bp_controlled']:.4f}, off {off_effects['bp_controlled']:.4f})"
    )
    guidebook = load_scenario(SCENARIOS / "bright_guidebook_only.toml")
    alone = true_effects(guidebook.with_overrides({"mechanisms.switches.knowledge_sharing": False}))
    assert abs(alone["eq5d"]) < 1e-12, (
        "expected the guidebook to do nothing with knowledge and experience sharing off"
    )


def test_summary_and_forest_plot_of_a_small_trial() -> None:
    scenario = bright(**SHORT)
    run = run_replicates(scenario, replicates=2, workers=1, seed=2)
    results = summarise(run, comparators(scenario))
    overall = results.summary[results.summary["subgroup"] == "all"]
    assert list(overall["outcome"]) == ["eq5d", "bp_controlled", "heiq", "cost", "qaly"]
    assert len(results.table) == 5 and "Published comparator" in results.table.columns
    assert set(results.versus_published()["outcome"]) == {"eq5d", "bp_controlled"}
    figure = results.forest("BRIGHT")
    assert isinstance(figure, Figure) and len(figure.axes) == 2, "expected one panel per outcome"
    assert "Virtual trial" in results.markdown("BRIGHT")


def sim(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[trial]\nn_followup_self_report_intervention = 216\n", "n_followup_self_report_inter"),
        ("[trial]\nalpha = 1.5\n", "trial.alpha"),
        ("[trial]\nreplicate = 5\n", "trial.replicate"),
    ],
)
def test_sim_trial_rejects_a_bad_trial_file_with_exit_code_2(tmp_path, text: str, key: str):
    path = tmp_path / "bad_trial.toml"
    path.write_text(f'base = "{(SCENARIOS / "bright.toml").as_posix()}"\n{text}', "utf-8")
    out = tmp_path / "out"
    result = sim("trial", path, "--out", out, "--no-progress")
    assert result.returncode == 2, f"expected exit code 2, got {result.returncode}: {result.stderr}"
    assert f"{path}: " in result.stderr and key in result.stderr, (
        f"expected the error to name the file and the key {key}, got: {result.stderr}"
    )
    assert not out.exists(), "expected nothing written"


def test_sim_trial_writes_the_results_table_tidy_tables_and_forest_plot(tmp_path) -> None:
    result = sim(
        "trial",
        SCENARIOS / "bright_calls_only.toml",
        "--replicates",
        "2",
        "--workers",
        "1",
        "--out",
        tmp_path,
        "--no-progress",
        "--no-ensemble",
        "--report",
    )
    assert result.returncode == 0, f"expected success, got:\n{result.stderr}"
    assert "| EQ-5D-3L utility" in result.stdout, "expected the results table on stdout"
    (folder,) = (tmp_path / "bright_calls_only").iterdir()
    for name in ("results", "summary", "estimates", "arms", "truth", "economics"):
        assert (folder / "tables" / f"{name}.parquet").is_file(), f"expected tables/{name}"
        assert (folder / "tables" / f"{name}.csv").is_file()
    assert (folder / "figures" / "forest.png").is_file(), "expected the forest plot"
    assert (folder / "results.md").read_text().startswith("# Virtual trial")
    report = folder / "report.html"
    assert report.is_file() and f"report: {report}" in result.stdout, (
        "expected --report to write report.html and print its path"
    )
    assert "<html" in report.read_text(encoding="utf-8")[:500].lower()
    estimates = pd.read_parquet(folder / "tables" / "estimates.parquet")
    assert estimates["replicate"].nunique() == 2
    assert '<table id="components-table">' in report.read_text(encoding="utf-8"), (
        "expected the report to show cost by component and EQ-5D dimensions by arm"
    )
    assert "Cost: hospital admissions" in (folder / "results.md").read_text()


def test_cost_components_add_up_and_eq5d_dimensions_are_shares_by_arm() -> None:
    run = run_replicates(bright(**SHORT), replicates=2, workers=1, seed=4)
    summary = summarise(run).components_summary().set_index("component")
    parts = ["cost_contacts", "cost_medicines", "cost_admissions", "cost_intervention"]
    for arm in ("usual_care", "intervention"):
        total = summary.loc["cost", arm]
        assert summary.loc[parts, arm].sum() == pytest.approx(total, rel=1e-9), (
            f"expected the cost components of the {arm} arm to add up to its total cost"
        )
    assert summary.loc["cost_intervention", "usual_care"] == 0.0, (
        "expected no intervention delivery cost in usual care"
    )
    assert summary.loc["cost_intervention", "intervention"] > 0.0
    shares = summary.loc[[f"eq5d_{d}" for d in ("mobility", "self_care", "usual_activities")]]
    assert (
        (
            (shares[["usual_care", "intervention"]] >= 0)
            & (shares[["usual_care", "intervention"]] <= 1)
        )
        .all()
        .all()
    ), "expected shares of patients with a problem, within 0-1"


def test_model_arm_defaults_to_everyone_in_the_scenario() -> None:
    scenario = load_scenario(SCENARIOS / "bright.toml").with_overrides(
        {"population.n_practices": 2, "population.patients_per_practice": 10}
    )
    model = CommunityModel(scenario, seed=1, agents=False, measures=False)
    assert model.arm.all(), "expected every patient in the arm by default"
    assert model.interventions.offered["bright.guidebook"].sum() == 20, (
        "expected the guidebook offered to all 20 patients at week 0"
    )
