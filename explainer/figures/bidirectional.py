"""Figures of the bidirectional page: the two chains and what they say at every step, the
accuracy of both taggers by position, and how far each output reaches into the input.

The chains figure stacks, on one time axis, the taggers' beliefs that a ``)`` is ahead, the
forward cell's states (read left to right) and the backward cell's states (read right to
left), with the joined state ``o_t = [h_fwd_t ; h_bwd_t]`` as bars beside them. The heatmaps go
once into the figure; a frame carries the 2H bars and the three outlines of column t.

References: Schuster & Paliwal 1997; Graves & Schmidhuber 2005.
"""

from __future__ import annotations

import math

import numpy as np

from explainer.figures import theme
from explainer.figures.alt import Alt, column
from explainer.scene import show_char

FWD, BWD = "#56B4E9", "#CC79A7"  # the forward chain (and the one-way tagger) and the backward
BI = "#E69F00"  # the bidirectional tagger
TRUTH = theme.TEXT
CURSOR = theme.COLOURS["accent"]
MAIN_X = [0.0, 0.76]
BARS_X = [0.84, 1.0]
ROWS = theme.stacked([1.1, 1, 1], 0.1)  # beliefs, forward states, backward states
CHAINS_HEIGHT = 600  # px, on a laptop (a projector gets screens.main_figure_height)
# a phone: the three rows across the width, o_t's bars in a row of their own under them
STACKED_ROWS = theme.stacked([1.1, 1, 1, 0.9], 0.11)
STACKED_HEIGHT = 860
CHAR_PX = 16  # px a character label needs along the axis: narrower steps label every k-th


def shown(chars: list[str]) -> list[str]:
    """Characters as tick labels, by the app's one rule (a space as an open box, an emoji as
    its code point)."""
    return [show_char(c) for c in chars]


def _outlines(t: int) -> list[dict]:
    return [
        dict(type="rect", xref=theme.axis_ref("x", row), yref=f"{theme.axis_ref('y', row)} domain",
             x0=t - 0.5, x1=t + 0.5, y0=0, y1=1, line=dict(color=CURSOR, width=3))
        for row in (1, 2, 3)
    ]  # fmt: skip


def char_stride(T: int, plot_px: float) -> int:
    """Label every k-th character of T along a plot ``plot_px`` wide, k so that each label
    has CHAR_PX."""
    return max(1, math.ceil(CHAR_PX * T / max(plot_px, 1.0)))


def _bars(o_t: np.ndarray, H: int, stacked: bool) -> dict:
    """o_t's 2H values: bars down the side (the forward half on top), or across (stacked)."""
    units, values = np.arange(2 * H), theme.f32(o_t)
    return dict(
        type="bar", orientation="v" if stacked else "h", x=units if stacked else values,
        y=values if stacked else units, xaxis="x4", yaxis="y4",
        marker=dict(color=[FWD] * H + [BWD] * H), showlegend=False,
        hovertemplate=f"%{{{'y' if stacked else 'x'}:.3f}}<extra></extra>",
    )  # fmt: skip


def _axes(chars: list[str], H: int, stacked: bool, every: int) -> dict:
    T = len(chars)
    rows, main_x = (STACKED_ROWS, [0.0, 1.0]) if stacked else (ROWS, MAIN_X)
    layout = {}
    for row, dom in enumerate(rows[:3], 1):
        layout[theme.axis_key("x", row)] = dict(
            anchor=theme.axis_ref("y", row), domain=main_x, range=[0.5, T + 0.5],
            **({} if row == 3 else dict(matches="x3", showticklabels=False)),
        )  # fmt: skip
        layout[theme.axis_key("y", row)] = dict(anchor=theme.axis_ref("x", row), domain=dom)
    # the characters are the axis (every k-th where steps are narrow): no title, which would
    # sit on the player below
    layout["xaxis3"].update(tickvals=np.arange(1, T + 1, every), ticktext=shown(chars[::every]),
                            tickangle=0)  # fmt: skip
    layout["yaxis"].update(range=[-0.08, 1.08], tickvals=[0, 0.5, 1], title=dict(text="P"))
    for row in (2, 3):
        layout[theme.axis_key("y", row)].update(range=[-0.5, H - 0.5], title=dict(text="unit"))
    if stacked:  # o_t across the width: the forward half, then the backward one
        layout["xaxis4"] = dict(
            anchor="y4",
            domain=main_x,
            range=[-0.6, 2 * H - 0.4],
            tickvals=[(H - 1) / 2, H + (H - 1) / 2],
            ticktext=["h→", "h←"],
        )
        layout["yaxis4"] = dict(anchor="x4", domain=rows[3], range=[-1.05, 1.05],
                                tickvals=[-1, 0, 1])  # fmt: skip
        return layout
    layout["xaxis4"] = dict(anchor="y4", domain=BARS_X, range=[-1.05, 1.05], tickvals=[-1, 0, 1])
    # one label per half: the forward units above, the backward ones below
    layout["yaxis4"] = dict(
        anchor="x4", domain=[ROWS[2][0], ROWS[1][1]], autorange="reversed",
        tickvals=[(H - 1) / 2, H + (H - 1) / 2], ticktext=["h→", "h←"],
    )  # fmt: skip
    return layout


def two_chains(
    chars: list[str],
    h_fwd: np.ndarray,
    h_bwd: np.ndarray,
    beliefs: dict,
    truth,
    t: int,
    stacked: bool = False,
    every: int = 1,
) -> dict:
    """The chains over ``chars`` (T,), states (T, H) each, ``beliefs`` {"uni", "bi"} (T,) and
    the true tags (T,), opened at step t (1-based), with one frame per step; every ``every``-th
    character labelled (``char_stride``). ``stacked`` (a phone): the chains across the whole
    width and o_t's bars in a row under them."""
    T, H = h_fwd.shape
    steps = np.arange(1, T + 1)
    heat = dict(type="heatmap", x=steps, y=np.arange(H), coloraxis="coloraxis")
    data = [
        dict(type="scatter", x=steps, y=theme.f32(beliefs["uni"]), mode="lines+markers",
             name="one-way tagger", line=dict(color=FWD, width=3), marker=dict(size=8),
             hovertemplate="t = %{x}: %{y:.2f}<extra>one-way</extra>"),
        dict(type="scatter", x=steps, y=theme.f32(beliefs["bi"]), mode="lines+markers",
             name="bidirectional tagger", line=dict(color=BI, width=3), marker=dict(size=8),
             hovertemplate="t = %{x}: %{y:.2f}<extra>bidirectional</extra>"),
        dict(type="scatter", x=steps, y=np.asarray(truth, dtype=float), mode="markers",
             name="truth: ) ahead", marker=dict(symbol="x-thin", size=12,
                                                line=dict(width=3, color=TRUTH))),
        {**heat, "z": theme.f32(h_fwd.T), "xaxis": "x2", "yaxis": "y2", "name": "forward",
         "hovertemplate": "t = %{x}, unit %{y}: %{z:.3f}<extra>forward →</extra>"},
        {**heat, "z": theme.f32(h_bwd.T), "xaxis": "x3", "yaxis": "y3", "name": "backward",
         "hovertemplate": "t = %{x}, unit %{y}: %{z:.3f}<extra>backward ←</extra>"},
        _bars(np.concatenate([h_fwd[t - 1], h_bwd[t - 1]]), H, stacked),
    ]  # fmt: skip
    rows, main_x = (STACKED_ROWS, [0.0, 1.0]) if stacked else (ROWS, MAIN_X)
    bars_title = (main_x, rows[3][1]) if stacked else (BARS_X, ROWS[1][1])
    titles = [
        theme.panel_title("P(a ')' comes later)", main_x, rows[0][1]),
        theme.panel_title("→ forward h→<sub>t</sub>: read x<sub>1</sub>…x<sub>t</sub>",
                          main_x, rows[1][1], color=FWD),
        theme.panel_title("← backward h←<sub>t</sub>: read x<sub>T</sub>…x<sub>t</sub>",
                          main_x, rows[2][1], color=BWD),
        theme.panel_title("o<sub>t</sub> = [h→<sub>t</sub> ; h←<sub>t</sub>]", *bars_title),
    ]  # fmt: skip
    legend = dict(x=BARS_X[0] - 0.04, y=0.99, yref="container", yanchor="top", xanchor="left",
                  font=dict(size=14))  # fmt: skip
    layout = dict(
        **_axes(chars, H, stacked, every),
        coloraxis=dict(colorscale=theme.DIVERGING, cmin=-1, cmax=1, showscale=False),
        # the legend in the free top-right corner, from the figure's top edge (a short
        # projector figure leaves no room under it for the o_t title otherwise)
        legend=legend, annotations=titles, shapes=_outlines(t),
        height=STACKED_HEIGHT if stacked else CHAINS_HEIGHT,
        margin=dict(t=50, b=140, l=70, r=20) if stacked else dict(t=50, b=140, l=70),
        **theme.player([str(s) for s in steps], active=t - 1, redraw=True),
    )  # fmt: skip
    frames = [
        dict(name=str(s), data=[_bars(np.concatenate([h_fwd[s - 1], h_bwd[s - 1]]), H, stacked)],
             traces=[5], layout=dict(shapes=[dict(x0=s - 0.5, x1=s + 0.5)] * 3))
        for s in steps
    ]  # fmt: skip
    return theme.figure(data, layout, frames)


def accuracy_by_position(acc: dict, bound: np.ndarray) -> dict:
    """Held-out accuracy (T,) of each tagger at every position, and the best any left-to-right
    reader can do (dashed)."""
    T = len(bound)
    x = np.arange(1, T + 1)
    data = [
        dict(type="scatter", x=x, y=bound, mode="lines", name="best any one-way reader can do",
             line=dict(color=theme.MUTED, width=3, dash="dash")),
        dict(type="scatter", x=x, y=acc["uni"], mode="lines+markers", name="one-way tagger",
             line=dict(color=FWD, width=4)),
        dict(type="scatter", x=x, y=acc["bi"], mode="lines+markers", name="bidirectional",
             line=dict(color=BI, width=4)),
    ]  # fmt: skip
    layout = dict(
        title=dict(text="Right answers by position (held-out strings)"),
        xaxis=dict(title=dict(text="position t in the string"), range=[0.5, T + 0.5]),
        yaxis=dict(title=dict(text="share right"), range=[0.4, 1.04], tickformat=".0%"),
        # inside, bottom right: the one-way curve climbs along the diagonal, clear of it
        legend=dict(x=0.99, y=0.03, xanchor="right", yanchor="bottom", font=dict(size=14),
                    bgcolor="rgba(0,0,0,0.85)"),
        margin=dict(b=70), height=440, hovermode="x",
    )  # fmt: skip
    return theme.figure(data, layout)


def _reach_y(R: np.ndarray, t: int) -> np.ndarray:
    # exact zeros (no path) cannot sit on a log axis: a gap
    row = R[t - 1]
    return np.where(row > 0, row, np.nan)


def reach_figure(reach: dict, chars: list[str], t: int, every: int = 1) -> dict:
    """``||do_t/dx_s||`` for every s at step t (one frame per t) of both taggers, log axis;
    every ``every``-th character labelled (``char_stride``)."""
    T = len(chars)
    s = np.arange(1, T + 1)
    finite = np.concatenate([R[R > 0] for R in reach.values()])
    lo, hi = np.log10(finite.min()) - 0.3, np.log10(finite.max()) + 0.3

    def traces(t: int) -> list[dict]:
        return [
            dict(type="scatter", x=s, y=_reach_y(reach["uni"], t), mode="lines+markers",
                 name="one-way: o<sub>t</sub> = h→<sub>t</sub>", line=dict(color=FWD, width=4)),
            dict(type="scatter", x=s, y=_reach_y(reach["bi"], t), mode="lines+markers",
                 name="bidirectional: o<sub>t</sub> = [h→<sub>t</sub> ; h←<sub>t</sub>]",
                 line=dict(color=BI, width=4)),
        ]  # fmt: skip

    def cursor(t: int) -> list[dict]:
        return [dict(type="line", x0=t, x1=t, y0=0, y1=1, xref="x", yref="y domain",
                     line=dict(color=CURSOR, width=2, dash="dot"))]  # fmt: skip

    ticks = dict(tickvals=s[::every], ticktext=shown(chars[::every]), tickangle=0)
    layout = dict(
        title=dict(text="How far does the output at t reach? ‖∂o<sub>t</sub>/∂x<sub>s</sub>‖"),
        # the characters are the axis: no title, which would sit on the player below
        xaxis=dict(range=[0.5, T + 0.5], **ticks),
        yaxis=dict(type="log", range=[lo, hi], exponentformat="power", dtick=1,
                   title=dict(text="norm (log scale)")),
        # above the plot: below it sit the ticks and the player
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", font=dict(size=14)),
        shapes=cursor(t), margin=dict(t=130, b=120), height=500,
        **theme.player([str(k) for k in s], active=t - 1, redraw=False),
    )  # fmt: skip
    frames = [dict(name=str(k), data=traces(k), traces=[0, 1],
                   layout=dict(shapes=cursor(k))) for k in s]  # fmt: skip
    return theme.figure(traces(t), layout, frames)


def two_chains_alt(
    chars: list[str], h_fwd: np.ndarray, h_bwd: np.ndarray, beliefs: dict, truth, t: int
) -> Alt:
    """Both taggers' beliefs at step t in words, and every step's beliefs and truth."""
    T, H = h_fwd.shape
    ahead = "yes" if truth[t - 1] else "no"
    text = (
        f"Both taggers over {T} characters, with the forward and backward hidden states "
        f"({H} units each). At step {t}, character {shown(chars)[t - 1]}: a ')' comes later? "
        f"{ahead}. The one-way tagger says {beliefs['uni'][t - 1]:.0%}, the bidirectional one "
        f"{beliefs['bi'][t - 1]:.0%}."
    )
    table = {
        "step": list(range(1, T + 1)),
        "character": shown(chars),
        "a ')' later": ["yes" if v else "no" for v in truth],
        "one-way": column(beliefs["uni"]),
        "bidirectional": column(beliefs["bi"]),
    }
    return Alt("beliefs at every step", text, table)


def accuracy_alt(acc: dict, bound: np.ndarray) -> Alt:
    """Accuracy by position in words (first position, mean) and as a table."""
    text = (
        f"Share of held-out strings right at each of {len(bound)} positions: at the first, "
        f"one-way {acc['uni'][0]:.0%} (the best any one-way reader can do: {bound[0]:.1%}), "
        f"bidirectional {acc['bi'][0]:.0%}; on average {np.mean(acc['uni']):.1%} against "
        f"{np.mean(acc['bi']):.1%}."
    )
    table = {
        "position": list(range(1, len(bound) + 1)),
        "best one-way reader": column(bound),
        "one-way": column(acc["uni"]),
        "bidirectional": column(acc["bi"]),
    }
    return Alt("accuracy by position", text, table)


def reach_alt(reach: dict, chars: list[str], t: int) -> Alt:
    """How many inputs each output at t depends on, and every input's norm."""
    T = len(chars)
    seen = {k: int(np.sum(R[t - 1] > 0)) for k, R in reach.items()}
    text = (
        f"Log plot of ‖∂o_t/∂x_s‖ over the {T} inputs s at step {t}: the one-way output "
        f"depends on {seen['uni']} of them, the bidirectional one on {seen['bi']}."
    )
    table = {
        "s": list(range(1, T + 1)),
        "character": shown(chars),
        "one-way ‖∂o_t/∂x_s‖": column(reach["uni"][t - 1]),
        "bidirectional ‖∂o_t/∂x_s‖": column(reach["bi"][t - 1]),
    }
    return Alt(f"reach of the output at step {t}", text, table)
