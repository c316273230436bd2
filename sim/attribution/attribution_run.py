"""Attribute an intervention's true effect to the network mechanisms by Shapley values.

The players are the mechanisms of :data:`sim.config.mechanism_params.SWITCHES` that the scenario has
switched on (any it switches off stay off throughout). For every subset ``S`` of them the
scenario is run with the mechanisms in ``S`` on and the others off, and ``v(S)`` is the
intervention's true effect: everyone given the intervention against no one, on the same
practice populations with common random numbers, as in the virtual trial's ``truth``
(:mod:`sim.trial.batch`), averaged over ``N`` replicate practice populations. Every subset uses
the same seeds, populations, allocations and random streams, so differences between subsets are
the mechanisms' doing, not chance.

Effects are on additive scales, so that contributions add up: mean differences (intervention
minus usual care, among patients alive under both) in EQ-5D-3L utility, heiQ and cost, and the
*risk difference* in BP control in percentage points. (The trial reports BP control as an odds
ratio; odds ratios are neither additive nor collapsible, so they are not attributed.) For the
linear outcomes a population's mean difference is exactly the ANCOVA-adjusted true effect the
trial reports for it, since both conditions share every patient's baseline (the trial pools the
replicates of a batch; here replicates are averaged with equal weight).

Replicates are simulated in batches of ``trial.batch_size`` as the trial does (replicate ``r``
has the trial's population and allocation for replicate ``r``); each (subset, batch) pair is one
job for a worker process, and results are put back in order, so they depend on the seed, ``N``
and the batch size, never on the number of workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.attribution import DEFAULT_REPLICATES, NONE, TOTAL
from sim.attribution.shapley import coalitions, shapley_values
from sim.config.mechanism_params import SWITCHES
from sim.config.scenario import Scenario, ScenarioError
from sim.parallel import batches, ordered_map
from sim.trial.batch import simulate_batch, trial_scenario
from sim.trial.design import TrialDesign


@dataclass(frozen=True)
class Measure:
    """An effect measure: label, unit and scale, and the outcome column it is taken from."""

    label: str
    unit: str
    scale: str
    column: str
    factor: float = 1.0


#: Outcome -> how its effect is measured (additive scales).
MEASURES: dict[str, Measure] = {
    "eq5d": Measure("EQ-5D-3L utility", "utility", "difference", "eq5d"),
    "bp_controlled": Measure(
        "BP controlled (NICE 2008)",
        "percentage points",
        "risk difference",
        "controlled",
        100.0,
    ),
    "heiq": Measure("heiQ positive and active engagement", "score 1-4", "difference", "heiq"),
    "cost": Measure("Cost: health service and intervention", "GBP", "difference", "cost"),
}
#: Human labels of the mechanisms.
LABELS: dict[str, str] = {name: name.replace("_", " ").capitalize() for name in SWITCHES}


def check_intervention(scenario: Scenario) -> list[str]:
    """The enabled intervention components' keys; ScenarioError if there are none."""
    keys = [k for k in scenario.values if k.startswith("interventions.") and k.endswith(".enabled")]
    enabled = [k for k in keys if scenario[k]]
    if not enabled:
        raise ScenarioError(
            scenario.path or "<scenario>",
            "interventions",
            "no intervention component is enabled, so there is no effect to attribute; expected "
            f"at least one of {', '.join(keys)} = true",
        )
    return enabled


def players(scenario: Scenario) -> tuple[str, ...]:
    """The mechanisms switched on in the scenario (in the order of SWITCHES)."""
    return tuple(m for m in SWITCHES if scenario[f"mechanisms.switches.{m}"])


def with_mechanisms(scenario: Scenario, on: frozenset[str] | set[str]) -> Scenario:
    """The scenario with the mechanisms in ``on`` switched on and every other one off."""
    unknown = set(on) - set(SWITCHES)
    if unknown:
        raise ValueError(f"unknown mechanisms {sorted(unknown)}; expected some of {list(SWITCHES)}")
    return scenario.with_overrides(
        {f"mechanisms.switches.{m}": m in on for m in SWITCHES}, origin="<attribution>"
    )


def replicate_effects(columns: dict[str, np.ndarray], replicates: range) -> np.ndarray:
    """Per replicate, each measure's true effect; shape (replicates, measures).

    The effect is the mean, over the replicate's patients alive under both conditions, of the
    intervention outcome minus the usual-care outcome (times the measure's factor).
    """
    alive = columns["alive_usual"] & columns["alive_intervention"]
    out = np.full((len(replicates), len(MEASURES)), np.nan)
    for i, r in enumerate(replicates):
        rows = alive & (columns["replicate"] == r)
        if not rows.any():
            continue
        for j, m in enumerate(MEASURES.values()):
            treated = columns[f"{m.column}_intervention"][rows].astype(float)
            usual = columns[f"{m.column}_usual"][rows].astype(float)
            out[i, j] = m.factor * float(np.mean(treated - usual))
    return out


def _job(args: tuple) -> np.ndarray:
    scenario, design, seed, batch, replicates = args
    simulated = simulate_batch(scenario, design, seed, batch, replicates)
    return replicate_effects(simulated.columns, replicates)


@dataclass
class Attribution:
    """The value of every subset of mechanisms and the Shapley decomposition.

    Attributes:
        scenario: The scenario's name.
        title: The scenario's title.
        seed: Root seed.
        mechanisms: The players: mechanisms switched on in the scenario.
        held_off: Mechanisms the scenario switches off (off in every subset).
        values: ``v(S)`` per replicate, shape (subsets, replicates, measures); subset ``k`` holds
            mechanism ``i`` when bit ``i`` of ``k`` is set (:func:`coalitions`).
        design: The trial design (practices, practice size, outcome week, batch size).
        seconds: Wall-clock seconds of the simulations.
        ensemble_members: Parameter sets the replicates were spread over (0: none; replicate
            ``r`` ran member ``r mod K``, see :mod:`sim.calibration.ensemble_run`).
    """

    scenario: str
    title: str
    seed: int
    mechanisms: tuple[str, ...]
    held_off: tuple[str, ...]
    values: np.ndarray
    design: TrialDesign
    seconds: float
    ensemble_members: int = 0

    @property
    def replicates(self) -> int:
        """Replicate practice populations behind each v(S)."""
        return self.values.shape[1]

    def coalitions(self) -> list[frozenset]:
        """The subsets of mechanisms, in the order of :attr:`values`."""
        return coalitions(self.mechanisms)

    def _mean(self) -> dict[frozenset, np.ndarray]:
        """v(S): the mean over replicates, per measure."""
        return dict(zip(self.coalitions(), self.values.mean(axis=1), strict=True))

    def subsets(self) -> pd.DataFrame:
        """Every subset's v(S) per outcome (mean over replicates and its standard error)."""
        n = self.replicates
        se = (
            self.values.std(axis=1, ddof=1) / np.sqrt(n)
            if n > 1
            else np.full_like(self.values[:, 0], np.nan)
        )
        rows = []
        for k, (s, mean) in enumerate(
            zip(self.coalitions(), self.values.mean(axis=1), strict=True)
        ):
            on = [m for m in self.mechanisms if m in s]
            for j, (outcome, m) in enumerate(MEASURES.items()):
                rows.append(
                    {
                        "subset": k,
                        "mechanisms_on": ", ".join(on) if on else "none",
                        "n_on": len(on),
                        **{f"on_{name}": name in s for name in SWITCHES},
                        "outcome": outcome,
                        "scale": m.scale,
                        "unit": m.unit,
                        "value": float(mean[j]),
                        "se": float(se[k, j]),
                    }
                )
        return pd.DataFrame(rows)

    def contributions(self) -> pd.DataFrame:
        """The attribution: per outcome, v(empty), each mechanism's Shapley value and v(all).

        ``contribution`` is the Shapley value of the mean game (so that the mechanisms' values
        sum to v(all) - v(empty) up to rounding); ``se`` is its standard error over replicates
        (Shapley values are linear in v, so the per-replicate values average to it); ``share``
        is the contribution as a share of v(all) - v(empty).
        """
        every = self.coalitions()
        mean = self._mean()
        per_replicate = dict(zip(every, self.values, strict=True))
        phi = shapley_values(self.mechanisms, mean)
        phi_r = shapley_values(self.mechanisms, per_replicate)
        empty, full = every[0], every[-1]
        n = self.replicates

        def se(x: np.ndarray) -> np.ndarray:
            return x.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(x.shape[1], np.nan)

        rows = []
        network = mean[full] - mean[empty]
        for j, (outcome, m) in enumerate(MEASURES.items()):
            base = {"outcome": outcome, "label": m.label, "scale": m.scale, "unit": m.unit}
            entries = [(NONE, mean[empty][j], se(per_replicate[empty])[j])]
            entries += [(name, phi[name][j], se(phi_r[name])[j]) for name in self.mechanisms]
            entries += [(TOTAL, mean[full][j], se(per_replicate[full])[j])]
            for mechanism, value, error in entries:
                share = np.nan
                if mechanism not in (NONE, TOTAL) and network[j] != 0:
                    share = value / network[j]
                rows.append(
                    {
                        **base,
                        "mechanism": mechanism,
                        "contribution": float(value),
                        "se": float(error),
                        "share_of_network_part": float(share),
                    }
                )
        return pd.DataFrame(rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tidy tables written to ``tables/``."""
        return {"attribution": self.contributions(), "subsets": self.subsets()}

    def markdown(self) -> str:
        """The attribution as a Markdown report: one table with a paragraph explaining it."""
        from sim.attribution.attribution_report import markdown

        return markdown(self)

    def figure(self) -> Figure:
        """Horizontal bar charts of the primary outcomes' attribution."""
        from sim.plots.attribution import plot_attribution

        return plot_attribution(self.contributions(), self.title or self.scenario)


def attribute(
    scenario: Scenario,
    *,
    replicates: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    ensemble=None,
) -> Attribution:
    """Evaluate v(S) for every subset of the scenario's mechanisms.

    Args:
        scenario: A resolved scenario with at least one intervention component enabled (its
            ``[trial]`` keys give the practices, practice size, outcome week and batch size).
        replicates: Replicate practice populations per subset (default
            :data:`DEFAULT_REPLICATES`).
        workers: Worker processes (default: every core); results do not depend on it.
        seed: Root seed (default ``run.seed``).
        progress: Called with (jobs done, jobs in all) after each (subset, batch) job.
        ensemble: Spread the replicates over these calibrated parameter sets (replicate ``r``
            runs member ``r mod K`` on its own practice population,
            :mod:`sim.calibration.ensemble_run`), so that the standard errors carry parameter
            uncertainty too; None for the scenario's own values.

    Raises:
        ScenarioError: if no intervention is enabled or the ``[trial]`` keys contradict each
            other.
        ValueError: if ``replicates`` or ``workers`` is below 1.
    """
    check_intervention(scenario)
    design = TrialDesign.of(scenario)
    n = DEFAULT_REPLICATES if replicates is None else replicates
    if n < 1:
        raise ValueError(f"replicates must be >= 1, got {n}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    seed = scenario["run.seed"] if seed is None else seed
    workers = (os.cpu_count() or 1) if workers is None else workers
    mechanisms = players(scenario)
    held_off = tuple(m for m in SWITCHES if m not in mechanisms)
    members, parts = _members(scenario, design, n, ensemble)
    # v(S) needs only the everyone / no-one pair, never the trial's shared-world run
    pair = replace(design, shared_world=False)
    jobs = (  # taken lazily
        (with_mechanisms(members[m], s), pair, seed, b, r)
        for s in coalitions(mechanisms)
        for m, b, r in parts
    )
    total = 2 ** len(mechanisms) * len(parts)
    started = time.perf_counter()
    results: list[np.ndarray] = []
    for done, result in enumerate(ordered_map(_job, jobs, workers, __name__), start=1):
        results.append(result)
        if progress is not None:
            progress(done, total)
    values = _assemble(results, 2 ** len(mechanisms), parts, n)
    return Attribution(
        scenario.name,
        scenario.title,
        seed,
        mechanisms,
        held_off,
        values,
        design,
        time.perf_counter() - started,
        0 if ensemble is None else len(ensemble),
    )


def _members(scenario: Scenario, design: TrialDesign, n: int, ensemble) -> tuple[list, list]:
    """The trial scenarios to run, and the (member, batch number, replicates) of each job."""
    if ensemble is None:
        parts = [(0, b, r) for b, r in enumerate(batches(n, design.batch_size))]
        return [trial_scenario(scenario, design)], parts
    from sim.calibration.ensemble_run import member_batches, member_scenario

    members = [
        trial_scenario(member_scenario(scenario, ensemble, m), design) for m in range(len(ensemble))
    ]
    return members, member_batches(n, len(ensemble), design.batch_size)


def _assemble(results: list[np.ndarray], subsets: int, parts: list, n: int) -> np.ndarray:
    """v(S) per subset and replicate, whichever job simulated each replicate."""
    queue = iter(results)
    values = []
    for _ in range(subsets):
        rows = np.full((n, results[0].shape[1]), np.nan)
        for _, _, replicates in parts:
            rows[list(replicates)] = next(queue)
        values.append(rows)
    return np.stack(values)
