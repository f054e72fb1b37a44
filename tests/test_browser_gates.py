"""The LSTM and GRU gate pages in headless Chromium: clean load and the time cursor's Play
animating every chart (one load), deep links, long text with 64 units."""

from urllib.parse import quote

import pytest
from browser_utils import (
    DRAWN_STEPS,
    assert_no_exception,
    drawn_steps,
    open_page,
    press_pause,
    press_play,
    real_errors,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser

PAGES = {"lstm": "LSTM_gates", "gru": "GRU_gates"}
LONG_TEXT = (
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the "
    "age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the "
    "season of Light, it was the season of Darkness, it was the spring of hope, it was the "
    "winter of despair, we had everything before us, we had nothing before us, we were all "
    "going direct to Heaven, we were all going direct the other way."
)
# what the browser drew, per chart: the highlight's left edge, the first trace's y and the
# last trace's x
STATE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    x0: gd._fullLayout.shapes.length ? gd._fullLayout.shapes[0].x0 : null,
    y: gd._fullData.length && gd._fullData[0].y ? Array.from(gd._fullData[0].y) : null,
    last_x: Array.from((gd._fullData[gd._fullData.length - 1] || {}).x || []),
}))"""


def chart_state(page, index: int) -> dict:
    """What animated chart ``index`` shows; ``active`` is its step (0-based), read by matching
    the drawing against its frames."""
    (step,) = drawn_steps(page)[index]
    return {**page.evaluate(STATE)[index], "active": step - 1}


def play_until(page, index: int, step: int) -> None:
    """Play on the page's time cursor until chart ``index`` has drawn past ``step``; Pause."""
    press_play(page)
    page.wait_for_function(f"() => ({DRAWN_STEPS})()[{index}][0] > {step}", timeout=20_000)
    press_pause(page)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_page_loads_cleanly_and_play_moves_every_chart(
    app_server, browser_page, console_errors, cell
):
    """One load: four charts, no exception; Play moves the heatmap's highlight a whole step,
    and the second chart with it (the LSTM belt's step line, the GRU keep bars)."""
    open_page(browser_page, f"{app_server}/{PAGES[cell]}")
    assert_no_exception(browser_page)
    assert browser_page.locator(".js-plotly-plot").count() == 4
    screenshot(browser_page, f"gates-{cell}-defaults")
    before, second = chart_state(browser_page, 0), chart_state(browser_page, 1)
    assert (before["active"], before["x0"]) == (4, 4.5)  # opens at t = 5
    play_until(browser_page, 0, 6)
    wait_for_app(browser_page)  # the pause's run, with the step, has drawn every chart
    after = chart_state(browser_page, 0)
    # the box moved to a whole step
    assert after["x0"] != before["x0"] and (after["x0"] - 0.5).is_integer()
    moved = chart_state(browser_page, 1)
    assert moved["active"] == after["active"]
    if cell == "lstm":
        assert moved["last_x"] == [moved["active"] + 1] * 2  # the step line sits on step t
    else:
        assert moved["y"] != second["y"]  # the keep bars changed
    browser_page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    screenshot(browser_page, f"gates-{cell}-played-second-panel")
    assert real_errors(console_errors) == []


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_deep_link_restores_the_scene(app_server, browser_page, console_errors, cell):
    open_page(browser_page, f"{app_server}/{PAGES[cell]}?seed=2&hidden_size=8&t=9&unit=3")
    assert_no_exception(browser_page)
    assert chart_state(browser_page, 0)["active"] == 8
    assert chart_state(browser_page, 0)["x0"] == 8.5
    assert browser_page.get_by_text("The equations at step t = 9, unit j = 3").is_visible()
    assert real_errors(console_errors) == []


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_long_text_and_64_units(app_server, browser_page, console_errors, cell):
    url = f"{app_server}/{PAGES[cell]}?weights=random&hidden_size=64&t=120&text={quote(LONG_TEXT)}"
    open_page(browser_page, url, timeout_ms=120_000)
    assert_no_exception(browser_page)
    assert chart_state(browser_page, 0)["active"] == 119
    screenshot(browser_page, f"gates-{cell}-H64-long-text")
    browser_page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    screenshot(browser_page, f"gates-{cell}-H64-long-text-second-panel")
    assert real_errors(console_errors) == []
