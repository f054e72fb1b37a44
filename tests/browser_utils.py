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
# placeholders shown while a lazily loaded widget bundle (checkbox, plotly ...) arrives
SKELETON = '[data-testid="stSkeleton"]'


# Opening a page's URL directly (http://host/Page_name) makes Streamlit's frontend probe each
# possible base path, longest first: /Page_name/_stcore/health and .../host-config answer 404
# before it settles on the root. Chromium logs each 404 as a console error; they are expected.
BASE_PATH_PROBE = re.compile(
    r"status of 404 \(Not Found\) \(https?://[^/]+/[^)]+/_stcore/(health|host-config)\)$"
)


def real_errors(console_errors: list[str]) -> list[str]:
    """Console errors minus Streamlit's expected base-path probes (see BASE_PATH_PROBE)."""
    return [e for e in console_errors if not BASE_PATH_PROBE.search(e)]


def wait_for_app(page: Page, timeout_ms: int = 60_000) -> None:
    """Block until the app is connected, its script run has finished and every element drew."""
    page.wait_for_selector(APP, timeout=timeout_ms)
    page.wait_for_selector(CONNECTED, timeout=timeout_ms)
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
