"""Prior ranges of the parameters a calibration may move, each with its evidence or assumption.

A calibration file (``sim calibrate``) may free a parameter only if it is declared here, and only
within these bounds (:func:`sim.calibration.calibration_file.load_calibration` refuses otherwise,
exit 2). The bounds are the *prior*: the range the evidence, or a stated assumption, allows before
the calibration targets are consulted. The fit report shows where each fitted value sits in its
range and how much the targets narrowed it.

Intervention doses are shares of the gap to full knowledge (or awareness) closed by one delivery
(``x += dose (1 - x)``; ODD 7.10). Baseline clinical knowledge is about 0.37 in the usual-care
population, so a dose ``d`` read by a patient raises knowledge by about ``0.63 d``.

Evidence on written patient information: in the Cochrane review of patient decision aids (Stacey
et al. 2017, 52 trials), aids raised knowledge test scores by 13.3 points out of 100 (95% CI 11.3
to 15.2) against usual care, counting everyone offered the aid. A guidebook is written information
of that kind, usually less tailored than a decision aid. A gain of 13 points out of a gap of about
63 is a fifth of the gap for everyone offered; for readers only (uptake about 0.8) about a quarter.
The prior therefore spans 0.05 to 0.40 of the gap: from a barely read leaflet to half again the
upper confidence limit of the decision-aid effect, among readers. The lay-knowledge dose has no
direct evidence; it takes the same range (assumption: the guidebook's lay accounts are written
information too). (Stacey et al. 2017 is to be added to the science dossier; until then the source
reads "assumption, informed by ...".)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prior:
    """The range a calibration may move a parameter in.

    Attributes:
        low: Smallest value a calibration may try.
        high: Largest value.
        source: The evidence (dossier reference) or the assumption behind the range.
    """

    low: float
    high: float
    source: str


_WRITTEN = (
    "assumption, informed by Stacey et al. 2017 (Cochrane review of patient decision aids: "
    "knowledge +13.3/100, 95% CI 11.3 to 15.2): 0.05 to 0.40 of the gap among readers "
    "(see sim/config/prior_params.py)"
)
_UPTAKE = (
    "assumption: BRIGHT's components were used at the participant's discretion "
    "(Blakeman et al. 2014); uptake neither negligible nor universal"
)

#: Dotted parameter key -> prior range. Every free parameter of a calibration file must be here.
PRIORS: dict[str, Prior] = {
    # BRIGHT guidebook (written information)
    "interventions.bright.guidebook.knowledge_clinical": Prior(0.05, 0.40, _WRITTEN),
    "interventions.bright.guidebook.knowledge_lay": Prior(
        0.05, 0.40, _WRITTEN + "; no direct evidence for lay, experiential accounts"
    ),
    "interventions.bright.guidebook.p_uptake": Prior(0.5, 0.95, _UPTAKE),
    # BRIGHT PLANS (assessment of needs with a booklet of local resources)
    "interventions.bright.plans.p_uptake": Prior(0.3, 0.9, _UPTAKE),
    "interventions.bright.plans.awareness": Prior(
        0.05, 0.5, "assumption: a booklet of local resources raises awareness by a modest share"
    ),
    "interventions.bright.plans.awareness_base": Prior(
        0.0, 0.4, "assumption: part of the raised awareness lasts while the booklet is kept"
    ),
    "interventions.bright.plans.match": Prior(
        1.0, 5.0, "assumption: tailoring makes matched categories up to five times as likely"
    ),
    # BRIGHT calls (lay health worker)
    "interventions.bright.calls.p_uptake": Prior(
        0.5, 0.95, "assumption: most of two scheduled calls are completed (Blakeman et al. 2014)"
    ),
    "interventions.bright.calls.guidance": Prior(
        0.3, 1.0, "assumption: a completed call gives at least some guidance towards resources"
    ),
    # GENIE session (Kennedy et al. 2016)
    "interventions.genie.session.p_uptake": Prior(0.5, 0.95, "assumption: one facilitated session"),
    "interventions.genie.session.awareness": Prior(
        0.1,
        0.7,
        "assumption: mapping the personal community raises awareness (Kennedy et al. 2016)",
    ),
    "interventions.genie.session.skill": Prior(
        0.0, 0.4, "assumption: reflection supports negotiation, modestly"
    ),
    # mechanisms (ODD 7.2, 7.5, 7.6, 7.8, 7.12, 7.13)
    "mechanisms.knowledge.rate_fading": Prior(
        0.005, 0.05, "assumption: knowledge half-life between about 3 months and 2.5 years"
    ),
    "mechanisms.knowledge.rate_learning": Prior(0.01, 0.15, "assumption"),
    "mechanisms.balance.self_management_knowledge": Prior(
        0.3, 2.0, "assumption (Koetsenruijter et al. 2016: knowledge supports self-management)"
    ),
    "mechanisms.balance.self_management_base": Prior(-1.0, 0.2, "assumption"),
    "mechanisms.balance.self_management_efficacy": Prior(
        0.3, 2.0, "assumption (self-efficacy supports self-management; Boehmer et al. 2016)"
    ),
    "mechanisms.balance.self_efficacy_knowledge": Prior(
        0.2, 0.6, "assumption (Boehmer et al. 2016); at most 0.6 so the weights stay within 1"
    ),
    "mechanisms.health.self_care_effect": Prior(
        5.0,
        25.0,
        "assumption: full self-care (less salt, activity, weight, home monitoring) against none; "
        "each lifestyle measure lowers systolic BP by a few mmHg",
    ),
    "mechanisms.health.sbp_untreated_mean": Prior(
        140.0, 165.0, "assumption; T5 (RRID cohort 2013) constrains it"
    ),
    "mechanisms.medicines.stop_rate": Prior(
        0.004,
        0.04,
        "assumption, around Vrijens et al. 2008 (about half stop within a year: 0.013 a week); "
        "T11 constrains it",
    ),
    "mechanisms.medicines.stop_self_management": Prior(
        0.0, 4.0, "assumption (Vrijens et al. 2008: stopping is common and varies between patients)"
    ),
    "mechanisms.eq5d.self_efficacy_anxiety": Prior(
        0.5,
        6.0,
        "assumption: confidence in managing one's condition lowers illness-related anxiety; "
        "T6 and T9 constrain it",
    ),
    "mechanisms.eq5d.participation_usual_activities": Prior(
        0.0, 8.0, "assumption; T7 (Munford et al. 2020) constrains it"
    ),
    "mechanisms.eq5d.intercept.pain_discomfort": Prior(
        -2.0, 1.0, "assumption; T6 and T10 (pain or discomfort 45-70%) constrain it"
    ),
    "mechanisms.eq5d.intercept.usual_activities": Prior(
        -2.5, 0.5, "assumption; T6 and T10 (usual activities 25-50%) constrain it"
    ),
    "mechanisms.eq5d.intercept.anxiety_depression": Prior(
        -2.5, 0.5, "assumption; T6 and T10 (anxiety or depression 18-40%) constrain it"
    ),
    "mechanisms.navigation.p_join": Prior(0.004, 0.03, "assumption; T4 constrains it"),
}
