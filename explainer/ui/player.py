"""The page's one time cursor: a transport bar (first, previous, Play/Pause, next, last, a range
and a large "t = 12 / 40" counter) that plays every animated chart of the page in the browser.

Playback runs in the browser: each tick animates every chart to its frame t - 1 (the figures
carry one frame per step and ``layout.meta.cursor``, see ``theme.player``), with no server
rerun. When playback stops, and after a step (buttons, range, keyboard), the bar sends t back:
the server reruns once and the equations, numbers and other panels show the same t. The value
lives in ``st.session_state["t"]`` and the URL's ``t``, as the slider's did.

A custom component (``st.components.v2``, no iframe) because nothing built in can drive several
charts from one control or listen to the keyboard page-wide; plotly.js is already on the page
(``window.Plotly``, set by Streamlit's chart bundle).

References: Streamlit docs, "Custom components v2" (state values, cleanup); plotly.js docs,
``Plotly.animate``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

HERE = Path(__file__).resolve().parent
KEY = "t"  # session state and URL
BAR_KEY = "t_bar"  # the component's own state: {"move": {"t", "seq"}}
SEQ_KEY = "t_bar_seq"  # the bar's last move the server took, echoed back to it
LECTURE_KEY = "_lecture_edges"  # {"previous", "next"}: scenes around this one (lecture.py)

_bar = st.components.v2.component(
    "unrolled.time_cursor",
    html=(HERE / "player.html").read_text(),
    css=(HERE / "player.css").read_text(),
    js=(HERE / "player.js").read_text(),
    isolate_styles=False,
)


def frame_ms(T: int) -> int:
    """Milliseconds per step while playing: a whole sweep takes 8-20 s whatever T is (the
    browser may take longer per step: the bar waits for every chart to draw)."""
    return int(np.clip(8000 / T, 40, 350))


def take_move(move) -> int | None:
    """The step in a move the bar sent (``{"t": 12, "seq": ...}``), or None if it is junk."""
    if not isinstance(move, dict):
        return None
    t = move.get("t")
    if isinstance(t, bool) or not isinstance(t, int | float) or not np.isfinite(t):
        return None
    return int(t)


def _on_move() -> None:
    """Before the rerun a move caused: its t becomes the page's (clamped by the page)."""
    move = (st.session_state.get(BAR_KEY) or {}).get("move")
    t = take_move(move)
    if t is not None:
        st.session_state[KEY] = t
        st.session_state[SEQ_KEY] = move.get("seq", 0)


def transport_bar(t: int, T: int, label: str) -> None:
    """The bar at step t of T (``label`` names what t moves)."""
    data = dict(t=t, T=T, seq=st.session_state.get(SEQ_KEY, 0), ms=frame_ms(T), label=label,
                lecture=st.session_state.get(LECTURE_KEY))  # fmt: skip
    _bar(key=BAR_KEY, data=data, on_move_change=_on_move)
