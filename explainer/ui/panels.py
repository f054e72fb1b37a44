"""Panels every page shares: header, explanation, what-to-try list, conventions, live
equations, the link to this scene, and the chart wrapper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pyarrow as pa
import streamlit as st

from explainer import equations
from explainer.cells import CellParams
from explainer.figures import theme
from explainer.figures.alt import Alt
from explainer.figures.screens import phone_layout
from explainer.scenarios import SCENARIOS
from explainer.trace import Trace
from explainer.ui import present, screen
from explainer.ui.a11y import keyboard_scrollable_equations
from explainer.ui.cache import CONFIG_KEY
from explainer.ui.export import export_popover

CONVENTIONS = r"""
The app follows **PyTorch's** conventions, so its numbers match `torch.nn.RNN`, `LSTM` and `GRU`.

- **Two biases**, `b_ih` and `b_hh`, in every cell (only their sum matters, except GRU's `b_hn`).
- **Vanilla RNN**: `tanh` or `relu` as in torch; `sigmoid` and `linear` are extra, for the
  vanishing-gradient story.
- **LSTM** gate rows are stacked in the order **i, f, g, o**; no peephole connections.
- **GRU** applies the reset gate *after* the recurrent matmul, and `z` keeps the old state:
"""

GRU_TORCH = (
    r"n_t = \tanh\big(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})\big)"
    r"\qquad h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"
)

GRU_OTHERS = r"""
**Elsewhere:** *Dive into Deep Learning* (d2l) and Cho et al. (2014, arXiv v3) apply the
reset gate *before* the matmul, so the two versions give different numbers (and some
texts swap the roles of $z_t$ and $1 - z_t$):
"""

GRU_BEFORE = r"n_t = \tanh\big(W_{in} x_t + W_{hn} (r_t \odot h_{t-1}) + b_n\big)"

ICON = Path(__file__).resolve().parents[2] / "assets" / "icon.png"
# two modebar buttons (a PNG for slides, reset after a zoom) instead of plotly's eight: each
# is a Tab stop, and eight a chart filled the keyboard order; fullscreen is streamlit's own
MODEBAR = ["toImage", "resetScale2d"]
CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "unrolled"},
    "modeBarButtons": [MODEBAR],
}


def page_header(title: str, intro: str | None = None) -> None:
    """Page config, the app's layout rules, the screen reporter and the title; the
    introduction in plain words under it, or (``intro=None``) placed by the page below its
    main figure, so that figure fits a projector's screen."""
    # a local icon: an emoji or :material: icon would be fetched from a CDN, offline here
    st.set_page_config(page_title=f"{title} · Unrolled", page_icon=ICON, layout="wide")
    keyboard_scrollable_equations()
    present.page_modes()  # presenter view and the lecture bar, if the URL asks for them
    screen.styles()
    screen.report()
    st.title(title)
    if intro:
        st.markdown(intro)


def explain(markdown: str) -> None:
    """A short explanation in plain words, beside the figures."""
    st.markdown(markdown)


def what_to_try(ideas: list) -> None:
    """A numbered list of experiments a student can run right now. An idea given as
    ``(text, label, settings)`` gets a button ``label`` that moves the sidebar to ``settings``
    (control key -> value), so the student does not have to find the controls first."""
    with st.container(border=True):
        st.markdown("**What to try**")
        if all(isinstance(idea, str) for idea in ideas):
            st.markdown("\n".join(f"{k}. {idea}" for k, idea in enumerate(ideas, 1)))
            return
        for k, idea in enumerate(ideas, 1):
            text, label, settings = idea if isinstance(idea, tuple) else (idea, None, None)
            st.markdown(f"{k}. {text}")
            if settings:
                st.button(label, key=f"try_{k}", icon=":material/play_arrow:",
                          on_click=_apply, args=(settings,))  # fmt: skip


def _apply(settings: dict) -> None:
    """Button callback: set the sidebar's controls (before the page runs again)."""
    for key, value in settings.items():
        st.session_state[key] = value


def lecture_scenes() -> None:
    """Named teaching moments, each a link that opens its page with every control set."""
    st.header("Lecture scenes")
    st.markdown("Ready-made deep links for slides: each opens a page exactly as described.")
    columns = st.columns(3, gap="medium")
    for k, scene in enumerate(SCENARIOS):
        with columns[k % 3].container(border=True):
            st.page_link(scene.page, label=f"**{scene.title}**", query_params=scene.params,
                         icon=":material/slideshow:")  # fmt: skip
            st.caption(scene.lesson)


def conventions(kind: str | None = None) -> None:
    """The conventions the code runs (PyTorch's), and how common textbooks differ; open from
    the start on the GRU page, where the textbooks disagree most."""
    title = "Conventions: PyTorch's, and how others differ"
    with st.expander(title, icon=":material/rule:", expanded=kind == "gru"):
        st.markdown(CONVENTIONS)
        st.latex(GRU_TORCH)
        st.markdown(GRU_OTHERS)
        st.latex(GRU_BEFORE)


def live_equations(p: CellParams, tr: Trace, t: int, j: int) -> None:
    """The cell's equations with this run's numbers for unit j at step t."""
    st.markdown(f"**The equations at step t = {t}, unit j = {j}** (numbers from this run)")
    for line in equations.live_equations(p, tr, t, j):
        # one "= ..." per row: symbols, then numbers, then the result
        rows = line.split(" = ")
        body = rows[0] + " &= " + r" \\ &= ".join(rows[1:])
        st.latex(r"\begin{aligned}" + body + r"\end{aligned}")


def scene_link(extra: dict | None = None) -> None:
    """A copyable link that restores this exact scene (the address bar holds it too)."""
    base = (st.context.url or "").split("?")[0]
    query = {**st.query_params.to_dict(), **(extra or {})}
    url = f"{base}?{urlencode(query)}" if query else base
    with st.popover("Link to this scene", icon=":material/link:"):
        st.caption(
            "Copy this link into your slides: it reopens this page with every control as now."
        )
        st.code(url, language=None, wrap_lines=True)
    export_popover()


@st.cache_resource(max_entries=48, show_spinner=False, hash_funcs=CONFIG_KEY)
def _built_at_step_one(key: tuple, _build: Callable[[int], dict]) -> dict:
    """An animated figure built and packed once per key (shared by all sessions, never
    changed)."""
    return theme.pack(_build(1))


def show_animated(
    key: tuple,
    build: Callable[[int], dict],
    t: int,
    chart_key: str,
    height: int | None = None,
    *,
    alt: Alt,
    extra: tuple[dict, ...] = (),
) -> None:
    """An animated figure opened at step t: built once per ``key`` (everything but t that
    decides it, e.g. the config and unit) and re-aimed at t, so moving t costs ~1 ms. ``alt``:
    its text alternative at step t; ``height`` (px) overrides the figure's own (to fit a short
    screen); ``extra``: traces added on top, after the frames' (a revealed answer's ring)."""
    spec = theme.aim_spec(_built_at_step_one(key, build), t - 1)
    if extra:
        spec = {**spec, "data": [*spec["data"], *extra]}
    if height:
        spec["layout"] = {**spec["layout"], "height": height}
    _send(spec, chart_key, alt)


def show_figure(fig: dict, key: str, height: int | None = None, *, alt: Alt) -> None:
    """Draw a figure (a ``theme.figure`` dict) with the project's own template (theme=None)
    and PNG export; ``alt`` is its text alternative (``figures.alt.Alt``)."""
    spec = theme.pack(fig)
    if height:
        spec["layout"] = {**spec["layout"], "height": height}
    _send(spec, key, alt)


def _send(spec: dict, key: str, alt: Alt) -> None:
    """A packed spec to the browser as it is (no plotly objects, no validation), named by its
    description for screen readers, with its numbers in a table below (collapsed)."""
    config = CHART_CONFIG
    seen = screen.current()
    if seen.size_class == "phone":  # a touch shows the modebar over titles and legends
        config = {**CHART_CONFIG, "displayModeBar": False}
        margin = spec["layout"].get("template", {}).get("layout", {}).get("margin", {})
        layout = phone_layout(spec["layout"], spec["data"], seen.main, margin)
        spec = {**spec, "layout": layout}
        # a chart of its own on a phone: plotly redrawing the laptop's chart (the page's first
        # run, before the screen's report) left axis titles on the tick labels
        key = f"{key}_phone"
    fig = theme.from_spec(present.restyle(spec))
    st.plotly_chart(fig, theme=None, key=key, config=config, width="stretch", alt=alt.text)
    # the table is built when its expander opens (a rerun): a page sends no table nobody reads
    label = f"Numbers as a table: {alt.name}"
    with st.expander(label, icon=":material/table_view:", key=f"{key}_table",
                     on_change="rerun") as numbers:  # fmt: skip
        if numbers.open:
            st.dataframe(pa.table(alt.table), hide_index=True,
                         alt=f"Numbers of the chart: {alt.name}")  # fmt: skip
