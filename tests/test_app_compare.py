"""The compare page in-process under AppTest: defaults, controls at their limits, overflow,
deep links and junk links."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer import gradients
from explainer.cells import n_params
from explainer.config import RunConfig
from explainer.scene import make_scene
from tests.app_utils import (
    active_step,
    array,
    assert_clean_with_player,
    chart,
    cursor,
    set_cursor,
)

pytestmark = pytest.mark.app

PAGE = Path(__file__).resolve().parent.parent / "pages" / "5_Compare_cells.py"
T_DEFAULT = make_scene(RunConfig()).trace.T


def run(**query) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_defaults_show_three_cells():
    at = run()
    assert not at.exception, [e.value for e in at.exception]
    norms = chart(at, "cmp_norms")
    names = [tr["name"] for tr in norms["data"] if tr.get("mode") == "lines"]
    assert [n.split()[0] for n in names] == ["vanilla", "LSTM", "GRU"]
    states = chart(at, "cmp_states")
    maps = [tr for tr in states["data"] if tr["type"] == "heatmap"]
    assert len(maps) == 3
    assert all(array(m["z"]).shape == (RunConfig().hidden_size, T_DEFAULT) for m in maps)
    assert len(states["frames"]) == T_DEFAULT
    assert active_step(states) == cursor(at)


def test_same_input_and_seed_for_every_cell():
    at = run(source="sine", seq_len="30", seed="3", hidden_size="4")
    maps = [tr for tr in chart(at, "cmp_states")["data"] if tr["type"] == "heatmap"]
    for m, kind in zip(maps, ("rnn", "lstm", "gru"), strict=True):
        scene = make_scene(RunConfig(cell=kind, source="sine", seq_len=30, seed=3, hidden_size=4))
        np.testing.assert_allclose(array(m["z"]), scene.trace.h[1:].T, rtol=1e-6, atol=1e-7)


def test_jacobian_gains_in_the_legend_are_the_run_s_own():
    at = run(source="sine", seq_len="40")
    lines = [tr for tr in chart(at, "cmp_norms")["data"] if tr.get("mode") == "lines"]
    scene = make_scene(RunConfig(cell="lstm", source="sine", seq_len=40))
    jac = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    np.testing.assert_allclose(array(lines[1]["y"]), jac, rtol=1e-12)


def test_parameter_counts_follow_the_formula():
    at = run(hidden_size="8")
    assert not at.exception
    D = make_scene(RunConfig()).seq.x.shape[1]
    shown = {m.label.split(" (")[0]: m.value for m in at.metric}
    for kind, name in (("rnn", "vanilla RNN"), ("lstm", "LSTM"), ("gru", "GRU")):
        assert shown[name] == f"{n_params(kind, D, 8):,}"
    assert int(shown["LSTM"].replace(",", "")) == 4 * int(shown["vanilla RNN"].replace(",", ""))


@pytest.mark.parametrize(
    "query",
    [
        dict(source="sine", seq_len="2", hidden_size="1"),
        dict(source="sine", seq_len="500", hidden_size="64"),
        dict(hidden_size="128"),
        dict(source="copy", seq_len="500"),
        dict(init="orthogonal", rho="0.0"),
        dict(init="gaussian", rho="4.0"),
        dict(activation="sigmoid"),
        dict(activation="relu", init="identity", rho="4.0"),
        dict(seed=str(2**31 - 1)),
        dict(t="1"),
        dict(t=str(T_DEFAULT)),
    ],
)
def test_controls_at_their_limits_run_cleanly(query):
    assert_clean_with_player(run(**query), "cmp_states")


def test_widgets_moved_to_their_extremes_rerun_cleanly():
    at = run()
    at.slider(key="hidden_size").set_value(1).run()
    at.slider(key="rho").set_value(0.0).run()
    at.selectbox(key="init").set_value("orthogonal").run()
    set_cursor(at, 1).run()
    assert not at.exception, [e.value for e in at.exception]
    assert active_step(chart(at, "cmp_states")) == 1


def test_huge_states_stay_drawable():
    # rho and T are capped so that 4^500 ~ 1e301 still fits float64: the linear RNN's states
    # are huge but finite, and the heatmap draws them at full colour (float32 cannot hold them)
    at = run(source="sine", seq_len="500", activation="linear", init="gaussian", rho="4.0")
    assert not at.exception, [e.value for e in at.exception]
    rnn = array(chart(at, "cmp_states")["data"][0]["z"])
    assert np.isfinite(rnn).all() and np.abs(rnn).max() >= 1e29
    lines = [tr for tr in chart(at, "cmp_norms")["data"] if tr.get("mode") == "lines"]
    assert array(lines[0]["y"])[0] > 1e250


def _overflowing_notice():
    from types import SimpleNamespace

    import numpy as np

    from explainer.ui import compare

    def scene(bad_step):
        return SimpleNamespace(trace=SimpleNamespace(first_nonfinite_step=lambda: bad_step))

    ok = {k: scene(None) for k in ("rnn", "lstm", "gru")}
    norms = {k: np.ones(4) for k in ok}
    compare.overflow_notice({**ok, "gru": scene(2)}, norms)
    compare.overflow_notice(ok, {**norms, "lstm": np.array([np.nan, 1.0])})
    compare.overflow_notice(ok, norms)


def test_overflow_notice_names_the_broken_cell_only():
    at = AppTest.from_function(_overflowing_notice, default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 2
    assert "GRU" in at.error[0].value and "LSTM" not in at.error[0].value
    assert "LSTM" in at.error[1].value and "GRU" not in at.error[1].value


def test_trained_weights_give_each_cell_its_own_model():
    at = run()
    # set through the widget: the shared select writes its formatted label into the URL
    at.selectbox(key="weights").set_value("char-rnn").run()
    assert not at.exception, [e.value for e in at.exception]
    note = " ".join(i.value for i in at.info)
    for name in ("char-rnn", "char-lstm", "char-gru"):
        assert name in note
    maps = [tr for tr in chart(at, "cmp_states")["data"] if tr["type"] == "heatmap"]
    assert {array(m["z"]).shape[0] for m in maps} == {32}


def test_deep_link_restores_the_scene():
    at = run(source="sine", seq_len="90", seed="11", hidden_size="6", t="33")
    assert not at.exception
    assert cursor(at) == 33
    assert at.number_input(key="seed").value == 11
    assert at.slider(key="hidden_size").value == 6
    states = chart(at, "cmp_states")
    assert active_step(states) == 33
    assert [s["x0"] for s in states["layout"]["shapes"]] == [32.5] * 3


def test_junk_link_falls_back_with_a_notice():
    at = run(seed="-4", source="nonsense", t="0")
    assert not at.exception, [e.value for e in at.exception]
    notices = " ".join(w.value for w in at.warning)
    for key in ("seed='-4'", "source='nonsense'", "t='0' is below 1; using 1"):
        assert key in notices, notices
    assert at.radio(key="source").value == RunConfig().source
