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
