"""Gate figures shared by the LSTM and GRU pages, written once and parametrised by gate names.

The LSTM's cell-state figures are in ``figures.lstm``, the GRU's in ``figures.gru``.

Every builder returns a plain JSON dict (``theme.figure``): building plotly objects cost
20-110 ms a figure on every rerun; the tests validate the dicts instead. Rows of subplots are
laid out by hand (``theme.shared_x_rows``) as ``make_subplots`` did.

Gate values in [0, 1] use the sequential map (zmin 0, zmax 1), signed values the diverging map
centred at 0; each gate keeps its colour from ``theme.COLOURS``. Animated figures carry only
what moves per frame (the step-t highlight and small per-step vectors); big arrays go out as
float32 typed arrays (base64 in the JSON, about 5.3 bytes a value).

References: Karpathy, Johnson & Fei-Fei 2015, "Visualizing and understanding recurrent
networks" (arXiv:1506.02078; gate saturation); Jozefowicz, Zaremba & Sutskever 2015, "An
empirical exploration of recurrent network architectures" (forget-gate bias 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, finite_mean, fmt
from explainer.trace import Trace

SIGMOID_GATES = ("i", "f", "o", "r", "z")  # in [0, 1]; g and n are tanh candidates
LEFT, RIGHT = 0.1, 0.9  # saturation thresholds of Karpathy et al. 2015
SATURATING = {"lstm": ("i", "f", "o"), "gru": ("r", "z")}
SYMBOLS = {"i": "circle", "f": "square", "o": "diamond", "r": "circle", "z": "square"}
MAX_TICKS = 48  # character labels on a time axis before they are thinned
RING = dict(color="rgba(0,0,0,0)", line=dict(color=theme.TEXT, width=3))
TOP_LEGEND = dict(orientation="h", y=1.0, yanchor="bottom", x=0)


def num(v: float) -> float | None:
    """One number for a frame (plain JSON, 4 decimals); None if not finite."""
    return round(float(v), 4) if math.isfinite(v) else None


def panels(tr: Trace) -> list[tuple[str, np.ndarray]]:
    """(name, (T, H) values): the cell's gates in PyTorch's order, then c_t (LSTM) and h_t."""
    out = [(k, tr.gates[k]) for k in tr.gates]
    if tr.c is not None:
        out.append(("c", tr.c[1:]))
    return out + [("h", tr.h[1:])]


def frame_names(labels) -> list[str]:
    """Unique frame names that read well: '5 · c' (step, then its input)."""
    return [f"{t} · {lab}" for t, lab in enumerate(labels, 1)]


def time_ticks(labels, most: int = MAX_TICKS) -> dict:
    """x-axis ticks showing the input at each step; step numbers when T is longer than
    ``most`` (every k-th character would read as nonsense)."""
    if len(labels) > most:
        return dict(tickmode="auto", title=dict(text="step t"))
    steps = list(range(1, len(labels) + 1))
    return dict(
        tickmode="array", tickvals=steps, ticktext=list(labels), tickangle=0, tickfont=dict(size=15)
    )


def highlight(t: int, colour: str = theme.TEXT, xref: str = "x") -> dict:
    """The column of step t, drawn through every row of a figure (of the column of panels
    whose x axis is ``xref``)."""
    line = dict(color=colour, width=3)
    return dict(type="rect", xref=xref, yref="paper", y0=0, y1=1, x0=t - 0.5, x1=t + 0.5, line=line)


def animate(data: list[dict], layout: dict, labels, t: int, frame: Callable[[int], dict]) -> dict:
    """The figure with one frame per step (``frame(s)`` gives its dict: only what moves),
    opened at step t (``theme.player``)."""
    names = frame_names(labels)
    frames = [dict(name=name, **frame(s)) for s, name in enumerate(names, 1)]
    # frames carry shapes and scatter/bar data, which plotly moves without a full redraw;
    # redrawing six 64 x 500 heatmaps per frame drops playback below 2 frames a second
    player = theme.player(names, active=t - 1, redraw=False)
    return theme.figure(data, {**layout, **player}, frames)


def colour_axis(name: str) -> str:
    """Gates share 0..1 (sequential); g, n, h share -1..1; c gets ±max|c| (diverging)."""
    if name in SIGMOID_GATES:
        return "coloraxis"
    return "coloraxis3" if name == "c" else "coloraxis2"


def natural_height(tr: Trace) -> int:
    """Height (px) of the heatmaps in one column: 125 px a panel and room for the axes."""
    return 125 * len(panels(tr)) + 200


def gate_heatmaps(tr: Trace, labels, t: int, height: int | None = None) -> dict:
    """Small multiples, units x time, one row per gate (then c and h), step t highlighted;
    ``height`` (px) below the natural one puts them in two columns (a projector's screen).

    Frames move only the highlight, so the JSON grows with T*H (not T*T*H).
    """
    rows = panels(tr)
    n = len(rows)
    if height is not None and height < natural_height(tr):
        return _gate_grid(tr, labels, t, rows, height)
    domains = theme.stacked([1] * n, gap=0.3 / n)
    data = [
        dict(
            type="heatmap",
            z=theme.f32(v.T),  # (H, T)
            x0=1,
            dx=1,
            y0=0,
            dy=1,
            coloraxis=colour_axis(k),
            hovertemplate=f"{k} = %{{z:.3f}}<br>step %{{x}}, unit %{{y}}<extra></extra>",
            xaxis=theme.axis_ref("x", row),
            yaxis=theme.axis_ref("y", row),
        )
        for row, (k, v) in enumerate(rows, 1)
    ]
    layout = dict(
        height=natural_height(tr),
        margin=dict(l=80, r=90, t=50, b=80),
        annotations=[
            theme.panel_title(theme.GATE_NAMES[k], [0.0, 1.0], top, color=theme.COLOURS[k])
            for (k, _), (_, top) in zip(rows, domains, strict=True)
        ],
        shapes=[highlight(t)],
        **theme.shared_x_rows(domains),
        **_colour_axes([k for k, _ in rows], tr.c, domains),
    )
    layout[theme.axis_key("y", (n + 1) // 2)]["title"] = dict(text="units")
    layout[theme.axis_key("x", n)].update(time_ticks(labels))
    return animate(data, layout, labels, t, lambda s: dict(layout=dict(shapes=[highlight(s)])))


def _gate_grid(tr: Trace, labels, t: int, rows: list, height: int) -> dict:
    """The same heatmaps in two columns (i f / g o / c h; r z / n h), each column over its
    own step axis, for a short screen."""
    n = len(rows)
    per_column = -(-n // 2)
    ys = theme.stacked([1] * per_column, gap=0.4 / per_column)
    xs = [[0.0, 0.45], [0.55, 1.0]]
    place = [(k // 2, k % 2) for k in range(n)]  # (row, column), row by row
    data, layout, titles = [], {}, []
    for k, ((name, v), (r, col)) in enumerate(zip(rows, place, strict=True), 1):
        data.append(dict(type="heatmap", z=theme.f32(v.T), x0=1, dx=1, y0=0, dy=1,
                         coloraxis=colour_axis(name), xaxis=theme.axis_ref("x", k),
                         yaxis=theme.axis_ref("y", k),
                         hovertemplate=f"{name} = %{{z:.3f}}<br>step %{{x}}, unit %{{y}}"
                         "<extra></extra>"))  # fmt: skip
        bottom = max(i for i, (_, c) in enumerate(place, 1) if c == col)
        x = dict(anchor=theme.axis_ref("y", k), domain=xs[col])
        if k != bottom:
            x.update(matches=theme.axis_ref("x", bottom), showticklabels=False)
        else:  # a half-width axis holds half as many characters
            x.update(time_ticks(labels, MAX_TICKS // 2))
        layout[theme.axis_key("x", k)] = x
        layout[theme.axis_key("y", k)] = dict(anchor=theme.axis_ref("x", k), domain=ys[r])
        titles.append(theme.panel_title(theme.GATE_NAMES[name], xs[col], ys[r][1],
                                        color=theme.COLOURS[name]))  # fmt: skip
    colour_domains = [ys[r] for r, _ in place]
    layout.update(
        height=height, margin=dict(l=60, r=90, t=40, b=60), annotations=titles,
        shapes=[highlight(t), highlight(t, xref="x2")],
        **_colour_axes([k for k, _ in rows], tr.c, colour_domains),
    )  # fmt: skip
    layout["yaxis"]["title"] = dict(text="units")
    for axis in ("coloraxis", "coloraxis2", "coloraxis3"):  # a bar as tall as its row
        if axis in layout:
            bar = layout[axis]["colorbar"]
            layout[axis] = {**layout[axis], "colorbar": {**bar, "len": ys[0][1] - ys[0][0],
                            "nticks": 3, "title": dict(bar["title"], side="right")}}  # fmt: skip

    def frame(s: int) -> dict:
        return dict(layout=dict(shapes=[highlight(s), highlight(s, xref="x2")]))

    return animate(data, layout, labels, t, frame)


def _colour_axes(names: list[str], c, domains: list[list[float]]) -> dict:
    """One colour axis per scale, its bar beside the first row that uses it."""
    c_max = float(np.max(np.abs(c[np.isfinite(c)]), initial=1e-6)) if c is not None else 1.0
    scales = {
        "coloraxis": ("gate", dict(colorscale=theme.SEQUENTIAL, cmin=0, cmax=1)),
        "coloraxis2": ("value", dict(colorscale=theme.DIVERGING, cmin=-1, cmax=1, cmid=0)),
        "coloraxis3": ("c", dict(colorscale=theme.DIVERGING, cmin=-c_max, cmax=c_max, cmid=0)),
    }
    axes = [colour_axis(k) for k in names]
    out = {}
    for axis, (title, spec) in scales.items():
        if axis in axes:
            y0, y1 = domains[axes.index(axis)]
            bar = dict(
                title=dict(text=title), y=(y0 + y1) / 2, len=1.6 / len(names), thickness=14, x=1.02
            )
            out[axis] = dict(spec, colorbar=bar)
    return out


def saturation(gates: dict, names) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per unit, the share of steps a gate is left-saturated (< 0.1) and right-saturated (> 0.9)."""
    return {k: ((gates[k] < LEFT).mean(axis=0), (gates[k] > RIGHT).mean(axis=0)) for k in names}


def saturation_figure(tr: Trace, j: int) -> dict:
    """Karpathy et al.'s saturation plot: one marker per unit and gate; unit j ringed."""
    names = SATURATING[tr.kind]
    axis = dict(range=[-0.03, 1.03], tickformat=".0%")
    layout = dict(
        title=dict(text="How often is each gate shut or open?"),
        height=560,
        xaxis=dict(axis, title=dict(text="steps with gate < 0.1 (shut)")),
        yaxis=dict(axis, title=dict(text="steps with gate > 0.9 (open)")),
        legend=TOP_LEGEND,
        margin=dict(t=110),
    )
    # no unit can be shut and open for more than all of the steps
    edge = dict(mode="lines", line=dict(color=theme.GRID, dash="dot"), hoverinfo="skip")
    data = [dict(type="scatter", x=[0, 1], y=[1, 0], showlegend=False, **edge)]
    ring = dict(mode="markers", marker=dict(RING, size=28), legendgroup="j", hoverinfo="skip")
    for k, (left, right) in saturation(tr.gates, names).items():
        data.append(
            dict(
                type="scatter",
                x=theme.f32(left),
                y=theme.f32(right),
                mode="markers",
                name=f"gate {k}",
                marker=dict(color=theme.COLOURS[k], symbol=SYMBOLS[k], size=14, opacity=0.85),
                customdata=np.arange(tr.H),
                hovertemplate=f"{k}, unit %{{customdata}}: shut %{{x:.0%}}, open %{{y:.0%}}"
                "<extra></extra>",
            )
        )
        mine = dict(x=[num(left[j])], y=[num(right[j])], name=f"unit j = {j}")
        data.append(dict(type="scatter", **mine, showlegend=k == names[0], **ring))
    return theme.figure(data, layout)


def gate_heatmaps_alt(tr: Trace, labels, t: int) -> Alt:
    """The heatmaps in words (each panel's mean at step t), and every unit's values at t."""
    names = panels(tr)
    means = ", ".join(f"{theme.GATE_NAMES[k]} {fmt(finite_mean(v[t - 1]))}" for k, v in names)
    text = (
        f"{len(names)} heatmaps of {tr.H} units over {tr.T} steps: "
        f"{', '.join(theme.GATE_NAMES[k] for k, _ in names)}. At step {t} (input {labels[t - 1]}) "
        f"the means over the units are: {means}."
    )
    table = {"unit": list(range(tr.H))}
    table |= {f"{k} at step {t}": column(v[t - 1]) for k, v in names}
    return Alt(f"every gate at step {t}", text, table)


def saturation_alt(tr: Trace, j: int) -> Alt:
    """Each gate's share of shut and open steps per unit, in words and as a table."""
    sat = saturation(tr.gates, SATURATING[tr.kind])
    parts = []
    for k, (shut, open_) in sat.items():
        parts.append(
            f"gate {k}: on average shut {shut.mean():.0%} and open {open_.mean():.0%} of the "
            f"steps (unit {j}: shut {shut[j]:.0%}, open {open_[j]:.0%})"
        )
    text = (
        f"Scatter of {tr.H} units per gate, steps with the gate below 0.1 (shut) against steps "
        f"above 0.9 (open) over {tr.T} steps; " + "; ".join(parts) + "."
    )
    table = {"unit": list(range(tr.H))}
    for k, (shut, open_) in sat.items():
        table[f"{k} shut (share of steps)"] = column(shut)
        table[f"{k} open (share of steps)"] = column(open_)
    return Alt("gate saturation per unit", text, table)
