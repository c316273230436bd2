"""Integer codes for categorical state, with their human labels kept in one place.

Arrays store categories as small integers; these tuples map code -> label (the code is the index).
"""

from __future__ import annotations

#: Kind of node in the personal-community graph.
NODE_KINDS: tuple[str, ...] = ("patient", "person", "pet", "group", "professional")
PATIENT, PERSON, PET_NODE, GROUP, PROFESSIONAL_NODE = range(len(NODE_KINDS))

#: Relationship of a member to the patient (the tie type of an ego-alter tie).
TIE_TYPES: tuple[str, ...] = (
    "partner",
    "family",
    "friend",
    "neighbour",
    "acquaintance",
    "group",
    "professional",
    "pet",
)
PARTNER, FAMILY, FRIEND, NEIGHBOUR, ACQUAINTANCE, GROUP_TIE, PROFESSIONAL, PET = range(
    len(TIE_TYPES)
)
#: Tie types counted as weak ties (Rogers et al. 2014: acquaintances and group members).
WEAK_TIE_TYPES: tuple[int, ...] = (ACQUAINTANCE, GROUP_TIE)
#: Tie types whose members are individual people belonging to one patient's community.
PERSONAL_TIE_TYPES: tuple[int, ...] = (PARTNER, FAMILY, FRIEND, NEIGHBOUR, ACQUAINTANCE)

#: Kinds of work a network does (Rogers et al. 2011; Vassilev et al. 2013), in the column order of
#: every (n, 3) work array.
KINDS_OF_WORK: tuple[str, ...] = ("illness", "everyday", "emotional")

#: Closeness tier on the concentric-circle map (GENIE; Kennedy et al. 2016).
CIRCLES: tuple[str, ...] = ("inner", "middle", "outer")
INNER, MIDDLE, OUTER = range(len(CIRCLES))

#: Proximity of a member to the patient's home.
PROXIMITIES: tuple[str, ...] = ("co-resident", "nearby", "further")
CO_RESIDENT, NEARBY, FURTHER = range(len(PROXIMITIES))

#: Network types (Vassilev et al., PLoS One 2016).
NETWORK_TYPES: tuple[str, ...] = ("restricted", "minimal_family", "family", "weak_ties", "diverse")

#: Activity categories of community groups (GENIE preference questionnaire; Kennedy et al. 2016).
ACTIVITY_CATEGORIES: tuple[str, ...] = (
    "creative",
    "social",
    "health_fitness",
    "learning",
    "support",
    "independent_living",
    "volunteering",
)

#: Roles of health professionals attached to a general practice.
PROFESSIONAL_ROLES: tuple[str, ...] = ("gp", "nurse", "pharmacist")

#: Household of the patient.
HOUSEHOLDS: tuple[str, ...] = ("partner", "alone", "others")
WITH_PARTNER, ALONE, WITH_OTHERS = range(len(HOUSEHOLDS))

#: CKD stage: stage 3 sub-stages at baseline (Blakeman et al. 2014), later stages reached by
#: progression, and "2" for remission to an eGFR of 60 or more (Shardlow et al. 2016).
CKD_STAGES: tuple[str, ...] = ("3a", "3b", "4", "5", "2")
STAGE_3A, STAGE_3B, STAGE_4, STAGE_5, REMITTED = range(len(CKD_STAGES))

#: Highest educational qualification (Blakeman et al. 2014).
EDUCATION: tuple[str, ...] = ("none", "intermediate", "degree")

SEXES: tuple[str, ...] = ("male", "female")


#: Severity order of the stage codes (remission is the least severe).
STAGE_SEVERITY: tuple[int, ...] = (1, 2, 3, 4, 0)


def code_of(labels: tuple[str, ...], label: str) -> int:
    """Return the integer code of ``label`` in ``labels``.

    Raises:
        ValueError: if ``label`` is not one of ``labels``; the message lists the allowed labels.
    """
    try:
        return labels.index(label)
    except ValueError:
        raise ValueError(f"{label!r} is not one of {', '.join(labels)}") from None
