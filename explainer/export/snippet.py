"""A short standalone PyTorch script that reproduces a scene's run: the weights drawn from
``numpy.random.default_rng(seed)`` exactly as the app draws them, the same input, the cell in
torch, and the Jacobian norms ``||dh_T/dh_t||`` by autograd, printed for every t.

The script needs only numpy and torch; the tests run it and compare with the app's numbers.
"""

from __future__ import annotations

import numpy as np

from explainer import tasks
from explainer.config import RunConfig

HEADER = '''"""Unrolled scene: {title}
Reproduces the app's run in PyTorch and prints ||dh_T/dh_t|| (spectral norm) for t = 0..T.
Settings: {settings}
"""
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
KIND, ACT, H, SEED = {kind!r}, {act!r}, {H}, {seed}
INIT, RHO, FORGET_BIAS = {init!r}, {rho!r}, {forget_bias!r}
'''

WEIGHTS = '''

def orthogonal(n, rng):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def weights(D):
    """The app's draw: one generator, W_ih first, then W_hh and the biases."""
    rng = np.random.default_rng(SEED)
    G = {"rnn": 1, "lstm": 4, "gru": 3}[KIND]
    k = 1.0 / np.sqrt(H)
    W_ih = rng.uniform(-k, k, (G * H, D))
    if INIT == "pytorch":
        W_hh = rng.uniform(-k, k, (G * H, H))
        b_ih, b_hh = rng.uniform(-k, k, G * H), rng.uniform(-k, k, G * H)
    else:
        if INIT == "gaussian":
            W_hh = rng.standard_normal((G * H, H)) * (RHO / np.sqrt(H))
        elif INIT == "orthogonal":
            W_hh = np.concatenate([RHO * orthogonal(H, rng) for _ in range(G)])
        else:
            W_hh = np.concatenate([RHO * np.eye(H) for _ in range(G)])
        b_ih, b_hh = np.zeros(G * H), np.zeros(G * H)
    if FORGET_BIAS is not None and KIND == "lstm":  # rows i, f, g, o: f is the second block
        b_ih[H : 2 * H], b_hh[H : 2 * H] = FORGET_BIAS, 0.0
    return [torch.tensor(w) for w in (W_ih, W_hh, b_ih, b_hh)]


ACTS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid, "linear": lambda a: a}


def step(s, x, W_ih, W_hh, b_ih, b_hh):
    """One step on the state s = h (RNN, GRU) or [h, c] (LSTM), as PyTorch's cells compute it."""
    h = s[:H]
    if KIND == "rnn":
        return ACTS[ACT](W_ih @ x + b_ih + W_hh @ h + b_hh)
    if KIND == "lstm":
        i, f, g, o = (W_ih @ x + b_ih + W_hh @ h + b_hh).chunk(4)
        c = torch.sigmoid(f) * s[H:] + torch.sigmoid(i) * torch.tanh(g)
        return torch.cat([torch.sigmoid(o) * torch.tanh(c), c])
    gi, gh = (W_ih @ x + b_ih).chunk(3), (W_hh @ h + b_hh).chunk(3)
    r, z = torch.sigmoid(gi[0] + gh[0]), torch.sigmoid(gi[1] + gh[1])
    n = torch.tanh(gi[2] + r * gh[2])
    return (1 - z) * n + z * h


W = weights(x.shape[1])
s = torch.zeros(2 * H if KIND == "lstm" else H)
jacobians = []  # ds_t/ds_(t-1) for t = 1..T, by autograd
for x_t in torch.tensor(x):
    jacobians.append(torch.autograd.functional.jacobian(lambda s_: step(s_, x_t, *W), s))
    s = step(s, x_t, *W)

# dh_T/dh_t = [I 0] A_T ... A_(t+1) [I 0]^T: the cell state is held fixed at t (LSTM)
P = torch.eye(H, len(s))
norms = [1.0]
for A in reversed(jacobians):
    P = P @ A
    norms.append(torch.linalg.matrix_norm(P[:, :H], ord=2).item())
for t, v in enumerate(reversed(norms)):
    print(f"{t} {v:.17g}")
'''


def inputs(cfg: RunConfig) -> str:
    """Python source that sets ``x`` (T, D) to the scene's input."""
    if cfg.source == "text":
        enc = tasks.encode_text(cfg.text)
        return (
            f"\ntext = {enc.text!r}\nvocab = sorted(set(text))\n"
            "x = np.eye(len(vocab))[[vocab.index(ch) for ch in text]][:-1]  # one-hot, next-char\n"
        )
    if cfg.source == "sine":
        return (
            f"\nrng = np.random.default_rng(SEED)  # the app's noisy sine, T = {cfg.seq_len}\n"
            f"steps = np.arange({cfg.seq_len} + 1)\nphase = rng.uniform(0, 2 * np.pi)\n"
            "v = np.sin(2 * np.pi * steps / 20.0 + phase) + 0.1 * rng.standard_normal(len(steps))\n"
            "x = v[:-1, None]\n"
        )
    from explainer.scene import make_sequence

    x = make_sequence(cfg).x
    rows = ",\n    ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in x)
    return f"\nx = np.array([\n    {rows},\n])  # the app's {cfg.source} input\n"


def torch_snippet(cfg: RunConfig, title: str = "") -> str:
    """The script for ``cfg`` (random weights; trained weights are refused with the reason)."""
    if cfg.weights != "random":
        raise ValueError(
            f"the PyTorch snippet rebuilds seeded random weights; this scene runs the trained "
            f"model {cfg.weights!r} (its weights are in assets/models/{cfg.weights}.safetensors)"
        )
    default = RunConfig().to_query()
    changed = {k: v for k, v in cfg.to_query().items() if default[k] != v and k != "text"}
    settings = ", ".join(f"{k}={v}" for k, v in changed.items()) or "the app's defaults"
    head = HEADER.format(
        title=title or "a scene", settings=settings, kind=cfg.cell, act=cfg.activation,
        H=cfg.hidden_size, seed=cfg.seed, init=cfg.init, rho=float(cfg.rho),
        forget_bias=None if cfg.forget_bias is None else float(cfg.forget_bias),
    )  # fmt: skip
    return head + inputs(cfg) + WEIGHTS


def parse_output(text: str) -> np.ndarray:
    """The printed norms as a (T+1,) array (what the tests compare)."""
    return np.array([float(line.split()[1]) for line in text.strip().splitlines()])
