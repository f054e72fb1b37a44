"""Keyboard access streamlit does not give on its own: an equation wider than its column scrolls
sideways (KaTeX's ``.katex-display`` has ``overflow-x: auto``), and a scrollable region must be
reachable by Tab to be scrolled with the arrow keys (WCAG 2.1.1, axe's
``scrollable-region-focusable``). Which equations overflow depends on the screen, so a small
script marks them in the browser, again whenever the page changes or is resized."""

from __future__ import annotations

import streamlit as st

MARKER = "unrolled-keyboard"
LABEL = "Equation, wider than its column: scroll it with the arrow keys"

# installed once per browser tab (the element is unchanged across reruns, so streamlit keeps it)
SCRIPT = """
<style>
.stElementContainer:has(#__MARKER__) { display: none; }
.katex-display[data-wide]:focus-visible { outline: 3px solid #7cc4ff; outline-offset: 2px; }
</style>
<span id="__MARKER__"></span>
<script>
(() => {
  if (window.__unrolledKeyboard) return;
  window.__unrolledKeyboard = true;
  const mark = () => {
    for (const el of document.querySelectorAll(".katex-display")) {
      const wide = el.scrollWidth > el.clientWidth + 1;
      if (wide && !el.hasAttribute("data-wide")) {
        el.setAttribute("data-wide", "");
        el.tabIndex = 0;
        el.setAttribute("role", "group");
        el.setAttribute("aria-label", "__LABEL__");
      } else if (!wide && el.hasAttribute("data-wide")) {
        el.removeAttribute("data-wide");
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    }
  };
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mark(); });
  };
  new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("resize", soon);
  mark();
})();
</script>
""".replace("__MARKER__", MARKER).replace("__LABEL__", LABEL)


def keyboard_scrollable_equations() -> None:
    """Make every equation that overflows its column focusable (hidden element, no space)."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
