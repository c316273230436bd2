"""Direction of effect of the mechanisms, and hand-computed values of their pure functions.

Direction tests follow Starsim's advice: vary one thing low and high (or switch a mechanism off),
average over seeds, use common random numbers (both arms share a seed, so the same population
and baseline draws) and assert the direction with a message saying what was expected. Expected
directions come from the theory in the science dossier (section 1) and the mechanism docstrings
in :mod:`sim.dynamics`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config.scenario import load_scenario
from sim.dynamics import (
    balance,
    collective,
    knowledge,
    negotiation,
    state,
    support,
    workload,
)
from sim.model import CommunityModel
from sim.population import codes

USUAL_CARE = Path(__file__).resolve().parents[1] / "scenarios" / "usual_care.toml"
SEEDS = (11, 12, 13, 14)
WEEKS = 26
SMALL = {"population.n_practices": 6}
UNMET = ("unmet_illness", "unmet_everyday", "unmet_emotional")


@dataclass
class Arm:
    """One arm averaged over seeds, plus per-slot detail of each seed's last week."""

    table: pd.DataFrame  # seed-mean of the weekly population measures
    slot_given: list[np.ndarray]  # per seed: hours/week given per slot
    slot_type: list[np.ndarray]  # per seed: tie type per slot
    slot_live: list[np.ndarray]  # per seed: active tie of a living patient
    slot_partnered: list[np.ndarray]  # per seed: the patient has a partner tie at baseline
    personal_strain: list[np.ndarray]  # per seed: strain of each personal member at the end


@cache
def _arm(overrides: tuple[tuple[str, object], ...]) -> Arm:
    scenario = load_scenario(USUAL_CARE).with_overrides({**SMALL, **dict(overrides)})
    tables, given, kind, live, partnered, strain = [], [], [], [], [], []
    for seed in SEEDS:
        model = CommunityModel(scenario, seed=seed)
        s = model.dynamics.slots
        has_partner = np.zeros(model.population.n_patients, bool)
        has_partner[s.ego[s.active & (s.tie_type == codes.PARTNER)]] = True
        model.weekly.keep_given()
        model.run(WEEKS)
        tables.append(model.datacollector.get_model_vars_dataframe())
        alive = model.dynamics.patients.alive
        given.append(model.weekly.given.sum(axis=1))
        kind.append(s.tie_type.copy())
        live.append(s.active & alive[s.ego])
        partnered.append(has_partner[s.ego])
        personal = s.active & alive[s.ego] & np.isin(s.tie_type, codes.PERSONAL_TIE_TYPES)
        strain.append(model.dynamics.members.strain[s.alter[personal]])
    return Arm(sum(tables) / len(tables), given, kind, live, partnered, strain)


def arm(overrides: dict[str, object] | None = None) -> Arm:
    """Usual care with ``overrides`` (dotted keys), run once per worker and then cached."""
    return _arm(tuple(sorted((overrides or {}).items())))


def at(a: Arm, measure: str, week: int = WEEKS) -> float:
    """A measure (or the sum of unmet need for ``"unmet"``) at a week, averaged over seeds."""
    if measure == "unmet":
        return float(sum(a.table[m].iloc[week] for m in UNMET))
    return float(a.table[measure].iloc[week])


def assert_direction(measure: str, low: float, high: float, what: str) -> None:
    """Assert ``low < high`` with a message naming what was expected and the values."""
    assert low < high, f"expected {what}: got {measure} {low:.4f} vs {high:.4f}"


# --- more members, less unmet need -----------------------------------------------------------


def _scaled_members(factor: float) -> dict[str, object]:
    scenario = load_scenario(USUAL_CARE)
    return {
        f"network.mean_{relation}.{kind}": scenario[f"network.mean_{relation}.{kind}"] * factor
        for relation in ("friend", "family")
        for kind in codes.NETWORK_TYPES
    }


def test_more_members_leave_less_need_unmet():
    few, many = arm(_scaled_members(0.5)), arm(_scaled_members(2.0))
    assert_direction(
        "unmet hours/week",
        at(many, "unmet"),
        at(few, "unmet"),
        "patients with twice the friends and family (vs half) to have less unmet need after "
        f"{WEEKS} weeks (networks of {at(many, 'mean_network_size'):.1f} vs "
        f"{at(few, 'mean_network_size'):.1f} members)",
    )


# --- substitution: without a partner, others take on more ------------------------------------

NO_PARTNER_HELP = {
    f"mechanisms.support.offer_{w}.partner": 0.0 for w in ("illness", "everyday", "emotional")
}


def _non_partner_given_to_partnered(a: Arm) -> float:
    """Mean hours/week per non-partner tie given to patients who have a partner."""
    values = [
        given[live & partnered & (kind != codes.PARTNER)]
        for given, kind, live, partnered in zip(
            a.slot_given, a.slot_type, a.slot_live, a.slot_partnered, strict=True
        )
    ]
    return float(np.concatenate(values).mean())


def test_others_take_on_more_when_the_partner_gives_nothing():
    usual, without = arm(), arm(NO_PARTNER_HELP)
    assert_direction(
        "hours/week per non-partner tie",
        _non_partner_given_to_partnered(usual),
        _non_partner_given_to_partnered(without),
        "the other members of patients with a partner to give more when the partner gives no "
        "help (partial substitution, Vassilev et al. 2013)",
    )


def test_substitution_is_partial():
    usual, without = arm(), arm(NO_PARTNER_HELP)
    assert_direction(
        "hours/week received",
        at(without, "received_hours"),
        at(usual, "received_hours"),
        "patients to receive less in all when partners give nothing (others make up only part)",
    )


# --- heavier workload, worse control and quality of life ------------------------------------

WORKLOAD = ("treatment_hours", "illness_hours", "everyday_hours_max")


@pytest.mark.parametrize("outcome", ["bp_controlled_true", "self_management", "eq5d"])
@pytest.mark.parametrize("work", WORKLOAD)
def test_heavier_workload_worsens_outcomes(work, outcome):
    key = f"mechanisms.work.{work}"
    default = load_scenario(USUAL_CARE)[key]
    light, heavy = arm({key: default * 0.5}), arm({key: default * 2.0})
    assert_direction(
        outcome,
        at(heavy, outcome),
        at(light, outcome),
        f"{outcome} after {WEEKS} weeks to be lower with {work} at {default * 2:g} than at "
        f"{default * 0.5:g} hours/week (Cumulative Complexity Model: workload beyond capacity "
        "worsens adherence and outcomes)",
    )


# --- switching each mechanism off ------------------------------------------------------------

#: (switch, measure, expected sign of off - on, why) -- from the dossier and the docstrings.
SWITCH_EFFECTS = [
    ("knowledge_sharing", "knowledge_clinical", -1, "knowledge only fades without sharing"),
    ("knowledge_sharing", "knowledge_lay", -1, "knowledge only fades without sharing"),
    ("knowledge_sharing", "self_management", -1, "self-management target rises with knowledge"),
    ("resource_mediation", "received_hours", -1, "members supply no work"),
    ("resource_mediation", "unmet", +1, "need goes unmet without network work"),
    ("resource_mediation", "imbalance", +1, "capacity loses network support"),
    ("resource_mediation", "eq5d", -1, "imbalance and unmet need lower utility"),
    ("navigation", "group_participation", -1, "no new groups while lapses continue"),
    # Negotiation's theoretical effect is on strain (Vassilev et al. 2014: re-shaping who does
    # which work); its net effect on unmet need depends on how much others can absorb, so it is
    # not asserted here.
    ("negotiation", "member_strain", +1, "strained members can no longer shed work"),
    ("collective_efficacy", "self_efficacy", -1, "self-efficacy is pulled towards collective"),
    ("collective_efficacy", "heiq", -1, "heiQ rises with collective and self-efficacy"),
    ("workload_feedback", "imbalance", -1, "poor control no longer adds illness work"),
    ("workload_feedback", "overloaded", -1, "poor control no longer adds illness work"),
    ("workload_feedback", "eq5d", +1, "less imbalance, less utility lost to it"),
]


@pytest.mark.parametrize(
    ("switch", "measure", "sign", "why"),
    SWITCH_EFFECTS,
    ids=[f"{s}-{m}" for s, m, _, _ in SWITCH_EFFECTS],
)
def test_switching_a_mechanism_off_moves_outcomes_as_theory_predicts(switch, measure, sign, why):
    on, off = at(arm(), measure), at(arm({f"mechanisms.switches.{switch}": False}), measure)
    word = "lower" if sign < 0 else "higher"
    expected = f"{measure} {word} after {WEEKS} weeks with {switch} off ({why})"
    if sign < 0:
        assert_direction(measure + " (off vs on)", off, on, expected)
    else:
        assert_direction(measure + " (on vs off)", on, off, expected)


def test_group_participation_falls_without_navigation():
    off = arm({"mechanisms.switches.navigation": False})
    assert_direction(
        "group_participation (week 26 vs week 0)",
        at(off, "group_participation", WEEKS),
        at(off, "group_participation", 0),
        "group participation to fall over time when patients join no new groups",
    )


#: Members are strained only when their load nears their capacity; at the default capacities no
#: personal member reaches the strain threshold, so these lower capacities put the strain-relief
#: branch of negotiation to work.
STRAINED = {
    "mechanisms.support.member_capacity.partner": 8.0,
    "mechanisms.support.member_capacity.family": 3.2,
}


def test_strained_members_stay_more_strained_without_negotiation():
    on = arm(STRAINED)
    off = arm({**STRAINED, "mechanisms.switches.negotiation": False})
    assert_direction(
        "member_strain (on vs off)",
        at(on, "member_strain"),
        at(off, "member_strain"),
        "personal members to be more strained after 26 weeks without negotiation (no relief "
        "of strained members)",
    )
    threshold = load_scenario(USUAL_CARE)["mechanisms.negotiation.strain_threshold"]
    share_on = np.mean([np.mean(s > threshold) for s in on.personal_strain])
    share_off = np.mean([np.mean(s > threshold) for s in off.personal_strain])
    assert_direction(
        "share of personal members above the strain threshold (on vs off)",
        share_on,
        share_off,
        "more personal members above the strain threshold without negotiation",
    )


def test_member_strain_is_higher_without_negotiation_in_usual_care():
    on, off = arm(), arm({"mechanisms.switches.negotiation": False})
    assert_direction(
        "member_strain (on vs off)",
        at(on, "member_strain"),
        at(off, "member_strain"),
        "personal members to be more strained after 26 weeks of usual care without negotiation",
    )


# --- pure mechanism functions on hand-computed examples ---------------------------------------
# Each expected value is worked out by hand in the comment beside it.


def test_knowledge_learns_from_exposure_and_fades():
    # g = X / (X + X_half) = 3 / (3 + 3) = 0.5
    # K' = K + r g (1 - K) - f K = 0.4 + 0.05 x 0.5 x 0.6 - 0.03 x 0.4 = 0.4 + 0.015 - 0.012
    new = knowledge.update_knowledge(np.array([0.4]), np.array([3.0]), 0.05, 0.03, 3.0)
    np.testing.assert_allclose(new, [0.403], err_msg="expected K' = 0.403")


def test_knowledge_only_fades_without_sharing():
    # sharing off: K' = K - f K = 0.4 - 0.03 x 0.4 = 0.388, whatever the exposure
    new = knowledge.update_knowledge(
        np.array([0.4]), np.array([3.0]), 0.05, 0.03, 3.0, sharing=False
    )
    np.testing.assert_allclose(new, [0.388], err_msg="expected K' = 0.388 with sharing off")


def test_knowledge_equilibrium_is_a_fixed_point():
    # K* = r g / (r g + f) = 0.025 / (0.025 + 0.03) = 5 / 11
    level = knowledge.equilibrium(np.array([3.0]), 0.05, 0.03, 3.0)
    np.testing.assert_allclose(level, [5 / 11], err_msg="expected K* = 5/11")
    again = knowledge.update_knowledge(level, np.array([3.0]), 0.05, 0.03, 3.0)
    np.testing.assert_allclose(again, level, err_msg="expected K* to stay put for a week")


def test_allocate_meets_need_in_proportion_to_offers():
    # Patient 0 has slots 0 and 1, patient 1 has slots 2 and 3 (slot 3 offers nothing).
    offer = np.array([[2.0, 4.0, 1.0], [2.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    need = np.array([[2.0, 2.0, 4.0], [3.0, 0.5, 0.0]])
    accept = np.array([1.0, 0.5, 1.0, 1.0])
    ego, starts = np.array([0, 0, 1, 1]), np.array([0, 2])
    # Offered: patient 0 [4, 4, 2], patient 1 [1, 1, 1].
    # fill = min(1, need / offered): patient 0 [0.5, 0.5, 1], patient 1 [1, 0.5, 0].
    # given = offer x fill x acceptance:
    #   slot 0 [2 x .5, 4 x .5, 1 x 1] x 1   = [1, 2, 1]
    #   slot 1 [2 x .5, 0 x .5, 1 x 1] x 0.5 = [0.5, 0, 0.5]
    #   slot 2 [1 x 1, 1 x .5, 1 x 0] x 1    = [1, 0.5, 0]
    #   slot 3 nothing offered               = [0, 0, 0]
    exchange = support.allocate(offer, need, accept, ego, starts)
    np.testing.assert_allclose(
        exchange.given,
        [[1.0, 2.0, 1.0], [0.5, 0.0, 0.5], [1.0, 0.5, 0.0], [0.0, 0.0, 0.0]],
        err_msg="expected given = offer x min(1, need / offered) x acceptance",
    )
    # received: patient 0 = [1 + .5, 2 + 0, 1 + .5], patient 1 = [1, .5, 0]
    np.testing.assert_allclose(
        exchange.received,
        [[1.5, 2.0, 1.5], [1.0, 0.5, 0.0]],
        err_msg="expected received to be the per-patient sum of given",
    )


def test_strain_grows_with_load_and_recovers():
    # strain' = clip(s + r_s load / capacity - r_r s, 0, 1), r_s = r_r = 0.1:
    #   0.2 + 0.1 x 5 / 10 - 0.1 x 0.2  = 0.23
    #   0.5 + 0                - 0.05   = 0.45 (no load: recovery only)
    #   0.95 + 0.1 x 20 / 10 - 0.095    = 1.055 -> 1 (clipped)
    new = support.update_strain(
        np.array([0.2, 0.5, 0.95]), np.array([5.0, 0.0, 20.0]), np.array([10.0] * 3), 0.1, 0.1
    )
    np.testing.assert_allclose(new, [0.23, 0.45, 1.0], err_msg="expected strain 0.23, 0.45, 1")


def test_collective_efficacy_builds_with_engagement_and_fades_without():
    # h = 3 / (3 + 3) = 0.5; build = 0.04 x 0.5 x trust 0.8 x (0.5 + 0.5 x 0.5) x (1 - 0.5)
    #   = 0.04 x 0.5 x 0.8 x 0.75 x 0.5 = 0.006; fade = 0.02 x (1 - 0.5) x 0.5 = 0.005
    # CE' = 0.5 + 0.006 - 0.005 = 0.501. With no engagement: h = 0, CE' = 0.5 - 0.02 x 0.5 = 0.49
    new = collective.update_collective(
        np.array([0.5, 0.5]),
        np.array([3.0, 0.0]),
        np.array([0.8, 0.8]),
        np.array([0.5, 0.5]),
        rate_build=0.04,
        rate_fade=0.02,
        half_engagement=3.0,
    )
    np.testing.assert_allclose(new, [0.501, 0.49], err_msg="expected CE' = 0.501 and 0.49")


def test_capacity_and_imbalance():
    # C = C_own + (1 + g CE) sum(received) = 5 + (1 + 0.5 x 0.5) x 4 = 10
    cap = balance.capacity(np.array([5.0]), np.array([[1.0, 1.0, 2.0]]), np.array([0.5]), 0.5)
    np.testing.assert_allclose(cap, [10.0], err_msg="expected capacity 10 hours/week")
    # W = T + sum(need) = 2 + 6 = 8; z = max(0, W / C - 1): C = 4 -> 1; C = 10 -> 0; C = 8 -> 0
    z = balance.imbalance(
        np.array([2.0, 2.0, 2.0]), np.array([[1.0, 2.0, 3.0]] * 3), np.array([4.0, 10.0, 8.0])
    )
    np.testing.assert_allclose(z, [1.0, 0.0, 0.0], err_msg="expected imbalance 1, 0, 0")


def test_self_management_target_rises_with_knowledge_and_falls_with_overload():
    # K = (0.4 + 0.6) / 2 = 0.5; raw = 0.45 + 0.3 x 0.5 + 0.25 x 0.6 = 0.75
    # S* = raw / (1 + k z): z = 0 -> 0.75; z = 0.5, k = 1.5 -> 0.75 / 1.75 = 3 / 7
    # Clipping: 0.9 + 0.3 + 0.25 = 1.45 -> 1 before the overload divisor
    target = balance.self_management_target(
        0.45,
        0.3,
        0.25,
        1.5,
        np.array([0.4, 0.4, 1.0]),
        np.array([0.6, 0.6, 1.0]),
        np.array([0.6, 0.6, 1.0]),
        np.array([0.0, 0.5, 0.0]),
    )
    np.testing.assert_allclose(target[:2], [0.75, 3 / 7], err_msg="expected S* 0.75 and 3/7")
    clipped = balance.self_management_target(
        0.9, 0.3, 0.25, 1.5, np.ones(1), np.ones(1), np.ones(1), np.zeros(1)
    )
    np.testing.assert_allclose(clipped, [1.0], err_msg="expected S* clipped to 1")


def test_treatment_burden_on_the_tbq_scale():
    p = {"work.tbq_scale": 0.9}
    # ratio = (T + I) / C_own = (3 + 1.5) / 10 = 0.45; TBQ = 150 (1 - exp(-0.9 x 0.45))
    #       = 150 (1 - exp(-0.405)) = 150 x 0.33302 = 49.95
    tbq = workload.treatment_burden(
        p, np.array([3.0, 3.0]), np.array([1.5, 1.5]), np.array([10.0, 0.0])
    )
    assert tbq[0] == pytest.approx(150 * (1 - math.exp(-0.405))), "expected TBQ = 49.95"
    assert tbq[0] == pytest.approx(49.95, abs=0.01), "expected TBQ = 49.95"
    # No own capacity: the ratio is huge and TBQ reaches the top of the scale, 150.
    assert tbq[1] == pytest.approx(150.0), "expected TBQ = 150 with no own capacity"


NEGOTIATION = {
    "negotiation.shift": 0.25,
    "negotiation.quality_loss": 0.1,
    "negotiation.quality_end": 0.2,
    "negotiation.p_end_tie": 0.5,
    "negotiation.strain_relief": 0.2,
    "negotiation.share_max": 2.0,
}


def test_negotiate_from_chosen_uniforms():
    # Six ties of negotiating patients, skill 0.8 throughout (chance = skill x quality):
    # 0 strained, quality 0.5: chance 0.4, u 0.3 < 0.4 succeeds -> share 1 x 0.75, relief 0.2
    # 1 unstrained, patient short, 2 unstrained: asked (u_ask 0.4 x 2 = 0.8 < 1), u 0.3 < 0.4
    #   succeeds -> share 1 x 1.25 = 1.25
    # 2 as 1 but u_ask 0.6 x 2 = 1.2 >= 1: not asked -> unchanged
    # 3 strained, quality 0.25: chance 0.2, u 0.5 fails -> quality 0.15 < 0.2; the end draw
    #   rescaled, (0.5 - 0.2) / (1 - 0.2) = 0.375 < p_end 0.5 -> the tie ends
    # 4 as 1 with share 1.8 -> 1.8 x 1.25 = 2.25, capped at 2
    # 5 not personal (a group): never negotiated with
    result = negotiation.negotiate(
        NEGOTIATION,
        owner=np.arange(6),  # each tie belongs to a different patient
        personal=np.array([True, True, True, True, True, False]),
        strained=np.array([True, False, False, True, False, False]),
        short=np.array([False, True, True, False, True, True]),
        n_unstrained=np.array([2.0, 2.0, 2.0, 0.0, 2.0, 2.0]),
        share=np.array([1.0, 1.0, 1.0, 1.0, 1.8, 1.0]),
        quality=np.array([0.5, 0.5, 0.5, 0.25, 0.5, 0.5]),
        skill=np.full(6, 0.8),
        u_ask=np.array([0.0, 0.4, 0.6, 0.0, 0.4, 0.0]),
        u_success=np.array([0.3, 0.3, 0.3, 0.5, 0.3, 0.0]),
    )
    np.testing.assert_allclose(
        result.share, [0.75, 1.25, 1.0, 1.0, 2.0, 1.0], err_msg="expected shares as computed"
    )
    np.testing.assert_allclose(
        result.quality, [0.5, 0.5, 0.5, 0.15, 0.5, 0.5], err_msg="expected quality lost on failure"
    )
    np.testing.assert_allclose(
        result.relief, [0.2, 0, 0, 0, 0, 0], err_msg="expected relief only for the strained success"
    )
    np.testing.assert_array_equal(
        result.ended, [False, False, False, True, False, False], err_msg="expected tie 3 to end"
    )


def test_negotiate_redistributes_work_moved_off_a_strained_member():
    # One patient (owner 0), not short of help: tie 0 strained, chance 0.8 x 0.5 = 0.4, u 0.1
    # succeeds -> share 0.75 (work moved off); so the patient asks an unstrained member: tie 1
    # (u_ask 0.4 x 1 unstrained < 1), u 0.2 < 0.4 succeeds -> share 1.25.
    # A second patient (owner 1) with the same unstrained tie but no strained success and not
    # short: tie 2 is not asked -> unchanged.
    result = negotiation.negotiate(
        NEGOTIATION,
        owner=np.array([0, 0, 1]),
        personal=np.array([True, True, True]),
        strained=np.array([True, False, False]),
        short=np.array([False, False, False]),
        n_unstrained=np.array([1.0, 1.0, 1.0]),
        share=np.ones(3),
        quality=np.full(3, 0.5),
        skill=np.full(3, 0.8),
        u_ask=np.array([0.0, 0.4, 0.4]),
        u_success=np.array([0.1, 0.2, 0.2]),
    )
    np.testing.assert_allclose(
        result.share,
        [0.75, 1.25, 1.0],
        err_msg="expected work moved off the strained member to be asked of an unstrained one",
    )


def test_self_efficacy_target_hand_computed():
    # SE* = (1 - 0.2 - 0.5 - 0.2) x 0.4 + 0.2 x 0.8 + 0.5 x (0.6 + 0.2) / 2 + 0.2 x 0.5
    #     = 0.1 x 0.4 + 0.16 + 0.2 + 0.1 = 0.5
    target = balance.self_efficacy_target(
        np.array([0.4]),
        np.array([0.8]),
        np.array([0.6]),
        np.array([0.2]),
        np.array([0.5]),
        (0.2, 0.5, 0.2),
    )
    assert target[0] == pytest.approx(0.5), "expected SE* = 0.5"
    more = balance.self_efficacy_target(
        np.array([0.4]),
        np.array([0.8]),
        np.array([0.9]),
        np.array([0.5]),
        np.array([0.5]),
        (0.2, 0.5, 0.2),
    )
    assert more[0] > target[0], "expected more knowledge to raise the self-efficacy target"
    extremes = balance.self_efficacy_target(
        np.array([0.0, 1.0]),
        np.array([0.0, 1.0]),
        np.array([0.0, 1.0]),
        np.array([0.0, 1.0]),
        np.array([0.0, 1.0]),
        (0.3, 0.4, 0.3),
    )
    np.testing.assert_allclose(extremes, [0.0, 1.0], err_msg="expected SE* within 0-1")


def test_the_base_offer_table_holds_each_tie_kind_s_hand_computed_offer():
    p = {
        **{
            f"support.offer_{w}.{tie}": 0.0
            for w in ("illness", "everyday", "emotional")
            for tie in codes.TIE_TYPES
        },
        "support.offer_illness.friend": 2.0,
        "support.offer_everyday.friend": 4.0,
        "support.offer_emotional.friend": 1.0,
        "support.rel_circle_middle": 0.5,
        "support.rel_circle_outer": 0.25,
        "support.rel_further_other": 0.8,
        "support.rel_further_everyday": 0.1,
    }
    table = state.offer_by_kind(p)
    friend = codes.TIE_TYPES.index("friend")
    assert table.shape == (len(codes.TIE_TYPES), 3, 3, 3)
    # inner circle, nearby: the friend's offers as they are
    np.testing.assert_allclose(table[friend, codes.INNER, codes.NEARBY], [2.0, 4.0, 1.0])
    # middle circle (x 0.5), living further away (illness and emotional x 0.8, everyday x 0.1):
    # [2 x .5 x .8, 4 x .5 x .1, 1 x .5 x .8]
    np.testing.assert_allclose(
        table[friend, codes.MIDDLE, codes.FURTHER],
        [0.8, 0.2, 0.4],
        err_msg="expected offer x rel_circle x rel_further",
    )
    # outer circle, co-resident (no further-away factor): [2, 4, 1] x 0.25
    np.testing.assert_allclose(table[friend, codes.OUTER, codes.CO_RESIDENT], [0.5, 1.0, 0.25])
    assert not table[codes.TIE_TYPES.index("partner")].any(), "expected 0 where the offer is 0"
    # the table is slot_offer itself, bit for bit, for every combination
    t, c, q = (a.ravel() for a in np.indices(table.shape[:3]))
    assert np.array_equal(table[t, c, q], state.slot_offer(p, t, c, q))
