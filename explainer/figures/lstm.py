r"""LSTM-only figures: the cell state as a conveyor belt, and the memory the forget gate keeps.

.. math::
    c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad
    \frac{\partial c_T}{\partial c_{T-k}}\Big|_{\text{cell path}} = \prod_{s=T-k+1}^{T} f_s

Builders return plain JSON dicts (``theme.figure``), as in ``figures.gates``.

References: Jozefowicz, Zaremba & Sutskever 2015 (forget-gate bias 1); Gers et al. 2000.
"""

from __future__ import annotations

import math

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, fmt, thin
from explainer.figures.gates import (
    MAX_TICKS,
    RING,
    TOP_LEGEND,
    animate,
    num,
    time_ticks,
)
from explainer.trace import Trace

REFERENCE_BIASES = (0.0, 1.0, 5.0)  # the field notes' forget-bias memory curves
MEMORY_FLOOR = 1e-30  # products that underflow sit on the floor of the log axis


def cell_belt(tr: Trace, labels, t: int, j: int) -> dict:
    """The LSTM cell state of unit j as a conveyor belt, and h_t read off it.

    Top: what the forget gate keeps, f_t c_{t-1}, and what the input gate writes, i_t g_t;
    stacked, they add up to c_t (the line). Bottom: h_t = o_t tanh(c_t).
    """
    i, f, g, o = (tr.gates[k][:, j] for k in "ifgo")
    c, h = tr.c[:, j], tr.h[:, j]  # (T+1,) from step 0
    series = [
        (1, "bar", f * c[:-1], "kept: f<sub>t</sub>·c<sub>t−1</sub>", "f", None),
        (1, "bar", i * g, "written: i<sub>t</sub>·g<sub>t</sub>", "i", None),
        (1, "line", c, "c<sub>t</sub>", "c", 4),
        (2, "line", o, "o<sub>t</sub>", "o", 2),
        (2, "line", np.tanh(c[1:]), "tanh c<sub>t</sub>", "c", 2),
        (2, "line", h[1:], "h<sub>t</sub> = o<sub>t</sub>·tanh c<sub>t</sub>", "h", 4),
    ]
    mode = "lines+markers" if tr.T <= MAX_TICKS else "lines"  # dots merge on long runs
    data = []
    for row, kind, y, name, colour, width in series:
        x = np.arange(len(y)) + (len(y) == tr.T)  # c starts at c_0, the rest at step 1
        spec = dict(x=x, y=theme.f32(y), name=name, hovertemplate="%{y:.3f}", **_on_row(row))
        if kind == "bar":
            data.append(dict(type="bar", **spec, marker=dict(color=theme.COLOURS[colour])))
        else:
            style = dict(color=theme.COLOURS[colour], width=width)
            if width < 4:
                style["dash"] = "dot"
            data.append(dict(type="scatter", **spec, mode=mode, line=style, marker=dict(size=6)))
    spans = [_belt_range(f * c[:-1], i * g, c), [-1.1, 1.1]]
    layout = dict(
        height=640,
        barmode="relative",
        legend=dict(TOP_LEGEND, y=1.02),
        margin=dict(t=90, b=80),
        hovermode="x unified",
        **theme.shared_x_rows(theme.stacked([3, 2], gap=0.08)),
    )
    steps = dict(range=[-0.5, tr.T + 0.5], hoverformat="d")
    layout["xaxis"].update(steps)
    layout["xaxis2"].update(steps, **time_ticks(labels))
    layout["yaxis"].update(title=dict(text=f"memory of unit {j}"), range=spans[0])
    layout["yaxis2"].update(title=dict(text="read out"), range=spans[1])
    return _ride_along(data, layout, labels, t, (c, h), spans)


def _on_row(row: int) -> dict:
    """Trace keys placing it on row ``row`` of the belt."""
    return dict(xaxis=theme.axis_ref("x", row), yaxis=theme.axis_ref("y", row))


def _belt_range(kept: np.ndarray, written: np.ndarray, c: np.ndarray) -> list[float]:
    """y range holding the stacked bars (each sign stacks on its own) and the c_t line."""
    parts = np.stack([kept, written])  # (2, T)
    lo = min(0.0, np.nanmin(np.minimum(parts, 0).sum(0)), np.nanmin(c))
    hi = max(0.0, np.nanmax(np.maximum(parts, 0).sum(0)), np.nanmax(c))
    return [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)]


def _ride_along(
    data: list[dict], layout: dict, labels, t: int, rows: tuple, spans: list[list[float]]
) -> dict:
    """What moves with step t on the belt: a ring on c_t and on h_t (``rows``), a line through
    each row (spanning ``spans``). Frames carry data only (cheaper to build than a layout per
    frame)."""
    ring = dict(mode="markers", marker=dict(RING, size=20), showlegend=False, hoverinfo="skip")
    line = dict(mode="lines", line=dict(color=theme.MUTED, width=2), showlegend=False)
    moving = list(range(len(data), len(data) + 4))
    for row, v in enumerate(rows, 1):
        data.append(dict(type="scatter", x=[t], y=[num(v[t])], **_on_row(row), **ring))
    for row, span in enumerate(spans, 1):
        data.append(
            dict(type="scatter", x=[t, t], y=list(span), **_on_row(row), hoverinfo="skip", **line)
        )

    def frame(s: int) -> dict:
        marks = [dict(type="scatter", x=[s], y=[num(v[s])]) for v in rows]
        return dict(data=marks + [dict(type="scatter", x=[s, s])] * 2, traces=moving)

    return animate(data, layout, labels, t, frame)


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


def curve(k: np.ndarray, y: np.ndarray, line: dict, symbol: str, **props) -> dict:
    """A line of ``symbol`` = y against k steps back, its value in the hover label."""
    hover = f"{symbol} = %{{y:.2g}}<extra></extra>"
    return dict(type="scatter", x=k, y=theme.f32(y), mode="lines", line=line,
                hovertemplate=hover, **props)  # fmt: skip


def memory_figure(products: np.ndarray, b_f: float, j: int) -> dict:
    """Cell-path memory dc_T/dc_{T-k} of unit j against k (log axis), beside the curves
    sigmoid(b)^k that a forget bias b alone gives: b = 0, 1, 5 (grey) and this unit's b_f.

    ``products`` is ``gradients.forget_gate_products(trace)``, (T+1, H): entry t is
    f_{t+1} ... f_T, so k steps back is entry T - k.
    """
    T = products.shape[0] - 1
    k = np.arange(max(T, 50) + 1)

    def decay(b: float) -> np.ndarray:  # sigmoid(b)^k, floored for the log axis
        return np.maximum((0.5 * (1.0 + math.tanh(0.5 * b))) ** k, MEMORY_FLOOR)

    data, notes = [], []
    for b in REFERENCE_BIASES:  # the field notes' curves, labelled with their value at k = 50
        grey = dict(color=theme.MUTED, dash="dash", width=2)
        data.append(curve(k, decay(b), grey, f"σ({b:g})<sup>k</sup>", showlegend=False))
        at_50 = float(decay(b)[50])
        notes.append(
            dict(
                x=50,
                y=math.log10(at_50),
                text=f"b<sub>f</sub> = {b:g}: {sci(at_50)}",
                xanchor="right",
                yanchor="top",
                showarrow=False,
                font=dict(color=theme.MUTED, size=16),
            )
        )
    own = dict(color=theme.COLOURS["f"], dash="dot", width=2)
    mine = "σ(b<sub>f</sub>)<sup>k</sup>"
    data.append(curve(k, decay(b_f), own, mine, name=f"{mine}, b<sub>f</sub> = {b_f:.2g}"))
    data.append(
        dict(
            type="scatter",
            x=np.arange(T + 1),
            y=theme.f32(np.maximum(products[::-1, j], MEMORY_FLOOR)),
            mode="lines+markers",
            line=dict(color=theme.COLOURS["f"], width=4),
            marker=dict(size=6),
            name="f<sub>T−k+1</sub> ··· f<sub>T</sub>",
            hovertemplate="k = %{x}: %{y:.2g}<extra></extra>",
        )
    )
    at_k50 = dict(type="line", x0=50, x1=50, xref="x", y0=0, y1=1, yref="y domain",
                  line=dict(color=theme.GRID, dash="dot"))  # fmt: skip
    y_title = "∂c<sub>T</sub> / ∂c<sub>T−k</sub>"
    layout = dict(
        title=dict(text=f"How long unit {j} remembers"),
        height=560,
        xaxis=dict(title=dict(text="steps back k"), range=[0, k[-1]]),
        yaxis=dict(title=dict(text=y_title), **theme.log_axis(1e-17, 10**0.4)),
        legend=TOP_LEGEND,
        margin=dict(t=110, r=30),
        annotations=notes,
        shapes=[at_k50],
    )  # fmt: skip
    return theme.figure(data, layout)


def cell_belt_alt(tr: Trace, labels, t: int, j: int) -> Alt:
    """Unit j's cell state at step t in words, and every step of it as a table."""
    i, f, g, o = (tr.gates[k][:, j] for k in "ifgo")
    c, h = tr.c[:, j], tr.h[:, j]
    kept, written = f * c[:-1], i * g
    text = (
        f"Cell state of unit {j} over {tr.T} steps. At step {t} (input {labels[t - 1]}) the "
        f"forget gate keeps {fmt(kept[t - 1])} of c_(t-1) = {fmt(c[t - 1])}, the input gate "
        f"writes {fmt(written[t - 1])}, so c_t = {fmt(c[t])}; the output gate "
        f"o_t = {fmt(o[t - 1])} reads out h_t = {fmt(h[t])}."
    )
    table = {
        "step": list(range(1, tr.T + 1)),
        "input": list(labels),
        "kept f·c(t-1)": column(kept),
        "written i·g": column(written),
        "c": column(c[1:]),
        "o": column(o),
        "h": column(h[1:]),
    }
    return Alt(f"cell state of unit {j}", text, thin(table))


def memory_alt(products: np.ndarray, b_f: float, j: int) -> Alt:
    """How long unit j remembers, in words, and the products against k as a table."""
    T = products.shape[0] - 1
    own = products[::-1, j]  # k = 0..T steps back
    text = (
        f"Log plot of the cell-path gradient dc_T/dc_(T-k) of unit {j} against k steps back, "
        f"0 to {T}: {fmt(own[T])} at k = {T}"
        + (f", {fmt(own[min(10, T)])} at k = {min(10, T)}" if T > 10 else "")
        + f". Beside it, sigmoid(b)^k for the forget biases 0, 1, 5 and this unit's "
        f"b_f = {b_f:.2g} ({fmt(1 / (1 + math.exp(-b_f)) ** T)} at k = {T})."
    )
    table = {"k steps back": list(range(T + 1)), f"unit {j}: dc_T/dc_(T-k)": column(own)}
    return Alt(f"memory of unit {j}", text, table)
