"""Figures of the gradients page, built without streamlit: traces, axes, frames, colours, size."""

import numpy as np
import pytest

from explainer import gradients
from explainer.figures import gradients as figs
from explainer.figures import theme
from explainer.initializers import init_params
from explainer.unroll import unroll


def norms(T: int, rate: float = 0.8, seed: int = 0):
    """Curves shaped like a run: dL/dh_t noisy, dh_T/dh_t = rate^(T-t), bound above it."""
    rng = np.random.default_rng(seed)
    jac = rate ** np.arange(T, -1, -1.0)
    dL = jac * (1 + rng.random(T + 1))
    return dL, jac, 1.2 ** np.arange(T, -1, -1.0)


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


def test_gradient_curves_traces_axes_and_colours():
    T = 30
    dL, jac, bound = norms(T)
    fig = figs.gradient_curves(dL, jac, 7, "lstm", bound)
    curves = [tr for tr in fig.data if tr.mode == "lines"]
    assert len(curves) == 3
    assert fig.layout.yaxis.type == "log"
    assert curves[1].line.color == theme.COLOURS["lstm"]
    assert curves[2].line.color == theme.COLOURS["bound"]
    assert curves[2].line.dash == "dash"
    np.testing.assert_allclose(curves[1].y, jac)
    np.testing.assert_array_equal(curves[0].x, np.arange(T + 1))


def test_gradient_curves_without_bound_has_two_curves():
    dL, jac, _ = norms(10)
    fig = figs.gradient_curves(dL, jac, 3, "gru")
    assert sum(tr.mode == "lines" for tr in fig.data) == 2


@pytest.mark.parametrize("t", [1, 9, 20])
def test_gradient_curves_frames_move_only_the_cursor_and_open_at_t(t):
    T = 20
    dL, jac, bound = norms(T)
    fig = figs.gradient_curves(dL, jac, t, "rnn", bound)
    cursor = len(fig.data) - 1
    assert len(fig.frames) == T
    assert [f.name for f in fig.frames] == [str(s) for s in range(1, T + 1)]
    for frame in fig.frames:
        assert frame.traces == (cursor,)
        assert len(frame.data) == 1
    slider = fig.layout.sliders[0]
    assert slider.active == t - 1
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
    fig = figs.gradient_curves(dL, jac, 5, "rnn", bound, h_overflow=9)
    marks = [tr for tr in fig.data if tr.name == "overflow to inf/NaN"]
    assert len(marks) == 1
    assert sorted(marks[0].x) == [3, 5]
    assert np.isnan(fig.data[1].y[:4]).all()
    assert [s.x0 for s in fig.layout.shapes] == [9]
    assert "overflows at t = 9" in fig.layout.annotations[0].text


def test_gradient_curves_frame_payload_is_constant_and_size_is_linear_in_T():
    sizes = {}
    for T in (250, 500):
        fig = figs.gradient_curves(*norms(T)[:2], T // 2, "rnn", norms(T)[2])
        sizes[T] = len(fig.to_json())
        payloads = {len(str(f.data[0].to_plotly_json())) for f in fig.frames}
        assert max(payloads) < 400
    assert sizes[500] < 1.5e6
    assert 1.6 < sizes[500] / sizes[250] < 2.2


def test_gradient_curves_from_a_real_overflowing_run():
    p = init_params("rnn", 1, 8, nonlinearity="linear", init="identity", rho=4.0, seed=0)
    x = np.ones((600, 1))
    tr = unroll(p, x)
    jac = gradients.jacobian_norms(p, x, trace=tr)
    fig = figs.gradient_curves(jac, jac, 600, "rnn", gradients.pascanu_bound(p, 600))
    assert tr.first_nonfinite_step() is not None
    assert any(tr.name == "overflow to inf/NaN" for tr in fig.data)
    fig.to_json()  # serialises: no inf in the JSON


def test_singular_values_figure_per_gate_block_with_thresholds():
    p = init_params("lstm", 2, 6, init="orthogonal", rho=1.5, seed=1)
    svals = {b: gradients.singular_values(p.W_hh[p.block(b)]) for b in "ifgo"}
    thresholds = {"i": 4.0, "f": 4.0, "g": 1.0, "o": 4.0}
    fig = figs.singular_values_figure(svals, thresholds, "lstm")
    assert [tr.line.color for tr in fig.data] == [theme.COLOURS[b] for b in "ifgo"]
    np.testing.assert_allclose(fig.data[0].y, 1.5, rtol=1e-6)
    assert sorted(s.y0 for s in fig.layout.shapes) == [1.0, 4.0]


def test_singular_values_figure_rnn_uses_the_cell_colour_and_names_the_activation():
    fig = figs.singular_values_figure({"a": np.array([2.0, 1.0])}, {"a": 4.0}, "rnn", "sigmoid")
    assert fig.data[0].line.color == theme.COLOURS["rnn"]
    assert "sigmoid" in fig.layout.annotations[0].text
    assert fig.layout.shapes[0].y0 == 4.0


def test_clip_norms_figure_bars_and_threshold():
    fig = figs.clip_norms_figure({"g": 50.0, "norm": 1.0, "elem": 7.0}, 1.0)
    bars = fig.data[0]
    assert list(bars.x) == ["gradient g", "norm-clipped", "element-clipped"]
    np.testing.assert_allclose(bars.y, [50.0, 1.0, 7.0])
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.shapes[0].y0 == 1.0


def test_clip_direction_figure_shortens_a_huge_g_but_keeps_its_direction():
    g = np.array([300.0, -40.0])
    vectors = {"g": g, "norm": g / np.linalg.norm(g), "elem": np.clip(g, -1, 1)}
    fig = figs.clip_direction_figure(vectors, 1.0, ("a", "b"))
    drawn = {tr.name: np.array([tr.x[1], tr.y[1]]) for tr in fig.data}
    assert "gradient g (shortened)" in drawn
    shown = drawn["gradient g (shortened)"]
    assert gradients.cosine(shown, g) == pytest.approx(1.0)
    assert np.abs(shown).max() <= fig.layout.xaxis.range[1]
    np.testing.assert_allclose(drawn["element-clipped"], [1.0, -1.0])
    # the theta box of element-wise clipping and the theta circle of norm clipping
    assert {s.type for s in fig.layout.shapes} == {"rect", "circle"}
    assert fig.layout.xaxis.title.text == "a"


def test_clip_direction_figure_small_g_fits_whole_with_the_box():
    g = np.array([0.3, 0.2])
    fig = figs.clip_direction_figure({"g": g, "norm": g, "elem": g}, 1.0)
    assert [tr.name for tr in fig.data] == ["gradient g", "norm-clipped", "element-clipped"]
    assert fig.layout.xaxis.range[1] >= 1.0  # the box at theta = 1 is in view


@pytest.mark.parametrize("t", [1, 13, 25])
def test_open_at_aims_a_built_figure_exactly_like_building_it_at_t(t):
    T = 25
    dL, jac, bound = norms(T)
    aimed = figs.open_at(figs.gradient_curves(dL, jac, 1, "rnn", bound), t)
    assert aimed.to_json() == figs.gradient_curves(dL, jac, t, "rnn", bound).to_json()
