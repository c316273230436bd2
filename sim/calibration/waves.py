"""History matching in waves with emulators, on the sweep engine (Vernon et al. 2010).

1. **Wave 1** simulates a Latin hypercube of ``points`` points over the free parameters' bounds
   (each point ``replicates`` runs of the ``trial`` task, common random numbers).
2. After each wave, one Gaussian-process emulator per target is fitted (:mod:`.emulator`) to the
   simulated points that earlier waves left not implausible.
3. A fixed uniform sample of ``candidates`` points of the whole space is screened by every wave's
   emulators; a point survives if its implausibility (k-th largest over targets) is at most
   ``cutoff`` under each wave. The survivors' share estimates the not-implausible (NROY) share of
   the original space.
4. The next wave simulates a random sample of ``points`` survivors (topped up, when few survive,
   by candidates drawn in the survivors' padded box and screened the same way).
5. **Stop rule**: after wave ``waves``; or when no point survives; or when a wave (from the
   second on) shrinks the NROY share by less than ``min_shrink`` of the previous share.

Each wave is a sweep in ``<folder>/wave<k>/`` and its design is saved first as
``<folder>/designs/wave<k>.json``, so an interrupted calibration resumes without repeating runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.calibration_file import Calibration
from sim.calibration.emulator import Emulator, combined, implausibility
from sim.calibration.points import run_points
from sim.streams import generator

#: Share of a box added on each side when drawing top-up candidates around the survivors.
PAD = 0.1
#: Top-up rounds of candidates when fewer than three times ``points`` survive.
TOP_UP_ROUNDS = 5


@dataclass
class Wave:
    """One wave of history matching.

    Attributes:
        number: 1, 2, ...
        points: The wave's simulated points (:func:`.points.run_points` table).
        emulators: Target name -> emulator fitted after the wave.
        nroy_share: Share of the original space not implausible after the wave.
        survivors: Candidates (unit cube) not implausible after the wave.
        trained_on: Simulated points the emulators were fitted to.
    """

    number: int
    points: pd.DataFrame
    emulators: dict[str, Emulator]
    nroy_share: float
    survivors: np.ndarray
    trained_on: int = 0
    space_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))


@dataclass
class History:
    """Every wave, the screened sample of the space and why the waves stopped."""

    waves: list[Wave] = field(default_factory=list)
    space: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    stop: str = ""

    @property
    def simulated(self) -> pd.DataFrame:
        """Every simulated point of every wave (column ``wave``)."""
        return pd.concat([w.points for w in self.waves], ignore_index=True)


def to_unit(cal: Calibration, frame: pd.DataFrame) -> np.ndarray:
    """The free parameters of a points table, scaled to the unit cube of the file's bounds."""
    bounds = cal.bounds()
    return np.column_stack([(frame[k] - lo) / (hi - lo) for k, (lo, hi) in bounds.items()])


def screen(cal: Calibration, waves: list[Wave], unit: np.ndarray) -> np.ndarray:
    """Which points survive every wave's emulators (each wave judges only earlier survivors)."""
    keep = np.ones(len(unit), bool)
    for wave in waves:
        alive = np.flatnonzero(keep)
        if len(alive) == 0:
            break
        keep[alive] = emulated(cal, wave.emulators, unit[alive]) <= cal.cutoff
    return keep


def least_implausible(cal: Calibration, waves: list[Wave], unit: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` points least implausible under the last wave's emulators."""
    return unit[np.argsort(emulated(cal, waves[-1].emulators, unit), kind="stable")[:n]]


def emulated(cal: Calibration, emulators: dict[str, Emulator], unit: np.ndarray) -> np.ndarray:
    """The combined emulated implausibility of points (the calibration's rank over targets)."""
    columns = []
    for name, target in zip(cal.target_names, cal.targets, strict=True):
        mean, var = emulators[name].predict(unit)
        variance = var + emulators[name].nugget
        columns.append(
            implausibility(mean, variance, target.value, target.sd, target.discrepancy_sd)
        )
    return combined(np.column_stack(columns), cal.rank)


def fit_emulators(cal: Calibration, frame: pd.DataFrame, seed: int) -> dict[str, Emulator]:
    """One emulator per target, fitted to the simulated point means of ``frame``."""
    unit = to_unit(cal, frame)
    out = {}
    for name, target in zip(cal.target_names, cal.targets, strict=True):
        ok = np.isfinite(frame[target.column].to_numpy())
        out[name] = Emulator(unit[ok], frame[target.column].to_numpy()[ok], seed)
    return out


def top_up(cal: Calibration, waves: list[Wave], pool: np.ndarray, k: int) -> np.ndarray:
    """More survivors drawn in the padded box of the current ones (or of the least implausible)."""
    rng = generator(cal.seed, "history matching top-up", k)
    d = len(cal.keys)
    for _ in range(TOP_UP_ROUNDS):
        if len(pool) >= 3 * cal.points:
            break
        if len(pool) >= 2:
            low, high = pool.min(axis=0), pool.max(axis=0)
        else:
            trial = rng.random((cal.candidates, d))
            best = least_implausible(cal, waves, trial, max(2, cal.candidates // 100))
            low, high = best.min(axis=0), best.max(axis=0)
        low, high = np.clip(low - PAD, 0, 1), np.clip(high + PAD, 0, 1)
        draw = low + (high - low) * rng.random((cal.candidates, d))
        pool = np.vstack([pool, draw[screen(cal, waves, draw)]])
    return pool


def _design(cal: Calibration, folder: Path, k: int, waves: list[Wave]) -> np.ndarray:
    """Wave ``k``'s points in the unit cube (saved, so that a resumed run takes the same ones)."""
    path = folder / "designs" / f"wave{k}.json"
    if path.is_file():
        return np.array(json.loads(path.read_text(encoding="utf-8")), float)
    if k == 1:
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(len(cal.keys), rng=generator(cal.seed, "wave 1")).random(
            cal.points
        )
    else:
        pool = top_up(cal, waves, waves[-1].survivors, k)
        rng = generator(cal.seed, "history matching wave", k)
        unit = pool[np.sort(rng.permutation(len(pool))[: cal.points])]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps(unit.tolist()), encoding="utf-8")
    os.replace(tmp, path)
    return unit


def _passes(cal: Calibration, wave: Wave, history: History) -> np.ndarray:
    """The space sample's points not implausible after ``wave`` (and every earlier wave)."""
    mask = (
        history.waves[-1].space_mask.copy() if history.waves else np.ones(len(history.space), bool)
    )
    alive = np.flatnonzero(mask)
    if len(alive):
        mask[alive] = emulated(cal, wave.emulators, history.space[alive]) <= cal.cutoff
    return mask


def _passes_new(cal: Calibration, wave: Wave, points: np.ndarray) -> np.ndarray:
    """The earlier survivors (already past every earlier wave) that ``wave`` keeps too."""
    if len(points) == 0:
        return points
    return points[emulated(cal, wave.emulators, points) <= cal.cutoff]


def _stop(cal: Calibration, waves: list[Wave]) -> str:
    """Why the waves stop after the last one, or "" to go on."""
    share = waves[-1].nroy_share
    if len(waves[-1].survivors) == 0:
        return "no candidate is left not implausible (the NROY space is empty)"
    if len(waves) >= 2 and share > (1 - cal.min_shrink) * waves[-2].nroy_share:
        return f"the NROY share shrank by less than {100 * cal.min_shrink:g}% in wave {len(waves)}"
    if len(waves) >= cal.waves:
        return f"the last wave allowed ({cal.waves}) ran"
    return ""


def history_match(
    cal: Calibration, folder: Path, executor, progress: bool = True, simulate=run_points
) -> History:
    """Run the waves into ``folder`` (resumable); see the module docstring.

    Args:
        cal: The calibration.
        folder: Where each wave's sweep and design go.
        executor: The sweep executor.
        progress: Show the sweeps' progress bars.
        simulate: What simulates a wave's points (default :func:`.points.run_points`; tests
            give a known function with the same signature).
    """
    space = generator(cal.seed, "nroy space").random((cal.candidates, len(cal.keys)))
    history = History(space=space)
    for k in range(1, cal.waves + 1):
        unit = _design(cal, folder, k, history.waves)
        if len(unit) == 0:
            history.stop = "no point to simulate"
            break
        points = simulate(cal, folder / f"wave{k}", f"wave{k}", unit, executor, progress)
        points.insert(0, "wave", k)
        simulated = pd.concat([*(w.points for w in history.waves), points], ignore_index=True)
        keep = screen(cal, history.waves, to_unit(cal, simulated))
        train = simulated[keep] if keep.sum() >= 2 * len(cal.keys) + 2 else simulated
        emulators = fit_emulators(cal, train, cal.seed + k)
        wave = Wave(k, points, emulators, 0.0, np.zeros((0, len(cal.keys))), len(train))
        wave.space_mask = _passes(cal, wave, history)
        wave.nroy_share = float(wave.space_mask.mean())
        previous = history.waves[-1].survivors if history.waves else np.zeros((0, len(cal.keys)))
        survivors = _passes_new(cal, wave, previous)
        wave.survivors = np.unique(np.vstack([history.space[wave.space_mask], survivors]), axis=0)
        history.waves.append(wave)
        history.stop = _stop(cal, history.waves)
        if history.stop:
            break
    return history
