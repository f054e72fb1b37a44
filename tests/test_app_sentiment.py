"""The sentiment page under AppTest: defaults, every number it prints recomputed, the word
cursor, masking, bad reviews (empty, only unknown words, 5,000 words), deep links, training."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer import sentiment, senttrain
from tests.app_utils import array, assert_clean_with_player, chart, cursor, set_cursor

pytestmark = pytest.mark.app

PAGE = Path(__file__).resolve().parent.parent / "pages" / "8_Sentiment_pipeline.py"


def run(**query) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def text_of(at: AppTest) -> str:
    parts = [*at.caption, *at.markdown, *at.info, *at.warning, *at.error]
    return "\n".join(p.value for p in parts)


def reads(text: str, L: int):
    m, _ = senttrain.shipped()
    ids = sentiment.to_ids(sentiment.tokens(text), m.vocab)
    padded, mask = sentiment.pad(ids, L)
    return m, sentiment.read(m, padded, mask), sentiment.read(m, padded, mask, masked=False)


def test_defaults_read_the_first_of_six_and_print_computed_numbers():
    at = run()
    assert_clean_with_player(at, "sent_verdict")
    text, L = sentiment.SIX[0][0], 16
    m, masked, unmasked = reads(text, L)
    said = text_of(at)
    assert f"P(positive) = {masked.verdict:.1%}" in said
    assert f"verdict ends at {unmasked.verdict:.1%}" in said
    spec = chart(at, "sent_verdict")
    np.testing.assert_allclose(array(spec["data"][1]["y"]), masked.p, atol=1e-6)
    np.testing.assert_allclose(array(spec["data"][0]["y"]), unmasked.p, atol=1e-6)
    n = len(sentiment.tokens(text))
    assert len(spec["frames"]) == n
    assert spec["layout"]["xaxis"]["ticktext"][:n] == sentiment.tokens(text)
    card = senttrain.shipped()[1]
    assert f"held-out accuracy {card['held_out_accuracy']:.0%}" in said


def test_word_cursor_moves_the_dot_the_state_bars_and_the_equations():
    at = run()
    set_cursor(at, 3).run()
    _, masked, _ = reads(sentiment.SIX[0][0], 16)
    spec = chart(at, "sent_verdict")
    assert spec["data"][2]["x"] == [3]
    np.testing.assert_allclose(array(spec["data"][3]["x"]), masked.trace.h[3], atol=1e-6)
    latex = " ".join(e.value for e in at.get("latex") if hasattr(e, "value"))
    assert "e_{3}" in latex and "x_{3}" not in latex
    assert "After word 3 ('this')" in text_of(at)


def test_masking_flips_a_short_uncertain_review_and_the_page_says_so():
    m, masked, unmasked = reads("the acting", 40)
    assert (masked.verdict > 0.5) != (unmasked.verdict > 0.5)  # the claim, from the model
    at = run(review="the acting", length="40")
    assert not at.exception
    assert "the verdict flips" in text_of(at)


def test_six_table_verdicts_are_the_models():
    at = run()
    table = at.dataframe[-1].value
    m, _ = senttrain.shipped()
    for (text, _), shown in zip(sentiment.SIX, table["P(positive)"], strict=True):
        ids = sentiment.to_ids(sentiment.tokens(text), m.vocab)
        p = sentiment.read(m, ids, np.ones(len(ids), dtype=bool)).verdict
        assert shown == f"{p:.1%}"
    assert list(table["right"]) == ["✓"] * 6  # the shipped model gets the six right


def test_contributions_caption_names_the_word_whose_removal_moves_most():
    at = run()
    m, _ = senttrain.shipped()
    ids = sentiment.to_ids(sentiment.tokens(sentiment.SIX[0][0]), m.vocab)
    parts = sentiment.contributions(m, ids)
    k = int(np.argmax(np.abs(parts["occlusion"])))
    word = sentiment.tokens(sentiment.SIX[0][0])[k]
    assert f"Removing {word!r} moves the verdict most ({-100 * parts['occlusion'][k]:+.1f}" in (
        text_of(at)
    )


@pytest.mark.parametrize(
    "review,message",
    [
        ("   ", "no words to read"),
        ("!!! ???", "no words to read"),
        ("zebra quux florp", "None of these words is in the model's vocabulary"),
        (" ".join(["great"] * 5000), "the review has 5,000 words; the model reads the first 16"),
    ],
)
def test_bad_reviews_get_a_clear_message(review, message):
    at = run(review=review)
    assert not at.exception, [e.value for e in at.exception]
    assert message in text_of(at)


def test_deep_link_restores_review_length_and_word():
    at = run(review="a dull silly film", length="6", t="2")
    assert not at.exception and not at.warning
    assert at.text_area(key="review").value == "a dull silly film"
    assert at.slider(key="length").value == 6 and cursor(at) == 2
    assert "After word 2 ('dull')" in text_of(at)


def test_junk_length_in_the_link_does_not_break_the_page():
    at = run(length="9999")
    assert not at.exception


def test_loading_one_of_the_six_fills_the_review():
    at = run()
    at.selectbox(key="sent_pick").set_value("review 4").run()
    assert at.text_area(key="review").value == sentiment.SIX[3][0]
    assert "Verdict: **negative**" in text_of(at)


def test_training_live_swaps_the_model_for_this_session():
    at = run()
    at.number_input(key="sent_seed").set_value(2)
    at.button(key="sent_train").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert "live weights (seed 2)" in text_of(at)
    at.button(key="sent_shipped").click().run()
    assert "shipped weights (seed 0)" in text_of(at)


@pytest.mark.slow
def test_trained_model_classifies_the_six_reviews_with_pinned_seed():
    r = senttrain.train(senttrain.SentimentConfig(seed=0))
    assert r["six"] == 1.0 and r["held_out"] >= 0.7


def test_a_phone_keeps_the_review_box_on_the_page_under_the_chart():
    """A phone's sidebar covers its screen: the review box is in the main column there, after
    the chart (the figure first); elsewhere it is in the sidebar."""
    for screen, in_sidebar in ((dict(width=390, height=844, main=366), False), (None, True)):
        at = AppTest.from_file(str(PAGE), default_timeout=60)
        if screen:
            at.session_state["_viewport"] = screen
        at.run()
        assert not at.exception
        assert (len(at.sidebar.text_area) == 1) is in_sidebar
        assert [a.label for a in at.text_area] == ["Your review"]
        if not in_sidebar:  # in the main column after the figure: the chart is drawn first
            main = [getattr(e, "type", "") for e in _depth_first(at.main)]
            assert main.index("plotly_chart") < main.index("text_area")


def _depth_first(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _depth_first(child)
