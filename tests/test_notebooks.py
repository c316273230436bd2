"""The notebooks in notebooks/ run top to bottom, and are committed without outputs.

Each notebook is executed with nbclient, cell by cell, in a temporary working directory, on a
kernel of the interpreter running the tests (a kernelspec written at test time pointing at
``sys.executable``, so it works in a fresh ``.venv`` with nothing registered in Jupyter). A failure
names the notebook, the cell and its source.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient.exceptions import (  # noqa: E402
    CellExecutionError,
    CellTimeoutError,
    DeadKernelError,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "sim-tests"
#: Seconds one cell may take, and a whole notebook (each aims at under a minute on 2 cores).
CELL_TIMEOUT = 300
NOTEBOOK_TIMEOUT = 600
#: Terminal colour codes in IPython tracebacks.
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_there_are_notebooks() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert len(names) >= 4, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; clear them before "
        "committing (e.g. `jupyter nbconvert --clear-output --inplace` or the notebook's "
        "'Clear all outputs' then save)"
    )
    assert "widgets" not in nb.metadata, f"{path.name}: notebook metadata holds widget state"


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    """A kernelspec for this interpreter, with the source tree importable."""
    folder = tmp_path_factory.mktemp("kernels")
    spec = folder / KERNEL
    spec.mkdir()
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": f"Python ({sys.executable})",
                "language": "python",
                "env": {
                    "PYTHONPATH": path,
                    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                },
            }
        ),
        encoding="utf-8",
    )
    return KernelSpecManager(kernel_dirs=[str(folder)])


def _excerpt(source: str, lines: int = 12) -> str:
    rows = source.splitlines()
    return "\n".join(rows[:lines] + (["..."] if len(rows) > lines else []))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, kernel_specs: KernelSpecManager, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=kernel_specs)
    client = nbclient.NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    before = set((ROOT / "notebooks").iterdir())
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                # CellExecutionError quotes the cell itself; the others do not
                source = "" if isinstance(exc, CellExecutionError) else _excerpt(cell.source)
                pytest.fail(
                    f"{path.name}: cell {index} failed\n{source}\n{ANSI.sub('', str(exc))}",
                    pytrace=False,
                )
            elapsed = time.perf_counter() - started
            assert elapsed < NOTEBOOK_TIMEOUT, (
                f"{path.name}: still running after {elapsed:.0f} s (cell {index}); "
                f"notebooks should run in about a minute"
            )
    print(f"{path.name}: {time.perf_counter() - started:.1f} s")
    # notebooks write only to temporary folders, never next to themselves
    assert set((ROOT / "notebooks").iterdir()) <= before
