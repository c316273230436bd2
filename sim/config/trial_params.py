"""Section [trial]: the virtual BRIGHT-style trial run by ``sim trial`` (dossier section 4, T9).

Patients are recruited from a practice population, randomised at patient level, followed up with
the losses the trial reported, and analysed as the trial was (Blakeman et al. 2014; follow-up from
the Cochrane review CD012379, 2019).
"""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()
_BRIGHT = "Blakeman et al. 2014"
_COCHRANE = "Cochrane review CD012379 (2019)"

PARAMS.add(
    "trial.n_intervention",
    215,
    "int",
    "patients",
    _BRIGHT,
    "Patients randomised to the intervention.",
    low=1,
    high=1_000_000,
)
PARAMS.add(
    "trial.n_control",
    221,
    "int",
    "patients",
    _BRIGHT,
    "Patients randomised to usual care.",
    low=1,
    high=1_000_000,
)
PARAMS.add(
    "trial.patients_per_practice",
    19,
    "int",
    "patients",
    "assumption (the fewest that supply 436 patients from 24 practices)",
    "Patients in each practice's population from which the trial recruits at random "
    "(population.n_practices practices; replaces population.patients_per_practice).",
    low=1,
    high=1_000_000,
)
for _what, _arm, _n, _source in (
    ("self_report", "intervention", 180, _COCHRANE),
    ("self_report", "control", 194, _COCHRANE),
    ("bp", "intervention", 193, _COCHRANE),
    ("bp", "control", 210, _COCHRANE),
):
    PARAMS.add(
        f"trial.n_followup_{_what}_{_arm}",
        _n,
        "int",
        "patients",
        _source,
        f"Patients of the {_arm} arm with {_what.replace('_', '-').replace('bp', 'BP')} data "
        "at follow-up (deaths first, the rest lost at random).",
        low=0,
        high=1_000_000,
    )
PARAMS.add(
    "trial.eq5d_measurement_sd",
    0.15,
    "float",
    "EQ-5D-3L",
    "assumption (test-retest reliability about 0.7 with an SD of 0.25-0.30; dossier section 6)",
    "SD of the error of one EQ-5D-3L questionnaire around the patient's utility (baseline and "
    "follow-up; readings are kept within the UK tariff range).",
    low=0,
    high=1,
)
PARAMS.add(
    "trial.heiq_measurement_sd",
    0.25,
    "float",
    "heiQ points",
    "assumption (test-retest reliability about 0.8 with an SD of 0.5-0.6; Osborne et al. 2007)",
    "SD of the error of one heiQ questionnaire around the patient's engagement (kept in 1-4).",
    low=0,
    high=3,
)
PARAMS.add(
    "trial.outcome_week",
    26,
    "int",
    "weeks",
    _BRIGHT + " (primary outcomes at 6 months)",
    "Week of the follow-up assessment (the trial runs this many weeks).",
    low=1,
    high=1040,
)
PARAMS.add(
    "trial.replicates",
    200,
    "int",
    "trials",
    "-",
    "Replicate trials, each with its own practice population and randomisation.",
    low=1,
    high=100_000,
)
PARAMS.add(
    "trial.batch_size",
    10,
    "int",
    "trials",
    "-",
    "Replicate trials simulated together as one model of disjoint practice populations (for "
    "speed). Results depend on it, not on the number of workers.",
    low=1,
    high=1000,
)
PARAMS.add(
    "trial.shared_world",
    False,
    "bool",
    "-",
    "-",
    "Take the trial's observed outcomes from a third model in which only the randomised arm "
    "receives the intervention (arms share groups and professionals); otherwise from the "
    "everyone / no-one pair, assuming no interference between patients.",
)
PARAMS.prob("trial.alpha", 0.05, "-", "Two-sided significance level (confidence 1 - alpha).")
PARAMS.add(
    "trial.practice_adjustment",
    "cluster",
    "choice",
    "-",
    "BRIGHT randomised patients within 24 practices (Blakeman et al. 2014)",
    "Standard errors of the effects: 'cluster' = cluster-robust by practice (sandwich, small-"
    "sample corrected), 'none' = model-based (patients independent).",
    choices=("cluster", "none"),
)
PARAMS.add(
    "trial.willingness_to_pay",
    20_000.0,
    "float",
    "GBP/QALY",
    "assumption (NICE threshold)",
    "Willingness to pay for a QALY (net monetary benefit).",
    low=0,
    high=1_000_000,
)

# --- the published comparator of an intervention scenario ([trial.published.<outcome>]) --------
for _outcome in ("eq5d", "bp_controlled", "heiq", "cost", "qaly"):
    _P = f"trial.published.{_outcome}."
    PARAMS.add(
        _P + "estimate",
        0.0,
        "float",
        "outcome's effect scale",
        "-",
        f"Published effect on {_outcome} this scenario's trial is compared with (difference, or "
        "odds ratio for BP control); used only when the scenario file itself gives a source.",
    )
    PARAMS.add(_P + "low", 0.0, "float", "outcome's effect scale", "-", "Its 95% CI, low end.")
    PARAMS.add(_P + "high", 0.0, "float", "outcome's effect scale", "-", "Its 95% CI, high end.")
    PARAMS.add(
        _P + "source",
        "",
        "str",
        "-",
        "-",
        "Where the published figure comes from (empty: no comparator). Inherited comparators "
        "are ignored: a scenario is compared only with the figure its own file names.",
    )
    PARAMS.add(
        _P + "target",
        "",
        "str",
        "-",
        "-",
        "The calibration target code this figure is, if any (e.g. T9a): the figure is then "
        "'used in fitting' when the calibration behind the shipped defaults fitted that target.",
    )
