"""Assemble a report page from a results folder and write it (the work behind ``sim report``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sim.errors import InputError
from sim.io.output_path import check_output_file
from sim.report import compare, run_sections, shared, sweep, trial_sections
from sim.report import html as h
from sim.report.folder import ReportError, ResultsFolder
from sim.report.glossary import glossary_section


def build_report(folder: str | Path | ResultsFolder) -> str:
    """The HTML report of a results folder, as text.

    Raises:
        ReportError: if the folder is not a results folder of ``sim trial`` or ``sim run``.
    """
    results = folder if isinstance(folder, ResultsFolder) else ResultsFolder.open(folder)
    if results.kind == "compare":
        return _compare_page(results)
    if results.kind == "sweep":
        return _sweep_page(results)
    if results.kind == "trial":
        title = f"Virtual trial: {results.title}"
        subtitle = "Simulated randomised trial against usual care, over replicate trials"
        sections = [
            trial_sections.summary_section(results),
            trial_sections.results_section(results),
        ]
    elif results.kind == "attribution":
        title = f"Mechanism attribution: {results.title}"
        subtitle = "Which mechanisms of the model carry the intervention's trial effect"
        sections = [shared.attribution_summary_section(results)]
    else:
        title = f"Simulation run: {results.title}"
        subtitle = "One scenario simulated week by week"
        sections = [run_sections.summary_section(results)]
    attribution = shared.attribution_section(results)
    if attribution is not None:
        sections.append(attribution)
    exclude = ("attribution",) if attribution is not None else ()
    if shared.ordered_figures(results, exclude) or not exclude:
        sections.append(shared.figures_section(results, exclude))
    if results.kind == "trial":
        sections.append(trial_sections.methods_section(results))
    elif results.kind == "run":
        sections.append(run_sections.methods_section(results))
    sections.append(shared.assumptions_section(results))
    return _page(results, title, subtitle, sections)


def _page(results: ResultsFolder, title: str, subtitle: str, sections: list[h.Section]) -> str:
    """The page: the sections, the terms they use explained, and the provenance."""
    terms = glossary_section(sections)
    if terms is not None:
        sections.append(terms)
    sections.append(shared.provenance_section(results))
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    footer = h.text(f"Made by 'sim report' from {results.path} on {stamp}.")
    return h.Page(title, subtitle, sections, footer).render()


def _sweep_page(results: ResultsFolder) -> str:
    settings = sweep.spec(results)
    title = f"Sweep: {settings.get('title') or results.path.name}"
    subtitle = "A base scenario run over many parameter values"
    sections = [sweep.summary_section(results), sweep.results_section(results)]
    sections += [
        s for s in (sweep.figures_section(results), sweep.sensitivity_section(results)) if s
    ]
    sections += [sweep.methods_section(results), shared.assumptions_section(results)]
    return _page(results, title, subtitle, sections)


def _compare_page(results: ResultsFolder) -> str:
    settings = compare.settings(results)
    title = str(settings.get("title") or "Comparison of interventions with usual care")
    subtitle = "Options compared with usual care on the same simulated trials"
    sections = [
        compare.summary_section(results),
        compare.league_section(results),
        compare.value_section(results),
        compare.budget_section(results),
        compare.effects_section(results),
        compare.options_section(results),
        compare.methods_section(results),
    ]
    return _page(results, title, subtitle, sections)


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
    except InputError as exc:
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
