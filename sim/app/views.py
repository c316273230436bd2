"""The app's main area: the week, the community maps, the trends and this week's table.

Every part reads the same state: the maps read the arms' arrays now, and the trends and the table
read the teaching model's weekly record, taken from those arrays at the end of each week
(:meth:`~sim.app.teaching_model.TeachingModel.record`). Each part redraws when the model steps or
is reset (Mesa's ``update_counter``). The charts are drawn by Vega in the browser
(:mod:`sim.app.charts`); only their data is sent each week.
"""

from __future__ import annotations

import html

import solara
from mesa.visualization.utils import update_counter

from sim.app.charts import VegaView, maps_chart, spec_json, trends_chart
from sim.app.map_chart import map_spec
from sim.app.params import changed_settings
from sim.app.session import MapChoice
from sim.app.teaching_model import ARM_LABELS, ARMS, TeachingModel
from sim.app.trend_chart import trend_spec
from sim.model.measures import LABELS

#: Rows of the table: measure -> (label, format).
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
    "<p><b>How to use.</b> <i>Step</i> moves both arms on one week; <i>Play</i> runs week after "
    "week. Ticks and sliders are applied by <i>Reset</i>, which rebuilds both arms at week 0 "
    "(the sidebar says when a change is waiting). The two arms are the same patients with the "
    "same luck (common random numbers), so they differ only where the intervention changes "
    "something. Week 0 is recruitment: the components given then (guidebook, PLANS, GENIE) have "
    "already changed the intervention arm's inputs, as the line above the table says; outcomes "
    "follow from week 1.</p>"
)
#: Text size of the main area, CSS pixels.
TEXT_STYLE = "font-size: 16px; line-height: 1.35"


def summary_html(model: TeachingModel) -> str:
    """What recruitment changed, this week's measures in both arms, the settings, and a guide."""
    head = "".join(f"<th style='text-align:right'>{ARM_LABELS[arm]}</th>" for arm in ARMS)
    rows = []
    for measure, (label, fmt) in SUMMARY_ROWS.items():
        now = model.current(measure)
        cells = "".join(
            f"<td id='table-{measure}-{arm}' style='text-align:right'>{fmt.format(now[arm])}</td>"
            for arm in ARMS
        )
        rows.append(f"<tr><td>{label} ({LABELS[measure][1]})</td>{cells}</tr>")
    changed = changed_settings({**model.config.values, "seed": model.seed})
    settings = "; ".join(changed) if changed else "none (every control as the app opened)"
    return (
        f"<p id='recruitment'>{html.escape(model.recruitment.sentence())}</p>"
        f"<table style='width:100%; max-width:720px'><tr><th style='text-align:left'>"
        f"Week {model.week}</th>{head}</tr>" + "".join(rows) + "</table>"
        f"<p><b>Settings changed from the opening ones:</b> "
        f"<span id='changed'>{html.escape(settings)}</span></p>" + GUIDE
    )


def week_html(model: TeachingModel) -> str:
    """The week."""
    return (
        f"<span id='week' style='font-size: 22px; font-weight: bold; margin-right: 12px'>"
        f"Week {model.week} of {model.weeks}</span>"
    )


def schedule_html(model: TeachingModel) -> str:
    """What the intervention arm receives, and when."""
    schedule = model.recruitment.schedule()
    if schedule == "nothing":
        schedule = "nothing (tick a component, then press Reset)"
    return f"<b>Intervention arm receives:</b> <span id='schedule'>{html.escape(schedule)}</span>"


@solara.component
def ChartsView(model: TeachingModel, choice: MapChoice) -> None:
    """The community maps and the trends, side by side when the screen is wide enough."""
    tick = update_counter.get()
    spec_of_maps = solara.use_memo(
        lambda: spec_json(map_spec(choice.colour_by)), [choice.colour_by]
    )
    spec_of_trends = solara.use_memo(lambda: spec_json(trend_spec()), [])
    depends = [model, model.week, tick, choice]
    maps = solara.use_memo(
        lambda: maps_chart(model, choice.colour_by, choice.page, spec_of_maps), depends
    )
    trends = solara.use_memo(lambda: trends_chart(model, spec_of_trends), depends)
    with solara.Column(gap="10px", style={"flex": "0 0 auto"}):
        VegaView(maps, model.week, tick, "maps")
        VegaView(trends, model.week, tick, "trends")


@solara.component
def MainView(model: TeachingModel, choice: MapChoice, lesson: str) -> None:
    """The main area: week, lesson sentence, maps and trends, then the table and a guide."""
    update_counter.get()
    with solara.Column(style={"padding": "8px 12px", "gap": "6px", **_style(TEXT_STYLE)}):
        solara.HTML(tag="div", unsafe_innerHTML=week_html(model) + " " + schedule_html(model))
        if lesson:
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"<b>Notice:</b> {html.escape(lesson)}",
                attributes={"id": "notice"},
                style="background: #FFF3C4; padding: 6px 10px; border-radius: 4px",
            )
        with solara.Row(
            style={"flex-wrap": "wrap", "gap": "10px 28px", "align-items": "flex-start"}
        ):
            ChartsView(model, choice)
            solara.HTML(
                tag="div",
                unsafe_innerHTML=summary_html(model),
                style="flex: 1 1 440px; max-width: 760px",
            )


def _style(css: str) -> dict[str, str]:
    """A CSS declaration string as a dict."""
    pairs = (item.split(":", 1) for item in css.split(";") if item.strip())
    return {key.strip(): value.strip() for key, value in pairs}
