"""The classroom load test: a small class on the app finds no errors; a broken app is caught."""

import asyncio
import textwrap

import pytest

from explainer.serve.cluster import Replica, stop_process, wait_healthy
from explainer.serve.students import classroom, run_class, run_sync
from explainer.serve.trainers import run_training_class
from tests.conftest import free_port

pytestmark = pytest.mark.serve
PAGES = ["", "Unrolled_RNN", "LSTM_gates", "GRU_gates", "Gradients_through_time", "Compare_cells"]

BROKEN_APP = {
    "app.py": """
        import streamlit as st
        st.slider("x", 0, 10, 0, key="x")
    """,
    "pages/1_Raises.py": """
        import streamlit as st
        if st.slider("y", 0, 10, 0, key="y") >= 0:
            raise RuntimeError("boom from a page that raises")
    """,
    "pages/2_Does_not_compile.py": "def broken(:\n",
    "pages/3_Hangs.py": """
        import time
        time.sleep(8)
    """,
}


START_PAGES = ["", "Raises", "Does_not_compile", "Hangs"]


@pytest.fixture
def broken_app(tmp_path):
    for name, text in BROKEN_APP.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    replica = Replica(free_port(), app="app.py", cwd=tmp_path)
    with open(tmp_path / "server.log", "w") as log:
        replica.start(log)
        try:
            wait_healthy(replica.url, replica.process, 60)
            yield replica
        finally:
            replica.stop()


def test_a_small_class_on_the_app_runs_without_errors(app_server):
    tally = run_class(app_server, students=10, seconds=20, ramp_s=3, start_pages=PAGES)
    assert tally.errors == 0, tally.messages
    assert len(tally.first_loads) == 10
    # ~10 students x 20 s / 2 s think time = 100 changes on a quiet machine; at least one each
    assert len(tally.latencies) >= 10
    assert tally.changes.get("page", 0) > 0 and len(tally.changes) > 2  # pages and sliders


@pytest.fixture
def own_app(tmp_path):
    """The app on a replica of its own: the runs trainers start end with it."""
    replica = Replica(free_port())
    with open(tmp_path / "server.log", "w") as log:
        replica.start(log)
        try:
            wait_healthy(replica.url, replica.process, 90)
            yield replica.url
        finally:
            replica.stop()


def test_students_who_train_each_get_a_run_or_a_place_in_line(own_app):
    others, trainers, clicks = run_training_class(
        own_app, students=4, trainers=2, seconds=15, ramp_s=2, start_pages=PAGES
    )
    assert others.errors == 0 and trainers.errors == 0, others.messages + trainers.messages
    assert clicks.outcomes["errors"] == 0, clicks.messages
    # every trainer's click got a run or a place in line, read from the page's own words
    assert clicks.outcomes["trained"] + clicks.outcomes["queued"] == 2, clicks
    assert clicks.outcomes["trained"] >= 1
    assert len(others.latencies) >= 2  # the others' explainer pages, timed apart


def test_the_load_test_catches_exceptions_failed_runs_and_dropped_sessions(broken_app):
    async def go():
        # students land on each page, switch pages, and the server dies under them
        students = asyncio.ensure_future(
            classroom(broken_app.url, 8, 12, ramp_s=1, start_pages=START_PAGES, run_timeout_s=3)
        )
        await asyncio.sleep(9)
        await asyncio.to_thread(stop_process, broken_app.process)
        return await students

    tally = run_sync(go())
    assert tally.exceptions > 0
    assert any("boom from a page that raises" in m for m in tally.messages)
    assert any("SyntaxError" in m for m in tally.messages)  # shown as an exception element
    assert tally.failed_runs > 0  # the page that does not finish in time
    assert tally.dropped > 0
