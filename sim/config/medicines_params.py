"""Section [mechanisms] continued: taking medicines, BP drift and reviews (ODD 7.6, 7.12).

Persistence with antihypertensive medicines falls without reinforcement (Vrijens et al., BMJ
2008: about half stopped within a year; about one dose in ten missed among those still taking
them; dossier 6b, target T11); reviews restore it.
"""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()
_A = "assumption"

# --- persistence and adherence ---------------------------------------------------------------
_M = "mechanisms.medicines."
PARAMS.rate(
    _M + "stop_rate",
    0.0134,
    "fitted to T11 (Vrijens et al. 2008: about half stop within a year without reinforcement) "
    "by calibration (scenarios/calibration/bright.toml)",
    "Weekly hazard of stopping antihypertensive medicines at self-management 0.5 and no overload.",
)
PARAMS.add(
    _M + "stop_self_management",
    2.745,
    "float",
    "per unit of S",
    _A + " (patients who self-manage keep taking their medicines); fitted to T5 and T9 by "
    "calibration (scenarios/calibration/bright.toml)",
    "Log-fall of the stopping hazard per unit of self-management above 0.5.",
    low=0,
    high=10,
)
PARAMS.add(
    _M + "stop_imbalance",
    0.5,
    "float",
    "-",
    _A + " (structurally induced non-compliance; May et al. 2009)",
    "Relative rise of the stopping hazard per unit of workload-capacity imbalance (counted up "
    "to 1).",
    low=0,
    high=20,
)
PARAMS.prob(
    _M + "p_restart",
    0.5,
    _A + " (a review that finds a patient has stopped restarts treatment)",
    "Probability that a review restarts the medicines of a patient who has stopped them.",
)
PARAMS.rate(
    _M + "adherence_base",
    0.7,
    _A + " (Vrijens et al. 2008: about one dose in ten missed while persisting)",
    "Share of doses taken while persisting by a patient with no self-management.",
    unit="-",
)
PARAMS.rate(
    _M + "adherence_self_management",
    0.4,
    _A + " (Vrijens et al. 2008)",
    "Share of doses added by full self-management (adherence is clipped to 0-1).",
    unit="-",
)

# --- BP drift and reviews --------------------------------------------------------------------
_H = "mechanisms.health."
PARAMS.add(
    _H + "sbp_egfr_slope",
    0.2,
    "float",
    "mmHg per mL/min/1.73 m^2",
    _A + " (BP rises as kidney function falls)",
    "Rise of untreated systolic BP per unit of true eGFR below 60.",
    low=0,
    high=5,
)
PARAMS.add(
    _H + "reviews_after_recruitment",
    True,
    "bool",
    "-",
    "-",
    "Hold the usual-care reviews after recruitment (false: none from recruitment on; used to "
    "measure persistence without reviews, target T11).",
)
