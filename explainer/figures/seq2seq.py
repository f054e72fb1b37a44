"""Figures of the sequence-to-sequence page: the encoder and decoder unrolled over one shared x
axis with the context vector between them, every hidden state and the decoder's output
distribution at each step (one player); teacher forcing beside free running; accuracy against
input length; the training loss.

Column layout of the unrolled figure: encoder steps 1..n at x = 1..n, the context at x = n + 1,
decoder steps 1..S at x = n + 2 .. n + 1 + S. A frame (global step k = 1..n + S: first the
encoder reads, then the decoder writes) carries only the highlights and the outputs written so
far.

References: Sutskever, Vinyals & Le 2014, arXiv:1409.3215 (Figure 1); Olah 2015 (drawing).
"""

from __future__ import annotations

import numpy as np

from explainer import reversal
from explainer.figures import alt, theme
from explainer.figures.alt import Alt, fmt, long_table, thin

HIGHLIGHT = theme.COLOURS["accent"]
ENC, DEC, CONTEXT = theme.COLOURS["i"], theme.COLOURS["g"], theme.COLOURS["c"]
PLAIN = dict(type="scatter", hoverinfo="skip", showlegend=False)
MUTED = dict(color=theme.MUTED, size=15)
# p(right token): vermillion (unlikely), yellow, green (likely); dark text reads on all three
RIGHT_SCALE = [[0.0, theme.COLOURS["r"]], [0.5, theme.COLOURS["c"]], [1.0, theme.COLOURS["g"]]]
# rows of the chain panel, in its own units
Y = dict(reads=0.4, cell=(1.1, 2.6), writes=3.4, top=4.0)
CHAIN_HEIGHT = 640  # px of the encoder-decoder figure on a laptop (projector: main_figure_height)


def column(k: int, n: int) -> int:
    """x of global step k (1..n + S): encoder steps first, then the decoder after the context."""
    return k if k <= n else k + 1


def _box(x0: float, x1: float, y0: float, y1: float) -> dict:
    return dict(x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0])


def _boxes(xs, y0: float, y1: float, half: float = 0.36) -> dict:
    bx, by = [], []
    for x in xs:
        b = _box(x - half, x + half, y0, y1)
        bx += b["x"] + [None]
        by += b["y"] + [None]
    return dict(x=bx, y=by)


def _chain(n: int, S: int, kind: str) -> list[dict]:
    """Cells, the context box and the arrows carrying the state along (static traces)."""
    lo, hi = Y["cell"]
    enc_x, dec_x = list(range(1, n + 1)), list(range(n + 2, n + 2 + S))
    mid = (lo + hi) / 2
    arrows_x, arrows_y = [], []
    for x in range(1, n + 1 + S):  # the state handed on, including into and out of the context
        arrows_x += [x + 0.36, x + 1 - 0.36, None]
        arrows_y += [mid, mid, None]
    line = dict(PLAIN, mode="lines", xaxis="x", yaxis="y")
    return [
        dict(line, **_boxes(enc_x, lo, hi), fill="toself", fillcolor=theme.PANEL,
             line=dict(color=ENC, width=2)),
        dict(line, **_boxes(dec_x, lo, hi), fill="toself", fillcolor=theme.PANEL,
             line=dict(color=DEC, width=2)),
        dict(line, **_box(n + 1 - 0.42, n + 1 + 0.42, lo - 0.25, hi + 0.25), fill="toself",
             fillcolor="rgba(240,228,66,0.15)", line=dict(color=CONTEXT, width=3)),
        dict(line, x=arrows_x, y=arrows_y, line=dict(color=theme.COLOURS["h"], width=2)),
        dict(PLAIN, mode="markers", xaxis="x", yaxis="y",
             x=[x - 0.42 for x in range(2, n + 2 + S)], y=[mid] * (n + S),
             marker=dict(color=theme.COLOURS["h"], size=10, symbol="triangle-right")),
    ]  # fmt: skip


def _cell_names(n: int, S: int, kind: str) -> dict:
    mid = sum(Y["cell"]) / 2
    return dict(PLAIN, mode="text", x=[n + 1], y=[mid], text=["c"], xaxis="x", yaxis="y",
                textfont=dict(size=24, color=CONTEXT))  # fmt: skip


def unrolled_figure(run, digits: np.ndarray, k_open: int) -> dict:
    """The encoder-decoder of ``run`` (a ``seq2seq.Decoded``) opening at global step
    ``k_open`` (1..n + S): chain, hidden states, output distribution, one player."""
    n, S, H = len(digits), len(run.written), run.enc.H
    C = n + 1 + S
    tgt = reversal.target(digits)
    fed = [reversal.DEC_IN_LABELS[i] for i in run.fed]
    wrote = [reversal.OUT_LABELS[i] for i in run.written]
    wrote_short = ["⏹" if w == "end" else w for w in wrote]
    reads = [reversal.DIGITS[d] for d in digits] + [""] + ["▶" if f == "start" else f for f in fed]
    # every state on one axis: h^e_1..h^e_n, the context (h^e_n again), h^d_1..h^d_S
    states = np.concatenate([run.enc.h[1:], run.enc.h[-1:], run.dec.h[1:]]).T  # (H, C)
    probs = np.full((reversal.N_OUT, C), np.nan)
    probs[:, n + 1 :] = run.probs.T
    right = [w == t for w, t in zip(run.written, tgt, strict=False)]

    def frame(k: int) -> list[dict]:
        x = column(k, n)
        shown = max(0, k - n)  # decoder steps done
        text = [""] * (n + 1) + [w if s < shown else "" for s, w in enumerate(wrote_short)]
        colours = (
            [theme.MUTED] * (n + 1)
            + [theme.COLOURS["g"] if ok else theme.COLOURS["r"] for ok in right]
            + [theme.COLOURS["r"]] * (S - len(right))
        )
        return [
            _box(x - 0.47, x + 0.47, Y["reads"] - 0.35, Y["top"] - 0.2),
            dict(text=text, textfont=dict(size=20, color=colours)),
            _box(x - 0.5, x + 0.5, -0.5, H - 0.5),
            _box(x - 0.5, x + 0.5, -0.5, reversal.N_OUT - 0.5),
        ]

    first = frame(k_open)
    xs = list(range(1, C + 1))
    static = [
        *_chain(n, S, run.enc.kind),
        _cell_names(n, S, run.enc.kind),
        dict(PLAIN, mode="text", x=xs, y=[Y["reads"]] * C, text=reads, xaxis="x", yaxis="y",
             textfont=dict(size=18, color=theme.TEXT)),
        dict(type="heatmap", z=theme.f32(states), x=xs, y=list(range(H)), xaxis="x2",
             yaxis="y2", colorscale=theme.DIVERGING, zmid=0, showscale=False,
             hovertemplate="column %{x}, unit %{y}<br>h = %{z:.3f}<extra></extra>"),
        dict(PLAIN, **_box(n + 0.5, n + 1.5, -0.5, H - 0.5), mode="lines", xaxis="x2",
             yaxis="y2", line=dict(color=CONTEXT, width=3)),
        dict(type="heatmap", z=theme.f32(probs), x=xs, y=list(range(reversal.N_OUT)),
             xaxis="x3", yaxis="y3", colorscale=theme.SEQUENTIAL, zmin=0, zmax=1,
             colorbar=dict(title=dict(text="p", side="top"), thickness=12, len=0.3, y=0,
                           yanchor="bottom", tickformat=".0%", tickfont=dict(size=14)),
             hovertemplate="decoder step %{x}<br>p(%{y}) = %{z:.1%}<extra></extra>"),
        dict(PLAIN, mode="markers", x=[n + 2 + s for s in range(len(tgt))][:S],
             y=tgt[:S].tolist(), xaxis="x3", yaxis="y3",
             marker=dict(symbol="circle-open", size=16, color=theme.TEXT, line=dict(width=2))),
    ]  # fmt: skip
    animated = [
        dict(PLAIN, **first[0], mode="lines", xaxis="x", yaxis="y",
             line=dict(color=HIGHLIGHT, width=3)),
        dict(PLAIN, mode="text", x=list(range(1, C + 1)), y=[Y["writes"]] * C, xaxis="x",
             yaxis="y", **first[1]),
        dict(PLAIN, **first[2], mode="lines", xaxis="x2", yaxis="y2",
             line=dict(color=HIGHLIGHT, width=3)),
        dict(PLAIN, **first[3], mode="lines", xaxis="x3", yaxis="y3",
             line=dict(color=HIGHLIGHT, width=3)),
    ]  # fmt: skip
    indices = list(range(len(static), len(static) + len(animated)))
    K = n + S
    frames = [dict(name=str(k), data=frame(k), traces=indices) for k in range(1, K + 1)]
    layout = {**_layout(n, S, H, run.enc.kind), **theme.player(
        [str(k) for k in range(1, K + 1)], active=k_open - 1)}  # fmt: skip
    return theme.figure(static + animated, layout, frames)


def _layout(n: int, S: int, H: int, kind: str) -> dict:
    domains = theme.stacked([0.42, 0.3, 0.28], gap=0.07)
    axes = theme.shared_x_rows(domains)
    C = n + 1 + S
    axes["xaxis3"].update(range=[0.5, C + 0.5], showticklabels=False, showgrid=False)
    for row in (1, 2):
        axes[theme.axis_key("x", row)].update(showgrid=False, zeroline=False)
    axes["xaxis"].update(visible=False)
    axes["yaxis"].update(
        range=[0, Y["top"]], showgrid=False, zeroline=False, tickfont=MUTED,
        tickvals=[Y["reads"], sum(Y["cell"]) / 2, Y["writes"]],
        ticktext=["reads", "cell", "writes"],
    )  # fmt: skip
    axes["yaxis2"].update(
        range=[-0.5, H - 0.5], showgrid=False, title=dict(text="unit", font=MUTED),
        tickfont=MUTED, nticks=4,
    )  # fmt: skip
    axes["yaxis3"].update(
        range=[-0.5, reversal.N_OUT - 0.5], showgrid=False, tickfont=dict(size=14),
        # three labels: at a projector's height every second digit's ran together
        tickvals=[0, 5, reversal.END], ticktext=["0", "5", "end"],
    )  # fmt: skip
    titles = [
        (f"{theme.CELL_NAMES[kind]} encoder → context c → decoder", 0),
        ("hidden states h", 1),
        ("output distribution p(y<sub>t</sub>)", 2),
    ]
    annotations = [theme.panel_title(text, [0, 1], domains[row][1] + 0.005, color=theme.TEXT)
                   for text, row in titles]  # fmt: skip
    for a in annotations:
        a["font"]["size"] = 17
    return dict(height=CHAIN_HEIGHT, margin=dict(l=64, r=30, t=40, b=90), annotations=annotations,
                **axes)  # fmt: skip


def teacher_free_figure(tf, free, digits: np.ndarray, t_dec: int | None,
                        stacked: bool = False) -> dict:  # fmt: skip
    """Two rows over the decoder's steps: fed the true previous token (teacher forcing) and fed
    its own previous guess (free running). Colour: the probability it gives the right token;
    text: what it read and what it wrote. ``t_dec`` (1-based) is outlined. ``stacked`` (a
    phone): the two as columns, the steps down the page, so each cell's text has room."""
    tgt = reversal.target(digits)
    S = len(tgt)
    z = np.full((2, S), np.nan)
    text = [[""] * S, [""] * S]
    for row, run in enumerate((tf, free)):
        for s in range(len(run.written)):
            z[row, s] = run.probs[s, tgt[s]]
            fed = reversal.DEC_IN_LABELS[run.fed[s]].replace("start", "▶")
            wrote = reversal.OUT_LABELS[run.written[s]].replace("end", "⏹")
            mark = "✓" if run.written[s] == tgt[s] else "✗"
            text[row][s] = f"{fed}→{wrote} {mark}"
    xs = list(range(1, S + 1))
    runs = ["teacher forcing:<br>fed the true token", "free running:<br>fed its own guess"]
    steps = dict(title=dict(text="decoder step", font={**MUTED, "size": 18}), tickvals=xs,
                 showgrid=False, tickfont=MUTED, range=[0.5, S + 0.5])  # fmt: skip
    which = dict(tickvals=[1, 0], ticktext=runs, tickfont=dict(size=15), range=[-0.5, 1.5],
                 showgrid=False)  # fmt: skip
    heat = dict(type="heatmap", colorscale=RIGHT_SCALE, zmin=0, zmax=1,
                texttemplate="%{text}", textfont=dict(size=15, color=theme.BACKGROUND),
                colorbar=dict(title=dict(text="p(right)", side="top"), tickformat=".0%",
                              thickness=12, tickfont=dict(size=14)))  # fmt: skip
    if stacked:
        data = [dict(heat, z=theme.f32(z.T), x=[1, 0], y=xs, text=np.array(text).T.tolist(),
                     hovertemplate="step %{y}: %{text}<br>p(right token) = %{z:.1%}"
                                   "<extra></extra>")]  # fmt: skip
        data[0]["colorbar"] = dict(data[0]["colorbar"], orientation="h", y=-0.02,
                                   yanchor="top", len=0.8)  # fmt: skip
        if t_dec is not None:
            data.append(dict(PLAIN, **_box(-0.5, 1.5, t_dec - 0.5, t_dec + 0.5), mode="lines",
                             line=dict(color=HIGHLIGHT, width=3)))  # fmt: skip
        layout = dict(
            height=140 + 40 * S, margin=dict(l=70, r=10, t=60, b=90),
            xaxis=dict(which, side="top", range=[1.5, -0.5]),
            yaxis=dict(steps, autorange=None, range=[S + 0.5, 0.5]),
        )  # fmt: skip
        return theme.figure(data, layout)
    data = [
        dict(
            heat,
            z=theme.f32(z),
            x=xs,
            y=[1, 0],
            text=text,
            hovertemplate="step %{x}: %{text}<br>p(right token) = %{z:.1%}<extra></extra>",
        )
    ]
    if t_dec is not None:
        data.append(dict(PLAIN, **_box(t_dec - 0.5, t_dec + 0.5, -0.5, 1.5), mode="lines",
                         line=dict(color=HIGHLIGHT, width=3)))  # fmt: skip
    layout = dict(height=250, margin=dict(l=210, r=30, t=20, b=60), xaxis=steps, yaxis=which)
    return theme.figure(data, layout)


def length_figure(scores: dict, max_len: int, n_now: int | None = None) -> dict:
    """Accuracy against input length: whole strings right (greedy), digits right under teacher
    forcing and free running; the trained lengths shaded, the typed length marked."""
    x = scores["length"]
    lines = [
        ("exact", "whole string right (free running)", theme.COLOURS["f"], "solid"),
        ("teacher", "tokens right, teacher forcing", theme.COLOURS["i"], "dot"),
        ("free", "tokens right, free running", theme.COLOURS["g"], "dash"),
    ]
    data = [
        dict(type="scatter", mode="lines+markers", x=x, y=[100 * v for v in scores[key]],
             name=name, line=dict(color=colour, width=3, dash=dash), marker=dict(size=8),
             hovertemplate="length %{x}: %{y:.0f}%<extra>" + name + "</extra>")
        for key, name, colour, dash in lines
    ]  # fmt: skip
    shapes = [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=0.5,
            x1=max_len + 0.5,
            y0=0,
            y1=1,
            fillcolor="rgba(255,255,255,0.06)",
            line=dict(width=0),
            layer="below",
        )
    ]
    # at the band's foot: within the trained lengths the lines run high
    annotations = [dict(text="trained lengths", x=(max_len + 1) / 2, y=0.02, xref="x",
                        yref="paper", yanchor="bottom", showarrow=False, font=MUTED)]  # fmt: skip
    if n_now is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=n_now, x1=n_now, y0=0, y1=1,
                           line=dict(color=HIGHLIGHT, width=2, dash="dot")))  # fmt: skip
    layout = dict(
        height=470, margin=dict(l=70, r=20, t=110, b=60), shapes=shapes, annotations=annotations,
        xaxis=dict(title=dict(text="input length n (digits)"), tickvals=x, showgrid=False),
        yaxis=dict(title=dict(text="% right"), range=[-3, 103]),
        # one entry a row above the plot: under it, it sat on the x axis's title
        legend=dict(orientation="v", x=0, y=1, yref="container", yanchor="top"),
    )  # fmt: skip
    return theme.figure(data, layout)


def hidden_sweep_figure(sweep: dict) -> dict:
    """Whole strings right against length, one line per hidden size H (the stored sweep)."""
    palette = [theme.COLOURS[k] for k in ("i", "f", "g", "o")]
    data = [
        dict(type="scatter", mode="lines+markers", x=r["length"],
             y=[100 * v for v in r["exact"]], name=f"H = {r['hidden_size']}",
             line=dict(color=palette[k % 4], width=3), marker=dict(size=8),
             hovertemplate="length %{x}: %{y:.0f}%<extra>H = " + str(r["hidden_size"])
             + "</extra>")
        for k, r in enumerate(sweep["results"])
    ]  # fmt: skip
    max_len = sweep["config"]["max_len"]
    layout = dict(
        height=430, margin=dict(l=70, r=20, t=70, b=60),
        shapes=[dict(type="rect", xref="x", yref="paper", x0=0.5, x1=max_len + 0.5, y0=0, y1=1,
                     fillcolor="rgba(255,255,255,0.06)", line=dict(width=0), layer="below")],
        xaxis=dict(title=dict(text="input length n (digits)"), showgrid=False,
                   tickvals=sweep["results"][0]["length"]),
        yaxis=dict(title=dict(text="% whole strings right"), range=[-3, 103]),
        # above the plot: under it, it sat on the x axis's title
        legend=dict(orientation="h", x=0, y=1, yref="container", yanchor="top"),
    )  # fmt: skip
    return theme.figure(data, layout)


def loss_figure(history: dict, title: str) -> dict:
    """Training loss (cross-entropy under teacher forcing) against step."""
    data = [dict(type="scatter", mode="lines", x=history["step"], y=history["loss"],
                 line=dict(color=theme.COLOURS["i"], width=2), name="loss",
                 hovertemplate="step %{x}: %{y:.3f}<extra></extra>")]  # fmt: skip
    layout = dict(
        height=300, margin=dict(l=70, r=20, t=50, b=60), title=dict(text=title, font=dict(size=18)),
        xaxis=dict(title=dict(text="training step")),
        yaxis=dict(title=dict(text="cross-entropy (nats)"), type="log"),
    )  # fmt: skip
    return theme.figure(data, layout)


def unrolled_alt(run, digits: np.ndarray, k: int) -> Alt:
    """The encoder-decoder at global step k in words, and every step's reading and writing."""
    n, S = len(digits), len(run.written)
    wrote = [reversal.OUT_LABELS[i] for i in run.written]
    p = run.probs[np.arange(S), run.written]
    if k <= n:
        now = f"at step {k} the encoder reads digit {reversal.DIGITS[digits[k - 1]]}"
    else:
        s = k - n
        fed = reversal.DEC_IN_LABELS[run.fed[s - 1]]
        now = f"at step {k} the decoder, fed {fed}, writes {wrote[s - 1]} ({p[s - 1]:.0%})"
    want = "".join(reversal.DIGITS[d] for d in digits[::-1])
    text = (
        f"Encoder-decoder: the encoder reads {''.join(reversal.DIGITS[d] for d in digits)} "
        f"({n} steps) into a context of {run.enc.H} numbers, the decoder writes "
        f"{' '.join(wrote)} ({S} steps; the reverse is {want}); {now}."
    )
    table = {
        "step": list(range(1, n + S + 1)),
        "part": ["encoder"] * n + ["decoder"] * S,
        "reads": [reversal.DIGITS[d] for d in digits]
        + [reversal.DEC_IN_LABELS[i] for i in run.fed[:S]],
        "writes": [None] * n + wrote,
        "p(written)": [None] * n + alt.column(p),
    }
    return Alt(f"encoder and decoder at step {k}", text, table)


def teacher_free_alt(tf, free, digits: np.ndarray) -> Alt:
    """How many tokens each way of feeding gets right, and every step's tokens."""
    tgt = reversal.target(digits)
    S = len(tgt)
    rows = {"teacher forcing": tf, "free running": free}
    said = []
    table: dict[str, list] = {"decoder step": list(range(1, S + 1)),
                              "right token": [reversal.OUT_LABELS[i] for i in tgt]}  # fmt: skip
    for name, run in rows.items():
        m = min(len(run.written), S)
        right = sum(int(run.written[s] == tgt[s]) for s in range(m))
        said.append(f"{name} writes {right} of {S} tokens right")
        wrote = [reversal.OUT_LABELS[run.written[s]] for s in range(m)]
        table[f"{name}: wrote"] = wrote + [None] * (S - m)
        right_p = alt.column([run.probs[s, tgt[s]] for s in range(m)])
        table[f"{name}: p(right)"] = right_p + [None] * (S - m)
    text = f"Two rows over {S} decoder steps, coloured by the probability of the right token: "
    return Alt("teacher forcing and free running", text + "; ".join(said) + ".", table)


def length_alt(scores: dict, max_len: int, n_now: int | None = None) -> Alt:
    """Accuracy against input length in words (shortest, longest, now) and as a table."""
    x = list(scores["length"])
    ex = scores["exact"]
    said = f"{ex[0]:.0%} at length {x[0]}, {ex[-1]:.0%} at length {x[-1]}"
    if n_now in x:
        said += f", {ex[x.index(n_now)]:.0%} at the typed length {n_now}"
    text = (
        f"Accuracy against input length, trained on lengths up to {max_len}: whole strings "
        f"right {said}; tokens right under teacher forcing {scores['teacher'][-1]:.0%} and "
        f"free running {scores['free'][-1]:.0%} at length {x[-1]}."
    )
    table = {"length": x}
    for key, name in (("exact", "whole string right"), ("teacher", "tokens right, teacher"),
                      ("free", "tokens right, free")):  # fmt: skip
        table[name] = alt.column(scores[key])
    return Alt("accuracy by length", text, table)


def hidden_sweep_alt(sweep: dict) -> Alt:
    """Each hidden size's whole-string accuracy at the longest length, and every point."""
    said = "; ".join(
        f"H = {r['hidden_size']}: {r['exact'][-1]:.0%} at length {r['length'][-1]}"
        for r in sweep["results"]
    )
    text = f"Whole strings right against input length, one line per hidden size: {said}."
    series = {f"H = {r['hidden_size']}": (r["length"], r["exact"]) for r in sweep["results"]}
    return Alt("accuracy by hidden size", text, long_table(series, "length", "share right", "H"))


def loss_alt(history: dict, title: str) -> Alt:
    """The training loss at the first and the last step, and every step's."""
    steps, loss = list(history["step"]), list(history["loss"])
    text = f"{title}: cross-entropy against training step, " + (
        f"{fmt(loss[0])} at step {steps[0]}, {fmt(loss[-1])} at step {steps[-1]}."
        if loss
        else "no step yet."
    )
    return Alt(title, text, thin({"step": steps, "cross-entropy": alt.column(loss)}))
