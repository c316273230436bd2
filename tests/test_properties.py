"""Properties of the built population that must hold for every valid scenario, and determinism.

Hypothesis draws scenarios within the bounds declared in :data:`sim.config.parameters.PARAMS` (sizes
capped so each example builds in milliseconds) and checks the structural invariants of the
patients, nodes, ties and links.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.config.parameters import PARAMS
from sim.config.scenario import Scenario, default_scenario
from sim.model import build_population
from sim.population import codes
from sim.population.arrays import Population

SMALL = {
    "population.n_practices": 2,
    "population.patients_per_practice": 40,
    "population.practices_per_locality": 1,
    "network.groups_per_locality": 15,
}


def bounded(key: str, low: float | None = None, high: float | None = None) -> st.SearchStrategy:
    """Values of ``key`` within its declared bounds, optionally narrowed to ``[low, high]``."""
    param = PARAMS[key]
    assert param.low is not None and param.high is not None, f"expected {key} to be bounded"
    lo = param.low if low is None else max(low, param.low)
    hi = param.high if high is None else min(high, param.high)
    if param.kind == "int":
        return st.integers(int(lo), int(hi))
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def shares(keys: list[str]) -> st.SearchStrategy:
    """Probabilities for ``keys`` that add up to 1 (some may be 0)."""

    def normalise(weights: list[float]) -> dict[str, float]:
        total = sum(weights)
        if total == 0:
            weights, total = [1.0] * len(weights), float(len(weights))
        return {k: w / total for k, w in zip(keys, weights, strict=True)}

    weights = st.lists(
        st.one_of(st.just(0.0), st.floats(0.0, 1.0)), min_size=len(keys), max_size=len(keys)
    )
    return weights.map(normalise)


@st.composite
def two_at_most_one(draw, a: str, b: str) -> dict[str, float]:
    """Two probabilities whose sum does not exceed 1."""
    first = draw(st.floats(0.0, 1.0))
    return {a: first, b: draw(st.floats(0.0, 1.0 - first))}


@st.composite
def valid_overrides(draw) -> dict:
    """A random valid set of population and network overrides."""
    out: dict = {"run.seed": draw(st.integers(0, 2**32))}
    for key, low, high in (
        ("population.n_practices", 1, 5),
        ("population.patients_per_practice", 1, 30),
        ("population.practices_per_locality", 1, 5),
        ("network.groups_per_locality", 1, 20),
        ("network.rel_groups_deprived", None, None),
        ("network.preference_concentration", None, None),
    ):
        out[key] = draw(bounded(key, low, high))
    for role in codes.PROFESSIONAL_ROLES:
        out[f"network.professionals_per_practice_{role}"] = draw(
            bounded(f"network.professionals_per_practice_{role}", 1, 5)
        )
    age_min = draw(bounded("population.age_min", 18, 95))
    out["population.age_min"] = age_min
    out["population.age_max"] = draw(bounded("population.age_max", age_min + 0.5, None))
    probabilities = [
        k
        for k in PARAMS
        if k.startswith(("population.p_", "network.p_"))
        and PARAMS[k].unit == "probability"
        and not k.startswith(("population.p_stage", "network.p_inner", "network.p_middle"))
        and k
        not in {
            "population.p_age_75_plus",  # reachable only for some mean and SD
            "population.p_no_qualifications",
            "population.p_degree",
            "population.p_lives_with_partner",
            "population.p_lives_alone",
        }
    ]
    for key in probabilities:
        out[key] = draw(bounded(key))
    out.update(draw(two_at_most_one("population.p_no_qualifications", "population.p_degree")))
    out.update(draw(two_at_most_one("population.p_lives_with_partner", "population.p_lives_alone")))
    for tie in codes.TIE_TYPES:
        out.update(draw(two_at_most_one(f"network.p_inner.{tie}", f"network.p_middle.{tie}")))
    out.update(draw(shares([k for k in PARAMS if k.startswith("population.p_stage")])))
    out.update(draw(shares([f"network.share_{t}" for t in codes.NETWORK_TYPES])))
    out.update(draw(shares([f"network.share_groups_{c}" for c in codes.ACTIVITY_CATEGORIES])))
    for key in PARAMS:
        if key.startswith(("network.mean_", "network.contact_per_week.", "network.rel_contact")):
            out[key] = draw(bounded(key, 0, 10))
    return out


def arrays(population: Population) -> dict[str, np.ndarray]:
    """Every state array of a population, by ``table.field``."""
    out = {"locality_deprived": population.locality_deprived}
    for name in ("patients", "nodes", "ties", "links"):
        table = getattr(population, name)
        out.update({f"{name}.{f.name}": getattr(table, f.name) for f in fields(table)})
    return out


def check_invariants(population: Population, scenario: Scenario) -> None:
    """Every structural invariant of a built population."""
    population.check()
    n = scenario["population.n_practices"] * scenario["population.patients_per_practice"]
    assert population.n_patients == n, f"expected {n} patients"
    check_values(population, scenario)
    check_personal_members(population)
    check_shared_members(population, scenario)
    check_links(population)


def check_values(population: Population, scenario: Scenario) -> None:
    """Finite floats, codes within their label ranges, ages in range, preferences on a simplex."""
    for name, values in arrays(population).items():
        if np.issubdtype(values.dtype, np.floating):
            assert np.isfinite(values).all(), f"expected no NaN or infinity in {name}"
    patients, nodes, ties = population.patients, population.nodes, population.ties
    for name, values, labels in (
        ("ties.circle", ties.circle, codes.CIRCLES),
        ("ties.proximity", ties.proximity, codes.PROXIMITIES),
        ("ties.tie_type", ties.tie_type, codes.TIE_TYPES),
        ("nodes.kind", nodes.kind, codes.NODE_KINDS),
        ("patients.network_type", patients.network_type, codes.NETWORK_TYPES),
        ("patients.household", patients.household, codes.HOUSEHOLDS),
        ("patients.education", patients.education, codes.EDUCATION),
        ("patients.stage", patients.stage, codes.CKD_STAGES),
    ):
        assert values.size == 0 or (values.min() >= 0 and values.max() < len(labels)), (
            f"expected {name} codes within 0..{len(labels) - 1}"
        )
    assert (ties.contact >= 0).all(), "expected non-negative contact frequencies"
    low, high = scenario["population.age_min"], scenario["population.age_max"]
    assert ((patients.age >= low) & (patients.age <= high)).all(), (
        f"expected every age within [{low}, {high}]"
    )
    assert np.allclose(patients.preferences.sum(axis=1), 1.0), "expected preference rows sum 1"
    assert (patients.preferences >= 0).all(), "expected non-negative preferences"


def check_personal_members(population: Population) -> None:
    """Each person or pet belongs to one patient's community and is tied to that patient only."""
    nodes, ties = population.nodes, population.ties
    pair = ties.ego.astype(np.int64) * len(nodes) + ties.alter
    assert len(np.unique(pair)) == len(pair), "expected no patient to name a member twice"
    personal = np.isin(nodes.kind, (codes.PERSON, codes.PET_NODE))
    named = np.bincount(ties.alter, minlength=len(nodes))
    assert (named[personal] == 1).all(), "expected every personal member tied to one patient"
    mine = personal[ties.alter]
    assert (ties.ego[mine] == nodes.owner[ties.alter[mine]]).all(), (
        "expected each personal member tied to the patient who owns it"
    )
    assert (ties.tie_type[mine] == nodes.relation[ties.alter[mine]]).all(), (
        "expected a personal member's tie type to be its relation"
    )
    is_pet = nodes.kind[ties.alter] == codes.PET_NODE
    assert ((ties.tie_type == codes.PET) == is_pet).all(), "expected pet ties exactly to pets"
    owner_locality = population.patients.locality[nodes.owner[personal]]
    assert (nodes.locality[personal] == owner_locality).all(), (
        "expected members to take their patient's locality"
    )


def check_shared_members(population: Population, scenario: Scenario) -> None:
    """Groups are the patient's locality's; professionals are the patient's practice's."""
    patients, nodes, ties = population.patients, population.nodes, population.ties
    kind = nodes.kind[ties.alter]
    group = ties.tie_type == codes.GROUP_TIE
    assert (group == (kind == codes.GROUP)).all(), "expected group ties exactly to group nodes"
    assert (nodes.locality[ties.alter[group]] == patients.locality[ties.ego[group]]).all(), (
        "expected group ties only to groups of the patient's locality"
    )
    prof = ties.tie_type == codes.PROFESSIONAL
    assert (prof == (kind == codes.PROFESSIONAL_NODE)).all(), (
        "expected professional ties exactly to professional nodes"
    )
    assert (nodes.practice[ties.alter[prof]] == patients.practice[ties.ego[prof]]).all(), (
        "expected professional ties only to professionals of the patient's practice"
    )
    per_practice = sum(
        scenario[f"network.professionals_per_practice_{r}"] for r in codes.PROFESSIONAL_ROLES
    )
    n_prof = int((nodes.kind == codes.PROFESSIONAL_NODE).sum())
    assert n_prof == scenario["population.n_practices"] * per_practice, (
        "expected the declared number of professionals in every practice"
    )
    n_localities = len(population.locality_deprived)
    groups_per = np.bincount(nodes.locality[nodes.kind == codes.GROUP], minlength=n_localities)
    assert (groups_per >= 1).all(), "expected at least one group in every locality"


def check_links(population: Population) -> None:
    """Links join two people of the same patient's community, once each, stored a < b."""
    nodes, links = population.nodes, population.links
    assert (links.a < links.b).all(), "expected links stored with a < b"
    assert (nodes.kind[links.a] == codes.PERSON).all(), "expected links only between people"
    assert (nodes.kind[links.b] == codes.PERSON).all(), "expected links only between people"
    assert (nodes.owner[links.a] == nodes.owner[links.b]).all(), (
        "expected links only between members of the same patient's community"
    )
    pair = links.a.astype(np.int64) * len(nodes) + links.b
    assert len(np.unique(pair)) == len(pair), "expected no duplicate links"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=valid_overrides())
def test_any_valid_scenario_builds_a_consistent_population(overrides):
    scenario = default_scenario().with_overrides(overrides)
    check_invariants(build_population(scenario), scenario)


def test_default_sized_population_satisfies_the_invariants():
    scenario = default_scenario().with_overrides({"population.n_practices": 3})
    check_invariants(build_population(scenario), scenario)


def test_same_seed_builds_bit_identical_arrays():
    scenario = default_scenario().with_overrides(SMALL)
    first, second = arrays(build_population(scenario, 11)), arrays(build_population(scenario, 11))
    for name, values in first.items():
        other = second[name]
        assert values.dtype == other.dtype and values.shape == other.shape, (
            f"expected {name} to have the same dtype and shape for the same seed"
        )
        assert values.tobytes() == other.tobytes(), f"expected {name} bit-identical for one seed"


def test_different_seeds_build_different_populations():
    scenario = default_scenario().with_overrides(SMALL)
    first, second = arrays(build_population(scenario, 11)), arrays(build_population(scenario, 12))
    for name in ("patients.age", "patients.preferences"):
        assert not np.array_equal(first[name], second[name]), f"expected {name} to differ"
    assert len(first["ties.ego"]) != len(second["ties.ego"]) or not np.array_equal(
        first["ties.alter"], second["ties.alter"]
    ), "expected different seeds to give different ties"


def test_run_seed_is_the_default_seed():
    scenario = default_scenario().with_overrides({**SMALL, "run.seed": 5})
    implicit, explicit = arrays(build_population(scenario)), arrays(build_population(scenario, 5))
    assert all(np.array_equal(implicit[k], explicit[k]) for k in implicit), (
        "expected build_population to use run.seed when no seed is given"
    )


def test_changing_a_community_parameter_leaves_the_cohort_unchanged():
    scenario = default_scenario().with_overrides(SMALL)
    a = build_population(scenario, 3)
    b = build_population(scenario.with_overrides({"network.p_pet": 0.9}), 3)
    for f in fields(a.patients):
        assert np.array_equal(getattr(a.patients, f.name), getattr(b.patients, f.name)), (
            f"expected patients.{f.name} unchanged: the cohort has its own random stream"
        )
    assert (a.ties.tie_type == codes.PET).sum() < (b.ties.tie_type == codes.PET).sum(), (
        "expected more pets with a higher network.p_pet"
    )
