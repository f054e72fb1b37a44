"""Page 9 (Sequence to sequence) under AppTest: defaults, the cursor at both ends, decoding by
beam, deep links, junk links and bad input (empty, letters, too long) get a clear message."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer import reversal, seq2seq_models
from explainer.seq2seq import greedy

pytestmark = pytest.mark.app

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "9_Sequence_to_sequence.py")


def run(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params = {k: str(v) for k, v in query.items()}
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def chart(at: AppTest, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key)]
    assert len(found) == 1, [c.proto.id for c in at.get("plotly_chart")]
    return json.loads(found[0].proto.spec)


def opening(fig: dict) -> str:
    """The step the chart opens at: its player's slider, or the page cursor's ``meta``."""
    cursor = fig["layout"].get("meta", {}).get("cursor")
    if cursor is not None:
        return str(cursor["step"])
    slider = fig["layout"]["sliders"][0]
    return slider["steps"][slider["active"]]["label"]


def test_defaults_show_the_shipped_model_reversing_the_default_digits():
    at = ok(run())
    assert [t.value for t in at.title] == ["Sequence to sequence"]
    m = seq2seq_models.load().model
    digits = reversal.parse("4071935")
    S = len(greedy(m, digits).written)
    fig = chart(at, "s2s_chain")
    assert len(fig["frames"]) == 7 + S  # the encoder's steps, then the decoder's
    assert opening(fig) == "5"  # the shared default step
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "attention" in text
    assert "exposure bias" in text.lower() or "Both runs" in text
    assert "What to try" in text
    for key in ("s2s_tf", "s2s_len_fig", "s2s_sweep"):
        chart(at, key)


@pytest.mark.parametrize("t", [1, 7, 8, 15])
def test_equations_follow_the_cursor_through_encoder_and_decoder(t):
    at = ok(run(t=t))
    md = " ".join(m.value for m in at.markdown)
    if t <= 7:
        assert f"Encoder, step {t} of 7" in md
    else:
        assert f"Decoder, step {t - 7} of" in md
        assert any("softmax" in e.value for e in at.latex)
    assert opening(chart(at, "s2s_chain")) == str(t)


def test_beam_search_deep_link_restores_the_scene():
    at = ok(run(s2s_in="123", t=4, s2s_decode="beam", unit=3))
    assert at.text_input(key="s2s_in").value == "123"
    assert at.radio(key="s2s_decode").value == "beam"
    fig = chart(at, "s2s_chain")
    assert len(fig["frames"]) == 3 + 4 and opening(fig) == "4"
    assert "read 123" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(
    "typed, says",
    [("", "empty"), ("12a4", "'a'"), ("1" * 17, "at most 16"), ("😀", "digits 0-9")],
)
def test_bad_digits_get_a_clear_message(typed, says):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params = {"s2s_in": typed} if typed else {}
    at.run()
    if not typed:
        at.text_input(key="s2s_in").set_value("").run()
    assert not at.exception
    assert any(says in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize(
    "key, junk",
    [("s2s_model", "mine"), ("s2s_decode", "sample"), ("s2s_cell", "transformer")],
)
def test_junk_link_falls_back_with_a_notice(key, junk):
    at = ok(run(**{key: junk, "s2s_model": "own"} if key == "s2s_cell" else {key: junk}))
    assert any(key in w.value for w in at.warning), [w.value for w in at.warning]
    chart(at, "s2s_chain")


def test_own_settings_without_a_run_show_the_shipped_model_and_say_so():
    at = ok(run(s2s_model="own", s2s_hidden=8))
    assert any("No run of yours" in i.value for i in at.info)
    assert at.button(key="s2s_go").disabled is False


@pytest.mark.slow
def test_training_live_gives_the_student_their_own_model():
    at = ok(run(s2s_model="own", s2s_hidden=8, s2s_len=3))
    at.button(key="s2s_go").click().run()
    job = at.session_state["s2s_job"]
    assert job.wait(600) and job.reason == "steps"
    ok(at.run())
    assert not any("No run of yours" in i.value for i in at.info)
    fig = chart(at, "s2s_chain")
    assert int(fig["layout"]["yaxis2"]["range"][1] + 0.5) == 8  # H = 8 units
    assert "trained live" in " ".join(m.value for m in at.markdown)
