"""The training page in headless Chromium: train with a progress bar redrawn while it runs, stop
mid-run (the page says the run is partly trained), and upload bad files (each gets a clear
message)."""

import re
import time

import pytest
from browser_utils import assert_no_exception, open_page, real_errors, screenshot, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# small networks and short sequences, each test its own seed (finished runs are shared)
SMALL = "tr_T_adding=10&tr_hidden=8"
PROGRESS = '[data-testid="stProgress"]'


def url(base: str, query: str = "") -> str:
    return f"{base}/Train_and_compare" + (f"?{query}" if query else "")


def test_the_page_opens_on_recorded_results(app_server, browser_page, console_errors):
    page = open_page(browser_page, url(app_server))
    assert_no_exception(page)
    expect(page.get_by_text("Recorded when the app's trained models were made")).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(3)
    screenshot(page, "train-recorded")
    assert real_errors(console_errors) == []


def test_one_epoch_shows_progress_then_results(app_server, browser_page, console_errors):
    page = open_page(browser_page, url(app_server, f"{SMALL}&tr_seed=21"))
    expect(page.get_by_text("Nothing trained yet")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"\+1 epoch")).click()
    expect(page.locator(PROGRESS)).to_be_visible(timeout=60_000)
    screenshot(page, "train-progress")
    # the progress fragment redraws every second, then the whole page once the run ends
    expect(page.get_by_text(re.compile("Your run after 100 steps"))).to_be_visible(timeout=180_000)
    wait_for_app(page, 60_000)
    assert_no_exception(page)
    expect(page.locator(PROGRESS)).to_have_count(0)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(3)
    expect(page.get_by_text("Nothing trained yet")).to_have_count(0)
    screenshot(page, "train-results")
    assert real_errors(console_errors) == []


def test_stop_interrupts_training_and_keeps_the_progress(app_server, browser_page):
    page = open_page(browser_page, url(app_server, f"{SMALL}&tr_seed=22"))
    page.get_by_role("button", name="▶ Train").click()
    expect(page.get_by_text(re.compile(r"^Training: step \d+"))).to_be_visible(timeout=60_000)
    t0 = time.monotonic()
    page.get_by_role("button", name="■ Stop").click()
    stopped = page.get_by_text(re.compile(r"Stopped at step \d+ of 1000: these numbers are from"))
    expect(stopped).to_be_visible(timeout=30_000)
    assert time.monotonic() - t0 < 30
    wait_for_app(page, 60_000)
    assert_no_exception(page)
    steps = int(re.search(r"Stopped at step (\d+)", stopped.inner_text()).group(1))
    assert 0 < steps < 1000
    screenshot(page, "train-stopped")


BAD_UPLOADS = [
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("one_class.csv", b"text,label\n" + b"so good,pos\n" * 30, "two classes"),
    ("columns.csv", b"review,score\n" + b"so good,1\n" * 30, "text and label"),
]


def test_each_bad_upload_gets_a_clear_message(app_server, browser_page):
    """Three bad files dropped one after the other on the same page: each gets its own message
    and no Train button."""
    page = open_page(
        browser_page, url(app_server, "tr_task=sentiment&tr_data_reviews=your+own+CSV")
    )
    for name, data, message in BAD_UPLOADS:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
        )
        alert = page.locator('[data-testid="stAlertContainer"]').filter(has_text="cannot be used")
        expect(alert).to_contain_text(message, timeout=60_000)
        wait_for_app(page)
        assert_no_exception(page)
        expect(page.get_by_role("button", name="▶ Train")).to_have_count(0)
        screenshot(page, f"train-upload-{name.split('.')[0]}")
