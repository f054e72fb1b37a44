"""Screen sizes without a browser: size classes, what each figure draws per size, the one
tick rule of every log axis."""

import numpy as np
import pytest

from explainer.config import RunConfig
from explainer.figures import gates, screens, theme
from explainer.figures.screens import Screen
from explainer.scene import make_scene

PROJECTOR = Screen(1280, 720, 1180)
SMALL_PROJECTOR = Screen(1024, 768, 924)
LAPTOP = Screen(1440, 900, 965)  # the sidebar open
PHONE = Screen(390, 844, 366)


def test_size_classes_of_the_four_screens():
    assert [s.size_class for s in (PROJECTOR, SMALL_PROJECTOR, LAPTOP, PHONE)] == [
        "projector",
        "projector",
        "laptop",
        "phone",
    ]
    assert screens.size_class(639, 2000) == "phone" and screens.size_class(640, 799) == "projector"


@pytest.mark.parametrize("natural", [300, 520, 600, 820, 950])
def test_a_main_figure_fits_a_projector_and_keeps_its_size_elsewhere(natural):
    for s in (PROJECTOR, SMALL_PROJECTOR):
        h = screens.main_figure_height(s, natural)
        assert h <= max(natural, screens.MIN_FIGURE_HEIGHT)
        assert h + screens.ABOVE_FIGURE <= s.height or h == screens.MIN_FIGURE_HEIGHT
        assert h >= min(natural, screens.MIN_FIGURE_HEIGHT)
    assert screens.main_figure_height(LAPTOP, natural) == natural
    assert screens.main_figure_height(PHONE, natural) == natural


def test_the_720_and_768_projectors_get_the_whole_figure_above_the_fold():
    # the measured room: 720 - 275 and 768 - 275 are both above the legibility floor
    assert screens.main_figure_height(PROJECTOR, 820) == 720 - screens.ABOVE_FIGURE
    assert screens.main_figure_height(SMALL_PROJECTOR, 820) == 768 - screens.ABOVE_FIGURE


@pytest.mark.parametrize("main", range(280, 2600, 37))
def test_unrolled_cells_stay_wide_enough_for_their_numbers(main):
    s = Screen(max(main + 40, 390), 900, main)
    fit = screens.unrolled_fit(s)
    plot = main - fit.left - 30
    assert 3 <= fit.window <= 12
    # "-0.30" at 15 px is ~36 px wide: each cell's slot keeps room for it, but on the
    # narrowest phones, where three cells are the floor
    per_cell = plot / (fit.window + 2.4)
    assert per_cell >= 40 or fit.window == 3


def test_fewer_steps_on_narrower_screens_and_a_phone_layout_of_its_own():
    wide, small, phone = (screens.unrolled_fit(s) for s in (PROJECTOR, SMALL_PROJECTOR, PHONE))
    assert wide.window == 12 and small.window < wide.window and phone.window < small.window
    assert phone.stacked and not phone.cell_state and not wide.stacked
    assert wide.height + screens.ABOVE_FIGURE <= PROJECTOR.height


def test_words_go_under_a_figure_on_narrow_columns():
    assert screens.side_by_side(PROJECTOR)
    assert not screens.side_by_side(SMALL_PROJECTOR)
    assert not screens.side_by_side(PHONE)


def test_gate_heatmaps_go_to_two_columns_on_a_short_screen():
    tr = make_scene(RunConfig(cell="lstm")).trace
    one = gates.gate_heatmaps(tr, list("abc" * 20)[: tr.T], 3)
    two = gates.gate_heatmaps(tr, list("abc" * 20)[: tr.T], 3, height=445)
    assert one["layout"]["height"] == gates.natural_height(tr) and two["layout"]["height"] == 445
    domains = {tuple(two["layout"][theme.axis_key("x", k)]["domain"]) for k in range(1, 7)}
    assert domains == {(0.0, 0.45), (0.55, 1.0)}
    # the step is highlighted in both columns, and every frame moves both
    assert [s["xref"] for s in two["layout"]["shapes"]] == ["x", "x2"]
    assert all(len(f["layout"]["shapes"]) == 2 for f in two["frames"])
    assert len(two["data"]) == len(one["data"]) == 6


def ticks(axis: dict) -> int:
    """Tick labels plotly draws on a log axis set by ``theme.log_axis``."""
    a, b = axis["range"]
    if "tickvals" in axis:  # within two decades: 1, 2, 5 times powers of ten, all in range
        assert all(a - 1e-9 <= np.log10(v) <= b + 1e-9 for v in axis["tickvals"])
        return len(axis["tickvals"])
    step = axis["dtick"]
    return int(np.floor(b / step) - np.ceil(a / step) + 1)


@pytest.mark.parametrize(
    "lo, hi",
    [(1e-300, 1e300), (1.0, 1e70), (1e-17, 2.5), (1e-3, 1e3), (0.5, 2.0), (1.0, 1.0), (3e-8, 4e-8)],
)
def test_every_log_axis_keeps_a_few_ticks_over_any_span(lo, hi):
    axis = theme.log_axis(lo, hi)
    assert axis["type"] == "log"
    assert 1 <= ticks(axis) <= theme.LOG_MAX_TICKS
    a, b = axis["range"]
    assert a <= np.log10(lo) and b >= np.log10(hi)  # the data is inside
    if "dtick" in axis:
        assert ticks(axis) >= 2 and axis["dtick"] in (1, 2, 5, 10, 20, 50, 100, 200, 500)


def test_junk_spans_give_one_decade():
    for lo, hi in [(0.0, 5.0), (np.nan, 1.0), (np.inf, 1.0), (-1.0, 1.0)]:
        assert theme.log_axis(lo, hi)["range"] == [0.0, 1.0]
    assert theme.log_axis_over([np.nan, 0.0, -3.0], None)["range"] == [0.0, 1.0]


def test_the_exploding_relu_scene_draws_a_few_ticks():
    # the lecture scene "Exploding: ReLU with rho = 1.5" spans ~70 decades
    axis = theme.log_axis_over(np.logspace(-2, 68, 50), 1.0)
    assert ticks(axis) <= theme.LOG_MAX_TICKS


def test_clipping_and_gradient_charts_use_the_rule():
    from explainer.figures import gradients as fg

    clip = fg.clip_norms_figure({"g": 1e68, "norm": 1.0, "elem": 3.0}, 1.0)
    assert ticks(clip["layout"]["yaxis"]) <= theme.LOG_MAX_TICKS
    jac = np.logspace(70, 0, 201)
    curves = fg.gradient_curves(jac * 0.5, jac, 5, "rnn", None, None)
    assert ticks(curves["layout"]["yaxis"]) <= theme.LOG_MAX_TICKS


def _phone(fig: dict) -> dict:
    margin = fig["layout"]["template"]["layout"]["margin"]
    return screens.phone_layout(fig["layout"], fig["data"], PHONE.main, margin)


def _plot_height(layout: dict) -> float:
    return layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]


def test_a_long_title_wraps_to_a_phones_width_and_the_plot_keeps_its_height():
    title = "How often is each gate shut or open, and for how many steps of the sequence?"
    fig = theme.figure([dict(type="scatter", y=[1, 2])], dict(title=dict(text=title), height=400))
    out = _phone(fig)
    lines = out["title"]["text"].split("<br>")
    per_line = (PHONE.main - 24) / (screens.CHAR_EM * screens.PHONE_TITLE_PX)
    assert len(lines) >= 2 and all(len(screens.visible_text(s)) <= per_line for s in lines)
    assert " ".join(lines) == title  # every word kept, in order
    assert out["title"]["font"]["size"] == screens.PHONE_TITLE_PX
    assert _plot_height(out) == 400 - 60 - 60  # the plot keeps its size
    assert out["margin"]["t"] >= len(lines) * screens.PHONE_TITLE_LINE + screens.TITLE_PAD
    assert out["title"]["pad"]["t"] > screens.TITLE_PAD  # plotly lifts a title of two lines


def test_markup_takes_no_room_and_a_short_title_stays_on_one_line():
    assert screens.visible_text("W<sub>hh</sub> of <b>x</b>") == "Whh of x"
    assert screens.wrap_label("Norm of g", 300, 16) == ["Norm of g"]


def test_the_legend_goes_above_the_plot_one_entry_a_row():
    data = [dict(type="scatter", y=[1, 2], name=n) for n in ("RNN", "LSTM", "GRU")]
    data.append(dict(type="scatter", y=[0, 0], name="guide", showlegend=False))
    legend = dict(orientation="h", y=1.02, yanchor="bottom", x=0)
    fig = theme.figure(data, dict(legend=legend, height=480, margin=dict(t=70)))
    out = _phone(fig)
    assert screens.legend_entries(fig["data"], fig["layout"]) == 3
    assert _plot_height(out) == 480 - 70 - 60  # the plot keeps its size
    # the legend hangs from the chart's top edge, its rows above the plot
    legend = out["legend"]
    assert legend["yref"] == "container" and legend["yanchor"] == "top"
    top = (1 - legend["y"]) * out["height"]
    assert legend["orientation"] == "v" and top > 0
    assert out["margin"]["t"] >= top + 3 * screens.PHONE_LEGEND_ROW


@pytest.mark.parametrize(
    "layout, n", [({}, 0), ({"showlegend": True}, 1), ({"showlegend": False}, 0)]
)
def test_a_lone_trace_has_a_legend_only_when_asked(layout, n):
    assert screens.legend_entries([dict(type="scatter", name="a")], layout) == n
    assert screens.legend_entries([dict(type="heatmap", name="h")], {"showlegend": True}) == 0


def test_every_gradient_page_title_fits_a_phone():
    from explainer.figures import gradients as g

    figs = [
        g.clip_norms_figure({"g": 3.0, "norm": 1.0, "elem": 1.4}, 1.0),
        g.clip_direction_figure({k: np.array([0.5, -0.2]) for k in ("g", "norm", "elem")}, 1.0),
    ]
    per_line = (PHONE.main - 24) / (screens.CHAR_EM * screens.PHONE_TITLE_PX)
    for fig in figs:
        lines = _phone(fig)["title"]["text"].split("<br>")
        assert all(len(screens.visible_text(s)) <= per_line for s in lines), lines


def test_the_clipping_bars_names_break_into_short_lines():
    from explainer.figures import gradients as g

    axis = g.clip_norms_figure({"g": 3.0, "norm": 1.0, "elem": 1.4}, 1.0)["layout"]["xaxis"]
    assert axis["tickvals"] == list(g.CLIP_NAMES.values())
    for text in axis["ticktext"]:
        assert max(len(s) for s in text.split("<br>")) <= 8, text


@pytest.mark.parametrize(
    "cookie, size",
    [
        ("1280x720x1232", {"width": 1280, "height": 720, "main": 1232}),
        ("390x844x366", {"width": 390, "height": 844, "main": 366}),
        (None, None),
        ("", None),
        ("1280x720", None),
        ("1280x720x1300", None),  # the main column wider than the window
        ("99x720x90", None),
        ("123456x720x100", None),
        ("1280x720x1232; evil", None),
        ("１２８０x720x1232", None),  # full-width digits are not ASCII digits
    ],
)
def test_the_screen_cookie_gives_a_plausible_size_or_nothing(cookie, size):
    from explainer.ui import screen

    assert screen._from_cookie(cookie) == size
    if size is not None:  # the reporter's key order: its first report then compares equal
        assert list(screen._from_cookie(cookie)) == ["width", "height", "main"]
        assert screen._parse(size) == Screen(**size)


def test_a_phone_names_every_kth_character_so_that_level_labels_keep_apart():
    chars = list("the cat sat on the mat. the dog sat on the log")  # 46, as the default text
    axis = dict(tickvals=list(range(1, 47)), ticktext=chars, domain=[0.0, 0.8])
    thinned = screens.thinned_ticks(axis, 250.0, 14.0)
    every = thinned["tickvals"][1] - thinned["tickvals"][0]
    assert every > 1 and thinned["ticktext"] == chars[::every]
    assert 250.0 * 0.8 / 46 * every >= 0.5 * 14.0 + screens.LABEL_GAP_PX  # each label's room
    wide = screens.thinned_ticks(axis, 2000.0, 14.0)
    assert wide is axis  # room for all: the axis as it was
    words = dict(tickvals=list(range(6)), ticktext=["brilliant", "acting", "was"] * 2)
    assert screens.thinned_ticks(words, 240.0, 16.0)["ticktext"] == ["brilliant", "was", "acting"]
    upright = dict(words, tickangle=-90)  # a line's height each: every word fits
    assert screens.thinned_ticks(upright, 240.0, 16.0) is upright
    two = dict(tickvals=[1, 0], ticktext=["teacher forcing:<br>fed the true token", "free"])
    assert screens.thinned_ticks(two, 100.0, 15.0) is two  # a few columns keep every name
    laid = screens.phone_layout(dict(xaxis3=axis, height=400), [], 366, dict(l=60, r=20, t=60))
    assert len(laid["xaxis3"]["ticktext"]) < 46
