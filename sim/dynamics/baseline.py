"""The dynamic state before the warm-up, drawn from the population and the scenario.

Every draw comes from the "baseline" stream in a fixed order, so trial arms built from one seed
start identical (common random numbers). The warm-up (:mod:`sim.dynamics.warmup`) then runs usual
care from these simple initial conditions until recruitment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.dynamics import balance, collective, eq5d, health, kidney, knowledge, services, workload
from sim.dynamics import medicines as medicines_
from sim.dynamics.state import Dynamics, Members, PatientState, Slots, by_tie_type
from sim.population import codes
from sim.population.arrays import Population


def _beta_around(rng: np.random.Generator, mean: float, n: int, strength: float) -> np.ndarray:
    """Draw n values in (0, 1) with the given mean (Beta with a + b = strength)."""
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * strength, (1 - mean) * strength, size=n)


def make_slots(
    population: Population, p: Mapping[str, Any], node_broker: np.ndarray, node_peer: np.ndarray
) -> tuple[Slots, np.ndarray, np.ndarray]:
    """Copy the ties into per-patient blocks with ``navigation.max_new_ties`` free slots each."""
    ties, n_p, n_nodes = population.ties, population.n_patients, population.n_nodes
    spare = int(p["navigation.max_new_ties"])
    per_patient = np.bincount(ties.ego, minlength=n_p) + spare
    block_end = np.cumsum(per_patient)
    starts = block_end - per_patient
    n_slots = int(block_end[-1]) if n_p else 0
    tie_start = np.concatenate([[0], np.cumsum(np.bincount(ties.ego, minlength=n_p))[:-1]])
    position = starts[ties.ego] + (np.arange(len(ties)) - tie_start[ties.ego])
    ego = np.repeat(np.arange(n_p), per_patient).astype(np.int32)

    def fill(values: np.ndarray, empty: Any, dtype: Any) -> np.ndarray:
        out = np.full(n_slots, empty, dtype=dtype)
        out[position] = values
        return out

    tie_type = fill(ties.tie_type, codes.GROUP_TIE, np.int8)
    circle = fill(ties.circle, codes.OUTER, np.int8)
    proximity = fill(ties.proximity, codes.NEARBY, np.int8)
    active = fill(True, False, bool)
    alter = fill(ties.alter, n_nodes, np.int64)
    lay = by_tie_type(p, "knowledge.lay_source")[tie_type]
    lay = np.where(node_peer[alter], np.maximum(lay, p["knowledge.lay_source_peer"]), lay)
    support_group = np.zeros(n_nodes + 1, bool)
    support_group[:n_nodes] = population.nodes.category == codes.ACTIVITY_CATEGORIES.index(
        "support"
    )
    lay = np.where(support_group[alter], p["knowledge.lay_source_support_group"], lay)
    slots = Slots(
        ego=ego,
        alter=alter,
        tie_type=tie_type,
        circle=circle,
        proximity=proximity,
        contact=fill(ties.contact, 0.0, float),
        active=active,
        strength=np.ones(n_slots),
        quality=np.ones(n_slots),
        share=np.ones(n_slots),
        fit=np.ones(n_slots),
        lay_source=lay,
        broker=node_broker[alter],
        weak=np.isin(tie_type, codes.WEAK_TIE_TYPES),
    )
    return slots, starts, block_end


def group_fit(population: Population, ego: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Fit of a group to a patient: preference for its category over the top preference."""
    prefs = population.patients.preferences[ego]
    category = population.nodes.category[group]
    return prefs[np.arange(len(ego)), category] / prefs.max(axis=1)


def _node_tie_type(population: Population) -> np.ndarray:
    """The tie type each node stands in (relation for people and pets; group; professional)."""
    kind = population.nodes.kind
    out = population.nodes.relation.astype(np.int64).copy()
    out[kind == codes.GROUP] = codes.GROUP_TIE
    out[kind == codes.PROFESSIONAL_NODE] = codes.PROFESSIONAL
    out[kind == codes.PATIENT] = codes.PARTNER  # unused for patients
    return out


def make_members(population: Population, p: Mapping[str, Any], rng: np.random.Generator) -> Members:
    """Member capacity, peers and brokers (one extra sentinel row for empty slots)."""
    n = population.n_nodes
    node_type = _node_tie_type(population)
    capacity = by_tie_type(p, "support.member_capacity")[node_type]
    peer = (rng.random(n) < p["knowledge.p_peer"]) & (population.nodes.kind == codes.PERSON)
    broker = rng.random(n) < by_tie_type(p, "support.p_broker")[node_type]
    broker[: population.n_patients] = False
    pad = lambda a, v: np.append(a, v)  # noqa: E731
    return Members(
        strain=np.zeros(n + 1),
        capacity=pad(capacity, 1.0),
        peer=pad(peer, False),
        broker=pad(broker, False),
        load=np.zeros(n + 1),
    )


def make_dynamics(
    population: Population, p: Mapping[str, Any], rng: np.random.Generator
) -> Dynamics:
    """Draw the state before the warm-up (:mod:`sim.dynamics.warmup`).

    Args:
        population: The population (patients, nodes, ties, links).
        p: Mechanism parameters (the scenario's ``mechanisms`` section, prefix stripped).
        rng: The "baseline" random stream.
    """
    members = make_members(population, p, rng)
    slots, starts, block_end = make_slots(population, p, members.broker, members.peer)
    groups = slots.active & (slots.tie_type == codes.GROUP_TIE)
    slots.fit[groups] = group_fit(population, slots.ego[groups], slots.alter[groups])
    slots.strength[groups] = slots.fit[groups]
    slots.quality[slots.active] = _beta_around(
        rng, p["negotiation.quality_initial"], int(slots.active.sum()), p["baseline.concentration"]
    )
    patients = make_patient_state(population, p, rng)
    _initial_stocks(population, patients, slots, starts, p)
    return Dynamics(patients, members, slots, starts, block_end)


def _initial_stocks(
    population: Population, pt: PatientState, slots: Slots, starts: np.ndarray, p: Mapping[str, Any]
) -> None:
    """Simple initial conditions of the slow stocks, from which the warm-up starts.

    Knowledge and collective efficacy start at each patient's equilibrium under the baseline
    network (:func:`sim.dynamics.knowledge.equilibrium`,
    :func:`sim.dynamics.collective.equilibrium`); self-management at its target with no
    overload. The warm-up then lets every stock find its level under usual care.
    """
    weight = slots.contact * slots.strength * slots.active
    rate = knowledge.learning_rate(
        p["knowledge.rate_learning"],
        p["knowledge.rel_learning_education"],
        population.patients.education,
    )
    args = (rate, p["knowledge.rate_fading"], p["knowledge.half_exposure"])
    pt.knowledge_clinical = knowledge.equilibrium(
        knowledge.exposure(
            weight, by_tie_type(p, "knowledge.clinical_source")[slots.tie_type], starts
        ),
        *args,
    )
    pt.knowledge_lay = knowledge.equilibrium(
        knowledge.exposure(weight, slots.lay_source, starts), *args
    )
    engagement = collective.shared_engagement(
        weight, slots.tie_type == codes.GROUP_TIE, p["collective.weight_group"], starts
    )
    level = collective.equilibrium(
        engagement,
        collective.trust(slots.quality, slots.active, starts),
        pt.cohesion,
        p["collective.rate_build"],
        p["collective.rate_fade"],
        p["collective.half_engagement"],
    )
    pt.collective = level if p["switches.collective_efficacy"] else np.zeros_like(level)
    pt.self_management = balance.self_management_target(
        p["balance.self_management_base"],
        p["balance.self_management_knowledge"],
        p["balance.self_management_efficacy"],
        p["balance.k_imbalance"],
        pt.knowledge_clinical,
        pt.knowledge_lay,
        pt.self_efficacy,
        np.zeros(len(pt.alive)),
    )


def _cohesion(population: Population) -> np.ndarray:
    """Density of acquaintance among each patient's personal members (0 with fewer than two)."""
    n_p = population.n_patients
    people = population.nodes.kind == codes.PERSON
    size = np.bincount(population.nodes.owner[people], minlength=n_p).astype(float)
    owner_of_link = population.nodes.owner[population.links.a]
    links = np.bincount(owner_of_link, minlength=n_p)
    pairs = size * (size - 1) / 2
    return np.divide(links, pairs, out=np.zeros(n_p), where=pairs > 0)


def _clinical_state(
    population: Population, p: Mapping[str, Any], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Kidney function, comorbidity, blood pressure and medicines before the warm-up."""
    pt = population.patients
    n, hyper = len(pt), pt.hypertension
    base = np.where(
        hyper,
        rng.normal(p["health.sbp_untreated_mean"], p["health.sbp_untreated_sd"], n)
        + p["health.sbp_diabetes"] * pt.diabetes,
        rng.normal(p["health.sbp_normotensive_mean"], p["health.sbp_normotensive_sd"], n),
    )
    base = np.maximum(base, p["health.sbp_min"])
    medicines = np.where(
        hyper,
        np.minimum(rng.poisson(p["health.medicines_initial_mean"], n), p["health.max_medicines"]),
        0,
    ).astype(float)
    age = pt.age.astype(float)
    comorbidity = rng.poisson(
        p["comorbidity.mean"] * np.exp(p["comorbidity.age_slope"] * (age - 72.0))
    ).astype(float)
    egfr, egfr_reading = kidney.baseline_egfr(pt.stage, p, rng)
    slope = p["kidney.slope_mean"] + p["kidney.slope_sd"] * rng.standard_normal(n)
    untreated = health.untreated_sbp(p, base, age, hyper, egfr)
    return {
        "egfr": egfr,
        "egfr_slope": slope,
        "egfr_reading": egfr_reading,
        "comorbidity": comorbidity,
        "medicines": medicines,
        "medicines_base": medicines.copy(),
        "persisting": np.ones(n, bool),
        "adherence": medicines_.adherence(p, np.full(n, 0.5)),
        "sbp_base": base,
        "sbp_untreated": untreated,
        "sbp": np.maximum(untreated, p["health.sbp_min"]),
        "sbp_reading": np.maximum(untreated, p["health.sbp_min"]),
        "controlled": np.zeros(n, bool),
        "reviewed": np.zeros(n, bool),
    }


def make_patient_state(
    population: Population, p: Mapping[str, Any], rng: np.random.Generator
) -> PatientState:
    """Draw each patient's stocks before the warm-up (clinical state, efficacy, offsets ...)."""
    pt = population.patients
    n = len(pt)
    education = pt.education.astype(float) - 1.0  # -1 none, 0 intermediate, +1 degree
    noise = rng.normal(0, p["work.limitation_sd"], n)
    spread = p["baseline.concentration"]
    mental = _beta_around(
        rng, p["work.mental_capacity_mean"], n, p["baseline.mental_concentration"]
    )
    awareness = _beta_around(rng, p["navigation.awareness_initial"], n, spread)
    se = _beta_around(rng, p["balance.self_efficacy_initial"], n, spread)
    clinical = _clinical_state(population, p, rng)
    zeros = np.zeros(n)
    reluctance = _beta_around(rng, p["support.reluctance_mean"], n, spread)
    skill = _beta_around(rng, p["negotiation.skill_mean"], n, spread)
    heiq_offset = rng.normal(0, p["outcomes.heiq_sd"], n)
    loneliness_base = rng.normal(p["outcomes.loneliness_base"], p["outcomes.loneliness_sd"], n)
    effects = eq5d.individual_effects(p["eq5d.correlation"], rng, n)
    latent = eq5d.by_dimension(p, "intercept") + eq5d.by_dimension(p, "sd") * effects
    level = eq5d.levels(latent, eq5d.by_dimension(p, "severe"))
    return PatientState(
        alive=np.ones(n, bool),
        age=pt.age.astype(float).copy(),
        stage=pt.stage.copy(),
        limitation=workload.functional_limitation(
            p, pt.age, clinical["egfr"], pt.diabetes, clinical["comorbidity"], noise
        ),
        limitation_noise=noise,
        mental=mental,
        mental_base=mental.copy(),
        knowledge_clinical=zeros.copy(),
        knowledge_lay=zeros.copy(),
        awareness=awareness,
        awareness_base=awareness.copy(),
        guidance=zeros.copy(),
        match=np.ones((n, len(codes.ACTIVITY_CATEGORIES))),
        self_efficacy=se,
        self_efficacy_base=se.copy(),
        collective=zeros.copy(),
        cohesion=_cohesion(population),
        reluctance=reluctance,
        skill=np.clip(skill + p["negotiation.skill_education"] * education, 0, 1),
        **clinical,
        self_management=zeros.copy(),
        need=np.zeros((n, 3)),
        need_previous=np.full(n, np.inf),
        mobilisation=zeros.copy(),
        received=np.zeros((n, 3)),
        received_professional=np.zeros((n, 3)),
        treatment_work=zeros.copy(),
        capacity_own=zeros.copy(),
        capacity=zeros.copy(),
        imbalance=zeros.copy(),
        brokerage=zeros.copy(),
        eq5d_latent=latent,
        eq5d_level=level,
        eq5d_effect=effects,
        utility=eq5d.utility(level),
        heiq=zeros.copy(),
        heiq_offset=heiq_offset,
        loneliness=zeros.copy(),
        loneliness_base=np.clip(loneliness_base, 0, 1.5),
        tbq=zeros.copy(),
        contacts=zeros.copy(),
        **{f"cost_{c}": zeros.copy() for c in services.COST_COMPONENTS},
        cost=zeros.copy(),
        qaly=zeros.copy(),
        admissions=np.zeros(n, np.int32),
        joined=np.zeros(n, np.int32),
        negotiations=np.zeros(n, np.int32),
    )
