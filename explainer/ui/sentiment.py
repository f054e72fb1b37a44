"""Panels of the sentiment page: the review, each stage of the pipeline, the verdict word by
word, word contributions and live training."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import streamlit as st

from explainer import equations, jobs, sentiment, senttrain
from explainer.figures import sentiment as fig
from explainer.figures.screens import main_figure_height
from explainer.ui import screen
from explainer.ui.panels import show_animated, show_figure
from explainer.ui.train import queue
from explainer.ui.view import BOUND, input_place

LIVE = "sent_live"  # this student's own trained model
WAIT_SECONDS = 60
MAX_LEN = 40


@dataclass(frozen=True, eq=False)
class Review:
    """A review as the page reads it: words, ids, the padded row and both runs."""

    words: list[str]
    ids: np.ndarray  # (n_words,) before padding
    padded: np.ndarray  # (L,)
    mask: np.ndarray  # (L,)
    masked: sentiment.Read
    unmasked: sentiment.Read
    parts: dict  # contributions of the words read

    @property
    def n(self) -> int:
        return int(self.mask.sum())


def model() -> tuple[sentiment.Model, dict]:
    """This session's live model if it trained one, else the shipped one; and what to say."""
    live = st.session_state.get(LIVE)
    if live is not None:
        return live["model"], live["about"]
    m, card = senttrain.shipped()
    return m, dict(source="shipped", seed=card["train"]["seed"], held_out=card["held_out_accuracy"],
                   six=card["six_accuracy"], seconds=card["seconds"])  # fmt: skip


def _load_six() -> None:
    pick = st.session_state.get("sent_pick")
    if pick:
        st.session_state["review"] = sentiment.SIX[int(pick.split()[1]) - 1][0]


def review_input() -> tuple[str, int]:
    """The review (typed, or one of the six) and the padded length, both in the URL: in the
    sidebar, or on a phone where this is called."""
    with input_place():
        st.selectbox("Load one of the six reviews", [f"review {k}" for k in range(1, 7)],
                     index=None, placeholder="pick one…", key="sent_pick",
                     on_change=_load_six)  # fmt: skip
        text = st.text_area("Your review", sentiment.SIX[0][0], key="review", height=130,
                            max_chars=sentiment.MAX_CHARS, **BOUND)  # fmt: skip
        length = st.slider("Pad or cut to L words", 4, MAX_LEN, 16, key="length", **BOUND)
    return text, length


def read_review(m: sentiment.Model, about: dict, text: str, length: int) -> Review:
    """Tokenise, look up, pad and run; a clear message for what cannot be read."""
    if len(text) > sentiment.MAX_CHARS:
        st.info(f"Note: read the first {sentiment.MAX_CHARS:,} characters of the review.")
    words = sentiment.tokens(text)
    if not words:
        st.error("This review has no words to read: type a sentence, e.g. *I loved it*.",
                 icon=":material/block:")  # fmt: skip
        st.stop()
    ids = sentiment.to_ids(words, m.vocab)
    unknown = sorted({w for w, k in zip(words, ids, strict=True) if k == 1})
    if len(unknown) == len(set(words)):
        st.warning(
            f"None of these words is in the model's vocabulary of {len(m.vocab) - 2} words: it "
            "reads only `<unk>`, so its verdict says nothing about this review. Try words like "
            "*great*, *boring*, *loved*.", icon=":material/help:",
        )  # fmt: skip
    elif unknown:
        st.caption(f"Not in the vocabulary (read as `<unk>`): {', '.join(unknown[:12])}"
                   + (" …" if len(unknown) > 12 else ""))  # fmt: skip
    if len(words) > length:
        st.info(f"Note: the review has {len(words):,} words; the model reads the first {length} "
                "(raise L to read more).", icon=":material/content_cut:")  # fmt: skip
    padded, _ = sentiment.pad(ids, length)
    key = (about["source"], about["seed"], tuple(words[:length]), padded.tobytes())
    return _cached(key, m, words[:length], padded)


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached(key: tuple, _m: sentiment.Model, _words: list[str], _padded: np.ndarray) -> Review:
    """The review read, cached by ``key`` (where the weights came from, the words, the padded
    ids as bytes: streamlit hashes a tuple of NumPy ints at ~0.2 ms an item)."""
    mask = np.arange(len(_padded)) < len(_words)
    masked = sentiment.read(_m, _padded, mask)
    unmasked = sentiment.read(_m, _padded, mask, masked=False)
    parts = sentiment.contributions(_m, _padded[: len(_words)])
    return Review(list(_words), _padded[: len(_words)], _padded, mask, masked, unmasked, parts)


def verdict_line(r: Review) -> None:
    """The verdict in words, and what reading the padding would have done to it."""
    p, q = r.masked.verdict, r.unmasked.verdict
    side = "positive" if p > 0.5 else "negative"
    st.markdown(f"Verdict: **{side}** (P(positive) = {p:.1%})")  # a status, not a heading
    if r.n < len(r.padded):
        flip = " — **the verdict flips**" if (p > 0.5) != (q > 0.5) else ""
        h = r.unmasked.trace.h
        drift = float(np.linalg.norm(h[-1] - h[r.n]))
        st.caption(f"Without masking, the model reads the {len(r.padded) - r.n} pads too: its "
                   f"memory moves by $\\|h_L - h_n\\|$ = {drift:.2f} and the "
                   f"verdict ends at {q:.1%}{flip}.")  # fmt: skip


def six_table(m: sentiment.Model, about: dict) -> None:
    """The six reviews, their labels and this model's verdicts (computed once per model)."""
    st.dataframe(_six_rows(about["source"], about["seed"], m), hide_index=True, width="stretch")


@st.cache_resource(max_entries=8, show_spinner=False)
def _six_rows(source: str, seed: int, _m: sentiment.Model) -> pa.Table:
    rows = {"review": [], "label": [], "P(positive)": [], "right": []}
    for text, label in sentiment.SIX:
        ids = sentiment.to_ids(sentiment.tokens(text), _m.vocab)
        p = sentiment.read(_m, ids, np.ones(len(ids), dtype=bool)).verdict
        rows["review"].append(text)
        rows["label"].append("positive" if label else "negative")
        rows["P(positive)"].append(f"{p:.1%}")
        rows["right"].append("✓" if (p > 0.5) == label else "✗")
    return pa.table(rows)


def tokens_table(m: sentiment.Model, r: Review) -> None:
    """Words, ids and mask of the padded review, one column per step."""
    words = r.words + [sentiment.PAD] * (len(r.padded) - r.n)
    shown = [w if k != 1 or w == sentiment.PAD else f"{w} → <unk>" for w, k in
             zip(words, r.padded, strict=True)]  # fmt: skip
    # strings throughout: one column mixes a word and numbers
    table = {"step": ["token", "id", "mask"]}
    for k, (word, i, on) in enumerate(zip(shown, r.padded, r.mask, strict=True), start=1):
        table[str(k)] = [word, str(i), str(int(on))]
    st.dataframe(pa.table(table), hide_index=True, width="stretch")
    with st.expander(f"The vocabulary: {len(m.vocab)} ids (0 = <pad>, 1 = <unk>)"):
        st.dataframe(pa.table({"id": range(len(m.vocab)), "word": list(m.vocab)}),
                     hide_index=True, height=240)  # fmt: skip


def labels(r: Review) -> list[str]:
    return r.words + ["·pad"] * (len(r.padded) - r.n)


def verdict_chart(r: Review, about: dict, t: int) -> None:
    """P(positive) after every word, masked and not, with h_t; moved by its own player."""
    seen, h = screen.current(), r.masked.trace.h[1:]
    stacked = seen.size_class == "phone"
    ticks = fig.word_ticks(r.words, fig.verdict_step_px(seen.main, len(r.padded)))
    build = lambda s: fig.verdict_figure(  # noqa: E731
        labels(r), r.masked.p, r.unmasked.p, h, r.n, s, stacked, ticks
    )
    key = ("sent_verdict", about["source"], about["seed"], tuple(r.words), r.padded.tobytes(),
           stacked, ticks)  # fmt: skip
    alt = fig.verdict_alt(labels(r), r.masked.p, r.unmasked.p, r.n, t)
    # a projector: all of it on one screen; a phone: the words' rows set the height
    height = None if stacked else main_figure_height(seen, fig.VERDICT_HEIGHT)
    show_animated(key, build, t, "sent_verdict", height, alt=alt)
    st.caption(f"After word {t} ({r.words[t - 1]!r}) the model says {r.masked.p[t - 1]:.1%} "
               f"positive. White line: the verdict after every word, held on the padding (grey "
               f"band) by the mask; pink dashed line: the same model reading the pads as if they "
               f"were words.")  # fmt: skip


def step_equations(m: sentiment.Model, r: Review, t: int, j: int) -> None:
    """The LSTM's equations at word t for unit j, and the readout, with this review's numbers."""
    tr = r.masked.trace
    st.markdown(f"**The equations at word t = {t} ({r.words[t - 1]!r}), unit j = {j}**")
    st.latex(rf"e_{{{t}}} = E[{int(r.padded[t - 1])}] \quad \text{{({r.words[t - 1]})}}")
    for line in equations.live_equations(m.lstm, tr, t, j):
        # the cell's input is the word's embedding: x_t is e_t here
        rows = line.replace("x_{", "e_{").split(" = ")
        st.latex(r"\begin{aligned}" + rows[0] + " &= " + r" \\ &= ".join(rows[1:])
                 + r"\end{aligned}")  # fmt: skip
    z = float(tr.h[t] @ m.w + m.b)
    st.latex(rf"p_{{{t}}} = \sigma(w^\top h_{{{t}}} + b) = \sigma({equations.num(z)}) = "
             rf"{equations.num(float(r.masked.p[t - 1]))}")  # fmt: skip


def contributions_chart(r: Review) -> None:
    """Occlusion and gradient x input for each word read."""
    occ, gxi = r.parts["occlusion"], r.parts["grad_x_input"]
    alt = fig.contributions_alt(r.words, occ, gxi)
    stacked = screen.current().size_class == "phone"
    show_figure(fig.contributions_figure(r.words, occ, gxi, stacked), key="sent_parts", alt=alt)
    k, g = int(np.argmax(np.abs(occ))), int(np.argmax(np.abs(gxi)))
    st.caption(
        f"Removing {r.words[k]!r} moves the verdict most ({-100 * occ[k]:+.1f} points); "
        f"gradient × input "
        f"picks {r.words[g]!r} ({gxi[g]:+.2f} on the logit). The two often agree on the "
        "strongest words and differ on the rest: one removes a word, the other asks about a "
        "small nudge."
    )


def embedding_charts(m: sentiment.Model, about: dict, r: Review) -> None:
    """The review's embedding vectors and the whole vocabulary in 2-D."""
    alt = fig.embedding_alt(r.words, m.E[r.ids])
    step = (screen.current().main - fig.EMBEDDING_LEFT_RIGHT) / r.n  # px a column
    ticks = fig.word_ticks(r.words, step)
    show_figure(fig.embedding_figure(r.words, m.E[r.ids], ticks), key="sent_vectors", alt=alt)
    coords, share = _projection(about["source"], about["seed"], m)
    verdicts = _word_verdicts(about["source"], about["seed"], m)
    shown = (coords, list(m.vocab[2:]), verdicts, share, set(r.words))
    width = screen.current().main - fig.PROJECTION_SIDES  # px of its plot
    show_figure(fig.projection_figure(*shown, width), key="sent_projection",
                alt=fig.projection_alt(*shown))  # fmt: skip


# the model's figures, cached by where its weights came from (shipped, or trained live from a
# seed: the same seed trains the same weights), as the review's reading is


@st.cache_resource(max_entries=8, show_spinner=False)
def _projection(source: str, seed: int, _m: sentiment.Model):
    return sentiment.projection(_m)


@st.cache_resource(max_entries=8, show_spinner=False)
def _word_verdicts(source: str, seed: int, _m: sentiment.Model) -> np.ndarray:
    return sentiment.word_verdicts(_m)


def train_panel(about: dict) -> None:
    """Train the pipeline again, live, from a seed of the student's choice."""
    cfg0 = senttrain.SentimentConfig()
    st.markdown(
        f"**Train it yourself.** {cfg0.epochs} full-batch steps of Adam (lr {cfg0.lr}) on 80% of "
        f"the app's {len(senttrain.labelled()[0])} hand-written reviews; embedding size "
        f"{cfg0.embed}, H = {cfg0.hidden_size}. The other 20% are held out."
    )
    st.caption(f"Shown now: {about['source']} weights (seed {about['seed']}), held-out accuracy "
               f"{about['held_out']:.0%}, the six reviews {about['six']:.0%} right, trained in "
               f"{about['seconds']:.1f} s.")  # fmt: skip
    seed = st.number_input("Seed", 0, 999, 1, key="sent_seed")
    if st.button("▶ Train now", key="sent_train", type="primary"):
        _train(senttrain.SentimentConfig(seed=int(seed)))
    if st.session_state.get(LIVE) is not None and st.button("Back to the shipped weights",
                                                            key="sent_shipped"):  # fmt: skip
        del st.session_state[LIVE]
        st.rerun()


def _train(cfg: senttrain.SentimentConfig) -> None:
    out: dict = {}

    def work(job: jobs.Job) -> str:
        out.update(senttrain.train(cfg, on_step=lambda k: job.progress(k + 1),
                                   stopping=job.stopping))  # fmt: skip
        return "done"

    job = jobs.Job(work, cfg.epochs, rate_key=("sentiment",))
    if not queue().submit(job):
        st.warning("The server's training line is full; try again in a minute.",
                   icon=":material/hourglass:")  # fmt: skip
        return
    with st.spinner("Training on the server's training line…"):
        job.wait(WAIT_SECONDS)
    if not out:
        queue().cancel(job)
        st.warning(f"Training did not finish within {WAIT_SECONDS} s (the server is busy).",
                   icon=":material/hourglass:")  # fmt: skip
        return
    about = dict(source="live", seed=cfg.seed, held_out=out["held_out"], six=out["six"],
                 seconds=out["seconds"])  # fmt: skip
    st.session_state[LIVE] = dict(model=out["model"], about=about)
    st.rerun()
