"""The bidirectional page under AppTest: defaults, every number it prints recomputed, the time
cursor, extremes, bad strings, junk and deep links, and live training."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer import future
from explainer.bidirectional import bi_unroll
from tests.app_utils import array, assert_clean_with_player, chart, cursor, set_cursor

pytestmark = pytest.mark.app

PAGE = Path(__file__).resolve().parent.parent / "pages" / "7_Bidirectional_RNN.py"


def run(**query) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def shipped_reading(cell: str, text: str) -> future.Reading:
    models = {k: future.shipped(cell, k == "bi")[0] for k in ("uni", "bi")}
    return future.read(models, future.encode(text)[0])


def test_defaults_draw_both_chains_at_the_cursor_and_print_computed_numbers():
    at = run()
    assert_clean_with_player(at, "bi_chains")
    spec = chart(at, "bi_chains")
    T = len(future.DEFAULT_TEXT)
    t = cursor(at)
    r = shipped_reading("gru", future.DEFAULT_TEXT)
    heat = [tr for tr in spec["data"] if tr["type"] == "heatmap"]
    np.testing.assert_allclose(array(heat[0]["z"]), r.runs["bi"].h_fwd.T, atol=1e-6)
    np.testing.assert_allclose(array(heat[1]["z"]), r.runs["bi"].h_bwd.T, atol=1e-6)
    # the bars are o_t = [h_fwd_t ; h_bwd_t] at the cursor
    bars = next(tr for tr in spec["data"] if tr["type"] == "bar")
    np.testing.assert_allclose(array(bars["x"]), r.runs["bi"].out[t - 1], atol=1e-6)
    assert len(spec["frames"]) == T
    text = captions(at)
    right = int(np.sum((r.beliefs["uni"] > 0.5) == (r.truth > 0.5)))
    assert f"one-way tagger gets {right} of {T} right, the bidirectional one {T}." in text
    assert f"the bidirectional one {r.beliefs['bi'][t - 1]:.0%}" in text
    card = future.shipped("gru", False)[1]
    assert f"right {card['accuracy_by_position'][0]:.0%} of the time" in text
    assert f"can do there: {future.best_left_to_right(20)[0]:.1%}" in text
    assert f"depends on {t} of the {T} inputs" in text and f"output on {T}." in text


def test_moving_t_moves_every_panel_and_the_equations():
    at = run()
    set_cursor(at, 3).run()
    r = shipped_reading("gru", future.DEFAULT_TEXT)
    bars = next(tr for tr in chart(at, "bi_chains")["data"] if tr["type"] == "bar")
    np.testing.assert_allclose(array(bars["x"]), r.runs["bi"].out[2], atol=1e-6)
    reach = chart(at, "bi_reach")["data"]
    uni = array(reach[0]["y"])
    np.testing.assert_allclose(uni[:3], r.reach["uni"][2, :3], rtol=1e-5)
    assert np.isnan(uni[3:]).all()  # no path to the future
    latex = " ".join(e.value for e in at.get("latex") if hasattr(e, "value"))
    assert r"\overleftarrow{h}_{4}" in latex and r"\overrightarrow{h}_{2}" in latex
    p = r.beliefs["bi"][2]
    assert re.search(rf"= {p:.3g}\b", latex.replace("\\end{aligned}", " ")), p


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_every_cell_and_the_last_step(cell):
    at = run(cell=cell, t=str(len(future.DEFAULT_TEXT)))
    assert_clean_with_player(at, "bi_reach")
    r = shipped_reading(cell, future.DEFAULT_TEXT)
    heat = [tr for tr in chart(at, "bi_chains")["data"] if tr["type"] == "heatmap"]
    np.testing.assert_allclose(array(heat[1]["z"]), r.runs["bi"].h_bwd.T, atol=1e-6)
    assert "none, t is the last step" in captions(at)


def test_deep_link_restores_string_cell_step_and_unit():
    at = run(cell="lstm", string="ab) cd", t="2", unit="3")
    assert not at.exception and not at.warning
    assert at.selectbox(key="cell").value == "lstm"
    assert at.text_input(key="string").value == "ab) cd"
    assert cursor(at) == 2 and at.slider(key="unit").value == 3
    assert "Step t = 2, character 'b'" in captions(at)


def test_junk_link_values_get_a_notice_and_defaults():
    at = run(cell="banana", t="999", unit="x")
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "cell='banana'" in notes and "t=999" in notes and "unit='x'" in notes
    assert at.selectbox(key="cell").value == "gru"


@pytest.mark.parametrize(
    "text,message",
    [("", "no letter"), ("123 !!!", "no letter"), ("a" * 400, "cut the string to its first 60")],
)
def test_bad_strings_get_a_clear_message(text, message):
    at = run(string=text) if text else run()
    if not text:
        at.text_input(key="string").set_value("").run()
    assert not at.exception
    said = " ".join(m.value for m in [*at.error, *at.info])
    assert message in said


def test_one_character_string_still_runs():
    at = run(string=")")
    assert not at.exception and "One step only" in captions(at)


def test_training_live_replaces_the_shipped_pair_for_this_session():
    at = run(cell="rnn")
    at.number_input(key="bi_seed").set_value(4)
    at.button(key="bi_train").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    done = " ".join(s.value for s in at.success)
    assert "Showing your run (seed 4)" in done
    # the accuracy caption now describes the live pair, and it still beats the one-way tagger
    spec = chart(at, "bi_accuracy")
    uni, bi = (array(tr["y"]) for tr in spec["data"][1:])
    assert bi.mean() > uni.mean() + 0.15
    at.button(key="bi_shipped").click().run()
    assert not at.success
    assert np.allclose(array(chart(at, "bi_accuracy")["data"][2]["y"]),
                       future.shipped("rnn", True)[1]["accuracy_by_position"])  # fmt: skip


def test_numpy_run_of_the_page_is_the_shipped_models_forward():
    m, _ = future.shipped("gru", True)
    ids = future.encode(future.DEFAULT_TEXT)[0]
    bt = bi_unroll(m.params, future.one_hot(ids))
    np.testing.assert_allclose(future.probabilities(m, ids),
                               1 / (1 + np.exp(-(bt.out @ m.w + m.b))), atol=1e-12)  # fmt: skip
