"""The gradients page in-process under AppTest: defaults, every control at its limits, overflow,
deep links and junk links."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer import gradients
from explainer.config import RunConfig
from explainer.figures.gradients import sci
from explainer.scene import make_scene
from tests.app_utils import active_step, assert_clean_with_player, chart, cursor, set_cursor

pytestmark = pytest.mark.app

PAGE = Path(__file__).resolve().parent.parent / "pages" / "4_Gradients_through_time.py"
T_DEFAULT = make_scene(RunConfig()).trace.T
OVERFLOW = dict(source="sine", seq_len="500", activation="linear", init="identity", rho="4.0")


def run(**query) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def banner(at: AppTest) -> str:
    """The regime badge alone (the what-to-try items name regimes too)."""
    return next(m.value for m in at.markdown if m.value.startswith("**:"))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_defaults_show_regime_curves_spectrum_and_clipping():
    at = run()
    assert not at.exception, [e.value for e in at.exception]
    assert "VANISHING" in markdown(at)
    keys = ("grad_curves", "grad_spectrum", "grad_clip_norms", "grad_clip_direction")
    for key in keys:
        chart(at, key)
    curves = chart(at, "grad_curves")
    assert len(curves["frames"]) == T_DEFAULT
    assert active_step(curves) == cursor(at)
    assert curves["layout"]["yaxis"]["type"] == "log"
    # clipping off in the sidebar: the panel previews theta = 1
    assert any("θ = 1 would do" in i.value for i in at.info)


def test_numbers_at_t_are_the_run_s_own():
    at = run(source="sine", seq_len="60", init="orthogonal", rho="1.5", t="20")
    assert not at.exception
    scene = make_scene(RunConfig(source="sine", seq_len=60, init="orthogonal", rho=1.5))
    jac = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    shown = metrics(at)
    label = next(k for k in shown if r"\partial h_T / \partial h_{20}" in k)
    assert shown[label] == sci(jac[20])
    assert shown[next(k for k in shown if "T-20" in k)] == sci(
        gradients.pascanu_bound(scene.params, scene.trace.T)[20]
    )
    assert shown[next(k for k in shown if "gain" in k)] == sci(jac[0])


@pytest.mark.parametrize(
    "query",
    [
        dict(source="sine", seq_len="2", hidden_size="1"),
        dict(source="sine", seq_len="500", hidden_size="64"),
        dict(hidden_size="128"),
        dict(source="adding", seq_len="500", cell="lstm", forget_bias="5"),
        dict(source="copy", seq_len="2", cell="gru"),
        dict(source="numbers"),
        dict(init="orthogonal", rho="0.0"),
        dict(init="gaussian", rho="4.0"),
        dict(init="identity", rho="4.0", activation="relu"),
        dict(activation="sigmoid", init="orthogonal", rho="3.0"),
        dict(activation="linear"),
        dict(cell="lstm", forget_bias="-5"),
        dict(clip="0.1"),
        dict(clip="10"),
        dict(seed=str(2**31 - 1)),
        dict(t="1"),
        dict(t=str(T_DEFAULT)),
    ],
)
def test_controls_at_their_limits_run_cleanly(query):
    assert_clean_with_player(run(**query), "grad_curves")


def test_widgets_moved_to_their_extremes_rerun_cleanly():
    at = run()
    at.slider(key="rho").set_value(4.0).run()
    at.selectbox(key="init").set_value("identity").run()
    at.radio(key="activation").set_value("linear").run()
    at.select_slider(key="clip").set_value("10").run()
    T = len(chart(at, "grad_curves")["frames"])
    set_cursor(at, T).run()
    assert not at.exception, [e.value for e in at.exception]
    assert active_step(chart(at, "grad_curves")) == T


def test_overflow_is_an_event_not_a_crash():
    at = run(**OVERFLOW, clip="1")
    assert not at.exception, [e.value for e in at.exception]
    assert "OVERFLOW" in markdown(at)
    assert any("Overflow" in e.value for e in at.error)
    names = [tr.get("name") for tr in chart(at, "grad_curves")["data"]]
    assert "overflow to inf/NaN" in names


def test_gated_cells_have_no_pascanu_bound_but_a_spectrum_per_gate():
    at = run(cell="gru")
    assert not at.exception
    assert metrics(at)["Pascanu's bound"] == "—"
    names = [tr["name"] for tr in chart(at, "grad_spectrum")["data"]]
    assert len(names) == 3 and all(f"h{g}" in n for g, n in zip("rzn", names, strict=True))


def test_clipping_on_shows_norms_and_cosines():
    at = run(source="sine", seq_len="100", init="orthogonal", rho="2.5", clip="1")
    assert not at.exception
    assert not any("would do" in i.value for i in at.info)
    bars = chart(at, "grad_clip_norms")["data"][0]
    assert bars["text"][1] == "1"  # norm clipping lands exactly on theta
    shown = metrics(at)
    assert shown["cos(g, norm-clipped)"] == "1.0000"
    assert float(shown["cos(g, element-clipped)"]) < 0.99


def test_deep_link_restores_the_scene():
    query = dict(source="sine", seq_len="80", seed="7", init="orthogonal", rho="1.5", t="12")
    at = run(**query)
    assert not at.exception
    assert cursor(at) == 12
    assert at.number_input(key="seed").value == 7
    assert at.slider(key="rho").value == 1.5
    curves = chart(at, "grad_curves")
    assert active_step(curves) == 12
    T = make_scene(RunConfig(source="sine", seq_len=80, seed=7)).trace.T
    assert len(curves["frames"]) == T


def test_junk_link_falls_back_with_a_notice():
    at = run(hidden_size="abc", rho="9", clip="banana", t="999")
    assert not at.exception, [e.value for e in at.exception]
    notices = " ".join(w.value for w in at.warning)
    for key in ("hidden_size", "rho", "clip", "t=999"):
        assert key in notices
    # not a number or not an option: the default; out of range: the nearest end (said so)
    assert at.slider(key="hidden_size").value == RunConfig().hidden_size
    assert np.isclose(at.slider(key="rho").value, 4.0) and "using 4." in notices
    assert at.select_slider(key="clip").value == "off" and "using off." in notices


def test_trained_weights_run_cleanly():
    at = run(cell="lstm")
    at.selectbox(key="weights").set_value("char-lstm").run()
    assert not at.exception, [e.value for e in at.exception]
    names = [tr["name"] for tr in chart(at, "grad_spectrum")["data"]]
    assert len(names) == 4
    assert metrics(at)["Pascanu's bound"] == "—"


def test_banner_judges_the_rate_and_shows_the_gain_beside_it():
    # the page's own tip: a gain of ~77 at T = 40 is 1.115 per step, exploding
    at = run(source="sine", init="orthogonal", rho="1.5")
    assert not at.exception
    assert "EXPLODING" in banner(at)
    scene = make_scene(RunConfig(source="sine", init="orthogonal", rho=1.5))
    jac = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    shown = metrics(at)
    assert shown[next(k for k in shown if "per step" in k)] == f"{gradients.step_rate(jac):.3g}"
    assert shown[next(k for k in shown if "gain" in k)] == sci(jac[0])


@pytest.mark.parametrize("T", ["40", "100"])
def test_linear_rho_09_is_vanishing_at_every_T(T):
    at = run(source="sine", activation="linear", init="orthogonal", rho="0.9", seq_len=T)
    assert "VANISHING" in banner(at)


def test_tip_buttons_switch_to_the_remedies():
    at = run()
    assert "VANISHING" in banner(at)
    at.button(key="try_remedy_1").click().run()  # identity, rho = 1 (IRNN)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="init").value == "identity"
    assert at.slider(key="rho").value == 1.0
    assert "STABLE" in banner(at)
    at.button(key="try_forget_bias_1").click().run()  # LSTM, b_f = 5, T = 200
    assert at.radio(key="cell").value == "lstm"
    assert at.select_slider(key="forget_bias").value == "5"
    assert "STABLE" in banner(at)


def test_loss_help_names_the_readout_used():
    at = run()
    loss = next(m for m in at.metric if m.label == "loss L")
    assert "random linear readout" in loss.proto.help
    at = run(cell="lstm")
    at.selectbox(key="weights").set_value("char-lstm").run()
    loss = next(m for m in at.metric if m.label == "loss L")
    assert "trained model's own readout" in loss.proto.help and "random" not in loss.proto.help


def test_spectrum_shows_radius_and_sigma_max_of_this_run():
    at = run(init="gaussian", rho="1.0")
    scene = make_scene(RunConfig(init="gaussian", rho=1.0))
    radius = gradients.spectral_radius(scene.params.W_hh)
    top = gradients.singular_values(scene.params.W_hh)[0]
    text = markdown(at)
    assert f"**{radius:.3g}**" in text and f"**{top:.3g}**" in text
