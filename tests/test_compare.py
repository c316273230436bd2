"""``sim compare``: many interventions against one usual-care arm on the same replicate trials.

Small trials (follow-up at week 6, batches of 2) keep these fast. The comparison must reproduce
``sim trial`` exactly for the same seed (same populations, allocation and random numbers), give
the same numbers on any number of workers, refuse bad input with exit code 2 before any work,
and write a folder whose comparison file reproduces it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.compare.run_comparison import timed_comparison, write_comparison
from sim.compare.simulate import run_comparison
from sim.compare.spec import build_comparison, load_comparison
from sim.config.scenario import load_scenario
from sim.trial.replicates import run_replicates

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHORT = {"trial.outcome_week": 6, "trial.batch_size": 2}


def short(name: str):
    return load_scenario(SCENARIOS / f"{name}.toml").with_overrides(SHORT)


def small_comparison(*names: str, **settings):
    return build_comparison(
        short("usual_care"), [(short(n), None) for n in names], settings=settings
    )


def overall(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["subgroup"] == "all"].reset_index(drop=True)


def test_each_option_reproduces_sim_trial_for_the_same_seed() -> None:
    run = run_comparison(small_comparison("bright", "genie"), replicates=3, workers=1, seed=7)
    for name, label in (("bright", "BRIGHT"), ("genie", "GENIE")):
        trial = overall(run_replicates(short(name), replicates=3, workers=1, seed=7).estimates)
        mine = run.estimates[run.estimates["option"] == label].drop(columns="option")
        pd.testing.assert_frame_equal(
            mine.reset_index(drop=True)[trial.columns], trial, obj=f"{label} estimates"
        )


def test_results_do_not_depend_on_the_number_of_workers() -> None:
    comparison = small_comparison("bright", "bright_calls_only")
    one = run_comparison(comparison, replicates=4, workers=1, seed=3)
    two = run_comparison(comparison, replicates=4, workers=2, seed=3)
    for name in ("estimates", "truth", "trajectories"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))


def test_the_same_option_twice_gives_identical_results_and_the_parts_add_up() -> None:
    comparison = build_comparison(
        short("usual_care"),
        [
            (short("bright"), "first"),
            (short("bright"), "second"),
            (short("bright_plans_only"), None),
        ],
    )
    run = run_comparison(comparison, replicates=2, workers=1, seed=5)
    e = run.estimates.set_index(["replicate", "outcome", "option"])["estimate"].unstack()
    assert (e["first"] == e["second"]).all(), "expected one control arm shared by every option"
    truth = run.truth.groupby(["option", "outcome"])["estimate"].mean().unstack()
    assert truth.at["first", "qaly"] > truth.at["BRIGHT: PLANS only", "qaly"], (
        "expected BRIGHT as a whole to gain more QALYs than its PLANS component alone"
    )


def test_an_option_that_changes_the_communities_keeps_the_patients() -> None:
    run = run_comparison(
        small_comparison("bright", "whatif_more_groups_deprived"), replicates=2, workers=1, seed=9
    )
    t = run.trajectories
    week0 = t[(t["week"] == 0) & (t["outcome"] == "eq5d")].set_index(["option", "replicate"])
    usual, bright = week0.loc["Usual care", "value"], week0.loc["BRIGHT", "value"]
    groups = week0.loc["What if: BRIGHT with more community groups in deprived localities", "value"]
    assert (usual == bright).all(), "expected BRIGHT to start in usual care's world"
    assert (usual != groups).any(), "expected more groups to change the communities at week 0"
    assert run.estimates["estimate"].notna().all()


# --- bad input: exit code 2, named, before any work ----------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def comparison_file(tmp_path: Path, strategies: str, extra: str = "") -> Path:
    return write(
        tmp_path / "cmp.toml",
        f'comparator = "{(SCENARIOS / "usual_care.toml").as_posix()}"\n{extra}\n'
        f"strategies = [{strategies}]\n",
    )


def run_cli(capsys, *args) -> tuple[int, str]:
    code = main(["compare", *map(str, args), "--no-progress", "--workers", "1"])
    return code, capsys.readouterr().err


def test_an_option_with_no_intervention_is_refused_naming_its_file(tmp_path, capsys) -> None:
    code, err = run_cli(capsys, SCENARIOS / "usual_care.toml", "--out", tmp_path / "out")
    assert code == 2
    assert "usual_care.toml: interventions: no intervention is switched on" in err
    assert not (tmp_path / "out").exists(), "expected nothing written"


def test_an_option_with_its_own_trial_design_is_refused(tmp_path, capsys) -> None:
    own = write(
        tmp_path / "own.toml",
        f'base = "{(SCENARIOS / "bright.toml").as_posix()}"\n[trial]\nn_control = 200\n',
    )
    code, err = run_cli(capsys, comparison_file(tmp_path, f'"{own.as_posix()}"'), "--out", tmp_path)
    assert code == 2 and f"{own}: trial.n_control: 200 differs from the comparator's 221" in err


@pytest.mark.parametrize(
    ("strategies", "extra", "message"),
    [
        ('"bright.toml"', "colour = 1", "colour: unknown key"),
        ("", "", "strategies: [] is not allowed"),
        (
            '{ file = "bright.toml", label = "A" }, { file = "genie.toml", label = "A" }',
            "",
            "the label 'A' is used twice",
        ),
        ('{ file = "bright.toml", lable = "A" }', "", "strategies[0].lable: unknown key"),
        ('"bright.toml"', "willingness_to_pay = -1", "willingness_to_pay: -1 is not allowed"),
    ],
)
def test_bad_comparison_files_are_refused(tmp_path, capsys, strategies, extra, message) -> None:
    for name in ("bright", "genie"):
        write(tmp_path / f"{name}.toml", f'base = "{(SCENARIOS / f"{name}.toml").as_posix()}"\n')
    code, err = run_cli(capsys, comparison_file(tmp_path, strategies, extra), "--out", tmp_path)
    assert code == 2 and message in err, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bright", "--comparator", "bright"], "interventions.bright.guidebook.enabled"),
        (["bright", "--wtp", "-5"], "<command line>: --wtp: -5.0 is not allowed"),
        (["bright", "--population", "0"], "--population: '0' is not allowed"),
        (["bright", "--replicates", "0"], "--replicates: '0' is not allowed"),
        (["nonesuch"], "nonesuch: -: file not found; shipped scenarios can be named"),
    ],
)
def test_bad_options_are_refused(tmp_path, capsys, args, message) -> None:
    code, err = run_cli(capsys, *args, "--out", tmp_path / "out")
    assert code == 2 and message in err, err


def test_an_output_folder_that_is_a_file_is_refused_before_any_work(tmp_path, capsys) -> None:
    file = write(tmp_path / "taken", "")
    code, err = run_cli(capsys, "bright", "--out", file)
    assert code == 2 and f"--out: {file}: is a file, not a folder" in err


# --- the results folder --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    comparison = small_comparison("bright", "genie", population=2500)
    results, wall = timed_comparison(comparison, replicates=2, workers=1, seed=11)
    return write_comparison(results, tmp_path_factory.mktemp("compare"), wall)


def test_the_folder_holds_tables_figures_and_the_league_table(folder) -> None:
    for name in ("league", "frontier", "effects", "acceptability", "budget", "draws", "estimates"):
        assert (folder / "tables" / f"{name}.csv").is_file(), name
    stems = sorted(p.stem for p in (folder / "figures").glob("*.png"))
    assert stems == ["acceptability", "budget", "ce_plane", "effects", "trajectories"]
    text = (folder / "comparison.md").read_text(encoding="utf-8")
    assert "| Usual care |" in text and "| BRIGHT |" in text and "| GENIE |" in text
    league = pd.read_csv(folder / "tables" / "league.csv")
    assert list(league["option"]) == ["Usual care", "BRIGHT", "GENIE"]
    assert (league["icer_vs_usual_care"].dropna() > 0).all(), "expected no negative ratio"
    curves = pd.read_csv(folder / "tables" / "acceptability.csv")
    assert curves["willingness_to_pay"].min() == 0 and curves["willingness_to_pay"].max() == 50_000
    assert curves.groupby("willingness_to_pay")["probability"].sum().round(12).eq(1).all()
    budget = pd.read_csv(folder / "tables" / "budget.csv")
    assert (budget["population"] == 2500).all()


def test_the_folder_comparison_file_reproduces_it(folder, tmp_path, capsys) -> None:
    code = main(
        [
            "compare",
            str(folder / "comparison.toml"),
            "--out",
            str(tmp_path),
            "--no-progress",
            "--workers",
            "1",
            "--no-ensemble",  # as the folder was made
        ]
    )
    assert code == 0, capsys.readouterr().err
    (again,) = (tmp_path / "compare" / "comparison").iterdir()
    for name in ("league", "budget", "estimates"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(folder / "tables" / f"{name}.parquet"),
            pd.read_parquet(again / "tables" / f"{name}.parquet"),
        )


def test_the_shipped_comparison_lists_bright_its_parts_genie_and_the_what_ifs() -> None:
    comparison = load_comparison("compare_all")
    names = [o.scenario.name for o in comparison.options]
    assert names == [
        "bright",
        "bright_guidebook_only",
        "bright_plans_only",
        "bright_calls_only",
        "genie",
        "whatif_more_groups_deprived",
        "whatif_more_calls",
        "whatif_lighter_treatment",
    ]
    assert comparison.comparator.name == "usual_care"


@pytest.mark.slow
def test_sim_compare_runs_the_shipped_comparison(tmp_path, capsys) -> None:
    code, err = run_cli(capsys, "compare_all", "--replicates", "2", "--out", tmp_path)
    assert code == 0, err
    (folder,) = (tmp_path / "compare" / "compare_all").iterdir()
    assert (folder / "report.html").is_file()
    league = pd.read_csv(folder / "tables" / "league.csv")
    assert len(league) == 9


def test_a_comparison_over_an_ensemble_matches_sim_trial_over_it_and_draws_are_member_trials():
    import numpy as np

    from sim.calibration.ensemble_file import Ensemble
    from sim.calibration.ensemble_run import run_ensemble_replicates
    from sim.compare.run_comparison import summarise
    from sim.compare.summary import draws

    keys = ("interventions.bright.guidebook.knowledge_clinical",)
    ensemble = Ensemble(None, keys, np.array([[0.1], [0.35]]), np.ones(2), np.ones(2, bool), ())
    comparison = small_comparison("bright")
    run = run_comparison(comparison, replicates=4, workers=1, seed=21, ensemble=ensemble)
    assert list(run.estimates.columns[:2]) == ["member", "replicate"]
    assert list(run.estimates["replicate"].unique()) == [0, 1, 2, 3]
    trial = run_ensemble_replicates(short("bright"), ensemble, replicates=4, workers=1, seed=21)
    expected = overall(trial.estimates).sort_values("replicate", kind="stable")
    mine = run.estimates.drop(columns="option")
    for column in ("replicate", "member", "estimate", "ci_low", "ci_high"):
        assert np.array_equal(
            mine[column].to_numpy(), expected[column].to_numpy(), equal_nan=True
        ), f"expected compare over the ensemble to reproduce sim trial over it ({column})"
    per_draw = draws(run)
    assert len(per_draw) == 4 and set(per_draw["member"]) == {0, 1}
    results = summarise(comparison, run)
    curves = results.economics.acceptability
    shares = curves.groupby("willingness_to_pay")["probability"].sum()
    assert set((shares * 4).round(9)) == {4.0}, "expected shares in quarters: 4 draws"
    assert set(results.uncertainty["option"]) == {"BRIGHT"}
    assert results.uncertainty["members"].eq(2).all()
