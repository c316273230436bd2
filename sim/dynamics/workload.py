"""Work and capacity.

Minimally disruptive medicine (May et al. 2009); Cumulative Complexity Model (Shippee et al. 2012);
Burden of Treatment Theory (May et al. 2014).

All work is in hours per week. A patient needs three kinds of work done (Rogers et al. 2011;
Vassilev et al. 2013) besides the treatment work only they can do. Functional limitation rises
with age, as kidney function (true eGFR ``G``) falls, with diabetes and with other long-term
conditions; illness work follows the measured (diagnosed) stage; treatment work counts the
medicines being taken. Own capacity is physical, mental, literacy and financial (Boehmer et al.
2016). Treatment burden is on the TBQ scale
(0-150; Tran et al. 2014), from the treatment and illness work the patient carries.

Equations:
    L = clip(l_age (age - a0)^+ + l_egfr (60 - G)^+ / 10 + l_d [diabetes] + l_c comorbidity
             + noise_i, 0, 0.95)
    T = t0 + t_c ([hypertension] + [diabetes]) + t_m m [persisting]
    illness    I = i0 x rel_3b^[measured stage >= 3b] + i_poor [SBP >= target]
    everyday   E = e_max L
    emotional  M = m0 (1 + clip(loneliness, 0, 1))
    C_own = c0 (1 - L) x mental x lit[education] x fin[deprived]
    TBQ = 150 (1 - exp(-s (T + I_unmet) / max(C_own, 1e-6)))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.population.codes import is_advanced


def functional_limitation(
    p: Mapping[str, Any],
    age: np.ndarray,
    egfr: np.ndarray,
    diabetes: np.ndarray,
    comorbidity: np.ndarray,
    noise: np.ndarray,
) -> np.ndarray:
    """Functional limitation L in [0, 0.95] (see the module's equations)."""
    raw = (
        p["work.limitation_per_year"] * np.maximum(age - p["work.limitation_onset_age"], 0.0)
        + p["work.limitation_egfr"] * np.maximum(60.0 - egfr, 0.0) / 10.0
        + p["work.limitation_diabetes"] * diabetes
        + p["work.limitation_comorbidity"] * comorbidity
        + noise
    )
    return np.clip(raw, 0.0, 0.95)


def treatment_work(
    p: Mapping[str, Any], hypertension: np.ndarray, diabetes: np.ndarray, medicines: np.ndarray
) -> np.ndarray:
    """Treatment work T in hours/week (``medicines``: those being taken, or the baseline count)."""
    conditions = hypertension.astype(float) + diabetes
    return (
        p["work.treatment_hours"]
        + p["work.treatment_hours_per_condition"] * conditions
        + p["work.treatment_hours_per_medicine"] * medicines
    )


def needs(
    p: Mapping[str, Any],
    stage: np.ndarray,
    uncontrolled: np.ndarray,
    limitation: np.ndarray,
    loneliness: np.ndarray,
    feedback: bool,
) -> np.ndarray:
    """Illness, everyday and emotional work needed, hours/week, shape (n, 3).

    With ``feedback`` (the Cumulative Complexity feedback), uncontrolled BP adds illness work.
    """
    illness = p["work.illness_hours"] * np.where(
        is_advanced(stage), p["work.rel_illness_stage_3b"], 1.0
    )
    if feedback:
        illness = illness + p["work.illness_hours_poor_control"] * uncontrolled
    everyday = p["work.everyday_hours_max"] * limitation
    emotional = p["work.emotional_hours"] * (1.0 + np.clip(loneliness, 0.0, 1.0))
    return np.stack([illness, everyday, emotional], axis=1)


def own_capacity(
    p: Mapping[str, Any],
    limitation: np.ndarray,
    mental: np.ndarray,
    education: np.ndarray,
    deprived: np.ndarray,
) -> np.ndarray:
    """Own capacity C_own in hours/week (physical, mental, literacy, financial; Boehmer 2016)."""
    literacy = np.array(
        [p["work.rel_capacity_education_none"], p["work.rel_capacity_education_intermediate"], 1.0]
    )[education]
    finances = np.where(deprived, p["work.rel_capacity_deprived"], 1.0)
    return p["work.capacity_hours"] * (1.0 - limitation) * mental * literacy * finances


def treatment_burden(
    p: Mapping[str, Any],
    treatment: np.ndarray,
    illness_carried: np.ndarray,
    capacity_own: np.ndarray,
) -> np.ndarray:
    """Treatment burden on the TBQ scale (0-150; Tran et al. 2014).

    ``TBQ = 150 (1 - exp(-s (T + I_carried) / C_own))``: the share of own capacity taken by
    treatment and illness work the patient carries, mapped onto the questionnaire's range.
    """
    ratio = (treatment + illness_carried) / np.maximum(capacity_own, 1e-6)
    return 150.0 * (1.0 - np.exp(-p["work.tbq_scale"] * ratio))
