"""Misconception checks: five claims students often believe, each false, each answered by a live
computation with the app's own core (the numbers in the explanation are computed, not typed).

References: Pascanu, Mikolov & Bengio 2013 (norm clipping tames exploding, not vanishing);
Gers et al. 2000 and Jozefowicz et al. 2015 (the forget gate and its bias); PyTorch's GRU docs
(h = (1 - z) n + z h_prev); Werbos 1990 (BPTT: one set of weights, gradients summed over steps).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explainer.cells import CellParams, gru_step, n_params, sigmoid
from explainer.figures.alt import fmt
from explainer.gradients import backward, clip_by_norm, jacobian_norms, jacobians, norm
from explainer.initializers import init_params
from explainer.unroll import unroll

GRADIENTS = "pages/4_Gradients_through_time.py"
THETA = 1.0  # Pascanu et al.'s clipping threshold on their synthetic tasks
T = 40


@dataclass(frozen=True)
class Evidence:
    """What the core computed: a sentence with the numbers, and the numbers by name."""

    text: str
    numbers: dict[str, float]


@dataclass(frozen=True)
class Misconception:
    """A claim (false), the mechanism in words, the computation that shows it, and the scene
    (page and link parameters) that explains it."""

    id: str
    claim: str
    why: str
    evidence: Callable[[], Evidence]
    page: str
    params: dict[str, str]
    true: bool = False


def sine(steps: int, d: int = 1) -> np.ndarray:
    """The input the examples share: sin(t) on every input channel."""
    return np.repeat(np.sin(np.arange(steps, dtype=np.float64))[:, None], d, axis=1)


def clipping() -> Evidence:
    """Clip dh_T/dh_0 of a vanishing and of an exploding RNN at θ = 1 (Alg. 1)."""
    small = init_params("rnn", 1, 16, init="orthogonal", rho=0.5, seed=0)
    big = init_params("rnn", 1, 16, nonlinearity="relu", init="identity", rho=1.5, seed=0)
    x = sine(T) + 1.5  # positive inputs keep the relu units on
    g_small, g_big = (jacobians(p, unroll(p, x))[0] for p in (small, big))
    out = {
        "vanishing": norm(g_small),
        "vanishing_clipped": norm(clip_by_norm(g_small, THETA)),
        "exploding": norm(g_big),
        "exploding_clipped": norm(clip_by_norm(g_big, THETA)),
    }
    text = (
        f"Clipping at θ = {THETA:g}: a vanishing gradient ∂h_T/∂h_0 of norm "
        f"{fmt(out['vanishing'])} (tanh RNN, ρ = 0.5, T = {T}) is still "
        f"{fmt(out['vanishing_clipped'])} after clipping; an exploding one of "
        f"{fmt(out['exploding'])} (ReLU, ρ = 1.5) becomes "
        f"{fmt(out['exploding_clipped'])}. Clipping only ever shrinks a gradient."
    )
    return Evidence(text, out)


def lstm_vanishing() -> Evidence:
    """An LSTM whose forget bias is −3: the cell path keeps σ(−3) ≈ 0.05 a step."""
    p = init_params("lstm", 1, 16, forget_bias=-3.0, seed=0)
    tr = unroll(p, sine(T))
    out = {
        "f_mean": float(tr.gates["f"].mean()),
        "gain": float(jacobian_norms(p, None, trace=tr)[0]),
    }
    text = (
        f"An LSTM with forget bias −3 (σ(−3) = {fmt(sigmoid(np.array(-3.0)))}): its forget gates "
        f"average {fmt(out['f_mean'])} and ||∂h_T/∂h_0|| over T = {T} steps is {fmt(out['gain'])}. "
        "The cell state only protects gradients while f stays near 1."
    )
    return Evidence(text, out)


def gru_convention() -> Evidence:
    """A GRU step with z pushed to 1: PyTorch's update keeps h_{t−1}; the swapped one drops it."""
    p = init_params("gru", 1, 8, seed=0)
    b_ih = p.b_ih.copy()
    b_ih[p.block("z")] = 8.0  # z = σ(8 + small) ≈ 1
    p = CellParams("gru", p.W_ih, p.W_hh, b_ih, p.b_hh)
    h_prev = np.random.default_rng(0).uniform(-1, 1, 8)
    step = gru_step(p, np.array([1.0]), h_prev)
    swapped = step["z"] * step["n"] + (1 - step["z"]) * h_prev  # z writes, 1 - z keeps
    out = {
        "z_mean": float(step["z"].mean()),
        "torch_change": norm(step["h"] - h_prev),
        "swapped_change": norm(swapped - h_prev),
    }
    text = (
        f"With z ≈ {fmt(out['z_mean'])}, PyTorch's h = (1 − z)n + z h_prev moves h by "
        f"{fmt(out['torch_change'])} (z keeps, like f); the swapped form h = z n + (1 − z)h_prev "
        f"used by some texts moves it by {fmt(out['swapped_change'])} (there z writes, like i)."
    )
    return Evidence(text, out)


def weight_sharing() -> Evidence:
    """One set of weights for any T: count what two unrolled runs read, and the gradient shape."""
    p = init_params("rnn", 4, 8, seed=0)
    out = {"params": float(p.n_params), "formula": float(n_params("rnn", 4, 8))}
    for steps in (10, 1000):
        tr = unroll(p, sine(steps, 4))
        dh = np.zeros_like(tr.h)
        dh[-1] = 1.0
        g = backward(p, tr, dh)
        out[f"grad_W_hh_{steps}"] = float(g.W_hh.size)
    text = (
        f"A vanilla RNN with D = 4, H = 8 has {out['params']:.0f} parameters whether it is "
        f"unrolled over 10 steps or 1000; the gradient of W_hh is one {8}×{8} matrix "
        f"({out['grad_W_hh_1000']:.0f} numbers) at both lengths: each step adds its share into "
        "the same weights. Unrolling draws copies of the cell, not copies of the weights."
    )
    return Evidence(text, out)


def bigger_state() -> Evidence:
    """||dh_T/dh_0|| of tanh RNNs with W_hh = 0.9 Q at H = 8 and H = 128: both fade alike."""
    out = {}
    for H in (8, 128):
        p = init_params("rnn", 1, H, init="orthogonal", rho=0.9, seed=0)
        out[f"H{H}"] = float(jacobian_norms(p, sine(50))[0])
    out["bound"] = 0.9**50
    text = (
        f"Two tanh RNNs with W_hh = 0.9 Q over T = 50 steps: ||∂h_T/∂h_0|| is {fmt(out['H8'])} "
        f"with H = 8 and {fmt(out['H128'])} with H = 128, both under 0.9^50 = {fmt(out['bound'])}."
        " How long a state remembers is set by the per-step gain, not by its size."
    )
    return Evidence(text, out)


MISCONCEPTIONS = (
    Misconception(
        "clipping",
        "Gradient clipping fixes vanishing gradients.",
        "Clipping rescales a gradient whose norm is above θ down to θ; a tiny gradient is left "
        "as it is. It tames exploding gradients only.",
        clipping,
        GRADIENTS,
        {"init": "orthogonal", "rho": "0.5", "source": "sine", "seq_len": "40", "clip": "1"},
    ),
    Misconception(
        "lstm",
        "LSTMs cannot have vanishing gradients.",
        "The cell path multiplies forget gates: it keeps gradients only while f stays near 1. "
        "With a negative forget bias f ≈ σ(b) is small and the product vanishes.",
        lstm_vanishing,
        "pages/2_LSTM_gates.py",
        {"weights": "random", "forget_bias": "-3", "source": "sine", "seq_len": "40"},
    ),
    Misconception(
        "gru-z",
        "The GRU's z gate is the forget gate in every convention.",
        "In PyTorch's GRU z keeps the old state (like f); texts that write h = z n + (1 − z) "
        "h_prev give z the input gate's job. Check the convention before reading z.",
        gru_convention,
        "pages/3_GRU_gates.py",
        {"weights": "random"},
    ),
    Misconception(
        "copies",
        "Unrolling copies the weights, one set per time step.",
        "Unrolling draws one copy of the cell per step, all reading the same W_ih, W_hh and "
        "biases; the parameter count does not depend on T and BPTT sums each step's gradient.",
        weight_sharing,
        "pages/1_Unrolled_RNN.py",
        {"text": "hello hello", "hidden_size": "8", "t": "7"},
    ),
    Misconception(
        "bigger",
        "A bigger hidden state always remembers longer.",
        "Memory through time is set by the gain per step (σ_max of W_hh times tanh'), which "
        "does not grow with H: more units hold more at once, not for longer.",
        bigger_state,
        GRADIENTS,
        {
            "init": "orthogonal",
            "rho": "0.9",
            "source": "sine",
            "seq_len": "50",
            "hidden_size": "128",
        },  # fmt: skip
    ),
)
