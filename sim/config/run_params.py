"""Section [run]: seed, length and replicates of a run."""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()

# --- run -------------------------------------------------------------------------------------
PARAMS.add(
    "run.seed", 42, "int", "-", "-", "Root random seed; every stream derives from it.", low=0
)
PARAMS.add(
    "run.weeks",
    26,
    "int",
    "weeks",
    "Blakeman et al. 2014 (6-month follow-up)",
    "Number of weekly steps to simulate.",
    low=0,
    high=1040,
)
PARAMS.add(
    "run.warmup_weeks",
    78,
    "int",
    "weeks",
    "assumption; chosen so that the population means of the slow stocks change by less than "
    "a stated tolerance over its last 13 weeks (docs/ODD.md section 5)",
    "Weeks of usual care run before recruitment (week 0), with the clinical clock held, so "
    "that behaviour, networks and care settle from simple initial conditions.",
    low=0,
    high=1040,
)
PARAMS.add(
    "run.replicates",
    1,
    "int",
    "-",
    "-",
    "Replicates written by `sim run`: replicate 0 uses run.seed, the others seeds derived from "
    "it; week-by-week tables gain replicate and seed columns.",
    low=1,
    high=1_000_000,
)
