"""Synthetic cohort of patients with stage 3 CKD, grouped into practices and localities.

Marginals follow the BRIGHT trial population (Blakeman et al., PLoS One 2014; dossier T1): age
72.1 (SD 9.1) with 42.7% aged 75+, 58.5% women, the CKD stage and proteinuria mix, education, and
hypertension (88%, RRID cohort 2013). Attributes are drawn independently (assumption).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sim.config.age_distribution import skewnorm_for
from sim.config.scenario import AGE_SHAPE, Scenario, joint_error
from sim.population import codes
from sim.population.arrays import Patients


def draw_ages(scenario: Scenario, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ages from the fitted skew-normal, truncated to [age_min, age_max] by redrawing."""
    try:
        a, loc, scale = skewnorm_for(*(scenario[k] for k in AGE_SHAPE))
    except ValueError as exc:
        problem = f"cannot hold together: {exc}"
        raise joint_error(scenario.values, scenario.origins, AGE_SHAPE, problem) from None
    low, high = scenario["population.age_min"], scenario["population.age_max"]
    ages = stats.skewnorm.rvs(a, loc, scale, size=n, random_state=rng)
    for _ in range(100):
        bad = (ages < low) | (ages > high)
        if not bad.any():
            break
        ages[bad] = stats.skewnorm.rvs(a, loc, scale, size=int(bad.sum()), random_state=rng)
    return np.clip(ages, low, high)


def draw_categorical(rng: np.random.Generator, probs: list[float], n: int) -> np.ndarray:
    """Draw n category codes with the given probabilities (inverse CDF; int8)."""
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int8)


def make_patients(scenario: Scenario, rng: np.random.Generator) -> tuple[Patients, np.ndarray]:
    """Build the synthetic cohort.

    Args:
        scenario: Resolved scenario (keys ``population.*`` and ``network.share_*``).
        rng: The "population" random stream.

    Returns:
        The patients and, per locality, whether it is deprived.
    """
    s = scenario.section("population")
    n_practices, per_practice = s["n_practices"], s["patients_per_practice"]
    n = n_practices * per_practice
    practice = np.repeat(np.arange(n_practices, dtype=np.int32), per_practice)
    locality = (practice // s["practices_per_locality"]).astype(np.int32)
    n_localities = int(locality.max()) + 1
    deprived = rng.random(n_localities) < s["p_locality_deprived"]

    age = draw_ages(scenario, n, rng)
    female = rng.random(n) < s["p_female"]
    stage_mix = draw_categorical(
        rng,
        [
            s["p_stage_3a_no_proteinuria"],
            s["p_stage_3a_proteinuria"],
            s["p_stage_3b_no_proteinuria"],
            s["p_stage_3b_proteinuria"],
        ],
        n,
    )
    education = draw_categorical(
        rng,
        [s["p_no_qualifications"], 1 - s["p_no_qualifications"] - s["p_degree"], s["p_degree"]],
        n,
    )
    hypertension = rng.random(n) < s["p_hypertension"]
    diabetes = rng.random(n) < s["p_diabetes"]
    household = draw_categorical(
        rng,
        [
            s["p_lives_with_partner"],
            s["p_lives_alone"],
            1 - s["p_lives_with_partner"] - s["p_lives_alone"],
        ],
        n,
    )
    network_type = draw_categorical(
        rng, [scenario[f"network.share_{t}"] for t in codes.NETWORK_TYPES], n
    )
    # A restricted network is a partner and/or one co-resident relative (Vassilev et al. 2016),
    # so it needs someone at home: patients living alone who drew it get a minimal-family network.
    restricted, minimal = (codes.NETWORK_TYPES.index(t) for t in ("restricted", "minimal_family"))
    network_type[(network_type == restricted) & (household == codes.ALONE)] = minimal
    alpha = np.full(len(codes.ACTIVITY_CATEGORIES), scenario["network.preference_concentration"])
    preferences = rng.dirichlet(alpha, size=n)
    patients = Patients(
        age=age,
        female=female,
        stage=(stage_mix >= 2).astype(np.int8),
        proteinuria=np.isin(stage_mix, (1, 3)),
        education=education,
        hypertension=hypertension,
        diabetes=diabetes,
        household=household,
        network_type=network_type,
        practice=practice,
        locality=locality,
        preferences=preferences,
    )
    return patients, deprived
