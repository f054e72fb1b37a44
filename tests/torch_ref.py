"""Reference computations in torch for the parity tests (autograd is the oracle)."""

from __future__ import annotations

import numpy as np
import torch

from explainer.cells import CellParams, params_to_torch


def seeded_module(
    kind: str, D: int, H: int, seed: int, nonlinearity: str = "tanh", scale: float = 1.0
):
    """A float64 one-layer torch.nn.RNN/LSTM/GRU whose weights come from a seeded generator."""
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    kwargs = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    m = cls(D, H, **kwargs).double()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for w in m.parameters():
            w.copy_((torch.rand(w.shape, generator=g, dtype=torch.float64) * 2 - 1) * scale)
    return m


def run_cells(p: CellParams, x: np.ndarray, h0=None, c0=None):
    """Step a torch cell over x, keeping every h_t (and c_t) as a node whose .grad is retained."""
    cell = params_to_torch(p)
    H = p.hidden_size
    h = torch.tensor(h0 if h0 is not None else np.zeros(H))[None].requires_grad_(True)
    c = torch.tensor(c0 if c0 is not None else np.zeros(H))[None].requires_grad_(True)
    hs, cs = [h], [c]
    for t in range(x.shape[0]):
        xt = torch.tensor(x[t])[None]
        if p.kind == "lstm":
            h, c = cell(xt, (h, c))
            c.retain_grad()
            cs.append(c)
        else:
            h = cell(xt, h)
        h.retain_grad()
        hs.append(h)
    return cell, hs, cs


def jacobian_norm(p: CellParams, x: np.ndarray, t: int) -> float:
    """||dh_T/dh_t||_2 by autograd: h_t a fresh leaf, c_t held fixed (detached)."""
    cell = params_to_torch(p)
    H, T = p.hidden_size, x.shape[0]
    with torch.no_grad():
        h = torch.zeros(1, H, dtype=torch.float64)
        c = torch.zeros(1, H, dtype=torch.float64)
        for k in range(t):
            xt = torch.tensor(x[k])[None]
            h, c = cell(xt, (h, c)) if p.kind == "lstm" else (cell(xt, h), c)

    def h_T(h_t):
        hh, cc = h_t[None], c
        for k in range(t, T):
            xt = torch.tensor(x[k])[None]
            hh, cc = cell(xt, (hh, cc)) if p.kind == "lstm" else (cell(xt, hh), cc)
        return hh[0]

    J = torch.autograd.functional.jacobian(h_T, h[0].clone())
    return float(torch.linalg.matrix_norm(J, ord=2))
