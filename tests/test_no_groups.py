"""Populations without community groups: navigation finds nothing to join, and the run goes on.

Real graphs converted to the survey format have no groups at all (networkx's karate club and
Les Misérables, written to GraphML and read back, as a user would bring them), and a survey may
place groups in a locality where no patient lives.
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from sim.config.scenario import load_scenario
from sim.dynamics.navigation import GroupIndex, choose_groups
from sim.model import CommunityModel

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "data" / "example_survey"
WEEKS = 26

SCENARIO = """base = "{base}"
[run]
weeks = {weeks}
[population]
source = "survey"
survey_dir = "{survey}"
[mechanisms.navigation]
p_join = 1.0        # every patient tries to join a group every week
[outputs]
figures = false
"""


def survey_scenario(tmp_path: Path, survey: Path):
    path = tmp_path / "scenario.toml"
    base = (ROOT / "scenarios" / "genie.toml").as_posix()
    path.write_text(SCENARIO.format(base=base, weeks=WEEKS, survey=survey.as_posix()))
    return load_scenario(path)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def survey_from_graph(graph: nx.Graph, folder: Path) -> Path:
    """Write a graph as a survey: every node an ego, naming a copy of each of its neighbours.

    A neighbour is named as a friend (contacts per week from the edge's ``weight``), two copies
    in one ego's community know each other when the two nodes are linked, and every ego names
    one GP. Ego attributes are set from the node's position; there are no groups.
    """
    folder.mkdir(parents=True)
    nodes = list(graph.nodes)
    egos, members, ties, links = [], [["gp", "professional", 0, 0, "gp", ""]], [], []
    for i, node in enumerate(nodes):
        ego = f"E{i}"
        egos.append([ego, 60 + (7 * i) % 30, ("male", "female")[i % 2], ("3a", "3b")[i % 3 == 0]])
        egos[-1] += ["false", "none", "true", "false", "alone", 0, i % 2]
        ties.append([ego, "gp", "professional", "outer", 0.25, "nearby"])
        for neighbour in graph.neighbors(node):
            weight = float(graph.edges[node, neighbour].get("weight", 1.0))
            member = f"{ego}-{nodes.index(neighbour)}"
            members.append([member, "person", "", "", "", ""])
            circle = "inner" if weight >= 5 else "middle" if weight >= 2 else "outer"
            ties.append([ego, member, "friend", circle, min(weight, 168.0), "nearby"])
        known = list(graph.neighbors(node))
        for a, b in graph.subgraph(known).edges:
            links.append([f"{ego}-{nodes.index(a)}", f"{ego}-{nodes.index(b)}"])
    ego_columns = "id,age,sex,ckd_stage,proteinuria,education,hypertension,diabetes,household"
    write_csv(folder / "egos.csv", [*ego_columns.split(","), "practice", "locality"], egos)
    header = ["id", "kind", "practice", "locality", "role", "category"]
    write_csv(folder / "members.csv", header, members)
    header = ["ego_id", "member_id", "tie_type", "circle", "contact_per_week", "proximity"]
    write_csv(folder / "ties.csv", header, ties)
    write_csv(folder / "links.csv", ["member_a", "member_b"], links)
    return folder


def without_groups(folder: Path) -> Path:
    """A copy of the example survey with every group (and every tie to one) removed."""
    shutil.copytree(EXAMPLE, folder)
    members = list(csv.reader((folder / "members.csv").open(encoding="utf-8")))
    groups = {row[0] for row in members[1:] if row[1] == "group"}
    write_csv(folder / "members.csv", members[0], [r for r in members[1:] if r[0] not in groups])
    ties = list(csv.reader((folder / "ties.csv").open(encoding="utf-8")))
    write_csv(folder / "ties.csv", ties[0], [r for r in ties[1:] if r[1] not in groups])
    return folder


def run_weeks(tmp_path: Path, survey: Path) -> CommunityModel:
    model = CommunityModel(survey_scenario(tmp_path, survey), seed=3)
    model.run()
    return model


def test_choosing_a_group_where_there_is_none_anywhere_finds_nothing() -> None:
    empty = np.zeros(0, np.int64)
    index = GroupIndex.build(empty, empty, empty, n_localities=2)
    chosen = choose_groups(
        index,
        locality=np.array([0, 1, 1]),
        preferences=np.full((3, 7), 1 / 7),
        match=np.ones((3, 7)),
        preference_weight=0.5,
        u_category=np.array([0.1, 0.5, 0.9]),
        u_pick=np.array([0.2, 0.4, 0.6]),
    )
    assert chosen.tolist() == [-1, -1, -1], "expected no group for anyone"


def test_a_survey_with_no_groups_runs_26_weeks_and_nobody_joins(tmp_path: Path) -> None:
    model = run_weeks(tmp_path, without_groups(tmp_path / "survey"))
    assert model.week == WEEKS, f"expected {WEEKS} weeks, got {model.week}"
    assert model.measure("joined") == 0.0, "expected no group joined: there is none"
    assert model.measure("group_participation") == 0.0, "expected nobody in a group"


def test_groups_in_a_locality_where_no_patient_lives_are_indexed_and_never_joined(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "survey"
    shutil.copytree(EXAMPLE, folder)
    members = list(csv.reader((folder / "members.csv").open(encoding="utf-8")))
    for row in members[1:]:
        if row[1] == "group":
            row[3] = "9"  # patients live in localities 0 and 1 only
    write_csv(folder / "members.csv", members[0], members[1:])
    ties = list(csv.reader((folder / "ties.csv").open(encoding="utf-8")))
    groups = {row[0] for row in members[1:] if row[1] == "group"}
    write_csv(folder / "ties.csv", ties[0], [r for r in ties[1:] if r[1] not in groups])
    model = run_weeks(tmp_path, folder)
    assert model.week == WEEKS
    assert model.measure("joined") == 0.0, "expected no group joined: none is within reach"


@pytest.mark.parametrize(
    "graph",
    [nx.karate_club_graph(), nx.les_miserables_graph()],
    ids=["karate_club", "les_miserables"],
)
def test_graphml_toy_graphs_converted_to_the_survey_format_run_26_weeks(
    graph: nx.Graph, tmp_path: Path
) -> None:
    nx.write_graphml(graph, tmp_path / "graph.graphml")
    read = nx.read_graphml(tmp_path / "graph.graphml")
    model = run_weeks(tmp_path, survey_from_graph(read, tmp_path / "survey"))
    assert model.population.n_patients == graph.number_of_nodes()
    assert model.week == WEEKS, f"expected {WEEKS} weeks, got {model.week}"
    assert model.measure("joined") == 0.0, "expected no group joined: the graph has none"
    assert math.isnan(model.measure("given_by_group")), "expected NaN work per group tie"
