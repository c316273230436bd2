"""Network statistics: hand-computed values on a tiny population, and the targets over seeds."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from sim.config.scenario import load_scenario
from sim.population import codes
from sim.population.arrays import Links, Nodes, Patients, Population, Ties
from sim.population.cohort import make_patients
from sim.population.community import make_population
from sim.population.netstats import COLUMNS, cohesion, network_statistics, targets_met
from sim.streams import generator

P, F, FR, NB, AC, GR, PR, PET = (
    codes.PARTNER,
    codes.FAMILY,
    codes.FRIEND,
    codes.NEIGHBOUR,
    codes.ACQUAINTANCE,
    codes.GROUP_TIE,
    codes.PROFESSIONAL,
    codes.PET,
)


def tiny_population() -> Population:
    """Three patients (nodes 0-2) with hand-known communities.

    Patient 0 (80, woman, 3a, no qualifications, lives with partner, family type): partner 3,
    family 4, friend 5, pet 6, professional 10, group 12. Links 3-4 and 4-5 (and 5-6 to the pet,
    which cohesion must ignore).
    Patient 1 (70, man, 3b with proteinuria, degree, alone, diverse): family 7, acquaintance 8,
    neighbour 9, professionals 10 and 11, group 12. Link 7-8.
    Patient 2 (60, woman, 3a with proteinuria, intermediate, alone, restricted): professional 10.
    """
    patients = Patients(
        age=np.array([80.0, 70.0, 60.0]),
        female=np.array([True, False, True]),
        stage=np.array([0, 1, 0], np.int8),
        proteinuria=np.array([False, True, True]),
        education=np.array([0, 2, 1], np.int8),
        hypertension=np.array([True, False, True]),
        diabetes=np.array([False, False, True]),
        household=np.array([codes.WITH_PARTNER, codes.ALONE, codes.ALONE], np.int8),
        network_type=np.array([2, 4, 0], np.int8),
        practice=np.zeros(3, np.int32),
        locality=np.zeros(3, np.int32),
        preferences=np.full((3, 7), 1 / 7),
    )
    kind = [codes.PATIENT] * 3 + [codes.PERSON] * 3 + [codes.PET_NODE] + [codes.PERSON] * 3
    kind += [codes.PROFESSIONAL_NODE] * 2 + [codes.GROUP]
    owner = [-1, -1, -1, 0, 0, 0, 0, 1, 1, 1, -1, -1, -1]
    relation = [-1, -1, -1, P, F, FR, PET, F, AC, NB, -1, -1, -1]
    nodes = Nodes(
        kind=np.array(kind, np.int8),
        owner=np.array(owner, np.int32),
        relation=np.array(relation, np.int8),
        practice=np.array([0] * 3 + [-1] * 7 + [0, 0, -1], np.int32),
        locality=np.zeros(13, np.int32),
        role=np.array([-1] * 10 + [0, 1, -1], np.int8),
        category=np.array([-1] * 12 + [1], np.int8),
    )
    ties = [  # ego, alter, tie type, circle, contact per week
        (0, 3, P, 0, 7.0),
        (0, 4, F, 1, 1.5),
        (0, 5, FR, 2, 0.4),
        (0, 6, PET, 0, 7.0),
        (0, 10, PR, 1, 0.125),
        (0, 12, GR, 1, 0.5),
        (1, 7, F, 0, 3.0),
        (1, 8, AC, 2, 0.2),
        (1, 9, NB, 1, 1.0),
        (1, 10, PR, 2, 0.05),
        (1, 11, PR, 0, 0.25),
        (1, 12, GR, 0, 1.0),
        (2, 10, PR, 1, 0.125),
    ]
    ego, alter, tie_type, circle, contact = (np.array(c) for c in zip(*ties, strict=True))
    population = Population(
        patients,
        nodes,
        Ties(
            ego,
            alter,
            tie_type.astype(np.int8),
            circle.astype(np.int8),
            contact,
            np.full(len(ego), codes.NEARBY, np.int8),
        ),
        Links(np.array([3, 4, 5, 7]), np.array([4, 5, 6, 8])),
        np.array([False]),
    )
    population.check()
    return population


@pytest.fixture(scope="module")
def tiny_stats() -> pd.DataFrame:
    return network_statistics(tiny_population()).set_index("statistic")


HAND_VALUES = {
    "mean_age": 70.0,
    "sd_age": 10.0,
    "share_75_plus": 100 / 3,
    "share_female": 200 / 3,
    "share_3a_no_proteinuria": 100 / 3,
    "share_3a_proteinuria": 100 / 3,
    "share_3b_no_proteinuria": 0.0,
    "share_3b_proteinuria": 100 / 3,
    "share_no_qualifications": 100 / 3,
    "share_degree": 100 / 3,
    "share_hypertension": 200 / 3,
    "mean_network_size": 13 / 3,
    "weak_tie_share": 100 * 3 / 13,  # one acquaintance and two group ties of 13 members
    "professional_share": 100 * 4 / 13,
    "group_participation": 200 / 3,
    "mean_members_partner": 1 / 3,
    "mean_members_family": 2 / 3,
    "mean_members_professional": 4 / 3,
    "mean_members_pet": 1 / 3,
    "share_network_restricted": 100 / 3,
    "share_network_minimal_family": 0.0,
    "share_network_diverse": 100 / 3,
    "median_network_size": 6.0,
    "mean_cohesion": 0.5,  # (2/3 + 1/3) / 2; patient 2 has no personal members
    "mean_members_besides_partner_with_partner": 5.0,
    "mean_members_besides_partner_without_partner": 3.5,  # (6 + 1) / 2
    "share_living_alone": 200 / 3,
}


@pytest.mark.parametrize(("statistic", "expected"), HAND_VALUES.items())
def test_statistic_matches_hand_computed_value(tiny_stats, statistic, expected):
    value = tiny_stats.loc[statistic, "value"]
    assert value == pytest.approx(expected), f"{statistic}: expected {expected}, got {value}"


def test_table_has_the_documented_columns_and_unique_ids(tiny_stats):
    table = tiny_stats.reset_index()
    assert tuple(table.columns) == COLUMNS
    assert table["statistic"].is_unique
    assert table["statistic"].str.fullmatch(r"[a-z0-9_]+").all(), "ids must be snake_case"


def test_within_is_na_without_target_and_checks_the_band_with_one(tiny_stats):
    descriptive = tiny_stats[tiny_stats["target"].isna()]
    assert descriptive["within"].isna().all(), "rows without a target must have within = NA"
    assert (descriptive["source"] == "").all()
    targeted = tiny_stats[tiny_stats["target"].notna()]
    assert targeted["within"].notna().all()
    assert targeted["source"].str.match(r"T[1-4] \(").all()
    assert not tiny_stats.loc["mean_age", "within"], "mean age 70 lies outside 72.1 +/- 1"
    assert tiny_stats.loc["sd_age", "within"], "SD 10 lies inside 9.1 +/- 1"
    assert not tiny_stats.loc["mean_network_size", "within"], "4.3 members is outside 7-10"
    assert tiny_stats.loc["mean_network_size", ["low", "high"]].tolist() == [7.0, 10.0]


def test_cohesion_counts_only_links_between_personal_members():
    density = cohesion(tiny_population())
    # Patient 0: 3 people, links 3-4 and 4-5 (5-6 joins a pet); patient 1: link 7-8 of 3 pairs.
    np.testing.assert_allclose(density, [2 / 3, 1 / 3, np.nan])


def test_cohesion_ignores_links_to_members_of_another_community():
    population = tiny_population()
    population.links = Links(np.array([3, 5]), np.array([4, 7]))  # 5-7 crosses communities
    np.testing.assert_allclose(cohesion(population), [1 / 3, 0.0, np.nan])


def test_targets_met_is_false_when_a_target_is_missed(tiny_stats):
    table = tiny_stats.reset_index()
    assert not targets_met(table)
    assert not targets_met(table, targets={"T2"})
    assert targets_met(table.assign(within=table["within"].where(table["target"].isna(), True)))


def test_targets_met_rejects_a_table_without_targets(tiny_stats):
    table = tiny_stats.reset_index()
    with pytest.raises(ValueError, match="no statistic with a target"):
        targets_met(table[table["target"].isna()])
    with pytest.raises(ValueError, match="T9"):
        targets_met(table, targets={"T9"})


def build(overrides: dict) -> Population:
    scenario = load_scenario("scenarios/usual_care.toml").with_overrides(overrides)
    patients, deprived = make_patients(scenario, generator(scenario["run.seed"], "population"))
    return make_population(
        scenario, patients, deprived, generator(scenario["run.seed"], "community")
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_default_population_meets_targets_t1_to_t4(seed):
    population = build({"run.seed": seed})
    assert population.n_patients == 2400
    stats = network_statistics(population)
    missed = stats[stats["within"].eq(False)]
    assert missed.empty, (
        f"seed {seed}: expected every target within tolerance; missed:\n"
        + missed[["statistic", "value", "low", "high", "source"]].to_string()
    )
    assert targets_met(stats, targets={"T2", "T3", "T4"})


def test_naming_more_professionals_raises_the_professional_share():
    low = build({"run.seed": 7, "network.p_professional_gp": 0.2})
    high = build({"run.seed": 7, "network.p_professional_gp": 1.0})
    share = [
        network_statistics(p).set_index("statistic").loc["professional_share", "value"]
        for p in (low, high)
    ]
    assert share[1] > share[0] + 5, f"expected GP naming 0.2 -> 1.0 to raise the share: {share}"


@pytest.mark.slow
def test_statistics_of_100_000_patients_take_under_two_seconds():
    population = build({"population.n_practices": 50, "population.patients_per_practice": 2000})
    start = time.perf_counter()
    stats = network_statistics(population)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"expected under 2 s for 100,000 patients, took {elapsed:.2f} s"
    assert not math.isnan(stats.set_index("statistic").loc["mean_cohesion", "value"])
