"""Figures of the gate pages, without streamlit: traces, axes, colours, frames and JSON size.

Builders return plain dicts: ``view`` gives the validated plotly object for attribute access,
``sent`` the JSON the browser receives."""

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from explainer import gradients
from explainer.cells import n_params
from explainer.config import RunConfig
from explainer.figures import gates, theme
from explainer.figures import gru as gru_figures
from explainer.figures import lstm as lstm_figures
from explainer.initializers import init_params
from explainer.scene import make_scene
from tests.app_utils import array, sent, view

MB = 1e6


def scene(cell: str, **changes):
    return make_scene(RunConfig(cell=cell, **changes))


def size(spec: dict) -> int:
    """Characters of the figure as sent."""
    return len(pio.to_json(theme.pack(spec), validate=False))


@pytest.fixture(scope="module")
def lstm():
    return scene("lstm")


@pytest.fixture(scope="module")
def gru():
    return scene("gru")


@pytest.mark.parametrize(
    "cell, names", [("lstm", ["i", "f", "g", "o", "c", "h"]), ("gru", ["r", "z", "n", "h"])]
)
def test_heatmaps_one_row_per_gate_then_states(cell, names):
    s = scene(cell)
    spec = gates.gate_heatmaps(s.trace, s.seq.labels, 3)
    fig, out = view(spec), sent(spec)
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(heat) == len(names)
    # titles name each quantity, in its own colour
    titles = fig.layout.annotations
    assert [a.text for a in titles] == [theme.GATE_NAMES[k] for k in names]
    assert [a.font.color for a in titles] == [theme.COLOURS[k] for k in names]
    for trace, sent_trace, k in zip(heat, out["data"], names, strict=True):
        values = s.trace.c[1:] if k == "c" else s.trace.h[1:] if k == "h" else s.trace.gates[k]
        z = array(sent_trace["z"])
        np.testing.assert_allclose(z, values.T, atol=1e-6)  # units x time
        assert z.dtype == np.float32
        axis = fig.layout[trace.coloraxis]
        if k in gates.SIGMOID_GATES:
            assert (axis.cmin, axis.cmax, axis.colorscale[0][1]) == (0, 1, "#440154")  # viridis
            # sent expanded: plotly.js's own "Viridis" differs from plotly's
            assert out["layout"][trace.coloraxis]["colorscale"] == theme.SEQUENTIAL
        else:
            assert axis.cmid == 0 and axis.cmin == -axis.cmax
            assert [c for _, c in axis.colorscale] == [c for _, c in theme.DIVERGING]


def test_heatmap_time_axis_shows_the_input_characters(lstm):
    fig = view(gates.gate_heatmaps(lstm.trace, lstm.seq.labels, 3))
    bottom = fig.layout[f"xaxis{len(fig.data)}"]
    assert list(bottom.ticktext) == list(lstm.seq.labels)
    assert list(bottom.tickvals) == list(range(1, lstm.trace.T + 1))
    # the rows share the bottom axis, which alone shows its labels
    for row in range(1, len(fig.data)):
        upper = fig.layout[f"xaxis{row if row > 1 else ''}"]
        assert upper.matches == f"x{len(fig.data)}" and upper.showticklabels is False
    # too many to read: step numbers instead of every k-th character
    assert gates.time_ticks(["a"] * 500) == dict(tickmode="auto", title=dict(text="step t"))


def test_heatmap_frames_move_only_the_highlight(lstm):
    T, t = lstm.trace.T, 7
    spec = gates.gate_heatmaps(lstm.trace, lstm.seq.labels, t)
    fig = view(spec)
    assert len(fig.frames) == T
    assert theme.shown_step(spec) == t
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[0].x1) == (t - 0.5, t + 0.5)
    frames = sent(spec)["frames"]
    for s, frame in enumerate(frames, 1):
        assert "data" not in frame
        (shape,) = frame["layout"]["shapes"]
        assert (shape["x0"], shape["x1"], shape["yref"]) == (s - 0.5, s + 0.5, "paper")
    # frame names are unique and say the step and its input
    assert frames[0]["name"] == f"1 · {lstm.seq.labels[0]}"
    assert len({f["name"] for f in frames}) == T


def test_frames_move_shapes_and_traces_without_full_redraw_and_no_chart_controls(lstm):
    spec = gates.gate_heatmaps(lstm.trace, lstm.seq.labels, 2)
    fig = view(spec)
    assert spec["layout"]["meta"]["cursor"] == dict(step=2, frames=lstm.trace.T, redraw=False)
    # no plotly Play/Pause or slider: the page's one time cursor drives every chart
    assert not fig.layout.updatemenus and not fig.layout.sliders


def test_frame_size_does_not_grow_with_H():
    small, big = scene("lstm", hidden_size=4), scene("lstm", hidden_size=64)
    frame_bytes = [
        len(json.dumps(sent(gates.gate_heatmaps(s.trace, s.seq.labels, 1))["frames"]))
        for s in (small, big)
    ]
    assert frame_bytes[0] == frame_bytes[1]


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_figure_json_grows_linearly_and_stays_under_budget(cell):
    def page_bytes(T, H):
        s = scene(cell, source="adding", seq_len=T, hidden_size=H)
        assert s.trace.T == T
        figs = [gates.gate_heatmaps(s.trace, s.seq.labels, 1)]
        if cell == "lstm":
            figs.append(lstm_figures.cell_belt(s.trace, s.seq.labels, 1, 0))
        else:
            figs.append(gru_figures.keep_bars(s.trace, s.seq.labels, 1, 0))
        return [size(f) for f in figs]

    at_250, at_500 = page_bytes(250, 64), page_bytes(500, 64)
    for a, b in zip(at_250, at_500, strict=True):
        assert b < 1.5 * MB
        assert 1.7 < b / a < 2.1  # doubling T doubles the bytes: no T*T term


def test_cell_belt_stacks_kept_and_written_into_c(lstm):
    tr, j, t = lstm.trace, 3, 6
    spec = lstm_figures.cell_belt(tr, lstm.seq.labels, t, j)
    fig = view(spec)
    kept, written, c_line = fig.data[0], fig.data[1], fig.data[2]
    assert fig.layout.barmode == "relative"
    np.testing.assert_allclose(kept.y + written.y, tr.c[1:, j], atol=1e-5)
    np.testing.assert_allclose(c_line.y, tr.c[:, j], atol=1e-6)
    np.testing.assert_allclose(fig.data[5].y, tr.h[1:, j], atol=1e-6)  # h_t read off the belt
    assert [kept.marker.color, written.marker.color, c_line.line.color] == [
        theme.COLOURS[k] for k in "fic"
    ]
    assert len(fig.frames) == tr.T
    frame = sent(spec)["frames"][t - 1]
    # only the rings on c_t and h_t and the two step lines move: data, no layout
    assert frame["traces"] == [6, 7, 8, 9] and "layout" not in frame
    assert [d["x"] for d in frame["data"]] == [[t], [t], [t, t], [t, t]]
    assert frame["data"][0]["y"][0] == pytest.approx(tr.c[t, j], abs=1e-4)
    assert frame["data"][1]["y"][0] == pytest.approx(tr.h[t, j], abs=1e-4)
    # the belt's range holds every stacked bar, so the step line spans it
    lo, hi = fig.layout.yaxis.range
    assert lo <= min(np.minimum(kept.y, 0) + np.minimum(written.y, 0))
    assert hi >= max(np.maximum(kept.y, 0) + np.maximum(written.y, 0))
    assert list(fig.data[8].y) == [lo, hi]
    # two rows on one time axis, as make_subplots(shared_xaxes=True) laid them out
    assert (fig.layout.xaxis.matches, fig.layout.xaxis.showticklabels) == ("x2", False)
    assert [tr.yaxis for tr in fig.data[:6]] == ["y"] * 3 + ["y2"] * 3
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]


def test_saturation_shares():
    g = np.array([[0.05, 0.95], [0.5, 0.99], [0.01, 0.2], [0.5, 0.5]])  # (T=4, H=2)
    left, right = gates.saturation({"f": g}, ("f",))["f"]
    np.testing.assert_allclose(left, [0.5, 0.0])
    np.testing.assert_allclose(right, [0.0, 0.5])


@pytest.mark.parametrize("cell, names", [("lstm", "ifo"), ("gru", "rz")])
def test_saturation_figure_has_one_marker_per_unit_and_gate(cell, names):
    s = scene(cell, forget_bias=5.0) if cell == "lstm" else scene(cell)
    fig = view(gates.saturation_figure(s.trace, j=2))
    gate_traces = [tr for tr in fig.data if tr.name and tr.name.startswith("gate")]
    assert [tr.name for tr in gate_traces] == [f"gate {k}" for k in names]
    assert [tr.marker.color for tr in gate_traces] == [theme.COLOURS[k] for k in names]
    assert all(len(tr.x) == s.trace.H for tr in gate_traces)
    if cell == "lstm":  # a forget bias of 5 keeps f above 0.9: right-saturated
        f = gate_traces[1]
        assert np.mean(f.y) > 0.9 and np.max(f.x) == 0


def test_memory_figure_reference_curves_match_the_field_notes(lstm):
    products = gradients.forget_gate_products(lstm.trace)
    fig = view(lstm_figures.memory_figure(products, lstm_figures.forget_bias_of(lstm.params, 1), 1))
    assert fig.layout.yaxis.type == "log"
    refs = fig.data[:3]
    at_50 = [float(tr.y[50]) for tr in refs]
    assert at_50 == pytest.approx([8.9e-16, 1.58e-7, 0.715], rel=0.02)
    assert [a.text.split(":")[0] for a in fig.layout.annotations] == [
        f"b<sub>f</sub> = {b:g}" for b in lstm_figures.REFERENCE_BIASES
    ]
    unit = fig.data[-1]
    T = lstm.trace.T
    np.testing.assert_allclose(unit.y, products[::-1, 1], rtol=1e-5)
    assert unit.y[0] == 1 and list(unit.x) == list(range(T + 1))


def test_forget_bias_follows_the_sidebar_setting():
    s = scene("lstm", forget_bias=1.0)
    assert [lstm_figures.forget_bias_of(s.params, j) for j in range(3)] == [1.0, 1.0, 1.0]
    products = gradients.forget_gate_products(s.trace)
    own = view(lstm_figures.memory_figure(products, 1.0, 0)).data[3]
    assert float(own.y[50]) == pytest.approx((1 / (1 + np.exp(-1.0))) ** 50, rel=1e-5)


def test_keep_bars_animate_z_per_unit(gru):
    tr, t, j = gru.trace, 4, 2
    spec = gru_figures.keep_bars(tr, gru.seq.labels, t, j)
    fig = view(spec)
    bars, mean = fig.data[0], fig.data[1]
    np.testing.assert_allclose(bars.y, tr.gates["z"][t - 1], atol=1e-6)
    np.testing.assert_allclose(mean.y, tr.gates["z"].mean(axis=0), atol=1e-6)
    assert bars.marker.color == theme.COLOURS["z"] and bars.marker.line.color == theme.TEXT
    assert [w > 0 for w in bars.marker.line.width] == [u == j for u in range(tr.H)]
    assert fig.layout.yaxis.range[0] == 0 and list(fig.layout.yaxis.ticktext)[-1] == "keep 1"
    frames = sent(spec)["frames"]
    assert len(frames) == tr.T
    for s, frame in enumerate(frames, 1):
        assert frame["traces"] == [0]
        np.testing.assert_allclose(array(frame["data"][0]["y"]), tr.gates["z"][s - 1], atol=1e-6)


def test_param_counts_match_the_formula_and_the_cell(gru):
    D, H = gru.params.input_size, gru.params.hidden_size
    fig = view(gru_figures.param_counts(D, H))
    assert list(fig.data[0].y) == [n_params(k, D, H) for k in ("rnn", "gru", "lstm")]
    assert list(fig.data[0].y) == [G * (H * D + H * H + 2 * H) for G in (1, 3, 4)]
    assert fig.data[0].y[1] == gru.params.n_params
    assert list(fig.data[0].marker.color) == [theme.COLOURS[k] for k in ("rnn", "gru", "lstm")]


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_builders_follow_the_weights_not_the_config(cell):
    """Trained weights may bring their own H: every figure reads sizes from the run."""
    cfg = RunConfig(cell=cell, hidden_size=16)
    D = make_scene(cfg).seq.x.shape[1]
    s = make_scene(cfg, params=init_params(cell, D, 5, seed=1))
    assert s.trace.H == 5
    figs = [
        gates.gate_heatmaps(s.trace, s.seq.labels, 2),
        gates.saturation_figure(s.trace, 4),
        gru_figures.param_counts(s.params.input_size, s.params.hidden_size),
    ]
    if cell == "lstm":
        figs += [
            lstm_figures.cell_belt(s.trace, s.seq.labels, 2, 4),
            lstm_figures.memory_figure(
                gradients.forget_gate_products(s.trace), lstm_figures.forget_bias_of(s.params, 4), 4
            ),
        ]
    else:
        figs.append(gru_figures.keep_bars(s.trace, s.seq.labels, 2, 4))
    assert view(figs[0]).data[0].z.shape == (5, s.trace.T)
    assert all(size(f) > 0 for f in figs)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_smallest_scene_one_step_one_unit(cell):
    s = scene(cell, source="numbers", numbers="1, 2", hidden_size=1)
    assert (s.trace.T, s.trace.H) == (1, 1)
    spec = gates.gate_heatmaps(s.trace, s.seq.labels, 1)
    assert len(view(spec).frames) == 1 and theme.shown_step(spec) == 1
    if cell == "lstm":
        assert len(view(lstm_figures.cell_belt(s.trace, s.seq.labels, 1, 0)).frames) == 1
    else:
        assert len(view(gru_figures.keep_bars(s.trace, s.seq.labels, 1, 0)).frames) == 1


def test_figures_keep_the_project_template(lstm):
    fig = view(gates.gate_heatmaps(lstm.trace, lstm.seq.labels, 1))
    assert fig.layout.template.layout.paper_bgcolor == theme.BACKGROUND


def every_figure(s) -> list[dict]:
    """Every gate-page figure of scene ``s`` (at step 2, unit 1)."""
    tr, labels = s.trace, s.seq.labels
    figs = [gates.gate_heatmaps(tr, labels, 2), gates.saturation_figure(tr, 1)]
    if tr.kind == "lstm":
        products = gradients.forget_gate_products(tr)
        b_f = lstm_figures.forget_bias_of(s.params, 1)
        return figs + [
            lstm_figures.cell_belt(tr, labels, 2, 1),
            lstm_figures.memory_figure(products, b_f, 1),
        ]
    return figs + [
        gru_figures.keep_bars(tr, labels, 2, 1),
        gru_figures.param_counts(s.params.input_size, s.params.hidden_size),
    ]


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("seq_len", [46, 500])  # character ticks, and step numbers past 48
def test_figures_are_plain_json_and_what_plotly_would_send(cell, seq_len):
    """The app sends the dicts unvalidated: plotly must read them as they are (no shorthand
    keys, no bare-string titles; a validated copy would differ)."""
    for spec in every_figure(scene(cell, source="sine", seq_len=seq_len, hidden_size=4)):
        packed = theme.pack(spec)
        text = json.dumps(packed, allow_nan=False)
        plotlys = json.loads(pio.to_json(go.Figure(json.loads(text)), validate=False))
        assert (packed["data"], packed["layout"]) == (plotlys["data"], plotlys["layout"])


def plain(spec) -> object:
    """A figure spec as JSON with typed arrays decoded to float32 lists (both forms mean the
    same to plotly.js)."""
    if isinstance(spec, dict) and "bdata" in spec:
        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=spec["dtype"]).tolist()
    if isinstance(spec, dict):
        return {k: plain(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [plain(v) for v in spec]
    if isinstance(spec, float):
        return float(np.float32(spec))
    return spec


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("t", [1, 2, 40, 150])
def test_a_figure_aimed_at_t_equals_one_built_at_t(cell, t):
    """The pages build each animated figure once and re-aim it when only t moves."""
    s = make_scene(RunConfig(cell=cell, source="sine", seq_len=150, weights="random"))
    tr, labels = s.trace, s.seq.labels
    second = lstm_figures.cell_belt if cell == "lstm" else gru_figures.keep_bars
    for build in (lambda k: gates.gate_heatmaps(tr, labels, k), lambda k: second(tr, labels, k, 2)):
        aimed = theme.aim_spec(theme.pack(build(1)), t - 1)  # as the pages send it
        fresh = theme.pack(build(t))
        assert plain(json.loads(pio.to_json(aimed))) == plain(json.loads(pio.to_json(fresh)))
