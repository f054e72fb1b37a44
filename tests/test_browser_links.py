"""Deep links in the real app: a scene opened from a link survives a click in the page menu with
every value (controls, address bar, "Link to this scene"), link notices name the values that
run, and a text pasted past the limit is cut with a note. Screenshots under
test-results/screenshots/."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_utils import (
    assert_no_exception,
    cursor_step,
    open_page,
    real_errors,
    screenshot,
    wait_for_app,
)

from explainer.config import MAX_TEXT

pytestmark = pytest.mark.browser

LINK = dict(cell="lstm", hidden_size="18", seed="42", t="8", text="hello world")
TEXT = "Text to read, one character per step"
LONG = "the quick brown fox jumps over the lazy dog. " * 14  # 630 characters


def shown(page) -> dict[str, str]:
    """The scene's values as the sidebar and the step slider show them."""
    cell = next(k for k in ("rnn", "lstm", "gru") if page.get_by_role("radio", name=k).is_checked())
    return {
        "cell": cell,
        "hidden_size": page.get_by_role("slider", name="Hidden units H").input_value(),
        "seed": page.get_by_role("spinbutton", name="Seed").input_value(),
        "t": page.get_by_role("slider", name="Step t").first.input_value(),
        "text": page.get_by_role("textbox", name=TEXT).input_value(),
    }


def query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def go_to(page, title: str) -> None:
    """Click a page in the sidebar's menu, as a student would."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.wait_for_url(f"**/{title.replace(' ', '_')}**")
    wait_for_app(page)


def scene_link(page) -> str:
    """The URL in the "Link to this scene" popover."""
    page.get_by_role("button", name="Link to this scene").click()
    code = page.locator('[data-testid="stPopoverBody"] code').first
    code.wait_for()
    url = code.inner_text().strip()
    page.keyboard.press("Escape")
    return url


def test_a_deep_link_survives_a_click_in_the_menu(app_server, browser_page, console_errors):
    open_page(browser_page, f"{app_server}/Unrolled_RNN?{urlencode(LINK)}")
    assert_no_exception(browser_page)
    assert shown(browser_page) == LINK
    for title in ("Gradients through time", "Unrolled RNN"):
        go_to(browser_page, title)
        assert_no_exception(browser_page)
        assert shown(browser_page) == LINK, title
        # the address bar and the link to the scene carry every value
        assert query(browser_page.url) == LINK, (title, browser_page.url)
        assert query(scene_link(browser_page)) == LINK, title
        screenshot(browser_page, f"links-after-switch-{title.split()[0].lower()}")
    assert real_errors(console_errors) == []


def test_link_notices_say_what_runs(app_server, browser_page, console_errors):
    junk = dict(hidden_size="1.5", seed="3.7", text=LONG)
    open_page(browser_page, f"{app_server}/Unrolled_RNN?{urlencode(junk)}")
    assert_no_exception(browser_page)
    notices = " ".join(browser_page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "hidden_size='1.5' is not a whole number; using 2." in notices
    assert "seed='3.7' is not a whole number; using 4." in notices
    assert f"has {len(LONG)} characters, more than {MAX_TEXT}; using its first {MAX_TEXT}" in (
        notices
    )
    # what runs is what the notices say
    values = shown(browser_page)
    assert (values["hidden_size"], values["seed"]) == ("2", "4")
    assert values["text"] == LONG[:MAX_TEXT]
    # the time cursor runs the cut text: one step per character but the last
    assert cursor_step(browser_page)[1] == MAX_TEXT - 1
    assert {k: query(browser_page.url).get(k) for k in junk} == dict(
        hidden_size="2", seed="4", text=LONG[:MAX_TEXT]
    )
    screenshot(browser_page, "links-notices")
    assert real_errors(console_errors) == []


def test_a_long_paste_is_cut_with_a_note(app_server, browser_page, console_errors):
    open_page(browser_page, f"{app_server}/Unrolled_RNN?text=hello")
    box = browser_page.get_by_role("textbox", name=TEXT)
    box.fill(LONG)
    box.press("Control+Enter")
    browser_page.get_by_text(f"Your text has {len(LONG)} characters").wait_for(timeout=120_000)
    wait_for_app(browser_page, timeout_ms=180_000)  # 500 steps: the charts take a while
    assert box.input_value() == LONG[:MAX_TEXT]
    assert query(browser_page.url)["text"] == LONG[:MAX_TEXT]
    screenshot(browser_page, "links-paste-cut")
    assert real_errors(console_errors) == []
