"""The fit report (Markdown): method, waves, emulators, targets, parameters, cross-validation."""

from __future__ import annotations

import pandas as pd

from sim.calibration.fit import Fit


def _table(frame: pd.DataFrame, columns: dict[str, str], digits: int = 4) -> list[str]:
    """A Markdown table of some columns, renamed, numbers to ``digits`` significant digits."""
    head = "| " + " | ".join(columns.values()) + " |"
    lines = [head, "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        cells = []
        for column in columns:
            value = row[column]
            cells.append(f"{value:.{digits}g}" if isinstance(value, float) else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _method(fit: Fit) -> list[str]:
    cal = fit.calibration
    return [
        "## Method",
        "",
        "History matching with Gaussian-process emulators (sim.calibration.waves; Vernon et al. "
        f"2010, Andrianakis et al. 2015). Wave 1 simulates a Latin hypercube of {cal.points} "
        f"points; each point is {cal.replicates} runs (common random numbers) of the sweep "
        f"engine's trial task with {cal.replicates_per_run} replicate BRIGHT-style trials per run. "
        "After each wave one emulator per target is fitted to the simulated points still not "
        f"implausible; {cal.candidates} candidate points of the whole space are screened by "
        "every wave's emulators with I = |emulated mean - target| / sqrt(target sd^2 + "
        "discrepancy^2 + emulator variance + stochastic variance), combined over targets as the "
        f"{_ordinal(cal.rank)} largest, ruled out above {cal.cutoff:g}. The next "
        "wave simulates a random sample of the survivors. Waves stop after "
        f"{cal.waves} waves, when none survives, or when a wave shrinks the not-implausible "
        f"(NROY) share by less than {100 * cal.min_shrink:g}%. Here: {fit.history.stop}.",
        "",
        f"The ensemble: {2 * cal.ensemble_size} candidates drawn from the final NROY space, each "
        f"simulated {cal.confirm_replicates} times from another seed; the first "
        f"{cal.ensemble_size} whose simulated implausibility (same rule, the simulated mean's "
        "standard error in place of the emulator) is within the cut-off are the members. The "
        "members are ranked by the usual-care targets (all but the trial's) met within one "
        "target sd, then the targets met in all, then the least sum of squared implausibilities. "
        + _point_note(fit),
        "",
    ]


def _point_note(fit: Fit) -> str:
    if fit.best_misses is None:
        return "The calibrated point is the first member in that order."
    checked = (
        "The calibrated point is the first member in that order, or failing that the first "
        "other confirmed candidate (not implausible either), that meets T5, T6, T7, T10 and T11 "
        "within the dossier's ranges measured on longer usual-care runs, as the tests measure "
        "them (sim.calibration.clinical.usual_care_misses)"
    )
    if not fit.best_misses:
        return checked + "."
    return checked + f"; no member met them all, and this one misses {', '.join(fit.best_misses)}."


def _ensemble_note(fit: Fit) -> list[str]:
    cal, members = fit.calibration, fit.members
    n = len(members.ensemble)
    confirmed = int(members.ensemble.confirmed.sum())
    lines = [
        f"Ensemble: {n} members ({confirmed} confirmed by simulation) from "
        f"{len(members.candidates)} candidates simulated.",
        "",
    ]
    if confirmed < n:
        lines += [
            f"**Warning**: only {confirmed} candidates were confirmed (of {cal.ensemble_size} "
            "wanted); the members marked unconfirmed are the least implausible candidates, "
            "not points the targets allow.",
            "",
        ]
    return lines


def report_text(fit: Fit, command: str) -> str:
    """The whole fit report."""
    cal = fit.calibration
    lines = [
        f"# Calibration fit report: {cal.title or cal.name}",
        "",
        f"Command: `{command}`. Base scenario: `{cal.base.path}`. Seed {cal.seed}.",
        "",
        *_method(fit),
        "## Waves",
        "",
        *_table(
            fit.waves,
            {
                "wave": "wave",
                "points": "points simulated",
                "runs": "runs",
                "emulator_points": "emulator training points",
                "nroy_share": "NROY share of the original space",
            },
        ),
        "## Emulator diagnostics (leave-one-out)",
        "",
        "Standardised leave-one-out errors: (simulated - emulated without that point) / its SD; "
        "about 95% should lie within 2 and nearly all within 3.",
        "",
        *_table(
            fit.diagnostics,
            {
                "wave": "wave",
                "code": "target",
                "nugget_sd": "stochastic SD of a point mean",
                "loo_mean_abs_z": "mean |z|",
                "loo_max_abs_z": "max |z|",
                "loo_coverage_2sd": "share |z| <= 2",
                "loo_coverage_3sd": "share |z| <= 3",
            },
            3,
        ),
        "## Targets (all used in fitting) against the model",
        "",
        *_ensemble_note(fit),
        *_table(
            fit.report,
            {
                "code": "target",
                "target": "what",
                "target_value": "target value",
                "target_sd": "sd",
                "discrepancy_sd": "discrepancy sd",
                "ensemble_mean": "ensemble mean",
                "ensemble_low": "ensemble 2.5%",
                "ensemble_high": "ensemble 97.5%",
                "simulated": "calibrated point",
                "implausibility": "I",
            },
        ),
        "Standard deviations are on the target's own scale (log odds ratio for BP control).",
        "",
        "## Parameters: where the fit sits in the prior, and what the targets constrain",
        "",
        "The ratio of the NROY range (and the ensemble's range) to the prior range: near 1, the "
        "targets leave the parameter's range unconstrained; small, they pin it down. Ranges of "
        "a many-dimensional region often span the whole prior even when the region is small, so "
        "the ratio of the NROY standard deviation to the prior's (uniform) one is shown too: "
        "below 1, the targets favour part of the range. Position: 0 at the prior's low end, 1 "
        "at its high end.",
        "",
        *_table(
            fit.identifiability,
            {
                "parameter": "parameter",
                "prior_low": "prior low",
                "prior_high": "prior high",
                "calibrated": "calibrated",
                "calibrated_position": "position in prior",
                "nroy_range_over_prior": "NROY range / prior",
                "nroy_sd_over_prior": "NROY SD / prior SD",
                "ensemble_range_over_prior": "ensemble range / prior",
            },
            3,
        ),
        "## Cross-validation: each target group left out and predicted from the rest",
        "",
        "Predicted, not used in fitting: each group is history-matched away (the others' "
        "emulators only, fitted to every wave's runs) and predicted over the rest's NROY space.",
        "",
    ]
    if fit.crossval.empty:
        lines += ["(No group could be left out: the calibration fits one group only.)", ""]
    else:
        lines += _table(
            fit.crossval,
            {
                "group": "left out",
                "code": "target",
                "target_value": "target",
                "target_low": "target 95% low",
                "target_high": "target 95% high",
                "predicted": "predicted",
                "predicted_low": "predicted 2.5%",
                "predicted_high": "predicted 97.5%",
                "implausibility": "I",
            },
        )
    return "\n".join(lines)
