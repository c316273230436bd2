"""Run folders: bit-identical tables for one seed, different for another, and replicates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.config.scenario import default_scenario
from sim.io.run_command import run_scenario

SMALL = {
    "population.n_practices": 2,
    "population.patients_per_practice": 30,
    "run.weeks": 3,
    "outputs.figures": False,
    "outputs.patient_weeks": [0, 3],
}


def _run(tmp: Path, **overrides) -> Path:
    scenario = default_scenario("small").with_overrides({**SMALL, **overrides})
    return run_scenario(scenario, tmp, progress=False)


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "tables").glob("*.csv"))}


def test_same_seed_gives_bit_identical_tables(tmp_path: Path) -> None:
    first = _tables(_run(tmp_path / "a", **{"run.seed": 7}))
    second = _tables(_run(tmp_path / "b", **{"run.seed": 7}))
    assert first.keys() == second.keys(), "expected the same tables from two runs"
    for name in first:
        assert first[name] == second[name], f"expected {name} to be bit-identical for one seed"


def test_different_seeds_give_different_tables(tmp_path: Path) -> None:
    first = _tables(_run(tmp_path / "a", **{"run.seed": 7}))
    second = _tables(_run(tmp_path / "b", **{"run.seed": 8}))
    differing = [name for name in first if first[name] != second[name]]
    assert {"timeseries.csv", "patients.csv", "ties.csv"} <= set(differing), (
        f"expected different seeds to give different tables; only {differing} differ"
    )


def test_replicates_run_with_their_own_seeds_and_the_first_is_the_single_run(
    tmp_path: Path,
) -> None:
    single = pd.read_csv(_run(tmp_path / "a", **{"run.seed": 7}) / "tables" / "timeseries.csv")
    folder = _run(tmp_path / "b", **{"run.seed": 7, "run.replicates": 3})
    series = pd.read_csv(folder / "tables" / "timeseries.csv")
    weeks = pd.read_csv(folder / "tables" / "patient_weeks.csv")
    assert sorted(series["replicate"].unique()) == [0, 1, 2], "expected three replicates"
    assert series.groupby("replicate")["seed"].nunique().eq(1).all()
    assert series["seed"].nunique() == 3, "expected each replicate to have its own seed"
    first = series[series["replicate"] == 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, single, check_dtype=False, obj="replicate 0 vs single")
    assert len(weeks) == 3 * 2 * 60, "expected every patient at weeks 0 and 3 in each replicate"
