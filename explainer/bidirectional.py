r"""A bidirectional recurrent layer: one cell reads the sequence forwards, a second cell (its
own weights) reads it backwards, and each step's output joins the two states.

.. math::
    \overrightarrow{h}_t = \text{cell}_{fwd}(x_t, \overrightarrow{h}_{t-1}), \qquad
    \overleftarrow{h}_t = \text{cell}_{bwd}(x_t, \overleftarrow{h}_{t+1}), \qquad
    o_t = [\overrightarrow{h}_t ; \overleftarrow{h}_t]

The input Jacobians ``do_t/dx_s`` come from the same hand-written backward sweep as the
gradients page (``gradients._sweep``), seeded with the identity at every step at once: the
forward half reaches only ``s <= t``, the backward half only ``s >= t``.

References: Schuster & Paliwal 1997, "Bidirectional recurrent neural networks"; Graves &
Schmidhuber 2005 (bidirectional LSTM); PyTorch docs for torch.nn.RNN (``bidirectional=True``,
weights ``*_l0_reverse``, output ``[forward; backward]`` on the last axis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer.cells import BiParams, CellParams
from explainer.gradients import Grads, _sweep, backward, spectral_norms
from explainer.trace import Trace
from explainer.unroll import unroll


@dataclass(frozen=True, eq=False)
class BiTrace:
    """Both directions of one run. ``bwd`` is in its own reading order (its step 1 read
    x_T); ``h_bwd`` puts it back in the input's order."""

    fwd: Trace
    bwd: Trace

    @property
    def T(self) -> int:
        return self.fwd.T

    @property
    def h_fwd(self) -> np.ndarray:
        """(T, H) forward states h_1..h_T."""
        return self.fwd.h[1:]

    @property
    def h_bwd(self) -> np.ndarray:
        """(T, H) backward states aligned with the input: row t-1 has read x_T..x_t."""
        return self.bwd.h[1:][::-1]

    @property
    def out(self) -> np.ndarray:
        """(T, 2H) the layer's output [h_fwd_t ; h_bwd_t], as torch returns it."""
        return np.concatenate([self.h_fwd, self.h_bwd], axis=1)


def bi_unroll(bp: BiParams, x: np.ndarray) -> BiTrace:
    """Run both directions over ``x`` (T, D) from zero states."""
    x = np.asarray(x, dtype=np.float64)
    return BiTrace(unroll(bp.fwd, x), unroll(bp.bwd, x[::-1].copy()))


def input_jacobians(p: CellParams, tr: Trace) -> np.ndarray:
    """(T, T, H, D) ``dh_t/dx_s`` of one direction in its reading order, t, s = 1..T (zero
    where s > t): one backward sweep carrying an identity seed for every t at once."""
    T, H, D = tr.T, tr.H, p.input_size
    seeds = np.zeros((T + 1, T * H, H))
    for t in range(1, T + 1):
        # rows (t-1)H .. tH ask how h_t depends on what came before it
        seeds[t, (t - 1) * H : t * H] = np.eye(H)
    J = np.zeros((T, T, H, D))

    def record(s, dh, dc, d_gi, d_gh):
        if d_gi is not None:
            J[:, s - 1] = (d_gi @ p.W_ih).reshape(T, H, D)

    _sweep(p, tr, seeds[T], record, seeds)
    return J


def bi_input_jacobians(bp: BiParams, bt: BiTrace) -> np.ndarray:
    """(T, T, 2H, D) ``do_t/dx_s`` with ``o_t = [h_fwd_t ; h_bwd_t]``, in the input's order."""
    Jf = input_jacobians(bp.fwd, bt.fwd)
    # the backward cell's step k read x_{T+1-k}: flip both time axes back
    Jb = input_jacobians(bp.bwd, bt.bwd)[::-1, ::-1]
    return np.concatenate([Jf, Jb], axis=2)


def reach(J: np.ndarray) -> np.ndarray:
    """(T, T) spectral norms ``||do_t/dx_s||_2`` of a (T, T, O, D) Jacobian stack."""
    T = J.shape[0]
    return spectral_norms(J.reshape(T * T, *J.shape[2:])).reshape(T, T)


def bi_backward(bp: BiParams, bt: BiTrace, d_out: np.ndarray) -> tuple[Grads, Grads]:
    """BPTT through both directions for a loss with ``dL/do_t = d_out`` (T, 2H): each half of
    the output gradient flows back through its own cell, in its own reading order."""
    T, H = bt.T, bt.fwd.H
    d_out = np.asarray(d_out, dtype=np.float64)
    if d_out.shape != (T, 2 * H):
        raise ValueError(f"d_out must have shape ({T}, {2 * H}); got {d_out.shape}")
    zero = np.zeros((1, H))
    g_f = backward(bp.fwd, bt.fwd, np.concatenate([zero, d_out[:, :H]]))
    g_b = backward(bp.bwd, bt.bwd, np.concatenate([zero, d_out[::-1, H:]]))
    return g_f, g_b


def bi_input_gradient(g_f: Grads, g_b: Grads) -> np.ndarray:
    """(T, D) dL/dx_t: the forward cell's part plus the backward cell's, flipped back."""
    return g_f.dx + g_b.dx[::-1]
