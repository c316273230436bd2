"""Trials over a calibrated ensemble, ensemble files, and published comparators.

Each file in ``tests/bad_ensembles/`` names the key its error must name (``# expect-key:``) and a
piece of the message (``# expect-text:``); ``sim trial --ensemble`` must exit with code 2.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration.ensemble_file import Ensemble, ensemble_text, load_ensemble
from sim.calibration.ensemble_run import (
    _decompose,
    member_batches,
    member_scenario,
    run_ensemble_replicates,
    uncertainty_table,
)
from sim.cli import main
from sim.config.scenario import ScenarioError, load_scenario
from sim.trial.published import FITTED, PREDICTED, comparators
from sim.trial.results import summarise
from tests.corpus import expected

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CORPUS = Path(__file__).resolve().parent / "bad_ensembles"
SMALL = {"trial.outcome_week": 4, "trial.batch_size": 2}
KEYS = ("interventions.bright.guidebook.knowledge_clinical", "mechanisms.medicines.adherence_base")


def small_ensemble() -> Ensemble:
    values = np.array([[0.1, 0.55], [0.35, 0.6], [0.2, 0.65]])
    return Ensemble(None, KEYS, values, np.ones(3), np.ones(3, bool), ("T6", "T9a"))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.toml")), ids=lambda p: p.stem)
def test_a_bad_ensemble_file_is_refused_naming_the_key(path: Path, tmp_path, capsys) -> None:
    key, text = expected(path)
    with pytest.raises(ScenarioError) as caught:
        load_ensemble(path)
    assert caught.value.key == key, f"expected the error to name {key!r}: {caught.value}"
    assert text in caught.value.message, f"expected {text!r} in: {caught.value.message}"
    scenario = SCENARIOS / "bright.toml"
    out = tmp_path / "out"
    args = ["trial", str(scenario), "--ensemble", str(path), "--out", str(out), "--no-progress"]
    assert main(args) == 2
    assert str(path) in capsys.readouterr().err, "expected the message to name the file"
    assert not out.exists(), "expected nothing written"


def test_an_ensemble_file_round_trips(tmp_path) -> None:
    ensemble = small_ensemble()
    path = tmp_path / "ensemble.toml"
    path.write_text(ensemble_text(ensemble, ["a header"], "cal.toml", 1, 3.0), encoding="utf-8")
    back = load_ensemble(path)
    np.testing.assert_array_equal(back.values, ensemble.values)
    assert back.keys == KEYS and back.fitted_targets == ("T6", "T9a")
    assert back.member(1) == {KEYS[0]: 0.35, KEYS[1]: 0.6}


def test_replicates_are_spread_over_members_in_turn() -> None:
    jobs = member_batches(7, 3, 2)
    assert [(m, b, list(r)) for m, b, r in jobs] == [
        (0, 0, [0, 3]),
        (0, 3, [6]),
        (1, 1, [1, 4]),
        (2, 2, [2, 5]),
    ], "expected member r mod 3, batches of 2, batch numbers unique"
    assert member_batches(2, 3, 10) == [(0, 0, range(0, 2, 3)), (1, 1, range(1, 2, 3))]


def test_a_member_replaces_only_what_the_scenario_takes_from_the_calibration() -> None:
    bright = load_scenario(SCENARIOS / "bright.toml")
    member = member_scenario(bright, small_ensemble(), 1)
    assert member[KEYS[0]] == 0.35 and member[KEYS[1]] == 0.6
    own = bright.with_overrides({KEYS[0]: 0.3}, origin="a what-if file")
    assert member_scenario(own, small_ensemble(), 1)[KEYS[0]] == 0.3, (
        "expected a value the scenario sets itself to win over the ensemble"
    )


def test_the_variance_decomposition_by_hand() -> None:
    # two members, two trials each: means 1 and 3, within-member variance 2 (pooled)
    values = pd.Series([0.0, 2.0, 2.0, 4.0])
    members = pd.Series([0, 0, 1, 1])
    between, within = _decompose(values, members)
    assert within == pytest.approx(2.0)
    assert between == pytest.approx(2.0 - 2.0 / 2)  # var of means (2) less within / 2
    assert _decompose(pd.Series([1.0, 1.2, 1.2, 1.0]), members)[0] == 0.0, "floored at 0"


def test_an_ensemble_trial_is_bit_identical_on_one_and_two_workers() -> None:
    scenario = load_scenario(SCENARIOS / "bright.toml").with_overrides(SMALL)
    ensemble = small_ensemble()
    one = run_ensemble_replicates(scenario, ensemble, replicates=6, workers=1, seed=9)
    two = run_ensemble_replicates(scenario, ensemble, replicates=6, workers=2, seed=9)
    for name in ("estimates", "arms", "truth", "trajectories"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)
    assert sorted(one.estimates["replicate"].unique()) == list(range(6))
    member = one.estimates.drop_duplicates("replicate").set_index("replicate")["member"]
    assert member.to_dict() == {r: r % 3 for r in range(6)}
    table = uncertainty_table(one.estimates)
    assert set(table["outcome"]) == {"eq5d", "bp_controlled", "heiq", "cost", "qaly"}
    share = table["parameter_share"].dropna()
    assert ((share >= 0) & (share <= 1)).all()
    results = summarise(one, comparators(scenario))
    assert "prediction interval" in results.markdown("BRIGHT")
    assert "uncertainty" in results.tables()


def test_replicate_r_is_built_from_replicate_r_s_own_seed(monkeypatch) -> None:
    """Common random numbers across scenarios: replicate r's people and allocation, always."""
    import sim.trial.batch as batch

    built = []
    real = batch.make_world

    def spy(scenario, design, seed, replicate):
        built.append(replicate)
        return real(scenario, design, seed, replicate)

    monkeypatch.setattr(batch, "make_world", spy)
    scenario = load_scenario(SCENARIOS / "bright.toml").with_overrides(SMALL)
    run_ensemble_replicates(scenario, small_ensemble(), replicates=5, workers=1, seed=3)
    assert sorted(built) == [0, 1, 2, 3, 4], "expected each replicate built once, from its own r"


def test_a_genie_trial_has_no_bright_comparison(tmp_path, capsys) -> None:
    genie = load_scenario(SCENARIOS / "genie.toml")
    assert comparators(genie) == [], "expected GENIE to name no published comparator"
    for name in ("whatif_more_calls", "whatif_more_groups_deprived", "bright_guidebook_only"):
        scenario = load_scenario(SCENARIOS / f"{name}.toml")
        assert comparators(scenario) == [], f"expected {name} not to be judged against BRIGHT"
    args = ["trial", str(SCENARIOS / "genie.toml"), "--replicates", "1", "--workers", "1"]
    args += ["--out", str(tmp_path), "--no-progress", "--no-ensemble"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Blakeman" not in out and "BRIGHT" not in out and "T9" not in out, out
    assert "compared with nothing" in out
    (folder,) = (tmp_path / "genie").iterdir()
    assert pd.read_csv(folder / "tables" / "published.csv").empty


def test_brights_comparator_is_labelled_used_in_fitting_when_t9_was_fitted() -> None:
    bright = load_scenario(SCENARIOS / "bright.toml")
    fitted = {c.outcome: c.label for c in comparators(bright, ("T9a", "T9b"))}
    assert fitted == {"eq5d": FITTED, "bp_controlled": FITTED}
    predicted = {c.outcome: c.label for c in comparators(bright, ("T2", "T6"))}
    assert predicted == {"eq5d": PREDICTED, "bp_controlled": PREDICTED}
    eq5d = next(c for c in comparators(bright, ()) if c.outcome == "eq5d")
    assert (eq5d.estimate, eq5d.low, eq5d.high) == (0.05, 0.01, 0.08)
    assert math.isclose(
        next(c.estimate for c in comparators(bright, ()) if c.target == "T9b"), 1.85
    )


def test_an_attribution_over_an_ensemble_is_bit_identical_on_one_and_two_workers() -> None:
    from sim.attribution.attribution_run import attribute

    scenario = load_scenario(SCENARIOS / "bright_guidebook_only.toml").with_overrides(SMALL)
    scenario = scenario.with_overrides(
        {f"mechanisms.switches.{m}": False for m in ("navigation", "negotiation")}
        | {"mechanisms.switches.collective_efficacy": False}
    )
    one = attribute(scenario, replicates=4, workers=1, seed=2, ensemble=small_ensemble())
    two = attribute(scenario, replicates=4, workers=2, seed=2, ensemble=small_ensemble())
    np.testing.assert_array_equal(one.values, two.values)
    assert one.ensemble_members == 3 and not np.isnan(one.values).any()
    plain = attribute(scenario, replicates=4, workers=1, seed=2)
    assert not np.array_equal(plain.values, one.values), "expected the members to matter"
    assert "calibrated parameter sets" in one.markdown()


def test_a_sweep_with_an_ensemble_key_spreads_its_replicates_over_the_members(tmp_path) -> None:
    from sim.sweeps.runner import run_sweep
    from sim.sweeps.runs import run_scenario_of
    from sim.sweeps.sweep_design import Design
    from sim.sweeps.sweep_file import load_sweep
    from sim.sweeps.sweep_results import read_results

    ensemble = small_ensemble()
    text = ensemble_text(ensemble, [], "cal.toml", 1, 3.0)
    (tmp_path / "ensemble.toml").write_text(text, encoding="utf-8")
    sweep_file = tmp_path / "sweep.toml"
    sweep_file.write_text(
        f'base = "{(SCENARIOS / "bright.toml").as_posix()}"\n'
        'ensemble = "ensemble.toml"\nreplicates = 3\nweeks = 2\n'
        '[fixed]\n"population.n_practices" = 2\n'
        '[parameters]\n"interventions.bright.calls.p_uptake" = [0.5, 0.9]\n'
        '[design]\nkind = "list"\n[outcomes]\nmeasures = ["eq5d"]\n',
        encoding="utf-8",
    )
    sweep = load_sweep(sweep_file)
    design = Design(sweep)
    for r in range(3):
        scenario = run_scenario_of(sweep, design, f"p000001-r{r:03d}")
        assert scenario[KEYS[1]] == ensemble.values[r, 1], "expected member r mod K"
        assert scenario["interventions.bright.calls.p_uptake"] == 0.9, "the point's own value"
    summary = run_sweep(sweep, out=tmp_path / "out", progress=False)
    assert summary.done == 6
    written = (summary.folder / "sweep.toml").read_text(encoding="utf-8")
    assert 'ensemble = "ensemble.toml"' in written, "expected the folder to name its own copy"
    assert (summary.folder / "ensemble.toml").read_text(encoding="utf-8") == text
    moved = tmp_path / "moved"
    summary.folder.rename(moved)  # a folder holds no absolute path: it resumes where it is
    assert load_sweep(moved / "sweep.toml").fingerprint() == sweep.fingerprint()
    table = read_results(moved)
    assert table["eq5d_w2"].notna().all()
    code = main(["sweep", str(sweep_file), "--no-ensemble", "--out", str(tmp_path / "no")])
    assert code == 0, "expected --no-ensemble to run the sweep on the base's own values"
    (plain,) = (tmp_path / "no" / "sweeps").iterdir()
    assert "\nensemble = " not in (plain / "sweep.toml").read_text(encoding="utf-8")
    missing = tmp_path / "bad.toml"
    missing.write_text(sweep_file.read_text().replace("ensemble.toml", "nope.toml"))
    with pytest.raises(ScenarioError) as caught:
        load_sweep(missing)
    assert caught.value.key == "ensemble"
