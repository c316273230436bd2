"""The look shared by the app's charts: projector-sized text (at least 14 CSS pixels), no frames."""

from __future__ import annotations

import altair as alt

#: Smallest text on the charts, CSS pixels.
FONT_PX = 14


def configure(chart: alt.TopLevelMixin) -> dict:
    """Projector-sized text everywhere, no frame; the chart as a Vega-Lite dict."""
    return (
        chart.configure(font="Roboto, Helvetica, Arial, sans-serif")
        .configure_axis(labelFontSize=FONT_PX, titleFontSize=FONT_PX, titleFontWeight="normal")
        .configure_header(labelFontSize=FONT_PX + 1, titleFontSize=FONT_PX + 1)
        .configure_legend(
            labelFontSize=FONT_PX,
            titleFontSize=FONT_PX,
            titleLimit=240,
            labelLimit=200,
            gradientLength=100,
            symbolSize=110,
        )
        .configure_view(stroke=None)
        .to_dict()
    )
