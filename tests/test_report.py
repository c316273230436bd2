"""``sim report``: one self-contained HTML file per results folder (virtual trial or run).

Built from small real runs: every section present, every figure embedded as a data URI, nothing
fetched from elsewhere, the results table and assumptions shown; bad folders exit with code 2
and write nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.config.scenario import load_scenario
from sim.io.run_command import run_scenario
from sim.report import ReportError, build_report, write_report
from sim.trial.results import timed_trial, write_trial
from tests.report_checks import assert_plain

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("summary", "results", "figures", "methods", "assumptions", "terms", "provenance")


@pytest.fixture(scope="module")
def trial_folder(tmp_path_factory) -> Path:
    scenario = load_scenario(ROOT / "scenarios" / "bright.toml").with_overrides(
        {"trial.outcome_week": 6, "trial.batch_size": 3}
    )
    results, wall = timed_trial(scenario, replicates=3, workers=1)
    return write_trial(results, scenario, tmp_path_factory.mktemp("trial"), wall)


@pytest.fixture(scope="module")
def trial_html(trial_folder) -> str:
    return build_report(trial_folder)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    scenario = load_scenario(ROOT / "scenarios" / "genie.toml").with_overrides(
        {"population.n_practices": 2, "population.patients_per_practice": 40, "run.weeks": 3}
    )
    return run_scenario(scenario, tmp_path_factory.mktemp("run"), progress=False)


def section_ids(page: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)">', page)


def assert_self_contained(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page), (
        "expected no reference to another server"
    )
    assert not re.search(r"https?://", page), "expected no http(s) reference at all"
    assert "<script" not in page and "<link" not in page, "expected no external CSS or JS"
    for source in re.findall(r'<img[^>]*\ssrc="([^"]*)"', page):
        assert source.startswith("data:image/png;base64,"), "expected figures as data URIs"


def test_reports_speak_plainly(trial_html, run_folder) -> None:
    assert_plain(trial_html)
    assert_plain(build_report(run_folder))
    assert "used in fitting" in trial_html, "expected the published result named, labelled fitted"


def test_trial_report_has_every_section_in_order(trial_html) -> None:
    assert trial_html.startswith("<!DOCTYPE html>")
    assert section_ids(trial_html) == list(SECTIONS)
    for ident in SECTIONS:
        assert f'href="#{ident}"' in trial_html, f"expected {ident} in the contents"


def test_trial_report_is_self_contained_with_every_figure_embedded(trial_folder, trial_html):
    assert_self_contained(trial_html)
    figures = sorted(p.stem for p in (trial_folder / "figures").glob("*.png"))
    assert figures == ["ce_plane", "community_before_after", "forest", "trajectories"]
    images = re.findall(
        r'<figure id="figure-([^"]+)"><img[^>]*src="data:image/png;base64,', trial_html
    )
    assert sorted(images) == figures, "expected every figure of the folder, embedded"
    for stem in figures:
        assert (trial_folder / "figures" / f"{stem}.png").stat().st_size > 10_000


def test_trial_report_summarises_in_plain_language(trial_html) -> None:
    summary = trial_html.split('<section id="results">')[0]
    for phrase in (
        "What was compared",
        "BRIGHT: Guidebook, PLANS and two lay-worker telephone calls (weeks 1 and 5)",
        "Compared with usual care alone.",
        "In whom",
        "3 simulated trials",
        "At a glance",
        "Quality of life",
        "Blood pressure controlled",
        "95% confidence interval",
        "per QALY",
        "Caveats",
    ):
        assert phrase in summary, f"expected {phrase!r} in the summary"


def test_trial_report_holds_the_results_table(trial_folder, trial_html) -> None:
    table = re.search(r'<table id="results-table">.*?</table>', trial_html, re.S)
    assert table is not None, "expected the results table"
    results = pd.read_csv(trial_folder / "tables" / "results.csv")
    assert table.group(0).count("<tr>") == len(results) + 1, "expected a row per outcome"
    assert "Outcome at follow-up" in table.group(0)
    assert "EQ-5D-3L utility" in table.group(0)


def test_trial_report_lists_methods_assumptions_and_provenance(trial_folder, trial_html):
    methods = trial_html.split('<section id="methods">')[1].split("</section>")[0]
    assert "ANCOVA" in methods and "Root seed" in methods and "3 replicate trials" in methods
    assumptions = trial_html.split('<section id="assumptions">')[1].split("</section>")[0]
    assert "docs/ODD.md" in assumptions
    assert "BRIGHT telephone calls" in assumptions
    assert "interventions.bright.calls.enabled" in assumptions, "expected non-default keys"
    assert "trial.outcome_week" in assumptions
    provenance = trial_html.split('<section id="provenance">')[1]
    assert "provenance.json" in provenance and "Git commit" in provenance


def test_a_folder_with_an_attribution_gets_its_section(trial_folder, tmp_path) -> None:
    folder = tmp_path / "with_attribution"
    shutil.copytree(trial_folder, folder)
    pd.DataFrame(
        {
            "outcome": ["eq5d", "eq5d", "eq5d"],
            "mechanism": ["navigation", "knowledge", "total"],
            "contribution": [0.02, 0.01, 0.03],
            "scale": ["difference"] * 3,
        }
    ).to_csv(folder / "tables" / "attribution.csv", index=False)
    shutil.copy(folder / "figures" / "forest.png", folder / "figures" / "attribution.png")
    page = build_report(folder)
    assert section_ids(page) == [*SECTIONS[:2], "attribution", *SECTIONS[2:]]
    part = page.split('<section id="attribution">')[1].split("</section>")[0]
    assert 'id="attribution-table"' in part and "navigation" in part
    assert 'id="figure-attribution"' in part
    assert page.count('id="figure-attribution"') == 1, "expected the attribution figure once"
    assert_self_contained(page)


def test_an_attribution_folder_is_reported_with_its_table_and_explanation(trial_folder, tmp_path):
    folder = tmp_path / "attribution"
    shutil.copytree(trial_folder, folder)
    shutil.rmtree(folder / "tables")
    (folder / "tables").mkdir()
    for figure in (folder / "figures").glob("*.png"):
        figure.rename(folder / "figures" / "attribution.png")
        break
    for figure in (folder / "figures").glob("*.png"):
        if figure.stem != "attribution":
            figure.unlink()
    pd.DataFrame(
        {"outcome": ["eq5d"], "mechanism": ["navigation"], "contribution": [0.02], "scale": ["d"]}
    ).to_parquet(folder / "tables" / "attribution.parquet", index=False)
    (folder / "attribution.md").write_text("# Mechanism attribution\n\nEach value is a share.\n")
    record = json.loads((folder / "provenance.json").read_text())
    record.update(kind="attribution", mechanisms=["navigation"], held_off=[], subsets=2)
    (folder / "provenance.json").write_text(json.dumps(record))
    page = build_report(folder)
    assert section_ids(page) == ["summary", "attribution", "assumptions", "terms", "provenance"]
    assert "Mechanism attribution" in page and "Each value is a share." in page
    assert 'id="attribution-table"' in page and 'id="figure-attribution"' in page
    assert_self_contained(page)


def test_run_report_describes_a_sim_run_folder(run_folder) -> None:
    page = build_report(run_folder)
    assert section_ids(page) == [
        "summary",
        "figures",
        "methods",
        "assumptions",
        "terms",
        "provenance",
    ]
    assert_self_contained(page)
    assert "Simulation run" in page and "GENIE session" in page
    assert '<table id="results-table">' in page and "EQ-5D-3L utility" in page
    figures = sorted(p.stem for p in (run_folder / "figures").glob("*.png"))
    assert figures and all(f'id="figure-{stem}"' in page for stem in figures)


def test_sim_report_writes_report_html_by_default_and_prints_its_path(trial_folder, capsys):
    target = trial_folder / "report.html"
    target.unlink(missing_ok=True)
    assert main(["report", str(trial_folder)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {target}"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    other = trial_folder.parent / "elsewhere.html"
    assert main(["report", str(trial_folder), "--output", str(other)]) == 0
    assert other.is_file()


@pytest.mark.parametrize("kind", ["missing", "empty", "file", "sweep-like"])
def test_sim_report_rejects_a_bad_folder_with_exit_code_2(tmp_path, capsys, kind) -> None:
    folder = tmp_path / "results"
    if kind == "empty":
        folder.mkdir()
    elif kind == "file":
        folder.write_text("not a folder")
    elif kind == "sweep-like":
        folder.mkdir()
        (folder / "provenance.json").write_text('{"fingerprint": "x"}')
        (folder / "scenario.toml").write_text("")
        (folder / "tables").mkdir()
    before = sorted(tmp_path.rglob("*"))
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder}"), f"expected the path named, got {err!r}"
    assert sorted(tmp_path.rglob("*")) == before, "expected nothing written"


def test_an_output_in_a_missing_folder_is_refused_and_nothing_written(trial_folder, tmp_path):
    target = tmp_path / "no" / "such" / "report.html"
    with pytest.raises(ReportError, match="does not exist"):
        write_report(trial_folder, target)
    assert not (tmp_path / "no").exists()
    assert main(["report", str(trial_folder), "--output", str(target)]) == 2


def test_sim_run_report_writes_the_run_and_its_report_with_the_time_series(tmp_path, capsys):
    code = main(
        ["run", "genie", "--weeks", "2", "--out", str(tmp_path), "--no-progress", "--report"]
    )
    assert code == 0
    out = capsys.readouterr().out
    (folder,) = (tmp_path / "genie").iterdir()
    assert f"report: {folder / 'report.html'}" in out
    assert (folder / "figures" / "timeseries.png").stat().st_size > 10_000
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert '<figure id="figure-timeseries"><img' in page, "expected the time series embedded"
    assert page.index('id="figure-timeseries"') < page.index('id="figure-community_map"')
