"""Report sections every kind of folder has: figures, assumptions, attribution and provenance."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from sim.report import html as h
from sim.report.folder import ResultsFolder
from sim.report.plain import plain_words

#: Caption of each known figure, by file stem (other figures get a caption from their name).
CAPTIONS: dict[str, str] = {
    "timeseries": "The main population measures week by week: the line is the mean over "
    "replicate runs and the band, with several replicates, their lowest to highest value. Each "
    "panel gives its change from the first to the last week.",
    "trajectories": "Outcomes week by week, by arm: each arm's change since randomisation (cost: "
    "accumulated since randomisation), the line the mean over replicate trials and the band the "
    "2.5% to 97.5% points over trials. True values of the recruited patients, without "
    "questionnaire error or loss to follow-up.",
    "forest": "Effects overall and by subgroup: the dot is the mean estimate over replicate "
    "trials, the thick bar the 2.5% to 97.5% points of the estimates, the thin bar the mean 95% "
    "confidence interval of one trial, and the marker the true effect.",
    "ce_plane": "Cost-effectiveness plane: each dot is one replicate trial's incremental cost "
    "and QALYs per patient; the diamond is the mean over trials and the star the true effect. "
    "Trials below the dashed willingness-to-pay line are cost-effective at that threshold.",
    "attribution": "Attribution of the effect to the model's mechanisms (Shapley values): how "
    "much of the trial effect each mechanism carries.",
    "community_before_after": "One patient of the intervention arm whose personal community "
    "changed: on the left at randomisation, on the right at follow-up. Members keep their "
    "place; members who joined are ringed, ties that ended are left as hollow grey markers.",
    "community_map": "One patient's personal community at baseline on concentric circles (GENIE "
    "style): closeness by circle, tie type by colour, kind of member by shape, contact by line "
    "width.",
    "composition": "Personal communities: members by tie type, then network size, the shares of "
    "weak ties and professionals, and participation in community groups against published "
    "figures (dashed line) and the range the model was calibrated to reach (grey band).",
}
#: Figures shown first, in this order; the others follow by name.
ORDER = (
    "timeseries",
    "trajectories",
    "forest",
    "ce_plane",
    "attribution",
    "community_before_after",
    "community_map",
    "composition",
)


def caption(stem: str) -> str:
    """The caption of a figure file stem."""
    return CAPTIONS.get(stem, stem.replace("_", " ").capitalize() + ".")


def ordered_figures(folder: ResultsFolder, exclude: tuple[str, ...] = ()) -> list[Path]:
    """The folder's figures, known ones first in :data:`ORDER`."""
    figures = [f for f in folder.figures() if f.stem not in exclude]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(figures, key=lambda f: (rank.get(f.stem, len(ORDER)), f.stem))


def figures_section(folder: ResultsFolder, exclude: tuple[str, ...] = ()) -> h.Section:
    """Every figure in the folder, embedded, with captions."""
    figures = ordered_figures(folder, exclude)
    body = "".join(h.figure(f, caption(f.stem)) for f in figures)
    if not figures:
        body = h.paragraph("This folder holds no figures (outputs.figures was false).")
    return h.Section("figures", "Figures", body)


def attribution_section(folder: ResultsFolder) -> h.Section | None:
    """The attribution of the effect to mechanisms, if the folder has it."""
    if not folder.has_table("attribution"):
        return None
    frame = folder.table("attribution")
    body = [
        h.paragraph(
            "How much of the intervention's effect each mechanism of the model carries (Shapley "
            "attribution over the mechanisms switched on and off; the contributions of an "
            "outcome add up to its total). Contributions are on the scale of each outcome's "
            "effect."
        )
    ]
    image = folder.path / "figures" / "attribution.png"
    if image.is_file():
        body.append(h.figure(image, caption("attribution")))
    body.append(h.table(frame, table_id="attribution-table"))
    return h.Section("attribution", "What carries the effect", "".join(body))


def attribution_summary_section(folder: ResultsFolder) -> h.Section:
    """What an attribution folder (``sim attribute``) holds, from its ``attribution.md``."""
    p = folder.provenance
    notes = folder.path / "attribution.md"
    paragraphs = []
    if notes.is_file():
        for block in notes.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            if block and not block.startswith(("#", "|")):
                paragraphs.append(h.paragraph(h.text(block)))
    pairs = [
        ("Replicate trials", p.get("replicates", "?")),
        ("Mechanisms attributed", ", ".join(map(str, p.get("mechanisms", []))) or "?"),
        ("Mechanisms held off", ", ".join(map(str, p.get("held_off", []))) or "none"),
        ("Mechanism subsets simulated", p.get("subsets", "?")),
    ]
    caveat = h.paragraph(
        h.text(
            "These are simulated patients: the attribution describes how the model produces "
            "the effect, under its assumptions (see Assumptions), not a measured property of "
            "the real intervention."
        )
    )
    body = "".join(paragraphs) + h.key_values(pairs) + f'<div class="caveat">{caveat}</div>'
    return h.Section("summary", "Summary", body)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)
        except (TypeError, ValueError):
            return False
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def non_default_parameters(folder: ResultsFolder) -> pd.DataFrame:
    """The scenario's parameters that differ from their defaults.

    Outputs are left out (they change no result), and so is the published comparator
    (``trial.published.*``): it is data the results are compared with, shown beside them.
    """
    from sim.config.parameters import PARAMS

    rows = []
    for key, value in folder.scenario.items():
        if key in ("title", "description") or key.startswith(("outputs.", "trial.published.")):
            continue
        param = PARAMS.get(key)
        if param is not None and _same(value, param.default):
            continue
        rows.append(
            {
                "parameter": key,
                "value": _show(value),
                "default": _show(param.default) if param else "(not a parameter of this version)",
                "unit": param.unit if param else "",
                "source": plain_words(param.source) if param else "",
                "meaning": param.description if param else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["parameter", "value", "default", "unit", "source", "meaning"]
    )


def interventions(folder: ResultsFolder) -> list[tuple[str, str, pd.DataFrame]]:
    """Each enabled intervention component: its name, what it is, and its parameters."""
    from sim.config.intervention_params import COMPONENTS
    from sim.config.parameters import PARAMS

    out = []
    for name, (title, what) in COMPONENTS.items():
        prefix = f"interventions.{name}."
        if folder.value(prefix + "enabled") is not True:
            continue
        rows = [
            {
                "parameter": key[len(prefix) :],
                "value": _show(value),
                "unit": PARAMS[key].unit if key in PARAMS else "",
                "meaning": PARAMS[key].description if key in PARAMS else "",
            }
            for key, value in folder.scenario.items()
            if key.startswith(prefix) and not key.endswith(".enabled")
        ]
        out.append((title, what, pd.DataFrame(rows)))
    return out


def intervention_names(folder: ResultsFolder) -> list[str]:
    """The titles of the enabled intervention components."""
    return [title for title, _, _ in interventions(folder)]


def _assumption_count() -> str:
    from sim.config.parameters import PARAMS

    n = sum(1 for p in PARAMS.values() if p.source == "assumption")
    return (
        f"{n} of the model's {len(PARAMS)} parameters are assumptions: values the published "
        "literature does not give, each of which a sweep can vary."
    )


def assumptions_section(folder: ResultsFolder) -> h.Section:
    """Interventions and every parameter set away from its default, with a pointer to the ODD."""
    parts = [
        h.paragraph(
            "The model, its mechanisms and every parameter (default, unit, published source, or "
            "<em>assumption</em> where the literature gives no value) are "
            "described in <code>docs/ODD.md</code> (ODD protocol), section 8 for the parameter "
            "tables; <code>sim params</code> lists them too. The full resolved scenario is "
            "<code>scenario.toml</code> in the results folder."
        ),
        h.paragraph(h.text(_assumption_count())),
    ]
    components = interventions(folder)
    parts.append("<h3>Interventions</h3>")
    if components:
        for title, what, params in components:
            parts.append(
                f"<details open><summary><strong>{h.text(title)}</strong>: {h.text(what)}</summary>"
                f"{h.table(params)}</details>"
            )
    else:
        parts.append(h.paragraph("None: every intervention component is switched off."))
    frame = non_default_parameters(folder)
    parts.append("<h3>Parameters set away from their defaults</h3>")
    if frame.empty:
        parts.append(h.paragraph("None: every parameter is at its default."))
    else:
        assumed = int((frame["source"] == "assumption").sum())
        parts.append(
            h.paragraph(
                h.text(
                    f"{len(frame)} parameters differ from their defaults ({assumed} of them "
                    "are assumptions rather than values from the literature)."
                )
            )
        )
        parts.append(h.table(frame, table_id="parameters-table"))
    return h.Section("assumptions", "Assumptions", "".join(parts))


def provenance_section(folder: ResultsFolder) -> h.Section:
    """Software, machine, seed, command and timings of the run, and the raw provenance."""
    p = folder.provenance
    command = p.get("command")
    pairs = [
        ("Results folder", str(folder.path)),
        ("Package version", f"{p.get('package', 'sim')} {p.get('version', '?')}"),
        ("Git commit", p.get("git_commit", "?")),
        ("Root seed", p.get("seed", "?")),
        ("Scenario file", p.get("scenario_file") or "(none)"),
        ("Command", " ".join(map(str, command)) if isinstance(command, list) else command),
        ("Python", p.get("python", "?")),
        ("Platform", p.get("platform", "?")),
    ]
    if isinstance(p.get("libraries"), dict):
        pairs.append(("Libraries", ", ".join(f"{k} {v}" for k, v in p["libraries"].items())))
    if isinstance(p.get("wall_seconds"), dict):
        pairs.append(("Wall time (s)", ", ".join(f"{k} {v}" for k, v in p["wall_seconds"].items())))
    raw = json.dumps(p, indent=2, default=str)
    body = (
        h.key_values(pairs)
        + "<details><summary>provenance.json</summary>"
        + f"<pre>{h.text(raw)}</pre></details>"
    )
    return h.Section("provenance", "Provenance", body)
