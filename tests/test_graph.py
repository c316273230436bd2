"""The networkx view and the sparse adjacency of a Population, on a tiny hand-made population."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np

from sim.population import codes
from sim.population.arrays import Links, Nodes, Patients, Population, Ties
from sim.population.graph import make_graph, sparse_adjacency, write_graphml
from sim.population.survey import read_survey

ROOT = Path(__file__).resolve().parents[1]
NONE = -1


def tiny() -> Population:
    """Two patients; patient 0 has a partner, a son and a cat; patient 1 a friend.

    Nodes: 0, 1 patients; 2 partner, 3 son, 4 cat (of 0); 5 friend (of 1); 6 GP; 7 lunch club.
    Both patients name the GP; patient 1 goes to the lunch club; the partner knows the son.
    """
    patients = Patients(
        age=np.array([71.5, 80.0]),
        female=np.array([False, True]),
        stage=np.array([0, 1], np.int8),
        proteinuria=np.array([True, False]),
        education=np.array([0, 2], np.int8),
        hypertension=np.array([True, True]),
        diabetes=np.array([False, True]),
        household=np.array([codes.WITH_PARTNER, codes.ALONE], np.int8),
        network_type=np.array([2, 4], np.int8),
        practice=np.array([0, 0], np.int32),
        locality=np.array([3, 3], np.int32),
        preferences=np.full((2, 7), 1 / 7),
    )
    nodes = Nodes(
        kind=np.array([0, 0, 1, 1, 2, 1, 4, 3], np.int8),
        owner=np.array([NONE, NONE, 0, 0, 0, 1, NONE, NONE], np.int32),
        relation=np.array(
            [NONE, NONE, codes.PARTNER, codes.FAMILY, codes.PET, codes.FRIEND, NONE, NONE], np.int8
        ),
        practice=np.array([0, 0, NONE, NONE, NONE, NONE, 0, NONE], np.int32),
        locality=np.array([3, 3, 3, 3, 3, 3, 3, 3], np.int32),
        role=np.array([NONE] * 6 + [0, NONE], np.int8),
        category=np.array([NONE] * 7 + [1], np.int8),
    )
    ties = Ties(
        ego=np.array([0, 0, 0, 0, 1, 1, 1], np.int32),
        alter=np.array([2, 3, 6, 4, 5, 7, 6], np.int32),
        tie_type=np.array(
            [
                codes.PARTNER,
                codes.FAMILY,
                codes.PROFESSIONAL,
                codes.PET,
                codes.FRIEND,
                codes.GROUP_TIE,
                codes.PROFESSIONAL,
            ],
            np.int8,
        ),
        circle=np.array([0, 0, 2, 0, 1, 2, 1], np.int8),
        contact=np.array([7.0, 3.0, 0.25, 7.0, 1.5, 1.0, 0.5]),
        proximity=np.array([0, 1, 1, 0, 2, 1, 1], np.int8),
    )
    links = Links(np.array([2], np.int32), np.array([3], np.int32))
    population = Population(patients, nodes, ties, links, np.array([False] * 3 + [True]))
    population.check()
    return population


EXPECTED_NODES = {
    0: {
        "kind": "patient",
        "age": 71.5,
        "sex": "male",
        "ckd_stage": "3a",
        "proteinuria": True,
        "education": "none",
        "hypertension": True,
        "diabetes": False,
        "household": "partner",
        "network_type": "family",
        "practice": 0,
        "locality": 3,
    },
    1: {
        "kind": "patient",
        "age": 80.0,
        "sex": "female",
        "ckd_stage": "3b",
        "proteinuria": False,
        "education": "degree",
        "hypertension": True,
        "diabetes": True,
        "household": "alone",
        "network_type": "diverse",
        "practice": 0,
        "locality": 3,
    },
    2: {"kind": "person", "owner": 0, "relation": "partner"},
    3: {"kind": "person", "owner": 0, "relation": "family"},
    4: {"kind": "pet", "owner": 0, "relation": "pet"},
    5: {"kind": "person", "owner": 1, "relation": "friend"},
    6: {"kind": "professional", "role": "gp", "practice": 0, "locality": 3},
    7: {"kind": "group", "category": "social", "locality": 3},
}


def member(tie_type: str, circle: str, contact: float, proximity: str) -> dict:
    return {
        "relation": "member",
        "tie_type": tie_type,
        "circle": circle,
        "contact_per_week": contact,
        "proximity": proximity,
    }


EXPECTED_EDGES = {
    (0, 2): member("partner", "inner", 7.0, "co-resident"),
    (0, 3): member("family", "inner", 3.0, "nearby"),
    (0, 6): member("professional", "outer", 0.25, "nearby"),
    (0, 4): member("pet", "inner", 7.0, "co-resident"),
    (1, 5): member("friend", "middle", 1.5, "further"),
    (1, 7): member("group", "outer", 1.0, "nearby"),
    (1, 6): member("professional", "middle", 0.5, "nearby"),
    (2, 3): {"relation": "knows"},
}


def edges_of(graph: nx.Graph) -> dict[tuple[int, int], dict]:
    return {(min(u, v), max(u, v)): d for u, v, d in graph.edges(data=True)}


def test_graph_has_exactly_the_expected_nodes_and_attributes() -> None:
    graph = make_graph(tiny())
    assert dict(graph.nodes(data=True)) == EXPECTED_NODES


def test_graph_has_exactly_the_expected_edges_and_attributes() -> None:
    graph = make_graph(tiny())
    assert edges_of(graph) == {(min(e), max(e)): d for e, d in EXPECTED_EDGES.items()}


def test_graph_attribute_values_are_plain_python_types() -> None:
    graph = make_graph(tiny())
    values = [v for _, d in graph.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    kinds = {type(v) for v in values}
    assert kinds <= {str, int, float, bool}, f"found {kinds}; expected only str, int, float, bool"
    assert all(type(n) is int for n in graph.nodes), "node ids are Python ints"


def test_graphml_round_trip_keeps_counts_and_attributes(tmp_path: Path) -> None:
    path = tmp_path / "tiny.graphml"
    write_graphml(tiny(), path)
    back = nx.read_graphml(path, node_type=int)
    assert back.number_of_nodes() == 8 and back.number_of_edges() == len(EXPECTED_EDGES)
    assert dict(back.nodes(data=True)) == EXPECTED_NODES
    assert edges_of(back) == {(min(e), max(e)): d for e, d in EXPECTED_EDGES.items()}


def test_graph_of_a_survey_matches_its_arrays() -> None:
    population = read_survey(ROOT / "scenarios" / "data" / "example_survey")
    graph = make_graph(population)
    assert graph.number_of_nodes() == population.n_nodes
    assert graph.number_of_edges() == len(population.ties) + len(population.links)
    degree = np.array([graph.degree(n) for n in range(population.n_nodes)])
    expected = np.bincount(
        np.concatenate(
            [population.ties.ego, population.ties.alter, population.links.a, population.links.b]
        ),
        minlength=population.n_nodes,
    )
    assert np.array_equal(degree, expected)


def test_sparse_adjacency_is_symmetric_with_contact_and_link_weights() -> None:
    matrix = sparse_adjacency(tiny())
    dense = matrix.toarray()
    expected = np.zeros((8, 8))
    for (u, v), attrs in EXPECTED_EDGES.items():
        expected[u, v] = expected[v, u] = attrs.get("contact_per_week", 1.0)
    assert matrix.shape == (8, 8)
    np.testing.assert_array_equal(dense, expected)


def test_sparse_adjacency_row_sums_equal_weighted_degree_of_the_graph() -> None:
    population = read_survey(ROOT / "scenarios" / "data" / "example_survey")
    graph = make_graph(population)
    sums = sparse_adjacency(population).sum(axis=1)
    weighted = [
        sum(d.get("contact_per_week", 1.0) for _, _, d in graph.edges(node, data=True))
        for node in range(population.n_nodes)
    ]
    np.testing.assert_allclose(sums, weighted, err_msg="row sums should be weighted degrees")
