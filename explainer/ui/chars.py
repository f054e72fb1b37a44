"""Panels about a trained character model (Unrolled page): its honest scores in nats, bits per
character and perplexity; teacher forcing against free-running and the sampling temperature;
the hidden state carried through a text or restarted from h_0 = 0. All computed live by
``explainer.charmodel`` from the shipped weights."""

from __future__ import annotations

import streamlit as st

from explainer import charmodel, pretrained
from explainer.cells import KINDS
from explainer.config import DEFAULT_TEXT
from explainer.figures.theme import CELL_NAMES
from explainer.scene import Scene, show_char

PART_WORDS = {
    "train": "the **train** part (the model learned from it: its scores there flatter it)",
    "validation": "the **validation** part (it chose the checkpoint, so it is not quite unseen)",
    "test": "the **test** part (never trained on, chose nothing: an honest score)",
}


def fmt(s: dict) -> str:
    """'1.93 nats = 2.79 bits per character, perplexity 6.9' (plus top-1 when known)."""
    out = f"{s['loss']:.3f} nats = {s['bpc']:.2f} bits per character"
    out += f", perplexity {s['perplexity']:.1f}"
    return out + (f"; top guess right {s['accuracy']:.0%}" if "accuracy" in s else "")


@st.cache_data(max_entries=64, show_spinner=False)
def _teacher_and_free(name: str, text: str, temperature: float, seed: int) -> dict:
    return charmodel.teacher_and_free(pretrained.load(name), text, temperature, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def _temperatures(name: str, text: str) -> list[dict]:
    return charmodel.temperature_table(pretrained.load(name), text)


@st.cache_data(max_entries=8, show_spinner=False)
def _carried_or_reset(name: str) -> list[dict]:
    return charmodel.carried_or_reset(pretrained.load(name))


@st.cache_data(max_entries=64, show_spinner=False)
def _text_score(name: str, text: str) -> dict:
    return charmodel.text_score(pretrained.load(name), text)


def trained_tip() -> str:
    """The Unrolled page's tip about trained weights, with each model's real score on the
    default text and where that text sits in its corpus."""
    cards = [c for c in pretrained.available(source="text") if c.task == "chars"]
    names = [c.name for c in sorted(cards, key=lambda c: KINDS.index(c.kind))]
    right = ", ".join(
        f"{_text_score(n, DEFAULT_TEXT)['accuracy']:.0%} ({CELL_NAMES[pretrained.cards()[n].kind]})"
        for n in names
    )
    where = {
        p for n in names for p in charmodel.parts_containing(pretrained.cards()[n], DEFAULT_TEXT)
    }
    place = "from the test part of their corpus, never trained on" if where == {"test"} else (
        "which is in their corpus's " + " and ".join(sorted(where)) + " part" if where
        else "not in their corpus"
    )  # fmt: skip
    return (
        "Pick **Weights: trained** for the text: the same chain with learned weights. On the "
        f"default text ({place}) the top guess is right {right} of the time; the panel below "
        "the chain says how each model was scored."
    )


CHUNK, SHOWN = 16, 48  # characters per line (fits a phone) and at most shown


def _aligned(rows: dict[str, str]) -> str:
    """Rows of equal length, cut into blocks of ``CHUNK`` characters so each column lines up
    on any screen; at most ``SHOWN`` characters."""
    width = max(map(len, rows))
    n = min(SHOWN, len(next(iter(rows.values()))))
    blocks = [
        "\n".join(
            f"{k:<{width}}  " + "".join(map(show_char, v[a : a + CHUNK])) for k, v in rows.items()
        )
        for a in range(0, n, CHUNK)
    ]
    return "\n\n".join(blocks)


def _scores(model: pretrained.Pretrained, text: str) -> None:
    card = model.card
    scores = charmodel.card_scores(card)
    base = charmodel.in_words(card.eval["baseline"])
    L = card.train["seq_len"]
    a, b = card.eval["splits"]["validation"]
    c, d = card.eval["splits"]["test"]
    st.markdown(
        f"**Test** ({d - c} characters it never saw): {fmt(scores['test'])}.  \n"
        f"**Validation** ({b - a} characters that chose the checkpoint at step "
        f"{card.train['saved_step']} of {card.train['steps']}): {fmt(scores['validation'])}.  \n"
        f"Letter frequencies only (no memory): {fmt(base)}."
    )
    where = charmodel.parts_containing(card, pretrained.encode(model, text).text)
    found = " and ".join(PART_WORDS[p] for p in where) if where else "none of its corpus"
    st.markdown(f"**This text**: {fmt(_text_score(card.name, text))}. It appears in {found}.")
    st.caption(
        "Cross-entropy (CE) is the average −ln p of the true next character. Bits per "
        "character = CE / ln 2: the bits a code built on the model's guesses would spend per "
        "character. Perplexity = exp(CE): as unsure as a fair choice among that many "
        f"characters. The corpus is split 80/10/10 into train, validation and test; training "
        f"read random windows of {L} characters from the train part only."
    )


def _sampling(model: pretrained.Pretrained, text: str, seed: int) -> None:
    temps = charmodel.TEMPERATURES
    T = st.select_slider("Sampling temperature τ", temps, value=0.8, key="char_temperature")
    r = _teacher_and_free(model.card.name, text, T, seed)
    P = r["prime"]
    rows = {
        "text": r["text"],
        "forced": r["teacher"],
        "greedy": r["free_greedy"],
        f"τ {T:g}": r["free_sampled"],
    }
    n = len(r["text"])
    shown = f" Shown: the first {SHOWN} of {n} characters." if n > SHOWN else ""
    st.caption(
        "**text**: what it reads; **forced**: its top guess for each character while reading "
        "the true text; **greedy** and **τ**: what it writes free-running after the first "
        f"{P} characters, taking its top guess or sampling at temperature τ.{shown}"
    )
    st.code(_aligned(rows), language=None)
    st.markdown(
        f"**Teacher forcing** (how it was trained, and what the chain shows): at every step "
        f"it reads the *true* character; {r['teacher_right']} of its {r['guessed']} top guesses "
        f"are right. **Free-running** (how it writes): after the first {P} characters it reads "
        f"its *own* last guess; its greedy text matches {r['free_right']} of the {r['written']} "
        "characters. One wrong guess becomes the next input, a situation training never showed "
        "it: **exposure bias** (Bengio et al. 2015 mix the model's own guesses into training)."
    )
    rows = _temperatures(model.card.name, text)
    table = {
        "τ": [f"{row['temperature']:g}" for row in rows],
        "entropy (bits)": [f"{row['entropy_bits']:.2f}" for row in rows],
        "top guess's probability": [f"{row['top_p']:.0%}" for row in rows],
    }
    st.table(table, hide_index=True)
    one = next(row for row in rows if row["temperature"] == 1.0)
    st.caption(
        "Sampling draws the next character from softmax(logits / τ), averaged here over this "
        f"text: τ = 1 is the model's own belief ({one['entropy_bits']:.2f} bits, top guess "
        f"{one['top_p']:.0%}); τ < 1 sharpens it toward the top guess (safe, repetitive), τ > 1 "
        "flattens it toward uniform (varied, more typos)."
    )


def _state(model: pretrained.Pretrained) -> None:
    rows = _carried_or_reset(model.card.name)
    L = model.card.train["seq_len"]
    words = {None: "carried (one pass)"}
    table = {
        "h": [words.get(r["window"], f"h₀ = 0 every {r['window']}") for r in rows],
        "CE": [f"{r['loss']:.3f}" for r in rows],
        "bits": [f"{r['bpc']:.2f}" for r in rows],
        "ppl": [f"{r['perplexity']:.1f}" for r in rows],
        "top-1": [f"{r['accuracy']:.0%}" for r in rows],
    }
    # a static table wraps on a phone, where a data grid would hide columns
    st.table(table, hide_index=True)
    st.caption(
        "CE: cross-entropy in nats per character; bits: bits per character; ppl: perplexity; "
        "top-1: top guess right."
    )
    st.markdown(
        f"These models were trained on random windows of {L} characters, **each read from "
        "h₀ = 0** (the second row): the window is both how far back backprop goes and all the "
        "context the model ever had. **Truncated BPTT** is different: it reads the text in "
        "consecutive windows, **carries h from the end of one window into the next** (so the "
        "forward context is unbounded, as in the first row) and only cuts the backward pass at "
        f"the window edge. The table reads the same {rows[0]['chars']} test characters each way "
        "and guesses every one after the first exactly once."
    )


def trained_char_model(scene: Scene) -> None:
    """Scores, sampling and state for a scene that runs a shipped character model."""
    card = pretrained.cards().get(scene.cfg.weights)
    if card is None or card.task != "chars":
        return
    model = pretrained.load(card.name)
    st.subheader("The trained character model")
    scores, sampling, state = st.tabs(
        ["Scores: nats, bits, perplexity", "Teacher forcing, sampling", "Carry h or restart"]
    )
    with scores:
        _scores(model, scene.cfg.text)
    with sampling:
        _sampling(model, scene.cfg.text, scene.cfg.seed)
    with state:
        _state(model)
