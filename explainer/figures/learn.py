"""The reveal figure of a learn-mode check: the numbers the answer comes from, with the answer
marked (a bright bar or a ringed point, the trace named "answer"). Plain JSON dicts, like every
figure module."""

from __future__ import annotations

import math

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, fmt
from explainer.learn.checks import Mark

DIM = theme.GRID
BRIGHT = "#E69F00"  # the answer (orange on the dark background)
HEIGHT = 300


def reveal(mark: Mark) -> dict:
    """Bars (or a curve) of ``mark.values`` with the answer marked in orange."""
    y = np.asarray(mark.values, dtype=np.float64)
    # a curve runs over steps 0..T (a number axis); bars are named categories
    x = list(range(len(y))) if mark.curve else list(mark.labels)
    shown = [x[k] for k in mark.answer]
    if mark.curve:
        data = [dict(type="scatter", x=x, y=theme.f32(y), mode="lines", name=mark.y_title,
                     line=dict(color=theme.MUTED, width=2))]  # fmt: skip
        marker = dict(size=16, color="rgba(0,0,0,0)", line=dict(color=BRIGHT, width=4))
        data.append(dict(type="scatter", x=shown, y=[y[k] for k in mark.answer],
                         mode="markers", name="answer", marker=marker))  # fmt: skip
    else:
        colours = [BRIGHT if k in mark.answer else DIM for k in range(len(x))]
        data = [dict(type="bar", x=x, y=theme.f32(y), name=mark.y_title,
                     marker=dict(color=colours), showlegend=False)]  # fmt: skip
        # the answer again as its own trace, so the legend and a test can name it
        data.append(dict(type="bar", x=shown, y=[y[k] for k in mark.answer], name="answer",
                         marker=dict(color=BRIGHT)))  # fmt: skip
    shapes = []
    if mark.ref is not None:
        shapes.append(dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=mark.ref,
                           y1=mark.ref, line=dict(color=theme.TEXT, dash="dot")))  # fmt: skip
    yaxis: dict = dict(title=dict(text=mark.y_title, font=dict(size=14)), automargin=True)
    if mark.log:
        finite = y[np.isfinite(y) & (y > 0)]
        lo = min(float(finite.min()) if finite.size else 1e-3, mark.ref or np.inf)
        hi = max(float(finite.max()) if finite.size else 1.0, mark.ref or 0)
        yaxis = dict(yaxis, **theme.log_axis(lo, hi, pad=0.3))
    layout = dict(
        title=dict(text=mark.title, font=dict(size=16)),
        height=HEIGHT,
        margin=dict(t=50, b=50, l=70, r=20),
        barmode="overlay",
        showlegend=False,
        # a curve runs over steps (a number axis); bars are named categories
        xaxis=dict(type="linear", title=dict(text="step t", font=dict(size=14)), nticks=6)
        if mark.curve
        else dict(type="category", automargin=True, tickfont=dict(size=13)),
        yaxis=yaxis,
        shapes=shapes,
    )
    return theme.figure(data, layout)


def on_figure(mark: Mark) -> dict:
    """The answer as a ring on a page's own figure whose x axis is the mark's index (a step on
    the gradient curves, a unit on the keep bars): one trace named "answer" to add to it. A
    value a log axis cannot show (inf, NaN, not above zero) gets no ring."""
    shown = [int(k) for k in mark.answer if math.isfinite(mark.values[k])]
    if mark.log:
        shown = [k for k in shown if mark.values[k] > 0]
    ring = dict(size=22, color="rgba(0,0,0,0)", line=dict(color=BRIGHT, width=4))
    return dict(type="scatter", x=shown, y=[float(mark.values[k]) for k in shown],
                mode="markers", name="answer", marker=ring, showlegend=False,
                hoverinfo="skip")  # fmt: skip


def reveal_alt(mark: Mark) -> Alt:
    shown = ", ".join(mark.labels[k] for k in mark.answer) or "none of them"
    top = ", ".join(f"{mark.labels[k]} {fmt(mark.values[k])}" for k in mark.answer)
    text = f"{mark.title}: the answer, {shown}, is marked in orange ({top or 'no value'})."
    return Alt(mark.title, text, {"label": list(mark.labels), mark.y_title: column(mark.values)})
