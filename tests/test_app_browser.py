"""The teaching app in a real browser: serve it, move a slider, reset, step, see the page change.

Starts ``solara run sim.app.app`` (the command ``sim app`` runs) on a free loopback port, drives
Debian's Chromium headless through Playwright, and saves a screenshot to the test's tmp folder
(and to ``$SIM_APP_SCREENSHOT`` when set, e.g. ``SIM_APP_SCREENSHOT=/tmp/app.png``). Needs
``/usr/bin/chromium`` (or ``$SIM_CHROMIUM``) and, once, npm to fetch the page's front end: see
the README's "Teaching app" section. The server is stopped whatever happens.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sim.app.assets import ensure_front_end
from sim.app.server import server_command, server_environment

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
#: Rendering both figures takes a second or two on a busy 2-core machine.
PAGE_TIMEOUT_MS = 45_000
expect.set_options(timeout=PAGE_TIMEOUT_MS)


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
    """Serve the app on a free loopback port; stop the server at the end, whatever happens."""
    ensure_front_end(quiet=True)
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


def _image_sources(page: Page) -> list[str]:
    """The data of every figure on the page (Solara sends matplotlib figures as images)."""
    return page.eval_on_selector_all("img", "images => images.map(i => i.src)")


def _click_slider(page: Page, label: str, fraction: float) -> None:
    """Click a labelled slider's track at ``fraction`` of its width, as a teacher would."""
    slider = page.locator(".v-input", has_text=label).locator(".v-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None, f"the slider {label!r} is not visible"
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)


def test_app_page_changes_when_a_slider_is_moved_and_the_model_stepped(
    app_url: str, tmp_path: Path
) -> None:
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium; "
        "see the README) or set SIM_CHROMIUM"
    )
    failed_assets: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.on(
                "response",
                lambda r: (
                    "/_solara/cdn/" in r.url and r.status >= 400 and failed_assets.append(r.url)
                ),
            )
            page.goto(app_url)
            week = page.locator("#week")
            expect(week).to_have_text("Week 0 of 104")
            expect(page.locator("#changed")).to_contain_text("none")
            _click_slider(page, "Group joining", 0.8)
            page.get_by_role("button", name="Reset").click()
            expect(page.locator("#changed")).to_contain_text("Group joining")
            expect(week).to_have_text("Week 0 of 104")
            page.wait_for_function("document.querySelectorAll('img').length >= 2")
            before = _image_sources(page)

            page.get_by_role("button", name="Step").click()
            expect(week).to_have_text("Week 1 of 104")
            page.wait_for_function(
                "before => Array.from(document.querySelectorAll('img')).every("
                "(img, i) => img.src !== before[i])",
                arg=before,
            )
            after = _image_sources(page)
            page.set_viewport_size({"width": 1600, "height": 1900})  # the whole page
            page.wait_for_timeout(500)
            page.screenshot(path=tmp_path / "app.png")
        finally:
            browser.close()
    assert len(after) == len(before) >= 2, "expected the community maps and the trend plots"
    assert all(a != b for a, b in zip(after, before, strict=True)), "every figure should redraw"
    assert not failed_assets, f"front-end files missing from the asset cache: {failed_assets}"
    if os.environ.get("SIM_APP_SCREENSHOT"):
        shutil.copy(tmp_path / "app.png", os.environ["SIM_APP_SCREENSHOT"])
