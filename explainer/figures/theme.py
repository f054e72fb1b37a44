"""Palette, plotly template and animation chrome shared by every figure.

Colours are the Okabe-Ito set (safe for the common colour-vision deficiencies), one colour per
quantity everywhere: gates that *keep* the past (LSTM f, GRU z) are orange, candidates (g, n)
green, writes (i) sky blue, reads (o) pink, GRU reset (r) vermillion, cell state c yellow.
Signed values use a diverging map centred at 0; gate values in [0, 1] a sequential map.

References: Okabe & Ito 2008, "Color Universal Design"; plotly docs on animations.
"""

from __future__ import annotations

import base64
import os

import numpy as np
import plotly.graph_objects as go
from plotly import colors

BACKGROUND = "#000000"  # the app's backgroundColor (.streamlit/config.toml)
PANEL = "#262730"
TEXT = "#fafafa"
MUTED = "#a3a8b8"
GRID = "#3a3d4a"

COLOURS = {
    "i": "#56B4E9",
    "f": "#E69F00",
    "g": "#009E73",
    "o": "#CC79A7",
    "c": "#F0E442",
    "h": "#FFFFFF",
    "r": "#D55E00",
    "z": "#E69F00",
    "n": "#009E73",
    "rnn": "#56B4E9",
    "lstm": "#E69F00",
    "gru": "#009E73",
    "bound": "#CC79A7",
    "accent": "#F0E442",
}
GATE_NAMES = {
    "i": "input gate i",
    "f": "forget gate f",
    "g": "candidate g",
    "o": "output gate o",
    "r": "reset gate r",
    "z": "update gate z",
    "n": "candidate n",
    "c": "cell state c",
    "h": "hidden state h",
}
CELL_NAMES = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}

# blue below zero, dark at zero (the background), orange above
DIVERGING = [[0.0, "#56B4E9"], [0.5, "#15171f"], [1.0, "#E69F00"]]
# Viridis for gates in [0, 1], its stops written out: a plain dict cannot name it (plotly.py
# expands the name on validation, and plotly.js's own "Viridis" differs from it)
_VIRIDIS = colors.sequential.Viridis
SEQUENTIAL = [[k / (len(_VIRIDIS) - 1), c] for k, c in enumerate(_VIRIDIS)]

FONT = dict(family="Inter, Source Sans Pro, Helvetica, Arial, sans-serif", size=18, color=TEXT)

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=FONT,
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        colorway=["#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#D55E00", "#0072B2"],
        margin=dict(l=70, r=30, t=60, b=60),
        # at the chart's top edge: a legend above the plot grows up towards it, not over it
        title=dict(font=dict(size=22), yref="container", y=1, yanchor="top", pad=dict(t=12)),
        xaxis=dict(gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID, tickfont=dict(size=16)),
        yaxis=dict(gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID, tickfont=dict(size=16)),
        legend=dict(bgcolor="rgba(0,0,0,0)", font=dict(size=16)),
        hoverlabel=dict(font=dict(size=16)),
    )
)


# plotly validates every property it is given: ~0.3 ms a slider step, 150 ms for a 500-step
# player, and its objects cost more again to build and export. So figures are plain JSON dicts
# (``figure``); the test suite turns validation on (tests/conftest.py), and then every figure
# a builder returns is checked by plotly, frames included.
VALIDATE = os.environ.get("UNROLLED_VALIDATE_FIGURES") == "1"
TEMPLATE_JSON = TEMPLATE.to_plotly_json()


def figure(data: list[dict], layout: dict | None = None, frames: list[dict] | None = None) -> dict:
    """A plotly figure as a plain dict in the project's template: ``{"data", "layout",
    "frames"}`` exactly as plotly.js reads it (nested keys, ``title=dict(text=...)``; no
    ``title_text`` shorthands). Values may be NumPy arrays until ``pack``.

    Under the tests (``VALIDATE``) plotly checks every property and frame, and raises on a
    typo."""
    spec = {"data": list(data), "layout": {"template": TEMPLATE_JSON, **(layout or {})}}
    if frames:
        spec["frames"] = list(frames)
    if VALIDATE:
        go.Figure(spec)
    return spec


def typed_array(a) -> dict:
    """Float values as the base64 typed array plotly.js reads (``bdata``): float32 stays
    float32 (~5.3 characters a value, against ~18 written out), anything else goes as float64
    (for norms beyond float32's range). Non-finite values become NaN, a gap."""
    a = np.asarray(a)
    a = a if a.dtype == np.float32 else np.asarray(a, dtype=np.float64)
    a = np.ascontiguousarray(np.where(np.isfinite(a), a, np.nan), dtype=a.dtype.newbyteorder("<"))
    out = {"dtype": "f4" if a.dtype == np.float32 else "f8"}
    out["bdata"] = base64.b64encode(a.tobytes()).decode("ascii")
    if a.ndim > 1:  # row-major, like numpy
        out["shape"] = ",".join(str(n) for n in a.shape)
    return out


_SCALARS = frozenset({str, int, float, bool, type(None)})


def pack(spec):
    """A figure ready to send: NumPy float arrays become typed arrays (their own precision:
    ``f32`` the big ones first), other arrays lists and NumPy scalars Python numbers.
    Containers are copied; the input is left as it was."""
    if isinstance(spec, dict):  # the template holds no arrays: shared, not walked
        return {k: v if v is TEMPLATE_JSON else pack(v) for k, v in spec.items()}
    if isinstance(spec, list | tuple):
        if all(type(v) in _SCALARS for v in spec):  # labels, ticks: nothing inside to convert
            return list(spec)
        return [pack(v) for v in spec]
    if isinstance(spec, np.ndarray):
        return typed_array(spec) if spec.dtype.kind == "f" else spec.tolist()
    if isinstance(spec, np.generic):
        return spec.item()
    return spec


LOG_MAX_TICKS = 6  # tick labels on a log axis, whatever its span (70 decades smeared into one)
# the decades a float64 (and javascript's number) can hold: an axis padded past them has an
# end at infinity, and plotly labels its ticks "Infinity^-NaN"
LOG_FLOOR, LOG_CEILING = -323.0, float(np.log10(np.finfo(np.float64).max)) - 1e-3


def log_axis(lo: float, hi: float, pad: float = 0.0, max_ticks: int = LOG_MAX_TICKS) -> dict:
    """The one tick rule of every log axis: the axis from ``lo`` to ``hi`` (values, widened by
    ``pad`` decades each side), labelled 10^k every 1, 2, 5, 10, 20, 50 ... decades, the
    smallest step that keeps at most ``max_ticks`` labels. Within two decades plotly's own
    1-2-5 ticks, at most ``max_ticks`` of them. A span that is not positive and finite gives
    1 to 10; the ends stay inside what a float can hold (no infinite tick)."""
    ok = all(np.isfinite(v) and v > 0 for v in (lo, hi))
    lo, hi = (min(lo, hi), max(lo, hi)) if ok else (1.0, 10.0)
    a, b = float(np.log10(lo)) - pad, float(np.log10(hi)) + pad
    if b - a < 0.5:  # one value, or nearly: a decade around it
        a, b = (a + b) / 2 - 0.5, (a + b) / 2 + 0.5
    a, b = max(a, LOG_FLOOR), min(b, LOG_CEILING)
    axis = dict(type="log", exponentformat="power", range=[a, b])
    if b - a < 2:  # 1, 2, 5 times a power of ten, as large as the other labels
        return {**axis, **_one_two_five(a, b, max_ticks)}
    step = 1
    while np.floor(b / step) - np.ceil(a / step) + 1 > max_ticks:
        step = _next_nice(step)
    return {**axis, "dtick": step, "tick0": 0}


def log_axis_over(*values, pad: float = 0.2) -> dict:
    """``log_axis`` over the positive finite numbers among ``values`` (arrays, lists or
    numbers; None skipped)."""
    parts = [np.ravel(np.asarray(v, dtype=np.float64)) for v in values if v is not None]
    every = np.concatenate(parts) if parts else np.empty(0)
    every = every[np.isfinite(every) & (every > 0)]
    if not every.size:
        return log_axis(1.0, 10.0)
    return log_axis(float(every.min()), float(every.max()), pad=pad)


def _one_two_five(a: float, b: float, max_ticks: int) -> dict:
    """Ticks at 1, 2 and 5 times powers of ten between 10^a and 10^b (only the powers when
    that is too many), labelled like the decades' labels."""
    for mantissas in ((1, 2, 5), (1,)):
        values = [m * 10.0**k for k in range(int(np.floor(a)), int(np.ceil(b)) + 1)
                  for m in mantissas if a <= np.log10(m) + k <= b]  # fmt: skip
        if len(values) <= max_ticks:
            break
    return dict(tickvals=values, ticktext=[_tick_label(v) for v in values])


def _tick_label(v: float) -> str:
    """0.02, 5, 200; 2×10^-5 beyond."""
    if 1e-3 <= v < 1e4:
        return f"{v:g}"
    k = int(np.floor(np.log10(v)))
    m = round(v / 10.0**k)
    return (f"{m}×" if m != 1 else "") + f"10<sup>{k}</sup>"


def _next_nice(step: int) -> int:
    """1, 2, 5, 10, 20, 50, 100, ..."""
    head = int(str(step)[0])
    return step * 2 if head in (1, 5) else step * 5 // 2


def stacked(heights: list[float], gap: float) -> list[list[float]]:
    """Paper y-domains of rows stacked top to bottom, sized by ``heights`` with ``gap``
    between neighbours (what plotly's ``make_subplots`` computes, without its 80 ms)."""
    free = 1.0 - gap * (len(heights) - 1)
    total = float(sum(heights))
    out, top = [], 1.0
    for h in heights:
        bottom = max(top - free * h / total, 0.0)
        out.append([round(bottom, 6), round(top, 6)])
        top = bottom - gap
    return out


def axis_ref(letter: str, row: int) -> str:
    """How a trace, shape or anchor names row ``row``'s (1-based) x or y axis: 'x', 'x2', ..."""
    return f"{letter}{row if row > 1 else ''}"


def axis_key(letter: str, row: int) -> str:
    """The layout key of that axis: 'xaxis', 'xaxis2', ..."""
    return f"{letter}axis{row if row > 1 else ''}"


def shared_x_rows(domains: list[list[float]]) -> dict:
    """Layout axes of rows stacked over one shared x axis, top to bottom with paper y-domains
    ``domains`` (``stacked``), as ``make_subplots(shared_xaxes=True)`` lays them out: every x
    axis matches the bottom one, which alone shows its tick labels."""
    n = len(domains)
    layout = {}
    for row, domain in enumerate(domains, 1):
        x = dict(anchor=axis_ref("y", row), domain=[0.0, 1.0])
        if row < n:
            x.update(matches=axis_ref("x", n), showticklabels=False)
        layout[axis_key("x", row)] = x
        layout[axis_key("y", row)] = dict(anchor=axis_ref("x", row), domain=domain)
    return layout


def panel_title(text: str, x: list[float], y_top: float, **font) -> dict:
    """A title centred above a panel whose paper domain is ``x`` and top is ``y_top``."""
    return dict(
        text=text, x=sum(x) / 2, y=y_top, xref="paper", yref="paper", xanchor="center",
        yanchor="bottom", showarrow=False, font=dict(size=20, **font),
    )  # fmt: skip


def f32(a) -> np.ndarray:
    """Values as a float32 array: plotly sends NumPy arrays as base64 typed arrays (4 bytes a
    value, against ~18 characters for a float64 written as text). Non-finite values become NaN,
    which plotly draws as a gap."""
    with np.errstate(over="ignore"):  # beyond float32's range: inf, then a gap
        a = np.asarray(a, dtype=np.float32)
    return np.where(np.isfinite(a), a, np.float32("nan"))


def player(labels: list[str], active: int = 0, redraw: bool = True) -> dict:
    """Layout entries of an animated figure with frames named by ``labels``: no in-chart
    Play/Pause or slider (the page's one time cursor, ``explainer/ui/player.py``, drives every
    chart of a page together), only ``meta.cursor``, which tells that bar the step the figure
    shows (``active`` + 1), how many frames it has and whether a frame needs a full redraw.

    ``redraw=False`` keeps playback smooth when frames move only layout shapes over large
    heatmaps; frames that carry trace data need ``redraw=True`` beside a heatmap (plotly.js 3
    drops the heatmap's image otherwise).
    """
    return dict(meta=dict(cursor=dict(step=active + 1, frames=len(labels), redraw=redraw)))


def shown_step(spec: dict) -> int:
    """The step (1-based) an animated figure opens at (``player``, ``aim_spec``)."""
    return int(spec["layout"]["meta"]["cursor"]["step"])


def aim_spec(spec: dict, active: int) -> dict:
    """A built animated figure (``fig.to_dict()``, frames included) opened at another frame:
    frame ``active`` becomes the first picture and ``meta.cursor`` says so.

    Pure dict work on shallow copies (the cached spec is shared and never changed): moving the
    step costs about a millisecond instead of rebuilding the figure.
    """
    frames = spec["frames"]
    data, layout = list(spec["data"]), dict(spec["layout"])
    frame = frames[active]
    changed = frame.get("data", [])
    for k, trace in zip(frame.get("traces", range(len(changed))), changed, strict=True):
        data[k] = {**data[k], **trace}
    for key, value in frame.get("layout", {}).items():
        layout[key] = _merged(layout.get(key), value)
    meta = dict(layout["meta"])
    meta["cursor"] = {**meta["cursor"], "step": active + 1}
    layout["meta"] = meta
    return {**spec, "data": data, "layout": layout}


def _merged(old, new):
    """A frame's layout entry over the figure's, as plotly.js animates it: lists of dicts
    (shapes, annotations) merge item by item, so a frame may carry only what moves."""
    if isinstance(old, list) and isinstance(new, list):
        moved = [{**a, **b} if isinstance(a, dict) else b for a, b in zip(old, new, strict=False)]
        return moved + new[len(old) :] + old[len(new) :]
    return new


class SpecFigure(go.Figure):
    """A ready figure dict that ``st.plotly_chart`` sends as it is.

    ``st.plotly_chart`` validates a bare dict (60-400 ms) but takes a plotly figure through its
    ``to_dict``; this one answers with the dict. It skips ``go.Figure.__init__`` on purpose
    (2.5 ms: a deep copy of the template), so ``to_dict`` is all it can do.
    """

    def __init__(self, spec: dict):  # no super().__init__(): see above
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def from_spec(spec: dict) -> SpecFigure:
    """A packed figure dict, ready for ``st.plotly_chart`` with no plotly objects built."""
    return SpecFigure(spec)
