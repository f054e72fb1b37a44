"""Figures of the compare page: RNN, LSTM and GRU on the same input, side by side.

One log plot of ``||dh_T/dh_t||`` per cell, and the three hidden-state heatmaps on one time
axis and one colour scale, with the step t highlighted. The heatmaps go once into the figure
(float32 typed arrays); each animation frame moves only the three highlight outlines.

Both figures are plain dicts (``theme.figure``), with the subplots laid out by hand: plotly's
objects and ``make_subplots`` cost 20-300 ms a figure on every rerun. The tests validate them.

References: Cho et al. 2014 (GRU); Hochreiter & Schmidhuber 1997 (LSTM); Jozefowicz et al.
2015 (an empirical comparison of recurrent cells).
"""

from __future__ import annotations

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, extreme, fmt, thin
from explainer.figures.gradients import (
    CURSOR,
    OVERFLOW,
    log_span,
    log_values,
    player,
    sci,
    vline,
)

# tanh-type states live in (-1, 1); a relu/linear RNN beyond that is drawn at full colour
STATE_RANGE = 1.0
ROW_GAP = 0.07  # paper height between two heatmap rows


def jacobian_comparison(norms: dict[str, np.ndarray], t: int) -> dict:
    """``||dh_T/dh_t||`` (each (T+1,), t = 0..T) of every cell on one log axis, t marked.

    The legend gives each cell's end-to-end gain ``||dh_T/dh_0||``; an X marks where a curve
    turned inf/NaN going back in time. Norms stay float64: they leave float32's range.
    """
    T = len(next(iter(norms.values()))) - 1
    x = np.arange(T + 1)
    curves = [
        dict(
            type="scatter", x=x, y=log_values(n), mode="lines",
            name=f"{theme.CELL_NAMES[kind]}  (gain {sci(float(n[0]))})",
            line=dict(color=theme.COLOURS[kind], width=4), hovertemplate="%{y:.3g}",
        )
        for kind, n in norms.items()
    ]  # fmt: skip
    dots = dict(
        type="scatter", x=[t] * len(norms), y=log_values([n[t] for n in norms.values()]),
        mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(size=16, color=[theme.COLOURS[k] for k in norms], line=dict(width=0)),
    )  # fmt: skip
    layout = dict(
        title=dict(text="How far back does each cell reach? ‖∂h<sub>T</sub>/∂h<sub>t</sub>‖"),
        xaxis=dict(title=dict(text="step t"), range=[-0.5, T + 0.5]),
        yaxis=dict(
            **theme.log_axis(*log_span(*norms.values()), pad=0.3),
            title=dict(text="norm (log scale)"),
        ),  # fmt: skip
        # below the axis: three long names would wrap into the title on narrow charts
        # at the chart's bottom edge, under the axis title at any height
        legend=dict(orientation="h", x=0, yref="container", y=0, yanchor="bottom"),
        margin=dict(l=100, t=70, b=170),
        hovermode="x",
        **step_line(t),
    )
    return theme.figure([*curves, *overflow_marks(norms), dots], layout)


def overflow_marks(norms: dict[str, np.ndarray]) -> list[dict]:
    """An X at the top of the plot where each curve turned inf/NaN going back (none if all
    are finite): the last step whose norm is not finite."""
    bad = [
        int(np.flatnonzero(~np.isfinite(n)).max())
        for n in norms.values()
        if not np.isfinite(n).all()
    ]
    if not bad:
        return []
    _, hi = log_span(*norms.values())
    return [
        dict(
            type="scatter", x=bad, y=[hi] * len(bad), mode="markers", name="overflow to inf/NaN",
            marker=dict(symbol="x-thin", size=22, line=dict(width=4, color=OVERFLOW)),
        )
    ]  # fmt: skip


def step_line(t: int) -> dict:
    """Layout entries of a dotted vertical line at step t, labelled at its top."""
    shape, label = vline(t, f"t = {t}", CURSOR)
    return dict(shapes=[{**shape, "line": dict(color=CURSOR, width=2, dash="dot")}],
                annotations=[label])  # fmt: skip


def highlights(t: int, rows: int) -> list[dict]:
    """The outline of column t in each row, spanning the row's full height (its y domain).

    Frames carry only ``boxes``: plotly.js and ``theme.aim_spec`` merge shapes by position."""
    return [
        dict(
            type="rect", xref=theme.axis_ref("x", row), yref=f"{theme.axis_ref('y', row)} domain",
            y0=0, y1=1, x0=t - 0.5, x1=t + 0.5, line=dict(color=CURSOR, width=3),
        )
        for row in range(1, rows + 1)
    ]  # fmt: skip


def boxes(t: int, rows: int) -> list[dict]:
    """What a frame moves: x0 and x1 of each row's outline of column t."""
    return [dict(x0=t - 0.5, x1=t + 0.5)] * rows


def rows_layout(kinds: list[str], H: int) -> dict:
    """Axes and titles of one heatmap row per cell (H units each) on a shared time axis, as
    ``make_subplots(rows, shared_xaxes=True)`` laid them out: the upper x axes match the
    bottom one and hide their tick labels; each title sits on its row, in the cell's colour."""
    domains = theme.stacked([1] * len(kinds), ROW_GAP)
    layout, titles = theme.shared_x_rows(domains), []
    for row, (kind, (_, y1)) in enumerate(zip(kinds, domains, strict=True), 1):
        layout[theme.axis_key("y", row)].update(title=dict(text="unit"), range=[-0.5, H - 0.5])
        name = f"<b>{theme.CELL_NAMES[kind]}</b>"
        titles.append(theme.panel_title(name, [0.0, 1.0], y1, color=theme.COLOURS[kind]))
    return dict(layout, annotations=titles)


def heatmap(kind: str, h: np.ndarray, row: int) -> dict:
    """Hidden states (T, H) of one cell as a units x steps heatmap in subplot ``row``.

    inf/NaN become gaps; huge finite values stay at full colour within float32's range."""
    h = np.asarray(h, dtype=np.float64).T
    z = np.where(np.isfinite(h), np.clip(h, -1e30, 1e30), np.nan)
    H, T = h.shape
    return dict(
        type="heatmap", z=theme.f32(z), x=np.arange(1, T + 1), y=np.arange(H),
        xaxis=theme.axis_ref("x", row), yaxis=theme.axis_ref("y", row), coloraxis="coloraxis",
        name=theme.CELL_NAMES[kind],
        hovertemplate="t = %{x}, unit %{y}<br>h = %{z:.3f}<extra>%{fullData.name}</extra>",
    )  # fmt: skip


def state_heatmaps(states: dict[str, np.ndarray], t: int) -> dict:
    """Hidden states ``h_t`` (each (T, H), t = 1..T) of every cell, one row per cell.

    Rows share the time axis and the diverging colour scale (-1 blue, 0 dark, +1 orange), and
    grow with the largest H (6 px a unit, 120 to 260 px a row). The
    frames (one per step) carry only the three highlight outlines: layout frames, not trace
    frames, so plotly keeps the heatmaps drawn while the outlines move (a frame that moves a
    trace blanks the heatmaps, or redraws them with a flicker).
    """
    kinds = list(states)
    T, H = next(iter(states.values())).shape
    rows_px = int(np.clip(6 * max(h.shape[1] for h in states.values()), 120, 260))
    data = [heatmap(kind, states[kind], row) for row, kind in enumerate(kinds, 1)]
    layout = dict(
        title=dict(text="Hidden states h<sub>t</sub>, one row per unit"),
        coloraxis=dict(
            colorscale=theme.DIVERGING, cmin=-STATE_RANGE, cmax=STATE_RANGE,
            colorbar=dict(title=dict(text="h"), len=0.8),
        ),
        margin=dict(t=90, b=80),
        height=300 + len(kinds) * rows_px,
        **rows_layout(kinds, H),
        shapes=highlights(t, len(kinds)),
        **player(T, t),
    )  # fmt: skip
    frames = [dict(name=str(s), layout=dict(shapes=boxes(s, len(kinds)))) for s in range(1, T + 1)]
    return theme.figure(data, layout, frames)


def jacobian_comparison_alt(norms: dict[str, np.ndarray], t: int) -> Alt:
    """Each cell's reach back in time in words, and the curves as a table."""
    T = len(next(iter(norms.values()))) - 1
    said = "; ".join(
        f"{theme.CELL_NAMES[k]}: {fmt(n[t])} at step {t}, end to end gain {fmt(n[0])}"
        for k, n in norms.items()
    )
    text = (
        f"Log plot of the norm of dh_T/dh_t against step t, 0 to {T}, one curve per cell: {said}."
    )
    table = {"step t": list(range(T + 1))}
    table |= {f"{theme.CELL_NAMES[k]} ‖∂h_T/∂h_t‖": column(n) for k, n in norms.items()}
    return Alt("Jacobian norms", text, thin(table))


def state_heatmaps_alt(states: dict[str, np.ndarray], t: int) -> Alt:
    """The hidden states at step t in words, and every unit's value at t per cell."""
    T = next(iter(states.values())).shape[0]
    said = []
    for k, h in states.items():
        top = extreme(h[t - 1])
        where = f"unit {top[0][0]} the largest at {fmt(top[1])}" if top else "no finite value"
        said.append(f"{theme.CELL_NAMES[k]} ({h.shape[1]} units): {where}")
    text = f"Heatmaps of the hidden states over {T} steps, one per cell; at step {t}: " + (
        "; ".join(said) + "."
    )
    rows = max(h.shape[1] for h in states.values())
    table = {"unit": list(range(rows))}
    for k, h in states.items():
        values = column(h[t - 1])
        table[f"{theme.CELL_NAMES[k]} h at step {t}"] = values + [None] * (rows - len(values))
    return Alt(f"hidden states at step {t}", text, table)
