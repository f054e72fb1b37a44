"""The LSTM and GRU gate pages under AppTest: defaults, controls at their limits, deep links
and junk links. Plotly charts are UnknownElements whose proto.spec is the figure JSON."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer.cells import n_params
from explainer.config import RunConfig
from explainer.scene import make_scene
from tests.app_utils import active_step, array, cursor, set_cursor

pytestmark = pytest.mark.app

PAGES = Path(__file__).resolve().parent.parent / "pages"
LSTM = str(PAGES / "2_LSTM_gates.py")
GRU = str(PAGES / "3_GRU_gates.py")
CHARTS = {
    LSTM: ["gates_heatmaps", "gates_belt", "gates_saturation", "gates_memory"],
    GRU: ["gates_heatmaps", "gates_keep", "gates_params", "gates_saturation"],
}


def run(page: str, **query) -> AppTest:
    """The page with these link parameters; random weights unless ``weights`` is given (the
    pages open on a trained model, whose size and vocabulary the random-init tests would fight);
    ``weights=None`` leaves the page's own default."""
    at = AppTest.from_file(page, default_timeout=60)
    query.setdefault("weights", "random")
    for key, value in query.items():
        if value is not None:
            at.query_params[key] = value
    return at.run()


def charts(at: AppTest) -> dict[str, dict]:
    """Figure specs by their key (the element id ends with the user key)."""
    out = {}
    for chart in at.get("plotly_chart"):
        key = next(k for k in CHARTS[LSTM] + CHARTS[GRU] if chart.proto.id.endswith(k))
        out[key] = json.loads(chart.proto.spec)
    return out


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**The equations at step"))


@pytest.mark.parametrize("page", [LSTM, GRU])
def test_defaults_run_and_draw_every_panel(page):
    at = run(page)
    assert_clean(at)
    specs = charts(at)
    assert sorted(specs) == sorted(CHARTS[page])
    T = len(make_scene(RunConfig()).seq.labels)
    heat = specs["gates_heatmaps"]
    assert len(heat["frames"]) == T
    assert active_step(heat) == 5  # opens at the default t = 5
    assert heading(at).startswith("**The equations at step t = 5, unit j = 0**")
    assert at.latex, "live equations"
    assert any("Conventions" in e.label for e in at.expander)
    assert any("What to try" in m.value for m in at.markdown)


def test_lstm_sidebar_has_the_forget_bias_and_no_cell_choice():
    at = run(LSTM)
    assert at.select_slider(key="forget_bias").value == "random"
    assert not [r for r in at.radio if r.key == "cell"]


@pytest.mark.parametrize("page", [LSTM, GRU])
@pytest.mark.parametrize("H", [1, 128])
def test_hidden_size_at_its_limits(page, H):
    at = run(page)
    at.slider(key="hidden_size").set_value(H).run()
    assert_clean(at)
    heat = charts(at)["gates_heatmaps"]
    assert heat["data"][0]["z"]["shape"].startswith(f"{H},")


@pytest.mark.parametrize("bias", ["-5", "0", "5", "random"])
def test_forget_bias_values(bias):
    at = run(LSTM)
    at.select_slider(key="forget_bias").set_value(bias).run()
    assert_clean(at)
    memory = charts(at)["gates_memory"]
    own = next(d for d in memory["data"] if d.get("name", "").startswith("σ(b"))
    if bias != "random":
        assert own["name"].endswith(f"b<sub>f</sub> = {float(bias):.2g}")


@pytest.mark.parametrize("page", [LSTM, GRU])
def test_step_and_unit_at_their_limits(page):
    at = run(page)
    T = len(make_scene(RunConfig()).seq.labels)
    set_cursor(at, T)
    at.slider(key="unit").set_value(15).run()
    assert_clean(at)
    assert heading(at).startswith(f"**The equations at step t = {T}, unit j = 15**")
    assert active_step(charts(at)["gates_heatmaps"]) == T
    set_cursor(at, 1)
    at.slider(key="unit").set_value(0).run()
    assert_clean(at)
    assert active_step(charts(at)["gates_heatmaps"]) == 1


@pytest.mark.parametrize("page", [LSTM, GRU])
def test_one_step_text_and_the_longest_sequence(page):
    at = run(page)
    at.text_area(key="text").set_value("ab").run()  # one step: a predicts b
    assert_clean(at)
    assert len(charts(at)["gates_heatmaps"]["frames"]) == 1
    at = run(page, source="sine", seq_len="500", hidden_size="64")
    assert_clean(at)
    specs = charts(at)
    T = make_scene(RunConfig(source="sine", seq_len=500)).trace.T
    assert len(specs["gates_heatmaps"]["frames"]) == T >= 500
    sizes = [len(c.proto.spec) for c in at.get("plotly_chart")]
    assert max(sizes) < 1.5e6, sizes


@pytest.mark.parametrize("page", [LSTM, GRU])
def test_awkward_text_runs(page):
    at = run(page)
    at.text_area(key="text").set_value("🙂 \n\t" * 100).run()
    assert_clean(at)


def test_lstm_deep_link_restores_the_scene():
    at = run(LSTM, seed="3", hidden_size="8", forget_bias="1", t="7", unit="2")
    assert_clean(at)
    assert cursor(at) == 7 and at.slider(key="unit").value == 2
    assert at.number_input(key="seed").value == 3
    assert heading(at).startswith("**The equations at step t = 7, unit j = 2**")
    specs = charts(at)
    assert active_step(specs["gates_heatmaps"]) == 7
    expected = make_scene(RunConfig(cell="lstm", seed=3, hidden_size=8, forget_bias=1.0))
    c_line = specs["gates_belt"]["data"][2]
    np.testing.assert_allclose(array(c_line["y"]), expected.trace.c[:, 2], atol=1e-6)


def test_gru_deep_link_restores_the_scene():
    at = run(GRU, seed="5", hidden_size="12", t="9", unit="11")
    assert_clean(at)
    assert heading(at).startswith("**The equations at step t = 9, unit j = 11**")
    expected = make_scene(RunConfig(cell="gru", seed=5, hidden_size=12))
    bars = charts(at)["gates_keep"]["data"][0]
    np.testing.assert_allclose(array(bars["y"]), expected.trace.gates["z"][8], atol=1e-6)


@pytest.mark.parametrize("page", [LSTM, GRU])
def test_junk_link_falls_back_with_a_notice(page):
    at = run(page, hidden_size="abc", seed="-4", t="zzz", unit="999", forget_bias="banana")
    assert_clean(at)
    notices = " ".join(w.value for w in at.warning)
    for key in ("hidden_size", "seed", "t=", "unit"):
        assert key in notices, notices
    if page == LSTM:
        assert "forget_bias" in notices
    assert at.slider(key="hidden_size").value == RunConfig().hidden_size
    assert heading(at).startswith("**The equations at step t = 5, unit j = 15**")


def test_gru_parameter_counts_with_the_numbers_substituted():
    at = run(GRU, hidden_size="20")
    assert_clean(at)
    D = make_scene(RunConfig(cell="gru", hidden_size=20)).params.input_size
    latex = " ".join(e.value for e in at.latex)
    assert f"G\\,(20 \\cdot {D} + 20^2 + 2 \\cdot 20)" in latex
    for kind in ("rnn", "gru", "lstm"):
        assert f"{n_params(kind, D, 20):,}".replace(",", "{,}") in latex
    counts = charts(at)["gates_params"]["data"][0]["y"]
    assert list(counts) == [n_params(k, D, 20) for k in ("rnn", "gru", "lstm")]
    assert r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}" in latex


@pytest.mark.parametrize("page,model", [(LSTM, "char-lstm"), (GRU, "char-gru")])
def test_pages_open_on_a_trained_model(page, model):
    """Issue #4: the gate pages show learned behaviour by default, not random gates."""
    at = run(page, weights=None)
    assert_clean(at)
    assert at.selectbox(key="weights").value == model
    spec = charts(at)["gates_heatmaps"]
    assert array(spec["data"][0]["z"]).size == 32 * len(RunConfig().text[:-1])  # H = 32
