"""Shapley attribution of an intervention's effect to the mechanisms (``sim attribute``).

The combinatorics on hand-computed games (efficiency, symmetry, null player, linearity); on a
small real model, that the contributions add up to the total, that a mechanism whose switch
changes nothing gets nothing, that results depend on the seed only (not the worker count), that
v(all) is the virtual trial's true effect; the command's run folder and its exit code 2 on bad
input; the figure's structure.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.attribution.attribution_run import MEASURES, NONE, TOTAL, attribute, with_mechanisms
from sim.attribution.shapley import coalitions, shapley_values
from sim.cli import main
from sim.config.mechanism_params import SWITCHES
from sim.config.scenario import load_scenario
from sim.plots.attribution import plot_attribution

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

#: A small trial: 6 practices of 10 patients, 8 weeks, one replicate per batch.
SMALL = {
    "population.n_practices": 6,
    "trial.patients_per_practice": 10,
    "trial.n_intervention": 10,
    "trial.n_control": 10,
    "trial.n_followup_self_report_intervention": 10,
    "trial.n_followup_self_report_control": 10,
    "trial.n_followup_bp_intervention": 10,
    "trial.n_followup_bp_control": 10,
    "trial.outcome_week": 8,
    "trial.batch_size": 1,
}
#: Three players (8 subsets); collective efficacy can never build up, so its switch is inert.
PLAYERS = ("resource_mediation", "navigation", "collective_efficacy")
INERT_COLLECTIVE = {
    "mechanisms.collective.rate_build": 0.0,
    **{f"mechanisms.switches.{m}": m in PLAYERS for m in SWITCHES},
}


def small_bright():
    return load_scenario(SCENARIOS / "bright.toml").with_overrides({**SMALL, **INERT_COLLECTIVE})


@pytest.fixture(scope="module")
def small_run():
    """A small attribution with one worker, and the same with two workers."""
    scenario = small_bright()
    one = attribute(scenario, replicates=2, workers=1, seed=7)
    two = attribute(scenario, replicates=2, workers=2, seed=7)
    return scenario, one, two


# --- the combinatorics --------------------------------------------------------------------------


def game(values: dict[str, object]) -> dict[frozenset, object]:
    """A game from values keyed by the players' initials ("" is the empty coalition)."""
    return {frozenset(k): v for k, v in values.items()}


def test_coalitions_are_ordered_by_bit_mask() -> None:
    assert coalitions("ab") == [frozenset(), {"a"}, {"b"}, {"a", "b"}]
    assert len(coalitions(SWITCHES)) == 64
    with pytest.raises(ValueError, match="distinct"):
        coalitions(["a", "a"])


def test_two_player_game_by_hand() -> None:
    v = game({"": 0, "a": 1, "b": 2, "ab": 6})
    # phi_a = 1/2 (v(a) - v()) + 1/2 (v(ab) - v(b)) = 1/2 + 2
    assert shapley_values("ab", v) == {"a": Fraction(5, 2), "b": Fraction(7, 2)}


def test_three_player_game_by_hand() -> None:
    v = game({"": 0, "a": 1, "b": 2, "c": 0, "ab": 4, "ac": 1, "bc": 3, "abc": 6})
    # phi_a = 1/3 * 1 + 1/6 * (4 - 2) + 1/6 * (1 - 0) + 1/3 * (6 - 3) = 11/6, and so on
    expected = {"a": Fraction(11, 6), "b": Fraction(10, 3), "c": Fraction(5, 6)}
    phi = shapley_values("abc", {s: Fraction(x) for s, x in v.items()})
    assert phi == expected
    assert sum(phi.values()) == v[frozenset("abc")] - v[frozenset()], "expected efficiency"


def test_symmetric_players_share_equally_and_a_null_player_gets_nothing() -> None:
    # a and b are interchangeable; c adds nothing to any coalition
    def v(s: frozenset) -> Fraction:
        core = s - {"c"}
        return Fraction(10 if core == {"a", "b"} else 3 * len(core))

    phi = shapley_values("abc", {s: v(s) for s in coalitions("abc")})
    assert phi == {"a": 5, "b": 5, "c": 0}


def test_efficiency_and_linearity_on_a_random_six_player_game() -> None:
    rng = np.random.default_rng(3)
    every = coalitions(SWITCHES)
    one = {s: float(rng.normal()) for s in every}
    two = {s: float(rng.normal()) for s in every}
    phi = shapley_values(SWITCHES, one)
    assert sum(phi.values()) == pytest.approx(one[every[-1]] - one[every[0]], abs=1e-12)
    both = shapley_values(SWITCHES, {s: np.array([one[s], two[s]]) for s in every})
    phi_two = shapley_values(SWITCHES, two)
    for m in SWITCHES:
        assert np.allclose(both[m], [phi[m], phi_two[m]], rtol=0, atol=1e-14)


def test_a_missing_coalition_is_refused() -> None:
    v = game({"": 0, "a": 1, "b": 2})
    with pytest.raises(ValueError, match="missing 1 coalition"):
        shapley_values("ab", v)


# --- a small real model -----------------------------------------------------------------------


def test_contributions_add_up_to_the_total_less_the_direct_effect(small_run) -> None:
    _, result, _ = small_run
    table = result.contributions()
    assert list(dict.fromkeys(table["mechanism"])) == [NONE, *PLAYERS, TOTAL]
    assert set(table["outcome"]) == set(MEASURES)
    for outcome, part in table.groupby("outcome"):
        part = part.set_index("mechanism")["contribution"]
        gap = part[list(PLAYERS)].sum() - (part[TOTAL] - part[NONE])
        assert abs(gap) <= 1e-12 * max(1.0, abs(part[TOTAL])), (
            f"expected the {outcome} contributions to add up to total - none, off by {gap}"
        )
    assert table.loc[table["outcome"] == "eq5d", "contribution"].abs().max() > 0, (
        "expected BRIGHT to have some effect on EQ-5D"
    )


def test_a_mechanism_whose_switch_changes_nothing_contributes_nothing(small_run) -> None:
    _, result, _ = small_run
    # with no build-up and no baseline spread, collective efficacy is zero whether on or off
    contributions = result.contributions().set_index(["outcome", "mechanism"])["contribution"]
    for outcome in MEASURES:
        assert abs(contributions[outcome, "collective_efficacy"]) < 1e-12, (
            f"expected no {outcome} contribution from an inert collective efficacy switch"
        )
    assert contributions["eq5d", "navigation"] != 0, "expected a live mechanism to matter"


def test_results_depend_on_the_seed_not_on_the_worker_count(small_run) -> None:
    scenario, one, two = small_run
    for name in ("attribution", "subsets"):
        pd.testing.assert_frame_equal(one.tables()[name], two.tables()[name])
    again = attribute(scenario, replicates=1, workers=1, seed=7)
    assert np.array_equal(again.values[:, 0], one.values[:, 0]), (
        "expected replicate 0 to be the same whatever the number of replicates"
    )
    other = attribute(scenario, replicates=1, workers=1, seed=8)
    assert not np.array_equal(other.values, again.values), "expected another seed to differ"


def test_every_subset_is_evaluated_and_v_all_is_the_trials_true_effect(small_run) -> None:
    scenario, result, _ = small_run
    subsets = result.subsets()
    assert len(subsets) == 2 ** len(PLAYERS) * len(MEASURES)
    assert subsets.loc[subsets["subset"] == 0, "mechanisms_on"].eq("none").all()
    assert set(subsets.loc[subsets["subset"] == 7, "mechanisms_on"]) == {", ".join(PLAYERS)}
    # held-off mechanisms are off in every subset
    assert not subsets[[f"on_{m}" for m in SWITCHES if m not in PLAYERS]].to_numpy().any()
    from sim.trial.replicates import run_replicates  # imports statsmodels: only here

    truth = run_replicates(scenario, replicates=2, workers=1, seed=7).truth
    truth = truth[truth["subgroup"] == "all"].groupby("outcome")["estimate"].mean()
    table = result.contributions().set_index(["outcome", "mechanism"])["contribution"]
    for outcome in ("eq5d", "heiq", "cost"):
        assert table[outcome, TOTAL] == pytest.approx(truth[outcome], rel=1e-9, abs=1e-12), (
            f"expected v(all) for {outcome} to be the trial's true effect (ANCOVA, batches of 1)"
        )


def test_with_mechanisms_switches_exactly_the_named_ones() -> None:
    scenario = with_mechanisms(small_bright(), {"navigation"})
    assert [m for m in SWITCHES if scenario[f"mechanisms.switches.{m}"]] == ["navigation"]
    with pytest.raises(ValueError, match="unknown mechanisms"):
        with_mechanisms(scenario, {"gossip"})


def test_figure_has_a_titled_panel_per_primary_outcome_with_signed_bars(small_run) -> None:
    _, result, _ = small_run
    figure = plot_attribution(result.contributions(), "BRIGHT")
    assert isinstance(figure, Figure)
    assert "BRIGHT" in figure.get_suptitle() and "Shapley" in figure.get_suptitle()
    axes = figure.axes
    assert [ax.get_title() for ax in axes] == ["EQ-5D-3L utility", "BP controlled (NICE 2008)"]
    xlabels = [ax.get_xlabel().replace("\n", " ") for ax in axes[:2]]
    assert "utility" in xlabels[0] and "percentage points" in xlabels[1]
    labels = [t.get_text() for t in axes[0].get_yticklabels()]
    assert len(labels) == len(PLAYERS) + 2 and "Total" in labels[-1]
    for ax, outcome in zip(axes, ("eq5d", "bp_controlled"), strict=True):
        bars = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(bars) == len(PLAYERS) + 2, "expected a bar per line: none, mechanisms, total"
        table = result.contributions()
        part = table[table["outcome"] == outcome]
        widths = sorted(b.get_width() for b in bars)
        expected = sorted(part["contribution"])
        assert np.allclose(widths, expected), "expected signed bars of the contributions"
        markers = [line for line in ax.get_lines() if line.get_marker() == "D"]
        assert markers, "expected a marker for the total"
        total = part.loc[part["mechanism"] == TOTAL, "contribution"].iloc[0]
        assert markers[0].get_xdata()[0] == pytest.approx(total)


# --- the command --------------------------------------------------------------------------------


def small_file(tmp_path: Path, extra: str = "") -> Path:
    lines = [f'base = "{(SCENARIOS / "bright.toml").as_posix()}"']
    tables: dict[str, dict[str, object]] = {}
    for key, value in {**SMALL, **INERT_COLLECTIVE}.items():
        table, leaf = key.rsplit(".", 1)
        tables.setdefault(table, {})[leaf] = value
    for table, values in tables.items():
        lines.append(f"[{table}]")
        lines += [
            f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items()
        ]
    path = tmp_path / "small.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_sim_attribute_writes_tables_report_and_figure(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    code = main(
        [
            *("attribute", str(small_file(tmp_path)), "--replicates", "1", "--workers", "1"),
            *("--out", str(out), "--no-progress"),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "| Navigation |" in printed and "| Total effect (every mechanism on) |" in printed
    (folder,) = (out / "small").iterdir()
    for name in ("attribution", "subsets"):
        assert (folder / "tables" / f"{name}.parquet").is_file(), f"expected tables/{name}"
        assert (folder / "tables" / f"{name}.csv").is_file()
    assert (folder / "figures" / "attribution.png").is_file()
    assert (folder / "scenario.toml").is_file() and (folder / "provenance.json").is_file()
    assert (folder / "attribution.md").read_text().startswith("# Mechanism attribution")
    table = pd.read_csv(folder / "tables" / "attribution.csv")
    assert {"outcome", "mechanism", "contribution", "scale"} <= set(table.columns)


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--replicates", "0"], "--replicates"),
        (["--workers", "0"], "--workers"),
        ([], "run.seeds"),
        ([], "interventions"),
    ],
    ids=["replicates", "workers", "unknown key", "no intervention"],
)
def test_sim_attribute_rejects_bad_input_with_exit_code_2(tmp_path, capsys, args, where) -> None:
    if where == "run.seeds":
        path = small_file(tmp_path, "[run]\nseeds = 3\n")
    elif where == "interventions":
        path = small_file(tmp_path)
        text = path.read_text().replace(f'base = "{(SCENARIOS / "bright.toml").as_posix()}"', "")
        path.write_text(
            f'base = "{(SCENARIOS / "usual_care.toml").as_posix()}"\n{text}', encoding="utf-8"
        )
    else:
        path = small_file(tmp_path)
    out = tmp_path / "out"
    code = main(["attribute", str(path), *args, "--out", str(out), "--no-progress"])
    error = capsys.readouterr().err
    assert code == 2, f"expected exit code 2, got {code}: {error}"
    assert where in error, f"expected the error to name {where}, got: {error}"
    if where in ("run.seeds", "interventions"):
        assert str(path) in error, f"expected the error to name the file, got: {error}"
    if where == "interventions":
        assert "interventions.bright.guidebook.enabled" in error, "expected the allowed keys"
    assert not out.exists(), "expected nothing written"


def test_every_subset_pairs_with_its_complement() -> None:
    # the bit-mask order makes subset k and subset (2^M - 1 - k) complements
    every = coalitions(PLAYERS)
    full = frozenset(PLAYERS)
    for k, s in enumerate(every):
        assert every[len(every) - 1 - k] == full - s
