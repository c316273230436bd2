"""Report sections of a single-scenario run folder (``sim run``): summary, measures and methods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.report import html as h
from sim.report.folder import ResultsFolder
from sim.report.plain import HEADERS, plain_words
from sim.report.shared import intervention_names

#: Measures shown in the summary table, in order.
KEY_MEASURES = (
    "eq5d",
    "bp_controlled",
    "heiq",
    "loneliness",
    "tbq",
    "self_management",
    "mean_network_size",
    "group_participation",
    "cost",
    "qaly",
    "died",
)


def measure_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Each key measure at the first and last week, mean over replicates (range if several)."""
    from sim.model.measures import LABELS

    first, last = timeseries["week"].min(), timeseries["week"].max()
    rows = []
    for name in KEY_MEASURES:
        if name not in timeseries.columns:
            continue
        label, unit = LABELS.get(name, (name, ""))
        row = {"measure": label, "unit": unit}
        for week in (first, last):
            values = timeseries.loc[timeseries["week"] == week, name].to_numpy(float)
            text = f"{np.nanmean(values):.4g}"
            if len(values) > 1:
                text += f" ({np.nanmin(values):.4g} to {np.nanmax(values):.4g})"
            row[f"week {week}"] = text
        rows.append(row)
    return pd.DataFrame(rows)


def summary_section(folder: ResultsFolder) -> h.Section:
    """What was run, for whom, and how the key measures moved."""
    timeseries = folder.table("timeseries")
    n_patients = len(folder.table("patients")) if folder.has_table("patients") else None
    replicates = int(timeseries["replicate"].nunique()) if "replicate" in timeseries else 1
    weeks = int(timeseries["week"].max())
    names = intervention_names(folder)
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    runs = "1 run" if replicates == 1 else f"{replicates} replicate runs from derived seeds"
    given = (
        f"{listed}, given to every patient"
        if names
        else "usual care only (no intervention component is switched on)"
    )
    who = (
        f"{n_patients} simulated adults with stage 3 chronic kidney disease"
        if n_patients is not None
        else "simulated adults with stage 3 chronic kidney disease"
    )
    description = folder.value("description") or ""
    body = [
        f'<div class="key"><p><strong>What was run.</strong> {h.text(given)}.'
        + (f" {h.text(description)}" if description else "")
        + "</p>",
        f"<p><strong>In whom.</strong> {h.text(who)} and their personal communities, followed "
        f"for {weeks} weeks; {runs}.</p></div>",
        h.paragraph(
            h.text(
                "Population means of the key measures at the start and at the end (over "
                "replicates: mean, and range in brackets). A single run has no comparison arm: "
                "run 'sim trial' to estimate the effect of an intervention."
            )
        ),
        h.table(measure_table(timeseries), table_id="results-table"),
        '<div class="caveat">',
        h.paragraph(
            h.text(
                "These are simulated patients: the measures follow from the model's mechanisms "
                "and assumptions (see Assumptions)."
            )
        ),
        "</div>",
    ]
    if folder.has_table("network_stats"):
        body.append("<h3>Personal communities against published figures</h3>")
        body.append(h.table(network_table(folder.table("network_stats")), digits=3))
    return h.Section("summary", "Summary", "".join(body))


def network_table(stats: pd.DataFrame) -> pd.DataFrame:
    """The network statistics for people: no internal ids, sources in plain words."""
    shown = stats.drop(columns=[c for c in ("statistic",) if c in stats.columns])
    if "source" in shown.columns:
        shown = shown.assign(source=shown["source"].fillna("").map(plain_words))
    return shown.rename(columns=HEADERS)


def methods_section(folder: ResultsFolder) -> h.Section:
    """How the run was made: population, weeks, replicates and seeds."""
    p = folder.provenance
    items = [
        f"Population built from scenario section [population] and [network] "
        f"({folder.value('population.source', 'synthetic')} source), then simulated week by "
        "week by the mechanisms of the model (docs/ODD.md, section 7).",
        f"Root seed {p.get('seed', folder.value('run.seed'))}; replicate 0 uses the root seed, "
        "further replicates seeds derived from it; every random draw comes from a stream named "
        "for its purpose.",
        "Tables: timeseries (population measures every week), patient_weeks (every patient at "
        "chosen weeks), patients, ties and network_stats (baseline).",
    ]
    return h.Section("methods", "Methods", h.bullets(h.text(i) for i in items))
