"""Presenter view: any page as a projector view (``?present=1``), in one place every page uses.

``?present=1`` (or the sidebar's toggle, which writes it) hides the sidebar, prose, "what to
try", equations and captions, widens the figures and sets projector type (body 24 px, chart
text 18-26 px, thick lines). ``show=eq,notes,prose,try,captions,numbers`` brings back what is named;
``theme=light|dark`` picks a high-contrast look. The page's code does not change: ``apply``
styles the page once per run and ``restyle`` every chart it sends (``panels._send``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explainer.figures import projector

KEY = "present"
FLAGS = ("eq", "notes", "prose", "try", "captions", "numbers")
THEMES = ("dark", "light")

# a lecturer's keys (presenter view or a lecture): a clicker's PageDown/PageUp move between
# scenes where the page's time cursor lets them by, and `b` or `.` blanks the screen
_keys = st.components.v2.component(
    "unrolled.presenter_keys",
    js=(Path(__file__).resolve().parent / "presenter_keys.js").read_text(),
)

# what each show= flag brings back (everything else is hidden while presenting)
HIDDEN = {
    "prose": '[data-testid="stMain"] [data-testid="stMarkdown"]'
    ':not([class*="st-key-lecture"] [data-testid="stMarkdown"])',
    "eq": '[data-testid="stMain"] [data-testid="stLatex"]',
    "captions": '[data-testid="stMain"] [data-testid="stCaptionContainer"]',
    "numbers": '[data-testid="stMain"] [data-testid="stMetric"]',
    "try": '[data-testid="stMain"] [data-testid="stExpander"], '
    '[data-testid="stMain"] [data-testid="stPopover"]',
}

CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {display: none !important;}
[data-testid="stMain"] {font-size: 24px;}
[data-testid="stMain"] .block-container {max-width: 100%; padding: 0.5rem 1.5rem 2rem;}
[data-testid="stMain"] h1 {font-size: 32px !important; padding: 0;}
[data-testid="stMain"] .block-container > div > div {gap: 0.5rem;}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] button, [data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricLabel"] p {font-size: 24px !important;}
/* the way out sits at the right end of the title's row, out of the flow (a fixed corner
   covered the charts' axes) */
.st-key-present_exit_row {position: absolute; right: 1.5rem; z-index: 1000;
  width: auto !important;}
.ur-lecture-notes p, .ur-lecture-notes li {font-size: 28px !important; line-height: 1.4;}
/* the time cursor: what t moves at body size; the key hints are the lecturer's, not the room's */
[data-testid="stMain"] .ur-note .ur-label {font-size: 24px;}
[data-testid="stMain"] .ur-note br, [data-testid="stMain"] .ur-note .ur-keys {display: none;}
{hide}
{theme}
</style>
"""
LIGHT = """
.stApp, [data-testid="stMain"] {background: #ffffff !important; color: #000000 !important;}
[data-testid="stMain"] h1, [data-testid="stMain"] p, [data-testid="stMain"] li,
[data-testid="stMain"] label, [data-testid="stMain"] span {color: #000000 !important;}
[data-testid="stMain"] .ur-bar span {color: inherit !important;}
"""
DARK = """
.stApp, [data-testid="stMain"] {background: #000000 !important; color: #ffffff !important;}
[data-testid="stMain"] h1, [data-testid="stMain"] p, [data-testid="stMain"] li,
[data-testid="stMain"] label {color: #ffffff !important;}
"""


def _param(name: str) -> str:
    return str(st.query_params.get(name, "")).strip().lower()


def presenting() -> bool:
    """Is this page in presenter view (the URL's present=1, or the toggle this session)?"""
    return _param(KEY) in ("1", "true", "yes", "on")


def shown(flag: str) -> bool:
    """Is ``flag`` (one of ``FLAGS``) shown? Always outside presenter view."""
    if not presenting():
        return True
    return flag in {f.strip() for f in _param("show").split(",")}


def theme() -> str:
    """The presenter view's colours: dark (default) or light."""
    value = _param("theme")
    return value if value in THEMES else "dark"


def toggle() -> None:
    """The sidebar's presenter-view switch; the URL's present=1 is its state."""

    def flip() -> None:
        if st.session_state.get("present_toggle"):
            st.query_params[KEY] = "1"
        else:
            for name in (KEY, "show", "theme"):
                st.query_params.pop(name, None)

    st.session_state["present_toggle"] = presenting()
    st.toggle(
        "Presenter view",
        key="present_toggle",
        on_change=flip,
        help="A projector view: no sidebar or prose, large type, the figures full width. "
        "Keys: PageDown/→ next step, PageUp/← back, Home/End, Space plays, "
        "b or . blanks the screen. "
        "In the URL: present=1, show=eq,notes, theme=light.",
    )


def apply() -> None:
    """Style the page for the projector when presenting (call once per run, early)."""
    if not presenting():
        return
    hide = [sel for flag, sel in HIDDEN.items() if not shown(flag)]
    rules = (",\n".join(hide) + " {display: none !important;}") if hide else ""
    css = CSS.replace("{hide}", rules).replace("{theme}", LIGHT if theme() == "light" else DARK)
    st.html(css)
    unknown = [f for f in _param("show").split(",") if f.strip() and f.strip() not in FLAGS]
    if unknown:
        st.warning(
            f"Ignored a value in the link: show={','.join(unknown)[:40]!r}; "
            f"choose from {', '.join(FLAGS)}."
        )


def page_modes() -> None:
    """Called by every page's header: the projector styling, the lecture bar, the learn
    path's strip, and in the sidebar the presenter toggle and "save this scene"."""
    from explainer.ui import learn, lecture  # lecture uses this module too

    apply()
    lecture.lecture_bar()
    learn.progress_strip()  # the guided path's strip, if the URL says learn=k
    with st.sidebar:
        toggle()
        lecture.save_scene()
        if presenting() or st.session_state.get(lecture.AT):
            _keys(key="presenter_keys")  # takes no room (and the sidebar is hidden presenting)
    exit_link()


def exit_link() -> None:
    """A way back to the normal page (the sidebar is hidden while presenting)."""
    if not presenting():
        return

    def leave() -> None:
        for name in (KEY, "show", "theme", "notes"):
            st.query_params.pop(name, None)

    with st.container(key="present_exit_row", horizontal_alignment="right"):
        st.button("Leave presenter view", key="present_exit", on_click=leave, type="tertiary",
                  icon=":material/close:")  # fmt: skip


def restyle(spec: dict) -> dict:
    """A chart's spec in projector style when presenting, as it is otherwise."""
    return projector.restyle(spec, theme()) if presenting() else spec
