"""``pip install .`` into a fresh virtual environment works outside the checkout.

The shipped scenarios must travel with the package (``sim.scenarios``), so that from any other
folder ``sim trial bright`` finds the installed scenario by name and runs. Slow (a fresh install of
every dependency from the pip cache, a minute or two), but kept in the suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What a source distribution holds: enough to build and install the package.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "constraints.txt", "sim", "scenarios")


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv_then_sim_trial_bright_from_another_folder(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-c", str(source / "constraints.txt"), str(source)], check=True)
    shutil.rmtree(source)  # the install must not need the sources any more

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sim = str(venv / "bin" / "sim")
    listing = subprocess.run([sim, "scenarios"], cwd=elsewhere, capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    assert "  bright " in listing.stdout and "compare_all" in listing.stdout
    assert "site-packages" in listing.stdout, "expected the scenarios of the installed package"

    run = subprocess.run(
        [sim, "trial", "bright", "--replicates", "4", "--workers", "1", "--no-progress"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    (folder,) = (elsewhere / "results" / "bright").iterdir()
    assert (folder / "results.md").is_file() and (folder / "tables" / "summary.csv").is_file()
