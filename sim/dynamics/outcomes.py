"""Patient outcomes: EQ-5D-3L utility, heiQ engagement, loneliness, service use, costs, QALYs.

Utility approaches a target shaped by condition, imbalance, unmet need, loneliness and
established participation (Munford et al. 2017, 2020; Reeves et al. 2014), bounded by the UK
tariff range; ``SE`` is self-efficacy (confidence in managing one's condition lowers
illness-related anxiety and restriction of usual activities). heiQ positive and active engagement
is on its 1-4 scale (Osborne et al. 2007). Loneliness falls with emotional need met and with
contact. Primary-care contacts per week rise with uncontrolled BP and unmet illness work and
fall with illness work done by the network (substitution; Reeves et al. 2014); admissions rise
with imbalance (Burden of Treatment Theory). Costs in GBP.

Equations:
    P = 1 - exp(-sum_j strength_ij over group ties)
    Lon = clip(Lon0_i - l_e met_emotional - l_c (1 - exp(-contacts_social / c_scale)), 0, 1)
    u* = clip(u0 + e_i - a (age - 72)^+ - b_3b [stage >= 3b] - b_prog [stage 4 or 5]
              - b_d [diabetes] - w_z min(z, 1) - w_u unmet_share - w_l Lon + w_p P + w_s SE,
              -0.594, 1)
    u' = u + r_u (u* - u)
    heiQ = clip(h0 + e'_i + h_se SE + h_p P + h_ce CE - h_z min(z, 1), 1, 4)
    contacts = max(c0 + c_unc [SBP >= target] + c_unmet I_unmet - c_sub I_received, 0.1 c0)
    P(admission) = min(1, adm (1 + rel_adm min(z, 2)))
    cost' = cost + cost_contact contacts + cost_medicine medicines + cost_admission [admitted]
    QALY' = QALY + u / 52
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.codes import STAGE_4, STAGE_5, is_advanced

UTILITY_MIN, UTILITY_MAX = -0.594, 1.0
HEIQ_MIN, HEIQ_MAX = 1.0, 4.0


def participation(group_strength: np.ndarray) -> np.ndarray:
    """Established participation, 0-1, from the summed strength of a patient's group ties."""
    return 1.0 - np.exp(-group_strength)


def utility_target(
    p: Mapping[str, Any],
    offset: np.ndarray,
    age: np.ndarray,
    stage: np.ndarray,
    diabetes: np.ndarray,
    imbalance: np.ndarray,
    unmet_share: np.ndarray,
    loneliness: np.ndarray,
    participation_: np.ndarray,
    self_efficacy: np.ndarray,
) -> np.ndarray:
    """Target EQ-5D-3L utility u* (see the module docstring)."""
    progressed = (stage == STAGE_4) | (stage == STAGE_5)
    u = (
        p["outcomes.utility_base"]
        + offset
        - p["outcomes.utility_age_slope"] * np.maximum(age - 72.0, 0.0)
        - p["outcomes.utility_stage_3b"] * is_advanced(stage)
        - p["outcomes.utility_progressed"] * progressed
        - p["outcomes.utility_diabetes"] * diabetes
        - p["outcomes.utility_imbalance"] * np.minimum(imbalance, 1.0)
        - p["outcomes.utility_unmet"] * unmet_share
        - p["outcomes.utility_lonely"] * loneliness
        + p["outcomes.utility_participation"] * participation_
        + p["outcomes.utility_self_efficacy"] * self_efficacy
    )
    return np.clip(u, UTILITY_MIN, UTILITY_MAX)


def heiq(
    p: Mapping[str, Any],
    offset: np.ndarray,
    self_efficacy: np.ndarray,
    participation_: np.ndarray,
    collective: np.ndarray,
    imbalance: np.ndarray,
) -> np.ndarray:
    """HeiQ positive and active engagement in life (1-4)."""
    score = (
        p["outcomes.heiq_base"]
        + offset
        + p["outcomes.heiq_self_efficacy"] * self_efficacy
        + p["outcomes.heiq_participation"] * participation_
        + p["outcomes.heiq_collective"] * collective
        - p["outcomes.heiq_imbalance"] * np.minimum(imbalance, 1.0)
    )
    return np.clip(score, HEIQ_MIN, HEIQ_MAX)


def loneliness(
    p: Mapping[str, Any], base: np.ndarray, emotional_met: np.ndarray, contacts_per_week: np.ndarray
) -> np.ndarray:
    """Loneliness, 0-1 (see the module docstring)."""
    contact = 1.0 - np.exp(-contacts_per_week / p["outcomes.contact_scale"])
    value = (
        base
        - p["outcomes.loneliness_emotional"] * emotional_met
        - p["outcomes.loneliness_contact"] * contact
    )
    return np.clip(value, 0.0, 1.0)


def gp_contacts(
    p: Mapping[str, Any],
    uncontrolled: np.ndarray,
    unmet_illness: np.ndarray,
    network_illness: np.ndarray,
) -> np.ndarray:
    """Expected primary-care contacts per week (never below a tenth of the baseline rate)."""
    contacts = (
        p["outcomes.gp_contacts"]
        + p["outcomes.contacts_uncontrolled"] * uncontrolled
        + p["outcomes.contacts_per_unmet_hour"] * unmet_illness
        - p["outcomes.contacts_substituted_per_hour"] * network_illness
    )
    return np.maximum(contacts, 0.1 * p["outcomes.gp_contacts"])


def admission_probability(p: Mapping[str, Any], imbalance: np.ndarray) -> np.ndarray:
    """Weekly probability of a hospital admission."""
    rate = p["outcomes.admission_rate"] * (
        1.0 + p["outcomes.rel_admission_imbalance"] * np.minimum(imbalance, 2.0)
    )
    return np.minimum(rate, 1.0)


def weekly_cost(
    p: Mapping[str, Any], contacts: np.ndarray, medicines: np.ndarray, admitted: np.ndarray
) -> np.ndarray:
    """Health-service cost this week in GBP: contacts, medicines and admissions."""
    return (
        p["outcomes.cost_contact"] * contacts
        + p["outcomes.cost_medicine"] * medicines
        + p["outcomes.cost_admission"] * admitted
    )
