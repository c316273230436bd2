"""Draw the ensemble from the final not-implausible space and confirm each member by simulation.

Twice ``ensemble_size`` candidates are drawn at random from the last wave's survivors (topped up
as for a wave when few survive) and each is simulated ``confirm_replicates`` times from a seed of
its own (not the waves' seed, so that confirmation is not judged on the noise the emulators were
fitted to). A candidate is **confirmed** when its simulated implausibility, the calibration's k-th
largest over targets of ``|mean - z| / sqrt(sd^2 + discrepancy^2 + se^2)``, is at most the
cut-off. The first ``ensemble_size`` confirmed candidates, in draw order, are the ensemble. If a
first round confirms too few, a second round draws again; if fewer than two are confirmed after
that, the ensemble falls back to the least implausible candidates and says so (``confirmed =
false`` in the file, and in the fit report).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.calibration_file import Calibration
from sim.calibration.emulator import combined, implausibility
from sim.calibration.ensemble_file import Ensemble
from sim.calibration.points import run_points
from sim.calibration.waves import History, least_implausible, top_up
from sim.streams import generator

#: Rounds of drawing and confirming candidates.
ROUNDS = 2


@dataclass
class Members:
    """The confirmed ensemble and every candidate simulated for it.

    Attributes:
        ensemble: The K parameter sets.
        candidates: Every candidate simulated (:func:`.points.point_summary` columns, plus
            per-target implausibility ``<column>_i``, ``implausibility`` and ``confirmed``).
        chosen: Index into ``candidates`` of each member.
    """

    ensemble: Ensemble
    candidates: pd.DataFrame
    chosen: np.ndarray


def simulated_implausibility(cal: Calibration, frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``<column>_i`` per target and the combined ``implausibility`` to a points table."""
    frame = frame.copy()
    columns = []
    for t in cal.targets:
        se = frame[f"{t.column}_se"].to_numpy()
        frame[f"{t.column}_i"] = implausibility(
            frame[t.column].to_numpy(), se**2, t.value, t.sd, t.discrepancy_sd
        )
        columns.append(f"{t.column}_i")
    frame["implausibility"] = combined(frame[columns].to_numpy(), cal.rank)
    frame["confirmed"] = frame["implausibility"] <= cal.cutoff
    return frame


def _pool(cal: Calibration, history: History) -> np.ndarray:
    """Where members are drawn from: the last wave's survivors, topped up if few."""
    last = history.waves[-1]
    pool = top_up(cal, history.waves, last.survivors, len(history.waves) + 1)
    if len(pool):
        return pool
    return least_implausible(cal, history.waves, history.space, max(2, 2 * cal.ensemble_size))


def draw_members(
    cal: Calibration,
    history: History,
    folder: Path,
    executor,
    progress: bool = True,
    simulate=run_points,
) -> Members:
    """Draw, simulate and confirm the ensemble (resumable in ``folder/ensemble<round>/``).

    ``simulate`` is what simulates points (default :func:`.points.run_points`).
    """
    pool = _pool(cal, history)
    rng = generator(cal.seed, "ensemble draw")
    order = rng.permutation(len(pool))
    frames = []
    for r in range(ROUNDS):
        take = order[r * 2 * cal.ensemble_size : (r + 1) * 2 * cal.ensemble_size]
        if len(take) == 0:
            break
        points = simulate(
            cal,
            folder / f"ensemble{r + 1}",
            f"ensemble{r + 1}",
            pool[take],
            executor,
            progress,
            replicates=cal.confirm_replicates,
            seed=cal.seed + 1,
        )
        frames.append(simulated_implausibility(cal, points).assign(round=r + 1))
        if sum(int(f["confirmed"].sum()) for f in frames) >= cal.ensemble_size:
            break
    candidates = pd.concat(frames, ignore_index=True)
    chosen = np.flatnonzero(candidates["confirmed"].to_numpy())[: cal.ensemble_size]
    if len(chosen) < 2:
        chosen = np.argsort(candidates["implausibility"].to_numpy())[: cal.ensemble_size]
    rows = candidates.iloc[chosen]
    ensemble = Ensemble(
        None,
        cal.keys,
        rows[list(cal.keys)].to_numpy(float),
        rows["implausibility"].to_numpy(float),
        rows["confirmed"].to_numpy(bool),
        tuple(t.code for t in cal.targets),
    )
    return Members(ensemble, candidates, chosen)
