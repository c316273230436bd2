"""Each mechanism's equations, written once in its module docstring and copied into the ODD.

A mechanism module of :mod:`sim.dynamics` states its equations in a Google-style ``Equations:``
section of its docstring (plain text, indented under the heading). ODD section 7 holds the same
text between marker lines::

    <!-- equations: sim.dynamics.health -->
    ```text
    SBP* = max(SBP_untreated - e_med m adh [persisting] - e_self S, SBP_min)
    ```
    <!-- /equations -->

:func:`replace_equation_blocks` rewrites every such block from its module (``sim params
--update-odd`` does it, together with the parameter table of section 8), and
:func:`stale_equation_blocks` names the blocks that differ from their source, which is what
``tests/test_odd.py`` checks. Docstrings are read from the source files with :mod:`ast`, so
nothing is imported or compiled.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: A marker pair and what lies between; group 1 is the module, group 2 the block.
_BLOCK = re.compile(r"<!-- equations: ([A-Za-z0-9_.]+) -->\n(.*?)<!-- /equations -->", flags=re.S)
_HEADING = "Equations:"


def module_path(module: str) -> Path:
    """The source file of a dotted module name inside this repository."""
    path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    if not path.is_file():
        raise ValueError(f"{module!r} is not a module of this package (no file {path})")
    return path


def equations_of(module: str) -> str:
    """The ``Equations:`` section of a module's docstring, dedented, ending in one newline.

    Raises:
        ValueError: if the module has no docstring or no ``Equations:`` section.
    """
    doc = ast.get_docstring(ast.parse(module_path(module).read_text(encoding="utf-8")))
    if not doc:
        raise ValueError(f"{module} has no docstring")
    lines = doc.splitlines()
    if _HEADING not in (line.strip() for line in lines):
        raise ValueError(f"{module}'s docstring has no {_HEADING!r} section")
    start = next(i for i, line in enumerate(lines) if line.strip() == _HEADING) + 1
    body: list[str] = []
    for line in lines[start:]:
        if line.strip() and not line.startswith((" ", "\t")):
            break  # the section ends at the first line that is not indented
        body.append(line)
    text = textwrap.dedent("\n".join(body)).strip("\n")
    if not text:
        raise ValueError(f"{module}'s {_HEADING!r} section is empty")
    return text + "\n"


def render_block(module: str) -> str:
    """The text the ODD holds between the markers of ``module`` (a fenced text block)."""
    return f"```text\n{equations_of(module)}```\n"


def equation_modules(text: str) -> list[str]:
    """Modules whose equation blocks a document holds, in order."""
    return [match.group(1) for match in _BLOCK.finditer(text)]


def stale_equation_blocks(text: str) -> list[str]:
    """Modules whose block in ``text`` differs from the module's ``Equations:`` section."""
    return [m.group(1) for m in _BLOCK.finditer(text) if m.group(2) != render_block(m.group(1))]


def replace_equation_blocks(text: str) -> str:
    """``text`` with every equation block rewritten from its module."""
    return _BLOCK.sub(
        lambda m: (
            f"<!-- equations: {m.group(1)} -->\n{render_block(m.group(1))}<!-- /equations -->"
        ),
        text,
    )
