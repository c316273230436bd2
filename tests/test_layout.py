"""House rules of the package layout, checked on the source with ``ast`` (nothing is imported).

* ``sim/`` keeps at most 8 top-level modules besides its subpackages;
* no module base name is used twice (except the faces ``__init__``, ``__main__``, ``cli``);
* no import circle crosses concerns: among module-level imports (imports inside functions are
  deferred and do not count), no cycle joins modules of different packages;
* no dead code: every function and method defined in ``sim/`` is referenced by name somewhere
  in ``sim/``, ``tests/``, ``benchmarks/`` or the notebooks' code cells.
"""

from __future__ import annotations

import ast
import json
from collections import defaultdict
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sim"

MAX_TOP_LEVEL = 8
#: Names every package may have: the package itself, ``python -m``, and each verb's command line.
FACES = frozenset({"__init__", "__main__", "cli"})
#: Repeated names that other branches are renaming at the same time (remove once merged):
#: ``sim/app/model.py`` becomes ``teaching_model.py`` (teaching-app branch), and
#: ``sim/calibration/spec.py`` becomes ``calibration_file.py`` (calibration branch).
#: ``sim/dynamics/`` keeps its names, so nothing else may use them.
BEING_RENAMED = frozenset({"sim/app/model.py", "sim/calibration/spec.py"})


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def module_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The ``sim`` modules a module imports when it is itself imported.

    Counts imports at module level, including those in ``if``/``try`` blocks but not those under
    ``if TYPE_CHECKING:`` (never executed) nor inside functions or classes. ``from a.b import c``
    counts ``a.b`` and, when ``c`` is a module, ``a.b.c``; importing ``a.b.c`` also runs
    ``a/__init__`` and ``a/b/__init__``, which count too.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and not _is_type_checking(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    imported = set()
    for target in found:
        parts = target.split(".")
        imported.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return {m for m in imported if m in known and m != name}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def concern(module: str) -> str:
    """The concern of a module: its package under sim (``sim.config``), or a top module."""
    return ".".join(module.split(".")[:2])


def import_graph(root: Path = PACKAGE) -> nx.DiGraph:
    """Module-level imports among the package's modules."""
    graph = nx.DiGraph()
    found = modules(root)
    for name, path in found.items():
        graph.add_node(name)
        imports = module_level_imports(path, name, set(found))
        graph.add_edges_from((name, target) for target in imports)
    return graph


def cycles_across_concerns(graph: nx.DiGraph) -> list[list[str]]:
    """Groups of modules that import each other (directly or round a circle) across concerns."""
    return [
        sorted(group)
        for group in nx.strongly_connected_components(graph)
        if len({concern(m) for m in group}) > 1
    ]


def test_top_level_has_at_most_eight_modules():
    top = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(top) <= MAX_TOP_LEVEL, (
        f"sim/ has {len(top)} top-level modules ({', '.join(top)}); at most {MAX_TOP_LEVEL}: "
        "put new modules in the package of their concern"
    )


def test_module_names_are_unique():
    by_name = defaultdict(list)
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if path.stem not in FACES and rel not in BEING_RENAMED:
            by_name[path.stem].append(rel)
    repeated = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert not repeated, f"module names used more than once: {repeated}"


def test_no_import_circle_across_concerns():
    assert cycles_across_concerns(import_graph()) == []


def test_the_import_graph_sees_imports_and_circles(tmp_path):
    """The checks above can fail: a planted circle across two packages is found."""
    pkg = tmp_path / "sim"
    for folder in ("a", "b", "c"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "one.py").write_text("from sim.b.two import f\n")
    (pkg / "b" / "two.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from sim.b import three\n"
        "if TYPE_CHECKING:\n    from sim.c import four\n"
        "def f():\n    import sim.c.four\n"
    )
    (pkg / "b" / "three.py").write_text("import sim.a.one\n")
    (pkg / "c" / "four.py").write_text("from sim.b.two import f\n")
    graph = import_graph(pkg)
    assert set(graph.successors("sim.b.two")) == {"sim", "sim.b", "sim.b.three"}
    assert set(graph.successors("sim.c.four")) == {"sim", "sim.b", "sim.b.two"}
    assert cycles_across_concerns(graph) == [["sim.a.one", "sim.b.three", "sim.b.two"]]


#: Functions called by Python or by a framework, never by name in our code:
#: dunder methods (``__init__``, ``__getattr__`` of the lazy packages, ...) are called by Python;
#: ``main`` is the console-script entry point named in pyproject.toml (``sim = "sim.cli:main"``);
#: ``Layout`` is the page layout Solara looks up by name in the app's module (``sim/app/app.py``).
CALLED_BY_FRAMEWORKS = frozenset({"main", "Layout"})


def code_sources(root: Path = ROOT) -> dict[Path, str]:
    """The Python code of ``sim/``, ``tests/``, ``benchmarks/`` and the notebooks' code cells."""
    out = {
        p: p.read_text() for d in ("sim", "tests", "benchmarks") for p in (root / d).rglob("*.py")
    }
    for path in (root / "notebooks").glob("*.ipynb"):
        cells = json.loads(path.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        out[path] = "\n".join(
            line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
    return out


def unreferenced_functions(root: Path = ROOT) -> list[str]:
    """Functions and methods of ``root/sim`` whose name nothing else mentions.

    A reference is a name (``f``), an attribute (``x.f``), an imported name or a string that is
    exactly the name (lazy imports and ``getattr`` name functions by string). Matching by name is
    lenient (an unrelated ``x.f`` counts), never strict: a function this finds is truly unused.
    """
    defined: list[tuple[str, str]] = []
    referenced: set[str] = set()
    for path, text in code_sources(root).items():
        in_package = path.is_relative_to(root / "sim")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and in_package:
                where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
                defined.append((node.name, where))
            elif isinstance(node, ast.Name):
                referenced.add(node.id)
            elif isinstance(node, ast.Attribute):
                referenced.add(node.attr)
            elif isinstance(node, ast.alias):
                referenced.update({node.name.rsplit(".", 1)[-1], node.asname or ""})
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                referenced.add(node.value)
    return sorted(
        f"{where} {name}"
        for name, where in defined
        if name not in referenced
        and name not in CALLED_BY_FRAMEWORKS
        and not (name.startswith("__") and name.endswith("__"))
    )


def test_every_function_of_the_package_is_used():
    assert unreferenced_functions() == [], "delete these functions, or use them"


def test_the_dead_code_check_finds_an_unused_function(tmp_path):
    (tmp_path / "sim").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "sim" / "m.py").write_text(
        "class A:\n    def __init__(self): ...\n    def used(self): ...\n    def spare(self): ...\n"
        "def lazy(): ...\ndef unused(): ...\nMAP = {'lazy': 'sim.m'}\n"
    )
    (tmp_path / "tests" / "test_m.py").write_text("from sim.m import A\nA().used()\n")
    cell = {"cell_type": "code", "source": ["%matplotlib inline\n", "import sim.m\n"]}
    (tmp_path / "notebooks" / "n.ipynb").write_text(json.dumps({"cells": [cell]}))
    assert unreferenced_functions(tmp_path) == ["sim/m.py:4 spare", "sim/m.py:6 unused"]
