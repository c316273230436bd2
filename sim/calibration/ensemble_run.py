"""Virtual trials over a calibrated ensemble: parameter and chance uncertainty together.

Replicate trial ``r`` runs with member ``m = r mod K`` of the ensemble's K parameter sets, on
replicate ``r``'s own practice population and randomisation (the same as replicate ``r`` of a
trial without an ensemble, or of another scenario run from the same seed: common random numbers
across scenarios, and between the arms of every trial). Member ``m``'s replicates are simulated
in batches of ``trial.batch_size``; batch ``b`` of member ``m`` draws the mechanisms' streams of
batch number ``b K + m``. Jobs are put back in order, so results depend on the seed, the ensemble
and ``trial.batch_size``, never on the number of workers.

A member's values replace the scenario's for the keys the scenario takes from the calibration
(a key at its code default, or set by a file named ``calibrated.toml``); a key the scenario sets
itself (a what-if's dose, say) keeps the scenario's value.

Use from a new verb (``sim compare``, say)::

    from sim.calibration.ensemble_file import load_ensemble
    from sim.calibration.ensemble_run import run_ensemble_replicates, uncertainty_table

    ensemble = load_ensemble(path)
    for scenario in scenarios:              # the same seed: CRN across interventions too
        run = run_ensemble_replicates(scenario, ensemble, replicates=200, seed=seed)
        table = uncertainty_table(run.estimates)  # mean, prediction interval, parameter share

``sim compare`` runs every option of a comparison over the ensemble the same way
(:func:`sim.compare.simulate.run_comparison` with ``ensemble=``).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.calibration.ensemble_file import Ensemble, member_overrides
from sim.config.scenario import Scenario
from sim.parallel import ordered_map
from sim.trial.batch import trial_scenario
from sim.trial.design import TrialDesign
from sim.trial.replicates import TrialRun, run_batch


def member_scenario(scenario: Scenario, ensemble: Ensemble, m: int) -> Scenario:
    """The scenario with member ``m``'s values for the keys it takes from the calibration."""
    values = member_overrides(scenario, ensemble, m)
    where = ensemble.path.name if ensemble.path is not None else "ensemble"
    return scenario.with_overrides(values, origin=f"{where} member {m}")


def member_batches(n: int, members: int, batch_size: int) -> list[tuple[int, int, range]]:
    """(member, batch number, replicates) of every job: member ``m`` has ``r = m, m + K, ...``."""
    jobs = []
    for m in range(members):
        own = range(m, n, members)
        for b in range(0, len(own), batch_size):
            jobs.append((m, (b // batch_size) * members + m, own[b : b + batch_size]))
    return jobs


def _job(args: tuple) -> tuple:
    scenario, design, seed, batch, replicates, member = args
    estimates, arms, truth, seconds, paths, components = run_batch(
        scenario, design, seed, batch, replicates
    )
    tag = {"member": member}
    return (
        estimates.assign(**tag),
        arms.assign(**tag),
        truth.assign(**tag),
        seconds,
        paths.assign(**tag),
        components.assign(**tag),
    )


def run_ensemble_replicates(
    scenario: Scenario,
    ensemble: Ensemble,
    *,
    replicates: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrialRun:
    """Run a scenario's virtual trial over an ensemble (see the module docstring).

    Args:
        scenario: A resolved scenario (its ``[trial]`` keys give the design).
        ensemble: The parameter sets.
        replicates: Replicate trials in all (default ``trial.replicates``).
        workers: Worker processes (default: every core); results do not depend on it.
        seed: Root seed (default ``run.seed``).
        progress: Called with (batches done, batches in all) after each batch.

    Returns:
        The trial's tables, each with a ``member`` column; ``replicate`` is the global number.
    """
    design = TrialDesign.of(scenario)
    n = design.replicates if replicates is None else replicates
    seed = scenario["run.seed"] if seed is None else seed
    workers = (os.cpu_count() or 1) if workers is None else workers
    k = len(ensemble)
    packed = [trial_scenario(member_scenario(scenario, ensemble, m), design) for m in range(k)]
    jobs = [
        (packed[m], design, seed, b, r, m) for m, b, r in member_batches(n, k, design.batch_size)
    ]
    parts = []
    for done, result in enumerate(ordered_map(_job, jobs, workers, __name__), start=1):
        parts.append(result)
        if progress is not None:
            progress(done, len(jobs))
    seconds = {key: sum(p[3][key] for p in parts) for key in ("simulate", "analyse")}
    return TrialRun(
        design,
        seed,
        *(
            pd.concat([p[i] for p in parts], ignore_index=True)
            .sort_values(["replicate"] if i != 2 else ["member", "batch"], kind="stable")
            .reset_index(drop=True)
            for i in (0, 1, 2)
        ),
        seconds,
        pd.concat([p[4] for p in parts], ignore_index=True),
        pd.concat([p[5] for p in parts], ignore_index=True)
        .sort_values("replicate", kind="stable")
        .reset_index(drop=True),
    )


def _decompose(values: pd.Series, members: pd.Series) -> tuple[float, float]:
    """(between-member, within-member) variance: one-way random-effects ANOVA estimates.

    Within: the pooled variance of replicates around their member's mean. Between: the variance
    of the member means less the part chance puts there (within / replicates per member, the
    harmonic mean), floored at 0.
    """
    frame = pd.DataFrame({"v": values, "m": members}).dropna()
    groups = frame.groupby("m")["v"]
    n, var = groups.count(), groups.var(ddof=1)
    ok = n >= 2
    within = float(((n[ok] - 1) * var[ok]).sum() / (n[ok] - 1).sum()) if ok.any() else np.nan
    if len(n) < 2:
        return np.nan, within
    harmonic = len(n) / float((1.0 / n).sum())
    between = float(groups.mean().var(ddof=1)) - within / harmonic
    return max(between, 0.0), within


def uncertainty_table(estimates: pd.DataFrame) -> pd.DataFrame:
    """Per outcome (overall): the mean estimate, its 95% prediction interval and variance shares.

    The prediction interval is the 2.5% and 97.5% points of every replicate trial's estimate
    over all members: what one new trial would report, given both what the calibration leaves
    uncertain and chance. Odds ratios are summarised on the log scale and shown as ratios.

    Args:
        estimates: Each replicate trial's estimates with its ``member`` column
            (:attr:`sim.trial.replicates.TrialRun.estimates` of an ensemble run).
    """
    overall = estimates[estimates["subgroup"] == "all"]
    rows = []
    for (outcome, scale), part in overall.groupby(["outcome", "scale"], sort=False):
        ratio = scale == "odds ratio"
        values = np.log(part["estimate"]) if ratio else part["estimate"]
        between, within = _decompose(values, part["member"])
        back = np.exp if ratio else (lambda x: x)
        total = between + within
        rows.append(
            {
                "outcome": outcome,
                "scale": scale,
                "members": int(part["member"].nunique()),
                "trials": int(values.notna().sum()),
                "mean_estimate": float(back(values.mean())),
                "prediction_low": float(back(values.quantile(0.025))),
                "prediction_high": float(back(values.quantile(0.975))),
                "variance_parameters": between,
                "variance_chance": within,
                "parameter_share": between / total if total > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def uncertainty_markdown(table: pd.DataFrame) -> list[str]:
    """The uncertainty table as Markdown lines, for a trial's results.md."""
    members = int(table["members"].max()) if len(table) else 0
    lines = [
        f"Over the calibrated ensemble ({members} parameter sets): the 95% prediction interval "
        "is where one new trial's estimate would fall, given both the parameters the targets "
        "leave uncertain and chance; the parameter share is the part of its variance that comes "
        "from the parameters (between members; the rest is chance within members).",
        "",
        "| Outcome | Mean estimate | 95% prediction interval | Parameter share of variance |",
        "|---|---|---|---|",
    ]
    for _, r in table.iterrows():
        digits = 2 if r["scale"] == "odds ratio" else 4
        share = r["parameter_share"]
        lines.append(
            f"| {r['outcome']} ({r['scale']}) | {r['mean_estimate']:.{digits}f} | "
            f"{r['prediction_low']:.{digits}f} to {r['prediction_high']:.{digits}f} | "
            + ("-" if pd.isna(share) else f"{100 * share:.0f}%")
            + " |"
        )
    return [*lines, ""]
