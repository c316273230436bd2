"""Section [mechanisms] continued: blood pressure, usual care, natural history and outcomes.

Clinical anchors from dossier section 6 (RRID cohort 2013; Shardlow et al. 2016; Osborne et al.
2007); NICE 2008 targets (Blakeman et al. 2014). EQ-5D, service use and costs are declared in
:mod:`sim.params.eq5d_params` and :mod:`sim.params.services_params`.
"""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()
_A = "assumption"

# --- blood pressure and usual care -------------------------------------------------------------
_H = "mechanisms.health."
PARAMS.add(
    _H + "sbp_untreated_mean",
    147.4338,
    "float",
    "mmHg",
    _A + "; fitted to T5 and T9 by calibration (scenarios/calibration/bright.toml)",
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
    "Rise of untreated systolic BP per year of age above 70 in patients with hypertension.",
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
    "Mean number of antihypertensive medicines prescribed before the warm-up (patients with "
    "hypertension; Poisson, at most max_medicines).",
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
    20.3188,
    "float",
    "mmHg",
    _A + " (diet, salt, activity, home monitoring); fitted to T5 and T9 by calibration "
    "(scenarios/calibration/bright.toml)",
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
    "Probability that a review with an uncontrolled reading adds a medicine (patients with "
    "hypertension who are still taking their medicines).",
)

PARAMS.add(
    _H + "sbp_min",
    90.0,
    "float",
    "mmHg",
    _A + " (physiological floor)",
    "Lowest systolic BP: each patient's untreated level is drawn, and treated BP falls, no lower.",
    low=50,
    high=150,
)

# --- natural history (Shardlow et al. 2016: 5 years, n = 1,741, age 72.9) ----------------------
_N = "mechanisms.history."
PARAMS.add(
    _N + "death_rate_72",
    0.0155,
    "float",
    "per year",
    "fitted to Shardlow et al. 2016 (14.2% died in 5 years)",
    "Annual death rate at age 72.9 with a true eGFR of 60 or more.",
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
# --- outcomes ----------------------------------------------------------------------------------
_O = "mechanisms.outcomes."
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
