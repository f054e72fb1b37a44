"""Helpers for browser tests: open a Streamlit page, wait for its script run, check, capture."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-results" / "screenshots"

APP = '[data-testid="stApp"]'
# stApp carries the websocket and script-run state as data attributes
CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
STATUS = '[data-testid="stStatusWidget"]'
EXCEPTION = '[data-testid="stException"]'
# the pages the layout test opens at each size (name -> path), auditing each for accessibility
# on the same load (test_browser_layout.py); the accessibility test audits the others
LAID_OUT = {
    "Home": "",
    "Unrolled_RNN": "Unrolled_RNN",
    "LSTM_gates": "LSTM_gates",
    "GRU_gates": "GRU_gates",
    "Gradients_through_time": "Gradients_through_time",
    "Compare_cells": "Compare_cells",
    "Train_and_compare": "Train_and_compare",
    "Bidirectional_RNN": "Bidirectional_RNN",
    "Sentiment_pipeline": "Sentiment_pipeline",
    "Sequence_to_sequence": "Sequence_to_sequence",
}

# placeholders shown while a lazily loaded widget bundle (checkbox, plotly ...) arrives
SKELETON = '[data-testid="stSkeleton"]'


# Opening a page's URL directly (http://host/Page_name) makes Streamlit's frontend probe each
# possible base path, longest first: /Page_name/_stcore/health and .../host-config answer 404
# before it settles on the root. Chromium logs each 404 as a console error; they are expected.
BASE_PATH_PROBE = re.compile(
    r"status of 404 \(Not Found\) \(https?://[^/]+/[^)]+/_stcore/(health|host-config)\)$"
)


def collect_errors(page: Page, errors: list[str]) -> list[str]:
    """Append the page's console errors and uncaught errors to ``errors`` as they happen."""

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


def real_errors(console_errors: list[str]) -> list[str]:
    """Console errors minus Streamlit's expected base-path probes (see BASE_PATH_PROBE)."""
    return [e for e in console_errors if not BASE_PATH_PROBE.search(e)]


# the screen reporter (explainer/ui/screen.py) marks <html> "no" from a size report until the
# run it started has drawn: until then a rerun is on its way
SCREEN_KNOWN = """() => !document.querySelector('.st-key-viewport')
  || document.documentElement.dataset.screenKnown === 'yes'"""


def wait_for_app(page: Page, timeout_ms: int = 60_000) -> None:
    """Block until the app is connected, its script run has finished, the server knows the
    screen's size (no rerun on its way) and every element drew."""
    page.wait_for_selector(APP, timeout=timeout_ms)
    page.wait_for_selector(CONNECTED, timeout=timeout_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_function(SCREEN_KNOWN, timeout=timeout_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    # the "Running..." status widget lingers for a moment after the run ends
    expect(page.locator(STATUS)).to_be_hidden(timeout=timeout_ms)
    # a finished run can still show skeletons until lazy widget code has loaded
    expect(page.locator(SKELETON)).to_have_count(0, timeout=timeout_ms)


def open_page(page: Page, url: str, timeout_ms: int = 60_000) -> Page:
    """Go to `url` and wait until Streamlit has finished running the page's script."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)
    return page


def assert_no_exception(page: Page) -> None:
    """No Streamlit exception box anywhere in the page."""
    boxes = page.locator(EXCEPTION)
    count = boxes.count()
    details = "\n---\n".join(boxes.nth(i).inner_text() for i in range(count))
    assert count == 0, f"{count} exception(s) shown in the app:\n{details}"


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """Save a PNG to test-results/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# the page's time cursor (explainer/ui/player.py): its counter, and the step every animated
# chart has drawn, found by matching the chart's traces and shapes against each of its frames
CURSOR_COUNT = ".ur-count"
DRAWN_STEPS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._transitionData && (gd._transitionData._frames || []).length)
  .map(gd => {
    const value = v => v == null ? null
      : (typeof v === 'object' && 'bdata' in v) ? v.bdata : JSON.stringify(Array.from(v));
    const steps = [];
    gd._transitionData._frames.forEach((frame, k) => {
      let same = true;
      (frame.data || []).forEach((d, i) => {
        const trace = gd.data[(frame.traces || [])[i] ?? i];
        for (const key of ['x', 'y', 'text']) {
          if (key in d && value(d[key]) !== value(trace[key])) same = false;
        }
      });
      ((frame.layout || {}).shapes || []).forEach((s, i) => {
        if (s.x0 !== undefined && s.x0 !== gd.layout.shapes[i].x0) same = false;
      });
      if (same) steps.push(k + 1);
    });
    return steps;
  })"""


def cursor_step(page: Page) -> tuple[int, int]:
    """(t, T) as the time cursor's counter shows them: "t = 12 / 40"."""
    text = page.locator(CURSOR_COUNT).inner_text()
    match = re.fullmatch(r"t = (\d+) / (\d+)", text.strip())
    assert match, text
    return int(match[1]), int(match[2])


def drawn_steps(page: Page) -> list[list[int]]:
    """For each animated chart, the steps whose frame matches what it shows (one, if drawn)."""
    return page.evaluate(DRAWN_STEPS)


def url_step(page: Page) -> int | None:
    found = re.search(r"[?&]t=(\d+)", page.url)
    return int(found[1]) if found else None


def press_play(page: Page) -> None:
    page.get_by_role("button", name="Play", exact=True).click()


def press_pause(page: Page) -> None:
    """Pause the time cursor, unless playback already reached the last step and stopped."""
    button = page.get_by_role("button", name="Pause", exact=True)
    if button.count():
        button.click()
