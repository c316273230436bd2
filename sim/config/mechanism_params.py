"""Section [mechanisms]: switches and parameters of the weekly dynamics (dossier sections 1-3, 6).

Work is measured in hours per week; stocks (knowledge, awareness, self-efficacy, collective
efficacy, strain, relationship quality, tie strength) in [0, 1]. Rates are fractions per week.
Everything the literature does not give is marked "assumption" (dossier section 8) and is a
parameter a sweep or calibration can vary.
"""

from __future__ import annotations

from sim.config.param_spec import Registry
from sim.population import codes

PARAMS = Registry()
_A = "assumption"

#: Mechanism switches: name -> what switching it off removes.
SWITCHES: dict[str, str] = {
    "knowledge_sharing": "no knowledge flows along ties and interventions' knowledge doses are "
    "inert (knowledge still fades)",
    "resource_mediation": "members supply no work and broker no introductions",
    "navigation": "patients find and join no new groups (lapses continue) and interventions' "
    "awareness, guidance and matching are inert",
    "negotiation": "no re-negotiation of who does what (strain and quality run on) and "
    "interventions' negotiation skill is inert",
    "collective_efficacy": "collective efficacy is held at zero",
    "workload_feedback": "no Cumulative Complexity feedback (poor control adds no illness work, "
    "imbalance erodes no capacity, and treatment work counts only the baseline medicines)",
}
for _name, _off in SWITCHES.items():
    PARAMS.add(
        f"mechanisms.switches.{_name}",
        True,
        "bool",
        "-",
        "Vassilev et al. 2014; Shippee et al. 2012",
        f"Switch the {_name.replace('_', ' ')} mechanism on; off: {_off}.",
    )

# --- work and capacity (May et al. 2009; Shippee et al. 2012; Tran et al. 2014) ---------------
_W = "mechanisms.work."
PARAMS.add(
    _W + "treatment_hours",
    1.5,
    "float",
    "hours/week",
    _A + " (Tran et al. 2014)",
    "Treatment work of stage 3 CKD: medicines, monitoring, appointments.",
    low=0,
    high=40,
)
PARAMS.add(
    _W + "treatment_hours_per_condition",
    0.75,
    "float",
    "hours/week",
    _A,
    "Extra treatment work for each of hypertension and diabetes.",
    low=0,
    high=20,
)
PARAMS.add(
    _W + "treatment_hours_per_medicine",
    0.25,
    "float",
    "hours/week",
    _A,
    "Extra treatment work per antihypertensive medicine.",
    low=0,
    high=10,
)
PARAMS.add(
    _W + "illness_hours",
    2.0,
    "float",
    "hours/week",
    _A + " (Rogers et al. 2011)",
    "Illness work needed (medication, monitoring, information).",
    low=0,
    high=40,
)
PARAMS.add(
    _W + "rel_illness_stage_3b",
    1.25,
    "float",
    "multiplier",
    _A,
    "Illness work at stage 3b or worse relative to 3a.",
    low=0,
    high=10,
)
PARAMS.add(
    _W + "illness_hours_poor_control",
    1.0,
    "float",
    "hours/week",
    _A + " (Shippee et al. 2012: poor outcomes add illness work)",
    "Extra illness work while blood pressure is uncontrolled.",
    low=0,
    high=20,
)
PARAMS.add(
    _W + "everyday_hours_max",
    12.0,
    "float",
    "hours/week",
    _A,
    "Everyday work (shopping, transport, household) needed at full functional limitation.",
    low=0,
    high=80,
)
PARAMS.add(
    _W + "emotional_hours",
    3.0,
    "float",
    "hours/week",
    _A,
    "Emotional work (listening, reassurance, company) needed by a patient who is not "
    "lonely; doubles for the loneliest.",
    low=0,
    high=40,
)
PARAMS.add(
    _W + "limitation_per_year",
    0.015,
    "float",
    "per year of age",
    _A,
    "Functional limitation gained per year of age above limitation_onset_age.",
    low=0,
    high=0.2,
)
PARAMS.add(
    _W + "limitation_egfr",
    0.03,
    "float",
    "per 10 mL/min/1.73 m^2",
    _A + " (physical function falls as kidney function falls)",
    "Functional limitation added per 10 mL/min/1.73 m^2 of true eGFR below 60.",
    low=0,
    high=1,
)
PARAMS.add(
    _W + "limitation_comorbidity",
    0.04,
    "float",
    "per condition",
    _A + " (multimorbidity limits function)",
    "Functional limitation added per other long-term condition.",
    low=0,
    high=1,
)
PARAMS.add(
    _W + "limitation_diabetes",
    0.1,
    "float",
    "-",
    _A,
    "Functional limitation added by diabetes.",
    low=0,
    high=1,
)
PARAMS.add(
    _W + "limitation_sd",
    0.1,
    "float",
    "-",
    _A,
    "Between-patient SD of functional limitation.",
    low=0,
    high=1,
)
PARAMS.add(
    _W + "capacity_hours",
    16.0,
    "float",
    "hours/week",
    _A + " (Boehmer et al. 2016)",
    "Own capacity for self-management and everyday work of a patient with no limitation, "
    "full mental capacity, a degree and no financial strain.",
    low=0,
    high=100,
)
for _level, _v in (("none", 0.8), ("intermediate", 0.9)):
    PARAMS.add(
        _W + f"rel_capacity_education_{_level}",
        _v,
        "float",
        "multiplier",
        _A + " (literacy; Koetsenruijter et al. 2016)",
        f"Capacity with {'no' if _level == 'none' else _level} qualifications relative to a "
        "degree.",
        low=0,
        high=2,
    )
PARAMS.add(
    _W + "rel_capacity_deprived",
    0.9,
    "float",
    "multiplier",
    _A,
    "Capacity in a deprived locality (financial resources).",
    low=0,
    high=2,
)
PARAMS.add(
    _W + "mental_capacity_mean",
    0.85,
    "float",
    "-",
    _A,
    "Mean baseline mental capacity (fraction of full).",
    low=0,
    high=1,
)
PARAMS.add(
    _W + "tbq_scale",
    0.9,
    "float",
    "-",
    _A + ", calibrated to Tran et al. 2014 (TBQ)",
    "TBQ = 150 (1 - exp(-tbq_scale x treatment and illness work carried / capacity)).",
    low=0,
    high=50,
)

# --- knowledge and experience sharing (Vassilev et al. 2014; Koetsenruijter et al. 2016) ------
_K = "mechanisms.knowledge."
PARAMS.add(
    _K + "rel_learning_education",
    0.2,
    "float",
    "-",
    _A + " (literacy)",
    "Learning rate raised by this fraction with a degree (lowered with no qualifications).",
    low=0,
    high=1,
)
PARAMS.rate(_K + "rate_learning", 0.05, _A, "Weekly learning rate at full exposure.")
PARAMS.rate(
    _K + "rate_fading",
    0.0487,
    _A + "; fitted to T5, T9 and T11 by calibration (scenarios/calibration/bright.toml)",
    "Weekly share of knowledge forgotten (replenished only by contact).",
)
PARAMS.add(
    _K + "half_exposure",
    3.0,
    "float",
    "source-weighted contacts/week",
    _A,
    "Exposure at which learning runs at half its full rate.",
    low=0.001,
    high=100,
)
_CLIN = {
    "partner": 0.15,
    "family": 0.1,
    "friend": 0.1,
    "neighbour": 0.05,
    "acquaintance": 0.05,
    "group": 0.3,
    "professional": 0.9,
    "pet": 0.0,
}
_LAY = {
    "partner": 0.3,
    "family": 0.25,
    "friend": 0.3,
    "neighbour": 0.2,
    "acquaintance": 0.25,
    "group": 0.6,
    "professional": 0.15,
    "pet": 0.0,
}
for _tie in codes.TIE_TYPES:
    PARAMS.share(
        _K + f"clinical_source.{_tie}",
        _CLIN[_tie],
        _A + " (professionals carry clinical knowledge; Rogers et al. 2016)",
        f"Clinical knowledge a {_tie} member passes on per contact (relevance, 0-1).",
    )
    PARAMS.share(
        _K + f"lay_source.{_tie}",
        _LAY[_tie],
        _A + " (peers and groups carry experiential knowledge; Vassilev et al. 2014)",
        f"Lay knowledge a {_tie} member passes on per contact (relevance, 0-1).",
    )
PARAMS.prob(
    _K + "p_peer",
    0.2,
    _A,
    "Probability that a personal member lives with a long-term "
    "condition themselves (a peer who carries experiential knowledge).",
)
PARAMS.share(_K + "lay_source_peer", 0.8, _A, "Lay knowledge passed on per contact by a peer.")
PARAMS.share(
    _K + "lay_source_support_group",
    0.9,
    _A,
    "Lay knowledge passed on per contact by a support group.",
)

# --- accessing and mediating resources (Vassilev et al. 2013; Rogers et al. 2014, 2016) --------
_S = "mechanisms.support."
KINDS_OF_WORK = codes.KINDS_OF_WORK
#: Hours/week an inner-circle, nearby member offers: illness, everyday, emotional work.
_OFFER = {
    "partner": (3.0, 8.0, 5.0),
    "family": (1.0, 2.5, 1.5),
    "friend": (0.3, 0.8, 1.0),
    "neighbour": (0.2, 1.0, 0.4),
    "acquaintance": (0.1, 0.3, 0.3),
    "group": (0.3, 0.2, 0.8),
    "professional": (0.3, 0.0, 0.05),
    "pet": (0.0, 0.0, 2.0),
}
for _tie, _hours in _OFFER.items():
    for _work, _h in zip(KINDS_OF_WORK, _hours, strict=True):
        PARAMS.add(
            _S + f"offer_{_work}.{_tie}",
            _h,
            "float",
            "hours/week",
            _A + " (ordering from Vassilev et al. 2013; Rogers et al. 2014, 2016)",
            f"{_work.capitalize()} work an inner-circle {_tie} member can offer.",
            low=0,
            high=80,
        )
_CAP = {
    "partner": 14.0,
    "family": 8.0,
    "friend": 5.0,
    "neighbour": 5.0,
    "acquaintance": 3.0,
    "group": 40.0,
    "professional": 15.0,
    "pet": 1000.0,
}
for _tie, _c in _CAP.items():
    PARAMS.add(
        _S + f"member_capacity.{_tie}",
        _c,
        "float",
        "hours/week",
        _A,
        f"Total hours a {_tie} member can give across everyone they support "
        "(strain grows with load relative to it).",
        low=0.01,
        high=10_000,
    )
PARAMS.add(
    _S + "rel_circle_middle",
    0.6,
    "float",
    "multiplier",
    _A + " (Vassilev et al. 2013)",
    "Offer of a middle-circle member relative to inner.",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "rel_circle_outer",
    0.3,
    "float",
    "multiplier",
    _A + " (Vassilev et al. 2013)",
    "Offer of an outer-circle member relative to inner.",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "rel_further_everyday",
    0.2,
    "float",
    "multiplier",
    _A + " (proximity)",
    "Everyday work offered by a member living further away, relative to nearby.",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "rel_further_other",
    0.7,
    "float",
    "multiplier",
    _A + " (proximity)",
    "Illness and emotional work offered from further away, relative to nearby.",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "reciprocity_floor",
    0.5,
    "float",
    "-",
    _A + " (weak ties run on reciprocity; Rogers et al. 2014)",
    "Share of a weak tie's offer made when the patient gives "
    "nothing back; the rest scales with the patient's engagement.",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "reluctance_mean",
    0.3,
    "float",
    "-",
    _A + " (moral dilemmas of support; Vassilev et al. 2014)",
    "Mean reluctance to accept help (to be a burden), 0-1.",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "need_elasticity",
    0.5,
    "float",
    "-",
    _A + " (Reeves et al. 2014: network support expands as health needs grow)",
    "Elasticity of members' offers to the patient's need: offers scale with "
    "(need / reference need)^elasticity, per kind of work (0: offers ignore need).",
    low=0,
    high=1,
)
PARAMS.add(
    _S + "mobilisation",
    1.0,
    "float",
    "-",
    _A + " (Reeves et al. 2014; help is mobilised when health worsens)",
    "Relative rise of offers per unit of the mobilisation stock (1 + mobilisation x M).",
    low=0,
    high=20,
)
PARAMS.rate(
    _S + "mobilisation_decay",
    0.1,
    _A + " (help mobilised by a worsening relaxes afterwards)",
    "Weekly decay of the mobilisation stock M, which each rise in total need raises by its "
    "relative size.",
)
PARAMS.rate(_S + "rate_strain", 0.1, _A, "Strain gained per week per unit of load/capacity.")
PARAMS.rate(_S + "rate_recovery", 0.1, _A, "Share of strain shed per week.")
_BROKER = {
    "partner": 0.1,
    "family": 0.15,
    "friend": 0.3,
    "neighbour": 0.2,
    "acquaintance": 0.3,
    "group": 0.5,
    "professional": 0.3,
    "pet": 0.0,
}
for _tie, _b in _BROKER.items():
    PARAMS.prob(
        _S + f"p_broker.{_tie}",
        _b,
        _A + " (members mediate access; Vassilev et al. 2014)",
        f"Probability that a {_tie} member is linked to local groups or services "
        "and can introduce the patient.",
    )

# --- navigation (Vassilev et al. 2014; Munford et al. 2017) -----------------------------------
_N = "mechanisms.navigation."
PARAMS.rate(
    _N + "p_join",
    0.012,
    _A + ", calibrated to T4 stability",
    "Weekly probability of joining a new group at full awareness, self-efficacy and "
    "knowledge with no introductions or guidance.",
)
PARAMS.add(
    _N + "awareness_initial",
    0.4,
    "float",
    "-",
    _A,
    "Mean baseline awareness of network and local resources (0-1).",
    low=0,
    high=1,
)
PARAMS.rate(
    _N + "rate_awareness_return", 0.02, _A, "Weekly pull of awareness back to its baseline."
)
PARAMS.add(
    _N + "rel_brokerage",
    2.0,
    "float",
    "multiplier",
    _A,
    "Rise in joining probability per unit of brokered introductions.",
    low=0,
    high=100,
)
PARAMS.add(
    _N + "rel_guidance",
    6.0,
    "float",
    "multiplier",
    _A,
    "Rise in joining probability at full guidance (e.g. after a link-worker call).",
    low=0,
    high=100,
)
PARAMS.rate(_N + "rate_guidance_decay", 0.25, _A, "Weekly decay of guidance after it is given.")
PARAMS.add(
    _N + "preference_weight",
    3.0,
    "float",
    "-",
    _A + " (GENIE preference matching)",
    "How strongly the choice of group follows preferences (0 = at random).",
    low=0,
    high=100,
)
PARAMS.share(
    _N + "initial_strength", 0.2, _A + " (new ties start weak)", "Strength of a newly formed tie."
)
PARAMS.rate(_N + "rate_strength", 0.05, _A, "Weekly approach of tie strength towards its fit.")
PARAMS.rate(
    _N + "p_lapse",
    0.02,
    _A,
    "Weekly probability that a group tie that does not fit "
    "lapses (scaled by 1.5 - fit and by 1 - collective efficacy / 2).",
)
PARAMS.rate(
    _N + "p_stop_overload",
    0.03,
    _A,
    "Weekly probability of stopping taking part in a "
    "group per unit of workload-capacity imbalance.",
)
PARAMS.add(
    _N + "max_new_ties",
    3,
    "int",
    "ties",
    _A,
    "Free slots per patient for new group ties (slots freed by ended ties are reused).",
    low=1,
    high=100,
)

# --- negotiation (Vassilev et al. 2014) -------------------------------------------------------
_G = "mechanisms.negotiation."
PARAMS.rate(
    _G + "strain_threshold", 0.4, _A, "Member strain above which patients re-negotiate.", unit="-"
)
PARAMS.rate(
    _G + "unmet_threshold",
    0.25,
    _A,
    "Share of need unmet above which patients re-negotiate.",
    unit="-",
)
PARAMS.rate(
    _G + "p_attempt", 0.1, _A, "Weekly probability of trying to re-negotiate when triggered."
)
PARAMS.rate(_G + "skill_mean", 0.5, _A, "Mean negotiation skill (0-1).", unit="-")
PARAMS.add(
    _G + "skill_education",
    0.05,
    "float",
    "-",
    _A,
    "Negotiation skill added by a degree (and removed by no qualifications).",
    low=0,
    high=0.5,
)
PARAMS.rate(_G + "quality_initial", 0.75, _A, "Mean baseline relationship quality (0-1).", unit="-")
PARAMS.rate(
    _G + "shift",
    0.25,
    _A,
    "Share of a strained member's work moved to others on success.",
    unit="-",
)
PARAMS.rate(
    _G + "strain_relief", 0.2, _A, "Strain removed from the strained member on success.", unit="-"
)
PARAMS.rate(_G + "quality_loss", 0.1, _A, "Relationship quality lost on failure.", unit="-")
PARAMS.rate(_G + "rate_quality_recovery", 0.03, _A, "Weekly recovery of relationship quality.")
PARAMS.rate(
    _G + "rate_share_return",
    0.02,
    _A,
    "Weekly drift of negotiated shares of work back towards what members did at baseline.",
)
PARAMS.rate(
    _G + "quality_end",
    0.2,
    _A,
    "Quality below which a failed negotiation can end the tie.",
    unit="-",
)
PARAMS.rate(
    _G + "p_end_tie",
    0.05,
    _A,
    "Probability that a failed negotiation with a tie below quality_end ends it.",
    unit="probability",
)

# --- collective efficacy (Vassilev et al. 2014, 2019) -----------------------------------------
_C = "mechanisms.collective."
PARAMS.rate(
    _C + "rate_build",
    0.04,
    _A + " (built by repeated shared engagement and trust)",
    "Weekly build-up at full shared engagement and trust.",
)
PARAMS.rate(_C + "rate_fade", 0.02, _A, "Weekly fading without shared engagement.")
PARAMS.add(
    _C + "half_engagement",
    3.0,
    "float",
    "weighted contacts/week",
    _A,
    "Shared engagement at which building runs at half rate.",
    low=0.001,
    high=100,
)
PARAMS.add(
    _C + "weight_group",
    3.0,
    "float",
    "multiplier",
    _A + " (Vassilev et al. 2019: groups and legitimised ongoing engagement)",
    "Weight of group contact in shared engagement relative to other contact.",
    low=0,
    high=100,
)
PARAMS.add(
    _C + "rel_support",
    0.5,
    "float",
    "multiplier",
    "Shippee et al. 2012; assumption",
    "Network support counted as capacity is scaled by 1 + rel_support x collective efficacy.",
    low=0,
    high=10,
)

# --- workload-capacity balance and self-management (Shippee et al. 2012; May et al. 2009) ----
_B = "mechanisms.balance."
PARAMS.add(
    _B + "k_imbalance",
    1.5,
    "float",
    "-",
    _A + " (structurally induced non-compliance)",
    "Loss of self-management per unit of overload: S = target / (1 + k x imbalance).",
    low=0,
    high=100,
)
PARAMS.add(
    _B + "self_management_base",
    -0.8023,
    "float",
    "-",
    _A + "; fitted to T5 and T9 by calibration (scenarios/calibration/bright.toml)",
    "Intercept of the self-management target (share of recommended self-care carried out; "
    "the target is clipped to 0-1): its value with no knowledge and no self-efficacy.",
    low=-1.0,
    high=1.0,
)
PARAMS.add(
    _B + "self_management_knowledge",
    1.7777,
    "float",
    "-",
    _A + " (Koetsenruijter et al. 2016); fitted to T5 and T9 by calibration "
    "(scenarios/calibration/bright.toml)",
    "Self-management added by full clinical and lay knowledge.",
    low=0.0,
    high=2.0,
)
PARAMS.add(
    _B + "self_management_efficacy",
    1.9107,
    "float",
    "-",
    _A + "; fitted to T5 and T9 by calibration (scenarios/calibration/bright.toml)",
    "Self-management added by full self-efficacy.",
    low=0.0,
    high=2.0,
)
PARAMS.rate(
    _B + "rate_self_management", 0.2, _A, "Weekly approach of self-management to its target."
)
PARAMS.rate(_B + "self_efficacy_initial", 0.5, _A, "Mean baseline self-efficacy (0-1).", unit="-")
PARAMS.rate(
    _B + "self_efficacy_collective",
    0.2,
    _A + " (collective efficacy raises self-efficacy; Vassilev et al. 2014)",
    "Weight of collective efficacy in the self-efficacy target.",
    unit="-",
)
PARAMS.rate(
    _B + "self_efficacy_knowledge",
    0.5741,
    _A + " (understanding one's condition builds confidence; Boehmer et al. 2016; "
    "Koetsenruijter et al. 2016); set by an earlier calibration to T2-T9, before the clinical "
    "core; not free in scenarios/calibration/bright.toml since",
    "Weight of mean clinical and lay knowledge in the self-efficacy target.",
    unit="-",
)
PARAMS.rate(
    _B + "self_efficacy_participation",
    0.2,
    _A + " (shared activity builds confidence; Reeves et al. 2014: group links and heiQ skills)",
    "Weight of established participation in the self-efficacy target.",
    unit="-",
)
PARAMS.must_not_exceed_one(
    (
        _B + "self_efficacy_collective",
        _B + "self_efficacy_knowledge",
        _B + "self_efficacy_participation",
    )
)
PARAMS.rate(_B + "rate_self_efficacy", 0.15, _A, "Weekly approach of self-efficacy to target.")
PARAMS.rate(
    _B + "rate_capacity_erosion",
    0.01,
    _A + " (Shippee et al. 2012)",
    "Weekly loss of mental capacity per unit of imbalance.",
)
PARAMS.rate(
    _B + "rate_capacity_recovery", 0.05, _A, "Weekly recovery of mental capacity towards baseline."
)

# --- functional forms (assumptions a sweep can vary) -----------------------------------------
PARAMS.add(
    _W + "limitation_onset_age",
    60.0,
    "float",
    "years",
    _A,
    "Age from which functional limitation accrues.",
    low=18,
    high=110,
)
PARAMS.add(
    "mechanisms.navigation.lapse_fit_offset",
    1.5,
    "float",
    "-",
    _A,
    "Lapse probability scales with (offset - fit): with 1.5, a tie that fits perfectly lapses "
    "a third as often as one that does not fit at all.",
    low=1.0,
    high=10,
)
PARAMS.share(
    "mechanisms.navigation.lapse_collective_weight",
    0.5,
    _A,
    "How much collective efficacy cuts lapses: lapses scale with (1 - weight x CE).",
)
PARAMS.add(
    "mechanisms.negotiation.share_max",
    2.0,
    "float",
    "multiplier",
    _A,
    "Most that negotiation can raise a member's share of work.",
    low=1.0,
    high=10,
)
PARAMS.add(
    "mechanisms.baseline.concentration",
    8.0,
    "float",
    "-",
    _A,
    "Spread of baseline draws of awareness, self-efficacy, reluctance, skill and "
    "relationship quality: Beta distributions with a + b = concentration (higher = less "
    "spread).",
    low=0.5,
    high=1000,
)
PARAMS.add(
    "mechanisms.baseline.mental_concentration",
    20.0,
    "float",
    "-",
    _A,
    "As baseline.concentration, for baseline mental capacity.",
    low=0.5,
    high=1000,
)
