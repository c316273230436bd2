"""The model's state: one numpy array per attribute, one row per agent (struct of arrays).

Node ids are row numbers: patients are nodes ``0 .. n_patients - 1`` (so a patient's row in
:class:`Patients` is its node id), then personal members (people and pets, grouped by patient),
then health professionals (grouped by practice), then community groups (grouped by locality).
Categorical values are small integers whose labels live in :mod:`sim.population.codes`; ``-1`` means
"not applicable".
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from sim.population import codes


class _Table:
    """Mixin for dataclasses whose fields are equal-length arrays."""

    def __len__(self) -> int:
        return len(getattr(self, fields(self)[0].name))  # type: ignore[arg-type]

    def check(self) -> None:
        """Raise ValueError if the arrays differ in length."""
        n = len(self)
        for f in fields(self):  # type: ignore[arg-type]
            if len(getattr(self, f.name)) != n:
                raise ValueError(
                    f"{type(self).__name__}.{f.name} has {len(getattr(self, f.name))} "
                    f"rows; expected {n}"
                )


@dataclass
class Patients(_Table):
    """Patient attributes; row ``i`` is node ``i``.

    Attributes:
        age: Age in years (float).
        female: True for women.
        stage: CKD stage code (index into ``codes.CKD_STAGES``: 0 = 3a, 1 = 3b).
        proteinuria: True with proteinuria (albuminuria).
        education: Highest qualification (``codes.EDUCATION``).
        hypertension: True with hypertension.
        diabetes: True with diabetes.
        household: Household (``codes.HOUSEHOLDS``).
        network_type: Personal-community type (``codes.NETWORK_TYPES``).
        practice: General practice index.
        locality: Locality index.
        preferences: Activity preferences, shape (n, 7), rows sum to 1
            (columns: ``codes.ACTIVITY_CATEGORIES``).
    """

    age: np.ndarray
    female: np.ndarray
    stage: np.ndarray
    proteinuria: np.ndarray
    education: np.ndarray
    hypertension: np.ndarray
    diabetes: np.ndarray
    household: np.ndarray
    network_type: np.ndarray
    practice: np.ndarray
    locality: np.ndarray
    preferences: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy table with labels instead of codes (one row per patient)."""
        return pd.DataFrame(
            {
                "patient": np.arange(len(self)),
                "age": self.age,
                "sex": np.asarray(codes.SEXES)[self.female.astype(int)],
                "ckd_stage": np.asarray(codes.CKD_STAGES)[self.stage],
                "proteinuria": self.proteinuria,
                "education": np.asarray(codes.EDUCATION)[self.education],
                "hypertension": self.hypertension,
                "diabetes": self.diabetes,
                "household": np.asarray(codes.HOUSEHOLDS)[self.household],
                "network_type": np.asarray(codes.NETWORK_TYPES)[self.network_type],
                "practice": self.practice,
                "locality": self.locality,
            }
        )


@dataclass
class Nodes(_Table):
    """Attributes shared by every node (patients, members, professionals, groups).

    Attributes:
        kind: Node kind (``codes.NODE_KINDS``).
        owner: For people and pets, the patient whose community they belong to; else -1.
        relation: For people and pets, their tie type to the owner (``codes.TIE_TYPES``); else -1.
        practice: Practice of patients and professionals; else -1.
        locality: Locality of every node (members take their patient's).
        role: Professional role (``codes.PROFESSIONAL_ROLES``); else -1.
        category: Activity category of groups (``codes.ACTIVITY_CATEGORIES``); else -1.
    """

    kind: np.ndarray
    owner: np.ndarray
    relation: np.ndarray
    practice: np.ndarray
    locality: np.ndarray
    role: np.ndarray
    category: np.ndarray


@dataclass
class Ties(_Table):
    """Patient-member ties (who is in whose personal community); one row per tie.

    Attributes:
        ego: Patient node id.
        alter: Member node id (person, pet, professional or group).
        tie_type: ``codes.TIE_TYPES``.
        circle: Closeness tier (``codes.CIRCLES``).
        contact: Contacts per week.
        proximity: ``codes.PROXIMITIES``.
    """

    ego: np.ndarray
    alter: np.ndarray
    tie_type: np.ndarray
    circle: np.ndarray
    contact: np.ndarray
    proximity: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy table with labels instead of codes (one row per tie)."""
        return pd.DataFrame(
            {
                "patient": self.ego,
                "member": self.alter,
                "tie_type": np.asarray(codes.TIE_TYPES)[self.tie_type],
                "circle": np.asarray(codes.CIRCLES)[self.circle],
                "contact_per_week": self.contact,
                "proximity": np.asarray(codes.PROXIMITIES)[self.proximity],
            }
        )


@dataclass
class Links(_Table):
    """Members of one personal community who know each other (undirected; ``a < b``)."""

    a: np.ndarray
    b: np.ndarray


@dataclass
class Population:
    """Everything the builders produce: patients, nodes, ties, links and localities.

    Attributes:
        patients: Patient attributes.
        nodes: Attributes of every node.
        ties: Patient-member ties.
        links: Member-member acquaintance within a community.
        locality_deprived: Per locality, True if deprived.
    """

    patients: Patients
    nodes: Nodes
    ties: Ties
    links: Links
    locality_deprived: np.ndarray

    @property
    def n_patients(self) -> int:
        """Number of patients."""
        return len(self.patients)

    @property
    def n_nodes(self) -> int:
        """Number of nodes (agents) of every kind."""
        return len(self.nodes)

    def check(self) -> None:
        """Raise ValueError if the tables are inconsistent with each other."""
        for table in (self.patients, self.nodes, self.ties, self.links):
            table.check()
        n, p = self.n_nodes, self.n_patients
        if not np.all(self.nodes.kind[:p] == codes.PATIENT) or np.any(
            self.nodes.kind[p:] == codes.PATIENT
        ):
            raise ValueError("patients must be exactly nodes 0 .. n_patients - 1")
        if len(self.ties) and (
            self.ties.ego.max() >= p or self.ties.alter.min() < p or self.ties.alter.max() >= n
        ):
            raise ValueError("ties must run from a patient to a non-patient node")
        if len(self.links) and np.any(self.links.a >= self.links.b):
            raise ValueError("links must have a < b")

    def network_size(self) -> np.ndarray:
        """Members per patient (all tie types)."""
        return np.bincount(self.ties.ego, minlength=self.n_patients)

    def counts_by_tie_type(self) -> np.ndarray:
        """Array (n_patients, n_tie_types) of member counts."""
        k = len(codes.TIE_TYPES)
        flat = np.bincount(self.ties.ego * k + self.ties.tie_type, minlength=self.n_patients * k)
        return flat.reshape(self.n_patients, k)
