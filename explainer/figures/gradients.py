"""Figures of the gradients page: norms back through time, the spectrum of W_hh, clipping.

Norms span hundreds of orders of magnitude, so they go on a log axis, where a fixed rate per
step is a straight line. Arrays travel as numpy typed arrays (plotly base64-encodes them): norms
in float64, since they leave float32's range (1e-45 to 3e38) within a few hundred steps;
non-finite and non-positive values become NaN gaps.

Every builder returns a plain dict (``theme.figure``): building plotly objects cost 20-200 ms a
figure on every rerun, the dicts about a millisecond. The tests validate them.

References: Pascanu, Mikolov & Bengio 2013, arXiv:1211.5063 (the bound eta^(T-t), norm clipping,
Alg. 1); Karpathy's min-char-rnn (element-wise clipping to [-5, 5]).
"""

from __future__ import annotations

import math
import re

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, fmt, long_table, thin

OVERFLOW = "#D55E00"
CURSOR = theme.COLOURS["accent"]
CLIP_COLOURS = {"g": theme.COLOURS["h"], "norm": theme.COLOURS["i"], "elem": theme.COLOURS["f"]}
CLIP_NAMES = {"g": "gradient g", "norm": "norm-clipped", "elem": "element-clipped"}
WIDTHS = {"g": 10, "norm": 6, "elem": 3}
HEADS = {"g": 30, "norm": 22, "elem": 14}
CURVES_HEIGHT = 600  # px of the norms-through-time chart on a laptop


def log_values(a) -> np.ndarray:
    """Values for a log axis (float64): inf, NaN, zero and negatives become NaN (gaps)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(a) & (a > 0), a, np.nan)


def log_span(*curves) -> tuple[float, float]:
    """Lowest and highest finite positive value over the curves (1, 1 if there is none)."""
    vals = np.concatenate([log_values(c) for c in curves if c is not None]).astype(np.float64)
    vals = vals[np.isfinite(vals)]
    return (float(vals.min()), float(vals.max())) if len(vals) else (1.0, 1.0)


def sci(v: float) -> str:
    """A norm as a short label: 3.2e-05, 0.41, inf."""
    if not np.isfinite(v):
        return "inf" if v > 0 else "NaN"
    return f"{v:.2g}" if 1e-3 <= abs(v) < 1e4 or v == 0 else f"{v:.1e}"


def player(T: int, t: int) -> dict:
    """Layout entries (``theme.player``) for frames named 1..T, opening at step t.

    No full redraw: the frames move a small scatter trace over line charts, or shapes over
    heatmaps, and plotly animates both smoothly without one.
    """
    labels = [str(s) for s in range(1, T + 1)]
    return theme.player(labels, active=t - 1, redraw=False)


def _dashed(colour: str) -> dict:
    """The line style of thresholds and overflow marks."""
    return dict(color=colour, width=3, dash="dash")


def hline(y: float, text: str, colour: str, log: bool = False) -> tuple[dict, dict]:
    """A dashed line across the plot at height y and its label above the right end (plotly's
    ``add_hline``, as a shape and an annotation). ``log``: the y axis is a log axis, where
    plotly.js places annotations by log10 of the value (shapes by the value itself)."""
    shape = dict(
        type="line", x0=0, x1=1, y0=y, y1=y, xref="x domain", yref="y", line=_dashed(colour)
    )
    label = dict(
        text=text, x=1, y=float(np.log10(y)) if log else y, xref="x domain", yref="y",
        xanchor="right", yanchor="bottom", showarrow=False, font=dict(color=colour, size=18),
    )  # fmt: skip
    return shape, label


def vline(x: float, text: str, colour: str) -> tuple[dict, dict]:
    """A dashed line up the plot at x and its label right of the top (plotly's ``add_vline``)."""
    shape = dict(
        type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="y domain", line=_dashed(colour)
    )
    label = dict(
        text=text, x=x, y=1, xref="x", yref="y domain", xanchor="left", yanchor="top",
        showarrow=False, font=dict(color=colour, size=18),
    )  # fmt: skip
    return shape, label


def _cursor(t: int, dots: list, lo: float, hi: float) -> dict:
    """The cursor's coordinates: a vertical line at t (lo to hi), then a dot on every curve,
    at ``dots`` (the curves' values at t, None for a gap).

    None separates the dots from the line, so no segment is drawn twice. Plain lists: one set
    per frame, each a few values.
    """
    return dict(x=[t, t] + [None, t] * len(dots), y=[lo, hi] + [y for d in dots for y in (None, d)])


def _dots(curves: list[np.ndarray]) -> list[list]:
    """(T+1, curves) values for a log axis as Python floats, None for a gap: row t holds the
    cursor's dots at step t."""
    v = np.stack([log_values(c) for c in curves], axis=1)
    return np.where(np.isnan(v), None, v).tolist()


def gradient_curves(
    dL: np.ndarray,
    jac: np.ndarray,
    t: int,
    kind: str = "rnn",
    bound: np.ndarray | None = None,
    h_overflow: int | None = None,
) -> dict:
    """``||dL/dh_t||`` and ``||dh_T/dh_t||`` (each (T+1,), t = 0..T) on a log axis, 600 px high.

    ``bound`` (T+1,) is Pascanu's ``eta^(T-t)``, drawn dashed over the measured curve.
    The frames (one per step t = 1..T) move a cursor trace only: a vertical line with a dot on
    each curve. Where a curve is inf/NaN an X marks the step where
    it first overflowed going back; ``h_overflow`` marks the step whose hidden state overflowed.
    """
    T = len(jac) - 1
    x = np.arange(T + 1)
    curves = [("‖∂L/∂h<sub>t</sub>‖  loss gradient", dL, theme.COLOURS["h"], "solid")]
    curves.append(("‖∂h<sub>T</sub>/∂h<sub>t</sub>‖  Jacobian", jac, theme.COLOURS[kind], "solid"))
    if bound is not None:
        curves.append(("Pascanu bound η<sup>T−t</sup>", bound, theme.COLOURS["bound"], "dash"))
    values = [c for _, c, _, _ in curves]
    lo, hi = log_span(*values)
    dots = _dots(values)
    data = [
        dict(
            type="scatter", x=x, y=log_values(c), name=name, mode="lines",
            line=dict(color=colour, width=4 if dash == "solid" else 3, dash=dash),
            hovertemplate="%{y:.3g}",
        )
        for name, c, colour, dash in curves
    ]  # fmt: skip
    data += _overflow_marks(values[:2], hi)
    colours = [CURSOR, CURSOR] + [c for _, _, colour, _ in curves for c in (CURSOR, colour)]
    data.append(
        dict(
            type="scatter", **_cursor(t, dots[t], lo, hi), mode="lines+markers", name="step t",
            showlegend=False, hoverinfo="skip", line=dict(color=CURSOR, width=2, dash="dot"),
            marker=dict(size=[0, 0] + [0, 16] * len(curves), color=colours, line=dict(width=0)),
        )
    )  # fmt: skip
    cursor = [len(data) - 1]
    frames = [
        dict(name=str(s), data=[_cursor(s, dots[s], lo, hi)], traces=cursor)
        for s in range(1, T + 1)
    ]
    layout = dict(
        title=dict(text="Gradient norms against step t (log scale)"),
        height=CURVES_HEIGHT,
        xaxis=dict(range=[-0.5, T + 0.5], title=dict(text="step t")),
        yaxis=dict(**theme.log_axis(lo, hi, pad=0.3), title=dict(text="norm")),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        margin=dict(l=100, t=110, b=80),
        hovermode="x",
        **player(T, t),
    )
    if h_overflow is not None:
        shape, label = vline(h_overflow, f"h<sub>t</sub> overflows at t = {h_overflow}", OVERFLOW)
        layout.update(shapes=[shape], annotations=[label])
    return theme.figure(data, layout, frames)


def _overflow_marks(curves: list[np.ndarray], hi: float) -> list[dict]:
    """An X at the top of the plot where each curve first turned inf/NaN, going back in time
    (no trace if none did)."""
    xs = set()
    for c in curves:
        bad = np.flatnonzero(~np.isfinite(np.asarray(c, dtype=np.float64)))
        if len(bad):
            xs.add(int(bad.max()))
    if not xs:
        return []
    cross = dict(symbol="x-thin", size=22, color=OVERFLOW, line=dict(width=4, color=OVERFLOW))
    return [
        dict(
            type="scatter", x=sorted(xs), y=np.full(len(xs), hi), mode="markers",
            name="overflow to inf/NaN",
            marker=cross,
            hovertemplate="overflow at t = %{x}<extra></extra>",
        )
    ]  # fmt: skip


def singular_values_figure(
    svals: dict[str, np.ndarray],
    thresholds: dict[str, float],
    kind: str = "rnn",
    activation: str = "tanh",
) -> dict:
    """Singular values of W_hh, largest first, one curve per gate block, with 1/gamma lines.

    ``svals`` maps a block ("a" for the vanilla RNN, else a gate letter) to its singular values;
    ``thresholds`` maps a block to ``1/gamma`` of the nonlinearity that block feeds.
    """
    data = []
    for block, s in svals.items():
        name = "W<sub>hh</sub>" if block == "a" else f"W<sub>h{block}</sub>  {block}"
        colour = theme.COLOURS[kind if block == "a" else block]
        data.append(
            dict(
                type="scatter", x=np.arange(1, len(s) + 1), y=np.asarray(s, dtype=np.float32),
                name=name, mode="lines+markers", line=dict(color=colour, width=3),
                marker=dict(size=8), hovertemplate="σ<sub>%{x}</sub> = %{y:.3f}",
            )
        )  # fmt: skip
    lines = []
    for level in sorted(set(thresholds.values())):
        if kind == "rnn":
            what = activation
        else:
            what = "sigmoid gates" if level == 4 else "tanh candidate"
        lines.append(hline(level, f"1/γ = {level:g}  ({what})", CURSOR))
    shapes, labels = (list(v) for v in zip(*lines, strict=True)) if lines else ([], [])
    layout = dict(
        title=dict(text="Singular values of W<sub>hh</sub> against 1/γ"),
        xaxis=dict(title=dict(text="index k (largest first)")),
        yaxis=dict(title=dict(text="σ<sub>k</sub>"), rangemode="tozero"),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        margin=dict(t=110),
        shapes=shapes,
        annotations=labels,
    )
    return theme.figure(data, layout)


def clip_norms_figure(norms: dict[str, float], theta: float) -> dict:
    """Bars of ``||g||`` before and after the two clippings (log axis), a line at theta.

    ``norms`` maps "g", "norm" and "elem" (CLIP_NAMES) to a norm.
    """
    keys = [k for k in CLIP_NAMES if k in norms]
    lo, hi = log_span([norms[k] for k in keys], [theta])
    names = [CLIP_NAMES[k] for k in keys]
    bars = dict(
        type="bar", x=names, y=log_values([norms[k] for k in keys]),
        marker=dict(color=[CLIP_COLOURS[k] for k in keys]), text=[sci(norms[k]) for k in keys],
        textposition="outside", textfont=dict(size=20), cliponaxis=False,
        hovertemplate="%{x}: %{y:.3g}<extra></extra>",
    )  # fmt: skip
    shape, label = hline(theta, f"θ = {theta:g}", CURSOR, log=True)
    layout = dict(
        title=dict(text=f"Norm of the weight gradient, θ = {theta:g}"),
        yaxis=dict(**theme.log_axis(lo, hi, pad=0.6), title=dict(text="‖g‖")),
        # the names in two short lines, level: turned, they ran out of a phone's chart
        xaxis=dict(tickvals=names, ticktext=[re.sub(r" |(?<=-)", "<br>", n) for n in names]),
        showlegend=False,
        margin=dict(t=80, b=70),
        shapes=[shape],
        annotations=[label],
    )
    return theme.figure([bars], layout)


def clip_direction_figure(
    vectors: dict[str, np.ndarray], theta: float, names: tuple[str, str] = ("g₁", "g₂")
) -> dict:
    """The two largest components of g as arrows, before and after clipping.

    ``vectors`` maps "g", "norm", "elem" to the same two components of each vector. The dashed
    box ``|g_i| <= theta`` is where element-wise clipping puts every entry; the dotted circle of
    radius theta bounds the norm-clipped arrow. A g far outside is drawn shortened (and says so).
    """
    reach = float(np.abs(vectors["g"]).max())
    small = max(float(np.abs(vectors[k]).max()) for k in ("norm", "elem"))
    # always show the clipped arrows; the theta box when it is on their scale; g if it fits
    scale = max(small, theta if theta < 10 * reach else 0.0)
    scale = max(scale, reach) if reach <= 5 * scale else scale
    lim = 1.25 * (scale if scale > 0 else theta)
    square = dict(x0=-theta, x1=theta, y0=-theta, y1=theta)
    shapes = [
        dict(type="rect", **square, line=dict(color=CLIP_COLOURS["elem"], width=2, dash="dash")),
        dict(type="circle", **square, line=dict(color=CLIP_COLOURS["norm"], width=2, dash="dot")),
    ]
    layout = dict(
        title=dict(text="Direction: the two largest components of g"),
        xaxis=dict(title=dict(text=names[0]), range=[-lim, lim], zeroline=True),
        yaxis=dict(title=dict(text=names[1]), range=[-lim, lim], scaleanchor="x", zeroline=True),
        legend=dict(x=1.02, y=1, xanchor="left", yanchor="top"),
        margin=dict(t=80),
        shapes=shapes,
    )
    return theme.figure([_arrow(key, vectors[key], lim) for key in ("g", "norm", "elem")], layout)


def _arrow(key: str, v: np.ndarray, lim: float) -> dict:
    """The arrow from 0 to the two components ``v`` of vector ``key`` (CLIP_NAMES); g beyond
    ``lim`` is shortened to the edge, same direction, and named so."""
    v = np.asarray(v, dtype=np.float64)
    name = CLIP_NAMES[key]
    reach = np.abs(v).max()
    if key == "g" and reach > lim:
        v = v * (0.95 * lim / reach)
        name += " (shortened)"
    return dict(
        type="scatter", x=np.array([0.0, v[0]]), y=np.array([0.0, v[1]]), name=name,
        mode="lines+markers",
        # g widest, drawn first: arrows that coincide show as nested stripes
        line=dict(color=CLIP_COLOURS[key], width=WIDTHS[key]),
        marker=dict(symbol=["circle", "arrow"], size=[0, HEADS[key]], angleref="previous"),
        hovertemplate=f"{CLIP_NAMES[key]}: (%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
    )  # fmt: skip


def gradient_curves_alt(
    dL: np.ndarray, jac: np.ndarray, t: int, bound: np.ndarray | None = None
) -> Alt:
    """The gradient norms at step t in words, and every step's as a table."""
    T = len(jac) - 1
    text = (
        f"Log plot of two gradient norms against step t, 0 to {T}. At step {t}: the loss "
        f"gradient ‖∂L/∂h_t‖ is {fmt(dL[t])}, the Jacobian ‖∂h_T/∂h_t‖ {fmt(jac[t])}"
        + (f", Pascanu's bound {fmt(bound[t])}" if bound is not None else "")
        + f". At step 0: {fmt(dL[0])} and {fmt(jac[0])}."
    )
    table = {"step t": list(range(T + 1)), "‖∂L/∂h_t‖": column(dL), "‖∂h_T/∂h_t‖": column(jac)}
    if bound is not None:
        table["bound η^(T−t)"] = column(bound)
    return Alt("gradient norms", text, thin(table))


def singular_values_alt(svals: dict[str, np.ndarray], thresholds: dict[str, float]) -> Alt:
    """The largest singular value of each block against its 1/gamma, in words and a table."""
    said = "; ".join(
        f"{'W_hh' if b == 'a' else 'W_h' + b}: largest {fmt(s[0])} against 1/γ = "
        f"{thresholds[b]:g}" + (" (above)" if s[0] > thresholds[b] else " (below)")
        for b, s in svals.items()
    )
    text = f"Singular values of the recurrent weights, largest first: {said}."
    series = {
        ("W_hh" if b == "a" else f"W_h{b}"): (range(1, len(s) + 1), s) for b, s in svals.items()
    }
    return Alt("singular values", text, long_table(series, "index k", "σ_k", by="block"))


def clip_norms_alt(norms: dict[str, float], theta: float) -> Alt:
    """The three norms in words and as a table."""
    keys = [k for k in CLIP_NAMES if k in norms]
    said = ", ".join(f"{CLIP_NAMES[k]} {fmt(norms[k])}" for k in keys)
    text = f"Bars of the weight-gradient norm on a log axis against θ = {theta:g}: {said}."
    table = {"vector": [CLIP_NAMES[k] for k in keys], "‖g‖": column([norms[k] for k in keys])}
    return Alt("gradient norms before and after clipping", text, table)


def clip_direction_alt(vectors: dict[str, np.ndarray], names: tuple[str, str]) -> Alt:
    """The arrows' components and angles in words and as a table."""
    angle = {k: math.degrees(math.atan2(float(v[1]), float(v[0]))) for k, v in vectors.items()}
    said = "; ".join(
        f"{CLIP_NAMES[k]} ({fmt(v[0])}, {fmt(v[1])}), at {angle[k]:.0f}°"
        for k, v in vectors.items()
    )
    text = f"Arrows of the two largest gradient components, {names[0]} and {names[1]}: {said}."
    table = {
        "vector": [CLIP_NAMES[k] for k in vectors],
        names[0]: column([v[0] for v in vectors.values()]),
        names[1]: column([v[1] for v in vectors.values()]),
        "angle (degrees)": [round(a, 1) for a in angle.values()],
    }
    return Alt("direction of the gradient", text, table)
