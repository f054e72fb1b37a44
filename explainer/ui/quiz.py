"""The quiz panel: the seed from the link, one question at a time (answer, check, next), and a
review that links every missed question to the scene that explains it.

A quiz's progress is the student's own (session state, keyed by the seed); the draw for a seed
is shared read-only (``st.cache_resource``), since every student with that seed gets the same.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import streamlit as st

from explainer.learn import quiz
from explainer.lectures import page_name
from explainer.ui import links

SCENE_LABEL = "Open the scene that explains it"
STATE = "_quiz"  # session key: {"seed", "index", "verdicts", "answers", "revealed"}
TIMINGS: dict[str, float] = {}  # "quiz" -> seconds its fragment last took (the benchmark)


@st.cache_resource(max_entries=64)
def drawn(seed: int) -> tuple[quiz.Drawn, ...]:
    """The questions of quiz ``seed`` (frozen; computed once per seed)."""
    return quiz.draw(quiz.bank(), seed)


def seed_from_link() -> int:
    """The quiz seed in the link (``?seed=``), moved to one the quiz can use, with a notice
    saying which; written back so the address always names the quiz on screen."""
    raw = st.query_params.get("seed")
    seed, notice = quiz.read_seed(raw)
    if notice:
        links.note("seed", notice)
        st.query_params["seed"] = str(seed)
    links.show_notices()
    return seed


def _state(seed: int) -> dict:
    state = st.session_state.get(STATE)
    if state is None or state["seed"] != seed:
        state = {"seed": seed, "index": 0, "verdicts": {}, "answers": {},
                 "revealed": False}  # fmt: skip
        st.session_state[STATE] = state
    return state


def _next() -> None:
    state = st.session_state[STATE]
    state["index"] += 1
    state["revealed"] = False


def _check(seed: int, q: quiz.Drawn) -> None:
    """Grade the answer in the box; an unreadable one leaves a note and changes nothing."""
    state = st.session_state[STATE]
    raw = st.session_state.get(f"quiz_{seed}_{q.id}")
    fb = quiz.grade(q, raw)
    if fb.verdict == "unreadable":
        state["note"] = fb.message
        return
    state["verdicts"][q.id] = fb.verdict
    state["answers"][q.id] = str(raw).strip()
    state["revealed"] = True


def _new_quiz(seed: int) -> None:
    st.query_params["seed"] = str(seed)
    st.session_state.pop(STATE, None)


def scene_link(page: str, params: dict[str, str], label: str = SCENE_LABEL) -> None:
    """A link to the scene that explains a question: the page with its link parameters."""
    try:
        st.page_link(page, label=label, query_params=params, icon=":material/open_in_new:")
    except st.errors.StreamlitAPIException:  # a page run on its own (tests): a plain link
        st.markdown(f"[{label}](./{page_name(page)}?{urlencode(params)})")


def _answer_box(q: quiz.Drawn, key: str):
    if q.options:
        return st.radio("Your answer", q.options, index=None, key=key)
    return st.text_input("Your answer (a number)", key=key, placeholder="type a number")


@st.fragment
def quiz_panel(seed: int) -> None:
    """The quiz for ``seed``: the current question, or the review once all are answered. A
    fragment: answering, checking and moving on rerun the quiz alone, not the page."""
    start = time.perf_counter()
    try:
        _quiz_panel(seed)
    finally:  # a rerun of the fragment (after Check) passes here too
        TIMINGS["quiz"] = time.perf_counter() - start


def _quiz_panel(seed: int) -> None:
    try:
        questions = drawn(seed)
    except quiz.QuizFileError as e:  # a broken data file: say where, keep the page running
        st.error(f"The quiz is off: {quiz.FILE.name} has a problem ({e}). The flashcards and "
                 "misconception checks still work.", icon=":material/error:")  # fmt: skip
        return
    state = _state(seed)
    if state["index"] >= len(questions):
        review(seed, questions, state["verdicts"])
        return
    q = questions[state["index"]]
    right = sum(v == "right" for v in state["verdicts"].values())
    st.markdown(f"**Quiz {seed} · question {state['index'] + 1} of {len(questions)}** · "
                f"{right} right so far")  # fmt: skip
    st.progress(state["index"] / len(questions))
    with st.container(border=True, key="quiz_question"):
        st.markdown(q.prompt)
        if state["revealed"]:  # the answer as given, no longer a control
            st.markdown(f"Your answer: **{state['answers'][q.id]}**")
        else:
            _answer_box(q, f"quiz_{seed}_{q.id}")
    if not state["revealed"]:
        st.button("Check", key="quiz_check", type="primary", icon=":material/check:",
                  on_click=_check, args=(seed, q))  # fmt: skip
        note = state.pop("note", None)
        if note:
            st.warning(note, icon=":material/help:")
        return
    fb = quiz.grade(q, state["answers"][q.id])
    if fb.verdict == "right":
        st.success(fb.message, icon=":material/check:")
    else:
        st.error(fb.message, icon=":material/close:")
        scene_link(q.page, q.params)
    if q.detail:
        st.caption(f"Computed for this quiz: {q.detail}.")
    last = state["index"] + 1 == len(questions)
    st.button("See your score" if last else "Next question", key="quiz_next", on_click=_next,
              type="primary", icon=":material/arrow_forward:")  # fmt: skip


def review(seed: int, questions: tuple[quiz.Drawn, ...], verdicts: dict[str, str]) -> None:
    """The score, and each missed question with its answer and a link to its scene."""
    right, missed = quiz.score(questions, verdicts)
    st.subheader(f"Your score: {right} of {len(questions)}")
    st.progress(right / len(questions))
    if not missed:
        st.success("Every question right. Try another quiz: new seed, new models.")
    for q in missed:
        with st.container(border=True):
            st.markdown(f"**Missed:** {q.prompt}\n\n**Answer:** {q.shown_answer}. {q.why}")
            scene_link(q.page, q.params)
    # a new seed changes the address and the page's draw: the whole page reruns
    if st.button("Take a new quiz", key="quiz_new", icon=":material/casino:"):
        _new_quiz((seed + 1) % 2**31)
        st.rerun(scope="app")


def sections() -> list:
    """The page's three parts as tabs: flashcards, misconceptions, quiz."""
    return st.tabs(["Flashcards", "Misconceptions", "Quiz"])
