"""The early-out before rare events takes the same decisions as the full test.

The weekly passes compare a patient's uniform number with an event's probability ``1 - exp(-h)``
only where :func:`sim.dynamics.draws.may_fall_below` says the number could fall below it, given an
upper bound of the hazard computed without exponentials (for death and admission the hazard at the
oldest age of the patient's chunk, for stopping medicines at the end of the chunk's range of
self-management that raises it most). These tests hold that shortcut to the full comparison at
the hardest numbers: the largest double below the probability, the probability itself and the
bound.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.scenario import default_scenario
from sim.dynamics import draws, health, kidney, medicines, services
from sim.dynamics.outcomes import participation
from sim.dynamics.step import mechanism_parameters
from sim.dynamics.support import introduced

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)
AGES = st.floats(18.0, 110.0)


def same_decisions(u_values: list[float], probability: float, hazard_bound: float) -> None:
    """``may_fall_below(u, bound) and u < p`` equals ``u < p`` for every ``u``."""
    for u in u_values:
        full = u < probability
        shortcut = draws.may_fall_below(u, hazard_bound) and u < probability
        assert shortcut == full, f"u={u!r} p={probability!r} bound={hazard_bound!r}"


def hardest_numbers(probability: float, hazard_bound: float) -> list[float]:
    """Numbers in [0, 1) next to the probability and the bound."""
    near = [probability, np.nextafter(probability, -np.inf), np.nextafter(probability, np.inf)]
    near += [hazard_bound, np.nextafter(hazard_bound, -np.inf), 0.0, 0.5]
    return [float(u) for u in near if 0.0 <= u < 1.0]


@SETTINGS
@given(
    ages=st.lists(AGES, min_size=1, max_size=20),
    pick=st.integers(0, 19),
    ratio=st.floats(0.1, 10.0),
    rate_72=st.floats(0.0, 1.0),
    gradient=st.floats(-0.2, 0.5),
)
def test_death_shortcut_takes_the_decisions_of_the_full_test(ages, pick, ratio, rate_72, gradient):
    age = np.array(ages)
    bound = health.death_rate_bounds(age, np.array([ratio]), rate_72, gradient, np.empty(1))[0]
    p = float(health.death_probability_of(age[pick % len(age)], ratio, rate_72, gradient))
    weekly_bound = bound / health.WEEKS_PER_YEAR
    same_decisions(hardest_numbers(p, weekly_bound), p, weekly_bound)


@SETTINGS
@given(
    ages=st.lists(AGES, min_size=1, max_size=20),
    pick=st.integers(0, 19),
    ratio=st.floats(0.1, 10.0),
    diabetes=st.booleans(),
    uncontrolled=st.booleans(),
    self_management=st.floats(0.0, 1.0),
    imbalance=st.floats(-2.0, 5.0),
    rate=st.floats(0.0, 10.0),
    hr_age=st.floats(0.1, 20.0),
    k_self=st.floats(-1.0, 20.0),
    k_imbalance=st.floats(-0.6, 20.0),
)
def test_admission_shortcut_takes_the_decisions_of_the_full_test(
    ages, pick, ratio, diabetes, uncontrolled, self_management, imbalance, rate, hr_age, k_self,
    k_imbalance,
):  # fmt: skip
    parameters = (rate, float(np.log(hr_age)), 1.4, 1.3, k_self, k_imbalance)
    age = np.array(ages)
    factor = services.admission_age_factor_bound(age, parameters)
    row = (diabetes, uncontrolled, self_management, imbalance, parameters)
    bound = services.admission_hazard_of(ratio, factor, *row) / 52.0
    p = services.admission_probability_of(ratio, age[pick % len(age)], *row)
    same_decisions(hardest_numbers(p, bound), p, bound)


@SETTINGS
@given(
    values=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20),
    pick=st.integers(0, 19),
    imbalance=st.floats(-2.0, 5.0),
    rate=st.floats(0.0, 1.0),
    k_self=st.floats(-2.0, 10.0),
    k_imbalance=st.floats(-0.9, 20.0),
)
def test_stopping_shortcut_takes_the_decisions_of_the_full_test(
    values, pick, imbalance, rate, k_self, k_imbalance
):
    self_management = np.array(values)
    factor = medicines.stopping_factor_bound(self_management, k_self)
    bound = medicines.stopping_hazard_of(factor, imbalance, rate, k_imbalance)
    s = self_management[pick % len(self_management)]
    p = float(medicines.stopping_probability_of(s, imbalance, rate, k_self, k_imbalance))
    same_decisions(hardest_numbers(p, bound), p, bound)


def test_the_bound_spares_most_patients_the_exponentials():
    """At the default rates, few numbers need the full probability, even for the frailest."""
    p = mechanism_parameters(default_scenario().values)
    age = np.linspace(45.0, 98.0, 1_000)
    u = np.random.default_rng(3).random(1_000)
    death_ratios = kidney.band_ratios(p, "history.death_hr")
    death = health.death_rate_bounds(
        age,
        death_ratios,
        p["history.death_rate_72"],
        p["history.death_age_gradient"],
        np.empty(len(death_ratios)),
    )
    parameters = services.admission_parameters(p)
    factor = services.admission_age_factor_bound(age, parameters)
    worst = max(kidney.band_ratios(p, "services.admission_hr"))
    admission = services.admission_hazard_of(worst, factor, True, True, 0.0, 1.0, parameters)
    rate, k_self, k_imbalance = medicines.stopping_parameters(p)
    factor = medicines.stopping_factor_bound(np.linspace(0.0, 1.0, 50), k_self)
    stopping = medicines.stopping_hazard_of(factor, 1.0, rate, k_imbalance)
    for bound in (*(death / health.WEEKS_PER_YEAR), admission / 52.0, stopping):
        passed = np.mean([draws.may_fall_below(x, bound) for x in u])
        assert passed < 0.1, f"expected the bound {bound:.4f} to pass few numbers, {passed:.2f}"


@SETTINGS
@given(st.one_of(st.just(0.0), st.just(-0.0), st.floats(0.0, 50.0), st.floats(0.0, 1e-300)))
def test_saturating_chances_skip_the_exponential_only_where_it_changes_nothing(x: float) -> None:
    # participation (group strength) and introductions (brokerage) return 0 without computing
    # exp(-x) when x is 0, as most patients have no group ties: the same double, sign included
    expected = 1.0 - math.exp(-x)
    for name, f in (("participation", participation), ("introduced", introduced)):
        value = float(f(x))
        assert value == expected and math.copysign(1.0, value) == math.copysign(1.0, expected), (
            f"expected {name}({x!r}) = 1 - exp(-x) = {expected!r}, got {value!r}"
        )
