"""Accessing and mediating resources.

Vassilev et al. 2014 (theme 2); Vassilev et al. 2013; Rogers et al. 2014, 2016.

Members offer illness, everyday and emotional work according to tie type, closeness and
proximity (``Slots.offer``), their availability (``1 - strain``), the negotiated share of work, and,
for weak ties, reciprocity (Rogers et al. 2014):

    offer_ijk = base_ijk x (1 - strain_j) x share_ij x recip_ij,
    recip_ij = 1 for strong ties, f + (1 - f) x giving_i for weak ties.

Need is met in proportion to what is offered, ``fill_ik = min(1, need_ik / sum_j offer_ijk)``, so
where there is no partner the remaining members' offers are drawn on more fully (partial
substitution, dossier T8). Patients accept a share ``1 - reluctance_i (1 - quality_ij)`` of
help from every member but professionals (reluctance to be a burden); professional help is always
accepted. The work given,
``given_ijk = offer_ijk fill_ik accept_ij``, never exceeds what members offer. Members accumulate
strain with their load relative to their capacity:

    strain' = clip(strain + r_s load_j / capacity_j - r_r strain, 0, 1).

Members broker access: ``brokerage_i = 1 - exp(-sum_j broker_j strength_ij min(1, contact_ij))``,
the chance of at least one introduction a week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.dynamics.segments import Blocks, block_sum


@dataclass
class Exchange:
    """One week of support: per slot work given (n_slots, 3) and per patient received (n, 3)."""

    given: np.ndarray
    received: np.ndarray


def offers(
    base: np.ndarray,
    strain: np.ndarray,
    share: np.ndarray,
    weak: np.ndarray,
    giving: np.ndarray,
    reciprocity_floor: float,
) -> np.ndarray:
    """Hours/week each member offers this week, shape (n_slots, 3).

    Args:
        base: Slot offers before availability (``Slots.offer``; zero for empty slots).
        strain: Per slot, the member's strain (0-1).
        share: Per slot, negotiated multiplier.
        weak: Per slot, True for weak ties.
        giving: Per slot, the patient's engagement in giving back (0-1).
        reciprocity_floor: Share of a weak tie's offer made with nothing given back.
    """
    scale = 1.0 - strain
    scale *= share
    shortfall = 1.0 - giving  # a weak tie's offer falls as the patient gives less back
    shortfall *= 1.0 - reciprocity_floor
    shortfall *= weak
    np.subtract(1.0, shortfall, out=shortfall)
    scale *= shortfall
    return base * scale[:, None]


def allocate(
    offer: np.ndarray,
    need: np.ndarray,
    acceptance: np.ndarray,
    ego: np.ndarray,
    starts: np.ndarray | Blocks,
) -> Exchange:
    """Meet each patient's need in proportion to what members offer.

    Args:
        offer: Hours/week offered per slot, shape (n_slots, 3).
        need: Hours/week needed per patient, shape (n, 3).
        acceptance: Per slot, the share of offered help the patient accepts (0-1).
        ego: Per slot, the patient.
        starts: First slot of each patient.
    """
    total = block_sum(offer, starts)
    with np.errstate(over="ignore"):  # a vanishing offer gives an infinite ratio, capped below
        fill = np.divide(need, total, out=np.zeros_like(need), where=total > 0)
    fill = np.minimum(fill, 1.0)
    given = np.take(fill, ego, axis=0)  # much faster than fill[ego] for 2-D rows
    given *= offer
    given *= acceptance[:, None]
    return Exchange(given=given, received=block_sum(given, starts))


def acceptance(reluctance: np.ndarray, quality: np.ndarray, professional: np.ndarray) -> np.ndarray:
    """Share of offered help accepted per slot: ``1 - reluctance (1 - quality)``.

    Args:
        reluctance: Per slot, the patient's reluctance to be a burden (0-1).
        quality: Per slot, relationship quality (0-1).
        professional: Per slot, True for professionals, whose help is always accepted.
    """
    accept = 1.0 - reluctance * (1.0 - quality)
    accept[professional] = 1.0
    return accept


def member_load(given: np.ndarray, alter: np.ndarray, n_rows: int) -> np.ndarray:
    """Hours/week each member gives in all, summed over the patients they support."""
    return np.bincount(alter, weights=total_work(given), minlength=n_rows)


def total_work(work: np.ndarray) -> np.ndarray:
    """Hours of all kinds of work per row of an (n, 3) array (faster than ``sum(axis=1)``)."""
    return work[:, 0] + work[:, 1] + work[:, 2]


def update_strain(
    strain: np.ndarray,
    load: np.ndarray,
    capacity: np.ndarray,
    rate_strain: float,
    rate_recovery: float,
) -> np.ndarray:
    """One week of strain: grows with load/capacity, recovers at a constant rate; in [0, 1]."""
    return np.clip(strain + rate_strain * load / capacity - rate_recovery * strain, 0.0, 1.0)


def brokerage(
    broker: np.ndarray, strength: np.ndarray, contact: np.ndarray, starts: np.ndarray | Blocks
) -> np.ndarray:
    """Chance that some member introduces the patient to a group this week (0-1).

    Each member who is a broker makes ``strength x min(contact, 1)`` introductions a week on
    average; with ``x`` the patient's total, the chance of at least one is ``1 - exp(-x)``.
    """
    return 1.0 - np.exp(-block_sum(broker * strength * np.minimum(contact, 1.0), starts))


def equilibrium_strain(
    load: np.ndarray, capacity: np.ndarray, rate_strain: float, rate_recovery: float
) -> np.ndarray:
    """Strain at which growth and recovery balance for a constant load (in [0, 1])."""
    return np.clip(rate_strain * load / capacity / max(rate_recovery, 1e-12), 0.0, 1.0)
