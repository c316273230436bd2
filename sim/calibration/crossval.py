"""Cross-validation of a calibration: leave each target group out, predict it from the rest.

For each group of :data:`sim.calibration.targets.GROUPS` among the fitted targets, the space is
history-matched to the *other* targets and the left-out targets are predicted over the resulting
not-implausible space. No new simulation is needed: every point of every wave is reused, through
one emulator per target fitted to all of them (:func:`.waves.fit_emulators`). This is sound
because wave 1's Latin hypercube covers the whole prior space and later waves only add points, so
the emulators are defined everywhere; where the left-out group's own targets had steered the
later waves away (outside the all-target NROY space), only wave 1's points inform the emulators,
their variance is larger there, and that variance enters the prediction interval. The left-out
targets still shaped *where* later waves simulated, a mild leak this reuse accepts.

The prediction of a left-out target is the emulated mean over the rest-NROY points (mean of the
emulator means), with a 95% interval from the 2.5% and 97.5% points of ``mean +- 1.96 sd`` over
those points (parameter uncertainty, emulator and stochastic variance together).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calibration.calibration_file import Calibration
from sim.calibration.emulator import Emulator, combined, default_rank, implausibility
from sim.calibration.targets import GROUPS, TARGETS

Z95 = 1.959964


def _rest_nroy(
    cal: Calibration, emulators: dict[str, Emulator], rest: list[str], unit: np.ndarray
) -> np.ndarray:
    """Which points are not implausible against the targets in ``rest``."""
    columns = []
    for name in rest:
        t = next(t for n, t in zip(cal.target_names, cal.targets, strict=True) if n == name)
        mean, var = emulators[name].predict(unit)
        variance = var + emulators[name].nugget
        columns.append(implausibility(mean, variance, t.value, t.sd, t.discrepancy_sd))
    score = combined(np.column_stack(columns), min(cal.rank, default_rank(len(rest))))
    return score <= cal.cutoff


def cross_validate(
    cal: Calibration, emulators: dict[str, Emulator], space: np.ndarray
) -> pd.DataFrame:
    """One row per left-out target: its prediction from the rest of the targets, and the target.

    Args:
        cal: The calibration.
        emulators: Target name -> emulator fitted to every simulated point.
        space: A uniform sample of the space (unit cube).
    """
    rows = []
    fitted = cal.target_names
    for group, names in GROUPS.items():
        out = [n for n in names if n in fitted]
        rest = [n for n in fitted if n not in names]
        if not out or not rest:
            continue
        keep = _rest_nroy(cal, emulators, rest, space)
        for name in out:
            t = next(t for n, t in zip(fitted, cal.targets, strict=True) if n == name)
            rows.append(_prediction(group, name, t, emulators[name], space[keep], keep.mean()))
    return pd.DataFrame(rows)


def _prediction(group: str, name: str, t, emulator: Emulator, unit: np.ndarray, share: float):
    """The left-out target's prediction over the rest-NROY points."""
    base = {
        "group": group,
        "code": t.code,
        "target": TARGETS[name].label,
        "target_value": t.display(t.value),
        "target_low": t.display(t.value - Z95 * t.sd),
        "target_high": t.display(t.value + Z95 * t.sd),
        "nroy_share_without": float(share),
    }
    if len(unit) == 0:
        return base | dict.fromkeys(("predicted", "predicted_low", "predicted_high"), np.nan)
    mean, var = emulator.predict(unit)
    sd = np.sqrt(var + emulator.nugget)
    low, high = np.quantile(mean - Z95 * sd, 0.025), np.quantile(mean + Z95 * sd, 0.975)
    spread = float(np.var(mean) + np.mean(sd**2))
    centre = float(np.mean(mean))
    score = abs(centre - t.value) / np.sqrt(t.sd**2 + t.discrepancy_sd**2 + spread)
    return base | {
        "predicted": t.display(centre),
        "predicted_low": t.display(float(low)),
        "predicted_high": t.display(float(high)),
        "implausibility": float(score),
        "target_in_interval": bool(low <= t.value <= high),
    }
