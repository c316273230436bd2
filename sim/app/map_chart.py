"""The community maps as one Vega-Lite chart: a row per arm, a column per shown patient.

The grid is built by concatenation, not faceting: Vega lays facets out from the data, and a
faceted chart whose data is replaced in place lost its cells and headers. Here every cell is a
fixed view reading the rows of its arm and column from the one dataset (:func:`map_rows`), and the
headers are text marks read from the same rows, so the layout never changes and each week only
the data is sent. Positions are in data units (the outer circle has radius
:data:`~sim.app.communities.DRAWN_RADII` [-1]); circles, the patient's disc and text are sized in
pixels.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from sim.app.chart_style import FONT_PX, configure
from sim.app.communities import DATASET, DRAWN_RADII, PATIENT_STATES, STRAIN_MAX, TIE_KEY
from sim.plots.style import GREY, TIE_COLOURS
from sim.population import codes

#: Side of one map, pixels.
MAP_PX = 112
#: Diameter of the patient's disc, pixels (wide enough for its value in 14 px type).
DISC_PX = 38
#: Width of the row headers, height of the column headers, pixels.
ROW_HEADER_PX, COLUMN_HEADER_PX = 40, 36
#: Room under the intervention arm's maps for "took up ...", pixels.
NOTE_PX = 18
#: Gap between maps, pixels.
GAP_PX = 6
#: The maps span the outer circle plus a margin, in data units.
_LIMIT = DRAWN_RADII[-1] + 0.3
#: Member kinds and their Vega shapes.
_SHAPES = {"person": "circle", "pet": "triangle-up", "group": "square", "professional": "diamond"}


def _where(*tests: str) -> str:
    return " && ".join(f"({test})" for test in tests)


def _position(below_px: float) -> dict[str, Any]:
    """Data units to pixels; ``below_px`` more pixels under the map for a note."""
    per_px = 2 * _LIMIT / MAP_PX
    return {
        "x": alt.X(
            "x:Q", scale=alt.Scale(domain=[-_LIMIT, _LIMIT], nice=False, zero=False), axis=None
        ),
        "y": alt.Y(
            "y:Q",
            scale=alt.Scale(domain=[-_LIMIT - below_px * per_px, _LIMIT], nice=False, zero=False),
            axis=None,
        ),
    }


def _centre() -> dict[str, Any]:
    return {"x": alt.value(MAP_PX / 2), "y": alt.value(MAP_PX / 2)}


def _legend(title: str, x: float, y: float, **more: Any) -> alt.Legend:
    """A legend at pixel (x, y) from the top left of the chart."""
    return alt.Legend(title=title, orient="none", legendX=x, legendY=y, **more)


def _rings() -> alt.Chart:
    """The three circles, filled faintly so that the inner ones look darker."""
    areas = [
        round((r * MAP_PX / _LIMIT) ** 2, 1) for r in DRAWN_RADII
    ]  # a circle's size: diameter²
    return (
        alt.Chart()
        .mark_circle(stroke=GREY, strokeWidth=0.8, fill="#000000", fillOpacity=0.04, opacity=1)
        .encode(**_centre(), size=alt.Size("area:Q", scale=None))
        .transform_filter("datum.layer == 'ring'")
        .transform_calculate(area=f"{areas}[datum.ring]")
    )


def _spokes(key_x: float, below_px: float) -> alt.Chart:
    ties = [TIE_KEY[t] for t in codes.TIE_TYPES]
    stroke = alt.Stroke(
        "tie:N",
        scale=alt.Scale(domain=ties, range=[TIE_COLOURS[t] for t in codes.TIE_TYPES]),
        legend=_legend("Tie (line)", key_x, 118, columns=2, symbolType="stroke"),
    )
    return (
        alt.Chart()
        .mark_rule(opacity=0.8)
        .encode(
            **_position(below_px),
            x2=alt.X2Datum(0.0),
            y2=alt.Y2Datum(0.0),
            stroke=stroke,
            strokeWidth=alt.StrokeWidth("width:Q", scale=None),
        )
        .transform_filter("datum.layer == 'spoke'")
    )


def _members(key_x: float, below_px: float) -> alt.Chart:
    strain = alt.Fill(
        "strain:Q",
        scale=alt.Scale(domain=[0, STRAIN_MAX], scheme="orangered", clamp=True),
        legend=_legend("Helpers' strain", key_x, 58, direction="horizontal", gradientLength=150),
    )
    shape = alt.Shape(
        "kind:N",
        scale=alt.Scale(domain=list(_SHAPES), range=list(_SHAPES.values())),
        legend=_legend("Member (hollow: tie ended)", key_x, 224, columns=2),
    )
    return (
        alt.Chart()
        .mark_point(filled=True, size=70, strokeWidth=1, opacity=1)
        .encode(
            **_position(below_px),
            shape=shape,
            fill=alt.condition("datum.ended", alt.value("transparent"), strain),
            stroke=alt.condition("datum.ended", alt.value(GREY), alt.value("black")),
        )
        .transform_filter("datum.layer == 'member'")
    )


def _patient(state: str, key_x: float, below_px: float) -> list[alt.Chart]:
    label, low, high = PATIENT_STATES[state]
    colour = alt.Color(
        "value:Q",
        scale=alt.Scale(domain=[low, high], scheme="viridis", clamp=True),
        legend=_legend(
            f"Patient: {label.lower()}", key_x, 0, direction="horizontal", gradientLength=150
        ),
    )
    disc = (
        alt.Chart()
        .mark_circle(size=DISC_PX**2, stroke="black", strokeWidth=1.5, opacity=1)
        .encode(**_centre(), color=colour)
        .transform_filter("datum.layer == 'patient'")
    )
    light = low + 0.55 * (high - low)  # viridis is light above this: write in black
    ink = alt.condition(f"datum.value > {light}", alt.value("black"), alt.value("white"))
    value = (
        alt.Chart()
        .mark_text(fontSize=FONT_PX, fontWeight="bold")
        .encode(**_centre(), text="text:N", color=ink)
        .transform_filter("datum.layer == 'patient'")
    )
    note = (
        alt.Chart()
        .mark_text(fontSize=FONT_PX, baseline="bottom")
        .encode(x=alt.value(MAP_PX / 2), y=alt.value(MAP_PX + below_px), text="text:N")
        .transform_filter("datum.layer == 'note'")
    )
    return [disc, value, note]


def _cell(state: str, key_x: float, row: int, column: int, below_px: float) -> alt.LayerChart:
    """One map, reading only the rows of its arm and column (``below_px`` for its note)."""
    layers = [
        _rings(),
        _spokes(key_x, below_px),
        _members(key_x, below_px),
        *_patient(state, key_x, below_px),
    ]
    return (
        alt.layer(*layers)
        .transform_filter(_where(f"datum.row == {row}", f"datum.column == {column}"))
        .properties(width=MAP_PX, height=MAP_PX + below_px)
    )


def _header(layer: str, test: str, width: float, height: float, **text: Any) -> alt.Chart:
    """A header: the text of the rows of ``layer`` passing ``test``, centred in its box."""
    return (
        alt.Chart()
        .mark_text(fontSize=FONT_PX, lineHeight=FONT_PX + 3, **text)
        .encode(x=alt.value(width / 2), y=alt.value(height / 2), text="text:N")
        .transform_filter(_where(f"datum.layer == '{layer}'", test))
        .properties(width=width, height=height)
    )


def map_spec(state: str, columns: int = 4) -> dict:
    """The community maps of :func:`sim.app.communities.map_rows`, the centre by ``state``.

    Args:
        state: A key of :data:`~sim.app.communities.PATIENT_STATES`.
        columns: Patients shown per arm.
    """
    key_x = ROW_HEADER_PX + columns * (MAP_PX + GAP_PX) + 14
    corner = _header("none", "false", ROW_HEADER_PX, COLUMN_HEADER_PX)
    heads = [
        _header("header", f"datum.column == {c}", MAP_PX, COLUMN_HEADER_PX) for c in range(columns)
    ]
    rows = [alt.hconcat(corner, *heads, spacing=GAP_PX)]
    for row, below_px in enumerate((0, NOTE_PX)):
        label = _header(
            "rowlabel", f"datum.row == {row}", ROW_HEADER_PX, MAP_PX, angle=270, fontWeight="bold"
        )
        cells = [_cell(state, key_x, row, c, below_px) for c in range(columns)]
        rows.append(alt.hconcat(label, *cells, spacing=GAP_PX))
    chart = alt.vconcat(*rows, data=alt.NamedData(DATASET), spacing=GAP_PX)
    return configure(chart)
