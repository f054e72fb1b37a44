"""The page's one time cursor, server side: t clamped to 1..T, kept in the session and the URL,
sent to the bar, and taken from the bar's moves. (Playing and the keyboard: the browser tests in
test_browser_cursor.py.)"""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explainer.figures import theme
from explainer.ui import player
from tests.app_utils import bar_data, chart, cursor, set_cursor

pytestmark = pytest.mark.app

REPO = Path(__file__).resolve().parent.parent
UNROLLED = str(REPO / "pages" / "1_Unrolled_RNN.py")
LSTM = str(REPO / "pages" / "2_LSTM_gates.py")


def run(page: str = UNROLLED, **query) -> AppTest:
    at = AppTest.from_file(page, default_timeout=30)
    at.query_params = {k: str(v) for k, v in query.items()}
    return at.run()


def equations_step(at: AppTest) -> int:
    heading = next(m.value for m in at.markdown if m.value.startswith("**The equations at step"))
    return int(heading.split("t = ")[1].split(",")[0])


@pytest.mark.parametrize(
    "move, t",
    [
        ({"t": 12, "seq": 5}, 12),
        ({"t": 12.0}, 12),
        ({"t": "12"}, None),
        ({"t": True}, None),
        ({"t": float("nan")}, None),
        ({"seq": 3}, None),
        ("12", None),
        (None, None),
    ],
)
def test_a_move_from_the_bar_is_read_or_ignored(move, t):
    assert player.take_move(move) == t


def test_frame_time_gives_a_sweep_of_8_to_20_seconds():
    for T in (2, 11, 46, 100, 200, 500):
        ms = player.frame_ms(T)
        assert 40 <= ms <= 350
        assert T * ms >= min(8000, 2 * 350)  # short texts play at 350 ms a step
    assert player.frame_ms(500) * 500 <= 20_000


def test_a_move_becomes_the_page_step_before_its_rerun(monkeypatch):
    state = {player.BAR_KEY: {"move": {"t": 33, "seq": 1234}}, player.KEY: 5}
    monkeypatch.setattr(st, "session_state", state)
    player._on_move()
    assert state[player.KEY] == 33 and state[player.SEQ_KEY] == 1234
    state[player.BAR_KEY] = {"move": {"t": "junk", "seq": 99}}
    player._on_move()  # junk from the browser changes nothing
    assert state[player.KEY] == 33 and state[player.SEQ_KEY] == 1234


def test_a_link_sets_the_bar_the_charts_equations_and_url():
    at = run(t=8)
    assert not at.exception and not at.warning
    assert cursor(at) == 8 and at.query_params["t"] == "8"
    # not in a lecture: no scene before or after for the keys to move to
    assert bar_data(at) == dict(
        t=8, T=46, seq=0, ms=player.frame_ms(46), label="Step t", lecture=None
    )
    assert theme.shown_step(chart(at, "unrolled_chart")) == 8
    assert equations_step(at) == 8


def test_moving_t_moves_every_panel_and_the_url():
    at = run(LSTM)
    assert cursor(at) == 5  # the shared default
    set_cursor(at, 30).run()
    assert not at.exception
    assert at.query_params["t"] == "30" and bar_data(at)["t"] == 30
    assert theme.shown_step(chart(at, "gates_heatmaps")) == 30
    assert theme.shown_step(chart(at, "gates_belt")) == 30
    assert equations_step(at) == 30


@pytest.mark.parametrize("asked, shown", [(0, 1), (-4, 1), (47, 46), (10**6, 46)])
def test_a_step_outside_the_run_is_clamped_with_a_notice(asked, shown):
    at = run(t=asked)
    assert any("t=" in w.value for w in at.warning), [w.value for w in at.warning]
    assert cursor(at) == shown and at.query_params["t"] == str(shown)
    assert bar_data(at)["t"] == shown and equations_step(at) == shown


def test_a_shorter_run_pulls_t_inside_it_and_the_url_follows():
    at = run(t=40)
    at.text_area(key="text").set_value("hello world").run()
    assert not at.exception
    T = len(chart(at, "unrolled_chart")["frames"])
    assert T < 40
    assert cursor(at) == T and at.query_params["t"] == str(T)
    assert bar_data(at)["T"] == T and bar_data(at)["t"] == T
    assert theme.shown_step(chart(at, "unrolled_chart")) == T


def test_a_one_step_run_shows_no_bar():
    at = run(source="numbers", numbers="1, 2")
    assert not at.exception
    names = [c.proto.component_name for c in at.get("bidi_component")]
    assert not any(n.endswith("time_cursor") for n in names) and cursor(at) == 1
