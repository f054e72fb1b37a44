"""The character models' claims, checked against computations: train, validation and test are
disjoint parts of the corpus; the checkpoint is chosen on validation and the card reports test,
recomputed here by the NumPy cells; the page's default text is in no part the models learned
from; bits per character and perplexity; state carried or reset; teacher forcing against
free-running; temperature; and each training window starting from h_0 = 0."""

import math

import numpy as np
import pytest

from explainer import chareval, charmodel, datasets, pretrained, trainsets
from explainer.config import DEFAULT_TEXT
from explainer.unroll import unroll

CHARS = ["char-rnn", "char-lstm", "char-gru"]
NOTES = datasets.corpus("notes")


@pytest.mark.parametrize("n", [200, 487, 4862, 50_000])
def test_the_three_parts_are_disjoint_and_cover_the_text(n):
    parts = trainsets.char_splits(n)
    assert list(parts) == ["train", "validation", "test"]
    edges = [edge for part in parts.values() for edge in part]
    assert edges[0] == 0 and edges[-1] == n and edges == sorted(edges)
    assert all(a == b for a, b in zip(edges[1::2][:-1], edges[2::2], strict=True))  # no gaps
    sizes = {k: b - a for k, (a, b) in parts.items()}
    assert sizes["test"] >= 0.09 * n and sizes["validation"] >= 0.09 * n


def _text(ids, vocab) -> str:
    return "".join(vocab[k] for k in ids)


def test_training_reads_only_the_train_part_and_validation_only_its_own():
    data = trainsets.chars(NOTES, 64, 0, 16)
    (a, b), (c, d) = data.info["splits"]["train"], data.info["splits"]["validation"]
    train_text, val_text = NOTES[a:b], NOTES[c:d]
    for step in range(20):
        batch = data.batch(step)
        for x, y in zip(batch.x.argmax(-1), batch.y, strict=True):
            window = _text(np.append(x, y[-1]), data.vocab)
            assert window in train_text
    for x, y in zip(data.val.x.argmax(-1), data.val.y, strict=True):
        assert _text(np.append(x, y[-1]), data.vocab) in val_text


def _longest_common_substring(a: str, b: str) -> int:
    return max((j - i for i in range(len(a)) for j in range(i + 1, len(a) + 1) if a[i:j] in b),
               default=0)  # fmt: skip


@pytest.mark.parametrize("name", CHARS)
def test_cards_split_the_corpus_as_training_did_and_the_default_text_is_test_only(name):
    card = pretrained.cards()[name]
    assert card.eval["splits"] == {k: list(v) for k, v in trainsets.char_splits(len(NOTES)).items()}
    assert charmodel.parts_containing(card, DEFAULT_TEXT) == ["test"]
    seen = pretrained.split_text(card, "train") + pretrained.split_text(card, "validation")
    # nothing longer than a few characters ("t. the ") of the default text was learned or chose
    assert _longest_common_substring(DEFAULT_TEXT, seen) < 12


@pytest.mark.parametrize("name", CHARS)
def test_the_checkpoint_is_chosen_on_validation_and_the_card_reports_test(name):
    model = pretrained.load(name)
    card = model.card
    h = card.history
    assert card.train["saved_step"] == h["val_step"][int(np.argmin(h["val_loss"]))]
    assert card.eval["checkpoint_chosen_on"] == "validation"
    for part in ("validation", "test"):
        # recomputed here with the NumPy cells from h_0 = 0, one pass over the part
        start, stop = card.eval["splits"][part]
        text = NOTES[start:stop]
        ids = np.array([model.vocab.index(ch) for ch in text])
        logits = unroll(model.params, np.eye(len(model.vocab))[ids[:-1]], readout=model.readout).y
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(len(ids) - 1), ids[1:]]))
        assert card.metrics[f"{part}_loss"] == pytest.approx(loss, rel=1e-9)
        right = np.mean(logits.argmax(1) == ids[1:])
        assert card.metrics[f"{part}_accuracy"] == pytest.approx(right)
    assert card.metrics["test_loss"] < card.eval["baseline"]


def test_bits_per_character_and_perplexity():
    assert chareval.bits_per_char(3 * math.log(2)) == pytest.approx(3.0)
    assert chareval.perplexity(math.log(8)) == pytest.approx(8.0)
    # a model that knows nothing: uniform over V characters is log2 V bits and perplexity V
    V = 48
    ce = chareval.xent(np.zeros((5, V)), np.arange(5)).mean()
    assert chareval.bits_per_char(ce) == pytest.approx(math.log2(V))
    assert chareval.perplexity(ce) == pytest.approx(V)
    words = charmodel.in_words(2.0, 0.4)
    assert words == {"loss": 2.0, "bpc": 2.0 / math.log(2), "perplexity": math.exp(2.0),
                     "accuracy": 0.4}  # fmt: skip


@pytest.mark.parametrize("name", CHARS)
def test_reset_every_window_is_separate_runs_from_zero_and_carried_is_the_cards_test(name):
    model = pretrained.load(name)
    p, ro = model.params, model.readout
    x = pretrained.encode(model, DEFAULT_TEXT).x
    one_pass = chareval.logits(p, ro, x)
    assert one_pass.shape[0] == len(x) - 1
    np.testing.assert_allclose(chareval.logits(p, ro, x, window=len(x)), one_pass)
    w, n = 10, len(x) - 1
    parts = [unroll(p, x[k : min(k + w, n)], readout=ro).y for k in range(0, n, w)]
    np.testing.assert_allclose(chareval.logits(p, ro, x, window=w), np.concatenate(parts))
    rows = charmodel.carried_or_reset(model)
    assert [r["window"] for r in rows] == [None, 64, 16]
    assert rows[0]["loss"] == pytest.approx(model.card.metrics["test_loss"])
    # restarting from h_0 = 0 every 16 characters throws context away: the loss rises
    assert rows[2]["loss"] > rows[0]["loss"]


@pytest.mark.parametrize("name", CHARS)
def test_free_running_feeds_back_its_own_guesses_and_teacher_forcing_reads_the_text(name):
    model = pretrained.load(name)
    p, ro, vocab = model.params, model.readout, model.vocab
    r = charmodel.teacher_and_free(model, DEFAULT_TEXT, 0.8, 0)
    P = r["prime"]
    # greedy free-running: reading its own text back, every top guess is the next character
    ids = np.array([vocab.index(ch) for ch in r["free_greedy"]])
    guess = unroll(p, np.eye(len(vocab))[ids[:-1]], readout=ro).y.argmax(1)
    np.testing.assert_array_equal(guess[P - 1 :], ids[P:])
    pairs = zip(r["free_greedy"][P:], DEFAULT_TEXT[P:], strict=True)
    assert r["free_right"] == sum(a == b for a, b in pairs)
    # teacher forcing: the top guesses on the true text, as the Unrolled chain shows them
    enc = pretrained.encode(model, DEFAULT_TEXT)
    tf = unroll(p, enc.x[:-1], readout=ro).y.argmax(1)
    assert r["teacher"][1:] == "".join(vocab[k] for k in tf)
    assert r["teacher_right"] == int((tf == enc.ids[1:]).sum())
    # sampling at a tiny temperature is greedy
    low = chareval.free_run(p, ro, enc.x[:P], 20, 1e-4, seed=3)
    np.testing.assert_array_equal(low, chareval.free_run(p, ro, enc.x[:P], 20, 0.0, seed=3))


def test_temperature_sharpens_below_one_and_flattens_above():
    model = pretrained.load("char-lstm")
    rows = charmodel.temperature_table(model, DEFAULT_TEXT)
    ent = [r["entropy_bits"] for r in rows]
    top = [r["top_p"] for r in rows]
    assert ent == sorted(ent) and top == sorted(top, reverse=True)
    logits = chareval.logits(model.params, model.readout, pretrained.encode(model, DEFAULT_TEXT).x)
    q = chareval.softmax(logits)
    one = next(r for r in rows if r["temperature"] == 1.0)
    assert one["entropy_bits"] == pytest.approx(np.mean(-(q * np.log2(q)).sum(1)))
    assert one["top_p"] == pytest.approx(q.max(1).mean())
    assert ent[-1] < math.log2(len(model.vocab))  # never beyond uniform


def test_each_training_window_starts_from_a_zero_state():
    # the char task's window is the whole forward context: torch's output on a batch equals
    # the NumPy cells run on each window alone from h_0 = 0 (no state carried in)
    from explainer import train
    from explainer.cells import params_from_torch
    from explainer.trace import Readout

    cfg = train.TrainConfig(task="chars", seq_len=16, hidden_size=8, batch_size=4, cells=("gru",))
    run = train.new_run(cfg)
    train.train(run, 3, max_seconds=60)
    c = run.cells["gru"]
    batch = run.data.batch(7)
    out = train.outputs(c, batch, "every")  # (B, L, V)
    p = params_from_torch(c.net.rnn)
    head = c.net.head
    ro = Readout(head.weight.detach().double().numpy(), head.bias.detach().double().numpy())
    for b in range(len(batch.x)):
        np.testing.assert_allclose(unroll(p, batch.x[b], readout=ro).y, out[b], atol=1e-5)
