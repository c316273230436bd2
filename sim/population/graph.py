"""The personal-community network as a networkx graph (to export and explore) or a sparse matrix.

The model keeps its state in arrays (:mod:`sim.population.arrays`); this module builds views of
them. Nodes are the node ids of :mod:`sim.population.arrays`; categorical attributes are written as
their labels from :mod:`sim.population.codes`, and every attribute value is a plain Python ``str``,
``int``, ``float`` or ``bool``, so the graph can be written as GraphML.

Node attributes, by kind (``kind`` is on every node):

- patient: ``age`` (years), ``sex``, ``ckd_stage``, ``proteinuria``, ``education``,
  ``hypertension``, ``diabetes``, ``household``, ``network_type``, ``practice``, ``locality``;
- person and pet: ``owner`` (the patient's node id) and ``relation`` (tie type to the owner);
- professional: ``role``, ``practice``, ``locality``;
- group: ``category`` (activity category), ``locality``.

Edges: each patient-member tie has ``relation="member"``, ``tie_type``, ``circle``,
``contact_per_week`` (contacts/week) and ``proximity``; each link between two members who know
each other has ``relation="knows"``.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from sim.population import codes
from sim.population.arrays import Population

Attributes = dict[str, Any]


def make_graph(population: Population) -> nx.Graph:
    """Build one undirected graph of every node, tie and link (see the module docstring).

    Builds from ``.tolist()`` columns through generators: about 8 s and 0.9 GB for 100,000
    patients (790k nodes, 1.76M edges) on a 2-core machine. The cyclic garbage collector is
    paused meanwhile, as the millions of new attribute dicts would trigger it over and over.

    Args:
        population: The population.

    Returns:
        A graph with ``population.n_nodes`` nodes and one edge per tie and per link (a pair
        listed twice gives one edge, with the attributes of the last listing).
    """
    graph = nx.Graph()
    paused = gc.isenabled()
    gc.disable()
    try:
        graph.add_nodes_from(_patient_nodes(population))
        graph.add_nodes_from(_member_nodes(population))
        graph.add_edges_from(_tie_edges(population))
        links = population.links
        knows = {"relation": "knows"}  # networkx copies it into a new dict per edge
        graph.add_edges_from(
            zip(links.a.tolist(), links.b.tolist(), itertools.repeat(knows), strict=False)
        )
    finally:
        if paused:
            gc.enable()
    return graph


def _labels(labels: tuple[str, ...], code: np.ndarray) -> list[str]:
    """Labels of an array of codes, as a list of str."""
    return np.asarray(labels, dtype=object)[np.asarray(code, dtype=np.int64)].tolist()


def _patient_nodes(population: Population) -> Iterator[tuple[int, Attributes]]:
    p, kind = population.patients, codes.NODE_KINDS[codes.PATIENT]
    columns = zip(
        range(population.n_patients),
        p.age.astype(float).tolist(),
        _labels(codes.SEXES, p.female.astype(np.int64)),
        _labels(codes.CKD_STAGES, p.stage),
        p.proteinuria.astype(bool).tolist(),
        _labels(codes.EDUCATION, p.education),
        p.hypertension.astype(bool).tolist(),
        p.diabetes.astype(bool).tolist(),
        _labels(codes.HOUSEHOLDS, p.household),
        _labels(codes.NETWORK_TYPES, p.network_type),
        p.practice.tolist(),
        p.locality.tolist(),
        strict=True,
    )
    for node, age, sex, stage, prot, edu, hyp, dia, household, ntype, practice, loc in columns:
        yield (
            node,
            {
                "kind": kind,
                "age": age,
                "sex": sex,
                "ckd_stage": stage,
                "proteinuria": prot,
                "education": edu,
                "hypertension": hyp,
                "diabetes": dia,
                "household": household,
                "network_type": ntype,
                "practice": practice,
                "locality": loc,
            },
        )


def _member_nodes(population: Population) -> Iterator[tuple[int, Attributes]]:
    nodes = population.nodes
    kind = nodes.kind
    rows = np.flatnonzero((kind == codes.PERSON) | (kind == codes.PET_NODE))
    for node, label, owner, relation in zip(
        rows.tolist(),
        _labels(codes.NODE_KINDS, kind[rows]),
        nodes.owner[rows].tolist(),
        _labels(codes.TIE_TYPES, nodes.relation[rows]),
        strict=True,
    ):
        yield node, {"kind": label, "owner": owner, "relation": relation}
    rows, label = np.flatnonzero(kind == codes.PROFESSIONAL_NODE), "professional"
    for node, role, practice, locality in zip(
        rows.tolist(),
        _labels(codes.PROFESSIONAL_ROLES, nodes.role[rows]),
        nodes.practice[rows].tolist(),
        nodes.locality[rows].tolist(),
        strict=True,
    ):
        yield node, {"kind": label, "role": role, "practice": practice, "locality": locality}
    rows, label = np.flatnonzero(kind == codes.GROUP), "group"
    for node, category, locality in zip(
        rows.tolist(),
        _labels(codes.ACTIVITY_CATEGORIES, nodes.category[rows]),
        nodes.locality[rows].tolist(),
        strict=True,
    ):
        yield node, {"kind": label, "category": category, "locality": locality}


def _tie_edges(population: Population) -> Iterator[tuple[int, int, Attributes]]:
    t = population.ties
    for ego, alter, tie_type, circle, contact, proximity in zip(
        t.ego.tolist(),
        t.alter.tolist(),
        _labels(codes.TIE_TYPES, t.tie_type),
        _labels(codes.CIRCLES, t.circle),
        t.contact.astype(float).tolist(),
        _labels(codes.PROXIMITIES, t.proximity),
        strict=True,
    ):
        yield (
            ego,
            alter,
            {
                "relation": "member",
                "tie_type": tie_type,
                "circle": circle,
                "contact_per_week": contact,
                "proximity": proximity,
            },
        )


def write_graphml(population: Population, path: str | Path) -> None:
    """Write the graph of :func:`make_graph` as GraphML (node ids become strings)."""
    nx.write_graphml(make_graph(population), Path(path))


def sparse_adjacency(population: Population) -> sparse.csr_array:
    """Weighted adjacency of every node, for vectorised neighbour sums.

    Entry ``[i, j]`` is the contact frequency (contacts/week) of a patient-member tie between
    ``i`` and ``j``, plus 1.0 for each link between two members who know each other (a pair listed
    more than once sums). The matrix is symmetric, ``n_nodes x n_nodes``, float64.

    Args:
        population: The population.

    Returns:
        The adjacency in CSR form.
    """
    ties, links, n = population.ties, population.links, population.n_nodes
    row = np.concatenate([ties.ego, ties.alter, links.a, links.b]).astype(np.int64)
    col = np.concatenate([ties.alter, ties.ego, links.b, links.a]).astype(np.int64)
    weight = np.concatenate([ties.contact, ties.contact, np.ones(2 * len(links))]).astype(
        np.float64
    )
    return sparse.coo_array((weight, (row, col)), shape=(n, n)).tocsr()
