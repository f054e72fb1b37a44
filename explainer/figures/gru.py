r"""GRU-only figures: how much of h_{t-1} each unit keeps, and the parameter counts.

.. math::
    h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}

In PyTorch's convention z near 1 keeps the past. Builders return plain JSON dicts
(``theme.figure``), as in ``figures.gates``.
"""

from __future__ import annotations

import numpy as np

from explainer.cells import BLOCKS, n_params
from explainer.figures import theme
from explainer.figures.alt import Alt, column, fmt
from explainer.figures.gates import TOP_LEGEND, animate
from explainer.trace import Trace


def keep_bars(tr: Trace, labels, t: int, j: int) -> dict:
    """GRU: z_t per unit at step t (bars, animated) and z averaged over the sequence.

    In PyTorch's convention h_t = (1 - z_t) n_t + z_t h_{t-1}: z near 1 keeps the old state.
    """
    z = theme.f32(tr.gates["z"])  # (T, H)
    units = np.arange(tr.H)
    edge = dict(color=theme.TEXT, width=[3 if u == j else 0 for u in units])
    ends = dict(tickvals=[0, 0.5, 1], ticktext=["new 0", "0.5", "keep 1"])
    half = dict(type="line", x0=0, x1=1, xref="x domain", y0=0.5, y1=0.5, yref="y",
                line=dict(color=theme.GRID, dash="dot"))  # fmt: skip
    layout = dict(
        title=dict(text="Update gate z<sub>t</sub> of each unit at step t"),
        height=560,
        xaxis=dict(range=[-0.6, tr.H - 0.4], hoverformat="d"),
        yaxis=dict(ends, range=[0, 1.04]),
        legend=dict(TOP_LEGEND, y=1.02),
        margin=dict(t=120, b=80),
        bargap=0.15,
        shapes=[half],
    )
    bars = dict(
        type="bar",
        x=units,
        y=z[t - 1],
        name="z<sub>t</sub> at step t",
        marker=dict(color=theme.COLOURS["z"], line=edge),
        hovertemplate="unit %{x}: z = %{y:.2f}<extra></extra>",
    )
    mean = dict(
        type="scatter",
        x=units,
        y=theme.f32(tr.gates["z"].mean(axis=0)),
        mode="markers",
        name="z averaged over all steps",
        marker=dict(
            symbol="line-ew", size=min(24, 6 + 320 // tr.H), line=dict(color=theme.TEXT, width=4)
        ),
        hovertemplate="unit %{x}: mean z = %{y:.2f}<extra></extra>",
    )

    def frame(s: int) -> dict:  # only the bars move
        return dict(data=[dict(type="bar", y=z[s - 1])], traces=[0])

    return animate([bars, mean], layout, labels, t, frame)


def param_counts(D: int, H: int) -> dict:
    """Parameters of one layer for each cell: G (H D + H^2 + 2 H) with G = 1, 3, 4."""
    kinds = ("rnn", "gru", "lstm")
    counts = [n_params(k, D, H) for k in kinds]
    layout = dict(
        # short: it heads a half-width chart
        title=dict(text=f"Parameters (D = {D}, H = {H})"),
        height=420,
        yaxis=dict(title=dict(text="parameters"), range=[0, max(counts) * 1.25]),
        margin=dict(t=70, b=90),
    )
    bars = dict(
        type="bar",
        x=[f"{theme.CELL_NAMES[k]}<br>G = {len(BLOCKS[k])}" for k in kinds],
        y=counts,
        text=[f"{n:,}" for n in counts],
        textposition="outside",
        textfont=dict(size=22),
        marker=dict(color=[theme.COLOURS[k] for k in kinds]),
        hovertemplate="%{x}: %{y:,}<extra></extra>",
    )
    return theme.figure([bars], layout)


def keep_bars_alt(tr: Trace, labels, t: int, j: int) -> Alt:
    """The update gate at step t in words, and every unit's z (at t and on average)."""
    z = tr.gates["z"]
    now, mean = z[t - 1], z.mean(axis=0)
    keep = int(np.sum(now > 0.5))
    text = (
        f"Bars of the update gate z of {tr.H} units at step {t} (input {labels[t - 1]}): "
        f"{keep} of {tr.H} units keep more than half of h_(t-1) (z > 0.5); the mean z is "
        f"{fmt(np.mean(now))}, unit {j} has {fmt(now[j])}. Marks: z averaged over all "
        f"{tr.T} steps, from {fmt(mean.min())} to {fmt(mean.max())}."
    )
    table = {"unit": list(range(tr.H)), f"z at step {t}": column(now), "mean z": column(mean)}
    return Alt(f"update gate at step {t}", text, table)


def param_counts_alt(D: int, H: int) -> Alt:
    """The three parameter counts in words and as a table."""
    kinds = ("rnn", "gru", "lstm")
    counts = [n_params(k, D, H) for k in kinds]
    said = ", ".join(f"{theme.CELL_NAMES[k]} {n:,}" for k, n in zip(kinds, counts, strict=True))
    text = f"Bars of the parameters of one layer for D = {D} inputs and H = {H} units: {said}."
    table = {
        "cell": [theme.CELL_NAMES[k] for k in kinds],
        "blocks G": [len(BLOCKS[k]) for k in kinds],
        "parameters": counts,
    }
    return Alt("parameter counts", text, table)
