"""Figures of the sentiment page: the verdict forming word by word (masked and not), the
embedding vectors of a review, the learned embeddings in 2-D, and each word's contribution.

References: Shrikumar et al. 2016 (gradient x input); Zeiler & Fergus 2014 (occlusion).
"""

from __future__ import annotations

import math

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, extreme, fmt

POS, NEG = "#E69F00", "#56B4E9"  # positive orange, negative blue (the diverging map's ends)
UNMASKED = "#CC79A7"
CURSOR = theme.COLOURS["accent"]
LINE_X = [0.0, 0.74]
BARS_X = [0.84, 1.0]
VERDICT_HEIGHT = 520  # px, on a laptop (a projector gets screens.main_figure_height)


# a phone: the words down the page (reading order), the verdict across, h_t's bars under it
ROW_PX = 26  # one word's row
STACKED_LINE_Y, STACKED_BARS_Y = 0.30, [0.0, 0.17]  # paper y: where the words start, the bars


def _bars(h_t: np.ndarray, stacked: bool) -> dict:
    """h_t, one bar a unit: across the width under the verdict (stacked), or beside it."""
    units, values = np.arange(len(h_t)), theme.f32(h_t)
    return dict(type="bar", orientation="v" if stacked else "h",
                x=units if stacked else values, y=values if stacked else units,
                xaxis="x2", yaxis="y2", showlegend=False,
                marker=dict(color=[POS if v >= 0 else NEG for v in h_t]),
                hovertemplate=f"unit %{{{'x' if stacked else 'y'}}}: "
                              f"%{{{'y' if stacked else 'x'}:.3f}}<extra></extra>")  # fmt: skip


def _along(steps, values, stacked: bool, **trace) -> dict:
    """A trace of values over steps: steps along x, or down y (stacked)."""
    xy = dict(x=values, y=steps) if stacked else dict(x=steps, y=values)
    return dict(type="scatter", **xy, **trace)


def _dot(t: int, p: float, stacked: bool) -> dict:
    return _along([t], [p], stacked, mode="markers", showlegend=False, hoverinfo="skip",
                  marker=dict(size=18, color=CURSOR))  # fmt: skip


LETTER_PX, LINE_PX = 8, 20  # a word at 16 px: ~8 px a letter; its line's height, turned upright
Ticks = tuple[tuple[int, ...], int]  # the words named (0-based), and their angle


def word_ticks(words: list[str], step_px: float) -> Ticks:
    """Which words to name along an axis whose steps are ``step_px`` apart, and how: every
    word level if two neighbours' halves and a gap fit a step; else upright (-90 degrees), every
    k-th word so that their lines keep apart."""
    pairs = zip(words, words[1:], strict=False)
    if all(LETTER_PX * (len(a) + len(b)) / 2 + 6 <= step_px for a, b in pairs):
        return tuple(range(len(words))), 0
    k = max(1, math.ceil(LINE_PX / max(step_px, 1.0)))
    return tuple(range(0, len(words), k)), -90


def verdict_step_px(main_px: int, L: int) -> float:
    """px between two steps of the verdict chart in a main column ``main_px`` wide."""
    return LINE_X[1] * (main_px - 110) / L


def _named(words: list[str], ticks: Ticks | None, start: int = 1) -> dict:
    """An axis's ticks naming ``words`` at steps start, start + 1, ... as ``ticks`` says."""
    shown, angle = ticks or (tuple(range(len(words))), 0)
    return dict(tickvals=[start + k for k in shown], ticktext=[words[k] for k in shown],
                tickangle=angle)  # fmt: skip


def verdict_figure(labels: list[str], p: np.ndarray, p_unmasked: np.ndarray, h: np.ndarray,
                   n: int, t: int, stacked: bool = False,
                   ticks: Ticks | None = None) -> dict:  # fmt: skip
    """P(positive) after every step of the padded review (``labels`` (L,), words then pads),
    masked and unmasked, the state h_t as bars; one frame per real word t = 1..n. Only the
    words are named on the axis; the pads are one grey band, labelled once. ``stacked`` (a
    phone): the words down the page and the bars under the verdict; else the words along the
    top as ``ticks`` says (``word_ticks``)."""
    L, H = len(labels), h.shape[1]
    steps = np.arange(1, L + 1)
    data = [
        _along(steps, theme.f32(p_unmasked), stacked, mode="lines+markers",
               name="without masking", showlegend=False,
               line=dict(color=UNMASKED, width=3, dash="dash")),
        _along(steps, theme.f32(p), stacked, mode="lines+markers", name="masked",
               showlegend=False, line=dict(color=theme.TEXT, width=4),
               hovertemplate=f"after %{{{'y' if stacked else 'x'}}}: "
                             f"%{{{'x' if stacked else 'y'}:.3f}}<extra></extra>"),
        _dot(t, float(p[t - 1]), stacked),
        _bars(h[t - 1], stacked),
    ]  # fmt: skip
    s, v = ("y", "x") if stacked else ("x", "y")  # the steps' axis, the verdict's
    half = {f"{s}0": 0.5, f"{s}1": L + 0.5, f"{v}0": 0.5, f"{v}1": 0.5, f"{s}ref": s,
            f"{v}ref": v}  # fmt: skip
    shapes = [dict(type="line", **half, line=dict(color=theme.MUTED, width=1, dash="dot"))]
    annotations = []
    if n < L:
        band = {f"{s}0": n + 0.5, f"{s}1": L + 0.5, f"{v}0": 0, f"{v}1": 1, f"{s}ref": s,
                f"{v}ref": f"{v} domain"}  # fmt: skip
        shapes.insert(0, dict(type="rect", **band, fillcolor=theme.PANEL, opacity=0.6,
                              line=dict(width=0), layer="below"))  # fmt: skip
        middle = (n + 1 + L) / 2
        annotations.append(dict(
            text=f"{L - n} pads", showarrow=False, font=dict(size=16, color=theme.MUTED),
            **({"x": 0.25, "xref": "x domain", "y": middle, "yref": "y"} if stacked
               else {"x": middle, "xref": "x", "y": 0.08, "yref": "y domain"}),
        ))  # fmt: skip
    if stacked:
        axes = dict(
            yaxis=dict(domain=[STACKED_LINE_Y, 1.0], range=[L + 0.5, 0.5],
                       **_named(labels[:n], None)),
            xaxis=dict(range=[-0.03, 1.03], side="top", tickformat=".0%",
                       title=dict(text="P(positive)", standoff=6)),
            xaxis2=dict(anchor="y2", range=[-0.6, H - 0.4], tickvals=[0, H - 1],
                        title=dict(text="unit", standoff=4)),
            yaxis2=dict(domain=STACKED_BARS_Y, anchor="x2", range=[-1.05, 1.05],
                        tickvals=[-1, 0, 1]),
        )  # fmt: skip
        annotations.append(theme.panel_title("h<sub>t</sub>", [0, 1], STACKED_BARS_Y[1] + 0.02))
        height, margin = 300 + ROW_PX * L, dict(t=80, b=70, l=110, r=36)
    else:
        axes = dict(
            # the words along the top: the player takes the space below the chart
            xaxis=dict(domain=LINE_X, range=[0.5, L + 0.5], side="top",
                       **_named(labels[:n], ticks)),
            yaxis=dict(range=[-0.03, 1.03], title=dict(text="P(positive)"), tickformat=".0%"),
            xaxis2=dict(domain=BARS_X, anchor="y2", range=[-1.05, 1.05], tickvals=[-1, 0, 1]),
            # units 0 and H-1 marked; a title would sit on the line chart's edge
            yaxis2=dict(anchor="x2", autorange="reversed", tickvals=[0, H - 1]),
        )  # fmt: skip
        annotations.append(theme.panel_title("h<sub>t</sub>", BARS_X, 1.0))
        height, margin = VERDICT_HEIGHT, dict(t=130, b=120)
    layout = dict(
        **axes, annotations=annotations, shapes=shapes, height=height, margin=margin,
        **theme.player([str(k) for k in range(1, n + 1)], active=t - 1, redraw=False),
    )  # fmt: skip
    frames = [dict(name=str(k), data=[_dot(k, float(p[k - 1]), stacked),
                                      _bars(h[k - 1], stacked)], traces=[2, 3])
              for k in range(1, n + 1)]  # fmt: skip
    return theme.figure(data, layout, frames)


EMBEDDING_LEFT_RIGHT = 170  # px of the embedding chart beside its columns (titles, colour bar)


def embedding_figure(words: list[str], vectors: np.ndarray, ticks: Ticks | None = None) -> dict:
    """The embedding vectors (n, E) of a review's words, one column per word, the words named
    as ``ticks`` says (``word_ticks``)."""
    n, E = vectors.shape
    scale = float(np.abs(vectors).max()) or 1.0
    data = [dict(type="heatmap", z=theme.f32(vectors.T), x=np.arange(1, n + 1), y=np.arange(E),
                 colorscale=theme.DIVERGING, zmin=-scale, zmax=scale,
                 colorbar=dict(title=dict(text="e")),
                 hovertemplate="word %{x}, dim %{y}: %{z:.3f}<extra></extra>")]  # fmt: skip
    layout = dict(
        title=dict(text="Embedding vectors e<sub>t</sub> = E[id<sub>t</sub>]"),
        xaxis=_named(words, ticks),
        # room under the columns for the longest word, upright or level
        margin=dict(b=40 + (LETTER_PX * max(map(len, words)) if ticks and ticks[1] else 40)),
        yaxis=dict(title=dict(text="dimension"), dtick=1),
        height=360,
    )  # fmt: skip
    return theme.figure(data, layout)


PROJECTION_HEIGHT, PROJECTION_MARGIN = 560, dict(t=120, b=80)
PROJECTION_SIDES = 190  # px of the projection chart beside its plot (y title, colour bar)
# where a word's label may go around its marker, in order of preference: (plotly's name,
# the label box's centre from the marker's in label widths/heights and px)
SLACK = 24  # px a label may reach into the margin beside the plot
PLACES = (("top center", 0.0, -0.5, -12), ("bottom center", 0.0, 0.5, 12),
          ("middle right", 0.5, 0.0, 12), ("middle left", -0.5, 0.0, -12))  # fmt: skip


def label_places(xy: np.ndarray, words: list[str], span: np.ndarray, plot_px: tuple) -> list[str]:
    """A place for each word's label around its point (``xy`` (n, 2) in data units, the axes
    spanning ``span`` [[x0, x1], [y0, y1]] over ``plot_px`` (width, height)), the first in
    PLACES whose box stays in the plot (or within ``SLACK`` px of its sides) and off the
    ringed markers and the labels placed before it."""
    (x0, x1), (y0, y1) = span
    width, height = plot_px
    points = [((x - x0) / (x1 - x0) * width, (y1 - y) / (y1 - y0) * height) for x, y in xy]
    taken = [(px - 9, py - 9, px + 9, py + 9) for px, py in points]  # the markers, 18 px
    places = []
    for (px, py), word in zip(points, words, strict=True):
        w, h = LETTER_PX * len(word), LINE_PX
        boxes = []
        for name, fx, fy, gap in PLACES:
            cx, cy = px + fx * w + (gap if fx else 0), py + fy * h + (gap if fy else 0)
            boxes.append((name, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)))
        free = [
            (name, box)
            for name, box in boxes
            if box[0] >= -SLACK
            and box[2] <= width + SLACK
            and box[1] >= 0
            and box[3] <= height
            and not any(_meet(box, o) for o in taken)
        ]
        name, box = (free or boxes)[0]  # nowhere free: its first choice
        taken.append(box)
        places.append(name)
    return places


def projection_span(xy: np.ndarray) -> np.ndarray:
    """[[x0, x1], [y0, y1]]: the points' extent and 12% more each side, room for labels."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return np.stack([lo - 0.12 * (hi - lo), hi + 0.12 * (hi - lo)], axis=1)


def _meet(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def projection_figure(coords: np.ndarray, words: list[str], verdicts: np.ndarray,
                      share: np.ndarray, mine: set[str],
                      plot_width: int = 700) -> dict:  # fmt: skip
    """Every learned word vector on its top two principal components, coloured by the verdict
    on that word alone; the review's words labelled and ringed, each label placed where it
    meets no other in a plot ``plot_width`` px wide (``label_places``)."""
    on = np.array([w in mine for w in words], dtype=bool)
    span = projection_span(coords[:, :2])
    plot_px = (plot_width, PROJECTION_HEIGHT - PROJECTION_MARGIN["t"] - PROJECTION_MARGIN["b"])
    named = [w for w, k in zip(words, on, strict=True) if k]
    data = [
        dict(type="scatter", x=coords[~on, 0], y=coords[~on, 1], mode="markers",
             name="other words", text=[w for w, k in zip(words, on, strict=True) if not k],
             marker=dict(size=10, color=verdicts[~on], coloraxis="coloraxis", opacity=0.7),
             hovertemplate="%{text}<extra></extra>"),
        dict(type="scatter", x=coords[on, 0], y=coords[on, 1], mode="markers+text",
             name="words of this review", text=named,
             textposition=label_places(coords[on, :2], named, span, plot_px),
             textfont=dict(size=16),
             marker=dict(size=16, color=verdicts[on], coloraxis="coloraxis",
                         line=dict(color=theme.TEXT, width=2)),
             hovertemplate="%{text}<extra></extra>"),
    ]  # fmt: skip
    layout = dict(
        title=dict(text="The learned embeddings in 2-D (principal components)"),
        xaxis=dict(title=dict(text=f"PC 1 ({share[0]:.0%} of the variance)"), zeroline=False,
                   range=span[0].tolist()),
        yaxis=dict(title=dict(text=f"PC 2 ({share[1]:.0%})"), zeroline=False,
                   range=span[1].tolist()),
        coloraxis=dict(colorscale=[[0, NEG], [0.5, "#15171f"], [1, POS]], cmin=0, cmax=1,
                       colorbar=dict(title=dict(text="P(pos)<br>alone"), tickformat=".0%")),
        # above the plot, under the title: below it, it sat on the x axis's title
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"),
        height=PROJECTION_HEIGHT, margin=PROJECTION_MARGIN,
    )  # fmt: skip
    return theme.figure(data, layout)


def contributions_figure(words: list[str], occ: np.ndarray, gxi: np.ndarray,
                         stacked: bool = False) -> dict:  # fmt: skip
    """Each word's part in the verdict: occlusion (in probability) and gradient x input (on
    the logit), side by side (``stacked``, a phone: one above the other), words top to bottom
    in reading order."""
    y = [f"{k + 1}. {w}" for k, w in enumerate(words)]

    def bars(v, x, yaxis):
        return dict(type="bar", orientation="h", x=theme.f32(v), y=y, xaxis=x,
                    yaxis=yaxis, showlegend=False,
                    marker=dict(color=[POS if a >= 0 else NEG for a in v]),
                    hovertemplate="%{y}: %{x:.3f}<extra></extra>")  # fmt: skip

    occ_span = float(np.abs(occ).max()) * 1.1 or 1.0
    gxi_span = float(np.abs(gxi).max()) * 1.1 or 1.0
    rows = 30 * len(words)  # px of one panel's bars
    words_axis = dict(autorange="reversed", automargin=True)
    occ_axis = dict(range=[-occ_span, occ_span], tickformat="+.0%",
                    title=dict(text="occlusion: with − without"))  # fmt: skip
    gxi_axis = dict(range=[-gxi_span, gxi_span], title=dict(text="gradient × input"))
    if stacked:  # each panel its own words, its axis's title in the gap under it
        gap, plot = 110, 2 * rows + 110  # px; domains are shares of the plot
        layout = dict(
            xaxis=dict(anchor="y", **occ_axis), xaxis2=dict(anchor="y2", **gxi_axis),
            yaxis=dict(domain=[(rows + gap) / plot, 1.0], **words_axis),
            yaxis2=dict(domain=[0.0, rows / plot], anchor="x2", **words_axis),
            height=plot + 100, margin=dict(t=20, b=80, l=130),
        )  # fmt: skip
        return theme.figure([bars(occ, "x", "y"), bars(gxi, "x2", "y2")], layout)
    layout = dict(
        xaxis=dict(domain=[0.0, 0.45], **occ_axis),
        xaxis2=dict(domain=[0.55, 1.0], anchor="y", **gxi_axis),
        yaxis=words_axis, height=max(300, 60 + rows), margin=dict(t=50, l=150),
    )  # fmt: skip
    return theme.figure([bars(occ, "x", "y"), bars(gxi, "x2", "y")], layout)


def verdict_alt(labels: list[str], p: np.ndarray, p_unmasked: np.ndarray, n: int, t: int) -> Alt:
    """The verdict after word t and at the end, masked and not, and every step's."""
    text = (
        f"P(positive) after every word of a review of {n} words padded to {len(labels)} steps: "
        f"after word {t} ({labels[t - 1]}) {p[t - 1]:.1%}; at the end {p[-1]:.1%} with the "
        f"mask, {p_unmasked[-1]:.1%} reading the pads as words."
    )
    table = {"step": list(range(1, len(labels) + 1)), "token": list(labels),
             "P(positive), masked": column(p), "without masking": column(p_unmasked)}  # fmt: skip
    return Alt("the verdict word by word", text, table)


def embedding_alt(words: list[str], vectors: np.ndarray) -> Alt:
    """The embedding vectors' size and largest entry, and every entry."""
    n, E = vectors.shape
    top = extreme(vectors)
    where = f"; the largest |e| is word {top[0][0] + 1} ({words[top[0][0]]}), dimension " \
        f"{top[0][1]}, {fmt(top[1])}" if top else ""  # fmt: skip
    text = f"Heatmap of the {E}-dimensional embedding vectors of the review's {n} words{where}."
    table = {"word": list(words)} | {f"dim {d}": column(vectors[:, d]) for d in range(E)}
    return Alt("embedding vectors", text, table)


def projection_alt(coords: np.ndarray, words: list[str], verdicts: np.ndarray,
                   share: np.ndarray, mine: set[str]) -> Alt:  # fmt: skip
    """The projection's variance shares and the most positive and negative words, and all."""
    hi, lo = int(np.argmax(verdicts)), int(np.argmin(verdicts))
    text = (
        f"Scatter of the {len(words)} learned word vectors on their top two principal "
        f"components ({share[0]:.0%} and {share[1]:.0%} of the variance), coloured by the "
        f"verdict on the word alone: most positive {words[hi]} ({verdicts[hi]:.0%}), most "
        f"negative {words[lo]} ({verdicts[lo]:.0%}); {len(mine & set(words))} of them are in "
        "this review."
    )
    table = {"word": list(words), "PC 1": column(coords[:, 0]), "PC 2": column(coords[:, 1]),
             "P(positive) alone": column(verdicts),
             "in this review": ["yes" if w in mine else "" for w in words]}  # fmt: skip
    return Alt("word vectors in 2-D", text, table)


def contributions_alt(words: list[str], occ: np.ndarray, gxi: np.ndarray) -> Alt:
    """The strongest word by each measure, and every word's parts."""
    k, g = int(np.argmax(np.abs(occ))), int(np.argmax(np.abs(gxi)))
    text = (
        f"Bars of each of the {len(words)} words' part in the verdict: removing {words[k]} "
        f"moves it most ({-100 * occ[k]:+.1f} points); gradient × input picks {words[g]} "
        f"({gxi[g]:+.2f} on the logit)."
    )
    table = {"word": list(words), "occlusion": column(occ), "gradient × input": column(gxi)}
    return Alt("each word's part", text, table)
