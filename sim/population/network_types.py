"""Classify each patient's personal community into one of the five network types.

Vassilev et al. (PLoS One 2016) found five types by cluster analysis of who people name:
*restricted* (partner and/or one co-resident relative only), *minimal family* (few family members,
few others), *family* (large, family-dominated), *weak ties* (dominated by acquaintances,
neighbours and community groups) and *diverse* (friends, family, groups and acquaintances). Their
clusters have no published cut-offs, so the thresholds below are assumptions; they are module
constants so a sensitivity analysis can vary them.
"""

from __future__ import annotations

import numpy as np

from sim.population import codes
from sim.population.arrays import Population

#: A kind of tie *dominates* a community when it makes up more than this share of its social
#: members (assumption).
DOMINANT_SHARE = 0.5
#: Fewest kin (partner plus family) in a family-type community (assumption).
MIN_FAMILY_KIN = 4


def classify_network_type(population: Population) -> np.ndarray:
    """Return each patient's network type (codes into ``codes.NETWORK_TYPES``; int8).

    Counts are taken over the patient's ties. *Social* members are partner, family, friends,
    neighbours, acquaintances and groups; professionals and pets are ignored. Write
    ``kin = partner + family``, ``weak = neighbour + acquaintance + group`` and
    ``social = kin + friend + weak``. The first rule that holds gives the type:

    1. **restricted**: no friend, neighbour, acquaintance or group, and at most one family
       member, who lives with the patient (proximity ``co-resident``); a partner is allowed.
       This includes communities with no social member at all.
    2. **weak_ties**: ``weak > DOMINANT_SHARE * social``.
    3. **family**: ``kin > DOMINANT_SHARE * social`` and ``kin >= MIN_FAMILY_KIN``.
    4. **diverse**: at least one kin, one friend, and one acquaintance or group.
    5. **minimal_family**: every other community (few family, few others).

    Args:
        population: Patients and their ties (``network_type`` is not read).

    Returns:
        Array of length ``n_patients``.
    """
    count = population.counts_by_tie_type()
    family = count[:, codes.FAMILY]
    friend = count[:, codes.FRIEND]
    kin = count[:, codes.PARTNER] + family
    acquaintance_or_group = count[:, codes.ACQUAINTANCE] + count[:, codes.GROUP_TIE]
    weak = count[:, codes.NEIGHBOUR] + acquaintance_or_group
    social = kin + friend + weak
    ties = population.ties
    resident = (ties.tie_type == codes.FAMILY) & (ties.proximity == codes.CO_RESIDENT)
    resident_family = np.bincount(ties.ego[resident], minlength=population.n_patients)
    restricted = (friend + weak == 0) & (family <= 1) & (resident_family == family)
    rules = [
        (restricted, "restricted"),
        (weak > DOMINANT_SHARE * social, "weak_ties"),
        ((kin > DOMINANT_SHARE * social) & (kin >= MIN_FAMILY_KIN), "family"),
        ((kin >= 1) & (friend >= 1) & (acquaintance_or_group >= 1), "diverse"),
    ]
    return np.select(
        [mask for mask, _ in rules],
        [codes.NETWORK_TYPES.index(name) for _, name in rules],
        default=codes.NETWORK_TYPES.index("minimal_family"),
    ).astype(np.int8)
