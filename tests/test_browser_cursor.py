"""The page's one time cursor in headless Chromium: Play animates every chart in the browser
with no server rerun, Pause brings the equations, numbers and URL to the charts' step, the
keyboard steps from anywhere but a text field, and the bar is reachable, visible and touchable.
"""

import re
import time

import pytest
from browser_utils import (
    APP,
    CURSOR_COUNT,
    cursor_step,
    drawn_steps,
    open_page,
    press_pause,
    press_play,
    real_errors,
    screenshot,
    url_step,
    wait_for_app,
)

pytestmark = pytest.mark.browser

UNROLLED, LSTM, GRADIENTS = "Unrolled_RNN", "LSTM_gates", "Gradients_through_time"
CHARTS = {UNROLLED: 1, LSTM: 2, GRADIENTS: 1}  # animated charts each page draws

# the step the server-side panels show: the live equations' heading, or on the gradients page
# the TeX of the metric "||dL/dh_t||"
PANEL_STEP = """() => {
  const heading = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .map(e => e.innerText).find(s => s.startsWith('The equations at step t = '));
  if (heading) return parseInt(heading.split('t = ')[1]);
  const tex = [...document.querySelectorAll('[data-testid="stMetricLabel"] annotation')]
    .map(a => a.textContent).find(s => s.includes('partial L'));
  return tex ? parseInt(tex.match(/h_\\{(\\d+)\\}/)[1]) : null;
}"""
SCRIPT_STATE = f"() => document.querySelector('{APP}').dataset.testScriptState"


def everything(page) -> dict:
    t, T = cursor_step(page)
    return dict(
        counter=t,
        url=url_step(page),
        panels=page.evaluate(PANEL_STEP),
        charts=drawn_steps(page),
        T=T,
    )


def agreed(page, charts: int, timeout_s: float = 30.0) -> dict:
    """Wait until the counter, the URL, the server-side panels and every animated chart show
    the same step; return what they show (the last look, agreed or not, for the assert)."""
    deadline = time.monotonic() + timeout_s
    while True:
        state = everything(page)
        t = state["counter"]
        same = state["url"] == t and state["panels"] == t
        if same and state["charts"] == [[t]] * charts:
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def assert_agreed(state: dict, t: int, charts: int) -> None:
    assert state["counter"] == t, state
    assert (state["url"], state["panels"]) == (t, t), state
    assert state["charts"] == [[t]] * charts, state


def show(page, base_url: str, name: str, query: str = "?t=3"):
    open_page(page, f"{base_url}/{name}{query}")
    page.locator(CURSOR_COUNT).scroll_into_view_if_needed()


@pytest.mark.parametrize("name", [UNROLLED, LSTM, GRADIENTS])
def test_play_pause_and_keys_leave_every_panel_at_one_step(
    app_server, browser_page, console_errors, name
):
    """One load: Play animates in the browser alone, Pause brings every panel to the charts'
    step; then the keys step every panel from anywhere on the page."""
    page = browser_page
    charts = CHARTS[name]
    show(page, app_server, name)
    assert_agreed(agreed(page, charts), 3, charts)
    press_play(page)
    # playback runs in the browser: no script run while the charts move
    states = page.evaluate(
        f"""() => new Promise(done => {{
            const seen = [];
            const timer = setInterval(() => {{
                seen.push([({SCRIPT_STATE})(), document.querySelector('{CURSOR_COUNT}').innerText]);
                if (seen.length === 20) {{ clearInterval(timer); done(seen); }}
            }}, 75);
        }})"""
    )
    assert {s for s, _ in states} == {"notRunning"}, states
    assert len({text for _, text in states}) > 3  # the counter moved on
    assert all(len(steps) == 1 for steps in drawn_steps(page))  # each chart shows one frame
    press_pause(page)
    t, T = cursor_step(page)
    assert 3 < t <= T
    assert_agreed(agreed(page, charts), t, charts)
    assert page.get_by_role("button", name="Play", exact=True).is_visible()

    page.locator("h1").first.click()  # focus on the page itself, not a control
    for key, t in [
        ("Home", 1),
        ("ArrowRight", 2),
        ("PageDown", 3),
        ("ArrowLeft", 2),
        ("PageUp", 1),
        ("End", T),
        ("Home", 1),
    ]:
        page.keyboard.press(key)
        assert cursor_step(page)[0] == t, key  # the bar moves at once
        assert_agreed(agreed(page, charts), t, charts)
    # three quick presses: three steps, one listener (reruns did not add more), one commit
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert_agreed(agreed(page, charts), 4, charts)
    page.keyboard.press(" ")  # Space plays ...
    page.wait_for_function(
        f"() => !document.querySelector('{CURSOR_COUNT}').innerText.startsWith('t = 4 ')"
    )
    page.keyboard.press(" ")  # ... and pauses
    t = cursor_step(page)[0]
    assert_agreed(agreed(page, charts), t, charts)
    assert real_errors(console_errors) == []  # no unhandled rejection from a pause


def test_keys_typed_into_a_text_field_stay_there(app_server, browser_page, console_errors):
    page = browser_page
    show(page, app_server, UNROLLED, "?t=7")
    box = page.locator("textarea").first
    box.click()
    for key in ["ArrowRight", "ArrowLeft", "End", "Home", "PageDown"]:
        box.press(key)
    box.press(" ")
    assert cursor_step(page)[0] == 7
    assert not page.locator(".ur-bar.ur-playing").count()
    assert real_errors(console_errors) == []


def test_tab_reaches_play_with_a_visible_focus_ring(app_server, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        show(page, app_server, UNROLLED, "?t=5")
        page.locator("h1").first.click()
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Play":
                break
        else:
            pytest.fail("Tab never reached the Play button")
        ring = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        colour: s.outlineColor, shadow: s.boxShadow}; }"""
        )
        assert ring["style"] != "none" and ring["width"] >= 2, ring
        screenshot(page, "cursor-focus-ring-1280x720")
        page.keyboard.press("Enter")  # the focused button plays ...
        page.wait_for_selector(".ur-bar.ur-playing")
        page.keyboard.press("Enter")  # ... and pauses
        t = cursor_step(page)[0]
        assert_agreed(agreed(page, 1), t, 1)
    finally:
        context.close()


def test_phone_bar_is_big_enough_to_touch_and_read(app_server, chromium_browser):
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        show(page, app_server, LSTM, "?t=3")
        bar = page.locator(".ur-bar")
        assert bar.bounding_box()["width"] <= 390
        for target in page.locator(".ur-bar button, .ur-range").all():
            box = target.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # nothing cut
        size = page.evaluate(
            f"() => getComputedStyle(document.querySelector('{CURSOR_COUNT}')).fontSize"
        )
        assert float(size.removesuffix("px")) >= 24
        screenshot(page, "cursor-phone-390x844")
        page.get_by_role("button", name="Next step").tap()
        assert_agreed(agreed(page, 2), 4, 2)
        page.get_by_role("button", name="Play", exact=True).tap()
        page.wait_for_function(
            f"() => document.querySelector('{CURSOR_COUNT}').innerText !== 't = 4 / 46'"
        )
        page.get_by_role("button", name="Pause", exact=True).tap()
        t = cursor_step(page)[0]
        assert_agreed(agreed(page, 2), t, 2)
        wait_for_app(page)
        assert errors == []
    finally:
        context.close()


def test_counter_reads_from_the_back_row(app_server, browser_page):
    show(browser_page, app_server, GRADIENTS, "?t=12")
    size = browser_page.evaluate(
        f"() => getComputedStyle(document.querySelector('{CURSOR_COUNT}')).fontSize"
    )
    assert float(size.removesuffix("px")) >= 24
    text = browser_page.locator(CURSOR_COUNT).inner_text()
    assert re.fullmatch(r"t = 12 / \d+", text)
    valuetext = browser_page.locator(".ur-range").get_attribute("aria-valuetext")
    assert re.fullmatch(r"step 12 of \d+", valuetext)
