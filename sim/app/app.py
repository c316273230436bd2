"""The teaching app page, on Mesa's SolaraViz: ``solara run sim.app.app`` (or ``sim app``).

SolaraViz gives the page its title bar and sidebar: Mesa's Reset, play/pause and Step buttons,
and one control per scenario key (:mod:`sim.app.params`), which rebuild the model on Reset. The
main area is laid out here (:class:`sim.app.views.MainView`): the communities of a handful of
patients in both arms beside live plots comparing the arms, and a summary with a short guide.
Mesa 3.5 would place ``components=[...]`` two to a row at a fixed height of about 390 pixels,
too small to read on a projector, so the page passes SolaraViz no components and shows its views
full width under the same reactive model. Each browser session gets its own model.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import SolaraViz

from sim.app.params import model_params
from sim.app.teaching_model import TeachingModel
from sim.app.views import MainView

TITLE = "Personal communities and self-management: usual care vs intervention"


def initial_values(params: dict[str, Any]) -> dict[str, Any]:
    """The value each control starts at."""
    return {key: spec["value"] for key, spec in params.items()}


@solara.component
def Page() -> None:
    """The app: a teaching model per browser session, controlled by SolaraViz."""
    params = solara.use_memo(model_params, [])
    first = solara.use_memo(lambda: TeachingModel(**initial_values(params)), [])
    model = solara.use_reactive(first)
    SolaraViz(model, components=[], model_params=params, name=TITLE)
    MainView(model.value)
