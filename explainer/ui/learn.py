"""Learn mode in the app: the progress strip of the guided path (``?learn=k``), Home's "Learn"
entry, the progress code (``?progress=CODE`` or pasted), and the predict-then-reveal checks
each concept page places with one call, ``checks_for(page, scene=..., ...)``.

Progress lives in the student's session (``st.session_state``), never in a shared cache; the
code carries it to another session. Each check is an ``st.fragment``: answering or revealing
reruns that check alone.
"""

from __future__ import annotations

import time

import streamlit as st

from explainer.figures import gates as gate_figs
from explainer.figures import learn as figs
from explainer.learn import checks, path, progress
from explainer.learn.progress import Progress, ProgressError
from explainer.ui import lecture, present
from explainer.ui.panels import show_figure

STATE = "learn_progress"  # session state: this student's Progress
# checks whose answer has a place on the page's own figure (see ``marks_on_figure``): that
# figure's chart key; the parameter counts have no place on them and keep their own figure only
ON_FIGURE = {"unrolled.push": "unrolled_chart", "lstm.integrator": "gates_heatmaps",
             "gru.keep": "gates_keep", "gradients.threshold": "grad_curves",
             "gradients.regime": "grad_curves", "compare.reach": "cmp_norms"}  # fmt: skip
TIMINGS: dict[str, float] = {}  # check id -> seconds its fragment last took (the benchmark)
N = len(path.PATH)


# -- progress -------------------------------------------------------------------------------


def current() -> Progress:
    """This session's progress, with a ``?progress=`` code from the URL merged in once."""
    mine: Progress = st.session_state.get(STATE, Progress())
    code = str(st.query_params.get("progress", "")).strip()
    if code and st.session_state.get("learn_code_read") != code:
        try:
            mine = mine.merged(progress.decode(code))
        except ProgressError as err:
            st.warning(f"Ignored a value in the link: progress: {err}. Kept this session's "
                       "progress as it was.", icon=":material/link_off:")  # fmt: skip
        st.session_state["learn_code_read"] = code
    st.session_state[STATE] = mine
    return mine


def _save(mine: Progress) -> None:
    st.session_state[STATE] = mine
    if "learn" in st.query_params:  # on the path: the address bar carries the code along
        code = progress.encode(mine)
        st.query_params["progress"] = code
        st.session_state["learn_code_read"] = code


def _on_stop() -> int | None:
    """The stop of ``?learn=k`` (1-based), or None off the path; a junk value gets a notice."""
    raw = str(st.query_params.get("learn", "")).strip()
    if not raw:
        return None
    if raw.isdigit() and 1 <= int(raw) <= N:
        return int(raw)
    st.warning(f"Ignored a value in the link: learn={raw[:20]!r} is not a stop from 1 to {N}; "
               "showing the page without the guided path.")  # fmt: skip
    return None


def stop_query(k: int, mine: Progress) -> dict[str, str]:
    """The query parameters that open stop k with this progress."""
    return {**path.PATH[k - 1].query(), "learn": str(k), "progress": progress.encode(mine)}


def _solved_words(mine: Progress) -> str:
    return f"{len(mine.solved)} of {len(checks.CHECK_IDS)} checks right"


def code_box(key: str) -> None:
    """The progress code to copy and a box to paste one back; the same as a small file to
    download and load back (both validated)."""
    mine = current()
    st.markdown("Your progress code (copy it to carry your progress to another day):")
    st.code(progress.encode(mine), language=None)

    def load() -> None:
        _load(key, lambda: progress.decode(st.session_state.get(key, "")))

    def load_file() -> None:
        upload = st.session_state.get(f"{key}_file")
        if upload is not None:  # None: the file was removed from the box
            _load(key, lambda: progress.from_file(upload.getvalue()))

    st.text_input("Paste a progress code", key=key, on_change=load, max_chars=40,
                  placeholder="9 characters, like 0400103f2")  # fmt: skip
    st.download_button("Download your progress as a file", progress.to_file(mine),
                       file_name=progress.FILE_NAME, mime="application/json",
                       icon=":material/download:", key=f"{key}_download",
                       on_click="ignore")  # fmt: skip
    st.file_uploader("Or load a progress file", type=["json", "txt"], key=f"{key}_file",
                     on_change=load_file)  # fmt: skip
    note = st.session_state.pop(f"{key}_note", None)
    if note:
        kind, text = note
        (st.error if kind == "error" else st.success)(text)


def _load(key: str, read) -> None:
    """Add the progress ``read()`` returns to this session's, and leave a note saying what
    happened (a code or file that cannot be read changes nothing)."""
    try:
        loaded = read()
    except ProgressError as err:
        st.session_state[f"{key}_note"] = ("error", f"Not loaded: {err}. Your progress in "
                                           "this session is unchanged.")  # fmt: skip
        return
    merged = st.session_state.get(STATE, Progress()).merged(loaded)
    st.session_state[STATE] = merged
    st.session_state[f"{key}_note"] = (
        "success",
        f"Loaded: {len(loaded.visited)} of {N} stops visited and {len(loaded.solved)} "
        f"checks right, added to this session's progress ({_solved_words(merged)}).",
    )


# -- the strip and Home's entry -------------------------------------------------------------


def progress_strip() -> None:
    """One line at the top of a page opened on the path: stop k of N, previous/next, and the
    stop's card (what to look at, what to do, one question) folded in a popover. Nothing off
    the path; off it, a student who has started the path gets a link back to their stop."""
    k = _on_stop()
    if k is None:
        if "progress" in st.query_params or STATE in st.session_state:
            _back_to_the_path(current())  # a link's code counts on any page: added, or a notice
        return
    mine = current().visit(k)
    _save(mine)
    stop = path.PATH[k - 1]
    # one row that wraps on a narrow screen (columns would stack into four rows)
    with st.container(key="learn_strip", horizontal=True, vertical_alignment="center", gap="small"):
        if k > 1:
            lecture.scene_page_link(st, path.PATH[k - 2].page, stop_query(k - 1, mine), "Back",
                                    ":material/skip_previous:")  # fmt: skip
        st.markdown(f"**Learn {k}/{N}:** {stop.title}", width="content")
        # a popover keeps the strip one line (an expander takes the row's whole width)
        with st.popover("Card", icon=":material/school:", key="learn_card"):
            _card(stop)
            st.caption(f"So far: {len(mine.visited)} of {N} stops, {_solved_words(mine)}.")
            code_box("learn_code_strip")
        if k < N:
            lecture.scene_page_link(st, path.PATH[k].page, stop_query(k + 1, mine), "Next",
                                    ":material/skip_next:")  # fmt: skip
        else:
            lecture.scene_page_link(st, "Home.py", {}, "Finish", ":material/flag:")


def _back_to_the_path(mine: Progress) -> None:
    """One link back to the student's stop on a page off the path (the sidebar's page menu
    leaves the path: its links carry no ``learn=``); nothing before the path is started or
    while presenting."""
    if not mine.visited or present.presenting():
        return
    k = mine.at if 1 <= mine.at <= N else 1
    with st.container(key="learn_back"):
        lecture.scene_page_link(st, path.PATH[k - 1].page, stop_query(k, mine),
                                f"Back to the guided path: stop {k} of {N}, "
                                f"{path.PATH[k - 1].title}", ":material/school:")  # fmt: skip


def _card(stop: path.Stop) -> None:
    st.markdown(f"**Look at:** {stop.look}\n\n**Do:** {stop.do}\n\n**Question:** {stop.question}")
    if stop.page in path.PAGE_CHECKS:
        st.caption("The checks under the page's first figure ask about this scene.")


def home_entry() -> None:
    """Home's "Learn" section: start (or go on with) the guided path, the stops with what is
    done, and the progress code."""
    st.header("Learn")
    mine = current()
    st.markdown(
        f"A guided path through recurrent networks in {N} stops. Each stop opens a page at "
        "a prepared scene with a card: what to look at, what to do, one question. On the "
        "concept pages, predict before you reveal: every answer comes from the model on the "
        "screen."
    )
    k = mine.at if 1 <= mine.at <= N else 1
    label = "Start the guided path" if not mine.visited else f"Go on at stop {k}"
    with st.container(key="learn_start"):
        lecture.scene_page_link(st, path.PATH[k - 1].page, stop_query(k, mine), label,
                                ":material/school:")  # fmt: skip
    st.markdown("\n".join(
        f"{n}. {'✓ ' if n in mine.visited else ''}{s.title}" for n, s in enumerate(path.PATH, 1)
    ))  # fmt: skip
    st.caption(_solved_words(mine))
    with st.expander("Carry your progress away and back", icon=":material/key:"):
        code_box("learn_code_home")


# -- the checks ------------------------------------------------------------------------------


def checks_for(page: str, **data) -> None:
    """The predict-then-reveal checks of ``page`` for the scene on the screen (``data``:
    scene, t, j; jac on the gradients page; scenes and norms on the compare page)."""
    questions = checks.questions(page, **data)
    st.header("Predict, then reveal")  # h2 under the page title (no skipped level)
    st.caption("Answer first, then check. Every answer is computed from the run above: change "
               "a setting and the right answer changes with it.")  # fmt: skip
    columns = st.columns(len(questions), gap="medium")
    for col, q in zip(columns, questions, strict=True):
        with col:
            _check(q)


def _key(q: checks.Question) -> str:
    return "learn_" + q.id.replace(".", "_")


def _revealed(q: checks.Question) -> bool:
    record = st.session_state.get(f"{_key(q)}_state")
    return bool(record and record["revealed"] and record["sig"] == (q.prompt, q.answer_text))


def marks_on_figure(page: str, **data) -> tuple[dict, ...]:
    """The marks of this page's revealed checks, traces for the page's own figure (call it
    before drawing that figure, with the data ``checks_for`` gets)."""
    found = [q for q in checks.questions(page, **data) if q.id in ON_FIGURE and _revealed(q)]
    return tuple(_mark(q, data) for q in found)


def _mark(q: checks.Question, data: dict) -> dict:
    if q.id == "lstm.integrator":  # the unit's whole row in the f heatmap
        tr = data["scene"].trace
        panel = [name for name, _ in gate_figs.panels(tr)].index("f") + 1
        return figs.on_rows(q.mark, tr.T, panel)
    if q.id == "unrolled.push":  # the step's cell in unit j's row of the memory heatmap
        return figs.on_cells(q.mark, data["j"], figs.UNROLLED_HEATMAP)
    if q.id == "compare.reach":  # the cell's curve at its left end
        return figs.on_figure(q.mark, at_step=0)
    return figs.on_figure(q.mark)  # a step on the gradient curves, a unit on the keep bars


@st.fragment
def _check(q: checks.Question) -> None:
    """One check: the prediction, Check and Reveal, the feedback and the marked figure."""
    start = time.perf_counter()
    key = _key(q)
    with st.container(border=True, key=key):
        st.markdown(f"**{q.prompt}**")
        if q.kind == "number":
            reply = st.text_input("Your answer (a whole number)", key=f"{key}_reply",
                                  max_chars=checks.MAX_REPLY)  # fmt: skip
        elif len(q.options) <= 4:
            reply = st.radio("Your prediction", q.options, index=None, key=f"{key}_reply")
        else:
            reply = st.selectbox("Your prediction", q.options, index=None, key=f"{key}_reply",
                                 placeholder="Pick one")  # fmt: skip
        left, right = st.columns(2)
        checked = left.button("Check", key=f"{key}_check", icon=":material/done:",
                              width="stretch")  # fmt: skip
        revealed = right.button("Reveal", key=f"{key}_reveal", icon=":material/visibility:",
                                width="stretch")  # fmt: skip
        record = _record(q, key, checked, revealed, reply)
        _feedback(q, key, record)
    TIMINGS[q.id] = time.perf_counter() - start


def _record(q: checks.Question, key: str, checked: bool, revealed: bool, reply) -> dict:
    """What the student did with this check, kept while the question (and answer) stay the
    same; a new scene with a new answer starts afresh."""
    sig = (q.prompt, q.answer_text)
    record = st.session_state.get(f"{key}_state")
    if not record or record["sig"] != sig:
        record = {"sig": sig, "ok": None, "msg": "", "revealed": False}
    was_revealed = record["revealed"]
    if checked:
        ok, msg = checks.grade(q, reply)
        record = {**record, "ok": ok, "msg": msg, "revealed": record["revealed"] or ok is True}
        if ok:
            _save(current().solve(q.id))
    if revealed:
        record = {**record, "revealed": True}
    st.session_state[f"{key}_state"] = record
    # the strip's count, or a ring on the page's own figure, lives outside this fragment:
    # a right answer or a reveal that marks the page reruns the whole page, once
    if (checked and record["ok"] is True) or (
        record["revealed"] and not was_revealed and q.id in ON_FIGURE
    ):
        st.rerun(scope="app")
    return record


def _feedback(q: checks.Question, key: str, record: dict) -> None:
    if record["ok"] is True:
        st.success(f"Right: {q.answer_text}.", icon=":material/check_circle:")
    elif record["ok"] is False:
        st.warning(f"Not quite. {record['msg']}", icon=":material/lightbulb:")
    elif record["msg"]:
        st.info(record["msg"], icon=":material/info:")
    if record["revealed"]:
        if record["ok"] is not True:
            st.markdown(f"**Answer: {q.answer_text}.**")
        st.markdown(q.explain)
        show_figure(figs.reveal(q.mark), key=f"{key}_figure", alt=figs.reveal_alt(q.mark))
