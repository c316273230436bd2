"""The attribution's report and run folder: a Markdown table a reader can follow, tables, figure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.attribution.attribution_run import LABELS, MEASURES, NONE, TOTAL, Attribution
from sim.config.scenario import Scenario
from sim.io.provenance import provenance
from sim.io.runfolder import run_folder, write_figures, write_json, write_tables


def row_label(mechanism: str) -> str:
    """Human label of a row of the attribution table."""
    if mechanism == NONE:
        return "No network mechanism (direct effect)"
    if mechanism == TOTAL:
        return "Total effect (every mechanism on)"
    return LABELS.get(mechanism, mechanism)


def digits(values: pd.Series) -> int:
    """Decimals that show the largest absolute value with three significant digits."""
    largest = float(values.abs().max())
    return max(0, 2 - int(np.floor(np.log10(largest)))) if largest > 0 else 2


def _cell(value: float, se: float, places: int) -> str:
    text = f"{value:+.{places}f}"
    if float(text) == 0.0:
        text = "0" if value == 0.0 else f"{value:+.1e}"
    if se == se:  # not NaN
        text += f" ({se:.{places}f})"
    return text


def attribution_table(contributions: pd.DataFrame) -> pd.DataFrame:
    """One row per line of the decomposition, one column per outcome: contribution (SE)."""
    columns: dict[str, list[str]] = {}
    order = list(dict.fromkeys(contributions["mechanism"]))
    lines = [row_label(m) for m in order]
    for outcome, measure in MEASURES.items():
        part = contributions[contributions["outcome"] == outcome].set_index("mechanism")
        header = f"{measure.label}: {measure.scale} ({measure.unit})"
        mechanisms = part["contribution"].drop([NONE, TOTAL])
        places = digits(mechanisms if mechanisms.abs().max() > 0 else part["contribution"])
        columns[header] = [
            _cell(part.loc[m, "contribution"], part.loc[m, "se"], places) for m in order
        ]
    return pd.DataFrame({"": lines, **columns})


def _markdown_table(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table.columns))) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"


def _direct_note(result: Attribution) -> str:
    """A sentence when nothing but cost remains with every mechanism off."""
    table = result.contributions()
    direct = table[(table["mechanism"] == NONE) & (table["outcome"] != "cost")]
    if (direct["contribution"] == 0.0).all():
        return (
            " Here it is zero for every health outcome: each input the intervention changes "
            "feeds one of the switchable mechanisms, so none of its effect bypasses them (the "
            "cost remains)."
        )
    return ""


def _ensemble_note(result: Attribution) -> str:
    k = result.ensemble_members
    if not k:
        return " The scenario's own parameter values throughout (no calibrated ensemble)."
    return (
        f" The replicates were spread over {k} calibrated parameter sets (replicate r used set "
        f"r mod {k}), so the standard errors carry the calibration's parameter uncertainty as "
        "well as chance."
    )


def markdown(result: Attribution) -> str:
    """The attribution report: title, how it was made, the table and what it means."""
    d = result.design
    title = result.title or result.scenario
    m = len(result.mechanisms)
    held = (
        f" Mechanisms switched off in the scenario stay off throughout: "
        f"{', '.join(LABELS[h] for h in result.held_off)}."
        if result.held_off
        else ""
    )
    explanation = (
        f"Each value is the intervention's true effect (everyone given it against no one, on "
        f"the same people with common random numbers), averaged over {result.replicates} "
        f"replicate practice populations ({d.n_practices} practices of "
        f"{d.patients_per_practice} patients, follow-up at week {d.outcome_week}, seed "
        f"{result.seed}); standard errors over replicates in brackets. The first row is the "
        f"effect with every network mechanism switched off: the part of the effect that needs "
        f"no network mechanism.{_direct_note(result)} Each "
        f"mechanism's row is its Shapley value: the change in the effect when that mechanism "
        f"is switched on, averaged over all {2**m} on/off combinations of the {m} mechanisms "
        f"with the usual Shapley weights, so that interactions are shared fairly between the "
        f"mechanisms involved. The mechanism rows add up to the total minus the first row. "
        f"A negative value means the mechanism, on balance, damps the intervention's effect. "
        f"BP control is a risk difference in percentage points (odds ratios do not add up)."
        f"{held}{_ensemble_note(result)}"
    )
    lines = [
        f"# Mechanism attribution: {title}",
        "",
        explanation,
        "",
        _markdown_table(attribution_table(result.contributions())),
    ]
    return "\n".join(lines)


def write_attribution(result: Attribution, scenario: Scenario, out: Path, wall: float) -> Path:
    """Write the attribution's run folder (atomically: nothing half-written is kept).

    Contents: ``scenario.toml``, ``provenance.json``, ``tables/attribution`` and
    ``tables/subsets`` (formats of ``outputs.formats``), ``attribution.md`` and, with
    ``outputs.figures``, ``figures/attribution.png``.

    Args:
        result: The attribution.
        scenario: The resolved scenario.
        out: Output folder; the run goes to ``out/<outputs.folder or name>/<run-id>/``.
        wall: Wall-clock seconds the attribution took.
    """
    with run_folder(out, scenario, result.seed) as folder:
        (folder.path / "scenario.toml").write_text(scenario.to_toml(), encoding="utf-8")
        write_tables(folder.path, result.tables(), scenario["outputs.formats"])
        (folder.path / "attribution.md").write_text(result.markdown(), encoding="utf-8")
        if scenario["outputs.figures"]:
            write_figures(folder.path, {"attribution": result.figure})
        write_json(
            folder.path / "provenance.json",
            provenance(
                result.seed,
                str(scenario.path) if scenario.path else None,
                kind="attribution",
                replicates=result.replicates,
                mechanisms=list(result.mechanisms),
                held_off=list(result.held_off),
                subsets=2 ** len(result.mechanisms),
                batch_size=result.design.batch_size,
                wall_seconds={
                    "total": round(wall, 3),
                    "simulate": round(result.seconds, 3),
                },
            ),
        )
    assert folder.final is not None
    return folder.final
