"""Every scenario parameter, declared once: default, allowed values, unit and source.

A scenario file may set any key listed here (dotted keys name nested TOML tables); unknown keys
are rejected. ``docs/ODD.md`` holds the same table, and a test checks it stays complete. Sources
cite ``shared/science/dossier.md`` by author and year; "assumption" marks what the literature does
not give (dossier section 8), and every assumption is a parameter a sweep can vary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim import codes

#: Top-level keys that are not parameters.
META_KEYS: tuple[str, ...] = ("base", "title", "description")
#: Sections a scenario may contain.
SECTIONS: tuple[str, ...] = (
    "run",
    "population",
    "network",
    "mechanisms",
    "interventions",
    "outputs",
)

KINDS = ("int", "float", "bool", "str", "choice", "int_list", "choice_list")


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    Attributes:
        key: Dotted key, e.g. ``"population.age_mean"``.
        default: Value used when no scenario sets it.
        kind: One of ``KINDS``.
        unit: Unit of the value ("-" for dimensionless or categorical).
        source: Reference in the science dossier, or "assumption".
        description: What the parameter represents.
        low: Smallest allowed value (numbers and list items), if bounded.
        high: Largest allowed value, if bounded.
        choices: Allowed values for ``choice`` and ``choice_list`` kinds.
    """

    key: str
    default: Any
    kind: str
    unit: str
    source: str
    description: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and tables."""
        if self.choices is not None:
            prefix = "a list of " if self.kind == "choice_list" else "one of "
            return prefix + ", ".join(repr(c) for c in self.choices)
        noun = {
            "int": "an integer",
            "float": "a number",
            "bool": "true or false",
            "str": "a string",
            "int_list": "a list of integers",
        }[self.kind]
        if self.low is not None and self.high is not None:
            return f"{noun} in [{self.low:g}, {self.high:g}]"
        if self.low is not None:
            return f"{noun} >= {self.low:g}"
        if self.high is not None:
            return f"{noun} <= {self.high:g}"
        return noun


@dataclass(frozen=True)
class SumsToOne:
    """A group of probability keys that must add up to 1 (within ``tolerance``)."""

    keys: tuple[str, ...]
    tolerance: float = 1e-6


_P = {"low": 0.0, "high": 1.0}
_PARAMS: list[Param] = []
SUMS_TO_ONE: list[SumsToOne] = []


def _add(key: str, default: Any, kind: str, unit: str, source: str, description: str, **kw) -> None:
    _PARAMS.append(Param(key, default, kind, unit, source, description, **kw))


def _prob(key: str, default: float, source: str, description: str) -> None:
    _add(key, default, "float", "probability", source, description, **_P)


# --- run -------------------------------------------------------------------------------------
_add("run.seed", 42, "int", "-", "-", "Root random seed; every stream derives from it.", low=0)
_add(
    "run.weeks",
    26,
    "int",
    "weeks",
    "Blakeman et al. 2014 (6-month follow-up)",
    "Number of weekly steps to simulate.",
    low=0,
    high=1040,
)
_add(
    "run.replicates",
    1,
    "int",
    "-",
    "-",
    "Replicate runs (seeds derived from run.seed).",
    low=1,
    high=1_000_000,
)

# --- population (dossier T1: Blakeman et al. 2014) -------------------------------------------
_add(
    "population.source",
    "synthetic",
    "choice",
    "-",
    "-",
    "Build a synthetic cohort, or read egos, members and ties from survey CSV files.",
    choices=("synthetic", "survey"),
)
_add(
    "population.survey_dir",
    "",
    "str",
    "path",
    "-",
    "Folder with egos.csv, members.csv, ties.csv (relative to the scenario file); "
    "used when population.source = 'survey'. See docs/survey_format.md.",
)
_add(
    "population.n_practices",
    24,
    "int",
    "practices",
    "Blakeman et al. 2014",
    "General practices in the population.",
    low=1,
    high=100_000,
)
_add(
    "population.patients_per_practice",
    100,
    "int",
    "patients",
    "assumption",
    "Patients with stage 3 CKD registered per practice.",
    low=1,
    high=1_000_000,
)
_add(
    "population.practices_per_locality",
    3,
    "int",
    "practices",
    "assumption",
    "Practices sharing one locality (and its community groups).",
    low=1,
    high=10_000,
)
_prob(
    "population.p_locality_deprived",
    0.5,
    "assumption (BRIGHT recruited in Greater "
    "Manchester; Vassilev et al. 2013 sampled deprived areas)",
    "Share of localities classed as deprived.",
)
_add(
    "population.age_mean",
    72.1,
    "float",
    "years",
    "Blakeman et al. 2014",
    "Mean age.",
    low=18,
    high=110,
)
_add(
    "population.age_sd",
    9.1,
    "float",
    "years",
    "Blakeman et al. 2014",
    "Standard deviation of age.",
    low=0.1,
    high=40,
)
_prob(
    "population.p_age_75_plus",
    0.427,
    "Blakeman et al. 2014",
    "Share aged 75 or over (shapes the skew of the age distribution).",
)
_add(
    "population.age_min",
    40.0,
    "float",
    "years",
    "assumption",
    "Youngest age drawn.",
    low=18,
    high=110,
)
_add(
    "population.age_max",
    100.0,
    "float",
    "years",
    "assumption",
    "Oldest age drawn.",
    low=18,
    high=120,
)
_prob("population.p_female", 0.585, "Blakeman et al. 2014", "Share of women.")
for _stage, _pro, _p in (
    ("3a", False, 0.716),
    ("3a", True, 0.041),
    ("3b", False, 0.174),
    ("3b", True, 0.069),
):
    _prob(
        f"population.p_stage_{_stage}_{'proteinuria' if _pro else 'no_proteinuria'}",
        _p,
        "Blakeman et al. 2014",
        f"Share with CKD stage {_stage} {'with' if _pro else 'without'} proteinuria.",
    )
SUMS_TO_ONE.append(
    SumsToOne(tuple(p.key for p in _PARAMS if p.key.startswith("population.p_stage")))
)
_prob(
    "population.p_no_qualifications",
    0.443,
    "Blakeman et al. 2014",
    "Share with no educational qualifications.",
)
_prob("population.p_degree", 0.076, "Blakeman et al. 2014", "Share with a degree.")
_prob(
    "population.p_hypertension", 0.88, "RRID cohort, BMC Fam Pract 2013", "Share with hypertension."
)
_prob(
    "population.p_diabetes",
    0.30,
    "assumption (common comorbidity in stage 3 CKD)",
    "Share with diabetes.",
)
_prob(
    "population.p_lives_with_partner",
    0.50,
    "assumption (older UK adults)",
    "Share living with a partner.",
)
_prob(
    "population.p_lives_alone",
    0.38,
    "assumption (older UK adults)",
    "Share living alone; the rest live with others (e.g. an adult child).",
)

# --- network: personal communities (dossier section 2, targets T2-T4) -------------------------
_TYPE_SHARES = {
    "restricted": 0.15,
    "minimal_family": 0.20,
    "family": 0.30,
    "weak_ties": 0.15,
    "diverse": 0.20,
}
for _t, _s in _TYPE_SHARES.items():
    _prob(
        f"network.share_{_t}",
        _s,
        "assumption (types from Vassilev et al. 2016)",
        f"Share of patients whose personal community is of the {_t} type.",
    )
SUMS_TO_ONE.append(SumsToOne(tuple(f"network.share_{t}" for t in codes.NETWORK_TYPES)))

#: Mean number of members of each tie type by network type (Poisson means), chosen so the mixture
#: gives about 8.5 members (T2) with 16% weak ties (T3) and 35-50% group participation (T4).
_MEANS = {
    "restricted": {
        "family": 0.3,
        "friend": 0.0,
        "neighbour": 0.0,
        "acquaintance": 0.2,
        "group": 0.1,
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
        _add(
            f"network.mean_{_tie}.{_t}",
            _m,
            "float",
            "members",
            "assumption, calibrated to T2-T4 (Vassilev et al. 2013, 2016; Rogers et al. 2014)",
            f"Mean number of {_tie} members in a {_t} network (besides household members).",
            low=0,
            high=50,
        )
_prob(
    "network.p_pet",
    0.30,
    "assumption (Rogers et al. 2016 name pets as members)",
    "Probability that a patient names a pet.",
)
for _role, _p in (("gp", 0.88), ("nurse", 0.34), ("pharmacist", 0.10)):
    _prob(
        f"network.p_professional_{_role}",
        _p,
        "assumption, calibrated to T3 (Rogers et al. 2016: professionals 15.5% of members)",
        f"Probability that a patient names a {_role} of their practice as a member.",
    )
for _role, _n in (("gp", 5), ("nurse", 3), ("pharmacist", 1)):
    _add(
        f"network.professionals_per_practice_{_role}",
        _n,
        "int",
        "professionals",
        "assumption",
        f"Number of {_role}s per general practice.",
        low=1,
        high=1000,
    )
_add(
    "network.groups_per_locality",
    60,
    "int",
    "groups",
    "assumption",
    "Community groups and voluntary services in a (non-deprived) locality.",
    low=1,
    high=100_000,
)
_add(
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
    _prob(
        f"network.share_groups_{_cat}",
        _s,
        "assumption (categories from Kennedy et al. 2016)",
        f"Share of a locality's groups offering {_cat.replace('_', ' ')} activities.",
    )
SUMS_TO_ONE.append(SumsToOne(tuple(f"network.share_groups_{c}" for c in codes.ACTIVITY_CATEGORIES)))
_add(
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
    _prob(
        f"network.p_inner.{_tie}",
        _pi,
        "assumption (GENIE concentric circles)",
        f"Probability that a {_tie} member is in the inner circle.",
    )
    _prob(
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
    _add(
        f"network.contact_per_week.{_tie}",
        _c,
        "float",
        "contacts/week",
        "assumption (Vassilev et al. 2013: contact frequency drives contribution)",
        f"Contact frequency with an inner-circle {_tie} member.",
        low=0,
        high=50,
    )
_add(
    "network.rel_contact_middle",
    0.5,
    "float",
    "multiplier",
    "assumption",
    "Contact frequency of a middle-circle member relative to inner.",
    low=0,
    high=1,
)
_add(
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
    _prob(
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
    _prob(
        f"network.p_know.{_pair}",
        _p,
        "assumption (cohesion varies; Vassilev et al. 2016)",
        f"Probability that a {_a} and a {_b} member of one community know each other "
        "(kin = partner or family).",
    )

# --- outputs ---------------------------------------------------------------------------------
_add(
    "outputs.folder",
    "",
    "str",
    "path",
    "-",
    "Sub-folder of the output folder for this scenario's runs (default: the scenario file "
    "name). Must be a relative path inside the output folder.",
)
_add(
    "outputs.formats",
    ["parquet", "csv"],
    "choice_list",
    "-",
    "-",
    "Table formats to write.",
    choices=("parquet", "csv"),
)
_add("outputs.figures", True, "bool", "-", "-", "Write PNG figures.")
_add("outputs.graphml", False, "bool", "-", "-", "Export the network as GraphML.")
_add(
    "outputs.example_patient",
    0,
    "int",
    "patient index",
    "-",
    "Patient whose personal community is drawn.",
    low=0,
)
_add(
    "outputs.patient_weeks",
    [],
    "int_list",
    "weeks",
    "-",
    "Weeks at which every patient's state is recorded.",
    low=0,
)

PARAMS: dict[str, Param] = {p.key: p for p in _PARAMS}


def defaults() -> dict[str, Any]:
    """Return a flat mapping of every dotted key to its default value (lists copied)."""
    return {
        k: (list(p.default) if isinstance(p.default, list) else p.default)
        for k, p in PARAMS.items()
    }
