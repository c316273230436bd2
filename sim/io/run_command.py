"""Run one scenario end to end and write its run folder (the work behind ``sim run``)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario
from sim.io.provenance import provenance
from sim.io.runfolder import run_folder, write_figures, write_json, write_tables
from sim.model import CommunityModel
from sim.population import codes
from sim.population.arrays import Population
from sim.population.netstats import network_statistics
from sim.streams import replicate_seed


def patient_table(model: CommunityModel) -> pd.DataFrame:
    """Per-patient attributes with network size and member counts by tie type."""
    population = model.population
    frame = population.patients.to_frame()
    frame["network_size"] = population.network_size()
    counts = population.counts_by_tie_type()
    for code, tie in enumerate(codes.TIE_TYPES):
        frame[f"n_{tie}"] = counts[:, code]
    return frame


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Root seeds of a run's replicates: the scenario seed first, then derived seeds."""
    return [seed] + [replicate_seed(seed, r) for r in range(1, replicates)]


def outcome_tables(model: CommunityModel, replicate: int) -> dict[str, pd.DataFrame]:
    """The week-by-week tables of one finished replicate (with replicate and seed columns)."""
    timeseries = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    tables = {"timeseries": timeseries}
    if model.patient_records:
        tables["patient_weeks"] = pd.concat(model.patient_records, ignore_index=True)
    for frame in tables.values():
        frame.insert(0, "seed", model.seed)
        frame.insert(0, "replicate", replicate)
    return tables


def structure_tables(model: CommunityModel) -> dict[str, pd.DataFrame]:
    """Tables describing the population and its network at baseline."""
    return {
        "patients": patient_table(model),
        "ties": model.population.ties.to_frame(),
        "network_stats": network_statistics(model.population),
    }


def run_scenario(scenario: Scenario, out: Path, *, progress: bool = True) -> Path:
    """Build, run and write one scenario; return the run folder.

    Args:
        scenario: Resolved scenario (``run.seed`` and ``run.weeks`` are used as they are).
        out: Output folder; the run goes to ``out/<outputs.folder or name>/<run-id>/``.
        progress: Show a progress bar on stderr.
    """
    seed = scenario["run.seed"]
    started = time.time()
    parts: dict[str, list[pd.DataFrame]] = {}
    for replicate, replicate_seed_ in enumerate(replicate_seeds(seed, scenario["run.replicates"])):
        current = CommunityModel(scenario, seed=replicate_seed_)
        current.run(progress=progress)
        for name, frame in outcome_tables(current, replicate).items():
            parts.setdefault(name, []).append(frame)
        if replicate == 0:
            model = current
    finished = time.time()
    tables = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    tables.update(structure_tables(model))
    with run_folder(out, scenario, seed) as run:
        (run.path / "scenario.toml").write_text(scenario.to_toml(), encoding="utf-8")
        write_tables(run.path, tables, scenario["outputs.formats"])
        if scenario["outputs.figures"]:
            write_figures(run.path, _figures(model, tables, scenario.title or scenario.name))
        if scenario["outputs.graphml"]:
            from sim.population.graph import write_graphml

            write_graphml(model.population, run.path / "network.graphml")
        write_json(
            run.path / "provenance.json",
            provenance(
                seed,
                str(scenario.path) if scenario.path else None,
                started_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                replicates=scenario["run.replicates"],
                wall_seconds={
                    "run": round(finished - started, 3),
                    "total": round(time.time() - started, 3),
                },
                n_agents=model.population.n_nodes,  # one agent per node (made only if asked for)
                weeks=model.week,
            ),
        )
    assert run.final is not None
    return run.final


def example_patient(population: Population, requested: int) -> int:
    """The patient to draw: ``requested``, or (if -1) a diverse network of median size."""
    if requested >= 0:
        return min(requested, population.n_patients - 1)
    size = population.network_size()
    diverse = population.patients.network_type == codes.NETWORK_TYPES.index("diverse")
    pool = np.flatnonzero(diverse) if diverse.any() else np.arange(population.n_patients)
    return int(pool[np.argmin(np.abs(size[pool] - np.median(size[pool])))])


def _figures(model: CommunityModel, tables: dict[str, pd.DataFrame], title: str) -> dict:
    from sim.plots.community_map import plot_community_map
    from sim.plots.composition import plot_composition
    from sim.plots.timeseries import plot_timeseries

    patient = example_patient(model.population, model.config["outputs.example_patient"])
    return {
        "community_map": lambda: plot_community_map(model.population, patient),
        "composition": lambda: plot_composition(tables["network_stats"]),
        "timeseries": lambda: plot_timeseries(tables["timeseries"], title),
    }
