"""The student's screen, as the server learns it: a tiny component (Streamlit's components v2,
no iframe) reports the viewport and the main column's width once and again after a resize, and
the app's own CSS (tighter margins, a compact title on short screens, a phone layout).

The last report is also kept in a session cookie (``unrolled_screen=WxHxM``, nothing else), so a
reload, a new tab or a lecture link opened in the same browser draws at the right size on its
first run instead of drawing a laptop's layout and redrawing once the report arrives.

Figures choose their layout from it through the pure functions of ``explainer.figures.screens``.

References: Streamlit docs, ``st.components.v2.component`` (1.67).
"""

from __future__ import annotations

import re

import streamlit as st

from explainer.figures.screens import LAPTOP, Screen

KEY = "viewport"
COOKIE = "unrolled_screen"
# a report's callback marks the run it starts; ``report`` moves the mark to REPORT_RUN for
# the rest of that run (a run without a new report clears it)
REPORT_PENDING, REPORT_RUN = "_viewport_new", "_viewport_run"

# reports {width, height, main} after the page settles and after any resize (debounced): the
# window's, or the main column's when the sidebar opens or closes. It sends only a change, so
# a report cannot rerun the page in a loop.
_JS = """
export default function ({ setStateValue, data }) {
  let last = data && data.known ? JSON.stringify(data.known) : "";
  let timer = null;
  // whether the server has this screen's size: "no" from a report until the run it starts
  // has drawn (tests wait for "yes" before they time anything)
  const mark = (known) => { document.documentElement.dataset.screenKnown = known ? "yes" : "no"; };
  const measure = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    // the main column's content width: its box less its padding
    const pad = main ? getComputedStyle(main) : null;
    const inner = main
      ? main.clientWidth - parseFloat(pad.paddingLeft) - parseFloat(pad.paddingRight)
      : window.innerWidth;
    const now = { width: window.innerWidth, height: window.innerHeight, main: Math.round(inner) };
    const text = JSON.stringify(now);
    // the next page load in this browser starts at this size (a session cookie, read by the
    // server's first run: screen.py's _known)
    const size = `${now.width}x${now.height}x${now.main}`;
    document.cookie = `unrolled_screen=${size}; path=/; SameSite=Lax`;
    mark(text === last);
    if (text !== last) { last = text; setStateValue("viewport", now); }
  };
  const later = () => { mark(false); clearTimeout(timer); timer = setTimeout(measure, 250); };
  window.addEventListener("resize", later);
  const observer = new ResizeObserver(later);
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) observer.observe(main);
  later();
  return () => { clearTimeout(timer); window.removeEventListener("resize", later);
                 observer.disconnect(); };
}
"""

_reporter = st.components.v2.component("unrolled.viewport", js=_JS)

# the app's layout rules: less padding than Streamlit's wide layout, a one-line title on a
# short screen (projector), a compact phone layout; the viewport reporter takes no room
CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 4rem 2.5rem 5rem; }
.st-key-viewport { display: none; }
/* lecture-scene links, metrics and buttons wrap instead of ending in "..." */
[data-testid="stPageLink"] *, [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *,
[data-testid="stMetricDelta"] *, [data-testid="stPopoverButton"] *,
[data-testid="stButton"] button * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* but never inside an equation: a metric's maths label broke one glyph a line */
[data-testid="stMetricLabel"] .katex, [data-testid="stMetricLabel"] .katex * {
  white-space: nowrap !important;
}
[data-testid="stMetricValue"] { font-size: 1.75rem; }
/* equations at a size that fits a half-width column */
[data-testid="stMain"] .katex-display > .katex { font-size: 1.05em; }
@media (max-height: 799px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.25rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem; padding: 0 0 0.25rem; }
}
@media (max-width: 639px) {
  [data-testid="stMainBlockContainer"] { padding: 3.5rem 0.75rem 4rem; }
  /* most titles on one line, the figure higher up */
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.75rem; }
  /* columns stacked on a phone sit one normal gap apart, not a wide layout's column gap (the
     time cursor and the unit picker were 85 px apart, pushing the figure down) */
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] { row-gap: 1rem !important; }
  /* a flashcard's equation fits a phone's card instead of running off its edge (the pages'
     wide equations scroll, each a Tab stop: explainer/ui/a11y.py); symbols stay above 14 px */
  .st-key-card_front .katex-display > .katex, .st-key-card_back .katex-display > .katex {
    font-size: 0.85em;
  }
}
</style>
"""


def styles() -> None:
    """The app's layout CSS (see CSS)."""
    st.html(CSS)


def report() -> None:
    """Mount the reporter (once a run, from the page header). A new report reruns the page
    once, so figures redraw at the right size."""
    known = _known()
    st.session_state[REPORT_RUN] = st.session_state.pop(REPORT_PENDING, False)
    _reporter(key=KEY, data={"known": known}, on_viewport_change=_remember, height=0)


def reported_this_run() -> bool:
    """Whether this run is the one a new report started (the same page again, at its size)."""
    return bool(st.session_state.get(REPORT_RUN))


def current() -> Screen:
    """The student's screen as last reported (this session, or the browser's cookie); a laptop
    until the first report arrives."""
    return _parse(_known())


def _known() -> dict | None:
    """The last report this session has, or else the one the browser's cookie carries (kept
    for the session: a first run of a new session draws at the size the browser last had)."""
    known = st.session_state.get(f"_{KEY}")
    if known is None:
        known = _from_cookie(st.context.cookies.get(COOKIE))
        if known is not None:
            st.session_state[f"_{KEY}"] = known
    return known


def _from_cookie(text: object) -> dict | None:
    """{width, height, main} from the cookie's "WxHxM" (the reporter's key order); None for junk."""
    match = (
        re.fullmatch(r"([0-9]{1,5})x([0-9]{1,5})x([0-9]{1,5})", text)
        if isinstance(text, str)
        else None
    )
    if match is None or not _plausible(*map(int, match.groups())):
        return None
    return dict(zip(("width", "height", "main"), map(int, match.groups()), strict=True))


def _remember() -> None:
    """Keep the last report under a key of its own: it outlives the component's state when a
    page switch drops the widget."""
    value = getattr(st.session_state.get(KEY), "viewport", None)
    if value:
        st.session_state[f"_{KEY}"] = value
        st.session_state[REPORT_PENDING] = True


def _parse(value) -> Screen:
    """A Screen from the reported dict; junk or nothing gives the laptop default."""
    try:
        w, h = int(value["width"]), int(value["height"])
        main = int(value.get("main", w))
    except (TypeError, KeyError, ValueError):
        return LAPTOP
    return Screen(width=w, height=h, main=main) if _plausible(w, h, main) else LAPTOP


def _plausible(width: int, height: int, main: int) -> bool:
    """A real browser's size: 200 to 10,000 px each way, the main column inside the window."""
    return 200 <= width <= 10_000 and 200 <= height <= 10_000 and 100 <= main <= width
