"""Page 1 (Unrolled RNN) in headless Chromium: loads cleanly, the time cursor's Play animates in
the browser,
a deep link restores the scene; screenshots under test-results/screenshots/."""

import pytest
from browser_utils import (
    assert_no_exception,
    cursor_step,
    open_page,
    press_pause,
    press_play,
    real_errors,
    screenshot,
)

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot"
# what the animation shows now: the heatmap column and the first bar of h_t
STATE = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const data = gd._fullData, n = data.length;
  return {
    column: data[n - 2].x[0] + 0.5,
    bar: data[n - 1].x[0],
    units: data[0].z.length,
    steps: data[0].z[0].length,
    title: gd._fullLayout.annotations.map(a => a.text).join(' | '),
  };
}"""


def show(page, base_url: str, query: str = ""):
    open_page(page, f"{base_url}/Unrolled_RNN{query}")
    page.wait_for_selector(CHART)
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    return chart


def play_and_wait(page, before: dict) -> dict:
    """Play on the time cursor until the heatmap column moves on, then Pause."""
    press_play(page)
    page.wait_for_function(
        f"() => document.querySelector('{CHART}')._fullData.at(-2).x[0] + 0.5 > {before['column']}",
        timeout=20_000,
    )
    press_pause(page)
    return page.evaluate(STATE)


def test_page_loads_cleanly_and_play_advances_every_panel(app_server, browser_page, console_errors):
    show(browser_page, app_server)
    assert_no_exception(browser_page)
    state = browser_page.evaluate(STATE)
    assert cursor_step(browser_page)[0] == 5 and state["column"] == 5  # the shared t = 5
    assert (state["units"], state["steps"]) == (16, 46)
    screenshot(browser_page, "unrolled-defaults")
    # Play advances every panel
    before = state
    after = play_and_wait(browser_page, before)
    assert cursor_step(browser_page)[0] == after["column"]  # the bar says what the chart shows
    assert after["column"] > before["column"]  # the heatmap column moved on
    assert after["bar"] != before["bar"]  # and the bars show a later h_t
    assert real_errors(console_errors) == []


def test_deep_link_restores_an_lstm_scene(app_server, browser_page, console_errors):
    query = "?cell=lstm&hidden_size=8&seed=3&source=sine&seq_len=60&t=17&unit=5"
    show(browser_page, app_server, query)
    assert_no_exception(browser_page)
    state = browser_page.evaluate(STATE)
    assert (state["units"], state["steps"]) == (8, 60)
    assert cursor_step(browser_page)[0] == 17 and state["column"] == 17
    assert "the same LSTM cell" in state["title"]
    screenshot(browser_page, "unrolled-lstm")
    assert real_errors(console_errors) == []


def test_long_sine_plays(app_server, browser_page, console_errors):
    show(browser_page, app_server, "?source=sine&seq_len=500&hidden_size=64&t=250&unit=3")
    assert_no_exception(browser_page)
    before = browser_page.evaluate(STATE)
    assert (before["units"], before["steps"]) == (64, 500) and before["column"] == 250
    screenshot(browser_page, "unrolled-long-sine")
    play_and_wait(browser_page, before)
    assert real_errors(console_errors) == []
