"""The same seed gives the same numbers on any number of threads (``sim run --threads``).

The weekly kernels draw counter-based random numbers, a function of the seed, the purpose, the
week and the patient or slot (:mod:`sim.dynamics.draws`), so no number depends on which thread
draws it. A run on two numba threads must equal, bit for bit, the run on one thread, in the
model's state and in the tables ``sim run`` writes.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numba
import numpy as np
import pytest

from sim.cli import main
from sim.config.scenario import default_scenario
from sim.model import CommunityModel
from sim.parallel import numba_threads

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
#: A population of 1,600 patients in 16 localities.
SCENARIO = {
    "population.n_practices": 16,
    "population.patients_per_practice": 100,
    "population.practices_per_locality": 1,
    "run.warmup_weeks": 4,
}
WEEKS = 6


def run(threads: int) -> CommunityModel:
    """A model warmed up and run ``WEEKS`` weeks on ``threads`` numba threads."""
    with numba_threads(threads):
        model = CommunityModel(
            default_scenario().with_overrides(SCENARIO), seed=7, agents=False, measures=False
        )
        model.run(WEEKS)
    return model


def state(model: CommunityModel) -> dict[str, np.ndarray]:
    """Every dynamic array of the model, by table and field."""
    d = model.dynamics
    return {
        f"{name}.{f.name}": getattr(table, f.name)
        for name, table in (("patients", d.patients), ("members", d.members), ("slots", d.slots))
        for f in fields(table)
    }


def assert_identical(a: CommunityModel, b: CommunityModel, what: str) -> None:
    """Every dynamic array of ``a`` equals ``b``'s bit for bit (NaN where NaN)."""
    left, right = state(a), state(b)
    differ = [k for k in left if not np.array_equal(left[k], right[k], equal_nan=True)]
    assert not differ, f"expected {what} to give identical state, differ in {differ[:8]}"


@pytest.fixture(scope="module")
def one_thread() -> CommunityModel:
    return run(1)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
def test_two_threads_give_the_numbers_of_one(one_thread: CommunityModel) -> None:
    assert_identical(run(2), one_thread, "two threads and one")


def test_threads_outside_numba_pool_are_refused() -> None:
    with pytest.raises(ValueError, match="threads must be in"), numba_threads(0):
        pass


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
def test_sim_run_writes_the_same_tables_on_one_and_two_threads(tmp_path: Path) -> None:
    scenario = tmp_path / "small.toml"
    scenario.write_text(
        f'base = "{(SCENARIOS / "usual_care.toml").as_posix()}"\n[run]\nweeks = 3\n'
        "warmup_weeks = 2\n[population]\nn_practices = 12\npatients_per_practice = 100\n"
        'practices_per_locality = 1\n[outputs]\nfigures = false\nformats = ["csv"]\n'
    )
    tables = {}
    for threads in (1, 2):
        out = tmp_path / f"threads{threads}"
        args = ["run", str(scenario), "--out", str(out), "--no-progress", "--threads"]
        assert main([*args, str(threads)]) == 0, f"expected sim run --threads {threads} to work"
        tables[threads] = {p.name: p.read_bytes() for p in sorted(out.rglob("tables/*.csv"))}
    assert tables[1], "expected tables written"
    assert tables[1] == tables[2], "expected the same tables on one and two threads"
