"""Write a calibration's results: the calibrated scenario, the fit report, tables and a figure."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import numpy as np
import tomli_w
from matplotlib.figure import Figure

from sim.calibration.fit import Fit
from sim.io.provenance import provenance
from sim.io.runfolder import write_json


def _nested(values: dict[str, float]) -> dict:
    out: dict = {}
    for key, value in values.items():
        *tables, leaf = key.split(".")
        node = out
        for table in tables:
            node = node.setdefault(table, {})
        node[leaf] = value
    return out


def scenario_text(fit: Fit, command: str) -> str:
    """The calibrated parameters as a scenario file other scenarios can use as their base."""
    cal = fit.calibration
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    record = provenance(cal.seed, str(cal.path))
    header = [
        f"# Calibrated parameters, written by `{command}` on {stamp}",
        f"# (sim {record['version']}, git {record['git_commit'] or 'unknown'}, seed {cal.seed}).",
        f"# Method: history matching, {cal.waves} wave(s) of {cal.points} Latin hypercube points x "
        f"{cal.replicates} runs x {cal.replicates_per_run} replicate trials;",
        f"# the chosen point confirmed over {cal.confirm_replicates} further runs. Targets: "
        + ", ".join(t.code for t in cal.targets)
        + ".",
        "# Fit report: fit_report.md next to the calibration's results. Use these values with",
        '# base = "<this file>" in a scenario (scenarios/usual_care.toml does).',
    ]
    body = {
        "title": f"Calibrated parameters ({cal.title or cal.name})",
        "description": "Free mechanism and intervention parameters fitted to the dossier's "
        "targets by history matching; see the header.",
        **_nested(fit.best),
    }
    return "\n".join(header) + "\n" + tomli_w.dumps(body)


def report_text(fit: Fit, command: str) -> str:
    """The fit report (Markdown): method, chosen values, each target against the simulation."""
    cal, r = fit.calibration, fit.report
    plausible = int(fit.points["plausible"].sum())
    lines = [
        f"# Calibration fit report: {cal.title or cal.name}",
        "",
        f"Command: `{command}`. Base scenario: `{cal.base.path}`. Seed {cal.seed}.",
        "",
        "## Method",
        "",
        f"History matching (sim.calibration.fit): {cal.waves} wave(s) of a Latin hypercube of "
        f"{cal.points} points, each run {cal.replicates} times (common random numbers) with the "
        f"sweep engine's trial task ({cal.replicates_per_run} replicate BRIGHT-style trials per "
        "run, plus the baseline statistics of their practice populations). Implausibility per "
        "target I = |simulated mean - target| / sqrt(target sd^2 + standard error^2); points with "
        f"max I <= {cal.cutoff:g} are not implausible ({plausible} of {len(fit.points)} points). "
        "The chosen point minimises the sum of squared implausibilities among those; its values "
        f"below come from {cal.confirm_replicates} further runs from another seed.",
        "",
        "Boxes sampled per wave:",
        "",
        "| wave | " + " | ".join(f"`{k}`" for k in cal.keys) + " |",
        "|---|" + "---|" * len(cal.keys),
    ]
    for wave, box in fit.boxes.items():
        cells = " | ".join(f"{lo:.4g} - {hi:.4g}" for lo, hi in box.values())
        lines.append(f"| {wave} | {cells} |")
    lines += [
        "",
        "## Chosen values",
        "",
        "| parameter | value | bounds |",
        "|---|---|---|",
    ]
    bounds = cal.bounds()
    for key, value in fit.best.items():
        lines.append(f"| `{key}` | {value:.4g} | {bounds[key][0]:.4g} - {bounds[key][1]:.4g} |")
    lines += [
        "",
        "## Targets against the calibrated model",
        "",
        "| target | what | target value (sd) | simulated (95% CI of the mean) | I |",
        "|---|---|---|---|---|",
    ]
    for _, row in r.iterrows():
        sd = f"{row['target_sd']:.3g}" + (
            " on the log scale" if row["column"].endswith("log_or") else ""
        )
        lines.append(
            f"| {row['code']} | {row['target']} | {row['target_value']:.4g} ({sd}) | "
            f"{row['simulated']:.4g} ({row['simulated_low']:.4g} to {row['simulated_high']:.4g}) "
            f"| {row['implausibility']:.2f} |"
        )
    lines += [
        "",
        "T7 (utility effect of starting community participation; measured by "
        "sim.calibration.participation) and T8 (ordering of contributions, substitution without "
        "a partner) are not fitted; tests/test_dynamics_targets.py checks them.",
        "",
    ]
    return "\n".join(lines)


def fit_figure(fit: Fit) -> Figure:
    """Each target's standardised distance (simulated - target) / sd, with a 95% interval."""
    from sim.plots.style import GREY, LIGHT_GREY, OKABE_ITO, style_context

    r = fit.report
    targets = {t.code: t for t in fit.calibration.targets}
    z, half = [], []
    for _, row in r.iterrows():
        t = targets[row["code"]]
        raw = math.log(row["simulated"]) if t.shown == "exp" else row["simulated"]
        z.append((raw - t.value) / t.sd)
        half.append(1.959964 * row["simulated_se"] / t.sd)
    y = np.arange(len(r))[::-1]
    cutoff = fit.calibration.cutoff
    with style_context():
        figure = Figure(figsize=(11.0, 0.5 * len(r) + 2.2), layout="constrained")
        ax = figure.subplots()
        ax.axvspan(
            -cutoff,
            cutoff,
            color=LIGHT_GREY,
            alpha=0.35,
            lw=0,
            label=f"not implausible (|I| <= {cutoff:g})",
        )
        ax.axvspan(-1, 1, color=LIGHT_GREY, alpha=0.9, lw=0, label="within one target sd")
        ax.axvline(0, color=GREY, lw=1)
        ax.errorbar(
            z,
            y,
            xerr=half,
            fmt="o",
            color=OKABE_ITO["blue"],
            capsize=3,
            label="calibrated model (95% CI of the mean)",
        )
        ax.set_yticks(y, [f"{c}: {t}" for c, t in zip(r["code"], r["target"], strict=True)])
        reach = max(cutoff + 0.5, float(np.nanmax(np.abs(z) + np.asarray(half))) * 1.1)
        ax.set_xlim(-reach, reach)
        ax.set_xlabel("(simulated - target) / target sd (standard deviations of the target)")
        ax.set_title("Calibration fit: each target against the calibrated model")
        figure.legend(loc="outside lower center", ncols=3, fontsize="small", frameon=False)
    return figure


def write_fit(fit: Fit, folder: Path, command: str, wall: float) -> dict[str, Path]:
    """Write the fit's files into ``folder`` (each via a temporary name, then renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    def put(name: str, text: str) -> None:
        path = folder / name
        tmp = folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written[name] = path

    put("calibrated.toml", scenario_text(fit, command))
    put("fit_report.md", report_text(fit, command))
    put("fit.csv", fit.report.to_csv(index=False, float_format="%.6g", lineterminator="\n"))
    put("points.csv", fit.points.to_csv(index=False, float_format="%.6g", lineterminator="\n"))
    figures = folder / "figures"
    figures.mkdir(exist_ok=True)
    fit_figure(fit).savefig(figures / "fit.png", dpi=150)
    written["figure"] = figures / "fit.png"
    record = provenance(fit.calibration.seed, str(fit.calibration.path), wall_seconds=wall)
    write_json(folder / "provenance.json", record | {"best": fit.best})
    return written
