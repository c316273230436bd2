"""The trend plots as one Vega-Lite chart: a small plot per measure, both arms in each.

As with the maps (:mod:`sim.app.map_chart`), the plots are concatenated views reading one dataset
(:func:`sim.app.trends.trend_rows`), so that the layout is fixed and each week only the data is
sent. Each title shows this week's difference between the arms, read from the signal
:data:`DIFFERENCES` (a list, one text per plot).
"""

from __future__ import annotations

import altair as alt

from sim.app.chart_style import FONT_PX, configure
from sim.app.trends import ARM_COLOURS, ARM_DASHES, DATASET, TRENDS

#: The signal holding each plot's difference now, in :data:`sim.app.trends.TRENDS` order.
DIFFERENCES = "differences"
#: Size of one plot, pixels.
PLOT_WIDTH_PX, PLOT_HEIGHT_PX = 150, 66
#: Gap between plots, and the width of a y axis's labels, pixels.
GAP_PX, AXIS_PX = 18, 38
#: Where the key to the arms sits: right of the first row of plots, pixels from the first plot.
LEGEND_X = 3 * PLOT_WIDTH_PX + 2 * (GAP_PX + AXIS_PX) + 8


def _axes(x_title: str | None) -> tuple[alt.X, alt.Y]:
    x = alt.X(
        "week:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d", grid=False, tickCount=5)
    )
    y = alt.Y(
        "value:Q",
        title=None,
        scale=alt.Scale(zero=False),
        axis=alt.Axis(tickCount=4, labelFlush=True, labelFlushOffset=2),
    )
    return x, y


def _lines(x: alt.X, y: alt.Y) -> list[alt.Chart]:
    """A line per arm: colour and dash by arm; usual care drawn last, over the other."""
    arms = list(ARM_COLOURS)
    key = alt.Legend(
        title=None,
        orient="none",
        legendX=LEGEND_X,
        legendY=30,
        symbolStrokeWidth=3,
        symbolSize=400,
    )
    line = (
        alt.Chart()
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "arm:N", scale=alt.Scale(domain=arms, range=list(ARM_COLOURS.values())), legend=key
            ),
            strokeDash=alt.StrokeDash(
                "arm:N", scale=alt.Scale(domain=arms, range=list(ARM_DASHES.values())), legend=None
            ),
        )
    )
    usual, treated = arms
    return [
        line.transform_filter(f"datum.layer == 'line' && datum.arm == '{arm}'")
        for arm in (treated, usual)
    ]


def _plot(index: int, title: str, x_title: str | None) -> alt.LayerChart:
    """One measure: both arms' lines, a dot at this week, an invisible y range; the title."""
    x, y = _axes(x_title)
    now = (
        alt.Chart()
        .mark_point(filled=True, size=45, opacity=1)
        .encode(x=x, y=y, color=alt.Color("arm:N", legend=None))
        .transform_filter("datum.layer == 'now'")
    )
    pad = (
        alt.Chart().mark_point(opacity=0).encode(x=x, y=y).transform_filter("datum.layer == 'pad'")
    )
    heading = alt.TitleParams(
        text=alt.ExprRef(f"[{title!r}, 'now ' + ({DIFFERENCES}[{index}] || '')]"),
        fontSize=FONT_PX + 1,
        fontWeight="normal",
        lineHeight=FONT_PX + 3,
    )
    return (
        alt.layer(pad, *_lines(x, y), now)
        .transform_filter(f"datum.order == {index}")
        .properties(width=PLOT_WIDTH_PX, height=PLOT_HEIGHT_PX, title=heading)
    )


def trend_spec(columns: int = 3) -> dict:
    """Small multiples of :data:`sim.app.trends.TRENDS`, ``columns`` to a row."""
    titles = [trend.title for trend in TRENDS.values()]
    n_rows = -(-len(titles) // columns)
    rows = []
    for r in range(n_rows):
        plots = [
            _plot(i, titles[i], "Week" if r == n_rows - 1 else None)
            for i in range(r * columns, min((r + 1) * columns, len(titles)))
        ]
        rows.append(alt.hconcat(*plots, spacing=GAP_PX))
    chart = (
        alt.vconcat(*rows, data=alt.NamedData(DATASET), spacing=10)
        .resolve_scale(y="independent")
        .add_params(alt.param(name=DIFFERENCES, value=[]))
    )
    return configure(chart)
