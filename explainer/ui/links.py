"""Deep links: link values checked under one rule before any control binds to them, notices
that name the value each page uses, and a scene's values kept across page switches.

Two things streamlit 1.67 does that this module answers:

- a control bound to the URL (``bind="query-params"``) takes its value from the address the
  page was opened with before any page code runs, so a value the page cannot use (1.5 for H)
  would reach the control as streamlit reads it (1). ``clean`` replaces it and runs the page
  again from the corrected address.
- a bound or ``persist_state="session"`` control keeps its value across a page switch only if
  it was already there in an earlier run: values set in the session's first run (opening a
  deep link) are dropped, and the next page's control (a new widget id per page) starts at its
  default. ``keep`` hands each control the session's value and puts it back in the address.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.errors import StreamlitAPIException

from explainer.config import LinkField, link_notice, link_text, read_link
from explainer.ui import screen

NOTICES = "_link_notices"


def clean(fields: dict[str, LinkField]) -> None:
    """Before any control binds: read every link value in ``fields`` by ``read_link``'s rule.
    A value the page uses differently is taken out of the address and handed to its control
    (with a notice when the value changed, not only its spelling), then the page runs again."""
    changed = False
    for key, spec in fields.items():
        raw = st.query_params.get(key)
        if raw is None:
            continue
        value, problem = read_link(raw, spec)
        if problem is None and link_text(value) == raw:
            continue
        try:
            del st.query_params[key]
        except StreamlitAPIException:  # already bound this run: it keeps what streamlit read
            continue
        st.session_state[key] = spec.cast(value) if spec.cast else value
        if problem:
            st.session_state.setdefault(NOTICES, {})[key] = link_notice(key, raw, problem, value)
        changed = True
    if changed:
        st.rerun()


def note(key: str, message: str) -> None:
    """A notice about a link value, shown by ``show_notices``."""
    st.session_state.setdefault(NOTICES, {})[key] = message


def kept_for_a_screen_report(pending: str):
    """What waits under session key ``pending`` (a message, or messages by key), taken once,
    and given again by a run that only the screen reporter's report started (it follows the
    first run of every page a moment later, and would wipe a notice before anyone read it);
    any other run clears it."""
    shown = f"{pending}_shown"
    new = st.session_state.pop(pending, None)
    if new:
        st.session_state[shown] = new
        return new
    if screen.reported_this_run():
        return st.session_state.get(shown)
    st.session_state.pop(shown, None)
    return None


def plain(text: str) -> str:
    """Text shown as typed inside markdown: every character markdown, HTML or LaTeX would
    read inside a line (``*``, ``_``, ``<``, ``$``, ...) is escaped with a backslash (a notice
    starts with its key, so ``-``, ``+`` and ``#`` never begin a line; an ``_`` inside a word,
    as in hidden_size, is not emphasis)."""
    text = re.sub(r"([\\`*\[\]<>|$~^&])", r"\\\1", text)
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


def show_notices() -> None:
    """The notices in one box (room for the figures on a projector or a phone): what the
    link said and what the page uses instead (see ``kept_for_a_screen_report``)."""
    messages = [plain(m) for m in (kept_for_a_screen_report(NOTICES) or {}).values()]
    if len(messages) == 1:
        st.warning(f"A value in the link was changed: {messages[0]}.", icon=":material/link_off:")
    elif messages:
        lines = "\n".join(f"- {m}." for m in messages)
        st.warning(f"Values in the link were changed:\n{lines}", icon=":material/link_off:")


def notice_here(key: str, message: str | None) -> None:
    """A notice shown where a value is used rather than in the page's box: t and the unit j
    are checked against T and H, known only once the page has run its scene. ``message``
    (None: nothing new) is kept like ``show_notices``' for the screen reporter's run."""
    pending = f"_notice_{key}"
    if message:
        st.session_state[pending] = message
    kept = kept_for_a_screen_report(pending)
    if kept:
        st.warning(f"A value in the link was changed: {plain(kept)}.", icon=":material/link_off:")


def keep(key: str, default) -> None:
    """Before the bound control ``key`` renders: if the session holds a value for it that the
    address lost (a page switch), hand the control that value and write it back in the address.
    """
    if key not in st.session_state or key in st.query_params:
        return
    value = st.session_state[key]
    if value == default:
        return
    st.session_state[key] = value
    try:
        st.query_params[key] = link_text(value)
    except StreamlitAPIException:  # bound already: streamlit writes it itself
        pass
