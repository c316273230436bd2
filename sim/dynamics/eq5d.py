"""Health-related quality of life: EQ-5D-3L from its five dimensions, scored with the UK value set.

Every patient has a level from 1 (no problems) to 3 (extreme problems) on each dimension:
mobility (MO), self-care (SC), usual activities (UA), pain or discomfort (PD) and anxiety or
depression (AD). Each level is read off a latent severity that moves weekly towards a target
driven by the mechanisms: mobility and self-care by functional limitation ``L`` (age, kidney
function, diabetes, comorbidity; :mod:`workload`); usual activities by limitation, unmet everyday
work, workload-capacity imbalance ``z`` and established participation ``P`` (leisure activities
are part of usual activities; Munford et al. 2017, 2020); pain or discomfort by other long-term
conditions and limitation; anxiety or depression by loneliness, imbalance, self-efficacy ``SE``
(confidence in managing one's condition lowers illness-related anxiety) and participation (group
links go with better emotional health; Reeves et al. 2014). Individual
effects are correlated across dimensions through general health (``rho``). Receiving help never
raises utility directly: it lowers unmet work and imbalance. Utility follows the UK time trade-off
value set (Dolan 1997; dossier 6b), from 1 (11111) down to -0.594 (33333); dead patients score 0.

Equations:
    e_d,i = sqrt(rho) g_i + sqrt(1 - rho) u_d,i          (g, u standard normal, drawn once)
    y*_MO = a_MO + b_MO L + sd_MO e_MO,i
    y*_SC = a_SC + b_SC L + sd_SC e_SC,i
    y*_UA = a_UA + b_UA L + c_UA unmet_everyday_share + d_UA min(z, 1) - p_UA P + sd_UA e_UA,i
    y*_PD = a_PD + c_PD comorbidity + b_PD L + sd_PD e_PD,i
    y*_AD = a_AD + l_AD loneliness + d_AD min(z, 1) - s_AD (SE - 0.5) - p_AD P + sd_AD e_AD,i
    y_d' = y_d + r (y*_d - y_d)
    level_d = 1 + [y_d > 0] + [y_d > tau_d]
    u = 1 - 0.081 [any level > 1] - sum_d dec_d[level_d] - 0.269 [any level = 3]
    dec[2] / dec[3]: MO 0.069 / 0.314, SC 0.104 / 0.214, UA 0.036 / 0.094,
                     PD 0.123 / 0.386, AD 0.071 / 0.236
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit, prange

from sim.dynamics.segments import CHUNK, TAKERS, following_chunk, take_chunks

#: The five dimensions, in the column order of every (n, 5) array.
DIMENSIONS: tuple[str, ...] = (
    "mobility",
    "self_care",
    "usual_activities",
    "pain_discomfort",
    "anxiety_depression",
)
MO, SC, UA, PD, AD = range(len(DIMENSIONS))
#: Human names of the dimensions, as the questionnaire words them.
DIMENSION_LABELS: tuple[str, ...] = (
    "mobility",
    "self-care",
    "usual activities",
    "pain or discomfort",
    "anxiety or depression",
)
#: UK value set (Dolan 1997): decrement of each dimension at level 2 and level 3.
DECREMENT = np.array(
    [
        [0.0, 0.069, 0.314],
        [0.0, 0.104, 0.214],
        [0.0, 0.036, 0.094],
        [0.0, 0.123, 0.386],
        [0.0, 0.071, 0.236],
    ]
)
ANY_PROBLEM, ANY_EXTREME = 0.081, 0.269
UTILITY_MIN, UTILITY_MAX = -0.594, 1.0


def individual_effects(rho: float, rng: np.random.Generator, n: int) -> np.ndarray:
    """Correlated standard-normal individual effects per dimension, shape (n, 5)."""
    general = rng.standard_normal(n)
    own = rng.standard_normal((n, len(DIMENSIONS)))
    return np.sqrt(rho) * general[:, None] + np.sqrt(1.0 - rho) * own


def by_dimension(p: Mapping[str, Any], name: str) -> np.ndarray:
    """Vector over :data:`DIMENSIONS` of the parameters ``eq5d.<name>.<dimension>``."""
    return np.array([p[f"eq5d.{name}.{d}"] for d in DIMENSIONS])


#: Weights of the latent targets, in the order :func:`weights` gives them to :func:`advance`.
WEIGHTS: tuple[str, ...] = (
    "limitation_mobility",
    "limitation_self_care",
    "limitation_usual_activities",
    "unmet_usual_activities",
    "imbalance_usual_activities",
    "participation_usual_activities",
    "comorbidity_pain",
    "limitation_pain",
    "loneliness_anxiety",
    "imbalance_anxiety",
    "self_efficacy_anxiety",
    "participation_anxiety",
)


def weights(p: Mapping[str, Any]) -> np.ndarray:
    """The weights of :data:`WEIGHTS` from the mechanism parameters."""
    return np.array([p[f"eq5d.{name}"] for name in WEIGHTS])


@njit(cache=True)
def _targets(
    intercept: np.ndarray,
    sd: np.ndarray,
    w: np.ndarray,
    effects: np.ndarray,
    i: int,
    limitation: float,
    unmet_everyday: float,
    imbalance: float,
    participation: float,
    comorbidity: float,
    loneliness: float,
    self_efficacy: float,
) -> tuple[float, float, float, float, float]:
    """The five target latent severities of patient ``i`` (the module's equations)."""
    z = min(imbalance, 1.0)
    return (
        intercept[0] + sd[0] * effects[i, 0] + w[0] * limitation,
        intercept[1] + sd[1] * effects[i, 1] + w[1] * limitation,
        intercept[2]
        + sd[2] * effects[i, 2]
        + (w[2] * limitation + w[3] * unmet_everyday + w[4] * z - w[5] * participation),
        intercept[3] + sd[3] * effects[i, 3] + (w[6] * comorbidity + w[7] * limitation),
        intercept[4]
        + sd[4] * effects[i, 4]
        + (w[8] * loneliness + w[9] * z - w[10] * (self_efficacy - 0.5) - w[11] * participation),
    )


@njit(cache=True)
def _row_utility(level: np.ndarray, i: int) -> float:
    """UK value-set utility of row ``i`` of an (n, 5) array of levels."""
    decrement = 0.0
    problem = extreme = False
    for d in range(len(DIMENSIONS)):  # a constant count: the loop is unrolled
        decrement += DECREMENT[d, level[i, d] - 1]
        problem |= level[i, d] > 1
        extreme |= level[i, d] == 3
    return 1.0 - ANY_PROBLEM * problem - decrement - ANY_EXTREME * extreme


def levels(latent: np.ndarray, severe: np.ndarray) -> np.ndarray:
    """Level 1-3 of each dimension: ``1 + [y > 0] + [y > tau]``, shape (n, 5), int8."""
    return (1 + (latent > 0.0) + (latent > severe)).astype(np.int8)


@njit(cache=True)
def utility(level: np.ndarray) -> np.ndarray:
    """EQ-5D-3L utility of each row of levels by the UK value set (Dolan 1997)."""
    out = np.empty(level.shape[0])
    for i in range(level.shape[0]):
        out[i] = _row_utility(level, i)
    return out


@njit(cache=True, parallel=True)
def advance(
    latent: np.ndarray,
    intercept: np.ndarray,
    sd: np.ndarray,
    w: np.ndarray,
    effects: np.ndarray,
    limitation: np.ndarray,
    unmet_everyday: np.ndarray,
    imbalance: np.ndarray,
    participation: np.ndarray,
    comorbidity: np.ndarray,
    loneliness: np.ndarray,
    self_efficacy: np.ndarray,
    rate: float,
    alive: np.ndarray,
    severe: np.ndarray,
    level: np.ndarray,
    value: np.ndarray,
) -> None:
    """One week of EQ-5D for every patient, in place (the module's equations).

    Living patients' latent severities approach their targets (intercepts, SDs and weights
    ``w`` in the order of :data:`WEIGHTS`); then every patient's levels (:func:`levels`) and
    utility (:func:`utility`; 0 for the dead).
    """
    n_items, counter = latent.shape[0], np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, (n_items + CHUNK - 1) // CHUNK)
        while c < stop:
            for patient in range(c * CHUNK, min(n_items, (c + 1) * CHUNK)):
                i = np.uint64(patient)  # an unsigned index needs no wrap-around check
                if alive[i]:
                    target = _targets(
                        intercept=intercept,
                        sd=sd,
                        w=w,
                        effects=effects,
                        i=i,
                        limitation=limitation[i],
                        unmet_everyday=unmet_everyday[i],
                        imbalance=imbalance[i],
                        participation=participation[i],
                        comorbidity=comorbidity[i],
                        loneliness=loneliness[i],
                        self_efficacy=self_efficacy[i],
                    )
                    for d in range(5):
                        latent[i, d] = latent[i, d] + rate * (target[d] - latent[i, d])
                for d in range(5):
                    y = latent[i, d]
                    level[i, d] = 1 + (y > 0.0) + (y > severe[d])
                value[i] = _row_utility(level, i) if alive[i] else 0.0
            c, stop = following_chunk(counter, c, stop, (n_items + CHUNK - 1) // CHUNK)
