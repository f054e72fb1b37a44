"""Accessibility in headless Chromium, audited by axe-core (tests/axe_audit.py): the pinned
axe-core, the bare-page baseline that keeps the framework's exclusions honest, and what an audit
of a page alone cannot see (charts named by their description, wide equations reachable by
keyboard on a phone, typed emoji drawn as code points).

Every page of the layout test is audited where it is opened for its layout
(test_browser_layout.py::test_no_serious_violation_of_the_apps_own, one page load for both); the
pages that test does not lay out are audited here.
"""

import re
import shutil
import subprocess
import sys
import time

import pytest
from axe_audit import AXE, FRAMEWORK, audit, framework_entry, open_a_table, own_failures, report
from browser_utils import LAID_OUT, assert_no_exception, open_page, real_errors, screenshot
from conftest import HEALTH_TIMEOUT_S, REPO, free_port, healthy, stop
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [re.sub(r"^\d+_", "", p.stem) for p in sorted((REPO / "pages").glob("*.py"))]
NOT_LAID_OUT = [p for p in PAGES if p not in LAID_OUT.values()]
LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    """The bare page served from a folder of its own: no .streamlit/config.toml, no app code."""
    folder = tmp_path_factory.mktemp("bare")
    shutil.copy(REPO / "tests" / "a11y_bare" / "bare_app.py", folder / "bare_app.py")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "bare_app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--theme.base", "dark",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while not healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"the bare page did not start:\n{(folder / 'server.log').read_text()}")
        time.sleep(0.25)
    yield base_url
    stop(process)
    log.close()


def test_axe_core_is_the_pinned_one(browser_page):
    assert AXE.exists(), "axe-core is missing: `make test` installs it (npm ci)"
    browser_page.add_script_tag(path=str(AXE))
    assert browser_page.evaluate("axe.version") == "4.14.1"


def test_the_bare_page_shows_every_exclusion(bare_server, browser_page):
    browser_page.set_viewport_size(LAPTOP)
    open_page(browser_page, bare_server, timeout_ms=180_000)
    nodes = audit(browser_page)
    screenshot(browser_page, "a11y-bare-page")
    seen = {framework_entry(n) for n in nodes} - {None}
    assert seen == set(FRAMEWORK), f"stale exclusions: {set(FRAMEWORK) - seen}"


def test_every_page_is_audited():
    assert sorted(NOT_LAID_OUT) == ["Flashcards_and_quiz"]  # the layout test audits the rest
    assert set(LAID_OUT.values()) - {""} <= set(PAGES)


@pytest.mark.parametrize("path", NOT_LAID_OUT)
def test_no_serious_violation_of_the_apps_own(app_server, browser_page, console_errors, path):
    """The page loads cleanly (no exception, no console error) and has no serious violation of
    its own."""
    browser_page.set_viewport_size(LAPTOP)
    page = open_page(browser_page, f"{app_server}/{path}", timeout_ms=180_000)
    assert_no_exception(page)
    screenshot(page, f"page-{path}")
    assert real_errors(console_errors) == []
    open_a_table(page)
    own = own_failures(audit(page))
    assert own == [], f"/{path}: the app's own violations:\n{report(own)}"


def test_every_chart_is_named_by_its_description(app_server, browser_page):
    page = open_page(browser_page, f"{app_server}/LSTM_gates", timeout_ms=180_000)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() >= 3
    # two modebar buttons a chart (PNG, reset), not plotly's eight Tab stops
    buttons = page.locator(
        '[data-testid="stPlotlyChart"] .modebar button, '
        '[data-testid="stPlotlyChart"] .modebar a.modebar-btn'
    )
    assert buttons.count() == 2 * charts.count()
    for k in range(charts.count()):
        assert charts.nth(k).get_attribute("role") == "figure"
        label = charts.nth(k).get_attribute("aria-label") or ""
        assert len(label) > 40 and re.search(r"\d", label), f"chart {k}: {label!r}"


def test_wide_equations_are_focusable_on_a_phone(app_server, browser_page):
    browser_page.set_viewport_size(PHONE)
    page = open_page(browser_page, f"{app_server}/Gradients_through_time", timeout_ms=180_000)
    equations = page.locator(".katex-display")
    expect(equations.first).to_be_attached()
    wide = page.evaluate(
        "[...document.querySelectorAll('.katex-display')].filter(e => e.scrollWidth > "
        "e.clientWidth + 1).map(e => e.tabIndex)"
    )
    assert wide and all(k == 0 for k in wide), wide  # a phone: several overflow, each a Tab stop
    scrollable = [n for n in audit(page) if n["rule"] == "scrollable-region-focusable"]
    assert scrollable == [], report(scrollable)
    screenshot(page, "a11y-gradients-phone")


def test_typed_emoji_are_drawn_as_code_points(app_server, browser_page):
    page = open_page(browser_page, f"{app_server}/Unrolled_RNN?text=hi+%F0%9F%98%80+there&t=4")
    assert_no_exception(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator("text", has_text="U+1F600").first).to_be_attached(timeout=30_000)
    assert "😀" not in chart.inner_html()
