"""Figures of the train-and-compare page: loss against the baseline, the metric, gradient norms
before and after clipping with NaN/explosion events, the adding-problem sweep, a forecast.

Each builder takes plain per-cell histories (anything with the attributes of
``explainer.train.History``) or arrays, and returns a plain plotly figure dict
(``theme.figure``): building plotly objects cost 15-70 ms a figure on every rerun.

References: Hochreiter & Schmidhuber 1997 and Arjovsky et al. 2016 (success rate against T);
Pascanu et al. 2013 (gradient norms and clipping).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column, extreme, fmt, long_table, thin

MAX_POINTS = 600
EVENT_STYLE = {
    "spike": dict(symbol="triangle-up", size=14, color=theme.COLOURS["accent"]),
    "nan": dict(symbol="x", size=16, color=theme.COLOURS["r"]),
    "diverged": dict(symbol="x", size=22, color=theme.COLOURS["r"], line=dict(width=2)),
}
EVENT_NAMES = {"spike": "gradient spike", "nan": "inf/NaN step (skipped)", "diverged": "diverged"}


LEGEND_ON_TOP = dict(orientation="h", y=1.02, yanchor="bottom", x=0)
SUBPLOT_GAP = 0.06  # paper height between the stacked panels of ``grad_norms``
SUBPLOT_TITLE_FONT = dict(color=theme.TEXT, size=18)


def axes(x: str, y: str) -> dict:
    """Axis titles spelled out in full (``title=dict(text=...)``): plotly.js 3 drops a bare
    string title, and the app sends figures without plotly's validation."""
    return dict(xaxis=dict(title=dict(text=x)), yaxis=dict(title=dict(text=y)))


def single(x: str, y: str, shapes: list[dict], annotations: list[dict]) -> dict:
    """Layout of a one-panel figure: axis titles, the legend in a row above the plot."""
    layout = dict(legend=LEGEND_ON_TOP, margin=dict(t=70), shapes=shapes, annotations=annotations)
    return {**layout, **axes(x, y)}


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


def scatter(x, y, **props) -> dict:
    """A scatter trace; y goes as float32 (non-finite values become gaps)."""
    return dict(type="scatter", x=x, y=theme.f32(y), **props)


def hline(y: float, colour: str, row: int = 1, dash: str = "dash") -> dict:
    """A dashed horizontal line at ``y`` across the full width of panel ``row``."""
    return dict(
        type="line", xref=f"{theme.axis_ref('x', row)} domain", x0=0, x1=1,
        yref=theme.axis_ref("y", row), y0=y, y1=y, line=dict(color=colour, width=2, dash=dash),
    )  # fmt: skip


def dashed_baseline(
    value: float, label: str, below: bool = False, left: bool = False, dash: str = "dash"
) -> tuple[list[dict], list[dict]]:
    """(shapes, annotations) of a grey dashed line at ``value``, ``label`` above its right end
    (or ``below`` it, at its ``left`` end: two lines close together keep their labels apart)."""
    text = dict(
        text=label, font=dict(color=theme.MUTED, size=15), showarrow=False,
        xref="x domain", x=0 if left else 1, xanchor="left" if left else "right",
        yref="y", y=value, yanchor="top" if below else "bottom",
    )  # fmt: skip
    return [hline(value, theme.MUTED, dash=dash)], [text]


# a memoryless line is drawn beside the baseline when it differs by more than this fraction
MEMORYLESS_GAP = 0.05


def baselines(
    baseline: float, label: str, memoryless: float | None = None, memoryless_label: str = ""
) -> tuple[list[dict], list[dict]]:
    """(shapes, annotations) of the named baseline (dashed) and, where it differs, the loss of
    the best network without memory (dotted)."""
    shapes, notes = dashed_baseline(baseline, f"baseline: {label}")
    if memoryless is not None and abs(memoryless - baseline) > MEMORYLESS_GAP * abs(baseline):
        more = dashed_baseline(memoryless, memoryless_label, below=True, left=True, dash="dot")
        shapes, notes = shapes + more[0], notes + more[1]
    return shapes, notes


def _events(histories: Mapping, y_of, **where) -> list[dict]:
    """One marker trace per kind of event, placed by ``y_of(history, step)``."""
    traces = []
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
            traces.append(
                scatter(
                    xs, ys, mode="markers", marker=style, name=EVENT_NAMES[kind], text=text,
                    hovertemplate="step %{x}<br>%{text}<extra></extra>", **where,
                )
            )  # fmt: skip
    return traces


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
    histories: Mapping,
    baseline: float,
    baseline_label: str,
    log_y: bool = False,
    title: str = "",
    memoryless: float | None = None,
    memoryless_label: str = "",
) -> dict:
    """Validation loss (solid, markers) and smoothed training loss (faint) of each cell, the
    baseline dashed (and the memoryless loss dotted, see ``baselines``), and events marked on
    the curves (``title`` above, if any)."""
    data = []
    for cell, h in histories.items():
        colour, name = theme.COLOURS[cell], theme.CELL_NAMES[cell]
        if len(h.step):
            x, y = bins(h.step, smooth(h.loss))
            data.append(
                scatter(
                    x, y, mode="lines", name=f"{name} (training)", legendgroup=cell,
                    showlegend=False, opacity=0.45, line=dict(color=colour, width=2),
                    hovertemplate=f"{name} training<br>step %{{x}}<br>loss %{{y:.4g}}"
                    "<extra></extra>",
                )
            )  # fmt: skip
        data.append(
            scatter(
                list(h.val_step), h.val_loss, mode="lines+markers", name=name, legendgroup=cell,
                line=dict(color=colour, width=4), marker=dict(size=6),
                hovertemplate=f"{name} validation<br>step %{{x}}<br>loss %{{y:.4g}}"
                "<extra></extra>",
            )
        )  # fmt: skip
    data += _events(histories, lambda h, s: _at(h.val_step, h.val_loss, s))
    layout = single(
        "training step", "loss", *baselines(baseline, baseline_label, memoryless, memoryless_label)
    )
    if log_y:
        ys = [d.get("y") for d in data]
        layout["yaxis"].update(theme.log_axis_over(*ys, baseline, memoryless))
        # on a log axis plotly places annotations at log10 of the value
        for note in layout["annotations"]:
            note["y"] = float(np.log10(note["y"]))
    if title:
        layout["title"] = dict(text=title)
    return theme.figure(data, layout)


def metric_curves(
    histories: Mapping, metric_name: str, chance: float, chance_label: str = "memoryless guess"
) -> dict:
    """The task's metric on held-out data against training steps; the score of the guess named
    ``chance_label`` dashed."""
    data = [
        scatter(
            list(h.val_step), h.val_metric, mode="lines+markers", name=theme.CELL_NAMES[cell],
            line=dict(color=theme.COLOURS[cell], width=4), marker=dict(size=6),
            hovertemplate=f"{theme.CELL_NAMES[cell]}<br>step %{{x}}<br>%{{y:.3f}}<extra></extra>",
        )
        for cell, h in histories.items()
    ]  # fmt: skip
    percent = metric_name.endswith("right") or metric_name.startswith("solved")
    value = f"{chance:.1%}" if percent else f"{chance:.2f}"
    # the chance line is named in the legend: a label on the plot sat on the curve of a cell
    # that stays at chance
    lines, _ = dashed_baseline(chance, "")
    data.append(
        scatter(
            [None],
            [None],
            mode="lines",
            name=f"{chance_label}: {value}",
            line=dict(color=theme.MUTED, dash="dash", width=2),
            hoverinfo="skip",
        )
    )
    layout = single("training step", metric_name, lines, [])
    if percent:
        layout["yaxis"].update(range=[0, 1.02], tickformat=".0%")
    elif metric_name.startswith("skill"):
        # skill = 1 - MSE / MSE of persistence: 1 is perfect, below -1 is off the chart
        layout["yaxis"].update(range=[-1, 1])
    return theme.figure(data, layout)


def grad_panel(h, cell: str, clip: float | None, row: int) -> tuple[list[dict], list[dict]]:
    """(traces, shapes) of one cell's panel of ``grad_norms``: ``||g||`` before clipping
    (bin maxima, so spikes stay visible) and after, the threshold θ, the events."""
    where = dict(xaxis=theme.axis_ref("x", row), yaxis=theme.axis_ref("y", row))
    x, before = bins(h.step, h.grad_before, "max")
    _, after = bins(h.step, h.grad_after, "max")
    first = row == 1
    data = [
        scatter(
            x, before, mode="lines", name="before clipping", legendgroup="b", showlegend=first,
            line=dict(color=theme.MUTED, width=1.5),
            hovertemplate="step %{x}<br>‖g‖ before %{y:.3g}<extra></extra>", **where,
        ),
        scatter(
            x, after, mode="lines", name="after clipping", legendgroup="a", showlegend=first,
            line=dict(color=theme.COLOURS[cell], width=3),
            hovertemplate="step %{x}<br>‖g‖ after %{y:.3g}<extra></extra>", **where,
        ),
    ]  # fmt: skip
    data += _events({cell: h}, lambda h, s: _at(h.step, h.grad_before, s), **where)
    shapes = [hline(clip, theme.COLOURS["bound"], row)] if clip else []
    return data, shapes


def grad_norms(histories: Mapping, clip: float | None) -> dict:
    """Per cell, the gradient norm ``||g||`` before clipping (faint, bin maxima so spikes stay
    visible) and after (solid), on a log axis; the threshold θ dashed; events marked. One panel
    per cell, stacked, sharing the step axis."""
    cells = list(histories)
    domains = theme.stacked([1.0] * len(cells), SUBPLOT_GAP)
    # the legend at the chart's top edge, above the first panel's title
    legend = {**LEGEND_ON_TOP, "yref": "container", "y": 1, "yanchor": "top"}
    layout = dict(showlegend=True, legend=legend, margin=dict(t=90))
    layout.update(theme.shared_x_rows(domains))
    layout[theme.axis_key("x", len(cells))]["title"] = dict(text="training step")
    data, shapes, titles = [], [], []
    for row, (cell, domain) in enumerate(zip(cells, domains, strict=True), 1):
        traces, lines = grad_panel(histories[cell], cell, clip, row)
        data += traces
        shapes += lines
        title = theme.panel_title(theme.CELL_NAMES[cell], [0.0, 1.0], domain[1])
        titles.append({**title, "font": SUBPLOT_TITLE_FONT})
        span = theme.log_axis_over(*(d.get("y") for d in traces), clip)
        layout[theme.axis_key("y", row)].update(title=dict(text="‖g‖"), **span)
    return theme.figure(data, {**layout, "shapes": shapes, "annotations": titles})


def sweep(results: list[dict], Ts: list[int], chance: float) -> dict:
    """Test sequences solved against sequence length T on the adding problem, one line per cell
    (mean over seeds) with each seed as a small open marker; guessing 1 dashed."""
    data = []
    for cell in ("rnn", "lstm", "gru"):
        rows = [r for r in results if r["kind"] == cell]
        if not rows:
            continue
        name, colour = theme.CELL_NAMES[cell], theme.COLOURS[cell]
        mean = [np.mean([r["solved"] for r in rows if r["T"] == T]) for T in Ts]
        data += [
            scatter(
                Ts, mean, mode="lines+markers", name=name, line=dict(color=colour, width=4),
                marker=dict(size=12),
                hovertemplate=f"{name}<br>T = %{{x}}<br>solved %{{y:.1%}}<extra></extra>",
            ),
            scatter(
                [r["T"] for r in rows], [r["solved"] for r in rows], mode="markers",
                marker=dict(color=colour, size=7, symbol="circle-open"), showlegend=False,
                hovertemplate=f"{name} (one seed)<br>T = %{{x}}<br>solved %{{y:.1%}}"
                "<extra></extra>",
            ),
        ]  # fmt: skip
    # the label under the line's left end: the vanilla RNN's line runs along it at long T
    chance_line = dashed_baseline(chance, f"always guess 1: {chance:.1%}", below=True, left=True)
    layout = single("sequence length T", "test sequences solved", *chance_line)
    layout["xaxis"].update(type="log", tickvals=Ts, ticktext=[str(T) for T in Ts])
    layout["yaxis"].update(range=[0, 1.05], tickformat=".0%")
    return theme.figure(data, layout)


STEP_TICKS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)
# seeds of the three cells side by side at each T (a factor on the log axis)
SWEEP_OFFSET = {"rnn": 0.92, "lstm": 1.0, "gru": 1.08}


def _missed(r: dict) -> str:
    """What became of a run that did not solve."""
    how = "diverged at step" if r.get("stopped") == "diverged" else "not within"
    return f"seed {r['seed']}: {how} {r['steps']:,} steps"


def sweep_steps(results: list[dict], Ts: list[int], budgets: list[int]) -> dict:
    """Steps each seed took to solve the adding problem against T (log-log): filled when it
    solved, an open cross at the budget when it did not solve within it; the budget dashed."""
    data = [
        scatter(
            Ts, budgets, mode="lines", name="budget", line=dict(color=theme.MUTED, width=2,
            dash="dash", shape="hvh"), hovertemplate="T = %{x}<br>budget %{y:,} steps"
            "<extra></extra>",
        )
    ]  # fmt: skip
    for cell in ("rnn", "lstm", "gru"):
        rows = [r for r in results if r["kind"] == cell]
        if not rows:
            continue
        name, colour, k = theme.CELL_NAMES[cell], theme.COLOURS[cell], SWEEP_OFFSET[cell]
        done = [r for r in rows if r["steps_to_solve"] is not None]
        missed = [r for r in rows if r["steps_to_solve"] is None]
        data.append(
            scatter(
                [r["T"] * k for r in done], [r["steps_to_solve"] for r in done], mode="markers",
                name=name, legendgroup=cell, marker=dict(color=colour, size=11),
                text=[f"seed {r['seed']}" for r in done],
                hovertemplate=f"{name}, %{{text}}<br>solved in %{{y:,}} steps<extra></extra>",
            )
        )  # fmt: skip
        if missed:
            data.append(
                scatter(
                    [r["T"] * k for r in missed], [r["steps"] for r in missed], mode="markers",
                    name=f"{name}: not within budget", legendgroup=cell, showlegend=False,
                    marker=dict(color=colour, size=13, symbol="x-thin-open",
                                line=dict(color=colour, width=3)),
                    text=[_missed(r) for r in missed],
                    hovertemplate=f"{name}, %{{text}}<extra></extra>",
                )
            )  # fmt: skip
    data.append(
        scatter(
            [None], [None], mode="markers", name="not within the budget",
            marker=dict(color=theme.MUTED, size=13, symbol="x-thin-open",
                        line=dict(color=theme.MUTED, width=3)),
        )
    )  # fmt: skip
    steps = [r["steps"] for r in results] + list(budgets)
    ticks = [n for n in STEP_TICKS if min(steps) / 2 <= n <= max(steps) * 2]
    layout = single("sequence length T", "steps to solve", [], [])
    layout["xaxis"].update(type="log", tickvals=Ts, ticktext=[str(T) for T in Ts])
    layout["yaxis"].update(type="log", tickvals=ticks, ticktext=[f"{n:,}" for n in ticks])
    return theme.figure(data, layout)


def forecast(years, values, predictions: Mapping, cut: int) -> dict:
    """A yearly series with each cell's one-step-ahead forecast; the held-out years shaded."""
    years = np.asarray(years)
    held_out = dict(
        type="rect", xref="x", x0=years[cut], x1=years[-1], yref="y domain", y0=0, y1=1,
        fillcolor=theme.PANEL, line=dict(width=0), layer="below",
    )  # fmt: skip
    label = dict(
        text="held out", font=dict(color=theme.MUTED, size=15), showarrow=False,
        xref="x", x=years[-1], xanchor="right", yref="y domain", y=1, yanchor="top",
    )  # fmt: skip
    data = [scatter(years, values, mode="lines", name="observed",
                    line=dict(color=theme.TEXT, width=2))]  # fmt: skip
    data += [
        scatter(
            years[1:], pred, mode="lines", name=f"{theme.CELL_NAMES[cell]} forecast",
            line=dict(color=theme.COLOURS[cell], width=3, dash="dot"),
        )
        for cell, pred in predictions.items()
    ]  # fmt: skip
    return theme.figure(data, single("year", "sunspot number", [held_out], [label]))


def _last(steps, values) -> str:
    """The latest value of a curve and its step, in words."""
    return f"{fmt(values[-1])} at step {steps[-1]}" if len(values) else "nothing yet"


def loss_curves_alt(histories: Mapping, baseline: float, baseline_label: str) -> Alt:
    """The latest validation loss of each cell against the baseline, and the curves as a table."""
    said = "; ".join(
        f"{theme.CELL_NAMES[c]} {_last(h.val_step, h.val_loss)}" for c, h in histories.items()
    )
    text = (
        f"Validation loss against training step, one curve per cell: {said}. "
        f"Baseline ({baseline_label}): {fmt(baseline)}."
    )
    series = {theme.CELL_NAMES[c]: (h.val_step, h.val_loss) for c, h in histories.items()}
    return Alt("validation loss", text, long_table(series, "step", "validation loss", by="cell"))


def metric_curves_alt(histories: Mapping, metric_name: str, chance: float) -> Alt:
    """The latest metric of each cell against the memoryless guess, and the curves."""
    said = "; ".join(
        f"{theme.CELL_NAMES[c]} {_last(h.val_step, h.val_metric)}" for c, h in histories.items()
    )
    text = f"{metric_name} on held-out data against training step: {said}; guess {fmt(chance)}."
    series = {theme.CELL_NAMES[c]: (h.val_step, h.val_metric) for c, h in histories.items()}
    return Alt(metric_name, text, long_table(series, "step", metric_name, by="cell"))


def grad_norms_alt(histories: Mapping, clip: float | None) -> Alt:
    """The largest gradient norm of each cell, and every step's before and after clipping."""
    said = []
    for c, h in histories.items():
        top = extreme(np.asarray(h.grad_before, dtype=float)) if len(h.grad_before) else None
        where = f"largest ‖g‖ {fmt(top[1])} at step {h.step[top[0][0]]}" if top else "no steps"
        said.append(f"{theme.CELL_NAMES[c]}: {where}")
    clipping = f"clipped at θ = {clip:g}" if clip else "no clipping"
    text = f"Gradient norm ‖g‖ per training step, one panel per cell ({clipping}): " + (
        "; ".join(said) + "."
    )
    table: dict[str, list] = {"cell": [], "step": [], "‖g‖ before clipping": [], "after": []}
    for c, h in histories.items():
        table["cell"] += [theme.CELL_NAMES[c]] * len(h.step)
        table["step"] += list(h.step)
        table["‖g‖ before clipping"] += column(h.grad_before)
        table["after"] += column(h.grad_after)
    return Alt("gradient norms", text, thin(table))


def sweep_alt(results: list[dict], Ts: list[int], chance: float) -> Alt:
    """Each cell's share solved at the shortest and the longest T, and every seed's result."""
    said = []
    for cell in ("rnn", "lstm", "gru"):
        rows = [r for r in results if r["kind"] == cell]
        if rows:
            mean = {T: np.mean([r["solved"] for r in rows if r["T"] == T]) for T in Ts}
            said.append(
                f"{theme.CELL_NAMES[cell]} {mean[Ts[0]]:.0%} at T = {Ts[0]}, "
                f"{mean[Ts[-1]]:.0%} at T = {Ts[-1]}"
            )
    text = (
        "Test sequences solved against sequence length T on the adding problem (mean over "
        f"seeds): {'; '.join(said)}. Always guessing 1 solves {chance:.1%}."
    )
    table = {
        "cell": [theme.CELL_NAMES[r["kind"]] for r in results],
        "T": [r["T"] for r in results],
        "seed": [r["seed"] for r in results],
        "solved": column([r["solved"] for r in results]),
        "steps to solve": [r["steps_to_solve"] for r in results],
    }
    return Alt("adding-problem sweep", text, table)


def sweep_steps_alt(results: list[dict], Ts: list[int]) -> Alt:
    """How many seeds of each cell solved at each T, and every seed's steps (the same table)."""
    said = []
    for cell in ("rnn", "lstm", "gru"):
        rows = [r for r in results if r["kind"] == cell]
        if rows:
            done = sum(r["steps_to_solve"] is not None for r in rows)
            said.append(f"{theme.CELL_NAMES[cell]} solved {done} of {len(rows)} runs")
    text = (
        f"Steps each seed took to solve the adding problem against T = {Ts[0]} to {Ts[-1]} "
        f"(log-log; a cross where a run did not solve within its budget): {'; '.join(said)}."
    )
    table = {
        "cell": [theme.CELL_NAMES[r["kind"]] for r in results],
        "T": [r["T"] for r in results],
        "seed": [r["seed"] for r in results],
        "steps to solve": [r["steps_to_solve"] for r in results],
        "steps run": [r["steps"] for r in results],
    }
    return Alt("steps to solve", text, table)


def forecast_alt(years, values, predictions: Mapping, cut: int) -> Alt:
    """The forecasts' mean absolute error on the held-out years, and every year's numbers."""
    years, values = np.asarray(years), np.asarray(values, dtype=float)
    said = "; ".join(
        f"{theme.CELL_NAMES[c]} {fmt(np.mean(np.abs(np.asarray(p)[cut - 1 :] - values[cut:])))}"
        for c, p in predictions.items()
    )
    text = (
        f"Sunspot numbers {years[0]}–{years[-1]} with each cell's one-year-ahead forecast; "
        f"from {years[cut]} the years are held out. Mean absolute error there: {said}."
    )
    table = {"year": [int(y) for y in years], "observed": column(values)}
    for c, p in predictions.items():
        table[f"{theme.CELL_NAMES[c]} forecast"] = [None, *column(p)]
    return Alt("sunspot forecast", text, table)
