"""The weekly pass over each patient's ties: the sums that contact with one's ties feeds.

Knowledge grows from source-weighted contact (:mod:`knowledge`), collective efficacy from shared
engagement and the trust of active ties (:mod:`collective`); brokers introduce the patient to
groups and services in proportion to strength and contact (:mod:`support`), and contact with
people (not pets) keeps loneliness down (:mod:`outcomes`); the strength of group ties makes up
participation (:mod:`outcomes`). None of these sums reads what knowledge sharing, collective
efficacy or resource mediation write in a week, so one pass over each patient's block of slots
adds them all up (reading contact and strength once) before mediation, and applies the equations
of the first three, which live in their modules (:func:`sim.dynamics.knowledge.learn`,
:func:`sim.dynamics.collective.build`, :func:`sim.dynamics.support.introduced`).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from sim.dynamics.collective import build
from sim.dynamics.knowledge import learn
from sim.dynamics.segments import CHUNK, TAKERS, following_chunk, take_chunks
from sim.dynamics.support import introduced


@njit(cache=True, parallel=True, error_model="numpy")
def exposure_blocks(
    starts: np.ndarray,
    ends: np.ndarray,
    contact: np.ndarray,
    strength: np.ndarray,
    clinical_source: np.ndarray,
    tie_type: np.ndarray,
    lay_source: np.ndarray,
    is_group: np.ndarray,
    quality: np.ndarray,
    active: np.ndarray,
    clinical: np.ndarray,
    lay: np.ndarray,
    rate_learning: np.ndarray,
    rate_fading: float,
    half_exposure: float,
    sharing: bool,
    ce: np.ndarray,
    cohesion: np.ndarray,
    weight_group: float,
    rate_build: float,
    rate_fade: float,
    half_engagement: float,
    building: bool,
    broker: np.ndarray,
    social: np.ndarray,
    introducing: bool,
    group_strength: np.ndarray,
    brokerage: np.ndarray,
    social_contact: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One week of knowledge and collective efficacy (new clinical, lay and CE values), and sums.

    Over each patient's block of slots (``starts[i]`` to ``ends[i]``, in slot order), the sums,
    then :func:`~sim.dynamics.knowledge.learn` for each kind of knowledge (gain ``X / (X +
    half_exposure)``, 0 without ``sharing``) and :func:`~sim.dynamics.collective.build` (0
    without ``building``: the mechanism held off). Inactive slots have no contact, so they add
    nothing to the knowledge sums; they are skipped for the others. Writes, per patient and
    whatever the switches: ``group_strength``, the summed strength of group ties;
    ``social_contact``, contacts/week with members in ``social`` slots; and ``brokerage``,
    :func:`~sim.dynamics.support.introduced` of the sum of ``strength x min(contact, 1)`` over
    ``broker`` slots (0 without ``introducing``: resource mediation off). The clinical knowledge a
    tie passes on per contact is ``clinical_source[tie_type]`` (a value per tie type); the lay
    knowledge is ``lay_source``, per slot. Patients run in parallel (numba ``prange``); each
    reads only its own slots and row, so the numbers do not depend on the threads.
    """
    new_clinical, new_lay, new_ce = np.empty_like(clinical), np.empty_like(lay), np.empty_like(ce)
    n_items, counter = len(starts), np.zeros(1, np.int64)
    for _ in prange(TAKERS):  # each thread takes chunks as it goes
        c, stop = take_chunks(counter, (n_items + CHUNK - 1) // CHUNK)
        while c < stop:
            for patient in range(c * CHUNK, min(n_items, (c + 1) * CHUNK)):
                i = np.uint64(patient)  # an unsigned index needs no wrap-around check
                x_clinical = x_lay = engagement = n_active = total_quality = grouped = 0.0
                brokered = contacted = 0.0
                for j in range(starts[i], ends[i]):
                    weight = contact[j] * strength[j]
                    x_clinical += weight * clinical_source[tie_type[j]]
                    x_lay += weight * lay_source[j]
                    if not active[j]:  # an empty slot: no contact, no trust
                        continue
                    engagement += weight * (weight_group if is_group[j] else 1.0)
                    if is_group[j]:
                        grouped += strength[j]
                    n_active += 1.0
                    total_quality += quality[j]
                    if broker[j]:
                        brokered += strength[j] * min(contact[j], 1.0)
                    if social[j]:
                        contacted += contact[j]
                g_clinical = x_clinical / (x_clinical + half_exposure) if sharing else 0.0
                g_lay = x_lay / (x_lay + half_exposure) if sharing else 0.0
                new_clinical[i] = learn(clinical[i], g_clinical, rate_learning[i], rate_fading)
                new_lay[i] = learn(lay[i], g_lay, rate_learning[i], rate_fading)
                trust_ = total_quality / n_active if n_active > 0 else 0.0
                new_ce[i] = (
                    build(
                        ce[i],
                        engagement,
                        trust_,
                        cohesion[i],
                        rate_build,
                        rate_fade,
                        half_engagement,
                    )
                    if building
                    else 0.0
                )
                group_strength[i] = grouped
                brokerage[i] = introduced(brokered) if introducing else 0.0
                social_contact[i] = contacted
            c, stop = following_chunk(counter, c, stop, (n_items + CHUNK - 1) // CHUNK)
    return new_clinical, new_lay, new_ce
