"""Figures of the sentiment page: the verdict forming word by word (masked and not), the
embedding vectors of a review, the learned embeddings in 2-D, and each word's contribution.

References: Shrikumar et al. 2016 (gradient x input); Zeiler & Fergus 2014 (occlusion).
"""

from __future__ import annotations

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, extreme, fmt

POS, NEG = "#E69F00", "#56B4E9"  # positive orange, negative blue (the diverging map's ends)
UNMASKED = "#CC79A7"
CURSOR = theme.COLOURS["accent"]
LINE_X = [0.0, 0.74]
BARS_X = [0.84, 1.0]


def _bars(h_t: np.ndarray) -> dict:
    return dict(type="bar", orientation="h", x=theme.f32(h_t), y=np.arange(len(h_t)),
                xaxis="x2", yaxis="y2", showlegend=False,
                marker=dict(color=[POS if v >= 0 else NEG for v in h_t]),
                hovertemplate="unit %{y}: %{x:.3f}<extra></extra>")  # fmt: skip


def _dot(t: int, p: float) -> dict:
    return dict(type="scatter", x=[t], y=[p], mode="markers", showlegend=False,
                hoverinfo="skip", marker=dict(size=18, color=CURSOR))  # fmt: skip


def verdict_figure(labels: list[str], p: np.ndarray, p_unmasked: np.ndarray, h: np.ndarray,
                   n: int, t: int) -> dict:  # fmt: skip
    """P(positive) after every step of the padded review (``labels`` (L,), words then pads),
    masked and unmasked, the state h_t as bars; one frame per real word t = 1..n."""
    L = len(labels)
    x = np.arange(1, L + 1)
    data = [
        dict(type="scatter", x=x, y=theme.f32(p_unmasked), mode="lines+markers",
             name="without masking", showlegend=False,
             line=dict(color=UNMASKED, width=3, dash="dash")),
        dict(type="scatter", x=x, y=theme.f32(p), mode="lines+markers",
             name="masked", showlegend=False, line=dict(color=theme.TEXT, width=4),
             hovertemplate="after %{x}: %{y:.3f}<extra></extra>"),
        _dot(t, float(p[t - 1])),
        _bars(h[t - 1]),
    ]  # fmt: skip
    shapes = [
        dict(type="rect", x0=n + 0.5, x1=L + 0.5, y0=0, y1=1, xref="x", yref="y domain",
             fillcolor=theme.PANEL, opacity=0.6, line=dict(width=0), layer="below"),
        dict(type="line", x0=0.5, x1=L + 0.5, y0=0.5, y1=0.5, xref="x", yref="y",
             line=dict(color=theme.MUTED, width=1, dash="dot")),
    ] if n < L else [dict(type="line", x0=0.5, x1=L + 0.5, y0=0.5, y1=0.5, xref="x", yref="y",
                          line=dict(color=theme.MUTED, width=1, dash="dot"))]  # fmt: skip
    H = h.shape[1]
    layout = dict(
        # the words along the top: the player takes the space below the chart
        xaxis=dict(domain=LINE_X, range=[0.5, L + 0.5], tickvals=x, ticktext=labels,
                   side="top", tickangle=-45 if L > 8 else 0),
        yaxis=dict(range=[-0.03, 1.03], title=dict(text="P(positive)"), tickformat=".0%"),
        xaxis2=dict(domain=BARS_X, anchor="y2", range=[-1.05, 1.05], tickvals=[-1, 0, 1]),
        # units 0 and H-1 marked; a title would sit on the line chart's edge
        yaxis2=dict(anchor="x2", autorange="reversed", tickvals=[0, H - 1]),
        annotations=[theme.panel_title("h<sub>t</sub>", BARS_X, 1.0)],
        shapes=shapes, height=520, margin=dict(t=130, b=120),
        **theme.player([str(s) for s in range(1, n + 1)], active=t - 1, redraw=False),
    )  # fmt: skip
    frames = [dict(name=str(s), data=[_dot(s, float(p[s - 1])), _bars(h[s - 1])], traces=[2, 3])
              for s in range(1, n + 1)]  # fmt: skip
    return theme.figure(data, layout, frames)


def embedding_figure(words: list[str], vectors: np.ndarray) -> dict:
    """The embedding vectors (n, E) of a review's words, one column per word."""
    n, E = vectors.shape
    scale = float(np.abs(vectors).max()) or 1.0
    data = [dict(type="heatmap", z=theme.f32(vectors.T), x=np.arange(1, n + 1), y=np.arange(E),
                 colorscale=theme.DIVERGING, zmin=-scale, zmax=scale,
                 colorbar=dict(title=dict(text="e")),
                 hovertemplate="word %{x}, dim %{y}: %{z:.3f}<extra></extra>")]  # fmt: skip
    layout = dict(
        title=dict(text="Embedding vectors e<sub>t</sub> = E[id<sub>t</sub>]"),
        xaxis=dict(tickvals=np.arange(1, n + 1), ticktext=words, tickangle=-45 if n > 4 else 0),
        yaxis=dict(title=dict(text="dimension"), dtick=1),
        height=360, margin=dict(b=110),
    )  # fmt: skip
    return theme.figure(data, layout)


def projection_figure(coords: np.ndarray, words: list[str], verdicts: np.ndarray,
                      share: np.ndarray, mine: set[str]) -> dict:  # fmt: skip
    """Every learned word vector on its top two principal components, coloured by the verdict
    on that word alone; the review's words labelled and ringed."""
    on = np.array([w in mine for w in words], dtype=bool)
    data = [
        dict(type="scatter", x=coords[~on, 0], y=coords[~on, 1], mode="markers",
             name="other words", text=[w for w, k in zip(words, on, strict=True) if not k],
             marker=dict(size=10, color=verdicts[~on], coloraxis="coloraxis", opacity=0.7),
             hovertemplate="%{text}<extra></extra>"),
        dict(type="scatter", x=coords[on, 0], y=coords[on, 1], mode="markers+text",
             name="words of this review", text=[w for w, k in zip(words, on, strict=True) if k],
             textposition="top center", textfont=dict(size=16),
             marker=dict(size=16, color=verdicts[on], coloraxis="coloraxis",
                         line=dict(color=theme.TEXT, width=2)),
             hovertemplate="%{text}<extra></extra>"),
    ]  # fmt: skip
    layout = dict(
        title=dict(text="The learned embeddings in 2-D (principal components)"),
        xaxis=dict(title=dict(text=f"PC 1 ({share[0]:.0%} of the variance)"), zeroline=False),
        yaxis=dict(title=dict(text=f"PC 2 ({share[1]:.0%})"), zeroline=False),
        coloraxis=dict(colorscale=[[0, NEG], [0.5, "#15171f"], [1, POS]], cmin=0, cmax=1,
                       colorbar=dict(title=dict(text="P(pos)<br>alone"), tickformat=".0%")),
        legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"),
        height=520, margin=dict(b=140),
    )  # fmt: skip
    return theme.figure(data, layout)


def contributions_figure(words: list[str], occ: np.ndarray, gxi: np.ndarray) -> dict:
    """Each word's part in the verdict: occlusion (in probability) and gradient x input (on
    the logit), side by side, words top to bottom in reading order."""
    y = [f"{k + 1}. {w}" for k, w in enumerate(words)]

    def bars(v, axis):
        return dict(type="bar", orientation="h", x=theme.f32(v), y=y, xaxis=axis,
                    yaxis="y", showlegend=False,
                    marker=dict(color=[POS if a >= 0 else NEG for a in v]),
                    hovertemplate="%{y}: %{x:.3f}<extra></extra>")  # fmt: skip

    occ_span = float(np.abs(occ).max()) * 1.1 or 1.0
    gxi_span = float(np.abs(gxi).max()) * 1.1 or 1.0
    layout = dict(
        xaxis=dict(domain=[0.0, 0.45], range=[-occ_span, occ_span], tickformat="+.0%",
                   title=dict(text="occlusion: with − without")),
        xaxis2=dict(domain=[0.55, 1.0], range=[-gxi_span, gxi_span], anchor="y",
                    title=dict(text="gradient × input")),
        yaxis=dict(autorange="reversed", automargin=True),
        height=max(300, 60 + 30 * len(words)), margin=dict(t=50, l=150),
    )  # fmt: skip
    return theme.figure([bars(occ, "x"), bars(gxi, "x2")], layout)


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
