"""Assemble a report page from a results folder and write it (the work behind ``sim report``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sim.io.output_path import check_output_file
from sim.report import html as h
from sim.report import run, shared, trial
from sim.report.folder import ReportError, ResultsFolder
from sim.scenario import ScenarioError


def build_report(folder: str | Path | ResultsFolder) -> str:
    """The HTML report of a results folder, as text.

    Raises:
        ReportError: if the folder is not a results folder of ``sim trial`` or ``sim run``.
    """
    results = folder if isinstance(folder, ResultsFolder) else ResultsFolder.open(folder)
    if results.kind == "trial":
        title = f"Virtual trial: {results.title}"
        subtitle = "Simulated randomised trial against usual care, over replicate trials"
        sections = [trial.summary_section(results), trial.results_section(results)]
    elif results.kind == "attribution":
        title = f"Mechanism attribution: {results.title}"
        subtitle = "Which mechanisms of the model carry the intervention's trial effect"
        sections = [shared.attribution_summary_section(results)]
    else:
        title = f"Simulation run: {results.title}"
        subtitle = "One scenario simulated week by week"
        sections = [run.summary_section(results)]
    attribution = shared.attribution_section(results)
    if attribution is not None:
        sections.append(attribution)
    exclude = ("attribution",) if attribution is not None else ()
    if shared.ordered_figures(results, exclude) or not exclude:
        sections.append(shared.figures_section(results, exclude))
    if results.kind == "trial":
        sections.append(trial.methods_section(results))
    elif results.kind == "run":
        sections.append(run.methods_section(results))
    sections.append(shared.assumptions_section(results))
    sections.append(shared.provenance_section(results))
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    footer = h.text(f"Made by 'sim report' from {results.path} on {stamp}.")
    return h.Page(title, subtitle, sections, footer).render()


def write_report(folder: str | Path, output: str | Path | None = None) -> Path:
    """Write the HTML report of a results folder; return its path.

    Args:
        folder: The results folder.
        output: The HTML file (default ``<folder>/report.html``).

    Raises:
        ReportError: if the folder is not a results folder, or the output's folder does not
            exist or cannot be written; nothing is written then.
    """
    results = ResultsFolder.open(folder)
    target = Path(output) if output is not None else results.path / "report.html"
    try:  # a file, writable, within the path limits: found before the report is built
        check_output_file(target, "--output")
    except ScenarioError as exc:
        raise ReportError(exc.message) from None
    if not target.parent.is_dir():
        raise ReportError(f"{target}: its folder {target.parent} does not exist")
    page = build_report(results)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
