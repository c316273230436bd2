"""The parameter tables of the model's ODD description (``docs/ODD.md``), generated from the code.

Section 8 of ``docs/ODD.md`` lists every scenario parameter with its default, unit, allowed values,
source and description. That list is not written by hand: it is :func:`parameter_table`, pasted
between the markers :data:`START` and :data:`END`, and a test checks that the pasted block still
equals what the code declares. ``python -m sim params --markdown`` prints the block.

Tables follow the TOML tables of a scenario file: one heading per section (``[network]``) and one
per sub-table (``[network.mean_family]``), in the order the parameters are declared in
``sim/config/*_params.py``, so a reader can copy a heading and a key into a scenario file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sim.config.parameters import PARAMS, SECTIONS, Param

__all__ = [
    "END",
    "START",
    "parameter_block",
    "parameter_keys_in",
    "parameter_listing",
    "parameter_table",
    "replace_parameter_block",
    "select_parameters",
    "toml_value",
]

#: Marker lines around the generated block in ``docs/ODD.md``.
START = "<!-- parameters:start -->"
END = "<!-- parameters:end -->"

#: One line under each section heading.
SECTION_TITLES: dict[str, str] = {
    "run": "Seed and length of a run.",
    "population": "The synthetic cohort (dossier target T1; Blakeman et al. 2014).",
    "network": "Personal communities (dossier section 2; targets T2-T4).",
    "mechanisms": "Switches and parameters of the weekly mechanisms (ODD section 7).",
    "interventions": "Intervention components (ODD 7.10): when, for whom, with what uptake and "
    "cost, and their effect on each mechanism input they act on. All are off in usual care.",
    "trial": "The virtual trial run by `sim trial` (dossier section 4, target T9).",
    "outputs": "What a run writes.",
}
#: Human titles of sub-tables, shown in their headings.
TABLE_TITLES: dict[str, str] = {
    "mechanisms.switches": "Mechanism switches",
    "mechanisms.work": "Work and capacity",
    "mechanisms.knowledge": "Knowledge and experience sharing",
    "mechanisms.support": "Accessing and mediating resources",
    "mechanisms.navigation": "Network navigation",
    "mechanisms.negotiation": "Negotiation within networks",
    "mechanisms.collective": "Collective efficacy",
    "mechanisms.balance": "Workload-capacity balance and self-management",
    "mechanisms.health": "Blood pressure and usual care",
    "mechanisms.history": "Natural history",
    "mechanisms.outcomes": "Outcomes",
    "mechanisms.kidney": "Kidney function",
    "mechanisms.comorbidity": "Comorbidity",
    "mechanisms.medicines": "Taking medicines",
    "mechanisms.eq5d": "EQ-5D-3L by dimension",
    "mechanisms.services": "Service use and costs",
    "interventions.bright": "BRIGHT (Blakeman et al. 2014)",
    "interventions.genie": "GENIE (Kennedy et al. 2016)",
    "interventions.bright.guidebook": "BRIGHT guidebook",
    "interventions.bright.plans": "BRIGHT PLANS",
    "interventions.bright.calls": "BRIGHT telephone calls",
    "interventions.genie.session": "GENIE session",
}
_COLUMNS = ("key", "default", "unit", "allowed values", "source", "description")
#: A scenario key as written in a table cell: a section name, then dotted parts, in backticks.
_KEY = re.compile(r"`((?:" + "|".join(SECTIONS) + r")(?:\.[A-Za-z0-9_]+)+)`")


@dataclass
class _Table:
    """A TOML table of parameters: its own keys and its sub-tables (in declaration order)."""

    path: str
    params: list[Param] = field(default_factory=list)
    children: dict[str, _Table] = field(default_factory=dict)


def select_parameters(prefix: str | None = None) -> list[Param]:
    """Return the parameters whose key is ``prefix`` or lies under it, in declaration order.

    Args:
        prefix: A section, sub-table or key (``"network"``, ``"mechanisms.work"``,
            ``"run.seed"``); None selects every parameter.

    Raises:
        ValueError: if no parameter matches; the message lists the sections.
    """
    if prefix is None:
        return list(PARAMS.values())
    prefix = prefix.strip().strip(".")
    chosen = [p for k, p in PARAMS.items() if k == prefix or k.startswith(prefix + ".")]
    if not chosen and prefix in SECTIONS:
        raise ValueError(f"[{prefix}] takes no keys in this version")
    if not chosen:
        raise ValueError(
            f"{prefix!r} matches no parameter; expected a section ("
            f"{', '.join(s for s in SECTIONS if any(k.startswith(s + '.') for k in PARAMS))}), "
            "a sub-table such as 'mechanisms.work', or a key"
        )
    return chosen


def toml_value(value: Any) -> str:
    """Render a default as a TOML value (``true``, ``"synthetic"``, ``["parquet", "csv"]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ").strip() or "-"


def _row(param: Param) -> str:
    cells = (
        f"`{param.key}`",
        f"`{toml_value(param.default)}`",
        _cell(param.unit),
        _cell(param.allowed()),
        _cell(param.source),
        _cell(param.description),
    )
    return "| " + " | ".join(cells) + " |"


def _tree(params: list[Param], sections: tuple[str, ...]) -> list[_Table]:
    roots = {s: _Table(s) for s in sections}
    for param in params:
        section, *parents, _ = param.key.split(".")
        node = roots[section]
        for part in parents:
            node = node.children.setdefault(part, _Table(f"{node.path}.{part}"))
        node.params.append(param)
    return list(roots.values())


def _render(table: _Table, level: int, out: list[str]) -> None:
    if level == 3:
        out += [f"### `[{table.path}]`", "", SECTION_TITLES.get(table.path, ""), ""]
    else:
        title = TABLE_TITLES.get(table.path)
        heading = f"`[{table.path}]`" if title is None else f"{title}: `[{table.path}]`"
        out += [f"#### {heading}", ""]
    if table.params:
        out.append("| " + " | ".join(_COLUMNS) + " |")
        out.append("|" + "---|" * len(_COLUMNS))
        out += [_row(p) for p in table.params]
        out.append("")
    for child in table.children.values():
        _render(child, level + 1, out)


def parameter_table(prefix: str | None = None) -> str:
    """Render parameters as Markdown tables, one per TOML table, under section headings.

    Args:
        prefix: Only the parameters under this section, sub-table or key (see
            :func:`select_parameters`); None renders every section, including those that take
            no keys yet.

    Returns:
        Markdown text ending in one newline: the block between :data:`START` and :data:`END`
        in ``docs/ODD.md`` when ``prefix`` is None.

    Raises:
        ValueError: if ``prefix`` matches no parameter.
    """
    params = select_parameters(prefix)
    if prefix is None:
        sections = SECTIONS
    else:
        sections = tuple(s for s in SECTIONS if any(p.key.startswith(s + ".") for p in params))
    out: list[str] = []
    for root in _tree(params, sections):
        if not root.params and not root.children:
            out += [f"### `[{root.path}]`", "", SECTION_TITLES.get(root.path, ""), ""]
            continue
        _render(root, 3, out)
    return "\n".join(out).rstrip("\n") + "\n"


def parameter_listing(prefix: str | None = None) -> str:
    """One line per parameter, ``key = default  # unit``, aligned (valid TOML; see ``sim params``).

    Raises:
        ValueError: if ``prefix`` matches no parameter.
    """
    params = select_parameters(prefix)
    left = [f"{p.key} = {toml_value(p.default)}" for p in params]
    width = max(len(s) for s in left)
    return "".join(f"{s:<{width}}  # {p.unit}\n" for s, p in zip(left, params, strict=True))


def parameter_keys_in(text: str) -> set[str]:
    """Return the scenario keys a Markdown document mentions in its tables.

    A key counts when it appears in backticks in a table row (a line starting with ``|``) and
    begins with a section name (``run``, ``population``, ``network``, ``mechanisms``,
    ``interventions``, ``trial``, ``outputs``), so file names and prose are ignored. Unknown keys
    are returned too: that is how a test finds stale ones.
    """
    keys: set[str] = set()
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            keys.update(_KEY.findall(line))
    return keys


def _marker_span(text: str) -> tuple[int, int]:
    """Start and end offsets of the text between the marker lines."""
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"expected the markers {START} and {END} exactly once each")
    begin = text.index(START) + len(START)
    end = text.index(END)
    if end < begin:
        raise ValueError(f"{END} comes before {START}")
    if text[begin : begin + 1] == "\n":
        begin += 1
    return begin, end


def parameter_block(text: str) -> str:
    """Return the text between the marker lines of a document (without the marker lines).

    Raises:
        ValueError: if the markers are missing, repeated or out of order.
    """
    begin, end = _marker_span(text)
    return text[begin:end]


def replace_parameter_block(text: str, table: str | None = None) -> str:
    """Return ``text`` with the block between the markers replaced by ``table``.

    Args:
        text: A document holding the markers (``docs/ODD.md``).
        table: The new block; by default :func:`parameter_table` of every parameter.

    Raises:
        ValueError: if the markers are missing, repeated or out of order.
    """
    begin, end = _marker_span(text)
    table = parameter_table() if table is None else table
    return text[:begin] + table + text[end:]
