"""Core speed: the NumPy forward, backward and Jacobian sweep against torch doing the same work.

torch side: ``torch.nn.RNN/LSTM/GRU`` forward; autograd for the backward (loss on the readout
at every step); for the Jacobians, the torch cells stepped with every h_t kept, then one
batched autograd call with the H rows of the identity as cotangents, and batched matrix norms.
Times are the best of several repeats, in milliseconds; ratio = NumPy / torch (< 1: faster).
"""

from __future__ import annotations

import time

import numpy as np

from explainer.gradients import backward, jacobian_norms, readout_loss
from explainer.initializers import init_params
from explainer.trace import Readout
from explainer.unroll import unroll

SIZES = [(50, 16), (50, 64), (200, 16), (200, 64), (200, 128), (1000, 16), (1000, 64), (1000, 128)]
D = 8


def best_ms(fn, repeats: int = 5) -> float:
    """Best wall time of ``repeats`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def numpy_times(kind: str, T: int, H: int) -> tuple[float, float, float]:
    p = init_params(kind, D, H, seed=0)
    x = np.random.default_rng(0).standard_normal((T, D))
    readout = Readout(np.random.default_rng(1).standard_normal((1, H)), np.zeros(1))
    target = np.zeros((T, 1))
    tr = unroll(p, x, readout=readout)
    _, dh_direct, _, _ = readout_loss(tr, readout, target, "mse", "every")
    return (
        best_ms(lambda: unroll(p, x, readout=readout)),
        best_ms(lambda: backward(p, tr, dh_direct)),
        best_ms(lambda: jacobian_norms(p, x, trace=tr), repeats=3),
    )


def torch_times(kind: str, T: int, H: int) -> tuple[float, float, float]:
    import torch

    from explainer.cells import params_to_torch

    p = init_params(kind, D, H, seed=0)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](D, H).double()
    cell = params_to_torch(p)
    x = torch.tensor(np.random.default_rng(0).standard_normal((T, 1, D)))
    head = torch.nn.Linear(H, 1).double()

    def forward():
        with torch.no_grad():
            head(module(x)[0])

    def backward_pass():
        module.zero_grad()
        torch.mean(head(module(x)[0]) ** 2).backward()

    def jacobians():
        h = torch.zeros(1, H, dtype=torch.float64, requires_grad=True)
        state, hs = (h, torch.zeros(1, H, dtype=torch.float64)) if kind == "lstm" else h, [h]
        for t in range(T):
            state = cell(x[t], state)
            hs.append(state[0] if kind == "lstm" else state)
        eye = torch.eye(H, dtype=torch.float64)[:, None, :]
        grads = torch.autograd.grad(hs[-1], hs[:-1], eye, is_grads_batched=True)
        return torch.linalg.matrix_norm(torch.stack(grads)[:, :, 0, :], ord=2)

    return best_ms(forward), best_ms(backward_pass), best_ms(jacobians, repeats=3)


def run() -> None:
    print(
        "| cell | T | H | unroll ms (torch) | backward ms (torch) | jacobian norms ms (torch) "
        "| sweep ms | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind in ("rnn", "lstm", "gru"):
        for T, H in SIZES:
            ours = numpy_times(kind, T, H)
            ref = torch_times(kind, T, H)
            cols = " | ".join(f"{a:.1f} ({b:.1f})" for a, b in zip(ours, ref, strict=True))
            print(
                f"| {kind} | {T} | {H} | {cols} | {sum(ours):.1f} | {sum(ours) / sum(ref):.2f} |",
                flush=True,
            )
