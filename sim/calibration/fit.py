"""A calibration end to end: emulated history matching, the ensemble, and what the fit shows.

:func:`calibrate` runs the waves (:mod:`.waves`), draws and confirms the ensemble
(:mod:`.members`), and gathers the fit report's tables: per wave the NROY share and the
emulators' leave-one-out diagnostics; per target the ensemble's simulated value against the
target; per parameter where the ensemble lies within its prior (identifiability); and the
cross-validation by target group (:mod:`.crossval`). The calibrated point (``calibrated.toml``)
is the best-ranked confirmed member (most usual-care targets within one target sd, then most
targets, then least sum of squared implausibilities), or failing that the best-ranked other
confirmed candidate, that meets the usual-care targets T5-T7, T10 and T11 within the dossier's
ranges when measured on longer usual-care runs, as the tests measure them
(:func:`sim.calibration.clinical.usual_care_misses`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.calibration_file import Calibration
from sim.calibration.clinical import usual_care_misses
from sim.calibration.crossval import cross_validate
from sim.calibration.members import Members, draw_members
from sim.calibration.points import point_summary, run_points
from sim.calibration.targets import GROUPS
from sim.calibration.waves import History, fit_emulators, history_match
from sim.config.prior_params import PRIORS, Prior
from sim.dynamics.eq5d import DIMENSIONS
from sim.sweeps.execute import SerialExecutor

__all__ = ["Fit", "calibrate", "point_summary"]


@dataclass
class Fit:
    """The result of a calibration.

    Attributes:
        calibration: The calibration.
        history: The waves.
        members: The ensemble and its candidates.
        best: The calibrated point (a confirmed member).
        waves: Per wave: points simulated, emulators' training points, NROY share.
        diagnostics: Per wave and target: the emulators' nugget and leave-one-out checks.
        report: Per target: the value and its uncertainty, the ensemble's simulated mean and
            range, and the calibrated point's simulated value and implausibility.
        identifiability: Per parameter: prior, file bounds, NROY and ensemble ranges, their
            ratio to the prior range, and the calibrated value's place in the prior.
        crossval: Per left-out target: the prediction from the other groups against the target.
        best_misses: The usual-care targets the calibrated point misses when measured as the
            sources measured them (None: not checked; see :func:`calibrated_member`).
    """

    calibration: Calibration
    history: History
    members: Members
    best: dict[str, float]
    waves: pd.DataFrame
    diagnostics: pd.DataFrame
    report: pd.DataFrame
    identifiability: pd.DataFrame
    crossval: pd.DataFrame
    best_misses: list[str] | None = None

    @property
    def points(self) -> pd.DataFrame:
        """Every point simulated in the waves."""
        return self.history.simulated


def wave_tables(cal: Calibration, history: History) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per wave: sizes and NROY share; per wave and target: leave-one-out diagnostics."""
    waves, diagnostics = [], []
    codes = {n: t.code for n, t in zip(cal.target_names, cal.targets, strict=True)}
    for w in history.waves:
        waves.append(
            {
                "wave": w.number,
                "points": len(w.points),
                "runs": len(w.points) * cal.replicates,
                "emulator_points": w.trained_on,
                "nroy_share": w.nroy_share,
                "survivors": len(w.survivors),
            }
        )
        for name, em in w.emulators.items():
            check = em.loo()
            diagnostics.append(
                {
                    "wave": w.number,
                    "target": name,
                    "code": codes[name],
                    "nugget_sd": float(np.sqrt(em.nugget)),
                    "loo_mean_abs_z": float(np.mean(np.abs(check.standardised))),
                    "loo_max_abs_z": float(np.max(np.abs(check.standardised))),
                    "loo_coverage_2sd": check.coverage2,
                    "loo_coverage_3sd": check.coverage3,
                }
            )
    return pd.DataFrame(waves), pd.DataFrame(diagnostics)


def target_table(cal: Calibration, members: Members, best: int) -> pd.DataFrame:
    """Per target: the ensemble's simulated values and the calibrated point's, against it."""
    rows = []
    chosen = members.candidates.iloc[members.chosen]
    point = members.candidates.iloc[best]
    for t in cal.targets:
        values = chosen[t.column].to_numpy(float)
        rows.append(
            {
                "code": t.code,
                "target": t.label,
                "column": t.column,
                "target_value": t.display(t.value),
                "target_sd": t.sd,
                "discrepancy_sd": t.discrepancy_sd,
                "ensemble_mean": t.display(float(np.mean(values))),
                "ensemble_low": t.display(float(np.quantile(values, 0.025))),
                "ensemble_high": t.display(float(np.quantile(values, 0.975))),
                "simulated": t.display(float(point[t.column])),
                "simulated_se": float(point[f"{t.column}_se"]),
                "implausibility": float(point[f"{t.column}_i"]),
            }
        )
    return pd.DataFrame(rows)


def identifiability(cal: Calibration, history: History, members: Members, best) -> pd.DataFrame:
    """Per parameter: how much of its prior range the targets rule out."""
    nroy = history.space[history.waves[-1].space_mask]
    rows = []
    for j, (key, (low, high)) in enumerate(cal.bounds().items()):
        prior = PRIORS.get(key, Prior(low, high, "the calibration file's bounds"))
        width = prior.high - prior.low
        values = members.ensemble.values[:, j]
        lo = low + (high - low) * nroy[:, j].min() if len(nroy) else np.nan
        hi = low + (high - low) * nroy[:, j].max() if len(nroy) else np.nan
        rows.append(
            {
                "parameter": key,
                "prior_low": prior.low,
                "prior_high": prior.high,
                "nroy_low": lo,
                "nroy_high": hi,
                "nroy_range_over_prior": (hi - lo) / width,
                "nroy_sd_over_prior": _sd(low + (high - low) * nroy[:, j]) / (width / np.sqrt(12)),
                "ensemble_low": float(values.min()),
                "ensemble_high": float(values.max()),
                "ensemble_range_over_prior": float(values.max() - values.min()) / width,
                "calibrated": best[key],
                "calibrated_position": (best[key] - prior.low) / width,
                "source": prior.source,
            }
        )
    return pd.DataFrame(rows)


#: Fitted targets the usual-care check measures; it runs when a calibration fits all of them.
CHECKED_TARGETS = frozenset(
    {
        "baseline_bp_controlled",
        "baseline_eq5d",
        *(f"baseline_{d}" for d in DIMENSIONS),
        "participation_effect",
        "persistence_52",
    }
)


def ranked_members(cal: Calibration, candidates: pd.DataFrame, chosen: np.ndarray) -> np.ndarray:
    """The members (indices into ``candidates``), best first, as calibrated-point candidates.

    Ranked by the number of usual-care targets (all but the trial's) met within one target sd,
    then the number of targets met in all, then the least sum of squared implausibilities.
    """
    rows = candidates.iloc[chosen]
    trial = set(GROUPS["trial (T9)"])

    def within(names) -> np.ndarray:
        hits = [
            (np.abs(rows[t.column] - t.value) <= t.sd).to_numpy(int)
            for n, t in zip(cal.target_names, cal.targets, strict=True)
            if n in names
        ]
        return np.sum(hits, axis=0) if hits else np.zeros(len(rows), int)

    usual = within(set(cal.target_names) - trial)
    every = within(set(cal.target_names))
    score = sum(rows[f"{t.column}_i"] ** 2 for t in cal.targets).to_numpy()
    return np.asarray(chosen)[np.lexsort((score, -every, -usual))]


def calibrated_member(
    cal: Calibration, candidates: pd.DataFrame, chosen: np.ndarray, check=None
) -> tuple[int, list[str] | None]:
    """The member to write as ``calibrated.toml`` and the usual-care targets it misses.

    The defaults should meet the usual-care targets within the dossier's ranges as the sources
    measured them. The members are taken in :func:`ranked_members` order, then the other
    confirmed candidates (not implausible either) in the same order; when the calibration fits
    every target of :data:`CHECKED_TARGETS`, each is measured in turn with ``check`` (default
    :func:`sim.calibration.clinical.usual_care_misses`: longer usual-care runs, as the tests
    measure them) and the first that misses none is the calibrated point. If none meets them
    all, the one missing fewest (the first of those in that order) is.

    Returns:
        The member's index into ``candidates``, and the codes of the targets it misses (None
        when no check ran).
    """
    ranked = ranked_members(cal, candidates, chosen)
    others = np.setdiff1d(np.flatnonzero(candidates["confirmed"].to_numpy(bool)), chosen)
    ranked = np.concatenate([ranked, ranked_members(cal, candidates, others)])
    if not set(cal.target_names) >= CHECKED_TARGETS:
        return int(ranked[0]), None
    check = check if check is not None else usual_care_misses
    best: tuple[int, list[str]] | None = None
    for row in ranked:
        misses = check({k: float(candidates.iloc[row][k]) for k in cal.keys})
        if best is None or len(misses) < len(best[1]):
            best = (int(row), misses)
        if not misses:
            break
    return best


def _sd(values: np.ndarray) -> float:
    return float(np.std(values)) if len(values) else float("nan")


def calibrate(
    cal: Calibration,
    folder: Path,
    executor=None,
    *,
    progress: bool = True,
    simulate=None,
    check=None,
) -> Fit:
    """Run a calibration into ``folder`` (resumable); see the module docstring.

    Args:
        cal: The calibration.
        folder: Where the sweeps go (``wave<k>/``, ``ensemble<r>/``, ``designs/``).
        executor: The sweep executor (default: serial).
        progress: Show the sweeps' progress bars.
        simulate: What simulates points (default :func:`.points.run_points`, the sweep engine).
        check: What measures a member's usual-care misses (see :func:`calibrated_member`).
    """
    executor = executor if executor is not None else SerialExecutor()
    simulate = simulate if simulate is not None else run_points
    history = history_match(cal, folder, executor, progress, simulate)
    members = draw_members(cal, history, folder, executor, progress, simulate)
    candidates = members.candidates
    best_row, misses = calibrated_member(cal, candidates, members.chosen, check)
    best = {k: float(candidates.iloc[best_row][k]) for k in cal.keys}
    every = fit_emulators(cal, history.simulated, cal.seed)
    waves, diagnostics = wave_tables(cal, history)
    return Fit(
        cal,
        history,
        members,
        best,
        waves,
        diagnostics,
        target_table(cal, members, best_row),
        identifiability(cal, history, members, best),
        cross_validate(cal, every, history.space),
        misses,
    )
