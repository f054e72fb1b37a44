"""Figures of the compare page, built without streamlit: traces, colours, subplots, frames and
size, on the plain dicts the builders return (validated by plotly under the tests)."""

import json

import numpy as np
import pytest
from plotly.subplots import make_subplots

from explainer.figures import compare as figs
from explainer.figures import theme
from tests.app_utils import array, sent, view

KINDS = ("rnn", "lstm", "gru")


def states(T: int, H: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: np.tanh(rng.standard_normal((T, H))) for k in KINDS}


def norms(T: int) -> dict[str, np.ndarray]:
    return {k: r ** np.arange(T, -1, -1.0) for k, r in zip(KINDS, (0.5, 0.7, 0.9), strict=True)}


def test_jacobian_comparison_one_log_curve_per_cell_in_its_colour():
    T = 40
    spec = figs.jacobian_comparison(norms(T), 10)
    assert isinstance(spec, dict)
    fig = view(spec)
    curves = [tr for tr in fig.data if tr.mode == "lines"]
    assert [tr.line.color for tr in curves] == [theme.COLOURS[k] for k in KINDS]
    assert all(theme.CELL_NAMES[k] in tr.name for k, tr in zip(KINDS, curves, strict=True))
    assert fig.layout.yaxis.type == "log"
    # step t marked: a line, its label and a dot on each curve
    assert fig.layout.shapes[0].x0 == fig.layout.shapes[0].x1 == 10
    assert fig.layout.shapes[0].yref == "y domain"
    assert fig.layout.annotations[0].text == "t = 10"
    dots = fig.data[-1]
    np.testing.assert_allclose(dots.y, [n[10] for n in norms(T).values()])


def test_jacobian_comparison_sends_norms_beyond_float32_as_float64():
    n = norms(40)
    n["gru"] = np.full(41, 1e-300)  # below float32's smallest value (1e-45)
    data = sent(figs.jacobian_comparison(n, 5))["data"]
    gru = array(data[2]["y"])
    assert gru.dtype == np.float64 and (gru == 1e-300).all()


def test_jacobian_comparison_marks_overflow():
    n = norms(20)
    n["rnn"][:5] = np.inf
    spec = figs.jacobian_comparison(n, 3)
    marks = [tr for tr in view(spec).data if tr.name == "overflow to inf/NaN"]
    assert len(marks) == 1 and list(marks[0].x) == [4]
    assert marks[0].y[0] == max(float(v[np.isfinite(v)].max()) for v in n.values())
    finite = view(figs.jacobian_comparison(norms(20), 3))
    assert [tr.name for tr in finite.data].count("overflow to inf/NaN") == 0


def test_state_heatmaps_share_one_diverging_scale_and_time_axis():
    T, H = 30, 5
    spec = figs.state_heatmaps(states(T, H), 4)
    fig = view(spec)
    maps = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(maps) == 3
    assert {tr.coloraxis for tr in maps} == {"coloraxis"}
    axis = fig.layout.coloraxis
    assert axis.cmin == -axis.cmax  # centred at 0
    assert [list(c) for c in axis.colorscale] == [list(c) for c in theme.DIVERGING]
    data = sent(spec)["data"]
    for tr, m, (kind, h) in zip(data, maps, states(T, H).items(), strict=True):
        z = array(tr["z"])
        assert z.dtype == np.float32 and z.shape == (H, T)
        np.testing.assert_allclose(z, h.T, rtol=1e-6)
        assert m.name == theme.CELL_NAMES[kind]
    titles = [a.text for a in fig.layout.annotations]
    assert all(theme.CELL_NAMES[k] in s for k, s in zip(KINDS, titles, strict=True))
    assert [a.font.color for a in fig.layout.annotations] == [theme.COLOURS[k] for k in KINDS]


def test_state_heatmaps_rows_are_laid_out_as_make_subplots_did():
    """Hand-made subplots: the same domains, anchors, shared x axis and titles."""
    T, H = 12, 3
    fig = view(figs.state_heatmaps(states(T, H), 2))
    ref = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=figs.ROW_GAP,
                        subplot_titles=list("abc"))  # fmt: skip
    for name in ("xaxis", "xaxis2", "xaxis3", "yaxis", "yaxis2", "yaxis3"):
        ours, theirs = fig.layout[name], ref.layout[name]
        np.testing.assert_allclose(ours.domain, theirs.domain, atol=1e-6)
        shared = ("anchor", "matches", "showticklabels")
        assert [ours[k] for k in shared] == [theirs[k] for k in shared], name
    for ours, theirs in zip(fig.layout.annotations, ref.layout.annotations, strict=True):
        assert ours.x == theirs.x and abs(ours.y - theirs.y) < 1e-6
        place = ("xanchor", "yanchor", "xref", "yref", "showarrow")
        assert [ours[k] for k in place] == [theirs[k] for k in place]
    assert [tr.yaxis for tr in fig.data] == ["y", "y2", "y3"]
    assert all(fig.layout[f"yaxis{s}"].range == (-0.5, H - 0.5) for s in ("", "2", "3"))
    assert all(fig.layout[f"yaxis{s}"].title.text == "unit" for s in ("", "2", "3"))


@pytest.mark.parametrize("t", [1, 17, 30])
def test_state_heatmaps_frames_move_only_the_highlight_and_open_at_t(t):
    T, H = 30, 4
    spec = figs.state_heatmaps(states(T, H), t)
    fig = view(spec)
    assert [tr.type for tr in fig.data] == ["heatmap"] * 3
    assert len(fig.frames) == T
    shapes = spec["layout"]["shapes"]
    for s, frame in enumerate(spec["frames"], 1):
        # no trace data at all: a frame moves the three outlines, nothing else
        assert set(frame) == {"name", "layout"} and set(frame["layout"]) == {"shapes"}
        assert frame["name"] == str(s)
        # only where each outline sits: plotly.js merges shapes by position
        assert frame["layout"]["shapes"] == [dict(x0=s - 0.5, x1=s + 0.5)] * len(shapes)
    assert theme.shown_step(spec) == t
    assert [s.yref for s in fig.layout.shapes] == ["y domain", "y2 domain", "y3 domain"]
    assert [s.xref for s in fig.layout.shapes] == ["x", "x2", "x3"]
    assert all(s.x0 == t - 0.5 and s.x1 == t + 0.5 for s in fig.layout.shapes)
    assert all(s.line.color == theme.COLOURS["accent"] for s in fig.layout.shapes)
    # no full redraw: it would blank or flicker the heatmaps while the outlines move
    assert spec["layout"]["meta"]["cursor"] == dict(step=t, frames=T, redraw=False)
    assert not fig.layout.sliders and not fig.layout.updatemenus  # the page's bar plays it


def test_state_heatmaps_keep_non_finite_states_as_gaps():
    s = states(10, 3)
    s["rnn"][6:] = np.inf
    s["rnn"][5] = 1e200
    z = array(sent(figs.state_heatmaps(s, 2))["data"][0]["z"])
    assert np.isfinite(z[:, :6]).all()  # 1e200 is drawn at full colour, not lost
    assert np.abs(z[:, 5]).min() >= 1e29
    assert not np.isfinite(z[:, 6:]).any()


def test_state_heatmaps_json_is_linear_in_T_times_H_and_small_at_500_by_64():
    built = {
        (T, H): sent(figs.state_heatmaps(states(T, H), T // 2))
        for T, H in ((250, 64), (500, 32), (500, 64))
    }
    size = {key: len(json.dumps(spec)) for key, spec in built.items()}
    assert size[500, 64] < 1.5e6
    assert 1.6 < size[500, 64] / size[250, 64] < 2.2
    assert 1.6 < size[500, 64] / size[500, 32] < 2.2
    # the heatmaps go once, in T*H; a frame carries where the three outlines sit, whatever H
    data = {key: len(json.dumps(spec["data"])) for key, spec in built.items()}
    assert 1.9 < data[500, 64] / data[250, 64] < 2.1
    assert 1.9 < data[500, 64] / data[500, 32] < 2.1
    frames = {key: json.dumps(spec["frames"]) for key, spec in built.items()}
    assert frames[500, 32] == frames[500, 64]
    assert len(frames[500, 64]) < 500 * 150


@pytest.mark.parametrize("t", [1, 9, 20])
def test_aim_spec_aims_the_packed_heatmaps_exactly_like_building_them_at_t(t):
    s = states(20, 3)
    aimed = theme.aim_spec(theme.pack(figs.state_heatmaps(s, 1)), t - 1)
    assert json.dumps(aimed) == json.dumps(theme.pack(figs.state_heatmaps(s, t)))


def test_state_heatmaps_rows_grow_with_H_within_bounds():
    heights = [figs.state_heatmaps(states(12, H), 1)["layout"]["height"] for H in (4, 30, 64)]
    assert heights == [300 + 3 * 120, 300 + 3 * 180, 300 + 3 * 260]
