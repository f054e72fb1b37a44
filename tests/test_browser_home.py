"""The real app in headless Chromium: Home and every page load cleanly."""

from pathlib import Path

import pytest
from browser_utils import assert_no_exception, open_page, real_errors, screenshot

pytestmark = pytest.mark.browser

PAGES = sorted((Path(__file__).resolve().parent.parent / "pages").glob("*.py"))


def page_url(base_url: str, path: Path) -> str:
    """Streamlit's URL for a pages/ file: the name without its number prefix and extension."""
    number, _, title = path.stem.partition("_")
    return f"{base_url}/{title if number.isdigit() and title else path.stem}"


def test_home_loads_cleanly(app_server, browser_page, console_errors):
    open_page(browser_page, app_server)
    assert_no_exception(browser_page)
    assert browser_page.get_by_role("heading", name="Unrolled").first.is_visible()
    screenshot(browser_page, "home")
    assert console_errors == []


def test_every_page_loads_cleanly(app_server, browser_page, console_errors):
    # one test looping over whatever pages exist, so an empty pages/ is not an error
    failures = {}
    for path in PAGES:
        console_errors.clear()
        open_page(browser_page, page_url(app_server, path))
        screenshot(browser_page, f"page-{path.stem}")
        try:
            assert_no_exception(browser_page)
            assert real_errors(console_errors) == []
        except AssertionError as error:
            failures[path.name] = str(error)
    assert not failures, "\n\n".join(f"{name}: {error}" for name, error in failures.items())
