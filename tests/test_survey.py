"""Survey CSV input: the example folder, exact round trips, every malformed-file error, layout."""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config.scenario import ScenarioError, default_scenario, load_scenario
from sim.errors import DataFileError
from sim.population import codes
from sim.population.arrays import Links, Nodes, Population, Ties
from sim.population.cohort import make_patients
from sim.population.community import make_population
from sim.population.network_types import classify_network_type
from sim.population.survey import (
    load_survey_population,
    read_survey,
    read_survey_with_ids,
    write_survey,
)
from sim.streams import generator

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "data" / "example_survey"


def synthetic(n_practices: int = 3, seed: int = 7) -> Population:
    scenario = load_scenario(ROOT / "scenarios" / "usual_care.toml").with_overrides(
        {"population.n_practices": n_practices, "run.seed": seed}
    )
    patients, deprived = make_patients(scenario, generator(seed, "population"))
    return make_population(scenario, patients, deprived, generator(seed, "community"))


def assert_same(a: Population, b: Population) -> None:
    """Every array equal in value and dtype."""
    for name in ("patients", "nodes", "ties", "links"):
        for field in dataclasses.fields(getattr(a, name)):
            x, y = getattr(getattr(a, name), field.name), getattr(getattr(b, name), field.name)
            assert x.dtype == y.dtype, f"{name}.{field.name}: dtype {y.dtype}, expected {x.dtype}"
            assert np.array_equal(x, y), f"{name}.{field.name} differs after the round trip"
    assert np.array_equal(a.locality_deprived, b.locality_deprived)


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """A writable copy of the example survey folder."""
    folder = tmp_path / "survey"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(folder: Path, file: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Apply ``change`` to one CSV of the folder (read as text) and write it back."""
    path = folder / file
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame).to_csv(path, index=False)


def set_cell(row: int, column: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, column] = value
        return frame

    return change


def add_row(**cells: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        row = {c: cells.get(c, "") for c in frame.columns}
        return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)

    return change


def drop_column(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.drop(columns=column)


def add_column(column: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.assign(**{column: value})


# --- the example folder -----------------------------------------------------------------------


def test_example_survey_loads_with_expected_sizes() -> None:
    population = read_survey(EXAMPLE)
    population.check()
    assert population.n_patients == 12
    assert population.n_nodes == 75, "12 egos + 47 people and pets + 8 professionals + 8 groups"
    assert len(population.ties) == 70
    assert len(population.links) == 22
    assert population.locality_deprived.tolist() == [False, True]


def test_example_survey_covers_every_tie_type_kind_and_network_type() -> None:
    population = read_survey(EXAMPLE)
    assert set(population.ties.tie_type.tolist()) == set(range(len(codes.TIE_TYPES)))
    assert set(population.nodes.kind.tolist()) == set(range(len(codes.NODE_KINDS)))
    expected = [
        "restricted",  # E01 partner only (classified)
        "restricted",  # E02 given
        "minimal_family",
        "family",
        "weak_ties",
        "diverse",
        "family",  # E07 given
        "weak_ties",  # E08 given
        "diverse",  # E09 given
        "minimal_family",
        "restricted",  # E11 professionals only
        "diverse",
    ]
    got = [codes.NETWORK_TYPES[t] for t in population.patients.network_type]
    assert got == expected


def test_example_survey_nodes_follow_the_state_layout() -> None:
    population, ids = read_survey_with_ids(EXAMPLE)
    node = ids.node_of()
    assert ids.egos.tolist() == [f"E{i:02d}" for i in range(1, 13)], "patients in egos.csv order"
    assert node[("members.csv", "E01-wife")] == 12, "first personal member follows the patients"
    assert node[("members.csv", "E04-wife")] < node[("members.csv", "E04-neighbour")], (
        "within an ego, members are sorted by tie type (partner first) whatever the file order"
    )
    nodes = population.nodes
    son = node[("members.csv", "E04-son")]
    assert nodes.owner[son] == 3 and nodes.relation[son] == codes.FAMILY
    assert nodes.locality[son] == population.patients.locality[3], "people take their ego's"
    assert nodes.practice[son] == -1 and nodes.role[son] == -1 and nodes.category[son] == -1
    professionals = np.flatnonzero(nodes.kind == codes.PROFESSIONAL_NODE)
    assert professionals.tolist() == list(range(59, 67))
    assert np.all(np.diff(nodes.practice[professionals]) >= 0), "professionals by practice"
    groups = np.flatnonzero(nodes.kind == codes.GROUP)
    assert ids.members[groups - 12].tolist()[:4] == [
        "art-class",
        "lunch-club",
        "walking-club",
        "good-neighbours",
    ], "groups by locality, then activity category"
    assert np.all(np.diff(nodes.locality[groups]) >= 0)


def test_example_survey_tie_values_are_read_exactly() -> None:
    population, ids = read_survey_with_ids(EXAMPLE)
    node = ids.node_of()
    ties = population.ties.to_frame()
    ego, gp = node[("egos.csv", "E04")], node[("members.csv", "gp-A1")]
    row = ties[(ties.patient == ego) & (ties.member == gp)].iloc[0]
    assert (row.tie_type, row.circle, row.contact_per_week, row.proximity) == (
        "professional",
        "middle",
        0.25,
        "nearby",
    )
    a, b = node[("members.csv", "E04-neighbour")], node[("members.csv", "E04-wife")]
    assert (min(a, b), max(a, b)) in set(
        zip(population.links.a.tolist(), population.links.b.tolist(), strict=True)
    ), "a link listed as (neighbour, wife) is stored with a < b"
    assert np.allclose(population.patients.preferences, 1 / 7), "no pref_ columns: uniform"


def test_survey_example_scenario_loads_its_survey() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "survey_example.toml")
    assert scenario["population.source"] == "survey"
    assert_same(load_survey_population(scenario), read_survey(EXAMPLE))


# --- round trips ------------------------------------------------------------------------------


def test_synthetic_population_round_trips_exactly(tmp_path: Path) -> None:
    population = synthetic()
    write_survey(population, tmp_path / "a")
    back = read_survey(tmp_path / "a")
    assert_same(population, back)
    write_survey(back, tmp_path / "b")
    for file in ("egos.csv", "members.csv", "ties.csv", "links.csv"):
        first, second = (tmp_path / "a" / file).read_bytes(), (tmp_path / "b" / file).read_bytes()
        assert first == second, f"{file} changed on the second write"


def test_example_survey_round_trips_with_its_ids(tmp_path: Path) -> None:
    population, ids = read_survey_with_ids(EXAMPLE)
    write_survey(population, tmp_path, ids)
    back, back_ids = read_survey_with_ids(tmp_path)
    assert_same(population, back)
    assert back_ids.egos.tolist() == ids.egos.tolist()
    assert back_ids.members.tolist() == ids.members.tolist()


def test_ten_thousand_egos_read_in_a_few_seconds(tmp_path: Path) -> None:
    population = synthetic(n_practices=100)
    assert population.n_patients == 10_000
    write_survey(population, tmp_path)
    start = time.perf_counter()
    back = read_survey(tmp_path)
    elapsed = time.perf_counter() - start
    assert back.n_nodes == population.n_nodes
    assert elapsed < 5.0, f"reading 10,000 egos took {elapsed:.1f} s; expected about 1 s"


# --- optional columns and files ---------------------------------------------------------------


def test_links_file_is_optional(survey: Path) -> None:
    (survey / "links.csv").unlink()
    population = read_survey(survey)
    assert len(population.links) == 0 and len(population.ties) == 70


def test_given_network_type_is_kept_and_blank_ones_are_classified(survey: Path) -> None:
    edit(survey, "egos.csv", set_cell(3, "network_type", "diverse"))  # E04 looks family-typed
    population = read_survey(survey)
    assert codes.NETWORK_TYPES[population.patients.network_type[3]] == "diverse"
    assert codes.NETWORK_TYPES[population.patients.network_type[0]] == "restricted"


def test_without_network_type_column_every_ego_is_classified(survey: Path) -> None:
    edit(survey, "egos.csv", drop_column("network_type"))
    given = read_survey(EXAMPLE).patients.network_type
    assert read_survey(survey).patients.network_type.tolist() == given.tolist()


def test_without_locality_deprived_no_locality_is_deprived(survey: Path) -> None:
    edit(survey, "egos.csv", drop_column("locality_deprived"))
    assert read_survey(survey).locality_deprived.tolist() == [False, False]


def test_preference_ratings_are_scaled_to_sum_to_one(survey: Path) -> None:
    def ratings(frame: pd.DataFrame) -> pd.DataFrame:
        for i, category in enumerate(codes.ACTIVITY_CATEGORIES):
            frame[f"pref_{category}"] = str(i + 1)
        return frame

    edit(survey, "egos.csv", ratings)
    prefs = read_survey(survey).patients.preferences
    assert np.allclose(prefs.sum(axis=1), 1.0)
    assert np.allclose(prefs[0], np.arange(1, 8) / 28), "ratings 1..7 scale to k / 28"


def test_labels_and_booleans_are_case_insensitive_and_notes_ignored(survey: Path) -> None:
    edit(survey, "egos.csv", set_cell(0, "sex", "Male"))
    edit(survey, "egos.csv", set_cell(0, "diabetes", "YES"))
    edit(survey, "egos.csv", add_column("notes_interviewer", "anything"))
    population = read_survey(survey)
    assert not population.patients.female[0] and population.patients.diabetes[0]


# --- malformed files --------------------------------------------------------------------------

#: (case, file, change, expected key, fragments the message must contain)
BAD_FILES = [
    ("missing_egos", "egos.csv", None, "egos.csv", ["file not found"]),
    ("missing_members", "members.csv", None, "members.csv", ["file not found"]),
    ("missing_column", "ties.csv", drop_column("circle"), "ties.csv:circle", ["missing"]),
    (
        "unknown_column",
        "egos.csv",
        add_column("netwrok_type", "x"),
        "egos.csv:netwrok_type",
        ["unknown column", "network_type"],
    ),
    (
        "unknown_circle",
        "ties.csv",
        set_cell(5, "circle", "close"),
        "ties.csv:row 7:circle",
        ["'close'", "'inner', 'middle', 'outer'"],
    ),
    (
        "age_out_of_range",
        "egos.csv",
        set_cell(2, "age", "300"),
        "egos.csv:row 4:age",
        ["'300'", "[18, 120]", "years"],
    ),
    (
        "contact_not_a_number",
        "ties.csv",
        set_cell(0, "contact_per_week", "often"),
        "ties.csv:row 2:contact_per_week",
        ["'often'", "contacts/week"],
    ),
    (
        "contact_negative",
        "ties.csv",
        set_cell(1, "contact_per_week", "-1"),
        "ties.csv:row 3:contact_per_week",
        ["'-1'", "[0, 168]"],
    ),
    (
        "empty_required_cell",
        "egos.csv",
        set_cell(1, "household", ""),
        "egos.csv:row 3:household",
        ["''", "'partner', 'alone', 'others'"],
    ),
    (
        "bad_boolean",
        "egos.csv",
        set_cell(0, "proteinuria", "maybe"),
        "egos.csv:row 2:proteinuria",
        ["'maybe'", "'true'"],
    ),
    (
        "unknown_network_type",
        "egos.csv",
        set_cell(0, "network_type", "isolated"),
        "egos.csv:row 2:network_type",
        ["'isolated'", "'weak_ties'"],
    ),
    (
        "duplicate_ego_id",
        "egos.csv",
        set_cell(4, "id", "E01"),
        "egos.csv:row 6:id",
        ["duplicate id 'E01'", "row 2"],
    ),
    (
        "duplicate_member_id",
        "members.csv",
        set_cell(1, "id", "gp-A1"),
        "members.csv:row 3:id",
        ["duplicate id 'gp-A1'"],
    ),
    (
        "unknown_kind",
        "members.csv",
        set_cell(0, "kind", "robot"),
        "members.csv:row 2:kind",
        ["'robot'", "'person', 'pet', 'group', 'professional'"],
    ),
    (
        "professional_without_role",
        "members.csv",
        set_cell(0, "role", ""),
        "members.csv:row 2:role",
        ["'gp', 'nurse', 'pharmacist'"],
    ),
    (
        "person_with_role",
        "members.csv",
        set_cell(16, "role", "gp"),
        "members.csv:row 18:role",
        ["'gp'", "only for professionals", "blank"],
    ),
    (
        "group_without_locality",
        "members.csv",
        set_cell(8, "locality", ""),
        "members.csv:row 10:locality",
        ["an integer"],
    ),
    (
        "fractional_practice",
        "members.csv",
        set_cell(0, "practice", "1.5"),
        "members.csv:row 2:practice",
        ["'1.5'", "an integer"],
    ),
    (
        "dangling_ego_id",
        "ties.csv",
        set_cell(3, "ego_id", "E99"),
        "ties.csv:row 5:ego_id",
        ["'E99'", "egos.csv"],
    ),
    (
        "dangling_member_id",
        "ties.csv",
        set_cell(3, "member_id", "nobody"),
        "ties.csv:row 5:member_id",
        ["'nobody'", "members.csv"],
    ),
    (
        "tie_type_does_not_fit_kind",
        "ties.csv",
        set_cell(3, "tie_type", "friend"),
        "ties.csv:row 5:tie_type",
        ["'friend'", "E02-dog", "pet", "'pet'"],
    ),
    (
        "same_tie_twice",
        "ties.csv",
        add_row(
            ego_id="E01",
            member_id="gp-A1",
            tie_type="professional",
            circle="outer",
            contact_per_week="1",
            proximity="nearby",
        ),
        "ties.csv:row 72:member_id",
        ["'gp-A1'", "twice"],
    ),
    (
        "person_tied_to_two_egos",
        "ties.csv",
        add_row(
            ego_id="E02",
            member_id="E01-wife",
            tie_type="friend",
            circle="outer",
            contact_per_week="1",
            proximity="nearby",
        ),
        "ties.csv:row 72:member_id",
        ["'E01-wife'", "'E01'", "'E02'", "exactly one ego"],
    ),
    (
        "person_without_ego",
        "members.csv",
        add_row(id="lonely", kind="person"),
        "members.csv:row 65:id",
        ["'lonely'", "not tied to any ego"],
    ),
    (
        "dangling_link",
        "links.csv",
        set_cell(0, "member_b", "nobody"),
        "links.csv:row 2:member_b",
        ["'nobody'", "members.csv"],
    ),
    (
        "link_to_itself",
        "links.csv",
        set_cell(0, "member_b", "E03-son"),
        "links.csv:row 2:member_b",
        ["'E03-son'", "themself"],
    ),
    (
        "link_across_communities",
        "links.csv",
        set_cell(0, "member_b", "E04-son"),
        "links.csv:row 2:member_b",
        ["'E04-son'", "another ego"],
    ),
    (
        "link_to_a_pet",
        "links.csv",
        add_row(member_a="E02-daughter", member_b="E02-dog"),
        "links.csv:row 24:member_b",
        ["'E02-dog'", "not a person"],
    ),
    (
        "link_twice_reversed",
        "links.csv",
        add_row(member_a="E03-sister", member_b="E03-son"),
        "links.csv:row 24:member_b",
        ["'E03-son'", "already linked"],
    ),
    (
        "inconsistent_deprivation",
        "egos.csv",
        set_cell(1, "locality_deprived", "true"),
        "egos.csv:row 3:locality_deprived",
        ["'true'", "same for every ego of a locality"],
    ),
    (
        "some_preference_columns",
        "egos.csv",
        add_column("pref_social", "1"),
        "egos.csv:pref_creative",
        ["give all of"],
    ),
    (
        "negative_preference",
        "egos.csv",
        lambda f: f.assign(**{f"pref_{c}": "1" for c in codes.ACTIVITY_CATEGORIES}).pipe(
            set_cell(2, "pref_learning", "-2")
        ),
        "egos.csv:row 4:pref_learning",
        ["'-2'"],
    ),
]


@pytest.mark.parametrize(
    ("file", "change", "key", "fragments"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_malformed_file_names_file_column_row_and_value(
    survey: Path, file: str, change, key: str, fragments: list[str]
) -> None:
    if change is None:
        (survey / file).unlink()
    else:
        edit(survey, file, change)
    with pytest.raises(DataFileError) as caught:
        read_survey(survey)
    error = caught.value
    assert Path(error.file) == survey / file, f"error names {error.file}; expected {file}"
    assert error.key == key, f"key {error.key!r}; expected {key!r}"
    for fragment in fragments:
        assert fragment in error.message, f"{fragment!r} missing from {error.message!r}"


def test_empty_file_is_an_error(survey: Path) -> None:
    (survey / "ties.csv").write_text("")
    with pytest.raises(DataFileError, match="empty") as caught:
        read_survey(survey)
    assert caught.value.key == "ties.csv"


def test_example_is_valid_before_each_malformed_change(survey: Path) -> None:
    """The malformed cases above fail because of their change, not because of the copy."""
    for file in ("egos.csv", "members.csv", "ties.csv", "links.csv"):
        edit(survey, file, lambda frame: frame)
    assert_same(read_survey(survey), read_survey(EXAMPLE))


# --- the scenario key -------------------------------------------------------------------------


def copy_usual_care(folder: Path) -> None:
    """Copy usual care and the calibrated parameters it is based on into ``folder``."""
    for name in ("usual_care.toml", "calibrated.toml"):
        shutil.copy(ROOT / "scenarios" / name, folder / name)


def test_survey_dir_resolves_relative_to_the_scenario_file(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "nested" / "my_survey")
    copy_usual_care(tmp_path)
    scenario_file = tmp_path / "nested" / "survey.toml"
    scenario_file.write_text(
        'base = "../usual_care.toml"\n[population]\nsource = "survey"\nsurvey_dir = "my_survey"\n'
    )
    population = load_survey_population(load_scenario(scenario_file))
    assert population.n_patients == 12


def test_missing_survey_folder_names_the_scenario_key(tmp_path: Path) -> None:
    copy_usual_care(tmp_path)
    scenario_file = tmp_path / "survey.toml"
    scenario_file.write_text(
        'base = "usual_care.toml"\n[population]\nsource = "survey"\nsurvey_dir = "absent"\n'
    )
    with pytest.raises(ScenarioError, match="'absent' is not a folder") as caught:
        load_survey_population(load_scenario(scenario_file))
    assert caught.value.key == "population.survey_dir"
    assert Path(caught.value.file) == scenario_file


def test_scenario_without_file_resolves_survey_dir_from_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "here")
    monkeypatch.chdir(tmp_path)
    scenario = default_scenario().with_overrides(
        {"population.source": "survey", "population.survey_dir": "here"}
    )
    assert load_survey_population(scenario).n_nodes == 75


# --- network-type classifier ------------------------------------------------------------------

P, F, FR, N, A, G = (
    codes.PARTNER,
    codes.FAMILY,
    codes.FRIEND,
    codes.NEIGHBOUR,
    codes.ACQUAINTANCE,
    codes.GROUP_TIE,
)
HOME, NEAR = codes.CO_RESIDENT, codes.NEARBY

#: (case, members as (tie type, proximity), expected type). Professionals and pets are added to
#: every community: they must not change the type.
COMMUNITIES = [
    ("nobody_but_professionals", [], "restricted"),
    ("partner_only", [(P, HOME)], "restricted"),
    ("one_co_resident_relative", [(F, HOME)], "restricted"),
    ("partner_and_co_resident_relative", [(P, HOME), (F, HOME)], "restricted"),
    ("one_relative_living_elsewhere", [(F, NEAR)], "minimal_family"),
    ("two_relatives", [(P, HOME), (F, HOME), (F, NEAR)], "minimal_family"),
    ("one_friend", [(FR, NEAR)], "minimal_family"),
    ("large_family", [(P, HOME), (F, NEAR), (F, NEAR), (F, NEAR)], "family"),
    ("family_with_some_others", [(P, HOME)] + [(F, NEAR)] * 3 + [(FR, NEAR), (G, NEAR)], "family"),
    ("three_kin_are_not_a_large_family", [(P, HOME), (F, NEAR), (F, NEAR)], "minimal_family"),
    ("weak_ties_dominate", [(F, NEAR), (N, NEAR), (N, NEAR), (A, NEAR)], "weak_ties"),
    ("half_weak_is_not_dominant", [(F, NEAR), (N, NEAR)], "minimal_family"),
    ("groups_only", [(G, NEAR), (G, NEAR)], "weak_ties"),
    ("friends_family_and_group", [(F, NEAR), (FR, NEAR), (G, NEAR)], "diverse"),
    (
        "half_kin_is_not_dominant",
        [(P, HOME)] + [(F, NEAR)] * 3 + [(FR, NEAR), (FR, NEAR), (A, NEAR), (G, NEAR)],
        "diverse",
    ),
    ("friends_and_family_without_weak_ties", [(P, HOME), (FR, NEAR)], "minimal_family"),
]


def communities(specs: list[list[tuple[int, int]]]) -> Population:
    """One patient per spec, each with its people plus a GP and a pet (not social members)."""
    rows = []  # (ego, tie type, proximity)
    for ego, spec in enumerate(specs):
        rows += [(ego, t, p) for t, p in spec] + [(ego, codes.PET, HOME)]
    n, m = len(specs), len(rows)
    ego = np.array([r[0] for r in rows] + list(range(n)), np.int32)
    tie_type = np.array([r[1] for r in rows] + [codes.PROFESSIONAL] * n, np.int8)
    proximity = np.array([r[2] for r in rows] + [NEAR] * n, np.int8)
    alter = np.concatenate([n + np.arange(m), np.full(n, n + m)]).astype(np.int32)
    base = synthetic(n_practices=1)
    patients = dataclasses.replace(
        base.patients,
        **{f.name: getattr(base.patients, f.name)[:n] for f in dataclasses.fields(base.patients)},
    )
    kind = np.concatenate(
        [np.zeros(n), np.where(tie_type[:m] == codes.PET, codes.PET_NODE, codes.PERSON), [4]]
    ).astype(np.int8)
    fill = np.full(n + m + 1, -1)
    nodes = Nodes(kind, fill, fill, fill, fill, fill, fill)
    ties = Ties(ego, alter, tie_type, np.zeros(m + n, np.int8), np.ones(m + n), proximity)
    empty = np.zeros(0, np.int32)
    return Population(patients, nodes, ties, Links(empty, empty), np.zeros(1, bool))


def test_classifier_gives_the_documented_type_of_each_hand_made_community() -> None:
    population = communities([spec for _, spec, _ in COMMUNITIES])
    population.check()
    got = [codes.NETWORK_TYPES[t] for t in classify_network_type(population)]
    for (case, _, expected), result in zip(COMMUNITIES, got, strict=True):
        assert result == expected, f"{case}: classified {result}, expected {expected}"


@pytest.mark.parametrize(("case", "spec", "expected"), COMMUNITIES, ids=[c[0] for c in COMMUNITIES])
def test_classifier_alone_on_each_community(case: str, spec, expected: str) -> None:
    population = communities([spec])
    assert codes.NETWORK_TYPES[classify_network_type(population)[0]] == expected, case


def test_example_in_the_format_documentation_reads(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "survey_format.md").read_text(encoding="utf-8")
    example = text[text.index("## Example") :]
    blocks = re.findall(r"`(\w+\.csv)`\n\n```\n(.*?)```", example, re.S)
    assert [name for name, _ in blocks] == ["egos.csv", "members.csv", "ties.csv"]
    for name, body in blocks:
        (tmp_path / name).write_text(body, encoding="utf-8")
    population, ids = read_survey_with_ids(tmp_path)
    assert population.n_nodes == 8 and len(population.ties) == 5
    assert ids.node_of()[("members.csv", "lunch-club")] == 7, "an unnamed group is still a node"
