"""The unrolled-network figure, built without streamlit: traces, axes, frames, sizes, colours."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from explainer.config import RunConfig
from explainer.figures import theme
from explainer.figures import unrolled as fu
from explainer.scene import make_scene
from tests.app_utils import array, sent, view

# trace order: heatmap, unit j's row, the chain's boxes and arrows, then the animated five
ANIMATED = ("chain highlight", "chain labels", "readout", "heatmap column", "h_t bars")


def scene(**changes):
    return make_scene(RunConfig(**changes))


def animated(fig) -> list:
    """The animated traces, in the order a frame lists them."""
    return [fig.data[i] for i in fig.frames[0].traces]


def frame(fig, k: int) -> dict:
    """Frame k (1-based) as sent: plain JSON, arrays as typed arrays."""
    return fig._sent["frames"][k - 1]


def built(s, t: int, j: int) -> go.Figure:
    """The figure as a plotly object, with what the browser receives in ``._sent``."""
    spec = fu.unrolled_figure(s, t, j)
    fig = view(spec)
    fig._sent = sent(spec)
    return fig


@pytest.fixture(scope="module")
def default():
    s = scene()
    return s, built(s, 5, 2)


@pytest.fixture(scope="module")
def long_run():
    s = scene(source="sine", seq_len=500, hidden_size=64)
    return s, built(s, 250, 3)


def test_window_start_keeps_t_inside_a_window_of_twelve():
    assert fu.window_start(1, 500) == 1
    assert fu.window_start(250, 500) == 244
    assert fu.window_start(500, 500) == 489
    assert fu.window_start(3, 5, width=5) == 1
    for t in range(1, 41):
        s = fu.window_start(t, 40)
        assert s <= t < s + fu.WINDOW and 1 <= s <= 40 - fu.WINDOW + 1


def test_typed_array_is_float32_with_shape_and_gaps_for_overflow():
    spec = theme.typed_array(theme.f32([[1.5, np.inf], [np.nan, -2.0], [1e39, 0.1]]))
    assert spec["dtype"] == "f4" and spec["shape"] == "3,2"
    a = array(spec)
    assert a.dtype == np.float32 and a.shape == (3, 2)
    assert a[0, 0] == 1.5 and a[1, 1] == -2.0 and a[2, 1] == np.float32(0.1)
    assert np.isnan(a[0, 1]) and np.isnan(a[1, 0]) and np.isnan(a[2, 0])  # 1e39 overflows f4
    wide = array(theme.typed_array(np.array([1e-300, np.inf, 2.0])))  # float64 stays float64
    assert wide.dtype == np.float64 and wide[0] == 1e-300 and np.isnan(wide[1])


def test_figure_has_heatmap_chain_and_five_animated_traces(default):
    s, fig = default
    assert fig.data[0].type == "heatmap"
    assert [t.type for t in animated(fig)] == ["scatter", "scatter", "bar", "scatter", "bar"]
    z = array(fig._sent["data"][0]["z"])
    np.testing.assert_allclose(z, s.trace.h[1:].T.astype(np.float32))  # (H, T): units x steps
    assert fig.data[0].colorscale == tuple(tuple(c) for c in theme.DIVERGING)
    assert fig.data[0].zmid == 0
    assert fig.layout.template.layout.font.size == 18  # the project's template, explicitly
    assert z.dtype == np.float32


def test_heatmap_steps_are_labelled_by_the_characters_read(default):
    s, fig = default
    assert list(fig.layout.xaxis3.ticktext) == list(s.seq.labels)  # 46 steps: every one shown
    assert list(fig.layout.xaxis3.tickvals) == list(range(1, s.trace.T + 1))
    assert fig.layout.yaxis3.title.text == "unit"
    assert fig.layout.yaxis4.matches == "y3"  # the bars line up with the heatmap's rows


def test_one_frame_per_step_named_by_step(default, long_run):
    for s, fig in (default, long_run):
        assert [f["name"] for f in fig._sent["frames"]] == [str(k) for k in range(1, s.trace.T + 1)]


@pytest.mark.parametrize("changes", [{}, {"cell": "lstm", "source": "sine"}, {"source": "copy"}])
def test_packed_figure_is_plain_json_and_what_plotly_would_send(changes):
    # the app sends the packed dict with no plotly objects: it must hold nothing but JSON
    spec = theme.pack(fu.unrolled_figure(scene(**changes), 3, 1))
    text = json.dumps(spec, allow_nan=False)
    assert json.loads(text)["frames"][0]["name"] == "1"
    plotlys = json.loads(pio.to_json(go.Figure(spec), validate=False))
    assert (spec["data"], spec["layout"]) == (plotlys["data"], plotlys["layout"])


def test_figure_opens_at_step_t(default):
    s, fig = default
    opening = frame(fig, 5)["data"]
    traces = animated(fig)
    assert list(traces[0].x) == opening[0]["x"]  # chain highlight
    assert list(traces[1].text) == opening[1]["text"]  # chain labels
    assert list(traces[3].x) == opening[3]["x"]  # heatmap column
    np.testing.assert_array_equal(traces[4].x, s.trace.h[5].astype(np.float32))
    assert fig.layout.meta["cursor"] == dict(step=5, frames=s.trace.T, redraw=True)
    # no plotly Play/Pause or slider in the chart: the page's one time cursor plays it
    assert not fig.layout.updatemenus and not fig.layout.sliders


def test_long_run_opens_at_t_with_every_frame(long_run):
    """The page's cursor animates frame t - 1 to show step t (see the frame names above)."""
    _, fig = long_run
    assert fig.layout.meta["cursor"] == dict(step=250, frames=500, redraw=True)


def test_frame_carries_only_what_changes(default, long_run):
    for s, fig in (default, long_run):
        H, f = s.trace.H, frame(fig, 7)
        assert set(f) == {"name", "data", "traces"}  # no layout, no static traces
        assert [set(d) for d in f["data"]] == [
            {"x", "y"},
            {"text"},
            {"x", "text", "marker"} if s.seq.loss == "xent" else {"y", "text"},
            {"x", "y"},
            {"x"},
        ]
        bars = array(f["data"][4]["x"])
        assert bars.dtype == np.float32 and bars.shape == (H,)  # only H float32 values
        np.testing.assert_array_equal(bars, s.trace.h[7].astype(np.float32))


def test_highlights_move_with_the_step(long_run):
    s, fig = long_run
    for k in (1, 6, 250, 500):
        chain, labels, _, column, _ = frame(fig, k)["data"]
        start = fu.window_start(k, 500)
        assert np.mean(column["x"][:2]) == k  # heatmap column centred on step k
        assert np.mean(chain["x"][:2]) == k - start  # chain highlight on k's slot
        text = labels["text"]
        assert f"t={k}" in text
        assert f"steps {start}–{start + 11} of 500" in text


def test_chain_prints_input_and_unit_j_of_the_window(default):
    s, fig = default
    text = frame(fig, 5)["data"][1]["text"]
    W = fu.WINDOW
    assert text[:W] == [f"t={k}" for k in range(1, W + 1)]
    assert text[W : 2 * W] == list(s.seq.labels[:W])
    assert text[2 * W : 3 * W] == [f"{v:.2f}" for v in s.trace.h[1 : W + 1, 2]]  # unit j = 2
    assert text[-3:-1] == ["h<sub>0</sub>", "⋯"]  # h_0 enters on the left, more steps right


def test_text_readout_lists_top_five_and_marks_the_true_next(default):
    s, fig = default
    ro = fu.readout_rows(s)
    p = fu.softmax(s.trace.y)
    for k in (1, 5, s.trace.T):
        value, names, hit = ro["value"][k - 1], ro["name"][k - 1], ro["hit"][k - 1]
        assert np.all(np.diff(value[:5]) <= 0)  # best first
        np.testing.assert_allclose(value[0], p[k - 1].max())
        true = s.seq.output_labels[s.seq.target[k - 1]]
        assert names[5] == true and hit[5]
        bars = frame(fig, k)["data"][2]
        colours = bars["marker"]["color"]
        assert colours[5] == theme.COLOURS["g"]
        marked = [c == theme.COLOURS["g"] for c in colours]
        assert marked == [n == true for n in names]
        assert bars["text"][0].startswith(names[0])


def test_value_readout_shows_prediction_and_target():
    s = scene(source="numbers")
    fig = built(s, 3, 0)
    bars = frame(fig, 3)["data"][2]
    np.testing.assert_allclose(bars["y"], [s.trace.y[2, 0], s.seq.target[2, 0]], atol=1e-4)
    adding = scene(source="adding", seq_len=30)
    values = fu.readout_rows(adding)["value"]
    assert np.all(values[:, 1] == adding.seq.target[0])  # one target, at the last step
    assert list(built(adding, 1, 0).layout.xaxis2.ticktext)[1] == "target at T"


def cell_state_arrows(fig) -> list:
    chain = [t for t in fig.data if t.type == "scatter" and t.xaxis == "x" and t.mode == "lines"]
    return [t for t in chain if t.line.color == theme.COLOURS["c"] and t.fill != "toself"]


def test_lstm_draws_the_cell_state_line_and_values():
    s = scene(cell="lstm")
    fig = built(s, 5, 0)
    assert cell_state_arrows(fig)  # the c_{t-1} -> cell_t arrows
    text = frame(fig, 5)["data"][1]["text"]
    assert f"{s.trace.c[1, 0]:.2f}" in text
    rnn = built(scene(), 5, 0)
    assert not cell_state_arrows(rnn)


def test_unit_j_is_marked_in_bars_and_heatmap(default):
    s, fig = default
    colours = animated(fig)[4].marker.color
    assert colours[2] == fu.HIGHLIGHT and colours.count(fu.HIGHLIGHT) == 1
    assert fig.layout.yaxis.ticktext[2] == "h<sub>t</sub> unit 2"


def test_short_sequences_and_single_unit():
    s = scene(source="sine", seq_len=2, hidden_size=1)
    fig = built(s, 2, 0)  # validated by plotly, frames included
    assert len(fig.frames) == 2
    caption = frame(fig, 1)["data"][1]["text"][-1]
    assert caption == "all 2 steps: 3 values, the last one only predicted"


def test_overflow_becomes_gaps_and_the_json_stays_valid():
    s = scene(source="sine", seq_len=500, activation="relu", init="identity", rho=4.0)
    assert np.abs(s.trace.h).max() > 1e39  # beyond float32
    spec = pio.to_json(theme.pack(fu.unrolled_figure(s, 500, 0)), validate=False)

    def reject(token):
        raise AssertionError(f"non-JSON number {token}")

    json.loads(spec, parse_constant=reject)


def size_kb(**changes) -> float:
    s = scene(source="sine", **changes)
    return len(pio.to_json(theme.pack(fu.unrolled_figure(s, 1, 0)), validate=False)) / 1024


def test_json_stays_small_and_grows_linearly_in_T_and_H():
    big = size_kb(seq_len=500, hidden_size=64)
    assert big < 1.5 * 1024
    half_t = size_kb(seq_len=250, hidden_size=64)
    assert 1.8 < big / half_t < 2.2  # linear in T
    # in H: each extra unit adds a float32 per step twice (heatmap + bars), ~11 bytes/step
    small_h = size_kb(seq_len=500, hidden_size=16)
    per_unit_step = (big - small_h) * 1024 / (48 * 500)
    assert 8 < per_unit_step < 14


@pytest.mark.parametrize("t", [1, 7, 46])
def test_aim_spec_opens_the_packed_figure_exactly_like_building_it_at_t(t):
    s = scene()
    aimed = theme.aim_spec(theme.pack(fu.unrolled_figure(s, 1, 2)), t - 1)
    assert aimed == theme.pack(fu.unrolled_figure(s, t, 2))


def test_pack_converts_every_numpy_value_and_leaves_its_input_alone():
    spec = theme.figure(
        [dict(type="scatter", x=np.arange(3), y=theme.f32([1.0, np.inf, 3.0]),
              text=["a", "b", None], customdata=[np.float64(0.5), 2, [np.int64(7)]])],
        dict(title=dict(text="t"), xaxis=dict(range=(np.float64(-1.0), 1))),
    )  # fmt: skip
    packed = theme.pack(spec)
    trace = packed["data"][0]
    assert trace["x"] == [0, 1, 2] and trace["y"]["dtype"] == "f4"
    assert trace["text"] == ["a", "b", None] and trace["customdata"] == [0.5, 2, [7]]
    assert type(trace["customdata"][0]) is float and packed["layout"]["xaxis"]["range"] == [-1.0, 1]
    assert packed["layout"]["template"] is theme.TEMPLATE_JSON  # shared, not copied
    json.dumps(packed, allow_nan=False)
    assert isinstance(spec["data"][0]["y"], np.ndarray)  # the input keeps its arrays


@pytest.mark.parametrize(
    "query, words",
    [
        (dict(text="hello hello"), "all 10 steps: 11 characters, the last one only predicted"),
        (dict(source="numbers", numbers="1, 2, 3, 4"), "all 3 steps: 4 values"),
        (dict(source="adding", seq_len=6), "all 6 steps"),
    ],
)
def test_the_chain_counts_its_steps_from_the_data(query, words):
    s = scene(hidden_size=4, **query)
    caption = frame(built(s, 1, 0), 1)["data"][1]["text"][-1]
    assert caption.startswith(words)
    items = len(s.cfg.text) if s.cfg.source == "text" else s.trace.T + 1
    if s.cfg.source != "adding":  # n items are read in n - 1 steps
        assert f"{items} " in caption and s.trace.T == items - 1
