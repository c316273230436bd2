"""The Mesa model: builds the population, creates agents over its arrays and advances weekly.

``CommunityModel(scenario)`` builds (or reads) the population, gives every node a Mesa agent
(:mod:`sim.model.agents`) whose attributes are views over the arrays (created when first asked
for: :mod:`sim.model.agent_sets`), and records population measures with a Mesa
``DataCollector``. The resolved scenario is ``model.config`` (Mesa itself owns
``model.scenario``).

Building a model: draw the state before the warm-up, run ``run.warmup_weeks`` weeks of usual care
with the clinical clock held and recruit (:mod:`sim.dynamics.warmup`), record week 0, then deliver
the intervention components scheduled for week 0, recruitment (:mod:`sim.interventions`). Trial
arms built from one warm-up (``start=``) share everything up to recruitment. The warm-up is not
Mesa steps: ``model.steps`` counts weeks from recruitment.

Step order (one step = one week after recruitment):
    1. Mesa counts the step in ``model.steps`` (the week, also read as ``model.week``); deliver
       the components scheduled for this week to the patients of the arm (they change mechanism
       inputs only: ODD 7.10);
    2. run the mechanisms over all agents at once, in the order documented in
       :mod:`sim.dynamics.step` (work, knowledge, resources, collective efficacy, balance,
       health, outcomes, navigation, negotiation);
    3. collect population measures, and every patient's state at ``outputs.patient_weeks``.

Random numbers: the population build, the baseline, the dynamics and the interventions draw only
from named streams of the root seed (:func:`sim.streams.generator`: "population", "community",
"baseline", "dynamics/...", "interventions/..."), so trial arms share them. Mesa's
``model.rng`` is the stream "mesa" of the same root seed, and Mesa seeds ``model.random`` from
it; nothing in the model draws from either, so user code may (``model.agents.shuffle_do(...)``)
without changing the simulation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import mesa
import networkx as nx
import numpy as np

from sim.config.scenario import Scenario, default_scenario
from sim.dynamics.baseline import make_dynamics
from sim.dynamics.navigation import GroupIndex
from sim.dynamics.state import Dynamics
from sim.dynamics.step import WeeklyDynamics
from sim.dynamics.ties import end_slots
from sim.dynamics.warmup import Start, restore, snapshot, warm_up
from sim.interventions import Interventions, make_components
from sim.model.agent_sets import NodeAgents
from sim.model.measures import LABELS, patient_snapshot, population_measures
from sim.population import codes
from sim.population.arrays import Population
from sim.population.cohort import make_patients
from sim.population.community import make_population
from sim.streams import generator


def build_population(scenario: Scenario, seed: int | None = None) -> Population:
    """Build the population a scenario describes (synthetic, or read from survey files).

    Args:
        scenario: Resolved scenario.
        seed: Root seed; defaults to ``run.seed``. Uses the streams "population" and "community".
    """
    seed = scenario["run.seed"] if seed is None else seed
    if scenario["population.source"] == "survey":
        from sim.population.survey import load_survey_population

        return load_survey_population(scenario)
    patients, deprived = make_patients(scenario, generator(seed, "population"))
    return make_population(scenario, patients, deprived, generator(seed, "community"))


def recruitment_start(scenario: Scenario, population: Population, seed: int) -> Start:
    """Draw the state, warm it up and recruit: the start every arm of a trial shares.

    Args:
        scenario: Resolved scenario (its interventions are not delivered here).
        population: The population.
        seed: Root seed (streams "baseline" and the mechanisms' streams).
    """
    dynamics = make_dynamics(
        population, scenario.section("mechanisms"), generator(seed, "baseline")
    )
    weekly = WeeklyDynamics(population, dynamics, scenario.values, seed)
    warm_up(weekly, int(scenario["run.warmup_weeks"]))
    return snapshot(weekly)


class CommunityModel(NodeAgents):
    """Patients and their personal communities as Mesa agents over shared numpy state.

    Args:
        scenario: Resolved scenario (default: every parameter at its default).
        seed: Root seed; defaults to the scenario's ``run.seed``. Mesa's ``rng`` is its stream
            "mesa" (see the module docstring).
        population: A prebuilt population to use instead of building one (it is used as is,
            not copied).
        arm: Per patient, True if they receive the scenario's interventions (default: every
            patient; in a virtual trial, the randomised intervention arm).
        agents: Give the nodes Mesa agents (False for batch runs that only read the arrays;
            then ``model.agents`` holds no node agents and ``agent_at`` raises).
        measures: Record population measures every week (False for batch runs that only read
            ``patient_records``; then ``measure`` and the DataCollector are empty).
        start: A state at recruitment to continue from (:func:`recruitment_start` of the same
            scenario, population and seed) instead of drawing the state and warming up: trial
            arms share one warm-up.
        warm_up: Warm up and recruit now (False: leave the model at its state before the
            warm-up; call :meth:`warm_up` before stepping; for the per-agent reference).

    Attributes:
        config: The resolved scenario.
        seed: The root seed of every random stream.
        population: The population arrays (baseline structure).
        dynamics: The dynamic state arrays (current ties, stocks, outcomes).
        weekly: The mechanisms bound to this model's arrays and random streams.
        arm: Per patient, True if they receive the interventions.
        interventions: The scenario's intervention components bound to the arm.
        week: Weeks simulated since recruitment: Mesa's step counter ``model.steps``.
        moved_away: Per patient, True if the patient's agent was removed while alive.
        datacollector: Population measures, one row per week (week 0 = recruitment).
        patient_records: Per-patient snapshots taken at ``outputs.patient_weeks``.
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        seed: int | None = None,
        population: Population | None = None,
        arm: np.ndarray | None = None,
        agents: bool = True,
        measures: bool = True,
        start: Start | None = None,
        warm_up: bool = True,
    ) -> None:
        config = scenario if scenario is not None else default_scenario()
        seed = int(config["run.seed"] if seed is None else seed)
        super().__init__(rng=generator(seed, "mesa"))
        self.config = config
        self.seed = seed
        self.population = population if population is not None else build_population(config, seed)
        self._set_nodes(self.population.nodes.kind if agents else None)
        self.moved_away = np.zeros(self.population.n_patients, bool)
        if start is None:
            self.dynamics: Dynamics = make_dynamics(
                self.population, config.section("mechanisms"), generator(seed, "baseline")
            )
        else:
            self.dynamics = start.dynamics.copy()
        self.weekly = WeeklyDynamics(self.population, self.dynamics, config.values, seed)
        self._measures: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in LABELS}
        )
        self.patient_records: list = []
        self._collect = measures
        self.arm = _arm_mask(arm, self.population.n_patients)
        self.interventions: Interventions | None = None
        if start is not None:
            restore(self.weekly, start)
            self._open_trial()
        elif warm_up:
            self.warm_up()

    def warm_up(self, each_week: Callable[[int], None] | None = None) -> None:
        """Run the warm-up (``run.warmup_weeks`` weeks of usual care), recruit, open the trial.

        Args:
            each_week: Called with the week of the warm-up after each week (for checks).
        """
        if self.interventions is not None:
            raise RuntimeError("the model is already warmed up and recruited")
        warm_up(self.weekly, int(self.config["run.warmup_weeks"]), each_week)
        self._open_trial()

    def _open_trial(self) -> None:
        """Week 0: record the state at recruitment, deliver the week-0 components."""
        self.interventions = Interventions(
            make_components(self.config.values),
            self.population,
            self.dynamics,
            self.arm,
            self.seed,
            self.weekly.groups.available,
            frozenset(name for name, on in self.weekly.switch.items() if not on),
        )
        self._record()
        self.interventions.apply(0)

    @property
    def week(self) -> int:
        """Weeks simulated so far (Mesa's ``steps``: one step is one week)."""
        return self.steps

    def step(self) -> None:
        """Advance one week (see the module docstring for the order of operations)."""
        if self.interventions is None:
            raise RuntimeError("warm the model up (CommunityModel.warm_up) before stepping it")
        self.interventions.apply(self.steps)
        self.weekly.step()
        self._record()

    def _record(self) -> None:
        if self._collect:
            self._measures = population_measures(self)
            self.datacollector.collect(self)
        if self.week in self.config["outputs.patient_weeks"]:
            self.patient_records.append(patient_snapshot(self))

    def run(self, weeks: int | None = None, progress: bool = False) -> None:
        """Run ``weeks`` steps (default: the scenario's ``run.weeks``), optionally with a bar."""
        weeks = self.config["run.weeks"] if weeks is None else weeks
        steps = range(weeks)
        if progress:
            from tqdm import tqdm

            steps = tqdm(steps, desc=f"{self.config.name} seed {self.seed}", unit="week")
        for _ in steps:
            self.step()

    def measure(self, name: str) -> float:
        """The latest value of a population measure (see :data:`sim.model.measures.LABELS`)."""
        return self._measures[name]

    def ties_of(self, node: int) -> np.ndarray:
        """Current tie slots (in ``dynamics.slots``) in which ``node`` is the patient or member."""
        slots = self.dynamics.slots
        if node < self.population.n_patients:
            lo, hi = self.dynamics.starts[node], self.dynamics.block_end[node]
            return lo + np.flatnonzero(slots.active[lo:hi])
        return np.flatnonzero(slots.active & (slots.alter == node))

    def leave(self, node: int) -> None:
        """Take node ``node`` out of the dynamics (``agent.remove()`` calls this).

        Every current tie of the node ends (:meth:`ties_of`). A patient stops taking part as if
        dead (``alive`` becomes False; if alive until now, ``moved_away`` marks them, so measures
        do not count a death); a group is taken out of the groups patients can join.
        """
        self._create_agents()  # register every agent first, so Mesa can deregister this one
        ended = self.ties_of(node)
        if node < self.population.n_patients:
            alive = self.dynamics.patients.alive
            self.moved_away[node] |= alive[node]
            alive[node] = False
        elif self.population.nodes.kind[node] == codes.GROUP:
            nodes = self.population.nodes
            _close_group(self.weekly.groups, node, nodes.locality[node], nodes.category[node])
        end_slots(self.dynamics.slots, self.weekly.masks, ended, self.weekly.sentinel)

    @cached_property
    def graph(self) -> nx.Graph:
        """The whole population as one networkx graph (built on first use; sim.population.graph)."""
        from sim.population.graph import make_graph

        return make_graph(self.population)


def _arm_mask(arm: np.ndarray | None, n_patients: int) -> np.ndarray:
    """The arm as a boolean mask over patients (every patient when ``arm`` is None)."""
    if arm is None:
        return np.ones(n_patients, bool)
    mask = np.asarray(arm, dtype=bool)
    if mask.shape != (n_patients,):
        raise ValueError(f"arm has shape {mask.shape}; expected ({n_patients},), one per patient")
    return mask


def _close_group(groups: GroupIndex, node: int, locality: int, category: int) -> None:
    """Take a group out of those patients can join, in place (the interventions share the index).

    Its (locality, category) cell keeps the remaining groups in node order and counts one fewer,
    as if the index were built without it.
    """
    start, count = groups.offsets[locality, category], groups.available[locality, category]
    cell = groups.nodes[start : start + count]
    at = np.flatnonzero(cell == node)
    if not len(at):
        return  # closed already
    cell[at[0] :] = np.append(cell[at[0] + 1 :], node)
    groups.available[locality, category] -= 1


def _reporter(name: str):
    """A DataCollector reporter reading one measure computed once per step."""
    return lambda model: model.measure(name)
