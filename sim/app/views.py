"""The app's Solara components: communities, trends and a summary with a short guide.

Each component receives the current :class:`~sim.app.teaching_model.TeachingModel` from Mesa's
SolaraViz and redraws when the model steps or is reset (Mesa's ``update_counter``). The figures are
drawn by :mod:`sim.app.communities` and :mod:`sim.app.trends`, which know nothing of Solara.
"""

from __future__ import annotations

import html

import solara
from mesa.visualization.utils import update_counter

from sim.app.communities import PATIENT_STATES, community_figure
from sim.app.params import changed_settings
from sim.app.teaching_model import ARM_LABELS, ARMS, TeachingModel
from sim.app.trends import trends_figure
from sim.measures import LABELS

#: Rows of the summary table: measure -> (label, format).
SUMMARY_ROWS: dict[str, tuple[str, str]] = {
    "eq5d": ("Quality of life (EQ-5D)", "{:.3f}"),
    "bp_controlled": ("Blood pressure controlled", "{:.0%}"),
    "group_participation": ("In a community group", "{:.0%}"),
    "knowledge_clinical": ("Clinical knowledge", "{:.3f}"),
    "awareness": ("Awareness of local resources", "{:.3f}"),
    "heiq": ("Engagement (heiQ)", "{:.3f}"),
    "member_strain": ("Helpers' strain", "{:.3f}"),
    "tbq": ("Treatment burden (TBQ)", "{:.1f}"),
}

#: Short in-app guide (the class plan is docs/teaching_guide.md).
GUIDE = (
    "<p><b>How to use.</b> <i>Step</i> moves both arms on one week; <i>&#9654;</i> plays and "
    "pauses. Boxes and sliders take effect when you press <i>Reset</i>, which rebuilds both arms "
    "from week 0. The two arms are the same patients with the same luck (common random numbers), "
    "so they differ only where the intervention changes something. Week 0 is the baseline "
    "assessment; components given at recruitment (guidebook, PLANS, GENIE) act right after it.</p>"
)


@solara.component
def CommunityView(model: TeachingModel) -> None:
    """A handful of patients' communities in both arms, centre coloured by a chosen state."""
    update_counter.get()
    state, set_state = solara.use_state("knowledge_clinical")
    page, set_page = solara.use_state(0)
    labels = {label: key for key, (label, _, _) in PATIENT_STATES.items()}
    depends = [model, model.week, state, page]
    figure = solara.use_memo(lambda: community_figure(model, state, page), depends)
    with solara.Column(style={"width": "100%"}):
        with solara.Row(style={"align-items": "center"}):
            solara.Select(
                label="Colour the patients by",
                value=PATIENT_STATES[state][0],
                values=list(labels),
                on_value=lambda label: set_state(labels[label]),
            )
            solara.Button("Other patients", on_click=lambda: set_page(page + 1), outlined=True)
        solara.FigureMatplotlib(figure, dependencies=depends, format="png")


@solara.component
def TrendsView(model: TeachingModel) -> None:
    """Live line plots of both arms."""
    update_counter.get()
    depends = [model, model.week]
    figure = solara.use_memo(lambda: trends_figure(model), depends)
    solara.FigureMatplotlib(figure, dependencies=depends, format="png")


def summary_html(model: TeachingModel) -> str:
    """The week, what the intervention arm receives, a table of this week's measures, a guide."""
    components = model.components()
    given = ", ".join(components) if components else "nothing (tick a component, press Reset)"
    head = "".join(f"<th style='text-align:right'>{ARM_LABELS[arm]}</th>" for arm in ARMS)
    rows = []
    for measure, (label, fmt) in SUMMARY_ROWS.items():
        now = model.current(measure)
        cells = "".join(f"<td style='text-align:right'>{fmt.format(now[arm])}</td>" for arm in ARMS)
        rows.append(f"<tr><td>{label} <small>({LABELS[measure][1]})</small></td>{cells}</tr>")
    changed = changed_settings({**model.config.values, "seed": model.seed})
    settings = "; ".join(changed) if changed else "none (every control as the app opened)"
    return (
        f"<h2 id='week'>Week {model.week} of {model.weeks}</h2>"
        f"<p><b>Intervention arm receives:</b> {html.escape(given)}.<br>"
        f"<b>Changed settings:</b> <span id='changed'>{html.escape(settings)}</span></p>"
        f"<table style='width:100%'><tr><th style='text-align:left'>This week</th>{head}</tr>"
        + "".join(rows)
        + "</table>"
        + GUIDE
    )


@solara.component
def SummaryView(model: TeachingModel) -> None:
    """The week, what the intervention arm receives, this week's measures, and how to use."""
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=summary_html(model), style="font-size: 15px")


@solara.component
def MainView(model: TeachingModel) -> None:
    """The main area: communities across the top; trends and the summary side by side below."""
    with solara.Card():
        CommunityView(model)
    with solara.Columns([5, 4]):
        with solara.Card():
            TrendsView(model)
        with solara.Card():
            SummaryView(model)
