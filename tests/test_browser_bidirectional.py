"""The bidirectional page in headless Chromium: clean load, Play animates the chains, a deep
link restores the scene."""

from urllib.parse import quote

import pytest
from browser_utils import assert_no_exception, open_page, press_play, real_errors, screenshot

pytestmark = pytest.mark.browser

URL = "Bidirectional_RNN"
# the left edge of the first outline and the joined-state bars, as the browser drew them
STATE = """() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];
    const bars = gd._fullData.find(d => d.type === 'bar');
    return {x0: gd._fullLayout.shapes[0].x0, bars: Array.from(bars.x)}; }"""


def test_loads_cleanly_and_play_moves_the_outline_and_the_joined_state(
    app_server, browser_page, console_errors
):
    open_page(browser_page, f"{app_server}/{URL}")
    assert_no_exception(browser_page)
    assert browser_page.locator(".js-plotly-plot").count() == 3
    screenshot(browser_page, "bidirectional-defaults")
    before = browser_page.evaluate(STATE)
    assert before["x0"] == 4.5  # opens at t = 5
    chart = browser_page.locator(".js-plotly-plot").nth(0)
    chart.scroll_into_view_if_needed()
    press_play(browser_page)  # the page's time cursor
    browser_page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.shapes[0].x0 > 7",
        timeout=20_000,
    )
    after = browser_page.evaluate(STATE)
    assert after["bars"] != before["bars"]
    assert real_errors(console_errors) == []


def test_deep_link_restores_cell_string_and_step(app_server, browser_page, console_errors):
    query = f"cell=lstm&string={quote('ab) cd')}&t=2"
    open_page(browser_page, f"{app_server}/{URL}?{query}")
    assert_no_exception(browser_page)
    assert "Step t = 2, character 'b'" in browser_page.inner_text("body")
    assert browser_page.evaluate(STATE)["x0"] == 1.5
    assert real_errors(console_errors) == []


def test_bad_string_gets_a_message_not_an_error(app_server, browser_page, console_errors):
    open_page(browser_page, f"{app_server}/{URL}?string={quote('!!! 123')}")
    assert_no_exception(browser_page)
    assert "This string cannot be tagged" in browser_page.inner_text("body")
    assert real_errors(console_errors) == []
