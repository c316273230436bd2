"""The shipped scenarios: listed, copied for editing, and named without a path from anywhere.

(The fresh-install test, ``test_install.py``, checks the same from a regular ``pip install``.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.config.scenario import load_scenario
from sim.config.shipped import copy_to, folder, resolve, shipped_files

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_folder_is_the_repositorys_scenarios_folder() -> None:
    assert folder().resolve() == (ROOT / "scenarios").resolve()


def test_every_shipped_file_is_listed_by_kind(capsys) -> None:
    kinds = {f.name: f.kind for f in shipped_files()}
    assert kinds["bright"] == "scenario" and kinds["compare_all"] == "comparison"
    assert kinds["sweeps/grid_example"] == "sweep" and kinds["calibration/bright"] == "calibration"
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "Scenarios (sim run | trial | attribute NAME):" in out
    assert "  bright " in out and "  sweeps/morris_screening " in out
    assert "'sim init DIR'" in out


def test_a_shipped_file_is_found_by_name_from_any_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve("bright") == folder() / "bright.toml"
    assert resolve("sweeps/grid_example") == folder() / "sweeps" / "grid_example.toml"
    assert load_scenario("bright").title == "BRIGHT"
    (tmp_path / "bright").write_text('title = "mine"\n', encoding="utf-8")
    assert resolve("bright") == Path("bright"), "expected a local file to win over a shipped one"


def test_an_unknown_name_lists_the_shipped_scenarios(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "brihgt"]) == 2
    err = capsys.readouterr().err
    assert "brihgt: -: file not found; shipped scenarios can be named without a path" in err
    assert "bright, bright_calls_only" in err


def test_sim_validate_and_sweep_take_shipped_names(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--show", "genie"]) == 0
    assert 'title = "GENIE"' in capsys.readouterr().out
    code = main(["sweep", "sweeps/grid_example", "--rerun", "p000099-r000", "--out", "x"])
    assert code == 2 and "not in this sweep" in capsys.readouterr().err


def test_sim_init_copies_everything_and_never_overwrites(tmp_path, capsys) -> None:
    target = tmp_path / "mine"
    assert main(["init", str(target)]) == 0
    copied = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    shipped = sorted(
        p.relative_to(folder()).as_posix()
        for p in folder().rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"
    )
    assert copied == shipped and "data/example_survey/egos.csv" in copied
    assert load_scenario(target / "whatif_more_calls.toml").title.startswith("What if")
    before = (target / "bright.toml").read_text(encoding="utf-8")
    (target / "bright.toml").write_text(before + "# my notes\n", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "bright.toml exists already" in capsys.readouterr().err
    assert (target / "bright.toml").read_text(encoding="utf-8").endswith("# my notes\n")
    with pytest.raises(NotADirectoryError):
        copy_to(target / "bright.toml")


def test_the_notebooks_find_the_scenarios_through_the_package() -> None:
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = "".join(
            "".join(cell["source"])
            for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
            if cell["cell_type"] == "code"
        )
        assert "__file__" not in code, f"{notebook.name} should not find files via sim.__file__"
        assert "shipped_folder()" in code or "load_scenario(" in code
