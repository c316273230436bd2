"""Personal communities: members, shared groups and professionals, and who knows whom.

Each patient's community mixes household members (partner, a co-resident relative), family,
friends, neighbours, acquaintances and pets (personal nodes, one community each) with community
groups of the locality and health professionals of the practice (shared nodes, so communities
overlap through them). Member counts follow the patient's network type (Vassilev et al., PLoS One
2016) with Poisson means set in ``network.mean_*``; defaults reproduce dossier T2-T4 (mean 8.5
members, 16.1% weak ties, 15.5% professionals, 35-50% in community groups). Each locality also holds
groups nobody has joined yet, for navigation to find.
"""

from __future__ import annotations

import numpy as np

from sim.config.scenario import Scenario
from sim.population import codes
from sim.population.arrays import Links, Nodes, Patients, Population, Ties
from sim.population.cohort import draw_categorical

#: Personal tie types in the order their rows are laid out within a patient's block.
_PERSONAL_ORDER = (
    codes.PARTNER,
    codes.FAMILY,
    codes.FRIEND,
    codes.NEIGHBOUR,
    codes.ACQUAINTANCE,
    codes.PET,
)
#: Social circle of a person for the "who knows whom" probabilities: kin, friend, neighbour,
#: acquaintance (index into ``_CIRCLE_NAMES``).
_CIRCLE_NAMES = ("kin", "friend", "neighbour", "acquaintance")
_SOCIAL_CIRCLE = {
    codes.PARTNER: 0,
    codes.FAMILY: 0,
    codes.FRIEND: 1,
    codes.NEIGHBOUR: 2,
    codes.ACQUAINTANCE: 3,
}


def make_population(
    scenario: Scenario, patients: Patients, deprived: np.ndarray, rng: np.random.Generator
) -> Population:
    """Build every patient's personal community around a cohort.

    Args:
        scenario: Resolved scenario (keys ``network.*``).
        patients: The cohort.
        deprived: Per locality, True if deprived.
        rng: The "community" random stream.

    Returns:
        The complete population (nodes, ties and links); :meth:`Population.check` passes.
    """
    n = len(patients)
    counts = _personal_counts(scenario, patients, rng)
    person_owner, person_type, co_resident = _lay_out_personal(counts, patients)
    first_prof = n + len(person_owner)
    prof_practice, prof_role = _professionals(scenario, int(patients.practice.max()) + 1)
    first_group = first_prof + len(prof_practice)
    group_locality, group_category = _groups(scenario, deprived, rng)

    personal_alter = n + np.arange(len(person_owner))
    prof_ego, prof_alter = _professional_ties(
        scenario, patients, prof_practice, prof_role, first_prof, rng
    )
    group_ego, group_alter = _group_ties(
        scenario, patients, group_locality, group_category, first_group, rng
    )
    ego = np.concatenate([person_owner, prof_ego, group_ego]).astype(np.int32)
    alter = np.concatenate([personal_alter, prof_alter, group_alter]).astype(np.int32)
    tie_type = np.concatenate(
        [
            person_type,
            np.full(len(prof_ego), codes.PROFESSIONAL, np.int8),
            np.full(len(group_ego), codes.GROUP_TIE, np.int8),
        ]
    ).astype(np.int8)
    proximity = _proximity(
        scenario,
        tie_type,
        np.concatenate([co_resident, np.zeros(len(prof_ego) + len(group_ego), bool)]),
        rng,
    )
    circle = _circles(scenario, tie_type, rng)
    contact = _contact(scenario, tie_type, circle)
    order = np.lexsort((alter, tie_type, ego))
    ties = Ties(
        ego[order], alter[order], tie_type[order], circle[order], contact[order], proximity[order]
    )

    n_personal = len(person_owner)
    kind = np.concatenate(
        [
            np.full(n, codes.PATIENT),
            np.where(person_type == codes.PET, codes.PET_NODE, codes.PERSON),
            np.full(len(prof_practice), codes.PROFESSIONAL_NODE),
            np.full(len(group_locality), codes.GROUP),
        ]
    ).astype(np.int8)
    none = np.full(len(prof_practice) + len(group_locality), -1)
    nodes = Nodes(
        kind=kind,
        owner=np.concatenate([np.full(n, -1), person_owner, none]).astype(np.int32),
        relation=np.concatenate([np.full(n, -1), person_type, none]).astype(np.int8),
        practice=np.concatenate(
            [
                patients.practice,
                np.full(n_personal, -1),
                prof_practice,
                np.full(len(group_locality), -1),
            ]
        ).astype(np.int32),
        locality=np.concatenate(
            [
                patients.locality,
                patients.locality[person_owner],
                _practice_locality(scenario, prof_practice),
                group_locality,
            ]
        ).astype(np.int32),
        role=np.concatenate(
            [np.full(n + n_personal, -1), prof_role, np.full(len(group_locality), -1)]
        ).astype(np.int8),
        category=np.concatenate([np.full(first_group, -1), group_category]).astype(np.int8),
    )
    links = _links(scenario, person_owner, person_type, n, rng)
    population = Population(patients, nodes, ties, links, deprived)
    population.check()
    return population


def _personal_counts(
    scenario: Scenario, patients: Patients, rng: np.random.Generator
) -> np.ndarray:
    """Members per patient for each personal tie type, shape (n, len(_PERSONAL_ORDER))."""
    n = len(patients)
    counts = np.zeros((n, len(_PERSONAL_ORDER)), dtype=np.int64)
    counts[:, 0] = patients.household == codes.WITH_PARTNER
    for column, tie in enumerate(("family", "friend", "neighbour", "acquaintance"), start=1):
        means = np.array([scenario[f"network.mean_{tie}.{t}"] for t in codes.NETWORK_TYPES])
        counts[:, column] = rng.poisson(means[patients.network_type])
    counts[:, 1] += patients.household == codes.WITH_OTHERS  # a co-resident relative
    counts[:, 5] = rng.random(n) < scenario["network.p_pet"]
    return counts


def _lay_out_personal(counts: np.ndarray, patients: Patients) -> tuple[np.ndarray, ...]:
    """Rows of personal members: owner, tie type and co-residence, grouped by patient."""
    n, k = counts.shape
    flat = counts.ravel()
    owner = np.repeat(np.repeat(np.arange(n), k), flat).astype(np.int32)
    tie_type = np.repeat(np.tile(np.array(_PERSONAL_ORDER, np.int8), n), flat)
    block_start = np.concatenate([[0], np.cumsum(flat)[:-1]]).reshape(n, k)
    co_resident = np.isin(tie_type, (codes.PARTNER, codes.PET))
    lives_with_others = np.flatnonzero(patients.household == codes.WITH_OTHERS)
    co_resident[block_start[lives_with_others, 1]] = True  # first family member lives with them
    return owner, tie_type, co_resident


def _professionals(scenario: Scenario, n_practices: int) -> tuple[np.ndarray, np.ndarray]:
    """Professionals laid out by practice, then role: (practice, role) per professional."""
    per_role = np.array(
        [scenario[f"network.professionals_per_practice_{r}"] for r in codes.PROFESSIONAL_ROLES]
    )
    role = np.repeat(np.arange(len(per_role), dtype=np.int8), per_role)
    return np.repeat(np.arange(n_practices), len(role)).astype(np.int32), np.tile(role, n_practices)


def _practice_locality(scenario: Scenario, practice: np.ndarray) -> np.ndarray:
    return practice // scenario["population.practices_per_locality"]


def _professional_ties(
    scenario: Scenario,
    patients: Patients,
    prof_practice: np.ndarray,
    prof_role: np.ndarray,
    first: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Each patient names each role's professional with ``network.p_professional_<role>``."""
    n = len(patients)
    per_practice = int(np.count_nonzero(prof_practice == 0))
    egos, alters = [], []
    for role, name in enumerate(codes.PROFESSIONAL_ROLES):
        named = np.flatnonzero(rng.random(n) < scenario[f"network.p_professional_{name}"])
        offset = int(np.flatnonzero(prof_role[:per_practice] == role)[0])
        n_role = scenario[f"network.professionals_per_practice_{name}"]
        pick = (rng.random(len(named)) * n_role).astype(np.int64)
        egos.append(named)
        alters.append(first + patients.practice[named] * per_practice + offset + pick)
    return np.concatenate(egos), np.concatenate(alters)


def _groups(
    scenario: Scenario, deprived: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Groups per locality (fewer where deprived), each with an activity category."""
    base = scenario["network.groups_per_locality"]
    n_per = np.where(deprived, np.round(base * scenario["network.rel_groups_deprived"]), base)
    n_per = np.maximum(n_per.astype(np.int64), 1)
    locality = np.repeat(np.arange(len(deprived)), n_per).astype(np.int32)
    shares = [scenario[f"network.share_groups_{c}"] for c in codes.ACTIVITY_CATEGORIES]
    category = draw_categorical(rng, shares, len(locality))
    order = np.lexsort((category, locality))
    return locality[order], category[order]


def _group_ties(
    scenario: Scenario,
    patients: Patients,
    group_locality: np.ndarray,
    group_category: np.ndarray,
    first: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Patients join groups of their locality, choosing categories by preference x availability."""
    means = np.array([scenario[f"network.mean_group.{t}"] for t in codes.NETWORK_TYPES])
    n_ties = rng.poisson(means[patients.network_type])
    ego = np.repeat(np.arange(len(patients)), n_ties)
    n_cat, n_loc = len(codes.ACTIVITY_CATEGORIES), int(group_locality.max()) + 1
    available = np.bincount(
        group_locality * n_cat + group_category, minlength=n_loc * n_cat
    ).reshape(n_loc, n_cat)
    offsets = np.concatenate([[0], np.cumsum(available.ravel())[:-1]]).reshape(n_loc, n_cat)
    loc = patients.locality[ego]
    weights = patients.preferences[ego] * available[loc]
    cdf = np.cumsum(weights, axis=1)
    cat = (cdf < rng.random(len(ego))[:, None] * cdf[:, -1:]).sum(axis=1)
    cat = np.minimum(cat, n_cat - 1)
    pick = (rng.random(len(ego)) * available[loc, cat]).astype(np.int64)
    alter = first + offsets[loc, cat] + pick
    unique = np.unique(ego.astype(np.int64) * (alter.max(initial=0) + 1) + alter)
    return unique // (alter.max(initial=0) + 1), unique % (alter.max(initial=0) + 1)


def _table(scenario: Scenario, prefix: str, tie_type: np.ndarray) -> np.ndarray:
    """Per-tie value of a by-tie-type parameter ``prefix.<tie type>``."""
    values = np.array([scenario[f"{prefix}.{t}"] for t in codes.TIE_TYPES])
    return values[tie_type]


def _circles(scenario: Scenario, tie_type: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Closeness tier by tie type (``network.p_inner.*``, ``network.p_middle.*``)."""
    p_inner = _table(scenario, "network.p_inner", tie_type)
    p_middle = _table(scenario, "network.p_middle", tie_type)
    u = rng.random(len(tie_type))
    return np.where(
        u < p_inner, codes.INNER, np.where(u < p_inner + p_middle, codes.MIDDLE, codes.OUTER)
    ).astype(np.int8)


def _contact(scenario: Scenario, tie_type: np.ndarray, circle: np.ndarray) -> np.ndarray:
    """Contacts per week: inner-circle frequency of the tie type times the circle multiplier."""
    rel = np.array(
        [1.0, scenario["network.rel_contact_middle"], scenario["network.rel_contact_outer"]]
    )
    return _table(scenario, "network.contact_per_week", tie_type) * rel[circle]


def _proximity(
    scenario: Scenario, tie_type: np.ndarray, co_resident: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Co-resident household; neighbours, groups, professionals nearby; others by chance."""
    p_near = np.ones(len(codes.TIE_TYPES))
    for tie in ("family", "friend", "acquaintance"):
        p_near[codes.TIE_TYPES.index(tie)] = scenario[f"network.p_nearby.{tie}"]
    nearby = rng.random(len(tie_type)) < p_near[tie_type]
    return np.where(
        co_resident, codes.CO_RESIDENT, np.where(nearby, codes.NEARBY, codes.FURTHER)
    ).astype(np.int8)


def _links(
    scenario: Scenario,
    owner: np.ndarray,
    tie_type: np.ndarray,
    first: int,
    rng: np.random.Generator,
) -> Links:
    """Members of one community who know each other, by social circle (``network.p_know.*``)."""
    k = len(_CIRCLE_NAMES)
    p_know = np.zeros((k, k))
    for i, a in enumerate(_CIRCLE_NAMES):
        for j, b in enumerate(_CIRCLE_NAMES[i:], start=i):
            p_know[i, j] = p_know[j, i] = scenario[f"network.p_know.{a}_{b}"]
    is_person = tie_type != codes.PET
    rows = np.flatnonzero(is_person)  # people are contiguous within each patient's block
    social = np.full(len(tie_type), -1)
    for tie, circle in _SOCIAL_CIRCLE.items():
        social[tie_type == tie] = circle
    size = np.bincount(owner[rows], minlength=int(owner.max(initial=-1)) + 1)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    a_parts, b_parts = [], []
    for m in np.unique(size[size > 1]):
        i, j = np.triu_indices(int(m), 1)
        starts = start[size == m][:, None]
        a_parts.append((rows[starts + i]).ravel())
        b_parts.append((rows[starts + j]).ravel())
    a = np.concatenate(a_parts) if a_parts else np.zeros(0, np.int64)
    b = np.concatenate(b_parts) if b_parts else np.zeros(0, np.int64)
    keep = rng.random(len(a)) < p_know[social[a], social[b]]
    return Links((first + a[keep]).astype(np.int32), (first + b[keep]).astype(np.int32))
