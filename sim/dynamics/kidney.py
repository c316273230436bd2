"""Kidney function: true eGFR, its decline, clinic readings and the measured CKD stage.

Each patient has a true eGFR ``G`` (mL/min/1.73 m^2) and an annual slope ``s`` (positive =
falling), drawn once. Care sees kidney function only through clinic readings with visit-to-visit
noise (biological and analytical variation of creatinine-based eGFR), and the CKD stage is the
band of the last reading, so "remission" (a reading of 60 or more) includes measurement noise, as
in the cohort that measured it (Shardlow et al. 2016). The cohort's stage (dossier target T1) is
the band of the recruitment reading: a patient's true eGFR is drawn from a population prior given
that their recruitment reading fell in their stage's band, which gives the regression to the
mean a cohort recruited on one reading shows. Decline is faster with proteinuria, diabetes and
uncontrolled BP (true SBP at or above the NICE target); the multipliers apply to positive slopes
only (a rising eGFR is not made to rise faster). Biology (functional limitation, death and
admissions) uses true eGFR; care (the illness work of a diagnosed stage) uses the measured stage.
Kidney failure is a true eGFR below 15.

Equations:
    baseline: (G_ik, R_ik) for k = 1..K:  G_ik = mu_G + sd_G N(0, 1),  R_ik = G_ik exp(cv N(0, 1));
              G_i = the first G_ik whose R_ik lies in the band of the patient's stage
              (none: the last pair, both clamped into the band); recruitment reading R_i
    s_i = mu_s + sd_s N(0, 1)                              (drawn once; may be negative)
    s_eff = s_i rel_prot^[proteinuria] rel_diab^[diabetes] rel_unc^[SBP >= target]  (s_i > 0)
    s_eff = s_i                                                                     (s_i <= 0)
    G' = max(G - s_eff / 52, 0)
    reading = G exp(cv N(0, 1))
    stage = band(reading): 3a [45, 60), 3b [30, 45), 4 [15, 30), 5 below 15, remitted 60 or more
    kidney failure: G < 15
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import vectorize

from sim.population import codes

#: Lower edges of the eGFR bands of Go et al. 2004 (dossier 6b): band 0 is 60 or more, then
#: 45-59, 30-44, 15-29 and below 15.
BAND_EDGES = (60.0, 45.0, 30.0, 15.0)
#: Band names, as in the parameter keys (``..._hr.egfr_<band>``), band 1 onwards.
BAND_NAMES = ("45_59", "30_44", "15_29", "below_15")
#: Measured stage of each band.
STAGE_OF_BAND = np.array(
    [codes.REMITTED, codes.STAGE_3A, codes.STAGE_3B, codes.STAGE_4, codes.STAGE_5], np.int8
)
#: Reading band of each stage code (3a, 3b, 4, 5, remitted): [low, high).
STAGE_BAND = np.array([[45.0, 60.0], [30.0, 45.0], [15.0, 30.0], [0.0, 15.0], [60.0, np.inf]])
KIDNEY_FAILURE = 15.0


@vectorize(cache=True)
def band(egfr: float) -> np.int8:
    """Band index 0-4 of each eGFR (0: 60 or more; 4: below 15; edges belong to the band above).

    A numpy ufunc (arrays in, an int8 array out), also called per patient in compiled passes.
    """
    edge0, edge1, edge2, edge3 = BAND_EDGES
    below = (egfr < edge0) + (egfr < edge1) + (egfr < edge2) + (egfr < edge3)
    return np.int8(below)


def band_ratios(p: Mapping[str, Any], prefix: str) -> np.ndarray:
    """Hazard ratios by band (1 for band 0) from the keys ``<prefix>.egfr_<band>``."""
    return np.array([1.0, *(p[f"{prefix}.egfr_{name}"] for name in BAND_NAMES)])


@vectorize(cache=True)
def stage_of(reading: float) -> np.int8:
    """Measured CKD stage code of a reading (a numpy ufunc, also called in compiled passes)."""
    return STAGE_OF_BAND[band(reading)]


def reading(egfr: np.ndarray, cv: float, noise: np.ndarray) -> np.ndarray:
    """A clinic reading of true eGFR (``noise`` standard normal)."""
    return egfr * np.exp(cv * noise)


def baseline_egfr(
    stage: np.ndarray, p: Mapping[str, Any], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """True eGFR and recruitment reading given each patient's recruitment stage.

    Draws one block of ``candidates`` (true value, reading noise) pairs per patient from ``rng``
    and keeps the first pair whose reading falls in the band of the patient's stage.

    Returns:
        ``(egfr, reading)`` per patient.
    """
    n, k = len(stage), int(p["kidney.candidates"])
    true = p["kidney.egfr_prior_mean"] + p["kidney.egfr_prior_sd"] * rng.standard_normal((n, k))
    read = reading(true, p["kidney.egfr_cv"], rng.standard_normal((n, k)))
    low, high = STAGE_BAND[stage, 0][:, None], STAGE_BAND[stage, 1][:, None]
    fits = (read >= low) & (read < high)
    found = fits.any(axis=1)
    first = np.where(found, fits.argmax(axis=1), k - 1)
    rows = np.arange(n)
    egfr, recruitment = true[rows, first], read[rows, first]
    top = np.nextafter(STAGE_BAND[stage, 1], 0.0)  # just below the band's upper edge
    egfr = np.where(found, egfr, np.clip(egfr, STAGE_BAND[stage, 0], top))
    return egfr, np.where(found, recruitment, np.clip(recruitment, STAGE_BAND[stage, 0], top))


def slope_factors(
    p: Mapping[str, Any], slope: np.ndarray, proteinuria: np.ndarray, diabetes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per patient, the slope's multiplier with BP controlled and uncontrolled.

    ``rel_prot^[proteinuria] rel_diab^[diabetes]`` (times ``rel_unc`` when uncontrolled) for a
    positive slope, 1 otherwise: the static part of ``s_eff``, worked out once.
    """
    static = np.where(proteinuria, p["kidney.rel_slope_proteinuria"], 1.0) * np.where(
        diabetes, p["kidney.rel_slope_diabetes"], 1.0
    )
    rising = slope <= 0
    controlled = np.where(rising, 1.0, static)
    return controlled, np.where(rising, 1.0, static * p["kidney.rel_slope_uncontrolled"])


def annual_decline(
    slope: np.ndarray, factors: tuple[np.ndarray, np.ndarray], uncontrolled: np.ndarray
) -> np.ndarray:
    """This week's annual decline ``s_eff`` from :func:`slope_factors`."""
    return annual_decline_of(slope, factors[0], factors[1], uncontrolled)


@vectorize(cache=True)
def annual_decline_of(
    slope: float, factor_controlled: float, factor_uncontrolled: float, uncontrolled: bool
) -> float:
    """``s_eff`` of one patient (a ufunc): the slope times its factor for the BP state."""
    return slope * (factor_uncontrolled if uncontrolled else factor_controlled)


@vectorize(cache=True)
def decline(egfr: float, annual: float) -> float:
    """One week of decline at ``annual`` mL/min/1.73 m^2 a year (never below 0; a ufunc)."""
    return max(egfr - annual / 52.0, 0.0)
