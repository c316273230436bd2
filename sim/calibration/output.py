"""Write a calibration's results: the calibrated scenario, the fit report, tables and a figure."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import numpy as np
import tomli_w
from matplotlib.figure import Figure

from sim.calibration.ensemble_file import ensemble_text
from sim.calibration.fit import Fit
from sim.calibration.fit_report import report_text
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


def _header(fit: Fit, command: str, what: str) -> list[str]:
    cal = fit.calibration
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    record = provenance(cal.seed, str(cal.path))
    waves = len(fit.history.waves)
    return [
        f"{what}, written by `{command}` on {stamp}",
        f"(sim {record['version']}, git {record['git_commit'] or 'unknown'}, seed {cal.seed}).",
        f"Method: history matching with emulators, {waves} wave(s) of up to {cal.points} points x "
        f"{cal.replicates} runs x {cal.replicates_per_run} replicate trials; stopped because "
        f"{fit.history.stop}.",
        "Targets used in fitting: " + ", ".join(t.code for t in cal.targets) + ".",
        "Fit report: fit_report.md next to the calibration's results.",
    ]


def scenario_text(fit: Fit, command: str) -> str:
    """The calibrated point as a scenario file other scenarios can use as their base."""
    cal = fit.calibration
    header = _header(fit, command, "Calibrated parameters")
    header += [
        "The point is a confirmed candidate (an ensemble member where one qualifies): the best",
        "ranked by usual-care targets met (see fit_report.md) that meets the usual-care targets",
        "as the tests measure them.",
        "Use it with",
        'base = "<this file>" (scenarios/usual_care.toml does).',
    ]
    body = {
        "title": f"Calibrated parameters ({cal.title or cal.name})",
        "description": "Free mechanism and intervention parameters fitted to the dossier's "
        "targets by history matching; see the header.",
        **_nested({k: round(v, 4) for k, v in fit.best.items()}),
    }
    return "".join(f"# {line}\n" for line in header) + tomli_w.dumps(body)


def ensemble_file_text(fit: Fit, command: str) -> str:
    """The ensemble as a TOML data file (:mod:`sim.calibration.ensemble_file`)."""
    cal = fit.calibration
    header = _header(fit, command, f"Ensemble of {len(fit.members.ensemble)} parameter sets")
    header += [
        "Drawn from the final not-implausible space and each confirmed by simulation;",
        "`sim trial`, `sim attribute` and sweeps run over it (--ensemble FILE, --no-ensemble).",
    ]
    return ensemble_text(fit.members.ensemble, header, str(cal.path), cal.seed, cal.cutoff)


def fit_figure(fit: Fit) -> Figure:
    """Each target's standardised distance (simulated - target) / sd, with a 95% interval."""
    from sim.plots.style import GREY, LIGHT_GREY, OKABE_ITO, style_context

    r = fit.report
    targets = {t.code: t for t in fit.calibration.targets}

    def scaled(row, column: str) -> float:
        t = targets[row["code"]]
        raw = math.log(row[column]) if t.shown == "exp" else row[column]
        return (raw - t.value) / t.sd

    z = [scaled(row, "simulated") for _, row in r.iterrows()]
    low = [scaled(row, "ensemble_low") for _, row in r.iterrows()]
    high = [scaled(row, "ensemble_high") for _, row in r.iterrows()]
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
        ax.hlines(
            y, low, high, color=OKABE_ITO["orange"], lw=6, alpha=0.6, label="ensemble (95% range)"
        )
        ax.plot(z, y, "o", color=OKABE_ITO["blue"], label="calibrated point")
        ax.set_yticks(y, [f"{c}: {t}" for c, t in zip(r["code"], r["target"], strict=True)])
        reach = max(cutoff + 0.5, float(np.nanmax(np.abs(np.r_[z, low, high]))) * 1.1)
        ax.set_xlim(-reach, reach)
        ax.set_xlabel("(simulated - target) / target sd")
        figure.suptitle("Calibration fit: the targets used in fitting against the model")
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
    put("ensemble.toml", ensemble_file_text(fit, command))
    put("fit_report.md", report_text(fit, command))
    tables = {
        "fit.csv": fit.report,
        "points.csv": fit.points,
        "waves.csv": fit.waves,
        "emulators.csv": fit.diagnostics,
        "identifiability.csv": fit.identifiability,
        "crossval.csv": fit.crossval,
        "ensemble_candidates.csv": fit.members.candidates,
    }
    for name, frame in tables.items():
        put(name, frame.to_csv(index=False, float_format="%.6g", lineterminator="\n"))
    figures = folder / "figures"
    figures.mkdir(exist_ok=True)
    fit_figure(fit).savefig(figures / "fit.png", dpi=150)
    written["figure"] = figures / "fit.png"
    record = provenance(fit.calibration.seed, str(fit.calibration.path), wall_seconds=wall)
    write_json(
        folder / "provenance.json",
        record
        | {"best": fit.best, "waves": fit.waves.to_dict("records"), "stop": fit.history.stop},
    )
    return written
