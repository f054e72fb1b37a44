"""Figures of the train-and-compare page: loss against the baseline, the metric, gradient norms
before and after clipping with NaN/explosion events, the adding-problem sweep, a forecast.

Pure plotly: each builder takes plain per-cell histories (anything with the attributes of
``explainer.train.History``) or arrays, and returns a ``go.Figure``.

References: Hochreiter & Schmidhuber 1997 and Arjovsky et al. 2016 (success rate against T);
Pascanu et al. 2013 (gradient norms and clipping).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explainer.figures import theme

MAX_POINTS = 600
EVENT_STYLE = {
    "spike": dict(symbol="triangle-up", size=14, color=theme.COLOURS["accent"]),
    "nan": dict(symbol="x", size=16, color=theme.COLOURS["r"]),
    "diverged": dict(symbol="x", size=22, color=theme.COLOURS["r"], line=dict(width=2)),
}
EVENT_NAMES = {"spike": "gradient spike", "nan": "inf/NaN step (skipped)", "diverged": "diverged"}


def axes(x: str, y: str) -> dict:
    """Axis titles spelled out in full: the app builds figures without plotly's validation,
    which is what turns the shorthand ``xaxis_title=`` into ``title.text``."""
    return dict(xaxis=dict(title=dict(text=x)), yaxis=dict(title=dict(text=y)))


def bins(x, y, how: str = "mean", n: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most ``n`` points: the mean (or max) of consecutive bins, x at each bin's end."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) <= n:
        return x, y
    k = int(np.ceil(len(x) / n))
    m = len(x) // k * k
    reduce = np.nanmax if how == "max" else np.nanmean
    with np.errstate(all="ignore"):
        yb = reduce(y[:m].reshape(-1, k), axis=1)
    return x[k - 1 : m : k], yb


def smooth(y, width: int = 20) -> np.ndarray:
    """Trailing moving average (ignoring inf/NaN), so a noisy training loss reads as a trend."""
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(y)
    c = np.concatenate([[0.0], np.cumsum(np.where(ok, y, 0.0))])
    n = np.concatenate([[0], np.cumsum(ok)])
    lo = np.maximum(np.arange(1, len(y) + 1) - width, 0)
    hi = np.arange(1, len(y) + 1)
    with np.errstate(all="ignore"):
        return (c[hi] - c[lo]) / (n[hi] - n[lo])


def _baseline(fig: go.Figure, value: float, label: str, **where) -> None:
    fig.add_hline(
        y=value,
        line=dict(color=theme.MUTED, width=2, dash="dash"),
        annotation=dict(
            text=label,
            font=dict(color=theme.MUTED, size=15),
            xanchor="right",
            x=1,
            yanchor="bottom",
        ),
        **where,
    )


def _events(fig: go.Figure, histories: Mapping, y_of, **where) -> None:
    """One marker trace per kind of event, placed by ``y_of(history, step)``."""
    for kind, style in EVENT_STYLE.items():
        xs, ys, text = [], [], []
        for cell, h in histories.items():
            for e in h.events:
                e = e if isinstance(e, dict) else vars(e)
                if e["kind"] == kind:
                    xs.append(e["step"])
                    ys.append(y_of(h, e["step"]))
                    text.append(f"{theme.CELL_NAMES[cell]}: {e['detail']}")
        if xs:
            fig.add_scatter(
                x=xs,
                y=theme.f32(ys),
                mode="markers",
                marker=style,
                name=EVENT_NAMES[kind],
                text=text,
                hovertemplate="step %{x}<br>%{text}<extra></extra>",
                **where,
            )


def _at(steps, values, step: int) -> float:
    """A curve's value at (or just after) ``step``; non-finite points sit at the curve's top."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 1.0
    if len(values) == 0:
        return top
    k = int(np.clip(np.searchsorted(np.asarray(steps), step), 0, len(values) - 1))
    return float(values[k]) if np.isfinite(values[k]) else top


def loss_curves(
    histories: Mapping, baseline: float, baseline_label: str, log_y: bool = False
) -> go.Figure:
    """Validation loss (solid, markers) and smoothed training loss (faint) of each cell, the
    memoryless baseline dashed, and events marked on the curves."""
    fig = theme.new_figure(
        **axes("training step", "loss"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(t=70),
    )
    for cell, h in histories.items():
        colour, name = theme.COLOURS[cell], theme.CELL_NAMES[cell]
        if len(h.step):
            x, y = bins(h.step, smooth(h.loss))
            fig.add_scatter(
                x=x,
                y=theme.f32(y),
                mode="lines",
                name=f"{name} (training)",
                legendgroup=cell,
                showlegend=False,
                opacity=0.45,
                line=dict(color=colour, width=2),
                hovertemplate=f"{name} training<br>step %{{x}}<br>loss %{{y:.4g}}<extra></extra>",
            )
        fig.add_scatter(
            x=list(h.val_step),
            y=theme.f32(h.val_loss),
            mode="lines+markers",
            name=name,
            legendgroup=cell,
            line=dict(color=colour, width=4),
            marker=dict(size=6),
            hovertemplate=f"{name} validation<br>step %{{x}}<br>loss %{{y:.4g}}<extra></extra>",
        )
    _baseline(fig, baseline, f"baseline: {baseline_label}")
    _events(fig, histories, lambda h, s: _at(h.val_step, h.val_loss, s))
    if log_y:
        fig.update_yaxes(type="log", exponentformat="power", dtick=1)
    return fig


def metric_curves(histories: Mapping, metric_name: str, chance: float) -> go.Figure:
    """The task's metric on held-out data against training steps; the memoryless guess dashed."""
    fig = theme.new_figure(
        **axes("training step", metric_name),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(t=70),
    )
    for cell, h in histories.items():
        name = theme.CELL_NAMES[cell]
        fig.add_scatter(
            x=list(h.val_step),
            y=theme.f32(h.val_metric),
            mode="lines+markers",
            name=name,
            line=dict(color=theme.COLOURS[cell], width=4),
            marker=dict(size=6),
            hovertemplate=f"{name}<br>step %{{x}}<br>%{{y:.3f}}<extra></extra>",
        )
    _baseline(fig, chance, f"memoryless guess: {chance:.2f}")
    if metric_name.endswith("right") or metric_name.startswith("solved"):
        fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    elif metric_name.startswith("skill"):
        # skill = 1 - MSE / MSE of persistence: 1 is perfect, below -1 is off the chart
        fig.update_yaxes(range=[-1, 1])
    return fig


def grad_norms(histories: Mapping, clip: float | None) -> go.Figure:
    """Per cell, the gradient norm ``||g||`` before clipping (faint, bin maxima so spikes stay
    visible) and after (solid), on a log axis; the threshold θ dashed; events marked."""
    cells = list(histories)
    fig = make_subplots(
        rows=len(cells),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[theme.CELL_NAMES[c] for c in cells],
    )
    fig.update_layout(
        template=theme.TEMPLATE,
        showlegend=True,
        legend=dict(orientation="h", y=1.04, yanchor="bottom", x=0),
        margin=dict(t=90),
    )
    for row, cell in enumerate(cells, 1):
        h, colour = histories[cell], theme.COLOURS[cell]
        x, before = bins(h.step, h.grad_before, "max")
        _, after = bins(h.step, h.grad_after, "max")
        first = row == 1
        fig.add_scatter(
            x=x,
            y=theme.f32(before),
            mode="lines",
            name="before clipping",
            legendgroup="b",
            showlegend=first,
            line=dict(color=theme.MUTED, width=1.5),
            row=row,
            col=1,
            hovertemplate="step %{x}<br>‖g‖ before %{y:.3g}<extra></extra>",
        )
        fig.add_scatter(
            x=x,
            y=theme.f32(after),
            mode="lines",
            name="after clipping",
            legendgroup="a",
            showlegend=first,
            line=dict(color=colour, width=3),
            row=row,
            col=1,
            hovertemplate="step %{x}<br>‖g‖ after %{y:.3g}<extra></extra>",
        )
        if clip:
            fig.add_hline(
                y=clip,
                line=dict(color=theme.COLOURS["bound"], width=2, dash="dash"),
                row=row,
                col=1,
            )
        _events(fig, {cell: h}, lambda h, s: _at(h.step, h.grad_before, s), row=row, col=1)
        fig.update_yaxes(
            type="log", exponentformat="power", dtick=1, title_text="‖g‖", row=row, col=1
        )
    fig.update_xaxes(title_text="training step", row=len(cells), col=1)
    # subplot titles are annotations: give them the template's colour
    fig.update_annotations(font=dict(color=theme.TEXT, size=18))
    return fig


def sweep(results: list[dict], Ts: list[int], chance: float) -> go.Figure:
    """Success rate against sequence length T on the adding problem, one line per cell (mean
    over seeds) with each seed as a small open marker."""
    fig = theme.new_figure(
        **axes("sequence length T", "sequences solved"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(t=70),
    )
    for cell in ("rnn", "lstm", "gru"):
        rows = [r for r in results if r["kind"] == cell]
        if not rows:
            continue
        name, colour = theme.CELL_NAMES[cell], theme.COLOURS[cell]
        mean = [np.mean([r["solved"] for r in rows if r["T"] == T]) for T in Ts]
        fig.add_scatter(
            x=Ts,
            y=theme.f32(mean),
            mode="lines+markers",
            name=name,
            line=dict(color=colour, width=4),
            marker=dict(size=12),
            hovertemplate=f"{name}<br>T = %{{x}}<br>solved %{{y:.1%}}<extra></extra>",
        )
        fig.add_scatter(
            x=[r["T"] for r in rows],
            y=theme.f32([r["solved"] for r in rows]),
            mode="markers",
            marker=dict(color=colour, size=7, symbol="circle-open"),
            showlegend=False,
            hovertemplate=f"{name} (one seed)<br>T = %{{x}}<br>solved %{{y:.1%}}<extra></extra>",
        )
    _baseline(fig, chance, f"always guess 1: {chance:.0%}")
    fig.update_xaxes(type="log", tickvals=Ts, ticktext=[str(T) for T in Ts])
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return fig


def forecast(years, values, predictions: Mapping, cut: int) -> go.Figure:
    """A yearly series with each cell's one-step-ahead forecast; the held-out years shaded."""
    years = np.asarray(years)
    fig = theme.new_figure(
        **axes("year", "sunspot number"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        margin=dict(t=70),
    )
    fig.add_vrect(
        x0=years[cut],
        x1=years[-1],
        fillcolor=theme.PANEL,
        line_width=0,
        layer="below",
        annotation=dict(text="held out", font=dict(color=theme.MUTED, size=15)),
    )
    fig.add_scatter(
        x=years,
        y=theme.f32(values),
        mode="lines",
        name="observed",
        line=dict(color=theme.TEXT, width=2),
    )
    for cell, pred in predictions.items():
        fig.add_scatter(
            x=years[1:],
            y=theme.f32(pred),
            mode="lines",
            name=f"{theme.CELL_NAMES[cell]} forecast",
            line=dict(color=theme.COLOURS[cell], width=3, dash="dot"),
        )
    return fig
