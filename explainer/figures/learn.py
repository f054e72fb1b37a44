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
UNROLLED_HEATMAP = 3  # the unrolled figure's memory heatmap is its third subplot (x3, y3)


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


def on_figure(mark: Mark, at_step: int | None = None) -> dict:
    """The answer as rings on a page's own figure: one trace named "answer" to add to it. The
    x of a ring is the mark's index (a step on the gradient curves, a unit on the keep bars),
    or ``at_step`` for every answer (the compare page's curves, one per cell, at t = 0). A
    value a log axis cannot show (inf, NaN, not above zero) gets no ring."""
    shown = [int(k) for k in mark.answer if math.isfinite(mark.values[k])]
    if mark.log:
        shown = [k for k in shown if mark.values[k] > 0]
    ring = dict(size=22, color="rgba(0,0,0,0)", line=dict(color=BRIGHT, width=4))
    x = shown if at_step is None else [at_step] * len(shown)
    return dict(type="scatter", x=x, y=[float(mark.values[k]) for k in shown],
                mode="markers", name="answer", marker=ring, showlegend=False,
                hoverinfo="skip")  # fmt: skip


def on_rows(mark: Mark, T: int, panel: int) -> dict:
    """The answer's units outlined as whole rows of heatmap ``panel`` (1-based subplot, rows at
    y = unit, columns at steps 1..T): one trace named "answer"."""
    return _boxes([(0.5, T + 0.5, u - 0.5, u + 0.5) for u in mark.answer], panel)


def on_cells(mark: Mark, unit: int, panel: int) -> dict:
    """The answer's steps (index k is step k + 1) outlined as cells of unit ``unit``'s row in
    heatmap ``panel``: one trace named "answer"."""
    return _boxes([(k + 0.5, k + 1.5, unit - 0.5, unit + 0.5) for k in mark.answer], panel)


def _boxes(boxes: list[tuple[float, float, float, float]], panel: int) -> dict:
    x: list = []
    y: list = []
    for x0, x1, y0, y1 in boxes:  # a closed outline per box, None between them
        x += [x0, x1, x1, x0, x0, None]
        y += [y0, y0, y1, y1, y0, None]
    return dict(type="scatter", x=x, y=y, mode="lines", name="answer", showlegend=False,
                line=dict(color=BRIGHT, width=3), hoverinfo="skip",
                xaxis=theme.axis_ref("x", panel), yaxis=theme.axis_ref("y", panel))  # fmt: skip


def reveal_alt(mark: Mark) -> Alt:
    shown = ", ".join(mark.labels[k] for k in mark.answer) or "none of them"
    top = ", ".join(f"{mark.labels[k]} {fmt(mark.values[k])}" for k in mark.answer)
    text = f"{mark.title}: the answer, {shown}, is marked in orange ({top or 'no value'})."
    return Alt(mark.title, text, {"label": list(mark.labels), mark.y_title: column(mark.values)})
