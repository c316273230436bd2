"""Section [mechanisms] continued: EQ-5D-3L by dimension (ODD 7.13; dossier 6b and target T10).

Each dimension's level is read off a latent severity (unit: the SD of its individual effect)
driven by the mechanisms; utility follows the UK value set (Dolan 1997), which is code, not a
parameter. Intercepts are fitted so that the shares with any problem at recruitment sit inside
target T10 and mean utility inside T6; the thresholds of level 3 give small shares with extreme
problems (assumption); the weights are assumptions except where marked as fitted.
"""

from __future__ import annotations

from sim.config.param_spec import Registry
from sim.dynamics.eq5d import DIMENSIONS

PARAMS = Registry()
_A = "assumption"
_T10 = (
    "fitted to T10 (share with any problem at recruitment) and T6 (mean utility): usual "
    "activities and anxiety or depression by calibration (scenarios/calibration/bright.toml), "
    "the others by hand (python -m sim.calibration.clinical)"
)
_E = "mechanisms.eq5d."

PARAMS.rate(_E + "rate", 0.15, _A, "Weekly approach of each latent severity to its target.")
PARAMS.rate(
    _E + "correlation",
    0.4,
    _A + " (dimensions correlate through general health)",
    "Share of the variance of the individual effects that all five dimensions share.",
    unit="-",
)
_INTERCEPT = {
    "mobility": -1.283,
    "self_care": -2.199,
    "usual_activities": -0.7928,
    "pain_discomfort": -0.803,
    "anxiety_depression": -1.0889,
}
_SEVERE = {
    "mobility": 2.306,
    "self_care": 1.13,
    "usual_activities": 2.664,
    "pain_discomfort": 2.447,
    "anxiety_depression": 2.055,
}
for _d in DIMENSIONS:
    _name = _d.replace("_", " ")
    PARAMS.add(
        _E + f"intercept.{_d}",
        _INTERCEPT[_d],
        "float",
        "latent units",
        _T10,
        f"Latent severity of {_name} with no limitation, comorbidity, loneliness, imbalance, "
        "unmet work or participation, at self-efficacy 0.5, before the individual effect.",
        low=-10,
        high=10,
    )
    PARAMS.add(
        _E + f"sd.{_d}",
        1.0,
        "float",
        "latent units",
        _A + " (unit of the latent scale)",
        f"SD of the individual effect on {_name}.",
        low=0,
        high=10,
    )
    PARAMS.add(
        _E + f"severe.{_d}",
        _SEVERE[_d],
        "float",
        "latent units",
        _A + " (a few percent with extreme problems)",
        f"Latent severity above which {_name} is at level 3 (above 0: level 2).",
        low=0,
        high=20,
    )
_WEIGHTS = (
    ("limitation_mobility", 3.0, "functional limitation", "mobility"),
    ("limitation_self_care", 2.5, "functional limitation", "self-care"),
    ("limitation_usual_activities", 2.0, "functional limitation", "usual activities"),
    ("unmet_usual_activities", 1.0, "the share of everyday work unmet", "usual activities"),
    ("imbalance_usual_activities", 1.0, "imbalance (counted up to 1)", "usual activities"),
    ("participation_usual_activities", 0.7234, "established participation P", "usual activities"),
    ("comorbidity_pain", 0.3, "each other long-term condition", "pain or discomfort"),
    ("limitation_pain", 1.0, "functional limitation", "pain or discomfort"),
    ("loneliness_anxiety", 1.0, "loneliness (0-1)", "anxiety or depression"),
    ("imbalance_anxiety", 1.0, "imbalance (counted up to 1)", "anxiety or depression"),
    ("self_efficacy_anxiety", 4.6165, "self-efficacy above 0.5", "anxiety or depression"),
    ("participation_anxiety", 5.0, "established participation P", "anxiety or depression"),
)
#: Sources of the weights that are not plain assumptions.
_SOURCES = {
    "participation_usual_activities": "assumption (leisure activities are part of usual "
    "activities); fitted to T7 (Munford et al. 2020) by calibration "
    "(scenarios/calibration/bright.toml)",
    "participation_anxiety": "fitted to T7 (Munford et al. 2020), as measured by "
    "sim.calibration.participation; group links go with better emotional health (Reeves et al. "
    "2014)",
    "self_efficacy_anxiety": "assumption (confidence in managing one's condition lowers "
    "illness-related anxiety); fitted to T6 and T9 by calibration "
    "(scenarios/calibration/bright.toml)",
}
for _key, _value, _by, _dim in _WEIGHTS:
    _falls = _key.startswith(("participation", "self_efficacy"))
    PARAMS.add(
        _E + _key,
        _value,
        "float",
        "latent units",
        _SOURCES.get(_key, _A),
        f"Latent severity of {_dim} {'removed' if _falls else 'added'} per unit of {_by}.",
        low=0,
        high=20,
    )
