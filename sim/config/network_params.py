"""Section [network]: personal communities (dossier section 2, targets T2-T4)."""

from __future__ import annotations

from sim.config.param_spec import Registry
from sim.population import codes

PARAMS = Registry()

# --- network: personal communities (dossier section 2, targets T2-T4) -------------------------
_TYPE_SHARES = {
    "restricted": 0.15,
    "minimal_family": 0.20,
    "family": 0.30,
    "weak_ties": 0.15,
    "diverse": 0.20,
}
for _t, _s in _TYPE_SHARES.items():
    PARAMS.prob(
        f"network.share_{_t}",
        _s,
        "assumption (types from Vassilev et al. 2016)",
        f"Share of patients whose personal community is of the {_t} type.",
    )
PARAMS.must_sum_to_one(tuple(f"network.share_{t}" for t in codes.NETWORK_TYPES))

#: Mean number of members of each tie type by network type (Poisson means), chosen so the mixture
#: gives about 8.5 members (T2) with 16% weak ties (T3) and 35-50% group participation (T4).
_MEANS = {
    "restricted": {
        "family": 0.0,
        "friend": 0.0,
        "neighbour": 0.0,
        "acquaintance": 0.0,
        "group": 0.0,
    },
    "minimal_family": {
        "family": 2.0,
        "friend": 1.0,
        "neighbour": 0.4,
        "acquaintance": 0.4,
        "group": 0.3,
    },
    "family": {"family": 5.0, "friend": 1.2, "neighbour": 1.0, "acquaintance": 0.5, "group": 0.4},
    "weak_ties": {
        "family": 0.8,
        "friend": 1.5,
        "neighbour": 1.5,
        "acquaintance": 2.2,
        "group": 1.2,
    },
    "diverse": {"family": 3.0, "friend": 3.0, "neighbour": 1.0, "acquaintance": 1.2, "group": 1.0},
}
#: Tie types whose counts depend on the network type.
TYPED_TIES: tuple[str, ...] = ("family", "friend", "neighbour", "acquaintance", "group")
for _t, _means in _MEANS.items():
    for _tie, _m in _means.items():
        PARAMS.add(
            f"network.mean_{_tie}.{_t}",
            _m,
            "float",
            "members",
            "assumption, calibrated to T2-T4 (Vassilev et al. 2013, 2016; Rogers et al. 2014)",
            f"Mean number of {_tie} members in a {_t} network (besides household members).",
            low=0,
            high=50,
        )
PARAMS.prob(
    "network.p_pet",
    0.30,
    "assumption (Rogers et al. 2016 name pets as members)",
    "Probability that a patient names a pet.",
)
for _role, _p in (("gp", 0.88), ("nurse", 0.34), ("pharmacist", 0.10)):
    PARAMS.prob(
        f"network.p_professional_{_role}",
        _p,
        "assumption, calibrated to T3 (Rogers et al. 2016: professionals 15.5% of members)",
        f"Probability that a patient names a {_role} of their practice as a member.",
    )
for _role, _n in (("gp", 5), ("nurse", 3), ("pharmacist", 1)):
    PARAMS.add(
        f"network.professionals_per_practice_{_role}",
        _n,
        "int",
        "professionals",
        "assumption",
        f"Number of {_role}s per general practice.",
        low=1,
        high=1000,
    )
PARAMS.add(
    "network.groups_per_locality",
    60,
    "int",
    "groups",
    "assumption",
    "Community groups and voluntary services in a (non-deprived) locality.",
    low=1,
    high=100_000,
)
PARAMS.add(
    "network.rel_groups_deprived",
    0.7,
    "float",
    "multiplier",
    "assumption",
    "Number of groups in a deprived locality relative to a non-deprived one.",
    low=0,
    high=10,
)
_CATEGORY_SHARES = (0.12, 0.22, 0.18, 0.12, 0.14, 0.12, 0.10)
for _cat, _s in zip(codes.ACTIVITY_CATEGORIES, _CATEGORY_SHARES, strict=True):
    PARAMS.prob(
        f"network.share_groups_{_cat}",
        _s,
        "assumption (categories from Kennedy et al. 2016)",
        f"Share of a locality's groups offering {_cat.replace('_', ' ')} activities.",
    )
PARAMS.must_sum_to_one(tuple(f"network.share_groups_{c}" for c in codes.ACTIVITY_CATEGORIES))
PARAMS.add(
    "network.preference_concentration",
    1.0,
    "float",
    "-",
    "assumption",
    "Dirichlet concentration of each patient's activity preferences (low = focused).",
    low=0.01,
    high=1000,
)

#: Closeness tier by tie type: (p_inner, p_middle); outer is the rest.
_CIRCLES = {
    "partner": (0.95, 0.05),
    "family": (0.50, 0.35),
    "friend": (0.20, 0.50),
    "neighbour": (0.10, 0.40),
    "acquaintance": (0.0, 0.20),
    "group": (0.05, 0.35),
    "professional": (0.10, 0.40),
    "pet": (0.70, 0.20),
}
for _tie, (_pi, _pm) in _CIRCLES.items():
    PARAMS.prob(
        f"network.p_inner.{_tie}",
        _pi,
        "assumption (GENIE concentric circles)",
        f"Probability that a {_tie} member is in the inner circle.",
    )
    PARAMS.prob(
        f"network.p_middle.{_tie}",
        _pm,
        "assumption (GENIE concentric circles)",
        f"Probability that a {_tie} member is in the middle circle (outer is the rest).",
    )
#: Contacts per week for an inner-circle member of each tie type.
_CONTACT = {
    "partner": 7.0,
    "family": 3.0,
    "friend": 2.0,
    "neighbour": 2.0,
    "acquaintance": 1.0,
    "group": 1.0,
    "professional": 0.25,
    "pet": 7.0,
}
for _tie, _c in _CONTACT.items():
    PARAMS.add(
        f"network.contact_per_week.{_tie}",
        _c,
        "float",
        "contacts/week",
        "assumption (Vassilev et al. 2013: contact frequency drives contribution)",
        f"Contact frequency with an inner-circle {_tie} member.",
        low=0,
        high=50,
    )
PARAMS.add(
    "network.rel_contact_middle",
    0.5,
    "float",
    "multiplier",
    "assumption",
    "Contact frequency of a middle-circle member relative to inner.",
    low=0,
    high=1,
)
PARAMS.add(
    "network.rel_contact_outer",
    0.2,
    "float",
    "multiplier",
    "assumption",
    "Contact frequency of an outer-circle member relative to inner.",
    low=0,
    high=1,
)
for _tie, _p in (("family", 0.5), ("friend", 0.6), ("acquaintance", 0.7)):
    PARAMS.prob(
        f"network.p_nearby.{_tie}",
        _p,
        "assumption (Vassilev et al. 2013: proximity)",
        f"Probability that a (non-resident) {_tie} member lives nearby (within 15 minutes).",
    )
#: Probability that two members of one community know each other, by social circle.
_KNOW = {
    "kin_kin": 0.8,
    "kin_friend": 0.25,
    "kin_neighbour": 0.3,
    "kin_acquaintance": 0.1,
    "friend_friend": 0.35,
    "friend_neighbour": 0.15,
    "friend_acquaintance": 0.1,
    "neighbour_neighbour": 0.5,
    "neighbour_acquaintance": 0.2,
    "acquaintance_acquaintance": 0.15,
}
for _pair, _p in _KNOW.items():
    _a, _b = _pair.split("_", 1)
    PARAMS.prob(
        f"network.p_know.{_pair}",
        _p,
        "assumption (cohesion varies; Vassilev et al. 2016)",
        f"Probability that a {_a} and a {_b} member of one community know each other "
        "(kin = partner or family).",
    )
for _tie in _CIRCLES:
    PARAMS.must_not_exceed_one((f"network.p_inner.{_tie}", f"network.p_middle.{_tie}"))
