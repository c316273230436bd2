"""Several populations as one: disjoint practice populations simulated together.

A virtual trial repeats itself over many replicate practice populations. Simulating them one at a
time spends most of the time on per-call overhead (a few hundred patients per array), so
:func:`stack_populations` lays replicate populations side by side as one population whose
practices, localities and nodes do not overlap: no tie, group or professional crosses from one
replicate to another, so each evolves as it would alone, with its own random numbers.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from sim.population import codes
from sim.population.arrays import Links, Nodes, Patients, Population, Ties


def _blocks(population: Population) -> np.ndarray:
    """Start of each node block (patients, personal members, professionals, groups) and the end."""
    kind = population.nodes.kind
    n_patients = population.n_patients
    personal = np.isin(kind, (codes.PERSON, codes.PET_NODE))
    n_personal = int(personal.sum())
    n_prof = int((kind == codes.PROFESSIONAL_NODE).sum())
    n_groups = int((kind == codes.GROUP).sum())
    return np.cumsum([0, n_patients, n_personal, n_prof, n_groups])


def _remap(population: Population, new_starts: np.ndarray) -> np.ndarray:
    """New id of every node of ``population`` given the new start of each of its blocks."""
    old = _blocks(population)
    if old[-1] != population.n_nodes:
        raise ValueError("nodes must be laid out as patients, members, professionals, groups")
    block = np.repeat(np.arange(4), np.diff(old))
    return np.arange(population.n_nodes) - old[block] + new_starts[block]


def stack_populations(populations: list[Population]) -> tuple[Population, np.ndarray]:
    """Lay populations side by side as one, keeping the node layout of :mod:`sim.population.arrays`.

    Args:
        populations: Populations built separately (e.g. one per replicate seed).

    Returns:
        The stacked population, and the first patient of each input population in it (with
        the total number of patients appended), so population ``k``'s patients are
        ``offsets[k]:offsets[k + 1]``.
    """
    sizes = np.array([np.diff(_blocks(p)) for p in populations])  # (k, 4 blocks)
    totals = sizes.sum(axis=0)
    block_start = np.concatenate([[0], np.cumsum(totals)[:-1]])
    within = np.cumsum(sizes, axis=0) - sizes  # offset of each population inside each block
    maps = [_remap(p, block_start + within[k]) for k, p in enumerate(populations)]
    practice_offset = np.cumsum([0] + [int(p.patients.practice.max()) + 1 for p in populations])
    locality_offset = np.cumsum([0] + [len(p.locality_deprived) for p in populations])

    def shift(values: np.ndarray, offset: int) -> np.ndarray:
        return np.where(values >= 0, values + offset, values).astype(values.dtype)

    patients = Patients(
        **{
            f.name: np.concatenate([getattr(p.patients, f.name) for p in populations])
            for f in fields(Patients)
        }
    )
    patients.practice = np.concatenate(
        [p.patients.practice + practice_offset[k] for k, p in enumerate(populations)]
    ).astype(populations[0].patients.practice.dtype)
    patients.locality = np.concatenate(
        [p.patients.locality + locality_offset[k] for k, p in enumerate(populations)]
    ).astype(populations[0].patients.locality.dtype)

    order = np.argsort(np.concatenate(maps), kind="stable")
    node_parts: dict[str, list[np.ndarray]] = {f.name: [] for f in fields(Nodes)}
    for k, p in enumerate(populations):
        n = p.nodes
        owner = np.where(n.owner >= 0, maps[k][np.maximum(n.owner, 0)], -1)
        node_parts["owner"].append(owner.astype(n.owner.dtype))
        node_parts["practice"].append(shift(n.practice, int(practice_offset[k])))
        node_parts["locality"].append(shift(n.locality, int(locality_offset[k])))
        for name in ("kind", "relation", "role", "category"):
            node_parts[name].append(getattr(n, name))
    nodes = Nodes(**{name: np.concatenate(parts)[order] for name, parts in node_parts.items()})

    ties = Ties(
        **{
            f.name: np.concatenate(
                [
                    maps[k][getattr(p.ties, f.name)]
                    if f.name in ("ego", "alter")
                    else getattr(p.ties, f.name)
                    for k, p in enumerate(populations)
                ]
            ).astype(getattr(populations[0].ties, f.name).dtype)
            for f in fields(Ties)
        }
    )
    tie_order = np.lexsort((ties.alter, ties.tie_type, ties.ego))
    ties = Ties(**{f.name: getattr(ties, f.name)[tie_order] for f in fields(Ties)})
    links = Links(
        np.concatenate([maps[k][p.links.a] for k, p in enumerate(populations)]).astype(np.int32),
        np.concatenate([maps[k][p.links.b] for k, p in enumerate(populations)]).astype(np.int32),
    )
    stacked = Population(
        patients,
        nodes,
        ties,
        links,
        np.concatenate([p.locality_deprived for p in populations]),
    )
    stacked.check()
    return stacked, np.concatenate([[0], np.cumsum(sizes[:, 0])])
