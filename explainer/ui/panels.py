"""Panels every page shares: header, explanation, what-to-try list, conventions, live
equations, the link to this scene, and the chart wrapper."""

from __future__ import annotations

from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st

from explainer import equations
from explainer.cells import CellParams
from explainer.trace import Trace

CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "unrolled"},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def page_header(title: str, intro: str) -> None:
    """Page config, title and a one-paragraph introduction in plain words."""
    st.set_page_config(page_title=f"{title} · Unrolled", page_icon="🔁", layout="wide")
    st.title(title)
    st.markdown(intro)


def explain(markdown: str) -> None:
    """A short explanation in plain words, beside the figures."""
    st.markdown(markdown)


def what_to_try(ideas: list[str]) -> None:
    """A numbered list of experiments a student can run right now."""
    with st.container(border=True):
        st.markdown("**What to try**")
        st.markdown("\n".join(f"{k}. {idea}" for k, idea in enumerate(ideas, 1)))


def conventions(kind: str) -> None:
    """The conventions the code runs, and how common textbooks differ."""
    with st.expander("Conventions used here (PyTorch's)"):
        st.markdown(
            "- Gate rows of the stacked weights are ordered like PyTorch's: LSTM **i, f, g, o**; "
            "GRU **r, z, n**. No peepholes. Two biases, `b_ih` and `b_hh`, as in PyTorch.\n"
            "- GRU as PyTorch runs it: the reset gate multiplies `W_hn h + b_hn` **after** the "
            "matrix product, and `h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}`, so z near 1 *keeps* "
            "the old state. d2l and Cho et al. (2014, v3) apply the reset **before** the "
            "product, `W_hn (r ⊙ h)`, and some sources swap the roles of z and 1 − z.\n"
            "- Vanilla RNN: `h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)`; torch offers "
            "tanh and ReLU, sigmoid and linear are here for the vanishing-gradient story."
        )


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
    with st.popover("🔗 Link to this scene"):
        st.caption(
            "Copy this link into your slides: it reopens this page with every control as now."
        )
        st.code(url, language=None, wrap_lines=True)


def show_figure(fig: go.Figure, key: str, height: int | None = None) -> None:
    """Draw a figure with the project's own template (theme=None) and PNG/SVG export."""
    if height:
        fig.update_layout(height=height)
    st.plotly_chart(fig, theme=None, key=key, config=CHART_CONFIG, width="stretch")
