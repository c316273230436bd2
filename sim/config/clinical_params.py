"""Section [mechanisms] continued: blood pressure, usual care, natural history and outcomes.

Clinical anchors from dossier section 6 (RRID cohort 2013; Shardlow et al. 2016; Cooper et al.
2020; Tran et al. 2014); NICE 2008 targets (Blakeman et al. 2014). Unit costs are assumptions of
the order of UK reference costs.
"""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()
_A = "assumption"

# --- blood pressure and usual care -------------------------------------------------------------
_H = "mechanisms.health."
PARAMS.add(
    _H + "sbp_untreated_mean",
    149.0,
    "float",
    "mmHg",
    _A + ", calibrated to T5",
    "Mean untreated systolic BP of a patient with hypertension.",
    low=80,
    high=250,
)
PARAMS.add(
    _H + "sbp_untreated_sd",
    14.0,
    "float",
    "mmHg",
    _A,
    "SD of untreated systolic BP.",
    low=0,
    high=60,
)
PARAMS.add(
    _H + "sbp_normotensive_mean",
    128.0,
    "float",
    "mmHg",
    _A,
    "Mean systolic BP of a patient without hypertension.",
    low=80,
    high=200,
)
PARAMS.add(_H + "sbp_normotensive_sd", 9.0, "float", "mmHg", _A, "SD of that BP.", low=0, high=60)
PARAMS.add(
    _H + "sbp_age_slope",
    0.3,
    "float",
    "mmHg/year",
    _A + " (RRID: lower control at 70-79)",
    "Rise of untreated systolic BP per year of age above 70 (at baseline, and as patients "
    "with hypertension age).",
    low=0,
    high=5,
)
PARAMS.add(
    _H + "sbp_diabetes",
    4.0,
    "float",
    "mmHg",
    _A + " (RRID: lower control with diabetes)",
    "Extra untreated systolic BP with diabetes.",
    low=0,
    high=40,
)
PARAMS.add(
    _H + "medicines_initial_mean",
    1.8,
    "float",
    "medicines",
    _A,
    "Mean number of antihypertensive medicines at baseline (hypertensives).",
    low=0,
    high=6,
)
PARAMS.add(
    _H + "medicine_effect",
    8.0,
    "float",
    "mmHg",
    _A + " (typical per-drug effect)",
    "Fall in systolic BP per medicine taken as prescribed.",
    low=0,
    high=40,
)
PARAMS.add(
    _H + "max_medicines",
    5,
    "int",
    "medicines",
    _A + " (NICE step care)",
    "Most antihypertensive medicines prescribed.",
    low=0,
    high=10,
)
PARAMS.add(
    _H + "self_care_effect",
    12.0,
    "float",
    "mmHg",
    _A + " (diet, salt, activity, home monitoring)",
    "Fall in systolic BP from full self-management relative to none.",
    low=0,
    high=40,
)
PARAMS.rate(_H + "rate_sbp", 0.25, _A, "Weekly approach of systolic BP to its current level.")
PARAMS.add(
    _H + "measurement_sd",
    7.0,
    "float",
    "mmHg",
    _A + " (visit-to-visit variability)",
    "SD of a clinic reading around true systolic BP.",
    low=0,
    high=40,
)
PARAMS.add(
    _H + "target_sbp",
    140.0,
    "float",
    "mmHg",
    "NICE 2008 (Blakeman et al. 2014)",
    "Systolic target without proteinuria.",
    low=80,
    high=200,
)
PARAMS.add(
    _H + "target_sbp_proteinuria",
    130.0,
    "float",
    "mmHg",
    "NICE 2008 (Blakeman et al. 2014)",
    "Systolic target with proteinuria.",
    low=80,
    high=200,
)
PARAMS.add(
    _H + "review_interval",
    26,
    "int",
    "weeks",
    _A + " (periodic CKD/QOF reviews)",
    "Weeks between practice reviews in usual care.",
    low=1,
    high=520,
)
PARAMS.prob(
    _H + "p_intensify",
    0.15,
    _A + " (clinical inertia)",
    "Probability that a review with an uncontrolled reading adds a medicine.",
)

PARAMS.add(
    _H + "sbp_min",
    90.0,
    "float",
    "mmHg",
    _A + " (physiological floor)",
    "Lowest systolic BP: untreated BP is drawn, and treated BP falls, no lower.",
    low=50,
    high=150,
)

# --- natural history (Shardlow et al. 2016: 5 years, n = 1,741, age 72.9) ----------------------
_N = "mechanisms.history."
PARAMS.add(
    _N + "death_rate_72",
    0.019,
    "float",
    "per year",
    "calibrated to Shardlow et al. 2016 (14.2% died in 5 years)",
    "Annual death rate at age 72.9, stage 3a.",
    low=0,
    high=1,
)
PARAMS.add(
    _N + "death_age_gradient",
    0.09,
    "float",
    "per year of age",
    _A + " (Gompertz)",
    "Log-hazard rise of death per year of age.",
    low=0,
    high=0.5,
)
PARAMS.add(
    _N + "rel_death_3b",
    1.5,
    "float",
    "hazard ratio",
    _A,
    "Death hazard at 3b or worse.",
    low=0,
    high=20,
)
PARAMS.add(
    _N + "progression_rate",
    0.040,
    "float",
    "per year",
    "calibrated to Shardlow et al. 2016 (17.7% progressed in 5 years)",
    "Annual rate of progressing one stage.",
    low=0,
    high=1,
)
PARAMS.add(
    _N + "rel_progression_uncontrolled",
    1.5,
    "float",
    "hazard ratio",
    _A,
    "Progression hazard while BP is uncontrolled.",
    low=0,
    high=20,
)
PARAMS.add(
    _N + "rel_progression_proteinuria",
    2.0,
    "float",
    "hazard ratio",
    _A,
    "Progression hazard with proteinuria.",
    low=0,
    high=20,
)
PARAMS.add(
    _N + "remission_rate",
    0.075,
    "float",
    "per year",
    "calibrated to Shardlow et al. 2016 (19.3% remitted in 5 years)",
    "Annual rate of remission (eGFR back above 60).",
    low=0,
    high=1,
)

# --- outcomes ----------------------------------------------------------------------------------
_O = "mechanisms.outcomes."
PARAMS.add(
    _O + "utility_base",
    0.6882,
    "float",
    "EQ-5D-3L",
    "fitted to T6 (Cooper et al. 2020) and T9 by calibration (scenarios/calibration/bright.toml)",
    "Utility at age 72, stage 3a, no diabetes, with no self-efficacy, before network effects.",
    low=-0.594,
    high=1,
)
PARAMS.add(
    _O + "utility_age_slope",
    0.004,
    "float",
    "per year",
    _A,
    "Utility lost per year of age above 72.",
    low=0,
    high=0.1,
)
PARAMS.add(
    _O + "utility_stage_3b",
    0.02,
    "float",
    "EQ-5D-3L",
    "Cooper et al. 2020 (3a and 3b similar)",
    "Utility lost at stage 3b.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_progressed",
    0.08,
    "float",
    "EQ-5D-3L",
    _A,
    "Utility lost at stage 4 or kidney failure.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_diabetes",
    0.05,
    "float",
    "EQ-5D-3L",
    _A,
    "Utility lost with diabetes.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_sd",
    0.2,
    "float",
    "EQ-5D-3L",
    _A + " (dossier: SD 0.25-0.30 overall)",
    "Between-patient SD of baseline utility.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_imbalance",
    0.15,
    "float",
    "EQ-5D-3L",
    _A + " (May et al. 2009)",
    "Utility lost per unit of workload-capacity imbalance (capped at 1).",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_unmet",
    0.12,
    "float",
    "EQ-5D-3L",
    _A,
    "Utility lost when all need for support goes unmet.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_participation",
    0.227,
    "float",
    "EQ-5D-3L",
    "fitted to T7 (Munford et al. 2020: +0.034 over 6 months for people who start taking part) "
    "with T2-T9 by calibration (scenarios/calibration/bright.toml)",
    "Utility gained from established participation in groups "
    "(saturating in summed group-tie strength).",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_self_efficacy",
    0.5893,
    "float",
    "EQ-5D-3L",
    _A + " (self-efficacy is associated with better health-related quality of life in "
    "long-term conditions); fitted to T6 and T9 by calibration (scenarios/calibration/bright.toml)",
    "Utility gained at full self-efficacy (0-1) compared with none.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "utility_lonely",
    0.06,
    "float",
    "EQ-5D-3L",
    _A,
    "Utility lost at full loneliness.",
    low=0,
    high=1,
)
PARAMS.rate(_O + "rate_utility", 0.15, _A, "Weekly approach of utility to its current level.")
PARAMS.add(
    _O + "heiq_base",
    2.55,
    "float",
    "heiQ (1-4)",
    "calibrated to Osborne et al. 2007 (mean about 3.0)",
    "Engagement with no self-efficacy, participation or collective efficacy.",
    low=1,
    high=4,
)
PARAMS.add(
    _O + "heiq_self_efficacy",
    0.6,
    "float",
    "heiQ points",
    _A,
    "Engagement added by full self-efficacy.",
    low=0,
    high=3,
)
PARAMS.add(
    _O + "heiq_participation",
    0.25,
    "float",
    "heiQ points",
    "Reeves et al. 2014",
    "Engagement added by established group participation.",
    low=0,
    high=3,
)
PARAMS.add(
    _O + "heiq_collective",
    0.3,
    "float",
    "heiQ points",
    _A,
    "Engagement added by full collective efficacy.",
    low=0,
    high=3,
)
PARAMS.add(
    _O + "heiq_imbalance",
    0.3,
    "float",
    "heiQ points",
    _A,
    "Engagement lost per unit of imbalance.",
    low=0,
    high=3,
)
PARAMS.add(
    _O + "heiq_sd",
    0.45,
    "float",
    "heiQ points",
    "Osborne et al. 2007 (SD 0.5-0.6)",
    "Between-patient SD of engagement.",
    low=0,
    high=2,
)
PARAMS.add(
    _O + "loneliness_base",
    0.9,
    "float",
    "-",
    _A,
    "Mean loneliness a patient would "
    "feel with no emotional support and no contact (0-1.5, clipped to 0-1 in use).",
    low=0,
    high=1.5,
)
PARAMS.add(
    _O + "loneliness_sd",
    0.15,
    "float",
    "-",
    _A,
    "Between-patient SD of that baseline.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "contact_scale",
    7.0,
    "float",
    "contacts/week",
    _A,
    "Contact frequency over which contact's effect on loneliness saturates: the effect is "
    "1 - exp(-contacts / scale).",
    low=0.01,
    high=100,
)
PARAMS.rate(
    _O + "loneliness_emotional",
    0.6,
    _A,
    "Loneliness removed when emotional need is fully met.",
    unit="-",
)
PARAMS.rate(
    _O + "loneliness_contact",
    0.3,
    _A,
    "Loneliness removed by frequent contact (saturating).",
    unit="-",
)
PARAMS.add(
    _O + "gp_contacts",
    0.15,
    "float",
    "contacts/week",
    _A + " (about 8 a year)",
    "Baseline primary-care contacts.",
    low=0,
    high=10,
)
PARAMS.add(
    _O + "contacts_uncontrolled",
    0.05,
    "float",
    "contacts/week",
    _A,
    "Extra contacts while BP is uncontrolled.",
    low=0,
    high=10,
)
PARAMS.add(
    _O + "contacts_per_unmet_hour",
    0.02,
    "float",
    "contacts per hour",
    _A,
    "Extra contacts per hour of unmet illness work.",
    low=0,
    high=10,
)
PARAMS.add(
    _O + "contacts_substituted_per_hour",
    0.015,
    "float",
    "contacts per hour",
    "Reeves et al. 2014 (network illness work substitutes for formal care); assumption",
    "Contacts avoided per hour of illness work done by the network.",
    low=0,
    high=10,
)
PARAMS.add(
    _O + "cost_contact",
    39.0,
    "float",
    "GBP",
    _A + " (UK unit cost of a GP consultation)",
    "Cost of a primary-care contact.",
    low=0,
    high=10_000,
)
PARAMS.add(
    _O + "cost_medicine",
    1.5,
    "float",
    "GBP/week",
    _A,
    "Weekly cost of one antihypertensive medicine.",
    low=0,
    high=1_000,
)
PARAMS.add(
    _O + "admission_rate",
    0.004,
    "float",
    "per week",
    _A,
    "Weekly hospital admission probability with workload within capacity.",
    low=0,
    high=1,
)
PARAMS.add(
    _O + "rel_admission_imbalance",
    1.0,
    "float",
    "-",
    _A + " (Burden of Treatment Theory)",
    "Relative rise in admissions per unit of imbalance (imbalance counted up to 2).",
    low=0,
    high=100,
)
PARAMS.add(
    _O + "cost_admission",
    1600.0,
    "float",
    "GBP",
    _A,
    "Cost of an admission.",
    low=0,
    high=1_000_000,
)
