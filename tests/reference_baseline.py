"""The per-agent reference of the baseline build: each patient's state before the warm-up.

:func:`sim.dynamics.baseline.make_dynamics` draws each patient's random inputs (mental capacity,
awareness, self-efficacy, tie quality, blood pressure, eGFR ...) from the "baseline" stream and
derives the rest from them. Here every derived value is written out again from the ODD's
equations with scalar arithmetic, patient by patient over the patient's own ties and members,
taking the drawn inputs from the model: functional limitation, untreated and treated blood
pressure, adherence, EQ-5D levels and utility, the cohesion of the personal community, group
fit and strength, and the slow stocks at their equilibrium under the baseline network
(knowledge, collective efficacy) and self-management at its target with no overload.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from sim.model import CommunityModel
from sim.population import codes
from tests.reference_clinical import DIMENSIONS, LEVEL2, LEVEL3, clip, limitation


def cohesion(model: CommunityModel) -> list[float]:
    """Per patient: acquaintance links among its personal members over the pairs of them."""
    nodes, links = model.population.nodes, model.population.links
    owner_of = {
        node: owner
        for node, (kind, owner) in enumerate(
            zip(nodes.kind.tolist(), nodes.owner.tolist(), strict=True)
        )
        if kind == codes.PERSON
    }
    size = [0] * model.population.n_patients
    for owner in owner_of.values():
        size[owner] += 1
    n_links = [0] * model.population.n_patients
    for a, b in zip(links.a.tolist(), links.b.tolist(), strict=True):
        if a in owner_of and owner_of[a] == owner_of.get(b):
            n_links[owner_of[a]] += 1
    pairs = [k * (k - 1) / 2 for k in size]
    return [n / pair if pair > 0 else 0.0 for n, pair in zip(n_links, pairs, strict=True)]


def _ties_of(model: CommunityModel) -> dict[int, list[dict[str, Any]]]:
    """Each patient's active ties as dicts of the slot attributes."""
    s = model.dynamics.slots
    names = ("alter", "tie_type", "contact", "strength", "quality", "fit")
    names += ("lay_source",)
    columns = {name: getattr(s, name).tolist() for name in names}
    ties = defaultdict(list)
    for slot in np.flatnonzero(s.active).tolist():
        ties[int(s.ego[slot])].append({name: columns[name][slot] for name in names})
    return ties


def _equilibrium_knowledge(p: dict, rate: float, exposure: float) -> float:
    gain = rate * exposure / (exposure + p["knowledge.half_exposure"])
    return gain / max(gain + p["knowledge.rate_fading"], 1e-12)


def _equilibrium_collective(p: dict, ties: list[dict], cohesion_: float) -> float:
    if not p["switches.collective_efficacy"]:
        return 0.0
    engagement = quality = 0.0
    for tie in ties:
        group = tie["tie_type"] == codes.GROUP_TIE
        weight = tie["contact"] * tie["strength"]
        engagement += weight * (p["collective.weight_group"] if group else 1.0)
        quality += tie["quality"]
    trust = quality / len(ties) if ties else 0.0
    h = engagement / (engagement + p["collective.half_engagement"])
    build = p["collective.rate_build"] * h * trust * (0.5 + 0.5 * cohesion_)
    fade = p["collective.rate_fade"] * (1.0 - h)
    return build / max(build + fade, 1e-12)


def _utility(levels: list[int]) -> float:
    decrement = sum(
        0.0 if level == 1 else (two if level == 2 else three)
        for level, two, three in zip(levels, LEVEL2, LEVEL3, strict=True)
    )
    problem, extreme = any(v > 1 for v in levels), any(v == 3 for v in levels)
    return 1.0 - 0.081 * problem - decrement - 0.269 * extreme


def _patient(p: dict, x: dict, ties: list[dict], cohesion_: float) -> dict[str, Any]:
    """The derived baseline state of one patient from its drawn inputs ``x`` and its ties."""
    rate = p["knowledge.rate_learning"] * (
        1.0 + p["knowledge.rel_learning_education"] * (x["education"] - 1.0)
    )
    clinical = lay = 0.0
    for tie in ties:
        weight = tie["contact"] * tie["strength"]
        clinical += weight * p[f"knowledge.clinical_source.{codes.TIE_TYPES[tie['tie_type']]}"]
        lay += weight * tie["lay_source"]
    know_c = _equilibrium_knowledge(p, rate, clinical)
    know_l = _equilibrium_knowledge(p, rate, lay)
    raw = (
        p["balance.self_management_base"]
        + p["balance.self_management_knowledge"] * 0.5 * (know_c + know_l)
        + p["balance.self_management_efficacy"] * x["self_efficacy"]
    )
    untreated = (
        x["sbp_base"]
        + p["health.sbp_age_slope"] * max(x["age"] - 70.0, 0.0) * x["hypertension"]
        + p["health.sbp_egfr_slope"] * max(60.0 - x["egfr"], 0.0)
    )
    levels = [
        1 + (y > 0.0) + (y > p[f"eq5d.severe.{d}"])
        for y, d in zip(x["eq5d_latent"], DIMENSIONS, strict=True)
    ]
    return {
        "knowledge_clinical": know_c,
        "knowledge_lay": know_l,
        "collective": _equilibrium_collective(p, ties, cohesion_),
        "cohesion": cohesion_,
        "self_management": clip(raw, 0.0, 1.0),
        "limitation": limitation(
            p, x["age"], x["egfr"], x["diabetes"], x["comorbidity"], x["limitation_noise"]
        ),
        "sbp_untreated": untreated,
        "sbp": max(untreated, p["health.sbp_min"]),
        "adherence": clip(
            p["medicines.adherence_base"] + p["medicines.adherence_self_management"] * 0.5, 0, 1
        ),
        "eq5d_level": levels,
        "utility": _utility(levels),
    }


#: Drawn inputs of each patient read from the model (the rest is derived from them).
INPUTS = ("self_efficacy", "sbp_base", "age", "egfr", "comorbidity", "limitation_noise")
INPUTS += ("eq5d_latent",)


def baseline_patients(model: CommunityModel) -> dict[str, np.ndarray]:
    """Per patient, the derived baseline state as the reference computes it, by field name."""
    p = {k.removeprefix("mechanisms."): v for k, v in model.config.values.items()}
    pt, state = model.population.patients, model.dynamics.patients
    columns = {name: getattr(state, name).tolist() for name in INPUTS}
    for name in ("education", "hypertension", "diabetes"):
        columns[name] = getattr(pt, name).tolist()
    ties, cohesions = _ties_of(model), cohesion(model)
    rows = [
        _patient(p, {k: v[i] for k, v in columns.items()}, ties[i], cohesions[i])
        for i in range(model.population.n_patients)
    ]
    return {name: np.array([row[name] for row in rows]) for name in rows[0]}


def baseline_group_fit(model: CommunityModel) -> np.ndarray:
    """Per active group tie (in slot order): its fit (and so its strength), by the reference.

    Fit is the patient's preference for the group's category over their top preference; a
    group tie starts at the strength of its fit.
    """
    s, prefs = model.dynamics.slots, model.population.patients.preferences.tolist()
    category = model.population.nodes.category.tolist()
    fits = []
    for slot in np.flatnonzero(s.active & (s.tie_type == codes.GROUP_TIE)).tolist():
        own = prefs[int(s.ego[slot])]
        fits.append(own[category[int(s.alter[slot])]] / max(own))
    return np.array(fits)
