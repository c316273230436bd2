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
    y*_AD = a_AD + l_AD loneliness + d_AD min(z, 1) - s_AD SE - p_AD P + sd_AD e_AD,i
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


def targets(
    p: Mapping[str, Any],
    effects: np.ndarray,
    limitation: np.ndarray,
    unmet_everyday_share: np.ndarray,
    imbalance: np.ndarray,
    participation: np.ndarray,
    comorbidity: np.ndarray,
    loneliness: np.ndarray,
    self_efficacy: np.ndarray,
) -> np.ndarray:
    """Target latent severity of each dimension, shape (n, 5) (see the module's equations)."""
    z = np.minimum(imbalance, 1.0)
    y = by_dimension(p, "intercept") + by_dimension(p, "sd") * effects
    y[:, MO] += p["eq5d.limitation_mobility"] * limitation
    y[:, SC] += p["eq5d.limitation_self_care"] * limitation
    y[:, UA] += (
        p["eq5d.limitation_usual_activities"] * limitation
        + p["eq5d.unmet_usual_activities"] * unmet_everyday_share
        + p["eq5d.imbalance_usual_activities"] * z
        - p["eq5d.participation_usual_activities"] * participation
    )
    y[:, PD] += p["eq5d.comorbidity_pain"] * comorbidity + p["eq5d.limitation_pain"] * limitation
    y[:, AD] += (
        p["eq5d.loneliness_anxiety"] * loneliness
        + p["eq5d.imbalance_anxiety"] * z
        - p["eq5d.self_efficacy_anxiety"] * self_efficacy
        - p["eq5d.participation_anxiety"] * participation
    )
    return y


def levels(latent: np.ndarray, severe: np.ndarray) -> np.ndarray:
    """Level 1-3 of each dimension: ``1 + [y > 0] + [y > tau]``, shape (n, 5), int8."""
    return (1 + (latent > 0.0) + (latent > severe)).astype(np.int8)


def utility(level: np.ndarray) -> np.ndarray:
    """EQ-5D-3L utility of each row of levels by the UK value set (Dolan 1997)."""
    decrements = DECREMENT[np.arange(len(DIMENSIONS)), level - 1].sum(axis=1)
    return (
        1.0
        - ANY_PROBLEM * (level > 1).any(axis=1)
        - decrements
        - ANY_EXTREME * (level == 3).any(axis=1)
    )
