"""Target T7: the utility effect of starting to take part in community groups.

Munford et al. (BMJ Open 2020) followed older people with long-term conditions who started to
take part in community assets: a QALY gain of +0.017 (95% CI 0.002 to 0.032) over 6 months, that
is a mean utility gain of about +0.034 (0.004 to 0.064) over the half-year. The model measures
the same contrast as a counterfactual: two copies of one usual-care population from one seed; in
one, a random half of the patients who take part in no group join one group each at week 0 (as
navigation would choose it; :meth:`sim.dynamics.step.WeeklyDynamics.start_participation`); the
effect is the mean over weeks 1-26 of the utility difference of those patients between the
copies (alive in both), so it includes every knock-on of joining (self-efficacy, support,
loneliness, collective efficacy) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.scenario import Scenario
from sim.model import CommunityModel, build_population
from sim.population import codes
from sim.streams import generator


@dataclass(frozen=True)
class ParticipationEffect:
    """The measured effect of starting participation.

    Attributes:
        effect: Mean utility gain over the weeks, starters against themselves not starting.
        starters: Patients who joined a group at week 0.
        weeks: Weeks followed.
    """

    effect: float
    starters: int
    weeks: int


def participation_effect(scenario: Scenario, seed: int, weeks: int = 26) -> ParticipationEffect:
    """Measure T7 on ``scenario`` (usual care) from ``seed`` (see the module docstring)."""
    population = build_population(scenario, seed)
    plain = CommunityModel(scenario, seed=seed, population=population, agents=False, measures=False)
    joined = CommunityModel(
        scenario, seed=seed, population=population, agents=False, measures=False
    )
    slots = joined.dynamics.slots
    in_group = np.zeros(population.n_patients, bool)
    in_group[slots.ego[slots.active & (slots.tie_type == codes.GROUP_TIE)]] = True
    rng = generator(seed, "experiment", "t7")
    candidates = np.flatnonzero(~in_group & joined.dynamics.patients.alive)
    chosen = candidates[rng.random(len(candidates)) < 0.5]
    before = joined.dynamics.patients.joined.copy()
    joined.weekly.start_participation(chosen, rng)
    starters = chosen[joined.dynamics.patients.joined[chosen] > before[chosen]]
    gains = []
    for _ in range(weeks):
        plain.step()
        joined.step()
        a, b = plain.dynamics.patients, joined.dynamics.patients
        alive = a.alive[starters] & b.alive[starters]
        gains.append(float(np.mean(b.utility[starters][alive] - a.utility[starters][alive])))
    return ParticipationEffect(float(np.mean(gains)), len(starters), weeks)
