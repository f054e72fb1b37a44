"""Stepping t in presenter view (``python -m explainer.bench present``): the time from a key
press to the figure updated, in the browser.

One ``streamlit run Home.py`` on a free loopback port, headless Chromium (Debian's, through
Playwright) at 1280x720. Each page with a time cursor opens at its defaults with ``present=1``;
Home moves t to 1, then PageDown is pressed ``PRESSES`` times with the focus on the page body.
A press is timed from the key event to the next frame painted after every animated chart
reported ``plotly_animated`` (its frame drawn). The page's one rerun after a step (the bar sends
t back to the server) is let finish before the next press, as a lecturer's pace allows.
"""

from __future__ import annotations

import statistics

from explainer.bench._classroom import load, one_process

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 720}
PRESSES = 30
PAGES = ["Unrolled_RNN", "LSTM_gates", "GRU_gates", "Gradients_through_time", "Compare_cells"]
TARGET_MS = 150
OPEN_MS = 300_000  # a page's first run on a busy machine
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# arms a timer for the next key press: resolves with milliseconds from the keydown to the
# frame painted after every animated chart drew its new step
ARM = """() => {
  const charts = [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.layout && gd.layout.meta && gd.layout.meta.cursor);
  window.__pressed = new Promise((resolve) => {
    let start = null, left = charts.length;
    const done = () => requestAnimationFrame(() => resolve(performance.now() - start));
    const drawn = () => { if (start !== null && --left === 0) done(); };
    charts.forEach(gd => gd.once('plotly_animated', drawn));
    const began = () => { start = performance.now(); };
    window.addEventListener('keydown', began, {capture: true, once: true});
    setTimeout(() => resolve(NaN), 10000);
  });
  return charts.length;
}"""


def _wait_idle(page) -> None:
    page.wait_for_timeout(350)  # the bar's quiet time before it sends t (250 ms)
    page.wait_for_selector(IDLE, timeout=60_000)


def time_page(browser, base: str, name: str) -> tuple[list[float], int]:
    """Milliseconds of each press on page ``name`` at its defaults, and its animated charts."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{base}/{name}?present=1", wait_until="domcontentloaded")
    page.wait_for_selector(".ur-count", timeout=OPEN_MS)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=OPEN_MS)
    _wait_idle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Home")
    _wait_idle(page)
    times, charts = [], 0
    for _ in range(PRESSES):
        charts = page.evaluate(ARM)
        page.keyboard.press("PageDown")
        times.append(page.evaluate("window.__pressed"))
        _wait_idle(page)
    context.close()
    return times, charts


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(only: str | None = None) -> None:
    """Every page of ``PAGES``, or ``only`` that one (``present:Compare_cells``)."""
    from playwright.sync_api import Error, sync_playwright

    print(f"load average before: {load()}")
    print(f"\n| page (presenter view, defaults) | animated charts | presses | median ms "
          f"| p95 ms | max ms | under {TARGET_MS} ms |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|:-:|")
    with one_process() as (base, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox"])  # fmt: skip
        for name in [only] if only else PAGES:
            try:
                times, charts = time_page(browser, base, name)
            except Error as err:
                print(f"| {name.replace('_', ' ')} | did not open: {str(err)[:80]} |", flush=True)
                continue
            ok = [t for t in times if t == t]  # NaN: a press whose charts never reported
            med, p95 = statistics.median(ok), _p95(ok)
            print(f"| {name.replace('_', ' ')} | {charts} | {len(ok)}/{len(times)} | {med:.0f} "
                  f"| {p95:.0f} | {max(ok):.0f} | {'✓' if p95 < TARGET_MS else '✗'} |",
                  flush=True)  # fmt: skip
        browser.close()
    print(f"\nload average after: {load()}")
