"""The teaching model: usual care and an intervention arm side by side, from one seed.

``TeachingModel`` builds one small population (by default 4 practices of 50 patients) and runs it
twice with the same scenario and root seed: once with the scenario's interventions given to no
one ("usual care") and once given to every patient ("intervention"). The two arms share the
population, the baseline and every random stream (common random numbers, :mod:`sim.streams`), so
they are identical until recruitment, stay identical while the interventions are off, and any
difference between them is the effect of the intervention, not chance. This is how the virtual
trials of :mod:`sim.trial` compare arms, on a scale where each step takes milliseconds.

Week 0 is recruitment: the components given at recruitment (guidebook, PLANS, GENIE) have
already changed the intervention arm's inputs when the model is built. The model keeps its own
record of the population measures (:meth:`TeachingModel.history`), taken from the arms' state as
it is at the end of each week, so the app's table, maps and plots all read the same state; what
recruitment changed is summarised in :attr:`TeachingModel.recruitment`
(:mod:`sim.app.recruitment`).

The model takes scenario keys as keyword arguments (``**{"mechanisms.navigation.p_join":
0.02}``), which is how the app's sliders reach it: a slider is named by the scenario key it sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np

from sim.app.recruitment import Recruitment, summarise_recruitment
from sim.config.intervention_params import COMPONENTS
from sim.config.scenario import Scenario, default_scenario
from sim.model import CommunityModel, build_population
from sim.model.measures import population_measures
from sim.population import codes

#: The arms, in display order.
ARMS: tuple[str, ...] = ("usual_care", "intervention")
#: Human names of the arms.
ARM_LABELS: Mapping[str, str] = {"usual_care": "Usual care", "intervention": "Intervention"}
#: The small population the app runs (scenario keys); each step takes a few milliseconds.
SMALL_POPULATION: Mapping[str, Any] = {
    "population.n_practices": 4,
    "population.patients_per_practice": 50,
    "population.practices_per_locality": 2,
}
#: Network types of the patients whose personal communities the app shows, one patient each.
SHOWN_NETWORK_TYPES: tuple[str, ...] = ("restricted", "family", "weak_ties", "diverse")


class TeachingModel(mesa.Model):
    """Two arms of one small population, stepped together week by week.

    Args:
        seed: Root seed of the population and of both arms' random streams.
        weeks: Weeks to run before the model stops (``running`` becomes False).
        base: Scenario to start from (default: every parameter at its default).
        scenario: Ignored. Mesa's SolaraViz passes its own scenario object when it resets the
            model; this model's scenario is ``base`` with the keyword overrides.
        **overrides: Scenario keys and values applied on top of ``base`` and
            :data:`SMALL_POPULATION`, e.g. ``**{"interventions.genie.session.enabled": True}``.

    Attributes:
        seed: The root seed.
        config: The resolved scenario both arms run.
        population: The population both arms share (read-only during the run).
        arms: The two :class:`~sim.model.CommunityModel` s, keyed by :data:`ARMS`.
        week: Weeks simulated so far.
        weeks: Weeks to run.
        recruitment: What the intervention arm received at recruitment and what it changed.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        weeks: int = 104,
        base: Scenario | None = None,
        scenario: object = None,
        **overrides: Any,
    ) -> None:
        super().__init__(rng=seed)
        self.seed = seed
        base = base if base is not None else default_scenario("teaching")
        self.config = base.with_overrides({**SMALL_POPULATION, **overrides}, origin="<app>")
        self.population = build_population(self.config, seed)
        n = self.population.n_patients
        self.arms: dict[str, CommunityModel] = {
            arm: CommunityModel(
                self.config,
                seed=seed,
                population=self.population,
                arm=np.full(n, arm == "intervention"),
            )
            for arm in ARMS
        }
        self.week = 0
        self.weeks = weeks
        self.recruitment: Recruitment = summarise_recruitment(self.arms)
        self._weekly: dict[str, list[dict[str, float]]] = {arm: [] for arm in ARMS}
        self.record()

    def step(self) -> None:
        """Advance both arms one week; stop after ``weeks`` weeks."""
        for model in self.arms.values():
            model.step()
        self.week += 1
        self.running = self.week < self.weeks
        self.record()

    def record(self) -> None:
        """Record this week's population measures from the arms' state as it is now.

        Called after each step; call it again after changing the state between steps (a life
        event, say): the record of this week is then replaced.
        """
        for arm, model in self.arms.items():
            rows = self._weekly[arm]
            del rows[self.week :]
            rows.append(population_measures(model))

    def history(self, measure: str) -> dict[str, np.ndarray]:
        """A population measure (:data:`sim.model.measures.LABELS`) per arm, one value a week."""
        return {
            arm: np.array([row[measure] for row in rows], float)
            for arm, rows in self._weekly.items()
        }

    def current(self, measure: str) -> dict[str, float]:
        """A population measure in each arm this week."""
        return {arm: rows[-1][measure] for arm, rows in self._weekly.items()}

    def components(self) -> list[str]:
        """Titles of the intervention components the intervention arm receives."""
        return [
            title
            for name, (title, _) in COMPONENTS.items()
            if self.config.values.get(f"interventions.{name}.enabled", False)
        ]

    def shown_patients(self, page: int = 0) -> list[int]:
        """Patients whose communities the app shows: the ``page``-th of each shown network type.

        Network types with fewer patients wrap around; types absent from the population are
        left out.
        """
        network_type = self.population.patients.network_type
        chosen = []
        for name in SHOWN_NETWORK_TYPES:
            of_type = np.flatnonzero(network_type == codes.NETWORK_TYPES.index(name))
            if len(of_type):
                chosen.append(int(of_type[page % len(of_type)]))
        return chosen
