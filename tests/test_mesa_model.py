"""Mesa used as Mesa users expect: the step counter, the random generator, agent sets, removal."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from sim.config.scenario import default_scenario
from sim.dynamics.navigation import GroupIndex, choose_groups
from sim.model import CommunityModel
from sim.model.agents import CommunityGroup, HealthProfessional, Patient, PersonalMember
from sim.model.community_model import _close_group
from sim.model.measures import population_measures
from sim.population import codes
from sim.streams import generator

SMALL = {"population.n_practices": 1, "population.patients_per_practice": 30}


def small_model(seed: int = 4, **overrides) -> CommunityModel:
    return CommunityModel(default_scenario().with_overrides({**SMALL, **overrides}), seed=seed)


def active_slots_to(model: CommunityModel, node: int) -> np.ndarray:
    slots = model.dynamics.slots
    return np.flatnonzero(slots.active & (slots.alter == node))


def member_with_ties(model: CommunityModel, kind: int) -> int:
    slots = model.dynamics.slots
    for node in np.flatnonzero(model.population.nodes.kind == kind):
        if (slots.active & (slots.alter == node)).any():
            return int(node)
    raise AssertionError(f"no member of kind {kind} with a tie")


# --- the week is Mesa's step counter ----------------------------------------------------------


def test_steps_is_the_week_counter():
    model = small_model()
    assert model.steps == model.week == 0
    model.run(3)
    assert model.steps == model.week == 3
    assert "week" not in vars(model), "week must read model.steps, not keep a second counter"
    weeks = model.datacollector.get_model_vars_dataframe()["week"].tolist()
    assert weeks == [0, 1, 2, 3]


# --- Mesa's random generator ------------------------------------------------------------------


def test_mesa_rng_is_the_stream_mesa_of_the_root_seed():
    model = small_model(seed=7)
    stream = generator(7, "mesa")
    stream.integers(np.iinfo(np.int32).max)  # Mesa seeds model.random with the first draw
    assert model.rng.random() == stream.random()


def test_drawing_from_mesa_generators_leaves_the_simulation_unchanged():
    plain, used = small_model(seed=11), small_model(seed=11)
    for _ in range(3):
        used.rng.random(1000)
        used.random.random()
        used.agents.shuffle_do(lambda agent: None)
        plain.step()
        used.step()
    for table in ("patients", "members", "slots"):
        mine, theirs = getattr(plain.dynamics, table), getattr(used.dynamics, table)
        for name, values in vars(mine).items():
            np.testing.assert_array_equal(values, getattr(theirs, name), err_msg=f"{table}.{name}")


# --- agent sets -------------------------------------------------------------------------------


def test_agent_sets_hold_every_node_in_node_order():
    model = small_model()
    first = model.agent_at(40)  # made before the sets are filled: the sets hold this object
    kinds = model.population.nodes.kind
    everyone = model.agents.to_list()
    assert len(everyone) == model.population.n_nodes
    assert [agent.node for agent in everyone] == list(range(len(kinds)))
    assert [agent.unique_id for agent in everyone] == list(range(1, len(kinds) + 1))
    assert everyone[40] is first and model.agent_at(40) is first
    assert len(model.agents_by_type[Patient]) == model.population.n_patients
    people = np.isin(kinds, [codes.PERSON, codes.PET_NODE]).sum()
    assert len(model.agents_by_type[PersonalMember]) == people
    assert len(model.agents_by_type[CommunityGroup]) == (kinds == codes.GROUP).sum()
    assert len(model.agents_by_type[HealthProfessional]) == (kinds == codes.PROFESSIONAL_NODE).sum()
    assert set(model.agent_types) == {Patient, PersonalMember, CommunityGroup, HealthProfessional}


def test_select_and_groupby_read_the_arrays():
    model = small_model()
    ages = model.population.patients.age
    old = model.agents_by_type[Patient].select(lambda agent: agent.age >= 80)
    assert sorted(agent.node for agent in old) == np.flatnonzero(ages >= 80).tolist()
    counts = model.agents.groupby("kind").count()
    expected = np.bincount(model.population.nodes.kind, minlength=len(codes.NODE_KINDS))
    assert counts == {codes.NODE_KINDS[k]: int(n) for k, n in enumerate(expected) if n}
    stages = model.agents_by_type[Patient].groupby("ckd_stage").count()
    assert sum(stages.values()) == model.population.n_patients


def test_a_user_agent_registers_after_the_nodes():
    model = small_model()
    extra = mesa.Agent(model)  # before the node agents exist
    assert extra.unique_id == model.population.n_nodes + 1
    assert len(model.agents) == model.population.n_nodes + 1 and extra in model.agents
    later = mesa.Agent(model)
    assert later.unique_id == model.population.n_nodes + 2 and later in model.agents


def test_a_model_without_agents_has_none():
    scenario = default_scenario().with_overrides(SMALL)
    model = CommunityModel(scenario, seed=4, agents=False)
    assert len(model.agents) == 0
    with pytest.raises(RuntimeError, match="agents=False"):
        model.agent_at(0)


# --- agent.remove() takes the agent out of the dynamics ---------------------------------------


def test_a_member_leaving_ends_its_ties():
    model = small_model()
    member = member_with_ties(model, codes.PERSON)
    slots = active_slots_to(model, member)
    owner = model.population.nodes.owner[member]
    size = len(model.ties_of(owner))
    agent = model.agent_at(member)
    n_members = len(model.agents_by_type[PersonalMember])
    agent.remove()
    s = model.dynamics.slots
    assert not s.active[slots].any() and (s.alter[slots] == model.weekly.sentinel).all()
    assert (s.contact[slots] == 0).all() and (s.broker[slots] == 0).all()
    assert not model.weekly.masks.personal[slots].any()
    assert len(model.ties_of(owner)) == size - len(slots)
    assert agent not in model.agents and len(model.agents_by_type[PersonalMember]) == n_members - 1
    model.run(3)
    assert not len(active_slots_to(model, member)), "nothing ties back to a member who left"
    assert model.dynamics.members.load[member] == 0.0, "a member who left gives no work"


def test_a_group_leaving_is_joined_by_nobody():
    model = small_model(**{"mechanisms.navigation.p_join": 1.0})
    group = member_with_ties(model, codes.GROUP)
    locality, category = (
        model.population.nodes.locality[group],
        model.population.nodes.category[group],
    )
    before = model.weekly.groups.available[locality, category]
    model.agent_at(group).remove()
    assert model.weekly.groups.available[locality, category] == before - 1
    assert model.interventions.available is model.weekly.groups.available
    model.run(4)
    assert not len(active_slots_to(model, group))


def test_closing_a_group_keeps_the_others_in_node_order():
    # Groups 10, 11, 12 in locality 0 and 13 in locality 1, all of category 0.
    index = GroupIndex.build(np.array([0, 0, 0, 1]), np.zeros(4, np.int64), np.arange(10, 14), 2)
    _close_group(index, 11, 0, 0)
    assert index.nodes[:3].tolist() == [10, 12, 11] and index.available[0, 0] == 2
    _close_group(index, 11, 0, 0)  # closed already: nothing changes
    assert index.nodes[:3].tolist() == [10, 12, 11] and index.available[0, 0] == 2
    # Joiners in locality 0 now pick 10 or 12 (u_pick below 1/2 or not), never 11.
    n_categories = len(codes.ACTIVITY_CATEGORIES)
    picks = choose_groups(
        index,
        np.zeros(5, np.int64),
        np.ones((5, n_categories)),
        np.ones((5, n_categories)),
        0.0,
        np.full(5, 0.5),
        np.array([0.0, 0.3, 0.49, 0.5, 0.999]),
    )
    assert picks.tolist() == [10, 10, 10, 12, 12]


def test_a_patient_moving_away_stops_taking_part():
    model = small_model()
    model.run(1)
    patient = int(np.flatnonzero(model.dynamics.patients.alive)[0])
    block = model.ties_of(patient)
    assert len(block)
    before = population_measures(model)
    pt = model.dynamics.patients
    model.agent_at(patient).remove()
    assert not pt.alive[patient] and model.moved_away[patient]
    assert not len(model.ties_of(patient)) and not model.dynamics.slots.active[block].any()
    after = population_measures(model)
    assert after["n_alive"] == before["n_alive"] - 1
    assert after["died"] == before["died"], "moving away is not dying"
    cost, qaly = pt.cost[patient], pt.qaly[patient]
    model.run(3)
    assert not pt.alive[patient] and not len(model.ties_of(patient))
    assert (pt.cost[patient], pt.qaly[patient]) == (cost, qaly), "no more weeks of cost or QALYs"


def test_removing_a_dead_patient_is_no_move():
    model = small_model()
    model.dynamics.patients.alive[3] = False
    model.agent_at(3).remove()
    assert not model.moved_away[3]
