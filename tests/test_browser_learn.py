"""The guided path in headless Chromium: from Home's "Learn" entry through every stop by the
strip's Next link (one page load per stop), every check revealed with its answer marked on its
figure and, where it has a place there, on the page's own figure, no exception; then Home shows
every stop visited (progress kept across pages)."""

import pytest
from browser_utils import (
    SCREENSHOTS,
    assert_no_exception,
    open_page,
    real_errors,
    screenshot,
    wait_for_app,
)

from explainer.learn import checks, path
from explainer.ui import learn

pytestmark = pytest.mark.browser

N = len(path.PATH)
# the first stop with checks on its page
FIRST = next(k for k, s in enumerate(path.PATH, 1) if s.page in path.PAGE_CHECKS)


def test_the_whole_guided_path(app_server, browser_page, console_errors):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, app_server)
    page.get_by_role("link", name="Start the guided path").click()
    for k, stop in enumerate(path.PATH, 1):
        page.get_by_text(f"Learn {k}/{N}:").wait_for(timeout=120_000)
        wait_for_app(page, 120_000)
        assert_no_exception(page)
        assert f"learn={k}" in page.url and stop.scene.page_name in page.url
        for n, (check_id, _) in enumerate(
            checks.CHECKS.get(path.PAGE_CHECKS.get(stop.page, ""), ())
        ):
            box = page.locator(".st-key-learn_" + check_id.replace(".", "_"))
            shown = k == FIRST and n == 0  # the path's first check, before and after its reveal
            if shown:
                box.screenshot(path=str(SCREENSHOTS / "learn-check-before-reveal.png"))
            box.get_by_role("button", name="Reveal").click()
            box.locator(".js-plotly-plot").wait_for(timeout=60_000)
            wait_for_app(page, 60_000)
            if shown:  # the answer, its words and its figure (the box is taller than a screen)
                box.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
                screenshot(page, "learn-check-after-reveal")
            marked = box.locator(".js-plotly-plot").first.evaluate(
                "gd => gd.data && gd.data.map(t => [t.name, (t.x || []).length])"
            )
            answer = dict(marked)
            assert "answer" in answer, (check_id, marked)
            # every check marks one point or bar at least (the integrator check may have
            # no unit above 0.9, then its answer is "none" and nothing is marked)
            assert answer["answer"] >= 1 or check_id == "lstm.integrator", (check_id, marked)
            assert box.get_by_text("Answer:").count() == 1
            if check_id in learn.ON_FIGURE:  # ...and on the page's own figure too
                own = page.locator(f".st-key-{learn.ON_FIGURE[check_id]} .js-plotly-plot")
                names = own.first.evaluate("gd => (gd.data || []).map(t => t.name)")
                assert "answer" in names, (check_id, names)
        assert_no_exception(page)
        page.get_by_role("link", name="Next" if k < N else "Finish").click()
    page.get_by_role("heading", name="Learn").wait_for(timeout=120_000)
    wait_for_app(page, 120_000)
    entry = page.locator('[data-testid="stMain"]').inner_text()
    assert all(f"✓ {stop.title}" in entry for stop in path.PATH), entry[:2000]
    assert not [e for e in real_errors(console_errors) if "pageerror" in e]
