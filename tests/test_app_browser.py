"""The teaching app in a real browser, as a class would see it on a 1024x768 projector.

Starts ``solara run sim.app.app`` (the command ``sim app`` runs) on a free loopback port, drives
Debian's Chromium headless through Playwright, and checks what the issue "fit for a classroom
projector" asks: every text at least 14 CSS pixels, maps and trends on screen without scrolling,
controls and charts apart (and Solara's badge over nothing), slider values in view, the week-0
table agreeing with the maps, a step of both arms in at most 0.3 s (median of 10), Reset saying
what it changed, and every lesson scene running. Screenshots at 1024x768 and 1920x1080 are saved
in the test's tmp folder (and copied to ``$SIM_APP_SCREENSHOTS``, a folder, when set). Needs
``/usr/bin/chromium`` (or ``$SIM_CHROMIUM``) and, once, npm to fetch the page's front end: see the
README's "Teaching app" section. The server is stopped whatever happens.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sim.app.assets import ensure_front_end
from sim.app.lessons import SCENES
from sim.app.server import server_command, server_environment
from sim.model.precompile import compile_kernels

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("SIM_CHROMIUM", "/usr/bin/chromium")
#: Chromium flags for a headless run as root on a closed network (without the
#: background-networking flags Chromium stalls trying to reach its update services).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_S = 90
PAGE_TIMEOUT_MS = 45_000
expect.set_options(timeout=PAGE_TIMEOUT_MS)
PROJECTOR = {"width": 1024, "height": 768}
#: Smallest text allowed, CSS pixels; longest median step of both arms allowed, seconds.
MIN_FONT_PX, MAX_STEP_S = 14.0, 0.3

#: Every visible text node whose computed font size is below the minimum.
SMALL_TEXT_JS = """min => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('script,style,noscript')) continue;
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    const size = parseFloat(style.fontSize);
    if (size < min) small.push(size + 'px: ' + node.textContent.trim().slice(0, 60));
  }
  return small;
}"""
#: The texts of the maps' row headers, e.g. [["Usual care", "mean 0.39"], ...].
ROW_HEADERS_JS = """() => Array.from(document.querySelectorAll('#maps text'))
  .map(t => Array.from(t.querySelectorAll('tspan')).map(s => s.textContent))
  .filter(lines => lines.length == 2 && lines[1].startsWith('mean '))"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the app server exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the app server did not answer at {url} within {SERVER_START_S} s")


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """Serve the app on a free loopback port; stop the server at the end, whatever happens.

    The model's kernels are compiled (or loaded) here first, so the server's first page does not
    wait for numba (about half a minute with a cold cache, longer with the other test worker busy).
    """
    ensure_front_end(quiet=True)
    compile_kernels()
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            server_command("127.0.0.1", port),
            env=server_environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_until_up(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def _drawn(page: Page, week: int) -> None:
    """Wait until the page shows ``week`` and both charts have drawn it."""
    expect(page.locator("#week")).to_have_text(re.compile(rf"^Week {week} of \d+$"))
    page.wait_for_function(
        "week => ['maps', 'trends'].every("
        "id => document.getElementById(id)?.dataset.week === String(week))",
        arg=week,
    )


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _check_layout(page: Page) -> None:
    """Text size, nothing overlapping, maps and trends in view without scrolling."""
    small = page.evaluate(SMALL_TEXT_JS, MIN_FONT_PX)
    assert not small, f"text below {MIN_FONT_PX} px: {small}"
    boxes = {name: _box(page, f".sim-{name}, #{name}") for name in ("sidebar", "maps", "trends")}
    badge = page.get_by_text("This website runs on Solara")
    if badge.count() and badge.first.is_visible():
        boxes["badge"] = badge.first.bounding_box()
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not _overlap(boxes[a], boxes[b]), f"{a} overlaps {b}: {boxes[a]} {boxes[b]}"
    for name in ("maps", "trends"):
        box = boxes[name]
        assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], (
            f"the {name} need scrolling at {PROJECTOR}: {box}"
        )
        assert box["x"] + box["width"] <= PROJECTOR["width"], f"the {name} are cut off: {box}"


def _check_sliders_show_values(page: Page) -> None:
    """Every slider has its label with its value (and unit) in view above it."""
    controls = page.locator(".sim-sidebar .sim-control:has(.v-slider)")
    assert controls.count() >= 9, "expected uptake, mechanism and seed sliders"
    for i in range(controls.count()):
        label = controls.nth(i).locator(".sim-value")
        label.scroll_into_view_if_needed()
        assert label.is_visible()
        assert re.search(r": \S+", label.inner_text()), f"no value in {label.inner_text()!r}"


def _check_week_0(page: Page) -> None:
    """The table, the maps' row headers and the trend titles show the same week-0 state."""
    table = {
        arm: float(page.locator(f"#table-knowledge_clinical-{arm}").inner_text())
        for arm in ("usual_care", "intervention")
    }
    headers = dict(page.evaluate(ROW_HEADERS_JS))
    shown = {
        arm: float(headers[label].removeprefix("mean "))
        for arm, label in (("usual_care", "Usual care"), ("intervention", "Intervention"))
    }
    for arm in table:
        assert round(table[arm], 2) == shown[arm], f"{arm}: table {table[arm]}, maps {shown[arm]}"
    assert table["intervention"] > table["usual_care"], "recruitment's guidebook shows at week 0"
    gap = f"now {table['intervention'] - table['usual_care']:+.2f}"
    expect(page.locator("#trends")).to_contain_text(gap)
    expect(page.locator("#recruitment")).to_contain_text("At recruitment (week 0)")
    expect(page.locator("#recruitment")).to_contain_text(
        f"clinical knowledge rose from {table['usual_care']:.2f}"
    )


#: Press Step and resolve with the milliseconds until the week and both charts show the next week
#: (timed in the page, from the click to the last change of the page, by a MutationObserver).
STEP_JS = """week => new Promise(resolve => {
  const drawn = () => document.getElementById('week').textContent === `Week ${week} of 104`
    && ['maps', 'trends'].every(id => document.getElementById(id).dataset.week === String(week));
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (drawn()) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                   characterData: true});
  Array.from(document.querySelectorAll('button'))
    .find(b => b.textContent.trim() === 'Step').click();
})"""


def _median_step_s(page: Page, steps: int = 10) -> float:
    """Median seconds from pressing Step until the week and both charts show the next week."""
    times = []
    for _ in range(steps):
        week = _week(page)
        times.append(page.evaluate(STEP_JS, week + 1) / 1000)
        _drawn(page, week + 1)
    return statistics.median(times)


def _week(page: Page) -> int:
    return int(page.locator("#week").inner_text().split()[1])


def _check_play_and_pause(page: Page) -> None:
    """Play runs week after week, redrawing; Pause stops it."""
    start = _week(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "week => Number(document.getElementById('maps').dataset.week) >= week", arg=start + 3
    )
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    paused = _week(page)
    page.wait_for_timeout(800)  # a week being stepped when Pause was pressed may still show
    stopped = _week(page)
    page.wait_for_timeout(800)
    assert _week(page) == stopped <= paused + 1, "Pause should stop the weeks"
    _drawn(page, stopped)


def _check_colour_choice_applies_at_once(page: Page) -> None:
    """Choosing another state recolours the maps at once (the chart is embedded again)."""
    page.locator(".sim-sidebar .v-select").click()
    page.locator(".v-menu__content .v-list-item", has_text="Loneliness").click()
    expect(page.locator("#maps")).to_contain_text("Patient: loneliness")
    page.locator(".sim-sidebar .v-select").click()
    page.locator(".v-menu__content .v-list-item", has_text="Clinical knowledge").click()
    expect(page.locator("#maps")).to_contain_text("Patient: clinical knowledge")


def _slider_to(page: Page, label: str, fraction: float) -> None:
    """Click a labelled slider's track at ``fraction`` of its width, as a teacher would."""
    slider = page.locator(".sim-sidebar .sim-control", has_text=label).locator(".v-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None, f"the slider {label!r} is not visible"
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)


def _screenshots(page: Page, folder: Path, name: str) -> None:
    for width, height in ((1024, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(700)
        page.screenshot(path=folder / f"{name}-{width}x{height}.png")
    page.set_viewport_size(PROJECTOR)


def test_app_reads_well_on_a_projector_and_steps_fast(app_url: str, tmp_path: Path) -> None:
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium; "
        "see the README) or set SIM_CHROMIUM"
    )
    failed_assets: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PROJECTOR)
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.on(
                "response",
                lambda r: (
                    "/_solara/cdn/" in r.url and r.status >= 400 and failed_assets.append(r.url)
                ),
            )
            page.goto(app_url)
            _drawn(page, 0)
            _check_layout(page)
            _check_week_0(page)
            _screenshots(page, tmp_path, "week0")
            _check_sliders_show_values(page)
            _check_colour_choice_applies_at_once(page)

            _slider_to(page, "Group joining", 0.8)
            expect(page.locator(".sim-pending")).to_contain_text(
                "Press Reset to apply: Group joining"
            )
            page.get_by_role("button", name="Reset", exact=True).click()
            expect(page.locator(".sim-applied")).to_contain_text("Group joining: 0.012 →")
            expect(page.locator("#changed")).to_contain_text("Group joining")
            _drawn(page, 0)

            median = _median_step_s(page)
            print(f"median step of both arms in the browser: {median:.3f} s")
            _check_play_and_pause(page)
            _check_layout(page)
            _screenshots(page, tmp_path, "week10")

            for scene in SCENES:
                page.get_by_role("button", name=scene.title, exact=True).click()
                expect(page.locator("#notice")).to_contain_text("Notice:")
                expect(page.locator(".sim-applied")).to_contain_text(scene.title)
                week = int(
                    re.search(r"run to week (\d+)", page.locator(".sim-applied").inner_text())[1]
                )
                _drawn(page, week)
            _check_layout(page)
            _screenshots(page, tmp_path, "scene")
        finally:
            browser.close()
    assert not failed_assets, f"front-end files missing from the asset cache: {failed_assets}"
    assert median <= MAX_STEP_S, f"a step of both arms took {median:.3f} s (median of 10)"
    if os.environ.get("SIM_APP_SCREENSHOTS"):
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, Path(os.environ["SIM_APP_SCREENSHOTS"]) / png.name)
