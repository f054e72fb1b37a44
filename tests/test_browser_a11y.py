"""axe-core (Deque's rule engine, npm ``axe-core`` pinned in package-lock.json, installed by
``make test``) audits every page of the served app against WCAG 2.1 A/AA and best practice, and
fails on any critical or serious violation of the app's own.

The framework's own violations are told apart by a baseline: a bare Streamlit page
(tests/a11y_bare/bare_app.py: the elements this app uses, plainly, with Streamlit's default dark
theme) audited the same way. FRAMEWORK lists exactly which rule on which nodes is excluded from
the app's audit and why; each entry must also show up on the bare page, so an exclusion that no
longer matches anything the framework does fails the test instead of hiding the app's own.
"""

import re
import shutil
import subprocess
import sys
import time

import pytest
from browser_utils import assert_no_exception, open_page, real_errors, screenshot
from conftest import HEALTH_TIMEOUT_S, REPO, free_port, healthy, stop
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING = {"critical", "serious"}
ALSO_FAILING = {"heading-order"}  # moderate, but fixed once (h1 -> h4, h1 -> h3): keep it so
PAGES = ["", *(re.sub(r"^\d+_", "", p.stem) for p in sorted((REPO / "pages").glob("*.py")))]
LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# (rule id, a regex on the node's CSS target or HTML, why it is the framework's). Empty: on the
# bare page axe-core 4.14 finds nothing critical or serious of Streamlit 1.67's or plotly's own
# that the app's pages show (see test_the_bare_page_shows_every_exclusion).
FRAMEWORK: list[tuple[str, str, str]] = []


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now, one dict per node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        TAGS,
    )
    return [
        dict(rule=v["id"], impact=v["impact"], target=" ".join(map(str, n["target"])),
             html=n["html"][:200], why=n["failureSummary"][:300])
        for v in result["violations"]
        for n in v["nodes"]
    ]  # fmt: skip


def framework_entry(node: dict) -> tuple | None:
    """The FRAMEWORK entry that excuses this node, if any."""
    for entry in FRAMEWORK:
        rule, where, _ = entry
        if node["rule"] == rule and re.search(where, node["target"] + " " + node["html"]):
            return entry
    return None


def failing(nodes: list[dict]) -> list[dict]:
    return [n for n in nodes if n["impact"] in FAILING or n["rule"] in ALSO_FAILING]


def report(nodes: list[dict]) -> str:
    return "\n".join(f"{n['impact']} {n['rule']}: {n['target']}\n  {n['why']}" for n in nodes)


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


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "Home")
def test_no_serious_violation_of_the_apps_own(app_server, browser_page, console_errors, path):
    """Every page loads cleanly (no exception, no console error) and has no serious
    violation of its own."""
    browser_page.set_viewport_size(LAPTOP)
    page = open_page(browser_page, f"{app_server}/{path}", timeout_ms=180_000)
    assert_no_exception(page)
    screenshot(page, f"page-{path or 'Home'}")
    assert real_errors(console_errors) == []
    tables = page.locator('[data-testid="stExpander"] summary').filter(
        has_text="Numbers as a table"
    )
    if tables.count():  # audit one chart's table open too
        tables.first.click()
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=30_000)
    own = [n for n in failing(audit(page)) if framework_entry(n) is None]
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
