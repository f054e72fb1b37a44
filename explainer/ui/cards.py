"""Flashcards and misconception checks: the panels of the Flashcards and quiz page.

One study session lives in the student's own session state: the queue of card ids (the seed's
shuffle, then "again" cards moved back by ``learn.cards.after``), whether the card is turned,
and the counts. A misconception's evidence is computed by the core when it is revealed.
"""

from __future__ import annotations

import time

import streamlit as st

from explainer.figures.cards import FIGURES
from explainer.learn import cards
from explainer.learn.misconceptions import MISCONCEPTIONS, Evidence
from explainer.ui.panels import show_figure
from explainer.ui.quiz import scene_link

CARDS = "_cards"  # session key: {"seed", "queue", "flipped", "done", "again"}
BY_ID = {c.id: c for c in cards.all_cards()}
TIMINGS: dict[str, float] = {}  # "flashcards" -> seconds its fragment last took (the benchmark)


@st.cache_resource(max_entries=len(FIGURES))
def mini_figure(name: str):
    """A card's mini-figure, built once per server (it depends on nothing the student sets)."""
    return FIGURES[name]()


@st.cache_resource(max_entries=len(MISCONCEPTIONS))
def evidence(mid: str) -> Evidence:
    """A misconception's live numbers, computed once per server."""
    return next(m for m in MISCONCEPTIONS if m.id == mid).evidence()


def _session(seed: int) -> dict:
    state = st.session_state.get(CARDS)
    if state is None or state["seed"] != seed:
        state = {"seed": seed, "queue": cards.deck(seed), "flipped": False, "done": 0, "again": 0}
        st.session_state[CARDS] = state
    return state


def _flip() -> None:
    st.session_state[CARDS]["flipped"] = True


def _mark(verdict: str) -> None:
    state = st.session_state[CARDS]
    state["queue"] = cards.after(state["queue"], verdict)
    state["flipped"] = False
    state["done" if verdict == "good" else "again"] += 1


def _restart() -> None:
    st.session_state.pop(CARDS, None)


@st.fragment
def flashcards(seed: int) -> None:
    """One card at a time: the front, then (turned) the back with its mini-figure, and
    "again" (it comes back after a few cards) or "good" (it leaves the pile). A fragment: a
    click reruns the card alone, not the page."""
    start = time.perf_counter()
    try:
        _flashcards(seed)
    finally:
        TIMINGS["flashcards"] = time.perf_counter() - start


def _flashcards(seed: int) -> None:
    state = _session(seed)
    total = len(BY_ID)
    if not state["queue"]:
        st.success(f"All {total} cards done ({state['again']} times “again” on the way).")
        st.button("Shuffle and start again", key="cards_restart", on_click=_restart,
                  icon=":material/replay:")  # fmt: skip
        return
    card = BY_ID[state["queue"][0]]
    st.markdown(f"**{state['done']} of {total} cards done**, {len(state['queue'])} in the pile "
                f"(an “again” card comes back after {cards.AGAIN_GAP} others).")  # fmt: skip
    st.progress(state["done"] / total)
    with st.container(border=True, key="card_front"):
        st.caption(f"{card.kind.capitalize()} card")
        st.markdown(card.front)
        if card.front_latex:
            st.latex(card.front_latex)
    if not state["flipped"]:
        st.button("Turn the card", key="cards_flip", on_click=_flip, type="primary",
                  icon=":material/flip:")  # fmt: skip
        return
    with st.container(border=True, key="card_back"):
        st.markdown(card.back)
        if card.back_latex:
            st.latex(card.back_latex)
        if card.figure:
            fig, alt = mini_figure(card.figure)
            show_figure(fig, f"card_{card.figure}", alt=alt)
    again, good = st.columns(2)
    again.button("Again", key="cards_again", on_click=_mark, args=("again",),
                 icon=":material/replay:", width="stretch")  # fmt: skip
    good.button("Good", key="cards_good", on_click=_mark, args=("good",), type="primary",
                icon=":material/check:", width="stretch")  # fmt: skip


def misconceptions() -> None:
    """Each claim as true or false; the reveal explains it with numbers the core computed."""
    for m in MISCONCEPTIONS:
        with st.container(border=True, key=f"mis_{m.id}"):
            st.markdown(f"**True or false?** {m.claim}")
            pick = st.radio("Your answer", ["True", "False"], index=None, horizontal=True,
                            key=f"mis_pick_{m.id}")  # fmt: skip
            if not st.button("Check", key=f"mis_check_{m.id}") and not st.session_state.get(
                f"mis_shown_{m.id}"
            ):
                continue
            if pick is None:
                st.warning("Pick True or False first: nothing was marked.")
                continue
            st.session_state[f"mis_shown_{m.id}"] = True
            ev = evidence(m.id)
            right = (pick == "True") == m.true
            verdict = "True" if m.true else "False"
            body = f"{m.why}\n\n**Computed by the app:** {ev.text}"
            if right:
                st.success(f"Right: it is {verdict.lower()}. {body}", icon=":material/check:")
            else:
                st.error(f"Not quite: it is {verdict.lower()}. {body}", icon=":material/close:")
            scene_link(m.page, m.params, "See it in the scene that explains it")
