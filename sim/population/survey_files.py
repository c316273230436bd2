"""The survey CSV format: the columns of each file, and parsers that check every cell.

A survey folder holds ``egos.csv``, ``members.csv``, ``ties.csv`` and optionally ``links.csv``
(documented in ``docs/survey_format.md``). The parsers here check one file at a time against the
files read before it (ids that must exist, kinds that must fit); :mod:`sim.population.survey` lays
the result out as a :class:`~sim.population.arrays.Population`. Row indices in the returned arrays
are 0-based data rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.io.csv_table import CsvTable
from sim.population import codes
from sim.population.arrays import Patients

EGOS, MEMBERS, TIES, LINKS = "egos.csv", "members.csv", "ties.csv", "links.csv"
PREFERENCE_COLUMNS: tuple[str, ...] = tuple(f"pref_{c}" for c in codes.ACTIVITY_CATEGORIES)
EGO_COLUMNS: tuple[str, ...] = (
    "id",
    "age",
    "sex",
    "ckd_stage",
    "proteinuria",
    "education",
    "hypertension",
    "diabetes",
    "household",
    "practice",
    "locality",
)
EGO_OPTIONAL: tuple[str, ...] = ("network_type", "locality_deprived", *PREFERENCE_COLUMNS)
MEMBER_COLUMNS: tuple[str, ...] = ("id", "kind", "practice", "locality", "role", "category")
TIE_COLUMNS: tuple[str, ...] = (
    "ego_id",
    "member_id",
    "tie_type",
    "circle",
    "contact_per_week",
    "proximity",
)
LINK_COLUMNS: tuple[str, ...] = ("member_a", "member_b")
#: Kinds a member may have (``codes.NODE_KINDS`` without "patient"); code = index + 1.
MEMBER_KINDS: tuple[str, ...] = codes.NODE_KINDS[1:]
#: Node kind each tie type must point at (index: tie type code).
KIND_OF_TIE = np.array(
    [codes.PERSON] * len(codes.PERSONAL_TIE_TYPES)
    + [codes.GROUP, codes.PROFESSIONAL_NODE, codes.PET_NODE]
)
AGE_RANGE = (18.0, 120.0)
MAX_CONTACT_PER_WEEK = 168.0
MAX_INDEX = 10_000_000


@dataclass
class Egos:
    """Parsed ``egos.csv``; ``patients.network_type`` is -1 where the survey leaves it blank."""

    table: CsvTable
    ids: np.ndarray
    patients: Patients
    deprived: np.ndarray | None


@dataclass
class Members:
    """Parsed ``members.csv``: node kind codes and shared-node attributes (-1 if not applicable)."""

    table: CsvTable
    ids: np.ndarray
    kind: np.ndarray
    practice: np.ndarray
    locality: np.ndarray
    role: np.ndarray
    category: np.ndarray

    @property
    def personal(self) -> np.ndarray:
        """True for people and pets (members of exactly one ego's community)."""
        return (self.kind == codes.PERSON) | (self.kind == codes.PET_NODE)


@dataclass
class TieRows:
    """Parsed ``ties.csv``: ``ego`` and ``member`` are rows of egos.csv and members.csv."""

    table: CsvTable
    ego: np.ndarray
    member: np.ndarray
    tie_type: np.ndarray
    circle: np.ndarray
    contact: np.ndarray
    proximity: np.ndarray


def read_egos(path: Path) -> Egos:
    """Parse ``egos.csv`` (one row per patient)."""
    t = CsvTable(path, EGO_COLUMNS, EGO_OPTIONAL)
    ids = t.ids("id")
    network_type = np.full(len(t), -1, np.int8)
    if t.has("network_type"):
        given = t.text("network_type") != ""
        network_type = t.labels("network_type", codes.NETWORK_TYPES, given, "")
    patients = Patients(
        age=t.numbers("age", *AGE_RANGE, "years"),
        female=t.labels("sex", codes.SEXES) == codes.SEXES.index("female"),
        stage=t.labels("ckd_stage", codes.CKD_STAGES),
        proteinuria=t.booleans("proteinuria"),
        education=t.labels("education", codes.EDUCATION),
        hypertension=t.booleans("hypertension"),
        diabetes=t.booleans("diabetes"),
        household=t.labels("household", codes.HOUSEHOLDS),
        network_type=network_type,
        practice=t.numbers("practice", 0, MAX_INDEX, "index", integer=True).astype(np.int32),
        locality=t.numbers("locality", 0, MAX_INDEX, "index", integer=True).astype(np.int32),
        preferences=_preferences(t),
    )
    deprived = t.booleans("locality_deprived") if t.has("locality_deprived") else None
    return Egos(t, ids, patients, deprived)


def _preferences(t: CsvTable) -> np.ndarray:
    """Activity preferences from ``pref_*`` (all or none); rows are scaled to sum to 1."""
    present = [c for c in PREFERENCE_COLUMNS if t.has(c)]
    k = len(PREFERENCE_COLUMNS)
    if not present:
        return np.full((len(t), k), 1.0 / k)
    for column in PREFERENCE_COLUMNS:
        if not t.has(column):
            t.fail(None, column, f"missing; give all of {', '.join(PREFERENCE_COLUMNS)} or none")
    prefs = np.column_stack([t.numbers(c, 0, 1e6, "relative weight") for c in PREFERENCE_COLUMNS])
    total = prefs.sum(axis=1)
    t.check(total <= 0, PREFERENCE_COLUMNS[0], "preferences of this ego are all 0; need one > 0")
    scale = np.abs(total - 1.0) > 1e-9  # leave rows that already sum to 1 bit-for-bit unchanged
    prefs[scale] /= total[scale, None]
    return prefs


def read_members(path: Path) -> Members:
    """Parse ``members.csv`` (one row per member: person, pet, group or professional)."""
    t = CsvTable(path, MEMBER_COLUMNS)
    ids = t.ids("id")
    kind = (t.labels("kind", MEMBER_KINDS) + 1).astype(np.int8)
    prof, group = kind == codes.PROFESSIONAL_NODE, kind == codes.GROUP
    shared = prof | group
    return Members(
        table=t,
        ids=ids,
        kind=kind,
        practice=t.numbers(
            "practice", 0, MAX_INDEX, "index", True, prof, "practice is only for professionals"
        ).astype(np.int32),
        locality=t.numbers(
            "locality",
            0,
            MAX_INDEX,
            "index",
            True,
            shared,
            "locality is only for groups and professionals (people and pets take their ego's)",
        ).astype(np.int32),
        role=t.labels("role", codes.PROFESSIONAL_ROLES, prof, "role is only for professionals"),
        category=t.labels(
            "category", codes.ACTIVITY_CATEGORIES, group, "category is only for groups"
        ),
    )


def read_ties(path: Path, egos: Egos, members: Members) -> TieRows:
    """Parse ``ties.csv`` (one row per ego-member tie) against the egos and members."""
    t = CsvTable(path, TIE_COLUMNS)
    ego = _lookup(t, "ego_id", egos.ids, EGOS)
    member = _lookup(t, "member_id", members.ids, MEMBERS)
    tie_type = t.labels("tie_type", codes.TIE_TYPES)
    kind = members.kind[member]
    misfit = KIND_OF_TIE[tie_type] != kind
    if misfit.any():
        row = int(np.argmax(misfit))
        fits = [n for n, k in zip(codes.TIE_TYPES, KIND_OF_TIE, strict=True) if k == kind[row]]
        t.fail(
            row,
            "tie_type",
            f"{t.cell(row, 'tie_type')!r} does not fit member {members.ids[member[row]]!r}, "
            f"who is a {codes.NODE_KINDS[kind[row]]} in {MEMBERS}; "
            f"a {codes.NODE_KINDS[kind[row]]} takes tie_type {' or '.join(map(repr, fits))}",
        )
    _check_once(t, ego, member, egos, members)
    return TieRows(
        table=t,
        ego=ego,
        member=member,
        tie_type=tie_type,
        circle=t.labels("circle", codes.CIRCLES),
        contact=t.numbers("contact_per_week", 0, MAX_CONTACT_PER_WEEK, "contacts/week"),
        proximity=t.labels("proximity", codes.PROXIMITIES),
    )


def _lookup(t: CsvTable, column: str, ids: np.ndarray, other: str) -> np.ndarray:
    """Rows in ``other`` of the ids in ``column``; fail on an id that is not there."""
    rows = pd.Index(ids).get_indexer(t.text(column))
    t.check(rows < 0, column, f"{{value}} is not an id in {other}")
    return rows


def _check_once(
    t: CsvTable, ego: np.ndarray, member: np.ndarray, egos: Egos, members: Members
) -> None:
    """No tie twice; a person or pet is tied to exactly one ego."""
    pair = pd.Series(ego.astype(np.int64) * (len(members.ids) + 1) + member)
    t.check(pair.duplicated().to_numpy(), "member_id", "{value} is tied to this ego twice")
    personal = members.personal[member]
    again = pd.Series(np.where(personal, member, -1 - np.arange(len(member)))).duplicated()
    if again.any():
        row = int(np.argmax(again.to_numpy()))
        first = int(np.argmax(member == member[row]))
        t.fail(
            row,
            "member_id",
            f"{members.ids[member[row]]!r} is a {codes.NODE_KINDS[members.kind[member[row]]]} "
            f"already tied to ego {egos.ids[ego[first]]!r} in row {first + 2}, and here to ego "
            f"{egos.ids[ego[row]]!r}; a person or pet belongs to exactly one ego (only groups "
            "and professionals can be shared)",
        )


def member_owners(ties: TieRows, members: Members) -> tuple[np.ndarray, np.ndarray]:
    """Owner (egos.csv row) and relation (tie type) of each member; -1 for shared members."""
    owner = np.full(len(members.ids), -1, np.int64)
    relation = np.full(len(members.ids), -1, np.int8)
    personal = members.personal[ties.member]
    owner[ties.member[personal]] = ties.ego[personal]
    relation[ties.member[personal]] = ties.tie_type[personal]
    members.table.check(
        members.personal & (owner < 0),
        "id",
        f"{{value}} is a person or pet not tied to any ego in {TIES}; "
        "every person or pet must be named by exactly one ego",
    )
    return owner, relation


def read_links(path: Path, members: Members, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse ``links.csv`` (people who know each other); returns members.csv rows (a, b)."""
    t = CsvTable(path, LINK_COLUMNS)
    a = _lookup(t, "member_a", members.ids, MEMBERS)
    b = _lookup(t, "member_b", members.ids, MEMBERS)
    for column, rows in (("member_a", a), ("member_b", b)):
        t.check(
            members.kind[rows] != codes.PERSON,
            column,
            "{value} is not a person; links join people (not pets, groups or professionals)",
        )
    t.check(a == b, "member_b", "{value} is linked to themself; a link joins two people")
    t.check(
        owner[a] != owner[b],
        "member_b",
        "{value} is in another ego's community than member_a; links join people of one community",
    )
    low, high = np.minimum(a, b).astype(np.int64), np.maximum(a, b)
    again = pd.Series(low * (len(members.ids) + 1) + high).duplicated().to_numpy()
    t.check(again, "member_b", "{value} is already linked to this member_a (in either order)")
    return a, b
