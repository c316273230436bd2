"""Health economics on hand-made tables with hand-worked answers (``sim.economics``).

Dominance, extended dominance and ICERs follow the textbook procedure (Drummond et al. 2015,
chapter 4); acceptability curves and budget impact are checked against sums done by hand in the
comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.economics.acceptability import acceptability, net_benefit
from sim.economics.budget import budget_impact, per_draw_impact
from sim.economics.frontier import best_option, incremental_analysis
from sim.economics.text import gbp, icer, icer_text, quadrant, signed_gbp


def options(**values: tuple[float, float]) -> pd.DataFrame:
    """A table of options: name=(cost, qaly), in the order given."""
    return pd.DataFrame(values, index=["cost", "qaly"]).T


def by_option(result: pd.DataFrame) -> pd.DataFrame:
    return result.set_index("option")


# --- the league table --------------------------------------------------------------------------


def test_textbook_table_dominance_extended_dominance_and_icers() -> None:
    # A (0, 0), B (100, 0.5), C (150, 0.4), D (300, 0.9), E (500, 1.0), F (200, 0.55)
    # C costs more than B for fewer QALYs: dominated by B.
    # F against B: 100 / 0.05 = 2,000 per QALY; D against F: 100 / 0.35 = 286 < 2,000, so F is
    # extendedly dominated (a mix of B and D beats it). Then the frontier A, B, D, E with
    # ICERs B-A 100 / 0.5 = 200, D-B 200 / 0.4 = 500, E-D 200 / 0.1 = 2,000 (increasing).
    table = options(A=(0, 0), B=(100, 0.5), C=(150, 0.4), D=(300, 0.9), E=(500, 1.0), F=(200, 0.55))
    result = by_option(incremental_analysis(table))
    frontier = result[result["status"] == "frontier"]
    assert list(frontier.index) == ["A", "B", "D", "E"], "expected the frontier cheapest first"
    assert frontier["icer"].iloc[1:].tolist() == pytest.approx([200.0, 500.0, 2000.0])
    assert list(frontier["versus"]) == ["", "A", "B", "D"]
    assert math.isnan(frontier.at["A", "icer"]), "expected no ICER for the reference"
    assert result.at["C", "status"] == "dominated" and result.at["C", "versus"] == "B"
    assert result.at["F", "status"] == "extendedly dominated"
    assert result.at["F", "versus"] == "B + D", "expected F bracketed by its frontier neighbours"
    assert result.at["D", "incremental_cost"] == pytest.approx(200.0)
    assert result.at["D", "incremental_qaly"] == pytest.approx(0.4)
    assert result.at["E", "result"] == "£2,000 per QALY gained against D"


def test_extended_dominance_is_removed_again_until_the_icers_rise() -> None:
    # A (0, 0), B (50, 0.1), C (60, 0.11), D (70, 0.5)
    # ICERs: B 500, C 10 / 0.01 = 1,000, D 10 / 0.39 = 25.6: C (1,000 > 25.6) goes first;
    # then D against B 20 / 0.4 = 50 < B's 500, so B goes too; D against A: 70 / 0.5 = 140.
    result = by_option(
        incremental_analysis(options(A=(0, 0), B=(50, 0.1), C=(60, 0.11), D=(70, 0.5)))
    )
    assert list(result.index[result["status"] == "frontier"]) == ["A", "D"]
    assert result.at["D", "icer"] == pytest.approx(140.0)
    assert set(result.index[result["status"] == "extendedly dominated"]) == {"B", "C"}


def test_a_dominant_option_leaves_usual_care_dominated_and_no_ratio_is_negative() -> None:
    # X saves 20 and gains 0.01 QALYs against usual care: usual care is dominated by X.
    # Y costs 80 more than X for 0.02 more QALYs: 4,000 per QALY gained against X.
    result = by_option(
        incremental_analysis(options(**{"usual care": (0, 0)}, X=(-20, 0.01), Y=(60, 0.03)))
    )
    assert result.at["usual care", "status"] == "dominated"
    assert result.at["usual care", "versus"] == "X"
    assert list(result.index[result["status"] == "frontier"]) == ["X", "Y"]
    assert result.at["Y", "icer"] == pytest.approx(4000.0)
    assert (result["icer"].dropna() > 0).all(), "expected no negative ICER on the frontier"


def test_equal_options_the_first_listed_stays_and_equal_cost_keeps_more_qalys() -> None:
    same = by_option(incremental_analysis(options(P=(10, 0.1), Q=(10, 0.1), R=(0, 0))))
    assert same.at["Q", "status"] == "dominated" and same.at["Q", "versus"] == "P"
    cheap = by_option(incremental_analysis(options(R=(0, 0), S=(10, 0.1), T=(10, 0.2))))
    assert cheap.at["S", "status"] == "dominated" and cheap.at["S", "versus"] == "T"


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="no option"):
        incremental_analysis(pd.DataFrame(columns=["cost", "qaly"]))
    with pytest.raises(ValueError, match="finite"):
        incremental_analysis(options(A=(0, 0), B=(float("nan"), 1)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-500, 500).map(float), st.integers(-100, 100).map(lambda q: q / 1000)
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 60_000),
)
def test_frontier_properties_on_random_tables(points, wtp) -> None:
    table = options(**{f"o{k}": p for k, p in enumerate(points)})
    result = incremental_analysis(table)
    assert sorted(result["option"]) == sorted(table.index), "expected every option once"
    frontier = result[result["status"] == "frontier"]
    assert frontier["cost"].is_monotonic_increasing and frontier["qaly"].is_monotonic_increasing
    icers = frontier["icer"].to_numpy()[1:]
    assert (icers > 0).all() and (np.diff(icers) >= -1e-9).all(), "expected rising ICERs"
    for _, row in frontier.iterrows():  # no frontier option is dominated by any option
        better = (table["cost"] <= row["cost"]) & (table["qaly"] >= row["qaly"])
        strictly = (table["cost"] < row["cost"]) | (table["qaly"] > row["qaly"])
        assert not (better & strictly).any()
    best = best_option(table, float(wtp))
    nmb = wtp * table["qaly"] - table["cost"]
    assert nmb[best] == nmb.max()
    assert best in set(frontier["option"]) or (nmb == nmb[best]).sum() > 1, (
        "expected the highest net benefit on the frontier"
    )


# --- ratios and money in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "qaly", "where", "ratio"),
    [
        (100.0, 0.01, "more effective, more costly", 10_000.0),
        (-5.0, 0.01, "dominant", math.nan),
        (5.0, -0.01, "dominated", math.nan),
        (-100.0, -0.01, "less effective, less costly", 10_000.0),
        (0.0, 0.01, "dominant", math.nan),
        (5.0, 0.0, "dominated", math.nan),
    ],
)
def test_quadrants_and_ratios_are_never_negative(cost, qaly, where, ratio) -> None:
    assert quadrant(cost, qaly) == where
    value = icer(cost, qaly)
    assert (math.isnan(value) and math.isnan(ratio)) or value == pytest.approx(ratio)
    assert "-" not in icer_text(cost, qaly), "expected no negative ratio in words"


def test_money_has_thousands_separators_and_no_scientific_notation() -> None:
    assert gbp(10_523.4) == "£10,523"
    assert gbp(-1_234_567.8) == "-£1,234,568"
    assert gbp(-0.2) == "£0", "expected no minus sign on a sum that rounds to zero"
    assert signed_gbp(45.0) == "+£45" and signed_gbp(-3.2) == "-£3"
    assert signed_gbp(-0.234, 2) == "-£0.23"
    assert gbp(float("nan")) == "-"


# --- net benefit and acceptability ---------------------------------------------------------------


def draws_table() -> pd.DataFrame:
    # two trials; X costs 100 or 300 more for 0.01 QALYs; Y costs 500 more for 0.03 QALYs
    return pd.DataFrame(
        {
            "replicate": [0, 0, 1, 1],
            "option": ["X", "Y", "X", "Y"],
            "delta_cost": [100.0, 500.0, 300.0, 500.0],
            "delta_qaly": [0.01, 0.03, 0.01, 0.03],
        }
    )


def test_acceptability_by_hand() -> None:
    curves = acceptability(draws_table(), "UC", [0.0, 20_000.0, 50_000.0])
    p = curves.set_index(["willingness_to_pay", "option"])["probability"]
    # at 0 usual care (NMB 0) beats X (-100, -300) and Y (-500) in both trials
    assert p[(0.0, "UC")] == 1.0
    # at 20,000: X 200 - 100 = 100 or 200 - 300 = -100; Y 600 - 500 = 100.
    # trial 0: X and Y tie at 100 (first listed, X, wins); trial 1: Y (100) beats UC (0)
    assert p[(20_000.0, "X")] == 0.5 and p[(20_000.0, "Y")] == 0.5
    # at 50,000: X 400, 200; Y 1,000: Y in both
    assert p[(50_000.0, "Y")] == 1.0
    assert curves.groupby("willingness_to_pay")["probability"].sum().tolist() == [1.0, 1.0, 1.0]
    mean = curves.set_index(["willingness_to_pay", "option"])["expected_net_benefit"]
    assert mean[(20_000.0, "X")] == pytest.approx(0.0)
    assert net_benefit(100.0, 0.01, 20_000.0) == pytest.approx(100.0)


def test_acceptability_counts_only_complete_draws_and_keeps_members() -> None:
    table = draws_table().assign(member=[0, 0, 1, 1])
    table.loc[3, "delta_cost"] = np.nan  # member 1's draw of Y is missing: drop that draw
    curves = acceptability(table, "UC", [50_000.0])
    assert curves.set_index("option").at["Y", "probability"] == 1.0


# --- budget impact -------------------------------------------------------------------------------


def cost_table(option_costs: dict[int, float], week_last: int = 26) -> pd.DataFrame:
    rows = []
    for week in range(week_last + 1):
        rows.append({"replicate": 0, "option": "UC", "week": week, "cost": 10.0 * week})
        rows.append(
            {"replicate": 0, "option": "X", "week": week, "cost": 10.0 * week + option_costs(week)}
        )
    return pd.DataFrame(rows)


def test_budget_impact_by_hand() -> None:
    # X costs 50 more at week 22 and 46 more at week 26: follow-up 46 per patient, then -1 a
    # week. For 100 patients: year 1 = 100 x (46 + 26 x -1) = 2,000; each later year
    # 100 x 52 x -1 = -5,200; 5 years = 2,000 - 4 x 5,200 = -18,800; without a lasting change
    # 100 x 46 = 4,600.
    costs = cost_table(lambda w: 50.0 - max(0, w - 22))
    row = per_draw_impact(costs, "UC", 100).iloc[0]
    assert row["per_patient_followup"] == pytest.approx(46.0)
    assert row["per_patient_weekly_after"] == pytest.approx(-1.0)
    assert row["year_1"] == pytest.approx(2_000.0)
    assert row["year_3"] == pytest.approx(-5_200.0)
    assert row["total_5_years"] == pytest.approx(-18_800.0)
    summary = budget_impact(costs, "UC", 100).iloc[0]
    assert summary["total_5_years_no_lasting_change"] == pytest.approx(4_600.0)
    assert summary["later_years"] == pytest.approx(-5_200.0)


def test_budget_impact_refuses_a_follow_up_longer_than_a_year() -> None:
    with pytest.raises(ValueError, match="follow-up of 60 weeks"):
        per_draw_impact(cost_table(lambda w: 0.0, week_last=60), "UC", 100)
