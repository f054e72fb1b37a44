"""The Flashcards and quiz page in headless Chromium, in two page loads: a card turns to its
live mini-figure, a wrong quiz answer gets its feedback and a link, and the link opens the
scene that explains it with its settings."""

from urllib.parse import parse_qs, urlparse

import pytest
from browser_utils import assert_no_exception, open_page, real_errors, screenshot, wait_for_app

from explainer.config import RunConfig
from explainer.learn import quiz

pytestmark = pytest.mark.browser

SEED = 4


def test_card_turns_and_a_missed_question_links_to_its_scene(
    app_server, browser_page, console_errors
):
    page = browser_page
    open_page(page, f"{app_server}/Flashcards_and_quiz?seed={SEED}")
    assert_no_exception(page)
    page.get_by_role("button", name="Turn the card").click()
    wait_for_app(page)
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.get_by_role("button", name="Good").is_visible()
    screenshot(page, "quiz-card-turned")

    q = quiz.draw(quiz.bank(), SEED)[0]
    page.get_by_role("tab", name="Quiz").click()
    panel = page.get_by_role("tabpanel", name="Quiz")
    if q.options:
        wrong = q.options[(int(q.answer) + 1) % len(q.options)]
        panel.get_by_text(wrong, exact=True).click()
    else:
        panel.get_by_label("Your answer (a number)").fill(str(q.answer + q.tolerance + 100))
        panel.get_by_label("Your answer (a number)").press("Enter")
    wait_for_app(page)
    panel.get_by_role("button", name="Check").click()
    wait_for_app(page)
    feedback = panel.locator("[data-testid='stAlertContentError']")
    assert "Not quite: the answer is" in feedback.inner_text()
    screenshot(page, "quiz-missed")
    link = panel.get_by_role("link", name="Open the scene that explains it")
    link.click()
    wait_for_app(page)
    assert_no_exception(page)
    url = urlparse(page.url)
    assert url.path.endswith("/" + q.page.split("/")[-1].split("_", 1)[1].removesuffix(".py"))
    # the scene's settings, as the page keeps them (values at their defaults leave the URL)
    shown = {k: v[-1] for k, v in parse_qs(url.query).items()}
    assert RunConfig.from_query(shown) == RunConfig.from_query(q.params)
    assert real_errors(console_errors) == []
