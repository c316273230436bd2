"""Report sections of a sweep folder (``sim sweep``, ``sim sensitivity``).

What was varied and how, the outcomes by design point (means over replicates), the response
figures, the sensitivity indices when the sweep computed them, and how the runs were seeded.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

import numpy as np
import pandas as pd

from sim.report import html as h
from sim.report.folder import ResultsFolder

#: Columns of a sweep's results that are neither parameters nor outcomes.
RUN_COLUMNS = ("run_id", "point", "replicate", "seed", "error")
#: Points shown in the open table; larger designs fold theirs away.
OPEN_POINTS = 40


def spec(folder: ResultsFolder) -> dict[str, Any]:
    """The folder's resolved sweep (``sweep.toml``)."""
    with open(folder.path / "sweep.toml", "rb") as handle:
        return tomllib.load(handle)


def _counts(folder: ResultsFolder) -> dict[str, Any]:
    try:
        return json.loads((folder.path / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(folder.provenance.get("summary") or {})


def _parameters(folder: ResultsFolder) -> list[str]:
    results = folder.table("results")
    return [c for c in results.columns if "." in c and c not in RUN_COLUMNS]


def _outcomes(folder: ResultsFolder) -> list[str]:
    results = folder.table("results")
    return [
        c
        for c in results.columns
        if c not in RUN_COLUMNS and "." not in c and pd.api.types.is_numeric_dtype(results[c])
    ]


def _varied(key: str, value: Any) -> str:
    from sim.config.parameters import PARAMS

    param = PARAMS.get(key)
    unit = f" {param.unit}" if param is not None and param.unit not in ("-", "") else ""
    if isinstance(value, dict):
        what = f"from {value.get('low')} to {value.get('high')}{unit}"
        if "n" in value:
            what += f" in {value['n']} steps"
    else:
        what = f"{', '.join(map(str, value))}{unit}" if isinstance(value, list) else str(value)
    meaning = f": {param.description}" if param is not None else ""
    return f"<code>{h.text(key)}</code> {h.text(what)}{h.text(meaning)}"


def _label(column: str) -> str:
    from sim.plots.response import response_label

    return response_label(column)


def summary_section(folder: ResultsFolder) -> h.Section:
    """What the sweep varied, over what design, and how many runs finished."""
    s, counts = spec(folder), _counts(folder)
    design = s.get("design", {})
    task = s.get("task", "model")
    each = (
        f"one simulation of {folder.value('population.n_practices')} practices for "
        f"{s.get('weeks', folder.value('run.weeks'))} weeks"
        if task == "model"
        else f"{s.get('trial', {}).get('replicates_per_run', '?')} simulated trials of the "
        "base scenario's interventions against usual care"
    )
    lines = [
        f"Design: {design.get('kind', 'grid')}"
        + (f" of {design['n']} points" if "n" in design else "")
        + f", {s.get('replicates', 1)} run(s) per point; each run is {each}.",
        f"Runs: {counts.get('total', '?')} in all, {counts.get('done', '?')} finished, "
        f"{counts.get('failed', 0)} failed.",
        f"Base scenario: {folder.value('title') or 'untitled'}.",
    ]
    body = [
        '<div class="key">',
        h.paragraph(h.text(s.get("description", ""))) if s.get("description") else "",
        "<p><strong>What was varied.</strong></p>",
        h.bullets(_varied(k, v) for k, v in s.get("parameters", {}).items()),
        h.bullets(h.text(line) for line in lines),
        "</div>",
    ]
    if s.get("fixed"):
        fixed = ", ".join(f"{k} = {v}" for k, v in s["fixed"].items())
        body.append(h.paragraph(h.text(f"Fixed for every run: {fixed}.")))
    return h.Section("summary", "Summary", "".join(body))


def point_means(folder: ResultsFolder) -> pd.DataFrame:
    """Each design point's parameter values and the mean of each outcome over its runs."""
    results = folder.table("results")
    results = results[results["error"].isna()] if "error" in results else results
    parameters, outcomes = _parameters(folder), _outcomes(folder)
    means = results.groupby("point")[[*parameters, *outcomes]].mean()
    runs = results.groupby("point").size().rename("runs")
    return pd.concat([runs, means], axis=1).reset_index()


def overview(folder: ResultsFolder) -> pd.DataFrame:
    """Per outcome: its range over design points and the parameter it follows most closely."""
    means = point_means(folder)
    rows = []
    for outcome in _outcomes(folder):
        values = means[outcome].dropna()
        strength = {
            p: abs(means[p].rank().corr(means[outcome].rank())) for p in _parameters(folder)
        }
        strength = {p: r for p, r in strength.items() if np.isfinite(r)}
        top = max(strength, key=strength.get) if strength else ""
        rows.append(
            {
                "outcome": _label(outcome),
                "lowest point": float(values.min()) if len(values) else np.nan,
                "highest point": float(values.max()) if len(values) else np.nan,
                "mean of points": float(values.mean()) if len(values) else np.nan,
                "follows most closely": f"{top} (rank correlation {strength[top]:.2f})"
                if top
                else "-",
            }
        )
    return pd.DataFrame(rows)


def results_section(folder: ResultsFolder) -> h.Section:
    """Outcome ranges, then the table of outcomes by design point."""
    means = point_means(folder)
    table = h.table(
        means.rename(columns={c: _label(c) for c in _outcomes(folder)}), table_id="points-table"
    )
    if len(means) > OPEN_POINTS:
        table = f"<details><summary>All {len(means)} design points</summary>{table}</details>"
    body = (
        h.paragraph(
            h.text(
                "How far each outcome moved over the design (means of each point's runs), and "
                "the varied parameter it follows most closely."
            )
        )
        + h.table(overview(folder), table_id="outcomes-table")
        + "<h3>Outcomes by design point</h3>"
        + h.paragraph(h.text("Each point's parameter values and the mean of its runs."))
        + table
    )
    return h.Section("results", "Results", body)


def figures_section(folder: ResultsFolder) -> h.Section | None:
    """The response figures (``figures/response_<outcome>.png``), one per outcome."""
    figures = sorted((folder.path / "figures").glob("response_*.png"))
    if not figures:
        return None
    body = "".join(
        h.figure(
            f,
            f"{_label(f.stem.removeprefix('response_'))}: its mean over runs against the "
            "parameter(s) it depends on most. The subtitle gives the range the values span.",
        )
        for f in figures
    )
    return h.Section("figures", "Response figures", body)


def sensitivity_section(folder: ResultsFolder) -> h.Section | None:
    """Sensitivity indices (Sobol or Morris), if the sweep computed them."""
    if not folder.has_table("sensitivity"):
        return None
    frame = folder.table("sensitivity")
    method = spec(folder).get("sensitivity", {}).get("method", "")
    meaning = (
        "Sobol indices: S1, the share of the outcome's variance the parameter explains alone; "
        "ST, with its interactions (0 to 1; conf is the half-width of the 95% interval)."
        if method == "sobol"
        else "Morris screening: mu_star, the mean absolute change of the outcome when the "
        "parameter moves across its whole range (in the outcome's unit), ranks importance; "
        "sigma, their spread, flags interactions and non-linearity."
    )
    shown = frame.assign(outcome=frame["outcome"].map(_label))
    image = folder.path / "figures" / "sensitivity.png"
    body = (
        h.paragraph(h.text(meaning))
        + (
            h.figure(image, "Sensitivity indices with their 95% intervals.")
            if image.is_file()
            else ""
        )
        + h.table(shown, table_id="sensitivity-table")
    )
    return h.Section("sensitivity", "Sensitivity", body)


def methods_section(folder: ResultsFolder) -> h.Section:
    """How the design was drawn and the runs seeded."""
    s = spec(folder)
    crn = s.get("common_random_numbers", False)
    items = [
        f"Sweep seed {s.get('seed', '?')}: the design and every run's seed derive from it and "
        "the run's id (point and replicate), so any run can be re-run alone "
        "('sim sweep FOLDER/sweep.toml --rerun RUN_ID').",
        "Common random numbers: replicate r of every point uses the same random numbers, so "
        "differences between points are the parameters' doing, not chance."
        if crn
        else "Each run has its own random numbers (no common random numbers), so part of the "
        "differences between points is chance.",
        "Results: results.parquet and results.csv, one row per run; failed runs keep their "
        "error message and are left out of the tables and figures here.",
    ]
    return h.Section("methods", "Methods", h.bullets(h.text(i) for i in items))
