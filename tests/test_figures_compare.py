"""Figures of the compare page, built without streamlit: traces, colours, frames and size."""

import numpy as np
import pytest

from explainer.figures import compare as figs
from explainer.figures import theme
from explainer.figures.gradients import open_at

KINDS = ("rnn", "lstm", "gru")


def states(T: int, H: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: np.tanh(rng.standard_normal((T, H))) for k in KINDS}


def norms(T: int) -> dict[str, np.ndarray]:
    return {k: r ** np.arange(T, -1, -1.0) for k, r in zip(KINDS, (0.5, 0.7, 0.9), strict=True)}


def test_jacobian_comparison_one_log_curve_per_cell_in_its_colour():
    T = 40
    fig = figs.jacobian_comparison(norms(T), 10)
    curves = [tr for tr in fig.data if tr.mode == "lines"]
    assert [tr.line.color for tr in curves] == [theme.COLOURS[k] for k in KINDS]
    assert all(theme.CELL_NAMES[k] in tr.name for k, tr in zip(KINDS, curves, strict=True))
    assert fig.layout.yaxis.type == "log"
    # step t marked: a line and a dot on each curve
    assert fig.layout.shapes[0].x0 == 10
    dots = fig.data[-1]
    np.testing.assert_allclose(dots.y, [n[10] for n in norms(T).values()])


def test_jacobian_comparison_marks_overflow():
    n = norms(20)
    n["rnn"][:5] = np.inf
    fig = figs.jacobian_comparison(n, 3)
    marks = [tr for tr in fig.data if tr.name == "overflow to inf/NaN"]
    assert len(marks) == 1 and list(marks[0].x) == [4]
    fig.to_json()


def test_state_heatmaps_share_one_diverging_scale_and_time_axis():
    T, H = 30, 5
    fig = figs.state_heatmaps(states(T, H), 4)
    maps = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(maps) == 3
    assert {tr.coloraxis for tr in maps} == {"coloraxis"}
    axis = fig.layout.coloraxis
    assert axis.cmin == -axis.cmax  # centred at 0
    assert [list(c) for c in axis.colorscale] == [list(c) for c in theme.DIVERGING]
    for tr, (kind, h) in zip(maps, states(T, H).items(), strict=True):
        assert tr.z.dtype == np.float32 and tr.z.shape == (H, T)
        np.testing.assert_allclose(tr.z, h.T, rtol=1e-6)
        assert tr.name == theme.CELL_NAMES[kind]
    titles = [a.text for a in fig.layout.annotations]
    assert all(theme.CELL_NAMES[k] in s for k, s in zip(KINDS, titles, strict=True))


@pytest.mark.parametrize("t", [1, 17, 30])
def test_state_heatmaps_frames_move_only_the_highlight_and_open_at_t(t):
    T, H = 30, 4
    fig = figs.state_heatmaps(states(T, H), t)
    assert [tr.type for tr in fig.data] == ["heatmap"] * 3
    assert len(fig.frames) == T
    for s, frame in enumerate(fig.frames, 1):
        # no trace data at all: a frame moves the three outlines, nothing else
        assert frame.data == () and frame.traces is None
        moved = [shape.to_plotly_json() for shape in frame.layout.shapes]
        assert moved == [{"x0": s - 0.5, "x1": s + 0.5}] * 3
    assert fig.layout.sliders[0].active == t - 1
    shapes = fig.layout.shapes
    assert [s.yref for s in shapes] == ["y domain", "y2 domain", "y3 domain"]
    assert all(s.x0 == t - 0.5 and s.x1 == t + 0.5 for s in shapes)
    assert all(s.line.color == theme.COLOURS["accent"] for s in shapes)
    # no full redraw: it would blank or flicker the heatmaps while the outlines move
    assert fig.layout.updatemenus[0].buttons[0].args[1]["frame"]["redraw"] is False


def test_state_heatmaps_keep_non_finite_states_as_gaps():
    s = states(10, 3)
    s["rnn"][6:] = np.inf
    s["rnn"][5] = 1e200
    fig = figs.state_heatmaps(s, 2)
    z = fig.data[0].z
    assert np.isfinite(z[:, :6]).all()  # 1e200 is drawn at full colour, not lost
    assert not np.isfinite(z[:, 6:]).any()
    assert len(fig.to_json()) > 0


def test_state_heatmaps_json_is_linear_in_T_times_H_and_small_at_500_by_64():
    size = {
        (T, H): len(figs.state_heatmaps(states(T, H), T // 2).to_json())
        for T, H in ((250, 64), (500, 32), (500, 64))
    }
    assert size[500, 64] < 1.5e6
    assert 1.6 < size[500, 64] / size[250, 64] < 2.2
    assert 1.6 < size[500, 64] / size[500, 32] < 2.2


@pytest.mark.parametrize("t", [1, 9, 20])
def test_open_at_aims_the_heatmaps_exactly_like_building_them_at_t(t):
    s = states(20, 3)
    aimed = open_at(figs.state_heatmaps(s, 1), t)
    assert aimed.to_json() == figs.state_heatmaps(s, t).to_json()
