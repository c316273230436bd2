"""Compiled kernels are called with named arrays: no call passes more than 8 positional arguments.

A kernel is a function of :mod:`sim.dynamics` compiled with numba (decorated with ``njit``,
``jit``, ``vectorize`` or ``guvectorize``). Every call of one anywhere in the package must pass
at most :data:`MAX_POSITIONAL` arguments by position (more go by keyword or in a record of
arrays, :mod:`sim.dynamics.records`), so two arrays of the same type cannot be swapped unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sim"
MAX_POSITIONAL = 8
COMPILERS = {"njit", "jit", "vectorize", "guvectorize"}


def _decorator_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    return getattr(target, "id", "")


def kernel_names(sources: dict[str, str]) -> set[str]:
    """Names of the numba-compiled functions defined in ``sources`` (file name: source)."""
    names = set()
    for source in sources.values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and any(
                _decorator_name(d) in COMPILERS for d in node.decorator_list
            ):
                names.add(node.name)
    return names


def long_calls(sources: dict[str, str], kernels: set[str]) -> list[str]:
    """Calls of a kernel with more than :data:`MAX_POSITIONAL` positional arguments."""
    found = []
    for file, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in kernels and len(node.args) > MAX_POSITIONAL:
                found.append(f"{file}:{node.lineno}: {name} with {len(node.args)} positional")
    return found


def package_sources(folder: Path) -> dict[str, str]:
    """Source of every module under ``folder``, by path."""
    return {str(path): path.read_text() for path in sorted(folder.rglob("*.py"))}


def test_the_dynamics_define_compiled_kernels() -> None:
    kernels = kernel_names(package_sources(PACKAGE / "dynamics"))
    assert {"mediate_blocks", "negotiate_blocks", "advance"} <= kernels, (
        f"expected the weekly kernels among the kernels, found {sorted(kernels)[:10]}"
    )


def test_no_kernel_call_passes_more_than_8_positional_arguments() -> None:
    kernels = kernel_names(package_sources(PACKAGE / "dynamics"))
    found = long_calls(package_sources(PACKAGE), kernels)
    assert not found, f"expected at most {MAX_POSITIONAL} positional arguments, got {found}"


def test_a_call_with_9_positional_arguments_is_found() -> None:
    kernel = "from numba import njit\n\n@njit(cache=True)\ndef mix(a, b, c, d, e, f, g, h, i):\n"
    kernel += "    return a\n"
    sources = {
        "kernel.py": kernel,
        "caller.py": "mix(1, 2, 3, 4, 5, 6, 7, 8, 9)\nmix(1, 2, 3, 4, 5, 6, 7, 8, i=9)\n",
    }
    found = long_calls(sources, kernel_names(sources))
    assert found == ["caller.py:1: mix with 9 positional"], f"expected one long call, got {found}"
