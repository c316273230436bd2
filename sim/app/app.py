"""The teaching app page: ``solara run sim.app.app`` (or ``sim app``).

The page is built from Solara components around a Mesa model (:class:`TeachingModel`), the way
Mesa's SolaraViz builds its pages, but laid out for a classroom projector: a narrow sidebar
(:mod:`sim.app.controls`) and a main area (:mod:`sim.app.views`) whose maps and trends fit a
1024x768 screen. SolaraViz's own page could not be used as it is: its sidebar shows Mesa's
play-interval, render-interval and threads controls and an information box, its sliders show
their values only while dragged, its Reset cannot say what it changed, and Solara's default
layout gives the sidebar 400 pixels. Mesa's ``update_counter`` still tells every view to redraw
after a step. Each browser session gets its own model (:class:`~sim.app.session.Session`).
"""

from __future__ import annotations

import solara
import solara.lab

from sim.app.controls import SidebarView
from sim.app.params import initial_values
from sim.app.session import Session
from sim.app.views import MainView

TITLE = "Usual care vs intervention"


@solara.component
def Layout(children: list | None = None) -> solara.Element:  # noqa: N802 (Solara finds it by name)
    """The whole window for the page (instead of Solara's default layout with its title bar)."""
    return solara.Div(children=children or [], style={"height": "100vh", "overflow": "hidden"})


@solara.component
def Page() -> None:
    """The app: a session (teaching model and controls) per browser tab, sidebar and views."""
    session = solara.use_memo(lambda: Session(initial_values()), [])
    solara.lab.use_task(session.play, dependencies=[session.playing.value], prefer_threaded=True)
    with solara.Row(style={"height": "100vh", "gap": "0", "flex-wrap": "nowrap"}):
        SidebarView(session, TITLE)
        with solara.Column(style={"flex": "1", "height": "100vh", "overflow-y": "auto"}):
            MainView(session.model.value, session.choice.value, session.lesson.value)
