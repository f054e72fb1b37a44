"""Text alternatives: every chart of every page is named by a description computed from its data
and has its numbers in a table; the descriptions say the numbers the run computed; characters a
projector cannot draw (emoji) get a readable stand-in; the modebar keeps two buttons."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer import gradients
from explainer.config import RunConfig
from explainer.figures import alt, lstm, training, unrolled
from explainer.figures import gradients as grad_figs
from explainer.scene import make_scene, show_char
from explainer.ui.panels import MODEBAR
from explainer.ui.train_results import trend
from tests.app_utils import with_charts

PAGES = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))
TABLE = "Numbers as a table: "


@pytest.mark.app
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_chart_has_a_description_and_a_table_built_when_opened(page):
    at = with_charts(AppTest.from_file(str(page), default_timeout=60).run(), page)
    assert not at.exception
    charts = at.get("plotly_chart")
    assert charts
    tables = [e for e in at.expander if e.label.startswith(TABLE)]
    assert len(tables) == len(charts)
    assert all(t.dataframe == [] for t in tables)  # built only when opened
    for table in tables:  # a student opens them all
        at.session_state[table.key] = True
    at = at.run()
    tables = [e for e in at.expander if e.label.startswith(TABLE)]
    for chart, table in zip(charts, tables, strict=True):
        assert len(chart.proto.alt) > 40 and any(c.isdigit() for c in chart.proto.alt)
        assert json.loads(chart.proto.config)["modeBarButtons"] == [MODEBAR]
        frames = table.dataframe
        assert len(frames) == 1 and len(frames[0].value) > 0


@pytest.fixture(scope="module")
def scene():
    return make_scene(RunConfig(cell="lstm", hidden_size=8, text="the cat sat on the mat"))


def test_unrolled_alt_says_the_traced_numbers(scene):
    t, j = 4, 3
    a = unrolled.unrolled_alt(scene, t, j)
    h = scene.trace.h[t]
    assert np.allclose(a.table[f"h at step {t}"], h) and np.allclose(a.table[f"c at step {t}"],
                                                                      scene.trace.c[t])  # fmt: skip
    assert f"unit {j} is {alt.fmt(h[j])}" in a.text
    k = int(np.argmax(np.abs(h)))
    assert f"unit {k} is the largest, {alt.fmt(h[k])}" in a.text
    assert f"at step {t} (input {scene.seq.labels[t - 1]})" in a.text


def test_cell_belt_alt_adds_up(scene):
    tr, t, j = scene.trace, 5, 2
    a = lstm.cell_belt_alt(tr, scene.seq.labels, t, j)
    row = t - 1
    c = a.table["kept f·c(t-1)"][row] + a.table["written i·g"][row]
    assert c == pytest.approx(a.table["c"][row]) == pytest.approx(tr.c[t, j])
    assert f"so c_t = {alt.fmt(tr.c[t, j])}" in a.text


def test_gradient_alt_says_the_norms_at_t(scene):
    dL = np.array([1e-5, 1e-3, 0.1, math.inf])
    jac = np.array([2e-4, 0.02, 0.5, 1.0])
    a = grad_figs.gradient_curves_alt(dL, jac, 2)
    assert "‖∂L/∂h_t‖ is 0.1" in a.text and "‖∂h_T/∂h_t‖ 0.5" in a.text
    assert a.table["‖∂L/∂h_t‖"] == [1e-5, 1e-3, 0.1, None]  # overflow: an empty cell


def test_memory_alt_is_the_product_of_forget_gates(scene):
    products = gradients.forget_gate_products(scene.trace)
    a = lstm.memory_alt(products, 1.0, 0)
    T = scene.trace.T
    f = scene.trace.gates["f"][:, 0]
    assert a.table["unit 0: dc_T/dc_(T-k)"][T] == pytest.approx(np.prod(f))


def test_long_tables_are_thinned_to_the_limit_with_the_last_row():
    table = alt.thin({"k": list(range(5000))}, limit=1000)
    assert len(table["k"]) <= 1000 and table["k"][0] == 0 and table["k"][-1] == 4999


def test_alt_tables_must_be_rectangular():
    with pytest.raises(ValueError, match="length"):
        alt.Alt("x", "y", {"a": [1, 2], "b": [1]})


def test_training_alt_reads_the_latest_values():
    class H:  # the attributes of train.History the figure reads
        val_step, val_loss, val_metric = [10, 20], [0.5, 0.25], [0.1, 0.9]

    a = training.loss_curves_alt({"lstm": H()}, 0.167, "predict 1")
    assert "LSTM 0.25 at step 20" in a.text and "0.167" in a.text
    assert a.table == {"cell": ["LSTM", "LSTM"], "step": [10, 20], "validation loss": [0.5, 0.25]}


@pytest.mark.parametrize(
    "ch, shown",
    [
        ("a", "a"),
        ("é", "é"),
        (" ", "␣"),
        ("\n", "⏎"),
        ("😀", "U+1F600"),  # emoji, outside the Basic Multilingual Plane
        ("🏽", "U+1F3FD"),  # skin-tone modifier
        ("\u200d", "U+200D"),  # zero-width joiner: invisible
        ("\ufe0f", "U+FE0F"),  # emoji variation selector: invisible
        ("\x07", "U+0007"),  # a control character
    ],
)
def test_characters_a_chart_cannot_draw_get_their_code_point(ch, shown):
    assert show_char(ch) == shown


def test_typed_emoji_reach_the_chart_labels_as_code_points():
    s = make_scene(RunConfig(text="hi 😀 there"))
    assert "U+1F600" in s.seq.labels and "😀" not in "".join(s.seq.labels)
    assert "U+1F600" in s.seq.output_labels


def test_score_card_trend_is_the_change_since_the_first_check():
    assert trend([0.1, math.nan, 0.55], "solved (|error| < 0.16)") == "+45 points"
    assert trend([0.2, -0.1], "skill vs persistence") == "-0.30"
    assert trend([0.5], "solved") is None  # one check: no change yet
    assert trend([0.5, math.nan], "solved") is None  # the last check overflowed
