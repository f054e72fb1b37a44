"""Presenter view and lectures in headless Chromium: projector type and no sidebar or prose at
1280x720 and 1024x768 (read from getComputedStyle and the charts' SVG text), a lecture link
opens scene k and "Next scene" opens scene k + 1, and "save this scene" on a normal page."""

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser_utils import (
    CURSOR_COUNT,
    DRAWN_STEPS,
    assert_no_exception,
    cursor_step,
    open_page,
    real_errors,
    screenshot,
    wait_for_app,
)

from explainer import lectures

pytestmark = pytest.mark.browser

LECTURE = lectures.shipped()["why-lstms"]

# what a back-row reader depends on: the sidebar, visible prose, the smallest text sizes
MEASURE = """() => {
    const shown = el => el && el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden';
    const main = document.querySelector('[data-testid=stMain]');
    const sidebar = document.querySelector('section[data-testid=stSidebar]');
    const prose = [...main.querySelectorAll('[data-testid=stMarkdown]')]
        .filter(el => shown(el) && !el.closest('[class*="st-key-lecture"]'));
    // the page's text, and the time cursor's words (what t moves, t = k / T)
    const body = [...main.querySelectorAll('p, li, h1, button, .ur-note span, .ur-count')]
        .filter(shown).map(el => parseFloat(getComputedStyle(el).fontSize));
    // the way out of presenter view covers no chart and no time cursor
    const box = el => el.getBoundingClientRect();
    const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
        && b.top < a.bottom;
    const exit = main.querySelector('.st-key-present_exit_row button');
    const covered = exit ? [...main.querySelectorAll('.js-plotly-plot, .ur-bar')]
        .filter(el => meet(box(exit), box(el))).length : -1;
    const sel = ['.xtick text', '.ytick text', '.g-xtitle text', '.g-ytitle text']
        .map(s => '.js-plotly-plot ' + s).join(', ');
    const svg = [...main.querySelectorAll(sel)].filter(shown)
        .map(el => parseFloat(el.style.fontSize || getComputedStyle(el).fontSize));
    return {sidebar: shown(sidebar), prose: prose.length, body: Math.min(...body),
            svg: Math.min(...svg), nsvg: svg.length, covered,
            charts: main.querySelectorAll('.js-plotly-plot').length};
}"""


def scene_url(base: str, k: int, **extra) -> str:
    scene = LECTURE.scenes[k - 1]
    query = {**scene.params, "lecture": "why-lstms", "scene": str(k), **extra}
    return f"{base}/{scene.page_name}?{urlencode(query)}"


# each projector size and each look once (the look changes colours, not sizes)
@pytest.mark.parametrize(
    "look, size", [("dark", (1280, 720)), ("light", (1024, 768))], ids=["dark-1280", "light-1024"]
)
def test_presenter_view_is_legible_from_the_back_row(
    app_server, browser_page, console_errors, size, look
):
    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, scene_url(app_server, 4, present="1", theme=look))
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .xtick').length > 0",
                           timeout=60_000)  # fmt: skip
    assert_no_exception(page)
    seen = page.evaluate(MEASURE)
    screenshot(page, f"present-gradients-{look}-{size[0]}x{size[1]}")
    assert not seen["sidebar"] and seen["prose"] == 0, seen
    assert seen["body"] >= 24, seen
    assert seen["covered"] == 0, seen  # the exit button is there and covers nothing
    assert seen["nsvg"] > 0 and seen["svg"] >= 18, seen
    assert not real_errors(console_errors)


def test_a_lecture_link_opens_scene_k_and_next_opens_k_plus_1(app_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, scene_url(app_server, 8, present="1"))
    bar = page.locator('[class*="st-key-lecture_bar"]')
    assert f"scene 8 of {len(LECTURE.scenes)}: {LECTURE.scenes[7].title}" in bar.inner_text()
    page.get_by_role("link", name="Next scene").click()
    nine = LECTURE.scenes[8]
    page.get_by_text(f"scene 9 of {len(LECTURE.scenes)}: {nine.title}").wait_for(timeout=120_000)
    assert nine.page_name in page.url and "present=1" in page.url
    query = parse_qs(urlparse(page.url).query)
    assert query["lecture"] == ["why-lstms"] and query["scene"] == ["9"]
    screenshot(page, "present-lecture-scene-9-1280x720")


def test_the_notes_view_and_saving_a_scene(app_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, scene_url(app_server, 4, present="1", notes="1"))
    text = page.locator("[data-testid=stMain]").inner_text()
    shown = text.replace("≤", "<=")  # the markdown renderer draws <= as one sign
    assert all(note in shown for note in LECTURE.scenes[3].notes), text
    assert f"Next: scene 5, {LECTURE.scenes[4].title}" in text
    screenshot(page, "present-notes-1280x720")
    for w, h in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": w, "height": h})
        open_page(page, f"{app_server}/Gradients_through_time?rho=1.5&init=orthogonal")
        if w < 500:
            page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.get_by_role("button", name="Save this scene to my lecture").click()
        page.get_by_text("My lecture: 1 scene").wait_for(timeout=60_000)
        screenshot(page, f"save-scene-{w}x{h}")


RNNS = lectures.shipped()["rnns-in-20-minutes"]


def rnns_url(base: str, k: int) -> str:
    scene = RNNS.scenes[k - 1]
    query = {**scene.params, "lecture": "rnns-in-20-minutes", "scene": str(k), "present": "1"}
    return f"{base}/{scene.page_name}?{urlencode(query)}"


def press(page, key: str) -> None:
    """A key as a clicker sends it, with nothing focused: the page body has the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def wait_for_step(page, t: int) -> None:
    page.wait_for_function(
        f"(document.querySelector('.ur-count') || {{}}).textContent === 't = {t} / ' "
        "+ document.querySelector('.ur-range').max",
        timeout=30_000,
    )
    page.wait_for_function(
        f"({DRAWN_STEPS})().every(steps => steps.length === 1 && steps[0] === {t})",
        timeout=30_000,
    )


def wait_for_scene(page, k: int) -> None:
    title = RNNS.scenes[k - 1].title
    page.get_by_text(f"scene {k} of {len(RNNS.scenes)}: {title}").wait_for(timeout=120_000)
    wait_for_app(page, 120_000)
    assert parse_qs(urlparse(page.url).query)["scene"] == [str(k)]


# what is drawn at the middle of the screen
COVERED = "document.elementFromPoint(innerWidth / 2, innerHeight / 2).id"


def test_a_clicker_steps_plays_and_moves_between_scenes(app_server, browser_page):
    """With focus on the page body: `b` and `.` blank the screen until the next key, PageDown/
    PageUp step t, Space plays and pauses, and at the ends of t the same keys open the next and
    previous scene, each with its own settings."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, rnns_url(app_server, 2))  # "hello hello" at t = 7
    t, T = cursor_step(page)
    assert t == 7 and T > 8
    for key in ("b", "."):  # a clicker's blank button: black until the next key, which only
        press(page, key)  # uncovers the screen (t stays at 7)
        assert page.evaluate(COVERED) == "ur-blank"
        press(page, "PageDown")
        assert page.evaluate(COVERED) != "ur-blank"
        assert cursor_step(page) == (7, T)
    press(page, "PageDown")
    wait_for_step(page, 8)
    press(page, "PageUp")
    press(page, "PageUp")
    wait_for_step(page, 6)
    press(page, "Space")  # plays to the end (a step every 0.8 s) and stops there
    page.wait_for_function(f"document.querySelector('.ur-count').textContent === 't = {T} / {T}'",
                           timeout=30_000)  # fmt: skip
    wait_for_step(page, T)
    assert page.get_by_role("button", name="Play", exact=True).count() == 1
    press(page, "PageDown")  # t is at its end: the next scene, with its own text and t
    wait_for_scene(page, 3)
    three = cursor_step(page)
    assert three[0] == 12 and three[1] != T, three
    wait_for_step(page, 12)
    press(page, "Home")
    wait_for_step(page, 1)
    press(page, "PageUp")  # t = 1: back to scene 2 at its own t, not the one left behind
    wait_for_scene(page, 2)
    assert cursor_step(page) == (7, T)
    assert_no_exception(page)


def test_a_page_without_a_time_cursor_steps_scenes_by_key(app_server, browser_page):
    """Train and compare has no time cursor: PageUp moves to the scene before at once (a
    lecture in the link, so the scene before is a light one)."""
    mine = lectures.Lecture("Keys", (
        lectures.Scene("Short text", "pages/1_Unrolled_RNN.py", {"text": "hi there", "t": "3"}),
        lectures.Scene("Trained", "pages/6_Train_and_compare.py"),
    ))  # fmt: skip
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    query = urlencode({"lecture": lectures.encode(mine), "scene": "2", "present": "1"})
    open_page(page, f"{app_server}/Train_and_compare?{query}")
    assert page.locator(CURSOR_COUNT).count() == 0
    press(page, "PageUp")
    page.get_by_text("scene 1 of 2: Short text").wait_for(timeout=120_000)
    wait_for_app(page, 120_000)
    assert cursor_step(page)[0] == 3 and "text=hi+there" in page.url
    assert_no_exception(page)
