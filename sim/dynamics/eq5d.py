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
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from sim.dynamics.records import parameters

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
def _row_utility(level: np.ndarray, i: int) -> float:
    """UK value-set utility of row ``i`` of an (n, 5) array of levels."""
    decrement = 0.0
    problem = extreme = False
    for d in range(level.shape[1]):
        decrement += DECREMENT[d, level[i, d] - 1]
        problem |= level[i, d] > 1
        extreme |= level[i, d] == 3
    return 1.0 - ANY_PROBLEM * problem - decrement - ANY_EXTREME * extreme


@njit(cache=True)
def level_of(latent: float, severe: float) -> int:
    """Level 1-3 of a dimension from its latent severity: ``1 + [y > 0] + [y > tau]``."""
    return 1 + (latent > 0.0) + (latent > severe)


@njit(cache=True)
def levels(latent: np.ndarray, severe: np.ndarray) -> np.ndarray:
    """:func:`level_of` of every patient and dimension, shape (n, 5), int8."""
    out = np.empty(latent.shape, np.int8)
    for i in range(latent.shape[0]):
        for d in range(latent.shape[1]):
            out[i, d] = level_of(latent[i, d], severe[d])
    return out


@njit(cache=True)
def utility(level: np.ndarray) -> np.ndarray:
    """EQ-5D-3L utility of each row of levels by the UK value set (Dolan 1997)."""
    out = np.empty(level.shape[0])
    for i in range(level.shape[0]):
        out[i] = _row_utility(level, i)
    return out


class Eq5dParams(NamedTuple):
    """The parameters of EQ-5D by dimension (``mechanisms.eq5d.*``).

    Per dimension the intercepts, SDs of the individual effects and severe thresholds, the
    weights of :data:`WEIGHTS`, and the weekly rate.
    """

    intercept: np.ndarray
    sd: np.ndarray
    severe: np.ndarray
    w: np.ndarray
    rate: float

    @classmethod
    def of(cls, p: Mapping[str, Any]) -> Eq5dParams:
        """The record from the mechanism parameters."""
        return parameters(
            cls,
            p,
            "eq5d",
            intercept=by_dimension(p, "intercept"),
            sd=by_dimension(p, "sd"),
            severe=by_dimension(p, "severe"),
            w=weights(p),
        )


@njit(cache=True, inline="always")
def targets(
    q: Eq5dParams, effects: np.ndarray, drivers: tuple[float, ...]
) -> tuple[float, float, float, float, float]:
    """The five target latent severities of a patient (the module's equations).

    Args:
        q: The parameters.
        effects: The patient's individual effects, shape (5,).
        drivers: ``(limitation, unmet_everyday, imbalance, participation, comorbidity,
            loneliness, self_efficacy)``.
    """
    limitation, unmet_everyday, imbalance, participation = drivers[:4]
    comorbidity, loneliness, self_efficacy = drivers[4:]
    intercept, sd, w = q.intercept, q.sd, q.w
    z = min(imbalance, 1.0)
    return (
        intercept[0] + sd[0] * effects[0] + w[0] * limitation,
        intercept[1] + sd[1] * effects[1] + w[1] * limitation,
        intercept[2]
        + sd[2] * effects[2]
        + (w[2] * limitation + w[3] * unmet_everyday + w[4] * z - w[5] * participation),
        intercept[3] + sd[3] * effects[3] + (w[6] * comorbidity + w[7] * limitation),
        intercept[4]
        + sd[4] * effects[4]
        + (w[8] * loneliness + w[9] * z - w[10] * (self_efficacy - 0.5) - w[11] * participation),
    )


@njit(cache=True, inline="always")
def advance(q: Eq5dParams, i: int, pt: Any, unmet_everyday: float, participation: float) -> None:
    """One week of patient ``i``'s EQ-5D, in place (the module's equations).

    A living patient's latent severities approach their targets (:func:`targets`); then the
    levels and utility (0 for the dead). ``pt`` is the patient record.
    """
    latent, level = pt.eq5d_latent, pt.eq5d_level
    if pt.alive[i]:
        drivers = (
            pt.limitation[i],
            unmet_everyday,
            pt.imbalance[i],
            participation,
            pt.comorbidity[i],
            pt.loneliness[i],
            pt.self_efficacy[i],
        )
        target = targets(q, pt.eq5d_effect[i], drivers)
        for d in range(5):
            latent[i, d] = latent[i, d] + q.rate * (target[d] - latent[i, d])
    for d in range(5):
        level[i, d] = level_of(latent[i, d], q.severe[d])
    pt.utility[i] = _row_utility(level, i) if pt.alive[i] else 0.0
