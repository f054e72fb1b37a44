"""Page 9 (Sequence to sequence) in headless Chromium: loads cleanly at the three screen sizes
with the chain in view, Play animates in the browser, a deep link restores the scene."""

import pytest
from browser_utils import assert_no_exception, open_page, real_errors, screenshot

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot"
# the first chart is the encoder-decoder: its frames, the highlighted column, what is written
STATE = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const data = gd._fullData, n = data.length;
  const box = data[n - 4].x.filter(v => v !== null);
  return {
    frames: gd._transitionData._frames.length,
    column: (Math.min(...box) + Math.max(...box)) / 2,
    written: data[n - 3].text.filter(s => s).join(''),
    reads: data.find(d => d.mode === 'text' && d.text.length > 3).text.join(''),
  };
}"""


def press_play(page) -> None:
    """Play: the page's time cursor bar where there is one, else the chart's own button."""
    bar = page.get_by_role("button", name="Play", exact=True)
    if bar.count():
        bar.first.click()
    else:
        page.locator(".updatemenu-button", has_text="Play").first.click()


def show(page, base_url: str, query: str = ""):
    # a first visit under a loaded CI machine can take more than the usual minute
    open_page(page, f"{base_url}/Sequence_to_sequence{query}", timeout_ms=180_000)
    page.wait_for_selector(CHART)
    return page.locator(CHART).first


# a laptop's size; the layout test opens the page at a projector's two sizes and a phone's
@pytest.mark.parametrize("width,height", [(1440, 900)])
def test_page_loads_cleanly_at_each_size(app_server, browser_page, console_errors, width, height):
    browser_page.set_viewport_size({"width": width, "height": height})
    chart = show(browser_page, app_server)
    assert_no_exception(browser_page)
    state = browser_page.evaluate(STATE)
    assert state["frames"] == 15 and state["column"] == 5  # 7 read + 8 written, t = 5
    assert state["reads"].startswith("4071935")
    if width >= 1280:  # the chain's top is in view without scrolling on a projector
        assert chart.bounding_box()["y"] < height
    screenshot(browser_page, f"seq2seq-{width}x{height}")
    assert real_errors(console_errors) == []


def test_play_writes_the_reversed_digits(app_server, browser_page, console_errors):
    chart = show(browser_page, app_server, "?t=7")
    chart.scroll_into_view_if_needed()
    before = browser_page.evaluate(STATE)
    assert before["written"] == ""  # the encoder has read everything, nothing written yet
    press_play(browser_page)
    browser_page.wait_for_function(
        f"() => document.querySelector('{CHART}')._fullData.at(-3).text.join('').length >= 8",
        timeout=30_000,
    )
    after = browser_page.evaluate(STATE)
    assert after["written"] == "5391704⏹" and after["column"] > before["column"]
    assert real_errors(console_errors) == []


def test_deep_link_restores_a_long_beam_scene(app_server, browser_page, console_errors):
    show(browser_page, app_server, "?s2s_in=4071935286&s2s_decode=beam&t=12&unit=3")
    assert_no_exception(browser_page)
    state = browser_page.evaluate(STATE)
    assert state["reads"].startswith("4071935286") and state["column"] == 13  # decoder step 2
    screenshot(browser_page, "seq2seq-beam-long")
    assert real_errors(console_errors) == []
