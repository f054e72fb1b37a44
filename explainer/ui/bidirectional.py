"""Panels of the bidirectional page: the string to tag, both chains at step t, the live
equations, the side-by-side training and the gradient reach."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from explainer import biequations, bitrain, future, jobs
from explainer.cells import KINDS
from explainer.figures import bidirectional as fig
from explainer.figures.screens import main_figure_height
from explainer.figures.theme import CELL_NAMES
from explainer.ui import screen
from explainer.ui.panels import show_animated, show_figure
from explainer.ui.train import queue
from explainer.ui.view import BOUND, input_place

LIVE = "bi_live"  # this session's own trained pairs, by cell
WAIT_SECONDS = 60  # how long a click waits for the queue before giving up


def controls() -> tuple[str, np.ndarray]:
    """The cell and the string to tag (both in the URL); notes on what was changed."""
    if st.query_params.get("cell") not in (None, *KINDS):
        st.warning(f"Ignored a value in the link: cell={st.query_params['cell'][:20]!r} is not "
                   f"one of {', '.join(KINDS)}; using gru.")  # fmt: skip
        del st.query_params["cell"]
    # a bound select writes its displayed option into the URL: the options are the kinds
    names = ", ".join(f"{k}: {n}" for k, n in CELL_NAMES.items())
    cell = st.sidebar.selectbox("Cell", KINDS, index=2, key="cell", help=names, **BOUND)
    text = input_place().text_input(  # the sidebar, or on a phone here
        "String to tag", future.DEFAULT_TEXT, key="string", max_chars=400, **BOUND,
        help=f"Letters, spaces and ')'; up to {future.MAX_LEN} characters are read.",
    )  # fmt: skip
    try:
        ids, notes = future.encode(text)
    except ValueError as err:
        st.error(f"This string cannot be tagged: {err}.", icon=":material/block:")
        st.stop()
    for note in notes:
        st.info(f"Note: {note}.", icon=":material/content_cut:")
    return cell, ids


def taggers(cell: str) -> tuple[dict, dict]:
    """The two taggers the page shows: this session's live run for ``cell`` if there is one,
    else the shipped pair; with what to say about them (``source``, accuracy, seconds)."""
    live = st.session_state.get(LIVE, {}).get(cell)
    if live is not None:
        return live["taggers"], live["about"]
    pair = {k: future.shipped(cell, k == "bi") for k in ("uni", "bi")}
    about = dict(
        source="shipped", seed=pair["bi"][1]["train"]["seed"],
        accuracy={k: np.array(card["accuracy_by_position"]) for k, (_, card) in pair.items()},
        seconds={k: card["seconds"] for k, (_, card) in pair.items()}, train=pair["bi"][1]["train"],
    )  # fmt: skip
    return {k: m for k, (m, _) in pair.items()}, about


@st.cache_resource(max_entries=32, show_spinner=False)
def _reading(key: tuple, _taggers: dict, _ids: np.ndarray) -> future.Reading:
    return future.read(_taggers, _ids)


def reading(cell: str, ids: np.ndarray, models: dict, about: dict) -> future.Reading:
    """Both taggers over the string, cached by (cell, where the weights came from, string)."""
    return _reading((cell, about["source"], about["seed"], ids.tobytes()), models, ids)


def _key(r: future.Reading, about: dict, name: str) -> tuple:
    return (name, about["source"], about["seed"], r.runs["bi"].fwd.kind, r.ids.tobytes())


def chains_chart(r: future.Reading, about: dict, t: int) -> None:
    """Both chains, the beliefs and o_t at step t, moved by one player."""
    bt, seen = r.runs["bi"], screen.current()
    stacked = seen.size_class == "phone"
    plot_px = (seen.main - 90) * (1.0 if stacked else fig.MAIN_X[1])
    every = fig.char_stride(len(r.chars), plot_px)
    build = lambda s: fig.two_chains(  # noqa: E731
        r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, s, stacked, every
    )
    alt = fig.two_chains_alt(r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, t)
    # a projector: all of it on one screen; a phone scrolls, its taller figure at full height
    height = None if stacked else main_figure_height(seen, fig.CHAINS_HEIGHT)
    key = (*_key(r, about, "bi_chains"), stacked, every)
    show_animated(key, build, t, "bi_chains", height, alt=alt)
    truth = "yes" if r.truth[t - 1] else "no"
    st.caption(
        f"Step t = {t}, character {r.chars[t - 1]!r}: a ')' comes later? **{truth}**. The one-way "
        f"tagger says {r.beliefs['uni'][t - 1]:.0%}, the bidirectional one "
        f"{r.beliefs['bi'][t - 1]:.0%}. Over the whole string the one-way tagger gets "
        f"{_right(r, 'uni')} of {len(r.ids)} right, the bidirectional one {_right(r, 'bi')}."
    )


def _right(r: future.Reading, k: str) -> int:
    return int(np.sum((r.beliefs[k] > 0.5) == (r.truth > 0.5)))


def equations(models: dict, r: future.Reading, t: int, j: int) -> None:
    """The bidirectional tagger's equations at step t for unit j, with this run's numbers."""
    m, bt = models["bi"], r.runs["bi"]
    st.markdown(f"**The equations at step t = {t}, unit j = {j}** (numbers from this string)")
    tabs = st.tabs(["→ forward cell", "← backward cell", "readout"])
    for tab, (p, tr, reverse) in zip(
        tabs[:2], [(m.params.fwd, bt.fwd, False), (m.params.bwd, bt.bwd, True)], strict=True
    ):
        with tab:
            for line in biequations.direction(p, tr, t, j, reverse):
                rows = line.split(" = ")
                st.latex(r"\begin{aligned}" + rows[0] + " &= " + r" \\ &= ".join(rows[1:])
                         + r"\end{aligned}")  # fmt: skip
    with tabs[2]:
        rows = biequations.readout(m.w, m.b, bt, t).split(" = ")
        st.latex(r"\begin{aligned}" + rows[0] + " &= " + r" \\ &= ".join(rows[1:])
                 + r"\end{aligned}")  # fmt: skip
        st.caption("The backward state enters through its own weights w←: the readout sees the "
                   "string on both sides of step t.")  # fmt: skip


def accuracy_chart(about: dict) -> None:
    """Held-out accuracy by position of both taggers against the one-way bound."""
    acc = about["accuracy"]
    bound = future.best_left_to_right(len(acc["uni"]))
    alt = fig.accuracy_alt(acc, bound)
    show_figure(fig.accuracy_by_position(acc, bound), key="bi_accuracy", alt=alt)
    T = len(bound)
    st.caption(
        f"{bitrain.EVAL_ROWS:,} held-out strings of {T} characters. At the first character the "
        f"one-way tagger is right {acc['uni'][0]:.0%} of the time (the best any one-way reader "
        f"can do there: {bound[0]:.1%}), the bidirectional one {acc['bi'][0]:.0%}; on average "
        f"{acc['uni'].mean():.1%} against {acc['bi'].mean():.1%}."
    )


def _train_work(cfg: bitrain.FutureConfig, out: dict):
    def work(job: jobs.Job) -> str:
        out.update(bitrain.train_pair(cfg, on_step=lambda k: job.progress(k + 1),
                                      stopping=job.stopping))  # fmt: skip
        return "done"

    return work


def train_panel(cell: str) -> None:
    """Train both taggers again, live, from a seed of the student's choice."""
    cfg0 = bitrain.FutureConfig(cell=cell)
    st.markdown(
        f"**Train both yourself.** {cfg0.steps} steps of Adam (lr {cfg0.lr}) on batches of "
        f"{cfg0.batch_size} fresh strings of {future.T_TRAIN} characters, H = {cfg0.hidden_size} "
        "in each direction; both taggers see the same batches."
    )
    seed = st.number_input("Seed", 0, 999, 1, key="bi_seed")
    if st.button("▶ Train both now", key="bi_train", type="primary"):
        _train(bitrain.FutureConfig(cell=cell, seed=int(seed)))
    live = st.session_state.get(LIVE, {}).get(cell)
    if live is not None:
        sec = live["about"]["seconds"]
        st.success(
            f"Showing your run (seed {live['about']['seed']}): trained in "
            f"{sec['uni'] + sec['bi']:.1f} s of computing (one-way {sec['uni']:.1f} s, "
            f"bidirectional {sec['bi']:.1f} s).", icon=":material/check_circle:",
        )  # fmt: skip
        if st.button("Back to the shipped weights", key="bi_shipped"):
            st.session_state[LIVE].pop(cell, None)
            st.rerun()


def _train(cfg: bitrain.FutureConfig) -> None:
    out: dict = {}
    job = jobs.Job(_train_work(cfg, out), cfg.steps, rate_key=("future", cfg.cell))
    if not queue().submit(job):
        st.warning("The server's training line is full; try again in a minute. The page keeps "
                   "the weights it shows.", icon=":material/hourglass:")  # fmt: skip
        return
    with st.spinner("Training both taggers on the server's training line…"):
        job.wait(WAIT_SECONDS)
    if not out:
        queue().cancel(job)
        st.warning(f"Training did not finish within {WAIT_SECONDS} s (the server is busy); the "
                   "page keeps the weights it shows.", icon=":material/hourglass:")  # fmt: skip
        return
    about = dict(source="live", seed=cfg.seed, train=cfg.__dict__,
                 accuracy={k: out[k]["accuracy"] for k in out},
                 seconds={k: out[k]["seconds"] for k in out})  # fmt: skip
    st.session_state.setdefault(LIVE, {})[cfg.cell] = dict(
        taggers={k: out[k]["tagger"] for k in out}, about=about
    )


def reach_chart(r: future.Reading, about: dict, t: int) -> None:
    """||do_t/dx_s|| over s at step t for both taggers, moved by its own player."""
    every = fig.char_stride(len(r.chars), screen.current().main - 100)  # px of its plot
    build = lambda s: fig.reach_figure(r.reach, r.chars, s, every)  # noqa: E731
    alt = fig.reach_alt(r.reach, r.chars, t)
    show_animated((*_key(r, about, "bi_reach"), every), build, t, "bi_reach", alt=alt)
    T = len(r.ids)
    seen = {k: int(np.sum(r.reach[k][t - 1] > 0)) for k in r.reach}
    far = r.reach["bi"][t - 1]
    st.caption(
        f"At t = {t} the one-way output depends on {seen['uni']} of the {T} inputs (x₁ … x_{t}), "
        f"the bidirectional output on {seen['bi']}. Its strongest link beyond t: "
        + (f"s = {int(np.argmax(far[t:])) + t + 1}, norm {far[t:].max():.2g}."
           if t < T else "none, t is the last step.")
    )  # fmt: skip


def seconds_text(about: dict) -> str:
    """How long the shown pair took to train (computing time)."""
    s = about["seconds"]
    return f"{math.fsum(s.values()):.1f} s"
