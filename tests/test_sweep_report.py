"""Sweeps as first-class results: a CSV beside the Parquet and ``sim report SWEEP_FOLDER``.

Built from tiny sweeps (30 patients, 6 weeks): the CSV holds exactly the Parquet's rows, the report
has its summary, outcome table by design point, every response figure, the sensitivity indices
when the sweep has them, the assumptions and the provenance; an unfinished sweep folder is
refused with exit code 2.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.report import build_report
from tests.report_checks import assert_plain
from tests.sweep_helpers import write_sweep


def sweep(tmp_path: Path, *args: str, verb: str = "sweep", **kwargs) -> Path:
    path = write_sweep(tmp_path, **kwargs)
    out = tmp_path / "out"
    code = main([verb, str(path), "--out", str(out), "--workers", "1", "--no-progress", *args])
    assert code == 0
    return out / "sweeps" / path.stem


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    return sweep(tmp_path_factory.mktemp("grid"))


def section_ids(page: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)">', page)


def test_a_finished_sweep_writes_csv_beside_the_parquet(grid) -> None:
    parquet = pd.read_parquet(grid / "results.parquet")
    csv = pd.read_csv(grid / "results.csv")
    assert len(csv) == len(parquet) == 12
    assert list(csv.columns) == list(parquet.columns)
    pd.testing.assert_frame_equal(
        csv.drop(columns="error"), parquet.drop(columns="error"), check_dtype=False
    )
    assert not list(grid.glob(".tmp-*")), "expected no temporary file left"


def test_time_series_get_a_csv_too(tmp_path) -> None:
    folder = sweep(
        tmp_path,
        outcomes='measures = ["eq5d"]\nweeks = [6]\ntimeseries = true',
    )
    series = pd.read_csv(folder / "timeseries.csv")
    assert len(series) == len(pd.read_parquet(folder / "timeseries.parquet")) == 12 * 7


def test_the_sweep_report_has_its_sections_tables_and_figures(grid) -> None:
    code = main(["report", str(grid)])
    assert code == 0
    page = (grid / "report.html").read_text(encoding="utf-8")
    assert section_ids(page) == [
        "summary",
        "results",
        "figures",
        "methods",
        "assumptions",
        "terms",
        "provenance",
    ]
    assert "mechanisms.navigation.p_join" in page and "0.006, 0.012, 0.024" in page
    assert 'id="outcomes-table"' in page and 'id="points-table"' in page
    points = re.search(r'id="points-table">.*?<tbody>(.*?)</tbody>', page, re.S)[1]
    assert points.count("<tr>") == 6, "expected one row per design point (3 x 2)"
    figures = sorted(p.stem for p in (grid / "figures").glob("response_*.png"))
    embedded = re.findall(
        r'<figure id="figure-(response_[^"]+)"><img[^>]*src="data:image/png', page
    )
    assert figures and sorted(embedded) == figures, "expected every response figure embedded"
    assert "Runs: 12 in all, 12 finished, 0 failed." in page
    assert_plain(page)


def test_a_sensitivity_sweep_report_shows_its_indices(tmp_path) -> None:
    folder = sweep(
        tmp_path,
        verb="sensitivity",
        parameters='"mechanisms.work.capacity_hours" = { low = 10.0, high = 24.0 }\n'
        '"mechanisms.knowledge.rate_fading" = { low = 0.01, high = 0.03 }',
        design="",
        replicates=1,
        extra='common_random_numbers = true\n[sensitivity]\nmethod = "morris"\nn = 4',
    )
    page = build_report(folder)
    assert "sensitivity" in section_ids(page)
    assert 'id="sensitivity-table"' in page and "mu_star" in page
    assert 'id="figure-sensitivity"' in page
    assert "Morris" in page and "Sensitivity indices" in page, "expected the term explained"


def test_an_unfinished_sweep_folder_is_refused(tmp_path, capsys) -> None:
    folder = tmp_path / "sweeps" / "half"
    folder.mkdir(parents=True)
    (folder / "sweep.toml").write_text("", encoding="utf-8")
    (folder / "provenance.json").write_text("{}", encoding="utf-8")
    (folder / "scenario.toml").write_text("", encoding="utf-8")
    assert main(["report", str(folder)]) == 2
    assert "incomplete sweep folder: no results.parquet" in capsys.readouterr().err
