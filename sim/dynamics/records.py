"""Typed records: how the compiled passes take arrays and parameters by name.

Numba compiles a function for the types of its arguments. A named tuple of arrays, or of
numbers, is one argument whose fields the compiled code reads by name, so a pass takes a
handful of records (the state tables, the parameters of each mechanism, the week) instead of
dozens of positional arrays, and two arrays of the same type cannot be swapped unnoticed.

Each mechanism module declares its parameters as a ``NamedTuple`` whose field ``f`` is the
scenario key ``mechanisms.<prefix>.f`` (:func:`parameters` fills it, converting each value to
the field's declared type so that every scenario compiles to the same types); fields the
mechanism derives from several keys are passed in by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, get_type_hints

import numpy as np

_CASTS = {float: float, int: int, bool: bool}


def parameters[T: NamedTuple](cls: type[T], p: Mapping[str, Any], prefix: str, **derived: Any) -> T:
    """A parameter record of type ``cls`` from the mechanism parameters ``p``.

    Args:
        cls: The record type (a ``NamedTuple`` with typed fields).
        p: Mechanism parameters (scenario keys without ``mechanisms.``).
        prefix: The mechanism's key prefix: field ``f`` is ``p[f"{prefix}.{f}"]``.
        **derived: Values of the fields that are not single keys.
    """
    hints = get_type_hints(cls)
    values = {}
    for name in cls._fields:
        value = derived[name] if name in derived else p[f"{prefix}.{name}"]
        cast = _CASTS.get(hints.get(name))
        values[name] = cast(value) if cast else np.ascontiguousarray(value, dtype=float)
    return cls(**values)
