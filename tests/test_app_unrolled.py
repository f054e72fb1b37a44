"""Page 1 (Unrolled RNN) under AppTest: defaults, every control at its extremes, deep links,
junk links. The chart is read from its proto: ``proto.spec`` is the figure's JSON."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer.figures import theme
from tests.app_utils import cursor, set_cursor

pytestmark = pytest.mark.app

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "1_Unrolled_RNN.py")


def run(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params = {k: str(v) for k, v in query.items()}
    return at.run()


def spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1, "the page draws one animated figure"
    return json.loads(charts[0].proto.spec)


def heatmap_shape(fig: dict) -> list[int]:
    return [int(n) for n in fig["data"][0]["z"]["shape"].split(",")]


def opening_step(fig: dict) -> str:
    return str(theme.shown_step(fig))


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_defaults_show_chain_equations_explanation_and_what_to_try():
    at = ok(run())
    assert [t.value for t in at.title] == ["Unrolled RNN"]
    fig = spec(at)
    T = len(fig["frames"])
    assert T == 46 and heatmap_shape(fig) == [16, 46]  # default text, H = 16
    assert opening_step(fig) == "5"  # the shared default step
    assert any(r"h_{5}" in e.value for e in at.latex)  # live equations at t = 5
    markdown = " ".join(m.value for m in at.markdown)
    assert "network's memory" in markdown and "What to try" in markdown
    assert "Set **H = 1**" in markdown


@pytest.mark.parametrize(
    "query",
    [
        {"hidden_size": 1},
        {"hidden_size": 128},
        {"source": "sine", "seq_len": 2},
        {"source": "sine", "seq_len": 500, "t": 500},
        {"seed": 0},
        {"seed": 2**31 - 1},
        {"t": 1},
        {"t": 46, "unit": 15},
        {"cell": "lstm", "forget_bias": "-5"},
        {"cell": "lstm", "forget_bias": "5"},
        {"cell": "gru"},
        {"activation": "relu", "init": "identity", "rho": "4.0", "source": "sine"},
        {"activation": "sigmoid", "init": "gaussian", "rho": "0.0"},
        {"activation": "linear", "init": "orthogonal", "rho": "4.0"},
        {"source": "numbers"},
        {"source": "adding", "seq_len": 500},
        {"source": "copy", "seq_len": 500},
    ],
)
def test_each_control_at_its_extremes_runs(query):
    at = ok(run(**query))
    fig = spec(at)
    H, T = heatmap_shape(fig)
    assert len(fig["frames"]) == T
    if "hidden_size" in query:
        assert H == query["hidden_size"]


def test_widgets_drive_the_figure():
    at = ok(run())
    at.slider(key="hidden_size").set_value(8)
    at.radio(key="cell").set_value("lstm")
    set_cursor(at, 30)
    ok(at.run())
    at.slider(key="unit").set_value(7)
    fig = spec(ok(at.run()))
    assert heatmap_shape(fig) == [8, 46]
    assert opening_step(fig) == "30"
    assert fig["layout"]["yaxis"]["ticktext"][2] == "h<sub>t</sub> unit 7"
    assert "the same LSTM cell" in json.dumps(fig["layout"]["annotations"])


def test_deep_link_restores_the_scene():
    link = dict(cell="gru", hidden_size=8, seed=3, source="sine", seq_len=60, t=17, unit=5)
    at = ok(run(**link))
    assert not at.warning
    assert at.radio(key="cell").value == "gru"
    assert at.radio(key="source").value == "sine"
    assert at.slider(key="hidden_size").value == 8
    assert at.slider(key="seq_len").value == 60
    assert at.number_input(key="seed").value == 3
    assert cursor(at) == 17 and at.slider(key="unit").value == 5
    fig = spec(at)
    assert heatmap_shape(fig) == [8, 60] and opening_step(fig) == "17"
    assert at.query_params["t"] == "17"  # the address bar keeps t
    # same seed, same run: a second visit draws the very same figure
    assert spec(ok(run(**link))) == fig


@pytest.mark.parametrize(
    "key, junk",
    [
        ("hidden_size", "abc"),
        ("source", "nope"),
        ("rho", "1e9"),
        ("cell", "transformer"),
        ("t", "-4"),
        ("unit", "zz"),
    ],
)
def test_junk_link_falls_back_with_a_notice(key, junk):
    at = ok(run(**{key: junk}))
    notices = " ".join(w.value for w in at.warning)
    assert key in notices, notices
    fig = spec(at)
    assert heatmap_shape(fig) == [16, 46]  # the default scene


def test_bad_input_stops_with_a_message_not_a_crash():
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params = {"source": "numbers", "numbers": "1, two, 3"}
    at.run()
    assert not at.exception
    assert any("cannot be run" in e.value for e in at.error)


def test_exploding_run_is_reported():
    at = ok(run(activation="relu", init="identity", rho="1.5"))
    assert any("exploding" in w.value for w in at.warning)


def test_trained_weights_make_the_guesses_meaningful():
    at = ok(run())
    at.selectbox(key="weights").set_value("char-rnn")
    fig = spec(ok(at.run()))
    assert heatmap_shape(fig) == [32, 46]  # the trained model sets H
    assert any("weights are trained" in c.value for c in at.caption)
