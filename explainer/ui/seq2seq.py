"""Panels of the sequence-to-sequence page: the model (shipped, or the student's own trained
live on the server's training queue), the typed digits, the unrolled encoder-decoder, teacher
forcing beside free running, accuracy against length, the model card.

A student's own runs live in their session; a click queues a job on the server's one training
queue (``explainer.ui.train.queue``), and a fragment redraws the progress every second.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import asdict, dataclass, replace

import numpy as np
import streamlit as st

from explainer import jobs, reversal, seq2seq_models, seq2seq_story, seq2seq_train
from explainer.cells import KINDS
from explainer.figures import seq2seq as figures
from explainer.figures.screens import main_figure_height
from explainer.figures.theme import CELL_NAMES
from explainer.ui import screen
from explainer.ui.cache import read_only
from explainer.ui.panels import show_animated, show_figure
from explainer.ui.train import queue
from explainer.ui.view import time_cursor, unit_picker

BOUND = dict(bind="query-params", persist_state="session")
MODELS = {"shipped": "pretrained, ready", "own": "train my own on this server"}
DECODINGS = {"greedy": "the likeliest token each step", "beam": "beam search, 3 kept"}
HIDDEN = [4, 8, 16, 32, 64]
LENGTHS = (3, 10)
DEFAULT_DIGITS = "4071935"
RUNS, JOB, KEPT = "s2s_my_runs", "s2s_job", 3
TICK = 1.0
SECONDS_PER_CLICK = 300.0


@dataclass(frozen=True, eq=False)
class Model:
    """What the page runs: an id for caches, the NumPy model, its config and its scores."""

    id: str
    model: object  # seq2seq.Seq2Seq
    cfg: seq2seq_train.Seq2SeqConfig
    scores: dict
    history: dict
    note: str


VALID = {
    "s2s_model": lambda v: v in MODELS,
    "s2s_decode": lambda v: v in DECODINGS,
    "s2s_cell": lambda v: v in KINDS,
    "s2s_hidden": lambda v: v.isdigit() and int(v) in HIDDEN,
    "s2s_len": lambda v: v.isdigit() and LENGTHS[0] <= int(v) <= LENGTHS[1],
    "s2s_seed": lambda v: v.isdigit() and int(v) <= 9999,
}


def drop_junk_links() -> None:
    """Values in the URL the page cannot use are removed before the widgets bind, and said."""
    for key, ok in VALID.items():
        raw = st.query_params.get(key)
        if raw is not None and key not in st.session_state and not ok(raw):
            del st.query_params[key]
            st.warning(
                f"Ignored a value in the link: {key}={raw[:20]!r} is not one of the offered "
                "values; using the default.",
                icon=":material/link_off:",
            )


def settings() -> tuple[str, seq2seq_train.Seq2SeqConfig]:
    """The sidebar: which model, and the settings of one's own run (URL keys ``s2s_``)."""
    drop_junk_links()
    base = seq2seq_models.load().cfg
    with st.sidebar:
        st.header("Encoder-decoder")
        # bound radios write the option itself into the URL: short words, captions explain
        src = st.radio(
            "Model", list(MODELS), captions=list(MODELS.values()), key="s2s_model", **BOUND
        )
        if src == "shipped":
            st.caption(f"{CELL_NAMES[base.cell]}, H = {base.hidden_size}, trained on lengths "
                       f"1-{base.max_len} ({base.steps:,} steps).")  # fmt: skip
            return src, base
        cell = st.radio(
            "Cell", KINDS, index=KINDS.index(base.cell), horizontal=True, key="s2s_cell", **BOUND
        )
        H = st.select_slider("Hidden units H (the context's size)", HIDDEN,
                             value=base.hidden_size, key="s2s_hidden", **BOUND)  # fmt: skip
        L = st.slider("Longest training string", *LENGTHS, base.max_len, key="s2s_len", **BOUND)
        seed = st.number_input("Seed", 0, 9999, base.seed, key="s2s_seed", **BOUND)
        st.caption(f"{base.steps:,} steps of Adam (lr {base.lr:g}, clip {base.clip:g}), "
                   f"batches of {base.batch_size}, as the shipped model.")  # fmt: skip
    return src, replace(base, cell=cell, hidden_size=int(H), max_len=int(L), seed=int(seed))


def controls(m: Model):
    """One row over the figure (short enough for the figure to fit a projector's screen): the
    digits, the time cursor and the unit; the decoding in the sidebar. Returns (digits,
    teacher-forced run, free run, t, j), or stops the page with the reason if the digits are
    unusable."""
    ways = " ".join(f"{k}: {v}." for k, v in DECODINGS.items())
    st.sidebar.radio("Decoding", list(DECODINGS), key="s2s_decode", horizontal=True, help=ways,
                     **BOUND)  # fmt: skip
    typed, step, unit = st.columns([1.1, 3.2, 1], gap="medium")
    raw = typed.text_input(
        "Digits to reverse",
        DEFAULT_DIGITS,
        key="s2s_in",
        help=f"The model was trained on strings of 1 to {m.cfg.max_len} digits. Up to "
        f"{reversal.MAX_TYPED} digits are read; spaces are ignored.",
        **BOUND,
    )
    try:
        digits = reversal.parse(raw)
    except ValueError as err:
        st.error(f"Nothing to reverse: {err}. The figures wait for digits.",
                 icon=":material/block:")  # fmt: skip
        st.stop()
    tf, free = _decodings(m.id, raw_digits(digits), decoding(), m.model)
    with step:
        t = cursor(digits, free)
    with unit:
        j = unit_picker(m.model.H)
    return digits, tf, free, t, j


def raw_digits(digits: np.ndarray) -> str:
    return "".join(reversal.DIGITS[d] for d in digits)


@st.cache_resource(max_entries=64, show_spinner=False)
def _decodings(model_id: str, text: str, how: str, _m):
    """Both decodings of ``text`` by the model ``model_id`` names (its weights follow from the
    id: shipped, or settings and steps trained from a seed), shared read-only."""
    return read_only(seq2seq_story.decodings(_m, reversal.parse(text), how))


def decoding() -> str:
    return st.session_state.get("s2s_decode") or "greedy"


# ---- the model: shipped, or this student's own ----


def shipped() -> Model:
    s = seq2seq_models.load()
    note = (f"The shipped {CELL_NAMES[s.cfg.cell]} (H = {s.cfg.hidden_size}), trained on lengths "
            f"1-{s.cfg.max_len} for {s.cfg.steps:,} steps; see its card below.")  # fmt: skip
    return Model(f"shipped:{s.name}", s.model, s.cfg, s.card["metrics"], s.card["history"], note)


def _my_runs() -> OrderedDict:
    return st.session_state.setdefault(RUNS, OrderedDict())


def _active() -> jobs.Job | None:
    job = st.session_state.get(JOB)
    return job if job is not None and not job.finished else None


def _on_train(cfg: seq2seq_train.Seq2SeqConfig) -> None:
    if _active() is not None:
        return
    run = seq2seq_train.new_run(cfg)

    def work(job: jobs.Job) -> str:
        return seq2seq_train.train(run, cfg.steps, job.progress, job.stopping)

    job = jobs.Job(work, cfg.steps, rate_key=("seq2seq", cfg.cell, cfg.hidden_size),
                   max_seconds=SECONDS_PER_CLICK)  # fmt: skip
    job.run, job.cfg = run, cfg
    if queue().submit(job):
        st.session_state[JOB] = job
    else:
        st.session_state["s2s_notice"] = (
            "The training queue is full; nothing was started. Press ▶ Train again in a minute "
            "or two: the shipped model needs no training."
        )


def _on_stop() -> None:
    job = _active()
    if job is not None:
        queue().cancel(job)


def _collect() -> None:
    """A finished job becomes a run this student keeps (scored in torch, see ``score_batch``)."""
    job = st.session_state.get(JOB)
    if job is None or not job.finished or getattr(job, "collected", False):
        return
    job.collected = True
    run = job.run
    if job.reason == "error" or not run.step:
        st.session_state["s2s_notice"] = f"Training ended early ({job.error or job.reason})."
        return
    m = seq2seq_train.to_numpy(run.net)
    partly = run.step < job.cfg.steps
    note = (f"Your own {CELL_NAMES[job.cfg.cell]} (H = {job.cfg.hidden_size}), trained live on "
            f"lengths 1-{job.cfg.max_len}: {run.step:,} steps in {run.seconds:.0f} s.")  # fmt: skip
    if partly:
        note += " It was stopped early: these numbers are from a partly trained network."
    history = {"step": run.history["step"], "loss": run.history["loss"]}
    mine = _my_runs()
    mine[job.cfg] = Model(f"own:{job.cfg!r}@{run.step}", m, job.cfg,
                          seq2seq_train.score_batch(run.net, run.test), history, note)  # fmt: skip
    mine.move_to_end(job.cfg)
    while len(mine) > KEPT:
        mine.popitem(last=False)


@st.fragment(run_every=TICK)
def _progress() -> None:
    job = st.session_state.get(JOB)
    if job is None:
        return
    if job.finished:
        st.rerun()
    place = queue().position(job)
    if place:
        st.progress(0.0, text=f"Waiting for a training slot: number {place} in line.")
        return
    done = job.done_steps
    rate = job.seconds_per_step()
    left = f", about {(job.steps - done) * rate:.0f} s left" if rate else ""
    st.progress(
        min(done / job.steps, 1.0),
        text=f"Training: step {done:,} of {job.steps:,} ({job.elapsed():.0f} s{left})",
    )
    if done > 1:
        hist = {"step": job.run.history["step"][:done], "loss": job.run.history["loss"][:done]}
        title = "live: loss while training"
        alt = figures.loss_alt(hist, title)
        show_figure(figures.loss_figure(hist, title), key="s2s_live", alt=alt)


def model(src: str, cfg: seq2seq_train.Seq2SeqConfig) -> Model:
    """The model the page shows; for one's own settings, the Train / Stop buttons and progress
    (until a run of those settings exists, the shipped model stands in, said plainly)."""
    if src == "shipped":
        return shipped()
    _collect()
    go, stop = st.columns(2)
    job = _active()
    go.button("▶ Train", type="primary", key="s2s_go", width="stretch", disabled=job is not None,
              on_click=_on_train, args=(cfg,),
              help=f"Trains a fresh encoder-decoder with these settings for {cfg.steps:,} steps "
              "on this server (about half a minute; longer when others train too).")  # fmt: skip
    stop.button("■ Stop", key="s2s_stop", width="stretch", disabled=job is None,
                on_click=_on_stop, help="Stops your run after its current step.")  # fmt: skip
    notice = st.session_state.pop("s2s_notice", None)
    if notice:
        st.warning(notice)
    if job is not None:
        _progress()
    mine = _my_runs().get(cfg)
    if mine is not None:
        return mine
    stand_in = shipped()
    st.info("No run of yours with these settings yet: press ▶ Train. Until it finishes, the page "
            "shows the shipped model.", icon=":material/info:")  # fmt: skip
    return stand_in


# ---- the panels ----


def cursor(digits: np.ndarray, free) -> int:
    """The page's one time cursor: the encoder's n steps, then the decoder's S."""
    K = len(digits) + len(free.written)
    n = len(digits)
    t = time_cursor(K, label=f"Step t: reads 1-{n}, writes {n + 1}-{K}")
    return t


def unrolled(m: Model, digits: np.ndarray, free, t: int) -> None:
    """The animated encoder-decoder and its text alternative."""
    key = ("s2s_chain", m.id, raw_digits(digits), decoding())
    alt = figures.unrolled_alt(free, digits, t)
    height = main_figure_height(screen.current(), figures.CHAIN_HEIGHT)  # a projector: all of it
    show_animated(key, lambda k: figures.unrolled_figure(free, digits, k), t, "s2s_chain", height,
                  alt=alt)  # fmt: skip
    st.caption(seq2seq_story.describe(free, digits, m.model.H))


def step_equations(m: Model, free, digits: np.ndarray, t: int, j: int, live) -> None:
    """The cell's equations at the cursor: the encoder's while it reads, the decoder's (and its
    softmax) while it writes."""
    n = len(digits)
    if t <= n:
        st.markdown(f"**Encoder, step {t} of {n}** (reads digit {reversal.DIGITS[digits[t - 1]]};"
                    " $x_t$ is its one-hot vector)")  # fmt: skip
        live(m.model.encoder, free.enc, t, j)
        return
    s = t - n
    st.markdown(f"**Decoder, step {s} of {len(free.written)}** ($x_t$ is the one-hot token it "
                f"was fed; $h_0$ is the context)")  # fmt: skip
    live(m.model.decoder, free.dec, s, j)
    st.latex(seq2seq_story.output_equation(m.model, free, s))


def teacher_vs_free(tf, free, digits: np.ndarray, t: int) -> None:
    n = len(digits)
    t_dec = t - n if t > n else None
    phone = screen.current().size_class == "phone"  # the steps down the page
    fig = figures.teacher_free_figure(tf, free, digits, t_dec, phone)
    alt = figures.teacher_free_alt(tf, free, digits)
    show_figure(fig, key="s2s_tf", alt=alt)
    st.markdown(seq2seq_story.exposure(tf, free, digits))


def bottleneck(m: Model, digits: np.ndarray) -> None:
    shown = (m.scores, m.cfg.max_len, len(digits))
    show_figure(figures.length_figure(*shown), key="s2s_len_fig", alt=figures.length_alt(*shown))
    st.markdown(seq2seq_story.bottleneck(m.scores, m.cfg.max_len, m.cfg.hidden_size))


def hidden_sweep() -> None:
    sweep = seq2seq_models.sweep()
    alt = figures.hidden_sweep_alt(sweep)
    show_figure(figures.hidden_sweep_figure(sweep), key="s2s_sweep", alt=alt)
    st.markdown(seq2seq_story.sweep_words(sweep))


def card(m: Model) -> None:
    """The shipped model's card (or one's own run's settings) and its training loss."""
    with st.expander("Model card: how this model was trained", icon=":material/badge:"):
        st.markdown(m.note)
        if m.id.startswith("shipped:"):
            c = seq2seq_models.load().card
            st.markdown(seq2seq_story.card_words(c))
        st.json(asdict(m.cfg), expanded=False)
        alt = figures.loss_alt(m.history, "training loss")
        show_figure(figures.loss_figure(m.history, "training loss"), key="s2s_loss", alt=alt)
