"""The unrolled network in one animated figure: the chain of cells over a window of steps, the
readout's guesses at step t, every hidden state as a units x time heatmap, and h_t as bars.

One figure, one frame per step: the page's time cursor moves every panel together. The boxes
and arrows of a window of W = 12 cells are drawn once; a frame sends only the few dozen labels
printed on that window, the two highlights, the readout at t and the H values of h_t (float32),
so the JSON grows linearly in T*H. The heatmap is sent once.

The figure is a plain dict (``theme.figure``): plotly validates each ``go.Frame`` (about 1 ms)
and deep-copies it again on export, which would cost over a second at T = 500 on every rerun.
The tests validate it instead.

Drawn like Olah's "Understanding LSTM Networks" (2015): x_t below each cell, h_t above it, the
recurrent arrow h_{t-1} -> cell_t between neighbours, the LSTM's cell-state line along the top.
"""

from __future__ import annotations

import numpy as np

from explainer.chareval import softmax
from explainer.figures import theme
from explainer.figures.alt import Alt, column, extreme, fmt
from explainer.figures.screens import UNROLLED_DEFAULT, UnrolledFit

WINDOW = 12  # cells drawn at once; longer sequences scroll
TOP_K = 5  # readout guesses listed at step t
HALF = 0.36  # half width of a cell box (steps are 1 apart)
# heights in the diagram's units: step number, input, cell box, hidden-state box, guess, top
Y = dict(step=-0.2, x=0.8, cell=(2.0, 4.4), h=(5.2, 6.6), guess=7.8, top=8.9)
X_RANGE = (-1.3, 1.1)  # the chain's x axis runs from X_RANGE[0] to W - 1 + X_RANGE[1]
# paper domains (x, y) of the panels: the chain across the top, the rest side by side below it
DOMAIN = dict(
    chain=((0.0, 1.0), (0.56, 1.0)),
    heatmap=((0.0, 0.58), (0.0, 0.4)),
    bars=((0.67, 0.79), (0.0, 0.4)),
    readout=((0.89, 1.0), (0.0, 0.4)),
)
# a short screen: the chain takes half the height
COMPACT = dict(DOMAIN, chain=((0.0, 1.0), (0.47, 1.0)))
for _panel in ("heatmap", "bars", "readout"):
    COMPACT[_panel] = (DOMAIN[_panel][0], (0.0, 0.33))
# a phone: the chain, the heatmap across the whole width, then h_t and the readout side by side
STACKED = dict(
    chain=((0.0, 1.0), (0.66, 1.0)),
    heatmap=((0.0, 0.86), (0.33, 0.57)),
    bars=((0.0, 0.3), (0.0, 0.24)),
    readout=((0.62, 1.0), (0.0, 0.24)),
)
ROW_NAMES = ["1st", "2nd", "3rd", "4th", "5th", "true next"]
HIGHLIGHT = theme.COLOURS["accent"]
PLAIN = dict(type="scatter", xaxis="x", yaxis="y", hoverinfo="skip", showlegend=False)


def all_steps(scene) -> str:
    """The chain's caption when every step fits, counted from the data: a text or a list of
    n items is read in n - 1 steps (each step's target is the next item)."""
    T = scene.trace.T
    noun = {"text": "characters", "numbers": "values", "sine": "values"}.get(scene.cfg.source)
    if noun is None:  # adding, copy: one input per step, the targets come apart
        return f"all {T} steps"
    return f"all {T} steps: {T + 1} {noun}, the last one only predicted"


def window_start(t: int, T: int, width: int = WINDOW) -> int:
    """First step of the window of ``width`` cells drawn around step t (1-based)."""
    return int(min(max(t - width // 2, 1), max(T - width + 1, 1)))


def shorts(values) -> list[str]:
    """Values printed on the figure: two decimals, huge ones in powers of ten, overflow named."""
    out = []
    for v in np.asarray(values, dtype=float).ravel().tolist():  # python floats format fast
        if abs(v) < 1e3:
            out.append(f"{v:.2f}")
        elif v != v:
            out.append("NaN")
        elif abs(v) == np.inf:
            out.append("+∞" if v > 0 else "−∞")
        else:
            out.append(f"{v:.0e}")
    return out


def finite(values) -> list:
    """Values for a JSON list: 4 decimals, None (a gap) for inf/NaN."""
    a = np.round(np.asarray(values, dtype=float), 4)
    return np.where(np.isfinite(a), a, None).tolist()


def readout_rows(scene) -> dict:
    """What the readout panel shows at each step.

    Text and copy (cross-entropy): the top-5 guesses with their probabilities, then the true next
    symbol; ``value`` (T, 6), ``name`` (T, 6), ``hit`` (T, 6) marks the true one. Numbers, sine,
    adding (squared error): the prediction and the target, ``value`` (T, 2).
    """
    seq, y = scene.seq, scene.trace.y  # y: (T, O)
    T = y.shape[0]
    if seq.loss == "xent":
        p = np.nan_to_num(softmax(y), nan=0.0)  # (T, O)
        order = np.argsort(-p, axis=1, kind="stable")[:, : min(TOP_K, p.shape[1])]  # (T, k)
        true = np.asarray(seq.target).reshape(T)  # (T,)
        ids = np.concatenate([order, true[:, None]], axis=1)  # (T, k+1)
        names = np.asarray(seq.output_labels, dtype=object)[ids]
        return dict(
            value=np.take_along_axis(p, ids, axis=1),
            name=names,
            hit=ids == true[:, None],
            guess=names[:, 0],
        )
    target = np.asarray(seq.target, dtype=float).reshape(-1)
    target = np.full(T, target[-1]) if seq.where == "last" else target[:T]
    return dict(
        value=np.stack([y[:, 0], target], axis=1),  # (T, 2)
        name=None,
        hit=None,
        guess=np.array(shorts(y[:, 0]), dtype=object),
    )


def symmetric_range(a: np.ndarray, floor: float = 1.0) -> list[float]:
    """[-m, m] covering every finite value (at least ``floor``), so bars never jump."""
    finite = np.abs(a[np.isfinite(a)])
    m = float(max(floor, finite.max() if finite.size else floor)) * 1.05
    return [-m, m]


def box(x0: float, x1: float, y0: float, y1: float) -> dict:
    """A closed rectangle as scatter coordinates."""
    return dict(x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0])


def chain_drawing(W: int, kind: str, to_guess: bool = True) -> list[dict]:
    """Boxes and arrows of W cells (cell k at x = k), as a few scatter traces: plotly redraws
    every shape and annotation on every frame, which made playback crawl. ``to_guess=False``
    leaves out the arrows from h_t up to the guesses (no room on a short screen)."""
    lo, hi = Y["cell"]
    lines = [((lo + hi) / 2, theme.COLOURS["h"])]
    if kind == "lstm":  # h enters low, the cell state c runs along the top
        lines = [(lo + 0.6, theme.COLOURS["h"]), (hi - 0.6, theme.COLOURS["c"])]
    arrows: dict[str, list] = {}  # colour -> [(x0, y0, x1, y1), ...]
    for k in range(W):
        ups = [(Y["x"] + 0.5, lo), (hi, Y["h"][0])] + [(Y["h"][1], Y["guess"] - 0.5)] * to_guess
        for y0, y1 in ups:
            arrows.setdefault(theme.MUTED, []).append((k, y0, k, y1))  # x -> cell -> h -> guess
        for y, colour in lines:  # h_{t-1} (and c_{t-1}) -> cell_t, also into the first cell
            arrows.setdefault(colour, []).append((k - 1 + HALF + 0.04, y, k - HALF, y))
    for y, colour in lines:  # and on to the steps after the window
        arrows[colour].append((W - 1 + HALF, y, W - 1 + HALF + 0.3, y))

    def boxes(y0: float, y1: float) -> dict:
        xs, ys = [], []
        for k in range(W):
            b = box(k - HALF, k + HALF, y0, y1)
            xs += b["x"] + [None]
            ys += b["y"] + [None]
        return dict(x=xs, y=ys)

    traces = [
        dict(PLAIN, **boxes(lo, hi), mode="lines", fill="toself", fillcolor=theme.PANEL,
             line=dict(color=theme.MUTED, width=2)),
        dict(PLAIN, **boxes(*Y["h"]), mode="lines", line=dict(color=theme.COLOURS["h"], width=2)),
    ]  # fmt: skip
    for colour, segments in arrows.items():
        xs, ys, heads = [], [], []
        for x0, y0, x1, y1 in segments:
            up = x0 == x1
            x1, y1 = (x1, y1 - 0.1) if up else (x1 - 0.06, y1)  # the head's tip meets the box
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            heads.append((x1, y1, "triangle-up" if up else "triangle-right"))
        hx, hy, symbols = (list(v) for v in zip(*heads, strict=True))
        traces.append(dict(PLAIN, x=xs, y=ys, mode="lines", line=dict(color=colour, width=2.5)))
        traces.append(dict(PLAIN, x=hx, y=hy, mode="markers",
                           marker=dict(color=colour, size=11, symbol=symbols)))  # fmt: skip
    return traces


def chain_labels(
    scene, ro: dict, j: int, cell_state: bool = True, compact: bool = False
) -> tuple[np.ndarray, list]:
    """What is printed on the chain at each step, (T, rows) strings, and each row's
    (height, font size, colour): step number, input, h_t of unit j, top guess (and c_t, unless
    ``cell_state`` is False: a phone has no room for it). ``compact`` (a short screen): no
    step numbers (the highlight and the heatmap's axis say the step), smaller letters."""
    tr, seq = scene.trace, scene.seq
    widest = max(len(label) for label in seq.labels)
    input_size = 26 if widest <= 2 else (20 if widest <= 4 else 16)  # numbers need room
    rows = [
        ([f"t={k}" for k in range(1, tr.T + 1)], (Y["step"], 14, theme.MUTED)),
        (seq.labels, (Y["x"], min(input_size, 20) if compact else input_size, theme.TEXT)),
        (shorts(tr.h[1:, j]), (sum(Y["h"]) / 2, 15, theme.TEXT)),
        (ro["guess"], (Y["guess"], 17 if compact else 20, theme.COLOURS["g"])),
    ]
    if tr.c is not None and cell_state:  # the cell state of unit j, inside the top of each cell
        rows.append((shorts(tr.c[1:, j]), (Y["cell"][1] - 0.3, 14, theme.COLOURS["c"])))
    if compact:
        rows = rows[1:]
    text = np.array([list(r) for r, _ in rows], dtype=object).T  # (T, rows)
    return text, [style for _, style in rows]


def chain_text_trace(
    W: int, styles: list[tuple], text: list[str], slots: int = WINDOW, caption_y: float = Y["top"]
) -> dict:
    """One text trace for the whole window: rows x slots, then the window's edges and caption
    (centred on the ``slots`` cells the chain has room for, at height ``caption_y``)."""
    heights, sizes, colours = zip(*styles, strict=True)
    mid = sum(Y["cell"]) / 2
    return dict(
        PLAIN, mode="text", text=text,
        x=np.tile(np.arange(W), len(styles)).tolist()
        + [X_RANGE[0] + 0.35, W - 0.2, (slots - 1) / 2],
        y=np.repeat(heights, W).tolist() + [mid, mid, caption_y],
        textfont=dict(size=np.repeat(sizes, W).tolist() + [18, 18, 18],
                      color=np.repeat(colours, W).tolist() + [theme.MUTED] * 3),
    )  # fmt: skip


def readout_frames(ro: dict) -> list[dict]:
    """The readout bars at each step: values, their labels and (for symbols) which is true."""
    value = ro["value"]  # (T, rows)
    bars, text = finite(value), np.reshape(shorts(value), value.shape).tolist()
    if ro["name"] is None:  # upright bars: prediction and target
        return [dict(y=b, text=s) for b, s in zip(bars, text, strict=True)]
    pct = [f"{p:.0%}" for p in value.ravel().tolist()]
    names = [f"{n}  {p}" for n, p in zip(ro["name"].ravel().tolist(), pct, strict=True)]
    names = np.reshape(np.array(names, dtype=object), value.shape).tolist()
    colours = np.where(ro["hit"], theme.COLOURS["g"], theme.COLOURS["i"]).tolist()
    return [
        dict(x=b, text=n, marker=dict(color=c))
        for b, n, c in zip(bars, names, colours, strict=True)
    ]


def readout_trace(first: dict) -> dict:
    """Bars of the readout at step t: across for symbols, upright for predicted values."""
    across = "x" in first
    rows = list(range(len(first["x" if across else "y"])))
    return dict(
        PLAIN, type="bar", xaxis="x2", yaxis="y2", orientation="h" if across else "v",
        **{"marker": dict(color=[theme.COLOURS["i"], theme.COLOURS["g"]]), **first},
        **({"y": rows[::-1]} if across else {"x": rows}),
        # constraintext none: plotly shrank the labels to ~10 px to fit beside short bars
        textposition="outside", cliponaxis=False, textfont=dict(size=17), constraintext="none",
    )  # fmt: skip


def unrolled_figure(scene, t: int, j: int, fit: UnrolledFit | None = None) -> dict:
    """The unrolled network opening at step t (1..T), with unit j's numbers on the chain, drawn
    for one screen (``fit``; by default 12 cells, the panels side by side).

    Traces: heatmap, unit j's row, the chain's boxes and arrows (static), then the animated
    ones: chain highlight, chain labels, readout bars, heatmap column, bars of h_t.
    """
    fit = fit or UNROLLED_DEFAULT
    tr = scene.trace
    T, H = tr.T, tr.H
    W = min(fit.window, T)
    domain = STACKED if fit.stacked else COMPACT if fit.compact else DOMAIN
    ro = readout_rows(scene)
    labels, styles = chain_labels(scene, ro, j, fit.cell_state, fit.compact)
    readouts = readout_frames(ro)
    bars = theme.f32(tr.h)  # bars[k]: h_k
    # the step's box: down to its number, or (compact) to its input, above the caption
    bottom = Y["x"] - 0.5 if fit.compact else Y["step"] - 0.5

    def frame(k: int) -> list[dict]:
        """Everything that changes at step k, one dict per animated trace."""
        s = window_start(k, T, W)
        edges = [
            "h<sub>0</sub>" if s == 1 else "⋯",
            "⋯" if s + W - 1 < T else "",
            f"steps {s}–{s + W - 1} of {T}" if W < T else all_steps(scene),
        ]
        return [
            box(k - s - 0.45, k - s + 0.45, bottom, Y["guess"] + 0.5),
            dict(text=labels[s - 1 : s - 1 + W].T.ravel().tolist() + edges),
            readouts[k - 1],
            box(k - 0.5, k + 0.5, -0.5, H - 0.5),
            dict(x=bars[k]),
        ]

    first = frame(t)
    heatmap = dict(
        type="heatmap", z=theme.f32(tr.h[1:].T), x=list(range(1, T + 1)), y=list(range(H)),
        xaxis="x3", yaxis="y3", colorscale=theme.DIVERGING, zmid=0,
        colorbar=dict(title=dict(text="h", side="right" if fit.compact else "top"),
                      x=domain["heatmap"][0][1] + 0.01,
                      xanchor="left", y=domain["heatmap"][1][0], yanchor="bottom",
                      len=domain["heatmap"][1][1] - domain["heatmap"][1][0], thickness=14),
        hovertemplate="step %{x}, unit %{y}<br>h = %{z:.3f}<extra></extra>",
    )  # fmt: skip
    unit_row = dict(PLAIN, **box(0.5, T + 0.5, j - 0.5, j + 0.5), mode="lines", xaxis="x3",
                    yaxis="y3", line=dict(color=theme.MUTED, width=1, dash="dot"))  # fmt: skip
    static = [heatmap, unit_row, *chain_drawing(W, tr.kind, not fit.compact)]
    animated = [
        dict(PLAIN, **first[0], mode="lines", fill="toself", fillcolor="rgba(240,228,66,0.12)",
             line=dict(color=HIGHLIGHT, width=2)),
        chain_text_trace(W, styles, first[1]["text"], fit.window,
                         Y["step"] - 0.5 if fit.compact else Y["top"]),
        readout_trace(first[2]),
        dict(PLAIN, **first[3], mode="lines", xaxis="x3", yaxis="y3",
             line=dict(color=HIGHLIGHT, width=3)),
        dict(type="bar", **first[4], y=list(range(H)), orientation="h", xaxis="x4", yaxis="y4",
             marker=dict(color=[HIGHLIGHT if u == j else theme.COLOURS["h"] for u in range(H)]),
             hovertemplate="unit %{y}: h = %{x:.3f}<extra></extra>", showlegend=False),
    ]  # fmt: skip
    indices = list(range(len(static), len(static) + len(animated)))
    frames = [dict(name=str(k), data=frame(k), traces=indices) for k in range(1, T + 1)]
    layout = {**chain_layout(scene, ro, fit, j), **player(T, t)}
    return theme.figure(static + animated, layout, frames)


def player(T: int, t: int) -> dict:
    """The theme's player entries for T frames, opening at step t."""
    return theme.player([str(k) for k in range(1, T + 1)], active=t - 1)


def chain_layout(scene, ro: dict, fit: UnrolledFit, j: int) -> dict:
    """Axes of the four panels; every range is fixed so nothing jumps during playback."""
    tr, seq = scene.trace, scene.seq
    domain = STACKED if fit.stacked else COMPACT if fit.compact else DOMAIN
    # a compact chain ends just above the guesses: its caption sits where the step numbers were
    chain_range = [Y["step"] - 0.6, Y["top"] + 0.4]
    if fit.compact:
        chain_range = [Y["step"] - 1.0, Y["guess"] + 0.6]
    T, H = tr.T, tr.H
    xent = seq.loss == "xent"
    muted = dict(color=theme.MUTED, size=16)
    if xent:  # room for the best guess of any step and its label
        top = min(1.0, float(np.max(ro["value"], initial=0.0)))
        n = ro["value"].shape[1]
        names = ROW_NAMES[: n - 1] + [ROW_NAMES[-1]]
        readout_x = dict(range=[0, top * 1.8 + 0.02], tickformat=".0%", nticks=3)
        readout_y = dict(range=[-0.6, n - 0.4], tickvals=list(range(n))[::-1], ticktext=names)
        shown = list(range(1, T + 1, -(-T // 48)))  # the characters read, at most 48
        steps_x = dict(tickvals=shown, ticktext=[seq.labels[k - 1] for k in shown],
                       tickfont=dict(color=theme.MUTED, size=14))  # fmt: skip
    else:
        names = ["ŷ<sub>t</sub>", "target at T" if seq.where == "last" else "target"]
        readout_x = dict(range=[-0.6, 1.6], tickvals=[0, 1], ticktext=names)
        readout_y = dict(range=[1.3 * v for v in symmetric_range(ro["value"])], nticks=4)
        steps_x = dict(nticks=10, tickfont=muted, tickformat="d")
        if T <= 20:  # whole steps only
            steps_x.update(tickvals=list(range(1, T + 1)), nticks=None)
    titles = [
        # a phone's narrow chain: the short title
        (
            "chain",
            "the same cell at every step"
            if fit.stacked
            else f"the same {theme.CELL_NAMES[tr.kind]} cell at every step",
        ),
        ("readout", "readout at t" if fit.short else "readout at step t"),
        ("heatmap", "memory: h<sub>t</sub> of every unit" + ("" if fit.short else " at each step")),
        ("bars", "h<sub>t</sub> at t" if fit.short else "h<sub>t</sub> at step t"),
    ]
    if not xent:
        titles[1] = ("readout", "prediction at t")
    annotations = [
        # the readout's title ends at the chart's right edge (centred, it ran past it)
        dict(text=text, x=domain[panel][0][1] if panel == "readout" else sum(domain[panel][0]) / 2,
             y=domain[panel][1][1] + 0.01, xref="paper", yref="paper",
             xanchor="right" if panel == "readout" else "center", yanchor="bottom",
             showarrow=False, font=dict(size=20))
        for panel, text in titles
    ]  # fmt: skip
    rows_y = [Y["x"], sum(Y["cell"]) / 2, sum(Y["h"]) / 2, Y["guess"]]
    rows_text = ["input x<sub>t</sub>", "cell", f"h<sub>t</sub> unit {j}", "top guess"]
    if tr.c is not None and fit.cell_state:  # the cell state's values sit in each cell's top
        rows_y.append(Y["cell"][1] - 0.3)
        rows_text.append(f"<span style='color:{theme.COLOURS['c']}'>c<sub>t</sub> unit {j}</span>")
    return dict(
        height=fit.height, bargap=0.25, showlegend=False,
        margin=dict(l=fit.left, r=30, t=50, b=70), annotations=annotations,
        # room for a full window even when T < 12, so cells keep their size
        xaxis=dict(domain=domain["chain"][0], anchor="y", visible=False,
                   range=[X_RANGE[0], fit.window - 1 + X_RANGE[1]]),
        yaxis=dict(domain=domain["chain"][1], anchor="x", range=chain_range,
                   showgrid=False, zeroline=False, tickvals=rows_y, ticktext=rows_text,
                   tickfont=muted),
        xaxis2=dict(domain=domain["readout"][0], anchor="y2", tickfont=muted, **readout_x),
        yaxis2=dict(domain=domain["readout"][1], anchor="x2", tickfont=muted, **readout_y),
        xaxis3=dict(domain=domain["heatmap"][0], anchor="y3", range=[0.5, T + 0.5],
                    tickangle=0, showgrid=False, **steps_x),
        yaxis3=dict(domain=domain["heatmap"][1], anchor="x3", range=[-0.5, H - 0.5],
                    showgrid=False, title=dict(text="unit"), tickfont=muted),
        xaxis4=dict(domain=domain["bars"][0], anchor="y4", range=symmetric_range(tr.h[1:]),
                    nticks=3, tickfont=muted),
        yaxis4=dict(domain=domain["bars"][1], anchor="x4", matches="y3", showticklabels=False,
                    showgrid=False),
    )  # fmt: skip


def unrolled_alt(scene, t: int, j: int) -> Alt:
    """The unrolled figure at step t in words, and h_t (c_t) of every unit as a table."""
    tr, seq = scene.trace, scene.seq
    T, H = tr.T, tr.H
    h = tr.h[t]
    words = [
        f"The same {theme.CELL_NAMES[tr.kind]} cell unrolled over {T} steps, at step {t} "
        f"(input {seq.labels[t - 1]}). Memory heatmap: hidden state of {H} units over {T} steps"
    ]
    peak = extreme(tr.h[1:])
    if peak is not None:
        (s, u), v = peak
        words[0] += f"; the largest |h| is unit {u} at step {s + 1}, {fmt(v)}."
    top = extreme(h)
    if top is not None:
        words.append(f"At step {t}: unit {top[0][0]} is the largest, {fmt(top[1])}; "
                     f"unit {j} is {fmt(h[j])}.")  # fmt: skip
    ro = readout_rows(scene)
    if seq.loss == "xent":
        guess, p, true = ro["name"][t - 1, 0], ro["value"][t - 1, 0], ro["name"][t - 1, -1]
        words.append(f"Readout: top guess {guess} ({p:.0%}); the true next symbol is {true}.")
    else:
        pred, target = ro["value"][t - 1]
        words.append(f"Prediction {fmt(pred)} against the target {fmt(target)}.")
    table = {"unit": list(range(H)), f"h at step {t}": column(h)}
    if tr.c is not None:
        table[f"c at step {t}"] = column(tr.c[t])
    return Alt(f"h at step {t}, every unit", " ".join(words), table)
