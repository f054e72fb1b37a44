"""The exported HTML plays offline: opened from file:// in Chromium with every network request
blocked, it draws, and Play moves the animation (the cursor trace's data changes frame by frame)."""

import re
import zipfile

from explainer.export.html import offline_html
from explainer.export.panels import scene_panels
from explainer.export.scenes import ExportScene

CURSOR_X = """() => {
    const gd = document.getElementById('figure');
    return gd && gd._fullData ? gd._fullData.map(d => JSON.stringify(d.x)).join('|') : null;
}"""
SLIDER = "() => document.getElementById('figure')._fullLayout.sliders[0].active"


def test_exported_html_plays_from_a_file_with_the_network_blocked(chromium_browser, tmp_path):
    scene = ExportScene("offline", "pages/4_Gradients_through_time.py",
                        {"source": "sine", "seq_len": "30", "t": "2"})  # fmt: skip
    _, panels = scene_panels(scene)
    path = tmp_path / "gradients.html"
    path.write_text(offline_html(panels[0].spec, panels[0].step, scene.title), encoding="utf-8")

    context = chromium_browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_offline(True)
    asked = []

    def block(route):  # anything but the file itself would need a network
        asked.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!file:)"), block)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="domcontentloaded", timeout=90_000)
    page.wait_for_function(CURSOR_X, timeout=60_000)
    assert page.evaluate(SLIDER) == 1  # opens at t = 2 (frame 1)
    before = page.evaluate(CURSOR_X)
    page.get_by_text("Play", exact=False).first.click()
    page.wait_for_function(f"() => ({SLIDER})() >= 4", timeout=30_000)
    assert page.evaluate(CURSOR_X) != before  # the frame changed what is drawn
    assert asked == []
    assert errors == []
    context.close()


def test_the_export_popover_prepares_and_downloads_the_scene(app_server, browser_page):
    from browser_utils import assert_no_exception, open_page, screenshot

    query = "source=sine&seq_len=20&hidden_size=4&t=3"
    page = open_page(browser_page, f"{app_server}/Gradients_through_time?{query}", 240_000)
    page.get_by_role("button", name="Export").first.click()
    page.get_by_role("button", name="Prepare the files").click()
    zip_button = page.get_by_role("button", name="Everything (zip)")
    zip_button.wait_for(timeout=280_000)
    screenshot(page, "export_popover")
    assert page.get_by_role("button", name="gradients: slide, light (PNG)").count() == 1
    with page.expect_download(timeout=60_000) as download:
        zip_button.click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert {"gradients-light.png", "gradients-dark.svg", "gradients.html"} <= set(names)
    assert "gradients.csv" in names and "run_in_pytorch.py" in names
    assert_no_exception(page)
