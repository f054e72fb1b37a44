"""What a shipped character model does with a text, for the pages: its card's scores in nats,
bits per character and perplexity; which part of its corpus a text comes from; reading the
true text (teacher forcing) against writing from its own guesses (free-running); what the
sampling temperature does; the hidden state carried through the test text or reset.

Every number comes from the NumPy cells running the shipped weights (``explainer.chareval``).
"""

from __future__ import annotations

from explainer import chareval, pretrained
from explainer.pretrained import Pretrained

PARTS = ("validation", "test")
TEMPERATURES = (0.2, 0.5, 0.8, 1.0, 1.5, 2.0)
PRIME = 4  # characters of the true text read before writing free-running


def in_words(ce: float, accuracy: float | None = None) -> dict[str, float]:
    """A cross-entropy (nats per character) with its bits per character and perplexity."""
    out = {"loss": ce, "bpc": chareval.bits_per_char(ce), "perplexity": chareval.perplexity(ce)}
    return out if accuracy is None else {**out, "accuracy": accuracy}


def card_scores(card: pretrained.Card) -> dict[str, dict[str, float]]:
    """Validation and test scores a character model's card records, each read in one pass."""
    m = card.metrics
    return {p: in_words(m[f"{p}_loss"], m[f"{p}_accuracy"]) for p in PARTS}


def parts_containing(card: pretrained.Card, text: str) -> list[str]:
    """The parts of the model's corpus ("train", "validation", "test") holding ``text``."""
    return [p for p in card.eval["splits"] if text and text in pretrained.split_text(card, p)]


def text_score(model: Pretrained, text: str) -> dict[str, float]:
    """The model's score on ``text`` read in one pass from h_0 = 0, as the Unrolled page runs it."""
    s = pretrained.score_text(model, pretrained.encode(model, text).text)
    return in_words(s["loss"], s["accuracy"])


def carried_or_reset(model: Pretrained) -> list[dict]:
    """The test part read in one pass (the state carried all the way), then restarted from
    h_0 = 0 every training window and every quarter window (every character guessed once)."""
    text = pretrained.split_text(model.card, "test")
    L = model.card.train["seq_len"]
    rows = []
    for window in (None, L, max(1, L // 4)):
        s = pretrained.score_text(model, text, window)
        rows.append({"window": window, "chars": len(text), **in_words(s["loss"], s["accuracy"])})
    return rows


def temperature_table(model: Pretrained, text: str) -> list[dict]:
    """Entropy (bits) and top-guess probability of the next-character distribution, averaged
    over ``text``, at each of ``TEMPERATURES``."""
    enc = pretrained.encode(model, text)
    logits = chareval.logits(model.params, model.readout, enc.x)
    return [{"temperature": T, **chareval.temperature_effect(logits, T)} for T in TEMPERATURES]


def teacher_and_free(model: Pretrained, text: str, temperature: float, seed: int) -> dict:
    """The top guesses while reading the true text (teacher forcing), and the text it writes
    after the first ``PRIME`` characters when fed its own guesses: greedy and sampled."""
    enc = pretrained.encode(model, text)
    vocab, x, ids = model.vocab, enc.x, enc.ids
    guess = chareval.logits(model.params, model.readout, x).argmax(axis=1)
    P = min(PRIME, len(ids) - 1)
    n = len(ids) - P

    def write(T: float) -> str:
        out = chareval.free_run(model.params, model.readout, x[:P], n, T, seed)
        return enc.text[:P] + "".join(vocab[k] for k in out)

    greedy = write(0.0)
    return {
        "text": enc.text,
        "prime": P,
        "teacher": "·" + "".join(vocab[k] for k in guess),  # no guess for the first
        "teacher_right": int((guess == ids[1:]).sum()),
        "free_greedy": greedy,
        "free_right": sum(a == b for a, b in zip(greedy[P:], enc.text[P:], strict=True)),
        "free_sampled": write(temperature),
        "guessed": len(ids) - 1,
        "written": n,
    }
