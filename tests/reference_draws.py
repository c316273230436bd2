"""The per-agent reference's random numbers: the counter-based numbers of the weekly dynamics.

The same numbers as :mod:`sim.dynamics.draws`, written again with Python integers: SplitMix64's
mixing function over the purpose's key, the week and the patient's node id (or the tie's slot
number). Being a function of those alone, a number is computed only when a rule needs it.
"""

from __future__ import annotations

import math

from sim.dynamics.draws import PURPOSES
from sim.streams import seed_sequence

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix(z: int) -> int:
    """SplitMix64's mixing function on a 64-bit unsigned integer."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class WeekDraws:
    """Random numbers of one root seed, week by week.

    Args:
        seed: Root seed.
    """

    def __init__(self, seed: int) -> None:
        self.keys = {
            name: int(seed_sequence(seed, "dynamics", name).generate_state(1, "uint64")[0])
            for name in PURPOSES
        }
        self.week_key: dict[str, int] = {}

    def set_week(self, week: int) -> None:
        """Use the numbers of week ``week`` (weeks since the start of the warm-up)."""
        shift = mix(((week + 1) * GAMMA) & MASK)
        self.week_key = {name: mix((key + shift) & MASK) for name, key in self.keys.items()}

    def _bits(self, purpose: str, i: int) -> int:
        return mix((self.week_key[purpose] + (i + 1) * GAMMA) & MASK)

    def uniform(self, purpose: str, i: int) -> float:
        """This week's uniform number in [0, 1) of a purpose for patient or slot ``i``."""
        return (self._bits(purpose, i) >> 11) * 2.0**-53

    def normal(self, purpose: str, i: int) -> float:
        """This week's standard normal number of a purpose for patient ``i`` (Box-Muller)."""
        u1 = ((self._bits(purpose, 2 * i) >> 11) + 1) * 2.0**-53
        u2 = self.uniform(purpose, 2 * i + 1)
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
