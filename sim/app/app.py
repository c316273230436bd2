"""The teaching app page: ``solara run sim.app.app`` (or ``sim app``).

The page is built from Solara components around a Mesa model (:class:`TeachingModel`), the way
Mesa's SolaraViz builds its pages, but laid out for a classroom projector: a narrow sidebar
(:mod:`sim.app.controls`) and a main area (:mod:`sim.app.views`) whose maps and trends fit a
1024x768 screen. SolaraViz's own page could not be used as it is: its sidebar shows Mesa's
play-interval, render-interval and threads controls and an information box, its sliders show
their values only while dragged, its Reset cannot say what it changed, and Solara's default
layout gives the sidebar 400 pixels. Mesa's ``update_counter`` still tells every view to redraw
after a step. Each browser session gets its own model.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import solara
import solara.lab
from mesa.visualization.utils import force_update

from sim.app.controls import (
    SIDEBAR_TEXT,
    AdvancedView,
    ChangeNotesView,
    ControlView,
    LessonsView,
    RunButtonsView,
    sections,
)
from sim.app.lessons import Scene
from sim.app.params import applied_values, differences, initial_values, model_params
from sim.app.teaching_model import TeachingModel
from sim.app.views import MainView, MapChoice, MapControlsView

TITLE = "Usual care vs intervention"
SIDEBAR_PX = 260
#: The sidebar's inner boxes take its background (Solara gives each a white one).
SIDEBAR_CSS = ".sim-sidebar .v-sheet { background: transparent !important; }"


def build(values: Mapping[str, Any]) -> TeachingModel:
    """The teaching model for the controls' values."""
    return TeachingModel(**values)


def applied(model: TeachingModel) -> dict[str, Any]:
    """The controls' values ``model`` was built with."""
    return applied_values(model.config.values, model.seed)


@solara.component
def Layout(children: list | None = None) -> solara.Element:  # noqa: N802 (Solara finds it by name)
    """The whole window for the page (instead of Solara's default layout with its title bar)."""
    return solara.Div(children=children or [], style={"height": "100vh", "overflow": "hidden"})


@solara.component
def Page() -> None:
    """The app: a teaching model per browser session, its controls and its views."""
    params = solara.use_memo(model_params, [])
    opening = solara.use_memo(lambda: initial_values(params), [])
    model = solara.use_reactive(solara.use_memo(lambda: build(opening), []))
    values = solara.use_reactive(opening)
    choice = solara.use_reactive(MapChoice())
    note = solara.use_reactive("")
    lesson = solara.use_reactive("")
    playing = solara.use_reactive(False)
    pause_ms = solara.use_reactive(100)
    weeks_per_draw = solara.use_reactive(1)

    def play() -> None:
        while playing.value and model.value.running:
            time.sleep(pause_ms.value / 1000)
            for _ in range(weeks_per_draw.value):
                if model.value.running:
                    model.value.step()
            force_update()
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def step() -> None:
        model.value.step()
        force_update()

    def reset() -> None:
        playing.set(False)
        changes = differences(applied(model.value), values.value)
        model.set(build(values.value))
        lesson.set("")
        note.set(
            "Reset rebuilt both arms at week 0"
            + (" with " + "; ".join(changes) if changes else ", with the same settings")
            + "."
        )

    def run_scene(scene: Scene) -> None:
        playing.set(False)
        played = scene.play(opening)
        values.set(played.values)
        model.set(played.model)
        choice.set(MapChoice(played.colour_by, played.page))
        lesson.set(played.notice)
        note.set(f"Scene “{scene.title}”: settings set, run to week {played.model.week}.")

    pending = differences(applied(model.value), values.value)
    with solara.Row(style={"height": "100vh", "gap": "0", "flex-wrap": "nowrap"}):
        solara.Style(SIDEBAR_CSS)
        with solara.Column(
            classes=["sim-sidebar"],
            style={
                "width": f"{SIDEBAR_PX}px",
                "min-width": f"{SIDEBAR_PX}px",
                "height": "100vh",
                "overflow-y": "auto",
                "padding": "10px 12px",
                "gap": "6px",
                "background": "#F3F5F8",
                "border-right": "1px solid #D0D4DA",
                **SIDEBAR_TEXT,
            },
        ):
            solara.HTML(tag="div", unsafe_innerHTML=f"<b>{TITLE}</b>", style="font-size: 19px")
            RunButtonsView(reset, step, playing, model.value.running)
            ChangeNotesView(pending, note.value)
            MapControlsView(choice)
            LessonsView(run_scene)
            for heading, keys in sections(params).items():
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"<b>{heading}</b>",
                    style="font-size: 17px; margin-top: 6px",
                )
                for key in keys:
                    ControlView(key, params[key], values)
            AdvancedView(pause_ms, weeks_per_draw)
            solara.HTML(
                tag="div",
                unsafe_innerHTML="Made with Mesa and Solara.",
                style="font-size: 14px; color: #555",
            )
        with solara.Column(style={"flex": "1", "height": "100vh", "overflow-y": "auto"}):
            MainView(model.value, choice.value, lesson.value)
