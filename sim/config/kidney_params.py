"""Section [mechanisms] continued: kidney function, comorbidity and death (ODD 7.6, 7.11).

Kidney function is a continuous true eGFR (mL/min/1.73 m^2) that declines at an individual
annual slope and is seen only through noisy clinic readings; the CKD stage is the band of the last
reading (dossier section 6: Shardlow et al. 2016, who measured remission and progression from
readings). Death and admissions depend on true eGFR by the bands of Go et al. (NEJM 2004;
dossier section 6b).
"""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()
_A = "assumption"
_FIT = "fitted to the five-year natural history (Shardlow et al. 2016; docs/ODD.md section 1)"

# --- true eGFR, readings and decline -----------------------------------------------------------
_K = "mechanisms.kidney."
PARAMS.add(
    _K + "egfr_prior_mean",
    72.0,
    "float",
    "mL/min/1.73 m^2",
    _A + " (eGFR of older adults in primary care); " + _FIT,
    "Mean of the population distribution of true eGFR from which the cohort is recruited (a "
    "patient's true eGFR is drawn from it, given that the recruitment reading fell in their "
    "stage's band: regression to the mean).",
    low=5,
    high=150,
)
PARAMS.add(
    _K + "egfr_prior_sd",
    15.0,
    "float",
    "mL/min/1.73 m^2",
    _A + "; " + _FIT,
    "SD of that population distribution.",
    low=0.1,
    high=60,
)
PARAMS.add(
    _K + "egfr_cv",
    0.09,
    "float",
    "-",
    _A + " (visit-to-visit biological and analytical variation of creatinine-based eGFR, "
    "about 8-10%); " + _FIT,
    "Coefficient of variation of a clinic eGFR reading: reading = true x exp(cv x N(0, 1)).",
    low=0,
    high=0.5,
)
PARAMS.add(
    _K + "candidates",
    64,
    "int",
    "draws",
    "-",
    "Candidate (true eGFR, reading) pairs drawn per patient at baseline; the first whose "
    "reading falls in the patient's stage band is kept (the last, clamped into the band, if "
    "none does).",
    low=1,
    high=1024,
)
PARAMS.add(
    _K + "slope_mean",
    0.5,
    "float",
    "mL/min/1.73 m^2 per year",
    _A + " (slow average decline in stage 3 CKD in primary care); " + _FIT,
    "Mean annual decline of true eGFR (positive = falling) before the multipliers below.",
    low=-10,
    high=20,
)
PARAMS.add(
    _K + "slope_sd",
    1.0,
    "float",
    "mL/min/1.73 m^2 per year",
    _A + "; " + _FIT,
    "Between-patient SD of the annual decline (drawn once; can be negative).",
    low=0,
    high=20,
)
for _name, _value, _what in (
    ("proteinuria", 1.5, "with proteinuria"),
    ("diabetes", 1.2, "with diabetes"),
    ("uncontrolled", 1.2, "while true SBP is at or above the NICE target"),
):
    PARAMS.add(
        _K + f"rel_slope_{_name}",
        _value,
        "float",
        "multiplier",
        _A + " (faster decline with proteinuria, diabetes and uncontrolled BP; RRID cohort)",
        f"Decline {_what}, relative to without (applied to positive slopes only).",
        low=0,
        high=20,
    )

# --- comorbidity -------------------------------------------------------------------------------
_M = "mechanisms.comorbidity."
PARAMS.add(
    _M + "mean",
    1.5,
    "float",
    "conditions",
    _A + " (multimorbidity is common in stage 3 CKD in primary care)",
    "Mean number of other long-term conditions (cardiovascular disease, arthritis, COPD ...) "
    "at age 72: Poisson, drawn once.",
    low=0,
    high=20,
)
PARAMS.add(
    _M + "age_slope",
    0.03,
    "float",
    "per year of age",
    _A,
    "Log-rise of that mean per year of age: mean x exp(age_slope (age - 72)).",
    low=0,
    high=0.5,
)

# --- death by true eGFR (Go et al. 2004) ------------------------------------------------------
_BANDS = (("45_59", 1.2), ("30_44", 1.8), ("15_29", 3.2), ("below_15", 5.9))
for _band, _hr in _BANDS:
    PARAMS.add(
        f"mechanisms.history.death_hr.egfr_{_band}",
        _hr,
        "float",
        "hazard ratio",
        "Go et al. 2004 (adjusted, against eGFR 60 or more)",
        f"Death hazard at a true eGFR of {_band.replace('_', '-').replace('below-', 'below ')} "
        "relative to 60 or more.",
        low=0,
        high=50,
    )
