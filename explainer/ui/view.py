"""View state shared by a page's panels: the time cursor t and the chosen unit j."""

from __future__ import annotations

import streamlit as st

from explainer.config import RunConfig
from explainer.scene import Scene
from explainer.ui import links, player, screen
from explainer.ui.cache import cached_scene

BOUND = dict(bind="query-params", persist_state="session")


def scene_or_stop(cfg: RunConfig) -> Scene:
    """The cached run for ``cfg``, with notes on what changed in the input (e.g. text cut to
    500 characters); bad input gets a clear message and the page stops there (the sidebar
    stays, so nothing typed is lost)."""
    try:
        scene = cached_scene(cfg)
    except ValueError as err:
        st.error(f"This input cannot be run: {err}.", icon=":material/block:")
        st.stop()
    for note in scene.seq.notices:
        st.info(f"Note: {note}.", icon=":material/content_cut:")
    return scene


def input_place():
    """Where a page's own input goes: the sidebar; on a phone, the main column where it is
    drawn (a phone's sidebar covers its screen, so the control used most stays on the page)."""
    return st.container() if screen.current().size_class == "phone" else st.sidebar


def _bounded(key: str, lo: int, hi: int, default: int) -> int:
    """Keep a bound integer widget's value inside [lo, hi] (the range moves with T and H); the
    value is handed to the control on every run, so it survives page switches, and written
    back in the address when a page switch dropped it (``sidebar`` checked it is a number)."""
    raw = st.session_state.get(key, st.query_params.get(key))
    message = None
    try:
        value = int(raw) if raw is not None else default
    except (TypeError, ValueError):
        value = default
        message = f"{key}={str(raw)[:20]!r} is not a whole number; using {value}"
    if not lo <= value <= hi:
        clamped = min(max(value, lo), hi)
        if key in st.query_params and key not in st.session_state:
            message = f"{key}={value} is outside {lo} to {hi}; using {clamped}"
        value = clamped
    links.notice_here(key, message)
    try:
        st.session_state[key] = value
    except Exception:  # a bound widget already rendered this run
        pass
    if value != lo and key not in st.query_params:  # lo: the control's own default
        try:
            st.query_params[key] = str(value)
        except Exception:  # bound already: streamlit writes it itself
            pass
    return value


def time_cursor(T: int, label: str = "Step t") -> int:
    """The page's one time cursor (1..T): a transport bar that plays every animated chart of
    the page in the browser and steps by keyboard (``player.transport_bar``); its t is in the
    session and the URL, and drives every panel of a page at once."""
    t = _bounded(player.KEY, 1, T, min(5, T))
    st.query_params[player.KEY] = str(t)  # the address bar and "Link to this scene" hold it
    if T == 1:
        st.caption("One step only: t = 1")
        return 1
    player.transport_bar(t, T, label)
    return t


def unit_picker(H: int, label: str = "Unit j") -> int:
    """The hidden unit whose equations and curves are shown (0..H-1)."""
    _bounded("unit", 0, H - 1, 0)
    if H == 1:
        return 0
    return st.slider(label, 0, H - 1, key="unit", **BOUND)
