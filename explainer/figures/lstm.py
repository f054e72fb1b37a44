r"""LSTM-only figures: the cell state as a conveyor belt, and the memory the forget gate keeps.

.. math::
    c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad
    \frac{\partial c_T}{\partial c_{T-k}}\Big|_{\text{cell path}} = \prod_{s=T-k+1}^{T} f_s

References: Jozefowicz, Zaremba & Sutskever 2015 (forget-gate bias 1); Gers et al. 2000.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from explainer.figures import theme
from explainer.figures.gates import (
    MAX_TICKS,
    RING,
    TOP_LEGEND,
    animate,
    arr,
    num,
    time_ticks,
)
from explainer.trace import Trace

REFERENCE_BIASES = (0.0, 1.0, 5.0)  # the field notes' forget-bias memory curves
MEMORY_FLOOR = 1e-30  # products that underflow sit on the floor of the log axis


def cell_belt(tr: Trace, labels, t: int, j: int) -> go.Figure:
    """The LSTM cell state of unit j as a conveyor belt, and h_t read off it.

    Top: what the forget gate keeps, f_t c_{t-1}, and what the input gate writes, i_t g_t;
    stacked, they add up to c_t (the line). Bottom: h_t = o_t tanh(c_t).
    """
    i, f, g, o = (tr.gates[k][:, j] for k in "ifgo")
    c, h = tr.c[:, j], tr.h[:, j]  # (T+1,) from step 0
    fig = theme.new_figure(height=640, barmode="relative", legend=dict(TOP_LEGEND, y=1.02))
    fig.update_layout(margin=dict(t=90, b=140))
    fig.set_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[3, 2])
    series = [
        (1, "bar", f * c[:-1], "kept: f<sub>t</sub>·c<sub>t−1</sub>", "f", None),
        (1, "bar", i * g, "written: i<sub>t</sub>·g<sub>t</sub>", "i", None),
        (1, "line", c, "c<sub>t</sub>", "c", 4),
        (2, "line", o, "o<sub>t</sub>", "o", 2),
        (2, "line", np.tanh(c[1:]), "tanh c<sub>t</sub>", "c", 2),
        (2, "line", h[1:], "h<sub>t</sub> = o<sub>t</sub>·tanh c<sub>t</sub>", "h", 4),
    ]
    mode = "lines+markers" if tr.T <= MAX_TICKS else "lines"  # dots merge on long runs
    for row, kind, y, name, colour, width in series:
        x = np.arange(len(y)) + (len(y) == tr.T)  # c starts at c_0, the rest at step 1
        spec = dict(x=x, y=arr(y), name=name, hovertemplate="%{y:.3f}")
        if kind == "bar":
            fig.add_bar(**spec, marker_color=theme.COLOURS[colour], row=row, col=1)
        else:
            style = dict(
                color=theme.COLOURS[colour], width=width, dash="dot" if width < 4 else None
            )
            fig.add_scatter(**spec, mode=mode, line=style, marker_size=6, row=row, col=1)
    span = _belt_range(f * c[:-1], i * g, c)
    fig.update_yaxes(title_text=f"memory of unit {j}", range=span, row=1, col=1)
    fig.update_yaxes(title_text="read out", range=[-1.1, 1.1], row=2, col=1)
    fig.update_xaxes(range=[-0.5, tr.T + 0.5], hoverformat="d")
    fig.update_xaxes(**time_ticks(labels), row=2, col=1)
    fig.update_layout(hovermode="x unified")
    return _ride_along(fig, labels, t, c, h)


def _belt_range(kept: np.ndarray, written: np.ndarray, c: np.ndarray) -> list[float]:
    """y range holding the stacked bars (each sign stacks on its own) and the c_t line."""
    parts = np.stack([kept, written])  # (2, T)
    lo = min(0.0, np.nanmin(np.minimum(parts, 0).sum(0)), np.nanmin(c))
    hi = max(0.0, np.nanmax(np.maximum(parts, 0).sum(0)), np.nanmax(c))
    return [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)]


def _ride_along(fig: go.Figure, labels, t: int, c: np.ndarray, h: np.ndarray) -> go.Figure:
    """What moves with step t on the belt: a ring on c_t and on h_t, a line through each row.
    Frames carry data only (cheaper to build than a layout per frame)."""
    ring = dict(mode="markers", marker=dict(RING, size=20), showlegend=False, hoverinfo="skip")
    line = dict(mode="lines", line=dict(color=theme.MUTED, width=2), showlegend=False)
    moving = list(range(len(fig.data), len(fig.data) + 4))
    spans = [fig.layout.yaxis.range, fig.layout.yaxis2.range]
    for row, v in ((1, c), (2, h)):
        fig.add_scatter(x=[t], y=[num(v[t])], row=row, col=1, **ring)
    for row, span in ((1, spans[0]), (2, spans[1])):
        fig.add_scatter(x=[t, t], y=list(span), row=row, col=1, hoverinfo="skip", **line)

    def frame(s: int) -> dict:
        rings = [dict(type="scatter", x=[s], y=[num(v[s])]) for v in (c, h)]
        return dict(data=rings + [dict(type="scatter", x=[s, s])] * 2, traces=moving)

    return animate(fig, labels, t, frame)


def forget_bias_of(p, j: int) -> float:
    """The total forget-gate bias b_if + b_hf of unit j (whether drawn, set or trained)."""
    rows = p.block("f")
    return float(p.b_ih[rows][j] + p.b_hh[rows][j])


def sci(v: float) -> str:
    """A small number for a label: 0.715, 1.6·10<sup>−7</sup>."""
    if v >= 1e-3:
        return f"{v:.3g}"
    mantissa, exponent = f"{v:.1e}".split("e")
    return f"{mantissa}·10<sup>−{int(exponent[1:])}</sup>"


def memory_figure(products: np.ndarray, b_f: float, j: int) -> go.Figure:
    """Cell-path memory dc_T/dc_{T-k} of unit j against k (log axis), beside the curves
    sigmoid(b)^k that a forget bias b alone gives: b = 0, 1, 5 (grey) and this unit's b_f.

    ``products`` is ``gradients.forget_gate_products(trace)``, (T+1, H): entry t is
    f_{t+1} ... f_T, so k steps back is entry T - k.
    """
    T = products.shape[0] - 1
    k = np.arange(max(T, 50) + 1)
    fig = theme.new_figure(
        title=dict(text=f"How long unit {j} remembers"),
        height=560,
        xaxis=dict(title="steps back k", range=[0, k[-1]]),
        yaxis=dict(title="∂c<sub>T</sub> / ∂c<sub>T−k</sub>", type="log", range=[-17, 0.4]),
        legend=TOP_LEGEND,
        margin=dict(t=110, r=30),
    )
    fig.update_yaxes(exponentformat="power", dtick=4)

    def decay(b: float) -> np.ndarray:  # sigmoid(b)^k, floored for the log axis
        return np.maximum((0.5 * (1.0 + math.tanh(0.5 * b))) ** k, MEMORY_FLOOR)

    for b in REFERENCE_BIASES:  # the field notes' curves, labelled with their value at k = 50
        grey = dict(color=theme.MUTED, dash="dash", width=2)
        fig.add_scatter(
            x=k,
            y=arr(decay(b)),
            mode="lines",
            line=grey,
            showlegend=False,
            hovertemplate=f"σ({b:g})<sup>k</sup> = %{{y:.2g}}<extra></extra>",
        )
        at_50 = float(decay(b)[50])
        fig.add_annotation(
            x=50,
            y=math.log10(at_50),
            text=f"b<sub>f</sub> = {b:g}: {sci(at_50)}",
            xanchor="right",
            yanchor="top",
            showarrow=False,
            font=dict(color=theme.MUTED, size=16),
        )
    own = dict(color=theme.COLOURS["f"], dash="dot", width=2)
    fig.add_scatter(
        x=k,
        y=arr(decay(b_f)),
        mode="lines",
        line=own,
        name=f"σ(b<sub>f</sub>)<sup>k</sup>, b<sub>f</sub> = {b_f:.2g}",
        hovertemplate="σ(b<sub>f</sub>)<sup>k</sup> = %{y:.2g}<extra></extra>",
    )
    fig.add_scatter(
        x=np.arange(T + 1),
        y=arr(np.maximum(products[::-1, j], MEMORY_FLOOR)),
        mode="lines+markers",
        line=dict(color=theme.COLOURS["f"], width=4),
        marker_size=6,
        name="f<sub>T−k+1</sub> ··· f<sub>T</sub>",
        hovertemplate="k = %{x}: %{y:.2g}<extra></extra>",
    )
    fig.add_vline(x=50, line=dict(color=theme.GRID, dash="dot"))
    return fig
