"""A student's first visit (``python -m explainer.bench class:first-visit``).

Headless Chromium (Debian's, through Playwright) at 1440x900 with a fresh profile per visit (no
cache) opens each page straight from one replica and through the proxy (front end precompressed,
the rest gzipped), on loopback and on a throttled classroom network. Times from navigation: the
front end's JS/CSS loaded, the plotly chunk loaded (fetched once the first chart arrives), the
websocket connected, the first and the last chart drawn (the run finished, every chart drawn).
"""

from __future__ import annotations

import os
import time

from explainer.bench._classroom import PAGES, load, replicated_with_direct

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1440, "height": 900}
NETWORKS = {
    "loopback": None,
    "25 Mbit/s, 20 ms": {"latency": 20, "downloadThroughput": 25e6 / 8, "uploadThroughput": 1e6},
}
STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return {
    charts: charts.filter(c => c.querySelector('.main-svg')).length,
    pending: charts.filter(c => !c.querySelector('.main-svg')).length
      + document.querySelectorAll('[data-testid="stSkeleton"]').length,
    connected: app?.getAttribute('data-test-connection-state') === 'CONNECTED',
    running: app?.getAttribute('data-test-script-state') === 'running',
  };
}"""
RESOURCES = """() => performance.getEntriesByType('resource').map(
  e => [e.name, e.responseEnd / 1000, e.transferSize])"""
TIMEOUT_S = 60.0


def visit(browser, url: str, network: dict | None) -> dict[str, float]:
    """Open ``url`` in a fresh context; the timings of its first visit, in seconds."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    if network is not None:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    seen = {"connected": float("nan"), "first": float("nan"), "last": float("nan")}
    charts, ran = 0, False
    while time.perf_counter() - start < TIMEOUT_S:
        now, state = time.perf_counter() - start, page.evaluate(STATE)
        if state["connected"] and seen["connected"] != seen["connected"]:
            seen["connected"] = now
        ran = ran or state["running"]
        if state["charts"] > charts:
            seen["first"] = seen["first"] if charts else now
            charts, seen["last"] = state["charts"], now
        if ran and not state["running"] and not state["pending"]:
            break  # the run finished and every chart it sent is drawn
        time.sleep(0.03)
    resources = page.evaluate(RESOURCES)
    context.close()
    front = [
        end for name, end, _ in resources
        if name.endswith((".js", ".css")) and "PlotlyChart" not in name
    ]  # fmt: skip
    plotly = [end for name, end, _ in resources if "PlotlyChart" in name]
    return {
        **seen,
        "charts": charts,
        "kb": sum(size for *_, size in resources) / 1024,
        "front": max(front, default=float("nan")),
        "plotly": max(plotly, default=float("nan")),
    }


def run() -> None:
    from playwright.sync_api import sync_playwright

    print("A student's first visit: seconds from navigation (fresh profile, 1440x900)\n")
    print(f"load average before (1 / 5 / 15 min): {load()}\n")
    print(
        "| page | via | network | KB transferred | other JS/CSS loaded | plotly chunk loaded "
        "| connected | first chart | last chart | charts |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    with replicated_with_direct() as (proxy, direct), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for network_name, network in NETWORKS.items():
            for page in PAGES:
                for via, base in (("replica", direct), ("proxy (gzip)", proxy)):
                    t = visit(browser, f"{base}/{page}", network)
                    print(
                        f"| {page or 'Home'} | {via} | {network_name} | {t['kb']:.0f} "
                        f"| {t['front']:.2f} | {t['plotly']:.2f} | {t['connected']:.2f} "
                        f"| {t['first']:.2f} | {t['last']:.2f} | {t['charts']} |",
                        flush=True,
                    )
        browser.close()
    print(f"\nload average after: {load()} (cores: {os.cpu_count()})\n")
