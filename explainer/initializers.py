"""Seeded initialisers for recurrent weights: PyTorch's uniform, Gaussian, orthogonal, identity.

``rho`` sets the scale of the recurrent matrix ``W_hh`` (each gate block): the orthogonal init
is ``rho Q`` so every singular value is ``rho``; the identity (IRNN) init is ``rho I``; the
Gaussian init draws entries from ``N(0, rho^2 / H)``, whose spectral radius is close to ``rho``
for large H (circular law). PyTorch's default ignores ``rho``.

References: PyTorch docs (torch.nn.RNN "Variables"); Saxe et al. 2014 (orthogonal);
Le, Jaitly & Hinton 2015 (IRNN); Jozefowicz et al. 2015 (forget-gate bias 1).
"""

from __future__ import annotations

import numpy as np

from explainer.cells import BLOCKS, CellParams

INITS = ("pytorch", "gaussian", "orthogonal", "identity")


def orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random n x n orthogonal matrix (QR of a Gaussian, signs fixed so it is Haar-uniform)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def init_params(
    kind: str,
    input_size: int,
    hidden_size: int,
    *,
    nonlinearity: str = "tanh",
    init: str = "pytorch",
    rho: float = 1.0,
    forget_bias: float | None = None,
    seed: int = 0,
) -> CellParams:
    """Draw the weights of one layer; every draw goes through ``np.random.default_rng(seed)``.

    With ``forget_bias`` set (LSTM only), the forget gate's total bias ``b_if + b_hf`` is that
    value, so at initialisation ``f = sigmoid(forget_bias)`` when the other terms are small.
    """
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {INITS}")
    if input_size < 1 or hidden_size < 1:
        raise ValueError("input_size and hidden_size must be at least 1")
    if kind not in BLOCKS:
        raise ValueError(f"unknown cell kind {kind!r}")
    rng = np.random.default_rng(seed)
    G, H, D = len(BLOCKS[kind]), hidden_size, input_size
    k = 1.0 / np.sqrt(H)
    W_ih = rng.uniform(-k, k, (G * H, D))
    if init == "pytorch":
        W_hh = rng.uniform(-k, k, (G * H, H))
        b_ih, b_hh = rng.uniform(-k, k, G * H), rng.uniform(-k, k, G * H)
    else:
        if init == "gaussian":
            W_hh = rng.standard_normal((G * H, H)) * (rho / np.sqrt(H))
        elif init == "orthogonal":
            W_hh = np.concatenate([rho * orthogonal(H, rng) for _ in range(G)])
        else:
            W_hh = np.concatenate([rho * np.eye(H) for _ in range(G)])
        b_ih, b_hh = np.zeros(G * H), np.zeros(G * H)
    p = CellParams(kind, W_ih, W_hh, b_ih, b_hh, nonlinearity if kind == "rnn" else "tanh")
    if forget_bias is not None and kind == "lstm":
        f = p.block("f")
        b_ih[f], b_hh[f] = forget_bias, 0.0
    return p
