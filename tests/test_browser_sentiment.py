"""The sentiment page in headless Chromium: clean load, Play animates the verdict, a deep link
restores the review, bad input gets a message."""

from urllib.parse import quote

import pytest
from browser_utils import assert_no_exception, open_page, press_play, real_errors, screenshot

pytestmark = pytest.mark.browser

URL = "Sentiment_pipeline"
# the verdict chart's cursor dot (trace 2) as the browser drew it
DOT = "() => document.querySelectorAll('.js-plotly-plot')[0]._fullData[2].x[0]"


def test_loads_cleanly_with_four_charts_and_play_moves_the_verdict_dot(
    app_server, browser_page, console_errors
):
    open_page(browser_page, f"{app_server}/{URL}?t=1")
    assert_no_exception(browser_page)
    assert browser_page.locator(".js-plotly-plot").count() == 4
    screenshot(browser_page, "sentiment-t1")
    assert browser_page.evaluate(DOT) == 1
    chart = browser_page.locator(".js-plotly-plot").nth(0)
    chart.scroll_into_view_if_needed()
    press_play(browser_page)  # the page's time cursor
    browser_page.wait_for_function(f"() => ({DOT[6:]}) > 3", timeout=20_000)
    assert real_errors(console_errors) == []


def test_deep_link_restores_the_review(app_server, browser_page, console_errors):
    open_page(browser_page, f"{app_server}/{URL}?review={quote('a dull silly film')}&t=2")
    assert_no_exception(browser_page)
    assert "After word 2 ('dull')" in browser_page.inner_text("body")
    assert real_errors(console_errors) == []


def test_only_unknown_words_get_a_message(app_server, browser_page, console_errors):
    open_page(browser_page, f"{app_server}/{URL}?review={quote('zebra quux')}")
    assert_no_exception(browser_page)
    assert "None of these words is in the model's vocabulary" in browser_page.inner_text("body")
    assert real_errors(console_errors) == []
