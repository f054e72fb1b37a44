"""Shared fixtures: the app served by `streamlit run`, and a headless Chromium page."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# every figure the tests build is validated by plotly (the app skips it for speed)
os.environ["UNROLLED_VALIDATE_FIGURES"] = "1"
# one BLAS thread per process, as `make test` sets it, also when pytest is run directly
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1000}
HEALTH_TIMEOUT_S = 60
BROWSER_TRIES = 2  # more runs of a failed browser test (pytest-rerunfailures)


# a file's cost class, heaviest first: browser files, then those that train, serve or run
# pages in-process, then the rest (pure functions)
COST = {"browser": 3, "slow": 2, "serve": 2, "app": 1}


def file_cost(items) -> tuple[int, int]:
    """A test file's cost: the heaviest marker among its tests, then how many tests it has."""
    marks = {m.name for item in items for m in item.iter_markers()}
    return max((COST.get(m, 0) for m in marks), default=0), len(items)


def pytest_collection_modifyitems(items) -> None:
    """Every test that drives Chromium gets two more tries: on two busy cores (the suite runs a
    worker per core) a page can rerun under a test's feet, e.g. the screen reporter's first
    report, between two reads. A real failure fails all three runs; the report lists reruns.

    Files run heaviest first (xdist hands out whole files in this order): the long browser
    files start at once on both workers and the quick files fill the end, so neither worker
    waits minutes for the other's last file."""
    for item in items:
        if "chromium_browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_TRIES, reruns_delay=2))
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    order = sorted(files, key=lambda f: file_cost(files[f]), reverse=True)
    items[:] = [item for f in order for item in files[f]]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Serve Home.py with this interpreter's streamlit; yield the base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_dir = REPO / "test-results"
    log_dir.mkdir(exist_ok=True)
    log_path = log_dir / "streamlit-server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "Home.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        # no "source changed" banners if files are edited while tests run
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    # the served app runs as it does for a class: figures unvalidated (the app and figure tests
    # validate every builder's figure in-process; plotly's checks cost the server seconds a page)
    env = {**os.environ, "UNROLLED_VALIDATE_FIGURES": "0"}
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while not healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"streamlit did not become healthy; log:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.25)
    yield base_url
    stop(process)


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian Chromium for the session, driven by Playwright's sync API."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught page errors seen by `browser_page` during the test."""
    return []


@pytest.fixture(scope="session")
def browser_context(chromium_browser):
    """One browser context (profile) for the session's tests, as one student's browser: its
    cache keeps Streamlit's and plotly's scripts between pages, and its cookies the screen's
    size (explainer/ui/screen.py), so a page opened at the size the last one had draws once."""
    context = chromium_browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context, console_errors):
    """A fresh 1600x1000 tab of the session's browser per test (a new Streamlit session: a page
    load opens its own websocket)."""
    from browser_utils import collect_errors

    page = browser_context.new_page()
    collect_errors(page, console_errors)
    yield page
    page.close()
