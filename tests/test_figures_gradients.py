"""Figures of the gradients page, built without streamlit: traces, axes, frames, colours, size."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from explainer import gradients
from explainer.figures import gradients as figs
from explainer.figures import theme
from explainer.initializers import init_params
from explainer.unroll import unroll
from tests.app_utils import array, sent, view


def norms(T: int, rate: float = 0.8, seed: int = 0):
    """Curves shaped like a run: dL/dh_t noisy, dh_T/dh_t = rate^(T-t), bound above it."""
    rng = np.random.default_rng(seed)
    jac = rate ** np.arange(T, -1, -1.0)
    dL = jac * (1 + rng.random(T + 1))
    return dL, jac, 1.2 ** np.arange(T, -1, -1.0)


def clip_vectors(g: np.ndarray) -> dict:
    return {"g": g, "norm": g / np.linalg.norm(g), "elem": np.clip(g, -1, 1)}


def every_builder() -> dict:
    """One figure of each builder (the curves with an overflow, a bound and the h_t mark)."""
    dL, jac, bound = norms(12)
    jac[:4] = np.inf
    svals = {"a": np.array([2.0, 1.0])}
    return {
        "curves": figs.gradient_curves(dL, jac, 5, "rnn", bound, h_overflow=9),
        "spectrum": figs.singular_values_figure(svals, {"a": 1.0}),
        "clip_norms": figs.clip_norms_figure({"g": 50.0, "norm": 1.0, "elem": 7.0}, 1.0),
        "clip_direction": figs.clip_direction_figure(clip_vectors(np.array([3.0, -0.4])), 1.0),
    }


def test_log_values_turn_non_finite_and_non_positive_into_gaps():
    out = figs.log_values([1e-300, 0.0, -1.0, np.inf, np.nan, 1e300])
    assert out.dtype == np.float64  # float32 would lose 1e-300 and 1e300
    assert out[0] == 1e-300 and out[-1] == 1e300
    assert np.isnan(out[1:5]).all()


def test_sci_labels():
    assert figs.sci(0.5) == "0.5"
    assert figs.sci(3.2e-5) == "3.2e-05"
    assert figs.sci(np.inf) == "inf"
    assert figs.sci(np.nan) == "NaN"


@pytest.mark.parametrize("name", ["curves", "spectrum", "clip_norms", "clip_direction"])
def test_packed_figure_is_plain_json_and_what_plotly_would_send(name):
    # the app sends the packed dict with no plotly objects: it must hold nothing but JSON, and
    # plotly must read it as it is (no shorthands such as title_text, no bare-string titles)
    spec = theme.pack(every_builder()[name])
    json.dumps(spec, allow_nan=False)
    plotlys = json.loads(pio.to_json(go.Figure(spec), validate=False))
    assert (spec["data"], spec["layout"]) == (plotlys["data"], plotlys["layout"])


def test_gradient_curves_traces_axes_and_colours():
    T = 30
    dL, jac, bound = norms(T)
    fig = view(figs.gradient_curves(dL, jac, 7, "lstm", bound))
    curves = [tr for tr in fig.data if tr.mode == "lines"]
    assert len(curves) == 3
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.title.text == "norm"
    assert fig.layout.height == 600
    assert curves[1].line.color == theme.COLOURS["lstm"]
    assert curves[2].line.color == theme.COLOURS["bound"]
    assert curves[2].line.dash == "dash"
    np.testing.assert_allclose(curves[1].y, jac)
    np.testing.assert_array_equal(curves[0].x, np.arange(T + 1))


def test_gradient_curves_send_norms_in_float64():
    # float32 would turn 1e-300 into 0 (a gap) and 1e300 into inf
    T = 4
    dL, jac = np.full(T + 1, 1e-300), np.full(T + 1, 1e300)
    curves = sent(figs.gradient_curves(dL, jac, 2, "rnn"))["data"][:2]
    for tr, expected in zip(curves, (dL, jac), strict=True):
        assert tr["y"]["dtype"] == "f8"
        np.testing.assert_array_equal(array(tr["y"]), expected)


def test_gradient_curves_without_bound_has_two_curves():
    dL, jac, _ = norms(10)
    fig = view(figs.gradient_curves(dL, jac, 3, "gru"))
    assert sum(tr.mode == "lines" for tr in fig.data) == 2


@pytest.mark.parametrize("t", [1, 9, 20])
def test_gradient_curves_frames_move_only_the_cursor_and_open_at_t(t):
    T = 20
    dL, jac, bound = norms(T)
    spec = figs.gradient_curves(dL, jac, t, "rnn", bound)
    fig = view(spec)
    cursor = len(fig.data) - 1
    assert len(fig.frames) == T
    assert [f.name for f in fig.frames] == [str(s) for s in range(1, T + 1)]
    for frame in fig.frames:
        assert frame.traces == (cursor,)
        assert len(frame.data) == 1
    assert theme.shown_step(spec) == t and not fig.layout.sliders
    # the figure opens on frame t: its cursor trace equals that frame's
    opening = fig.frames[t - 1].data[0]
    assert fig.data[cursor].x == opening.x and fig.data[cursor].y == opening.y
    # a dot on each curve at step t
    dots = [y for y in opening.y[2:] if y is not None]
    np.testing.assert_allclose(dots, [dL[t], jac[t], bound[t]], rtol=1e-12)


def test_gradient_curves_mark_overflow_and_keep_gaps():
    T = 12
    dL, jac, bound = norms(T)
    jac[:4] = np.inf
    dL[:6] = np.nan
    fig = view(figs.gradient_curves(dL, jac, 5, "rnn", bound, h_overflow=9))
    marks = [tr for tr in fig.data if tr.name == "overflow to inf/NaN"]
    assert len(marks) == 1
    assert sorted(marks[0].x) == [3, 5]
    assert np.isnan(fig.data[1].y[:4]).all()
    assert [s.x0 for s in fig.layout.shapes] == [9]
    assert "overflows at t = 9" in fig.layout.annotations[0].text
    # the cursor's dots leave gaps where a curve is inf/NaN
    cursor = fig.frames[2].data[0]  # step 3: dL is NaN, jac inf, the bound finite
    assert cursor.y[3] is None and cursor.y[5] is None and cursor.y[7] == pytest.approx(bound[3])


def test_gradient_curves_frame_payload_is_constant_and_size_is_linear_in_T():
    sizes = {}
    for T in (250, 500):
        spec = sent(figs.gradient_curves(*norms(T)[:2], T // 2, "rnn", norms(T)[2]))
        sizes[T] = len(json.dumps(spec))
        payloads = {len(json.dumps(f["data"][0])) for f in spec["frames"]}
        assert max(payloads) < 400
    assert sizes[500] < 1.5e6
    assert 1.6 < sizes[500] / sizes[250] < 2.2


def test_gradient_curves_from_a_real_overflowing_run():
    p = init_params("rnn", 1, 8, nonlinearity="linear", init="identity", rho=4.0, seed=0)
    x = np.ones((600, 1))
    tr = unroll(p, x)
    jac = gradients.jacobian_norms(p, x, trace=tr)
    spec = figs.gradient_curves(jac, jac, 600, "rnn", gradients.pascanu_bound(p, 600))
    assert tr.first_nonfinite_step() is not None
    assert any(tr["name"] == "overflow to inf/NaN" for tr in spec["data"])

    def reject(token):
        raise AssertionError(f"non-JSON number {token}")

    # no inf/NaN in the JSON: gaps are None, or NaN inside the typed arrays
    json.loads(pio.to_json(theme.pack(spec), validate=False), parse_constant=reject)


def test_singular_values_figure_per_gate_block_with_thresholds():
    p = init_params("lstm", 2, 6, init="orthogonal", rho=1.5, seed=1)
    svals = {b: gradients.singular_values(p.W_hh[p.block(b)]) for b in "ifgo"}
    thresholds = {"i": 4.0, "f": 4.0, "g": 1.0, "o": 4.0}
    fig = view(figs.singular_values_figure(svals, thresholds, "lstm"))
    assert [tr.line.color for tr in fig.data] == [theme.COLOURS[b] for b in "ifgo"]
    np.testing.assert_allclose(fig.data[0].y, 1.5, rtol=1e-6)
    assert sorted(s.y0 for s in fig.layout.shapes) == [1.0, 4.0]
    # each label sits on its line (a linear axis: the same y)
    assert sorted(a.y for a in fig.layout.annotations) == [1.0, 4.0]
    assert fig.layout.xaxis.title.text == "index k (largest first)"


def test_singular_values_figure_rnn_uses_the_cell_colour_and_names_the_activation():
    spec = figs.singular_values_figure({"a": np.array([2.0, 1.0])}, {"a": 4.0}, "rnn", "sigmoid")
    fig = view(spec)
    assert fig.data[0].line.color == theme.COLOURS["rnn"]
    assert "sigmoid" in fig.layout.annotations[0].text
    assert fig.layout.shapes[0].y0 == 4.0


@pytest.mark.parametrize("theta", [1.0, 0.1, 10.0])
def test_clip_norms_figure_bars_and_threshold(theta):
    fig = view(figs.clip_norms_figure({"g": 50.0, "norm": theta, "elem": 7.0}, theta))
    bars = fig.data[0]
    assert list(bars.x) == ["gradient g", "norm-clipped", "element-clipped"]
    np.testing.assert_allclose(bars.y, [50.0, theta, 7.0])
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.shapes[0].y0 == theta
    # plotly.js places annotations on a log axis by log10 of the value (shapes by the value):
    # the label sits on the line, inside the axis range
    label = fig.layout.annotations[0]
    assert label.text == f"θ = {theta:g}"
    assert label.y == pytest.approx(np.log10(theta))
    lo, hi = fig.layout.yaxis.range
    assert lo < label.y < hi


def test_clip_direction_figure_shortens_a_huge_g_but_keeps_its_direction():
    g = np.array([300.0, -40.0])
    fig = view(figs.clip_direction_figure(clip_vectors(g), 1.0, ("a", "b")))
    drawn = {tr.name: np.array([tr.x[1], tr.y[1]]) for tr in fig.data}
    assert "gradient g (shortened)" in drawn
    shown = drawn["gradient g (shortened)"]
    assert gradients.cosine(shown, g) == pytest.approx(1.0)
    assert np.abs(shown).max() <= fig.layout.xaxis.range[1]
    np.testing.assert_allclose(drawn["element-clipped"], [1.0, -1.0])
    # the theta box of element-wise clipping and the theta circle of norm clipping
    assert {s.type for s in fig.layout.shapes} == {"rect", "circle"}
    assert fig.layout.xaxis.title.text == "a"
    assert fig.layout.yaxis.title.text == "b"


def test_clip_direction_figure_small_g_fits_whole_with_the_box():
    g = np.array([0.3, 0.2])
    fig = view(figs.clip_direction_figure({"g": g, "norm": g, "elem": g}, 1.0))
    assert [tr.name for tr in fig.data] == ["gradient g", "norm-clipped", "element-clipped"]
    assert fig.layout.xaxis.range[1] >= 1.0  # the box at theta = 1 is in view


@pytest.mark.parametrize("t", [1, 13, 25])
@pytest.mark.parametrize("h_overflow", [None, 4])
def test_a_figure_aimed_at_t_equals_one_built_at_t(t, h_overflow):
    """The page builds and packs the curves once per config and re-aims them when t moves."""
    T = 25
    dL, jac, bound = norms(T)
    jac[:3] = np.inf

    def build(s: int) -> dict:
        return figs.gradient_curves(dL, jac, s, "rnn", bound, h_overflow)

    aimed = theme.aim_spec(theme.pack(build(1)), t - 1)
    fresh = theme.pack(build(t))
    assert pio.to_json(aimed, validate=False) == pio.to_json(fresh, validate=False)


def test_player_opens_at_t_without_a_full_redraw():
    assert figs.player(40, 7) == dict(meta=dict(cursor=dict(step=7, frames=40, redraw=False)))
