"""Design points and the run table: hand-checked grids, space-filling designs, stable seeds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.scenario import default_scenario
from sim.streams import replicate_seed
from sim.sweeps import Design, iter_runs, make_sweep, run_id, run_seed
from sim.sweeps.runs import parse_run_id

P_JOIN = "mechanisms.navigation.p_join"
CAPACITY = "mechanisms.work.capacity_hours"
NEW_TIES = "mechanisms.navigation.max_new_ties"
SWITCH = "mechanisms.switches.navigation"


def sweep(parameters: dict, **settings):
    return make_sweep(default_scenario(), parameters, **settings)


def test_grid_enumerates_every_combination_last_parameter_fastest() -> None:
    design = Design(
        sweep(
            {
                P_JOIN: [0.01, 0.02],
                CAPACITY: {"low": 10.0, "high": 20.0, "n": 3},
                SWITCH: [True, False],
            }
        )
    )
    points = [design.point(i) for i in range(len(design))]
    assert len(points) == 12, f"2 x 3 x 2 grid should have 12 points, got {len(points)}"
    assert points[0] == {P_JOIN: 0.01, CAPACITY: 10.0, SWITCH: True}
    assert points[1] == {P_JOIN: 0.01, CAPACITY: 10.0, SWITCH: False}
    assert points[2] == {P_JOIN: 0.01, CAPACITY: 15.0, SWITCH: True}
    assert points[11] == {P_JOIN: 0.02, CAPACITY: 20.0, SWITCH: False}
    assert len({tuple(p.values()) for p in points}) == 12, "grid points should be distinct"


def test_grid_of_integer_bounds_takes_integer_levels() -> None:
    design = Design(sweep({NEW_TIES: {"low": 1, "high": 5, "n": 3}}))
    assert [design.point(i)[NEW_TIES] for i in range(len(design))] == [1, 3, 5]


def test_list_design_pairs_the_values_point_by_point() -> None:
    design = Design(
        sweep({P_JOIN: [0.01, 0.02, 0.03], CAPACITY: [10.0, 12.0, 14.0]}, design={"kind": "list"})
    )
    assert len(design) == 3
    assert design.point(2) == {P_JOIN: 0.03, CAPACITY: 14.0}


def test_latin_hypercube_puts_one_point_in_every_stratum_of_every_parameter() -> None:
    n = 20
    design = Design(
        sweep(
            {CAPACITY: {"low": 10.0, "high": 20.0}, P_JOIN: {"low": 0.0, "high": 0.1}},
            design={"kind": "lhs", "n": n},
        )
    )
    capacity = np.array([design.point(i)[CAPACITY] for i in range(n)])
    strata = np.floor((capacity - 10.0) / 10.0 * n).astype(int)
    assert sorted(strata) == list(range(n)), "each tenth of the range should hold one point"


def test_space_filling_designs_stay_in_bounds_and_map_integers_uniformly() -> None:
    for kind in ("lhs", "sobol"):
        design = Design(
            sweep(
                {CAPACITY: {"low": 10.0, "high": 20.0}, NEW_TIES: {"low": 1, "high": 4}},
                design={"kind": kind, "n": 256},
            )
        )
        capacity = [design.point(i)[CAPACITY] for i in range(256)]
        ties = [design.point(i)[NEW_TIES] for i in range(256)]
        assert min(capacity) >= 10.0 and max(capacity) <= 20.0, f"{kind} left the bounds"
        counts = np.bincount(ties, minlength=5)[1:]
        assert set(ties) == {1, 2, 3, 4} and counts.min() >= 50, (
            f"{kind}: integers 1..4 should each take about a quarter, got {counts}"
        )


def test_designs_follow_the_sweep_seed() -> None:
    def unit(seed: int, kind: str) -> np.ndarray:
        s = sweep({CAPACITY: {"low": 10.0, "high": 20.0}}, design={"kind": kind, "n": 8}, seed=seed)
        return Design(s).unit

    for kind in ("lhs", "sobol"):
        assert np.array_equal(unit(1, kind), unit(1, kind)), f"{kind} should repeat for a seed"
        assert not np.array_equal(unit(1, kind), unit(2, kind)), f"{kind} should follow the seed"


@pytest.mark.parametrize(("method", "points"), [("sobol", 16 * (3 + 2)), ("morris", 4 * (3 + 1))])
def test_sensitivity_designs_have_salib_sizes(method: str, points: int) -> None:
    bounds = {"low": 0.0, "high": 0.1}
    s = sweep(
        {
            P_JOIN: bounds,
            "mechanisms.negotiation.p_attempt": bounds,
            CAPACITY: {"low": 10.0, "high": 20.0},
        },
        sensitivity={"method": method, "n": 16 if method == "sobol" else 4},
    )
    assert len(Design(s)) == points, f"{method} should draw {points} points"


def test_run_ids_round_trip_and_reject_other_text() -> None:
    assert run_id(12, 3) == "p000012-r003"
    assert parse_run_id("p000012-r003") == (12, 3)
    assert parse_run_id(run_id(1_234_567, 1000)) == (1_234_567, 1000)
    with pytest.raises(ValueError, match="not a run id"):
        parse_run_id("run-12")


def test_run_seeds_depend_only_on_sweep_seed_and_run_id() -> None:
    small = sweep({P_JOIN: [0.01, 0.02]}, replicates=2, seed=5)
    large = sweep({P_JOIN: [0.01, 0.02, 0.03]}, replicates=4, seed=5)
    seeds = {r.run_id: r.seed for r in iter_runs(small, Design(small))}
    for run in iter_runs(large, Design(large)):
        if run.run_id in seeds:
            assert run.seed == seeds[run.run_id], f"{run.run_id} changed seed as the sweep grew"
    everything = [r.seed for r in iter_runs(large, Design(large))]
    assert len(set(everything)) == len(everything), "every run should have its own seed"
    other = sweep({P_JOIN: [0.01, 0.02]}, replicates=2, seed=6)
    assert run_seed(other, 0, 0) != run_seed(small, 0, 0), "seeds should follow the sweep seed"


def test_common_random_numbers_share_seeds_across_points() -> None:
    s = sweep({P_JOIN: [0.01, 0.02, 0.03]}, replicates=2, seed=5, common_random_numbers=True)
    runs = list(iter_runs(s, Design(s)))
    assert {r.seed for r in runs if r.replicate == 1} == {replicate_seed(5, 1)}, (
        "with common random numbers every point's replicate 1 should use replicate_seed(5, 1)"
    )


def test_iter_runs_skips_the_runs_marked_done() -> None:
    s = sweep({P_JOIN: [0.01, 0.02, 0.03]}, replicates=2)
    done = np.zeros(6, dtype=bool)
    done[[0, 3]] = True
    ids = [r.run_id for r in iter_runs(s, Design(s), done)]
    assert ids == ["p000000-r001", "p000001-r000", "p000002-r000", "p000002-r001"]
