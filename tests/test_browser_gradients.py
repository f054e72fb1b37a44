"""The gradients and compare pages in headless Chromium: a deep link restores its scene and the
time cursor's Play animates it in the browser; screenshots of a linked scene and of the
exploding and overflow cases."""

from urllib.parse import urlencode

import pytest
from browser_utils import (
    DRAWN_STEPS,
    assert_no_exception,
    open_page,
    press_pause,
    press_play,
    real_errors,
    screenshot,
)

pytestmark = pytest.mark.browser

GRADIENTS = "Gradients_through_time"
COMPARE = "Compare_cells"
EXPLODING = dict(source="sine", seq_len="100", init="orthogonal", rho="2.5", clip="1", t="60")
OVERFLOW = dict(
    source="sine", seq_len="500", hidden_size="64", activation="linear", init="identity",
    rho="4.0", clip="1", t="250",
)  # fmt: skip

# the step the page's animated chart has drawn
PLAYER = f"() => (({DRAWN_STEPS})()[0] || [null])[0]"


# heatmap images drawn in the animated chart, sampled every 50 ms for 2 s of playback
HEATMAPS_DURING_PLAY = """() => new Promise(done => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')]
        .find(g => g.layout && g.layout.meta && g.layout.meta.cursor);
    const counts = [];
    const timer = setInterval(() => {
        counts.push(gd.getElementsByTagName('image').length);
        if (counts.length === 40) { clearInterval(timer); done(counts); }
    }, 50);
})"""


def url(base: str, page: str, **query) -> str:
    return f"{base}/{page}" + (f"?{urlencode(query)}" if query else "")


def play_advances(page) -> tuple[int, int]:
    """Press Play on the time cursor; return the step the chart drew before and after."""
    before = page.evaluate(PLAYER)
    press_play(page)
    page.wait_for_function(f"({PLAYER})() !== {before}", timeout=15_000)
    return before, page.evaluate(PLAYER)


@pytest.mark.parametrize("page_name", [GRADIENTS, COMPARE])
def test_a_deep_link_opens_its_scene_and_play_animates(
    app_server, browser_page, console_errors, page_name
):
    """The defaults load cleanly at every size in the layout test; here a linked scene."""
    query = dict(source="sine", seq_len="80", seed="7", hidden_size="12", t="12")
    open_page(browser_page, url(app_server, page_name, **query))
    assert_no_exception(browser_page)
    screenshot(browser_page, f"{page_name.lower()}-linked")
    # the chart opens at frame t, and the sidebar shows the linked values
    assert browser_page.evaluate(PLAYER) == 12
    slider = browser_page.get_by_role("slider", name="Hidden units H")
    assert slider.input_value() == "12"
    assert browser_page.get_by_role("slider", name="Step t").input_value() == "12"
    assert browser_page.get_by_role("spinbutton", name="Seed").input_value() == "7"
    assert "t=12" in browser_page.url and "seed=7" in browser_page.url
    before, after = play_advances(browser_page)
    assert before == 12 and after != before
    if page_name == COMPARE:
        # the three heatmaps stay on screen while the highlight moves (no blank, no flicker)
        assert set(browser_page.evaluate(HEATMAPS_DURING_PLAY)) == {3}
    press_pause(browser_page)  # no unhandled rejection from an interrupted animation
    assert real_errors(console_errors) == []


@pytest.mark.parametrize("name, query", [("exploding", EXPLODING), ("overflow", OVERFLOW)])
def test_gradients_extreme_runs_render(app_server, browser_page, console_errors, name, query):
    open_page(browser_page, url(app_server, GRADIENTS, **query))
    assert_no_exception(browser_page)
    badge = "EXPLODING" if name == "exploding" else "OVERFLOW"
    assert browser_page.get_by_text(badge, exact=True).is_visible()
    screenshot(browser_page, f"{GRADIENTS.lower()}-{name}", full_page=True)
    open_page(browser_page, url(app_server, COMPARE, **query))
    assert_no_exception(browser_page)
    screenshot(browser_page, f"{COMPARE.lower()}-{name}")
    assert real_errors(console_errors) == []
