"""The character-model panels as the pages show them (AppTest): every number in their prose is
the computed one; the train page says what its window is."""

import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer import charmodel, datasets, pretrained, runs, train, trainsets
from explainer.config import DEFAULT_TEXT
from explainer.scene import show_char

pytestmark = pytest.mark.app

PAGES = Path(__file__).resolve().parent.parent / "pages"


def run(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    at.query_params = {k: str(v) for k, v in query.items()}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def rows(code: str) -> dict[str, str]:
    """The aligned rows of the sampling panel, each joined across its blocks."""
    out: dict[str, str] = {}
    for line in filter(None, code.splitlines()):
        label, chars = line.rsplit(" ", 1)  # the characters show spaces as ␣
        out[label.strip()] = out.get(label.strip(), "") + chars
    return out


def test_unrolled_page_reports_the_trained_models_honest_scores():
    at = run("1_Unrolled_RNN.py", cell="lstm", weights="char-lstm")
    shown = text(at)
    model = pretrained.load("char-lstm")
    test = charmodel.card_scores(model.card)["test"]
    assert (
        f"{test['loss']:.3f} nats = {test['bpc']:.2f} bits per character, "
        f"perplexity {test['perplexity']:.1f}; top guess right {test['accuracy']:.0%}"
    ) in shown
    assert "It appears in the **test** part" in shown
    # the tip quotes each model's real top-1 on the default text
    for name in ("char-rnn", "char-lstm", "char-gru"):
        right = charmodel.text_score(pretrained.load(name), DEFAULT_TEXT)["accuracy"]
        assert f"{right:.0%} (" in shown
    assert "from the test part of their corpus" in shown
    # carried against reset: the table holds the computed losses
    state = at.table[1].value
    rows = charmodel.carried_or_reset(model)
    assert list(state["CE"]) == [f"{r['loss']:.3f}" for r in rows]
    assert list(state["bits"]) == [f"{r['bpc']:.2f}" for r in rows]


def test_the_temperature_control_resamples_and_the_table_is_computed():
    at = run("1_Unrolled_RNN.py", cell="gru", weights="char-gru")
    model = pretrained.load("char-gru")
    temps = at.table[0].value
    table = charmodel.temperature_table(model, DEFAULT_TEXT)
    assert list(temps["entropy (bits)"]) == [f"{r['entropy_bits']:.2f}" for r in table]
    before = rows(at.code[0].value)
    at.select_slider(key="char_temperature").set_value(2.0).run()
    after = rows(at.code[0].value)
    r = charmodel.teacher_and_free(model, DEFAULT_TEXT, 2.0, 0)
    seen = {"text": r["text"], "forced": r["teacher"], "greedy": r["free_greedy"]}
    shown = {k: "".join(map(show_char, v)) for k, v in seen.items()}
    assert {k: after[k] for k in seen} == shown == {k: before[k] for k in seen}
    assert after["τ 2"] == "".join(map(show_char, r["free_sampled"])) != before["τ 0.8"]
    assert f"{r['teacher_right']} of its {r['guessed']} top guesses" in text(at)


def test_a_text_from_the_training_part_is_flagged_and_random_weights_show_no_panel():
    seen = datasets.corpus("notes")[:60]
    at = run("1_Unrolled_RNN.py", weights="char-rnn", text=seen)
    assert "It appears in the **train** part" in text(at)
    at = run("1_Unrolled_RNN.py")
    assert not at.tabs


def test_train_page_says_what_the_char_window_is_and_shows_bits_and_perplexity():
    at = run("6_Train_and_compare.py", tr_task="character model")
    slider = at.slider(key="tr_T_chars")
    assert "h₀ = 0" in slider.help and "not truncated BPTT" in slider.help
    shown = text(at)
    cfg = train.TrainConfig(task="chars", seq_len=64, data="notes")
    for h in runs.recorded(cfg).values():
        ce = h.val_loss[-1]
        assert f"{ce:.3f} nats = {ce / math.log(2):.2f} bits per character, " in shown
        assert f"perplexity {math.exp(ce):.1f}" in shown
    a, b = trainsets.char_splits(len(datasets.corpus("notes")))["train"]
    assert f"memorises the {b - a:,} characters it trains on" in shown
