"""Direction of effect of the clinical core, averaged over seeds with common random numbers.

Each test warms one usual-care population up once, then runs two copies of the same state at
recruitment (the same patients, networks and random numbers), one of them changed in one respect,
and asserts the direction the evidence and the mechanisms' docstrings predict:
lower kidney function gives more admissions (Go et al. 2004); an added professional tie adds
contacts and cost (a professional's time is service use); the same patient, made worse, receives
more help from the same network (Reeves et al. 2014); EQ-5D falls when functional limitation
rises; stopping medicines raises systolic BP; without reviews BP control declines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from sim.config.scenario import Scenario, load_scenario
from sim.dynamics.state import by_tie_type
from sim.dynamics.warmup import Start
from sim.model import CommunityModel, build_population, recruitment_start
from sim.population import codes

USUAL_CARE = Path(__file__).resolve().parents[1] / "scenarios" / "usual_care.toml"
SEEDS = (21, 22, 23)
SMALL = {"population.n_practices": 8}


def usual_care(**overrides: object) -> Scenario:
    return load_scenario(USUAL_CARE).with_overrides({**SMALL, **overrides})


def paired(
    change: Callable[[Start, Scenario], None],
    measure: Callable[[CommunityModel], float],
    weeks: int = 26,
    scenario: Scenario | None = None,
) -> tuple[float, float]:
    """Mean of ``measure`` over seeds: as it is, and with ``change`` made at recruitment."""
    scenario = scenario or usual_care()
    plain, changed = [], []
    for seed in SEEDS:
        population = build_population(scenario, seed)
        start = recruitment_start(scenario, population, seed)
        for out, edit in ((plain, None), (changed, change)):
            own = replace(start, dynamics=start.dynamics.copy())
            if edit is not None:
                edit(own, scenario)
            model = CommunityModel(
                scenario, seed=seed, population=population, start=own, agents=False
            )
            model.run(weeks)
            out.append(measure(model))
    return float(np.mean(plain)), float(np.mean(changed))


def test_lower_egfr_gives_more_admissions():
    def lower(start: Start, _: Scenario) -> None:
        start.dynamics.patients.egfr -= 15.0

    plain, lowered = paired(lower, lambda m: m.dynamics.patients.admissions.mean())
    assert lowered > plain, (
        f"expected more admissions per patient over 26 weeks with true eGFR 15 lower (Go et al. "
        f"2004), got {lowered:.4f} vs {plain:.4f}"
    )


def _add_professional(start: Start, scenario: Scenario, population) -> None:
    """Give every patient with a free slot a tie to a professional of their practice."""
    d, p = start.dynamics, scenario.section("mechanisms")
    s, nodes = d.slots, population.nodes
    professionals = np.flatnonzero(nodes.kind == codes.PROFESSIONAL_NODE)
    practice = population.patients.practice
    for i in range(population.n_patients):
        block = range(d.starts[i], d.block_end[i])
        free = [j for j in block if not s.active[j]]
        tied = {int(s.alter[j]) for j in block if s.active[j]}
        options = [n for n in professionals if nodes.practice[n] == practice[i] and n not in tied]
        if not free or not options:
            continue
        j, member = free[0], options[0]
        s.alter[j], s.active[j], s.weak[j] = member, True, False
        s.tie_type[j], s.circle[j], s.proximity[j] = codes.PROFESSIONAL, codes.MIDDLE, codes.NEARBY
        s.contact[j] = scenario["network.contact_per_week.professional"]
        s.strength[j] = s.quality[j] = s.share[j] = s.fit[j] = 1.0
        s.lay_source[j] = by_tie_type(p, "knowledge.lay_source")[codes.PROFESSIONAL]
        s.broker[j] = d.members.broker[member]


def test_an_added_professional_tie_adds_contacts_and_cost():
    scenario = usual_care()
    results = {}
    for name, measure in (
        ("contacts", lambda m: m.dynamics.patients.cost_contacts.mean()),
        ("cost", lambda m: m.dynamics.patients.cost.mean()),
    ):
        plain, added = [], []
        for seed in SEEDS:
            population = build_population(scenario, seed)
            start = recruitment_start(scenario, population, seed)
            for out, edit in ((plain, False), (added, True)):
                own = replace(start, dynamics=start.dynamics.copy())
                if edit:
                    _add_professional(own, scenario, population)
                model = CommunityModel(
                    scenario, seed=seed, population=population, start=own, agents=False
                )
                model.run(26)
                out.append(measure(model))
        results[name] = (float(np.mean(plain)), float(np.mean(added)))
    for name, (plain, added) in results.items():
        assert added > plain, (
            f"expected a professional tie for every patient to add primary-care {name} (its "
            f"time is service use, not lay substitution); got {added:.2f} vs {plain:.2f} GBP"
        )


def _worse(start: Start, _: Scenario) -> None:
    """The same patients, more limited in function (limitation 0.2 higher)."""
    start.dynamics.patients.limitation_noise += 0.2


def test_the_same_patient_made_worse_receives_more_help_from_the_same_network():
    def received_now(model: CommunityModel) -> float:
        return float(model.dynamics.patients.received.sum(axis=1).mean())

    plain, worse = paired(_worse, received_now, weeks=4)
    assert worse > plain, (
        f"expected patients made more limited to receive more hours of help a week from the "
        f"same members (help follows need; Reeves et al. 2014), got {worse:.3f} vs {plain:.3f}"
    )
    plain_m, worse_m = paired(_worse, lambda m: m.dynamics.patients.mobilisation.mean(), weeks=1)
    assert worse_m > plain_m, (
        f"expected a worsening to mobilise help, got mobilisation {worse_m:.4f} vs {plain_m:.4f}"
    )


def test_eq5d_falls_when_functional_limitation_rises():
    plain, worse = paired(_worse, lambda m: m.measure("eq5d"))
    assert worse < plain, (
        f"expected lower EQ-5D utility after 26 weeks with functional limitation 0.2 higher, "
        f"got {worse:.4f} vs {plain:.4f}"
    )


def test_stopping_medicines_raises_systolic_bp():
    scenario = usual_care(**{"mechanisms.health.reviews_after_recruitment": False})

    def stop(start: Start, _: Scenario) -> None:
        start.dynamics.patients.persisting[:] = False

    plain, stopped = paired(stop, lambda m: m.measure("sbp"), weeks=8, scenario=scenario)
    assert stopped > plain + 1.0, (
        f"expected systolic BP to rise when every patient stops their antihypertensives, got "
        f"{stopped:.1f} vs {plain:.1f} mmHg"
    )


def test_without_reviews_bp_control_declines():
    controlled = {}
    for reviews in (True, False):
        scenario = usual_care(**{"mechanisms.health.reviews_after_recruitment": reviews})
        values = []
        for seed in SEEDS:
            model = CommunityModel(scenario, seed=seed, agents=False)
            start = model.measure("bp_controlled_true")
            model.run(52)
            values.append((start, model.measure("bp_controlled_true")))
        controlled[reviews] = np.mean(values, axis=0)
    with_end, (without_start, without_end) = controlled[True][1], controlled[False]
    assert without_end < without_start, (
        f"expected BP control to decline over a year without reviews (persistence falls, BP "
        f"drifts), got {without_start:.3f} -> {without_end:.3f}"
    )
    assert without_end < with_end, (
        f"expected less BP control after a year without reviews than with them, got "
        f"{without_end:.3f} vs {with_end:.3f}"
    )
