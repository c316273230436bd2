"""HTML building blocks of a report: escaped text, tables, embedded figures and the page.

Everything is escaped with :func:`html.escape`; figures are embedded as base64 ``data:`` URIs and
the style sheet is inline, so a page needs nothing but itself to open.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: The page's style sheet (inline; colours from the Okabe-Ito palette of the figures).
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  max-width: 70rem; margin: 2rem auto; padding: 0 1.5rem; color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.4rem; margin-top: 2.4rem; border-bottom: 2px solid #0072B2;
  padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
.subtitle { color: #555; margin-top: 0; }
nav ol { columns: 2; padding-left: 1.2rem; }
.key { background: #F2F7FB; border-left: 4px solid #0072B2; padding: 0.6rem 1rem;
  margin: 1rem 0; }
.caveat { background: #FDF6EC; border-left: 4px solid #E69F00; padding: 0.6rem 1rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.88rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.3rem 0.55rem; text-align: left;
  vertical-align: top; }
th { background: #f0f0f0; }
tbody tr:nth-child(even) { background: #fafafa; }
.scroll { overflow-x: auto; }
figure { margin: 1.4rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #444; font-size: 0.92rem; margin-top: 0.3rem; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.82rem; }
code { font-size: 0.9em; }
footer { margin-top: 3rem; color: #666; font-size: 0.85rem; }
dl.terms { font-size: 0.9rem; }
dl.terms dt { font-weight: 600; margin-top: 0.5rem; }
dl.terms dd { margin: 0 0 0 1.5rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  nav { display: none; }
  figure, table { break-inside: avoid; }
  details { display: block; }
}
"""


def text(value: object) -> str:
    """Escape any value as HTML text."""
    return html.escape(str(value), quote=True)


def paragraph(*parts: str) -> str:
    """A paragraph of already escaped HTML parts, joined by spaces."""
    return "<p>" + " ".join(parts) + "</p>"


def bullets(items: Iterable[str]) -> str:
    """A bulleted list of already escaped HTML items."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def number_text(value: float, digits: int = 4) -> str:
    """A number for people: significant digits, thousands separators, no scientific notation.

    For example 10523.4 -> '10,523', 0.000012345 -> '0.00001234', nan -> '-'.
    """
    if not math.isfinite(value):
        return "-"
    if abs(value) >= 10 ** (digits - 1):
        return f"{value:,.0f}"
    return np.format_float_positional(value, precision=digits, fractional=False, trim="-")


def _cell(value: object, digits: int) -> str:
    if isinstance(value, float | np.floating):
        return text(number_text(float(value), digits))
    return text(value)


def table(frame: pd.DataFrame, *, digits: int = 4, caption: str = "", table_id: str = "") -> str:
    """A DataFrame as an HTML table (numbers to ``digits`` significant digits)."""
    head = "".join(f"<th>{text(c)}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v, digits)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    ident = f' id="{text(table_id)}"' if table_id else ""
    cap = f"<caption>{text(caption)}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table{ident}>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def key_values(pairs: Sequence[tuple[str, object]]) -> str:
    """A two-column table of labels and values."""
    rows = "".join(f"<tr><th>{text(k)}</th><td>{text(v)}</td></tr>" for k, v in pairs)
    return f'<div class="scroll"><table><tbody>{rows}</tbody></table></div>'


def figure(path: Path, caption: str) -> str:
    """A PNG embedded as a base64 data URI, with a caption."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = text(caption or path.stem)
    return (
        f'<figure id="figure-{text(path.stem)}"><img alt="{alt}" '
        f'src="data:image/png;base64,{data}"><figcaption>{text(caption)}</figcaption></figure>'
    )


@dataclass
class Section:
    """One section of a page: an anchor id, a heading and its HTML body."""

    ident: str
    heading: str
    body: str


@dataclass
class Page:
    """A whole report page."""

    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    def render(self) -> str:
        """The page as one self-contained HTML document."""
        contents = "".join(
            f'<li><a href="#{text(s.ident)}">{text(s.heading)}</a></li>' for s in self.sections
        )
        body = "".join(
            f'<section id="{text(s.ident)}"><h2>{text(s.heading)}</h2>{s.body}</section>'
            for s in self.sections
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{text(self.title)}</title><style>{CSS}</style></head><body>"
            f'<header><h1>{text(self.title)}</h1><p class="subtitle">{text(self.subtitle)}</p>'
            f"</header><nav><strong>Contents</strong><ol>{contents}</ol></nav>{body}"
            f"<footer>{self.footer}</footer></body></html>\n"
        )
