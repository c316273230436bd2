"""Section [population]: the synthetic cohort (dossier T1: Blakeman et al. 2014)."""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()

# --- population (dossier T1: Blakeman et al. 2014) -------------------------------------------
PARAMS.add(
    "population.source",
    "synthetic",
    "choice",
    "-",
    "-",
    "Build a synthetic cohort, or read egos, members and ties from survey CSV files.",
    choices=("synthetic", "survey"),
)
PARAMS.add(
    "population.survey_dir",
    "",
    "str",
    "path",
    "-",
    "Folder with egos.csv, members.csv, ties.csv (relative to the scenario file); "
    "used when population.source = 'survey'. See docs/survey_format.md.",
)
PARAMS.add(
    "population.n_practices",
    24,
    "int",
    "practices",
    "Blakeman et al. 2014",
    "General practices in the population.",
    low=1,
    high=100_000,
)
PARAMS.add(
    "population.patients_per_practice",
    100,
    "int",
    "patients",
    "assumption",
    "Patients with stage 3 CKD registered per practice.",
    low=1,
    high=1_000_000,
)
PARAMS.add(
    "population.practices_per_locality",
    3,
    "int",
    "practices",
    "assumption",
    "Practices sharing one locality (and its community groups).",
    low=1,
    high=10_000,
)
PARAMS.prob(
    "population.p_locality_deprived",
    0.5,
    "assumption (BRIGHT recruited in Greater "
    "Manchester; Vassilev et al. 2013 sampled deprived areas)",
    "Share of localities classed as deprived.",
)
PARAMS.add(
    "population.age_mean",
    72.1,
    "float",
    "years",
    "Blakeman et al. 2014",
    "Mean age.",
    low=18,
    high=110,
)
PARAMS.add(
    "population.age_sd",
    9.1,
    "float",
    "years",
    "Blakeman et al. 2014",
    "Standard deviation of age.",
    low=0.1,
    high=40,
)
PARAMS.prob(
    "population.p_age_75_plus",
    0.427,
    "Blakeman et al. 2014",
    "Share aged 75 or over (shapes the skew of the age distribution).",
)
PARAMS.add(
    "population.age_min",
    40.0,
    "float",
    "years",
    "assumption",
    "Youngest age drawn.",
    low=18,
    high=110,
)
PARAMS.add(
    "population.age_max",
    100.0,
    "float",
    "years",
    "assumption",
    "Oldest age drawn.",
    low=18,
    high=120,
)
PARAMS.prob("population.p_female", 0.585, "Blakeman et al. 2014", "Share of women.")
for _stage, _pro, _p in (
    ("3a", False, 0.716),
    ("3a", True, 0.041),
    ("3b", False, 0.174),
    ("3b", True, 0.069),
):
    PARAMS.prob(
        f"population.p_stage_{_stage}_{'proteinuria' if _pro else 'no_proteinuria'}",
        _p,
        "Blakeman et al. 2014",
        f"Share with CKD stage {_stage} {'with' if _pro else 'without'} proteinuria.",
    )
PARAMS.must_sum_to_one(
    tuple(p.key for p in PARAMS.params if p.key.startswith("population.p_stage"))
)
PARAMS.prob(
    "population.p_no_qualifications",
    0.443,
    "Blakeman et al. 2014",
    "Share with no educational qualifications.",
)
PARAMS.prob("population.p_degree", 0.076, "Blakeman et al. 2014", "Share with a degree.")
PARAMS.prob(
    "population.p_hypertension", 0.88, "RRID cohort, BMC Fam Pract 2013", "Share with hypertension."
)
PARAMS.prob(
    "population.p_diabetes",
    0.30,
    "assumption (common comorbidity in stage 3 CKD)",
    "Share with diabetes.",
)
PARAMS.prob(
    "population.p_lives_with_partner",
    0.50,
    "assumption (older UK adults)",
    "Share living with a partner.",
)
PARAMS.prob(
    "population.p_lives_alone",
    0.38,
    "assumption (older UK adults)",
    "Share living alone; the rest live with others (e.g. an adult child).",
)
PARAMS.must_not_exceed_one(("population.p_no_qualifications", "population.p_degree"))
PARAMS.must_not_exceed_one(("population.p_lives_with_partner", "population.p_lives_alone"))
