"""Presenter view and lectures in headless Chromium: projector type and no sidebar or prose at
1280x720 and 1024x768 (read from getComputedStyle and the charts' SVG text), a lecture link
opens scene k and "Next scene" opens scene k + 1, and "save this scene" on a normal page."""

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser_utils import assert_no_exception, open_page, real_errors, screenshot

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
    const body = [...main.querySelectorAll('p, li, h1, button')].filter(shown)
        .map(el => parseFloat(getComputedStyle(el).fontSize));
    const sel = ['.xtick text', '.ytick text', '.g-xtitle text', '.g-ytitle text']
        .map(s => '.js-plotly-plot ' + s).join(', ');
    const svg = [...main.querySelectorAll(sel)].filter(shown)
        .map(el => parseFloat(el.style.fontSize || getComputedStyle(el).fontSize));
    return {sidebar: shown(sidebar), prose: prose.length, body: Math.min(...body),
            svg: Math.min(...svg), nsvg: svg.length,
            charts: main.querySelectorAll('.js-plotly-plot').length};
}"""


def scene_url(base: str, k: int, **extra) -> str:
    scene = LECTURE.scenes[k - 1]
    query = {**scene.params, "lecture": "why-lstms", "scene": str(k), **extra}
    return f"{base}/{scene.page_name}?{urlencode(query)}"


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("look", ["dark", "light"])
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
