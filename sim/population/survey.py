"""Build a Population from ego-network survey data, and export any Population in the same format.

Ego-network surveys (Vassilev et al., PLoS One 2013) ask each respondent (ego) to name the members
(alters) of their personal community, with each member's relationship, closeness circle, contact
frequency and proximity, and which members know each other. A survey folder holds ``egos.csv``,
``members.csv``, ``ties.csv`` and optionally ``links.csv``; ``docs/survey_format.md`` documents
every column. Every error in the files raises :class:`~sim.errors.DataFileError` naming the CSV
file, ``"<file>:row <r>:<column>"`` and the bad value.

Survey ids are any text; they are re-numbered into the node layout of :mod:`sim.population.arrays`:

1. patients in the row order of ``egos.csv``;
2. people and pets, grouped by their ego (in ``egos.csv`` order), then by tie type in code order
   (partner, family, friend, neighbour, acquaintance, pet), then in ``members.csv`` order;
3. professionals by practice, then role, then ``members.csv`` order;
4. groups by locality, then activity category, then ``members.csv`` order.

Ties are sorted by (ego, tie type, member node); links keep their ``links.csv`` order with
``a < b``. :func:`read_survey_with_ids` also returns the original id of every node
(:class:`SurveyIds`); :func:`write_survey` writes those ids back, or the node ids when none are
given, so write-then-read reproduces a Population's arrays exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario, ScenarioError
from sim.population import codes
from sim.population.arrays import Links, Nodes, Population, Ties
from sim.population.network_types import classify_network_type
from sim.population.survey_files import (
    EGOS,
    LINKS,
    MEMBERS,
    PREFERENCE_COLUMNS,
    TIES,
    Egos,
    Members,
    member_owners,
    read_egos,
    read_links,
    read_members,
    read_ties,
)

__all__ = [
    "SurveyIds",
    "classify_network_type",
    "load_survey_population",
    "read_survey",
    "read_survey_with_ids",
    "write_survey",
]


@dataclass(frozen=True)
class SurveyIds:
    """Original survey ids of every node.

    Attributes:
        egos: ``egos[i]`` is the ``egos.csv`` id of patient node ``i``.
        members: ``members[j]`` is the ``members.csv`` id of node ``n_patients + j``.
    """

    egos: np.ndarray
    members: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """One row per node: ``node`` id, ``file`` (egos.csv or members.csv) and survey ``id``."""
        n, m = len(self.egos), len(self.members)
        return pd.DataFrame(
            {
                "node": np.arange(n + m),
                "file": np.repeat([EGOS, MEMBERS], [n, m]),
                "id": np.concatenate([self.egos, self.members]).astype(str),
            }
        )

    def node_of(self) -> dict[tuple[str, str], int]:
        """Map ``(file, id)`` (file is ``"egos.csv"`` or ``"members.csv"``) to the node id."""
        frame = self.to_frame()
        return dict(zip(zip(frame["file"], frame["id"], strict=True), frame["node"], strict=True))


def read_survey(folder: Path) -> Population:
    """Read a survey folder into a Population (see :func:`read_survey_with_ids`)."""
    return read_survey_with_ids(folder)[0]


def read_survey_with_ids(folder: Path) -> tuple[Population, SurveyIds]:
    """Read a survey folder into a Population, and the survey id of every node.

    Args:
        folder: Folder with ``egos.csv``, ``members.csv``, ``ties.csv`` and optionally
            ``links.csv``.

    Returns:
        The population (:meth:`Population.check` passes; network types left blank in
        ``egos.csv`` are filled by :func:`classify_network_type`) and the ids.

    Raises:
        DataFileError: naming the CSV file, row and column of the first problem found.
    """
    folder = Path(folder)
    egos = read_egos(folder / EGOS)
    members = read_members(folder / MEMBERS)
    ties = read_ties(folder / TIES, egos, members)
    owner, relation = member_owners(ties, members)
    node = _member_nodes(members, owner, relation, len(egos.ids))
    if (folder / LINKS).is_file():
        la, lb = read_links(folder / LINKS, members, owner)
        na, nb = node[la], node[lb]
        links = Links(np.minimum(na, nb).astype(np.int32), np.maximum(na, nb).astype(np.int32))
    else:
        links = Links(np.zeros(0, np.int32), np.zeros(0, np.int32))
    alter = node[ties.member]
    order = np.lexsort((alter, ties.tie_type, ties.ego))
    tie_table = Ties(
        ties.ego[order].astype(np.int32),
        alter[order].astype(np.int32),
        ties.tie_type[order],
        ties.circle[order],
        ties.contact[order],
        ties.proximity[order],
    )
    nodes = _nodes(egos, members, owner, relation, node)
    deprived = _locality_deprived(egos, int(nodes.locality.max(initial=-1)) + 1)
    population = Population(egos.patients, nodes, tie_table, links, deprived)
    blank = egos.patients.network_type < 0
    if blank.any():
        egos.patients.network_type[blank] = classify_network_type(population)[blank]
    population.check()
    member_ids = np.empty(len(members.ids), dtype=object)
    member_ids[node - len(egos.ids)] = members.ids
    return population, SurveyIds(egos.ids, member_ids)


def _member_nodes(
    members: Members, owner: np.ndarray, relation: np.ndarray, n_patients: int
) -> np.ndarray:
    """Node id of each members.csv row, following the layout in the module docstring."""
    section = np.select(
        [members.personal, members.kind == codes.PROFESSIONAL_NODE], [0, 1], default=2
    )
    first = np.select([section == 0, section == 1], [owner, members.practice], members.locality)
    second = np.select([section == 0, section == 1], [relation, members.role], members.category)
    order = np.lexsort((second, first, section))  # stable: ties keep members.csv order
    node = np.empty(len(order), dtype=np.int64)
    node[order] = n_patients + np.arange(len(order))
    return node


def _nodes(
    egos: Egos, members: Members, owner: np.ndarray, relation: np.ndarray, node: np.ndarray
) -> Nodes:
    """Node attribute arrays: patients, then members placed at their node ids."""
    n, m = len(egos.ids), len(members.ids)
    patients = egos.patients
    locality = members.locality.copy()
    personal = owner >= 0
    locality[personal] = patients.locality[owner[personal]]
    at = node - n

    def column(for_patients: np.ndarray, for_members: np.ndarray, dtype: type) -> np.ndarray:
        placed = np.empty(m, dtype=dtype)
        placed[at] = for_members
        return np.concatenate([np.asarray(for_patients, dtype), placed])

    return Nodes(
        kind=column(np.full(n, codes.PATIENT), members.kind, np.int8),
        owner=column(np.full(n, -1), owner, np.int32),
        relation=column(np.full(n, -1), relation, np.int8),
        practice=column(patients.practice, members.practice, np.int32),
        locality=column(patients.locality, locality, np.int32),
        role=column(np.full(n, -1), members.role, np.int8),
        category=column(np.full(n, -1), members.category, np.int8),
    )


def _locality_deprived(egos: Egos, n_localities: int) -> np.ndarray:
    """Per locality, deprived as given in egos.csv (False where not given)."""
    deprived = np.zeros(n_localities, dtype=bool)
    if egos.deprived is None:
        return deprived
    locality = egos.patients.locality
    first = pd.Series(egos.deprived).groupby(locality).transform("first").to_numpy()
    egos.table.check(
        egos.deprived != first,
        "locality_deprived",
        "{value} disagrees with an earlier ego of the same locality; "
        "locality_deprived must be the same for every ego of a locality",
    )
    deprived[locality] = egos.deprived
    return deprived


def load_survey_population(scenario: Scenario) -> Population:
    """Read the survey named by ``population.survey_dir`` of a scenario.

    The folder is resolved relative to the scenario file's folder (relative to the working
    directory for a scenario built without a file).

    Raises:
        ScenarioError: if ``population.survey_dir`` is empty or not a folder.
        DataFileError: if the files in it are invalid.
    """
    key = "population.survey_dir"
    origin = scenario.origins.get(key, "<default>")
    survey_dir = scenario[key]
    if not survey_dir:
        raise ScenarioError(origin, key, "is empty; expected a folder of survey CSV files")
    base = scenario.path.parent if scenario.path is not None else Path.cwd()
    folder = base / survey_dir
    if not folder.is_dir():
        raise ScenarioError(origin, key, f"{survey_dir!r} is not a folder (looked for {folder})")
    return read_survey(folder)


def write_survey(population: Population, folder: Path, ids: SurveyIds | None = None) -> None:
    """Write a Population as a survey folder (egos.csv, members.csv, ties.csv, links.csv).

    Args:
        population: Any population.
        folder: Output folder (created if needed; existing files are replaced).
        ids: Survey ids to write; by default each node's id is its node number.

    Localities marked deprived but with no patient cannot be written (``egos.csv`` carries
    deprivation), nor trailing localities without any node; everything else round-trips exactly.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = population.n_patients
    if ids is None:
        ids = SurveyIds(np.arange(n).astype(str), np.arange(n, population.n_nodes).astype(str))
    node_id = np.concatenate([ids.egos, ids.members]).astype(object)
    _write(_egos_frame(population, ids.egos), folder / EGOS)
    _write(_members_frame(population, ids.members), folder / MEMBERS)
    t = population.ties
    ties = pd.DataFrame(
        {
            "ego_id": node_id[t.ego],
            "member_id": node_id[t.alter],
            "tie_type": _labels(codes.TIE_TYPES, t.tie_type),
            "circle": _labels(codes.CIRCLES, t.circle),
            "contact_per_week": t.contact,
            "proximity": _labels(codes.PROXIMITIES, t.proximity),
        }
    )
    _write(ties, folder / TIES)
    links = population.links
    _write(
        pd.DataFrame({"member_a": node_id[links.a], "member_b": node_id[links.b]}),
        folder / LINKS,
    )


def _egos_frame(population: Population, ego_ids: np.ndarray) -> pd.DataFrame:
    frame = population.patients.to_frame().drop(columns="patient")
    frame.insert(0, "id", ego_ids)
    for column in ("proteinuria", "hypertension", "diabetes"):
        frame[column] = _yes_no(frame[column].to_numpy())
    frame["locality_deprived"] = _yes_no(population.locality_deprived[population.patients.locality])
    for i, column in enumerate(PREFERENCE_COLUMNS):
        frame[column] = population.patients.preferences[:, i]
    return frame


def _members_frame(population: Population, member_ids: np.ndarray) -> pd.DataFrame:
    nodes, n = population.nodes, population.n_patients
    kind = nodes.kind[n:]
    prof, group = kind == codes.PROFESSIONAL_NODE, kind == codes.GROUP

    def shown(values: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.where(where, values.astype(str), "")

    return pd.DataFrame(
        {
            "id": member_ids,
            "kind": _labels(codes.NODE_KINDS, kind),
            "practice": shown(nodes.practice[n:], prof),
            "locality": shown(nodes.locality[n:], prof | group),
            "role": np.where(prof, _labels(codes.PROFESSIONAL_ROLES, nodes.role[n:]), ""),
            "category": np.where(group, _labels(codes.ACTIVITY_CATEGORIES, nodes.category[n:]), ""),
        }
    )


def _labels(labels: tuple[str, ...], code: np.ndarray) -> np.ndarray:
    """Labels of codes (-1 maps to "")."""
    return np.asarray(("", *labels), dtype=object)[np.asarray(code, np.int64) + 1]


def _yes_no(values: np.ndarray) -> np.ndarray:
    return np.where(values, "true", "false")


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")
