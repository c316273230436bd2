"""The app's two charts (maps and trends) with their data now, and the view that draws them.

Each chart is embedded in the page once (:func:`VegaView`) and then updated in place: every week
Python sends only the chart's data (its datasets and signal values), and Vega replaces them and
redraws. This keeps a step of both arms well under the 0.3 s a class will wait for; redrawing
matplotlib figures took about 2 s. The specifications are built by :mod:`sim.app.map_chart` and
:mod:`sim.app.trend_chart`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import solara

from sim.app.assets import VEGA_MODULES
from sim.app.communities import DATASET as MAPS
from sim.app.communities import map_rows
from sim.app.map_chart import map_spec
from sim.app.teaching_model import TeachingModel
from sim.app.trend_chart import DIFFERENCES, trend_spec
from sim.app.trends import DATASET as TRENDS
from sim.app.trends import TRENDS as MEASURES
from sim.app.trends import difference_now, trend_rows


@solara.component_vue("vega_view.vue")
def _VegaView(spec: str, payload: str, element_id: str, modules: dict) -> None:
    """The Vue component (``vega_view.vue``) that embeds ``spec`` and swaps in ``payload``."""


def VegaView(chart: Chart, week: int, revision: int, element_id: str) -> Any:
    """A chart drawn by Vega in the browser, embedded once and updated in place.

    Args:
        chart: The chart's specification (a new one embeds the chart again) and data.
        week: The model's week the data describe; the element's ``data-week`` attribute shows
            it once Vega has drawn them.
        revision: Number of this update (changes whenever the data may have changed).
        element_id: The element's HTML id.
    """
    payload = {
        "week": week,
        "revision": revision,
        "datasets": chart.datasets,
        "signals": chart.signals,
    }
    # As strings, which the browser parses once: dicts would be walked on every render by
    # Reacton (looking for elements inside them) and made deeply reactive by Vue.
    return _VegaView(
        spec=chart.spec,
        payload=_json(payload),
        element_id=element_id,
        modules=VEGA_MODULES,
    )


def _json(value: Any) -> str:
    """Compact JSON."""
    return json.dumps(value, separators=(",", ":"))


def spec_json(spec: dict) -> str:
    """A specification as the JSON :func:`maps_chart` and :func:`trends_chart` take."""
    return _json(spec)


@dataclass(frozen=True)
class Chart:
    """A chart: its Vega-Lite specification (as JSON), and its data now (datasets, signals)."""

    spec: str
    datasets: dict[str, list[dict[str, Any]]]
    signals: dict[str, Any]


def maps_chart(model: TeachingModel, state: str, page: int, spec: str | None = None) -> Chart:
    """The community maps of ``model`` now (``spec``: :func:`map_spec` of ``state`` as JSON)."""
    spec = spec if spec is not None else _json(map_spec(state))
    return Chart(spec, {MAPS: map_rows(model, state, page)}, {})


def trends_chart(model: TeachingModel, spec: str | None = None) -> Chart:
    """The trend plots of ``model`` now (``spec``: :func:`trend_spec` as JSON, if built)."""
    return Chart(
        spec if spec is not None else _json(trend_spec()),
        {TRENDS: trend_rows(model)},
        {DIFFERENCES: [difference_now(model, measure) for measure in MEASURES]},
    )
