"""Shapley values of a cooperative game given by its value on every coalition (pure combinatorics).

A game has ``M`` players and a value ``v(S)`` for each of the ``2^M`` coalitions ``S``. The Shapley
value of player ``m`` is its marginal contribution averaged over every order in which the players
could join::

    phi_m = sum over S not containing m of |S|! (M - |S| - 1)! / M! * (v(S + {m}) - v(S))

The values are *efficient* (they sum to ``v(all) - v(empty)``), *symmetric* (players that add the
same to every coalition get the same), give zero to a *null player* (one that adds nothing to any
coalition) and are *linear* in ``v`` (the Shapley values of an average of games are the average of
their Shapley values). Coalitions are frozensets of player names; :func:`coalitions` lists them in
a fixed order (by bit mask over the players' order).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from math import factorial

import numpy as np


def coalitions(players: Sequence[Hashable]) -> list[frozenset]:
    """Every coalition of ``players``, in bit-mask order.

    Coalition ``k`` holds player ``i`` when bit ``i`` of ``k`` is set: the first is the empty
    coalition, the last the grand coalition, and ``k`` and ``2^M - 1 - k`` are complements.
    """
    players = list(players)
    if len(set(players)) != len(players):
        raise ValueError(f"players must be distinct, got {players!r}")
    return [
        frozenset(p for i, p in enumerate(players) if k >> i & 1) for k in range(2 ** len(players))
    ]


def weight(size: int, n_players: int) -> Fraction:
    """Shapley weight ``|S|! (M - |S| - 1)! / M!`` of a coalition of ``size`` players (not m)."""
    return Fraction(factorial(size) * factorial(n_players - size - 1), factorial(n_players))


def shapley_values(
    players: Sequence[Hashable], value: Mapping[frozenset, float | np.ndarray]
) -> dict[Hashable, float | np.ndarray]:
    """The Shapley value of each player.

    Args:
        players: The players, in the order of the result.
        value: ``v(S)`` for every coalition ``S`` of ``players`` (a frozenset); a value may be an
            array (several games at once, e.g. one per replicate), combined elementwise.

    Returns:
        Player -> Shapley value (same type as the values).

    Raises:
        ValueError: if a coalition is missing from ``value`` or players repeat.
    """
    players = list(players)
    every = coalitions(players)
    missing = [set(c) for c in every if c not in value]
    if missing:
        raise ValueError(f"value is missing {len(missing)} coalition(s), e.g. {missing[0]!r}")
    n = len(players)
    out: dict[Hashable, float | np.ndarray] = {}
    for m in players:
        # integer weights |S|! (M - |S| - 1)!, one division by M! at the end: exact for integer
        # or Fraction values, one rounding less for floats
        total: float | np.ndarray = 0
        for s in every:
            if m not in s:
                numerator = factorial(len(s)) * factorial(n - len(s) - 1)
                total = total + numerator * (value[s | {m}] - value[s])
        out[m] = total / factorial(n)
    return out
