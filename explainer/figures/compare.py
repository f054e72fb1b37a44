"""Figures of the compare page: RNN, LSTM and GRU on the same input, side by side.

One log plot of ``||dh_T/dh_t||`` per cell, and the three hidden-state heatmaps on one time
axis and one colour scale, with the step t highlighted. The heatmaps go once into the figure
(float32 typed arrays); each animation frame moves only the three highlight outlines.

References: Cho et al. 2014 (GRU); Hochreiter & Schmidhuber 1997 (LSTM); Jozefowicz et al.
2015 (an empirical comparison of recurrent cells).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explainer.figures import theme
from explainer.figures.gradients import CURSOR, OVERFLOW, add_player, log_span, log_values, sci

# tanh-type states live in (-1, 1); a relu/linear RNN beyond that is drawn at full colour
STATE_RANGE = 1.0


def jacobian_comparison(norms: dict[str, np.ndarray], t: int) -> go.Figure:
    """``||dh_T/dh_t||`` (each (T+1,), t = 0..T) of every cell on one log axis, t marked.

    The legend gives each cell's end-to-end gain ``||dh_T/dh_0||``; an X marks where a curve
    turned inf/NaN going back in time.
    """
    T = len(next(iter(norms.values()))) - 1
    x = np.arange(T + 1, dtype=np.int32)
    fig = theme.new_figure(
        title=dict(text="How far back does each cell reach? ‖∂h<sub>T</sub>/∂h<sub>t</sub>‖"),
        xaxis=dict(title="step t", range=[-0.5, T + 0.5]),
        yaxis=dict(type="log", exponentformat="power", title="norm (log scale)"),
        # below the axis: three long names would wrap into the title on narrow charts
        legend=dict(orientation="h", x=0, y=-0.3, yanchor="top"),
        margin=dict(l=100, t=70, b=170),
        hovermode="x",
    )
    for kind, n in norms.items():
        fig.add_scatter(
            x=x,
            y=log_values(n),
            name=f"{theme.CELL_NAMES[kind]}  (gain {sci(float(n[0]))})",
            mode="lines",
            line=dict(color=theme.COLOURS[kind], width=4),
            hovertemplate="%{y:.3g}",
        )
    _, hi = log_span(*norms.values())
    bad = [
        int(np.flatnonzero(~np.isfinite(n)).max())
        for n in norms.values()
        if not np.isfinite(n).all()
    ]
    if bad:
        fig.add_scatter(
            x=np.array(bad, dtype=np.int32),
            y=np.full(len(bad), hi),
            mode="markers",
            name="overflow to inf/NaN",
            marker=dict(symbol="x-thin", size=22, line=dict(width=4, color=OVERFLOW)),
        )
    fig.add_scatter(
        x=[t] * len(norms),
        y=[float(log_values([n[t]])[0]) for n in norms.values()],
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        marker=dict(size=16, color=[theme.COLOURS[k] for k in norms], line=dict(width=0)),
    )
    fig.add_vline(
        x=t,
        line=dict(color=CURSOR, width=2, dash="dot"),
        annotation=dict(text=f"t = {t}", font=dict(color=CURSOR, size=18)),
    )
    return fig


def _boxes(t: int, rows: int) -> list[dict]:
    """Where the highlight of column t sits in each row (frames carry only this: x0 and x1)."""
    return [dict(x0=t - 0.5, x1=t + 0.5)] * rows


def state_heatmaps(states: dict[str, np.ndarray], t: int) -> go.Figure:
    """Hidden states ``h_t`` (each (T, H), t = 1..T) of every cell, one row per cell.

    Rows share the time axis and the diverging colour scale (-1 blue, 0 dark, +1 orange). The
    frames (one per step) carry only x0 and x1 of the three highlight outlines.
    """
    kinds = list(states)
    T, H = next(iter(states.values())).shape
    fig = make_subplots(
        rows=len(kinds),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        subplot_titles=[f"<b>{theme.CELL_NAMES[k]}</b>" for k in kinds],
        figure=theme.new_figure(
            title=dict(text="Hidden states h<sub>t</sub>, one row per unit"),
            coloraxis=dict(
                colorscale=theme.DIVERGING,
                cmin=-STATE_RANGE,
                cmax=STATE_RANGE,
                colorbar=dict(title=dict(text="h"), len=0.8),
            ),
            margin=dict(t=90, b=140),
        ),
    )
    for row, kind in enumerate(kinds, 1):
        h = np.asarray(states[kind], dtype=np.float64).T
        # inf/NaN become gaps; huge finite values stay at full colour within float32's range
        z = np.where(np.isfinite(h), np.clip(h, -1e30, 1e30), np.nan)
        fig.add_heatmap(
            z=theme.f32(z),
            x=np.arange(1, T + 1, dtype=np.int32),
            y=np.arange(H, dtype=np.int32),
            coloraxis="coloraxis",
            name=theme.CELL_NAMES[kind],
            hovertemplate="t = %{x}, unit %{y}<br>h = %{z:.3f}<extra>%{fullData.name}</extra>",
            row=row,
            col=1,
        )
        fig.update_yaxes(title_text="unit", range=[-0.5, H - 0.5], row=row, col=1)
    # subplot titles in each cell's colour
    for ann, kind in zip(fig.layout.annotations, kinds, strict=True):
        ann.font = dict(color=theme.COLOURS[kind], size=20)
    # the highlight: one outline per row, spanning the row's full height (its y domain)
    fig.update_layout(
        shapes=[
            dict(
                type="rect",
                xref="x" if row == 1 else f"x{row}",
                yref="y domain" if row == 1 else f"y{row} domain",
                y0=0,
                y1=1,
                line=dict(color=CURSOR, width=3),
                **box,
            )
            for row, box in enumerate(_boxes(t, len(kinds)), 1)
        ]
    )
    # layout frames, not trace frames: plotly keeps the heatmaps drawn while shapes move
    # (a frame that moves a trace blanks the heatmaps, or redraws them with a flicker)
    fig.frames = [
        dict(name=str(s), layout=dict(shapes=_boxes(s, len(kinds)))) for s in range(1, T + 1)
    ]
    add_player(fig, T, t)
    return fig
