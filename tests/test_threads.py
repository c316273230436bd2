"""The same seed gives the same numbers on any number of threads (``sim run --threads``).

Knowledge sharing, collective efficacy, EQ-5D, resource mediation, negotiation and the lapse of
group ties run their patients in parallel (numba ``prange``): each patient's values come from its
own block of slots and its own row. Sums across patients (a member's load, strain relief, work by
tie type) and the list of ended ties are gathered serially in slot order after the parallel pass,
so the order in which threads take patients cannot change a number. Random numbers
are counter-based, a function of the seed, the purpose, the week and the patient or slot
(:mod:`sim.dynamics.draws`). A run on two numba threads must equal, bit for bit, the run on one
thread, in the model's state and in the tables ``sim run`` writes; the parallel kernels must
equal their own code run serially as plain Python.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numba
import numpy as np
import pytest

from sim.cli import main
from sim.config.scenario import default_scenario, load_scenario
from sim.dynamics import draws, exposure, navigation, negotiation, segments, support
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


def random_blocks(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, int]:
    """Contiguous blocks of 1-12 slots for ``n`` patients: starts, ends, number of slots."""
    ends = np.cumsum(rng.integers(1, 13, n)).astype(np.uint64)
    starts = np.concatenate([[0], ends[:-1]]).astype(np.uint64)
    return starts, ends, int(ends[-1])


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
@pytest.mark.parametrize(("sharing", "building"), [(True, True), (False, True), (True, False)])
def test_the_pass_over_ties_equals_its_serial_python_on_two_threads(sharing, building) -> None:
    # the third case has resource mediation off too: no introductions
    rng = np.random.default_rng(3)
    n = 2_000
    starts, ends, n_slots = random_blocks(n, rng)
    active = rng.random(n_slots) < 0.9
    args = dict(
        starts=starts, ends=ends, contact=rng.random(n_slots) * active,
        strength=rng.random(n_slots), clinical_source=rng.random(8),
        tie_type=rng.integers(0, 8, n_slots).astype(np.uint8), lay_source=rng.random(n_slots),
        is_group=(rng.random(n_slots) < 0.3) & active,
        quality=rng.random(n_slots), active=active, clinical=rng.random(n), lay=rng.random(n),
        rate_learning=rng.random(n), rate_fading=0.05, half_exposure=1.5, sharing=sharing,
        ce=rng.random(n), cohesion=rng.random(n), weight_group=2.0, rate_build=0.1,
        rate_fade=0.05, half_engagement=1.0, building=building,
        broker=(rng.random(n_slots) < 0.2) & active,
        social=(rng.random(n_slots) < 0.8) & active, introducing=building,
    )  # fmt: skip
    sums = {}
    with numba_threads(2):
        sums[2] = dict(
            group_strength=np.zeros(n), brokerage=np.zeros(n), social_contact=np.zeros(n)
        )
        compiled = exposure.exposure_blocks(**args, **sums[2])
    sums[1] = dict(group_strength=np.zeros(n), brokerage=np.zeros(n), social_contact=np.zeros(n))
    serial = exposure.exposure_blocks.py_func(**args, **sums[1])
    for k, (a, b) in enumerate(zip(compiled, serial, strict=True)):
        assert np.array_equal(a, b), f"expected output {k} equal to the serial code's"
    for name in sums[1]:
        assert np.array_equal(sums[1][name], sums[2][name]), f"expected the same {name}"
    assert (sums[1]["brokerage"] > 0).any() == building, "expected introductions only when on"
    assert (sums[1]["social_contact"] > 0).any(), "expected contact with people"
    assert (serial[2] == 0.0).all() != building, "expected CE held at 0 only when not built"
    only_forgotten = args["clinical"] - args["rate_fading"] * args["clinical"]
    learnt = serial[0] != only_forgotten
    assert learnt.any() == sharing, "expected knowledge learnt only with sharing on"


def mediation_and_negotiation(
    threads: int, seed: int = 5, keep_given: bool = True, one_thread: bool = False
) -> list[np.ndarray]:
    """Mediation then negotiation over random blocks sharing members, on ``threads`` threads.

    ``one_thread`` is passed to the mediation (shared members' load added in the pass).

    3,000 patients (12 chunks of :data:`sim.dynamics.segments.CHUNK`) whose slots point, half of
    them, at 400 members shared across patients and chunks (their load, strain relief and the
    order of ended slots must not depend on which thread ran which chunk), the others each at a
    member of its own.
    """
    rng = np.random.default_rng(seed)
    n = 3_000
    starts, ends, n_slots = random_blocks(n, rng)
    n_members = 400 + n_slots
    own = 400 + np.arange(n_slots)
    alter = np.where(rng.random(n_slots) < 0.5, rng.integers(0, 400, n_slots), own)
    alter = alter.astype(np.uint64)
    shared = np.arange(n_members + 1) < 400
    shared[-1] = True
    strain, capacity = rng.random(n_members + 1), 5.0 + rng.random(n_members + 1)
    need = 3.0 * rng.random((n, 3))
    given = np.zeros((n_slots, 3)) if keep_given else np.zeros((0, 3))
    load = np.zeros(n_members + 1)
    received, received_professional = np.zeros((n, 3)), np.zeros((n, 3))
    by_type = np.zeros(5)
    share, quality = 0.5 + rng.random(n_slots), rng.random(n_slots)
    active = rng.random(n_slots) < 0.9  # the rest are empty slots
    with numba_threads(threads):
        support.mediate_blocks(
            starts=starts, ends=ends, offer_by_kind=2.0 * rng.random((5, 3, 3, 3)),
            circle=rng.integers(0, 3, n_slots).astype(np.uint8),
            proximity=rng.integers(0, 3, n_slots).astype(np.uint8), alter=alter,
            share=share, weak=rng.random(n_slots) < 0.3, quality=quality,
            professional=rng.random(n_slots) < 0.1, active=active, strain=strain,
            capacity=capacity, shared=shared,
            heiq=1.0 + 3.0 * rng.random(n), reluctance=rng.random(n), need=need,
            need_ref=np.array([1.0, 2.0, 0.5]), mobilisation=rng.random(n),
            need_previous=3.0 * rng.random(n), mobilisation_out=np.empty(n),
            need_previous_out=np.empty(n), mobilisation_decay=0.2, elasticity=0.7,
            weight_mobilisation=0.3, tie_type=rng.integers(0, 5, n_slots).astype(np.uint64),
            reciprocity_floor=0.4, offering=True, given=given, keep_given=keep_given,
            received=received,
            received_professional=received_professional, load=load,
            given_by_type=by_type,
            slot_scratch=np.full(n_slots, 7, np.int64),  # stale contents must not matter
            work_scratch=np.full(n_slots, 7.0), one_thread=one_thread,
        )  # fmt: skip
        attempted, ended = negotiation.negotiate_blocks(
            starts=starts, ends=ends, personal=(rng.random(n_slots) < 0.7) & active,
            active=active, alter=alter,
            share=share, quality=quality, strain=strain, relief_scratch=np.zeros(n_members + 1),
            need=need, received=received, alive=rng.random(n) < 0.95, skill=rng.random(n),
            u_attempt=rng.random(n), ask_key=np.uint64(rng.integers(2**62)),
            success_key=np.uint64(rng.integers(2**62)),
            quality_initial=0.7, rate_quality_recovery=0.05, rate_share_return=0.02,
            negotiating=True, strain_threshold=0.4, unmet_threshold=0.2, p_attempt=0.5,
            shift=0.2, share_max=1.5, quality_loss=0.3, quality_end=0.5, p_end_tie=0.5,
            strain_relief=0.1, slot_scratch=np.full(n_slots, 7, np.int64),
        )  # fmt: skip
    return [given, received, received_professional, load, by_type, share, quality, strain,
            attempted, ended]  # fmt: skip


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
def test_mediation_and_negotiation_give_the_numbers_of_one_thread_on_two() -> None:
    one, two = mediation_and_negotiation(1), mediation_and_negotiation(2)
    assert len(one[-1]) > 0 and one[-2].sum() > 0, "expected negotiations and ended ties"
    assert segments.CHUNK * 4 < 3_000, "expected several chunks per thread"
    for k, (a, b) in enumerate(zip(one, two, strict=True)):
        assert np.array_equal(a, b), f"expected output {k} equal on one and two threads"


def test_mediation_without_keeping_the_work_per_slot_gives_the_same_numbers() -> None:
    kept, not_kept = mediation_and_negotiation(2), mediation_and_negotiation(2, keep_given=False)
    assert kept[0].sum() > 0 and not_kept[0].shape == (0, 3), "expected given kept only when asked"
    for k, (a, b) in enumerate(zip(kept[1:], not_kept[1:], strict=True), start=1):
        assert np.array_equal(a, b), f"expected output {k} the same whether given is kept or not"


def test_shared_load_added_in_the_pass_on_one_thread_gives_the_numbers_of_the_lists() -> None:
    # the weekly step passes one_thread when numba runs one thread: shared members' load is then
    # added slot by slot in the pass instead of through the chunks' lists and the serial sum
    lists, in_pass = mediation_and_negotiation(1), mediation_and_negotiation(1, one_thread=True)
    assert lists[3][:400].sum() > 0, "expected load on shared members"
    for k, (a, b) in enumerate(zip(lists, in_pass, strict=True)):
        assert np.array_equal(a, b), f"expected output {k} the same with the load added in the pass"


def test_shared_members_are_those_of_two_patients_groups_and_the_sentinel() -> None:
    # patient 0 has ties to members 0 and 1, patient 1 to members 1 and 2 (twice); member 3 is
    # a group nobody has joined yet; row 4 is the sentinel of ended ties
    starts, ends = np.array([0, 2], np.uint64), np.array([2, 5], np.uint64)
    alter = np.array([0, 1, 1, 2, 2])
    group = np.array([False, False, False, True, False])
    shared = support.shared_members(starts, ends, alter, group, 5)
    assert shared.tolist() == [False, True, False, True, True], "expected members 1, 3 and 4"


def lapse_by_the_rule(args: dict, ego: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lapse rule slot by slot in plain Python: the lapsed slots and the new strengths."""
    strength, lapsed = args["strength"].copy(), []
    for j in np.flatnonzero(args["is_group"]):
        i = ego[j]
        overload = args["p_stop"] * min(args["imbalance"][i], 1.0)
        sustained = 1.0 - args["collective_weight"] * args["collective"][i]
        fit, before = args["fit"][j], strength[j]
        prob = min(
            max(args["p_lapse"] * (args["fit_offset"] - fit) * sustained + overload, 0.0), 1.0
        )
        strength[j] = before + args["rate_strength"] * (fit - before)
        if draws.uniform(args["lapse_key"], j) < prob:
            lapsed.append(j)
    return np.array(lapsed, np.int64), strength


@pytest.mark.parametrize("density", [0.04, 0.5, 1.0])
def test_lapse_lists_group_slots_then_follows_the_rule_on_any_number_of_threads(density) -> None:
    # group ties scattered at about 1 in 24 slots (as in the model), half of them, or every slot,
    # over 3,000 patients (12 chunks); blocks stop short of the next one's start, as the model's
    # occupied ends do, and whole words of eight slots hold no group tie
    rng = np.random.default_rng(11)
    n = 3_000
    starts, full_ends, n_slots = random_blocks(n, rng)
    ends = full_ends - rng.integers(0, 2, n).astype(np.uint64) * (full_ends - starts > 1)
    ego = np.repeat(np.arange(n, dtype=np.int32), (full_ends - starts).astype(np.int64))
    in_use = np.arange(n_slots) < ends[ego]
    is_group = (rng.random(n_slots) < density) & in_use
    is_group[800:1200] = False
    args = dict(
        starts=starts, ends=ends, ego=ego, is_group=is_group, fit=rng.random(n_slots),
        strength=rng.random(n_slots), collective=rng.random(n), imbalance=2.0 * rng.random(n),
        lapse_key=np.uint64(rng.integers(2**62)), rate_strength=0.1, p_lapse=0.6,
        fit_offset=0.9, collective_weight=0.5, p_stop=0.05,
    )  # fmt: skip
    expected, expected_strength = lapse_by_the_rule(args, ego)
    assert 0 < len(expected) < is_group.sum(), "expected some group ties to lapse, not all"
    for threads in (1, 2) if numba.config.NUMBA_NUM_THREADS >= 2 else (1,):
        strength = args["strength"].copy()
        scratch = np.full(n_slots, 7, np.int64)  # stale contents must not matter
        with numba_threads(threads):
            lapsed = navigation.strengthen_and_lapse(
                **{**args, "strength": strength}, slot_scratch=scratch
            )
        assert np.array_equal(lapsed, expected), f"expected the rule's lapses on {threads} threads"
        assert np.array_equal(strength, expected_strength), "expected the rule's new strengths"


def test_occupied_ends_are_one_past_each_blocks_last_tie() -> None:
    # blocks [0, 3), [3, 5), [5, 8), [8, 12): the last active slots are 0, none, 6 and 10
    active = np.array([1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0], bool)
    starts = np.array([0, 3, 5, 8], np.uint64)
    ends = np.array([3, 5, 8, 12], np.uint64)
    occupied = segments.occupied_ends(active, starts, ends)
    assert occupied.tolist() == [1, 3, 7, 11], "expected one past the last active slot, or start"
    assert occupied.dtype == np.uint64, "expected the type of the block starts"


def test_passes_stopping_at_the_occupied_slots_give_the_numbers_of_whole_blocks() -> None:
    # BRIGHT, so patients join groups (filling free slots) and ties lapse and end
    scenario = load_scenario(SCENARIOS / "bright.toml").with_overrides(SCENARIO)
    models = []
    for whole_blocks in (False, True):
        model = CommunityModel(scenario, seed=7, agents=False, measures=False)
        if whole_blocks:
            model.weekly.occupied = model.weekly.blocks.hi.copy()
        model.run(WEEKS)
        models.append(model)
    short, whole = models
    s = short.dynamics.slots
    assert short.dynamics.patients.joined.sum() > 0, "expected patients to join groups"
    assert (short.weekly.occupied < whole.weekly.occupied).any(), "expected free slots skipped"
    ends_of_tie = short.weekly.occupied[s.ego[s.active]]
    assert (np.flatnonzero(s.active) < ends_of_tie).all(), "expected every tie before its end"
    assert_identical(short, whole, "passes to the occupied ends and over whole blocks")


@numba.njit(parallel=True)
def times_each_chunk_is_taken(n_chunks: int) -> np.ndarray:
    """Run a pass the way the kernels do and count, per chunk, the threads that took it."""
    taken = np.zeros(n_chunks, np.int64)
    counter = np.zeros(1, np.int64)
    for _ in numba.prange(segments.TAKERS):
        c, stop = segments.take_chunks(counter, n_chunks)
        while c < stop:
            taken[c] += 1
            c, stop = segments.following_chunk(counter, c, stop, n_chunks)
    return taken


@pytest.mark.parametrize(
    "n_chunks", [0, 1, segments.GRAB - 1, segments.GRAB, 5 * segments.GRAB + 3]
)
def test_a_pass_takes_every_chunk_exactly_once_on_any_number_of_threads(n_chunks) -> None:
    # the threads take groups of chunks from a shared counter: none may be missed or run twice,
    # whether the chunks fill whole groups or not
    for threads in (1, 2) if numba.config.NUMBA_NUM_THREADS >= 2 else (1,):
        with numba_threads(threads):
            taken = times_each_chunk_is_taken(n_chunks)
        assert taken.tolist() == [1] * n_chunks, f"expected each chunk once on {threads} threads"
