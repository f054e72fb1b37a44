"""Live mini-figures on the back of the flashcards, computed by the app's own core: the sigmoid
gate curve with its saturation bands, tanh and its slope, a tiny unrolled chain, and gradient
norms fading (or growing) through time.

References: Karpathy, Johnson & Fei-Fei 2015 (saturation below 0.1 / above 0.9); Pascanu,
Mikolov & Bengio 2013 (a linear RNN with W_hh = rho Q has ||dh_T/dh_t|| = rho^(T-t)).
"""

from __future__ import annotations

import numpy as np

from explainer.cells import sigmoid
from explainer.figures import theme
from explainer.figures.alt import Alt, column, fmt
from explainer.figures.gates import LEFT, RIGHT
from explainer.gradients import forget_gate_products, jacobian_norms
from explainer.initializers import init_params
from explainer.unroll import unroll

HEIGHT = 260
CHAIN_X = (1.0, -0.5, 0.8, 0.0, -1.0)  # the tiny chain's inputs x_1..x_5
CHAIN_SEED = 5  # both weights positive: h follows x and remembers it a little
DECAY_RHOS = (0.9, 1.1)
DECAY_T = 30
FORGET_BIASES = (0.0, 1.0, 5.0)  # the field notes' three: 0.5^k, 0.73^k, 0.993^k
FORGET_T = 50


def _layout(title: str, x: str, y: str, **extra) -> dict:
    return dict(
        title=dict(text=title, font=dict(size=16)),
        height=HEIGHT,
        margin=dict(l=60, r=20, t=44, b=50),
        xaxis=dict(title=dict(text=x)),
        yaxis=dict(title=dict(text=y), **extra.pop("yaxis", {})),
        showlegend=extra.pop("showlegend", False),
        **extra,
    )


def _line(x, y, name: str, colour: str, **extra) -> dict:
    """One named line of a mini-figure."""
    return dict(type="scatter", x=x, y=y, mode="lines", name=name,
                line=dict(color=colour, **extra))  # fmt: skip


def sigmoid_curve() -> tuple[dict, Alt]:
    """σ(a) over a in [−6, 6], with the bands where a gate counts as shut or open."""
    a = np.linspace(-6, 6, 121)
    y = sigmoid(a)
    lo, hi = float(np.log(LEFT / (1 - LEFT))), float(np.log(RIGHT / (1 - RIGHT)))
    bands = [
        dict(type="rect", xref="x", yref="paper", x0=-6, x1=lo, y0=0, y1=1,
             fillcolor=theme.PANEL, line=dict(width=0), layer="below"),
        dict(type="rect", xref="x", yref="paper", x0=hi, x1=6, y0=0, y1=1,
             fillcolor=theme.PANEL, line=dict(width=0), layer="below"),
    ]  # fmt: skip
    fig = theme.figure(
        [_line(a, y, "σ(a)", theme.COLOURS["f"])],
        _layout(
            f"σ: shut below {LEFT}, open above {RIGHT}",
            "pre-activation a",
            "gate σ(a)",
            shapes=bands,
            yaxis=dict(range=[0, 1]),
        ),  # fmt: skip
    )
    text = (f"The sigmoid curve: a gate is below {LEFT} for a < {lo:.2f} and above {RIGHT} for "
            f"a > {hi:.2f}; σ(0) = {fmt(sigmoid(np.array(0.0)))}.")  # fmt: skip
    return fig, Alt("sigmoid gate curve", text, {"a": column(a), "sigma(a)": column(y)})


def tanh_curve() -> tuple[dict, Alt]:
    """tanh(a) and its slope 1 − tanh²(a): where tanh saturates, gradients stop."""
    a = np.linspace(-4, 4, 81)
    y = np.tanh(a)
    slope = 1.0 - y * y
    fig = theme.figure(
        [
            _line(a, y, "tanh(a)", theme.COLOURS["g"]),
            _line(a, slope, "slope 1 − tanh²(a)", theme.COLOURS["accent"], dash="dash"),
        ],
        _layout(
            "tanh saturates: its slope falls to 0",
            "pre-activation a",
            "value",
            showlegend=True,
            legend=dict(orientation="h", y=-0.35, x=0),
        ),  # fmt: skip
    )
    text = (f"tanh(a) and its slope: slope 1 at a = 0, {fmt(slope[-1])} at a = 4, so a "
            "saturated unit passes almost no gradient back.")  # fmt: skip
    table = {"a": column(a), "tanh(a)": column(y), "slope": column(slope)}
    return fig, Alt("tanh and its slope", text, table)


def chain() -> tuple[dict, Alt]:
    """A one-unit tanh RNN run over five inputs: the same cell at every step."""
    p = init_params("rnn", 1, 1, seed=CHAIN_SEED)
    tr = unroll(p, np.array(CHAIN_X)[:, None])
    h = tr.h[:, 0]
    steps = np.arange(len(h))
    fig = theme.figure(
        [
            dict(
                type="scatter",
                x=steps,
                y=h,
                mode="lines+markers+text",
                text=[f"{v:.2f}" for v in h],
                textposition="top center",
                marker=dict(size=14, color=theme.COLOURS["h"]),
                line=dict(color=theme.MUTED),
            )
        ],  # fmt: skip
        _layout(
            f"One cell, 5 steps: W_hh = {p.W_hh[0, 0]:.2f} at every step",
            "step t",
            "h_t",
            yaxis=dict(range=[-1.1, 1.1]),
        ),  # fmt: skip
    )
    fig["layout"]["xaxis"] = {**fig["layout"]["xaxis"], "dtick": 1}
    text = (
        f"A one-unit tanh RNN over inputs {list(CHAIN_X)}: h goes "
        + ", ".join(f"{v:.2f}" for v in h)
        + "; the same weights at every step."
    )
    return fig, Alt("a tiny unrolled chain", text, {"t": steps.tolist(), "h_t": column(h)})


def decay() -> tuple[dict, Alt]:
    """||dh_T/dh_t|| of a linear RNN with W_hh = ρQ for ρ = 0.9 and 1.1 (log scale)."""
    data, table, values = [], {"t": [], "rho": [], "norm": []}, []
    for rho, colour in zip(DECAY_RHOS, (theme.COLOURS["i"], theme.COLOURS["f"]), strict=True):
        p = init_params("rnn", 1, 8, nonlinearity="linear", init="orthogonal", rho=rho, seed=0)
        x = np.sin(np.arange(DECAY_T))[:, None]
        norms = jacobian_norms(p, x)
        t = np.arange(DECAY_T + 1)
        data.append(_line(t, norms, f"ρ = {rho}", colour))
        table["t"] += t.tolist()
        table["rho"] += [rho] * len(t)
        table["norm"] += column(norms)
        values.append(norms[0])
    fig = theme.figure(
        data,
        _layout(
            "Gradients fade or grow: ||∂h_T/∂h_t||",
            "step t",
            "norm (log)",
            yaxis=theme.log_axis_over(*(d["y"] for d in data)),
            showlegend=True,
            legend=dict(orientation="h", y=-0.35, x=0),
        ),  # fmt: skip
    )
    text = (
        f"A linear RNN with W_hh = ρQ over T = {DECAY_T} steps: ||∂h_T/∂h_0|| is "
        f"{fmt(values[0])} at ρ = {DECAY_RHOS[0]} and {fmt(values[1])} at ρ = {DECAY_RHOS[1]}."
    )
    return fig, Alt("gradient norms through time", text, table)


def forget() -> tuple[dict, Alt]:
    """The LSTM's cell path ``prod f_k`` at initialisation for forget biases 0, 1 and 5."""
    data, table, ends = [], {"k": [], "forget bias": [], "kept": []}, []
    colours = (theme.COLOURS["i"], theme.COLOURS["f"], theme.COLOURS["g"])
    for bias, colour in zip(FORGET_BIASES, colours, strict=True):
        p = init_params("lstm", 1, 8, forget_bias=bias, seed=0)
        kept = forget_gate_products(unroll(p, np.zeros((FORGET_T, 1))))[::-1].mean(axis=1)
        k = np.arange(FORGET_T + 1)
        data.append(_line(k, kept, f"b_f = {bias:g}", colour))
        table["k"] += k.tolist()
        table["forget bias"] += [bias] * len(k)
        table["kept"] += column(kept)
        ends.append(kept[-1])
    fig = theme.figure(
        data,
        _layout(
            "What the cell keeps after k steps: f_1 ⋯ f_k",
            "steps k",
            "kept (log)",
            yaxis=theme.log_axis_over(*(d["y"] for d in data)),
            showlegend=True,
            legend=dict(orientation="h", y=-0.35, x=0),
        ),  # fmt: skip
    )
    pairs = zip(FORGET_BIASES, ends, strict=True)
    text = (f"The product of forget gates over {FORGET_T} steps of a fresh LSTM: "
            + ", ".join(f"{fmt(e)} with forget bias {b:g}" for b, e in pairs) + ".")  # fmt: skip
    return fig, Alt("the cell path through the forget gates", text, table)


FIGURES = {"sigmoid": sigmoid_curve, "tanh": tanh_curve, "chain": chain, "decay": decay,
           "forget": forget}  # fmt: skip
