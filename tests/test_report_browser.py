"""Reports looked at in headless Chromium, offline: every figure shows, every table is filled.

Each report is opened from disk with every request that is not ``file:`` or ``data:`` blocked (and
recorded: there must be none). Every image must decode, every table of the report must have its
rows, and, printed at A4 width, no figure may shrink below 80% of its drawn size (figures are
drawn at most 7.5 inches wide with text of 10 points or more, so their text stays at 8 points or
more on paper). A screenshot of each page is saved next to it for a person to look at.
Needs Debian's Chromium at ``/usr/bin/chromium`` (or ``$SIM_CHROMIUM``); see the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from sim.compare.run_comparison import timed_comparison, write_comparison
from sim.compare.spec import build_comparison
from sim.config.scenario import load_scenario
from sim.report import write_report
from tests.report_checks import assert_plain

CHROMIUM = os.environ.get("SIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
#: Pixels per inch of the figures (savefig dpi) and of CSS.
FIGURE_DPI, CSS_DPI = 150, 96
#: A4 width less 12.7 mm margins each side, in CSS pixels.
A4_CONTENT_PX = int((210 - 2 * 12.7) / 25.4 * CSS_DPI)


def short(name: str):
    return load_scenario(SCENARIOS / f"{name}.toml").with_overrides(
        {"trial.outcome_week": 6, "trial.batch_size": 2}
    )


@pytest.fixture(scope="module")
def compare_report(tmp_path_factory) -> Path:
    comparison = build_comparison(
        short("usual_care"),
        [
            (short("bright"), "BRIGHT"),
            (short("bright_guidebook_only"), None),
            (short("genie"), None),
        ],
    )
    results, wall = timed_comparison(comparison, replicates=2, workers=1, seed=4)
    folder = write_comparison(results, tmp_path_factory.mktemp("compare"), wall)
    return write_report(folder)


@pytest.fixture(scope="module")
def trial_and_run_reports(tmp_path_factory) -> list[Path]:
    from sim.io.run_command import run_scenario
    from sim.trial.results import timed_trial, write_trial

    out = tmp_path_factory.mktemp("reports")
    results, wall = timed_trial(short("bright"), replicates=2, workers=1)
    trial = write_trial(results, short("bright"), out, wall)
    run = run_scenario(
        short("genie").with_overrides({"population.n_practices": 2, "run.weeks": 3}),
        out,
        progress=False,
    )
    return [write_report(trial), write_report(run)]


def open_offline(page: Page, path: Path) -> list[str]:
    """Open a page from disk, blocking (and returning) any other request."""
    blocked: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return blocked


def figure_checks(page: Page) -> list[dict]:
    return page.eval_on_selector_all(
        "figure img",
        """images => images.map(i => ({
            id: i.closest('figure').id, complete: i.complete, natural: i.naturalWidth,
            shown: i.getBoundingClientRect().width}))""",
    )


def table_rows(page: Page, ident: str) -> int:
    return page.eval_on_selector(f"#{ident}", "t => t.tBodies[0].rows.length")


def test_the_comparison_report_shows_every_figure_and_table_offline(compare_report) -> None:
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: see the README"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            blocked = open_offline(page, compare_report)
            page.screenshot(path=compare_report.with_suffix(".png"), full_page=True)
            figures = figure_checks(page)
            assert sorted(f["id"] for f in figures) == [
                "figure-acceptability",
                "figure-budget",
                "figure-ce_plane",
                "figure-effects",
                "figure-trajectories",
            ]
            assert all(f["complete"] and f["natural"] > 500 for f in figures), figures
            assert table_rows(page, "league-table") == 4, "expected usual care and 3 options"
            assert table_rows(page, "effects-table") == 3
            assert table_rows(page, "spread-table") == 3
            assert table_rows(page, "frontier-table") == 4
            assert table_rows(page, "budget-table") == 3
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
            assert headings[0] == "Summary" and "Terms used" in headings
            assert_plain(compare_report.read_text(encoding="utf-8"))
            assert not blocked and not errors, (blocked, errors)

            assert_readable_at_a4(page)
        finally:
            browser.close()


def assert_readable_at_a4(page: Page) -> None:
    """Printed at A4 width, no figure shrinks below 80% of its drawn size."""
    page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1100})
    page.emulate_media(media="print")
    for f in figure_checks(page):
        drawn = f["natural"] / FIGURE_DPI * CSS_DPI
        assert f["shown"] / drawn >= 0.8, f"{f['id']} is too small to read at A4 width"


def test_trial_and_run_reports_show_every_figure_readable_at_a4(trial_and_run_reports) -> None:
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: see the README"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for report in trial_and_run_reports:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                blocked = open_offline(page, report)
                page.screenshot(path=report.with_suffix(".png"), full_page=True)
                figures = figure_checks(page)
                expected = sorted(p.stem for p in (report.parent / "figures").glob("*.png"))
                assert sorted(f["id"].removeprefix("figure-") for f in figures) == expected
                assert all(f["complete"] and f["natural"] > 500 for f in figures), figures
                assert not blocked, blocked
                assert_readable_at_a4(page)
                page.close()
        finally:
            browser.close()
