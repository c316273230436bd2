"""Section [mechanisms] continued: service use and costs (ODD 7.14; dossier 6b, target T12).

Admissions by true eGFR follow Go et al. 2004 (adjusted hazard ratios of any hospitalisation);
the base rate and the other risk factors are assumptions; contacts are calibrated to a plausible
total for older people with stage 3 CKD in UK primary care (assumption: 10-15 a year). Unit costs
are assumptions of the order of UK reference costs.
"""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()
_A = "assumption"
_S = "mechanisms.services."
_CONTACTS = (
    "calibrated to 10-15 primary-care contacts a year (assumption; the model gives about 13)"
)

PARAMS.add(
    _S + "admission_rate",
    0.15,
    "float",
    "per patient-year",
    _A + " (hospital admission rate of people in their seventies with stage 3 CKD: of the "
    "order of 0.15-0.25 a year)",
    "Admission hazard at true eGFR 60 or more, age 72, no diabetes, BP controlled, full "
    "self-management and no overload.",
    low=0,
    high=10,
)
for _band, _hr in (("45_59", 1.1), ("30_44", 1.5), ("15_29", 2.1), ("below_15", 3.1)):
    PARAMS.add(
        _S + f"admission_hr.egfr_{_band}",
        _hr,
        "float",
        "hazard ratio",
        "Go et al. 2004 (any hospitalisation, adjusted, against eGFR 60 or more)",
        f"Admission hazard at a true eGFR of "
        f"{_band.replace('_', '-').replace('below-', 'below ')} relative to 60 or more.",
        low=0,
        high=50,
    )
for _key, _value, _unit, _source, _what in (
    (
        "admission_hr_age",
        1.3,
        "hazard ratio per 10 years",
        _A,
        "Admission hazard per 10 years of age above 72 (below 72: its inverse).",
    ),
    ("admission_hr_diabetes", 1.4, "hazard ratio", _A, "Admission hazard with diabetes."),
    (
        "admission_hr_uncontrolled",
        1.2,
        "hazard ratio",
        _A + " (cardiovascular events)",
        "Admission hazard while true SBP is at or above the NICE target.",
    ),
    (
        "admission_self_management",
        0.3,
        "-",
        _A,
        "Relative rise of the admission hazard at no "
        "self-management against full: (1 + k (1 - S)).",
    ),
    (
        "admission_imbalance",
        0.3,
        "-",
        _A + " (Burden of Treatment Theory)",
        "Relative rise of "
        "the admission hazard per unit of workload-capacity imbalance (counted up to 2).",
    ),
):
    low = 0.1 if _key == "admission_hr_age" else 0.0  # a ratio per decade: raised to powers
    PARAMS.add(_S + _key, _value, "float", _unit, _source, _what, low=low, high=20)

PARAMS.add(
    _S + "contacts_base",
    0.05,
    "float",
    "contacts/week",
    _CONTACTS,
    "Primary-care (GP and nurse) contacts a week of a patient with no other condition, no "
    "diabetes, no review, BP controlled and no unmet or professional illness work.",
    low=0,
    high=10,
)
for _key, _value, _unit, _source, _what in (
    (
        "contacts_comorbidity",
        0.1,
        "-",
        _A,
        "Relative rise of the base contacts per other long-term condition.",
    ),
    ("contacts_diabetes", 0.2, "-", _A, "Relative rise of the base contacts with diabetes."),
    (
        "contacts_review",
        1.0,
        "contacts",
        _A + " (a review is a consultation)",
        "Contacts in a week with a usual-care review.",
    ),
    (
        "contacts_uncontrolled",
        0.02,
        "contacts/week",
        _A,
        "Extra contacts while the last reading is uncontrolled.",
    ),
    (
        "contacts_per_unmet_hour",
        0.02,
        "contacts per hour",
        _A,
        "Extra contacts per hour of unmet illness work.",
    ),
    (
        "contacts_substituted_per_hour",
        0.015,
        "contacts per hour",
        "Reeves et al. 2014 (network illness work substitutes for formal care); assumption",
        "Contacts avoided per hour of illness work done by lay members (not professionals).",
    ),
):
    PARAMS.add(_S + _key, _value, "float", _unit, _source, _what, low=0, high=10)
PARAMS.add(
    _S + "hours_per_contact",
    1.0,
    "float",
    "hours",
    _A + " (consultation with its preparation, records and follow-up); " + _CONTACTS,
    "Hours of work given by professional ties that make one primary-care contact.",
    low=0.01,
    high=100,
)
for _key, _value, _unit, _what, _high in (
    (
        "cost_contact",
        39.0,
        "GBP",
        "Cost of a primary-care contact (UK unit cost of a GP consultation).",
        10_000,
    ),
    (
        "cost_medicine",
        1.5,
        "GBP/week",
        "Weekly cost of one antihypertensive medicine dispensed (only while the patient persists).",
        1_000,
    ),
    ("cost_admission", 1600.0, "GBP", "Cost of a hospital admission.", 1_000_000),
):
    PARAMS.add(_S + _key, _value, "float", _unit, _A, _what, low=0, high=_high)
